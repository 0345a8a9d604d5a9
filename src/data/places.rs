//! The centre point of every Gemeinde (BKG VG250 "PK", `places/gemeinden_nrw_punkte.csv`): the
//! seat point used for sites and for distances from a Gemeinde.

use std::collections::HashMap;
use std::path::Path;

use crate::data::thematic::read_rows;
use crate::error::LoadError;
use crate::model::Ags;

#[derive(serde::Deserialize)]
struct PointRow {
    ags: String,
    x_25832: f64,
    y_25832: f64,
}

/// The seat point of every Gemeinde in EPSG:25832 metres, by AGS.
pub fn gemeinde_points(dir: &Path) -> Result<HashMap<Ags, (f64, f64)>, LoadError> {
    let path = dir.join("places/gemeinden_nrw_punkte.csv");
    if !path.is_file() {
        return Err(LoadError::MissingFile {
            path,
            what: "Gemeinde centre points",
            fix: "copy places/gemeinden_nrw_punkte.csv from the bundled geodata into the data folder",
        });
    }
    read_rows::<PointRow>(&path)?
        .into_iter()
        .map(|(line, row)| {
            Ags::parse(&row.ags)
                .map(|a| (a, (row.x_25832, row.y_25832)))
                .ok_or_else(|| LoadError::BadCsv {
                    path: path.clone(),
                    line,
                    detail: format!("ags {:?} is not an AGS", row.ags),
                })
        })
        .collect()
}
