//! `nearest`: the sites of a type closest to a point or Kommune.

use std::io::Write;

use anyhow::{Context as _, bail};
use atlas_core::geometry::projection::{Crs, ToUtm32};
use atlas_core::sites::Site;

use super::{site_type_arg, unique_kommune};
use crate::cli::args::*;
use crate::cli::{Context, Outcome};

/// One row of `nearest`.
#[derive(serde::Serialize)]
struct NearestRow<'a> {
    rank: usize,
    #[serde(flatten)]
    site: &'a Site,
    distance_km: f64,
}

/// The point of `nearest`: given lon/lat, or the seat point of a Kommune (its VG250 point).
fn nearest_origin(ctx: &Context, args: &NearestArgs) -> anyhow::Result<(f64, f64)> {
    if let (Some(lon), Some(lat)) = (args.lon, args.lat) {
        return ToUtm32::from(Crs::Wgs84)
            .convert(lon, lat)
            .with_context(|| format!("--lon {lon} --lat {lat} is not a valid WGS84 position"));
    }
    let name = args.kommune.as_deref().unwrap_or_default();
    let ags = unique_kommune(&ctx.atlas, name)?;
    let placer = ctx.placer()?;
    placer
        .seat_xy(&ags)
        .with_context(|| format!("no seat point for Kommune {ags}"))
}

pub(crate) fn nearest(
    ctx: &Context,
    args: &NearestArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let set = &ctx.sites;
    let site_type = site_type_arg(set, &args.site_type)?;
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    if let Some(r) = args.radius_km
        && !(r.is_finite() && r > 0.0)
    {
        bail!("--radius-km {r} must be a positive number of kilometres");
    }
    let (x, y) = nearest_origin(ctx, args)?;
    let hits = match args.radius_km {
        Some(r) => set.within(&site_type, x, y, r),
        None => set.nearest(&site_type, x, y, args.k),
    };
    let rows: Vec<NearestRow> = hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| NearestRow {
            rank: i + 1,
            site: hit.site,
            distance_km: (hit.distance_km * 1000.0).round() / 1000.0,
        })
        .collect();
    match args.format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
                "rank",
                "id",
                "type",
                "name",
                "kommune_ags",
                "lon",
                "lat",
                "precision",
                "distance_km",
            ])?;
            for row in &rows {
                writer.write_record([
                    row.rank.to_string(),
                    row.site.id.clone(),
                    row.site.site_type.code().to_owned(),
                    row.site.name.clone(),
                    row.site.kommune_ags.to_string(),
                    format!("{:.6}", row.site.lon),
                    format!("{:.6}", row.site.lat),
                    row.site.precision.clone(),
                    format!("{:.3}", row.distance_km),
                ])?;
            }
            writer.flush()?;
        }
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Found)
}
