//! Supply ratios with competition: the two-step floating catchment area method (2SFCA, Luo & Wang
//! 2003) on the population grid, and its enhanced variant with Gaussian distance decay (E2SFCA,
//! Luo & Qi 2009), as "sites per 100,000 inhabitants within reach".
//!
//! With Pₖ the inhabitants of cell k, Sⱼ the capacity of site j (default 1), dₖⱼ the straight-line
//! distance from the cell centre to the site (EPSG:25832, km) and d₀ the catchment distance:
//! - Step 1: Rⱼ = Sⱼ / Σₖ Pₖ·W(dₖⱼ) over the cells with dₖⱼ **≤** d₀ (a site whose catchment
//!   holds nobody gets no ratio and takes no part).
//! - Step 2: Aᵢ = Σⱼ Rⱼ·W(dᵢⱼ) over the sites with dᵢⱼ ≤ d₀. Reported as Aᵢ × 100,000.
//! - W(d) = 1 for the classic method; for E2SFCA the Gaussian of PySAL's `access` package,
//!   `access.weights.gaussian(sigma)`: W(d) = exp(−d² / (2σ²)) (W(0) = 1, no normalisation),
//!   with σ = d₀ / 2 unless given (so W(d₀) = e⁻² ≈ 0.135), and W = 0 beyond d₀.
//!   (PySAL cuts at `cost < max_cost`; here "within" is ≤ d₀, as the issue states.)
//! - Per area: the population-weighted mean Σ Pᵢ·Aᵢ / Σ Pᵢ of its cells.
//!
//! Invariant: Σᵢ Aᵢ·Pᵢ = Σⱼ Sⱼ over the sites whose catchment holds anyone (each site's capacity
//! is handed out exactly once), for both weightings.

use rayon::prelude::*;

use crate::analysis::grid_coverage::{GridError, cells_per_area, check_positive};
use crate::data::zensus::PopulationGrid;
use crate::model::{Ags, Atlas, Level};
use crate::sites::{Site, SiteSet, SiteType};

/// The distance weighting.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decay {
    /// Classic 2SFCA: weight 1 within d₀.
    None,
    /// E2SFCA: W(d) = exp(−d² / (2σ²)) within d₀.
    Gaussian {
        /// σ in km.
        sigma_km: f64,
    },
}

impl Decay {
    /// The weight at distance `d_km` (within the catchment).
    pub fn weight(self, d_km: f64) -> f64 {
        match self {
            Decay::None => 1.0,
            Decay::Gaussian { sigma_km } => (-d_km * d_km / (2.0 * sigma_km * sigma_km)).exp(),
        }
    }
}

/// What to compute.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessSpec {
    /// The site type.
    pub site_type: SiteType,
    /// The catchment distance d₀, km.
    pub catchment_km: f64,
    /// The distance weighting.
    pub decay: Decay,
}

/// Step 1 for one site.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SiteRatio {
    /// The site, as an index into [`SiteSet::sites`].
    pub site: usize,
    /// Its capacity Sⱼ.
    pub capacity: f64,
    /// The (weighted) inhabitants within d₀: Σₖ Pₖ·W(dₖⱼ).
    pub demand: f64,
    /// Rⱼ = Sⱼ / demand; `None` when nobody lives within d₀.
    pub ratio: Option<f64>,
}

/// The result of a 2SFCA run.
#[derive(Clone, Debug, PartialEq)]
pub struct Access {
    /// What was computed.
    pub spec: AccessSpec,
    /// Per cell: Aᵢ (capacity per inhabitant; 0 where no site is within d₀).
    pub per_cell: Vec<f64>,
    /// Step 1 per site of the type.
    pub sites: Vec<SiteRatio>,
}

/// Sites per 100,000 inhabitants: the unit of the results.
pub const PER: f64 = 100_000.0;

impl Access {
    /// Aᵢ of cell `i` in sites per 100,000 inhabitants.
    pub fn per_100k(&self, i: usize) -> f64 {
        self.per_cell[i] * PER
    }
}

/// Cells sorted west to east, for the cells within a distance of a point.
struct Strip {
    order: Vec<u32>,
    xs: Vec<f64>,
}

impl Strip {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a grid has far fewer than 2³² cells"
    )]
    fn new(grid: &PopulationGrid) -> Strip {
        let mut order: Vec<u32> = (0..grid.cells.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            grid.cells[a as usize]
                .x
                .total_cmp(&grid.cells[b as usize].x)
        });
        let xs = order.iter().map(|&i| grid.cells[i as usize].x).collect();
        Strip { order, xs }
    }

    /// The cells whose centre lies within `r_m` metres (≤) of (x, y), with the distance in km.
    fn within(&self, grid: &PopulationGrid, x: f64, y: f64, r_m: f64) -> Vec<(u32, f64)> {
        let start = self.xs.partition_point(|&cx| cx < x - r_m);
        let end = self.xs.partition_point(|&cx| cx <= x + r_m);
        let r2 = r_m * r_m;
        self.order[start..end]
            .iter()
            .filter_map(|&i| {
                let cell = &grid.cells[i as usize];
                let (dx, dy) = (cell.x - x, cell.y - y);
                let d2 = dx * dx + dy * dy;
                (d2 <= r2).then(|| (i, d2.sqrt() / 1000.0))
            })
            .collect()
    }
}

