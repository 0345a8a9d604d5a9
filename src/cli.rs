//! The command line: clap types mirroring the flags, and one function per subcommand that calls
//! the core and writes to stdout. No subcommand opens the window (see `main.rs`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::choropleth::ChoroplethSpec;
use crate::classify::Method;
use crate::i18n::Lang;
use crate::indicators::{Indicator, IndicatorSet, Values};
use crate::model::{Atlas, Level, Location, Region};
use crate::projection::{Crs, ToUtm32, ToWgs84};
use crate::sites::{Site, SiteSet, SiteType};

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
    /// Classify an indicator (or a column of your own CSV) and print the breaks and class counts.
    Classify(ClassifyArgs),
    /// List the institution sites of the registry.
    Sites(SitesArgs),
    /// The k sites of a type nearest to a point, with straight-line distance.
    Nearest(NearestArgs),
    /// Assign every point of a CSV to its Gemeinde and Kreis (appends four columns).
    Pip(PipArgs),
    /// Coverage around a Kommune: distances to the nearest sites, gaps, supply ratios.
    Coverage(CoverageArgs),
    /// Export a map as PNG or SVG (title, legend, scale bar, north arrow, attribution).
    Export(ExportArgs),
    /// Derive the site registry (geodata/sites/*.csv) from the report's tables.
    #[command(hide = true)]
    DeriveSites(DeriveSitesArgs),
}

/// Flags of `sites`.
#[derive(Debug, Args)]
pub struct SitesArgs {
    /// Only this type: KI, ABH, JA, JC.
    #[arg(long = "type", value_name = "TYPE")]
    pub site_type: Option<String>,
    /// List the sites of your own file instead (CSV with lon/lat, x/y, ags or kommune; GeoJSON
    /// points; point shapefile); rows that fail are reported on stderr.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// With --import: the type of rows that name none.
    #[arg(long, default_value = crate::sites::OWN_SITES, value_name = "TYPE")]
    pub import_type: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

/// Flags of `nearest`.
#[derive(Debug, Args)]
pub struct NearestArgs {
    /// Longitude in degrees (WGS84), with --lat.
    #[arg(
        long,
        allow_negative_numbers = true,
        requires = "lat",
        required_unless_present = "kommune"
    )]
    pub lon: Option<f64>,
    /// Latitude in degrees (WGS84), with --lon.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    pub lat: Option<f64>,
    /// Instead of a point: the seat of a Kommune (name or AGS), e.g. "Lüdenscheid" or 05966.
    #[arg(long, conflicts_with_all = ["lon", "lat"])]
    pub kommune: Option<String>,
    /// List every site within this many km (straight line) instead of the k nearest.
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub radius_km: Option<f64>,
    /// Site type: KI, ABH, JA, JC.
    #[arg(long = "type", value_name = "TYPE")]
    pub site_type: String,
    /// How many sites.
    #[arg(long, default_value_t = 3)]
    pub k: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

/// Flags of `pip`.
#[derive(Debug, Args)]
pub struct PipArgs {
    /// The input CSV with one point per row.
    #[arg(long, value_name = "FILE.csv")]
    pub points: PathBuf,
    /// The longitude column (WGS84 degrees).
    #[arg(long, default_value = "lon")]
    pub lon_col: String,
    /// The latitude column (WGS84 degrees).
    #[arg(long, default_value = "lat")]
    pub lat_col: String,
    /// Write the extended CSV here instead of to stdout: streamed into a hidden temporary file
    /// beside it (.FILE.csv.tmp-XXXXXX), renamed when complete, removed on any error.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Write the counts per Gemeinde here instead of to stderr.
    #[arg(long, value_name = "FILE.csv")]
    pub summary: Option<PathBuf>,
}

/// Flags of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: .png or .svg.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// A figure of the report: abb5 (KI), abb14 (area), abb15 (population), abb16 (migration share).
    #[arg(long)]
    pub preset: Option<String>,
    /// Level of the regions.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Indicator to colour by (see `regions`); none draws plain boundaries.
    #[arg(long)]
    pub field: Option<String>,
    /// Classes and colours.
    #[command(flatten)]
    pub classes: ClassArgs,
    /// Site layers to draw, e.g. KI,ABH.
    #[arg(long, value_delimiter = ',')]
    pub sites: Vec<String>,
    /// Fit the map to this Kommune (name or AGS) and outline it.
    #[arg(long)]
    pub focus: Option<String>,
    /// Width in pixels.
    #[arg(long, default_value_t = 1600)]
    pub width: u32,
    /// Height in pixels.
    #[arg(long, default_value_t = 1200)]
    pub height: u32,
    /// Title above the map.
    #[arg(long)]
    pub title: Option<String>,
}

