//! `pip` on point lists that are not clean: line ends of every style, blank lines, quoted line
//! breaks on a piece boundary, unclosed quotes, many bad rows, failed writes; and property tests
//! of the input parser (no panic; a successful run assigns like the clean input or warns).

mod common;

use std::path::Path;

use integrationsatlas::analysis::pip::{PipColumns, PipError, PipOptions, PipSummary, pip_stream};
use proptest::prelude::*;

const HEADER_SUFFIX: &str = ",gemeinde_ags,gemeinde,kreis_ags,kreis";
const KOELN: &str = ",05315000,Köln,05315,Köln";
const OLPE: &str = ",05966024,Olpe,05966,Olpe";
const NONE: &str = ",,,,";

fn columns() -> PipColumns {
    PipColumns {
        lon: "lon".to_owned(),
        lat: "lat".to_owned(),
    }
}

fn options(chunk_bytes: usize) -> PipOptions {
    PipOptions {
        chunk_bytes,
        ..PipOptions::default()
    }
}

/// Runs pip on in-memory input.
fn pip(input: &[u8], options: &PipOptions) -> Result<(Vec<u8>, PipSummary), PipError> {
    let atlas = common::atlas();
    let mut out = Vec::new();
    let summary = pip_stream(
        &atlas,
        &mut &input[..],
        Path::new("adressen.csv"),
        &columns(),
        &mut out,
        options,
    )?;
    Ok((out, summary))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs pip with every piece size from 1 byte to the whole input and checks each gives the
/// output of the default run; returns that output.
fn pip_every_chunk_size(input: &[u8]) -> (Vec<u8>, PipSummary) {
    let (out, summary) = pip(input, &PipOptions::default()).expect("input is valid");
    for chunk in 1..=input.len() + 1 {
        let (other, other_summary) = pip(input, &options(chunk)).expect("input is valid");
        assert_eq!(text(&other), text(&out), "chunk size {chunk}");
        assert_eq!(other_summary, summary, "chunk size {chunk}");
    }
    (out, summary)
}

/// Runs a command line in this process (the shared build folder's binary may be another
/// worktree's), writing its stdout to `out`.
fn cli(args: &[&str], out: &mut Vec<u8>) -> anyhow::Result<integrationsatlas::cli::Outcome> {
    use clap::Parser as _;
    let cli = integrationsatlas::cli::Cli::try_parse_from(
        std::iter::once("integrationsatlas").chain(args.iter().copied()),
    )?;
    let command = cli.command.as_ref().expect("a subcommand");
    integrationsatlas::cli::run(&cli, command, out)
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn koeln_point_is_assigned_05315000() {
    let (out, summary) = pip(b"id,lon,lat\n1,6.9583,50.9413\n", &PipOptions::default()).unwrap();
    assert_eq!(
        text(&out),
        format!("id,lon,lat{HEADER_SUFFIX}\n1,6.9583,50.9413{KOELN}\n")
    );
    assert_eq!(summary.rows, 1);
    assert_eq!(summary.per_gemeinde.iter().sum::<usize>(), 1);
    assert!(!summary.has_warnings(), "{:?}", summary.warnings());
}

#[test]
fn every_line_end_style_is_kept_byte_for_byte() {
    for (name, end) in [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")] {
        let input = format!("id,lon,lat{end}1,6.9583,50.9413{end}2,7.843584,51.027560{end}");
        let (out, summary) = pip_every_chunk_size(input.as_bytes());
        assert_eq!(
            text(&out),
            format!(
                "id,lon,lat{HEADER_SUFFIX}{end}1,6.9583,50.9413{KOELN}{end}2,7.843584,51.027560{OLPE}{end}"
            ),
            "{name}"
        );
        assert_eq!(summary.rows, 2, "{name}");
        assert!(!summary.has_warnings(), "{name}: {:?}", summary.warnings());
    }
}

/// Blank lines are not records: they stay blank, in place, with their own line ends.
#[test]
fn mixed_line_ends_and_blank_lines_stay_in_place() {
    let input = "\u{feff}id,lon,lat,note\r\n1,6.9583,50.9413,Dom\r2,4.9041,52.3676,Amsterdam\n\n3,x,y,kaputt\r\n\r\n\r4,7.843584,51.027560,Olpe";
    let (out, summary) = pip_every_chunk_size(input.as_bytes());
    let expected = format!(
        "\u{feff}id,lon,lat,note{HEADER_SUFFIX}\r\n1,6.9583,50.9413,Dom{KOELN}\r2,4.9041,52.3676,Amsterdam{NONE}\n\n3,x,y,kaputt{NONE}\r\n\r\n\r4,7.843584,51.027560,Olpe{OLPE}"
    );
    assert_eq!(text(&out), expected);
    assert_eq!(summary.rows, 4);
    assert_eq!(summary.outside.lines, [3]);
    // Lines: header 1, Köln 2, Amsterdam 3, blank 4, kaputt 5, blank 6 and 7, Olpe 8.
    assert_eq!(summary.invalid.count, 1);
    assert_eq!(summary.invalid.lines, [5]);
}

#[test]
fn quoted_line_break_on_a_piece_boundary_stays_one_record() {
    let input = "id,lon,lat,adresse\n0,7.843584,51.027560,Olpe\n1,6.9583,50.9413,\"Domkloster 4\n50667 Köln\"\n2,7.843584,51.027560,\"Franziskanerstr. 6,\r\n57462 Olpe\"\r\n";
    // The header's line end is where the first piece starts; a piece of this size ends inside
    // the quoted address of row 1, just after its line break.
    let header_end = input.find('\n').unwrap();
    let chunk = input.find("4\n50667").unwrap() - header_end;
    let (forced, _) = pip(input.as_bytes(), &options(chunk)).unwrap();
    let (out, summary) = pip_every_chunk_size(input.as_bytes());
    assert_eq!(text(&forced), text(&out));
    assert_eq!(
        text(&out),
        format!(
            "id,lon,lat,adresse{HEADER_SUFFIX}\n0,7.843584,51.027560,Olpe{OLPE}\n1,6.9583,50.9413,\"Domkloster 4\n50667 Köln\"{KOELN}\n2,7.843584,51.027560,\"Franziskanerstr. 6,\r\n57462 Olpe\"{OLPE}\r\n"
        )
    );
    assert_eq!(summary.rows, 3);
    assert_eq!(summary.invalid.count, 0);
    assert_eq!(summary.multi_line.lines, [3, 5]);
    assert_eq!(summary.unequal_fields.count, 0);
}

/// 1,000 rows with an unclosed quote in row 5.
fn unclosed_at_row_5() -> String {
    let mut input = String::from("id,lon,lat,note\n");
    for i in 1..=1000 {
        let note = if i == 5 { "\"Dom" } else { "Köln" };
        input.push_str(&format!("{i},6.9583,50.9413,{note}\n"));
    }
    input
}

#[test]
fn an_unclosed_quote_is_an_error_naming_its_line() {
    let input = unclosed_at_row_5();
    for chunk in [1, 7, 64, 1 << 20] {
        let err = pip(input.as_bytes(), &options(chunk)).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(
                "adressen.csv: line 6: a quote opened in the row starting here is never closed"
            ),
            "chunk {chunk}: {message}"
        );
    }
}

#[test]
fn a_record_longer_than_the_limit_is_an_error_naming_its_line() {
    // The quote of row 3 is closed only by the quotes of row 2,000: one record of 2,000 lines.
    let mut input = String::from("id,lon,lat,note\n1,6.9583,50.9413,a\n2,6.9583,50.9413,\"b\n");
    for i in 3..2000 {
        input.push_str(&format!("{i},6.9583,50.9413,c\n"));
    }
    input.push_str("2000,6.9583,50.9413,\"d\"\n");
    let limited = PipOptions {
        chunk_bytes: 256,
        max_record_bytes: 4096,
    };
    let message = pip(input.as_bytes(), &limited).unwrap_err().to_string();
    assert!(
        message.contains("line 3: the row starting here runs on for more than 4 KiB"),
        "{message}"
    );
    // With the default limit it is one long row, reported as such.
    let (_, summary) = pip(input.as_bytes(), &PipOptions::default()).unwrap();
    assert_eq!(summary.rows, 2);
    assert_eq!(summary.multi_line.lines, [3]);
}

#[test]
fn a_stray_quote_that_swallows_rows_is_warned_about() {
    let input = "id,lon,lat,note\n1,6.9583,50.9413,\"Dom\n2,6.9583,50.9413,\"Dom, Köln\"\n3,6.9583,50.9413,Köln\n";
    let (_, summary) = pip_every_chunk_size(input.as_bytes());
    assert_eq!(summary.rows, 2);
    assert_eq!(summary.unequal_fields.lines, [2]);
    assert_eq!(summary.multi_line.lines, [2]);
    assert_eq!(summary.stray_quotes.lines, [2]);
    let warnings = summary.warnings();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0].contains("1 rows with another number of fields than the header's 4 (lines 2)"),
        "{warnings:?}"
    );
}

