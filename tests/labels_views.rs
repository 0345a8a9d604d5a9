//! Names on the map and the linked views: placed names never overlap and sit inside their region
//! (real Gemeinden and Kreise, three zooms); the scatter plot's r is the hand-computed one; a
//! rectangle brushed in the scatter plot selects the same regions in the table and on the map;
//! `export --labels` writes the names as SVG text.

mod common;

use std::process::Command;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use geo::Contains as _;
use integrationsatlas::Level;
use integrationsatlas::cartography::labels::{LabelLayer, ScreenFrame, boxes_intersect};
use integrationsatlas::ui::AtlasApp;

/// A 1280 × 860 frame centred on `center` at `px_per_m`.
fn frame(center: [f64; 2], px_per_m: f64) -> ScreenFrame {
    ScreenFrame {
        center,
        px_per_m,
        frame: [0.0, 0.0, 1280.0, 860.0],
    }
}

#[test]
fn placed_names_never_overlap_and_their_anchors_lie_in_their_regions() {
    let atlas = common::atlas();
    let nrw = atlas.bounds().center();
    let olpe = atlas
        .get(&integrationsatlas::Ags::parse("05966024").unwrap())
        .unwrap()
        .bbox
        .center();
    // All NRW, the Sauerland around Olpe, a few Gemeinden around Olpe.
    let zooms = [
        ([nrw.x, nrw.y], 0.0035),
        ([olpe.x, olpe.y], 0.012),
        ([olpe.x, olpe.y], 0.04),
    ];
    for level in [Level::Gemeinde, Level::Kreis] {
        let layer = LabelLayer::of(&atlas, level);
        assert_eq!(layer.candidates.len(), atlas.regions(level).len());
        for (center, px_per_m) in zooms {
            let placed = layer.place(&frame(center, px_per_m), 1.0);
            assert!(!placed.is_empty(), "{level:?} at {px_per_m}: no names");
            for (i, a) in placed.iter().enumerate() {
                for b in &placed[i + 1..] {
                    assert!(
                        !boxes_intersect(&a.rect, &b.rect),
                        "{level:?} at {px_per_m}: {} and {} overlap",
                        a.text,
                        b.text
                    );
                }
                let candidate = layer
                    .candidates
                    .iter()
                    .find(|c| c.region == a.region)
                    .unwrap();
                let (x, y) = (candidate.anchor.x, candidate.anchor.y);
                let region = &atlas.regions(level)[a.region];
                assert!(
                    region.geometry.contains(&geo::Point::new(x, y)),
                    "{} anchor outside",
                    region.name
                );
                assert_eq!(
                    atlas.locate_in(level, x, y).map(|id| id.index),
                    Some(a.region),
                    "{} anchor located elsewhere",
                    region.name
                );
            }
        }
    }
    // The most populous names win: Köln is placed on the whole-NRW map of the Kreise, and a
    // frame big enough for all NRW at a larger zoom holds more names than the small one.
    let kreise = LabelLayer::of(&atlas, Level::Kreis);
    let small = kreise.place(&frame([nrw.x, nrw.y], 0.0035), 1.0);
    assert!(small.iter().any(|p| p.text == "Köln"));
    let big = ScreenFrame {
        center: [nrw.x, nrw.y],
        px_per_m: 0.0105,
        frame: [0.0, 0.0, 3840.0, 2580.0],
    };
    let gemeinden = LabelLayer::of(&atlas, Level::Gemeinde);
    let few = gemeinden.place(&frame([nrw.x, nrw.y], 0.0035), 1.0).len();
    let many = gemeinden.place(&big, 1.0).len();
    assert!(
        many > few * 2,
        "{few} names at 0.0035 px/m, {many} at 0.0105 px/m"
    );
}

