//! Own sites from a CSV file: UTF-8 (with or without BOM) or Windows-1252, separated by `;`, `,`
//! or tab, with a decimal comma or point. The file is read in one linear pass by the csv crate;
//! an unclosed quote is an error naming the line where it opens, and a line whose number of
//! fields differs from the header's is rejected with its line number.
#![allow(
    clippy::cast_possible_truncation,
    reason = "byte offsets into a file held in memory fit in usize"
)]

use std::borrow::Cow;
use std::path::Path;

use rayon::prelude::*;

use super::{AddressColumns, Kind, Placed, Placer, Problem, Sink};
use crate::data::own_csv::parse_number;
use crate::error::LoadError;
use crate::i18n::Text;
use crate::sites::details::{Address, SiteDetails};

/// The columns the import looks at, by position.
#[derive(Default)]
pub(super) struct Columns {
    lon: Option<usize>,
    lat: Option<usize>,
    x: Option<usize>,
    y: Option<usize>,
    pub(super) ags: Option<usize>,
    kommune: Option<usize>,
    name: Option<usize>,
    site_type: Option<usize>,
    street: Option<usize>,
    house_number: Option<usize>,
    pub(super) postcode: Option<usize>,
    city: Option<usize>,
    capacity: Option<usize>,
}

impl Columns {
    fn find(headers: &[String], chosen: &AddressColumns) -> Columns {
        let col = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.to_lowercase() == *n))
        };
        let by_name = |name: &Option<String>| {
            name.as_ref()
                .and_then(|n| headers.iter().position(|h| h == n.trim()))
        };
        let postcode = by_name(&chosen.postcode).or_else(|| col(&POSTCODE));
        let city = by_name(&chosen.city).or_else(|| col(&CITY));
        // With a PLZ column, "Ort"/"Stadt" is the address's town; without one, the Kommune.
        let kommune = if postcode.is_some() {
            col(&["kommune", "gemeinde"])
        } else {
            col(&["kommune", "gemeinde", "ort", "stadt"])
        };
        Columns {
            street: by_name(&chosen.street).or_else(|| col(&STREET)),
            house_number: by_name(&chosen.house_number).or_else(|| col(&HOUSE_NUMBER)),
            postcode,
            city: city.filter(|c| Some(*c) != kommune),
            capacity: col(&["kapazität", "kapazitaet", "capacity", "plätze", "plaetze"]),
            lon: col(&["lon", "lng", "longitude", "laenge", "länge"]),
            lat: col(&["lat", "latitude", "breite"]),
            x: col(&["x", "rechtswert", "x_25832"]),
            y: col(&["y", "hochwert", "y_25832"]),
            ags: col(&[
                "kommune_ags",
                "ags",
                "gemeindeschluessel",
                "gemeindeschlüssel",
                "kreis_ags",
            ]),
            kommune,
            name: col(&["name", "bezeichnung", "einrichtung"]),
            site_type: col(&["type", "typ", "art"]),
        }
    }

    fn has_position(&self) -> bool {
        (self.lon.is_some() && self.lat.is_some())
            || (self.x.is_some() && self.y.is_some())
            || self.ags.is_some()
            || self.kommune.is_some()
            || self.postcode.is_some()
            || self.city.is_some()
    }

    pub(super) fn coordinates(&self) -> impl Iterator<Item = usize> + '_ {
        [self.lon, self.lat, self.x, self.y].into_iter().flatten()
    }
}

/// Header names of a PLZ column (compared in lower case).
const POSTCODE: [&str; 8] = [
    "plz",
    "postleitzahl",
    "postcode",
    "zip",
    "zipcode",
    "zip_code",
    "postal_code",
    "postalcode",
];
/// Header names of an Ort column.
const CITY: [&str; 5] = ["ort", "stadt", "city", "town", "ortsname"];
/// Header names of a street column.
const STREET: [&str; 7] = [
    "straße",
    "strasse",
    "str",
    "str.",
    "street",
    "anschrift",
    "adresse",
];
/// Header names of a house number column.
const HOUSE_NUMBER: [&str; 8] = [
    "hausnummer",
    "hausnr",
    "hausnr.",
    "nr",
    "nr.",
    "hnr",
    "house_number",
    "housenumber",
];

