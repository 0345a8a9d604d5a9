//! The argument types: clap structs and enums mirroring the flags, and their conversion into
//! core types. Nothing here reads a file.

use std::path::PathBuf;

use atlas_core::analysis::classify::{Hinge, Method};
use atlas_core::analysis::indicators::ChangeKind;
use atlas_core::cartography::choropleth::{ChoroplethSpec, TimeView};
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Open the window with this saved project (.atlas.json).
    #[arg(long, value_name = "FILE")]
    pub project: Option<PathBuf>,

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
    /// Export a map as PNG, SVG or vector PDF (title, legend, scale bar, north arrow, attribution).
    Export(ExportArgs),
    /// Inhabitants beyond S km of the nearest site, on the Zensus 2011 1 km grid, per area.
    GridCoverage(GridCoverageArgs),
    /// Every grid cell assigned to its nearest site: inhabitants served per site.
    Catchments(CatchmentsArgs),
    /// Supply ratio with competition (2SFCA / E2SFCA), sites per 100,000 inhabitants, per area.
    Access(AccessArgs),
    /// Where new sites should go: the proven best p new sites (or the fewest for a target
    /// share) so that the most people live within S km, on the Zensus 1 km grid.
    Suggest(SuggestArgs),
    /// List the indicators (INKAR's and the atlas's own) with level, unit, years and source.
    Indicators(IndicatorsArgs),
    /// One map page per Kreis or Gemeinde, focused on it, as one PDF or a folder of PNG/SVG.
    Atlas(AtlasArgs),
    /// The profile (Steckbrief) of a Kommune: map, key figures, institutions, coverage.
    Profile(ProfileArgs),
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
    #[arg(long, default_value = atlas_core::sites::OWN_SITES, value_name = "TYPE")]
    pub import_type: String,
    /// Output format: a table (csv, json) or a GIS layer (gpkg: GeoPackage in EPSG:25832;
    /// geojson: RFC 7946 in WGS84).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: LayerFormat,
    /// Write the output here (atomically) instead of to stdout; required for gpkg.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Output format of `regions` and `sites`: a table or a GIS layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LayerFormat {
    /// Comma-separated values with a header row.
    #[default]
    Csv,
    /// A JSON array of objects.
    Json,
    /// An OGC GeoPackage 1.3 (EPSG:25832), as QGIS opens it; needs --out.
    Gpkg,
    /// An RFC 7946 GeoJSON FeatureCollection (WGS84).
    Geojson,
}

impl LayerFormat {
    /// The table format, for csv and json.
    pub fn table(self) -> Option<TableFormat> {
        match self {
            LayerFormat::Csv => Some(TableFormat::Csv),
            LayerFormat::Json => Some(TableFormat::Json),
            LayerFormat::Gpkg | LayerFormat::Geojson => None,
        }
    }
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
    /// The file to write: .png, .svg or .pdf.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Render the map of a saved project (.atlas.json) instead of the map flags.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["preset", "level", "field", "sites", "focus"])]
    pub project: Option<PathBuf>,
    /// Print size instead of pixels: A4, A3, A4-landscape, A3-landscape (a PDF page with 10 mm
    /// margins; a PNG of the sheet at --dpi).
    #[command(flatten)]
    pub print: PrintArgs,
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
    /// Write the region names on the map (placed without overlaps, most populous first).
    #[arg(long)]
    pub labels: bool,
}

/// Print flags shared by `export`, `atlas` and `profile`.
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Paper: A4, A3, A4-landscape, A3-landscape (overrides --width/--height).
    #[arg(long, value_name = "SHEET", value_parser = parse_paper)]
    pub paper: Option<atlas_core::render::pdf::Paper>,
    /// With --paper and a .png file: dots per inch.
    #[arg(long, default_value_t = 300.0, value_name = "DPI")]
    pub dpi: f64,
    /// Write PDF/A-2b (for archiving).
    #[arg(long)]
    pub pdfa: bool,
    /// In an SVG: text as outlines (looks the same without the font; not searchable).
    #[arg(long, conflicts_with = "embed_font")]
    pub text_as_paths: bool,
    /// In an SVG: embed the map font, subset to the characters used (looks the same on
    /// machines without it; text stays searchable).
    #[arg(long)]
    pub embed_font: bool,
}