#[test]
fn the_scatter_r_of_the_kreise_equals_a_hand_computation() {
    let atlas = common::atlas();
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &common::bundled_dir()).unwrap();
    let x = indicators
        .get(Level::Kreis, "foreign_share_pct")
        .unwrap()
        .numeric();
    let y = indicators
        .get(Level::Kreis, "migration_background_pct")
        .unwrap()
        .numeric();
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(&y)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)))
        .collect();
    let n = pairs.len() as f64;
    let (sx, sy) = pairs
        .iter()
        .fold((0.0, 0.0), |(sx, sy), (a, b)| (sx + a, sy + b));
    let (sxx, syy, sxy) = pairs.iter().fold((0.0, 0.0, 0.0), |(xx, yy, xy), (a, b)| {
        (xx + a * a, yy + b * b, xy + a * b)
    });
    // r = (n Σxy − Σx Σy) / sqrt((n Σx² − (Σx)²)(n Σy² − (Σy)²))
    let by_hand = (n * sxy - sx * sy) / ((n * sxx - sx * sx) * (n * syy - sy * sy)).sqrt();
    let stats = integrationsatlas::analysis::correlation::correlate(&x, &y);
    assert_eq!(stats.pairs.regions.len(), 53);
    assert!(
        (stats.pearson.unwrap() - by_hand).abs() < 1e-9,
        "{stats:?} vs {by_hand}"
    );
    assert!(by_hand > 0.8, "{by_hand}");
    let line = stats.line.unwrap();
    let slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    assert!((line.slope - slope).abs() < 1e-9);
    assert!((line.intercept - (sy - slope * sx) / n).abs() < 1e-9);
}

#[test]
fn export_with_labels_writes_the_names_as_svg_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str, labels: bool| {
        let path = dir.path().join(name);
        let mut command = Command::new(common::bin());
        command
            .args(["export", "--level", "kreis", "--out"])
            .arg(&path)
            .env("SOURCE_DATE_EPOCH", "1704067200");
        if labels {
            command.arg("--labels");
        }
        let status = command.output().unwrap().status;
        assert!(status.success());
        std::fs::read_to_string(path).unwrap()
    };
    let svg = out("kreise.svg", true);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some("label"))
        .filter_map(|n| n.text())
        .collect();
    for name in ["Olpe", "Köln", "Hochsauerlandkreis", "Düsseldorf"] {
        assert!(names.contains(&name), "{name} missing in {names:?}");
    }
    let olpe = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some("Olpe"))
        .unwrap();
    assert_eq!(olpe.attribute("paint-order"), Some("stroke"));
    assert_eq!(olpe.attribute("stroke"), Some("#ffffff"));
    // Without the flag the export has no names (and stays as before).
    assert!(!out("plain.svg", false).contains("class=\"label\""));
    // The PNG carries them too (drawn from the same SVG text by resvg): it differs.
    let png = |labels: bool| {
        let path = dir.path().join(format!("k{labels}.png"));
        let mut command = Command::new(common::bin());
        command
            .args(["export", "--level", "kreis", "--out"])
            .arg(&path);
        if labels {
            command.arg("--labels");
        }
        assert!(command.output().unwrap().status.success());
        std::fs::read(path).unwrap()
    };
    assert_ne!(png(true), png(false));
}

/// A click at `pos` with `modifiers` held.
fn click_at(harness: &mut Harness<'static, AtlasApp>, pos: egui::Pos2, modifiers: egui::Modifiers) {
    harness.hover_at(pos);
    harness.run();
    harness.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run();
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run();
}

fn harness() -> Harness<'static, AtlasApp> {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    harness
}

