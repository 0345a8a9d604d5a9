//! `sites`: the registry's sites, or those of an imported file.

use std::io::Write;

use atlas_core::sites::{Site, SiteSet, SiteType};

use super::site_type_arg;
use crate::cli::args::*;
use crate::cli::output::write_table;
use crate::cli::{Context, Outcome};

pub(crate) fn imported_sites(
    ctx: &Context,
    args: &SitesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let lang = ctx.lang;
    let placer = ctx.placer()?;
    let path = args.import.as_deref().unwrap_or(std::path::Path::new(""));
    let (list, report) = atlas_core::sites::import::import_sites(
        path,
        &placer,
        &SiteType::parse(&args.import_type),
    )?;
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

pub(crate) fn sites(
    set: &SiteSet,
    args: &SitesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
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
