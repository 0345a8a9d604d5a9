//! The cuts of GeoDa's extreme-value maps (Anselin 1994), computed as GeoDa computes them
//! (`GenUtils.cpp`: `HingeStats::CalculateHingeStats` and `Gda::percentile`).
//!
//! **Box map quartiles** (GeoDa's own rule, not a percentile interpolation): for `N` sorted values
//! with 0-based positions, the median sits at `(N+1)/2 − 1`; the quartiles at `(N+2)/4 − 1` and
//! `(3N+2)/4 − 1` for even `N`, at `(N+3)/4 − 1` and `(3N+1)/4 − 1` for odd `N`. A fractional
//! position takes the mean of the two values around it. The fences are `Q1 − h·IQR` and
//! `Q3 + h·IQR` with the hinge `h` = 1.5 or 3.0.
//!
//! **Percentiles**: value `i` (0-based) of the sorted values sits at percent
//! `p_i = 100/N · (i + 0.5)`; below `p_0` the minimum, above `p_{N−1}` the maximum, between two
//! positions linear interpolation. So for `[15, 20, 35, 40, 50]`: P1 = P10 = 15, P11 = 15.25,
//! P50 = 35, P89 = 49.5, P90 = P99 = 50 (GeoDa's own test values).

use crate::analysis::classify::Extremes;

/// The five cuts of a box map (lower fence, Q1, median, Q3, upper fence) or a percentile map
/// (P1, P10, P50, P90, P99) of `sorted` (ascending, finite, not empty).
pub fn cuts(sorted: &[f64], extremes: Extremes) -> [f64; 5] {
    match extremes {
        Extremes::BoxMap(hinge) => {
            let h = hinge_stats(sorted);
            let reach = hinge.factor() * (h.q3 - h.q1);
            [h.q1 - reach, h.q1, h.median, h.q3, h.q3 + reach]
        }
        Extremes::Percentile => [1.0, 10.0, 50.0, 90.0, 99.0].map(|p| percentile(p, sorted)),
    }
}

/// The quartiles and median of GeoDa's box map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HingeStats {
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
}

/// GeoDa's quartiles of `sorted` (ascending, not empty).
pub fn hinge_stats(sorted: &[f64]) -> HingeStats {
    let n = sorted.len() as f64;
    let (q1_at, q3_at) = if sorted.len().is_multiple_of(2) {
        ((n + 2.0) / 4.0 - 1.0, (3.0 * n + 2.0) / 4.0 - 1.0)
    } else {
        ((n + 3.0) / 4.0 - 1.0, (3.0 * n + 1.0) / 4.0 - 1.0)
    };
    let median_at = (n + 1.0) / 2.0 - 1.0;
    let at = |position: f64| {
        let last = sorted.len() - 1;
        let low = position.floor().clamp(0.0, last as f64);
        let high = position.ceil().clamp(0.0, last as f64);
        #[allow(
            clippy::cast_possible_truncation,
            reason = "positions are clamped to the index range"
        )]
        let (low, high) = (low as usize, high as usize);
        (sorted[low] + sorted[high]) / 2.0
    };
    HingeStats {
        q1: at(q1_at),
        median: at(median_at),
        q3: at(q3_at),
    }
}

