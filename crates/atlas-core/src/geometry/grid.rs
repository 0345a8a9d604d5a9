//! A uniform grid over NRW for fast point-in-polygon location of many points (address lists).
//!
//! Each 500 m cell either lies wholly inside one region (or wholly outside NRW), answered without
//! any polygon test, or is crossed by borders and keeps the few regions to test. Answers equal
//! [`crate::geometry::spatial::RegionIndex::locate`]: on a shared border the lowest position wins.
#![allow(
    clippy::cast_possible_truncation,
    reason = "cell indices from coordinates clamped to the grid's extent"
)]

use geo::kernels::{Kernel as _, Orientation, RobustKernel};
use geo::{Coord, MultiPolygon};

use crate::geometry::spatial::RegionIndex;

/// Cell edge length in metres.
pub const CELL_M: f64 = 500.0;

/// A cell's code with this bit set is crossed by borders: the rest is its index in
/// [`GridIndex::borders`]. Otherwise the cell lies wholly inside the region at the position the
/// code gives, or outside every region ([`OUTSIDE`]). Four bytes a cell keep the grid (about a
/// megabyte for NRW) in the cache; random points then cost no memory round trip.
const BORDER: u32 = 1 << 31;
/// The code of a cell outside every region.
const OUTSIDE: u32 = BORDER - 1;

/// A cell while a row is resolved.
#[derive(Clone, Copy, Debug)]
enum Cell {
    /// Wholly inside the region at this position, or outside every region (`None`).
    Inside(Option<u32>),
    /// Crossed by borders: test the candidates in this range of the row's list.
    Border(u32, u32),
}

/// One region to test in a border cell, with only the edges that can decide it there.
///
/// A horizontal ray from a point p of the cell to the right decides inside or outside by the
/// parity of the edges it crosses. The ray is split at q, the point at p's height in the
/// centre of the first cell to the right that no border crosses (its owner is known): the
/// parity beyond q is whether q lies in the region, and on [p, q) only edges reaching from the
/// cell's left side to q can count. An edge counts for the segment exactly when it counts for
/// one of the two rays, so the answer is the same as a test of every edge of the row.
#[derive(Clone, Debug)]
struct Candidate {
    /// Position of the region.
    position: u32,
    /// The x of q; `None` when the row has no free cell to the right (the ray then meets
    /// `edges`, all the region's edges in the row).
    exit_x: Option<f64>,
    /// Whether q lies in the region.
    exit_inside: bool,
    /// The range in [`GridIndex::edges`] of the region's edges in the row that may lie between
    /// the cell and q.
    edges: (u32, u32),
}

impl Candidate {
    /// Whether the region holds `p`, boundary included (even-odd rule with robust orientation
    /// tests, so holes and ring orientation do not matter); `all_edges` is the list that
    /// [`Candidate::edges`] points into.
    fn contains(&self, p: Coord<f64>, all_edges: &[[Coord<f64>; 2]]) -> bool {
        let mut inside = self.exit_inside;
        let (start, end) = self.edges;
        for &[a, b] in &all_edges[start as usize..end as usize] {
            let (low, high) = if a.y <= b.y { (a.y, b.y) } else { (b.y, a.y) };
            if p.y < low || p.y > high {
                continue;
            }
            let orientation = RobustKernel::orient2d(a, b, p);
            if orientation == Orientation::Collinear && p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) {
                return true;
            }
            let from_p = crosses_ray(a, b, p, orientation);
            let from_q = self.exit_x.is_some_and(|x| {
                let q = Coord { x, y: p.y };
                crosses_ray(a, b, q, RobustKernel::orient2d(a, b, q))
            });
            if from_p != from_q {
                inside = !inside;
            }
        }
        inside
    }
}

/// Whether the edge a–b crosses the ray from `p` to the right (half-open in y), given the
/// orientation of (a, b, p).
fn crosses_ray(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>, orientation: Orientation) -> bool {
    let upward = a.y <= p.y && b.y > p.y;
    let downward = b.y <= p.y && a.y > p.y;
    (upward && orientation == Orientation::CounterClockwise)
        || (downward && orientation == Orientation::Clockwise)
}

/// The grid.
#[derive(Debug)]
pub struct GridIndex {
    origin: [f64; 2],
    cols: usize,
    rows: usize,
    /// One code per cell, row by row (see [`BORDER`]).
    cells: Vec<u32>,
    /// Per border cell, its range in `candidates`.
    borders: Vec<(u32, u32)>,
    candidates: Vec<Candidate>,
    edges: Vec<[Coord<f64>; 2]>,
}

/// The edges of each polygon that reach into one row of cells: a horizontal ray from a point in
/// that row meets no other edge, so these decide inside or outside.
#[derive(Debug, Default)]
struct Band {
    /// (polygon position, range of its edges in `edges`), ascending by position.
    polygons: Vec<(u32, std::ops::Range<usize>)>,
    edges: Vec<[Coord<f64>; 2]>,
}

