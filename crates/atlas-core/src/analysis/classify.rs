//! Classification of a numeric field into classes: quantile, equal interval, natural breaks
//! (Fisher-Jenks, exact), standard deviation, manual breaks, and GeoDa's box map and percentile
//! map (six fixed classes, see [`Extremes`] and [`crate::analysis::extremes`]).
//!
//! Classes are closed above: class `i` holds values in `(breaks[i], breaks[i + 1]]`, the first
//! class also holds `breaks[0]`. Missing values (`None`, NaN) are counted as no-data, never
//! dropped silently. Breaks that coincide (ties, constant fields) are merged, so a result can have
//! fewer classes than asked for; [`Classes::merged`] says so.

use crate::i18n::{Lang, Localized};

use std::fmt;
use std::str::FromStr;

/// The fewest and most classes offered.
pub const CLASS_RANGE: std::ops::RangeInclusive<usize> = 2..=9;

/// How class breaks are found.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Equal counts per class.
    Quantile,
    /// Equal widths between minimum and maximum.
    EqualInterval,
    /// Natural breaks: the partition with the least within-class squared deviation (exact).
    Jenks,
    /// Classes one standard deviation wide, centred on the mean.
    StdDev,
    /// Breaks given by the user (the inner ones, ascending).
    Manual(Vec<f64>),
    /// GeoDa's box map: lower outliers, < Q1, Q1–median, median–Q3, > Q3, upper outliers, with
    /// fences `hinge` × IQR beyond the quartiles.
    BoxMap(Hinge),
    /// GeoDa's percentile map: < 1 %, 1–10 %, 10–50 %, 50–90 %, 90–99 %, > 99 %.
    Percentile,
}

/// The multiple of the inter-quartile range that fences a box map's outliers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Hinge {
    /// 1.5 × IQR (GeoDa's default).
    #[default]
    OneAndHalf,
    /// 3.0 × IQR.
    Three,
}

impl Hinge {
    /// The multiple.
    pub fn factor(self) -> f64 {
        match self {
            Hinge::OneAndHalf => 1.5,
            Hinge::Three => 3.0,
        }
    }
}

/// Which of GeoDa's six-class maps a classification is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extremes {
    /// A box map (classes 0 and 5 are the outliers).
    BoxMap(Hinge),
    /// A percentile map.
    Percentile,
}

impl Method {
    /// The identifier used on the command line.
    pub fn key(&self) -> &'static str {
        match self {
            Method::Quantile => "quantile",
            Method::EqualInterval => "equal",
            Method::Jenks => "jenks",
            Method::StdDev => "stddev",
            Method::Manual(_) => "manual",
            Method::BoxMap(Hinge::OneAndHalf) => "boxmap",
            Method::BoxMap(Hinge::Three) => "boxmap3",
            Method::Percentile => "percentile",
        }
    }

    /// A name for people.
    pub fn label(&self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Method::Quantile => lang.pick("Quantile", "Quantiles"),
            Method::EqualInterval => lang.pick("Gleiche Intervalle", "Equal intervals"),
            Method::Jenks => lang.pick("Natürliche Brüche (Jenks)", "Natural breaks (Jenks)"),
            Method::StdDev => lang.pick("Standardabweichung", "Standard deviation"),
            Method::Manual(_) => lang.pick("Manuell", "Manual"),
            Method::BoxMap(Hinge::OneAndHalf) => {
                lang.pick("Box-Map (Hinge 1,5)", "Box map (hinge 1.5)")
            }
            Method::BoxMap(Hinge::Three) => lang.pick("Box-Map (Hinge 3,0)", "Box map (hinge 3.0)"),
            Method::Percentile => lang.pick("Perzentilkarte", "Percentile map"),
        }
    }

    /// GeoDa's six fixed classes, for the box and percentile maps.
    pub fn extremes(&self) -> Option<Extremes> {
        match self {
            Method::BoxMap(hinge) => Some(Extremes::BoxMap(*hinge)),
            Method::Percentile => Some(Extremes::Percentile),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Method {
    type Err = ClassifyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "quantile" => Ok(Method::Quantile),
            "equal" | "equal-interval" => Ok(Method::EqualInterval),
            "jenks" | "natural" => Ok(Method::Jenks),
            "stddev" | "sd" => Ok(Method::StdDev),
            "manual" => Ok(Method::Manual(Vec::new())),
            "boxmap" | "box" | "hinge15" => Ok(Method::BoxMap(Hinge::OneAndHalf)),
            "boxmap3" | "hinge30" => Ok(Method::BoxMap(Hinge::Three)),
            "percentile" => Ok(Method::Percentile),
            _ => Err(ClassifyError::UnknownMethod(s.to_owned())),
        }
    }
}

