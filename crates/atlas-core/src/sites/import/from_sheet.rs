//! Own sites from a spreadsheet (`.xlsx`, `.xlsm`, `.xls`, `.xlsb`, `.ods`): the sheet is read
//! with calamine (as own tables are, `data::own_csv::sheet`) and its cells become the same rows
//! the CSV import places, so a sheet and a CSV file with the same columns give the same sites.
//! Number cells are written as their exact shortest text; a PLZ or AGS stored as a number has
//! lost its leading zero, which is restored (the report says so, with the rows).

use std::path::Path;

use csv::StringRecord;

use super::from_csv::{Columns, looks_decimal_comma, place_rows, position_columns};
use super::{AddressColumns, Placer, Sink};
use crate::data::own_csv::sheet::{SheetRows, read_sheet_bytes};
use crate::error::LoadError;
use crate::i18n::Text;

/// Reads the sites of the first sheet (or the sheet `name`) of a spreadsheet's bytes into
/// `sink`; its first non-empty row is the header row.
pub(super) fn import(
    path: &Path,
    bytes: &[u8],
    name: Option<&str>,
    placer: &Placer,
    chosen: &AddressColumns,
    sink: &mut Sink,
) -> Result<(), LoadError> {
    let mut sheet = read_sheet_bytes(path, bytes, name)?;
    let Some(head) = header_row(&sheet) else {
        return Err(LoadError::BadCsv {
            path: path.to_owned(),
            line: 0,
            detail: format!(
                "the sheet {:?} is empty; put a header row (e.g. name;strasse;hausnummer;plz;ort) and one row per site",
                sheet.name
            ),
        });
    };
    let headers: Vec<String> = sheet.records[head]
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let columns = position_columns(path, sheet.lines[head], &headers, chosen)?;
    sink.report.format = Text::new(
        format!("Tabellenblatt {:?}", sheet.name),
        format!("sheet {:?}", sheet.name),
    );
    let decimal_comma = decimal_comma(&sheet, head, &columns);
    if decimal_comma {
        comma_numbers(&mut sheet, &columns);
    }
    note_restored_zeros(&sheet, head, columns.postcode, 4, "PLZ", sink);
    note_restored_zeros(&sheet, head, columns.ags, 7, "AGS", sink);
    note_restored_zeros(&sheet, head, columns.ags, 4, "AGS (Kreis)", sink);
    let width = headers.len();
    let records = sheet
        .records
        .into_iter()
        .zip(sheet.lines)
        .skip(head + 1)
        .map(|(record, line)| Ok((line, record)));
    place_rows(records, width, &columns, decimal_comma, placer, sink)
}

/// The index of the first record with a non-empty cell.
fn header_row(sheet: &SheetRows) -> Option<usize> {
    sheet
        .records
        .iter()
        .position(|r| r.iter().any(|f| !f.trim().is_empty()))
}

/// True when a text cell of a coordinate column holds a number with a decimal comma (a sheet
/// whose coordinates were typed as text, e.g. `6,95`).
fn decimal_comma(sheet: &SheetRows, head: usize, columns: &Columns) -> bool {
    sheet
        .records
        .iter()
        .enumerate()
        .skip(head + 1)
        .any(|(r, record)| {
            columns.coordinates().any(|c| {
                !sheet.numbers.contains(&(r, c)) && record.get(c).is_some_and(looks_decimal_comma)
            })
        })
}

/// Writes the number cells of the coordinate columns with a decimal comma, so that they read
/// alike with the text cells that use one (a point would be taken as a thousands separator).
fn comma_numbers(sheet: &mut SheetRows, columns: &Columns) {
    let coordinates: Vec<usize> = columns.coordinates().collect();
    for (r, record) in sheet.records.iter_mut().enumerate() {
        if !coordinates.iter().any(|c| sheet.numbers.contains(&(r, *c))) {
            continue;
        }
        let fields: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(c, f)| {
                if coordinates.contains(&c) && sheet.numbers.contains(&(r, c)) {
                    f.replace('.', ",")
                } else {
                    f.to_owned()
                }
            })
            .collect();
        *record = StringRecord::from(fields);
    }
}

/// Notes the rows of `column` where a key stored as a number has `digits` digits, i.e. lost its
/// leading zero; the import restores it (PLZ 1234 → 01234, AGS 5315000 → 05315000).
fn note_restored_zeros(
    sheet: &SheetRows,
    head: usize,
    column: Option<usize>,
    digits: usize,
    what: &str,
    sink: &mut Sink,
) {
    let Some(c) = column else { return };
    let rows: Vec<String> = sheet
        .records
        .iter()
        .enumerate()
        .skip(head + 1)
        .filter(|(r, record)| {
            sheet.numbers.contains(&(*r, c))
                && record
                    .get(c)
                    .is_some_and(|f| f.len() == digits && f.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(|(r, _)| sheet.lines[r].to_string())
        .collect();
    if rows.is_empty() {
        return;
    }
    let rows = rows.join(", ");
    sink.report.notes.push(Text::new(
        format!(
            "{what} als Zahl gespeichert, führende Null ergänzt (Zeilen {rows}); die Spalte besser als Text formatieren"
        ),
        format!(
            "{what} stored as a number, leading zero restored (rows {rows}); better format the column as text"
        ),
    ));
}

/// The header names of the first sheet (its first non-empty row), `None` when it cannot be read.
pub(super) fn headers(path: &Path, bytes: &[u8]) -> Option<Vec<String>> {
    let sheet = read_sheet_bytes(path, bytes, None).ok()?;
    let head = header_row(&sheet)?;
    Some(
        sheet.records[head]
            .iter()
            .map(|h| h.trim().to_owned())
            .collect(),
    )
}
