//! Project files: `export --project` renders a saved project headless (with its site import by
//! address), bad project files get clear errors, a newer version or a missing/changed input
//! opens all it can; in the window the state is autosaved, survives a killed process and is
//! offered for restoring; site edits with undo/redo move what the analysis uses.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use integrationsatlas::Level;
use integrationsatlas::project::Project;
use integrationsatlas::project::store::{AUTOSAVE_FILE, leftover_autosave};
use integrationsatlas::sites::edits::Edit;
use integrationsatlas::ui::AtlasApp;

fn run(args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .output()
        .expect("binary runs")
}

const OFFICES: &str = "Name;Straße;Hausnummer;PLZ;Ort\nABH Köln;Blumenthalstraße;33;50670;Köln\nBüro Olpe;Franziskanerstraße;6;57462;Olpe\n";

fn project_text(imports_sha: &str) -> String {
    format!(
        r#"{{
  "format": "integrationsatlas-project",
  "version": 1,
  "level": "kreis",
  "theme": {{"level": "kreis", "field": "foreign_share_pct", "method": "quantile", "classes": 5}},
  "sites": {{"visible": ["ABH", "EIGEN"], "imports": [{{"path": "buero.csv", "sha256": "{imports_sha}", "default_type": "EIGEN"}}]}},
  "selection": "05966"
}}"#
    )
}

fn folder_with_project(sha: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("buero.csv"), OFFICES).unwrap();
    std::fs::write(dir.path().join("p.atlas.json"), project_text(sha)).unwrap();
    dir
}

fn export(dir: &Path, project: &str, out: &str) -> Output {
    run(&[
        "export",
        "--project",
        dir.join(project).to_str().unwrap(),
        "--out",
        dir.join(out).to_str().unwrap(),
        "--width",
        "600",
        "--height",
        "450",
    ])
}

#[test]
fn export_project_renders_the_saved_map_with_its_postcode_sites() {
    let sha = integrationsatlas::project::references::sha256_hex(OFFICES.as_bytes());
    let dir = folder_with_project(&sha);
    let out = export(dir.path(), "p.atlas.json", "karte.svg");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let svg = std::fs::read_to_string(dir.path().join("karte.svg")).unwrap();
    assert!(svg.contains("Ausländeranteil"), "the project's theme");
    assert!(
        svg.contains("OpenStreetMap contributors, ODbL"),
        "PLZ-placed sites carry ODbL"
    );
    let out = export(dir.path(), "p.atlas.json", "karte.png");
    assert!(out.status.success());
    let png = std::fs::read(dir.path().join("karte.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn a_missing_or_changed_input_is_said_and_the_rest_renders() {
    let dir = folder_with_project(&"0".repeat(64));
    let out = export(dir.path(), "p.atlas.json", "k.svg");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("changed since the project was saved")
            && stderr.contains("opened as it is now"),
        "{stderr}"
    );
    std::fs::remove_file(dir.path().join("buero.csv")).unwrap();
    let out = export(dir.path(), "p.atlas.json", "k2.svg");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("buero.csv: not found") && stderr.contains("skipped"),
        "{stderr}"
    );
    assert!(dir.path().join("k2.svg").is_file());
}

#[test]
fn bad_project_files_are_refused_with_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("csv.atlas.json", "ags;wert\n05315000;1\n");
    write(
        "geo.atlas.json",
        r#"{"type": "FeatureCollection", "features": []}"#,
    );
    let full = project_text("");
    write("cut.atlas.json", &full[..full.len() / 2]);
    let cases = [
        (
            "csv.atlas.json",
            "not an Integrationsatlas project file: no JSON",
        ),
        (
            "geo.atlas.json",
            "not an Integrationsatlas project file: it has no \"format\"",
        ),
        ("cut.atlas.json", "the project file is truncated"),
        ("none.atlas.json", "cannot read"),
    ];
    for (name, expected) in cases {
        let out = export(dir.path(), name, "x.png");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(name) && stderr.contains(expected),
            "{name}: {stderr}"
        );
        assert!(!dir.path().join("x.png").exists());
    }
    let out = run(&[
        "--project",
        dir.path().join("none.atlas.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("none.atlas.json: file not found"));
}

#[test]
fn a_newer_version_renders_what_it_can_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("neu.atlas.json"),
        r#"{"format": "integrationsatlas-project", "version": 3, "level": "kreis",
            "annotations": {"size": 12}, "theme": {"level": "kreis", "field": "density", "method": "fuzzy"}}"#,
    )
    .unwrap();
    let out = export(dir.path(), "neu.atlas.json", "neu.svg");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("written by a newer version (3"), "{stderr}");
    assert!(
        stderr.contains("\"annotations\": written by version 3"),
        "{stderr}"
    );
    assert!(
        stderr.contains("unknown method \"fuzzy\"; the theme is skipped"),
        "{stderr}"
    );
}

// ---- the window: autosave, kill, restore; site edits ----

