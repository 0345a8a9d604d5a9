//! Assigning long point lists (addresses) to Gemeinde and Kreis: CSV in, the same CSV out with
//! `gemeinde_ags,gemeinde,kreis_ags,kreis` appended to every record, in input order.
//!
//! The input is streamed in batches of a few MiB; memory stays bounded whatever the file size.
//! Each batch is cut into pieces at line ends and the pieces are parsed (by `csv_core`),
//! projected and located in parallel. A cut may fall inside a quoted field that holds a line
//! break; the parse of the piece before it then ends inside a record, which is how such a cut is
//! recognised: the record is parsed again from its start together with the next piece, whose own
//! speculative parse is dropped. Pieces are written in order, so the output is the same for every
//! piece size (see [`PipOptions::chunk_bytes`]) and every thread count.
//!
//! Byte for byte: the output is the input with the four fields inserted after each record's
//! last field, before its line end. Line ends (LF, CRLF, CR alone, mixed), blank lines, quoting
//! and a missing final line end are all kept as they are. A blank line is not a record (CSV
//! readers skip it), so it stays blank and gets no appended fields.

use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::data::csv_lines::count_line_ends;
use crate::error::LoadError;
use crate::geometry::projection::{Crs, ToUtm32};
use crate::model::Atlas;

/// Which columns hold the coordinates.
#[derive(Clone, Debug)]
pub struct PipColumns {
    /// Longitude column (WGS84 degrees).
    pub lon: String,
    /// Latitude column (WGS84 degrees).
    pub lat: String,
}

/// Tuning of a run; the defaults suit every input, the fields exist for tests and benches.
#[derive(Clone, Debug)]
pub struct PipOptions {
    /// Bytes per parallel piece (each piece ends at a line end; default 1 MiB). Tests set a few
    /// bytes to force cuts inside quoted fields.
    pub chunk_bytes: usize,
    /// A record longer than this is an error: in a point list it means a quote that is never
    /// closed (default 1 MiB). It also bounds the memory a run needs. A record cut between
    /// pieces is parsed again from its start, so the run is linear in the input's size as long
    /// as `chunk_bytes` is not much smaller than the records.
    pub max_record_bytes: usize,
}

impl Default for PipOptions {
    fn default() -> Self {
        PipOptions {
            chunk_bytes: 1 << 20,
            max_record_bytes: 1 << 20,
        }
    }
}

/// How many line numbers a [`RowProblem`] keeps.
pub const FIRST_LINES: usize = 10;

/// Records with one kind of problem: how many, and the lines of the first [`FIRST_LINES`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowProblem {
    /// Number of records with the problem.
    pub count: usize,
    /// 1-based line numbers (header = line 1) where the first of them start.
    pub lines: Vec<u64>,
}

impl RowProblem {
    fn note(&mut self, line: u64) {
        self.count += 1;
        if self.lines.len() < FIRST_LINES {
            self.lines.push(line);
        }
    }

    fn absorb(&mut self, other: &RowProblem, line_offset: u64) {
        self.count += other.count;
        let room = FIRST_LINES.saturating_sub(self.lines.len());
        self.lines
            .extend(other.lines.iter().take(room).map(|l| l + line_offset));
    }

    /// `"lines 4, 7, …"`: the line list for a message (always "lines", as scripts match it).
    fn line_list(&self) -> String {
        let lines: Vec<String> = self.lines.iter().map(u64::to_string).collect();
        let more = if self.count > self.lines.len() {
            ", …"
        } else {
            ""
        };
        format!("lines {}{more}", lines.join(", "))
    }
}

/// Counts of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipSummary {
    /// Data records read (blank lines are not records).
    pub rows: usize,
    /// Points per Gemeinde, by atlas position (Gemeinde level).
    pub per_gemeinde: Vec<usize>,
    /// Records with valid coordinates outside NRW (swapped columns put every point there).
    pub outside: RowProblem,
    /// Records whose coordinates are missing, not numbers or not convertible.
    pub invalid: RowProblem,
    /// Records with another number of fields than the header (the appended fields then stand
    /// in other columns than the header says).
    pub unequal_fields: RowProblem,
    /// Records holding a line break inside quotes: kept as one record, which is right for a
    /// multi-line address and wrong after a stray quote.
    pub multi_line: RowProblem,
    /// Lines the [`PipSummary::multi_line`] records span in all: one more means one more row
    /// taken into a quoted field.
    pub multi_line_spans: u64,
    /// Records whose quotes are not the plain `"…"` around whole fields, e.g. `"Dom"platz` (a
    /// closing quote followed by more text) or `Dom"platz`: the marks of a stray quote.
    pub stray_quotes: RowProblem,
    /// Number of fields of the header.
    pub header_fields: usize,
    /// Lines the header spans: more than 1 when it holds a line break inside quotes, which in
    /// a point list means a stray quote that swallowed the first rows.
    pub header_lines: u64,
}

