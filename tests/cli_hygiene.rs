//! Inputs that never lie (issue 11, exports and command line): closed pipes end silently,
//! export titles are cleaned, escaped, wrapped and checked against the font, and every error
//! says once what is wrong and what to do.

mod common;

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, ExitStatus, Output, Stdio};

use integrationsatlas::render::{font, text};
use proptest::prelude::*;

/// The binary under test, without a data folder from the environment.
fn binary() -> Command {
    let mut command = Command::new(common::bin());
    command.env_remove("INTEGRATIONSATLAS_DATA");
    command
}

fn run(args: &[&str]) -> Output {
    binary().args(args).output().expect("binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the binary with its stdout closed by the reader: at once (before the command writes
/// anything), or after reading one byte. Returns the exit status and stderr.
fn with_closed_pipe(args: &[&str], read_first: bool) -> (ExitStatus, String) {
    let mut child = binary()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut stdout = child.stdout.take().unwrap();
    if read_first {
        let mut byte = [0u8; 1];
        stdout.read_exact(&mut byte).unwrap();
    }
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    (output.status, stderr(&output))
}

#[test]
fn a_closed_pipe_ends_every_listing_silently_with_exit_0() {
    let commands: [&[&str]; 9] = [
        &["sites"],
        &["classify", "--level", "gemeinde", "--field", "density"],
        &["nearest", "--kommune", "05966", "--type", "KI"],
        &["coverage", "--kommune", "05966"],
        &["coverage", "--kommune", "05966", "--format", "json"],
        &["regions", "--level", "gemeinde", "--format", "json"],
        &["regions", "--level", "gemeinde"],
        &["lookup", "--lon", "6.9583", "--lat", "50.9413"],
        &[
            "lookup", "--lon", "6.9583", "--lat", "50.9413", "--format", "json",
        ],
    ];
    for args in commands {
        let (status, err) = with_closed_pipe(args, false);
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

#[test]
fn a_reader_that_stops_after_one_byte_ends_it_silently() {
    // Outputs larger than a pipe's buffer (64 KiB), so the command still writes after the close.
    let commands: [&[&str]; 3] = [
        &["regions", "--level", "gemeinde", "--format", "json"],
        &["regions", "--level", "gemeinde"],
        &["sites", "--format", "json"],
    ];
    for args in commands {
        let (status, err) = with_closed_pipe(args, true);
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert_eq!(err, "", "{args:?}");
    }
}

/// Exports abb15 as SVG with `title` into `dir`; returns the output and the document.
fn export_svg(dir: &Path, title: &str, size: (u32, u32)) -> (Output, String) {
    let out = dir.join("karte.svg");
    let output = run(&[
        "--lang",
        "en",
        "export",
        "--preset",
        "abb15",
        "--out",
        out.to_str().unwrap(),
        "--title",
        title,
        "--width",
        &size.0.to_string(),
        "--height",
        &size.1.to_string(),
    ]);
    let svg = std::fs::read_to_string(&out).unwrap_or_default();
    (output, svg)
}

/// The title lines of an export: the bold texts with the largest font size.
fn title_lines(doc: &roxmltree::Document) -> Vec<String> {
    let size = |n: &roxmltree::Node| n.attribute("font-size").unwrap().parse::<f64>().unwrap();
    let texts: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("font-weight") == Some("bold"))
        .collect();
    let largest = texts.iter().map(size).fold(0.0, f64::max);
    texts
        .iter()
        .filter(|n| size(n) == largest)
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn number(node: &roxmltree::Node, name: &str) -> f64 {
    node.attribute(name).unwrap().parse().unwrap()
}

#[test]
fn control_and_xml_characters_in_the_title_give_a_well_formed_svg() {
    let dir = tempfile::tempdir().unwrap();
    let (output, svg) = export_svg(dir.path(), "Karte\u{1} A\u{7} <&> \"B\" 'C'", (1600, 1200));
    assert!(output.status.success(), "{output:?}");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    assert_eq!(title_lines(&doc), ["Karte A <&> \"B\" 'C'"]);
    let err = stderr(&output);
    assert!(
        err.contains("title contained control characters (U+0001, U+0007); they were removed"),
        "{err}"
    );
}

#[test]
fn a_title_of_10000_characters_takes_three_lines_and_leaves_the_map_in_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let long = "Integrationsinfrastruktur ".repeat(400);
    for title in [long.as_str(), &"W".repeat(10_000)] {
        let (output, svg) = export_svg(dir.path(), title, (1600, 1200));
        assert!(output.status.success(), "{output:?}");
        assert!(stderr(&output).contains("the title is too long for three lines"));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let lines = title_lines(&doc);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(font::text_width(line, 28.8) <= 1560.0, "{line}");
        }
        let frame = doc
            .descendants()
            .find(|n| n.has_tag_name("clipPath"))
            .and_then(|c| c.first_element_child())
            .unwrap();
        let (top, height) = (number(&frame, "y"), number(&frame, "height"));
        assert!(
            top > 0.0 && top + height <= 1200.0,
            "map frame {top} + {height}"
        );
        assert!(height > 800.0, "the map keeps most of the height: {height}");
        let swatches: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("legend-swatch"))
            .collect();
        assert!(!swatches.is_empty());
        for swatch in swatches {
            let y = number(&swatch, "y");
            assert!(
                y > top && y + number(&swatch, "height") < 1200.0,
                "swatch at {y}"
            );
        }
        for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let (x, y) = (number(&text, "x"), number(&text, "y"));
            assert!((0.0..=1600.0).contains(&x) && (0.0..=1200.0).contains(&y));
        }
    }
}

