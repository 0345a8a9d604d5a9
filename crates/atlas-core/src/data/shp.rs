//! Reading a polygon shapefile (.shp/.shx/.dbf/.prj/.cpg) into EPSG:25832 features with their
//! text attributes, with a clear error for every way the file set can be broken.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::{MapCoords as _, MultiPolygon};
use shapefile::dbase::{self, FieldValue};
use shapefile::{Shape, ShapeReader};

use crate::data::integrity::{self, Checksums};
use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32};

/// One polygon record: geometry in EPSG:25832 and the DBF fields as text.
#[derive(Clone, Debug)]
pub struct PolygonFeature {
    /// 1-based record number in the file.
    pub record: usize,
    /// The outline, projected to EPSG:25832.
    pub geometry: MultiPolygon<f64>,
    /// DBF fields by upper-case name, as trimmed text (dates as `YYYY-MM-DD`).
    pub fields: HashMap<String, String>,
}

impl PolygonFeature {
    /// A field's text, or a [`LoadError::BadRecord`] naming the missing field.
    pub fn field(&self, path: &Path, name: &str) -> Result<&str, LoadError> {
        self.fields
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| LoadError::BadRecord {
                path: path.to_owned(),
                record: self.record,
                detail: format!("field {name} is missing or empty; is this the right layer?"),
            })
    }
}

/// The sibling file with another extension, trying lower then upper case (`x.dbf`, `x.DBF`).
pub fn sibling(shp: &Path, ext: &str) -> PathBuf {
    let lower = shp.with_extension(ext);
    if lower.exists() {
        return lower;
    }
    let upper = shp.with_extension(ext.to_ascii_uppercase());
    if upper.exists() { upper } else { lower }
}

fn require(path: PathBuf, what: &'static str, fix: &'static str) -> Result<PathBuf, LoadError> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(LoadError::MissingFile { path, what, fix })
    }
}

/// Reads the CRS from the `.prj` beside a shapefile.
pub fn read_crs(shp: &Path) -> Result<Crs, LoadError> {
    let prj = require(
        sibling(shp, "prj"),
        "coordinate reference system",
        "a shapefile needs its .prj; export the layer again with its CRS (EPSG:25832)",
    )?;
    let wkt = std::fs::read_to_string(&prj).map_err(|e| LoadError::io(&prj, e))?;
    Crs::from_wkt(&wkt).map_err(|crs| LoadError::UnsupportedCrs { path: prj, crs })
}

/// One part of a layer (`.shp`, `.shx`, …): where it is, for messages and checksums, and its bytes.
#[derive(Clone, Debug)]
pub struct Part {
    /// The file the bytes came from (or stand for, when they are made in memory).
    pub path: PathBuf,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl Part {
    fn read(path: PathBuf) -> Result<Part, LoadError> {
        let bytes = std::fs::read(&path).map_err(|e| LoadError::io(&path, e))?;
        Ok(Part { path, bytes })
    }
}

/// Repairs a `.dbf` header whose "last update" date is no calendar date (some tools write zeros
/// there) to 1970-01-01, in memory: the atlas never uses that date, and the dbase crate would
/// refuse the whole table over it.
pub fn repair_dbf_date(bytes: &mut [u8]) {
    if bytes.len() >= 4 && (!(1..=12).contains(&bytes[2]) || !(1..=31).contains(&bytes[3])) {
        bytes[1..4].copy_from_slice(&[70, 1, 1]);
    }
}

/// What a dbase error means, without the crate's internal wrapper text.
pub fn dbase_detail(e: &dbase::Error) -> String {
    match e.kind() {
        dbase::ErrorKind::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the .dbf ends too early (truncated)".to_owned()
        }
        dbase::ErrorKind::IoError(io) => format!("the .dbf header cannot be read: {io}"),
        kind if e.record_index().is_none() => kind.to_string(),
        _ => e.to_string(),
    }
}

/// What a shapefile error means, in words: the crate prints some variants in their Debug form
/// (`DbaseError(Error { kind: … })`, `MissingIndexFile`), which must not reach the user.
pub fn shapefile_detail(e: &shapefile::Error) -> String {
    match e {
        shapefile::Error::DbaseError(inner) => dbase_detail(inner),
        shapefile::Error::MissingDbf => "the .dbf with the attributes is missing".to_owned(),
        shapefile::Error::MissingIndexFile => "the .shx index is missing".to_owned(),
        shapefile::Error::InvalidPatchType(code) => format!("invalid multipatch type {code}"),
        shapefile::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends too early (truncated)".to_owned()
        }
        other => other.to_string(),
    }
}

