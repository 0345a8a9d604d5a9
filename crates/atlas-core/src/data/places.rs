//! The centre point of every Gemeinde (BKG VG250 "PK", `places/gemeinden_nrw_punkte.csv`) and the
//! seat town of every Kreis (`status/kreise_sitz_nrw.csv`): where sites are placed and distances
//! are measured from.

use std::collections::HashMap;
use std::path::Path;

use crate::data::thematic::read_rows;
use crate::error::LoadError;
use crate::model::Ags;

/// A Gemeinde's centre point in both coordinate systems.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GemeindePoint {
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Easting, EPSG:25832 metres.
    pub x: f64,
    /// Northing, EPSG:25832 metres.
    pub y: f64,
}

#[derive(serde::Deserialize)]
struct PointRow {
    ags: String,
    lon: f64,
    lat: f64,
    x_25832: f64,
    y_25832: f64,
}

#[derive(serde::Deserialize)]
struct SeatRow {
    kreis_ags5: String,
    sitz_gemeinde_ags: String,
}

fn required(path: &Path, what: &'static str) -> Result<(), LoadError> {
    if path.is_file() {
        return Ok(());
    }
    Err(LoadError::MissingFile {
        path: path.to_owned(),
        what,
        fix: "copy it from the bundled geodata/ into the data folder",
    })
}

fn ags(text: &str, path: &Path, line: u64) -> Result<Ags, LoadError> {
    Ags::parse(text).ok_or_else(|| LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail: format!("{text:?} is not an AGS"),
    })
}

/// The centre point of every Gemeinde, by AGS.
pub fn gemeinde_points(dir: &Path) -> Result<HashMap<Ags, GemeindePoint>, LoadError> {
    let path = dir.join("places/gemeinden_nrw_punkte.csv");
    required(&path, "Gemeinde centre points")?;
    read_rows::<PointRow>(&path)?
        .into_iter()
        .map(|(line, row)| {
            let point = GemeindePoint {
                lon: row.lon,
                lat: row.lat,
                x: row.x_25832,
                y: row.y_25832,
            };
            Ok((ags(&row.ags, &path, line)?, point))
        })
        .collect()
}

/// The seat Gemeinde of every Kreis and kreisfreie Stadt, by Kreis AGS.
pub fn kreis_seats(dir: &Path) -> Result<HashMap<Ags, Ags>, LoadError> {
    let path = dir.join("status/kreise_sitz_nrw.csv");
    required(&path, "Kreis seats")?;
    read_rows::<SeatRow>(&path)?
        .into_iter()
        .map(|(line, row)| {
            Ok((
                ags(&row.kreis_ags5, &path, line)?,
                ags(&row.sitz_gemeinde_ags, &path, line)?,
            ))
        })
        .collect()
}