fn parse_paper(text: &str) -> Result<atlas_core::render::pdf::Paper, String> {
    atlas_core::render::pdf::Paper::parse(text)
        .ok_or_else(|| format!("unknown paper {text:?}; use A4, A3, A4-landscape or A3-landscape"))
}

/// Flags of `atlas`.
#[derive(Debug, Args)]
pub struct AtlasArgs {
    /// One page per region of this level.
    #[arg(long, value_enum, default_value = "kreis")]
    pub level: AtlasLevelArg,
    /// Only the regions in this Regierungsbezirk or Kreis (name or AGS).
    #[arg(long = "in", value_name = "REGION")]
    pub within: Option<String>,
    /// A figure of the report: abb5, abb14, abb15, abb16.
    #[arg(long, conflicts_with = "field")]
    pub preset: Option<String>,
    /// Indicator to colour by (classes are fixed over all regions of its level).
    #[arg(long)]
    pub field: Option<String>,
    /// Classes and colours.
    #[command(flatten)]
    pub classes: ClassArgs,
    /// Site layers to draw, e.g. KI,ABH.
    #[arg(long = "coverage", value_delimiter = ',', value_name = "TYPE")]
    pub sites: Vec<String>,
    /// A .pdf file (contents page, bookmarks), or a folder for one .png (or .svg with
    /// --format svg) per region named <AGS>_<name>.
    #[arg(long, value_name = "FILE.pdf|DIR")]
    pub out: PathBuf,
    /// Image format of a folder atlas.
    #[arg(long, value_enum, default_value = "png")]
    pub format: AtlasImageFormat,
    /// Paper of the PDF (default A4 portrait) or print size of the images.
    #[command(flatten)]
    pub print: PrintArgs,
}

/// The levels an atlas can page through.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AtlasLevelArg {
    /// The 53 Kreise and kreisfreie Städte.
    Kreis,
    /// The 396 Gemeinden.
    Gemeinde,
}

/// Image format of a folder atlas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AtlasImageFormat {
    /// PNG images.
    Png,
    /// SVG documents.
    Svg,
}

/// Flags of `profile`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The Kommune(s): Gemeinde or Kreis by name or AGS, comma-separated ("Kreis Olpe", 05315000).
    #[arg(long, value_delimiter = ',', required_unless_present = "all_kreise")]
    pub kommune: Vec<String>,
    /// A profile of every Kreis and kreisfreie Stadt.
    #[arg(long, conflicts_with = "kommune")]
    pub all_kreise: bool,
    /// Write here: .pdf or .md (one file for several Kommunen); default Markdown on stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print flags of the PDF.
    #[command(flatten)]
    pub print: PrintArgs,
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

/// The site layer of the grid analyses: a type of the registry, plus the sites of an own file.
#[derive(Debug, Args)]
pub struct GridSitesArgs {
    /// Site type: KI, ABH, JA, JC (or the type of imported sites).
    #[arg(long = "type", value_name = "TYPE")]
    pub site_type: String,
    /// Add the sites of your own file (CSV with lon/lat, x/y, ags or kommune; GeoJSON points;
    /// point shapefile) to the registry's; rows that fail are reported on stderr.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// With --import: the type of rows that name none.
    #[arg(long, default_value = atlas_core::sites::OWN_SITES, value_name = "TYPE")]
    pub import_type: String,
}

