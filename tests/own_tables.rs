//! Own tables ("Eigene Daten", `classify --csv`): numbers as they are written, official exports
//! as they are downloaded, quotes and field counts, spreadsheets, and a property test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use integrationsatlas::analysis::indicators::{Indicator, Values};
use integrationsatlas::data::own_csv::numbers::{
    Decided, Decimal, Flags, Mark, NumberChoice, Thousands,
};
use integrationsatlas::data::own_csv::{
    JoinReport, OwnTable, join_own, read_own_csv, read_own_table,
};
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::{Ags, Atlas, Level};
use proptest::prelude::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn write_1252(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    std::fs::write(&path, &bytes).unwrap();
    path
}

fn value(atlas: &Atlas, indicator: &Indicator, ags: &str) -> Option<f64> {
    let Values::Numeric(values) = &indicator.values else {
        panic!("numeric")
    };
    values[atlas.id_of(&Ags::parse(ags).unwrap()).unwrap().index]
}

fn join(path: &Path, key: &str, val: &str, level: Level) -> (Indicator, JoinReport) {
    let atlas = common::atlas();
    let table = read_own_csv(path).unwrap();
    join_own(&atlas, &table, key, val, level).unwrap()
}

fn error_of(result: Result<OwnTable, integrationsatlas::LoadError>) -> String {
    result.map(|_| ()).unwrap_err().to_string()
}

#[test]
fn german_thousands_points_are_thousands() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "einwohner.csv",
        "AGS;Einwohner\n05111;621.877\n05315;1.087.863\n05966;12.500\n05334;556.631\n",
    );
    let atlas = common::atlas();
    let (ind, report) = join(&path, "AGS", "Einwohner", Level::Kreis);
    assert_eq!(value(&atlas, &ind, "05111"), Some(621_877.0));
    assert_eq!(value(&atlas, &ind, "05315"), Some(1_087_863.0));
    assert_eq!(value(&atlas, &ind, "05966"), Some(12_500.0));
    assert_eq!(report.joined, 4);
    assert!(report.is_clean());
    let lines = report.lines(Lang::De).join("\n");
    assert!(lines.contains("Punkt als Tausendertrennung"), "{lines}");
}

#[test]
fn decimal_commas_in_a_comma_separated_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "quote.csv",
        "AGS,Quote\n05111,\"20,72\"\n05315,\"+3,5\"\n05966,\"-0,25\"\n",
    );
    let atlas = common::atlas();
    let (ind, report) = join(&path, "AGS", "Quote", Level::Kreis);
    assert_eq!(value(&atlas, &ind, "05111"), Some(20.72));
    assert_eq!(value(&atlas, &ind, "05315"), Some(3.5));
    assert_eq!(value(&atlas, &ind, "05966"), Some(-0.25));
    let (_, style) = report.style.clone().unwrap();
    assert_eq!(style.style.decimal, Decimal::Comma);
    assert!(report.lines(Lang::En).join("\n").contains("decimal comma"));
}

#[test]
fn an_unquoted_decimal_comma_is_an_extra_field_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "q.csv", "AGS,Quote\n05315,3\n05111,20,72\n");
    let message = error_of(read_own_csv(&path));
    assert!(message.contains("line 3"), "{message}");
    assert!(
        message.contains("3 fields where the header has 2"),
        "{message}"
    );
    assert!(message.contains("quoted"), "{message}");
}

#[test]
fn each_column_has_its_own_decimal_mark() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "zwei.csv",
        "AGS;A;B\n05111;20.72;217,41\n05315;3.5;1.217,5\n",
    );
    let atlas = common::atlas();
    let (a, _) = join(&path, "AGS", "A", Level::Kreis);
    let (b, _) = join(&path, "AGS", "B", Level::Kreis);
    assert_eq!(value(&atlas, &a, "05111"), Some(20.72));
    assert_eq!(value(&atlas, &a, "05315"), Some(3.5));
    assert_eq!(value(&atlas, &b, "05111"), Some(217.41));
    assert_eq!(value(&atlas, &b, "05315"), Some(1217.5));
}

#[test]
fn spaces_percent_signs_and_no_break_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "p.csv",
        "AGS;Anteil;Einwohner\n05111;12,5 %;621\u{a0}877\n05315;+3,5%;1\u{202f}087\u{202f}863\n",
    );
    let atlas = common::atlas();
    let (share, report) = join(&path, "AGS", "Anteil", Level::Kreis);
    assert_eq!(value(&atlas, &share, "05111"), Some(12.5));
    assert_eq!(value(&atlas, &share, "05315"), Some(3.5));
    assert_eq!(share.unit, "%");
    assert_eq!(report.flagged.len(), 2);
    let (people, _) = join(&path, "AGS", "Einwohner", Level::Kreis);
    assert_eq!(value(&atlas, &people, "05315"), Some(1_087_863.0));
}

