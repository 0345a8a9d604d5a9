//! Map snapshots: PNG pixels, SVG structure, presets and failures.

mod common;

use std::process::Command;

use integrationsatlas::cartography::choropleth::{ChoroplethSpec, build};
use integrationsatlas::cartography::scene::Scene;
use integrationsatlas::data::thematic::load_indicators;
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;
use integrationsatlas::render::{ExportError, ExportJob};
use integrationsatlas::sites::registry::load_registry;
use integrationsatlas::sites::{SiteSet, SiteType};

fn scene(level: Level, field: &str) -> Scene {
    let atlas = common::atlas();
    let indicators = load_indicators(&atlas, &common::bundled_dir()).unwrap();
    let spec = ChoroplethSpec {
        level,
        field: field.into(),
        ..ChoroplethSpec::default()
    };
    let map = build(&atlas, &indicators, &spec, Lang::De).unwrap();
    Scene::base(&atlas, level, Lang::De).with_choropleth(&map)
}

fn job<'a>(
    atlas: &'a integrationsatlas::Atlas,
    scene: &'a Scene,
    sites: &'a SiteSet,
    types: Vec<SiteType>,
) -> ExportJob<'a> {
    ExportJob {
        atlas,
        scene,
        sites,
        site_types: types,
        focus: None,
        extent: None,
        width: 1600,
        height: 1200,
        lang: Lang::De,
        date: "2026-11-26".into(),
    }
}

fn decode(png: &[u8]) -> (Vec<u8>, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    (pixels, info.width)
}

#[test]
fn png_pixel_in_koeln_has_koelns_class_colour_and_outside_is_background() {
    let scene = scene(Level::Gemeinde, "density");
    let sites = SiteSet::default();
    let atlas = common::atlas();
    let job = job(&atlas, &scene, &sites, vec![]);
    let (pixels, width) = decode(&job.png().unwrap());
    let layout = job.layout();
    let koeln = atlas
        .id_of(&integrationsatlas::Ags::parse("05315000").unwrap())
        .unwrap();
    let pixel = |x: f64, y: f64| {
        let (px, py) = layout.px(x, y);
        let i = (py as usize * width as usize + px as usize) * 4;
        [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
    };
    // Köln's centre point (VG250, EPSG:25832).
    assert_eq!(pixel(356_463.9, 5_644_929.5), scene.fills[koeln.index]);
    // 20 km west of Aachen lies Belgium: the map background.
    let bounds = atlas.bounds();
    assert_eq!(
        pixel(bounds.min().x + 1_000.0, bounds.max().y - 1_000.0),
        scene.style.background
    );
}

#[test]
fn svg_parses_with_one_shape_per_region_and_the_legend_texts() {
    let scene = scene(Level::Gemeinde, "population");
    let (sites, _) = load_registry(&common::bundled_dir()).unwrap();
    let atlas = common::atlas();
    let job = job(&atlas, &scene, &sites, vec![SiteType::Ki, SiteType::Abh]);
    let svg = job.svg().unwrap();
    let document = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let regions = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("region"))
        .count();
    assert_eq!(regions, 396);
    let texts: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    let legend = scene.legend.as_ref().unwrap();
    for entry in &legend.entries {
        assert!(
            texts.contains(&entry.label.as_str()),
            "legend label {} missing",
            entry.label
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Kommunales Integrationszentrum (54)"))
    );
    assert!(texts.iter().any(|t| t.contains("Geobasis NRW")));
    assert!(texts.contains(&"N"));
    let swatches = document
        .descendants()
        .filter(|n| n.attribute("class") == Some("legend-swatch"))
        .count();
    assert_eq!(swatches, legend.entries.len());
}

use common::bin;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .env_remove("INTEGRATIONSATLAS_DATA")
        .output()
        .unwrap()
}

