//! `catchments`: every grid cell assigned to its nearest site of a type; per site the
//! inhabitants and foreign residents it serves and its largest distance, by population served.

use std::io::Write;

use atlas_core::analysis::catchments::{
    SiteCatchment, catchments as catchments_of, outline_polygons, outlines,
};
use atlas_core::analysis::grid_coverage::nearest_sites;
use atlas_core::data::zensus::PopulationGrid;
use atlas_core::exchange::table::GeometryKind;
use atlas_core::exchange::{Feature, FeatureTable, Field, FieldKind, Shape, Value};

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
    match args.format.table() {
        Some(format) => super::layer_output::table_output(args.out.as_deref(), out, |out| {
            write_table(&rows, format, out)
        })?,
        None => {
            let table = outline_table(ctx, &grid, &list, &rows);
            super::layer_output::write_layer(&table, args.format, args.out.as_deref(), out)?;
        }
    }
    let unknown: u64 = list.iter().map(|c| c.auslaender_unknown_einwohner).sum();
    let mut notes = grid_notes(&grid);
    notes.push(format!(
        "each cell goes to its nearest {site_type} (ties to the lowest site id); max_km = the farthest of the site's cells; sorted by einwohner; {unknown} inhabitants live in cells whose foreigners' share is unknown (not in auslaender)"
    ));
    print_notes(&notes);
    Ok(Outcome::Found)
}

/// The catchments as a polygon layer `catchments`: the outline of each site's cells with the
/// values of the table's rows (a site nearest to no cell has an empty geometry).
#[allow(
    clippy::cast_possible_wrap,
    reason = "counts of persons are far below i64::MAX"
)]
fn outline_table(
    ctx: &Context,
    grid: &PopulationGrid,
    list: &[SiteCatchment],
    rows: &[Row],
) -> FeatureTable {
    let mut group = vec![None; grid.cells.len()];
    for (g, catchment) in list.iter().enumerate() {
        for &cell in &catchment.cells {
            group[cell] = Some(g);
        }
    }
    let rings = outlines(grid, &group, list.len());
    let features = rows
        .iter()
        .zip(&rings)
        .map(|(row, rings)| Feature {
            shape: Shape::MultiPolygon(outline_polygons(rings)),
            values: vec![
                Value::Text(row.site_id.clone()),
                Value::Text(row.name.clone()),
                Value::Integer(row.einwohner as i64),
                Value::Integer(row.auslaender as i64),
                Value::real_or_null(row.max_km),
            ],
        })
        .collect();
    FeatureTable {
        name: "catchments".to_owned(),
        description: format!(
            "Integrationsatlas NRW: {}",
            ctx.lang.pick("Einzugsgebiete", "catchments")
        ),
        attribution: atlas_core::attribution::zensus_grid()
            .get(ctx.lang)
            .to_owned(),
        geometry: GeometryKind::MultiPolygon,
        fields: vec![
            Field::new("site_id", FieldKind::Text),
            Field::new("name", FieldKind::Text),
            Field::new("einwohner", FieldKind::Integer),
            Field::new("auslaender", FieldKind::Integer),
            Field::new("max_km", FieldKind::Real),
        ],
        features,
    }
}
