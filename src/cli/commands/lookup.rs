//! `lookup`: the Gemeinde, Kreis and Bezirk of a point.

use std::io::Write;

use anyhow::{Context as _, bail};
use atlas_core::geometry::projection::{Crs, ToUtm32, ToWgs84};
use atlas_core::i18n::Lang;
use atlas_core::model::{Location, Region};

use crate::cli::args::*;
use crate::cli::{Context, Outcome};

/// The point of `lookup` in both coordinate systems.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct LookupPoint {
    /// Longitude, degrees (WGS84).
    pub lon: f64,
    /// Latitude, degrees (WGS84).
    pub lat: f64,
    /// Easting, metres (EPSG:25832).
    pub x: f64,
    /// Northing, metres (EPSG:25832).
    pub y: f64,
}

fn lookup_point(args: &LookupArgs) -> anyhow::Result<LookupPoint> {
    match (args.lon, args.lat, args.x, args.y) {
        (Some(lon), Some(lat), _, _) => {
            let (x, y) = ToUtm32::from(Crs::Wgs84).convert(lon, lat).with_context(|| {
                format!("--lon {lon} --lat {lat} is not a valid WGS84 position; longitude must lie in -180..180 and latitude in -90..90")
            })?;
            Ok(LookupPoint { lon, lat, x, y })
        }
        (_, _, Some(x), Some(y)) => {
            let (lon, lat) = ToWgs84::default()
                .convert(x, y)
                .with_context(|| format!("--x {x} --y {y} cannot be converted from EPSG:25832"))?;
            Ok(LookupPoint { lon, lat, x, y })
        }
        _ => bail!(
            "give a point: --lon X --lat Y (WGS84 degrees) or --x X --y Y (EPSG:25832 metres)"
        ),
    }
}

#[derive(serde::Serialize)]
struct RegionRef<'a> {
    ags: &'a str,
    name: &'a str,
}

impl<'a> From<&'a Region> for RegionRef<'a> {
    fn from(region: &'a Region) -> Self {
        RegionRef {
            ags: region.ags.as_str(),
            name: &region.name,
        }
    }
}

#[derive(serde::Serialize)]
struct LookupJson<'a> {
    point: LookupPoint,
    inside_nrw: bool,
    gemeinde: Option<RegionRef<'a>>,
    kreis: Option<RegionRef<'a>>,
    bezirk: Option<RegionRef<'a>>,
}

pub(crate) fn lookup(
    ctx: &Context,
    args: &LookupArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (atlas, lang) = (&ctx.atlas, ctx.lang);
    let point = lookup_point(args)?;
    let location = atlas.locate(point.x, point.y);
    match args.format {
        LookupFormat::Json => {
            let json = LookupJson {
                point,
                inside_nrw: location.is_some(),
                gemeinde: location.as_ref().map(|l| l.gemeinde.into()),
                kreis: location.as_ref().map(|l| l.kreis.into()),
                bezirk: location.as_ref().map(|l| l.bezirk.into()),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        LookupFormat::Text => write_location_text(out, &point, location.as_ref(), lang)?,
    }
    Ok(if location.is_some() {
        Outcome::Found
    } else {
        Outcome::NothingFound
    })
}

fn write_location_text(
    out: &mut dyn Write,
    point: &LookupPoint,
    location: Option<&Location>,
    lang: Lang,
) -> std::io::Result<()> {
    let Some(location) = location else {
        return writeln!(
            out,
            "{} ({:.6} E, {:.6} N)",
            lang.pick("außerhalb von NRW", "outside NRW"),
            point.lon,
            point.lat
        );
    };
    let rows = [
        (lang.pick("Gemeinde", "Municipality"), location.gemeinde),
        (lang.pick("Kreis", "District"), location.kreis),
        (
            lang.pick("Regierungsbezirk", "Government region"),
            location.bezirk,
        ),
    ];
    for (label, region) in rows {
        writeln!(out, "{label}: {} ({})", region.name, region.ags)?;
    }
    Ok(())
}
