//! Own sites from a point shapefile: `.shp` with `.dbf` and `.prj` (each named when missing),
//! the `.cpg` code page honoured for the DBF text, and the `.shx` index used to seek to every
//! record, so one broken record is listed (record number and what is wrong) and the others
//! still load. Point, PointZ, PointM and MultiPoint with one point are read (Z and M dropped).
//! Without a usable `.shx` the records are read in sequence; a broken one then ends the reading
//! and the records after it are listed as not read.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use shapefile::dbase::{self, FieldValue};
use shapefile::{Shape, ShapeReader};

use super::{Kind, Placer, Problem, Sink};
use crate::data::shp::sibling;
use crate::error::LoadError;
use crate::geometry::projection::ToUtm32;
use crate::i18n::Text;

/// The DBF code page named by a `.cpg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodePage {
    /// UTF-8 (also when there is no `.cpg`).
    Utf8,
    /// Windows-1252 ("ANSI 1252"; ISO-8859-1 is read as its superset Windows-1252).
    Windows1252,
}

/// The code page a `.cpg` text names: UTF-8, 1252 / Windows-1252 / ANSI 1252, ISO-8859-1.
pub fn code_page(label: &str) -> Option<CodePage> {
    let normalised = label
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
        .replace(['-', '_', ' '], "");
    match normalised.as_str() {
        "utf8" | "65001" | "" => Some(CodePage::Utf8),
        "1252" | "cp1252" | "windows1252" | "ansi1252" | "ansi" | "latin1" | "iso88591"
        | "88591" | "28591" => Some(CodePage::Windows1252),
        _ => None,
    }
}

fn require(path: PathBuf, what: &'static str, fix: &'static str) -> Result<PathBuf, LoadError> {
    if path.is_file() {
        Ok(path)
    } else {
        Err(LoadError::MissingFile { path, what, fix })
    }
}

/// The DBF code page from the `.cpg` beside `shp`; UTF-8 without one.
fn read_code_page(shp: &Path) -> Result<(CodePage, Option<String>), LoadError> {
    let cpg = sibling(shp, "cpg");
    if !cpg.is_file() {
        return Ok((CodePage::Utf8, None));
    }
    let label = std::fs::read_to_string(&cpg).map_err(|e| LoadError::io(&cpg, e))?;
    let label = label.trim().to_owned();
    match code_page(&label) {
        Some(page) => Ok((page, Some(label))),
        None => Err(LoadError::BadRecord {
            path: cpg,
            record: 0,
            detail: format!(
                "unknown code page {label:?}; write UTF-8 or 1252 (Windows-1252) into the .cpg, whichever the .dbf was saved in"
            ),
        }),
    }
}

type Dbf = dbase::File<Cursor<Vec<u8>>>;

/// How many whole records the DBF bytes hold after their header (0 when the header is cut).
fn records_held(bytes: &[u8]) -> usize {
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    match (u16_at(8), u16_at(10)) {
        (Some(start), Some(size)) if size > 0 => {
            bytes.len().saturating_sub(usize::from(start)) / usize::from(size)
        }
        _ => 0,
    }
}

/// Opens the DBF; also returns how many records its bytes really hold.
fn open_dbf(path: &Path, page: CodePage) -> Result<(Dbf, usize), LoadError> {
    let mut bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    crate::data::shp::repair_dbf_date(&mut bytes);
    let held = records_held(&bytes);
    let source = Cursor::new(bytes);
    match page {
        CodePage::Utf8 => dbase::File::open_with_encoding(source, dbase::encoding::Unicode),
        CodePage::Windows1252 => dbase::File::open_with_encoding(
            source,
            dbase::encoding::EncodingRs::from(encoding_rs::WINDOWS_1252),
        ),
    }
    .map(|dbf| (dbf, held))
    .map_err(|e| LoadError::BrokenShapefile {
        path: path.to_owned(),
        record: 0,
        detail: format!(
            "attribute table (.dbf) unreadable: {}",
            crate::data::shp::dbase_detail(&e)
        ),
    })
}

/// The text fields of one DBF record that the import uses.
#[derive(Default)]
struct Attributes {
    name: Option<String>,
    site_type: Option<String>,
}

/// Reads name and type of DBF record `index` (0-based); `Ok(None)` for a deleted record.
fn attributes(
    dbf: &mut Dbf,
    index: usize,
    name: Option<dbase::FieldIndex>,
    site_type: Option<dbase::FieldIndex>,
) -> Result<Option<Attributes>, Problem> {
    let broken = |e: dbase::Error| {
        Problem::new(
            Kind::BrokenAttributes,
            format!("Attribute nicht lesbar: {e}; stimmt die .cpg?"),
            format!("attributes unreadable: {e}; is the .cpg right?"),
        )
    };
    let Some(mut record) = dbf.record(index) else {
        return Ok(Some(Attributes::default()));
    };
    if record.is_deleted().map_err(broken)? {
        return Ok(None);
    }
    let mut text = |field: Option<dbase::FieldIndex>| -> Result<Option<String>, Problem> {
        let Some(field) = field else {
            return Ok(None);
        };
        match record.read_field(field).map_err(broken)? {
            FieldValue::Character(text) => Ok(text.map(|t| t.trim().to_owned())),
            FieldValue::Memo(text) => Ok(Some(text.trim().to_owned())),
            other => Err(Problem::new(
                Kind::NotText,
                format!(
                    "Feld Nr. {} ist kein Textfeld, sondern {other:?}",
                    field.0 + 1
                ),
                format!("field no. {} is no text field but {other:?}", field.0 + 1),
            )),
        }
    };
    Ok(Some(Attributes {
        name: text(name)?,
        site_type: text(site_type)?,
    }))
}

