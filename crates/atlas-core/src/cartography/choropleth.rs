//! Thematic maps: an indicator, classified and coloured, with its legend. The window, the command
//! line and the exporters all build their classes here, so the legend always matches.

use std::borrow::Cow;

use crate::analysis::classify::{Classes, ClassifyError, Extremes, Method, classify};
use crate::analysis::indicators::{ChangeKind, Indicator, IndicatorSet, Values, YearError};
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
    /// Which year of a time series, or the change between two years, and whether the breaks
    /// hold over all years.
    pub time: TimeView,
}

/// The view of a time series a map shows: one year (default: the latest), or the change from
/// one year to another; with breaks fixed over all years so a sequence of years compares.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeView {
    /// The year label; `None` is the indicator's own year (the latest).
    pub year: Option<String>,
    /// Show the change from this year to [`TimeView::year`] instead.
    pub change_from: Option<String>,
    /// How the change is expressed.
    pub change: ChangeKind,
    /// Classify over the values of all years, so each year is coloured with the same breaks.
    pub fixed_breaks: bool,
}

impl TimeView {
    /// The indicator as this view shows it: a year, a change, or itself.
    pub fn apply<'a>(&self, indicator: &'a Indicator) -> Result<Cow<'a, Indicator>, YearError> {
        let to = self
            .year
            .clone()
            .or_else(|| indicator.year.clone())
            .unwrap_or_default();
        match (&self.change_from, &self.year) {
            (Some(from), _) => Ok(Cow::Owned(indicator.change(from, &to, self.change)?)),
            (None, Some(year)) => Ok(Cow::Owned(indicator.at_year(year)?)),
            (None, None) => Ok(Cow::Borrowed(indicator)),
        }
    }

    /// True when the breaks come from all years (a series shown year by year).
    pub fn pools(&self, indicator: &Indicator) -> bool {
        self.fixed_breaks && self.change_from.is_none() && indicator.series.is_some()
    }
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
            time: TimeView::default(),
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
    /// The year or change asked for does not exist.
    #[error(transparent)]
    Year(#[from] YearError),
}

impl crate::i18n::Localized for ChoroplethError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChoroplethError::Classify(e), _) => e.localized(lang),
            (ChoroplethError::Year(e), _) => e.localized(lang),
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
    /// True for the outlier classes of a box map (marked in every legend).
    pub outlier: bool,
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
    /// The attribution line the indicator's licence asks for (INKAR), added to the map's.
    pub attribution: Option<String>,
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
    build_with(atlas, set, spec, lang, None)
}

/// The classes over all years of a series indicator (for [`TimeView::fixed_breaks`]); the
/// window keeps them while the year slider moves, so only the year's values are recounted.
pub fn pooled_classes(
    set: &IndicatorSet,
    spec: &ChoroplethSpec,
) -> Result<Option<Classes>, ChoroplethError> {
    let indicator = indicator(set, spec.level, &spec.field)?;
    match &indicator.series {
        Some(series) if spec.time.pools(indicator) && !indicator.is_categorical() => Ok(Some(
            classify(&series.pooled(), &spec.method, spec.classes)?,
        )),
        _ => Ok(None),
    }
}

/// [`build`], with the classes over all years given when [`TimeView::fixed_breaks`] asks for
/// them (else computed here).
pub fn build_with(
    atlas: &Atlas,
    set: &IndicatorSet,
    spec: &ChoroplethSpec,
    lang: Lang,
    pooled: Option<&Classes>,
) -> Result<Choropleth, ChoroplethError> {
    let base = indicator(set, spec.level, &spec.field)?;
    let shown = spec.time.apply(base)?;
    let indicator: &Indicator = &shown;
    let pooled = match (pooled, spec.time.pools(base)) {
        (_, false) => None,
        (Some(classes), true) => Some(Cow::Borrowed(classes)),
        (None, true) => pooled_classes(set, spec)?.map(Cow::Owned),
    };
    let regions = atlas.regions(spec.level).len();
    let kind = match (&indicator.values, &spec.method) {
        (Values::Categorical { .. }, _) => SchemeKind::Qualitative,
        (_, Method::StdDev | Method::BoxMap(_) | Method::Percentile) => SchemeKind::Diverging,
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
                    outlier: false,
                })
                .collect();
            (fills, entries, None)
        }
        Values::Numeric(values) => {
            let classes = match &pooled {
                Some(pooled) => pooled.recount(values),
                None => classify(values, &spec.method, spec.classes)?,
            };
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
    let method = classes.as_ref().map(|c| {
        let mut line = method_line(&spec.method, c, lang);
        if pooled.is_some() {
            // Short, so the exported legend does not cut it: the breaks hold for every year.
            line.push_str(lang.pick(", feste Grenzen", ", fixed breaks"));
        }
        line
    });
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
                outlier: false,
            }),
            source: indicator.source.clone(),
            note: indicator.note.as_ref().map(|n| n.get(lang).to_owned()),
            attribution: indicator
                .attribution
                .as_ref()
                .map(|a| a.get(lang).to_owned()),
        },
        classes,
        scheme: chosen,
    })
}

fn method_line(method: &Method, classes: &Classes, lang: Lang) -> String {
    if classes.extremes.is_some() {
        return method.label(lang).to_owned();
    }
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

/// Legend lines of numeric classes: "lower – upper" in the language's number format; for box and
/// percentile maps GeoDa's class names with their bounds, outliers marked.
pub fn class_entries(
    classes: &Classes,
    colors: &[Rgba],
    decimals: usize,
    lang: Lang,
) -> Vec<LegendEntry> {
    if let Some(extremes) = classes.extremes {
        return extreme_entries(classes, extremes, colors, decimals, lang);
    }
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
                outlier: false,
            }
        })
        .collect()
}

/// The six classes of a box map ("Ausreißer unten: < −4,5", "< 25 %: −4,5 – 1,5", …) or a
/// percentile map ("< 1 %: < 1,5", …), as GeoDa names them.
fn extreme_entries(
    classes: &Classes,
    extremes: Extremes,
    colors: &[Rgba],
    decimals: usize,
    lang: Lang,
) -> Vec<LegendEntry> {
    let cut = |i: usize| format_number(classes.breaks[i + 1], decimals, lang);
    let names: [&str; 6] = match extremes {
        Extremes::BoxMap(_) => [
            lang.pick("Ausreißer unten", "Lower outliers"),
            "< 25 %",
            "25–50 %",
            "50–75 %",
            "> 75 %",
            lang.pick("Ausreißer oben", "Upper outliers"),
        ],
        Extremes::Percentile => ["< 1 %", "1–10 %", "10–50 %", "50–90 %", "90–99 %", "> 99 %"],
    };
    (0..6)
        .map(|i| {
            let range = match i {
                0 => format!("< {}", cut(0)),
                5 => format!("> {}", cut(4)),
                _ => format!("{} – {}", cut(i - 1), cut(i)),
            };
            LegendEntry {
                color: colors[i],
                label: format!("{}: {range}", names[i]),
                count: classes.counts[i],
                outlier: matches!(extremes, Extremes::BoxMap(_)) && (i == 0 || i == 5),
            }
        })
        .collect()
}
