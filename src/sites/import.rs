//! Importing a planner's own sites: CSV (lon/lat in WGS84, x/y in EPSG:25832, or only an AGS or a
//! Kommune name, placed at its seat), a GeoJSON FeatureCollection of points, or a point shapefile
//! with .prj. Rows that fail are listed with their line or feature number; good rows load.

use std::collections::HashMap;
use std::path::Path;

use crate::data::own_csv::{parse_number, read_own_csv};
use crate::error::LoadError;
use crate::model::{Ags, Atlas, Level};
use crate::projection::{Crs, ToUtm32, ToWgs84};
use crate::search::fold_plain;
use crate::sites::{PRECISION_COORDINATES, PRECISION_KOMMUNE_SEAT, Site, SiteType};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// The file format read.
    pub format: String,
    /// Sites loaded.
    pub loaded: usize,
    /// Of those, placed at a Kommune's seat (no coordinates in the file).
    pub placed_at_seat: usize,
    /// Rows or features that failed: (line or feature number, reason).
    pub failures: Vec<(u64, String)>,
}

impl ImportReport {
    /// The report as lines for people.
    pub fn lines(&self, lang: crate::i18n::Lang) -> Vec<String> {
        let mut out = vec![format!(
            "{}: {} {}, {} {}, {} {}",
            self.format,
            self.loaded,
            lang.pick("Standorte geladen", "sites loaded"),
            self.placed_at_seat,
            lang.pick(
                "davon am Sitz der Kommune platziert",
                "of them placed at the Kommune's seat"
            ),
            self.failures.len(),
            lang.pick("nicht übernommen", "rejected"),
        )];
        out.extend(
            self.failures
                .iter()
                .map(|(n, why)| format!("{} {n}: {why}", lang.pick("Nr./Zeile", "no./line"))),
        );
        out
    }
}

/// A position found for an imported site.
struct Placed {
    lon: f64,
    lat: f64,
    x: f64,
    y: f64,
    kommune: Ags,
    precision: String,
}

/// Places sites by coordinates, AGS or Kommune name, checking that they lie in NRW.
pub struct Placer<'a> {
    atlas: &'a Atlas,
    seats: HashMap<Ags, (f64, f64)>,
    kreis_seats: HashMap<Ags, Ags>,
    from_wgs84: ToUtm32,
    to_wgs84: ToWgs84,
}

