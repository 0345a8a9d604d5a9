//! Coverage on the population grid: for every Zensus cell the straight-line distance (EPSG:25832,
//! "Luftlinie", from the cell centre) to the nearest site of a type, and per Gemeinde, Kreis,
//! Regierungsbezirk or NRW the inhabitants, foreign residents, under-18 and 65+ living **beyond**
//! a threshold S (distance > S), with the population-weighted mean and 90th-percentile distance.
//!
//! Definitions, so that an independent GIS computation gives the same figures:
//! - A cell is its centre, in the Gemeinde whose polygon holds it (see [`crate::data::zensus`]).
//! - Beyond S: distance **>** S km; a cell at exactly S km is within.
//! - Mean distance: Σ Pᵢ·dᵢ / Σ Pᵢ over the area's cells (Pᵢ = inhabitants; withheld cells weigh 0).
//! - 90th percentile (weighted by inhabitants, no interpolation): the smallest cell distance d such
//!   that the cells with distance ≤ d hold at least 90 % of the area's inhabitants.
//! - Foreign residents, under-18, 65+ of a cell: einwohner × share / 100 (fractions of persons,
//!   summed, rounded only for display). Cells whose share is unknown add nothing to these figures;
//!   their inhabitants are reported beside them (`*_unknown_einwohner`).
//! - Sites sharing a point (a Kreis and a town at the same seat): the cell goes to the lowest
//!   site id.

use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::data::zensus::PopulationGrid;
use crate::model::{Ags, Atlas, Level};
use crate::sites::{SiteSet, SiteType};

/// Why a grid analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GridError {
    /// A distance is not a positive number of kilometres.
    #[error("the {what} {value} is not a positive number of kilometres; e.g. 15")]
    NotPositive {
        /// Which distance ("threshold", "catchment distance", "Gaussian width").
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// No site of the type is in the layers.
    #[error("there are no {0} sites in the site layers")]
    NoSites(SiteType),
    /// A site's capacity is not a non-negative number.
    #[error("site {site}: capacity {value} is not a number ≥ 0")]
    BadCapacity {
        /// The site's id.
        site: String,
        /// The value.
        value: f64,
    },
}

/// The nearest site of one type for every cell of a grid.
#[derive(Clone, Debug, PartialEq)]
pub struct CellDistances {
    /// The site type.
    pub site_type: SiteType,
    /// Per cell (as in [`PopulationGrid::cells`]): distance to the nearest site, km.
    pub km: Vec<f64>,
    /// Per cell: the nearest site, as an index into [`SiteSet::sites`].
    pub site: Vec<usize>,
}

type SitePoint = GeomWithData<[f64; 2], usize>;

/// The sites of one type in an rstar tree, one entry per point: of sites sharing a point (a Kreis
/// and a town at the same seat) the one with the lowest id; entries carry the index into
/// `sites.sites`.
pub(crate) fn site_tree(
    sites: &SiteSet,
    site_type: &SiteType,
) -> Result<RTree<SitePoint>, GridError> {
    let mut by_point: std::collections::HashMap<(u64, u64), usize> = Default::default();
    for (i, s) in sites.sites.iter().enumerate() {
        if &s.site_type != site_type {
            continue;
        }
        let slot = by_point.entry((s.x.to_bits(), s.y.to_bits())).or_insert(i);
        if s.id < sites.sites[*slot].id {
            *slot = i;
        }
    }
    if by_point.is_empty() {
        return Err(GridError::NoSites(site_type.clone()));
    }
    let points: Vec<SitePoint> = by_point
        .into_values()
        .map(|i| SitePoint::new([sites.sites[i].x, sites.sites[i].y], i))
        .collect();
    Ok(RTree::bulk_load(points))
}