#[test]
fn an_empty_file_and_a_missing_column_are_errors() {
    let message = pip(b"", &PipOptions::default()).unwrap_err().to_string();
    assert!(message.contains("line 1: no header line"), "{message}");
    let message = pip(b"\n\r\n", &PipOptions::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 3: no header line"), "{message}");
    let message = pip(b"id,laenge,breite\n1,7,51\n", &PipOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("no column \"lon\"; the columns are id, laenge, breite"),
        "{message}"
    );
}

#[test]
fn a_header_only_file_gives_the_header() {
    let (out, summary) = pip_every_chunk_size(b"id,lon,lat");
    assert_eq!(text(&out), format!("id,lon,lat{HEADER_SUFFIX}"));
    assert_eq!(summary.rows, 0);
}

#[test]
fn many_bad_rows_give_one_line_per_kind_with_ten_line_numbers() {
    let mut csv = String::from("id,lon,lat\n");
    for i in 0..500 {
        match i % 10 {
            0 => csv.push_str(&format!("{i},abc,50.9\n")),
            1 => csv.push_str(&format!("{i},6.9583,50.9413,zu viel\n")),
            _ => csv.push_str(&format!("{i},6.9583,50.9413\n")),
        }
    }
    let (_, summary) = pip(csv.as_bytes(), &PipOptions::default()).unwrap();
    let warnings = summary.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(
        warnings[0],
        "50 rows without valid coordinates (lines 2, 12, 22, 32, 42, 52, 62, 72, 82, 92, …); their new columns are empty"
    );
    assert!(
        warnings[1].starts_with(
            "50 rows with another number of fields than the header's 3 (lines 3, 13, 23,"
        ),
        "{warnings:?}"
    );
    // Through the command line: the summary file counts them.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adressen.csv");
    std::fs::write(&input, csv).unwrap();
    let counts = dir.path().join("summary.csv");
    let mut stdout = Vec::new();
    cli(
        &["pip", "--points", path(&input), "--summary", path(&counts)],
        &mut stdout,
    )
    .unwrap();
    assert_eq!(text(&stdout).lines().count(), 501);
    let counts = std::fs::read_to_string(&counts).unwrap();
    assert!(counts.contains("05315000,Köln,05315,Köln,450"), "{counts}");
    assert!(counts.contains(",invalid coordinates,,,50"), "{counts}");
}

#[test]
fn out_file_is_complete_and_no_temporary_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adressen.csv");
    std::fs::write(&input, "id,lon,lat\r\n1,6.9583,50.9413\r\n\r\n").unwrap();
    let out = dir.path().join("karte.csv");
    let mut stdout = Vec::new();
    cli(
        &["pip", "--points", path(&input), "--out", path(&out)],
        &mut stdout,
    )
    .unwrap();
    assert!(stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        format!("id,lon,lat{HEADER_SUFFIX}\r\n1,6.9583,50.9413{KOELN}\r\n\r\n")
    );
    assert_eq!(names_in(dir.path()), ["adressen.csv", "karte.csv"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "an ordinary file, not 0600: {mode:o}");
    }
}

