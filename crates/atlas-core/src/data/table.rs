//! Checked reading of the atlas's own CSV files (thematic tables, site registry, statistics).
//!
//! [`read_rows`] refuses a file that cannot be trusted as a whole: empty, header only, a column
//! the rows need is missing (renamed), cut off (no line end after the last line, or a quoted
//! field left open), or a row that does not parse. Line numbers are counted in one pass over the
//! bytes. [`Findings`] collects problems of one kind in one file (keys that do not join, values
//! out of range) and reports them as one line with the first ten items and a count.
#![allow(
    clippy::cast_possible_truncation,
    reason = "byte offsets into a file held in memory fit in usize"
)]

use std::path::Path;

use serde::de::{DeserializeOwned, Deserializer, Visitor};

use crate::data::csv_lines::csv_error;
use crate::error::LoadError;

/// How many items a [`Findings`] line names before it only counts.
pub const SHOWN: usize = 10;

/// Counts lines from byte offsets that only grow, in one pass over the file.
struct LineCounter<'a> {
    bytes: &'a [u8],
    done: usize,
    newlines: u64,
}

impl LineCounter<'_> {
    /// The 1-based line of the record starting at `byte` (see [`crate::data::csv_lines`] on
    /// CRLF positions: the `\n` at `byte` itself is counted too).
    fn line_at(&mut self, byte: u64) -> u64 {
        let end = (byte as usize + 1).min(self.bytes.len()).max(self.done);
        self.newlines += self.bytes[self.done..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.done = end;
        1 + self.newlines
    }
}

/// The field names of a struct `T` as serde sees them (with renames), read by a deserializer
/// that only records what `deserialize_struct` is asked for.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldProbe(&mut fields));
    fields
}

struct FieldProbe<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldProbe<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("field probe"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("field probe"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn bad(path: &Path, line: u64, detail: String) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    }
}

/// Refuses an empty file and one cut off in its last line (no line end, or a quote left open).
fn check_whole(path: &Path, bytes: &[u8]) -> Result<(), LoadError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(bad(
            path,
            1,
            "the file is empty; copy it again from the bundled geodata/".to_owned(),
        ));
    }
    let last_line = 1 + bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    if bytes.last() != Some(&b'\n') {
        return Err(bad(
            path,
            last_line,
            "the last line has no line end: the file looks cut off (truncated); copy it again, \
             or end the file with a line break if that row is complete"
                .to_owned(),
        ));
    }
    if bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Err(bad(
            path,
            last_line - 1,
            "a quoted field is never closed (odd number of \" characters): the file looks cut \
             off or a quote is missing; copy it again or fix the quotes"
                .to_owned(),
        ));
    }
    Ok(())
}

/// Refuses a header that lacks a column the rows need, naming the expected and found columns.
fn check_header(
    path: &Path,
    headers: &csv::StringRecord,
    needed: &[&str],
) -> Result<(), LoadError> {
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|n| !headers.iter().any(|h| h.trim() == *n))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let found: Vec<&str> = headers.iter().collect();
    Err(bad(
        path,
        1,
        format!(
            "column {} missing from the header (expected columns: {}; found: {}); rename the column back or copy the file again",
            missing.join(", "),
            needed.join(", "),
            found.join(", ")
        ),
    ))
}

/// Reads every row of a CSV file as `T`, with its 1-based line number, after the checks of the
/// module doc. Any problem is a [`LoadError::BadCsv`] naming the line.
pub fn read_rows<T: DeserializeOwned>(path: &Path) -> Result<Vec<(u64, T)>, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    check_whole(path, &bytes)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| csv_error(path, e, None))?
        .clone();
    check_header(path, &headers, field_names::<T>())?;
    let mut lines = LineCounter {
        bytes: &bytes,
        done: 0,
        newlines: 0,
    };
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(path, e, Some(&headers)))?
    {
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let row = record
            .deserialize(Some(&headers))
            .map_err(|e| csv_error(path, e, Some(&headers)).at_line(line))?;
        rows.push((line, row));
    }
    if rows.is_empty() {
        return Err(bad(
            path,
            2,
            "the file has a header but no rows; copy it again from the bundled geodata/".to_owned(),
        ));
    }
    Ok(rows)
}

/// Problems of one kind found in one file, reported as one warning line.
#[derive(Debug)]
pub struct Findings {
    what: String,
    items: Vec<String>,
}

impl Findings {
    /// Collects problems described by `what`, e.g. "values out of range, read as no data".
    pub fn new(what: impl Into<String>) -> Findings {
        Findings {
            what: what.into(),
            items: Vec::new(),
        }
    }

    /// Adds one problem, e.g. "line 7: AGS 05999".
    pub fn push(&mut self, item: String) {
        self.items.push(item);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The warning line: file, count, kind, the first [`SHOWN`] items and how many more.
    pub fn line(&self, path: &Path) -> Option<String> {
        if self.items.is_empty() {
            return None;
        }
        let shown = self.items[..self.items.len().min(SHOWN)].join("; ");
        let more = match self.items.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!("; … and {n} more"),
        };
        Some(format!(
            "{}: {} {}: {shown}{more}",
            path.display(),
            self.items.len(),
            self.what
        ))
    }
}