/// Output format of `coverage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A Markdown report for a memo.
    #[default]
    Md,
    /// The Gemeinde table as CSV.
    Csv,
    /// Everything as JSON.
    Json,
}

/// Flags of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The Kommune: a Gemeinde or Kreis by name or AGS ("Lüdenscheid", "Kreis Olpe", 05966).
    #[arg(long)]
    pub kommune: String,
    /// Include Gemeinden whose centre lies within this distance of the Kommune, km.
    #[arg(long, default_value_t = 25.0, allow_negative_numbers = true)]
    pub radius_km: f64,
    /// A Gemeinde farther than this from the nearest site of a type is a gap, km.
    #[arg(long, default_value_t = 15.0, allow_negative_numbers = true)]
    pub threshold_km: f64,
    /// Site types with locations, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "KI,ABH,JA,JC")]
    pub types: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Write the report here (atomically) instead of to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Flags of `derive-sites`.
#[derive(Debug, Args)]
pub struct DeriveSitesArgs {
    /// The data folder to write `sites/*.csv` into (default: the data folder in use).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
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

/// Classification method on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MethodArg {
    /// Equal counts per class.
    Quantile,
    /// Equal widths.
    Equal,
    /// Natural breaks (Fisher-Jenks, exact).
    Jenks,
    /// Standard deviations around the mean.
    Stddev,
    /// Breaks given with --breaks.
    Manual,
}

/// Classification and colour flags shared by `classify` and `export`.
#[derive(Debug, Args)]
pub struct ClassArgs {
    /// Classification method.
    #[arg(long, value_enum, default_value = "jenks")]
    pub method: MethodArg,
    /// Inner class breaks for --method manual, ascending, e.g. 100,200,500.
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub breaks: Vec<f64>,
    /// Number of classes (2–9).
    #[arg(long, default_value_t = 5)]
    pub classes: usize,
    /// ColorBrewer palette (default: colour-blind-safe YlGnBu, RdBu for stddev).
    #[arg(long)]
    pub palette: Option<String>,
    /// Reverse the palette.
    #[arg(long)]
    pub reverse: bool,
}

impl ClassArgs {
    /// The map of `field` at `level` these flags describe.
    pub fn spec(&self, level: Level, field: String) -> ChoroplethSpec {
        let method = match self.method {
            MethodArg::Quantile => Method::Quantile,
            MethodArg::Equal => Method::EqualInterval,
            MethodArg::Jenks => Method::Jenks,
            MethodArg::Stddev => Method::StdDev,
            MethodArg::Manual => Method::Manual(self.breaks.clone()),
        };
        ChoroplethSpec {
            level,
            field,
            method,
            classes: self.classes,
            scheme: self.palette.clone(),
            reverse: self.reverse,
        }
    }
}

