//! The fast paths of issue 18 give the answers of the plain ones: the pip grid against the
//! region index (random points and points on and beside every border vertex).

mod common;

use integrationsatlas::Level;
use integrationsatlas::geometry::grid::GridIndex;
use rand::{Rng as _, SeedableRng as _};

/// The grid answers as the index does, on 200,000 random points over NRW and on every border
/// vertex of the Gemeinden, exactly and shifted by a millimetre in four directions.
#[test]
fn grid_locates_as_the_index_does() {
    let atlas = common::atlas();
    let layer = atlas.layer(Level::Gemeinde);
    let polygons: Vec<_> = layer.regions.iter().map(|r| &r.geometry).collect();
    let grid = GridIndex::build(&polygons, &layer.index);
    let exact = |x: f64, y: f64| layer.index.locate(x, y, |i| polygons[i]);
    let mut rng = rand::rngs::StdRng::seed_from_u64(18);
    let mut points: Vec<(f64, f64)> = (0..200_000)
        .map(|_| {
            (
                rng.random_range(270_000.0..540_000.0),
                rng.random_range(5_560_000.0..5_830_000.0),
            )
        })
        .collect();
    for polygon in &polygons {
        for part in polygon.iter() {
            for ring in std::iter::once(part.exterior()).chain(part.interiors()) {
                for c in ring.coords().step_by(3) {
                    for (dx, dy) in [
                        (0.0, 0.0),
                        (1e-3, 0.0),
                        (-1e-3, 0.0),
                        (0.0, 1e-3),
                        (0.0, -1e-3),
                    ] {
                        points.push((c.x + dx, c.y + dy));
                    }
                }
            }
        }
    }
    let mismatches: Vec<_> = points
        .iter()
        .filter(|&&(x, y)| grid.locate(x, y) != exact(x, y))
        .take(5)
        .collect();
    assert!(mismatches.is_empty(), "grid differs at {mismatches:?}");
    let koeln = grid
        .locate(356_400.0, 5_645_600.0)
        .map(|i| layer.regions[i].ags.as_str());
    assert_eq!(koeln, Some("05315000"));
}

/// Inputs with every kind of trouble the piece logic must survive: a byte-order mark, all
/// line ends, blank lines, quoted line breaks (also CRLF inside quotes), doubled quotes, stray
/// quotes, bad coordinates, a short row and no final line end.
const TRICKY: &[&str] = &[
    "\u{feff}id,lon,lat,note\r\n1,6.9583,50.9413,Dom\r2,4.9041,52.3676,Amsterdam\n\n3,x,y,kaputt\r\n\r\n\r4,7.843584,51.027560,Olpe",
    "id,lon,lat,adresse\n0,7.843584,51.027560,Olpe\n1,6.9583,50.9413,\"Domkloster 4\n50667 K\u{f6}ln\"\n2,7.843584,51.027560,\"Franziskanerstr. 6,\r\n57462 Olpe\"\r\n",
    "id,lon,lat,a\n1,\"6.9583\",50.9413,\"sagt \"\"hallo\"\"\"\n2,7.843584,51.027560,\"Dom\"platz\n3,7.8\n\n\n4,6.9583,50.9413,\"\n\n\n\"\n",
    "lon,lat\r\n6.9583,50.9413\r\n7.843584,51.027560\r\n",
];

fn columns() -> integrationsatlas::analysis::pip::PipColumns {
    integrationsatlas::analysis::pip::PipColumns {
        lon: "lon".to_owned(),
        lat: "lat".to_owned(),
    }
}

/// A file input is memory-mapped and cut into pieces of every small size, so that cuts fall
/// inside quoted fields, inside `\r\n` and beside blank lines: the output and the counts are
/// those of the same bytes read as a stream in one piece.
#[test]
fn a_mapped_file_gives_the_bytes_of_a_stream_for_every_piece_size() {
    use integrationsatlas::analysis::pip::{PipOptions, pip_csv, pip_stream};
    let atlas = common::atlas();
    let dir = tempfile::tempdir().unwrap();
    for (n, text) in TRICKY.iter().enumerate() {
        let path = dir.path().join(format!("punkte{n}.csv"));
        std::fs::write(&path, text).unwrap();
        let mut expected = Vec::new();
        let want = pip_stream(
            &atlas,
            &mut text.as_bytes(),
            &path,
            &columns(),
            &mut expected,
            &PipOptions::default(),
        )
        .unwrap();
        assert!(expected.starts_with(text.split(['\r', '\n']).next().unwrap().as_bytes()));
        for chunk_bytes in (1..=24).chain([64, 1 << 20]) {
            let options = PipOptions {
                chunk_bytes,
                ..PipOptions::default()
            };
            let mut got = Vec::new();
            let summary = pip_csv(&atlas, &path, &columns(), &mut got, &options).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&expected),
                "input {n}, pieces of {chunk_bytes} bytes"
            );
            assert_eq!(summary, want, "input {n}, pieces of {chunk_bytes} bytes");
        }
    }
}

/// An unclosed quote in a mapped file is the same error, at the same line, as in a stream.
#[test]
fn a_mapped_file_reports_an_unclosed_quote_at_its_line() {
    use integrationsatlas::analysis::pip::{PipOptions, pip_csv};
    let atlas = common::atlas();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kaputt.csv");
    std::fs::write(
        &path,
        "id,lon,lat,a\n1,6.9583,50.9413,ok\n2,6.9583,50.9413,\"offen\n3,7,51,x\n",
    )
    .unwrap();
    for chunk_bytes in [3, 1 << 20] {
        let options = PipOptions {
            chunk_bytes,
            ..PipOptions::default()
        };
        let err = pip_csv(&atlas, &path, &columns(), &mut Vec::new(), &options).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("line 3") && message.contains("never closed"),
            "{message}"
        );
    }
}

/// The binary gives the same bytes for a file (mapped) and for the same file on stdin (read as a
/// stream), on 20,000 generated points plus a tricky tail.
#[test]
fn cli_pip_of_a_file_and_of_stdin_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("punkte.csv");
    let mut text = String::from("id,lon,lat,note\n");
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for i in 0..20_000 {
        let (lon, lat): (f64, f64) = (rng.random_range(5.8..9.5), rng.random_range(50.3..52.6));
        let note = if i % 97 == 0 {
            "\"zwei\r\nZeilen\""
        } else {
            "x"
        };
        let end = if i % 13 == 0 { "\r\n" } else { "\n" };
        text.push_str(&format!("{i},{lon:.6},{lat:.6},{note}{end}"));
    }
    text.push_str("\n\r\n20000,6.9583,50.9413,\"Dom\"platz");
    std::fs::write(&path, &text).unwrap();
    let run = |stdin: bool| {
        let mut command = std::process::Command::new(common::bin());
        command.arg("pip").arg("--points");
        if stdin {
            command
                .arg("/dev/stdin")
                .stdin(std::fs::File::open(&path).unwrap());
        } else {
            command.arg(&path);
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };
    let mapped = run(false);
    assert_eq!(mapped, run(true));
    let text_out = String::from_utf8(mapped).unwrap();
    assert!(text_out.ends_with("\"Dom\"platz,05315000,K\u{f6}ln,05315,K\u{f6}ln"));
    assert_eq!(text_out.matches("\"zwei\r\nZeilen\"").count(), 207);
}