/// The one (x, y) of a point-like shape; Z and M are dropped.
fn point_of(shape: &Shape) -> Result<(f64, f64), Problem> {
    let one = |points: Vec<(f64, f64)>| match points.as_slice() {
        [p] => Ok(*p),
        _ => Err(Problem::new(
            Kind::WrongGeometry,
            format!("MultiPoint mit {} Punkten statt eines Punkts", points.len()),
            format!(
                "MultiPoint with {} points instead of one point",
                points.len()
            ),
        )),
    };
    match shape {
        Shape::Point(p) => Ok((p.x, p.y)),
        Shape::PointM(p) => Ok((p.x, p.y)),
        Shape::PointZ(p) => Ok((p.x, p.y)),
        Shape::Multipoint(m) => one(m.points().iter().map(|p| (p.x, p.y)).collect()),
        Shape::MultipointM(m) => one(m.points().iter().map(|p| (p.x, p.y)).collect()),
        Shape::MultipointZ(m) => one(m.points().iter().map(|p| (p.x, p.y)).collect()),
        Shape::NullShape => Err(Problem::new(
            Kind::NoPosition,
            "leere Geometrie (Null Shape)",
            "empty geometry (null shape)",
        )),
        other => Err(Problem::new(
            Kind::WrongGeometry,
            format!("Geometrie {} statt Point", other.shapetype()),
            format!("geometry {} instead of Point", other.shapetype()),
        )),
    }
}

fn broken_record(e: &shapefile::Error) -> Problem {
    Problem::new(
        Kind::BrokenRecord,
        format!("Geometrie nicht lesbar: {e}"),
        format!("geometry unreadable: {e}"),
    )
}

/// What the shape reader yields for one record.
type ShapeResult = Result<Shape, shapefile::Error>;

/// Reads the shapes: by the `.shx` index when it is usable (each record on its own), otherwise
/// in sequence up to the first broken record. Adds a note when the index is missing or broken.
fn read_shapes(
    shp: &Path,
    bytes: Vec<u8>,
    expected: usize,
    sink: &mut Sink,
) -> Result<Vec<ShapeResult>, LoadError> {
    let header_error = |e: shapefile::Error| LoadError::BrokenShapefile {
        path: shp.to_owned(),
        record: 0,
        detail: format!("header unreadable: {e}"),
    };
    ShapeReader::new(Cursor::new(bytes.as_slice())).map_err(header_error)?;
    let shx = sibling(shp, "shx");
    let index = if shx.is_file() {
        let shx_bytes = std::fs::read(&shx).map_err(|e| LoadError::io(&shx, e))?;
        match ShapeReader::with_shx(Cursor::new(bytes.as_slice()), Cursor::new(shx_bytes)) {
            Ok(reader) => Some(reader),
            Err(e) => {
                sink.report.notes.push(Text::new(
                    format!(
                        "Index {} defekt ({e}); Datensätze der Reihe nach gelesen",
                        shx.display()
                    ),
                    format!(
                        "index {} broken ({e}); records read in sequence",
                        shx.display()
                    ),
                ));
                None
            }
        }
    } else {
        sink.report.notes.push(Text::new(
            format!(
                "Index {} fehlt; Datensätze der Reihe nach gelesen",
                shx.display()
            ),
            format!("index {} missing; records read in sequence", shx.display()),
        ));
        None
    };
    if let Some(mut reader) = index {
        let count = reader.shape_count().unwrap_or(0);
        if count != expected {
            sink.report.notes.push(Text::new(
                format!("die .shx zählt {count} Datensätze, die .dbf {expected}"),
                format!("the .shx counts {count} records, the .dbf {expected}"),
            ));
        }
        return Ok((0..count)
            .map(|i| {
                reader
                    .read_nth_shape(i)
                    .unwrap_or(Err(shapefile::Error::MissingIndexFile))
            })
            .collect());
    }
    let mut reader = ShapeReader::new(Cursor::new(bytes.as_slice())).map_err(header_error)?;
    let mut shapes = Vec::new();
    for shape in reader.iter_shapes() {
        let broken = shape.is_err();
        shapes.push(shape);
        if broken {
            return Ok(shapes);
        }
    }
    if shapes.len() != expected {
        sink.report.notes.push(Text::new(
            format!(
                "die .shp hat {} Datensätze, die .dbf {expected}",
                shapes.len()
            ),
            format!("the .shp has {} records, the .dbf {expected}", shapes.len()),
        ));
    }
    Ok(shapes)
}

