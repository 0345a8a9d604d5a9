//! A planner's own figures from a CSV file or a spreadsheet, and official exports (GENESIS,
//! Landesdatenbank NRW, Regionalstatistik) as they are downloaded.
//!
//! Reading: UTF-8 or Windows-1252, `;` `,` tab or `|` between fields, metadata lines before the
//! header and footnotes after the data ([`layout`]), field counts checked against the header, a
//! quote that is not closed named by its line. Numbers: decimal mark and thousands separator are
//! decided per column from all its values ([`numbers`]); keys may be AGS with or without the
//! leading zero, 12-digit ARS, 8-digit Kreis keys or spreadsheet numbers ([`keys`]). What was
//! read how, and every row that did not join or parse, is in the [`JoinReport`] — never dropped
//! silently. Reading is linear in the file size.

pub mod keys;
pub mod layout;
pub mod numbers;
pub mod sheet;

use std::path::{Path, PathBuf};

use csv::StringRecord;

use crate::analysis::indicators::{Indicator, Values};
use crate::error::LoadError;
use crate::i18n::Lang;
use crate::model::{Atlas, Level};
use keys::{Key, KeyForms, read_key};
use numbers::{
    CellValue, ColumnEvidence, ColumnStyle, Decimal, Flags, Mark, NumberChoice, NumberStyle,
};

/// Where the table was found in the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableLayout {
    /// Lines of the header rows (first, last); a plain table has (1, 1).
    pub header_lines: (u64, u64),
    /// Lines before the header that were skipped (title, metadata).
    pub skipped_before: usize,
    /// The line where footnotes begin and how many lines they have.
    pub footer: Option<(u64, usize)>,
    /// The first footnote line's text, when it is not an official separator (`____`, `©`): then
    /// the end of the table is a guess the report warns about.
    pub unmarked_footer: Option<String>,
    /// Lines inside the data without any filled field.
    pub blank_rows: usize,
}

/// A table read as text, with what was detected about it.
#[derive(Clone, Debug)]
pub struct OwnTable {
    /// The file.
    pub path: PathBuf,
    /// Column names (several header rows joined by a space; an empty name becomes "Spalte N").
    pub headers: Vec<String>,
    /// Data rows (trimmed fields) with their 1-based line (sheet: row) number.
    pub rows: Vec<(u64, StringRecord)>,
    /// The field separator found (0 for a spreadsheet).
    pub delimiter: u8,
    /// "UTF-8", "Windows-1252", or the spreadsheet format.
    pub encoding: &'static str,
    /// True when the file's number columns show a decimal comma (for callers that read one
    /// number style per file; [`join_own`] decides per column).
    pub decimal_comma: bool,
    /// Where the table was found.
    pub layout: TableLayout,
    /// The sheet read, for a spreadsheet.
    pub sheet: Option<String>,
    /// How to read numbers when their columns leave it open (set by `--decimal`/`--thousands`
    /// or the window's choice before calling [`join_own`]).
    pub choice: NumberChoice,
    /// What each column's cells say about their number style.
    pub evidence: Vec<ColumnEvidence>,
    /// (row, column) of spreadsheet number cells.
    typed: rustc_hash::FxHashSet<(usize, usize)>,
    /// Each column's names in its header rows, when there are several.
    header_parts: Vec<Vec<String>>,
}

