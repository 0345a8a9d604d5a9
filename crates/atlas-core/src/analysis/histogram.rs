//! Histograms of an indicator: equal-width bins between its minimum and maximum, with the
//! regions of each bin, so a bin can be selected. Bins are closed below and open above, the last
//! one closed on both sides; no-data values are counted apart, never dropped silently.

/// The bins of a histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// The bin edges, ascending: one more than there are bins.
    pub edges: Vec<f64>,
    /// The regions (indices) in each bin.
    pub members: Vec<Vec<usize>>,
    /// Regions without a value.
    pub nodata: usize,
}

impl Histogram {
    /// The number of regions in each bin.
    pub fn counts(&self) -> Vec<usize> {
        self.members.iter().map(Vec::len).collect()
    }
}

/// Sturges' rule for the number of bins of `n` values (at least 5, at most 30).
pub fn default_bins(n: usize) -> usize {
    // ⌈log₂ n⌉ in integers: the bit length of n − 1.
    let log2_ceil = (usize::BITS - n.saturating_sub(1).leading_zeros()) as usize;
    let sturges = log2_ceil + 1;
    sturges.clamp(5, 30)
}

/// The histogram of values in `bins` equal-width bins (at least 1); `None` if no value is given.
/// A constant field gets one bin of width 1 around its value.
pub fn histogram(values: &[Option<f64>], bins: usize) -> Option<Histogram> {
    let valid = || values.iter().flatten().copied().filter(|v| v.is_finite());
    let min = valid().fold(f64::INFINITY, f64::min);
    let max = valid().fold(f64::NEG_INFINITY, f64::max);
    if !min.is_finite() {
        return None;
    }
    let (bins, lo, hi) = if max > min {
        (bins.max(1), min, max)
    } else {
        (1, min - 0.5, min + 0.5)
    };
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64).collect();
    let mut members = vec![Vec::new(); bins];
    let mut nodata = 0;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => {
                #[allow(
                    clippy::cast_possible_truncation,
                    reason = "non-negative and capped at the last bin"
                )]
                let bin = (((v - lo) / width).floor().max(0.0) as usize).min(bins - 1);
                members[bin].push(i);
            }
            _ => nodata += 1,
        }
    }
    Some(Histogram {
        edges,
        members,
        nodata,
    })
}

/// The regions whose value lies in `[lo, hi]`.
pub fn in_range(values: &[Option<f64>], lo: f64, hi: f64) -> Vec<usize> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|v| v >= lo && v <= hi))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_into_equal_bins_with_the_maximum_in_the_last() {
        let values = [
            Some(0.0),
            Some(1.0),
            Some(2.5),
            Some(10.0),
            None,
            Some(f64::NAN),
        ];
        let h = histogram(&values, 4).unwrap();
        assert_eq!(h.edges, vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(h.members, vec![vec![0, 1], vec![2], vec![], vec![3]]);
        assert_eq!(h.counts(), vec![2, 1, 0, 1]);
        assert_eq!(h.nodata, 2);
    }

    #[test]
    fn constant_and_empty_fields() {
        let h = histogram(&[Some(3.0), Some(3.0)], 5).unwrap();
        assert_eq!(h.edges, vec![2.5, 3.5]);
        assert_eq!(h.counts(), vec![2]);
        assert!(histogram(&[None, None], 5).is_none());
        assert_eq!(default_bins(396), 10);
        assert_eq!(default_bins(53), 7);
        assert_eq!(in_range(&[Some(1.0), Some(5.0), None], 0.0, 2.0), vec![0]);
    }
}
