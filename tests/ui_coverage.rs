//! UI test with egui_kittest: the coverage analysis runs on a worker thread; the window stays
//! live while it runs and takes the report over when it is done.

mod common;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integrationsatlas::Level;
use integrationsatlas::ui::AtlasApp;

#[test]
fn coverage_of_kreis_olpe_arrives_from_the_worker_and_zooms_to_it() {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Kommune");
    field.focus();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Kommune")
        .type_text("Kreis Olpe");
    harness.run();
    harness.get_by_label("Analysieren").click();
    for _ in 0..600 {
        harness.step();
        if harness.state().coverage.report.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run();
    let app = harness.state();
    let report = app.coverage.report.as_ref().expect("the analysis finished");
    assert_eq!(report.spec.kommune.as_str(), "05966");
    let own = report
        .gemeinden
        .iter()
        .filter(|g| g.ags.starts_with("05966"))
        .count();
    assert_eq!(own, 7, "the 7 Gemeinden of Kreis Olpe");
    assert_eq!(app.level, Level::Gemeinde);
    assert_eq!(app.selected_ags().unwrap().as_str(), "05966");
}

#[test]
fn an_empty_kommune_field_asks_for_one_in_the_window_language() {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    harness.get_by_label("Analysieren").click();
    harness.run();
    let error = harness.state().coverage.error.clone().unwrap_or_default();
    assert!(error.starts_with("Bitte eine Kommune eingeben"), "{error}");
    assert!(harness.state().coverage.report.is_none());
}
