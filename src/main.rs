//! The `integrationsatlas` binary: no subcommand opens the map window, a subcommand runs headless.
//! This is the only place that picks an exit code: 0 success, 1 nothing found, 2 error.

use std::process::ExitCode;

use clap::Parser as _;
use integrationsatlas::cli::{self, Cli, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Some(command) = &cli.command else {
        return open_window(&cli);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli::run(&cli, command, &mut out) {
        Ok(Outcome::Found) => ExitCode::SUCCESS,
        Ok(Outcome::NothingFound) => ExitCode::from(1),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("integrationsatlas: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn open_window(cli: &Cli) -> ExitCode {
    let (dir, _) = integrationsatlas::data::resolve_data_dir(cli.data.as_deref());
    match integrationsatlas::ui::run(dir, cli.lang.into()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("integrationsatlas: cannot open the window: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
