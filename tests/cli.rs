//! The binary's subcommands: output, exit codes and error messages.

mod common;

use std::process::{Command, Output};

use common::bin;

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("INTEGRATIONSATLAS_DATA")
        .output()
        .expect("binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn regions_kreis_csv_has_53_rows_with_area_and_population() {
    let output = run(&["regions", "--level", "kreis"]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("ags,name,level,parent_ags,area_km2,population,"),
        "{header}"
    );
    assert!(header.contains(",count_abh,abh_per_100k,"), "{header}");
    assert!(
        header.contains(",typology,rurality,prog_einwanderung_gestalten,"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 53);
    let olpe = rows.iter().find(|r| r.starts_with("05966,")).unwrap();
    let fields: Vec<&str> = olpe.split(',').collect();
    assert_eq!(&fields[..4], ["05966", "Olpe", "kreis", "059"]);
    assert_eq!(
        fields[4].split('.').nth(1).unwrap().len(),
        3,
        "3 decimals: {olpe}"
    );
    let area: f64 = fields[4].parse().unwrap();
    assert!((area - 712.0).abs() < 2.0, "Kreis Olpe area {area}");
}

#[test]
fn regions_gemeinde_json_lists_396_with_koeln() {
    let output = run(&["regions", "--level", "gemeinde", "--format", "json"]);
    assert!(output.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(rows.len(), 396);
    let koeln = rows.iter().find(|r| r["ags"] == "05315000").unwrap();
    assert_eq!(koeln["name"], "Köln");
    assert_eq!(koeln["parent_ags"], "05315");
    assert_eq!(koeln["population"], 1_087_863);
}

#[test]
fn lookup_koelner_dom_in_json() {
    let output = run(&[
        "lookup", "--lon", "6.9583", "--lat", "50.9413", "--format", "json",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["inside_nrw"], true);
    assert_eq!(json["gemeinde"]["ags"], "05315000");
    assert_eq!(json["kreis"]["ags"], "05315");
    assert_eq!(json["bezirk"]["name"], "Köln");
}

#[test]
fn lookup_by_utm_coordinates_in_text() {
    // Olpe's centre point in EPSG:25832 (geodata/places).
    let output = run(&["lookup", "--x", "418904.0", "--y", "5653526.0"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("Gemeinde: Olpe (05966024)"), "{text}");
    assert!(text.contains("Regierungsbezirk: Arnsberg (059)"), "{text}");
}

#[test]
fn lookup_outside_nrw_exits_1() {
    let output = run(&["lookup", "--lon", "4.9041", "--lat", "52.3676"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("außerhalb von NRW"));
    let english = run(&[
        "--lang", "en", "lookup", "--lon", "4.9041", "--lat", "52.3676",
    ]);
    assert!(stdout(&english).contains("outside NRW"));
}

#[test]
fn lookup_with_impossible_latitude_is_an_error() {
    let output = run(&["lookup", "--lon", "7.0", "--lat", "97.0"]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("latitude in -90..90"), "{err}");
}

#[test]
fn missing_data_folder_exits_2_with_one_clear_message() {
    let output = run(&[
        "--data",
        "/nonexistent/geodata",
        "regions",
        "--level",
        "kreis",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("/nonexistent/geodata"), "{err}");
    assert!(err.contains("--data DIR"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(output.stdout.is_empty());
}

#[test]
fn data_folder_comes_from_the_environment() {
    let output = Command::new(bin())
        .args(["regions", "--level", "land"])
        .env("INTEGRATIONSATLAS_DATA", "/nonexistent/from-env")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/from-env"));
    let flag_wins = Command::new(bin())
        .args([
            "--data",
            common::bundled_dir().to_str().unwrap(),
            "regions",
            "--level",
            "land",
        ])
        .env("INTEGRATIONSATLAS_DATA", "/nonexistent/from-env")
        .output()
        .unwrap();
    assert!(flag_wins.status.success());
}

#[test]
fn classify_breaks_agree_with_the_legend_labels() {
    let output = run(&[
        "classify",
        "--level",
        "kreis",
        "--field",
        "population",
        "--method",
        "jenks",
        "--classes",
        "5",
        "--format",
        "json",
    ]);
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let breaks: Vec<f64> = json["breaks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_f64().unwrap())
        .collect();
    assert_eq!(
        breaks,
        vec![
            111_338.0,
            227_417.0,
            371_339.0,
            498_686.0,
            621_877.0,
            1_087_863.0
        ]
    );
    assert_eq!(json["classes"][0]["label"], "111.338 – 227.417");
    assert_eq!(json["classes"][0]["count"], 14);
}

#[test]
fn classify_manual_breaks_and_unknown_field() {
    let output = run(&[
        "classify",
        "--level",
        "gemeinde",
        "--field",
        "density",
        "--method",
        "manual",
        "--breaks",
        "200,500,1000",
    ]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1 + 4, "{text}");
    let total: usize = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(3).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, 396);
    let bad = run(&["classify", "--level", "gemeinde", "--field", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("available: area_km2"));
}

#[test]
fn regions_gain_indicator_columns() {
    let output = run(&["regions", "--level", "gemeinde"]);
    let text = stdout(&output);
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with(
            "ags,name,level,parent_ags,area_km2,population,area_ha,density,migration_background_pct"
        ),
        "{header}"
    );
    let koeln = text.lines().find(|l| l.starts_with("05315000,")).unwrap();
    // Zensus 2022 migration background of Köln: 27.8 % (geodata/stats).
    assert!(koeln.contains(",27.8,"), "{koeln}");
}

#[test]
fn sites_and_nearest_on_the_command_line() {
    let output = run(&["sites", "--type", "KI"]);
    assert!(output.status.success());
    assert_eq!(stdout(&output).lines().count(), 1 + 54);
    let near = run(&[
        "nearest", "--lon", "7.95", "--lat", "51.05", "--type", "KI", "--k", "2", "--format",
        "json",
    ]);
    assert!(near.status.success(), "{near:?}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&near.stdout).unwrap();
    assert_eq!(rows[0]["id"], "KI-05966");
    assert_eq!(rows[0]["precision"], "kommune_seat");
    assert_eq!(rows.len(), 2);
    let unknown = run(&[
        "nearest", "--lon", "7.95", "--lat", "51.05", "--type", "MBE",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("only as counts per Kreis"));
}

#[test]
fn pip_appends_four_columns_and_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("adressen.csv");
    std::fs::write(
        &input,
        "id,lon,lat,note\r\n1,6.9583,50.9413,\"Dom, Köln\"\r\n2,4.9041,52.3676,Amsterdam\r\n3,abc,51.0,kaputt\r\n4,7.843584,51.027560,Olpe\r\n",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let summary = dir.path().join("summary.csv");
    let output = run(&[
        "pip",
        "--points",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--summary",
        summary.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,lon,lat,note,gemeinde_ags,gemeinde,kreis_ags,kreis"
    );
    assert_eq!(
        lines[1],
        "1,6.9583,50.9413,\"Dom, Köln\",05315000,Köln,05315,Köln"
    );
    assert_eq!(lines[2], "2,4.9041,52.3676,Amsterdam,,,,");
    assert_eq!(lines[3], "3,abc,51.0,kaputt,,,,");
    assert_eq!(
        lines[4],
        "4,7.843584,51.027560,Olpe,05966024,Olpe,05966,Olpe"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 rows without valid coordinates (lines 4)"),
        "{stderr}"
    );
    let counts = std::fs::read_to_string(&summary).unwrap();
    assert!(counts.contains("05315000,Köln,05315,Köln,1"), "{counts}");
    assert!(counts.contains(",outside NRW,,,1"), "{counts}");
}

#[test]
fn pip_names_a_missing_coordinate_column() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("x.csv");
    std::fs::write(&input, "id,laenge,breite\n1,7,51\n").unwrap();
    let output = run(&["pip", "--points", input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("no column \"lon\"; the columns are id, laenge, breite; name the longitude column with --lon-col NAME"),
        "{err}"
    );
    let output = run(&[
        "pip",
        "--points",
        input.to_str().unwrap(),
        "--lon-col",
        "laenge",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("no column \"lat\"") && err.contains("latitude column with --lat-col NAME"),
        "{err}"
    );
}

#[test]
fn nearest_from_a_kommune_and_within_a_radius() {
    let output = run(&["nearest", "--kommune", "05966", "--type", "KI", "--k", "1"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout(&output).contains("KI-05966,KI,KI Kreis Olpe,05966024"),
        "{}",
        stdout(&output)
    );
    let ambiguous = run(&["nearest", "--kommune", "Olpe", "--type", "KI"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    let err = String::from_utf8_lossy(&ambiguous.stderr);
    assert!(
        err.contains("ambiguous")
            && err.contains("Olpe (05966024)")
            && err.contains("Kreis Olpe (05966)"),
        "{err}"
    );
    let within = run(&[
        "nearest",
        "--kommune",
        "Köln",
        "--type",
        "KI",
        "--radius-km",
        "30",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&within.stdout).unwrap();
    assert!(rows.len() >= 5, "{} KI within 30 km of Köln", rows.len());
    assert!(
        rows.iter()
            .all(|r| r["distance_km"].as_f64().unwrap() <= 30.0)
    );
    let bad = run(&[
        "nearest",
        "--kommune",
        "Köln",
        "--type",
        "KI",
        "--radius-km",
        "-3",
    ]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("positive number"));
}

#[test]
fn coverage_report_in_markdown_json_and_to_a_file() {
    let md = run(&["coverage", "--kommune", "Kreis Olpe", "--types", "KI,ABH"]);
    assert!(md.status.success(), "{md:?}");
    let text = stdout(&md);
    assert!(
        text.starts_with("# Versorgungsanalyse: Kreis Olpe"),
        "{text}"
    );
    assert!(text.contains("## Quellen und Datenstand"));
    let json = run(&["coverage", "--kommune", "05966", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["spec"]["types"],
        serde_json::json!(["KI", "ABH", "JA", "JC"])
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("olpe.csv");
    let csv = run(&[
        "coverage",
        "--kommune",
        "05966",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(csv.status.success());
    let table = std::fs::read_to_string(&out).unwrap();
    assert!(
        table.starts_with(
            "ags,name,kreis_ags,population,in_kommune,distance_to_kommune_km,ki_nearest,"
        ),
        "{table}"
    );
    let bad = run(&["coverage", "--kommune", "05966", "--threshold-km", "-1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--threshold-km -1 is not a positive number")
    );
    let missing_dir = run(&[
        "coverage",
        "--kommune",
        "05966",
        "--out",
        "/no/such/dir/report.md",
    ]);
    assert_eq!(missing_dir.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing_dir.stderr).contains("/no/such/dir"));
}