impl PipSummary {
    fn new(gemeinden: usize) -> PipSummary {
        PipSummary {
            per_gemeinde: vec![0; gemeinden],
            ..PipSummary::default()
        }
    }

    /// Adds a piece's counts; its line numbers are relative to `line_offset`.
    fn absorb(&mut self, piece: &PipSummary, line_offset: u64) {
        self.rows += piece.rows;
        for (total, count) in self.per_gemeinde.iter_mut().zip(&piece.per_gemeinde) {
            *total += count;
        }
        self.outside.absorb(&piece.outside, line_offset);
        self.invalid.absorb(&piece.invalid, line_offset);
        self.unequal_fields
            .absorb(&piece.unequal_fields, line_offset);
        self.multi_line.absorb(&piece.multi_line, line_offset);
        self.multi_line_spans += piece.multi_line_spans;
        self.stray_quotes.absorb(&piece.stray_quotes, line_offset);
    }

    /// One line per kind of problem found, with the first line numbers; empty for a clean run.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.rows == 0 {
            warnings.push(
                "no data rows below the header; if the file has rows, check the line ends and quotes of the first lines".to_owned(),
            );
        }
        if self.header_lines > 1 {
            warnings.push(format!(
                "the header runs over {} lines (a line break inside quotes); rows may have been taken for column names: check the quotes in the first lines",
                self.header_lines
            ));
        }
        if self.invalid.count > 0 {
            warnings.push(format!(
                "{} rows without valid coordinates ({}); their new columns are empty",
                self.invalid.count,
                self.invalid.line_list()
            ));
        }
        if self.outside.count > 0 {
            warnings.push(format!(
                "{} points outside NRW ({}); their new columns are empty{}",
                self.outside.count,
                self.outside.line_list(),
                if self.outside.count == self.rows {
                    ": all of them, are lon and lat swapped?"
                } else {
                    ""
                }
            ));
        }
        if self.unequal_fields.count > 0 {
            warnings.push(format!(
                "{} rows with another number of fields than the header's {} ({}); their new columns do not line up: check the separators and quotes there",
                self.unequal_fields.count,
                self.header_fields,
                self.unequal_fields.line_list()
            ));
        }
        if self.multi_line.count > 0 {
            warnings.push(format!(
                "{} rows with a line break inside quotes ({}), spanning {} lines in all; each is kept as one row: if that is wrong, a quote there is not closed",
                self.multi_line.count,
                self.multi_line.line_list(),
                self.multi_line_spans
            ));
        }
        if self.stray_quotes.count > 0 {
            warnings.push(format!(
                "{} rows with a quote inside a field, as in \"Dom\"platz or Dom\"platz ({}); a quote there is probably stray and may have joined rows: check them",
                self.stray_quotes.count,
                self.stray_quotes.line_list()
            ));
        }
        warnings
    }

    /// True when [`PipSummary::warnings`] has something to say.
    pub fn has_warnings(&self) -> bool {
        self.rows == 0
            || self.header_lines > 1
            || self.invalid.count
                + self.outside.count
                + self.unequal_fields.count
                + self.multi_line.count
                + self.stray_quotes.count
                > 0
    }
}

/// What can go wrong in a run.
#[derive(Debug, thiserror::Error)]
pub enum PipError {
    /// The input cannot be read or parsed.
    #[error(transparent)]
    Input(#[from] LoadError),
    /// The output cannot be written.
    #[error("{target}: cannot write: {source}")]
    Output {
        /// The output file, or "the output" for a stream.
        target: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The header names no column of the name given for a coordinate.
    #[error(
        "{}: line {line}: no column {name:?}; the columns are {}; name the {} column",
        .path.display(),
        .columns.join(", "),
        .axis.noun()
    )]
    MissingColumn {
        /// The input CSV file.
        path: std::path::PathBuf,
        /// 1-based line of the header (after any blank lines before it).
        line: u64,
        /// Which coordinate the column was to hold.
        axis: Axis,
        /// The name that was looked for.
        name: String,
        /// The header's column names, in order.
        columns: Vec<String>,
    },
}

/// The coordinate a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Longitude ([`PipColumns::lon`]).
    Longitude,
    /// Latitude ([`PipColumns::lat`]).
    Latitude,
}

impl Axis {
    /// `"longitude"` or `"latitude"`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Axis::Longitude => "longitude",
            Axis::Latitude => "latitude",
        }
    }
}

impl PipError {
    fn output(source: std::io::Error) -> PipError {
        PipError::Output {
            target: "the output".to_owned(),
            source,
        }
    }
}

