//! Site symbols, computed once for every painter: the shape and colour of a site type, the
//! symbol's size, its corners, and the ring on which several sites sharing one seat are spread.
//!
//! The window paints these at its own `scale` (screen points per symbol unit); the exports at
//! theirs (pixels per map-furniture unit). The formulas are the same, so an export matches the
//! screen.

use crate::cartography::palette::Rgba;
use crate::sites::SiteType;

/// The radius of a circle symbol at scale 1; other shapes are sized from it.
pub const RADIUS: f32 = 5.0;

/// The shape of a site symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A filled triangle, point up.
    Triangle,
    /// A filled diamond.
    Diamond,
}

/// How a site type is drawn: colour (Okabe–Ito, colour-blind safe) and shape.
pub fn site_symbol(site_type: &SiteType) -> (Rgba, Shape) {
    use crate::sites::SiteType::*;
    match site_type {
        Ki => ([0, 114, 178, 255], Shape::Circle),
        Abh => ([213, 94, 0, 255], Shape::Square),
        Ja => ([0, 158, 115, 255], Shape::Triangle),
        Jc => ([204, 121, 167, 255], Shape::Diamond),
        JcGs => ([204, 121, 167, 255], Shape::Circle),
        Ia => ([230, 159, 0, 255], Shape::Triangle),
        Jmd => ([86, 180, 233, 255], Shape::Diamond),
        Mbe => ([240, 228, 66, 255], Shape::Square),
        Other(_) => ([60, 60, 60, 255], Shape::Circle),
    }
}

/// The symbol radius at a scale.
pub fn radius(scale: f32) -> f32 {
    RADIUS * scale
}

/// The radius of the ring on which `members` sites sharing one seat are spread (0 for one).
pub fn seat_ring(members: usize, scale: f32) -> f32 {
    if members > 1 {
        radius(scale) * 1.7 + members as f32 * scale
    } else {
        0.0
    }
}

/// Where the `members` symbols of one seat at `anchor` go: on [`seat_ring`], the first at the
/// top, clockwise on screen (y grows downwards); a single site stays at the anchor.
///
/// ```
/// use atlas_core::cartography::symbols::{seat_ring, spread};
/// let spots = spread([100.0, 100.0], 4, 1.0);
/// assert_eq!(spots.len(), 4);
/// let ring = seat_ring(4, 1.0); // 1.7 · 5 + 4 · 1
/// assert!((spots[0][1] - (100.0 - ring)).abs() < 1e-4, "the first one sits on top");
/// assert_eq!(spread([1.0, 2.0], 1, 1.0), vec![[1.0, 2.0]]);
/// ```
pub fn spread(anchor: [f32; 2], members: usize, scale: f32) -> Vec<[f32; 2]> {
    let ring = seat_ring(members, scale);
    (0..members)
        .map(|k| {
            let angle =
                std::f32::consts::TAU * k as f32 / members as f32 - std::f32::consts::FRAC_PI_2;
            [
                anchor[0] + ring * angle.cos(),
                anchor[1] + ring * angle.sin(),
            ]
        })
        .collect()
}

/// The corners of a polygonal symbol centred on `(x, y)` with radius `r`, or `None` for a circle.
pub fn corners(shape: Shape, x: f32, y: f32, r: f32) -> Option<Vec<[f32; 2]>> {
    match shape {
        Shape::Circle => None,
        Shape::Square => {
            let h = r * 0.9;
            Some(vec![
                [x - h, y - h],
                [x + h, y - h],
                [x + h, y + h],
                [x - h, y + h],
            ])
        }
        Shape::Triangle => Some(vec![
            [x, y - r * 1.2],
            [x + r * 1.1, y + r * 0.8],
            [x - r * 1.1, y + r * 0.8],
        ]),
        Shape::Diamond => {
            let d = r * 1.3;
            Some(vec![[x, y - d], [x + d, y], [x, y + d], [x - d, y]])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_site_has_no_ring_and_three_share_one() {
        assert_eq!(seat_ring(1, 2.0), 0.0);
        assert!((seat_ring(3, 2.0) - (10.0 * 1.7 + 6.0)).abs() < 1e-5);
    }
}