/// The distance to the nearest site of `site_type` for every cell, in parallel. Of sites sharing
/// a point the lowest id wins; between distinct sites at exactly the same distance (which real
/// coordinates practically never are) the index decides.
pub fn nearest_sites(
    grid: &PopulationGrid,
    sites: &SiteSet,
    site_type: &SiteType,
) -> Result<CellDistances, GridError> {
    let tree = site_tree(sites, site_type)?;
    let (km, site): (Vec<f64>, Vec<usize>) = grid
        .cells
        .par_iter()
        .map(|cell| {
            let p = [cell.x, cell.y];
            tree.nearest_neighbor(&p)
                .map_or((f64::INFINITY, usize::MAX), |hit| {
                    let (dx, dy) = (hit.geom()[0] - p[0], hit.geom()[1] - p[1]);
                    (dx.hypot(dy) / 1000.0, hit.data)
                })
        })
        .unzip();
    Ok(CellDistances {
        site_type: site_type.clone(),
        km,
        site,
    })
}

/// The figures of one area (a Gemeinde, Kreis, Regierungsbezirk or NRW).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AreaCoverage {
    /// The area's key.
    pub ags: Ags,
    /// Its name.
    pub name: String,
    /// Inhabitants of its cells.
    pub einwohner: u64,
    /// Inhabitants of its cells farther than S from the nearest site.
    pub einwohner_beyond: u64,
    /// `einwohner_beyond` in % of `einwohner` (0 when the area has no inhabitants).
    pub einwohner_beyond_pct: f64,
    /// Foreign residents (cells with a known share).
    pub auslaender: f64,
    /// Foreign residents beyond S.
    pub auslaender_beyond: f64,
    /// Inhabitants of the area's cells whose foreigners' share is unknown.
    pub auslaender_unknown_einwohner: u64,
    /// Of those, the inhabitants beyond S.
    pub auslaender_unknown_beyond_einwohner: u64,
    /// Inhabitants under 18 (known shares).
    pub unter18: f64,
    /// Under 18 beyond S.
    pub unter18_beyond: f64,
    /// Inhabitants of cells whose under-18 share is unknown.
    pub unter18_unknown_einwohner: u64,
    /// Inhabitants 65 and over (known shares).
    pub ab65: f64,
    /// 65 and over beyond S.
    pub ab65_beyond: f64,
    /// Inhabitants of cells whose 65+ share is unknown.
    pub ab65_unknown_einwohner: u64,
    /// Population-weighted mean distance to the nearest site, km (`None` without inhabitants).
    pub mean_km: Option<f64>,
    /// Population-weighted 90th-percentile distance, km (see the module doc).
    pub p90_km: Option<f64>,
    /// The area's cells.
    pub cells: usize,
    /// The area's cells with a withheld count.
    pub withheld_cells: usize,
}

/// For every Gemeinde (as in `atlas.regions(Gemeinde)`) the position of its area at `level`.
pub fn area_of_gemeinde(atlas: &Atlas, level: Level) -> Vec<Option<usize>> {
    atlas
        .regions(Level::Gemeinde)
        .iter()
        .map(|g| {
            let key = g.ags.as_str().get(..level.ags_len())?;
            atlas.id_of(&Ags::parse(key)?).map(|id| id.index)
        })
        .collect()
}

/// The cells of every area of `level` (positions into `grid.cells`).
pub fn cells_per_area(atlas: &Atlas, grid: &PopulationGrid, level: Level) -> Vec<Vec<usize>> {
    let area_of = area_of_gemeinde(atlas, level);
    let mut per_area = vec![Vec::new(); atlas.regions(level).len()];
    for (i, cell) in grid.cells.iter().enumerate() {
        if let Some(Some(area)) = area_of.get(cell.gemeinde) {
            per_area[*area].push(i);
        }
    }
    per_area
}

/// The figures of every area of `level` for the distances of one type and threshold S (km).
pub fn coverage_by_area(
    atlas: &Atlas,
    grid: &PopulationGrid,
    distances: &CellDistances,
    level: Level,
    threshold_km: f64,
) -> Result<Vec<AreaCoverage>, GridError> {
    check_positive("threshold", threshold_km)?;
    let per_area = cells_per_area(atlas, grid, level);
    Ok(atlas
        .regions(level)
        .iter()
        .zip(&per_area)
        .map(|(region, cells)| {
            area_coverage(
                region.ags.clone(),
                region.name.clone(),
                grid,
                distances,
                cells,
                threshold_km,
            )
        })
        .collect())
}

