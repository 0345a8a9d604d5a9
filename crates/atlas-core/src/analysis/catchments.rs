//! Catchments on the population grid: every cell is assigned to its nearest site of a type
//! (straight line from the cell centre, ties to the lowest site id); per site the inhabitants and
//! foreign residents it serves and the largest distance among its cells. A catchment's outline
//! is the boundary of the union of its cells' 1 km squares, traced on the EPSG:3035 lattice (an
//! edge between two cells of different catchments, or a cell and no cell, is a boundary edge) and
//! converted to EPSG:25832 vertex by vertex.

use std::collections::HashMap;

use crate::analysis::grid_coverage::CellDistances;
use crate::data::zensus::{PopulationGrid, lattice_point};
use crate::geometry::projection::{Crs, ToUtm32};
use crate::sites::SiteSet;

/// What one site serves.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SiteCatchment {
    /// The site, as an index into [`SiteSet::sites`].
    #[serde(skip)]
    pub site: usize,
    /// The site's id.
    pub site_id: String,
    /// The site's name.
    pub name: String,
    /// Inhabitants of the cells nearest to it.
    pub einwohner: u64,
    /// Foreign residents of those cells (known shares).
    pub auslaender: f64,
    /// Inhabitants of those cells whose foreigners' share is unknown.
    pub auslaender_unknown_einwohner: u64,
    /// The largest distance of one of its cells (withheld cells included), km; `None` for a site
    /// nearest to no cell.
    pub max_km: Option<f64>,
    /// Its cells (positions into [`PopulationGrid::cells`]).
    #[serde(skip)]
    pub cells: Vec<usize>,
}

/// The catchments of every site of one type, sorted by inhabitants served (descending, ties by
/// site id).
pub fn catchments(
    grid: &PopulationGrid,
    distances: &CellDistances,
    sites: &SiteSet,
) -> Vec<SiteCatchment> {
    let mut by_site: HashMap<usize, SiteCatchment> = sites
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| s.site_type == distances.site_type)
        .map(|(i, s)| {
            let empty = SiteCatchment {
                site: i,
                site_id: s.id.clone(),
                name: s.name.clone(),
                einwohner: 0,
                auslaender: 0.0,
                auslaender_unknown_einwohner: 0,
                max_km: None,
                cells: Vec::new(),
            };
            (i, empty)
        })
        .collect();
    for (i, cell) in grid.cells.iter().enumerate() {
        let Some(catchment) = by_site.get_mut(&distances.site[i]) else {
            continue;
        };
        let p = u64::from(cell.einwohner);
        catchment.einwohner += p;
        match cell.auslaender {
            Some(a) => catchment.auslaender += a,
            None => catchment.auslaender_unknown_einwohner += p,
        }
        let d = distances.km[i];
        catchment.max_km = Some(catchment.max_km.map_or(d, |m: f64| m.max(d)));
        catchment.cells.push(i);
    }
    let mut list: Vec<SiteCatchment> = by_site.into_values().collect();
    list.sort_by(|a, b| {
        b.einwohner
            .cmp(&a.einwohner)
            .then_with(|| a.site_id.cmp(&b.site_id))
    });
    list
}

/// A vertex of the EPSG:3035 km lattice (column, row).
type Vertex = (i32, i32);
/// A directed edge between two lattice vertices.
type Edge = (Vertex, Vertex);

/// A closed ring in EPSG:25832 metres (first point not repeated at the end).
pub type Ring = Vec<[f64; 2]>;

/// The outlines of groups of cells: `group[i]` is the group of cell `i` (`None`: in no group).
/// Returns, per group `0..groups`, the rings of the boundary of the union of its cells' squares.
/// Edges between two groups belong to both; holes come out as rings of their own.
pub fn outlines(grid: &PopulationGrid, group: &[Option<usize>], groups: usize) -> Vec<Vec<Ring>> {
    let owner: HashMap<(i32, i32), usize> = grid
        .cells
        .iter()
        .zip(group)
        .filter_map(|(c, g)| g.map(|g| ((c.col, c.row), g)))
        .collect();
    // Directed boundary edges per group, counter-clockwise around each cell.
    let mut edges: Vec<Vec<Edge>> = vec![Vec::new(); groups];
    for (cell, g) in grid.cells.iter().zip(group) {
        let Some(g) = *g else { continue };
        let (c, r) = (cell.col, cell.row);
        let sides = [
            ((c, r - 1), (c, r), (c + 1, r)),
            ((c + 1, r), (c + 1, r), (c + 1, r + 1)),
            ((c, r + 1), (c + 1, r + 1), (c, r + 1)),
            ((c - 1, r), (c, r + 1), (c, r)),
        ];
        for (neighbour, from, to) in sides {
            if owner.get(&neighbour) != Some(&g)
                && let Some(list) = edges.get_mut(g)
            {
                list.push((from, to));
            }
        }
    }
    let to_utm = ToUtm32::from(Crs::Epsg3035);
    let mut projected: HashMap<Vertex, [f64; 2]> = HashMap::new();
    edges
        .into_iter()
        .map(|list| {
            chain(list)
                .into_iter()
                .map(|ring| {
                    ring.into_iter()
                        .map(|v| {
                            *projected
                                .entry(v)
                                .or_insert_with(|| lattice_point(&to_utm, v.0, v.1))
                        })
                        .collect()
                })
                .collect()
        })
        .collect()
}