/// The header names of a CSV file (trimmed), `None` when it has no readable header line.
pub(super) fn headers(bytes: &[u8]) -> Option<Vec<String>> {
    let (text, _) = decode(bytes);
    let delimiter = delimiter(&text);
    let mut rows = reader(&text, delimiter);
    let headers = rows.headers().ok()?;
    Some(headers.iter().map(|h| h.trim().to_owned()).collect())
}

/// Counts lines up to a byte offset, remembering how far it has counted: linear over a file
/// whose record offsets only grow.
#[derive(Default)]
struct LineCounter {
    counted_to: usize,
    newlines: u64,
}

impl LineCounter {
    /// The 1-based line of the record starting at `byte` (see [`crate::data::csv_lines::line_at`]:
    /// a record position may point at the `\n` of a CRLF, which therefore is counted too).
    fn line_at(&mut self, bytes: &[u8], byte: usize) -> u64 {
        let end = (byte + 1).min(bytes.len());
        if end > self.counted_to {
            self.newlines += bytes[self.counted_to..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.counted_to = end;
        }
        1 + self.newlines
    }
}

/// Decodes the file: UTF-8 (a BOM is dropped), otherwise Windows-1252.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => (encoding_rs::WINDOWS_1252.decode(bytes).0, "Windows-1252"),
    }
}

/// The separator used most in the header line.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// The byte offset of a quote that opens a quoted field and is never closed, following the csv
/// crate's rules (a quote opens a field only at its start; `""` inside is an escaped quote).
/// Such a field would silently swallow the rest of the file.
pub(super) fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if open.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                open = None;
                at_field_start = false;
            }
        } else if b == b'"' && at_field_start {
            open = Some(i);
        } else {
            at_field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    open
}

pub(super) fn looks_decimal_comma(field: &str) -> bool {
    let mut parts = field.trim().rsplitn(2, ',');
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

fn reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// True when a coordinate column holds a number written with a decimal comma.
fn decimal_comma(text: &str, delimiter: u8, columns: &Columns) -> bool {
    delimiter != b','
        && reader(text, delimiter).records().flatten().any(|r| {
            columns
                .coordinates()
                .any(|c| r.get(c).is_some_and(looks_decimal_comma))
        })
}

/// Reads the sites of a CSV file's bytes into `sink`.
pub(super) fn import(
    path: &Path,
    bytes: &[u8],
    placer: &Placer,
    chosen: &AddressColumns,
    sink: &mut Sink,
) -> Result<(), LoadError> {
    let (text, encoding) = decode(bytes);
    let delimiter = delimiter(&text);
    let bad = |line: u64, detail: String| LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    };
    if let Some(open) = unclosed_quote(text.as_bytes(), delimiter) {
        let line = LineCounter::default().line_at(text.as_bytes(), open);
        return Err(bad(
            line,
            "a quoted field opens here and is never closed, so it would swallow the rest of the file; close the quote (\"...\") or remove it".to_owned(),
        ));
    }
    let (sep_de, sep_en) = match delimiter {
        b';' => ("Semikolon", "semicolon"),
        b'\t' => ("Tabulator", "tab"),
        _ => ("Komma", "comma"),
    };
    sink.report.format = Text::new(
        format!("CSV ({encoding}, {sep_de})"),
        format!("CSV ({encoding}, {sep_en})"),
    );
    let mut rows = reader(&text, delimiter);
    let headers: Vec<String> = rows
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let columns = position_columns(path, 1, &headers, chosen)?;
    let decimal_comma = decimal_comma(&text, delimiter, &columns);
    let mut lines = LineCounter::default();
    let records = rows.into_records().map(|record| {
        let record = record.map_err(|e| bad(0, e.to_string()))?;
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text.as_bytes(), p.byte() as usize));
        Ok((line, record))
    });
    let width = headers.len();
    place_rows(records, width, &columns, decimal_comma, placer, sink)
}

/// The position columns among `headers` (the header row is `line`), or an error listing the
/// columns when there are none.
pub(super) fn position_columns(
    path: &Path,
    line: u64,
    headers: &[String],
    chosen: &AddressColumns,
) -> Result<Columns, LoadError> {
    let columns = Columns::find(headers, chosen);
    if columns.has_position() {
        return Ok(columns);
    }
    Err(LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail: format!(
            "no position columns; give lon+lat (WGS84), x+y (EPSG:25832), ags, kommune, or an address (plz, ort). The columns are {}",
            headers.join(", ")
        ),
    })
}