#[test]
fn an_ambiguous_column_is_refused_and_the_choice_settles_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "amb.csv",
        "AGS,Wert\n05111,621.877\n05315,12.500\n",
    );
    let atlas = common::atlas();
    let mut table = read_own_csv(&path).unwrap();
    let message = join_own(&atlas, &table, "AGS", "Wert", Level::Kreis)
        .unwrap_err()
        .to_string();
    assert!(message.contains("line 2"), "{message}");
    assert!(message.contains("column \"Wert\""), "{message}");
    assert!(message.contains("--decimal"), "{message}");
    assert!(
        message.contains("621877") && message.contains("621.877"),
        "{message}"
    );
    table.choice = NumberChoice {
        decimal: Some(Decimal::Comma),
        thousands: None,
    };
    let (ind, report) = join_own(&atlas, &table, "AGS", "Wert", Level::Kreis).unwrap();
    assert_eq!(value(&atlas, &ind, "05111"), Some(621_877.0));
    assert_eq!(report.style.unwrap().1.decided, Decided::Chosen);
    table.choice = NumberChoice {
        decimal: Some(Decimal::Point),
        thousands: Some(Thousands::None),
    };
    let (ind, _) = join_own(&atlas, &table, "AGS", "Wert", Level::Kreis).unwrap();
    assert_eq!(value(&atlas, &ind, "05315"), Some(12.5));
}

#[test]
fn another_column_of_the_file_settles_an_ambiguous_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "hint.csv",
        "AGS;Einwohner;Quote\n05111;621.877;20,72\n05315;112.500;3,5\n",
    );
    let atlas = common::atlas();
    let (ind, report) = join(&path, "AGS", "Einwohner", Level::Kreis);
    assert_eq!(value(&atlas, &ind, "05111"), Some(621_877.0));
    assert_eq!(report.style.unwrap().1.decided, Decided::LikeOtherColumns);
}

#[test]
fn a_value_written_in_another_style_is_reported_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "mix.csv",
        "AGS;Quote\n05111;20,72\n05315;217,41\n05966;3,5\n05334;20.72\n",
    );
    let atlas = common::atlas();
    let (ind, report) = join(&path, "AGS", "Quote", Level::Kreis);
    assert_eq!(value(&atlas, &ind, "05334"), None);
    assert_eq!(report.other_style, vec![(5, "20.72".to_owned())]);
    assert!(!report.is_clean());
}

#[test]
fn an_unclosed_quote_names_the_line_where_it_opens() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = common::atlas();
    let mut text = String::from("AGS;Name;Quote\n");
    for (i, region) in atlas.regions(Level::Kreis).iter().take(50).enumerate() {
        let name = if i == 3 {
            format!("\"{}", region.name)
        } else {
            region.name.clone()
        };
        text.push_str(&format!("{};{name};{},5\n", region.ags, i));
    }
    let path = write(dir.path(), "quote.csv", &text);
    let message = error_of(read_own_csv(&path));
    assert!(message.contains("line 5:"), "{message}");
    assert!(message.contains("not closed"), "{message}");
    // The same on the last line, without a line end after it.
    let path = write(dir.path(), "last.csv", "AGS;Quote\n05111;1\n05315;\"2");
    let message = error_of(read_own_csv(&path));
    assert!(
        message.contains("line 3:") && message.contains("not closed"),
        "{message}"
    );
}

#[test]
fn regions_without_a_value_are_counted_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = common::atlas();
    let mut text = String::from("AGS;Quote\n");
    for (i, region) in atlas.regions(Level::Kreis).iter().enumerate() {
        let v = match i % 4 {
            _ if i >= 16 => format!("{i},5"),
            0 => String::new(),
            1 => ".".to_owned(),
            2 => "x".to_owned(),
            _ => "/".to_owned(),
        };
        text.push_str(&format!("{};{v}\n", region.ags));
    }
    let path = write(dir.path(), "leer.csv", &text);
    let (_, report) = join(&path, "AGS", "Quote", Level::Kreis);
    assert_eq!(report.regions_without_row, 0);
    assert_eq!(report.regions_without_value, 16);
    assert_eq!(report.joined, 53 - 16);
    let lines = report.lines(Lang::De);
    assert!(lines[0].contains("16 Gebiete ohne Wert"), "{}", lines[0]);
}