/// The SVG of a preset exported in English into `dir`.
fn english_svg(dir: &std::path::Path, preset: &str) -> String {
    let out = dir.join(format!("{preset}-en.svg"));
    let output = run(&[
        "--lang",
        "en",
        "export",
        "--preset",
        preset,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn presets_export_to_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    for preset in ["abb5", "abb14", "abb15", "abb16"] {
        for ext in ["png", "svg"] {
            let out = dir.path().join(format!("{preset}.{ext}"));
            let output = run(&[
                "export",
                "--preset",
                preset,
                "--out",
                out.to_str().unwrap(),
                "--width",
                "800",
                "--height",
                "600",
            ]);
            assert!(output.status.success(), "{preset}.{ext}: {output:?}");
            let bytes = std::fs::read(&out).unwrap();
            assert!(
                bytes.len() > 10_000,
                "{preset}.{ext} is only {} bytes",
                bytes.len()
            );
        }
    }
    let svg = std::fs::read_to_string(dir.path().join("abb14.svg")).unwrap();
    assert!(svg.contains("Abb. 14: Gebietsfläche (ha) der Kreise und kreisfreien Städte"));
    // The preset's note on how it differs from the report stands in the legend.
    assert!(svg.contains("Gutachten: IT.NRW"));
    let english = english_svg(dir.path(), "abb15");
    assert!(english.contains("Fig. 15: Population"));
    assert!(english.contains("Report: IT.NRW") && !english.contains("Gutachten:"));
    let english_ki = english_svg(dir.path(), "abb5");
    assert!(english_ki.contains("KI – Municipal integration centre (54)"));
    // Site positions are BKG's points: their licence's attribution is on the map.
    assert!(english_ki.contains("GeoBasis-DE"));
}

#[test]
fn export_into_a_missing_folder_fails_cleanly() {
    let output = run(&[
        "export",
        "--preset",
        "abb15",
        "--out",
        "/no/such/folder/karte.png",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("/no/such/folder") && err.contains("create it or choose an existing folder"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("karte.jpg");
    let output = run(&[
        "export",
        "--preset",
        "abb15",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&output.stderr).contains(".png, .svg or .pdf"));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial files"
    );
}

#[test]
fn absurd_sizes_are_refused() {
    let scene = scene(Level::Kreis, "population");
    let sites = SiteSet::default();
    let atlas = common::atlas();
    let mut job = job(&atlas, &scene, &sites, vec![]);
    job.width = 10;
    assert!(matches!(job.svg(), Err(ExportError::BadSize(10, 1200))));
}

#[test]
fn the_extreme_allowed_sizes_render() {
    let scene = scene(Level::Gemeinde, "density");
    let atlas = common::atlas();
    let dir = common::bundled_dir();
    let (sites, _) = integrationsatlas::sites::registry::load_registry(&dir).unwrap();
    let mut job = job(&atlas, &scene, &sites, vec![SiteType::Ki]);
    for (width, height) in [(400, 400), (400, 8000), (8000, 400)] {
        job.width = width;
        job.height = height;
        let (_, decoded_width) = decode(&job.png().unwrap());
        assert_eq!(decoded_width, width);
        assert!(job.svg().is_ok(), "{width}×{height}");
    }
}

#[test]
fn every_text_of_the_svg_is_cleaned_and_escaped_and_the_png_renders() {
    let mut scene = scene(Level::Kreis, "population");
    scene.title = Some("Eigene Karte\u{1} <&>".into());
    scene.attribution = format!("{} <GeoBasis>\u{1b} & \"Partner\"", scene.attribution);
    let legend = scene.legend.as_mut().unwrap();
    legend.title = "Spalte \"Anteil <%>\"\u{7} & mehr".into();
    legend.entries[0].label = "bis 10\u{0} <unten>".into();
    legend.note = Some("Hinweis\u{8}: A & B".into());
    legend.source = "eigene.csv <Zeile 2>".into();
    let sites = SiteSet::default();
    let atlas = common::atlas();
    let job = job(&atlas, &scene, &sites, vec![]);
    let svg = job.svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    let joined = texts.join(" ");
    for expected in [
        "Eigene Karte <&>",
        "Spalte \"Anteil <%>\" & mehr",
        "bis 10 <unten>",
        "Hinweis: A & B",
        "Quelle: eigene.csv <Zeile 2>",
        "<GeoBasis> & \"Partner\"",
    ] {
        assert!(joined.contains(expected), "{expected} in {texts:?}");
    }
    assert!(!svg.contains('\u{1}') && !svg.contains('\u{7}') && !svg.contains('\u{1b}'));
    assert!(job.png().is_ok(), "the PNG's furniture parses too");
    let warnings = job.warnings(Lang::En);
    assert!(
        warnings
            .contains(&"title contained control characters (U+0001); they were removed".to_owned()),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("legend contained control characters (U+0007, U+0008, U+0000)")),
        "{warnings:?}"
    );
}