/// `main` turns the error into exit code 2 (tested in tests/cli.rs for other errors).
#[test]
fn an_unclosed_quote_fails_the_command_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adressen.csv");
    std::fs::write(&input, unclosed_at_row_5()).unwrap();
    let out = dir.path().join("karte.csv");
    let err = cli(
        &["pip", "--points", path(&input), "--out", path(&out)],
        &mut Vec::new(),
    )
    .unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.contains(
            "adressen.csv: line 6: a quote opened in the row starting here is never closed"
        ),
        "{message}"
    );
    assert_eq!(names_in(dir.path()), ["adressen.csv"]);
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let atlas = common::atlas();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adressen.csv");
    std::fs::write(&input, "id,lon,lat\n1,6.9583,50.9413\n").unwrap();
    // The target is a folder: the rename at the end fails.
    let target = dir.path().join("karte.csv");
    std::fs::create_dir(&target).unwrap();
    let err = integrationsatlas::analysis::pip::pip_to_file(
        &atlas,
        &input,
        &columns(),
        &target,
        &PipOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("karte.csv: cannot write"), "{err}");
    assert_eq!(names_in(dir.path()), ["adressen.csv", "karte.csv"]);
    assert!(names_in(&target).is_empty());
    // A missing folder is named.
    let err = integrationsatlas::analysis::pip::pip_to_file(
        &atlas,
        &input,
        &columns(),
        &dir.path().join("fehlt/karte.csv"),
        &PipOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("fehlt does not exist"), "{err}");
}

