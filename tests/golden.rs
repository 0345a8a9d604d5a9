//! Golden tests: every CLI subcommand on the bundled data, its output compared byte for byte
//! with a committed file in `tests/golden/` (PNG exports by their decoded pixels).
//!
//! They pin today's behaviour so that a restructure cannot change it unnoticed. After a
//! deliberate change, regenerate with `UPDATE_GOLDEN=1 cargo test --test golden` and name the
//! change in the commit message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The export date every golden export carries (2024-01-01).
const FIXED_EPOCH: &str = "1704067200";

mod common;
use common::bin;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn bundled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata")
}

fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--data")
        .arg(bundled())
        .args(args)
        .env_remove("INTEGRATIONSATLAS_DATA")
        .env_remove("INTEGRATIONSATLAS_TIMING")
        .env("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compares `actual` with the golden file `name`, or writes it when updating.
fn check(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if updating() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `UPDATE_GOLDEN=1 cargo test --test golden` to create it",
            path.display()
        )
    });
    if expected != actual {
        let actual_path = std::env::temp_dir().join(format!("golden-actual-{name}"));
        std::fs::write(&actual_path, actual).unwrap();
        panic!(
            "{name} differs from {} (actual output written to {}); if the change is deliberate, \
             run `UPDATE_GOLDEN=1 cargo test --test golden` and say so in the commit message",
            path.display(),
            actual_path.display()
        );
    }
}

/// Runs a command and checks its exit code, stdout and stderr against `<name>.out`.
fn golden(name: &str, args: &[&str]) {
    let output = run(args);
    let mut record = format!("exit: {:?}\n--- stdout\n", output.status.code()).into_bytes();
    record.extend_from_slice(&output.stdout);
    record.extend_from_slice(b"\n--- stderr\n");
    record.extend_from_slice(&output.stderr);
    check(&format!("{name}.out"), &record);
}

#[test]
fn regions_of_every_level() {
    for level in ["land", "bezirk", "kreis", "gemeinde"] {
        golden(&format!("regions-{level}"), &["regions", "--level", level]);
    }
    golden(
        "regions-kreis-json",
        &["regions", "--level", "kreis", "--format", "json"],
    );
}

#[test]
fn lookup_at_the_cologne_cathedral() {
    golden(
        "lookup-dom",
        &["lookup", "--lon", "6.9583", "--lat", "50.9413"],
    );
    golden(
        "lookup-utm-json",
        &[
            "lookup", "--x", "356464", "--y", "5644930", "--format", "json",
        ],
    );
    golden(
        "lookup-outside",
        &["lookup", "--lon", "2.35", "--lat", "48.85"],
    );
}

#[test]
fn classify_by_every_method() {
    for method in ["quantile", "equal", "jenks", "stddev"] {
        golden(
            &format!("classify-kreis-population-{method}"),
            &[
                "classify",
                "--level",
                "kreis",
                "--field",
                "population",
                "--method",
                method,
                "--classes",
                "5",
            ],
        );
    }
    golden(
        "classify-gemeinde-density-manual-json",
        &[
            "classify",
            "--level",
            "gemeinde",
            "--field",
            "density",
            "--method",
            "manual",
            "--breaks",
            "200,500,1000",
            "--format",
            "json",
        ],
    );
}

#[test]
fn sites_and_nearest() {
    golden("sites", &["sites"]);
    golden(
        "sites-ki-json",
        &["sites", "--type", "KI", "--format", "json"],
    );
    golden(
        "nearest-ki",
        &[
            "nearest", "--lon", "7.95", "--lat", "51.05", "--type", "KI", "--k", "3",
        ],
    );
    golden(
        "nearest-olpe-abh",
        &[
            "nearest",
            "--kommune",
            "05966",
            "--type",
            "ABH",
            "--radius-km",
            "20",
        ],
    );
}

#[test]
fn coverage_of_kreis_olpe_in_every_format() {
    for format in ["md", "csv", "json"] {
        golden(
            &format!("coverage-olpe-{format}"),
            &["coverage", "--kommune", "Kreis Olpe", "--format", format],
        );
    }
}

