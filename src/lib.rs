//! The `integrationsatlas` package: the binary's command line ([`cli`]) over the core
//! ([`atlas_core`], re-exported here) and the window ([`ui`], the `atlas-ui` crate).
//!
//! This package is the only one that depends on clap and anyhow.

pub use atlas_core::*;
pub use atlas_ui as ui;

pub mod cli;
