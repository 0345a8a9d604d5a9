//! Integrationsatlas NRW — the core library.
//!
//! Data flows one way: files ([`data`]) → model ([`model`]) → analysis → scene ([`scene`]) →
//! painters (the egui window in [`ui`], the command line in [`cli`]). The core modules know nothing
//! of egui; `ui` and `cli` are thin front-ends over them.
//!
//! All geometry is held in EPSG:25832 (ETRS89 / UTM zone 32N) metres, projected once at load.

pub mod atomic;
pub mod borders;
pub mod choropleth;
pub mod classify;
pub mod cli;
pub mod coverage;
pub mod data;
pub mod error;
pub mod grid;
pub mod i18n;
pub mod indicators;
pub mod model;
pub mod numfmt;
pub mod palette;
pub mod pip;
pub mod projection;
pub mod render;
pub mod scene;
pub mod search;
pub mod sites;
pub mod spatial;
pub mod timing;
pub mod ui;

pub use error::LoadError;
pub use model::{Ags, Atlas, Level, Region};
