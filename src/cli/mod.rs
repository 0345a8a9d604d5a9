//! The command line: clap types mirroring the flags, and one function per subcommand that calls
//! the core and writes to stdout. No subcommand opens the window (see `main.rs`).
//!
//! [`args`] holds the flags, [`context`] resolves the data folder once and loads from it,
//! `commands` has one module per subcommand, [`output`] the shared output helpers.

pub mod args;
pub mod commands;
pub mod context;
pub mod output;

use std::io::Write;

pub use args::*;
pub use context::Context;
pub use output::{WARNING_PREFIX, print_warnings};

/// How a command ended, for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done, with a result.
    Found,
    /// Done, but nothing matched (exit code 1).
    NothingFound,
}

/// Runs a subcommand, writing its result to `out`. Every subcommand first loads the atlas, the
/// thematic files and the site registry (see [`Context::open`]) and prints their warnings on
/// stderr.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut ctx = Context::open(cli)?;
    match command {
        Command::Regions(args) => commands::regions(&ctx, args, out),
        Command::Lookup(args) => commands::lookup(&ctx, args, out),
        Command::Classify(args) => commands::classify(&mut ctx, args, out),
        Command::Sites(args) if args.import.is_some() => commands::imported_sites(&ctx, args, out),
        Command::Sites(args) => commands::sites(&ctx.sites, args, out),
        Command::Pip(args) => commands::pip(&ctx, args, out),
        Command::Coverage(args) => commands::coverage(&ctx, args, out),
        Command::Export(args) => commands::export(&ctx, args, out),
        Command::Suggest(args) => commands::suggest(&ctx, args, out),
        Command::Nearest(args) => commands::nearest(&ctx, args, out),
        Command::DeriveSites(args) => commands::derive_sites(&ctx, args, out),
        Command::GridCoverage(args) => commands::grid_coverage(&ctx, args, out),
        Command::Catchments(args) => commands::catchments(&ctx, args, out),
        Command::Access(args) => commands::access(&ctx, args, out),
    }
}
