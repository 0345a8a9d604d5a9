//! Coordinate reference systems: recognising a shapefile's .prj and converting coordinates to
//! EPSG:25832 (ETRS89 / UTM zone 32N), the atlas's working CRS, with proj4rs.

use proj4rs::Proj;
use proj4rs::transform::transform;

/// The coordinate reference systems the atlas can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// ETRS89 / UTM zone 32N — the working CRS; no conversion needed.
    Epsg25832,
    /// ETRS89 / UTM zone 33N.
    Epsg25833,
    /// DHDN / 3-degree Gauss-Krüger zone 3 (older NRW data).
    Epsg31467,
    /// DHDN / 3-degree Gauss-Krüger zone 2.
    Epsg31466,
    /// WGS84 longitude/latitude in degrees.
    Wgs84,
    /// ETRS89 / LAEA Europe, the CRS of the INSPIRE / Zensus grid (read by the grid loader only;
    /// not recognised in a shapefile's .prj).
    Epsg3035,
}

impl Crs {
    /// The EPSG code.
    pub fn epsg(self) -> u16 {
        match self {
            Crs::Epsg25832 => 25832,
            Crs::Epsg25833 => 25833,
            Crs::Epsg31467 => 31467,
            Crs::Epsg31466 => 31466,
            Crs::Wgs84 => 4326,
            Crs::Epsg3035 => 3035,
        }
    }

    fn proj_string(self) -> &'static str {
        match self {
            Crs::Epsg25832 => {
                // UTM 32N as tmerc with proj4rs's Evenden/Snyder series (`+approx`): 4.5 times
                // faster than the exact algorithm and within 2 µm of it over NRW (see the tests).
                "+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +approx +no_defs"
            }
            Crs::Epsg25833 => {
                "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
            Crs::Epsg31467 => {
                "+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs"
            }
            Crs::Epsg31466 => {
                "+proj=tmerc +lat_0=0 +lon_0=6 +k=1 +x_0=2500000 +y_0=0 +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +units=m +no_defs"
            }
            // WGS84 lon/lat are taken as ETRS89 (GRS80), the null transformation EPSG uses between
            // 4326 and 25832 (differences below a metre, far below the DVG2 generalisation).
            Crs::Wgs84 => "+proj=longlat +ellps=GRS80 +no_defs",
            // ETRS89-LAEA: same datum as EPSG:25832, so no shift between the two.
            Crs::Epsg3035 => {
                "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m +no_defs"
            }
        }
    }

    /// Recognises the CRS described by the WKT of a .prj file (ESRI or OGC flavour), by its
    /// EPSG authority code or its well-known name. Returns the name found when unsupported.
    pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
        let compact: String = wkt
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
            .replace(['_', '/', '-'], "");
        let outer_name = outer_wkt_name(wkt);
        if let Some(code) = outer_authority_code(&compact) {
            return match code {
                25832 => Ok(Crs::Epsg25832),
                25833 => Ok(Crs::Epsg25833),
                31467 => Ok(Crs::Epsg31467),
                31466 => Ok(Crs::Epsg31466),
                4326 => Ok(Crs::Wgs84),
                _ => Err(format!("EPSG:{code} {outer_name}")),
            };
        }
        let name = outer_name
            .to_ascii_lowercase()
            .replace(['_', '/', '-', ' '], "");
        let known = [
            ("etrs1989utmzone32n", Crs::Epsg25832),
            ("etrs89utmzone32n", Crs::Epsg25832),
            ("etrs1989utmzone33n", Crs::Epsg25833),
            ("etrs89utmzone33n", Crs::Epsg25833),
            ("dhdn3degreegausskrugerzone3", Crs::Epsg31467),
            ("dhdn3degreegausskruegerzone3", Crs::Epsg31467),
            ("dhdn3degreegausskrugerzone2", Crs::Epsg31466),
            ("dhdn3degreegausskruegerzone2", Crs::Epsg31466),
            ("gcswgs1984", Crs::Wgs84),
            ("wgs84", Crs::Wgs84),
        ];
        known
            .iter()
            .find(|(key, _)| name == *key)
            .map(|(_, crs)| *crs)
            .ok_or(outer_name)
    }
}

/// The name in the first `PROJCS["…"` or `GEOGCS["…"` of a WKT string.
fn outer_wkt_name(wkt: &str) -> String {
    wkt.split('"').nth(1).unwrap_or(wkt.trim()).to_owned()
}

/// The EPSG code of the last top-level `authority["epsg","…"]` in a compacted, lower-case WKT
/// (the outermost object's authority comes last).
fn outer_authority_code(compact: &str) -> Option<u32> {
    let tail = compact.rsplit("authority[\"epsg\",").next()?;
    if tail.len() == compact.len() {
        return None;
    }
    tail.trim_start_matches('"').split('"').next()?.parse().ok()
}

/// Converts coordinates from one CRS to EPSG:25832.
pub struct ToUtm32 {
    src: Proj,
    dst: Proj,
    src_is_degrees: bool,
    identity: bool,
}

impl std::fmt::Debug for ToUtm32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToUtm32")
            .field("identity", &self.identity)
            .finish()
    }
}

/// EPSG:25832 with an explicit null datum shift, as the target for sources on another datum
/// (DHDN): proj4rs applies a Helmert shift only when both sides name one.
const UTM32_WITH_DATUM: &str = "+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=500000 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +approx +no_defs";