/// The files of one shapefile layer, read into memory: everything [`read_layer`] needs.
#[derive(Clone, Debug)]
pub struct LayerBytes {
    /// The geometry.
    pub shp: Part,
    /// The index of the geometry records.
    pub shx: Part,
    /// The attributes.
    pub dbf: Part,
    /// The coordinate reference system (WKT).
    pub prj: Part,
    /// The code page of the attributes, if there is a `.cpg`; else the path it would have.
    pub cpg: Result<Part, PathBuf>,
}

impl LayerBytes {
    /// Reads the parts of the layer whose `.shp` is at `shp`; a missing part is a
    /// [`LoadError::MissingFile`] saying which and what to do.
    pub fn read(shp: &Path) -> Result<LayerBytes, LoadError> {
        let shp = require(
            shp.to_owned(),
            "shapefile geometry (.shp)",
            "copy the complete layer (.shp, .shx, .dbf, .prj) into the data folder",
        )?;
        let shx = require(
            sibling(&shp, "shx"),
            "shapefile index (.shx)",
            "copy the .shx that belongs to this .shp into the same folder",
        )?;
        let dbf = require(
            sibling(&shp, "dbf"),
            "shapefile attributes (.dbf)",
            "copy the .dbf that belongs to this .shp into the same folder",
        )?;
        let prj = require(
            sibling(&shp, "prj"),
            "coordinate reference system",
            "a shapefile needs its .prj; export the layer again with its CRS (EPSG:25832)",
        )?;
        let cpg = sibling(&shp, "cpg");
        let cpg = if cpg.is_file() {
            Ok(Part::read(cpg)?)
        } else {
            Err(cpg)
        };
        Ok(LayerBytes {
            shp: Part::read(shp)?,
            shx: Part::read(shx)?,
            dbf: Part::read(dbf)?,
            prj: Part::read(prj)?,
            cpg,
        })
    }

    /// The parts present, for checksums.
    fn parts(&self) -> impl Iterator<Item = &Part> {
        [&self.shp, &self.shx, &self.dbf, &self.prj]
            .into_iter()
            .chain(self.cpg.as_ref().ok())
    }
}

/// The features of one layer, its CRS, and the warnings found while reading it.
#[derive(Clone, Debug)]
pub struct LayerRead {
    /// The records, in file order, projected to EPSG:25832.
    pub features: Vec<PolygonFeature>,
    /// The CRS the `.prj` named.
    pub crs: Crs,
    /// Problems that did not stop the reading, one formatted line each naming file and record.
    pub warnings: Vec<String>,
}

/// Whether a `.cpg` names a single-byte Windows/Latin code page read as 1252.
fn is_single_byte(normalised: &str) -> bool {
    matches!(
        normalised,
        "1252" | "cp1252" | "windows1252" | "ansi1252" | "latin1" | "iso88591" | "88591"
    )
}

/// The DBF encoding to use: the one the `.cpg` announces (UTF-8 when there is none), unless the
/// bytes contradict it. A 1252 `.cpg` on bytes that are all valid multi-byte UTF-8 would turn
/// "Köln" into "KÃ¶ln": the bytes win, with a warning (as mojibake in names would break every
/// join by name). Non-UTF-8 bytes under a UTF-8 `.cpg` are a [`LoadError::WrongEncoding`].
fn choose_encoding(
    layer: &LayerBytes,
    warnings: &mut Vec<String>,
) -> Result<(dbase::encoding::DynEncoding, String), LoadError> {
    let name = match &layer.cpg {
        Ok(cpg) => String::from_utf8_lossy(&cpg.bytes).trim().to_owned(),
        Err(_) => "UTF-8".to_owned(),
    };
    let cpg_path = || match &layer.cpg {
        Ok(cpg) => cpg.path.clone(),
        Err(path) => path.clone(),
    };
    let normalised = name.to_ascii_lowercase().replace(['-', '_', ' '], "");
    let utf8 = || dbase::encoding::Unicode.into();
    let evidence = integrity::dbf_text_evidence(&layer.dbf.bytes);
    if matches!(normalised.as_str(), "utf8" | "65001" | "") {
        if let Some(&record) = evidence.other_records.first() {
            return Err(LoadError::WrongEncoding {
                path: layer.dbf.path.clone(),
                record,
                encoding: name,
            });
        }
        return Ok((utf8(), name));
    }
    if !is_single_byte(&normalised) {
        return Err(LoadError::BadRecord {
            path: cpg_path(),
            record: 0,
            detail: format!("unsupported code page {name:?}; use UTF-8 or 1252"),
        });
    }
    let cp1252 = || dbase::encoding::EncodingRs::from(encoding_rs::WINDOWS_1252).into();
    if evidence.utf8_records.is_empty() {
        return Ok((cp1252(), name));
    }
    let sample = String::from_utf8_lossy(&evidence.sample).into_owned();
    let (mojibake, _, _) = encoding_rs::WINDOWS_1252.decode(&evidence.sample);
    let records = &evidence.utf8_records;
    if evidence.other_records.is_empty() {
        warnings.push(format!(
            "{}: declares code page {name:?}, but {} is UTF-8: {} records hold multi-byte UTF-8 text (records {}; record {} \"{sample}\" would read as \"{mojibake}\"); read as UTF-8 — write UTF-8 into the .cpg",
            cpg_path().display(),
            layer.dbf.path.display(),
            records.len(),
            integrity::list_records(records),
            records[0],
        ));
        return Ok((utf8(), "UTF-8".to_owned()));
    }
    warnings.push(format!(
        "{}: records {} hold UTF-8 text although the .cpg declares {name:?} and other records are not UTF-8; they read as mojibake (\"{sample}\" as \"{mojibake}\") — re-export the layer in one encoding",
        layer.dbf.path.display(),
        integrity::list_records(records),
    ));
    Ok((cp1252(), name))
}