/// A positive, finite distance, or [`GridError::NotPositive`].
pub fn check_positive(what: &'static str, value: f64) -> Result<(), GridError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(GridError::NotPositive { what, value })
    }
}

/// The figures of one set of cells.
pub fn area_coverage(
    ags: Ags,
    name: String,
    grid: &PopulationGrid,
    distances: &CellDistances,
    cells: &[usize],
    threshold_km: f64,
) -> AreaCoverage {
    let mut row = AreaCoverage {
        ags,
        name,
        einwohner: 0,
        einwohner_beyond: 0,
        einwohner_beyond_pct: 0.0,
        auslaender: 0.0,
        auslaender_beyond: 0.0,
        auslaender_unknown_einwohner: 0,
        auslaender_unknown_beyond_einwohner: 0,
        unter18: 0.0,
        unter18_beyond: 0.0,
        unter18_unknown_einwohner: 0,
        ab65: 0.0,
        ab65_beyond: 0.0,
        ab65_unknown_einwohner: 0,
        mean_km: None,
        p90_km: None,
        cells: cells.len(),
        withheld_cells: 0,
    };
    let mut weighted: Vec<(f64, u64)> = Vec::with_capacity(cells.len());
    let mut distance_sum = 0.0;
    for &i in cells {
        let cell = &grid.cells[i];
        let d = distances.km[i];
        let p = u64::from(cell.einwohner);
        let beyond = d > threshold_km;
        row.withheld_cells += usize::from(cell.withheld);
        row.einwohner += p;
        if beyond {
            row.einwohner_beyond += p;
        }
        match cell.auslaender {
            Some(a) => {
                row.auslaender += a;
                if beyond {
                    row.auslaender_beyond += a;
                }
            }
            None => {
                row.auslaender_unknown_einwohner += p;
                if beyond {
                    row.auslaender_unknown_beyond_einwohner += p;
                }
            }
        }
        add_group(
            cell.unter18,
            beyond,
            p,
            &mut row.unter18,
            &mut row.unter18_beyond,
            &mut row.unter18_unknown_einwohner,
        );
        add_group(
            cell.ab65,
            beyond,
            p,
            &mut row.ab65,
            &mut row.ab65_beyond,
            &mut row.ab65_unknown_einwohner,
        );
        if p > 0 {
            weighted.push((d, p));
            distance_sum += d * p as f64;
        }
    }
    if row.einwohner > 0 {
        row.einwohner_beyond_pct = row.einwohner_beyond as f64 * 100.0 / row.einwohner as f64;
        row.mean_km = Some(distance_sum / row.einwohner as f64);
        row.p90_km = weighted_percentile(&mut weighted, 90);
    }
    row
}

/// Adds a cell's persons of one age group (known share) or its inhabitants (unknown share).
fn add_group(
    persons: Option<f64>,
    beyond: bool,
    einwohner: u64,
    total: &mut f64,
    total_beyond: &mut f64,
    unknown: &mut u64,
) {
    match persons {
        Some(n) => {
            *total += n;
            if beyond {
                *total_beyond += n;
            }
        }
        None => *unknown += einwohner,
    }
}

/// The weighted `percent`-th percentile (1–100) of (value, weight) pairs: the smallest value
/// whose cumulative weight (values sorted ascending) reaches `percent` % of the total weight,
/// compared in integers. No interpolation.
pub fn weighted_percentile(pairs: &mut [(f64, u64)], percent: u64) -> Option<f64> {
    let total: u64 = pairs.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cumulative = 0u64;
    for &(value, weight) in pairs.iter() {
        cumulative += weight;
        if u128::from(cumulative) * 100 >= u128::from(total) * u128::from(percent) {
            return Some(value);
        }
    }
    pairs.last().map(|p| p.0)
}

/// The grid figures of one Kommune (Gemeinde or Kreis) for one site type, for the coverage
/// report beside its centre-point figures.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KommuneGridFigures {
    /// The site type's code.
    pub site_type: String,
    /// The threshold S, km.
    pub threshold_km: f64,
    /// The figures of the Kommune's cells.
    pub figures: AreaCoverage,
}

