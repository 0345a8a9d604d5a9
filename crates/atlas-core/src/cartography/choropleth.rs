//! Thematic maps: an indicator, classified and coloured, with its legend. The window, the command
//! line and the exporters all build their classes here, so the legend always matches.

use crate::analysis::classify::{Classes, ClassifyError, Method, classify};
use crate::analysis::indicators::{Indicator, IndicatorSet, Values};
use crate::cartography::palette::{NODATA, Scheme, SchemeKind, default_scheme, ramp, scheme};
use crate::cartography::scene::Rgba;
use crate::i18n::Lang;
use crate::model::{Atlas, Level};
use crate::numfmt::format_number;

/// What to map: an indicator of a level, and how to classify and colour it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoroplethSpec {
    /// The level of the regions.
    pub level: Level,
    /// The indicator key, e.g. `density`.
    pub field: String,
    /// Classification method (ignored for categorical indicators).
    pub method: Method,
    /// Number of classes (2–9).
    pub classes: usize,
    /// ColorBrewer scheme name; `None` picks a colour-blind-safe default for the data.
    pub scheme: Option<String>,
    /// Dark to light instead of light to dark.
    pub reverse: bool,
}

impl Default for ChoroplethSpec {
    fn default() -> Self {
        ChoroplethSpec {
            level: Level::Kreis,
            field: "population".to_owned(),
            method: Method::Jenks,
            classes: 5,
            scheme: None,
            reverse: false,
        }
    }
}

/// Why a map could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChoroplethError {
    /// No indicator of that name at that level.
    #[error("unknown field {field:?} at level {level}; available: {available}")]
    UnknownField {
        /// The key asked for.
        field: String,
        /// The level.
        level: Level,
        /// The keys that exist there.
        available: String,
    },
    /// The scheme name is not a ColorBrewer scheme we offer.
    #[error("unknown palette {0:?}; use e.g. YlGnBu, YlOrRd, Blues, RdBu, BrBG, Set2, Dark2")]
    UnknownScheme(String),
    /// Classification failed.
    #[error(transparent)]
    Classify(#[from] ClassifyError),
}

/// One line of a legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// The fill colour.
    pub color: Rgba,
    /// The class range or category, formatted for people.
    pub label: String,
    /// How many regions are in it.
    pub count: usize,
}

/// A legend: title with unit, classes with counts, no-data, source and caveats.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    /// The indicator with its unit.
    pub title: String,
    /// How the classes were made, e.g. "Natürliche Brüche (Jenks), 5 Klassen".
    pub method: Option<String>,
    /// The classes.
    pub entries: Vec<LegendEntry>,
    /// Regions without a value, if any.
    pub nodata: Option<LegendEntry>,
    /// Source with year and licence.
    pub source: String,
    /// A caveat, if any.
    pub note: Option<String>,
}

/// A classified, coloured indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Choropleth {
    /// One colour per region of the level, in atlas order.
    pub fills: Vec<Rgba>,
    /// The legend.
    pub legend: Legend,
    /// The numeric classes (`None` for categorical indicators).
    pub classes: Option<Classes>,
    /// The scheme used.
    pub scheme: Scheme,
}

/// Looks up the indicator of a spec, with the available keys in the error.
pub fn indicator<'a>(
    set: &'a IndicatorSet,
    level: Level,
    field: &str,
) -> Result<&'a Indicator, ChoroplethError> {
    set.get(level, field)
        .ok_or_else(|| ChoroplethError::UnknownField {
            field: field.to_owned(),
            level,
            available: set.keys(level).join(", "),
        })
}

/// Classifies and colours an indicator.
pub fn build(
    atlas: &Atlas,
    set: &IndicatorSet,
    spec: &ChoroplethSpec,
    lang: Lang,
) -> Result<Choropleth, ChoroplethError> {
    let indicator = indicator(set, spec.level, &spec.field)?;
    let regions = atlas.regions(spec.level).len();
    let kind = match (&indicator.values, &spec.method) {
        (Values::Categorical { .. }, _) => SchemeKind::Qualitative,
        (_, Method::StdDev) => SchemeKind::Diverging,
        _ => SchemeKind::Sequential,
    };
    let chosen = match &spec.scheme {
        Some(name) => scheme(name).ok_or_else(|| ChoroplethError::UnknownScheme(name.clone()))?,
        None => default_scheme(kind),
    };
    // Diverging defaults run blue (low) to red (high): ColorBrewer's RdBu is red first.
    let reverse = spec.reverse ^ (spec.scheme.is_none() && kind == SchemeKind::Diverging);
    let (fills, entries, classes) = match &indicator.values {
        Values::Categorical { codes, categories } => {
            let colors = ramp(chosen, categories.len().max(2), spec.reverse);
            let fills = codes
                .iter()
                .map(|c| c.map_or(NODATA, |c| colors[c]))
                .collect();
            let entries = categories
                .iter()
                .enumerate()
                .map(|(i, name)| LegendEntry {
                    color: colors[i],
                    label: name.clone(),
                    count: codes.iter().filter(|&&c| c == Some(i)).count(),
                })
                .collect();
            (fills, entries, None)
        }
        Values::Numeric(values) => {
            let classes = classify(values, &spec.method, spec.classes)?;
            let colors = ramp(chosen, classes.len(), reverse);
            let fills = values
                .iter()
                .map(|v| classes.class_of(*v).map_or(NODATA, |c| colors[c]))
                .collect();
            let entries = class_entries(&classes, &colors, indicator.decimals, lang);
            (fills, entries, Some(classes))
        }
    };
    let nodata_count = match &indicator.values {
        Values::Numeric(values) => values
            .iter()
            .filter(|v| v.is_none_or(|v| !v.is_finite()))
            .count(),
        Values::Categorical { codes, .. } => codes.iter().filter(|c| c.is_none()).count(),
    };
    debug_assert_eq!(regions, indicator.numeric().len());
    let method = classes.as_ref().map(|c| method_line(&spec.method, c, lang));
    Ok(Choropleth {
        fills,
        legend: Legend {
            title: indicator.title(lang),
            method,
            entries,
            nodata: (nodata_count > 0).then(|| LegendEntry {
                color: NODATA,
                label: lang.pick("keine Angabe", "no data").to_owned(),
                count: nodata_count,
            }),
            source: indicator.source.clone(),
            note: indicator.note.as_ref().map(|n| n.get(lang).to_owned()),
        },
        classes,
        scheme: chosen,
    })
}

