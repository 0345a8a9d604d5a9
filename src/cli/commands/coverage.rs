//! `coverage`: the report of sites around a Kommune.

use std::io::Write;

use atlas_core::analysis::coverage::{CoverageError, Distance};

use anyhow::Context as _;
use atlas_core::sites::SiteType;

use super::{site_type_arg, unique_kommune};
use crate::cli::args::*;
use crate::cli::{Context, Outcome};

pub(crate) fn coverage(
    ctx: &Context,
    args: &CoverageArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let atlas = &ctx.atlas;
    let kommune = unique_kommune(atlas, &args.kommune)?;
    let sites = &ctx.sites;
    let types: Vec<SiteType> = args
        .types
        .iter()
        .map(|t| site_type_arg(sites, t))
        .collect::<anyhow::Result<_>>()?;
    let (indicators, points) = (&ctx.indicators, ctx.points()?);
    let spec = atlas_core::analysis::coverage::CoverageSpec {
        kommune,
        radius_km: args.radius_km,
        threshold_km: args.threshold_km,
        types,
    };
    let report = atlas_core::analysis::coverage::analyse(atlas, sites, indicators, points, &spec)
        .map_err(with_flags)?;
    // The grid figures beside the centre-point ones, when the data folder has the grid.
    let report = match super::grid_coverage::load_grid(ctx) {
        Ok(grid) => report.with_grid(atlas, &grid, sites),
        Err(err) => {
            crate::cli::print_warnings(
                "the population grid",
                &[format!("{err:#}; the report has no grid figures")],
            );
            report
        }
    };
    let text = match args.format {
        ReportFormat::Md => report.markdown(),
        ReportFormat::Csv => report.csv(),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    match &args.out {
        Some(path) => atlas_core::atomic::write_atomically(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Outcome::Found)
}

/// The core's error in the words of the command line: a distance is named by its flag.
fn with_flags(err: CoverageError) -> anyhow::Error {
    match err {
        CoverageError::NotPositive { what, value } => {
            let flag = match what {
                Distance::Radius => "--radius-km",
                Distance::Threshold => "--threshold-km",
            };
            anyhow::anyhow!("{flag} {value} is not a positive number of kilometres; e.g. {flag} 25")
        }
        other => other.into(),
    }
}