/// Reads the CSV file `input`, assigns every point and streams the extended CSV to `out` (see
/// [`pip_stream`]).
pub fn pip_csv(
    atlas: &Atlas,
    input: &Path,
    columns: &PipColumns,
    out: &mut dyn Write,
    options: &PipOptions,
) -> Result<PipSummary, PipError> {
    let mut file = std::fs::File::open(input).map_err(|e| LoadError::io(input, e))?;
    match map_file(&file) {
        Some(map) => pip_input(atlas, Input::mapped(&map, input), columns, out, options),
        None => pip_stream(atlas, &mut file, input, columns, out, options),
    }
}

/// A read-only memory map of `file` when it is a regular, non-empty file (pipes, terminals
/// and `/dev/stdin` are read as streams). The map is advised for sequential reading.
///
/// A map shows the file as it is on disk while it is read: a file changed by another program
/// during the run gives a mixed result (as a read would) and one truncated during the run ends
/// the process with SIGBUS, the known price of every mapped read (ripgrep's too).
fn map_file(file: &std::fs::File) -> Option<memmap2::Mmap> {
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() == 0 {
        return None;
    }
    // SAFETY: the map is read-only and private to this process; the file is not written by
    // this program while mapped (see above for other programs).
    let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// Like [`pip_csv`], into the file `target`: written to a temporary file beside it
/// (`.NAME.tmp-XXXXXX`), renamed over `target` when complete and removed on any error, so
/// `target` is either the whole result or untouched.
pub fn pip_to_file(
    atlas: &Atlas,
    input: &Path,
    columns: &PipColumns,
    target: &Path,
    options: &PipOptions,
) -> Result<PipSummary, PipError> {
    let failed = |source: std::io::Error| PipError::Output {
        target: target.display().to_string(),
        source,
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(failed(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("folder {} does not exist; create it first", dir.display()),
        )));
    }
    let name = target.file_name().ok_or_else(|| {
        failed(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name; give the output file as FILE.csv",
        ))
    })?;
    let mut temp = temp_builder(&format!(".{}.tmp-", name.to_string_lossy()))
        .tempfile_in(dir)
        .map_err(failed)?;
    let summary = {
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, temp.as_file_mut());
        let summary = match pip_csv(atlas, input, columns, &mut writer, options) {
            Err(PipError::Output { source, .. }) => return Err(failed(source)),
            other => other?,
        };
        writer.flush().map_err(failed)?;
        summary
    };
    temp.as_file().sync_all().map_err(failed)?;
    temp.persist(target).map_err(|e| failed(e.error))?;
    Ok(summary)
}

/// A temporary-file builder with the permissions of an ordinary new file (umask applies).
fn temp_builder(prefix: &str) -> tempfile::Builder<'_, '_> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Reads CSV from `input` (named `source` in errors), assigns every point and streams the
/// extended CSV to `out`: the input byte for byte with `,gemeinde_ags,gemeinde,kreis_ags,kreis`
/// inserted before each record's line end (empty outside NRW or for unreadable coordinates).
///
/// A quote that is never closed (the record runs to the end of the input or past
/// [`PipOptions::max_record_bytes`]) is an error naming the line where the record opens. On an
/// error, part of the output may already be written to `out`; [`pip_to_file`] leaves nothing.
pub fn pip_stream(
    atlas: &Atlas,
    input: &mut dyn Read,
    source: &Path,
    columns: &PipColumns,
    out: &mut dyn Write,
    options: &PipOptions,
) -> Result<PipSummary, PipError> {
    pip_input(atlas, Input::stream(input, source), columns, out, options)
}

