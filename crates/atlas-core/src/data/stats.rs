//! The Gemeinde statistics (Destatis Gemeindeverzeichnis, population 31.12.2019), keyed by AGS.

use std::collections::HashMap;
use std::path::Path;

use crate::data::thematic::read_rows;
use crate::error::LoadError;
use crate::model::{Ags, Level};

/// One Gemeinde's row of `stats/gemeinden_nrw_2019.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct GemeindeStats {
    /// Destatis name with its suffix, e.g. "Köln, Stadt".
    pub name: String,
    /// "kreisfreie Stadt", "Stadt (kreisangehörig)" or "Gemeinde (kreisangehörig)".
    pub gemeindetyp: String,
    /// Official area in km² (Destatis), for comparison with the geometry.
    pub official_area_km2: f64,
    /// Inhabitants on 31.12.2019.
    pub population: u64,
}

#[derive(serde::Deserialize)]
struct Row {
    ags: String,
    name: String,
    gemeindetyp: String,
    area_km2: f64,
    pop_total_2019: u64,
}

/// Reads the statistics, one row per Gemeinde. The file is required: a damaged file (see
/// [`crate::data::table`]), a bad row, a repeated AGS or an area that is not above 0 is an error
/// naming the line.
pub fn read_gemeinde_stats(path: &Path) -> Result<HashMap<Ags, GemeindeStats>, LoadError> {
    if !path.is_file() {
        return Err(LoadError::MissingFile {
            path: path.to_owned(),
            what: "Gemeinde statistics",
            fix: "copy stats/gemeinden_nrw_2019.csv from the shared geodata into the data folder",
        });
    }
    let mut stats = HashMap::new();
    for (line, row) in read_rows::<Row>(path)? {
        let ags = Ags::parse(&row.ags)
            .filter(|a| a.level() == Level::Gemeinde)
            .ok_or_else(|| LoadError::BadCsv {
                path: path.to_owned(),
                line,
                detail: format!(
                    "ags {:?} is not an 8-digit Gemeinde key such as 05315000",
                    row.ags
                ),
            })?;
        if !(row.area_km2.is_finite() && row.area_km2 > 0.0) {
            return Err(LoadError::BadCsv {
                path: path.to_owned(),
                line,
                detail: format!(
                    "area_km2 {} is not an area above 0 km²; correct the value",
                    row.area_km2
                ),
            });
        }
        let value = GemeindeStats {
            name: row.name,
            gemeindetyp: row.gemeindetyp,
            official_area_km2: row.area_km2,
            population: row.pop_total_2019,
        };
        if stats.insert(ags.clone(), value).is_some() {
            return Err(LoadError::BadCsv {
                path: path.to_owned(),
                line,
                detail: format!("ags {ags} appears twice; keep one row per Gemeinde"),
            });
        }
    }
    Ok(stats)
}