impl<'a> Placer<'a> {
    /// Reads the Gemeinde points and Kreis seats of the data folder.
    pub fn new(atlas: &'a Atlas, dir: &Path) -> Result<Placer<'a>, LoadError> {
        let seats = crate::data::places::gemeinde_points(dir)?
            .into_iter()
            .map(|(a, p)| (a, (p.lon, p.lat)))
            .collect();
        let kreis_seats = crate::data::places::kreis_seats(dir)?;
        Ok(Placer {
            atlas,
            seats,
            kreis_seats,
            from_wgs84: ToUtm32::from(Crs::Wgs84),
            to_wgs84: ToWgs84::default(),
        })
    }

    fn in_nrw(
        &self,
        x: f64,
        y: f64,
        lon: f64,
        lat: f64,
        precision: &str,
    ) -> Result<Placed, String> {
        let location = self
            .atlas
            .locate(x, y)
            .ok_or_else(|| format!("außerhalb von NRW ({lon:.5} E, {lat:.5} N)"))?;
        Ok(Placed {
            lon,
            lat,
            x,
            y,
            kommune: location.gemeinde.ags.clone(),
            precision: precision.to_owned(),
        })
    }

    fn by_lonlat(&self, lon: f64, lat: f64) -> Result<Placed, String> {
        let (x, y) = self
            .from_wgs84
            .convert(lon, lat)
            .ok_or_else(|| format!("{lon} {lat} ist keine WGS84-Position"))?;
        self.in_nrw(x, y, lon, lat, PRECISION_COORDINATES)
    }

    fn by_xy(&self, x: f64, y: f64) -> Result<Placed, String> {
        let (lon, lat) = self
            .to_wgs84
            .convert(x, y)
            .ok_or_else(|| format!("{x} {y} ist keine EPSG:25832-Position"))?;
        self.in_nrw(x, y, lon, lat, PRECISION_COORDINATES)
    }

    fn by_ags(&self, text: &str) -> Result<Placed, String> {
        let ags = Ags::parse(text)
            .ok_or_else(|| format!("AGS {text:?} ist kein Gemeinde- oder Kreisschlüssel"))?;
        let gemeinde = match ags.level() {
            Level::Gemeinde => ags,
            Level::Kreis => self
                .kreis_seats
                .get(&ags)
                .cloned()
                .ok_or_else(|| format!("AGS {text} ist kein Kreis in NRW"))?,
            _ => {
                return Err(format!(
                    "AGS {text}: bitte Gemeinde (8 Stellen) oder Kreis (5 Stellen)"
                ));
            }
        };
        self.seat_of(&gemeinde)
            .ok_or_else(|| format!("AGS {text} ist keine Gemeinde in NRW"))
    }

    fn by_name(&self, name: &str) -> Result<Placed, String> {
        let wanted = fold_plain(
            name.trim_start_matches("Stadt ")
                .trim_start_matches("Gemeinde "),
        );
        let matches: Vec<&crate::Region> = self
            .atlas
            .regions(Level::Gemeinde)
            .iter()
            .filter(|g| fold_plain(&g.name) == wanted)
            .collect();
        match matches.as_slice() {
            [one] => self
                .seat_of(&one.ags)
                .ok_or_else(|| format!("kein Sitzpunkt für {}", one.name)),
            [] => Err(format!("Kommune {name:?} unbekannt; AGS angeben")),
            many => Err(format!(
                "Kommune {name:?} mehrdeutig: {}; AGS angeben",
                many.iter()
                    .map(|g| format!("{} ({})", g.name, g.ags))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The seat point (EPSG:25832) of a Gemeinde, or of a Kreis (its seat town).
    pub fn seat_xy(&self, ags: &Ags) -> Option<(f64, f64)> {
        let gemeinde = match ags.level() {
            Level::Kreis => self.kreis_seats.get(ags)?.clone(),
            _ => ags.clone(),
        };
        self.seat_of(&gemeinde).map(|p| (p.x, p.y))
    }

    fn seat_of(&self, gemeinde: &Ags) -> Option<Placed> {
        let &(lon, lat) = self.seats.get(gemeinde)?;
        let (x, y) = self.from_wgs84.convert(lon, lat)?;
        Some(Placed {
            lon,
            lat,
            x,
            y,
            kommune: gemeinde.clone(),
            precision: PRECISION_KOMMUNE_SEAT.to_owned(),
        })
    }
}

/// Reads sites from a CSV, GeoJSON or shapefile. `default_type` applies where the file names none.
pub fn import_sites(
    path: &Path,
    placer: &Placer,
    default_type: &SiteType,
) -> Result<(Vec<Site>, ImportReport), LoadError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sink = Sink {
        sites: Vec::new(),
        report: ImportReport::default(),
        default_type,
        source: format!("eigene Datei {name}"),
    };
    match ext.as_str() {
        "geojson" | "json" => import_geojson(path, placer, &mut sink)?,
        "shp" => import_shapefile(path, placer, &mut sink)?,
        _ => import_csv(path, placer, &mut sink)?,
    }
    Ok((sink.sites, sink.report))
}

/// Collects sites and failures.
struct Sink<'a> {
    sites: Vec<Site>,
    report: ImportReport,
    default_type: &'a SiteType,
    source: String,
}

impl Sink<'_> {
    fn push(
        &mut self,
        number: u64,
        placed: Result<Placed, String>,
        name: Option<String>,
        site_type: Option<String>,
    ) {
        match placed {
            Ok(p) => {
                if p.precision == PRECISION_KOMMUNE_SEAT {
                    self.report.placed_at_seat += 1;
                }
                self.report.loaded += 1;
                let site_type = site_type
                    .filter(|t| !t.is_empty())
                    .map_or_else(|| self.default_type.clone(), |t| SiteType::parse(&t));
                self.sites.push(Site {
                    id: format!("EIGEN-{number}"),
                    name: name
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| format!("{} {number}", site_type.code())),
                    site_type,
                    kommune_ags: p.kommune,
                    lon: p.lon,
                    lat: p.lat,
                    precision: p.precision,
                    source: format!("{}, Nr./Zeile {number}", self.source),
                    stand: String::new(),
                    x: p.x,
                    y: p.y,
                });
            }
            Err(why) => self.report.failures.push((number, why)),
        }
    }
}

fn import_csv(path: &Path, placer: &Placer, sink: &mut Sink) -> Result<(), LoadError> {
    let table = read_own_csv(path)?;
    sink.report.format = format!(
        "CSV ({}, {})",
        table.encoding,
        if table.delimiter == b';' {
            "Semikolon"
        } else {
            "Komma"
        }
    );
    let col = |names: &[&str]| {
        table
            .headers
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let lon = col(&["lon", "lng", "longitude", "laenge", "länge"]);
    let lat = col(&["lat", "latitude", "breite"]);
    let x = col(&["x", "rechtswert", "x_25832"]);
    let y = col(&["y", "hochwert", "y_25832"]);
    let ags = col(&[
        "kommune_ags",
        "ags",
        "gemeindeschluessel",
        "gemeindeschlüssel",
        "kreis_ags",
    ]);
    let kommune = col(&["kommune", "gemeinde", "ort", "stadt"]);
    let name = col(&["name", "bezeichnung", "einrichtung"]);
    let site_type = col(&["type", "typ", "art"]);
    if (lon.is_none() || lat.is_none())
        && (x.is_none() || y.is_none())
        && ags.is_none()
        && kommune.is_none()
    {
        return Err(LoadError::BadCsv {
            path: path.to_owned(),
            line: 1,
            detail: format!(
                "no position columns; give lon+lat (WGS84), x+y (EPSG:25832), ags or kommune. The columns are {}",
                table.headers.join(", ")
            ),
        });
    }
    for (line, row) in &table.rows {
        let field = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let number = |c: Option<usize>| {
            field(c).map(|t| {
                parse_number(t, table.decimal_comma)
                    .ok()
                    .flatten()
                    .ok_or_else(|| format!("{t:?} ist keine Zahl"))
            })
        };
        let placed = match (number(lon), number(lat), number(x), number(y)) {
            (Some(lon), Some(lat), _, _) => {
                lon.and_then(|lon| lat.and_then(|lat| placer.by_lonlat(lon, lat)))
            }
            (_, _, Some(x), Some(y)) => x.and_then(|x| y.and_then(|y| placer.by_xy(x, y))),
            _ => match (field(ags), field(kommune)) {
                (Some(a), _) => placer.by_ags(a),
                (None, Some(k)) => placer.by_name(k),
                (None, None) => Err("keine Koordinaten, AGS oder Kommune".to_owned()),
            },
        };
        sink.push(
            *line,
            placed,
            field(name).map(str::to_owned),
            field(site_type).map(str::to_owned),
        );
    }
    Ok(())
}

fn import_geojson(path: &Path, placer: &Placer, sink: &mut Sink) -> Result<(), LoadError> {
    sink.report.format = "GeoJSON".to_owned();
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::io(path, e))?;
    let geojson: geojson::GeoJson =
        text.parse()
            .map_err(|e: geojson::Error| LoadError::BadRecord {
                path: path.to_owned(),
                record: 0,
                detail: format!(
                    "not valid GeoJSON: {e}; export a FeatureCollection of points (RFC 7946, WGS84)"
                ),
            })?;
    let features = match geojson {
        geojson::GeoJson::FeatureCollection(fc) => fc.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(_) => {
            return Err(LoadError::BadRecord {
                path: path.to_owned(),
                record: 0,
                detail: "a bare geometry; expected a FeatureCollection of points".to_owned(),
            });
        }
    };
    for (i, feature) in features.iter().enumerate() {
        let property = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| feature.properties.as_ref()?.get(*k))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
        };
        let placed = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::Value::Point(p)) if p.len() >= 2 => placer.by_lonlat(p[0], p[1]),
            Some(other) => Err(format!("Geometrie {} statt Point", other.type_name())),
            None => Err("ohne Geometrie".to_owned()),
        };
        sink.push(
            i as u64 + 1,
            placed,
            property(&["name", "bezeichnung"]),
            property(&["type", "typ", "art"]),
        );
    }
    Ok(())
}

