//! Indicators: named values per region of one level (area, population, density, migration
//! figures, institution counts, the report's categories), each with its unit, source and year.
//!
//! Values are aligned with [`Atlas::regions`] of the indicator's level; `None` is no-data.

use crate::i18n::{Lang, Text};
use crate::model::{Atlas, Level};

/// The values of an indicator.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// A number per region.
    Numeric(Vec<Option<f64>>),
    /// A category per region (an index into `categories`).
    Categorical {
        /// The category of each region.
        codes: Vec<Option<usize>>,
        /// Category names, in legend order.
        categories: Vec<String>,
    },
}

/// One indicator at one level.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// Identifier for the command line, e.g. `density`.
    pub key: String,
    /// The label in both languages.
    pub label: Text,
    /// Unit, e.g. "km²", "%", "EW/km²" (empty for counts of people).
    pub unit: String,
    /// Where the figures come from, with year and licence.
    pub source: String,
    /// A caveat shown under the legend (concept differences, missing regions), if any.
    pub note: Option<crate::i18n::Text>,
    /// Decimals to show.
    pub decimals: usize,
    /// The level the values belong to.
    pub level: Level,
    /// The values.
    pub values: Values,
}

/// An indicator's description without its values: start one with [`Indicator::define`], add
/// the optional parts, and finish it with [`IndicatorDef::values`] (once per level if needed).
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorDef {
    key: String,
    label: Text,
    unit: String,
    source: String,
    note: Option<Text>,
    decimals: usize,
}

impl IndicatorDef {
    /// The caveat shown under the legend (none by default).
    pub fn note(mut self, note: Option<Text>) -> IndicatorDef {
        self.note = note;
        self
    }

    /// The decimals to show (0 by default).
    pub fn decimals(mut self, decimals: usize) -> IndicatorDef {
        self.decimals = decimals;
        self
    }

    /// The indicator with its values at `level`.
    pub fn values(self, level: Level, values: Values) -> Indicator {
        Indicator {
            key: self.key,
            label: self.label,
            unit: self.unit,
            source: self.source,
            note: self.note,
            decimals: self.decimals,
            level,
            values,
        }
    }
}

impl Indicator {
    /// Starts an indicator: its key, label, unit (empty for counts) and source; no note, no
    /// decimals until set on the returned [`IndicatorDef`].
    pub fn define(
        key: impl Into<String>,
        label: Text,
        unit: impl Into<String>,
        source: impl Into<String>,
    ) -> IndicatorDef {
        IndicatorDef {
            key: key.into(),
            label,
            unit: unit.into(),
            source: source.into(),
            note: None,
            decimals: 0,
        }
    }

    /// The label in a language.
    pub fn label(&self, lang: Lang) -> &str {
        self.label.get(lang)
    }

    /// The label with its unit, e.g. "Fläche (ha)".
    pub fn title(&self, lang: Lang) -> String {
        if self.unit.is_empty() {
            self.label(lang).to_owned()
        } else {
            format!("{} ({})", self.label(lang), self.unit)
        }
    }

    /// The numeric values (categories as their index), for classification.
    pub fn numeric(&self) -> Vec<Option<f64>> {
        match &self.values {
            Values::Numeric(values) => values.clone(),
            Values::Categorical { codes, .. } => {
                codes.iter().map(|c| c.map(|c| c as f64)).collect()
            }
        }
    }

    /// True for categorical indicators.
    pub fn is_categorical(&self) -> bool {
        matches!(self.values, Values::Categorical { .. })
    }

    /// The value of region `index` as text for people, or "–" for no-data.
    pub fn format_value(&self, index: usize, lang: Lang) -> String {
        match &self.values {
            Values::Numeric(values) => values
                .get(index)
                .copied()
                .flatten()
                .map(|v| crate::numfmt::format_number(v, self.decimals, lang))
                .unwrap_or_else(|| "–".to_owned()),
            Values::Categorical { codes, categories } => codes
                .get(index)
                .copied()
                .flatten()
                .and_then(|c| categories.get(c).cloned())
                .unwrap_or_else(|| "–".to_owned()),
        }
    }
}

/// All indicators of an atlas, with warnings about what could not be joined.
#[derive(Clone, Debug, Default)]
pub struct IndicatorSet {
    /// The indicators, in menu order.
    pub indicators: Vec<Indicator>,
    /// Partial failures: files missing, keys that did not join.
    pub warnings: Vec<String>,
}

impl IndicatorSet {
    /// The indicator `key` at `level`.
    pub fn get(&self, level: Level, key: &str) -> Option<&Indicator> {
        self.indicators
            .iter()
            .find(|i| i.level == level && i.key == key)
    }

    /// The indicators of one level, in menu order.
    pub fn for_level(&self, level: Level) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(move |i| i.level == level)
    }

    /// The keys offered at `level`, for error messages.
    pub fn keys(&self, level: Level) -> Vec<&str> {
        self.for_level(level).map(|i| i.key.as_str()).collect()
    }

    /// Adds or replaces an indicator (same key and level).
    pub fn upsert(&mut self, indicator: Indicator) {
        match self
            .indicators
            .iter_mut()
            .find(|i| i.level == indicator.level && i.key == indicator.key)
        {
            Some(slot) => *slot = indicator,
            None => self.indicators.push(indicator),
        }
    }
}

/// Area, population and density of every Gemeinde and Kreis, from the atlas itself.
pub fn base_indicators(atlas: &Atlas) -> Vec<Indicator> {
    let stand = &atlas.provenance.boundaries_stand;
    let geometry_source =
        format!("berechnet aus DVG2-Geometrie (Geobasis NRW, Stand {stand}, dl-de/zero-2-0)");
    let population_source =
        "Statistisches Bundesamt (Destatis), GV-ISys, Bevölkerung 31.12.2019, dl-de/by-2-0"
            .to_owned();
    let mut out = Vec::new();
    for level in [Level::Gemeinde, Level::Kreis] {
        let regions = atlas.regions(level);
        let numeric = |f: &dyn Fn(&crate::Region) -> f64| {
            Values::Numeric(regions.iter().map(|r| Some(f(r))).collect())
        };
        let make = |key: &str, de: &str, en: &str, unit: &str, source: &str, decimals, values| {
            Indicator::define(key, Text::new(de, en), unit, source)
                .decimals(decimals)
                .values(level, values)
        };
        out.push(make(
            "area_km2",
            "Fläche",
            "Area",
            "km²",
            &geometry_source,
            1,
            numeric(&|r| r.area_km2),
        ));
        out.push(make(
            "area_ha",
            "Fläche",
            "Area",
            "ha",
            &geometry_source,
            0,
            numeric(&|r| r.area_km2 * 100.0),
        ));
        out.push(make(
            "population",
            "Einwohner 31.12.2019",
            "Population 31 Dec 2019",
            "",
            &population_source,
            0,
            numeric(&|r| r.population as f64),
        ));
        out.push(make(
            "density",
            "Einwohnerdichte",
            "Population density",
            "EW/km²",
            &format!("{population_source}; Fläche {geometry_source}"),
            0,
            numeric(&|r| r.density()),
        ));
    }
    out
}