/// [`pip_stream`] on a stream or a mapped file.
fn pip_input(
    atlas: &Atlas,
    mut stream: Input,
    columns: &PipColumns,
    out: &mut dyn Write,
    options: &PipOptions,
) -> Result<PipSummary, PipError> {
    let started = Instant::now();
    let source = stream.source;
    atlas.locate_gemeinde_fast(0.0, 0.0);
    let grid_time = started.elapsed();
    let header = read_header(&mut stream, columns, options)?;
    let write = |out: &mut dyn Write, bytes: &[u8]| out.write_all(bytes).map_err(PipError::output);
    write(out, &stream.bytes()[..header.end])?;
    write(out, b",gemeinde_ags,gemeinde,kreis_ags,kreis")?;
    let context = Context {
        atlas,
        suffixes: suffixes(atlas),
        lon_col: header.lon_col,
        lat_col: header.lat_col,
        header_fields: header.fields,
        max_record: options.max_record_bytes.max(1),
    };
    let mut summary = PipSummary::new(context.suffixes.len());
    summary.header_fields = header.fields;
    summary.header_lines = 1 + count_line_ends(&stream.bytes()[header.start..header.end]);
    let mut run = Run {
        lines_before: count_line_ends(&stream.bytes()[..header.end]),
        compute: Duration::ZERO,
        write: Duration::ZERO,
        spare: Vec::new(),
    };
    // A record cut by a batch's end is parsed again with the next batch: with batches of at
    // least twice the longest record allowed, that costs at most half a batch per batch.
    let batch_bytes = (options.chunk_bytes.max(1))
        .saturating_mul(4 * rayon::current_num_threads().max(1))
        .max(context.max_record.saturating_mul(2));
    let mut begin = header.end;
    loop {
        stream.fill(begin.saturating_add(batch_bytes))?;
        let Some(cut) = stream.cut(begin) else {
            if stream.bytes().len() - begin > context.max_record.saturating_add(2) {
                let line = run.lines_before + count_line_ends(&stream.bytes()[begin..]) + 1;
                return Err(too_long(source, line, context.max_record).into());
            }
            let more = stream.bytes().len().saturating_add(batch_bytes);
            stream.fill(more)?;
            continue;
        };
        let pieces = split_at_line_ends(stream.bytes(), begin, cut, options.chunk_bytes.max(1));
        let keep = run.batch(&context, &stream, &pieces, &mut summary, out)?;
        if stream.eof {
            break;
        }
        stream.consume(keep.unwrap_or(cut));
        begin = 0;
    }
    out.flush().map_err(PipError::output)?;
    if crate::timing::enabled() {
        let total = started.elapsed();
        let other = total.saturating_sub(grid_time + run.compute + stream.read_time + run.write);
        let how = match stream.data {
            Data::Stream { .. } => "read as a stream",
            Data::Mapped { .. } => "memory-mapped",
        };
        eprintln!(
            "timing: pip ({how}): build grid: {:.1} ms; parse+project+locate (parallel): {:.1} ms; read: {:.1} ms; write: {:.1} ms; other: {:.1} ms; total {:.1} ms",
            ms(grid_time),
            ms(run.compute),
            ms(stream.read_time),
            ms(run.write),
            ms(other),
            ms(total)
        );
    }
    Ok(summary)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The input: a window of unprocessed bytes, read from a stream into a buffer or shown by a
/// memory map, and whether the window reaches the end.
struct Input<'a> {
    source: &'a Path,
    data: Data<'a>,
    eof: bool,
    read_time: Duration,
}

/// Where the window's bytes are.
enum Data<'a> {
    /// Read from a stream; consumed bytes are drained from the buffer.
    Stream {
        reader: &'a mut dyn Read,
        buf: Vec<u8>,
    },
    /// A mapped file: the window is `map[offset..end]`; consumed pages are given back.
    Mapped {
        map: &'a memmap2::Mmap,
        offset: usize,
        end: usize,
    },
}

impl<'a> Input<'a> {
    fn stream(reader: &'a mut dyn Read, source: &'a Path) -> Input<'a> {
        Input {
            source,
            data: Data::Stream {
                reader,
                buf: Vec::new(),
            },
            eof: false,
            read_time: Duration::ZERO,
        }
    }

    fn mapped(map: &'a memmap2::Mmap, source: &'a Path) -> Input<'a> {
        Input {
            source,
            data: Data::Mapped {
                map,
                offset: 0,
                end: 0,
            },
            eof: map.is_empty(),
            read_time: Duration::ZERO,
        }
    }

    /// The window of unprocessed bytes.
    fn bytes(&self) -> &[u8] {
        match &self.data {
            Data::Stream { buf, .. } => buf,
            Data::Mapped { map, offset, end } => &map[*offset..*end],
        }
    }

    /// Drops the first `n` bytes of the window.
    fn consume(&mut self, n: usize) {
        match &mut self.data {
            Data::Stream { buf, .. } => {
                buf.drain(..n);
            }
            Data::Mapped { map, offset, .. } => {
                let page = 4096;
                let (done_from, done_to) =
                    (offset.next_multiple_of(page), (*offset + n) / page * page);
                if done_to > done_from {
                    // The pages before the window are never read again: give them back, so
                    // that the run's memory does not grow with the file.
                    // SAFETY: a read-only private file map; a dropped page that is touched
                    // again would be read from the file anew, nothing refers to them.
                    let _ = unsafe {
                        map.unchecked_advise_range(
                            memmap2::UncheckedAdvice::DontNeed,
                            done_from,
                            done_to - done_from,
                        )
                    };
                }
                *offset += n;
            }
        }
    }

    /// Makes the window hold `target` bytes (reading at most 64 MiB more) or reach the end.
    fn fill(&mut self, target: usize) -> Result<(), PipError> {
        if self.eof || self.bytes().len() >= target {
            return Ok(());
        }
        match &mut self.data {
            Data::Stream { reader, buf } => {
                let started = Instant::now();
                let want = (target - buf.len()).min(64 << 20) as u64;
                let read = (&mut **reader)
                    .take(want)
                    .read_to_end(buf)
                    .map_err(|e| LoadError::io(self.source, e))?;
                self.eof = (read as u64) < want;
                self.read_time += started.elapsed();
            }
            Data::Mapped { map, offset, end } => {
                *end = offset.saturating_add(target).min(map.len());
                self.eof = *end == map.len();
            }
        }
        Ok(())
    }

    /// Where the batch starting at `begin` ends: the input's end, or the last line end in the
    /// buffer that is surely one (a `\r` at the very end might be the first half of `\r\n`).
    /// `None` when the buffer holds no line end after `begin` yet.
    fn cut(&self, begin: usize) -> Option<usize> {
        let buf = self.bytes();
        if self.eof {
            return Some(buf.len());
        }
        (begin + 1..=buf.len()).rev().find(|&i| is_safe_end(buf, i))
    }
}

