//! UI tests with egui_kittest: an own table ("Eigene Daten") is read and joined on a worker
//! thread; the window takes the indicator over and shows it in the legend, and a missing file
//! gives a German error.

mod common;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integrationsatlas::ui::AtlasApp;

fn harness() -> Harness<'static, AtlasApp> {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 1000.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    harness
}

/// Types `path` into the own-data field and clicks "Lesen".
fn read_file(harness: &mut Harness<'static, AtlasApp>, path: &str) {
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Tabellendatei");
    field.focus();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Tabellendatei")
        .type_text(path);
    harness.run();
    harness.get_by_label("Lesen").click();
    wait_for_worker(harness);
}

/// Steps the window until the own-data worker has finished (at most about 12 s).
fn wait_for_worker(harness: &mut Harness<'static, AtlasApp>) {
    harness.step();
    for _ in 0..600 {
        if !harness.state().own_import().is_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        harness.step();
    }
    assert!(
        !harness.state().own_import().is_running(),
        "worker finished"
    );
    harness.run();
}

#[test]
fn an_own_csv_is_read_and_joined_on_the_worker_and_shows_in_the_legend() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quote.csv");
    std::fs::write(
        &path,
        "AGS;Quote\n05315000;12,5\n05111000;7,25\n05113000;9,5\n05913000;14,75\n\
         05911000;3,5\n05112000;11,25\n05124000;6,5\n05711000;8,75\n05515000;4,25\n05314000;10,5\n",
    )
    .unwrap();
    let mut harness = harness();
    read_file(&mut harness, path.to_str().unwrap());
    {
        let import = harness.state().own_import();
        let table = import.table.as_ref().expect("the table was read");
        assert_eq!(table.rows.len(), 10);
        assert_eq!(import.key_column, "AGS");
        assert_eq!(import.value_column, "Quote");
    }
    harness.get_by_label("Auf Karte zeigen").click();
    wait_for_worker(&mut harness);
    let app = harness.state();
    assert_eq!(app.thematic.field.as_deref(), Some("own:Quote"));
    let scene = app.canvas_scene().expect("loaded");
    let legend = scene.legend.expect("the own data has a legend");
    assert!(
        legend.title.starts_with("Quote (eigene Daten)"),
        "{}",
        legend.title
    );
    let counted: usize = legend.entries.iter().map(|e| e.count).sum();
    assert_eq!(counted, 10, "the 10 joined Gemeinden are in the classes");
    assert!(legend.source.contains("quote.csv"), "{}", legend.source);
}

#[test]
fn a_missing_own_file_shows_a_german_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fehlt.csv");
    let mut harness = harness();
    read_file(&mut harness, path.to_str().unwrap());
    let import = harness.state().own_import();
    assert!(import.table.is_none());
    let message = import.report.first().cloned().unwrap_or_default();
    assert_eq!(
        message,
        format!(
            "{}: kann nicht gelesen werden: Datei nicht gefunden: bitte den Pfad prüfen",
            path.display()
        )
    );
    harness.get_by_label(&message);
}
