//! `sites`: the registry's sites, or those of an imported file.

use std::io::Write;

use atlas_core::sites::{Site, SiteSet, SiteType};

use atlas_core::sites::details::DetailsById;

use super::{layer_output, site_type_arg};
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
    let imported = atlas_core::sites::import::import_sites_with(
        path,
        &placer,
        &SiteType::parse(&args.import_type),
        &Default::default(),
    )?;
    let (list, report, details) = (imported.sites, imported.report, imported.details);
    for line in report.lines(lang) {
        eprintln!("{}: {line}", path.display());
    }
    let set = SiteSet::new(list);
    let listing = SitesArgs {
        site_type: args.site_type.clone(),
        import: None,
        import_type: args.import_type.clone(),
        format: args.format,
        out: args.out.clone(),
    };
    listed_sites(&set, &details, &listing, lang, out)?;
    Ok(if set.sites.is_empty() {
        Outcome::NothingFound
    } else {
        Outcome::Found
    })
}

pub(crate) fn sites(
    ctx: &Context,
    args: &SitesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    listed_sites(&ctx.sites, &DetailsById::new(), args, ctx.lang, out)
}

/// The sites of a set (of one type with `--type`) as a table or a GIS layer.
fn listed_sites(
    set: &SiteSet,
    details: &DetailsById,
    args: &SitesArgs,
    lang: atlas_core::i18n::Lang,
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
    let Some(format) = args.format.table() else {
        let table = atlas_core::exchange::layers::sites_table("sites", &chosen, details, lang);
        layer_output::write_layer(&table, args.format, args.out.as_deref(), out)?;
        return Ok(Outcome::Found);
    };
    layer_output::table_output(args.out.as_deref(), out, |out| {
        write_table(&chosen, format, out)
    })?;
    Ok(Outcome::Found)
}