/// True when a piece may end before `buf[i]`: just after a `\n`, or after a `\r` that is
/// known not to be followed by `\n`.
fn is_safe_end(buf: &[u8], i: usize) -> bool {
    match buf[i - 1] {
        b'\n' => true,
        b'\r' => buf.get(i).is_some_and(|&b| b != b'\n'),
        _ => false,
    }
}

/// Cuts `buf[begin..cut]` into pieces of about `size` bytes, each ending at a line end.
fn split_at_line_ends(buf: &[u8], begin: usize, cut: usize, size: usize) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut from = begin;
    while from < cut {
        let mut to = from.saturating_add(size).min(cut);
        while to < cut && !is_safe_end(buf, to) {
            to += 1;
        }
        pieces.push((from, to));
        from = to;
    }
    pieces
}

fn is_line_end(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// The header: where its record ends and where the coordinates are.
struct Header {
    /// Start of the header's first field.
    start: usize,
    /// End of the header's last field (its line end follows).
    end: usize,
    fields: usize,
    lon_col: usize,
    lat_col: usize,
}

/// Reads the header record (reading more input until it is complete) and finds the columns.
fn read_header(
    stream: &mut Input,
    columns: &PipColumns,
    options: &PipOptions,
) -> Result<Header, PipError> {
    let source = stream.source;
    loop {
        let start = skip_line_ends(stream.bytes(), 0, stream.bytes().len());
        let line = count_line_ends(&stream.bytes()[..start]) + 1;
        if start == stream.bytes().len() && stream.eof {
            return Err(bad_csv(
                source,
                line,
                "no header line: the file is empty; the first line must name the columns, e.g. id,lon,lat".to_owned(),
            )
            .into());
        }
        let mut reader = RecordReader::new(false);
        let end = match reader.feed(&stream.bytes()[start..]) {
            Some(n) => Some(start + n - 1),
            None if stream.eof => match reader.feed(b"\n") {
                Some(_) => Some(stream.bytes().len()),
                None => return Err(unclosed(source, line).into()),
            },
            None => None,
        };
        let Some(end) = end else {
            if stream.bytes().len() - start > options.max_record_bytes {
                return Err(too_long(source, line, options.max_record_bytes).into());
            }
            let more = stream.bytes().len() + (64 << 10);
            stream.fill(more)?;
            continue;
        };
        let names: Vec<&[u8]> = (0..reader.field_count())
            .filter_map(|i| reader.field(i))
            .collect();
        let find = |name: &str, axis: Axis| {
            names
                .iter()
                .position(|h| *h == name.as_bytes())
                .ok_or_else(|| PipError::MissingColumn {
                    path: source.to_owned(),
                    line,
                    axis,
                    name: name.to_owned(),
                    columns: names
                        .iter()
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .collect(),
                })
        };
        return Ok(Header {
            start,
            end,
            fields: names.len(),
            lon_col: find(&columns.lon, Axis::Longitude)?,
            lat_col: find(&columns.lat, Axis::Latitude)?,
        });
    }
}

fn bad_csv(path: &Path, line: u64, detail: String) -> LoadError {
    LoadError::BadCsv {
        path: path.to_owned(),
        line,
        detail,
    }
}

fn unclosed(path: &Path, line: u64) -> LoadError {
    bad_csv(
        path,
        line,
        "a quote opened in the row starting here is never closed, so the row runs to the end of the file; close the quote (\") or remove it".to_owned(),
    )
}

fn too_long(path: &Path, line: u64, max: usize) -> LoadError {
    bad_csv(
        path,
        line,
        format!(
            "the row starting here runs on for more than {} KiB without ending: a quote opened there is probably never closed; close the quote (\") or remove it",
            max / 1024
        ),
    )
}

/// The first position at or after `pos` (before `to`) that is not a line end.
fn skip_line_ends(buf: &[u8], pos: usize, to: usize) -> usize {
    buf[pos..to]
        .iter()
        .position(|&b| !is_line_end(b))
        .map_or(to, |i| pos + i)
}

/// One record at a time through `csv_core`, continuing across calls when a record is cut.
struct RecordReader {
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
}

impl RecordReader {
    /// A reader at the start of a record. `mid_file` keeps it from taking bytes that look like
    /// a UTF-8 byte-order mark for one (only the file's start may have one).
    fn new(mid_file: bool) -> RecordReader {
        let mut reader = RecordReader {
            core: csv_core::Reader::new(),
            fields: vec![0; 1024],
            ends: vec![0; 32],
            nout: 0,
            nend: 0,
        };
        if mid_file {
            // A line end at the start of a record is skipped; the reader stays at a record start.
            let _ = reader
                .core
                .read_record(b"\n", &mut reader.fields, &mut reader.ends);
        }
        reader
    }

    /// Forgets the fields of the previous record.
    fn clear(&mut self) {
        self.nout = 0;
        self.nend = 0;
    }

    /// Feeds `input` (not empty) to the current record: the number of bytes up to and including
    /// its line end when it ends, `None` when all of `input` was taken and the record goes on.
    fn feed(&mut self, input: &[u8]) -> Option<usize> {
        let mut used = 0;
        while used < input.len() {
            let (result, nin, nout, nend) = self.core.read_record(
                &input[used..],
                &mut self.fields[self.nout..],
                &mut self.ends[self.nend..],
            );
            used += nin;
            self.nout += nout;
            self.nend += nend;
            match result {
                csv_core::ReadRecordResult::Record => return Some(used),
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.fields.len() * 2;
                    self.fields.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                csv_core::ReadRecordResult::InputEmpty | csv_core::ReadRecordResult::End => {
                    return None;
                }
            }
        }
        None
    }

    /// True when `raw`, the text the current record was read from, holds its fields as they
    /// are (without quotes) or in plain quotes (`"…"` with `""` inside) — not, e.g.,
    /// `"Dom"platz` or `Dom"platz`, which `csv_core` accepts without a word. A check of the
    /// parse, not a second parser: it only compares `raw` with the fields.
    fn plainly_quoted(&self, raw: &[u8]) -> bool {
        let mut rest = raw;
        for i in 0..self.nend {
            let field = self.field(i).unwrap_or_default();
            if i > 0 {
                let Some(after) = rest.strip_prefix(b",") else {
                    return false;
                };
                rest = after;
            }
            rest = match rest.strip_prefix(b"\"") {
                Some(quoted) => match strip_quoted(quoted, field) {
                    Some(after) => after,
                    None => return false,
                },
                None if field.contains(&b'"') => return false,
                None => match rest.strip_prefix(field) {
                    Some(after) => after,
                    None => return false,
                },
            };
        }
        rest.is_empty()
    }

    fn field_count(&self) -> usize {
        self.nend
    }

    fn field(&self, i: usize) -> Option<&[u8]> {
        if i >= self.nend {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..self.ends[i])
    }
}

/// `text` after an opening quote, if it starts with `field` (each `"` doubled) and a closing
/// quote: the rest after that quote.
fn strip_quoted<'a>(mut text: &'a [u8], field: &[u8]) -> Option<&'a [u8]> {
    for part in field.split_inclusive(|&b| b == b'"') {
        text = text.strip_prefix(part)?;
        if part.ends_with(b"\"") {
            text = text.strip_prefix(b"\"")?;
        }
    }
    text.strip_prefix(b"\"")
}