fn harness_in(home: &Path, every: Duration) -> Harness<'static, AtlasApp> {
    let atlas = common::atlas();
    let home = home.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_eframe(move |_cc| {
            let mut app = AtlasApp::with_atlas(atlas);
            app.project.user_dir = Some(home);
            app.project.autosave_every = every;
            app
        });
    harness.run();
    harness
}

fn wait_for(
    harness: &mut Harness<'static, AtlasApp>,
    what: &str,
    done: impl Fn(&AtlasApp) -> bool,
) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
        harness.run();
    }
}

fn olpe_abh(app: &AtlasApp) -> (String, f64, f64) {
    let site = app
        .current_sites()
        .unwrap()
        .sites
        .iter()
        .find(|s| s.id == "ABH-05966")
        .expect("ABH of Kreis Olpe");
    (site.precision.clone(), site.x, site.y)
}

#[test]
fn edits_are_autosaved_and_restored_after_the_window_is_gone() {
    let home = tempfile::tempdir().unwrap();
    let mut harness = harness_in(home.path(), Duration::from_millis(0));
    let (_, x, y) = olpe_abh(harness.state());
    harness.state_mut().level = Level::Kreis;
    harness.state_mut().site_editor.enabled = true;
    let moved = harness
        .state_mut()
        .apply_site_edit(Edit::Move {
            id: "ABH-05966".into(),
            x: x + 1_500.0,
            y: y + 700.0,
        })
        .unwrap();
    assert_eq!(moved, "ABH-05966");
    assert_eq!(
        olpe_abh(harness.state()),
        ("manual".to_owned(), x + 1_500.0, y + 700.0)
    );
    let refused = harness
        .state_mut()
        .apply_site_edit(Edit::Change {
            id: "ABH-05966".into(),
            name: " ".into(),
            site_type: integrationsatlas::sites::SiteType::Abh,
            details: Default::default(),
        })
        .unwrap_err();
    assert!(refused.contains("braucht einen Namen"), "{refused}");
    // Nearest ABH from the new point: the moved site at distance 0.
    let sites = harness.state().current_sites().unwrap();
    let hit = sites
        .nearest_one(
            &integrationsatlas::sites::SiteType::Abh,
            x + 1_500.0,
            y + 700.0,
        )
        .unwrap();
    assert_eq!((hit.site.id.as_str(), hit.distance_km), ("ABH-05966", 0.0));

    let autosave = home.path().join(AUTOSAVE_FILE);
    let start = Instant::now();
    while !autosave.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no autosave written"
        );
        std::thread::sleep(Duration::from_millis(50));
        harness.run();
    }
    std::thread::sleep(Duration::from_millis(300));
    drop(harness); // as if the process died: no normal close, the autosave stays

    let left = leftover_autosave(home.path()).unwrap().unwrap().project;
    assert_eq!(left.level, "kreis");
    assert!(left.sites.edits.sites.contains_key("ABH-05966"));

    let mut harness = harness_in(home.path(), Duration::from_millis(0));
    wait_for(&mut harness, "the restore offer", |app| {
        app.project.restore_offer.is_some()
    });
    harness.state_mut().project.accept_restore();
    wait_for(&mut harness, "the restored state", |app| {
        app.level == Level::Kreis
    });
    wait_for(&mut harness, "the restored edits", |app| {
        olpe_abh(app).0 == "manual"
    });
    assert_eq!(
        olpe_abh(harness.state()),
        ("manual".to_owned(), x + 1_500.0, y + 700.0)
    );
    // Undo and redo with the keyboard.
    harness.state_mut().site_editor.enabled = true;
    harness.run();
    let _ = harness.state_mut().apply_site_edit(Edit::Move {
        id: "ABH-05966".into(),
        x,
        y,
    });
    assert_eq!(olpe_abh(harness.state()).1, x);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(
        olpe_abh(harness.state()).1,
        x + 1_500.0,
        "Ctrl+Z undoes the move"
    );
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(olpe_abh(harness.state()).1, x, "Ctrl+Shift+Z redoes it");
}

