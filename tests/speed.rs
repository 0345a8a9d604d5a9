//! The fast paths of issue 18 give the answers of the plain ones: the pip grid against the
//! region index (random points and points on and beside every border vertex).

mod common;

use integrationsatlas::Level;
use integrationsatlas::geometry::grid::GridIndex;
use rand::{Rng as _, SeedableRng as _};

/// The grid answers as the index does, on 200,000 random points over NRW and on every border
/// vertex of the Gemeinden, exactly and shifted by a millimetre in four directions.
#[test]
fn grid_locates_as_the_index_does() {
    let atlas = common::atlas();
    let layer = atlas.layer(Level::Gemeinde);
    let polygons: Vec<_> = layer.regions.iter().map(|r| &r.geometry).collect();
    let grid = GridIndex::build(&polygons, &layer.index);
    let exact = |x: f64, y: f64| layer.index.locate(x, y, |i| polygons[i]);
    let mut rng = rand::rngs::StdRng::seed_from_u64(18);
    let mut points: Vec<(f64, f64)> = (0..200_000)
        .map(|_| {
            (
                rng.random_range(270_000.0..540_000.0),
                rng.random_range(5_560_000.0..5_830_000.0),
            )
        })
        .collect();
    for polygon in &polygons {
        for part in polygon.iter() {
            for ring in std::iter::once(part.exterior()).chain(part.interiors()) {
                for c in ring.coords().step_by(3) {
                    for (dx, dy) in [(0.0, 0.0), (1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3)]
                    {
                        points.push((c.x + dx, c.y + dy));
                    }
                }
            }
        }
    }
    let mismatches: Vec<_> = points
        .iter()
        .filter(|&&(x, y)| grid.locate(x, y) != exact(x, y))
        .take(5)
        .collect();
    assert!(mismatches.is_empty(), "grid differs at {mismatches:?}");
    let koeln = grid.locate(356_400.0, 5_645_600.0).map(|i| layer.regions[i].ags.as_str());
    assert_eq!(koeln, Some("05315000"));
}
