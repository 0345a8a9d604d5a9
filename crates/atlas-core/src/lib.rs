//! Integrationsatlas NRW — the core library: everything but the window and the command line.
//!
//! Data flows one way, and the modules are grouped in that order:
//!
//! files ([`data`], [`sites`]) → model ([`model`], on [`geometry`]) → [`analysis`] →
//! [`cartography`] (a [`cartography::scene::Scene`]) → [`render`] (SVG, PNG).
//!
//! The front-ends — the egui window (crate `atlas-ui`) and the command line (the
//! `integrationsatlas` binary) — are thin painters and controllers over this crate. The core
//! depends on no GUI and no CLI crate; its errors are typed ([`error`], [`render::ExportError`]).
//!
//! All geometry is held in EPSG:25832 (ETRS89 / UTM zone 32N) metres, projected once at load.

pub mod analysis;
pub mod atomic;
pub mod attribution;
pub mod cartography;
pub mod data;
pub mod error;
pub mod exchange;
pub mod geometry;
pub mod i18n;
pub mod model;
pub mod numfmt;
pub mod project;
pub mod render;
pub mod report;
pub mod sites;
pub mod timing;

pub use error::LoadError;
pub use model::{Ags, Atlas, Level, Region};
