//! Loading the data folder: where it is, and how its files become an [`Atlas`](crate::model::Atlas).
//!
//! The folder has the layout of the bundled `geodata/`: `dvg2/` (boundary shapefiles) and
//! `stats/` (statistics CSV).

pub mod csv_lines;
pub mod dvg2;
pub mod inkar;
pub mod integrity;
pub mod own_csv;
pub mod places;
pub mod postcodes;
pub mod shp;
pub mod stats;
pub mod table;
pub mod thematic;
pub mod zensus;

use std::path::{Path, PathBuf};

pub use dvg2::load_atlas;

/// The environment variable that names the data folder.
pub const DATA_ENV: &str = "INTEGRATIONSATLAS_DATA";

/// Where the data folder was chosen from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// `--data DIR`.
    Flag,
    /// The environment variable [`DATA_ENV`].
    Environment,
    /// The `geodata/` bundled with the program.
    Bundled,
}

/// Picks the data folder: `--data DIR`, else `$INTEGRATIONSATLAS_DATA`, else the bundled `geodata/`.
pub fn resolve_data_dir(flag: Option<&Path>) -> (PathBuf, DataSource) {
    if let Some(dir) = flag {
        return (dir.to_owned(), DataSource::Flag);
    }
    if let Some(dir) = std::env::var_os(DATA_ENV).filter(|v| !v.is_empty()) {
        return (PathBuf::from(dir), DataSource::Environment);
    }
    (bundled_data_dir(), DataSource::Bundled)
}

/// The bundled `geodata/`: beside the executable if present (an installed copy), else in the source
/// tree the program was built from, else `./geodata`.
pub fn bundled_data_dir() -> PathBuf {
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("geodata")));
    // This crate sits in `crates/atlas-core/` of the repository; the data in `geodata/` at its root.
    let in_source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(|repo| repo.join("geodata"));

    [beside_exe, in_source]
        .into_iter()
        .flatten()
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| PathBuf::from("geodata"))
}
