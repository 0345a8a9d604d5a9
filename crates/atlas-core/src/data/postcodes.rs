//! Postcode areas of NRW (`plz/`, derived from OpenStreetMap, ODbL): the centroid of every
//! 5-digit PLZ that touches NRW and which Gemeinden each PLZ belongs to. They place an address
//! without coordinates (precision [`crate::sites::PRECISION_PLZ`]); see
//! [`crate::attribution::postcodes`] for the line every such site carries.

use std::collections::HashMap;
use std::path::Path;

use crate::data::table::read_rows;
use crate::error::LoadError;
use crate::model::Ags;

/// The centroid file, relative to the data folder.
pub const CENTROIDS_FILE: &str = "plz/plz_nrw_centroids.csv";
/// The PLZ ↔ Gemeinde file, relative to the data folder.
pub const GEMEINDEN_FILE: &str = "plz/plz_ort_ags_nrw.csv";

#[derive(serde::Deserialize)]
struct CentroidRow {
    plz: String,
    #[allow(
        dead_code,
        reason = "a column of the file, checked by the header check"
    )]
    note: String,
    #[allow(
        dead_code,
        reason = "a column of the file, checked by the header check"
    )]
    einwohner: String,
    #[allow(
        dead_code,
        reason = "a column of the file, checked by the header check"
    )]
    qkm: String,
    lat: f64,
    lon: f64,
}

#[derive(serde::Deserialize)]
struct GemeindeRow {
    #[allow(
        dead_code,
        reason = "a column of the file, checked by the header check"
    )]
    osm_id: String,
    ags: String,
    ort: String,
    plz: String,
    #[allow(
        dead_code,
        reason = "a column of the file, checked by the header check"
    )]
    landkreis: String,
}

/// One Gemeinde a PLZ belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct PostcodeGemeinde {
    /// The Gemeinde's AGS (8 digits).
    pub ags: Ags,
    /// The Ort name of the file (the Gemeinde's name), e.g. "Aachen".
    pub ort: String,
}

/// The postcode areas: centroid (WGS84) and Gemeinden of every PLZ.
#[derive(Clone, Debug, Default)]
pub struct Postcodes {
    centroids: HashMap<String, (f64, f64)>,
    gemeinden: HashMap<String, Vec<PostcodeGemeinde>>,
}

impl Postcodes {
    /// Reads `plz/` of the data folder; `Ok(None)` when the folder has no `plz/` files.
    pub fn load(dir: &Path) -> Result<Option<Postcodes>, LoadError> {
        let centroids_path = dir.join(CENTROIDS_FILE);
        let gemeinden_path = dir.join(GEMEINDEN_FILE);
        if !centroids_path.is_file() && !gemeinden_path.is_file() {
            return Ok(None);
        }
        let mut postcodes = Postcodes::default();
        for (line, row) in read_rows::<CentroidRow>(&centroids_path)? {
            let plz = checked_plz(&row.plz, &centroids_path, line)?;
            if !(row.lon.is_finite() && row.lat.is_finite()) {
                return Err(LoadError::BadCsv {
                    path: centroids_path.clone(),
                    line,
                    detail: format!("PLZ {plz}: lat/lon {} {} is no position", row.lat, row.lon),
                });
            }
            postcodes.centroids.insert(plz, (row.lon, row.lat));
        }
        for (line, row) in read_rows::<GemeindeRow>(&gemeinden_path)? {
            let plz = checked_plz(&row.plz, &gemeinden_path, line)?;
            let ags = Ags::parse(&row.ags).ok_or_else(|| LoadError::BadCsv {
                path: gemeinden_path.clone(),
                line,
                detail: format!("{:?} is not an AGS", row.ags),
            })?;
            postcodes
                .gemeinden
                .entry(plz)
                .or_default()
                .push(PostcodeGemeinde { ags, ort: row.ort });
        }
        Ok(Some(postcodes))
    }

    /// The centroid (lon, lat in WGS84 degrees) of a PLZ.
    pub fn centroid(&self, plz: &str) -> Option<(f64, f64)> {
        self.centroids.get(plz).copied()
    }

    /// The Gemeinden a PLZ belongs to (empty for a PLZ outside NRW's Gemeinden).
    pub fn gemeinden(&self, plz: &str) -> &[PostcodeGemeinde] {
        self.gemeinden.get(plz).map_or(&[], Vec::as_slice)
    }

    /// How many PLZ have a centroid.
    pub fn len(&self) -> usize {
        self.centroids.len()
    }

    /// True when no PLZ is known.
    pub fn is_empty(&self) -> bool {
        self.centroids.is_empty()
    }
}

/// A PLZ as written in a file, normalised: five digits (a 4-digit one gets its leading zero
/// back, as spreadsheets drop it); `None` when it is no PLZ.
pub fn normalise_plz(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t.strip_prefix("D-").unwrap_or(t);
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match t.len() {
        5 => Some(t.to_owned()),
        4 => Some(format!("0{t}")),
        _ => None,
    }
}

fn checked_plz(text: &str, path: &Path, line: u64) -> Result<String, LoadError> {
    normalise_plz(text).ok_or_else(|| LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail: format!("{text:?} is no 5-digit PLZ"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_postcodes_place_koeln_and_split_plz_spanning_gemeinden() {
        let dir = crate::data::bundled_data_dir();
        let p = Postcodes::load(&dir).unwrap().unwrap();
        assert_eq!(p.len(), 865);
        let (lon, lat) = p.centroid("50667").unwrap();
        assert!(
            (lon - 6.95).abs() < 0.05 && (lat - 50.94).abs() < 0.05,
            "{lon} {lat}"
        );
        assert_eq!(p.gemeinden("50667")[0].ags.as_str(), "05315000");
        assert!(
            p.gemeinden("52538").len() >= 2,
            "Gangelt and Selfkant share 52538"
        );
        assert!(p.centroid("99999").is_none());
    }

    #[test]
    fn plz_are_normalised_to_five_digits() {
        assert_eq!(normalise_plz(" 50667 ").as_deref(), Some("50667"));
        assert_eq!(normalise_plz("D-50667").as_deref(), Some("50667"));
        assert_eq!(normalise_plz("1067").as_deref(), Some("01067"));
        assert_eq!(normalise_plz("5066"), Some("05066".to_owned()));
        assert_eq!(normalise_plz("506677"), None);
        assert_eq!(normalise_plz("50 667"), None);
    }

    #[test]
    fn a_missing_plz_folder_is_none_and_a_broken_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Postcodes::load(dir.path()).unwrap().is_none());
        std::fs::create_dir(dir.path().join("plz")).unwrap();
        std::fs::write(
            dir.path().join(CENTROIDS_FILE),
            "plz,note,einwohner,qkm,lat,lon\n50667,x,1,1,50.9,6.9\nabc,x,1,1,50.9,6.9\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(GEMEINDEN_FILE),
            "osm_id,ags,ort,plz,landkreis\n",
        )
        .unwrap();
        let err = Postcodes::load(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("\"abc\" is no 5-digit PLZ"),
            "{err}"
        );
    }
}
