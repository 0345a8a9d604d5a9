//! One module per subcommand; each takes the [`Context`](crate::cli::Context) and the subcommand's flags and
//! writes its result to `out`. The checks shared by several subcommands are here.

mod access;
mod atlas;
mod catchments;
mod classify;
mod coverage;
mod derive_sites;
mod export;
mod grid_coverage;
mod indicators;
mod layer_output;
mod lookup;
mod nearest;
mod pip;
mod profile;
mod regions;
mod sites;
mod suggest;

pub(crate) use access::access;
pub(crate) use atlas::atlas;
pub(crate) use catchments::catchments;
pub(crate) use classify::classify;
pub(crate) use coverage::coverage;
pub(crate) use derive_sites::derive_sites;
pub(crate) use export::export;
pub use export::export_request;
pub(crate) use grid_coverage::grid_coverage;
pub(crate) use indicators::{indicators, wants_inkar};
pub(crate) use lookup::lookup;
pub(crate) use nearest::nearest;
pub(crate) use pip::pip;
pub(crate) use profile::profile;
pub(crate) use regions::regions;
pub(crate) use sites::{imported_sites, sites};
pub(crate) use suggest::suggest;

use anyhow::bail;
use atlas_core::analysis::classify::ClassifyError;
use atlas_core::analysis::indicators::IndicatorSet;
use atlas_core::cartography::choropleth::ChoroplethError;
use atlas_core::model::{Ags, Atlas, Level};
use atlas_core::sites::{SiteSet, SiteType};

/// Refuses a field the level lacks when the listing of the level's fields would not help:
/// the level has none (the Land is one region), or the field exists at other levels.
/// Otherwise the map builder's own error lists the level's fields.
pub(crate) fn check_field(
    indicators: &IndicatorSet,
    level: Level,
    field: &str,
) -> anyhow::Result<()> {
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

/// Checks a type code against the registry, suggesting the codes there are.
pub(crate) fn site_type_arg(set: &SiteSet, code: &str) -> anyhow::Result<SiteType> {
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

/// The one Gemeinde or Kreis a name or AGS means (see [`atlas_core::analysis::search::resolve_kommune`]).
pub(crate) fn unique_kommune(atlas: &Atlas, name: &str) -> anyhow::Result<Ags> {
    atlas_core::analysis::search::resolve_kommune(atlas, name).map_err(anyhow::Error::msg)
}

/// A thematic map's error in the words of the command line: manual breaks are named by their
/// flag.
pub(crate) fn choropleth_flags(err: ChoroplethError) -> anyhow::Error {
    match err {
        ChoroplethError::Classify(ClassifyError::BadBreaks(why)) => anyhow::anyhow!(
            "manual breaks {why}; give ascending numbers such as --breaks 100,200,500"
        ),
        other => other.into(),
    }
}
