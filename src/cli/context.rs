//! The context of one run: the data folder, resolved once from `--data`, the environment or the
//! bundled data, and what is loaded from it — the atlas, the thematic files and the site
//! registry up front (their warnings are printed once), the Gemeinde points and the seat
//! placer only when a subcommand asks.

use std::cell::OnceCell;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::data::places::GemeindePoint;
use atlas_core::i18n::Lang;
use atlas_core::model::{Ags, Atlas};
use atlas_core::sites::SiteSet;

use super::args::Cli;
use super::output::print_warnings;

/// Everything a subcommand reads, loaded from one data folder.
pub struct Context {
    /// The data folder.
    pub dir: PathBuf,
    /// The language of messages and maps.
    pub lang: Lang,
    /// The boundaries and base statistics.
    pub atlas: Atlas,
    /// The indicators of the thematic files.
    pub indicators: IndicatorSet,
    /// The site registry, checked against the atlas's extent.
    pub sites: SiteSet,
    points: OnceCell<std::collections::HashMap<Ags, GemeindePoint>>,
}

impl Context {
    /// Resolves the data folder once and loads the atlas, the thematic files and the site
    /// registry, printing the warnings of each on stderr.
    pub fn open(cli: &Cli) -> anyhow::Result<Context> {
        let (dir, source) = atlas_core::data::resolve_data_dir(cli.data.as_deref());
        check_data_dir(&dir, source)?;
        let atlas = atlas_core::data::load_atlas(&dir).context("loading the atlas")?;
        print_warnings("the boundary data", &atlas.provenance.warnings);
        let indicators = atlas_core::data::thematic::load_indicators(&atlas, &dir)
            .context("loading the thematic data")?;
        print_warnings("the thematic files", &indicators.warnings);
        let (sites, warnings) = atlas_core::sites::registry::load_registry_for(&atlas, &dir)
            .context("loading the site registry")?;
        print_warnings("the site registry", &warnings);
        Ok(Context {
            dir,
            lang: cli.lang.into(),
            atlas,
            indicators,
            sites,
            points: OnceCell::new(),
        })
    }

    /// Adds the INKAR indicators (`inkar/` of the data folder) to [`Context::indicators`],
    /// printing their warnings on stderr; only the subcommands that use them call this.
    pub fn add_inkar(&mut self) {
        let before = self.indicators.warnings.len();
        atlas_core::data::inkar::add_inkar(&self.atlas, &self.dir, &mut self.indicators);
        print_warnings("the INKAR files", &self.indicators.warnings[before..]);
    }

    /// The VG250 points of the Gemeinden (read on first use).
    pub fn points(&self) -> anyhow::Result<&std::collections::HashMap<Ags, GemeindePoint>> {
        if let Some(points) = self.points.get() {
            return Ok(points);
        }
        let points = atlas_core::data::places::gemeinde_points(&self.dir)?;
        Ok(self.points.get_or_init(|| points))
    }

    /// The placer of imported sites and seat points (reads the data folder's places).
    pub fn placer(&self) -> anyhow::Result<atlas_core::sites::import::Placer<'_>> {
        Ok(atlas_core::sites::import::Placer::new(
            &self.atlas,
            &self.dir,
        )?)
    }
}

/// A clear error if the data folder is missing or is a file, saying where the choice came from.
pub fn check_data_dir(
    dir: &std::path::Path,
    source: atlas_core::data::DataSource,
) -> anyhow::Result<()> {
    use atlas_core::data::{DATA_ENV, DataSource};
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