/// Why a field could not be classified.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassifyError {
    /// The method name is not one of ours.
    #[error(
        "unknown method {0:?}; use quantile, equal, jenks, stddev, manual, boxmap, boxmap3 or percentile"
    )]
    UnknownMethod(String),
    /// The number of classes is out of range.
    #[error("{0} classes asked for; choose between 2 and 9")]
    ClassCount(usize),
    /// Every value is missing.
    #[error("the field has no values to classify (all {0} are missing)")]
    NoValues(usize),
    /// Manual breaks are missing, unsorted or not numbers.
    #[error("manual breaks {0}; give ascending numbers such as 100,200,500")]
    BadBreaks(BreaksProblem),
}

/// What is wrong with manual breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreaksProblem {
    /// Fewer than 1 or more than 8 inner breaks.
    Count,
    /// No breaks at all.
    Missing,
    /// A break is NaN or infinite.
    NotANumber,
    /// The breaks do not rise strictly.
    NotAscending,
}

impl BreaksProblem {
    /// The problem in `lang`, as the end of "manual breaks …".
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            BreaksProblem::Count => lang.pick(
                "müssen 1 bis 8 innere Grenzen sein",
                "give 1 to 8 inner breaks",
            ),
            BreaksProblem::Missing => lang.pick("fehlen", "are missing"),
            BreaksProblem::NotANumber => lang.pick(
                "enthalten einen Wert, der keine Zahl ist",
                "contain a value that is not a number",
            ),
            BreaksProblem::NotAscending => {
                lang.pick("steigen nicht streng an", "are not strictly ascending")
            }
        }
    }
}

impl std::fmt::Display for BreaksProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text(Lang::En))
    }
}

impl Localized for ClassifyError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (ClassifyError::UnknownMethod(m), Lang::De) => {
                format!(
                    "unbekannte Methode {m:?}; möglich sind quantile, equal, jenks, stddev, manual, boxmap, boxmap3 und percentile"
                )
            }
            (ClassifyError::ClassCount(n), Lang::De) => {
                format!("{n} Klassen gewünscht; wählen Sie 2 bis 9")
            }
            (ClassifyError::NoValues(n), Lang::De) => {
                format!("das Merkmal hat keine Werte zum Klassifizieren (alle {n} fehlen)")
            }
            (ClassifyError::BadBreaks(p), Lang::De) => format!(
                "manuelle Grenzen {}; geben Sie aufsteigende Zahlen an, z. B. 100; 200; 500",
                p.text(Lang::De)
            ),
        }
    }
}

/// The result of classifying a field.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// Class bounds, ascending: `k + 1` values from the minimum to the maximum.
    pub breaks: Vec<f64>,
    /// How many values fall in each class.
    pub counts: Vec<usize>,
    /// How many values are missing.
    pub nodata: usize,
    /// The number of classes asked for (more than `counts.len()` when breaks merged).
    pub requested: usize,
    /// For a box or percentile map: which, and its five cuts (`breaks[1..6]`) assign values as
    /// GeoDa does (see [`Classes::class_of`]).
    pub extremes: Option<Extremes>,
}

impl Classes {
    /// The number of classes.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when there are no classes (never, for a successful classification).
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// True when ties or a constant field gave fewer classes than asked for.
    pub fn merged(&self) -> bool {
        self.len() < self.requested
    }

