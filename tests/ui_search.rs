//! UI tests with egui_kittest: the search box finds a Kommune by tolerant spelling and selects it.

mod common;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integrationsatlas::Level;
use integrationsatlas::ui::AtlasApp;

fn harness() -> Harness<'static, AtlasApp> {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    harness
}

fn search_for(harness: &mut Harness<'static, AtlasApp>, text: &str) {
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Suche");
    field.focus();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Suche")
        .type_text(text);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn typing_koln_and_enter_selects_koeln_05315000() {
    let mut harness = harness();
    search_for(&mut harness, "Koln");
    let app = harness.state();
    assert_eq!(app.selected_ags().unwrap().as_str(), "05315000");
    assert_eq!(app.level, Level::Gemeinde);
    // The info panel shows the selected Kommune.
    harness.get_by_label("1.087.863");
}

#[test]
fn typing_muelheim_selects_muelheim_an_der_ruhr() {
    let mut harness = harness();
    search_for(&mut harness, "Muelheim");
    assert_eq!(harness.state().selected_ags().unwrap().as_str(), "05117000");
}

#[test]
fn typing_a_kreis_ags_switches_to_kreis_level() {
    let mut harness = harness();
    search_for(&mut harness, "05966");
    let app = harness.state();
    assert_eq!(app.selected_ags().unwrap().as_str(), "05966");
    assert_eq!(app.level, Level::Kreis);
    harness.get_by_label("Attendorn");
}

#[test]
fn level_switch_shows_kreise() {
    let mut harness = harness();
    harness.get_by_label("Kreise").click();
    harness.run();
    assert_eq!(harness.state().level, Level::Kreis);
}

#[test]
fn choosing_a_field_shows_its_legend() {
    let mut harness = harness();
    harness.get_by_label("Kreise").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Merkmal")
        .click();
    harness.run();
    harness.get_by_label("Einwohner 31.12.2019").click();
    harness.run();
    harness.run();
    assert_eq!(
        harness.state().thematic.field.as_deref(),
        Some("population")
    );
    // Jenks, 5 classes: the first class of the legend and its count.
    harness.get_by_label("111.338 – 227.417");
    harness.get_by_label("(14)");
    harness.get_by_label("Natürliche Brüche (Jenks), 5 Klassen");
}

#[test]
fn importing_own_sites_runs_in_the_background_and_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("beratung.csv");
    std::fs::write(
        &path,
        "name;typ;lon;lat;ags\nBeratung Dom;MBE;6,9583;50,9413;\nBeratung Olpe;MBE;;;05966024\n",
    )
    .unwrap();
    let mut harness = harness();
    harness.state_mut().site_layers.import_path = path.to_string_lossy().into_owned();
    harness.get_by_label("Importieren").click();
    harness.step();
    // The worker thread reads the file while the window keeps drawing frames.
    for _ in 0..200 {
        if harness
            .state()
            .site_layers
            .visible
            .contains(&integrationsatlas::sites::SiteType::Mbe)
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    harness.run();
    let report = harness.state().site_layers.import_report.clone();
    assert!(
        report[0].contains("2 Standorte geladen, 1 davon am Sitz der Kommune platziert"),
        "{report:?}"
    );
    harness.get_by_label(&report[0]);
    harness.get_by_label_contains("MBE – Migrationsberatung für Erwachsene (2)");
}