/// Runs 2SFCA / E2SFCA for the sites of `spec.site_type`; `capacity` gives each site's Sⱼ.
pub fn two_step(
    grid: &PopulationGrid,
    sites: &SiteSet,
    spec: &AccessSpec,
    capacity: &(dyn Fn(&Site) -> f64 + Sync),
) -> Result<Access, GridError> {
    check_positive("catchment distance", spec.catchment_km)?;
    if let Decay::Gaussian { sigma_km } = spec.decay {
        check_positive("Gaussian width", sigma_km)?;
    }
    let chosen: Vec<usize> = (0..sites.sites.len())
        .filter(|&i| sites.sites[i].site_type == spec.site_type)
        .collect();
    if chosen.is_empty() {
        return Err(GridError::NoSites(spec.site_type.clone()));
    }
    let capacities: Vec<f64> = chosen.iter().map(|&i| capacity(&sites.sites[i])).collect();
    if let Some((&i, &value)) = chosen
        .iter()
        .zip(&capacities)
        .find(|(_, c)| !(c.is_finite() && **c >= 0.0))
    {
        return Err(GridError::BadCapacity {
            site: sites.sites[i].id.clone(),
            value,
        });
    }
    let strip = Strip::new(grid);
    let r_m = spec.catchment_km * 1000.0;
    let decay = spec.decay;
    // Step 1, per site in parallel: the weighted demand within d₀.
    let reach: Vec<Vec<(u32, f64)>> = chosen
        .par_iter()
        .map(|&j| {
            let site = &sites.sites[j];
            strip
                .within(grid, site.x, site.y, r_m)
                .into_iter()
                .map(|(i, d)| (i, decay.weight(d)))
                .collect()
        })
        .collect();
    let ratios: Vec<SiteRatio> = chosen
        .iter()
        .zip(&capacities)
        .zip(&reach)
        .map(|((&j, &cap), cells)| {
            let demand: f64 = cells
                .iter()
                .map(|&(i, w)| f64::from(grid.cells[i as usize].einwohner) * w)
                .sum();
            SiteRatio {
                site: j,
                capacity: cap,
                demand,
                ratio: (demand > 0.0).then(|| cap / demand),
            }
        })
        .collect();
    // Step 2: hand each site's ratio to the cells within d₀.
    let mut per_cell = vec![0.0; grid.cells.len()];
    for (ratio, cells) in ratios.iter().zip(&reach) {
        let Some(r) = ratio.ratio else { continue };
        for &(i, w) in cells {
            per_cell[i as usize] += r * w;
        }
    }
    Ok(Access {
        spec: spec.clone(),
        per_cell,
        sites: ratios,
    })
}

/// One area's supply ratio.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AreaAccess {
    /// The area's key.
    pub ags: Ags,
    /// Its name.
    pub name: String,
    /// Population-weighted mean of Aᵢ × 100,000 over its cells; `None` without inhabitants.
    pub value: Option<f64>,
    /// Inhabitants of its cells.
    pub einwohner: u64,
}

/// The population-weighted supply ratio of every area of `level`.
pub fn access_by_area(
    atlas: &Atlas,
    grid: &PopulationGrid,
    access: &Access,
    level: Level,
) -> Vec<AreaAccess> {
    let per_area = cells_per_area(atlas, grid, level);
    atlas
        .regions(level)
        .iter()
        .zip(&per_area)
        .map(|(region, cells)| {
            let einwohner: u64 = cells
                .iter()
                .map(|&i| u64::from(grid.cells[i].einwohner))
                .sum();
            let weighted: f64 = cells
                .iter()
                .map(|&i| f64::from(grid.cells[i].einwohner) * access.per_cell[i])
                .sum();
            AreaAccess {
                ags: region.ags.clone(),
                name: region.name.clone(),
                value: (einwohner > 0).then(|| weighted / einwohner as f64 * PER),
                einwohner,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gaussian_is_pysal_s() {
        // access.weights.gaussian(sigma=20): {0: 1.0, 20: 0.6065306597126334, 40: 0.1353352832366127}
        let g = Decay::Gaussian { sigma_km: 20.0 };
        assert_eq!(g.weight(0.0), 1.0);
        assert!((g.weight(20.0) - 0.6065306597126334).abs() < 1e-15);
        assert!((g.weight(40.0) - 0.1353352832366127).abs() < 1e-15);
        assert_eq!(Decay::None.weight(14.9), 1.0);
    }
}