    /// The class of a value, or `None` for a missing value. Classes are closed above; for a box
    /// or percentile map the cuts `c0…c4` assign as GeoDa does: `v < c0` → 0, `v < c1` → 1,
    /// `v < c2` → 2, `v ≤ c3` → 3, `v ≤ c4` → 4, else 5.
    pub fn class_of(&self, value: Option<f64>) -> Option<usize> {
        let value = value.filter(|v| v.is_finite())?;
        if self.extremes.is_some() {
            let cuts = &self.breaks[1..6];
            let class = if value < cuts[0] {
                0
            } else if value < cuts[1] {
                1
            } else if value < cuts[2] {
                2
            } else if value <= cuts[3] {
                3
            } else if value <= cuts[4] {
                4
            } else {
                5
            };
            return Some(class);
        }
        let last = self.len().saturating_sub(1);
        Some(
            self.breaks[1..]
                .iter()
                .position(|&upper| value <= upper)
                .unwrap_or(last)
                .min(last),
        )
    }
}

impl Classes {
    /// The same classes counted over other values (e.g. one year of a series classified over
    /// all years): breaks kept, counts and no-data recounted.
    pub fn recount(&self, values: &[Option<f64>]) -> Classes {
        let mut classes = Classes {
            counts: vec![0; self.counts.len()],
            nodata: 0,
            ..self.clone()
        };
        for value in values {
            match classes.class_of(*value) {
                Some(class) => classes.counts[class] += 1,
                None => classes.nodata += 1,
            }
        }
        classes
    }
}

/// Classifies `values` into `k` classes with `method` (box and percentile maps always make six).
pub fn classify(
    values: &[Option<f64>],
    method: &Method,
    k: usize,
) -> Result<Classes, ClassifyError> {
    let mut sorted: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let nodata = values.len() - sorted.len();
    if sorted.is_empty() {
        return Err(ClassifyError::NoValues(values.len()));
    }
    sorted.sort_by(f64::total_cmp);
    if let Some(extremes) = method.extremes() {
        let cuts = crate::analysis::extremes::cuts(&sorted, extremes);
        let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
        let mut breaks = vec![min.min(cuts[0])];
        breaks.extend(cuts);
        breaks.push(max.max(cuts[4]));
        let classes = Classes {
            breaks,
            counts: vec![0; 6],
            nodata,
            requested: 6,
            extremes: Some(extremes),
        };
        return Ok(classes.recount(values));
    }
    let requested = match method {
        Method::Manual(inner) => inner.len() + 1,
        _ => k,
    };
    if !CLASS_RANGE.contains(&requested) {
        return Err(match method {
            Method::Manual(_) => ClassifyError::BadBreaks(BreaksProblem::Count),
            _ => ClassifyError::ClassCount(requested),
        });
    }
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let inner = match method {
        Method::Quantile => quantile_breaks(&sorted, k),
        Method::EqualInterval => (1..k)
            .map(|i| min + (max - min) * i as f64 / k as f64)
            .collect(),
        Method::Jenks => jenks_breaks(&sorted, k),
        Method::StdDev => stddev_breaks(&sorted, k),
        Method::Manual(inner) => manual_breaks(inner)?,
        Method::BoxMap(_) | Method::Percentile => Vec::new(),
    };
    let keep_empty = matches!(method, Method::Manual(_));
    let breaks = assemble_breaks(min, max, &inner, keep_empty);
    let mut classes = Classes {
        counts: vec![0; breaks.len() - 1],
        breaks,
        nodata,
        requested,
        extremes: None,
    };
    for &v in &sorted {
        if let Some(class) = classes.class_of(Some(v)) {
            classes.counts[class] += 1;
        }
    }
    Ok(classes)
}

/// `[min, inner…, max]`, ascending, without duplicates; inner breaks outside the data range are
/// dropped unless `keep_outside` (manual breaks keep the user's classes, empty or not).
fn assemble_breaks(min: f64, max: f64, inner: &[f64], keep_outside: bool) -> Vec<f64> {
    let mut breaks = vec![min];
    for &b in inner {
        let last = breaks[breaks.len() - 1];
        // A break at the minimum itself (a tie block of the smallest value) closes the first
        // class on that value; any other break must lie strictly above the previous one.
        let tie_block_at_min = breaks.len() == 1 && b == min && min < max;
        let inside = b > min && b < max;
        if tie_block_at_min || ((inside || keep_outside) && b > last) {
            breaks.push(b);
        }
    }
    if max > *breaks.last().unwrap_or(&f64::NEG_INFINITY) || breaks.len() == 1 {
        breaks.push(max);
    }
    breaks
}

