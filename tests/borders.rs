//! The border network on the bundled DVG2 data: each border once, under the highest level it
//! bounds, and the levels nest (every Kreis border is a Gemeinde border).

mod common;

use std::collections::HashSet;

use integrationsatlas::model::Level;

/// The undirected segments of a level's rings, by the bits of their end points.
fn segments(level: Level) -> HashSet<[u64; 4]> {
    let atlas = common::atlas();
    let mut set = HashSet::new();
    for region in atlas.regions(level) {
        for polygon in &region.geometry {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    let a = [line.start.x.to_bits(), line.start.y.to_bits()];
                    let b = [line.end.x.to_bits(), line.end.y.to_bits()];
                    let (a, b) = if a <= b { (a, b) } else { (b, a) };
                    set.insert([a[0], a[1], b[0], b[1]]);
                }
            }
        }
    }
    set
}

fn segment_count<'a>(lines: impl Iterator<Item = &'a Vec<geo::Coord<f64>>>) -> usize {
    lines.map(|line| line.len() - 1).sum()
}

#[test]
fn every_gemeinde_border_appears_once_across_the_levels() {
    let atlas = common::atlas();
    let network = atlas.borders();
    let gemeinde = segments(Level::Gemeinde);
    // The levels nest: Land, Bezirk and Kreis borders add no segment the Gemeinden lack ...
    for level in [Level::Land, Level::Bezirk, Level::Kreis] {
        assert!(
            segments(level).is_subset(&gemeinde),
            "{level:?} borders not on Gemeinde borders"
        );
    }
    // ... so all Gemeinde borders, each once, are exactly the Gemeinde layer's unique segments.
    assert_eq!(segment_count(network.all(Level::Gemeinde)), gemeinde.len());
    let kreis = segments(Level::Kreis);
    assert_eq!(segment_count(network.all(Level::Kreis)), kreis.len());
    assert_eq!(
        segment_count(network.own(Level::Gemeinde).iter()),
        gemeinde.len() - kreis.len()
    );
}

#[test]
fn the_land_outline_is_the_only_border_of_nrw() {
    let atlas = common::atlas();
    let land = atlas.borders().own(Level::Land);
    let nrw = &atlas.regions(Level::Land)[0].geometry;
    let rings: usize = nrw.iter().map(|p| 1 + p.interiors().len()).sum();
    // Every ring of NRW is one closed line (joined across the ring start).
    assert_eq!(land.len(), rings);
    assert!(land.iter().all(|line| line.first() == line.last()));
}
