//! Indicators: named values per region of one level (area, population, density, migration
//! figures, institution counts, the report's categories), each with its unit, source and year.
//!
//! Values are aligned with [`Atlas::regions`] of the indicator's level; `None` is no-data.
//!
//! An indicator may hold a time series ([`Series`]): its values per year, with year labels kept
//! as text (INKAR has spans such as `2016/2017/2018`). [`Indicator::values`] then holds the values
//! of [`Indicator::year`] (the latest year unless chosen with [`Indicator::at_year`]), so code that
//! knows only one year keeps working. A year without a value for a region is no-data, never 0.

use std::sync::Arc;

use crate::i18n::{Lang, Localized, Text};
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
    /// The values (of [`Indicator::year`] for a time series).
    pub values: Values,
    /// The values of every year, for indicators with several years (or one dated year).
    pub series: Option<Arc<Series>>,
    /// The year label `values` belong to, for a time series.
    pub year: Option<String>,
    /// What the publisher says about the indicator (INKAR's description, formula, edition).
    pub about: Option<Arc<About>>,
    /// The attribution line the indicator's licence asks for on every map that shows it.
    pub attribution: Option<Text>,
}

/// The values of one indicator over the years.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Year labels, ascending as published, e.g. `2019` or `2016/2017/2018`.
    pub years: Vec<String>,
    /// Per year (aligned with `years`) a value per region (aligned with the level's regions).
    pub values: Vec<Vec<Option<f64>>>,
}

impl Series {
    /// The position of a year label.
    pub fn index_of(&self, year: &str) -> Option<usize> {
        let year = year.trim();
        self.years.iter().position(|y| y == year)
    }

    /// The values of one year.
    pub fn at(&self, year: &str) -> Option<&[Option<f64>]> {
        self.index_of(year).map(|i| self.values[i].as_slice())
    }

    /// The latest year's label.
    pub fn latest(&self) -> Option<&str> {
        self.years.last().map(String::as_str)
    }

    /// One region's values over the years: (year label, value or no-data).
    pub fn of_region(&self, index: usize) -> Vec<(&str, Option<f64>)> {
        self.years
            .iter()
            .zip(&self.values)
            .map(|(year, values)| (year.as_str(), values.get(index).copied().flatten()))
            .collect()
    }

    /// The years for people: `2010–2021` for a run of consecutive years, else listed with `, `.
    pub fn years_text(&self) -> String {
        let numbers: Option<Vec<i32>> = self.years.iter().map(|y| y.parse().ok()).collect();
        match numbers {
            Some(n) if n.len() > 2 && n.windows(2).all(|w| w[1] == w[0] + 1) => {
                format!("{}–{}", n[0], n[n.len() - 1])
            }
            _ => self.years.join(", "),
        }
    }

    /// Every value of every year, for breaks fixed over all years.
    pub fn pooled(&self) -> Vec<Option<f64>> {
        self.values.iter().flatten().copied().collect()
    }
}

/// What an indicator's publisher says about it (INKAR: `indikatoren` table).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct About {
    /// The short name (`kurzname`), e.g. "Asylbewerber".
    pub short_name: String,
    /// The theme (`bereich`), e.g. "Sozialleistungen".
    pub theme: String,
    /// The explanation (`anmerkungen`).
    pub description: String,
    /// The formula (`algorithmus`).
    pub formula: String,
    /// The statistical basis (`statistische_grundlagen`).
    pub basis: String,
    /// The edition, e.g. "INKAR 2024".
    pub edition: String,
}

/// How a change between two years is expressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// The later value minus the earlier one, in the indicator's unit.
    #[default]
    Absolute,
    /// The difference in percent of the earlier value.
    Percent,
}

/// Why a year of an indicator cannot be shown.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YearError {
    /// The indicator has one figure, not values per year.
    #[error("{key} has no values per year; leave out the year")]
    NoSeries {
        /// The indicator.
        key: String,
    },
    /// The year is not one of the indicator's.
    #[error("{key} has no year {year:?}; available years: {available}")]
    Unknown {
        /// The indicator.
        key: String,
        /// The year asked for.
        year: String,
        /// The years there are.
        available: String,
    },
}

impl Localized for YearError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (YearError::NoSeries { key }, Lang::De) => {
                format!("{key} hat keine Werte je Jahr; ohne Jahr wählen")
            }
            (
                YearError::Unknown {
                    key,
                    year,
                    available,
                },
                Lang::De,
            ) => format!("{key} hat kein Jahr {year:?}; vorhanden: {available}"),
        }
    }
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
    about: Option<Arc<About>>,
    attribution: Option<Text>,
}

impl IndicatorDef {
    /// What the publisher says about the indicator (none by default).
    pub fn about(mut self, about: Arc<About>) -> IndicatorDef {
        self.about = Some(about);
        self
    }

