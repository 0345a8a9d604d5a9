//! One composition point: the window (its canvas and its export dialog) and the command line's
//! `export` build the same scene for the same map — the scene comes from
//! `MapRequest::scene` in the core in every case.

mod common;

use clap::Parser as _;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use integrationsatlas::Level;
use integrationsatlas::cartography::request::{MapRequest, compose};
use integrationsatlas::cartography::scene::Scene;
use integrationsatlas::cli::{Cli, Command, Context, commands::export_request};
use integrationsatlas::sites::SiteType;
use integrationsatlas::ui::AtlasApp;

/// The window after a click on a report figure's button: the canvas scene and the scene its
/// export dialog would write.
fn window_scenes(button: &str) -> (MapRequest, Scene, Scene) {
    let atlas = common::atlas();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_eframe(move |_cc| AtlasApp::with_atlas(atlas));
    harness.run();
    harness.get_by_label(button).click();
    harness.run();
    harness.run();
    let app = harness.state();
    let canvas = app.canvas_scene().expect("the atlas is loaded");
    let export = app.export_snapshot().expect("the map was drawn").scene();
    (app.map_request(), canvas, export)
}

/// The scene of `integrationsatlas --lang de export <flags>` on the bundled data.
fn cli_scene(flags: &[&str]) -> (MapRequest, Scene) {
    let data = common::bundled_dir();
    let mut argv = vec![
        "integrationsatlas",
        "--data",
        data.to_str().unwrap(),
        "--lang",
        "de",
        "export",
        "--out",
        "unused.png",
    ];
    argv.extend_from_slice(flags);
    let cli = Cli::try_parse_from(argv).unwrap();
    let Some(Command::Export(args)) = &cli.command else {
        panic!("not an export");
    };
    let ctx = Context::open(&cli).unwrap();
    let request = export_request(&ctx, args).unwrap();
    let scene = compose(&ctx.atlas, &ctx.indicators, &request).unwrap();
    (request, scene)
}

#[test]
fn window_canvas_export_dialog_and_cli_compose_abb16_alike() {
    let (window, canvas, dialog) = window_scenes("Abb. 16");
    // The window shows the names at Kreis level: the command line's --labels.
    let (request, cli) = cli_scene(&["--preset", "abb16", "--sites", "KI", "--labels"]);
    assert_eq!(
        window, request,
        "the same request from the window's state and the flags"
    );
    assert_eq!(request.scene_level(), Level::Kreis);
    assert_eq!(canvas.level, Level::Kreis);
    assert_eq!(canvas.fills.len(), 53);
    assert!(
        canvas
            .legend
            .as_ref()
            .and_then(|l| l.note.as_deref())
            .is_some_and(|n| n.contains("Zensus 2022"))
    );
    assert_eq!(
        canvas, dialog,
        "the export dialog writes what the canvas shows"
    );
    assert_eq!(
        canvas, cli,
        "the command line exports what the window shows"
    );
}

#[test]
fn abb5_is_offered_in_the_window_and_matches_the_cli() {
    let (window, canvas, dialog) = window_scenes("Abb. 5");
    let (request, cli) = cli_scene(&["--preset", "abb5", "--labels"]);
    assert_eq!(window, request);
    assert_eq!(request.site_types, vec![SiteType::Ki]);
    assert_eq!(canvas.level, Level::Kreis);
    assert!(canvas.legend.is_none());
    assert_eq!(
        canvas.title.as_deref(),
        Some("Abb. 5: Verteilung der KI in NRW")
    );
    assert_eq!(canvas, dialog);
    assert_eq!(canvas, cli);
}
