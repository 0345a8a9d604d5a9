//! A planner's own figures from a CSV file: comma or semicolon, decimal comma or point, UTF-8 or
//! Windows-1252, AGS with or without the leading zero. Rows that do not join or parse are listed
//! in a [`JoinReport`], never dropped silently.

use std::path::{Path, PathBuf};

use crate::analysis::indicators::{Indicator, Values};
use crate::error::LoadError;
use crate::model::{Ags, Atlas, Level};

/// A CSV file read as text, with what was detected about it.
#[derive(Clone, Debug)]
pub struct OwnTable {
    /// The file.
    pub path: PathBuf,
    /// Column names.
    pub headers: Vec<String>,
    /// Data rows with their 1-based line number.
    pub rows: Vec<(u64, Vec<String>)>,
    /// The field separator found.
    pub delimiter: u8,
    /// "UTF-8" or "Windows-1252".
    pub encoding: &'static str,
    /// True when numbers use a decimal comma (1.234,5).
    pub decimal_comma: bool,
}

impl OwnTable {
    /// The position of a column by name (case-insensitive, trimmed).
    pub fn column(&self, name: &str) -> Result<usize, LoadError> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| LoadError::BadCsv {
                path: self.path.clone(),
                line: 1,
                detail: format!(
                    "no column {name:?}; the columns are {}",
                    self.headers.join(", ")
                ),
            })
    }
}

/// Reads a CSV file, detecting encoding, separator and decimal mark.
pub fn read_own_csv(path: &Path) -> Result<OwnTable, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), "Windows-1252")
        }
    };
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&d| header_line.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| crate::data::csv_lines::csv_error(path, e, None))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.len() < 2 {
        return Err(LoadError::BadCsv {
            path: path.to_owned(),
            line: 1,
            detail: "fewer than two columns; separate key and value by ; or ,".to_owned(),
        });
    }
    let mut rows = Vec::new();
    let mut line = 1u64;
    for record in reader.records() {
        let record = record.map_err(|e| crate::data::csv_lines::csv_error(path, e, None))?;
        line = record.position().map_or(line + 1, |p| {
            crate::data::csv_lines::line_at(text.as_bytes(), p.byte() as usize)
        });
        rows.push((line, record.iter().map(|f| f.trim().to_owned()).collect()));
    }
    let decimal_comma = delimiter != b','
        && rows
            .iter()
            .flat_map(|(_, r)| r)
            .any(|f: &String| looks_decimal_comma(f));
    Ok(OwnTable {
        path: path.to_owned(),
        headers,
        rows,
        delimiter,
        encoding,
        decimal_comma,
    })
}

fn looks_decimal_comma(field: &str) -> bool {
    let mut parts = field.rsplitn(2, ',');
    let (Some(tail), Some(head)) = (parts.next(), parts.next()) else {
        return false;
    };
    !tail.is_empty()
        && tail.bytes().all(|b| b.is_ascii_digit())
        && head
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.')
}

/// A text that is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotANumber;

/// Parses a number in the table's style: "1.234,5" with a decimal comma, "1,234.5" or "1234.5"
/// otherwise. Empty text and "NA"/"-" are no value (`Ok(None)`); anything else unparseable is an error.
pub fn parse_number(text: &str, decimal_comma: bool) -> Result<Option<f64>, NotANumber> {
    let t = text.trim();
    if t.is_empty() || matches!(t, "-" | "–" | "NA" | "n/a" | "." | "x") {
        return Ok(None);
    }
    let normalised = if decimal_comma {
        t.replace(['.', ' ', '\u{a0}'], "").replace(',', ".")
    } else {
        t.replace([',', ' ', '\u{a0}'], "")
    };
    match normalised.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(NotANumber),
    }
}

/// What happened when own figures were joined to the regions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JoinReport {
    /// Rows that joined a region.
    pub joined: usize,
    /// Rows whose key is no region of the level: (line, key).
    pub unknown_keys: Vec<(u64, String)>,
    /// Rows whose value is not a number: (line, text).
    pub bad_values: Vec<(u64, String)>,
    /// Rows whose key appeared before; the first row counts: (line, key).
    pub duplicates: Vec<(u64, String)>,
    /// Rows with an empty value (shown as no-data).
    pub empty_values: Vec<(u64, String)>,
    /// Regions of the level without any row (no-data).
    pub regions_without_row: usize,
}

impl JoinReport {
    /// True when every row joined with a number.
    pub fn is_clean(&self) -> bool {
        self.unknown_keys.is_empty() && self.bad_values.is_empty() && self.duplicates.is_empty()
    }