#[test]
fn characters_the_font_lacks_are_named_once_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let (output, svg) = export_svg(dir.path(), "خريطة مراكز الاندماج", (800, 600));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let err = stderr(&output);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("title contains characters the map font cannot show: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].contains("خ (U+062E)"), "{err}");
    assert!(warnings[0].contains("ة (U+0629)"), "{err}");
    assert_eq!(
        warnings[0].matches("ر (U+0631)").count(),
        1,
        "each once: {err}"
    );
    assert!(svg.contains("خريطة مراكز الاندماج"));
    // Hebrew and emoji alike; Latin text with umlauts warns of nothing.
    let (output, _) = export_svg(dir.path(), "שלום 🗺", (800, 600));
    let err = stderr(&output);
    assert!(
        err.contains("ש (U+05E9)") && err.contains("🗺 (U+1F5FA)"),
        "{err}"
    );
    let (output, _) = export_svg(dir.path(), "Düsseldorf – Köln: Straße", (800, 600));
    assert_eq!(stderr(&output), "");
}

/// The one line of an error on stderr, checked to be the only line and to hold no OS error twice.
fn one_error_line(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let err = stderr(output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.matches("os error").count() <= 1, "{err}");
    for internal in [
        "Error {",
        "kind:",
        "DbaseError",
        "IoError",
        "Some(",
        "Missing",
    ] {
        assert!(
            !err.contains(internal),
            "crate internals {internal:?}: {err}"
        );
    }
    err
}

#[test]
fn an_output_path_that_is_a_directory_gets_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("karte.png");
    std::fs::create_dir(&folder).unwrap();
    for out in [folder.as_path(), dir.path()] {
        let output = run(&[
            "export",
            "--preset",
            "abb15",
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = one_error_line(&output);
        assert!(
            err.contains(&format!(
                "{}: cannot write: is a directory: give a file name",
                out.display()
            )),
            "{err}"
        );
        assert!(!err.contains("os error"), "{err}");
    }
    let report = dir.path().join("bericht.md");
    std::fs::create_dir(&report).unwrap();
    let output = run(&[
        "coverage",
        "--kommune",
        "05966",
        "--out",
        report.to_str().unwrap(),
    ]);
    let err = one_error_line(&output);
    assert!(err.contains("is a directory: give a file name"), "{err}");
}

#[test]
fn an_output_in_a_missing_folder_names_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fehlt").join("karte.svg");
    let output = run(&[
        "export",
        "--preset",
        "abb15",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = one_error_line(&output);
    assert!(
        err.contains(&format!(
            "folder {} not found: create it or choose an existing folder",
            dir.path().join("fehlt").display()
        )),
        "{err}"
    );
}

#[test]
fn an_input_that_is_a_directory_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["pip", "--points", dir.path().to_str().unwrap()]);
    let err = one_error_line(&output);
    assert!(err.contains("is a folder, not a file"), "{err}");
}