/// Reads every polygon record of a shapefile, projected to EPSG:25832, with the checks of
/// [`integrity`] (index, rings, encoding; checksums when `sums` is given).
pub fn read_polygons(shp: &Path, sums: Option<&Checksums>) -> Result<LayerRead, LoadError> {
    read_layer(&LayerBytes::read(shp)?, sums)
}

/// Reads a layer from its bytes in memory: the same checks and results as [`read_polygons`].
pub fn read_layer(layer: &LayerBytes, sums: Option<&Checksums>) -> Result<LayerRead, LoadError> {
    // Hashing and parsing are independent: do them side by side.
    let (mut warnings, read) =
        rayon::join(|| checksum_warnings(layer, sums), || parse_layer(layer));
    let mut read = read?;
    warnings.append(&mut read.warnings);
    read.warnings = warnings;
    Ok(read)
}

/// The checksum warnings of a layer's parts (none without `sums`).
fn checksum_warnings(layer: &LayerBytes, sums: Option<&Checksums>) -> Vec<String> {
    let Some(sums) = sums else {
        return Vec::new();
    };
    let mut warnings: Vec<String> = layer
        .parts()
        .filter_map(|p| sums.verify(&p.path, &p.bytes))
        .collect();
    if let Err(cpg) = &layer.cpg {
        warnings.extend(sums.missing(cpg));
    }
    warnings
}