impl OwnTable {
    /// The position of a column: by its name (case-insensitive, trimmed), by its name in one of
    /// several header rows when that is unique, or by its 1-based number.
    pub fn column(&self, name: &str) -> Result<usize, LoadError> {
        let wanted = name.trim();
        let exact: Vec<usize> = (0..self.headers.len())
            .filter(|&i| self.headers[i].eq_ignore_ascii_case(wanted))
            .collect();
        if let [one] = exact[..] {
            return Ok(one);
        }
        let error = |detail: String| LoadError::BadCsv {
            path: self.path.clone(),
            line: self.layout.header_lines.0,
            detail,
        };
        if exact.len() > 1 {
            return Err(error(format!(
                "column name {wanted:?} appears {} times; give the column by its number (1 to {})",
                exact.len(),
                self.headers.len()
            )));
        }
        let parts: Vec<usize> = (0..self.header_parts.len())
            .filter(|&i| {
                self.header_parts[i]
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(wanted))
            })
            .collect();
        if let [one] = parts[..] {
            return Ok(one);
        }
        if let Ok(n) = wanted.parse::<usize>()
            && (1..=self.headers.len()).contains(&n)
        {
            return Ok(n - 1);
        }
        Err(error(format!(
            "no column {wanted:?}; the columns are {} (or give a number 1 to {})",
            self.headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            self.headers.len()
        )))
    }

    /// The number style of a column: from its values, the user's choice, or the file's other
    /// number columns (`key_column` excluded); an error when it stays open.
    pub fn column_style(
        &self,
        column: usize,
        key_column: Option<usize>,
    ) -> Result<ColumnStyle, LoadError> {
        let evidence = self.evidence.get(column).cloned().unwrap_or_default();
        let hint = self.decimal_hint(column, key_column);
        numbers::decide(&evidence, self.choice, hint).map_err(|amb| {
            let name = self.headers.get(column).cloned().unwrap_or_default();
            let (line, text) = amb.example.unwrap_or_default();
            let readings: Vec<String> = amb
                .readings
                .iter()
                .map(|(style, v)| format!("{v} ({})", style_words(*style)))
                .collect();
            LoadError::BadCsv {
                path: self.path.clone(),
                line,
                detail: format!(
                    "column {name:?}: {text:?} can be read as {}; choose the decimal mark with --decimal , or --decimal . (and if needed --thousands . | , | space | none); in the window: „Dezimalzeichen“ under Eigene Daten",
                    readings.join(" or ")
                ),
            }
        })
    }

    /// The decimal mark the other number columns agree on, if any shows one.
    fn decimal_hint(&self, column: usize, key_column: Option<usize>) -> Option<Decimal> {
        let mut hint = None;
        for (i, evidence) in self.evidence.iter().enumerate() {
            if i == column || Some(i) == key_column {
                continue;
            }
            let Ok(style) = numbers::decide(evidence, NumberChoice::default(), None) else {
                continue;
            };
            if !style.shows_decimal() {
                continue;
            }
            match hint {
                None => hint = Some(style.style.decimal),
                Some(d) if d != style.style.decimal => return None,
                Some(_) => {}
            }
        }
        hint
    }

    /// Reads a cell of a data row in `style`; spreadsheet number cells need no style.
    pub fn cell_value(&self, row: usize, column: usize, style: NumberStyle) -> CellValue {
        let text = self.rows[row].1.get(column).unwrap_or_default();
        if self.typed.contains(&(row, column)) {
            return match text.parse::<f64>() {
                Ok(v) if v.is_finite() => CellValue::Number(v, Flags::default()),
                _ => CellValue::NotANumber,
            };
        }
        numbers::read_cell(text, style)
    }
}

fn style_words(style: NumberStyle) -> String {
    let decimal = match style.decimal {
        Decimal::Comma => "decimal comma",
        Decimal::Point => "decimal point",
    };
    let thousands = match style.thousands {
        numbers::Thousands::Point => ", point groups thousands",
        numbers::Thousands::Comma => ", comma groups thousands",
        numbers::Thousands::Space => ", space groups thousands",
        numbers::Thousands::None => "",
    };
    format!("{decimal}{thousands}")
}

/// Reads a CSV file or (by its extension) a spreadsheet's first sheet.
pub fn read_own_csv(path: &Path) -> Result<OwnTable, LoadError> {
    read_own_table(path, None)
}