/// Flags of `classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// Level of the regions: gemeinde or kreis.
    #[arg(long, value_enum, default_value = "kreis")]
    pub level: LevelArg,
    /// Indicator key (see `regions` columns), e.g. population, density, migration_background_pct.
    #[arg(long, required_unless_present = "csv")]
    pub field: Option<String>,
    /// Classes and colours.
    #[command(flatten)]
    pub classes: ClassArgs,
    /// Your own table instead of a built-in indicator: CSV (; , or tab; UTF-8 or Windows-1252;
    /// also GENESIS / Landesdatenbank NRW downloads with metadata and footnotes) or an .xlsx/.ods
    /// sheet. Keys: AGS (with or without the leading zero), 12-digit ARS or 8-digit Kreis keys.
    #[arg(long, requires_all = ["key", "value"], value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// With --csv: the column holding the AGS (name, or 1-based number).
    #[arg(long, value_name = "COL")]
    pub key: Option<String>,
    /// With --csv: the column holding the values (name, or 1-based number).
    #[arg(long, value_name = "COL")]
    pub value: Option<String>,
    /// With --csv: the decimal mark of the value column, `,` or `.`, when its values leave it
    /// open (e.g. only `1.234`-shaped numbers).
    #[arg(long, requires = "csv", value_name = ", | .", value_parser = crate::data::own_csv::numbers::parse_decimal)]
    pub decimal: Option<crate::data::own_csv::numbers::Decimal>,
    /// With --csv: the thousands separator of the value column: `.`, `,`, `space` or `none`.
    #[arg(long, requires = "csv", value_name = ". | , | space | none", value_parser = crate::data::own_csv::numbers::parse_thousands)]
    pub thousands: Option<crate::data::own_csv::numbers::Thousands>,
    /// With --csv and a spreadsheet: the sheet to read (default: the first).
    #[arg(long, requires = "csv", value_name = "NAME")]
    pub sheet: Option<String>,
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
    let (dir, source) = crate::data::resolve_data_dir(cli.data.as_deref());
    check_data_dir(&dir, source)?;
    crate::data::load_atlas(&dir).context("loading the atlas")
}

/// A clear error if the data folder is missing or is a file, saying where the choice came from.
pub fn check_data_dir(
    dir: &std::path::Path,
    source: crate::data::DataSource,
) -> anyhow::Result<()> {
    use crate::data::{DATA_ENV, DataSource};
    let origin = match source {
        DataSource::Flag => format!("--data {}", dir.display()),
        DataSource::Environment => format!("{DATA_ENV}={}", dir.display()),
        DataSource::Bundled => format!("the bundled data folder {}", dir.display()),
    };
    let what = "the folder holding dvg2/ and stats/ (such as the bundled geodata/)";
    if dir.is_file() {
        bail!("{origin} is a file, not a folder; give {what}");
    }
    if !dir.is_dir() {
        bail!("{origin}: data folder not found; pass --data DIR or set {DATA_ENV} to {what}");
    }
    Ok(())
}

/// Refuses a field the level lacks when the listing of the level's fields would not help:
/// the level has none (the Land is one region), or the field exists at other levels.
/// Otherwise the map builder's own error lists the level's fields.
fn check_field(indicators: &IndicatorSet, level: Level, field: &str) -> anyhow::Result<()> {
    if indicators.get(level, field).is_some() {
        return Ok(());
    }
    let elsewhere: Vec<&str> = Level::ALL
        .into_iter()
        .filter(|l| indicators.get(*l, field).is_some())
        .map(Level::key)
        .collect();
    let hint = match elsewhere.first() {
        Some(first) => format!(
            "; {field:?} exists at level {}: use e.g. --level {first}",
            elsewhere.join(", ")
        ),
        None => String::new(),
    };
    let available = indicators.keys(level);
    if available.is_empty() {
        let why = if level == Level::Land {
            " (NRW is one region: `regions --level land` shows its area and population)"
        } else {
            ""
        };
        bail!("level {level} has no fields to classify{why}{hint}");
    }
    if !elsewhere.is_empty() {
        bail!(
            "unknown field {field:?} at level {level}{hint}; the fields at level {level} are {}",
            available.join(", ")
        );
    }
    Ok(())
}

/// Loads the indicators of the atlas from the same data folder (quietly: [`run`] prints the
/// warnings once).
pub fn load_indicators(cli: &Cli, atlas: &Atlas) -> anyhow::Result<IndicatorSet> {
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    crate::data::thematic::load_indicators(atlas, &dir).context("loading the thematic data")
}

/// The prefix of every warning line on stderr.
pub const WARNING_PREFIX: &str = "integrationsatlas: warning: ";

/// How many warning lines of one group are printed before a summary line counts the rest.
const WARNINGS_SHOWN: usize = 10;

/// Prints warnings on stderr, one line each, the first [`WARNINGS_SHOWN`] of the group and a
/// summary line for the rest.
pub fn print_warnings(group: &str, warnings: &[String]) {
    for warning in warnings.iter().take(WARNINGS_SHOWN) {
        eprintln!("{WARNING_PREFIX}{}", warning.replace(['\n', '\r'], " "));
    }
    if warnings.len() > WARNINGS_SHOWN {
        eprintln!(
            "{WARNING_PREFIX}… and {} more warnings about {group} (the window lists all)",
            warnings.len() - WARNINGS_SHOWN
        );
    }
}