/// Flags of `grid-coverage`.
#[derive(Debug, Args)]
pub struct GridCoverageArgs {
    /// The site layer.
    #[command(flatten)]
    pub sites: GridSitesArgs,
    /// A cell farther than this from the nearest site (distance > S) is beyond, km.
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub threshold_km: f64,
    /// The areas to sum the cells over.
    #[arg(long, value_enum)]
    pub level: LevelArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

/// Flags of `catchments`.
#[derive(Debug, Args)]
pub struct CatchmentsArgs {
    /// The site layer.
    #[command(flatten)]
    pub sites: GridSitesArgs,
    /// Output format: a table (csv, json) or the catchment outlines as a GIS layer (gpkg:
    /// GeoPackage in EPSG:25832; geojson: RFC 7946 in WGS84).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: LayerFormat,
    /// Write the output here (atomically) instead of to stdout; required for gpkg.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Distance decay of `access`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DecayArg {
    /// Classic 2SFCA: every cell within the catchment counts fully.
    #[default]
    None,
    /// E2SFCA: Gaussian weight exp(-d²/(2σ²)) within the catchment.
    Gaussian,
}

/// Flags of `access`.
#[derive(Debug, Args)]
pub struct AccessArgs {
    /// The site layer.
    #[command(flatten)]
    pub sites: GridSitesArgs,
    /// The catchment distance d0: a site serves the cells within it (≤), km.
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub catchment_km: f64,
    /// Distance decay within the catchment.
    #[arg(long, value_enum, default_value = "none")]
    pub decay: DecayArg,
    /// With --decay gaussian: the width σ, km (default: half the catchment distance).
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub sigma_km: Option<f64>,
    /// With --import (a CSV file): the numeric column holding each site's capacity, e.g. staff
    /// (default: every site has capacity 1).
    #[arg(long, value_name = "COL", requires = "import")]
    pub capacity_column: Option<String>,
    /// The areas to average the cells over (population-weighted).
    #[arg(long, value_enum)]
    pub level: LevelArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

/// Whom `suggest` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum WeightArg {
    /// All inhabitants.
    #[default]
    Einwohner,
    /// Foreign residents (cells with an unknown share count 0; the output says how many
    /// inhabitants that leaves out).
    Auslaender,
    /// Inhabitants under 18 (cells with an unknown share count 0).
    Unter18,
}

impl From<WeightArg> for atlas_core::analysis::site_selection::Weight {
    fn from(weight: WeightArg) -> Self {
        use atlas_core::analysis::site_selection::Weight;
        match weight {
            WeightArg::Einwohner => Weight::Einwohner,
            WeightArg::Auslaender => Weight::Auslaender,
            WeightArg::Unter18 => Weight::Unter18,
        }
    }
}

/// Flags of `suggest`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// Site type of the new sites: KI, ABH, JA, JC (the existing ones stay).
    #[arg(long = "type", value_name = "TYPE")]
    pub site_type: String,
    /// A cell is covered when its centre lies within this straight-line distance of a site, km.
    #[arg(
        long,
        default_value_t = 15.0,
        allow_negative_numbers = true,
        value_name = "KM"
    )]
    pub radius_km: f64,
    /// How many new sites (1–10): the proven best choice (maximal covering).
    #[arg(
        long = "new",
        value_name = "P",
        required_unless_present = "target_pct",
        conflicts_with = "target_pct"
    )]
    pub new_sites: Option<usize>,
    /// Instead of --new: the fewest new sites so that at least this % live within reach.
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub target_pct: Option<f64>,
    /// Whom to count.
    #[arg(long, value_enum, default_value = "einwohner")]
    pub weight: WeightArg,
    /// Where new sites may go: gemeinden (the 396 centre points) or cells:MIN (the centre of
    /// every 1 km cell with at least MIN inhabitants).
    #[arg(
        long,
        default_value = "gemeinden",
        value_name = "gemeinden | cells:MIN"
    )]
    pub candidates: String,
    /// Only candidates inside this Kreis or Regierungsbezirk (name or AGS).
    #[arg(long, value_name = "NAME|AGS")]
    pub within: Option<String>,
    /// Search limit: candidates ranked over all branch-and-bound nodes (about 20–50 million
    /// a second); when hit, the output says so and gives a proven bound.
    #[arg(long, default_value_t = atlas_core::analysis::site_selection::solver::DEFAULT_MAX_WORK, value_name = "N")]
    pub search_limit: u64,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// Write the result here (atomically) instead of to stdout.
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
    /// Add these indicators as columns, e.g. INKAR ids from `indicators` (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub field: Vec<String>,
    /// With --field: the year of indicators with values per year (default: the latest).
    #[arg(long, value_name = "YEAR", requires = "field")]
    pub year: Option<String>,
    /// Output format: a table (csv, json) or the regions with their outlines as a GIS layer
    /// (gpkg: GeoPackage in EPSG:25832; geojson: RFC 7946 in WGS84).
    #[arg(long, value_enum, default_value = "csv")]
    pub format: LayerFormat,
    /// Write the output here (atomically) instead of to stdout; required for gpkg.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// With --format gpkg|geojson: add the `grid-coverage` columns of this site type (KI, ABH,
    /// JA, JC), named `<type>_<S>km_<column>`, e.g. abh_15km_einwohner_beyond.
    #[arg(long, value_name = "TYPE", requires = "threshold_km")]
    pub grid_coverage: Option<String>,
    /// With --grid-coverage: the distance S, km.
    #[arg(
        long,
        value_name = "KM",
        requires = "grid_coverage",
        allow_negative_numbers = true
    )]
    pub threshold_km: Option<f64>,
    /// With --format gpkg|geojson: add the `access` value (2SFCA, capacity 1 per site) of this
    /// site type, named `<type>_access_<D>km`, e.g. abh_access_15km.
    #[arg(long, value_name = "TYPE", requires = "catchment_km")]
    pub access: Option<String>,
    /// With --access: the catchment distance d0, km.
    #[arg(
        long,
        value_name = "KM",
        requires = "access",
        allow_negative_numbers = true
    )]
    pub catchment_km: Option<f64>,
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
    /// GeoDa's box map: outliers beyond --hinge × IQR, quartiles (six classes).
    Boxmap,
    /// GeoDa's percentile map: <1, 1–10, 10–50, 50–90, 90–99, >99 % (six classes).
    Percentile,
}

