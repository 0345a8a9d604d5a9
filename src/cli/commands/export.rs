//! `export`: a map as SVG or PNG, from flags or a preset of the report. The flags become a
//! [`MapRequest`]; the scene comes from the core's one composition point, as in the window.

use std::io::Write;

use anyhow::Context as _;
use atlas_core::cartography::presets::preset;
use atlas_core::cartography::request::MapRequest;
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use atlas_core::sites::SiteType;

use super::{check_field, site_type_arg, unique_kommune};
use crate::cli::args::ExportArgs;
use crate::cli::{Context, Outcome};

/// The map the flags of `export` ask for.
pub fn export_request(ctx: &Context, args: &ExportArgs) -> anyhow::Result<MapRequest> {
    let (atlas, lang) = (&ctx.atlas, ctx.lang);
    let site_types: Vec<SiteType> = args
        .sites
        .iter()
        .map(|t| site_type_arg(&ctx.sites, t))
        .collect::<anyhow::Result<_>>()?;
    let level = args.level.map_or(Level::Gemeinde, Level::from);
    let mut request = match args.preset.as_deref() {
        None => MapRequest {
            theme: args
                .field
                .as_ref()
                .map(|field| args.classes.spec(level, field.clone())),
            site_types,
            ..MapRequest::new(level, lang)
        },
        Some(key) => {
            let key = key.to_ascii_lowercase();
            let preset = preset(&key).with_context(|| {
                format!("unknown preset {key:?}; use abb5, abb14, abb15 or abb16")
            })?;
            let mut request = MapRequest::preset(&preset, lang);
            if let Some(theme) = request.theme.as_mut() {
                theme.scheme = args.classes.palette.clone().or(theme.scheme.take());
                theme.reverse = args.classes.reverse;
            }
            if request.site_types.is_empty() {
                request.site_types = site_types;
            }
            request
        }
    };
    if let Some(theme) = &request.theme {
        check_field(&ctx.indicators, theme.level, &theme.field)?;
    }
    request.title.clone_from(&args.title);
    request.focus = args
        .focus
        .as_deref()
        .map(|f| unique_kommune(atlas, f))
        .transpose()?;
    request.width = args.width;
    request.height = args.height;
    request.labels = args.labels;
    Ok(request)
}

/// Writes the map and prints the file with its size.
pub(crate) fn export(
    ctx: &Context,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let request = export_request(ctx, args)?;
    let scene = atlas_core::cartography::request::compose(&ctx.atlas, &ctx.indicators, &request)
        .map_err(super::choropleth_flags)?;
    let job = atlas_core::render::ExportJob::of_request(
        &request,
        &ctx.atlas,
        &scene,
        &ctx.sites,
        atlas_core::render::today(),
    );
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