/// Runs a subcommand, writing its result to `out`. Every subcommand first loads the atlas, the
/// thematic files and the site registry and prints their warnings on stderr.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let atlas = load(cli)?;
    print_warnings("the boundary data", &atlas.provenance.warnings);
    let indicators = load_indicators(cli, &atlas)?;
    print_warnings("the thematic files", &indicators.warnings);
    let registry = load_sites(cli, &atlas)?;
    let lang: Lang = cli.lang.into();
    match command {
        Command::Regions(args) => regions(&atlas, &indicators, args, out),
        Command::Lookup(args) => lookup(&atlas, args, lang, out),
        Command::Classify(args) => classify(&atlas, indicators, args, lang, out),
        Command::Sites(args) if args.import.is_some() => {
            imported_sites(cli, &atlas, args, lang, out)
        }
        Command::Sites(args) => sites(&registry, args, out),
        Command::Pip(args) => pip(&atlas, args, out),
        Command::Coverage(args) => coverage(cli, &atlas, args, out),
        Command::Export(args) => export(cli, &atlas, args, lang, out),
        Command::Nearest(args) => nearest(cli, &atlas, &registry, args, out),
        Command::DeriveSites(args) => {
            let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
            let registry = crate::sites::registry::derive_registry(&atlas, &dir)?;
            let target = args.out.clone().unwrap_or(dir);
            let sites_dir = target.join("sites");
            std::fs::create_dir_all(&sites_dir).map_err(|e| {
                anyhow::anyhow!("{}: cannot create the folder: {e}", sites_dir.display())
            })?;
            crate::sites::registry::write_registry(&registry, &target)?;
            for (file, list) in &registry.files {
                writeln!(out, "{}: {} sites", target.join(file).display(), list.len())?;
            }
            Ok(Outcome::Found)
        }
    }
}

fn export(
    cli: &Cli,
    atlas: &Atlas,
    args: &ExportArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let sites = load_sites_quietly(cli, atlas)?;
    let indicators = load_indicators(cli, atlas)?;
    let mut site_types: Vec<SiteType> = args
        .sites
        .iter()
        .map(|t| site_type_arg(&sites, t))
        .collect::<anyhow::Result<_>>()?;
    let mut title = args.title.clone();
    let mut chosen_preset = None;
    let mut spec = args.field.as_ref().map(|field| {
        args.classes.spec(
            args.level.map_or(Level::Gemeinde, Level::from),
            field.clone(),
        )
    });
    let mut level = args.level.map_or(Level::Gemeinde, Level::from);
    match args
        .preset
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => {}
        Some("abb5") => {
            level = Level::Kreis;
            spec = None;
            site_types = vec![SiteType::Ki];
            title.get_or_insert_with(|| {
                lang.pick(
                    "Abb. 5: Verteilung der KI in NRW",
                    "Fig. 5: Municipal integration centres (KI) in NRW",
                )
                .to_owned()
            });
        }
        Some(key) => {
            let preset = crate::choropleth::preset(key).with_context(|| {
                format!("unknown preset {key:?}; use abb5, abb14, abb15 or abb16")
            })?;
            level = preset.spec.level;
            title.get_or_insert_with(|| preset.title(lang).to_owned());
            chosen_preset = Some(preset.clone());
            spec = Some(ChoroplethSpec {
                scheme: args.classes.palette.clone().or(preset.spec.scheme.clone()),
                reverse: args.classes.reverse,
                ..preset.spec
            });
        }
    }
    let mut scene =
        crate::scene::Scene::base(atlas, spec.as_ref().map_or(level, |s| s.level), lang);
    if let Some(spec) = &spec {
        check_field(&indicators, spec.level, &spec.field)?;
        let map = crate::choropleth::build(atlas, &indicators, spec, lang)?;
        scene = scene.with_choropleth(&map);
        if let (Some(legend), Some(preset)) = (scene.legend.as_mut(), &chosen_preset) {
            preset.annotate(legend, lang);
        }
    }
    scene.title = title;
    if !site_types.is_empty() {
        scene = scene.with_sites_attribution(lang);
    }
    let focus = args
        .focus
        .as_deref()
        .map(|f| unique_kommune(atlas, f))
        .transpose()?;
    let job = crate::render::ExportJob {
        atlas,
        scene: &scene,
        sites: &sites,
        site_types,
        focus,
        extent: None,
        width: args.width,
        height: args.height,
        lang,
        date: crate::render::today(),
    };
    for warning in job.warnings(Lang::En) {
        eprintln!("integrationsatlas: warning: {warning}");
    }
    job.write(&args.out)?;
    writeln!(
        out,
        "{} ({}×{} px)",
        args.out.display(),
        args.width,
        args.height
    )?;
    Ok(Outcome::Found)
}

