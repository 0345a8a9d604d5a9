//! Load errors: one enum for everything that can go wrong reading the data folder.
//!
//! Every variant names the file, the record or line where it applies, and what to do about it.

use std::path::PathBuf;

/// An error while reading boundary shapefiles or statistics.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The data folder itself does not exist.
    #[error(
        "data folder {} not found; choose the folder holding the DVG2 shapefiles (or set INTEGRATIONSATLAS_DATA to it)",
        .0.display()
    )]
    MissingDataDir(PathBuf),

    /// A required file is absent.
    #[error("{}: file missing ({what}); {fix}", .path.display())]
    MissingFile {
        /// The file that was expected.
        path: PathBuf,
        /// What the file is for.
        what: &'static str,
        /// What the user can do.
        fix: &'static str,
    },

    /// Reading a file failed at the operating-system level.
    #[error("{}: cannot read: {}", .path.display(), read_problem(.source))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The shapefile's .prj names a coordinate reference system the atlas cannot convert.
    #[error(
        "{}: unsupported coordinate reference system {crs:?}; reproject the layer to EPSG:25832 (ETRS89 / UTM 32N), e.g. with QGIS or `ogr2ogr -t_srs EPSG:25832`",
        .path.display()
    )]
    UnsupportedCrs {
        /// The .prj file.
        path: PathBuf,
        /// The CRS name found in the file.
        crs: String,
    },

    /// The shapefile is truncated or corrupt.
    #[error("{}: broken shapefile at record {record}: {detail}; re-export or re-download the layer", .path.display())]
    BrokenShapefile {
        /// The .shp or .dbf file.
        path: PathBuf,
        /// 1-based record number, 0 for the header.
        record: usize,
        /// What the reader reported.
        detail: String,
    },

    /// A DBF text field is not in the encoding announced by the .cpg file.
    #[error(
        "{}: record {record}: text is not valid {encoding}; write the layer's code page (UTF-8 or 1252) into a .cpg file beside it",
        .path.display()
    )]
    WrongEncoding {
        /// The .dbf file.
        path: PathBuf,
        /// 1-based record number.
        record: usize,
        /// The encoding that was tried.
        encoding: String,
    },

    /// A record lacks a field or has a bad value.
    #[error("{}: record {record}: {detail}", .path.display())]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// 1-based record (shapefile) or line (CSV) number.
        record: usize,
        /// What is wrong and what to do.
        detail: String,
    },

    /// A shape is not a polygon where polygons are needed.
    #[error("{}: record {record}: expected a polygon, found {found}; this layer must hold polygons", .path.display())]
    WrongGeometry {
        /// The .shp file.
        path: PathBuf,
        /// 1-based record number.
        record: usize,
        /// The shape type found.
        found: String,
    },

    /// A row of a CSV file cannot be parsed.
    #[error("{}: line {line}: {detail}", .path.display())]
    BadCsv {
        /// The CSV file.
        path: PathBuf,
        /// 1-based line number in the file (the header is line 1).
        line: u64,
        /// What is wrong and what to do.
        detail: String,
    },

    /// A region of the boundaries has no row in the statistics, or the reverse.
    #[error("{}: {detail}", .path.display())]
    JoinMismatch {
        /// The statistics file.
        path: PathBuf,
        /// The keys that did not join.
        detail: String,
    },

    /// A polygon record's geometry cannot be used: a coordinate that is not a finite number, a
    /// ring of fewer than 4 points, or no area at all.
    #[error(
        "{}: record {record}: invalid geometry: {detail}; repair the layer (QGIS \"Fix geometries\", `ogr2ogr -makevalid`) or re-download it",
        .path.display()
    )]
    InvalidGeometry {
        /// The .shp file.
        path: PathBuf,
        /// 1-based record number.
        record: usize,
        /// Which part and point, and what is wrong.
        detail: String,
    },

    /// The files contradict each other: a Gemeinde lies outside the Kreis its key names, or the
    /// layers do not cover the same area (one of them has a wrong .prj).
    #[error("{}: {}{detail}", .path.display(), at_record(*.record))]
    Inconsistent {
        /// The file that disagrees with the others.
        path: PathBuf,
        /// 1-based record number, 0 when the whole file is concerned.
        record: usize,
        /// What disagrees with what, and what to do.
        detail: String,
    },

    /// The data folder given is a file.
    #[error(
        "data folder {} is a file, not a folder; choose the folder holding dvg2/ and stats/ (or set INTEGRATIONSATLAS_DATA to it)",
        .0.display()
    )]
    DataDirIsFile(PathBuf),
}

/// "record 12: " for a record number, nothing for 0 (the whole file).
fn at_record(record: usize) -> String {
    if record == 0 {
        String::new()
    } else {
        format!("record {record}: ")
    }
}

/// What a failed read means and what to do, in one phrase without the file's path (the error
/// names it): "is a folder, not a file: give the file's path", "file not found: check the
/// path", … Other errors give the operating system's text.
pub fn read_problem(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::IsADirectory => "is a folder, not a file: give the file's path".to_owned(),
        ErrorKind::NotADirectory => {
            "a part of the path is a file, not a folder: check the path".to_owned()
        }
        ErrorKind::NotFound => "file not found: check the path".to_owned(),
        ErrorKind::PermissionDenied => {
            "permission denied: make the file readable or copy it elsewhere".to_owned()
        }
        ErrorKind::InvalidData => format!("{err}: save the file as UTF-8 text"),
        _ => err.to_string(),
    }
}

/// German for "record 12: ", nothing for 0 (the whole file).
fn at_record_de(record: usize) -> String {
    if record == 0 {
        String::new()
    } else {
        format!("Datensatz {record}: ")
    }
}

