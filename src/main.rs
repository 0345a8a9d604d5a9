//! The `integrationsatlas` binary: no subcommand opens the map window, a subcommand runs headless.
//! This is the only place that picks an exit code: 0 success, 1 nothing found, 2 error.
//!
//! A reader that stops early (`integrationsatlas sites | head -1`) ends the command silently
//! with exit code 0, as grep and ripgrep do: Rust ignores SIGPIPE, so the write returns EPIPE,
//! and [`is_broken_pipe`] finds it however the writer wrapped it.

use std::process::ExitCode;

use clap::Parser as _;
use integrationsatlas::cli::{self, Cli, Outcome};

fn main() -> ExitCode {
    atlas_core::timing::mark_process_start();
    let cli = Cli::parse();
    let Some(command) = &cli.command else {
        return open_window(&cli);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cli::run(&cli, command, &mut out);
    atlas_core::timing::since_process_start("whole command");
    match result {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("integrationsatlas: error: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

fn open_window(cli: &Cli) -> ExitCode {
    let (dir, _) = atlas_core::data::resolve_data_dir(cli.data.as_deref());
    if let Some(project) = &cli.project
        && !project.is_file()
    {
        eprintln!(
            "integrationsatlas: error: --project {}: file not found; give a project file saved by the atlas (*.atlas.json)",
            project.display()
        );
        return ExitCode::from(2);
    }
    match integrationsatlas::ui::run_project(dir, cli.lang.into(), cli.project.clone()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("integrationsatlas: cannot open the window: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether the error is a write to a closed pipe, wherever it sits in the chain: a plain
/// `io::Error`, or one inside a csv, serde_json, export or load error (csv and serde_json do
/// not hand their I/O error on as `source()`, so a plain chain walk misses them).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|cause| io_kind(cause).is_some_and(|kind| kind == std::io::ErrorKind::BrokenPipe))
}

/// The I/O error kind an error stands for, if it is or wraps an I/O error.
fn io_kind(cause: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    use atlas_core::error::LoadError;
    use atlas_core::render::ExportError;
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        return Some(io.kind());
    }
    if let Some(csv) = cause.downcast_ref::<csv::Error>() {
        return match csv.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        };
    }
    if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
        return json.io_error_kind();
    }
    match cause.downcast_ref::<ExportError>() {
        Some(ExportError::Write { source, .. }) => return Some(source.kind()),
        Some(_) => return None,
        None => {}
    }
    match cause.downcast_ref::<LoadError>() {
        Some(LoadError::Io { source, .. }) => Some(source.kind()),
        _ => None,
    }
}

/// The error as one line: each cause once. A cause whose text the message already holds is
/// left out, and so is the raw OS error under an export or load error, whose own text already
/// says what went wrong and what to do.
fn message(err: &anyhow::Error) -> String {
    let mut text = String::new();
    let mut described = false;
    for cause in err.chain() {
        let part = cause.to_string();
        let raw_io = cause.downcast_ref::<std::io::Error>().is_some();
        if part.is_empty() || text.contains(&part) || (raw_io && described) {
            continue;
        }
        described |= cause
            .downcast_ref::<atlas_core::render::ExportError>()
            .is_some()
            || cause
                .downcast_ref::<atlas_core::error::LoadError>()
                .is_some();
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text
}