#[test]
fn a_long_file_is_streamed_in_order() {
    // 30,000 rows, every tenth with a two-line quoted address, in pieces of 4 KiB.
    let mut input = String::from("id,lon,lat,adresse\n");
    let mut expected = format!("id,lon,lat,adresse{HEADER_SUFFIX}\n");
    for i in 0..30_000 {
        let (point, suffix) = if i % 3 == 0 {
            ("7.843584,51.027560", OLPE)
        } else {
            ("6.9583,50.9413", KOELN)
        };
        let address = if i % 10 == 0 {
            format!("\"Weg {i}\r\n5 Ort\"")
        } else {
            format!("Weg {i}")
        };
        input.push_str(&format!("{i},{point},{address}\n"));
        expected.push_str(&format!("{i},{point},{address}{suffix}\n"));
    }
    for chunk in [4096, 1 << 20] {
        let (out, summary) = pip(input.as_bytes(), &options(chunk)).unwrap();
        assert!(text(&out) == expected, "chunk {chunk}");
        assert_eq!(summary.rows, 30_000);
        assert_eq!(summary.multi_line.count, 3_000);
        assert_eq!(summary.multi_line.lines[..3], [2, 13, 24]);
    }
}

/// The case count: `PROPTEST_CASES`, else a small number for CI.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Points inside (Köln, Olpe, Düsseldorf) and outside NRW (Amsterdam), and random ones.
fn point() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("6.9583,50.9413".to_owned()),
        Just("7.843584,51.027560".to_owned()),
        Just("6.7735,51.2277".to_owned()),
        Just("4.9041,52.3676".to_owned()),
        (5.8f64..9.5, 50.3f64..52.6).prop_map(|(lon, lat)| format!("{lon:.5},{lat:.5}")),
    ]
}

/// A note field: plain, quoted with a comma, a doubled quote or line breaks.
fn note() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zäöü ]{0,8}",
        1 => "[a-z]{1,5}".prop_map(|s| format!("\"{s}, Köln\"")),
        1 => "[a-z]{1,5}".prop_map(|s| format!("\"sagt \"\"{s}\"\"\"")),
        1 => "[a-z]{1,5}".prop_map(|s| format!("\"{s}\r\n50667\nKöln\"")),
    ]
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

/// A clean point list: rows with their own line ends, blank lines between some, and maybe no
/// line end after the last row.
fn clean_csv() -> impl Strategy<Value = Vec<u8>> {
    (
        line_end(),
        prop::collection::vec((point(), note(), line_end(), 0..4u8), 0..25),
        any::<bool>(),
    )
        .prop_map(|(header_end, rows, final_end)| {
            let mut csv = format!("id,lon,lat,note{header_end}");
            let count = rows.len();
            for (i, (point, note, end, blank)) in rows.into_iter().enumerate() {
                csv.push_str(&format!("{i},{point},{note}"));
                if i + 1 < count || final_end {
                    csv.push_str(end);
                }
                if blank == 0 && i + 1 < count {
                    csv.push_str(end);
                }
            }
            csv.into_bytes()
        })
}

/// Damage to the structure of a file: a quote, separator or line end inserted, deleted or
/// put in place of another byte.
#[derive(Clone, Debug)]
enum Damage {
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    let byte = prop_oneof![Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r')];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(at, b)| Damage::Insert(at, b)),
        any::<usize>().prop_map(Damage::Delete),
        (any::<usize>(), byte).prop_map(|(at, b)| Damage::Replace(at, b)),
    ]
}

