//! `catchments`: every grid cell assigned to its nearest site of a type; per site the
//! inhabitants and foreign residents it serves and its largest distance, by population served.

use std::io::Write;

use atlas_core::analysis::catchments::catchments as catchments_of;
use atlas_core::analysis::grid_coverage::nearest_sites;

use super::grid_coverage::{
    grid_notes, load_grid, persons, print_notes, round_to, site_layer, with_flags,
};
use crate::cli::args::*;
use crate::cli::output::write_table;
use crate::cli::{Context, Outcome};

/// One row of `catchments`, in the documented columns.
#[derive(serde::Serialize)]
struct Row {
    site_id: String,
    name: String,
    einwohner: u64,
    auslaender: u64,
    max_km: Option<f64>,
}

pub(crate) fn catchments(
    ctx: &Context,
    args: &CatchmentsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (sites, site_type) = site_layer(ctx, &args.sites)?;
    let grid = load_grid(ctx)?;
    let distances = nearest_sites(&grid, &sites, &site_type).map_err(with_flags)?;
    let list = catchments_of(&grid, &distances, &sites);
    let rows: Vec<Row> = list
        .iter()
        .map(|c| Row {
            site_id: c.site_id.clone(),
            name: c.name.clone(),
            einwohner: c.einwohner,
            auslaender: persons(c.auslaender),
            max_km: c.max_km.map(|v| round_to(v, 3)),
        })
        .collect();
    write_table(&rows, args.format, out)?;
    let unknown: u64 = list.iter().map(|c| c.auslaender_unknown_einwohner).sum();
    let mut notes = grid_notes(&grid);
    notes.push(format!(
        "each cell goes to its nearest {site_type} (ties to the lowest site id); max_km = the farthest of the site's cells; sorted by einwohner; {unknown} inhabitants live in cells whose foreigners' share is unknown (not in auslaender)"
    ));
    print_notes(&notes);
    Ok(Outcome::Found)
}
