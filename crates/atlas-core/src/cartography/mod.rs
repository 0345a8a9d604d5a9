//! From analysis to a map: colour schemes ([`palette`]), choropleth classes and their legend
//! ([`choropleth`]), the report's figures ([`presets`]), site symbols ([`symbols`]), region names
//! ([`labels`]: anchors and the one placement), and the
//! [`scene::Scene`] that every painter — the window, SVG and PNG — draws. A scene is composed in
//! one place, [`request::MapRequest::scene`], for the window's canvas, its export dialog and the
//! command line alike.

pub mod choropleth;
mod colorbrewer;
pub mod labels;
pub mod palette;
pub mod presets;
pub mod request;
pub mod scene;
pub mod symbols;
