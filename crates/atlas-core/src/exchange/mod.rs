//! Exchange formats for GIS programs such as QGIS: a [`FeatureTable`] (features with typed
//! attributes and EPSG:25832 geometry, built from the regions of a level or from site layers in
//! [`layers`]) written as an OGC GeoPackage 1.3 ([`gpkg`], EPSG:25832) or as RFC 7946 GeoJSON
//! ([`geojson`], WGS84). Both writers write atomically (see [`crate::atomic`]).

pub mod geojson;
pub mod gpkg;
pub mod layers;
pub mod table;
pub mod wkb;

pub use table::{Feature, FeatureTable, Field, FieldKind, Shape, Value};

use std::path::PathBuf;

/// An error writing an exchange file.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The file could not be written (folder missing, permission, disk full, …).
    #[error("{}: cannot write: {detail}", .path.display())]
    Write {
        /// The target file.
        path: PathBuf,
        /// What went wrong and what to do.
        detail: String,
    },
    /// A geometry could not be converted to WGS84 for GeoJSON.
    #[error("feature {feature} of layer {layer}: position ({x}, {y}) cannot be converted to WGS84")]
    Projection {
        /// The layer's name.
        layer: String,
        /// The 1-based feature number.
        feature: usize,
        /// Easting, EPSG:25832.
        x: f64,
        /// Northing, EPSG:25832.
        y: f64,
    },
}

impl ExchangeError {
    /// A write error of `path` from an I/O error, with the hint of [`crate::atomic::write_problem`].
    pub fn io(path: &std::path::Path, err: &std::io::Error) -> ExchangeError {
        ExchangeError::Write {
            path: path.to_owned(),
            detail: crate::atomic::write_problem(path, err),
        }
    }
}