/// The hinge of a box map.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HingeArg {
    /// 1.5 × IQR.
    #[value(name = "1.5")]
    OneAndHalf,
    /// 3.0 × IQR.
    #[value(name = "3", alias = "3.0")]
    Three,
}

/// How `--change-from` expresses the change.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ChangeArg {
    /// The later value minus the earlier one.
    #[default]
    Absolute,
    /// The difference in percent of the earlier value.
    Percent,
}

/// Flags of `indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Only the indicators of this level.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Only those matching these words (umlaut-tolerant), e.g. "asyl" or "oberzentrum".
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
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
    /// With --method boxmap: the hinge, 1.5 or 3.
    #[arg(long, value_enum, default_value = "1.5")]
    pub hinge: HingeArg,
    /// The year of an indicator with values per year (see `indicators`), e.g. 2019 or
    /// 2016/2017/2018; default: its latest year.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// Map the change from this year to --year (default: the latest) instead of one year.
    #[arg(long, value_name = "YEAR")]
    pub change_from: Option<String>,
    /// With --change-from: the difference (absolute) or the difference in percent.
    #[arg(long, value_enum, default_value = "absolute", requires = "change_from")]
    pub change: ChangeArg,
    /// Classify over the values of all years, so maps of different years share their breaks.
    #[arg(long, conflicts_with = "change_from")]
    pub fixed_breaks: bool,
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
            MethodArg::Boxmap => Method::BoxMap(match self.hinge {
                HingeArg::OneAndHalf => Hinge::OneAndHalf,
                HingeArg::Three => Hinge::Three,
            }),
            MethodArg::Percentile => Method::Percentile,
        };
        let time = TimeView {
            year: self.year.clone(),
            change_from: self.change_from.clone(),
            change: match self.change {
                ChangeArg::Absolute => ChangeKind::Absolute,
                ChangeArg::Percent => ChangeKind::Percent,
            },
            fixed_breaks: self.fixed_breaks,
        };
        ChoroplethSpec {
            level,
            field,
            method,
            classes: self.classes,
            scheme: self.palette.clone(),
            reverse: self.reverse,
            time,
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
    #[arg(long, requires = "csv", value_name = ", | .", value_parser = atlas_core::data::own_csv::numbers::parse_decimal)]
    pub decimal: Option<atlas_core::data::own_csv::numbers::Decimal>,
    /// With --csv: the thousands separator of the value column: `.`, `,`, `space` or `none`.
    #[arg(long, requires = "csv", value_name = ". | , | space | none", value_parser = atlas_core::data::own_csv::numbers::parse_thousands)]
    pub thousands: Option<atlas_core::data::own_csv::numbers::Thousands>,
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

impl From<&ClassifyArgs> for ChoroplethSpec {
    fn from(args: &ClassifyArgs) -> Self {
        args.classes
            .spec(args.level.into(), args.field.clone().unwrap_or_default())
    }
}
