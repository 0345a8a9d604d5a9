//! Spatial indexing: an rstar tree of region bounding boxes for point-in-polygon location.
//!
//! Works in EPSG:25832 metres (planar); not for lon/lat coordinates.

use geo::{BoundingRect as _, Intersects as _, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Bounding-box index over a list of polygons; entries carry the polygon's position in that list.
#[derive(Debug, Default)]
pub struct RegionIndex {
    tree: RTree<BoxEntry>,
}

impl RegionIndex {
    /// Bulk-loads the bounding box of each polygon, keyed by its position in the iterator.
    pub fn build<'a>(polygons: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> RegionIndex {
        let entries = polygons
            .into_iter()
            .enumerate()
            .filter_map(|(i, polygon)| {
                let rect = polygon.bounding_rect()?;
                let envelope = Rectangle::from_corners(
                    [rect.min().x, rect.min().y],
                    [rect.max().x, rect.max().y],
                );
                Some(BoxEntry::new(envelope, i))
            })
            .collect();
        RegionIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// The positions of polygons whose bounding box holds the point, in ascending order.
    pub fn candidates(&self, x: f64, y: f64) -> Vec<usize> {
        let mut hits: Vec<usize> = self
            .tree
            .locate_all_at_point(&[x, y])
            .map(|entry| entry.data)
            .collect();
        hits.sort_unstable();
        hits
    }

    /// The lowest position whose polygon (boundary included) holds the point. Taking the lowest
    /// makes points on a shared border land in one polygon, always the same one.
    pub fn locate<'a>(
        &self,
        x: f64,
        y: f64,
        polygon_at: impl Fn(usize) -> &'a MultiPolygon<f64>,
    ) -> Option<usize> {
        let point = Point::new(x, y);
        self.candidates(x, y)
            .into_iter()
            .find(|&i| polygon_at(i).intersects(&point))
    }

    /// Positions of polygons whose bounding box meets the rectangle, unsorted.
    pub fn unsorted_in_envelope(&self, min: [f64; 2], max: [f64; 2]) -> Vec<usize> {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(min, max))
            .map(|entry| entry.data)
            .collect()
    }

    /// The number of indexed polygons.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    fn squares() -> Vec<MultiPolygon<f64>> {
        let left = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let right =
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)];
        vec![left.into(), right.into()]
    }

    #[test]
    fn point_inside_resolves_to_its_square() {
        let polys = squares();
        let index = RegionIndex::build(&polys);
        assert_eq!(index.locate(1.5, 0.5, |i| &polys[i]), Some(1));
        assert_eq!(index.locate(0.5, 0.5, |i| &polys[i]), Some(0));
    }

    #[test]
    fn point_on_shared_border_goes_to_lowest_position() {
        let polys = squares();
        let index = RegionIndex::build(&polys);
        assert_eq!(index.locate(1.0, 0.5, |i| &polys[i]), Some(0));
    }

    #[test]
    fn point_outside_finds_nothing() {
        let polys = squares();
        let index = RegionIndex::build(&polys);
        assert_eq!(index.locate(3.0, 0.5, |i| &polys[i]), None);
        assert_eq!(index.len(), 2);
    }
}