/// A file shaped like a Landesdatenbank NRW (GENESIS) CSV download of table 12411-01i.
fn genesis_text(atlas: &Atlas) -> String {
    let mut text = String::from(
        "Landesdatenbank NRW\n\
         Tabelle: 12411-01i\n\
         Bevölkerungsstand - Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte\n\
         Bevölkerung (Anzahl)\n\
         ;;Stichtag\n\
         ;;31.12.2022\n\
         05;Nordrhein-Westfalen;18139116\n\
         051;Reg.-Bez. Düsseldorf;5223950\n",
    );
    for (i, region) in atlas.regions(Level::Kreis).iter().enumerate() {
        let key = region.ags.as_str();
        let value = match key {
            "05111" => "629047".to_owned(),
            "05315" => "1084831".to_owned(),
            "05966" => ".".to_owned(),
            "05970" => "x".to_owned(),
            "05974" => "-".to_owned(),
            "05978" => "(12345)".to_owned(),
            "05958" => "250123p".to_owned(),
            _ => (100_000 + i).to_string(),
        };
        let kreis = if region.kreisfrei {
            "krfr. Stadt"
        } else {
            "Kreis"
        };
        text.push_str(&format!("{key};{}, {kreis};{value}\n", region.name));
    }
    text.push_str(
        "__________\n\
         Fortschreibung des Bevölkerungsstandes auf Basis des Zensus 2011.\n\
         Stand: 15.04.2024 / 10:23:45\n\
         © IT.NRW, Düsseldorf, 2024\n",
    );
    text
}

#[test]
fn a_landesdatenbank_download_reads_as_it_comes() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = common::atlas();
    let path = write_1252(dir.path(), "12411-01i.csv", &genesis_text(&atlas));
    let table = read_own_csv(&path).unwrap();
    assert_eq!(table.encoding, "Windows-1252");
    assert_eq!(table.delimiter, b';');
    assert_eq!(table.layout.header_lines, (5, 6));
    assert_eq!(table.layout.skipped_before, 4);
    assert_eq!(table.layout.footer, Some((7 + 2 + 53, 4)));
    assert_eq!(table.headers[2], "Stichtag 31.12.2022");
    assert_eq!(table.rows.len(), 2 + 53);
    let (ind, report) = join_own(&atlas, &table, "1", "31.12.2022", Level::Kreis).unwrap();
    assert_eq!(value(&atlas, &ind, "05111"), Some(629_047.0));
    assert_eq!(value(&atlas, &ind, "05315"), Some(1_084_831.0));
    assert_eq!(value(&atlas, &ind, "05966"), None);
    assert_eq!(value(&atlas, &ind, "05970"), None);
    assert_eq!(value(&atlas, &ind, "05974"), Some(0.0));
    assert_eq!(value(&atlas, &ind, "05978"), Some(12_345.0));
    assert_eq!(value(&atlas, &ind, "05958"), Some(250_123.0));
    let marks: Vec<Mark> = report.marks.iter().map(|(_, m)| *m).collect();
    assert_eq!(marks, vec![Mark::Secret, Mark::NotSensible]);
    assert_eq!(report.zeros.len(), 1);
    assert_eq!(report.other_level.len(), 2);
    assert!(report.unknown_keys.is_empty());
    let flags: Vec<Flags> = report.flagged.iter().map(|(_, f)| *f).collect();
    assert!(flags.contains(&Flags::UNCERTAIN) && flags.contains(&Flags::PROVISIONAL));
    assert_eq!(report.joined, 51);
    assert_eq!(report.regions_without_value, 2);
    let lines = report.lines(Lang::De).join("\n");
    assert!(lines.contains("Kopfzeilen 5–6"), "{lines}");
    assert!(lines.contains("4 Zeilen Fußnoten"), "{lines}");
    assert!(
        lines.contains("Zahlenwert unbekannt oder geheim): 1 ×"),
        "{lines}"
    );
    let note = ind.note.unwrap();
    assert!(note.de.contains("2 Werte vorläufig"), "{}", note.de);
}

