//! Report-grade output through the binary: vector PDF maps (page size, embedded subset font,
//! extractable text, no raster image, the same picture as the PNG), PDF/A-2b, the atlas (pages,
//! bookmarks, classes fixed across pages, image folders) and the Kommune profile (Markdown and
//! PDF). The PDFs are read by an independent implementation, poppler-utils (`pdfinfo`,
//! `pdffonts`, `pdftotext`, `pdfimages`, `pdftoppm`), which `.ci/run` installs.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let output = Command::new(common::bin())
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1704067200")
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a poppler tool; fails with a clear message if poppler-utils is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} not found ({e}): install poppler-utils (apt-get install poppler-utils)")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The value of `key:` in pdfinfo's output.
fn info(pdf: &Path, key: &str) -> String {
    poppler("pdfinfo", &[path(pdf)])
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("pdfinfo has no {key}"))
        .trim()
        .to_owned()
}

fn text_of_page(pdf: &Path, page: usize) -> String {
    let page = page.to_string();
    poppler("pdftotext", &["-f", &page, "-l", &page, path(pdf), "-"])
}

fn decode(png: &[u8]) -> (Vec<u8>, u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    // As RGB.
    let rgb = pixels
        .chunks_exact(channels)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    (rgb, info.width, info.height)
}

#[test]
fn an_a4_map_is_one_vector_page_with_embedded_subset_font_and_real_text() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("abb16.pdf");
    let stdout = run(&[
        "export",
        "--preset",
        "abb16",
        "--paper",
        "A4-landscape",
        "--out",
        path(&pdf),
    ]);
    assert!(String::from_utf8_lossy(&stdout.stdout).contains("A4 landscape, 1 page"));
    assert_eq!(info(&pdf, "Pages"), "1");
    assert!(
        info(&pdf, "Page size").starts_with("841.89 x 595.276 pts"),
        "{}",
        info(&pdf, "Page size")
    );
    let fonts = poppler("pdffonts", &[path(&pdf)]);
    let ubuntu = fonts
        .lines()
        .find(|l| l.contains("Ubuntu-Light"))
        .unwrap_or_else(|| panic!("no Ubuntu font: {fonts}"));
    let columns: Vec<&str> = ubuntu.split_whitespace().collect();
    // name, type (2 words), encoding, emb, sub, uni, …
    assert!(
        ubuntu.split('+').next().unwrap().len() == 6,
        "subset tag: {ubuntu}"
    );
    assert_eq!(&columns[4..7], ["yes", "yes", "yes"], "{ubuntu}");
    let text = poppler("pdftotext", &[path(&pdf), "-"]);
    for expected in [
        "Abb. 16: Anteil der Bevölkerung mit Migrationshintergrund",
        "14,1 – 16,4",
        "28,5 – 33,9",
        "Grenzen: Geobasis NRW, DVG2",
        "Export: 2024-01-01",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    let images = poppler("pdfimages", &["-list", path(&pdf)]);
    assert_eq!(images.lines().count(), 2, "the map is an image: {images}");
}

#[test]
fn the_pdf_page_rendered_by_poppler_matches_the_png_export() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, png) = (dir.path().join("map.pdf"), dir.path().join("map.png"));
    let size = ["--width", "800", "--height", "600"];
    for out in [&pdf, &png] {
        let mut args = vec!["export", "--preset", "abb16", "--out", path(out)];
        args.extend(size);
        run(&args);
    }
    // 1 px = 0.75 pt, so 96 dpi gives the picture's pixels.
    assert_eq!(
        info(&pdf, "Page size").split(" pts").next(),
        Some("600 x 450")
    );
    let rendered = dir.path().join("rendered");
    poppler(
        "pdftoppm",
        &[
            "-r",
            "96",
            "-png",
            "-singlefile",
            path(&pdf),
            path(&rendered),
        ],
    );
    let (a, w, h) = decode(&std::fs::read(rendered.with_extension("png")).unwrap());
    let (b, w2, h2) = decode(&std::fs::read(&png).unwrap());
    assert_eq!((w, h), (w2, h2));
    assert_eq!((w, h), (800, 600));
    let diff: u64 = a
        .iter()
        .zip(&b)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    let mean = diff as f64 / a.len() as f64;
    eprintln!("mean difference PDF (pdftoppm) vs PNG: {mean:.3} of 255");
    assert!(mean < 4.0, "mean difference {mean:.2} of 255");
    // Köln's fill is the same in both (a pixel inside the city, far from borders and text).
    let differing = a
        .chunks_exact(3)
        .zip(b.chunks_exact(3))
        .filter(|(x, y)| x.iter().zip(y.iter()).any(|(p, q)| p.abs_diff(*q) > 40))
        .count();
    assert!(
        (differing as f64) < 0.05 * f64::from(w * h),
        "{differing} pixels differ strongly"
    );
}