impl Band {
    /// Whether the polygon at `position` holds `p`, boundary included (even-odd rule with robust
    /// orientation tests, so holes and ring orientation do not matter).
    fn contains(&self, position: u32, p: Coord<f64>) -> bool {
        let mut inside = false;
        for &[a, b] in self.edges_of(position) {
            let (low, high) = if a.y <= b.y { (a.y, b.y) } else { (b.y, a.y) };
            if p.y < low || p.y > high {
                continue;
            }
            let orientation = RobustKernel::orient2d(a, b, p);
            if orientation == Orientation::Collinear && p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) {
                return true;
            }
            if crosses_ray(a, b, p, orientation) {
                inside = !inside;
            }
        }
        inside
    }

    /// The edges of the polygon at `position` in this row (none if it has none here).
    fn edges_of(&self, position: u32) -> &[[Coord<f64>; 2]] {
        match self
            .polygons
            .binary_search_by_key(&position, |(pos, _)| *pos)
        {
            Ok(i) => &self.edges[self.polygons[i].1.clone()],
            Err(_) => &[],
        }
    }
}

impl GridIndex {
    /// Builds the grid over `polygons` (positions as in `index`; the grid needs only the
    /// polygons, so that the answers are the index's).
    pub fn build(polygons: &[&MultiPolygon<f64>], _index: &RegionIndex) -> GridIndex {
        use rayon::prelude::*;
        let (min, max) = bounds(polygons);
        // One empty cell of margin on every side: column 0 lies outside every polygon.
        let origin = [min[0] - CELL_M, min[1] - CELL_M];
        let cols = ((max[0] - origin[0]) / CELL_M).ceil() as usize + 2;
        let rows = ((max[1] - origin[1]) / CELL_M).ceil() as usize + 2;
        let mut border: Vec<Vec<u32>> = vec![Vec::new(); cols * rows];
        let grid = GridShape { origin, cols, rows };
        for (position, polygon) in polygons.iter().enumerate() {
            for p in polygon.iter() {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    for line in ring.lines() {
                        grid.mark_segment(&mut border, line.start, line.end, position as u32);
                    }
                }
            }
        }
        let bands = build_bands(polygons, origin, rows);
        let row_cells: Vec<RowCells> = border
            .par_chunks_mut(cols)
            .zip(&bands)
            .enumerate()
            .map(|(row, (marks, band))| resolve_row(&grid, row, marks, band))
            .collect();
        let mut index = GridIndex {
            origin,
            cols,
            rows,
            cells: Vec::with_capacity(cols * rows),
            borders: Vec::new(),
            candidates: Vec::new(),
            edges: Vec::new(),
        };
        for row in row_cells {
            index.append(row);
        }
        index
    }

    /// The position of the polygon holding the point (EPSG:25832), lowest on shared borders.
    pub fn locate(&self, x: f64, y: f64) -> Option<usize> {
        let col = ((x - self.origin[0]) / CELL_M).floor();
        let row = ((y - self.origin[1]) / CELL_M).floor();
        if !(col >= 0.0 && row >= 0.0 && (col as usize) < self.cols && (row as usize) < self.rows) {
            return None;
        }
        let code = self.cells[row as usize * self.cols + col as usize];
        if code & BORDER == 0 {
            return (code != OUTSIDE).then_some(code as usize);
        }
        let (start, end) = self.borders[(code & !BORDER) as usize];
        let p = Coord { x, y };
        self.candidates[start as usize..end as usize]
            .iter()
            .find(|c| c.contains(p, &self.edges))
            .map(|c| c.position as usize)
    }

    /// Appends the next row's cells, moving their ranges to the places of the whole grid.
    fn append(&mut self, row: RowCells) {
        let (candidates, edges) = (self.candidates.len() as u32, self.edges.len() as u32);
        for cell in row.cells {
            let code = match cell {
                Cell::Inside(owner) => owner.unwrap_or(OUTSIDE),
                Cell::Border(start, end) => {
                    self.borders.push((start + candidates, end + candidates));
                    (self.borders.len() - 1) as u32 | BORDER
                }
            };
            self.cells.push(code);
        }
        self.candidates
            .extend(row.candidates.into_iter().map(|mut c| {
                c.edges = (c.edges.0 + edges, c.edges.1 + edges);
                c
            }));
        self.edges.extend(row.edges);
    }

    /// The number of cells crossed by borders, and all cells.
    pub fn stats(&self) -> (usize, usize) {
        (self.borders.len(), self.cells.len())
    }
}