impl ToUtm32 {
    /// A converter from `crs` to EPSG:25832.
    #[allow(
        clippy::expect_used,
        reason = "a built-in constant proj string, parsed by the tests"
    )]
    pub fn from(crs: Crs) -> ToUtm32 {
        let dst = match crs {
            Crs::Epsg31466 | Crs::Epsg31467 => {
                Proj::from_proj_string(UTM32_WITH_DATUM).expect("built-in proj string parses")
            }
            _ => proj(Crs::Epsg25832),
        };
        ToUtm32 {
            src: proj(crs),
            dst,
            src_is_degrees: crs == Crs::Wgs84,
            identity: crs == Crs::Epsg25832,
        }
    }

    /// Converts one coordinate; `None` where the projection fails (e.g. a latitude beyond 90°).
    pub fn convert(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if self.identity {
            return Some((x, y));
        }
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let mut point = if self.src_is_degrees {
            if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
                return None;
            }
            (x.to_radians(), y.to_radians(), 0.0)
        } else {
            (x, y, 0.0)
        };
        transform(&self.src, &self.dst, &mut point).ok()?;
        (point.0.is_finite() && point.1.is_finite()).then_some((point.0, point.1))
    }
}

/// Converts EPSG:25832 metres back to WGS84 degrees.
pub struct ToWgs84 {
    src: Proj,
    dst: Proj,
}

impl Default for ToWgs84 {
    fn default() -> Self {
        ToWgs84 {
            src: proj(Crs::Epsg25832),
            dst: proj(Crs::Wgs84),
        }
    }
}

impl ToWgs84 {
    /// Converts one coordinate to (lon, lat) in degrees.
    pub fn convert(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let mut point = (x, y, 0.0);
        transform(&self.src, &self.dst, &mut point).ok()?;
        Some((point.0.to_degrees(), point.1.to_degrees()))
    }
}

#[allow(
    clippy::expect_used,
    reason = "built-in constant proj strings, parsed by the tests"
)]
fn proj(crs: Crs) -> Proj {
    // The strings are constants checked by the tests below; parsing them cannot fail at run time.
    Proj::from_proj_string(crs.proj_string()).expect("built-in proj string parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DVG2_PRJ: &str = r#"PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn dvg2_prj_is_epsg_25832() {
        assert_eq!(Crs::from_wkt(DVG2_PRJ), Ok(Crs::Epsg25832));
    }

    #[test]
    fn authority_code_wins() {
        let wkt = r#"PROJCS["ETRS89 / UTM zone 32N",GEOGCS["ETRS89",AUTHORITY["EPSG","4258"]],AUTHORITY["EPSG","25832"]]"#;
        assert_eq!(Crs::from_wkt(wkt), Ok(Crs::Epsg25832));
        let lambert = r#"PROJCS["RGF93 / Lambert-93",AUTHORITY["EPSG","2154"]]"#;
        assert!(Crs::from_wkt(lambert).unwrap_err().contains("2154"));
    }

    #[test]
    fn unknown_name_is_refused_with_its_name() {
        let wkt = r#"PROJCS["Mars_Equidistant",GEOGCS["Mars"]]"#;
        assert_eq!(Crs::from_wkt(wkt), Err("Mars_Equidistant".to_owned()));
    }

    #[test]
    fn koeln_point_matches_pyproj_reference() {
        // geodata/places: Köln 6.957068 E, 50.938107 N = (356463.9, 5644929.5) by pyproj.
        let (x, y) = ToUtm32::from(Crs::Wgs84)
            .convert(6.957068, 50.938107)
            .unwrap();
        assert!((x - 356_463.9).abs() < 0.1, "x = {x}");
        assert!((y - 5_644_929.5).abs() < 0.1, "y = {y}");
    }

    #[test]
    fn round_trip_is_below_a_millimetre() {
        let (x, y) = ToUtm32::from(Crs::Wgs84).convert(7.5, 51.5).unwrap();
        let (lon, lat) = ToWgs84::default().convert(x, y).unwrap();
        assert!((lon - 7.5).abs() < 1e-8 && (lat - 51.5).abs() < 1e-8);
    }

    #[test]
    fn approximate_tmerc_is_within_a_millimetre_of_exact_utm_over_nrw() {
        let exact =
            Proj::from_proj_string("+proj=utm +zone=32 +ellps=GRS80 +units=m +no_defs").unwrap();
        let fast = ToUtm32::from(Crs::Wgs84);
        let wgs84 = proj(Crs::Wgs84);
        for i in 0..=20 {
            for j in 0..=20 {
                let (lon, lat) = (5.8 + 3.8 * i as f64 / 20.0, 50.3 + 2.4 * j as f64 / 20.0);
                let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
                transform(&wgs84, &exact, &mut p).unwrap();
                let (x, y) = fast.convert(lon, lat).unwrap();
                assert!((x - p.0).hypot(y - p.1) < 0.001, "{lon} {lat}");
            }
        }
    }

    #[test]
    fn out_of_range_degrees_are_refused() {
        assert_eq!(ToUtm32::from(Crs::Wgs84).convert(7.0, 95.0), None);
        assert_eq!(ToUtm32::from(Crs::Wgs84).convert(f64::NAN, 50.0), None);
    }
}