/// Reads the sites of a point shapefile into `sink`.
pub(super) fn import(path: &Path, placer: &Placer, sink: &mut Sink) -> Result<(), LoadError> {
    let shp = require(
        path.to_owned(),
        "shapefile geometry (.shp)",
        "choose the .shp of the layer (it comes with .shx, .dbf and .prj)",
    )?;
    let dbf_path = require(
        sibling(&shp, "dbf"),
        "shapefile attributes (.dbf)",
        "copy the .dbf that belongs to this .shp into the same folder",
    )?;
    require(
        sibling(&shp, "prj"),
        "coordinate reference system (.prj)",
        "a shapefile needs its .prj; export the layer again with its CRS (EPSG:25832 or WGS84)",
    )?;
    let to_utm = ToUtm32::from(crate::data::shp::read_crs(&shp)?);
    let (page, label) = read_code_page(&shp)?;
    sink.report.format = Text::new(
        format!(
            "Shapefile ({})",
            label.as_deref().unwrap_or("UTF-8, ohne .cpg")
        ),
        format!(
            "Shapefile ({})",
            label.as_deref().unwrap_or("UTF-8, no .cpg")
        ),
    );
    let (mut dbf, held) = open_dbf(&dbf_path, page)?;
    let declared = dbf.num_records();
    let expected = declared.min(held);
    if declared > held {
        sink.report.notes.push(Text::new(
            format!("die .dbf nennt {declared} Datensätze, enthält aber nur {held}"),
            format!("the .dbf declares {declared} records but holds only {held}"),
        ));
    }
    let name = ["name", "bezeichnung"]
        .iter()
        .find_map(|f| dbf.field_index(f));
    let site_type = ["type", "typ", "art"]
        .iter()
        .find_map(|f| dbf.field_index(f));
    let bytes = std::fs::read(&shp).map_err(|e| LoadError::io(&shp, e))?;
    let shapes = read_shapes(&shp, bytes, expected, sink)?;
    let mut deleted = 0usize;
    let read = shapes.len();
    for (i, shape) in shapes.into_iter().enumerate() {
        let number = i as u64 + 1;
        let attributes = attributes(&mut dbf, i, name, site_type);
        let label = attributes
            .as_ref()
            .ok()
            .and_then(|a| a.as_ref()?.name.as_ref())
            .map(|n| format!("{n:?}"));
        let attributes = match attributes {
            Ok(Some(a)) => a,
            Ok(None) => {
                deleted += 1;
                continue;
            }
            Err(problem) => {
                sink.fail(number, label, problem);
                continue;
            }
        };
        let placed = shape
            .map_err(|e| broken_record(&e))
            .and_then(|s| point_of(&s))
            .and_then(|(x, y)| {
                if !(x.is_finite() && y.is_finite()) {
                    return Err(Problem::new(
                        Kind::BadPosition,
                        format!("Koordinate {x} {y} ist keine Zahl"),
                        format!("coordinate {x} {y} is not a number"),
                    ));
                }
                to_utm.convert(x, y).ok_or_else(|| {
                    Problem::new(
                        Kind::BadPosition,
                        format!("Koordinate {x} {y} nicht umrechenbar"),
                        format!("coordinate {x} {y} cannot be converted"),
                    )
                })
            })
            .and_then(|(x, y)| placer.by_xy(x, y));
        sink.push(
            number,
            label,
            placed,
            attributes.name.as_deref(),
            attributes.site_type.as_deref(),
        );
    }
    not_read(read, expected, sink);
    if deleted > 0 {
        sink.report.notes.push(Text::new(
            format!("{deleted} gelöschte Datensätze übersprungen"),
            format!("{deleted} deleted records skipped"),
        ));
    }
    Ok(())
}

/// Lists the records the .dbf has but the geometry reading did not reach.
fn not_read(read: usize, expected: usize, sink: &mut Sink) {
    for i in read..expected {
        sink.fail(
            i as u64 + 1,
            None,
            Problem::new(
                Kind::NotRead,
                "Geometrie nicht erreicht (nach einem defekten Datensatz ohne gültige .shx, oder die .shp endet vor der .dbf)",
                "geometry not reached (after a broken record without a valid .shx, or the .shp ends before the .dbf)",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_pages_of_common_cpg_files() {
        assert_eq!(code_page("UTF-8"), Some(CodePage::Utf8));
        assert_eq!(code_page("65001\r\n"), Some(CodePage::Utf8));
        for label in [
            "1252",
            "ANSI 1252",
            "Windows-1252",
            "ISO-8859-1",
            "ISO 88591",
            "CP1252",
        ] {
            assert_eq!(code_page(label), Some(CodePage::Windows1252), "{label}");
        }
        assert_eq!(code_page("KOI8-R"), None);
    }
}