/// Reads a CSV file, or the sheet `sheet` (default: the first) of an `.xlsx`/`.ods` file.
pub fn read_own_table(path: &Path, sheet: Option<&str>) -> Result<OwnTable, LoadError> {
    if sheet::is_sheet(path) {
        let rows = sheet::read_sheet(path, sheet)?;
        let format = if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ods"))
        {
            "OpenDocument"
        } else {
            "Excel"
        };
        return build_table(
            path,
            Records {
                records: rows.records,
                lines: rows.lines,
                typed: rows.numbers,
                delimiter: 0,
                encoding: format,
                sheet: Some(rows.name),
            },
        );
    }
    let bytes = std::fs::read(path).map_err(|e| LoadError::io(path, e))?;
    let (text, encoding) = decode(bytes);
    let mut records = read_records(path, &text)?;
    drop(text);
    records.encoding = encoding;
    build_table(path, records)
}

/// Decodes UTF-8 (with or without BOM), else Windows-1252.
fn decode(mut bytes: Vec<u8>) -> (String, &'static str) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, "UTF-8"),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            (text.into_owned(), "Windows-1252")
        }
    }
}

/// Records before the layout is known.
struct Records {
    records: Vec<StringRecord>,
    lines: Vec<u64>,
    typed: rustc_hash::FxHashSet<(usize, usize)>,
    delimiter: u8,
    encoding: &'static str,
    sheet: Option<String>,
}

/// The separator whose field count is most regular over the first lines. Quotes are ignored
/// here, so that a quote left open does not hide the separator.
fn sniff_delimiter(text: &str) -> u8 {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text.as_bytes()[..end];
    let mut best = (b';', 0usize);
    for delimiter in [b';', b'\t', b',', b'|'] {
        let mut counts: rustc_hash::FxHashMap<usize, usize> = Default::default();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .from_reader(sample);
        for record in reader.byte_records().take(200).flatten() {
            *counts.entry(record.len()).or_default() += 1;
        }
        let score = counts
            .into_iter()
            .filter(|(w, _)| *w > 1)
            .map(|(w, n)| n * (w - 1))
            .max()
            .unwrap_or(0);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// Counts lines forward through the text (linear in total).
struct LineCounter<'a> {
    bytes: &'a [u8],
    upto: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The 1-based line of the record starting at byte `pos` (which may point at the `\n` of a
    /// CRLF line end; see `csv_lines`).
    fn line_at(&mut self, pos: usize) -> u64 {
        let end = (pos + 1).min(self.bytes.len());
        if end > self.upto {
            self.line += self.bytes[self.upto..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.upto = end;
        }
        self.line
    }
}

fn bad_csv(path: &Path, line: u64, detail: impl Into<String>) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail: detail.into(),
    }
}

/// Reads every record of a CSV text with its line; a field running over a line end (an unclosed
/// quote) is an error naming the line where it opens.
fn read_records(path: &Path, text: &str) -> Result<Records, LoadError> {
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut counter = LineCounter {
        bytes: text.as_bytes(),
        upto: 0,
        line: 1,
    };
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut last_start = 0usize;
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(crate::data::csv_lines::csv_error(path, e, None)),
        }
        // Offsets into `text`, which is in memory, fit in usize; one that did not would lie past
        // its end, where `text.len()` stands for it.
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(text.len()));
        let line = counter.line_at(start);
        if record.iter().any(|f| f.contains(['\n', '\r'])) {
            return Err(unclosed(path, line, &record));
        }
        last_start = start;
        record.trim();
        records.push(record.clone());
        lines.push(line);
    }
    let tail = &text.as_bytes()[last_start.min(text.len())..];
    if tail.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        let line = lines.last().copied().unwrap_or(1);
        return Err(bad_csv(
            path,
            line,
            "a quote (\") opens here and is not closed before the end of the file; close it or remove it",
        ));
    }
    Ok(Records {
        records,
        lines,
        typed: Default::default(),
        delimiter,
        encoding: "",
        sheet: None,
    })
}