/// The admissible values of a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Range {
    /// A percentage share, 0 to 100.
    Share,
    /// A count of things or people, 0 or more.
    Count,
    /// A whole count, 0 or more.
    WholeCount,
}

impl Range {
    /// True if `value` is finite and admissible.
    pub fn admits(self, value: f64) -> bool {
        value.is_finite()
            && match self {
                Range::Share => (0.0..=100.0).contains(&value),
                Range::Count => value >= 0.0,
                Range::WholeCount => value >= 0.0 && value.fract() == 0.0,
            }
    }

    /// What an admissible value is, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Range::Share => "a share from 0 to 100",
            Range::Count => "a number of 0 or more",
            Range::WholeCount => "a whole number of 0 or more",
        }
    }
}

/// A checked value: `value` if admissible, else `None` with a finding naming line and column.
/// An empty cell (`None`) is no data and is reported to `empty`.
pub fn checked(
    value: Option<f64>,
    range: Range,
    line: u64,
    column: &str,
    out_of_range: &mut Findings,
    empty: &mut Findings,
) -> Option<f64> {
    match value {
        None => {
            empty.push(format!("line {line}: {column}"));
            None
        }
        Some(v) if range.admits(v) => Some(v),
        Some(v) => {
            out_of_range.push(format!(
                "line {line}: {column} {v} is not {}",
                range.describe()
            ));
            None
        }
    }
}

/// A file expected to hold `expected` rows (one per region or per entry of the report) that
/// holds only `found`: below 90 % it is refused as cut off, else the shortfall is a warning.
pub fn check_count(
    path: &Path,
    found: usize,
    expected: usize,
    what: &str,
) -> Result<Option<String>, LoadError> {
    if found >= expected {
        return Ok(None);
    }
    let message = format!("{found} of {expected} {what}");
    if found * 10 < expected * 9 {
        return Err(LoadError::JoinMismatch {
            path: path.to_owned(),
            detail: format!(
                "only {message}: the file looks cut off (truncated); copy it again from the bundled geodata/"
            ),
        });
    }
    Ok(Some(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        ags: String,
        #[serde(rename = "type")]
        kind: Option<f64>,
    }

    fn write(text: &[u8]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), text).unwrap();
        file
    }

    fn message(text: &[u8]) -> String {
        let file = write(text);
        read_rows::<Row>(file.path()).unwrap_err().to_string()
    }

    #[test]
    fn field_names_follow_serde_renames() {
        assert_eq!(field_names::<Row>(), ["ags", "type"]);
    }

    #[test]
    fn lines_are_counted_with_crlf_and_quoted_newlines() {
        let file = write(b"ags,type\r\n1,2\r\n\"a\nb\",3\r\n4,\r\n");
        let rows = read_rows::<Row>(file.path()).unwrap();
        let lines: Vec<u64> = rows.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 5]);
        assert_eq!(rows[2].1.kind, None);
    }

    #[test]
    fn many_rows_are_read_in_one_pass_with_their_lines() {
        let mut text = String::from("ags,type\r\n");
        for i in 0..100_000 {
            text.push_str(&format!("{i},{}\r\n", i % 7));
        }
        let file = write(text.as_bytes());
        let start = std::time::Instant::now();
        let rows = read_rows::<Row>(file.path()).unwrap();
        eprintln!("100000 rows read in {:?}", start.elapsed());
        assert_eq!(rows.len(), 100_000);
        assert_eq!(rows[99_999].0, 100_001);
        assert_eq!(rows[99_999].1.ags, "99999");
    }

    #[test]
    fn damaged_files_are_refused_naming_the_line() {
        assert!(message(b"").contains("line 1: the file is empty"));
        assert!(message(b"ags,type\n").contains("line 2: the file has a header but no rows"));
        assert!(message(b"ags,type\n1,2\n3,4").contains("line 3: the last line has no line end"));
        assert!(message(b"ags,type\n1,\"2\n").contains("quoted field is never closed"));
        let renamed = message(b"ags,typ\n1,2\n");
        assert!(
            renamed.contains(
                "line 1: column type missing from the header (expected columns: ags, type; found: ags, typ)"
            ),
            "{renamed}"
        );
        assert!(message(b"ags,type\n1,2\n3\n").contains("line 3: 1 fields where the header has 2"));
    }

    #[test]
    fn findings_name_ten_and_count_the_rest() {
        let mut findings = Findings::new("keys match no Kreis");
        for i in 0..12 {
            findings.push(format!("line {i}"));
        }
        let line = findings.line(Path::new("x.csv")).unwrap();
        assert!(line.starts_with("x.csv: 12 keys match no Kreis: line 0; line 1;"));
        assert!(line.ends_with("line 9; … and 2 more"), "{line}");
    }

    #[test]
    fn ranges_refuse_nan_infinity_and_outliers() {
        for v in [f64::NAN, f64::INFINITY, -5.0, 1e20] {
            assert!(!Range::Share.admits(v), "{v}");
        }
        assert!(Range::Share.admits(100.0) && Range::Count.admits(1e6));
        assert!(!Range::WholeCount.admits(2.5));
    }
}