/// Upper bounds of equal-count classes: the value at rank ⌈i·n/k⌉ for i = 1…k−1.
fn quantile_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len();
    (1..k)
        .map(|i| {
            let rank = (i * n).div_ceil(k).max(1);
            sorted[rank - 1]
        })
        .collect()
}

fn stddev_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let n = sorted.len() as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let variance = sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let sd = variance.sqrt();
    (1..k)
        .map(|j| mean + (j as f64 - k as f64 / 2.0) * sd)
        .collect()
}

fn manual_breaks(inner: &[f64]) -> Result<Vec<f64>, ClassifyError> {
    if inner.is_empty() {
        return Err(ClassifyError::BadBreaks(BreaksProblem::Missing));
    }
    if inner.iter().any(|b| !b.is_finite()) {
        return Err(ClassifyError::BadBreaks(BreaksProblem::NotANumber));
    }
    if inner.windows(2).any(|w| w[0] >= w[1]) {
        return Err(ClassifyError::BadBreaks(BreaksProblem::NotAscending));
    }
    Ok(inner.to_vec())
}

/// Exact natural breaks (Fisher 1958, as Jenks): dynamic programming over the distinct values,
/// weighted by how often each occurs, minimising the within-class sum of squared deviations.
/// Returns the upper bound of each class but the last (data values, as jenkspy does).
fn jenks_breaks(sorted: &[f64], k: usize) -> Vec<f64> {
    let mut values: Vec<f64> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for &v in sorted {
        if values.last() == Some(&v) {
            *weights.last_mut().unwrap_or(&mut 0.0) += 1.0;
        } else {
            values.push(v);
            weights.push(1.0);
        }
    }
    let m = values.len();
    let k = k.min(m);
    if k < 2 {
        return Vec::new();
    }
    // Prefix sums of weight, weight·x and weight·x² give each class's squared deviation in O(1).
    let mut w = vec![0.0; m + 1];
    let mut wx = vec![0.0; m + 1];
    let mut wxx = vec![0.0; m + 1];
    for i in 0..m {
        w[i + 1] = w[i] + weights[i];
        wx[i + 1] = wx[i] + weights[i] * values[i];
        wxx[i + 1] = wxx[i] + weights[i] * values[i] * values[i];
    }
    // Squared deviation of the class holding distinct values a..b (inclusive).
    let ssd = |a: usize, b: usize| {
        let (sw, sx, sxx) = (w[b + 1] - w[a], wx[b + 1] - wx[a], wxx[b + 1] - wxx[a]);
        (sxx - sx * sx / sw).max(0.0)
    };
    // cost[c][b]: best cost of c+1 classes over values 0..=b; start[c][b]: first value of the last class.
    let mut cost = vec![vec![f64::INFINITY; m]; k];
    let mut start = vec![vec![0usize; m]; k];
    for (b, first) in cost[0].iter_mut().enumerate() {
        *first = ssd(0, b);
    }
    for c in 1..k {
        for b in c..m {
            for a in c..=b {
                let candidate = cost[c - 1][a - 1] + ssd(a, b);
                if candidate < cost[c][b] {
                    cost[c][b] = candidate;
                    start[c][b] = a;
                }
            }
        }
    }
    let mut uppers = Vec::with_capacity(k - 1);
    let mut b = m - 1;
    for c in (1..k).rev() {
        let a = start[c][b];
        uppers.push(values[a - 1]);
        b = a - 1;
    }
    uppers.reverse();
    uppers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_breaks_read_in_both_languages() {
        let err = ClassifyError::BadBreaks(BreaksProblem::NotAscending);
        assert_eq!(
            err.to_string(),
            "manual breaks are not strictly ascending; give ascending numbers such as 100,200,500"
        );
        assert_eq!(err.localized(Lang::En), err.to_string());
        assert!(
            err.localized(Lang::De)
                .starts_with("manuelle Grenzen steigen nicht streng an")
        );
    }

    fn some(values: &[f64]) -> Vec<Option<f64>> {
        values.iter().copied().map(Some).collect()
    }

    #[test]
    fn jenks_matches_the_jenkspy_readme_example() {
        // jenkspy README: jenks_breaks([1.3, 7.1, …], n_classes=3) == [1.2, 2.3, 5.0, 7.8].
        let data = some(&[1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3]);
        let classes = classify(&data, &Method::Jenks, 3).unwrap();
        assert_eq!(classes.breaks, vec![1.2, 2.3, 5.0, 7.8]);
        assert_eq!(classes.counts, vec![3, 5, 4]);
    }

    #[test]
    fn jenks_finds_obvious_clusters() {
        let data = some(&[1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 20.0, 21.0, 22.0]);
        let classes = classify(&data, &Method::Jenks, 3).unwrap();
        assert_eq!(classes.breaks, vec![1.0, 3.0, 12.0, 22.0]);
    }

    #[test]
    fn quantile_counts_are_equal_for_distinct_values() {
        let data = some(&(1..=20).map(f64::from).collect::<Vec<_>>());
        let classes = classify(&data, &Method::Quantile, 4).unwrap();
        assert_eq!(classes.counts, vec![5, 5, 5, 5]);
        assert_eq!(classes.breaks, vec![1.0, 5.0, 10.0, 15.0, 20.0]);
    }

    #[test]
    fn ties_merge_breaks_and_keep_counts_right() {
        let data = some(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0]);
        let classes = classify(&data, &Method::Quantile, 4).unwrap();
        // The six 1s form the closed first class [1, 1]; the rest share (1, 3].
        assert_eq!(classes.breaks, vec![1.0, 1.0, 3.0]);
        assert_eq!(classes.counts, vec![6, 2]);
        assert!(classes.merged());
        assert_eq!(classes.counts.iter().sum::<usize>(), 8);
    }

    #[test]
    fn constant_field_is_one_class() {
        for method in [
            Method::Quantile,
            Method::EqualInterval,
            Method::Jenks,
            Method::StdDev,
        ] {
            let classes = classify(&some(&[7.0; 5]), &method, 5).unwrap();
            assert_eq!(classes.breaks, vec![7.0, 7.0], "{method}");
            assert_eq!(classes.counts, vec![5], "{method}");
        }
    }

    #[test]
    fn missing_values_are_counted_as_nodata() {
        let data = vec![Some(1.0), None, Some(f64::NAN), Some(3.0), Some(-2.0)];
        let classes = classify(&data, &Method::EqualInterval, 2).unwrap();
        assert_eq!(classes.nodata, 2);
        assert_eq!(classes.breaks, vec![-2.0, 0.5, 3.0]);
        assert_eq!(classes.counts, vec![1, 2]);
        assert_eq!(classes.class_of(None), None);
        assert_eq!(classes.class_of(Some(-2.0)), Some(0));
        assert_eq!(
            classify(&[None, None], &Method::Jenks, 3),
            Err(ClassifyError::NoValues(2))
        );
    }

    #[test]
    fn manual_breaks_keep_empty_classes() {
        let data = some(&[5.0, 15.0, 25.0, 35.0]);
        let classes = classify(&data, &Method::Manual(vec![10.0, 20.0, 100.0]), 0).unwrap();
        assert_eq!(classes.breaks, vec![5.0, 10.0, 20.0, 100.0]);
        assert_eq!(classes.counts, vec![1, 1, 2]);
        let unsorted = classify(&data, &Method::Manual(vec![20.0, 10.0]), 0);
        assert!(matches!(unsorted, Err(ClassifyError::BadBreaks(_))));
    }

    #[test]
    fn stddev_classes_centre_on_the_mean() {
        // Mean 0, population sd 2 → with 4 classes, breaks at −2, 0, 2.
        let data = some(&[-2.0, -2.0, 2.0, 2.0, -4.0 + 2.0, 2.0]);
        let classes = classify(&data, &Method::StdDev, 4).unwrap();
        assert!(classes.breaks.contains(&0.0), "{:?}", classes.breaks);
        assert_eq!(classes.counts.iter().sum::<usize>(), 6);
    }

    #[test]
    fn class_counts_out_of_range_are_refused() {
        assert_eq!(
            classify(&some(&[1.0, 2.0]), &Method::Quantile, 1),
            Err(ClassifyError::ClassCount(1))
        );
        assert_eq!(
            classify(&some(&[1.0, 2.0]), &Method::Quantile, 10),
            Err(ClassifyError::ClassCount(10))
        );
    }
}