fn unclosed(path: &Path, line: u64, record: &StringRecord) -> LoadError {
    let spans = record
        .iter()
        .map(|f| f.trim_end().matches('\n').count())
        .sum::<usize>()
        + 1;
    bad_csv(
        path,
        line,
        format!(
            "a quoted field opens in this line and runs over {spans} lines (to line {}); a quote (\") is probably not closed — close it or remove it (line breaks inside fields are not read)",
            line + spans as u64 - 1
        ),
    )
}

/// Finds header, data and footnotes, and takes stock of every column's numbers.
fn build_table(path: &Path, mut input: Records) -> Result<OwnTable, LoadError> {
    if input.encoding.is_empty() {
        input.encoding = "UTF-8";
    }
    let sheet = input.sheet.is_some();
    let located = layout::locate(&input.records, sheet, input.delimiter)
        .map_err(|(i, why)| bad_csv(path, input.lines.get(i).copied().unwrap_or(1), why))?;
    let (top, end) = located.header;
    let headers = header_names(&input.records[top..=end], located.width);
    let header_parts: Vec<Vec<String>> = if end > top {
        (0..located.width)
            .map(|c| {
                input.records[top..=end]
                    .iter()
                    .filter_map(|r| r.get(c))
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    if located.data.is_empty() {
        return Err(bad_csv(
            path,
            input.lines[end],
            "the table has a header but no data rows below it; check the line ends and separators",
        ));
    }
    let footer = located
        .footer
        .map(|f| (input.lines[f], input.records.len() - f));
    let unmarked_footer = located.footer.and_then(|f| {
        let first = input.records[f].get(0).unwrap_or_default();
        let marked = first.starts_with("__") || first.starts_with('©');
        (!marked).then(|| input.records[f].iter().collect::<Vec<_>>().join(" "))
    });
    let mut typed = rustc_hash::FxHashSet::default();
    let mut rows = Vec::with_capacity(located.data.len());
    for (row, &i) in located.data.iter().enumerate() {
        if sheet {
            for c in 0..located.width {
                if input.typed.contains(&(i, c)) {
                    typed.insert((row, c));
                }
            }
        }
        rows.push((input.lines[i], std::mem::take(&mut input.records[i])));
    }
    let mut evidence = vec![ColumnEvidence::default(); headers.len()];
    for (row, (line, record)) in rows.iter().enumerate() {
        for (c, field) in record.iter().enumerate().take(headers.len()) {
            if !typed.contains(&(row, c)) {
                evidence[c].add(*line, field);
            }
        }
    }
    let decimal_comma = evidence.iter().any(|e| {
        numbers::decide(e, NumberChoice::default(), None)
            .is_ok_and(|s| s.shows_decimal() && s.style.decimal == Decimal::Comma)
    });
    Ok(OwnTable {
        path: path.to_owned(),
        headers,
        layout: TableLayout {
            header_lines: (input.lines[top], input.lines[end]),
            skipped_before: top,
            footer,
            unmarked_footer,
            blank_rows: located.blank,
        },
        rows,
        delimiter: input.delimiter,
        encoding: input.encoding,
        decimal_comma,
        sheet: input.sheet,
        choice: NumberChoice::default(),
        evidence,
        typed,
        header_parts,
    })
}

/// Column names from one or more header rows; empty ones get "Spalte N".
fn header_names(rows: &[StringRecord], width: usize) -> Vec<String> {
    (0..width)
        .map(|c| {
            let parts: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(c))
                .filter(|p| !p.is_empty())
                .collect();
            if parts.is_empty() {
                format!("Spalte {}", c + 1)
            } else {
                parts.join(" ")
            }
        })
        .collect()
}

/// A text that is not a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotANumber;

/// Parses one number in a style fixed for the file: "1.234,5" with a decimal comma, "1,234.5"
/// or "1234.5" otherwise (also grouped by spaces). Empty text, "NA" and the signs `.` `x` `/` `…`
/// are no value (`Ok(None)`); `-` is 0. Anything else, e.g. `1,5` without a decimal comma, is an
/// error rather than a different number.
pub fn parse_number(text: &str, decimal_comma: bool) -> Result<Option<f64>, NotANumber> {
    use numbers::Thousands;
    let (main, spaced) = if decimal_comma {
        (
            NumberStyle::GERMAN,
            NumberStyle::new(Decimal::Comma, Thousands::Space),
        )
    } else {
        (
            NumberStyle::ENGLISH,
            NumberStyle::new(Decimal::Point, Thousands::Space),
        )
    };
    let value = match numbers::read_cell(text, main) {
        CellValue::OtherStyle => numbers::read_cell(text, spaced),
        other => other,
    };
    match value {
        CellValue::Number(v, _) => Ok(Some(v)),
        CellValue::Zero => Ok(Some(0.0)),
        CellValue::Mark(_) | CellValue::Empty => Ok(None),
        CellValue::NotANumber | CellValue::OtherStyle => Err(NotANumber),
    }
}

/// What happened when own figures were joined to the regions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JoinReport {
    /// Rows that joined a region with a number.
    pub joined: usize,
    /// Rows whose key is no region of the level: (line, key).
    pub unknown_keys: Vec<(u64, String)>,
    /// Rows whose value is not a number: (line, text).
    pub bad_values: Vec<(u64, String)>,
    /// Rows whose key appeared before; the first row counts: (line, key).
    pub duplicates: Vec<(u64, String)>,
    /// Rows with an empty value (shown as no-data): (line, key).
    pub empty_values: Vec<(u64, String)>,
    /// Regions of the level without any row.
    pub regions_without_row: usize,
    /// Regions of the level without a value (no row, or a row without a number): no-data.
    pub regions_without_value: usize,
    /// Rows whose key is a region of another level (Land, Regierungsbezirk, Gemeinde): (line, key).
    pub other_level: Vec<(u64, String)>,
    /// Rows whose value is number-shaped but not written like the rest of the column: (line, text).
    pub other_style: Vec<(u64, String)>,
    /// Rows with a sign meaning no value: (line, sign).
    pub marks: Vec<(u64, Mark)>,
    /// Rows with `-` (nothing there), read as 0: lines.
    pub zeros: Vec<u64>,
    /// Rows whose number carries flags (uncertain, provisional, revised, estimated, percent sign).
    pub flagged: Vec<(u64, Flags)>,
    /// Keys rewritten to an AGS: (line, original key, forms).
    pub rewritten_keys: Vec<(u64, String, KeyForms)>,
    /// The value column's name and how its numbers were read.
    pub style: Option<(String, ColumnStyle)>,
    /// Where the table was found, the encoding and the separator.
    pub source: SourceInfo,
}

/// How the file was read, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceInfo {
    /// "UTF-8", "Windows-1252", "Excel", "OpenDocument".
    pub encoding: String,
    /// The field separator (0 for a spreadsheet).
    pub delimiter: u8,
    /// The sheet of a spreadsheet.
    pub sheet: Option<String>,
    /// Where the table was found.
    pub layout: TableLayout,
}