#[test]
fn pdfa_2b_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("archive.pdf");
    run(&[
        "export",
        "--preset",
        "abb16",
        "--paper",
        "A3",
        "--pdfa",
        "--out",
        path(&pdf),
    ]);
    assert!(info(&pdf, "Page size").starts_with("841.89 x 1190.55"));
    let bytes = std::fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"pdfaid:part>2<") && has(b"pdfaid:conformance>B<"));
    assert!(info(&pdf, "CreationDate").contains("2024"));
}

#[test]
fn a_kreis_atlas_has_contents_bookmarks_and_the_same_classes_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("atlas.pdf");
    let stdout = run(&[
        "atlas",
        "--level",
        "kreis",
        "--in",
        "Arnsberg",
        "--preset",
        "abb16",
        "--out",
        path(&pdf),
    ]);
    let stdout = String::from_utf8_lossy(&stdout.stdout);
    // Regierungsbezirk Arnsberg: 12 Kreise and kreisfreie Städte.
    assert!(stdout.contains("13 pages: 1 contents, 12 maps"), "{stdout}");
    assert_eq!(info(&pdf, "Pages"), "13");
    let contents = text_of_page(&pdf, 1);
    assert!(contents.contains("Kreis Olpe"), "{contents}");
    assert!(contents.contains("05966"), "{contents}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.windows(9).any(|w| w == b"/Outlines"), "no bookmarks");
    let classes = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| {
                let number = |s: &str| s.trim().replace(',', ".").parse::<f64>().is_ok();
                l.split_once(" – ")
                    .is_some_and(|(a, b)| number(a) && number(b))
            })
            .map(str::to_owned)
            .collect()
    };
    let first = classes(&text_of_page(&pdf, 2));
    assert_eq!(first.len(), 5, "{first:?}");
    let mut titles = Vec::new();
    for page in 2..=13 {
        let text = text_of_page(&pdf, page);
        assert_eq!(classes(&text), first, "page {page}");
        titles.push(text.lines().next().unwrap_or_default().to_owned());
    }
    assert!(
        titles.iter().any(|t| t.starts_with("Kreis Olpe (05966)")),
        "{titles:?}"
    );
    // The map names its regions: Olpe itself and a neighbour, as text lines of their own.
    let olpe = 2 + titles
        .iter()
        .position(|t| t.starts_with("Kreis Olpe (05966)"))
        .unwrap();
    let olpe_page = text_of_page(&pdf, olpe);
    let lines: Vec<&str> = olpe_page.lines().map(str::trim).collect();
    assert!(lines.contains(&"Olpe"), "{olpe_page}");
    assert!(lines.contains(&"Märkischer Kreis"), "{olpe_page}");
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Hochsauerlandkreis (05958)")),
        "{titles:?}"
    );
}

#[test]
fn a_folder_atlas_names_its_images_by_ags_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("olpe");
    run(&[
        "atlas",
        "--level",
        "gemeinde",
        "--in",
        "Kreis Olpe",
        "--field",
        "density",
        "--out",
        path(&out),
    ]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    assert_eq!(names[0], "05966004_Attendorn.png");
    assert_eq!(names[5], "05966024_Olpe.png");
    let (pixels, w, h) = decode(&std::fs::read(out.join(&names[0])).unwrap());
    assert_eq!((w, h), (1600, 1200));
    assert!(!pixels.is_empty());
}