/// Places the data rows (1-based line, record) into `sink`, in chunks on all cores.
pub(super) fn place_rows(
    mut records: impl Iterator<Item = Result<(u64, ::csv::StringRecord), LoadError>>,
    width: usize,
    columns: &Columns,
    decimal_comma: bool,
    placer: &Placer,
    sink: &mut Sink,
) -> Result<(), LoadError> {
    let mut empty = 0usize;
    let mut chunk: Vec<(u64, ::csv::StringRecord)> = Vec::with_capacity(CHUNK);
    loop {
        chunk.clear();
        for record in records.by_ref().take(CHUNK) {
            chunk.push(record?);
        }
        if chunk.is_empty() {
            break;
        }
        let outcomes: Vec<Outcome> = chunk
            .par_iter()
            .map(|(line, record)| row(record, *line, width, columns, decimal_comma, placer))
            .collect();
        for outcome in outcomes {
            match outcome {
                Outcome::Empty => empty += 1,
                Outcome::Failed(line, problem) => sink.fail(line, None, problem),
                Outcome::Row(row) => sink.push_with(
                    row.line,
                    row.name.as_ref().map(|n| format!("{n:?}")),
                    row.placed,
                    row.name.as_deref(),
                    row.site_type.as_deref(),
                    row.details,
                ),
            }
        }
    }
    if empty > 0 {
        sink.report.notes.push(Text::new(
            format!("{empty} leere Zeilen übersprungen"),
            format!("{empty} empty lines skipped"),
        ));
    }
    Ok(())
}

/// Rows placed together on all cores; the results are taken over in file order.
const CHUNK: usize = 16_384;

/// A data row, placed or not.
struct PlacedRow {
    line: u64,
    placed: Result<Placed, Problem>,
    name: Option<String>,
    site_type: Option<String>,
    details: SiteDetails,
}

/// What became of one data row.
enum Outcome {
    /// All fields empty: skipped (and counted in a note).
    Empty,
    /// Not placeable at all (wrong number of fields).
    Failed(u64, Problem),
    /// Placed, or a reason why not.
    Row(PlacedRow),
}