/// How many line numbers a report line lists.
const LISTED: usize = 10;

impl JoinReport {
    /// True when every row joined with a number as written.
    pub fn is_clean(&self) -> bool {
        self.unknown_keys.is_empty()
            && self.bad_values.is_empty()
            && self.duplicates.is_empty()
            && self.other_style.is_empty()
    }

    /// True when anything deserves a look: a row not taken over, a value missing, flagged or
    /// marked, a key of another level.
    pub fn has_warnings(&self) -> bool {
        !self.is_clean()
            || !self.empty_values.is_empty()
            || !self.other_level.is_empty()
            || !self.marks.is_empty()
            || self.flagged.iter().any(|(_, f)| f.qualifies())
            || self.source.layout.unmarked_footer.is_some()
            || self.joined == 0
    }

    /// The report as lines for people (German or English): a summary, how the file and the
    /// numbers were read, then one line per kind of problem with its first line numbers.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = vec![format!(
            "{} {}, {} {} ({} {})",
            self.joined,
            lang.pick("Zeilen zugeordnet", "rows joined"),
            self.regions_without_value,
            lang.pick("Gebiete ohne Wert", "regions without a value"),
            self.regions_without_row,
            lang.pick("ohne Zeile", "without a row"),
        )];
        out.push(self.source.describe(lang));
        if let (Some((line, _)), Some(text)) = (
            self.source.layout.footer,
            &self.source.layout.unmarked_footer,
        ) {
            out.push(format!(
                "{} {line} {}: {text:?}",
                lang.pick("Tabelle endet vor Zeile", "Table ends before line"),
                lang.pick(
                    "(als Fußnote gelesen, prüfen)",
                    "(read as a footnote, please check)"
                ),
            ));
        }
        if let Some((column, style)) = &self.style {
            out.push(format!(
                "{} „{column}“: {}",
                lang.pick("Zahlen der Spalte", "Numbers of column"),
                style.describe(lang)
            ));
        }
        for form in KeyForms::ALL {
            let items: Vec<(u64, String)> = self
                .rewritten_keys
                .iter()
                .filter(|(_, _, f)| f.contains(form))
                .map(|(l, k, _)| (*l, k.clone()))
                .collect();
            push_group(
                &mut out,
                lang,
                &format!(
                    "{}: {}",
                    lang.pick("Schlüssel", "keys"),
                    form.describe(lang)
                ),
                &items,
            );
        }
        let zeros: Vec<(u64, String)> = self.zeros.iter().map(|l| (*l, String::new())).collect();
        push_group(
            &mut out,
            lang,
            lang.pick(
                "„-“ (nichts vorhanden) als 0 gelesen",
                "\"-\" (nothing there) read as 0",
            ),
            &zeros,
        );
        for mark in Mark::ALL {
            let items: Vec<(u64, String)> = self
                .marks
                .iter()
                .filter(|(_, m)| *m == mark)
                .map(|(l, _)| (*l, String::new()))
                .collect();
            let what = format!(
                "{} {}",
                lang.pick("ohne Wert:", "no value:"),
                mark.describe(lang)
            );
            push_group(&mut out, lang, &what, &items);
        }
        for flag in Flags::QUALIFYING.into_iter().chain([Flags::PERCENT]) {
            let items: Vec<(u64, String)> = self
                .flagged
                .iter()
                .filter(|(_, f)| f.contains(flag))
                .map(|(l, _)| (*l, String::new()))
                .collect();
            let what = format!(
                "{} {}",
                lang.pick("Wert übernommen, Zeichen", "value taken, sign"),
                flag.describe(lang)
            );
            push_group(&mut out, lang, &what, &items);
        }
        let groups = [
            (
                lang.pick("unbekannter Schlüssel", "unknown key"),
                &self.unknown_keys,
            ),
            (
                lang.pick(
                    "Schlüssel einer anderen Ebene (übersprungen)",
                    "key of another level (skipped)",
                ),
                &self.other_level,
            ),
            (lang.pick("keine Zahl", "not a number"), &self.bad_values),
            (
                lang.pick(
                    "anders geschrieben als die übrige Spalte (nicht übernommen)",
                    "written differently from the rest of the column (not taken)",
                ),
                &self.other_style,
            ),
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
            push_group(&mut out, lang, what, items);
        }
        out
    }
}