/// The grid figures of a Gemeinde or Kreis for each type (types without sites are left out).
pub fn kommune_figures(
    atlas: &Atlas,
    grid: &PopulationGrid,
    sites: &SiteSet,
    kommune: &Ags,
    types: &[SiteType],
    threshold_km: f64,
) -> Vec<KommuneGridFigures> {
    let Some(id) = atlas.id_of(kommune) else {
        return Vec::new();
    };
    let region = atlas.region(id);
    let area_of = area_of_gemeinde(atlas, id.level);
    let cells: Vec<usize> = (0..grid.cells.len())
        .filter(|&i| area_of.get(grid.cells[i].gemeinde) == Some(&Some(id.index)))
        .collect();
    types
        .iter()
        .filter_map(|t| {
            let distances = nearest_sites(grid, sites, t).ok()?;
            let figures = area_coverage(
                region.ags.clone(),
                region.display_name(),
                grid,
                &distances,
                &cells,
                threshold_km,
            );
            Some(KommuneGridFigures {
                site_type: t.code().to_owned(),
                threshold_km,
                figures,
            })
        })
        .collect()
}

/// The report's section on the grid figures (German, Markdown), with the method in plain words.
pub fn markdown_section(figures: &[KommuneGridFigures]) -> String {
    use crate::i18n::Lang::De;
    use crate::numfmt::{format_count, format_number};
    let Some(first) = figures.first() else {
        return String::new();
    };
    let km = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format_number(v, 1, De));
    let persons = |v: f64| format_number(v, 0, De);
    let s = format_number(first.threshold_km, 1, De);
    let mut md = format!(
        "## Wo die Menschen wohnen: Bevölkerungsraster (Zensus 2011)

Statt vom Gemeindemittelpunkt wird hier von jeder bewohnten 1-km-Rasterzelle aus gemessen (Luftlinie von der Zellmitte zum nächsten Standort; eine Zelle gehört zur Gemeinde, in der ihre Mitte liegt). „Jenseits“ heißt: weiter als {s} km. Die mittlere Entfernung ist nach Einwohnern gewichtet; das 90-%-Perzentil ist die kleinste Entfernung, die die Zellen mit mindestens 90 % der Einwohner nicht überschreiten. Ausländer je Zelle = Einwohner × Ausländeranteil; Zellen ohne veröffentlichten Anteil stehen gesondert. Einwohnerzahlen von 2011, {} Zellen mit geheim gehaltener Zahl zählen 0.

| Typ | Einwohner (2011) | jenseits {s} km | % | Ausländer jenseits | Einwohner mit unbek. Ausländeranteil | unter 18 jenseits | 65+ jenseits | mittlere km | 90 % km |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        first.figures.withheld_cells
    );
    for f in figures {
        let a = &f.figures;
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            f.site_type,
            format_count(a.einwohner, De),
            format_count(a.einwohner_beyond, De),
            format_number(a.einwohner_beyond_pct, 1, De),
            persons(a.auslaender_beyond),
            format_count(a.auslaender_unknown_einwohner, De),
            persons(a.unter18_beyond),
            persons(a.ab65_beyond),
            km(a.mean_km),
            km(a.p90_km),
        ));
    }
    md.push('\n');
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weighted_percentile_is_the_first_value_reaching_the_share() {
        // Weights 50, 40, 10: 90 % of 100 is reached at the second value.
        let mut pairs = vec![(3.0, 40), (1.0, 50), (9.0, 10)];
        assert_eq!(weighted_percentile(&mut pairs, 90), Some(3.0));
        let mut pairs = vec![(3.0, 39), (1.0, 50), (9.0, 11)];
        assert_eq!(weighted_percentile(&mut pairs, 90), Some(9.0));
        assert_eq!(weighted_percentile(&mut [(1.0, 0)], 90), None);
    }

    #[test]
    fn a_threshold_must_be_positive() {
        assert!(check_positive("threshold", 0.0).is_err());
        assert!(check_positive("threshold", f64::NAN).is_err());
        assert!(check_positive("threshold", 15.0).is_ok());
    }
}
