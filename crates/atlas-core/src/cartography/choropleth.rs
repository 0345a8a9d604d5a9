//! Thematic maps: an indicator, classified and coloured, with its legend. The window, the command
//! line and the exporters all build their classes here, so the legend always matches.

use crate::analysis::classify::{Classes, ClassifyError, Method, classify};
use crate::analysis::indicators::{Indicator, IndicatorSet, Values};
use crate::cartography::palette::Rgba;
use crate::cartography::palette::{NODATA, Scheme, SchemeKind, default_scheme, ramp, scheme};
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

impl crate::i18n::Localized for ChoroplethError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChoroplethError::Classify(e), _) => e.localized(lang),
            (_, Lang::En) => self.to_string(),
            (
                ChoroplethError::UnknownField {
                    field,
                    level,
                    available,
                },
                Lang::De,
            ) => format!("unbekanntes Merkmal {field:?} auf Ebene {level}; vorhanden: {available}"),
            (ChoroplethError::UnknownScheme(s), Lang::De) => format!(
                "unbekannte Farbpalette {s:?}; z. B. YlGnBu, YlOrRd, Blues, RdBu, BrBG, Set2, Dark2"
            ),
        }
    }
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