/// One line for a kind of problem: its count and the first [`LISTED`] lines.
fn push_group(out: &mut Vec<String>, lang: Lang, what: &str, items: &[(u64, String)]) {
    if items.is_empty() {
        return;
    }
    let listed: Vec<String> = items
        .iter()
        .take(LISTED)
        .map(|(line, text)| {
            if text.is_empty() {
                line.to_string()
            } else {
                format!("{line} {text:?}")
            }
        })
        .collect();
    let more = if items.len() > LISTED { ", …" } else { "" };
    out.push(format!(
        "{what}: {} × ({} {}{more})",
        items.len(),
        lang.pick("Zeile", "line"),
        listed.join(", ")
    ));
}

impl SourceInfo {
    /// How the file was read, as one line.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = vec![self.encoding.clone()];
        if let Some(sheet) = &self.sheet {
            parts.push(format!("{} „{sheet}“", lang.pick("Blatt", "sheet")));
        } else {
            let sep = match self.delimiter {
                b';' => ";".to_owned(),
                b'\t' => "Tab".to_owned(),
                other => (other as char).to_string(),
            };
            parts.push(format!(
                "{} „{sep}“",
                lang.pick("Trennzeichen", "separator")
            ));
        }
        let (first, last) = self.layout.header_lines;
        parts.push(if first == last {
            format!("{} {first}", lang.pick("Kopfzeile", "header line"))
        } else {
            format!("{} {first}–{last}", lang.pick("Kopfzeilen", "header lines"))
        });
        if self.layout.skipped_before > 0 {
            parts.push(format!(
                "{} {}",
                self.layout.skipped_before,
                lang.pick("Zeilen davor übersprungen", "lines before it skipped")
            ));
        }
        if let Some((line, count)) = self.layout.footer {
            parts.push(format!(
                "{count} {} {line} {}",
                lang.pick("Zeilen Fußnoten ab Zeile", "lines of footnotes from line"),
                lang.pick("nicht gelesen", "not read")
            ));
        }
        if self.layout.blank_rows > 0 {
            parts.push(format!(
                "{} {}",
                self.layout.blank_rows,
                lang.pick("leere Zeilen", "empty lines")
            ));
        }
        format!("{}: {}", lang.pick("Gelesen", "Read"), parts.join(", "))
    }
}