#[test]
fn data_that_is_a_file_is_not_called_a_missing_folder() {
    let file = common::bundled_dir().join("README.md");
    let output = run(&[
        "--data",
        file.to_str().unwrap(),
        "regions",
        "--level",
        "kreis",
    ]);
    let err = one_error_line(&output);
    assert!(
        err.contains(&format!(
            "--data {} is a file, not a folder",
            file.display()
        )),
        "{err}"
    );
    assert!(!err.contains("not found"), "{err}");
    let from_env = binary()
        .args(["regions", "--level", "kreis"])
        .env("INTEGRATIONSATLAS_DATA", &file)
        .output()
        .unwrap();
    let err = one_error_line(&from_env);
    assert!(err.contains("INTEGRATIONSATLAS_DATA="), "{err}");
}

#[test]
fn a_level_without_fields_says_so_instead_of_an_empty_list() {
    let output = run(&["classify", "--level", "land", "--field", "population"]);
    let err = one_error_line(&output);
    assert!(
        !err.contains("available: \n") && !err.trim_end().ends_with(':'),
        "{err}"
    );
    assert!(
        err.contains("level land has no fields to classify"),
        "{err}"
    );
    assert!(
        err.contains("\"population\" exists at level kreis, gemeinde"),
        "{err}"
    );
    let export = run(&[
        "export",
        "--level",
        "land",
        "--field",
        "population",
        "--out",
        "/tmp/never-written.svg",
    ]);
    assert!(one_error_line(&export).contains("level land has no fields"));
    // A field of another level is pointed there, and the fields of this level are listed.
    let bezirk = run(&["classify", "--level", "gemeinde", "--field", "count_abh"]);
    let err = one_error_line(&bezirk);
    assert!(
        err.contains("\"count_abh\" exists at level kreis") && err.contains("area_km2"),
        "{err}"
    );
}

/// Sets the three date bytes of a .dbf header.
fn set_dbf_date(dbf: &Path, date: [u8; 3]) {
    let mut bytes = std::fs::read(dbf).unwrap();
    bytes[1..4].copy_from_slice(&date);
    std::fs::write(dbf, bytes).unwrap();
}

#[test]
fn a_dbf_header_without_a_valid_date_still_loads() {
    let copy = common::copy_of_bundled();
    for name in ["dvg2bld_nw.dbf", "dvg2gem_nw.dbf"] {
        set_dbf_date(&copy.path().join("dvg2").join(name), [0, 0, 0]);
    }
    set_dbf_date(
        &copy.path().join("dvg2").join("dvg2krs_nw.dbf"),
        [126, 13, 40],
    );
    let output = run(&[
        "--data",
        copy.path().to_str().unwrap(),
        "regions",
        "--level",
        "gemeinde",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1 + 396);
    assert!(text.contains("\n05315000,Köln,gemeinde,05315,"));
}

#[test]
fn a_truncated_dbf_is_described_without_crate_internals() {
    let copy = common::copy_of_bundled();
    let dbf = copy.path().join("dvg2").join("dvg2bld_nw.dbf");
    let bytes = std::fs::read(&dbf).unwrap();
    std::fs::write(&dbf, &bytes[..20]).unwrap();
    let output = run(&[
        "--data",
        copy.path().to_str().unwrap(),
        "regions",
        "--level",
        "land",
    ]);
    let err = one_error_line(&output);
    assert!(
        err.contains("dvg2bld_nw.dbf") && err.contains("the .dbf ends too early (truncated)"),
        "{err}"
    );
}

/// The case count: `PROPTEST_CASES` if set, else 256.
fn config() -> ProptestConfig {
    if std::env::var("PROPTEST_CASES").is_ok() {
        ProptestConfig::default()
    } else {
        ProptestConfig::with_cases(256)
    }
}

/// Characters of every kind, weighted towards spaces, letters, wide letters and controls.
fn any_text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => any::<char>(),
        3 => Just(' '),
        3 => prop::char::range('a', 'z'),
        1 => Just('W'),
        1 => prop::char::range('\u{0}', '\u{1f}'),
        1 => prop::char::range('\u{7f}', '\u{9f}'),
        1 => prop_oneof![Just('\u{fffe}'), Just('\u{ffff}'), Just('…'), Just('<'), Just('&')],
    ];
    prop::collection::vec(c, 0..1500).prop_map(|v| v.into_iter().collect())
}

