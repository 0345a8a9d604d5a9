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
use geo::{Coord, Intersects as _, MultiPolygon, Point};

use crate::geometry::spatial::RegionIndex;

/// Cell edge length in metres.
pub const CELL_M: f64 = 500.0;

#[derive(Clone, Debug)]
enum Cell {
    /// Wholly inside the region at this position, or outside every region (`None`).
    Inside(Option<u32>),
    /// Crossed by borders: test these positions, ascending.
    Border(Box<[u32]>),
}

/// The grid.
#[derive(Debug)]
pub struct GridIndex {
    origin: [f64; 2],
    cols: usize,
    rows: usize,
    cells: Vec<Cell>,
    bands: Vec<Band>,
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
        let Ok(i) = self
            .polygons
            .binary_search_by_key(&position, |(pos, _)| *pos)
        else {
            return false;
        };
        let mut inside = false;
        for &[a, b] in &self.edges[self.polygons[i].1.clone()] {
            let (low, high) = if a.y <= b.y { (a.y, b.y) } else { (b.y, a.y) };
            if p.y < low || p.y > high {
                continue;
            }
            let orientation = RobustKernel::orient2d(a, b, p);
            if orientation == Orientation::Collinear && p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) {
                return true;
            }
            let upward = a.y <= p.y && b.y > p.y;
            let downward = b.y <= p.y && a.y > p.y;
            if (upward && orientation == Orientation::CounterClockwise)
                || (downward && orientation == Orientation::Clockwise)
            {
                inside = !inside;
            }
        }
        inside
    }
}

impl GridIndex {
    /// Builds the grid over `polygons` (positions as in `index`).
    pub fn build(polygons: &[&MultiPolygon<f64>], index: &RegionIndex) -> GridIndex {
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
        let cells: Vec<Cell> = border
            .par_chunks_mut(cols)
            .enumerate()
            .flat_map_iter(|(row, marks)| resolve_row(&grid, row, marks, polygons, index))
            .collect();
        let bands = build_bands(polygons, origin, rows);
        GridIndex {
            origin,
            cols,
            rows,
            cells,
            bands,
        }
    }

    /// The position of the polygon holding the point (EPSG:25832), lowest on shared borders.
    pub fn locate(&self, x: f64, y: f64) -> Option<usize> {
        let col = ((x - self.origin[0]) / CELL_M).floor();
        let row = ((y - self.origin[1]) / CELL_M).floor();
        if !(col >= 0.0 && row >= 0.0 && (col as usize) < self.cols && (row as usize) < self.rows) {
            return None;
        }
        match &self.cells[row as usize * self.cols + col as usize] {
            Cell::Inside(owner) => owner.map(|o| o as usize),
            Cell::Border(candidates) => {
                let band = &self.bands[row as usize];
                let p = Coord { x, y };
                candidates
                    .iter()
                    .find(|&&c| band.contains(c, p))
                    .map(|&c| c as usize)
            }
        }
    }

    /// The number of cells crossed by borders, and all cells.
    pub fn stats(&self) -> (usize, usize) {
        let border = self
            .cells
            .iter()
            .filter(|c| matches!(c, Cell::Border(_)))
            .count();
        (border, self.cells.len())
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
fn resolve_row(
    grid: &GridShape,
    row: usize,
    marks: &mut [Vec<u32>],
    polygons: &[&MultiPolygon<f64>],
    index: &RegionIndex,
) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(marks.len());
    let mut run_owner: Option<Option<u32>> = Some(None);
    let mut previous: Vec<u32> = Vec::new();
    for (col, mark) in marks.iter_mut().enumerate() {
        if mark.is_empty() {
            let owner = *run_owner.get_or_insert_with(|| {
                let [x, y] = cell_center(grid.origin, col, row);
                let point = Point::new(x, y);
                previous
                    .iter()
                    .copied()
                    .find(|&c| polygons[c as usize].intersects(&point))
                    .or_else(|| index.locate(x, y, |i| polygons[i]).map(|i| i as u32))
            });
            cells.push(Cell::Inside(owner));
        } else {
            run_owner = None;
            mark.sort_unstable();
            mark.dedup();
            previous.clone_from(mark);
            cells.push(Cell::Border(std::mem::take(mark).into_boxed_slice()));
        }
    }
    cells
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
