//! `suggest`: where new sites of a type should go (maximal covering on the Zensus 1 km grid,
//! or the fewest sites for a target share), existing registry sites fixed.

use std::io::Write;

use anyhow::Context as _;
use atlas_core::analysis::site_selection::solver::Limits;
use atlas_core::analysis::site_selection::{
    CandidateKind, Goal, SuggestError, SuggestSpec, demand_points, resolve_area, suggest as solve,
};
use atlas_core::data::zensus::{bundled_grid_path, load_population_grid};

use super::site_type_arg;
use crate::cli::args::*;
use crate::cli::{Context, Outcome};

pub(crate) fn suggest(
    ctx: &Context,
    args: &SuggestArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let site_type = site_type_arg(&ctx.sites, &args.site_type)?;
    let candidates = CandidateKind::parse(&args.candidates)
        .map_err(|why| anyhow::anyhow!("--candidates: {why}"))?;
    let within = args
        .within
        .as_deref()
        .map(|name| resolve_area(&ctx.atlas, name))
        .transpose()
        .map_err(|why| anyhow::anyhow!("--within: {why}"))?;
    let goal = match (args.new_sites, args.target_pct) {
        (_, Some(pct)) => Goal::TargetPct(pct),
        (Some(p), None) => Goal::NewSites(p),
        (None, None) => anyhow::bail!("give --new P (1–10) or --target-pct PCT"),
    };
    let spec = SuggestSpec {
        site_type,
        radius_km: args.radius_km,
        goal,
        weight: args.weight.into(),
        candidates,
        within,
        limits: Limits {
            max_work: args.search_limit,
        },
    };
    let mut timer = atlas_core::timing::StageTimer::new();
    let points = ctx.points()?;
    let path = bundled_grid_path(&ctx.dir);
    let grid = load_population_grid(&path, &ctx.atlas)
        .with_context(|| format!("loading the population grid {}", path.display()))?;
    crate::cli::print_warnings("the population grid", &grid.warnings);
    let demand = demand_points(&grid, spec.weight);
    timer.stage("suggest: points and grid loaded");
    let suggestion = solve(
        &ctx.atlas,
        &ctx.sites,
        points,
        &demand,
        grid.withheld_cells,
        &spec,
    )
    .map_err(with_flags)?;
    let text = match args.format {
        ReportFormat::Md => suggestion.markdown(),
        ReportFormat::Csv => suggestion.csv(),
        ReportFormat::Json => serde_json::to_string_pretty(&suggestion)? + "\n",
    };
    match &args.out {
        Some(path) => atlas_core::atomic::write_atomically(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Outcome::Found)
}

/// The core's error in the words of the command line: each value is named by its flag.
fn with_flags(err: SuggestError) -> anyhow::Error {
    match err {
        SuggestError::BadRadius(v) => {
            anyhow::anyhow!(
                "--radius-km {v} is not a positive number of kilometres; e.g. --radius-km 15"
            )
        }
        SuggestError::BadCount(p) => {
            anyhow::anyhow!(
                "--new {p} is outside 1–10; for more sites ask for a share with --target-pct"
            )
        }
        SuggestError::BadTarget(v) => {
            anyhow::anyhow!(
                "--target-pct {v} is not a share above 0 and at most 100; e.g. --target-pct 95"
            )
        }
        SuggestError::TooFewCandidates {
            wanted,
            candidates,
            where_,
        } => anyhow::anyhow!(
            "--new {wanted} but only {candidates} candidate points{where_}; ask for fewer sites, widen --within or use --candidates cells:MIN"
        ),
        SuggestError::Unreachable {
            target_pct,
            coverable_pct,
            candidates,
            where_,
        } => anyhow::anyhow!(
            "--target-pct {target_pct} is unreachable: even with all {candidates} candidates{where_} only {coverable_pct:.2} % live within --radius-km; lower the target, raise the radius or widen --within"
        ),
        other => other.into(),
    }
}