fn bounds(polygons: &[&MultiPolygon<f64>]) -> ([f64; 2], [f64; 2]) {
    use geo::BoundingRect as _;
    let mut min = [f64::INFINITY; 2];
    let mut max = [f64::NEG_INFINITY; 2];
    for rect in polygons.iter().filter_map(|p| p.bounding_rect()) {
        min = [min[0].min(rect.min().x), min[1].min(rect.min().y)];
        max = [max[0].max(rect.max().x), max[1].max(rect.max().y)];
    }
    if !min[0].is_finite() {
        return ([0.0; 2], [CELL_M; 2]);
    }
    (min, max)
}

/// Sorts every ring edge into the rows of cells its y-extent reaches.
fn build_bands(polygons: &[&MultiPolygon<f64>], origin: [f64; 2], rows: usize) -> Vec<Band> {
    let mut per_row: Vec<Vec<(u32, [Coord<f64>; 2])>> = vec![Vec::new(); rows];
    for (position, polygon) in polygons.iter().enumerate() {
        for p in polygon.iter() {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for line in ring.lines() {
                    let (low, high) = (line.start.y.min(line.end.y), line.start.y.max(line.end.y));
                    let first =
                        (((low - origin[1]) / CELL_M).floor().max(0.0) as usize).min(rows - 1);
                    let last =
                        (((high - origin[1]) / CELL_M).floor().max(0.0) as usize).min(rows - 1);
                    for edges in &mut per_row[first..=last] {
                        edges.push((position as u32, [line.start, line.end]));
                    }
                }
            }
        }
    }
    per_row
        .into_iter()
        .map(|edges| {
            let mut band = Band::default();
            for (position, edge) in edges {
                match band.polygons.last_mut() {
                    Some((last, range)) if *last == position => range.end += 1,
                    _ => band
                        .polygons
                        .push((position, band.edges.len()..band.edges.len() + 1)),
                }
                band.edges.push(edge);
            }
            band
        })
        .collect()
}

fn cell_center(origin: [f64; 2], col: usize, row: usize) -> [f64; 2] {
    [
        origin[0] + (col as f64 + 0.5) * CELL_M,
        origin[1] + (row as f64 + 0.5) * CELL_M,
    ]
}

/// Turns one row of border marks into cells. A run of unmarked cells lies wholly in one polygon
/// (or outside all); that polygon is among the candidates of the border cell before the run.
/// Each border cell then gets, per candidate, the edges between it and the next unmarked cell
/// to its right (see [`Candidate`]).
fn resolve_row(grid: &GridShape, row: usize, marks: &mut [Vec<u32>], band: &Band) -> RowCells {
    let mut owners: Vec<Option<Option<u32>>> = Vec::with_capacity(marks.len());
    let mut run_owner: Option<Option<u32>> = Some(None);
    let mut previous: Vec<u32> = Vec::new();
    for (col, mark) in marks.iter_mut().enumerate() {
        if mark.is_empty() {
            let owner = *run_owner.get_or_insert_with(|| {
                let [x, y] = cell_center(grid.origin, col, row);
                let centre = Coord { x, y };
                previous
                    .iter()
                    .copied()
                    .find(|&c| band.contains(c, centre))
                    .or_else(|| {
                        // Not beside a border cell of its owner: any polygon of the row, lowest
                        // first (a polygon holding the centre has edges in its row).
                        band.polygons
                            .iter()
                            .map(|&(c, _)| c)
                            .find(|&c| band.contains(c, centre))
                    })
            });
            owners.push(Some(owner));
        } else {
            run_owner = None;
            mark.sort_unstable();
            mark.dedup();
            previous.clone_from(mark);
            owners.push(None);
        }
    }
    let mut out = RowCells {
        cells: vec![Cell::Inside(None); marks.len()],
        candidates: Vec::new(),
        edges: Vec::new(),
    };
    let mut exit: Option<(f64, Option<u32>)> = None;
    for col in (0..marks.len()).rev() {
        match owners[col] {
            Some(owner) => {
                out.cells[col] = Cell::Inside(owner);
                exit = Some((cell_center(grid.origin, col, row)[0], owner));
            }
            None => {
                let left = grid.origin[0] + col as f64 * CELL_M - 1.0;
                let start = out.candidates.len() as u32;
                for &position in &marks[col] {
                    let candidate = candidate(band, position, left, exit, &mut out.edges);
                    out.candidates.push(candidate);
                }
                out.cells[col] = Cell::Border(start, out.candidates.len() as u32);
            }
        }
    }
    out
}

/// The cells of one row, with the candidates and edges their ranges point into.
struct RowCells {
    cells: Vec<Cell>,
    candidates: Vec<Candidate>,
    edges: Vec<[Coord<f64>; 2]>,
}

