//! `pip`: which Gemeinde, Kreis and Bezirk each point of a CSV lies in.

use std::io::Write;

use anyhow::Context as _;

use atlas_core::analysis::pip::{Axis, PipError};

use crate::cli::args::*;
use crate::cli::{Context, Outcome};

pub(crate) fn pip(ctx: &Context, args: &PipArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    atlas_core::timing::since_process_start("start and data loaded");
    let atlas = &ctx.atlas;
    let columns = atlas_core::analysis::pip::PipColumns {
        lon: args.lon_col.clone(),
        lat: args.lat_col.clone(),
    };
    let options = atlas_core::analysis::pip::PipOptions::default();
    let summary = match &args.out {
        Some(path) => {
            atlas_core::analysis::pip::pip_to_file(atlas, &args.points, &columns, path, &options)
                .map_err(column_flags)?
        }
        None => {
            let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
            let summary = atlas_core::analysis::pip::pip_csv(
                atlas,
                &args.points,
                &columns,
                &mut buffered,
                &options,
            )
            .map_err(column_flags)?;
            buffered.flush()?;
            summary
        }
    };
    let table = atlas_core::analysis::pip::summary_csv(atlas, &summary);
    match &args.summary {
        Some(path) => atlas_core::atomic::write_atomically(path, table.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => eprint!("{table}"),
    }
    for warning in summary.warnings() {
        eprintln!("integrationsatlas: warning: {warning}");
    }
    Ok(Outcome::Found)
}

/// A missing coordinate column, told with the flag that names it (the core names no flag).
fn column_flags(err: PipError) -> anyhow::Error {
    match &err {
        PipError::MissingColumn { axis, .. } => {
            let flag = match axis {
                Axis::Longitude => "--lon-col",
                Axis::Latitude => "--lat-col",
            };
            anyhow::anyhow!("{err} with {flag} NAME")
        }
        _ => err.into(),
    }
}
