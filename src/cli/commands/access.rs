//! `access`: the supply ratio with competition (2SFCA, or E2SFCA with Gaussian decay) on the
//! Zensus grid, population-weighted per area, in sites per 100,000 inhabitants.

use std::collections::HashMap;
use std::io::Write;

use anyhow::bail;
use atlas_core::analysis::access::{AccessSpec, Decay, access_by_area, two_step};
use atlas_core::model::Level;
use atlas_core::sites::Site;

use super::grid_coverage::{grid_notes, load_grid, print_notes, round_to, site_layer, with_flags};
use crate::cli::args::*;
use crate::cli::output::write_table;
use crate::cli::{Context, Outcome};

/// One row of `access`, in the documented columns.
#[derive(serde::Serialize)]
struct Row {
    ags: String,
    name: String,
    value: Option<f64>,
}

/// The capacity of each imported site from `--capacity-column`, by site id.
fn capacities(args: &AccessArgs) -> anyhow::Result<Option<HashMap<String, f64>>> {
    let (Some(column), Some(path)) = (&args.capacity_column, &args.sites.import) else {
        return Ok(None);
    };
    let values = atlas_core::sites::import::numeric_column_by_site(path, column)
        .map_err(|e| anyhow::anyhow!("--capacity-column {column}: {e}"))?;
    if let Some((id, v)) = values.iter().find(|(_, v)| **v < 0.0) {
        bail!(
            "--capacity-column {column}: {}: site {id} has capacity {v}; a capacity must be ≥ 0",
            path.display()
        );
    }
    Ok(Some(values))
}

pub(crate) fn access(
    ctx: &Context,
    args: &AccessArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (rows, notes) = access_rows(ctx, args)?;
    write_table(&rows, args.format, out)?;
    print_notes(&notes);
    Ok(Outcome::Found)
}

/// The rows of `access` (one per area of `--level`, serializable in the documented columns)
/// and its method notes.
pub(crate) fn access_rows(
    ctx: &Context,
    args: &AccessArgs,
) -> anyhow::Result<(Vec<impl serde::Serialize + use<>>, Vec<String>)> {
    if !(args.catchment_km.is_finite() && args.catchment_km > 0.0) {
        bail!(
            "--catchment-km {} is not a positive number of kilometres; e.g. --catchment-km 15",
            args.catchment_km
        );
    }
    if args.sigma_km.is_some() && args.decay != DecayArg::Gaussian {
        bail!("--sigma-km needs --decay gaussian");
    }
    let (sites, site_type) = site_layer(ctx, &args.sites)?;
    let capacity = capacities(args)?;
    if let Some(values) = &capacity
        && let Some(site) = sites
            .of_type(&site_type)
            .find(|s| !values.contains_key(&s.id))
    {
        bail!(
            "--capacity-column: site {} ({}) of type {site_type} is not from the imported file, so it has no capacity; choose the imported sites' type with --type",
            site.id,
            site.name
        );
    }
    let decay = match args.decay {
        DecayArg::None => Decay::None,
        DecayArg::Gaussian => Decay::Gaussian {
            sigma_km: args.sigma_km.unwrap_or(args.catchment_km / 2.0),
        },
    };
    let spec = AccessSpec {
        site_type: site_type.clone(),
        catchment_km: args.catchment_km,
        decay,
    };
    let grid = load_grid(ctx)?;
    let capacity_of = |site: &Site| {
        capacity
            .as_ref()
            .and_then(|values| values.get(&site.id).copied())
            .unwrap_or(1.0)
    };
    let result = two_step(&grid, &sites, &spec, &capacity_of).map_err(with_flags)?;
    let level: Level = args.level.into();
    let rows: Vec<Row> = access_by_area(&ctx.atlas, &grid, &result, level)
        .into_iter()
        .map(|a| Row {
            ags: a.ags.to_string(),
            name: a.name,
            value: a.value.map(|v| round_to(v, 4)),
        })
        .collect();
    let weighting = match decay {
        Decay::None => "classic 2SFCA (every cell within d0 counts fully)".to_owned(),
        Decay::Gaussian { sigma_km } => format!(
            "E2SFCA with the Gaussian weight W(d) = exp(-d²/(2σ²)), σ = {sigma_km} km (PySAL access.weights.gaussian), 0 beyond d0"
        ),
    };
    let capacity_note = match &args.capacity_column {
        Some(column) => format!("capacity = column {column} of the imported file"),
        None => "capacity 1 per site".to_owned(),
    };
    let mut notes = grid_notes(&grid);
    notes.push(format!(
        "value = sites per 100,000 inhabitants within reach, population-weighted over the area's cells: R_j = capacity_j / Σ inhabitants within {} km (≤) of site j, A_i = Σ R_j over the sites within {} km of cell i; {weighting}; {capacity_note}",
        args.catchment_km, args.catchment_km
    ));
    Ok((rows, notes))
}