/// Run only as the child of [`a_killed_process_leaves_an_autosave_that_restores`]: writes the
/// autosave of a changing state until it is killed.
#[test]
#[ignore = "a child process of another test"]
fn child_keeps_autosaving_until_killed() {
    let Some(home) = std::env::var_os("ATLAS_TEST_CHILD_HOME") else {
        return;
    };
    let mut saver =
        integrationsatlas::project::store::Autosaver::every(Path::new(&home), Duration::ZERO);
    let mut project = Project {
        level: "bezirk".to_owned(),
        ..Project::default()
    };
    for n in 0u32.. {
        project.title = Some(format!("Stand {n}"));
        saver.tick(Instant::now(), &project).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_killed_process_leaves_an_autosave_that_restores() {
    let home = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "--ignored",
            "--exact",
            "child_keeps_autosaving_until_killed",
            "--nocapture",
        ])
        .env("ATLAS_TEST_CHILD_HOME", home.path())
        .spawn()
        .unwrap();
    let autosave: PathBuf = home.path().join(AUTOSAVE_FILE);
    let start = Instant::now();
    while !autosave.is_file() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the child wrote no autosave"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap(); // SIGKILL, mid-write or not
    child.wait().unwrap();
    let left = leftover_autosave(home.path())
        .expect("an autosave")
        .expect("it parses whole");
    assert_eq!(left.project.level, "bezirk");
    assert!(left.project.title.unwrap().starts_with("Stand "));
    let leftovers: Vec<_> = std::fs::read_dir(home.path()).unwrap().collect();
    assert!(
        leftovers.len() <= 2,
        "at most the autosave and one temporary file"
    );

    let mut harness = harness_in(home.path(), Duration::from_secs(3600));
    wait_for(&mut harness, "the restore offer", |app| {
        app.project.restore_offer.is_some()
    });
    harness.state_mut().project.accept_restore();
    wait_for(&mut harness, "the restored level", |app| {
        app.level == Level::Bezirk
    });
}

#[test]
fn a_saved_edit_layer_is_read_by_the_site_import_with_its_attributes() {
    use integrationsatlas::sites::edits::{EditLayer, EditedSite};
    let dir = tempfile::tempdir().unwrap();
    let mut layer = EditLayer::default();
    layer.sites.insert(
        "MANUELL-1".into(),
        EditedSite {
            id: "MANUELL-1".into(),
            site_type: "ABH".into(),
            name: "ABH Olpe, Kreishaus".into(),
            kommune_ags: "05966024".into(),
            lon: 7.8432,
            lat: 51.0289,
            x: 0.0,
            y: 0.0,
            precision: "manual".into(),
            ..EditedSite::default()
        },
    );
    let path = dir.path().join("bearbeitungen.geojson");
    layer.save(&path).unwrap();
    let out = run(&["sites", "--import", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let row = stdout.lines().nth(1).unwrap();
    assert!(
        row.contains(",ABH,ABH Olpe, Kreishaus,") || row.contains(",ABH,\"ABH Olpe, Kreishaus\","),
        "{row}"
    );
    assert!(row.contains(",05966024,"), "{row}");
}

#[test]
fn labels_grid_and_suggest_settings_survive_save_and_open() {
    use integrationsatlas::analysis::site_selection::Weight;
    use integrationsatlas::sites::SiteType;
    use integrationsatlas::ui::grid_layer::GridMode;
    use integrationsatlas::ui::project_settings;
    let atlas = common::atlas();
    let mut app = AtlasApp::with_atlas(atlas.clone());
    app.views.names[Level::Gemeinde.index()] = Some(true);
    app.views.names[Level::Kreis.index()] = Some(false);
    app.grid_layer.enabled = true;
    app.grid_layer.mode = GridMode::Access;
    app.grid_layer.site_type = Some(SiteType::Jc);
    app.grid_layer.threshold_km = 12.5;
    app.suggest.site_type = SiteType::Ki;
    app.suggest.radius_km = 7.5;
    app.suggest.new_sites = 4;
    app.suggest.weight = Weight::Auslaender;
    app.suggest.cells = true;
    app.suggest.area_text = "Kreis Olpe".to_owned();
    let mut project = Project::default();
    project_settings::capture(&app, &mut project);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.atlas.json");
    project.save(&path).unwrap();
    let opened = Project::open(&path).unwrap().project;
    assert_eq!(opened.labels.get("gemeinde"), Some(&true));
    assert_eq!(opened.labels.get("kreis"), Some(&false));
    assert_eq!(opened.grid.as_ref().unwrap().mode, "access");
    let mut fresh = AtlasApp::with_atlas(atlas);
    project_settings::apply(&mut fresh, &opened);
    assert!(fresh.views.names_on(Level::Gemeinde));
    assert!(!fresh.views.names_on(Level::Kreis));
    assert!(fresh.grid_layer.enabled);
    assert_eq!(fresh.grid_layer.mode, GridMode::Access);
    assert_eq!(fresh.grid_layer.site_type, Some(SiteType::Jc));
    assert_eq!(fresh.grid_layer.threshold_km, 12.5);
    assert_eq!(fresh.suggest.site_type, SiteType::Ki);
    assert_eq!(fresh.suggest.radius_km, 7.5);
    assert_eq!(fresh.suggest.new_sites, 4);
    assert_eq!(fresh.suggest.weight, Weight::Auslaender);
    assert!(fresh.suggest.cells);
    assert_eq!(fresh.suggest.area_text, "Kreis Olpe");
    // A file without these members (an older version) keeps the window's defaults.
    let old = Project::parse(
        Path::new("old.atlas.json"),
        br#"{"format":"integrationsatlas-project","version":1,"level":"kreis"}"#,
    )
    .unwrap()
    .project;
    assert!(old.labels.is_empty());
    assert!(old.grid.is_none() && old.suggest.is_none());
}
