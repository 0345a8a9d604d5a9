//! Own tables kept as spreadsheets: Excel (`.xlsx`, `.xlsm`, `.xls`) and OpenDocument (`.ods`),
//! read with calamine into the same records as a CSV file, so the same rules and reports apply.
//! Number cells are kept apart (they need no guessing of decimal marks).

use std::path::Path;

use calamine::{Data, Reader as _};
use csv::StringRecord;

use crate::error::LoadError;

/// True when the file name says it is a spreadsheet.
pub fn is_sheet(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods"
        )
    })
}

/// The rows of a sheet.
pub struct SheetRows {
    /// The sheet read.
    pub name: String,
    /// Rows as trimmed text.
    pub records: Vec<StringRecord>,
    /// The 1-based row number of each record in the sheet.
    pub lines: Vec<u64>,
    /// (record, column) of the number cells.
    pub numbers: rustc_hash::FxHashSet<(usize, usize)>,
}

/// Reads the sheet `name`, or the first sheet.
pub fn read_sheet(path: &Path, name: Option<&str>) -> Result<SheetRows, LoadError> {
    let book = calamine::open_workbook_auto(path).map_err(|e| cannot_open(path, &e))?;
    rows_of(path, book, name)
}

/// Reads the sheet `name`, or the first sheet, of a spreadsheet held in memory (`path` names
/// it in messages).
pub fn read_sheet_bytes(
    path: &Path,
    bytes: &[u8],
    name: Option<&str>,
) -> Result<SheetRows, LoadError> {
    let book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| cannot_open(path, &e))?;
    rows_of(path, book, name)
}

fn cannot_open(path: &Path, e: &calamine::Error) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line: 0,
        detail: format!(
            "cannot open the spreadsheet: {e}; save it again as .xlsx or .ods, or as CSV"
        ),
    }
}

fn rows_of<RS: std::io::Read + std::io::Seek>(
    path: &Path,
    mut book: calamine::Sheets<RS>,
    name: Option<&str>,
) -> Result<SheetRows, LoadError> {
    let bad = |detail: String| LoadError::BadCsv {
        path: path.to_owned(),
        line: 0,
        detail,
    };
    let names = book.sheet_names();
    let chosen = match name {
        Some(n) => names
            .iter()
            .find(|s| s.trim().eq_ignore_ascii_case(n.trim()))
            .cloned()
            .ok_or_else(|| {
                bad(format!(
                    "no sheet {n:?}; the sheets are {}",
                    names.join(", ")
                ))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheets".to_owned()))?,
    };
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| bad(format!("cannot read sheet {chosen:?}: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut out = SheetRows {
        name: chosen,
        records: Vec::with_capacity(range.height()),
        lines: Vec::with_capacity(range.height()),
        numbers: Default::default(),
    };
    for (r, row) in range.rows().enumerate() {
        let mut record = StringRecord::new();
        for _ in 0..first_col {
            record.push_field("");
        }
        for (c, cell) in row.iter().enumerate() {
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.trim().to_owned(),
                Data::Float(f) => {
                    out.numbers.insert((r, first_col + c));
                    whole_number(*f).map_or_else(|| format!("{f}"), |i| i.to_string())
                }
                Data::Int(i) => {
                    out.numbers.insert((r, first_col + c));
                    i.to_string()
                }
                // A date is no figure: kept as text, so that its serial number is not mapped.
                Data::DateTime(d) => format!("Datum {d}"),
                other => other.to_string().trim().to_owned(),
            };
            record.push_field(&text);
        }
        out.records.push(record);
        out.lines.push(first_row + r as u64 + 1);
    }
    Ok(out)
}

/// A cell's float as the whole number it is (Excel stores every number as a float), so that
/// `5315000.0` reads as `5315000`; `None` for a fraction or a float too large to be exact.
#[allow(
    clippy::cast_possible_truncation,
    reason = "only for an integral value below 1e15 < 2^53, which i64 holds exactly"
)]
fn whole_number(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
}