/// Links directed edges into closed rings of lattice vertices, dropping the middle vertex of
/// straight runs. Every vertex has as many edges in as out, so each walk closes.
fn chain(edges: Vec<Edge>) -> Vec<Vec<Vertex>> {
    let mut outgoing: HashMap<Vertex, Vec<usize>> = HashMap::new();
    for (i, (from, _)) in edges.iter().enumerate() {
        outgoing.entry(*from).or_default().push(i);
    }
    let mut used = vec![false; edges.len()];
    let mut rings = Vec::new();
    for start in 0..edges.len() {
        if used[start] {
            continue;
        }
        let mut ring = Vec::new();
        let mut current = start;
        loop {
            used[current] = true;
            let (from, to) = edges[current];
            push_vertex(&mut ring, from, to);
            let next = outgoing
                .get(&to)
                .and_then(|list| list.iter().copied().find(|&e| !used[e]));
            match next {
                Some(e) if to != edges[start].0 => current = e,
                _ => break,
            }
        }
        rings.push(ring);
    }
    rings
}

/// Appends `from` to a ring unless it lies on a straight run (the edge into it and the edge out
/// of it go the same way).
fn push_vertex(ring: &mut Vec<Vertex>, from: Vertex, to: Vertex) {
    if let Some(last) = ring.last() {
        let before = ((from.0 - last.0).signum(), (from.1 - last.1).signum());
        let after = ((to.0 - from.0).signum(), (to.1 - from.1).signum());
        if before == after {
            return;
        }
    }
    ring.push(from);
}

/// The rings of one outline as a multipolygon: the rings turning like the largest one are the
/// exteriors, the others holes, each given to the smallest exterior holding its centre.
pub fn outline_polygons(rings: &[Ring]) -> geo::MultiPolygon<f64> {
    use geo::{Area as _, Centroid as _, Contains as _};
    let polygons: Vec<geo::Polygon<f64>> = rings
        .iter()
        .map(|ring| {
            let coords: Vec<geo::Coord<f64>> = ring
                .iter()
                .map(|p| geo::coord! { x: p[0], y: p[1] })
                .collect();
            geo::Polygon::new(geo::LineString::new(coords), vec![])
        })
        .collect();
    let Some(largest) = polygons
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
    else {
        return geo::MultiPolygon::new(vec![]);
    };
    let outer_sign = largest.signed_area() > 0.0;
    let (outers, holes): (Vec<_>, Vec<_>) = polygons
        .into_iter()
        .partition(|p| (p.signed_area() > 0.0) == outer_sign);
    let mut outers: Vec<(geo::Polygon<f64>, Vec<geo::LineString<f64>>)> =
        outers.into_iter().map(|p| (p, Vec::new())).collect();
    for hole in holes {
        let Some(centre) = hole.centroid() else {
            continue;
        };
        let home = outers
            .iter_mut()
            .filter(|(outer, _)| outer.contains(&centre))
            .min_by(|a, b| a.0.unsigned_area().total_cmp(&b.0.unsigned_area()));
        if let Some((_, interiors)) = home {
            interiors.push(hole.exterior().clone());
        }
    }
    geo::MultiPolygon::new(
        outers
            .into_iter()
            .map(|(outer, interiors)| geo::Polygon::new(outer.exterior().clone(), interiors))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_cells_make_one_ring_of_four_corners() {
        let edges = vec![
            ((0, 0), (1, 0)),
            ((1, 0), (2, 0)),
            ((2, 0), (2, 1)),
            ((2, 1), (1, 1)),
            ((1, 1), (0, 1)),
            ((0, 1), (0, 0)),
        ];
        let rings = chain(edges);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0], vec![(0, 0), (2, 0), (2, 1), (0, 1)]);
    }

    #[test]
    fn a_ring_inside_a_ring_turning_the_other_way_is_its_hole() {
        let square = |lo: f64, hi: f64| vec![[lo, lo], [hi, lo], [hi, hi], [lo, hi]];
        let mut hole = square(1.0, 2.0);
        hole.reverse();
        let far = square(10.0, 11.0);
        let mp = super::outline_polygons(&[hole, square(0.0, 3.0), far]);
        assert_eq!(mp.0.len(), 2);
        let holes: Vec<usize> = mp.0.iter().map(|p| p.interiors().len()).collect();
        assert_eq!(holes, [1, 0]);
        use geo::Area as _;
        assert_eq!(mp.unsigned_area(), 9.0 - 1.0 + 1.0);
        assert!(super::outline_polygons(&[]).0.is_empty());
    }
}