#[test]
fn keys_as_ars_eight_digits_and_spreadsheet_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let atlas = common::atlas();
    let kreise = write(
        dir.path(),
        "k.csv",
        "Schlüssel;Wert\n05111000;1\n5315.0;2\n5966;3\n051110000000;4\n",
    );
    let (ind, report) = join(&kreise, "Schlüssel", "Wert", Level::Kreis);
    assert_eq!(value(&atlas, &ind, "05111"), Some(1.0));
    assert_eq!(value(&atlas, &ind, "05315"), Some(2.0));
    assert_eq!(value(&atlas, &ind, "05966"), Some(3.0));
    assert_eq!(report.duplicates, vec![(5, "051110000000".to_owned())]);
    assert_eq!(report.rewritten_keys.len(), 4);
    let gemeinden = write(
        dir.path(),
        "g.csv",
        "ARS;Wert\n059660024024;7\n53150000000;8\n5111000.0;9\n",
    );
    let (ind, report) = join(&gemeinden, "ARS", "Wert", Level::Gemeinde);
    assert_eq!(value(&atlas, &ind, "05966024"), Some(7.0));
    assert_eq!(value(&atlas, &ind, "05315000"), Some(8.0));
    assert_eq!(value(&atlas, &ind, "05111000"), Some(9.0));
    assert!(report.unknown_keys.is_empty(), "{:?}", report.unknown_keys);
}

#[test]
fn bad_rows_are_summarised_one_line_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("AGS;Wert\n");
    for i in 0..30 {
        text.push_str(&format!("9{i:04};1\n"));
    }
    let path = write(dir.path(), "viele.csv", &text);
    let (_, report) = join(&path, "AGS", "Wert", Level::Kreis);
    assert_eq!(report.unknown_keys.len(), 30);
    let lines = report.lines(Lang::De);
    let unknown: Vec<&String> = lines.iter().filter(|l| l.contains("unbekannter")).collect();
    assert_eq!(unknown.len(), 1);
    assert!(
        unknown[0].contains("30 ×") && unknown[0].ends_with(", …)"),
        "{}",
        unknown[0]
    );
    assert_eq!(unknown[0].matches('"').count(), 20);
}

#[test]
fn crlf_and_bom_keep_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "crlf.csv",
        "\u{feff}AGS;Wert\r\n05111;1\r\n99999;2\r\n",
    );
    let (_, report) = join(&path, "AGS", "Wert", Level::Kreis);
    assert_eq!(report.unknown_keys, vec![(3, "99999".to_owned())]);
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn spreadsheets_are_read_with_the_same_rules() {
    let atlas = common::atlas();
    for name in ["own_table.xlsx", "own_table.ods"] {
        let first = error_of(read_own_table(&fixture(name), None));
        assert!(first.contains("no header row"), "{first}");
        let wrong = error_of(read_own_table(&fixture(name), Some("Tabelle9")));
        assert!(wrong.contains("Hinweise, Daten"), "{wrong}");
        let table = read_own_table(&fixture(name), Some("daten")).unwrap();
        assert_eq!(table.layout.header_lines, (3, 3), "{name}");
        assert_eq!(table.rows.len(), 3, "{name}");
        let (people, report) = join_own(&atlas, &table, "AGS", "Einwohner", Level::Kreis).unwrap();
        assert_eq!(value(&atlas, &people, "05111"), Some(629_047.0), "{name}");
        assert_eq!(value(&atlas, &people, "05315"), Some(1_087_863.0), "{name}");
        assert_eq!(report.marks, vec![(6, Mark::Secret)], "{name}");
        let (quote, _) = join_own(&atlas, &table, "AGS", "Quote", Level::Kreis).unwrap();
        assert_eq!(value(&atlas, &quote, "05111"), Some(20.72), "{name}");
        assert_eq!(value(&atlas, &quote, "05315"), Some(1.234), "{name}");
        assert_eq!(value(&atlas, &quote, "05966"), Some(12.5), "{name}");
    }
}

#[test]
fn classify_csv_reports_the_reading_and_takes_the_choice() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "eigene.csv",
        "AGS,Quote\n05111,621.877\n05315,12.500\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "classify",
            "--level",
            "kreis",
            "--csv",
            path.to_str().unwrap(),
            "--key",
            "AGS",
            "--value",
            "Quote",
        ];
        args.extend_from_slice(extra);
        Command::new(common::bin())
            .args(&args)
            .env("INTEGRATIONSATLAS_DATA", common::bundled_dir())
            .output()
            .unwrap()
    };
    let refused = run(&[]);
    assert!(
        !refused.status.success(),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--decimal"), "{stderr}");
    let chosen = run(&["--decimal", ",", "--thousands", "."]);
    let stderr = String::from_utf8_lossy(&chosen.stderr);
    assert!(chosen.status.success(), "{stderr}");
    assert!(
        stderr.contains("Punkt als Tausendertrennung (vorgegeben)")
            || stderr.contains("point groups thousands (as chosen)"),
        "{stderr}"
    );
    assert!(stderr.contains("51 "), "{stderr}");
}