/// Checks and places one data row.
fn row(
    record: &::csv::StringRecord,
    line: u64,
    width: usize,
    columns: &Columns,
    decimal_comma: bool,
    placer: &Placer,
) -> Outcome {
    if record.iter().all(|f| f.trim().is_empty()) {
        return Outcome::Empty;
    }
    if record.len() != width {
        let n = record.len();
        return Outcome::Failed(
            line,
            Problem::new(
                Kind::FieldCount,
                format!(
                    "{n} Felder, die Kopfzeile hat {width}; Trennzeichen und Anführungszeichen prüfen"
                ),
                format!("{n} fields where the header has {width}; check the separators and quotes"),
            ),
        );
    }
    let field = |c: Option<usize>| {
        c.and_then(|c| record.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let number = |c: Option<usize>| {
        field(c).map(|t| {
            // A coordinate is never "nothing there": the statistical sign `-` (= 0) is no number here.
            (!matches!(t, "-" | "–"))
                .then(|| parse_number(t, decimal_comma).ok().flatten())
                .flatten()
                .ok_or_else(|| {
                    Problem::new(
                        Kind::NotANumber,
                        format!("{t:?} ist keine Zahl"),
                        format!("{t:?} is not a number"),
                    )
                })
        })
    };
    let placed = match (
        number(columns.lon),
        number(columns.lat),
        number(columns.x),
        number(columns.y),
    ) {
        (Some(lon), Some(lat), _, _) => {
            lon.and_then(|lon| lat.and_then(|lat| placer.by_lonlat(lon, lat)))
        }
        (_, _, Some(x), Some(y)) => x.and_then(|x| y.and_then(|y| placer.by_xy(x, y))),
        (Some(_), None, _, _) | (None, Some(_), _, _)
            if field(columns.ags).is_none() && field(columns.kommune).is_none() =>
        {
            Err(Problem::new(
                Kind::NoPosition,
                "nur eine der Koordinaten lon/lat angegeben",
                "only one of the coordinates lon/lat given",
            ))
        }
        _ => by_address_or_place(
            placer,
            field(columns.postcode),
            field(columns.city).or(field(columns.kommune)),
            field(columns.ags),
            field(columns.kommune),
        ),
    };
    let text = |c: Option<usize>| field(c).unwrap_or_default().to_owned();
    let address = Address {
        street: text(columns.street),
        house_number: text(columns.house_number),
        postcode: field(columns.postcode)
            .map(|p| crate::data::postcodes::normalise_plz(p).unwrap_or_else(|| p.to_owned()))
            .unwrap_or_default(),
        city: text(columns.city),
    };
    let (capacity, placed) = match number(columns.capacity) {
        None => (None, placed),
        Some(Ok(c)) => (Some(c), placed),
        Some(Err(p)) => (
            None,
            placed.and(Err(Problem::new(
                Kind::NotANumber,
                format!("Kapazität: {}", p.detail.get(crate::i18n::Lang::De)),
                format!("capacity: {}", p.detail.get(crate::i18n::Lang::En)),
            ))),
        ),
    };
    Outcome::Row(PlacedRow {
        line,
        placed,
        name: field(columns.name).map(str::to_owned),
        site_type: field(columns.site_type).map(str::to_owned),
        details: SiteDetails { address, capacity },
    })
}

/// The numbers of one column of the file, by 1-based line (the line an imported site's id
/// `EIGEN-<line>` names): read with the import's decoding, separator and decimal mark. A value
/// that is empty or no number is an error naming the line and the column.
pub(super) fn numeric_column(
    path: &Path,
    bytes: &[u8],
    column: &str,
) -> Result<std::collections::HashMap<u64, f64>, LoadError> {
    let (text, _) = decode(bytes);
    let delimiter = delimiter(&text);
    let bad = |line: u64, detail: String| LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    };
    let mut rows = reader(&text, delimiter);
    let headers: Vec<String> = rows
        .headers()
        .map_err(|e| bad(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let Some(position) = headers.iter().position(|h| h.eq_ignore_ascii_case(column)) else {
        return Err(bad(
            1,
            format!(
                "no column {column:?}; the columns are {}",
                headers.join(", ")
            ),
        ));
    };
    let mut lines = LineCounter::default();
    let mut fields = Vec::new();
    for record in rows.records() {
        let record = record.map_err(|e| bad(0, e.to_string()))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = record
            .position()
            .map_or(0, |p| lines.line_at(text.as_bytes(), p.byte() as usize));
        fields.push((
            line,
            record.get(position).unwrap_or_default().trim().to_owned(),
        ));
    }
    let comma = delimiter != b',' && fields.iter().any(|(_, f)| looks_decimal_comma(f));
    fields
        .into_iter()
        .map(|(line, field)| match parse_number(&field, comma) {
            Ok(Some(v)) if v.is_finite() => Ok((line, v)),
            _ => Err(bad(
                line,
                format!("column {column}: {field:?} is not a number; give a number for every row"),
            )),
        })
        .collect()
}

/// Places a row without coordinates: by its PLZ (falling back to the Ort, then to the AGS),
/// else by AGS, Kommune or Ort.
fn by_address_or_place(
    placer: &Placer,
    postcode: Option<&str>,
    ort: Option<&str>,
    ags: Option<&str>,
    kommune: Option<&str>,
) -> Result<Placed, Problem> {
    match (postcode, ags, kommune, ort) {
        (Some(_), _, _, _) => placer
            .by_address(postcode, ort)
            .or_else(|problem| ags.map_or(Err(problem), |a| placer.by_ags(a))),
        (None, Some(a), _, _) => placer.by_ags(a),
        (None, None, Some(k), _) => placer.by_name(k),
        (None, None, None, Some(_)) => placer.by_address(None, ort),
        (None, None, None, None) => Err(Problem::new(
            Kind::NoPosition,
            "keine Koordinaten, AGS, Kommune oder Adresse",
            "no coordinates, AGS, Kommune or address",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_is_found_where_it_opens() {
        assert_eq!(unclosed_quote(b"a;b\n\"x;1\n", b';'), Some(4));
        assert_eq!(unclosed_quote(b"a;b\n\"x\"\"y\";1\n", b';'), None);
        assert_eq!(
            unclosed_quote(b"a;b\nx\"y;1\n", b';'),
            None,
            "mid-field quote is text"
        );
        assert_eq!(unclosed_quote(b"a;b\n\"x\"y\";1\n", b';'), None);
    }

    #[test]
    fn line_counter_counts_each_byte_once() {
        let text = b"h\r\na\r\nb\r\n";
        let mut lines = LineCounter::default();
        assert_eq!(lines.line_at(text, 3), 2);
        assert_eq!(lines.line_at(text, 5), 3, "CRLF position at the \\n");
        assert_eq!(lines.line_at(text, 6), 3);
    }
}
