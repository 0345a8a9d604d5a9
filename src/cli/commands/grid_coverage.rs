//! `grid-coverage`: inhabitants and foreign residents beyond S km of the nearest site, on the
//! Zensus 2011 1 km grid, per Gemeinde, Kreis, Regierungsbezirk or NRW. Also the site layer and
//! grid loading shared by `catchments` and `access`.

use std::io::Write;

use anyhow::{Context as _, bail};
use atlas_core::analysis::grid_coverage::{
    AreaCoverage, GridError, coverage_by_area, nearest_sites,
};
use atlas_core::data::zensus::{PopulationGrid, bundled_grid_path, load_population_grid};
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use atlas_core::sites::{SiteSet, SiteType};

use super::site_type_arg;
use crate::cli::args::*;
use crate::cli::output::{print_warnings, write_table};
use crate::cli::{Context, Outcome};

/// The prefix of the method notes on stderr.
const NOTE_PREFIX: &str = "integrationsatlas: note: ";

/// The grid of the data folder, with its warnings printed.
pub(crate) fn load_grid(ctx: &Context) -> anyhow::Result<PopulationGrid> {
    let path = bundled_grid_path(&ctx.dir);
    let grid = load_population_grid(&path, &ctx.atlas).context("loading the population grid")?;
    print_warnings("the population grid", &grid.warnings);
    Ok(grid)
}

/// The site layer: the registry plus an imported file, and the type asked for.
pub(crate) fn site_layer(
    ctx: &Context,
    args: &GridSitesArgs,
) -> anyhow::Result<(SiteSet, SiteType)> {
    let mut sites = ctx.sites.clone();
    if let Some(path) = &args.import {
        let placer = ctx.placer()?;
        let (list, report) = atlas_core::sites::import::import_sites(
            path,
            &placer,
            &SiteType::parse(&args.import_type),
        )?;
        for line in report.lines(ctx.lang) {
            eprintln!("{}: {line}", path.display());
        }
        sites.add(list);
    }
    let site_type = site_type_arg(&sites, &args.site_type)?;
    Ok((sites, site_type))
}

/// The method and source, on stderr (stdout stays a clean table).
pub(crate) fn print_notes(lines: &[String]) {
    for line in lines {
        eprintln!("{NOTE_PREFIX}{line}");
    }
}

/// The grid's attribution and the cell rule, for every grid command's notes.
pub(crate) fn grid_notes(grid: &PopulationGrid) -> Vec<String> {
    vec![
        atlas_core::attribution::zensus_grid()
            .get(Lang::En)
            .to_owned(),
        format!(
            "{} cells with their centre in NRW (each counted at its centre, in the Gemeinde holding it; {} cells across the border left out); {} cells with a withheld count (-1) count 0 inhabitants; foreign residents = inhabitants × share / 100 where the share is known; distances are straight lines (EPSG:25832)",
            grid.cells.len(),
            grid.outside_nrw,
            grid.withheld_cells
        ),
    ]
}

/// The core's error in the words of the command line.
pub(crate) fn with_flags(err: GridError) -> anyhow::Error {
    match err {
        GridError::NotPositive { what, value } => {
            let flag = match what {
                "threshold" => "--threshold-km",
                "catchment distance" => "--catchment-km",
                "Gaussian width" => "--sigma-km",
                other => other,
            };
            anyhow::anyhow!("{flag} {value} is not a positive number of kilometres; e.g. {flag} 15")
        }
        other => other.into(),
    }
}

/// One row of `grid-coverage`, in the documented columns.
#[derive(serde::Serialize)]
struct Row {
    ags: String,
    name: String,
    einwohner: u64,
    einwohner_beyond: u64,
    einwohner_beyond_pct: f64,
    auslaender: u64,
    auslaender_beyond: u64,
    auslaender_unknown_einwohner: u64,
    unter18_beyond: u64,
    ab65_beyond: u64,
    mean_km: Option<f64>,
    p90_km: Option<f64>,
    withheld_cells: usize,
}

/// Whole persons (the fractions of foreigners and age groups are summed first).
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a non-negative count of persons, rounded"
)]
pub(crate) fn persons(v: f64) -> u64 {
    v.round() as u64
}

/// Rounded to `decimals` places.
pub(crate) fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

impl From<&AreaCoverage> for Row {
    fn from(a: &AreaCoverage) -> Row {
        Row {
            ags: a.ags.to_string(),
            name: a.name.clone(),
            einwohner: a.einwohner,
            einwohner_beyond: a.einwohner_beyond,
            einwohner_beyond_pct: round_to(a.einwohner_beyond_pct, 2),
            auslaender: persons(a.auslaender),
            auslaender_beyond: persons(a.auslaender_beyond),
            auslaender_unknown_einwohner: a.auslaender_unknown_einwohner,
            unter18_beyond: persons(a.unter18_beyond),
            ab65_beyond: persons(a.ab65_beyond),
            mean_km: a.mean_km.map(|v| round_to(v, 3)),
            p90_km: a.p90_km.map(|v| round_to(v, 3)),
            withheld_cells: a.withheld_cells,
        }
    }
}

pub(crate) fn grid_coverage(
    ctx: &Context,
    args: &GridCoverageArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (rows, notes) = coverage_rows(ctx, &args.sites, args.threshold_km, args.level.into())?;
    write_table(&rows, args.format, out)?;
    print_notes(&notes);
    Ok(Outcome::Found)
}

/// The rows of `grid-coverage` (one per area of `level`, serializable in the documented
/// columns) and its method notes.
pub(crate) fn coverage_rows(
    ctx: &Context,
    sites: &GridSitesArgs,
    threshold_km: f64,
    level: Level,
) -> anyhow::Result<(Vec<impl serde::Serialize + use<>>, Vec<String>)> {
    if !(threshold_km.is_finite() && threshold_km > 0.0) {
        bail!(
            "--threshold-km {threshold_km} is not a positive number of kilometres; e.g. --threshold-km 15"
        );
    }
    let (sites, site_type) = site_layer(ctx, sites)?;
    let grid = load_grid(ctx)?;
    let distances = nearest_sites(&grid, &sites, &site_type).map_err(with_flags)?;
    let areas =
        coverage_by_area(&ctx.atlas, &grid, &distances, level, threshold_km).map_err(with_flags)?;
    let rows: Vec<Row> = areas.iter().map(Row::from).collect();
    let mut notes = grid_notes(&grid);
    notes.push(format!(
        "beyond = nearest {site_type} farther than {threshold_km} km (a cell at exactly S is within); mean_km = population-weighted mean; p90_km = the smallest cell distance that the cells holding at least 90 % of the inhabitants do not exceed (weighted by inhabitants, no interpolation); auslaender_unknown_einwohner = inhabitants of cells whose foreigners' share is unknown (not in auslaender)"
    ));
    Ok((rows, notes))
}