    /// The attribution line its licence asks for on maps (none by default).
    pub fn attribution(mut self, attribution: Text) -> IndicatorDef {
        self.attribution = Some(attribution);
        self
    }

    /// The indicator with its values per year at `level`; [`Indicator::values`] are the latest
    /// year's.
    pub fn series(self, level: Level, series: Series) -> Indicator {
        let year = series.latest().map(str::to_owned);
        let latest = series.values.last().cloned().unwrap_or_default();
        let mut indicator = self.values(level, Values::Numeric(latest));
        indicator.year = year;
        indicator.series = Some(Arc::new(series));
        indicator
    }

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
            series: None,
            year: None,
            about: self.about,
            attribution: self.attribution,
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
            about: None,
            attribution: None,
        }
    }

    /// The label in a language.
    pub fn label(&self, lang: Lang) -> &str {
        self.label.get(lang)
    }

    /// The label with its unit, e.g. "Fläche (ha)", and the year of a time series, e.g.
    /// "Asylbewerber (je 1.000 Einwohner), 2019".
    pub fn title(&self, lang: Lang) -> String {
        let mut title = if self.unit.is_empty() {
            self.label(lang).to_owned()
        } else {
            format!("{} ({})", self.label(lang), self.unit)
        };
        if let Some(year) = &self.year {
            title.push_str(", ");
            title.push_str(year);
        }
        title
    }

    /// The year labels of a time series (empty for one figure).
    pub fn years(&self) -> &[String] {
        self.series.as_ref().map_or(&[], |s| s.years.as_slice())
    }

    fn series_or_error(&self) -> Result<&Series, YearError> {
        self.series.as_deref().ok_or_else(|| YearError::NoSeries {
            key: self.key.clone(),
        })
    }

    fn year_values<'a>(
        &self,
        series: &'a Series,
        year: &str,
    ) -> Result<&'a [Option<f64>], YearError> {
        series.at(year).ok_or_else(|| YearError::Unknown {
            key: self.key.clone(),
            year: year.trim().to_owned(),
            available: series.years.join(", "),
        })
    }

    /// The indicator showing the values of `year` (an error names the years there are).
    pub fn at_year(&self, year: &str) -> Result<Indicator, YearError> {
        let series = self.series_or_error()?;
        let values = self.year_values(series, year)?.to_vec();
        let mut shown = self.clone();
        shown.values = Values::Numeric(values);
        shown.year = Some(year.trim().to_owned());
        Ok(shown)
    }

    /// The change from year `from` to year `to` as an indicator of its own: the difference
    /// (absolute, in the unit; percentage points for shares in %) or the difference in percent of
    /// `from`'s value. A region lacking either year, or (in percent) with 0 in `from`, has no data.
    pub fn change(&self, from: &str, to: &str, kind: ChangeKind) -> Result<Indicator, YearError> {
        let series = self.series_or_error()?;
        let (before, after) = (
            self.year_values(series, from)?,
            self.year_values(series, to)?,
        );
        // The difference of two values with `decimals` decimals has as many: rounding to them
        // removes the binary floating-point error (7.63 − 2.18 = 5.45, not 5.449999…).
        let scale = 10f64.powi(i32::try_from(self.decimals.min(9)).unwrap_or(9));
        let values = before
            .iter()
            .zip(after)
            .map(|(b, a)| match (b, a, kind) {
                (Some(b), Some(a), ChangeKind::Absolute) => Some(((a - b) * scale).round() / scale),
                (Some(b), Some(a), ChangeKind::Percent) if *b != 0.0 => {
                    Some((a - b) / b.abs() * 100.0)
                }
                _ => None,
            })
            .collect();
        let (from, to) = (from.trim(), to.trim());
        let (unit, de, en) = match kind {
            ChangeKind::Absolute if self.unit == "%" => (
                "Prozentpunkte".to_owned(),
                format!("Veränderung {from}–{to}"),
                format!("change {from}–{to}"),
            ),
            ChangeKind::Absolute => (
                self.unit.clone(),
                format!("Veränderung {from}–{to}"),
                format!("change {from}–{to}"),
            ),
            ChangeKind::Percent => (
                "%".to_owned(),
                format!("Veränderung {from}–{to} in % von {from}"),
                format!("change {from}–{to} in % of {from}"),
            ),
        };
        let mut change = self.clone();
        change.label = Text::new(
            format!("{}: {de}", self.label.de),
            format!("{}: {en}", self.label.en),
        );
        change.unit = unit;
        change.values = Values::Numeric(values);
        change.series = None;
        change.year = None;
        if kind == ChangeKind::Percent {
            change.decimals = 1;
            let zero = Text::new(
                format!("keine Angabe, wo {from} der Wert 0 ist"),
                format!("no data where the {from} value is 0"),
            );
            change.note = Some(match change.note.take() {
                Some(note) => note.and(Some(zero)),
                None => zero,
            });
        }
        Ok(change)
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
