//! Reading a polygon shapefile (.shp/.shx/.dbf/.prj/.cpg) into EPSG:25832 features with their
//! text attributes, with a clear error for every way the file set can be broken.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use geo::{MapCoords as _, MultiPolygon};
use shapefile::dbase::{self, FieldValue};
use shapefile::{Shape, ShapeReader};

use crate::error::LoadError;
use crate::projection::{Crs, ToUtm32};

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

/// The DBF encoding announced by the `.cpg` beside a shapefile; UTF-8 when there is none.
fn read_encoding(shp: &Path) -> Result<(dbase::encoding::DynEncoding, String), LoadError> {
    let cpg = sibling(shp, "cpg");
    let name = if cpg.is_file() {
        std::fs::read_to_string(&cpg)
            .map_err(|e| LoadError::io(&cpg, e))?
            .trim()
            .to_owned()
    } else {
        "UTF-8".to_owned()
    };
    let normalised = name.to_ascii_lowercase().replace(['-', '_', ' '], "");
    let encoding: dbase::encoding::DynEncoding = match normalised.as_str() {
        "utf8" | "65001" | "" => dbase::encoding::Unicode.into(),
        "1252" | "cp1252" | "windows1252" | "ansi1252" | "latin1" | "iso88591" | "88591" => {
            dbase::encoding::EncodingRs::from(encoding_rs::WINDOWS_1252).into()
        }
        _ => {
            return Err(LoadError::BadRecord {
                path: cpg,
                record: 0,
                detail: format!("unsupported code page {name:?}; use UTF-8 or 1252"),
            });
        }
    };
    Ok((encoding, name))
}

/// A shapefile's attribute table, read into memory. A header whose "last update" date is no
/// calendar date (some tools write zeros there) gets 1970-01-01 instead: the atlas never uses
/// that date, and the dbase crate would refuse the whole table over it.
fn dbf_source(dbf: &Path) -> Result<Cursor<Vec<u8>>, LoadError> {
    let mut bytes = std::fs::read(dbf).map_err(|e| LoadError::io(dbf, e))?;
    if bytes.len() >= 4 && (!(1..=12).contains(&bytes[2]) || !(1..=31).contains(&bytes[3])) {
        bytes[1..4].copy_from_slice(&[70, 1, 1]);
    }
    Ok(Cursor::new(bytes))
}

/// What a dbase error means, without the crate's internal wrapper text.
fn dbase_detail(e: &dbase::Error) -> String {
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

/// Opens a shapefile (.shp, .shx if present, .dbf in the encoding of its .cpg) for reading
/// records with their attributes, tolerating a .dbf header without a valid date.
pub fn open_shapefile(
    shp: &Path,
) -> Result<shapefile::Reader<BufReader<File>, Cursor<Vec<u8>>>, LoadError> {
    let broken = |path: &Path, detail: String| LoadError::BrokenShapefile {
        path: path.to_owned(),
        record: 0,
        detail,
    };
    let shapes = ShapeReader::from_path(shp).map_err(|e| broken(shp, shapefile_detail(&e)))?;
    let dbf = require(
        sibling(shp, "dbf"),
        "shapefile attributes (.dbf)",
        "copy the .dbf that belongs to this .shp into the same folder",
    )?;
    let (encoding, _) = read_encoding(shp)?;
    let table = dbase::ReaderBuilder::new()
        .with_encoding(encoding)
        .build(dbf_source(&dbf)?)
        .map_err(|e| broken(&dbf, dbase_detail(&e)))?;
    Ok(shapefile::Reader::new(shapes, table))
}

/// Reads every polygon record of a shapefile, projected to EPSG:25832.
pub fn read_polygons(shp: &Path) -> Result<Vec<PolygonFeature>, LoadError> {
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
    let to_utm = ToUtm32::from(read_crs(&shp)?);
    let (encoding, encoding_name) = read_encoding(&shp)?;

    let open = |p: &Path| {
        File::open(p)
            .map(BufReader::new)
            .map_err(|e| LoadError::io(p, e))
    };
    let broken =
        |path: &Path, record: usize, e: &dyn std::fmt::Display| LoadError::BrokenShapefile {
            path: path.to_owned(),
            record,
            detail: e.to_string(),
        };
    let shapes = ShapeReader::with_shx(open(&shp)?, open(&shx)?)
        .map_err(|e| broken(&shp, 0, &shapefile_detail(&e)))?;
    let shape_count = shapes
        .shape_count()
        .map_err(|e| broken(&shx, 0, &shapefile_detail(&e)))?;
    let table = dbase::ReaderBuilder::new()
        .with_encoding(encoding)
        .build(dbf_source(&dbf)?)
        .map_err(|e| broken(&dbf, 0, &dbase_detail(&e)))?;
    let record_count = table.header().num_records as usize;
    if record_count != shape_count {
        return Err(LoadError::BrokenShapefile {
            path: dbf,
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
            shapefile::Error::DbaseError(ref inner) => broken(&dbf, record, inner),
            other => broken(&shp, record, &shapefile_detail(&other)),
        })?;
        let geometry = polygon_of(shape, &shp, record)?;
        let geometry = project(geometry, &to_utm).ok_or_else(|| LoadError::BadRecord {
            path: shp.clone(),
            record,
            detail: "a coordinate cannot be projected to EPSG:25832; check the .prj".to_owned(),
        })?;
        features.push(PolygonFeature {
            record,
            geometry,
            fields: text_fields(attributes),
        });
    }
    if features.len() != shape_count {
        return Err(LoadError::BrokenShapefile {
            path: shp,
            record: features.len() + 1,
            detail: format!(
                "only {} of {shape_count} shapes could be read",
                features.len()
            ),
        });
    }
    Ok(features)
}

fn polygon_of(shape: Shape, shp: &Path, record: usize) -> Result<MultiPolygon<f64>, LoadError> {
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
        Shape::Polygon(p) => MultiPolygon::try_from(p).map_err(broken),
        Shape::PolygonZ(p) => MultiPolygon::try_from(p).map_err(broken),
        Shape::PolygonM(p) => MultiPolygon::try_from(p).map_err(broken),
        other => Err(wrong(other.shapetype().to_string())),
    }
}

fn project(geometry: MultiPolygon<f64>, to_utm: &ToUtm32) -> Option<MultiPolygon<f64>> {
    geometry
        .try_map_coords(|c| {
            let (x, y) = to_utm.convert(c.x, c.y).ok_or(())?;
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