#[test]
fn the_profile_of_kreis_olpe_as_markdown_and_pdf() {
    let md = run(&["profile", "--kommune", "Kreis Olpe"]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with("# Steckbrief: Kreis Olpe (05966)\n"), "{md}");
    assert!(
        md.contains("| Einwohner 31.12.2019 | 133.955 | 3.580.568* | 17.947.221* | 51 von 53 |"),
        "{md}"
    );
    assert!(
        md.contains("Attendorn, Drolshagen, Finnentrop, Kirchhundem, Lennestadt, Olpe, Wenden")
    );
    assert!(
        md.contains("| KI – Kommunales Integrationszentrum | KI Kreis Olpe | Olpe |"),
        "{md}"
    );
    assert!(md.contains("Finnentrop (18,4 km)"), "{md}");
    assert!(md.contains("Grenzen: Geobasis NRW, DVG2"));
    // INKAR indicators with their trend (values as in geodata/inkar/inkar_nrw_kreise.csv); INKAR
    // has no Regierungsbezirk or NRW rows, so those say "–".
    for row in [
        "| Asylbewerber (2021) | 7,06 | – | – | 3 von 53 | 2010: 1,94; 2021: 7,06 (+5,12) |",
        "| SGB II - Quote (2021) | 4,10 | – | – | 52 von 53 | 2010: 5,51; 2021: 4,10 (-1,41) |",
        "| Erreichbarkeit von Oberzentren (2020) | 30,57 | – | – | 12 von 53 | nur 2020 |",
    ] {
        assert!(md.contains(row), "{row:?} not in {md}");
    }
    assert!(
        md.contains("Kinderarmut: je 100 Einwohner unter 15 Jahren"),
        "{md}"
    );
    assert!(md.contains("- Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024, dl-de/by-2-0"));
    assert!(md.contains("- Datenbasis: INKAR, BBSR Bonn, Ausgabe 2022, dl-de/by-2-0"));
    // A Gemeinde: only the indicators INKAR has for Gemeinden, with the Kreis's official value.
    let gemeinde = run(&["profile", "--kommune", "05966024"]);
    let gemeinde = String::from_utf8_lossy(&gemeinde.stdout);
    assert!(
        gemeinde.contains(
            "| Kinderarmut (2022) | 6,06 | 6,95 | – | 319 von 396 | 2021: 5,92; 2022: 6,06 (+0,14) |"
        ),
        "{gemeinde}"
    );
    assert!(!gemeinde.contains("Asylbewerber"), "{gemeinde}");
    // The grid figures, as `coverage --kommune 05966` gives them, with method and attribution.
    assert!(
        md.contains("## Erreichbarkeit (Bevölkerungsraster 1 km, Zensus 2011)"),
        "{md}"
    );
    assert!(
        md.contains("| JA | 136.384 | 14.270 | 10,5 | 1.127 | 16 | 8,7 | 15,3 |"),
        "{md}"
    );
    assert!(md.contains("Gemessen von jeder bewohnten 1-km-Rasterzelle des Zensus 2011 aus"));
    assert!(md.contains("- Bevölkerungsraster 1 km: © Statistische Ämter des Bundes und der Länder, Zensus 2011, dl-de/by-2-0, Daten verändert"));
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("olpe.pdf");
    run(&["profile", "--kommune", "05966", "--out", path(&pdf)]);
    // Two pages, as the issue asks: the map, key figures, INKAR and institutions; then coverage
    // (centre points and grid), the supply ratios (one row per type) and the sources.
    assert_eq!(info(&pdf, "Pages"), "2");
    assert!(info(&pdf, "Page size").starts_with("595.276 x 841.89"));
    let text = poppler("pdftotext", &[path(&pdf), "-"]);
    for expected in [
        "Steckbrief: Kreis Olpe (05966)",
        "133.955",
        "Einrichtungen in der Kommune",
        "Versorgungsgrade",
        "Bevölkerungsraster 1 km, Zensus 2011",
        "INKAR-Indikatoren und ihre Entwicklung",
        "2010: 1,94; 2021: 7,06 (+5,12)",
        "Quellen und Datenstand",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
}

#[test]
fn several_profiles_in_one_pdf_and_errors_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("two.pdf");
    run(&[
        "profile",
        "--kommune",
        "Köln,Düsseldorf",
        "--lang",
        "en",
        "--out",
        path(&pdf),
    ]);
    let text = poppler("pdftotext", &[path(&pdf), "-"]);
    assert!(
        text.contains("Profile: Köln (05315000)")
            && text.contains("Profile: Düsseldorf (05111000)")
    );
    let bad = Command::new(common::bin())
        .args([
            "export", "--preset", "abb16", "--paper", "A5", "--out", "x.pdf",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("use A4, A3, A4-landscape or A3-landscape")
    );
    let bad = Command::new(common::bin())
        .args(["profile", "--kommune", "05966", "--out"])
        .arg(dir.path().join("x.docx"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad.stderr).contains("must end in .pdf or .md"));
}

#[test]
fn a_png_by_print_size_and_an_svg_with_text_as_paths() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("a4.png");
    let out = run(&[
        "export",
        "--preset",
        "abb16",
        "--paper",
        "A4",
        "--dpi",
        "150",
        "--out",
        path(&png),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1240×1754 px"));
    let (_, w, h) = decode(&std::fs::read(&png).unwrap());
    assert_eq!((w, h), (1240, 1754));
    let svg = dir.path().join("paths.svg");
    run(&[
        "export",
        "--preset",
        "abb16",
        "--text-as-paths",
        "--out",
        path(&svg),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(!text.contains("<text"), "text left in the SVG");
    assert!(text.contains("<path"));
    let svg = dir.path().join("font.svg");
    run(&[
        "export",
        "--preset",
        "abb16",
        "--embed-font",
        "--out",
        path(&svg),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    let start = text.find("base64,").expect("an embedded font") + 7;
    let end = start + text[start..].find(')').unwrap();
    assert!(
        end - start < 120_000,
        "the font is not subset: {} bytes",
        end - start
    );
    assert!(text.contains(">Abb. 16: Anteil der Bevölkerung"));
    roxmltree::Document::parse(&text).expect("well-formed SVG");
}