fn non_space(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(config())]

    /// Any title: no panic, at most three lines, no control characters, each line within the
    /// width, and nothing changed without saying so: the lines hold exactly the input's
    /// characters unless characters were reported removed or the text was cut with `…`.
    #[test]
    fn fitted_titles_are_clean_short_and_honest(
        title in any_text(),
        width in 50.0f64..3000.0,
        size in 6.0f64..60.0,
    ) {
        let fitted = text::fit(&title, width, size, text::TITLE_LINES);
        prop_assert!(fitted.lines.len() <= text::TITLE_LINES);
        for line in &fitted.lines {
            prop_assert!(!line.is_empty());
            prop_assert!(!line.chars().any(|c| c.is_control() || c == '\u{fffe}' || c == '\u{ffff}'), "{:?}", line);
            prop_assert!(
                font::text_width(line, size) <= width + 1e-6 || line.chars().count() <= 2,
                "{:?} is {} px wide, more than {}", line, font::text_width(line, size), width
            );
            let doc = format!("<svg><text>{}</text></svg>", integrationsatlas::render::svg::esc(line));
            prop_assert!(roxmltree::Document::parse(&doc).is_ok(), "{:?}", doc);
        }
        let expected: String = non_space(&title)
            .chars()
            .filter(|c| !fitted.removed.contains(c))
            .collect();
        prop_assert_eq!(fitted.removed.is_empty(), expected == non_space(&title));
        let shown = non_space(&fitted.lines.concat());
        if fitted.truncated {
            let cut = shown.strip_suffix('…');
            prop_assert!(cut.is_some(), "{:?}", fitted.lines);
            prop_assert!(expected.starts_with(cut.unwrap_or_default()));
            prop_assert!(fitted.lines.len() == text::TITLE_LINES);
        } else {
            prop_assert_eq!(shown, expected);
        }
    }
}

#[test]
fn an_imported_point_shapefile_with_a_zero_dbf_date_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("punkte.shp");
    let table =
        shapefile::dbase::TableWriterBuilder::with_encoding(shapefile::dbase::encoding::Unicode)
            .add_character_field("name".try_into().unwrap(), 40);
    let mut writer = shapefile::Writer::from_path(&path, table).unwrap();
    let mut record = shapefile::dbase::Record::default();
    record.insert(
        "name".into(),
        shapefile::dbase::FieldValue::Character(Some("Köln".into())),
    );
    writer
        .write_shape_and_record(&shapefile::Point::new(356_463.9, 5_644_929.5), &record)
        .unwrap();
    drop(writer);
    std::fs::copy(
        common::bundled_dir().join("dvg2/dvg2gem_nw.prj"),
        path.with_extension("prj"),
    )
    .unwrap();
    set_dbf_date(&path.with_extension("dbf"), [0, 0, 0]);
    let output = run(&["sites", "--import", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Köln") && text.contains("05315000"), "{text}");
}

#[test]
fn a_truncated_shapefile_is_described_in_words() {
    let copy = common::copy_of_bundled();
    let shp = copy.path().join("dvg2").join("dvg2krs_nw.shp");
    let bytes = std::fs::read(&shp).unwrap();
    std::fs::write(&shp, &bytes[..bytes.len() / 2]).unwrap();
    let output = run(&[
        "--data",
        copy.path().to_str().unwrap(),
        "regions",
        "--level",
        "kreis",
    ]);
    let err = one_error_line(&output);
    assert!(
        err.contains("dvg2krs_nw.shp") && err.contains("broken shapefile"),
        "{err}"
    );
}