/// What every piece needs, shared by the threads.
struct Context<'a> {
    atlas: &'a Atlas,
    suffixes: Vec<Vec<u8>>,
    lon_col: usize,
    lat_col: usize,
    header_fields: usize,
    max_record: usize,
}

/// The fields appended where a record has no Gemeinde.
const NO_GEMEINDE: &[u8] = b",,,,";

impl Context<'_> {
    /// Counts one record (its text is `raw`) and returns the fields to append to it. `line` is
    /// relative to the piece (line ends before the record).
    fn assign(
        &self,
        reader: &RecordReader,
        raw: &[u8],
        to_utm: &ToUtm32,
        tally: &mut PipSummary,
        line: u64,
    ) -> &[u8] {
        tally.rows += 1;
        if reader.field_count() != self.header_fields {
            tally.unequal_fields.note(line);
        }
        if raw.iter().any(|&b| matches!(b, b'"' | b'\r' | b'\n')) {
            let lines = count_line_ends(raw);
            if lines > 0 {
                tally.multi_line.note(line);
                tally.multi_line_spans += lines + 1;
            }
            if !reader.plainly_quoted(raw) {
                tally.stray_quotes.note(line);
            }
        }
        let point =
            parse_f64(reader.field(self.lon_col)).zip(parse_f64(reader.field(self.lat_col)));
        let Some((x, y)) = point.and_then(|(lon, lat)| to_utm.convert(lon, lat)) else {
            tally.invalid.note(line);
            return NO_GEMEINDE;
        };
        match self.atlas.locate_gemeinde_fast(x, y) {
            Some(id) => {
                tally.per_gemeinde[id.index] += 1;
                &self.suffixes[id.index]
            }
            None => {
                tally.outside.note(line);
                NO_GEMEINDE
            }
        }
    }
}