/// Own tables written in one style, for the property test.
fn clean_table() -> impl Strategy<Value = (String, u8)> {
    let rows = proptest::collection::vec((0usize..53, -1_000_000i64..10_000_000, 0u32..3), 1..20);
    (rows, 0u8..4).prop_map(|(rows, style)| {
        let atlas = common::atlas();
        let kreise = atlas.regions(Level::Kreis);
        let sep = if style == 3 { ',' } else { ';' };
        let mut text = format!("AGS{sep}Wert\n");
        for (k, raw, decimals) in rows {
            let v = raw as f64 / 10f64.powi(decimals as i32);
            let formatted = match style {
                0 => format!("{v}").replace('.', ","),
                1 => format!("{v}"),
                2 => integrationsatlas::numfmt::format_number(v, decimals as usize, Lang::De),
                _ => format!("\"{}\"", format!("{v}").replace('.', ",")),
            };
            text.push_str(&format!("{}{sep}{formatted}\n", kreise[k].ags));
        }
        (text, style)
    })
}

fn damage() -> impl Strategy<Value = Vec<(usize, u8, usize)>> {
    proptest::collection::vec((0usize..10_000, 0u8..3, 0usize..8), 1..4)
}

fn apply(text: &str, sep: char, edits: &[(usize, u8, usize)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    // A comma inside a quoted number is a decimal comma, a well-formed other number: not damage.
    let inserted_sep = if sep == ',' { '\t' } else { sep };
    let inserts = [inserted_sep, '"', '\n', ' ', '\u{a0}', 'x', '\r', ';'];
    // Two structural edits (e.g. a line end deleted and a separator inserted) can turn rows
    // into other well-formed rows that no reader can tell from a clean file; so one structural
    // edit per case, the others are noise (spaces, no-break spaces, letters).
    let mut structural = false;
    for &(at, kind, what) in edits {
        let is_structural =
            kind != 0 || !matches!(inserts[what % inserts.len()], ' ' | '\u{a0}' | 'x');
        let (kind, what) = if is_structural && std::mem::replace(&mut structural, true) {
            (0, 3 + what % 3)
        } else {
            (kind, what)
        };
        let at = at % (chars.len() + 1);
        match kind {
            0 => chars.insert(at, inserts[what % inserts.len()]),
            1 => {
                if let Some(i) = (at..chars.len())
                    .chain(0..at)
                    .find(|&i| matches!(chars[i], ';' | '"' | '\n'))
                {
                    chars.remove(i);
                }
            }
            _ => {
                let lines: Vec<&str> = text.lines().collect();
                if lines.len() > 1 {
                    let line = lines[1 + at % (lines.len() - 1)];
                    let pos = if what % 2 == 0 { 0 } else { chars.len() };
                    let mut insert: Vec<char> = format!("{line}\n").chars().collect();
                    if pos == 0 {
                        insert.splice(0..0, "Titel\n".chars());
                    }
                    chars.splice(pos..pos, insert);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn outcome(dir: &Path, name: &str, text: &str) -> Option<(Vec<Option<f64>>, JoinReport)> {
    let atlas = common::atlas();
    let path = write(dir, name, text);
    let table = read_own_csv(&path).ok()?;
    let (ind, report) = join_own(&atlas, &table, "AGS", "Wert", Level::Kreis).ok()?;
    let Values::Numeric(values) = ind.values else {
        return None;
    };
    Some((values, report))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// No input panics; a damaged table that still reads either gives the clean result or says
    /// something is off.
    #[test]
    fn damaged_tables_never_give_other_numbers_silently(
        (text, style) in clean_table(),
        edits in damage(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let sep = if style == 3 { ',' } else { ';' };
        let clean = outcome(dir.path(), "clean.csv", &text);
        let damaged_text = apply(&text, sep, &edits);
        let damaged = outcome(dir.path(), "damaged.csv", &damaged_text);
        if let (Some((clean_values, _)), Some((values, report))) = (&clean, &damaged)
            && clean_values != values
        {
            prop_assert!(
                report.has_warnings(),
                "silently different:\n{text:?}\n---\n{damaged_text:?}\n{:?}",
                report.lines(Lang::En)
            );
        }
    }

    /// Arbitrary bytes never panic.
    #[test]
    fn arbitrary_bytes_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("any.csv");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(table) = read_own_csv(&path) {
            let atlas = common::atlas();
            let key = table.headers[0].clone();
            let val = table.headers[table.headers.len() - 1].clone();
            let _ = join_own(&atlas, &table, &key, &val, Level::Kreis).map(|(_, r)| r.lines(Lang::De));
        }
    }
}