/// Joins a value column to the regions of `level` by a key column holding AGS (or ARS).
pub fn join_own(
    atlas: &Atlas,
    table: &OwnTable,
    key_column: &str,
    value_column: &str,
    level: Level,
) -> Result<(Indicator, JoinReport), LoadError> {
    let key_col = table.column(key_column)?;
    let value_col = table.column(value_column)?;
    let style = table.column_style(value_col, Some(key_col))?;
    let value_name = table.headers[value_col].clone();
    let regions = atlas.regions(level);
    let mut values = vec![None; regions.len()];
    let mut seen = vec![false; regions.len()];
    let mut report = JoinReport {
        style: Some((value_name.clone(), style)),
        source: SourceInfo {
            encoding: table.encoding.to_owned(),
            delimiter: table.delimiter,
            sheet: table.sheet.clone(),
            layout: table.layout.clone(),
        },
        ..JoinReport::default()
    };
    for (row, (line, record)) in table.rows.iter().enumerate() {
        let line = *line;
        let key = record.get(key_col).unwrap_or_default();
        let id = match read_key(key, level) {
            Key::Found(ags, forms) => {
                if forms.0 != 0 {
                    report.rewritten_keys.push((line, key.to_owned(), forms));
                }
                atlas.id_of(&ags)
            }
            Key::OtherLevel(_) => {
                report.other_level.push((line, key.to_owned()));
                continue;
            }
            Key::Unknown => None,
        };
        let Some(id) = id else {
            report.unknown_keys.push((line, key.to_owned()));
            continue;
        };
        if seen[id.index] {
            report.duplicates.push((line, key.to_owned()));
            continue;
        }
        seen[id.index] = true;
        let text = || record.get(value_col).unwrap_or_default().to_owned();
        match table.cell_value(row, value_col, style.style) {
            CellValue::Number(v, flags) => {
                values[id.index] = Some(v);
                report.joined += 1;
                if flags.0 != 0 {
                    report.flagged.push((line, flags));
                }
            }
            CellValue::Zero => {
                values[id.index] = Some(0.0);
                report.joined += 1;
                report.zeros.push(line);
            }
            CellValue::Mark(mark) => report.marks.push((line, mark)),
            CellValue::Empty => report.empty_values.push((line, key.to_owned())),
            CellValue::NotANumber => report.bad_values.push((line, text())),
            CellValue::OtherStyle => report.other_style.push((line, text())),
        }
    }
    report.regions_without_row = seen.iter().filter(|s| !**s).count();
    report.regions_without_value = values.iter().filter(|v| v.is_none()).count();
    let percent = report
        .flagged
        .iter()
        .any(|(_, f)| f.contains(Flags::PERCENT));
    let file = table
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let indicator = Indicator::define(
        format!("own:{value_column}"),
        crate::i18n::Text::new(
            format!("{value_name} (eigene Daten)"),
            format!("{value_name} (own data)"),
        ),
        if percent { "%" } else { "" },
        format!("eigene Daten: {file}, Spalte {value_name}"),
    )
    .note(note_of(&report))
    .decimals(decimals_of(&values))
    .values(level, Values::Numeric(values));
    Ok((indicator, report))
}