/// Parses and checks a layer's parts (everything of [`read_layer`] but the checksums).
fn parse_layer(layer: &LayerBytes) -> Result<LayerRead, LoadError> {
    let mut warnings = Vec::new();
    let wkt = String::from_utf8_lossy(&layer.prj.bytes);
    let crs = Crs::from_wkt(&wkt).map_err(|crs| LoadError::UnsupportedCrs {
        path: layer.prj.path.clone(),
        crs,
    })?;
    let to_utm = ToUtm32::from(crs);
    let (encoding, encoding_name) = choose_encoding(layer, &mut warnings)?;
    let (shp, shx, dbf) = (&layer.shp.path, &layer.shx.path, &layer.dbf.path);

    let broken =
        |path: &Path, record: usize, e: &dyn std::fmt::Display| LoadError::BrokenShapefile {
            path: path.to_owned(),
            record,
            detail: e.to_string(),
        };
    integrity::check_index(shp, &layer.shp.bytes, shx, &layer.shx.bytes)?;
    let shapes = ShapeReader::with_shx(
        Cursor::new(&layer.shp.bytes[..]),
        Cursor::new(&layer.shx.bytes[..]),
    )
    .map_err(|e| broken(shp, 0, &shapefile_detail(&e)))?;
    let shape_count = shapes
        .shape_count()
        .map_err(|e| broken(shx, 0, &shapefile_detail(&e)))?;
    let mut dbf_bytes = layer.dbf.bytes.clone();
    repair_dbf_date(&mut dbf_bytes);
    let table = dbase::ReaderBuilder::new()
        .with_encoding(encoding)
        .build(Cursor::new(dbf_bytes))
        .map_err(|e| broken(dbf, 0, &dbase_detail(&e)))?;
    let record_count = table.header().num_records as usize;
    if record_count != shape_count {
        return Err(LoadError::BrokenShapefile {
            path: dbf.clone(),
            record: 0,
            detail: format!(
                "{record_count} attribute records but {shape_count} shapes in the .shx; the parts do not belong together"
            ),
        });
    }
    let mut reader = shapefile::Reader::new(shapes, table);

    let mut features = Vec::with_capacity(shape_count);
    for (i, item) in reader.iter_shapes_and_records().enumerate() {
        let record = i + 1;
        let (shape, attributes) = item.map_err(|e| match e {
            shapefile::Error::DbaseError(ref inner)
                if matches!(inner.kind(), dbase::ErrorKind::StringDecodeError(_)) =>
            {
                LoadError::WrongEncoding {
                    path: dbf.clone(),
                    record,
                    encoding: encoding_name.clone(),
                }
            }
            shapefile::Error::DbaseError(ref inner) => broken(dbf, record, inner),
            other => broken(shp, record, &shapefile_detail(&other)),
        })?;
        let geometry = polygon_of(shape, shp, record, &mut warnings)?;
        let geometry = project(geometry, &to_utm).ok_or_else(|| LoadError::BadRecord {
            path: shp.clone(),
            record,
            detail: "a coordinate cannot be projected to EPSG:25832 or lies outside the earth; check the .prj and the coordinates".to_owned(),
        })?;
        features.push(PolygonFeature {
            record,
            geometry,
            fields: text_fields(attributes),
        });
    }
    if features.len() != shape_count {
        return Err(LoadError::BrokenShapefile {
            path: shp.clone(),
            record: features.len() + 1,
            detail: format!(
                "only {} of {shape_count} shapes could be read",
                features.len()
            ),
        });
    }
    Ok(LayerRead {
        features,
        crs,
        warnings,
    })
}

fn polygon_of(
    shape: Shape,
    shp: &Path,
    record: usize,
    warnings: &mut Vec<String>,
) -> Result<MultiPolygon<f64>, LoadError> {
    let wrong = |found: String| LoadError::WrongGeometry {
        path: shp.to_owned(),
        record,
        found,
    };
    let broken = |e: shapefile::Error| LoadError::BrokenShapefile {
        path: shp.to_owned(),
        record,
        detail: shapefile_detail(&e),
    };
    match shape {
        Shape::Polygon(p) => {
            integrity::check_rings(p.rings(), shp, record, warnings)?;
            MultiPolygon::try_from(p).map_err(broken)
        }
        Shape::PolygonZ(p) => {
            integrity::check_rings(p.rings(), shp, record, warnings)?;
            MultiPolygon::try_from(p).map_err(broken)
        }
        Shape::PolygonM(p) => {
            integrity::check_rings(p.rings(), shp, record, warnings)?;
            MultiPolygon::try_from(p).map_err(broken)
        }
        other => Err(wrong(other.shapetype().to_string())),
    }
}

/// The largest EPSG:25832 coordinate accepted, in metres.
const MAX_COORDINATE_M: f64 = 2.0e7;

fn project(geometry: MultiPolygon<f64>, to_utm: &ToUtm32) -> Option<MultiPolygon<f64>> {
    geometry
        .try_map_coords(|c| {
            let (x, y) = to_utm.convert(c.x, c.y).ok_or(())?;
            // Beyond 20,000 km (half the circumference) from the origin a coordinate is no place on earth.
            if !(x.abs() < MAX_COORDINATE_M && y.abs() < MAX_COORDINATE_M) {
                return Err(());
            }
            Ok::<_, ()>(geo::coord! { x: x, y: y })
        })
        .ok()
}

fn text_fields(record: dbase::Record) -> HashMap<String, String> {
    let map: HashMap<String, FieldValue> = record.into();
    map.into_iter()
        .filter_map(|(name, value)| {
            let text = match value {
                FieldValue::Character(Some(s)) | FieldValue::Memo(s) => s.trim().to_owned(),
                FieldValue::Numeric(Some(n)) => n.to_string(),
                FieldValue::Integer(n) => n.to_string(),
                FieldValue::Float(Some(f)) => f.to_string(),
                FieldValue::Double(d) => d.to_string(),
                FieldValue::Date(Some(d)) => {
                    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
                }
                _ => return None,
            };
            (!text.is_empty()).then(|| (name.trim().to_ascii_uppercase(), text))
        })
        .collect()
}
