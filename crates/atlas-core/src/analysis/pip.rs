//! Assigning long point lists (addresses) to Gemeinde and Kreis: CSV in, the same CSV out with
//! `gemeinde_ags,gemeinde,kreis_ags,kreis` appended to every row, in input order. Parsing,
//! projection and location run in parallel.

use std::path::Path;

use rayon::prelude::*;

use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32};
use crate::model::{Atlas, RegionId};
use crate::timing::StageTimer;

/// Which columns hold the coordinates.
#[derive(Clone, Debug)]
pub struct PipColumns {
    /// Longitude column (WGS84 degrees).
    pub lon: String,
    /// Latitude column (WGS84 degrees).
    pub lat: String,
}

/// Counts of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipSummary {
    /// Data rows read.
    pub rows: usize,
    /// Points per Gemeinde, by atlas position (Gemeinde level).
    pub per_gemeinde: Vec<usize>,
    /// Valid points outside NRW.
    pub outside: usize,
    /// Rows whose coordinates are missing or not numbers: count and the first line numbers.
    pub invalid: usize,
    /// Up to 20 line numbers of invalid rows.
    pub invalid_lines: Vec<u64>,
}

/// One data row: where its text lies in the file and its coordinates, if they parse.
#[derive(Clone, Copy, Debug)]
struct Row {
    start: usize,
    point: Option<(f64, f64)>,
}