fn coverage(
    cli: &Cli,
    atlas: &Atlas,
    args: &CoverageArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let kommune = unique_kommune(atlas, &args.kommune)?;
    let sites = load_sites_quietly(cli, atlas)?;
    let types: Vec<SiteType> = args
        .types
        .iter()
        .map(|t| site_type_arg(&sites, t))
        .collect::<anyhow::Result<_>>()?;
    let indicators = load_indicators(cli, atlas)?;
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    let points = crate::data::places::gemeinde_points(&dir)?;
    let spec = crate::coverage::CoverageSpec {
        kommune,
        radius_km: args.radius_km,
        threshold_km: args.threshold_km,
        types,
    };
    let report = crate::coverage::analyse(atlas, &sites, &indicators, &points, &spec)?;
    let text = match args.format {
        ReportFormat::Md => report.markdown(),
        ReportFormat::Csv => report.csv(),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    match &args.out {
        Some(path) => crate::atomic::write_atomically(path, text.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(Outcome::Found)
}

fn pip(atlas: &Atlas, args: &PipArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let columns = crate::pip::PipColumns {
        lon: args.lon_col.clone(),
        lat: args.lat_col.clone(),
    };
    let options = crate::pip::PipOptions::default();
    let summary = match &args.out {
        Some(path) => crate::pip::pip_to_file(atlas, &args.points, &columns, path, &options)?,
        None => {
            let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
            let summary =
                crate::pip::pip_csv(atlas, &args.points, &columns, &mut buffered, &options)?;
            buffered.flush()?;
            summary
        }
    };
    let table = crate::pip::summary_csv(atlas, &summary);
    match &args.summary {
        Some(path) => crate::atomic::write_atomically(path, table.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
        None => eprint!("{table}"),
    }
    for warning in summary.warnings() {
        eprintln!("integrationsatlas: warning: {warning}");
    }
    Ok(Outcome::Found)
}

/// Loads the site registry of the data folder, checked against the atlas's extent, and prints
/// its warnings on stderr.
pub fn load_sites(cli: &Cli, atlas: &Atlas) -> anyhow::Result<SiteSet> {
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    let (set, warnings) = crate::sites::registry::load_registry_for(atlas, &dir)
        .context("loading the site registry")?;
    print_warnings("the site registry", &warnings);
    Ok(set)
}

/// [`load_sites`] without printing (the warnings were printed by [`run`]).
fn load_sites_quietly(cli: &Cli, atlas: &Atlas) -> anyhow::Result<SiteSet> {
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    let (set, _) = crate::sites::registry::load_registry_for(atlas, &dir)
        .context("loading the site registry")?;
    Ok(set)
}

/// Checks a type code against the registry, suggesting the codes there are.
fn site_type_arg(set: &SiteSet, code: &str) -> anyhow::Result<SiteType> {
    let site_type = SiteType::parse(code);
    if set.types().contains(&site_type) {
        return Ok(site_type);
    }
    if let Some((_, why)) = set.unavailable.iter().find(|(t, _)| *t == site_type) {
        bail!("no {site_type} sites: {why}");
    }
    let known: Vec<String> = set.types().iter().map(|t| t.code().to_owned()).collect();
    bail!(
        "unknown site type {code:?}; use one of {} (IA, JMD, MBE and JC-GS exist only as counts per Kreis: see `regions --level kreis`)",
        known.join(", ")
    )
}

fn imported_sites(
    cli: &Cli,
    atlas: &Atlas,
    args: &SitesArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    let placer = crate::sites::import::Placer::new(atlas, &dir)?;
    let path = args.import.as_deref().unwrap_or(std::path::Path::new(""));
    let (list, report) =
        crate::sites::import::import_sites(path, &placer, &SiteType::parse(&args.import_type))?;
    for line in report.lines(lang) {
        eprintln!("{}: {line}", path.display());
    }
    let set = SiteSet::new(list);
    let listing = SitesArgs {
        site_type: args.site_type.clone(),
        import: None,
        import_type: args.import_type.clone(),
        format: args.format,
    };
    sites(&set, &listing, out)?;
    Ok(if set.sites.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

fn sites(set: &SiteSet, args: &SitesArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let filter = args
        .site_type
        .as_deref()
        .map(|t| site_type_arg(set, t))
        .transpose()?;
    let chosen: Vec<&Site> = set
        .sites
        .iter()
        .filter(|s| filter.as_ref().is_none_or(|t| &s.site_type == t))
        .collect();
    write_table(&chosen, args.format, out)?;
    Ok(Outcome::Found)
}

/// One row of `nearest`.
#[derive(serde::Serialize)]
struct NearestRow<'a> {
    rank: usize,
    #[serde(flatten)]
    site: &'a Site,
    distance_km: f64,
}

/// The point of `nearest`: given lon/lat, or the seat point of a Kommune (its VG250 point).
fn nearest_origin(cli: &Cli, atlas: &Atlas, args: &NearestArgs) -> anyhow::Result<(f64, f64)> {
    if let (Some(lon), Some(lat)) = (args.lon, args.lat) {
        return ToUtm32::from(Crs::Wgs84)
            .convert(lon, lat)
            .with_context(|| format!("--lon {lon} --lat {lat} is not a valid WGS84 position"));
    }
    let name = args.kommune.as_deref().unwrap_or_default();
    let ags = unique_kommune(atlas, name)?;
    let (dir, _) = crate::data::resolve_data_dir(cli.data.as_deref());
    let placer = crate::sites::import::Placer::new(atlas, &dir)?;
    placer
        .seat_xy(&ags)
        .with_context(|| format!("no seat point for Kommune {ags}"))
}

/// The one Gemeinde or Kreis a name or AGS means (see [`crate::search::resolve_kommune`]).
pub fn unique_kommune(atlas: &Atlas, name: &str) -> anyhow::Result<crate::model::Ags> {
    crate::search::resolve_kommune(atlas, name).map_err(anyhow::Error::msg)
}

fn nearest(
    cli: &Cli,
    atlas: &Atlas,
    set: &SiteSet,
    args: &NearestArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let site_type = site_type_arg(set, &args.site_type)?;
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    if let Some(r) = args.radius_km
        && !(r.is_finite() && r > 0.0)
    {
        bail!("--radius-km {r} must be a positive number of kilometres");
    }
    let (x, y) = nearest_origin(cli, atlas, args)?;
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

/// The extra columns of `regions`: every indicator of the level but area and population.
fn extra_indicators(indicators: &IndicatorSet, level: Level) -> Vec<&Indicator> {
    indicators
        .for_level(level)
        .filter(|i| i.key != "area_km2" && i.key != "population")
        .collect()
}

/// An indicator's value for machine-readable output: rounded to 4 decimals, or the category.
fn machine_value(indicator: &Indicator, index: usize) -> serde_json::Value {
    match &indicator.values {
        Values::Numeric(values) => values[index]
            .map(|v| serde_json::json!((v * 10_000.0).round() / 10_000.0))
            .unwrap_or(serde_json::Value::Null),
        Values::Categorical { codes, categories } => codes[index]
            .map(|c| serde_json::Value::String(categories[c].clone()))
            .unwrap_or(serde_json::Value::Null),
    }
}

fn regions(
    atlas: &Atlas,
    indicators: &IndicatorSet,
    args: &RegionsArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let level: Level = args.level.into();
    let extra = extra_indicators(indicators, level);
    let rows: Vec<RegionRow> = atlas.regions(level).iter().map(RegionRow::from).collect();
    match args.format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            let mut header = vec![
                "ags",
                "name",
                "level",
                "parent_ags",
                "area_km2",
                "population",
            ];
            header.extend(extra.iter().map(|i| i.key.as_str()));
            writer.write_record(&header)?;
            for (index, row) in rows.iter().enumerate() {
                let mut record = vec![
                    row.ags.to_owned(),
                    row.name.to_owned(),
                    row.level.key().to_owned(),
                    row.parent_ags.to_owned(),
                    format!("{:.3}", row.area_km2),
                    row.population.to_string(),
                ];
                record.extend(extra.iter().map(|i| match machine_value(i, index) {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }));
                writer.write_record(&record)?;
            }
            writer.flush()?;
        }
        TableFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .enumerate()
                .map(|(index, row)| {
                    let mut object = serde_json::to_value(row).unwrap_or_default();
                    if let Some(map) = object.as_object_mut() {
                        for indicator in &extra {
                            map.insert(indicator.key.clone(), machine_value(indicator, index));
                        }
                    }
                    object
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &objects)?;
            writeln!(out)?;
        }
    }
    Ok(Outcome::Found)
}

impl From<&ClassifyArgs> for ChoroplethSpec {
    fn from(args: &ClassifyArgs) -> Self {
        args.classes
            .spec(args.level.into(), args.field.clone().unwrap_or_default())
    }
}

/// One class in `classify` output.
#[derive(serde::Serialize)]
struct ClassRow {
    class: String,
    lower: Option<f64>,
    upper: Option<f64>,
    count: usize,
    color: String,
    label: String,
}

/// Writes serializable rows as CSV (header from the field names) or as a JSON array.
fn write_table<T: serde::Serialize>(
    rows: &[T],
    format: TableFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        TableFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in rows {
                writer.serialize(row)?;
            }
            writer.flush()?;
        }
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, rows)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn hex(rgba: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgba[0], rgba[1], rgba[2])
}

fn classify(
    atlas: &Atlas,
    mut indicators: IndicatorSet,
    args: &ClassifyArgs,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let mut spec = ChoroplethSpec::from(args);
    if let (Some(path), Some(key), Some(value)) = (&args.csv, &args.key, &args.value) {
        let mut table = crate::data::own_csv::read_own_table(path, args.sheet.as_deref())?;
        table.choice = crate::data::own_csv::numbers::NumberChoice {
            decimal: args.decimal,
            thousands: args.thousands,
        };
        let (indicator, report) =
            crate::data::own_csv::join_own(atlas, &table, key, value, spec.level)?;
        for line in report.lines(lang) {
            eprintln!("{}: {line}", path.display());
        }
        spec.field = indicator.key.clone();
        indicators.upsert(indicator);
    }
    check_field(&indicators, spec.level, &spec.field)?;
    let map = crate::choropleth::build(atlas, &indicators, &spec, lang)?;
    let mut rows: Vec<ClassRow> = match &map.classes {
        Some(classes) => map
            .legend
            .entries
            .iter()
            .enumerate()
            .map(|(i, entry)| ClassRow {
                class: (i + 1).to_string(),
                lower: Some(classes.breaks[i]),
                upper: Some(classes.breaks[i + 1]),
                count: entry.count,
                color: hex(entry.color),
                label: entry.label.clone(),
            })
            .collect(),
        None => map
            .legend
            .entries
            .iter()
            .enumerate()
            .map(|(i, entry)| ClassRow {
                class: (i + 1).to_string(),
                lower: None,
                upper: None,
                count: entry.count,
                color: hex(entry.color),
                label: entry.label.clone(),
            })
            .collect(),
    };
    if let Some(nodata) = &map.legend.nodata {
        rows.push(ClassRow {
            class: "nodata".to_owned(),
            lower: None,
            upper: None,
            count: nodata.count,
            color: hex(nodata.color),
            label: nodata.label.clone(),
        });
    }
    match args.format {
        TableFormat::Csv => write_table(&rows, TableFormat::Csv, out)?,
        TableFormat::Json => {
            let json = serde_json::json!({
                "level": spec.level,
                "field": spec.field,
                "title": map.legend.title,
                "method": spec.method.key(),
                "method_label": map.legend.method,
                "classes_requested": map.classes.as_ref().map(|c| c.requested),
                "breaks": map.classes.as_ref().map(|c| c.breaks.clone()),
                "palette": map.scheme.name,
                "classes": rows,
                "source": map.legend.source,
                "note": map.legend.note,
            });
            serde_json::to_writer_pretty(&mut *out, &json)?;
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