/// The caveat under the legend: rows not taken over, values marked or flagged.
fn note_of(report: &JoinReport) -> Option<crate::i18n::Text> {
    let mut de = Vec::new();
    let mut en = Vec::new();
    if !report.is_clean() {
        let skipped = report.unknown_keys.len()
            + report.bad_values.len()
            + report.duplicates.len()
            + report.other_style.len();
        de.push(format!(
            "{skipped} Zeilen nicht übernommen (siehe Importbericht)"
        ));
        en.push(format!(
            "{skipped} lines not taken over (see the import report)"
        ));
    }
    if !report.marks.is_empty() {
        let n = report.marks.len();
        de.push(format!("{n} Werte gesperrt oder unbekannt (. x / …)"));
        en.push(format!("{n} values withheld or unknown (. x / …)"));
    }
    let qualified = report.flagged.iter().filter(|(_, f)| f.qualifies()).count();
    if qualified > 0 {
        de.push(format!(
            "{qualified} Werte vorläufig, berichtigt, geschätzt oder unsicher"
        ));
        en.push(format!(
            "{qualified} values provisional, revised, estimated or uncertain"
        ));
    }
    (!de.is_empty()).then(|| crate::i18n::Text::new(de.join("; "), en.join("; ")))
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
        assert_eq!(parse_number("12.500", true), Ok(Some(12500.0)));
        assert_eq!(parse_number("1,5", false), Err(NotANumber));
        assert_eq!(parse_number("", true), Ok(None));
        assert_eq!(parse_number("NA", false), Ok(None));
        assert_eq!(parse_number("-", false), Ok(Some(0.0)));
        assert_eq!(parse_number("zwölf", true), Err(NotANumber));
    }

    #[test]
    fn delimiter_is_found_below_metadata() {
        let text = "Tabelle: 12411-01i, Kreise\nBevölkerung, Stichtag\n;;31.12.2022\n05111;Düsseldorf, krfr. Stadt;629047\n05112;Duisburg, krfr. Stadt;502211\n";
        assert_eq!(sniff_delimiter(text), b';');
        assert_eq!(sniff_delimiter("AGS,Quote\n05111,\"20,72\"\n"), b',');
    }

    #[test]
    fn line_counter_is_monotone_and_handles_crlf() {
        let text = b"a;b\r\n1;2\r\n3;4\r\n";
        let mut c = LineCounter {
            bytes: text,
            upto: 0,
            line: 1,
        };
        assert_eq!(c.line_at(0), 1);
        assert_eq!(c.line_at(4), 2);
        assert_eq!(c.line_at(9), 3);
    }
}