/// Applies damage; deletions and replacements hit only quotes, separators and line ends.
///
/// A separator inserted inside a number splits it into two valid numbers (`51.2277` into `51`
/// and `.2277`): that changes a value, not the structure, and no reader can tell; such inserts
/// are left out (a line end or quote inserted there is kept: it breaks the record).
fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    let structural = |b: u8| matches!(b, b'"' | b',' | b'\n' | b'\r');
    let numeric = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_digit() || *b == b'.');
    match *damage {
        Damage::Insert(at, b',')
            if numeric(bytes.get((at % (bytes.len() + 1)).wrapping_sub(1)))
                && numeric(bytes.get(at % (bytes.len() + 1))) => {}
        Damage::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
        Damage::Delete(at) | Damage::Replace(at, _) => {
            let targets: Vec<usize> = (0..bytes.len()).filter(|&i| structural(bytes[i])).collect();
            if targets.is_empty() {
                return;
            }
            let i = targets[at % targets.len()];
            match *damage {
                Damage::Replace(_, b) => bytes[i] = b,
                _ => {
                    bytes.remove(i);
                }
            }
        }
    }
}

/// The Gemeinde AGS pip appended to each record, read back from its output with the csv crate.
fn assignments(out: &[u8]) -> Vec<Vec<u8>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(out);
    reader
        .byte_records()
        .map(|r| {
            let record = r.expect("pip's output parses");
            let ags = record.get(record.len().saturating_sub(4));
            ags.unwrap_or_default().to_vec()
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Clean input: no warnings but for quoted line breaks, and the same bytes out for every
    /// piece size.
    #[test]
    fn clean_input_is_the_same_for_every_piece_size(csv in clean_csv(), chunk in 1..80usize) {
        let (out, summary) = pip(&csv, &PipOptions::default()).expect("clean input");
        prop_assert_eq!(summary.invalid.count, 0);
        prop_assert_eq!(summary.unequal_fields.count, 0);
        let (small, small_summary) = pip(&csv, &options(chunk)).expect("clean input");
        prop_assert_eq!(text(&small), text(&out));
        prop_assert_eq!(small_summary, summary);
    }

    /// Damaged input: no panic; an error, or the clean input's assignments, or warnings other
    /// than the clean input's (which may warn of points outside NRW or multi-line addresses).
    #[test]
    fn damaged_input_errs_or_warns_or_assigns_alike(
        csv in clean_csv(),
        damages in prop::collection::vec(damage(), 1..4),
        chunk in 1..80usize,
    ) {
        let (clean_out, clean) = pip(&csv, &PipOptions::default()).expect("clean input");
        let mut broken = csv.clone();
        for d in &damages {
            apply(&mut broken, d);
        }
        let result = pip(&broken, &options(chunk));
        let default_result = pip(&broken, &PipOptions::default());
        match (result, default_result) {
            (Ok((out, summary)), Ok((default_out, default_summary))) => {
                prop_assert_eq!(text(&out), text(&default_out));
                prop_assert_eq!(&summary, &default_summary);
                prop_assert!(
                    summary.warnings() != clean.warnings()
                        || assignments(&out) == assignments(&clean_out),
                    "silently different: {:?} -> {:?}",
                    text(&csv),
                    text(&broken)
                );
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "piece size changed the outcome: {:?} vs {:?}", a.map(|r| r.1), b.map(|r| r.1)),
        }
    }

    /// Any bytes at all: no panic, and the outcome does not depend on the piece size or limit
    /// placement.
    #[test]
    fn arbitrary_bytes_never_panic(
        body in prop::collection::vec(prop_oneof![
            Just(b'"'), Just(b','), Just(b'\n'), Just(b'\r'), Just(b'7'), Just(b'.'),
            Just(b'5'), Just(b'a'), Just(0xef), Just(0xbb), Just(0xbf), any::<u8>(),
        ], 0..200),
        with_header in any::<bool>(),
        chunk in 1..40usize,
        max_record in 1..64usize,
    ) {
        let mut input = if with_header { b"lon,lat\n".to_vec() } else { Vec::new() };
        input.extend_from_slice(&body);
        let small = PipOptions { chunk_bytes: chunk, max_record_bytes: max_record };
        let large = PipOptions { chunk_bytes: 1 << 20, max_record_bytes: max_record };
        match (pip(&input, &small), pip(&input, &large)) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(text(&a.0), text(&b.0));
                prop_assert_eq!(a.1, b.1);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "outcome depends on piece size: {:?} vs {:?}", a.map(|r| r.1), b.map(|r| r.1)),
        }
    }
}