/// The result of one piece `[from, to)` of a batch.
struct Piece {
    /// The output for `[from, end)`.
    out: Vec<u8>,
    /// Start of a record that does not end within the piece: the piece's output stops there.
    partial: Option<usize>,
    /// Line ends in `[from, end)`.
    line_ends: u64,
    /// Counts, with line numbers relative to the piece.
    tally: PipSummary,
}

/// An error found in a piece, at a line relative to the piece.
enum PieceError {
    Unclosed(u64),
    TooLong(u64),
}

/// Parses, locates and writes the records of `buf[from..to]`, which starts at a record
/// boundary if the previous piece ended cleanly. With `at_end`, `to` is the end of the input.
/// `out` is an empty buffer to write into (one given back by an earlier piece, if any).
fn scan_piece(
    context: &Context,
    buf: &[u8],
    (from, to): (usize, usize),
    at_end: bool,
    mut out: Vec<u8>,
) -> Result<Piece, PieceError> {
    let mut reader = RecordReader::new(true);
    let to_utm = ToUtm32::from(Crs::Wgs84);
    out.clear();
    out.reserve((to - from) + (to - from) / 2);
    let mut piece = Piece {
        out,
        partial: None,
        line_ends: 0,
        tally: PipSummary::new(context.suffixes.len()),
    };
    let (mut pos, mut copied, mut line) = (from, from, 0);
    loop {
        let start = skip_line_ends(buf, pos, to);
        line += count_line_ends(&buf[pos..start]);
        if start == to {
            break;
        }
        reader.clear();
        let end = match reader.feed(&buf[start..to]) {
            Some(n) => start + n - 1,
            None if at_end && to - start > context.max_record => {
                return Err(PieceError::TooLong(line));
            }
            None if at_end => match reader.feed(b"\n") {
                Some(_) => to,
                None => return Err(PieceError::Unclosed(line)),
            },
            None => {
                if to - start > context.max_record {
                    return Err(PieceError::TooLong(line));
                }
                piece.partial = Some(start);
                break;
            }
        };
        if end - start > context.max_record {
            return Err(PieceError::TooLong(line));
        }
        let raw = &buf[start..end];
        let suffix = context.assign(&reader, raw, &to_utm, &mut piece.tally, line);
        piece.out.extend_from_slice(&buf[copied..end]);
        piece.out.extend_from_slice(suffix);
        (pos, copied) = (end, end);
        line += count_line_ends(raw);
    }
    piece
        .out
        .extend_from_slice(&buf[copied..piece.partial.unwrap_or(to)]);
    piece.line_ends = line;
    Ok(piece)
}

/// Running state of a stream.
struct Run {
    /// Line ends before the current position (the next piece's first line is this + 1).
    lines_before: u64,
    compute: Duration,
    write: Duration,
    /// Output buffers of written pieces, to be filled again (fresh ones cost page faults).
    spare: Vec<Vec<u8>>,
}