#[test]
fn brushing_the_scatter_selects_the_same_kreise_in_table_and_map() {
    let mut harness = harness();
    harness.get_by_label("Kreise").click();
    harness.run();
    {
        let app = harness.state_mut();
        assert!(
            app.views.names_on(Level::Kreis),
            "names are on at Kreis level"
        );
        app.views.show_scatter = true;
        app.views.show_table = true;
    }
    harness.run();
    let plot = harness
        .get_by_role_and_label(egui::accesskit::Role::Canvas, "Streudiagramm")
        .rect();
    // The upper right part of the plot: the Kreise with the highest shares.
    let from = plot.lerp_inside(egui::vec2(0.55, 0.05));
    let to = plot.lerp_inside(egui::vec2(0.98, 0.45));
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for t in [0.3, 0.6, 1.0] {
        harness.hover_at(from + (to - from) * t);
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
    harness.run();

    let atlas = common::atlas();
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &common::bundled_dir()).unwrap();
    let app = harness.state();
    let rect = app
        .views
        .scatter
        .last_brush
        .expect("a rectangle was brushed");
    let x = indicators
        .get(Level::Kreis, "foreign_share_pct")
        .unwrap()
        .numeric();
    let y = indicators
        .get(Level::Kreis, "migration_background_pct")
        .unwrap()
        .numeric();
    let expected: Vec<usize> = (0..53)
        .filter(|&i| {
            let (Some(a), Some(b)) = (x[i], y[i]) else {
                return false;
            };
            (rect[0]..=rect[2]).contains(&a) && (rect[1]..=rect[3]).contains(&b)
        })
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < 53,
        "{rect:?}: {expected:?}"
    );
    // The map shares the selection (it outlines these regions) …
    assert_eq!(app.views.selection.level(), Level::Kreis);
    assert_eq!(app.views.selection.indices(), expected);
    // … and the table highlights exactly these rows.
    let mut highlighted = app.views.table.highlighted.clone();
    highlighted.sort_unstable();
    assert_eq!(highlighted, expected);
    // A highlighted row is drawn selected (screen readers see it toggled on).
    let names: Vec<String> = expected
        .iter()
        .map(|&i| atlas.regions(Level::Kreis)[i].name.clone())
        .collect();
    let visible_selected = names
        .iter()
        .filter(|name| {
            harness
                .query_all_by_label(name)
                .any(|n| n.accesskit_node().toggled() == Some(egui::accesskit::Toggled::True))
        })
        .count();
    assert!(
        visible_selected > 0,
        "no selected row visible for {names:?}"
    );

    // Clearing from the bar empties it everywhere.
    harness.get_by_label("Aufheben").click();
    harness.run();
    assert!(harness.state().views.selection.is_empty());
    assert!(harness.state().views.table.highlighted.is_empty());
}

#[test]
fn shift_clicks_on_the_map_add_regions_and_the_list_is_written() {
    let mut harness = harness();
    harness.get_by_label("Kreise").click();
    harness.run();
    let atlas = common::atlas();
    let map_rect = |harness: &Harness<'static, AtlasApp>| {
        harness
            .get_by_role_and_label(egui::accesskit::Role::Canvas, "Karte")
            .rect()
    };
    let first = map_rect(&harness).lerp_inside(egui::vec2(0.5, 0.5));
    click_at(&mut harness, first, egui::Modifiers::NONE);
    assert_eq!(harness.state().views.selection.len(), 1);
    // Shift+click on another Kreis adds it.
    let second = map_rect(&harness).lerp_inside(egui::vec2(0.7, 0.3));
    click_at(&mut harness, second, egui::Modifiers::SHIFT);
    let selected = harness.state().views.selection.indices();
    assert_eq!(selected.len(), 2, "{selected:?}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("auswahl.csv");
    {
        let app = harness.state_mut();
        app.views.show_selection_export = true;
        app.views.selection_export.path_text = path.to_string_lossy().into_owned();
    }
    harness.run();
    harness.get_by_label("Schreiben").click();
    for _ in 0..200 {
        harness.step();
        if path.exists() && !harness.state().views.selection_export.is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "ags,name");
    assert_eq!(lines.len(), 3, "{text}");
    for &i in &selected {
        let region = &atlas.regions(Level::Kreis)[i];
        assert!(
            text.contains(&format!("{},{}", region.ags, region.name)),
            "{text}"
        );
    }
}

#[test]
fn clicking_a_histogram_bar_selects_its_kreise() {
    let mut harness = harness();
    harness.get_by_label("Kreise").click();
    harness.run();
    {
        let app = harness.state_mut();
        app.thematic.field = Some("population".to_owned());
        app.views.show_histogram = true;
        app.views.show_table = true;
    }
    harness.run();
    let plot = harness
        .get_by_role_and_label(egui::accesskit::Role::Canvas, "Histogramm")
        .rect();
    click_at(
        &mut harness,
        plot.lerp_inside(egui::vec2(0.3, 0.5)),
        egui::Modifiers::NONE,
    );
    let atlas = common::atlas();
    let population: Vec<Option<f64>> = atlas
        .regions(Level::Kreis)
        .iter()
        .map(|r| Some(r.population as f64))
        .collect();
    let bins = integrationsatlas::analysis::histogram::default_bins(53);
    let hist = integrationsatlas::analysis::histogram::histogram(&population, bins).unwrap();
    let app = harness.state();
    let selected = app.views.selection.indices();
    assert!(!selected.is_empty());
    assert!(
        hist.members.contains(&selected),
        "{selected:?} is no bin of {:?}",
        hist.members
    );
    let mut highlighted = app.views.table.highlighted.clone();
    highlighted.sort_unstable();
    assert_eq!(highlighted, selected);
}