/// The [`Candidate`] for the polygon at `position` in a border cell whose left side is at
/// `left` (a little less), with `exit` the x and owner of the next unmarked cell to the right;
/// its edges are appended to `out`.
fn candidate(
    band: &Band,
    position: u32,
    left: f64,
    exit: Option<(f64, Option<u32>)>,
    out: &mut Vec<[Coord<f64>; 2]>,
) -> Candidate {
    let edges = band.edges_of(position);
    let start = out.len() as u32;
    let (exit_x, exit_inside) = match exit {
        Some((exit_x, owner)) => {
            // Edges wholly left of the cell or wholly right of q count for neither ray or for
            // both; the margins only let in edges that change nothing.
            out.extend(
                edges
                    .iter()
                    .filter(|[a, b]| a.x.max(b.x) >= left && a.x.min(b.x) <= exit_x + 1.0),
            );
            (Some(exit_x), owner == Some(position))
        }
        None => {
            out.extend_from_slice(edges);
            (None, false)
        }
    };
    Candidate {
        position,
        exit_x,
        exit_inside,
        edges: (start, out.len() as u32),
    }
}

/// Size and placement of the grid.
struct GridShape {
    origin: [f64; 2],
    cols: usize,
    rows: usize,
}

impl GridShape {
    fn mark(&self, border: &mut [Vec<u32>], col: i64, row: i64, position: u32) {
        if col >= 0 && row >= 0 && (col as usize) < self.cols && (row as usize) < self.rows {
            let cell = &mut border[row as usize * self.cols + col as usize];
            if cell.last() != Some(&position) {
                cell.push(position);
            }
        }
    }

    /// Marks every cell the segment a–b passes through (exact grid traversal, Amanatides & Woo);
    /// where it passes a cell corner, both cells beside the corner are marked.
    fn mark_segment(
        &self,
        border: &mut [Vec<u32>],
        a: geo::Coord<f64>,
        b: geo::Coord<f64>,
        position: u32,
    ) {
        let (ax, ay) = (
            (a.x - self.origin[0]) / CELL_M,
            (a.y - self.origin[1]) / CELL_M,
        );
        let (bx, by) = (
            (b.x - self.origin[0]) / CELL_M,
            (b.y - self.origin[1]) / CELL_M,
        );
        let (mut col, mut row) = (ax.floor() as i64, ay.floor() as i64);
        let (end_col, end_row) = (bx.floor() as i64, by.floor() as i64);
        let (dx, dy) = (bx - ax, by - ay);
        let (step_col, step_row) = (dx.signum() as i64, dy.signum() as i64);
        let next_boundary =
            |start: f64, cell: i64, step: i64| (cell + i64::from(step > 0)) as f64 - start;
        let mut t_max_x = if dx != 0.0 {
            next_boundary(ax, col, step_col) / dx
        } else {
            f64::INFINITY
        };
        let mut t_max_y = if dy != 0.0 {
            next_boundary(ay, row, step_row) / dy
        } else {
            f64::INFINITY
        };
        let t_delta_x = if dx != 0.0 {
            1.0 / dx.abs()
        } else {
            f64::INFINITY
        };
        let t_delta_y = if dy != 0.0 {
            1.0 / dy.abs()
        } else {
            f64::INFINITY
        };
        let limit = (end_col - col).abs() + (end_row - row).abs() + 2;
        self.mark(border, col, row, position);
        for _ in 0..limit {
            if col == end_col && row == end_row {
                break;
            }
            if (t_max_x - t_max_y).abs() < 1e-12 {
                self.mark(border, col + step_col, row, position);
                self.mark(border, col, row + step_row, position);
                col += step_col;
                row += step_row;
                t_max_x += t_delta_x;
                t_max_y += t_delta_y;
            } else if t_max_x < t_max_y {
                col += step_col;
                t_max_x += t_delta_x;
            } else {
                row += step_row;
                t_max_y += t_delta_y;
            }
            self.mark(border, col, row, position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn grid_agrees_with_the_index_on_two_squares() {
        let left = polygon![(x: 0.0, y: 0.0), (x: 3000.0, y: 0.0), (x: 3000.0, y: 3000.0), (x: 0.0, y: 3000.0)];
        let right = polygon![(x: 3000.0, y: 0.0), (x: 6000.0, y: 0.0), (x: 6000.0, y: 3000.0), (x: 3000.0, y: 3000.0)];
        let polygons: Vec<MultiPolygon<f64>> = vec![left.into(), right.into()];
        let index = RegionIndex::build(&polygons);
        let refs: Vec<&MultiPolygon<f64>> = polygons.iter().collect();
        let grid = GridIndex::build(&refs, &index);
        for (x, y) in [
            (100.0, 100.0),
            (2999.0, 10.0),
            (3000.0, 1500.0),
            (5999.0, 2999.0),
            (6500.0, 100.0),
            (-1.0, 5.0),
        ] {
            assert_eq!(
                grid.locate(x, y),
                index.locate(x, y, |i| &polygons[i]),
                "({x}, {y})"
            );
        }
    }
}