impl Run {
    /// Scans the pieces of a batch in parallel, redoes those after a cut inside a record,
    /// writes them in order and returns where a record cut by the batch's end starts.
    fn batch(
        &mut self,
        context: &Context,
        stream: &Input,
        pieces: &[(usize, usize)],
        summary: &mut PipSummary,
        out: &mut dyn Write,
    ) -> Result<Option<usize>, PipError> {
        let started = Instant::now();
        let buf = stream.bytes();
        let last = pieces.len().saturating_sub(1);
        let eof = stream.eof;
        let at_end = |k: usize| eof && k == last;
        let buffers: Vec<Vec<u8>> = (0..pieces.len())
            .map(|_| self.spare.pop().unwrap_or_default())
            .collect();
        let results: Vec<Result<Piece, PieceError>> = pieces
            .par_iter()
            .zip(buffers)
            .enumerate()
            .map(|(k, (&range, out))| scan_piece(context, buf, range, at_end(k), out))
            .collect();
        self.compute += started.elapsed();
        let mut partial: Option<usize> = None;
        for (k, result) in results.into_iter().enumerate() {
            let result = match partial {
                // The cut before this piece fell inside a record: parse from that record on.
                Some(start) => {
                    let out = match result {
                        Ok(speculative) => speculative.out,
                        Err(_) => Vec::new(),
                    };
                    scan_piece(context, buf, (start, pieces[k].1), at_end(k), out)
                }
                None => result,
            };
            let piece = result.map_err(|e| {
                let (line, max) = (self.lines_before + 1, context.max_record);
                match e {
                    PieceError::Unclosed(l) => unclosed(stream.source, line + l),
                    PieceError::TooLong(l) => too_long(stream.source, line + l, max),
                }
            })?;
            let written = Instant::now();
            out.write_all(&piece.out).map_err(PipError::output)?;
            self.write += written.elapsed();
            summary.absorb(&piece.tally, self.lines_before + 1);
            self.lines_before += piece.line_ends;
            partial = piece.partial;
            self.spare.push(piece.out);
        }
        Ok(partial)
    }
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
    let _ = writer.write_record([
        "",
        "outside NRW",
        "",
        "",
        &summary.outside.count.to_string(),
    ]);
    let _ = writer.write_record([
        "",
        "invalid coordinates",
        "",
        "",
        &summary.invalid.count.to_string(),
    ]);
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_column_is_typed_and_names_no_flag() {
        let mut bytes: &[u8] = b"\nid,x,y\n1,7,51\n";
        let mut input = Input::stream(&mut bytes, Path::new("punkte.csv"));
        let columns = PipColumns {
            lon: "x".to_owned(),
            lat: "lat".to_owned(),
        };
        let err = read_header(&mut input, &columns, &PipOptions::default())
            .err()
            .unwrap();
        let message = err.to_string();
        let PipError::MissingColumn {
            line,
            axis,
            name,
            columns,
            ..
        } = err
        else {
            panic!("{message}");
        };
        assert_eq!((line, axis, name.as_str()), (2, Axis::Latitude, "lat"));
        assert_eq!(columns, ["id", "x", "y"]);
        assert_eq!(
            message,
            "punkte.csv: line 2: no column \"lat\"; the columns are id, x, y; name the latitude column"
        );
    }

    #[test]
    fn pieces_end_at_line_ends_but_never_inside_crlf() {
        let buf = b"ab\r\ncd\ref\ngh";
        let pieces = split_at_line_ends(buf, 0, buf.len(), 1);
        assert_eq!(pieces, [(0, 4), (4, 7), (7, 10), (10, 12)]);
        assert!(!is_safe_end(b"a\r", 2), "a final \\r may be half a \\r\\n");
        assert!(is_safe_end(b"a\rb", 2));
        assert!(!is_safe_end(b"a\r\n", 2));
    }

    #[test]
    fn record_reader_continues_a_cut_record() {
        let mut reader = RecordReader::new(true);
        assert_eq!(reader.feed(b"1,\"Dom\n"), None);
        assert_eq!(reader.feed(b"platte\",7\r\n2"), Some(10), "up to the \\r");
        assert_eq!(reader.field_count(), 3);
        assert_eq!(reader.field(1), Some(&b"Dom\nplatte"[..]));
        assert_eq!(reader.field(2), Some(&b"7"[..]));
        assert_eq!(reader.field(3), None);
    }

    #[test]
    fn plain_quotes_pass_and_stray_ones_do_not() {
        let check = |raw: &[u8]| {
            let mut reader = RecordReader::new(true);
            let mut line = raw.to_vec();
            line.push(b'\n');
            assert_eq!(reader.feed(&line), Some(line.len()));
            reader.plainly_quoted(raw)
        };
        assert!(check(b"1,7.8,51.0,Olpe"));
        assert!(check(
            b"1,\"Dom, K\xc3\xb6ln\",\"sagt \"\"hallo\"\"\",\"\",,\"a\nb\""
        ));
        assert!(!check(b"1,a\"b,c"), "a quote inside an unquoted field");
        assert!(!check(b"1,\"Dom\"platz,c"));
        assert!(!check(b"0,7.8,51.0,\"1,7.8,51.0,\"sagt \"\"aa\"\"\""));
        assert!(!check(b"\"a\"\"b\"c\""));
    }

    #[test]
    fn a_long_field_grows_the_buffers() {
        let mut reader = RecordReader::new(true);
        let mut record = "x,".repeat(100).into_bytes();
        record.extend_from_slice(&[b'y'; 5000]);
        record.push(b'\n');
        assert_eq!(reader.feed(&record), Some(record.len()));
        assert_eq!(reader.field_count(), 101);
        assert_eq!(reader.field(100).map(<[u8]>::len), Some(5000));
    }

    #[test]
    fn problem_lines_keep_the_first_ten() {
        let mut problem = RowProblem::default();
        for line in 0..25 {
            problem.note(line);
        }
        let mut total = RowProblem::default();
        total.absorb(&problem, 2);
        assert_eq!(total.count, 25);
        assert_eq!(total.lines, (2..12).collect::<Vec<u64>>());
        assert!(
            total.line_list().ends_with("11, …"),
            "{}",
            total.line_list()
        );
    }
}