/// GeoDa's percentile `x` (0–100) of `sorted` (ascending, not empty).
pub fn percentile(x: f64, sorted: &[f64]) -> f64 {
    let n = sorted.len();
    let nf = n as f64;
    let position = |i: usize| 100.0 / nf * (i as f64 + 0.5);
    if x <= position(0) {
        return sorted[0];
    }
    if x >= position(n - 1) {
        return sorted[n - 1];
    }
    for i in 1..n {
        let p = position(i);
        if x == p {
            return sorted[i];
        }
        if x < p {
            let before = position(i - 1);
            return sorted[i - 1] + nf * ((x - before) / 100.0) * (sorted[i] - sorted[i - 1]);
        }
    }
    sorted[n - 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::classify::{Hinge, Method, classify};

    #[test]
    fn percentiles_match_geodas_own_test_values() {
        let v = [15.0, 20.0, 35.0, 40.0, 50.0];
        assert_eq!(percentile(1.0, &v), 15.0);
        assert_eq!(percentile(10.0, &v), 15.0);
        assert!((percentile(11.0, &v) - 15.25).abs() < 1e-12);
        assert_eq!(percentile(50.0, &v), 35.0);
        assert!((percentile(89.0, &v) - 49.5).abs() < 1e-12);
        assert_eq!(percentile(90.0, &v), 50.0);
        assert_eq!(percentile(99.0, &v), 50.0);
    }

    #[test]
    fn quartiles_by_hand_for_odd_and_even_counts() {
        // N = 7 (odd): Q1 at (7+3)/4−1 = 1.5 → (2+3)/2; median at 3 → 4; Q3 at (21+1)/4−1 = 4.5 → (5+6)/2.
        let odd = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 100.0];
        assert_eq!(
            hinge_stats(&odd),
            HingeStats {
                q1: 2.5,
                median: 4.0,
                q3: 5.5
            }
        );
        // N = 8 (even): Q1 at (8+2)/4−1 = 1.5 → (2+3)/2; median at 3.5 → (4+5)/2; Q3 at (24+2)/4−1 = 5.5 → (6+7)/2.
        let even = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        assert_eq!(
            hinge_stats(&even),
            HingeStats {
                q1: 2.5,
                median: 4.5,
                q3: 6.5
            }
        );
    }

    #[test]
    fn box_map_fences_and_classes_by_hand() {
        // Q1 2.5, Q3 5.5, IQR 3: fences 2.5 − 4.5 = −2 and 5.5 + 4.5 = 10 (hinge 1.5);
        // −9 and 14.5 (hinge 3).
        let data: Vec<Option<f64>> = [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 100.0]
            .into_iter()
            .map(Some)
            .collect();
        // N = 8: Q1 = (1+2)/2 = 1.5, median = (3+4)/2 = 3.5, Q3 = (5+6)/2 = 5.5, IQR 4.
        let classes = classify(&data, &Method::BoxMap(Hinge::OneAndHalf), 5).unwrap();
        assert_eq!(classes.breaks, vec![-5.0, -4.5, 1.5, 3.5, 5.5, 11.5, 100.0]);
        // −5 < −4.5: lower outlier; 1 < 1.5; 2, 3 < 3.5; 4, 5 ≤ 5.5; 6 ≤ 11.5; 100 upper outlier.
        assert_eq!(classes.counts, vec![1, 1, 2, 2, 1, 1]);
        let three = classify(&data, &Method::BoxMap(Hinge::Three), 5).unwrap();
        assert_eq!(three.breaks[1], 1.5 - 12.0);
        assert_eq!(three.breaks[5], 5.5 + 12.0);
        assert_eq!(three.counts, vec![0, 2, 2, 2, 1, 1]);
        assert_eq!(
            classes.class_of(Some(3.5)),
            Some(3),
            "the median belongs to median–Q3"
        );
        assert_eq!(classes.class_of(Some(5.5)), Some(3), "Q3 closes median–Q3");
    }

    #[test]
    fn percentile_classes_by_hand() {
        // 1…100: value i sits at i + 0.5 %, so P1 = 1 + 100·(1 − 0.5)/100·(2 − 1) = 1.5,
        // P10 = 10 + 0.5 = 10.5, P50 = 50.5, P90 = 90.5, P99 = 99.5.
        let data: Vec<Option<f64>> = (1..=100).map(|v| Some(f64::from(v))).collect();
        let classes = classify(&data, &Method::Percentile, 5).unwrap();
        assert_eq!(classes.breaks[1..6], [1.5, 10.5, 50.5, 90.5, 99.5]);
        // < 1.5: 1; < 10.5: 2…10; < 50.5: 11…50; ≤ 90.5: 51…90; ≤ 99.5: 91…99; above: 100.
        assert_eq!(classes.counts, vec![1, 9, 40, 40, 9, 1]);
    }
}
