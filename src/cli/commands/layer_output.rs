//! The output of `regions` and `sites`: a table to stdout or, with `--out`, atomically to a
//! file; or a GIS layer (GeoPackage, GeoJSON) through [`atlas_core::exchange`].

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};
use atlas_core::exchange::{FeatureTable, geojson, gpkg};

use crate::cli::args::{LayerFormat, TableFormat};

/// Runs `write` into stdout, or into a buffer written atomically to `path`.
pub(crate) fn table_output(
    path: Option<&Path>,
    out: &mut dyn Write,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let Some(path) = path else {
        return write(out);
    };
    let mut buffer = Vec::new();
    write(&mut buffer)?;
    atlas_core::atomic::write_atomically(path, &buffer)
        .with_context(|| format!("--out {}: cannot write", path.display()))
}

/// The ISO 8601 time stamp of a GeoPackage's `last_change`: the export date (see
/// [`atlas_core::render::today`], which honours `SOURCE_DATE_EPOCH`) at midnight UTC.
fn last_change() -> String {
    format!("{}T00:00:00.000Z", atlas_core::render::today())
}

/// Writes a layer as GeoPackage (to `path`, required) or GeoJSON (to `path` or stdout).
pub(crate) fn write_layer(
    table: &FeatureTable,
    format: LayerFormat,
    path: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match (format, path) {
        (LayerFormat::Gpkg, Some(path)) => {
            gpkg::write(path, std::slice::from_ref(table), &last_change())?;
            eprintln!(
                "{}: GeoPackage layer {} with {} features (EPSG:25832)",
                path.display(),
                table.name,
                table.features.len()
            );
        }
        (LayerFormat::Gpkg, None) => {
            bail!("--format gpkg writes a file: add --out FILE.gpkg")
        }
        (LayerFormat::Geojson, Some(path)) => geojson::write(path, table)?,
        (LayerFormat::Geojson, None) => {
            writeln!(out, "{}", geojson::to_string(table)?)?;
        }
        (LayerFormat::Csv | LayerFormat::Json, _) => {
            unreachable_table(format)?;
        }
    }
    Ok(())
}

/// Table formats are written by the commands themselves.
fn unreachable_table(format: LayerFormat) -> anyhow::Result<TableFormat> {
    format
        .table()
        .ok_or_else(|| anyhow::anyhow!("{format:?} is no table format"))
}