fn import_shapefile(path: &Path, placer: &Placer, sink: &mut Sink) -> Result<(), LoadError> {
    sink.report.format = "Shapefile".to_owned();
    let crs = crate::data::shp::read_crs(path)?;
    let to_utm = ToUtm32::from(crs);
    let mut reader = crate::data::shp::open_shapefile(path)?;
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let number = i as u64 + 1;
        let (shape, record) = match item {
            Ok(pair) => pair,
            Err(e) => {
                sink.report.failures.push((
                    number,
                    format!(
                        "defekter Datensatz: {}",
                        crate::data::shp::shapefile_detail(&e)
                    ),
                ));
                break;
            }
        };
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match record.get(k) {
                Some(shapefile::dbase::FieldValue::Character(Some(s))) => Some(s.trim().to_owned()),
                _ => None,
            })
        };
        let placed = match shape {
            shapefile::Shape::Point(p) => to_utm
                .convert(p.x, p.y)
                .ok_or_else(|| "Koordinate nicht umrechenbar".to_owned())
                .and_then(|(x, y)| placer.by_xy(x, y)),
            other => Err(format!("Geometrie {} statt Point", other.shapetype())),
        };
        sink.push(
            number,
            placed,
            text(&["name", "NAME", "Name"]),
            text(&["type", "TYPE", "typ", "TYP"]),
        );
    }
    Ok(())
}