    /// The report as lines for people (German or English).
    pub fn lines(&self, lang: crate::i18n::Lang) -> Vec<String> {
        let mut out = vec![format!(
            "{} {}, {} {}",
            self.joined,
            lang.pick("Zeilen zugeordnet", "rows joined"),
            self.regions_without_row,
            lang.pick("Gebiete ohne Wert", "regions without a value")
        )];
        let groups = [
            (
                lang.pick("unbekannter Schlüssel", "unknown key"),
                &self.unknown_keys,
            ),
            (lang.pick("keine Zahl", "not a number"), &self.bad_values),
            (
                lang.pick(
                    "doppelter Schlüssel (erste Zeile gilt)",
                    "duplicate key (first row kept)",
                ),
                &self.duplicates,
            ),
            (lang.pick("leerer Wert", "empty value"), &self.empty_values),
        ];
        for (what, items) in groups {
            for (line, text) in items {
                out.push(format!(
                    "{} {line}: {what}: {text:?}",
                    lang.pick("Zeile", "line")
                ));
            }
        }
        out
    }
}

/// Joins a value column to the regions of `level` by a key column holding AGS.
pub fn join_own(
    atlas: &Atlas,
    table: &OwnTable,
    key_column: &str,
    value_column: &str,
    level: Level,
) -> Result<(Indicator, JoinReport), LoadError> {
    let key_col = table.column(key_column)?;
    let value_col = table.column(value_column)?;
    let regions = atlas.regions(level);
    let mut values = vec![None; regions.len()];
    let mut seen = vec![false; regions.len()];
    let mut report = JoinReport::default();
    for (line, row) in &table.rows {
        let key = row.get(key_col).map(String::as_str).unwrap_or_default();
        let text = row.get(value_col).map(String::as_str).unwrap_or_default();
        let id = Ags::parse(key)
            .filter(|a| a.level() == level)
            .and_then(|a| atlas.id_of(&a));
        let Some(id) = id else {
            report.unknown_keys.push((*line, key.to_owned()));
            continue;
        };
        if seen[id.index] {
            report.duplicates.push((*line, key.to_owned()));
            continue;
        }
        seen[id.index] = true;
        match parse_number(text, table.decimal_comma) {
            Ok(Some(v)) => {
                values[id.index] = Some(v);
                report.joined += 1;
            }
            Ok(None) => report.empty_values.push((*line, key.to_owned())),
            Err(NotANumber) => report.bad_values.push((*line, text.to_owned())),
        }
    }
    report.regions_without_row = seen.iter().filter(|s| !**s).count();
    let name = table
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let indicator = Indicator {
        key: format!("own:{value_column}"),
        label_de: format!("{value_column} (eigene Daten)"),
        label_en: format!("{value_column} (own data)"),
        unit: String::new(),
        source: format!("eigene Daten: {name}, Spalte {value_column}"),
        note: (!report.is_clean()).then(|| {
            let skipped =
                report.unknown_keys.len() + report.bad_values.len() + report.duplicates.len();
            crate::i18n::Text::new(
                format!("{skipped} Zeilen nicht übernommen (siehe Importbericht)"),
                format!("{skipped} lines not taken over (see the import report)"),
            )
        }),
        decimals: decimals_of(&values),
        level,
        values: Values::Numeric(values),
    };
    Ok((indicator, report))
}

/// Decimals to show: none for whole numbers, else up to two.
fn decimals_of(values: &[Option<f64>]) -> usize {
    if values.iter().flatten().all(|v| v.fract() == 0.0) {
        0
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_german_and_english_style() {
        assert_eq!(parse_number("1.234,5", true), Ok(Some(1234.5)));
        assert_eq!(parse_number("-0,25", true), Ok(Some(-0.25)));
        assert_eq!(parse_number("1,234.5", false), Ok(Some(1234.5)));
        assert_eq!(parse_number("12.5", false), Ok(Some(12.5)));
        assert_eq!(parse_number("", true), Ok(None));
        assert_eq!(parse_number("NA", false), Ok(None));
        assert_eq!(parse_number("zwölf", true), Err(NotANumber));
    }

    #[test]
    fn decimal_comma_is_recognised() {
        assert!(looks_decimal_comma("12,5"));
        assert!(looks_decimal_comma("1.234,56"));
        assert!(!looks_decimal_comma("05315000"));
        assert!(!looks_decimal_comma("Köln, Stadt"));
    }
}
