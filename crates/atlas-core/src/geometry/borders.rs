//! The border network of the levels: every boundary segment once, assigned to the highest level
//! it bounds. Two neighbouring Gemeinden share their border, and a Kreis border is also a border
//! of the Gemeinden on both sides; a painter that strokes each region outline draws such lines
//! two to four times. The painters of the export stroke [`BorderNetwork::own`] lines instead:
//! each border once, with the pen of the level that owns it.

use geo::{Coord, MultiPolygon};
use rustc_hash::FxHashSet;

use crate::model::level::Level;

/// An undirected segment, by the exact bits of its end points (shared borders in DVG2 repeat the
/// same coordinates on both sides).
type SegmentKey = [u64; 4];

fn segment_key(a: Coord<f64>, b: Coord<f64>) -> SegmentKey {
    let (a, b) = (
        [a.x.to_bits(), a.y.to_bits()],
        [b.x.to_bits(), b.y.to_bits()],
    );
    if a <= b {
        [a[0], a[1], b[0], b[1]]
    } else {
        [b[0], b[1], a[0], a[1]]
    }
}

/// A border line in map metres (EPSG:25832).
pub type BorderLine = Vec<Coord<f64>>;

/// The borders of every level, each segment once, under the highest level it bounds.
#[derive(Clone, Debug, Default)]
pub struct BorderNetwork {
    own: [Vec<BorderLine>; 4],
}

impl BorderNetwork {
    /// Splits the borders of the four levels (geometries in [`Level::ALL`] order, Land first).
    pub fn build(levels: [Vec<&MultiPolygon<f64>>; 4]) -> BorderNetwork {
        let mut drawn: FxHashSet<SegmentKey> = FxHashSet::default();
        let own = levels.map(|geometries| unique_lines(&geometries, &mut drawn));
        BorderNetwork { own }
    }

    /// The borders that first appear at `level`: those of its regions that are no border of a
    /// level above it.
    pub fn own(&self, level: Level) -> &[BorderLine] {
        &self.own[level.index()]
    }

    /// Every border of `level` (its own and those of all levels above).
    pub fn all(&self, level: Level) -> impl Iterator<Item = &BorderLine> {
        Level::ALL
            .iter()
            .take(level.index() + 1)
            .flat_map(|&l| self.own(l))
    }
}

/// The segments of `geometries` not yet in `drawn`, chained into lines along their rings; adds
/// them to `drawn`.
fn unique_lines(
    geometries: &[&MultiPolygon<f64>],
    drawn: &mut FxHashSet<SegmentKey>,
) -> Vec<BorderLine> {
    let mut lines = Vec::new();
    for polygon in geometries.iter().flat_map(|g| g.iter()) {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut runs: Vec<BorderLine> = Vec::new();
            let mut run: BorderLine = Vec::new();
            for segment in ring.lines() {
                if drawn.insert(segment_key(segment.start, segment.end)) {
                    if run.is_empty() {
                        run.push(segment.start);
                    }
                    run.push(segment.end);
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            join_across_ring_start(&mut runs, ring);
            lines.append(&mut runs);
        }
    }
    lines
}

/// A run that ends where the ring closes and one that starts at the ring's first point are one
/// line: joins them, so the stroke has no seam there.
fn join_across_ring_start(runs: &mut Vec<BorderLine>, ring: &geo::LineString<f64>) {
    let Some(&start) = ring.0.first() else {
        return;
    };
    if runs.len() < 2 || runs[0].first() != Some(&start) {
        return;
    }
    let last = runs.len() - 1;
    if runs[last].last() != Some(&start) {
        return;
    }
    let mut head = runs.pop().unwrap_or_default();
    head.extend_from_slice(&runs[0][1..]);
    runs[0] = head;
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0),
        ]])
    }

    fn segments(lines: &[BorderLine]) -> usize {
        lines.iter().map(|l| l.len() - 1).sum()
    }

    #[test]
    fn two_squares_share_one_border_drawn_once() {
        let (a, b) = (square(0.0, 0.0), square(1.0, 0.0));
        let outline = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0),
            (x: 1.0, y: 1.0), (x: 0.0, y: 1.0),
        ]]);
        let network = BorderNetwork::build([vec![&outline], vec![], vec![], vec![&a, &b]]);
        assert_eq!(segments(network.own(Level::Land)), 6);
        // Only the shared side x = 1 is new at the lowest level.
        let own = network.own(Level::Gemeinde);
        assert_eq!(segments(own), 1);
        assert!(own[0].iter().all(|c| c.x == 1.0));
        assert_eq!(network.all(Level::Gemeinde).count(), 2);
    }

    #[test]
    fn a_run_across_the_ring_start_is_one_line() {
        // Below the first square; their shared side is the third of the second ring's four.
        let (a, below) = (square(0.0, 0.0), square(0.0, -1.0));
        let network = BorderNetwork::build([vec![], vec![], vec![], vec![&a, &below]]);
        let own = network.own(Level::Gemeinde);
        assert_eq!(own.len(), 2);
        assert_eq!(own[1].len(), 4, "one line of three segments: {:?}", own[1]);
    }
}