/// Reads `input`, assigns every point and writes the extended CSV to `out`: every input row, in
/// order and byte for byte, followed by the four new fields.
pub fn pip_csv(
    atlas: &Atlas,
    input: &Path,
    columns: &PipColumns,
    out: &mut dyn std::io::Write,
) -> Result<PipSummary, LoadError> {
    let mut timer = StageTimer::new();
    let bytes = std::fs::read(input).map_err(|e| LoadError::io(input, e))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
    let csv_err = |e: csv::Error| crate::data::csv_lines::csv_error(input, e, None);
    let headers = reader.byte_headers().map_err(csv_err)?.clone();
    let header_end = reader.position().byte() as usize;
    let find =
        |name: &str| {
            headers.iter().position(|h| h == name.as_bytes()).ok_or_else(|| LoadError::BadCsv {
            path: input.to_owned(),
            line: 1,
            detail: format!(
                "no column {name:?}; the columns are {}; name them with --lon-col/--lat-col",
                headers.iter().map(String::from_utf8_lossy).collect::<Vec<_>>().join(", ")
            ),
        })
        };
    let (lon_col, lat_col) = (find(&columns.lon)?, find(&columns.lat)?);
    let rows = parse_rows(&bytes, header_end, lon_col, lat_col).map_err(csv_err)?;
    timer.stage("read+parse CSV");
    atlas.locate_gemeinde_fast(0.0, 0.0);
    timer.stage("build grid");

    let located: Vec<Result<Option<RegionId>, ()>> = rows
        .par_chunks(16_384)
        .flat_map_iter(|chunk| {
            let to_utm = ToUtm32::from(Crs::Wgs84);
            chunk
                .iter()
                .map(|row| {
                    let (lon, lat) = row.point.ok_or(())?;
                    let (x, y) = to_utm.convert(lon, lat).ok_or(())?;
                    Ok(atlas.locate_gemeinde_fast(x, y))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    timer.stage("project+locate");

    let summary = write_rows(atlas, &bytes, header_end, &rows, &located, out)
        .map_err(|e| LoadError::io(input, e))?;
    timer.stage("write CSV");
    Ok(summary)
}

/// Parses the data rows in parallel, in chunks that end at line breaks; if a chunk holds a
/// quoted line break (records and lines disagree), parses the whole body as one chunk instead.
fn parse_rows(
    bytes: &[u8],
    body_start: usize,
    lon_col: usize,
    lat_col: usize,
) -> Result<Vec<Row>, csv::Error> {
    let body = &bytes[body_start..];
    let chunks = line_chunks(body, 1 << 22);
    let parsed: Vec<Option<Vec<Row>>> = chunks
        .par_iter()
        .map(|&(from, to)| parse_chunk(body, from, to, lon_col, lat_col, true))
        .collect::<Result<_, _>>()?;
    let rows: Vec<Row> = if parsed.iter().all(Option::is_some) {
        parsed.into_iter().flatten().flatten().collect()
    } else {
        parse_chunk(body, 0, body.len(), lon_col, lat_col, false)?.unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .map(|r| Row {
            start: r.start + body_start,
            ..r
        })
        .collect())
}

/// Splits `body` into pieces of about `size` bytes that end just after a `\n`.
fn line_chunks(body: &[u8], size: usize) -> Vec<(usize, usize)> {
    let mut chunks = Vec::new();
    let mut from = 0;
    while from < body.len() {
        let mut to = (from + size).min(body.len());
        while to < body.len() && body[to - 1] != b'\n' {
            to += 1;
        }
        chunks.push((from, to));
        from = to;
    }
    chunks
}

/// Parses one chunk; with `check_lines`, returns `None` when a record spans several lines.
fn parse_chunk(
    body: &[u8],
    from: usize,
    to: usize,
    lon_col: usize,
    lat_col: usize,
    check_lines: bool,
) -> Result<Option<Vec<Row>>, csv::Error> {
    let chunk = &body[from..to];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(chunk);
    let mut record = csv::ByteRecord::new();
    let mut rows = Vec::new();
    while reader.read_byte_record(&mut record)? {
        let mut start = record.position().map_or(0, |p| p.byte() as usize);
        // In CRLF files the reported start is the `\n` of the previous line end.
        while start < chunk.len() && matches!(chunk[start], b'\r' | b'\n') {
            start += 1;
        }
        let point = parse_f64(record.get(lon_col)).zip(parse_f64(record.get(lat_col)));
        rows.push(Row {
            start: from + start,
            point,
        });
    }
    if check_lines {
        // One record per line, unless a quoted field holds a line break (or blank lines occur,
        // which the single-chunk parse also handles).
        let breaks = chunk.iter().filter(|&&b| b == b'\n').count();
        let lines = breaks + usize::from(!chunk.ends_with(b"\n") && !chunk.is_empty());
        if lines != rows.len() {
            return Ok(None);
        }
    }
    Ok(Some(rows))
}

/// Writes the header and every row with its four new fields, keeping the file's line ends.
fn write_rows(
    atlas: &Atlas,
    bytes: &[u8],
    header_end: usize,
    rows: &[Row],
    located: &[Result<Option<RegionId>, ()>],
    out: &mut dyn std::io::Write,
) -> std::io::Result<PipSummary> {
    let first_break = bytes.iter().position(|&b| b == b'\n');
    let crlf = first_break.is_some_and(|i| i > 0 && bytes[i - 1] == b'\r');
    let newline: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let suffixes = suffixes(atlas);
    let mut summary = PipSummary {
        rows: rows.len(),
        per_gemeinde: vec![0; suffixes.len()],
        ..PipSummary::default()
    };
    let mut header = trim_line_end(&bytes[..header_end]).to_vec();
    header.extend_from_slice(b",gemeinde_ags,gemeinde,kreis_ags,kreis");
    header.extend_from_slice(newline);
    out.write_all(&header)?;
    // Rows are formatted in parallel pieces, written in order.
    const PIECE: usize = 65_536;
    let pieces: Vec<Vec<u8>> = rows
        .par_chunks(PIECE)
        .enumerate()
        .map(|(k, chunk)| {
            let mut buffer = Vec::with_capacity(chunk.len() * 96);
            for (j, row) in chunk.iter().enumerate() {
                let i = k * PIECE + j;
                let end = rows.get(i + 1).map_or(bytes.len(), |next| next.start);
                buffer.extend_from_slice(trim_line_end(&bytes[row.start..end]));
                match located[i] {
                    Ok(Some(id)) => buffer.extend_from_slice(&suffixes[id.index]),
                    _ => buffer.extend_from_slice(b",,,,"),
                }
                buffer.extend_from_slice(newline);
            }
            buffer
        })
        .collect();
    for piece in &pieces {
        out.write_all(piece)?;
    }
    for (row, result) in rows.iter().zip(located) {
        match result {
            Ok(Some(id)) => summary.per_gemeinde[id.index] += 1,
            Ok(None) => summary.outside += 1,
            Err(()) => {
                summary.invalid += 1;
                if summary.invalid_lines.len() < 20 {
                    let line = crate::data::csv_lines::line_at(bytes, row.start);
                    summary.invalid_lines.push(line);
                }
            }
        }
    }
    Ok(summary)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    &line[..end]
}

/// `,ags,name,kreis_ags,kreis` for every Gemeinde, quoted where CSV needs it.
fn suffixes(atlas: &Atlas) -> Vec<Vec<u8>> {
    atlas
        .regions(crate::Level::Gemeinde)
        .iter()
        .map(|gemeinde| {
            let kreis = gemeinde.parent.as_ref().and_then(|p| atlas.get(p));
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            let _ = writer.write_record([
                "",
                gemeinde.ags.as_str(),
                &gemeinde.name,
                kreis.map_or("", |k| k.ags.as_str()),
                kreis.map_or("", |k| k.name.as_str()),
            ]);
            let mut bytes = writer.into_inner().unwrap_or_default();
            bytes.pop();
            // The record starts with an empty field: drop any quotes csv put around it.
            if bytes.starts_with(b"\"\"") {
                bytes.drain(..2);
            }
            bytes
        })
        .collect()
}

fn parse_f64(field: Option<&[u8]>) -> Option<f64> {
    let text = std::str::from_utf8(field?).ok()?.trim();
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The per-Gemeinde counts as CSV: `gemeinde_ags,gemeinde,kreis_ags,kreis,count`, then the
/// points outside NRW and the invalid rows.
pub fn summary_csv(atlas: &Atlas, summary: &PipSummary) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["gemeinde_ags", "gemeinde", "kreis_ags", "kreis", "count"]);
    for (gemeinde, &count) in atlas
        .regions(crate::Level::Gemeinde)
        .iter()
        .zip(&summary.per_gemeinde)
    {
        let kreis = gemeinde.parent.as_ref().and_then(|p| atlas.get(p));
        let _ = writer.write_record([
            gemeinde.ags.as_str(),
            &gemeinde.name,
            kreis.map_or("", |k| k.ags.as_str()),
            kreis.map_or("", |k| k.name.as_str()),
            &count.to_string(),
        ]);
    }
    let _ = writer.write_record(["", "outside NRW", "", "", &summary.outside.to_string()]);
    let _ = writer.write_record([
        "",
        "invalid coordinates",
        "",
        "",
        &summary.invalid.to_string(),
    ]);
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}