fn method_line(method: &Method, classes: &Classes, lang: Lang) -> String {
    let mut line = format!(
        "{}, {} {}",
        method.label(lang),
        classes.len(),
        lang.pick("Klassen", "classes")
    );
    if classes.merged() {
        line.push_str(&format!(
            " ({} {})",
            classes.requested,
            lang.pick(
                "verlangt; gleiche Werte zusammengelegt",
                "asked; equal values merged"
            )
        ));
    }
    line
}

/// Legend lines of numeric classes: "lower – upper" in the language's number format.
pub fn class_entries(
    classes: &Classes,
    colors: &[Rgba],
    decimals: usize,
    lang: Lang,
) -> Vec<LegendEntry> {
    (0..classes.len())
        .map(|i| {
            let (lower, upper) = (classes.breaks[i], classes.breaks[i + 1]);
            let label = if lower == upper {
                format_number(lower, decimals, lang)
            } else {
                format!(
                    "{} – {}",
                    format_number(lower, decimals, lang),
                    format_number(upper, decimals, lang)
                )
            };
            LegendEntry {
                color: colors[i],
                label,
                count: classes.counts[i],
            }
        })
        .collect()
}

/// A ready-made map reproducing one of the expert report's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Identifier, e.g. `abb14`.
    pub key: &'static str,
    /// Title in German.
    pub title_de: &'static str,
    /// Title in English.
    pub title_en: &'static str,
    /// The map.
    pub spec: ChoroplethSpec,
    /// How this map differs from the report's, in German.
    pub note_de: &'static str,
    /// The same in English.
    pub note_en: &'static str,
}

impl Preset {
    /// The title in a language.
    pub fn title(&self, lang: Lang) -> &'static str {
        lang.pick(self.title_de, self.title_en)
    }

    /// How this map differs from the report's, in a language.
    pub fn note(&self, lang: Lang) -> &'static str {
        lang.pick(self.note_de, self.note_en)
    }

    /// Puts the preset's note in front of the legend's own note.
    pub fn annotate(&self, legend: &mut Legend, lang: Lang) {
        let note = self.note(lang);
        legend.note = Some(match legend.note.take() {
            Some(existing) => format!("{note} {existing}"),
            None => note.to_owned(),
        });
    }
}

/// The report's Abbildungen 14–16 as presets.
pub fn presets() -> Vec<Preset> {
    let kreis = |field: &str| ChoroplethSpec {
        level: Level::Kreis,
        field: field.to_owned(),
        method: Method::Jenks,
        classes: 5,
        scheme: None,
        reverse: false,
    };
    vec![
        Preset {
            key: "abb14",
            title_de: "Abb. 14: Gebietsfläche (ha) der Kreise und kreisfreien Städte",
            title_en: "Fig. 14: Area (ha) of the districts and district-free cities",
            spec: kreis("area_ha"),
            note_de: "Gutachten: IT.NRW, Stand 31.12.2017, 54 Einheiten (Stadt Aachen getrennt); hier Fläche aus der DVG2-Geometrie, 53 Einheiten (StädteRegion Aachen mit Stadt Aachen).",
            note_en: "Report: IT.NRW, as of 31 Dec 2017, 54 units (city of Aachen separate); here area from the DVG2 geometry, 53 units (StädteRegion Aachen including the city of Aachen).",
        },
        Preset {
            key: "abb15",
            title_de: "Abb. 15: Einwohnerzahl der Kreise und kreisfreien Städte",
            title_en: "Fig. 15: Population of the districts and district-free cities",
            spec: kreis("population"),
            note_de: "Gutachten: IT.NRW, 31.12.2019; hier Destatis GV-ISys, 31.12.2019 (dieselbe Fortschreibung).",
            note_en: "Report: IT.NRW, 31 Dec 2019; here Destatis GV-ISys, 31 Dec 2019 (the same population update).",
        },
        Preset {
            key: "abb16",
            title_de: "Abb. 16: Anteil der Bevölkerung mit Migrationshintergrund in den Kreisen und kreisfreien Städten",
            title_en: "Fig. 16: Share of the population with migration background in the districts and district-free cities",
            spec: kreis("migration_background_pct"),
            note_de: "Gutachten: Mikrozensus 2019 (NRW 30,1 %); hier Zensus 2022 (NRW 24,7 %) – anderes Erhebungskonzept, Werte nicht direkt vergleichbar.",
            note_en: "Report: Mikrozensus 2019 (NRW 30.1 %); here Census 2022 (NRW 24.7 %) – a different survey concept, values not directly comparable.",
        },
    ]
}

/// The preset with this key.
pub fn preset(key: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .find(|p| p.key.eq_ignore_ascii_case(key))
}