#[test]
fn suggest_three_abh_in_every_format() {
    for format in ["md", "csv", "json"] {
        golden(
            &format!("suggest-abh-15km-3-{format}"),
            &[
                "suggest",
                "--type",
                "ABH",
                "--radius-km",
                "15",
                "--new",
                "3",
                "--format",
                format,
            ],
        );
    }
}

#[test]
fn grid_coverage_catchments_and_access() {
    golden(
        "grid-coverage-abh-kreis",
        &[
            "grid-coverage",
            "--type",
            "ABH",
            "--threshold-km",
            "15",
            "--level",
            "kreis",
        ],
    );
    golden(
        "grid-coverage-ki-land-json",
        &[
            "grid-coverage",
            "--type",
            "KI",
            "--threshold-km",
            "20",
            "--level",
            "land",
            "--format",
            "json",
        ],
    );
    golden("catchments-abh", &["catchments", "--type", "ABH"]);
    golden(
        "access-abh-gemeinde",
        &[
            "access",
            "--type",
            "ABH",
            "--catchment-km",
            "15",
            "--level",
            "gemeinde",
        ],
    );
    golden(
        "access-ja-kreis-gaussian",
        &[
            "access",
            "--type",
            "JA",
            "--catchment-km",
            "10",
            "--decay",
            "gaussian",
            "--level",
            "kreis",
        ],
    );
}

#[test]
fn pip_of_a_few_points() {
    let dir = tempfile::tempdir().unwrap();
    let points = dir.path().join("punkte.csv");
    std::fs::write(
        &points,
        "id,lon,lat,name\n1,6.9583,50.9413,Dom\n2,7.95,51.05,Olpe\n3,2.35,48.85,Paris\n4,x,y,kaputt\n",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let output = run(&[
        "pip",
        "--points",
        points.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    check("pip-points.csv", &std::fs::read(&out).unwrap());
}

/// "sha256 HEX, N bytes": the golden form of a large output (an SVG of every Gemeinde is 2 MB),
/// equal exactly when the bytes are.
fn digest_line(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    let hex: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256 {hex}, {} bytes\n", bytes.len()).into_bytes()
}

/// The size, colour type and SHA-256 of the decoded pixels of a PNG: equal exactly when the
/// pictures are equal pixel for pixel, whatever the encoder's compression.
fn png_pixels(path: &Path) -> Vec<u8> {
    use sha2::Digest as _;
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let digest = sha2::Sha256::digest(&pixels[..info.buffer_size()]);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}x{} {:?} sha256 {hex}\n",
        info.width, info.height, info.color_type
    )
    .into_bytes()
}

#[test]
fn exports_of_the_presets() {
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [
        ("export-abb5", vec!["--preset", "abb5"]),
        ("export-abb16", vec!["--preset", "abb16"]),
        (
            "export-olpe-density",
            vec![
                "--level",
                "gemeinde",
                "--field",
                "density",
                "--focus",
                "Kreis Olpe",
                "--sites",
                "KI,ABH",
            ],
        ),
    ] {
        let svg = dir.path().join(format!("{name}.svg"));
        let mut svg_args = vec!["export", "--out", svg.to_str().unwrap(), "--width", "800"];
        svg_args.extend(&args);
        svg_args.extend(["--height", "600"]);
        let output = run(&svg_args);
        assert!(output.status.success(), "{name}: {output:?}");
        check(
            &format!("{name}.svg.sha256"),
            &digest_line(&std::fs::read(&svg).unwrap()),
        );
    }
    let png = dir.path().join("abb16.png");
    let output = run(&[
        "export",
        "--out",
        png.to_str().unwrap(),
        "--preset",
        "abb16",
        "--width",
        "400",
        "--height",
        "400",
    ]);
    assert!(output.status.success(), "{output:?}");
    check("export-abb16-400x400.png.pixels", &png_pixels(&png));
}
