//! Geometry in EPSG:25832 metres: the projection from and to WGS84, the spatial index of the
//! regions, the point-in-polygon grid and the border network shared by neighbouring regions.

pub mod borders;
pub mod grid;
pub mod projection;
pub mod spatial;