/// [`read_problem`] in German: what a failed read means and what to do.
pub fn read_problem_de(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::IsADirectory => {
            "ist ein Ordner, keine Datei: bitte den Pfad der Datei angeben".to_owned()
        }
        ErrorKind::NotADirectory => {
            "ein Teil des Pfads ist eine Datei, kein Ordner: bitte den Pfad prüfen".to_owned()
        }
        ErrorKind::NotFound => "Datei nicht gefunden: bitte den Pfad prüfen".to_owned(),
        ErrorKind::PermissionDenied => {
            "keine Leseberechtigung: Datei lesbar machen oder an einen anderen Ort kopieren"
                .to_owned()
        }
        ErrorKind::InvalidData => format!("{err}: Datei als UTF-8-Text speichern"),
        _ => err.to_string(),
    }
}

impl crate::i18n::Localized for LoadError {
    /// English is the `Display` text; German frames the same facts (details the readers report
    /// in English stay as they are).
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.to_string();
        }
        match self {
            LoadError::MissingDataDir(dir) => format!(
                "Datenordner {} nicht gefunden; bitte den Ordner mit den DVG2-Shapefiles wählen (oder INTEGRATIONSATLAS_DATA darauf setzen)",
                dir.display()
            ),
            LoadError::MissingFile { path, what, fix } => {
                format!("{}: Datei fehlt ({what}); {fix}", path.display())
            }
            LoadError::Io { path, source } => format!(
                "{}: kann nicht gelesen werden: {}",
                path.display(),
                read_problem_de(source)
            ),
            LoadError::UnsupportedCrs { path, crs } => format!(
                "{}: Koordinatenbezugssystem {crs:?} wird nicht unterstützt; bitte die Ebene nach EPSG:25832 (ETRS89 / UTM 32N) umprojizieren, z. B. mit QGIS oder `ogr2ogr -t_srs EPSG:25832`",
                path.display()
            ),
            LoadError::BrokenShapefile {
                path,
                record,
                detail,
            } => format!(
                "{}: Shapefile beschädigt bei Datensatz {record}: {detail}; bitte die Ebene neu exportieren oder herunterladen",
                path.display()
            ),
            LoadError::WrongEncoding {
                path,
                record,
                encoding,
            } => format!(
                "{}: Datensatz {record}: Text ist kein gültiges {encoding}; bitte die Codepage der Ebene (UTF-8 oder 1252) in eine .cpg-Datei daneben schreiben",
                path.display()
            ),
            LoadError::BadRecord {
                path,
                record,
                detail,
            } => format!("{}: Datensatz {record}: {detail}", path.display()),
            LoadError::WrongGeometry {
                path,
                record,
                found,
            } => format!(
                "{}: Datensatz {record}: Polygon erwartet, {found} gefunden; diese Ebene muss Polygone enthalten",
                path.display()
            ),
            LoadError::BadCsv { path, line, detail } => {
                format!("{}: Zeile {line}: {detail}", path.display())
            }
            LoadError::JoinMismatch { path, detail } => {
                format!("{}: {detail}", path.display())
            }
            LoadError::InvalidGeometry {
                path,
                record,
                detail,
            } => format!(
                "{}: Datensatz {record}: ungültige Geometrie: {detail}; bitte die Ebene reparieren (QGIS „Geometrien reparieren“, `ogr2ogr -makevalid`) oder neu herunterladen",
                path.display()
            ),
            LoadError::Inconsistent {
                path,
                record,
                detail,
            } => format!("{}: {}{detail}", path.display(), at_record_de(*record)),
            LoadError::DataDirIsFile(dir) => format!(
                "Datenordner {} ist eine Datei, kein Ordner; bitte den Ordner mit dvg2/ und stats/ wählen (oder INTEGRATIONSATLAS_DATA darauf setzen)",
                dir.display()
            ),
        }
    }
}

impl LoadError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_error_says_its_cause_once_with_a_hint() {
        let err = LoadError::io("/x/punkte.csv", std::io::ErrorKind::IsADirectory.into());
        assert_eq!(
            err.to_string(),
            "/x/punkte.csv: cannot read: is a folder, not a file: give the file's path"
        );
        let err = LoadError::io("/x/punkte.csv", std::io::Error::from_raw_os_error(2));
        assert_eq!(
            err.to_string(),
            "/x/punkte.csv: cannot read: file not found: check the path"
        );
    }

    #[test]
    fn a_load_error_reads_in_german_and_keeps_its_english_display() {
        use crate::i18n::{Lang, Localized as _};
        let err = LoadError::io("/x/eigene.csv", std::io::ErrorKind::NotFound.into());
        assert_eq!(
            err.localized(Lang::De),
            "/x/eigene.csv: kann nicht gelesen werden: Datei nicht gefunden: bitte den Pfad prüfen"
        );
        assert_eq!(err.localized(Lang::En), err.to_string());
        let err = LoadError::BadCsv {
            path: "/x/eigene.csv".into(),
            line: 3,
            detail: "3 fields, header has 2".to_owned(),
        };
        assert_eq!(
            err.localized(Lang::De),
            "/x/eigene.csv: Zeile 3: 3 fields, header has 2"
        );
        assert_eq!(
            err.to_string(),
            "/x/eigene.csv: line 3: 3 fields, header has 2"
        );
        let err = LoadError::Inconsistent {
            path: "/x/a.shp".into(),
            record: 0,
            detail: "x".to_owned(),
        };
        assert_eq!(err.localized(Lang::De), "/x/a.shp: x");
    }
}
