//! How two indicators go together: Pearson's r, Spearman's rank correlation (ties get their
//! average rank) and the ordinary least-squares line y = a + b·x, over the regions that have
//! both values. Pure functions; no-data (`None`, NaN, infinite) pairs are left out and counted.

/// The regions with both values, and the values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pairs {
    /// Region indices with both values, ascending.
    pub regions: Vec<usize>,
    /// Their x values.
    pub x: Vec<f64>,
    /// Their y values.
    pub y: Vec<f64>,
}

/// The complete pairs of two value lists aligned by region (the shorter list decides the length).
pub fn pairs(x: &[Option<f64>], y: &[Option<f64>]) -> Pairs {
    let mut out = Pairs::default();
    for (i, (a, b)) in x.iter().zip(y).enumerate() {
        if let (Some(a), Some(b)) = (a, b)
            && a.is_finite()
            && b.is_finite()
        {
            out.regions.push(i);
            out.x.push(*a);
            out.y.push(*b);
        }
    }
    out
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Pearson's product-moment correlation; `None` for fewer than two pairs or a constant variable.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// The ranks of values, 1 for the smallest; tied values share the average of their ranks.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1 ..= end: their mean.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation: Pearson's r of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() {
        return None;
    }
    pearson(&ranks(x), &ranks(y))
}

/// A least-squares line y = intercept + slope · x.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// The y at x = 0.
    pub intercept: f64,
    /// The change of y per unit of x.
    pub slope: f64,
}

impl Line {
    /// The y of the line at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

/// The ordinary least-squares line of y on x; `None` for fewer than two pairs or constant x.
pub fn ols(x: &[f64], y: &[f64]) -> Option<Line> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
    }
    (sxx > 0.0).then(|| {
        let slope = sxy / sxx;
        Line {
            intercept: my - slope * mx,
            slope,
        }
    })
}

/// Everything a scatter plot states about two indicators.
#[derive(Clone, Debug, PartialEq)]
pub struct Correlation {
    /// The complete pairs.
    pub pairs: Pairs,
    /// Regions left out because a value is missing.
    pub missing: usize,
    /// Pearson's r.
    pub pearson: Option<f64>,
    /// Spearman's ρ.
    pub spearman: Option<f64>,
    /// The regression line of y on x.
    pub line: Option<Line>,
}

/// Correlation and regression of two value lists aligned by region.
pub fn correlate(x: &[Option<f64>], y: &[Option<f64>]) -> Correlation {
    let pairs = pairs(x, y);
    Correlation {
        missing: x.len().min(y.len()) - pairs.regions.len(),
        pearson: pearson(&pairs.x, &pairs.y),
        spearman: spearman(&pairs.x, &pairs.y),
        line: ols(&pairs.x, &pairs.y),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // By hand: x = 1, 2, 3, 4, 5; y = 2, 4, 5, 4, 5. Means 3 and 4; deviations x: -2 -1 0 1 2,
    // y: -2 0 1 0 1. Sxy = 4+0+0+0+2 = 6, Sxx = 10, Syy = 4+0+1+0+1 = 6.
    // r = 6 / sqrt(60) = 0.774596669…; slope = 0.6, intercept = 4 - 1.8 = 2.2.
    const X: [f64; 5] = [1.0, 2.0, 3.0, 4.0, 5.0];
    const Y: [f64; 5] = [2.0, 4.0, 5.0, 4.0, 5.0];

    #[test]
    fn pearson_and_ols_match_the_hand_computation() {
        let r = pearson(&X, &Y).unwrap();
        assert!((r - 6.0 / 60f64.sqrt()).abs() < 1e-12, "{r}");
        let line = ols(&X, &Y).unwrap();
        assert!((line.slope - 0.6).abs() < 1e-12 && (line.intercept - 2.2).abs() < 1e-12);
        assert!((line.at(10.0) - 8.2).abs() < 1e-12);
    }

    #[test]
    fn ties_get_average_ranks_and_spearman_matches_by_hand() {
        // y ranks: 2→1, 4,4→2.5,2.5, 5,5,5 … here y = 2 4 5 4 5 → 1, 2.5, 4.5, 2.5, 4.5.
        assert_eq!(ranks(&Y), vec![1.0, 2.5, 4.5, 2.5, 4.5]);
        // Rank deviations (mean 3): x -2 -1 0 1 2; y -2 -0.5 1.5 -0.5 1.5.
        // Sxy = 4+0.5+0-0.5+3 = 7; Sxx = 10; Syy = 4+0.25+2.25+0.25+2.25 = 9 → ρ = 7/sqrt(90).
        let rho = spearman(&X, &Y).unwrap();
        assert!((rho - 7.0 / 90f64.sqrt()).abs() < 1e-12, "{rho}");
    }

    #[test]
    fn missing_values_are_left_out_and_constant_data_has_no_r() {
        let x = [Some(1.0), None, Some(3.0), Some(f64::NAN), Some(5.0)];
        let y = [Some(1.0), Some(2.0), Some(3.0), Some(4.0), None];
        let c = correlate(&x, &y);
        assert_eq!(c.pairs.regions, [0, 2]);
        assert_eq!(c.missing, 3);
        assert_eq!(c.pearson, Some(1.0));
        assert_eq!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(ols(&[2.0, 2.0], &[1.0, 2.0]), None);
        assert_eq!(pearson(&[1.0], &[1.0]), None);
    }
}
