//! The command line: clap types mirroring the flags, and one function per subcommand that calls
//! the core and writes to stdout. No subcommand opens the window (see `main.rs`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::model::{Atlas, Level, Location, Region};
use crate::projection::{Crs, ToUtm32, ToWgs84};

/// Integrationsatlas NRW — maps of the infrastructure for integrating immigrants in NRW.
///
/// Without a subcommand the map window opens. Exit codes: 0 success; 1 ran but found nothing
/// (e.g. `lookup` outside NRW); 2 error (bad input, missing data, usage).
#[derive(Debug, Parser)]
#[command(name = "integrationsatlas", version, about, long_about)]
pub struct Cli {
    /// Data folder (default: $INTEGRATIONSATLAS_DATA, else the bundled geodata/).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Interface language.
    #[arg(long, global = true, value_enum, default_value = "de")]
    pub lang: LangArg,

    /// What to do; none opens the map window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the regions of one level with area and population.
    Regions(RegionsArgs),
    /// Find the Gemeinde, Kreis and Regierungsbezirk at a point.
    Lookup(LookupArgs),
}

/// Interface language on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    /// Deutsch.
    De,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::De => Lang::De,
            LangArg::En => Lang::En,
        }
    }
}

/// Administrative level on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LevelArg {
    /// The Land NRW.
    Land,
    /// The 5 Regierungsbezirke.
    Bezirk,
    /// The 53 Kreise and kreisfreie Städte.
    Kreis,
    /// The 396 Gemeinden.
    Gemeinde,
}

impl From<LevelArg> for Level {
    fn from(level: LevelArg) -> Level {
        match level {
            LevelArg::Land => Level::Land,
            LevelArg::Bezirk => Level::Bezirk,
            LevelArg::Kreis => Level::Kreis,
            LevelArg::Gemeinde => Level::Gemeinde,
        }
    }
}

/// Table output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// A JSON array of objects.
    Json,
}

/// Flags of `regions`.
#[derive(Debug, Args)]
pub struct RegionsArgs {
    /// Which level to list.
    #[arg(long, value_enum)]
    pub level: LevelArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

/// Output format of `lookup`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LookupFormat {
    /// Lines for people.
    #[default]
    Text,
    /// One JSON object.
    Json,
}

/// Flags of `lookup`.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// Longitude in degrees (WGS84), with --lat.
    #[arg(long, allow_negative_numbers = true, requires = "lat", conflicts_with_all = ["x", "y"])]
    pub lon: Option<f64>,
    /// Latitude in degrees (WGS84), with --lon.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    pub lat: Option<f64>,
    /// Easting in metres (EPSG:25832), with --y.
    #[arg(long, allow_negative_numbers = true, requires = "y")]
    pub x: Option<f64>,
    /// Northing in metres (EPSG:25832), with --x.
    #[arg(long, allow_negative_numbers = true, requires = "x")]
    pub y: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: LookupFormat,
}

/// How a command ended, for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done, with a result.
    Found,
    /// Done, but nothing matched (exit code 1).
    NothingFound,
}

/// Loads the atlas from the folder chosen by `--data`, the environment or the bundled data.
pub fn load(cli: &Cli) -> anyhow::Result<Atlas> {
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    crate::data::load_atlas(&dir).context("loading the atlas")
}

/// Runs a subcommand, writing its result to `out`.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let atlas = load(cli)?;
    match command {
        Command::Regions(args) => regions(&atlas, args, out),
        Command::Lookup(args) => lookup(&atlas, args, cli.lang.into(), out),
    }
}

/// One row of `regions`.
#[derive(Debug, serde::Serialize)]
pub struct RegionRow<'a> {
    /// The key.
    pub ags: &'a str,
    /// The DVG2 name.
    pub name: &'a str,
    /// The level.
    pub level: Level,
    /// The enclosing region's key (empty for the Land).
    pub parent_ags: &'a str,
    /// Area from the geometry, km², rounded to 3 decimals.
    pub area_km2: f64,
    /// Inhabitants 31.12.2019.
    pub population: u64,
}

impl<'a> From<&'a Region> for RegionRow<'a> {
    fn from(region: &'a Region) -> Self {
        RegionRow {
            ags: region.ags.as_str(),
            name: &region.name,
            level: region.level,
            parent_ags: region.parent.as_ref().map_or("", |p| p.as_str()),
            area_km2: (region.area_km2 * 1000.0).round() / 1000.0,
            population: region.population,
        }
    }
}

fn regions(atlas: &Atlas, args: &RegionsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let rows: Vec<RegionRow> = atlas
        .regions(args.level.into())
        .iter()
        .map(RegionRow::from)
        .collect();
    match args.format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
                "ags",
                "name",
                "level",
                "parent_ags",
                "area_km2",
                "population",
            ])?;
            for row in &rows {
                writer.write_record([
                    row.ags,
                    row.name,
                    row.level.key(),
                    row.parent_ags,
                    &format!("{:.3}", row.area_km2),
                    &row.population.to_string(),
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

fn lookup(
    atlas: &Atlas,
    args: &LookupArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
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
