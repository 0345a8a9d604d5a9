//! From analysis to a map: colour schemes ([`palette`]), choropleth classes and their legend
//! ([`choropleth`]), and the [`scene::Scene`] that every painter — the window, SVG and PNG —
//! draws.

pub mod choropleth;
pub mod palette;
pub mod scene;
