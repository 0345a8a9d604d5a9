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
    if let Some(project) = &args.project {
        return export_project(ctx, args, project, out);
    }
    let request = export_request(ctx, args)?;
    let scene = atlas_core::cartography::request::compose(&ctx.atlas, &ctx.indicators, &request)
        .map_err(super::choropleth_flags)?;
    write_job(ctx, args, &request, &scene, &ctx.sites, out)
}

/// Writes the export of a composed request and prints the file with its size.
fn write_job(
    ctx: &Context,
    args: &ExportArgs,
    request: &MapRequest,
    scene: &atlas_core::cartography::scene::Scene,
    sites: &atlas_core::sites::SiteSet,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let job = atlas_core::render::ExportJob::of_request(
        request,
        &ctx.atlas,
        scene,
        sites,
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

/// `export --project`: the map of a saved project, with its own data, imports and site edits;
/// what of the project cannot be used is said on stderr, the rest is rendered.
fn export_project(
    ctx: &Context,
    args: &ExportArgs,
    path: &std::path::Path,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    use atlas_core::project::Project;
    let opened = Project::open(path)?;
    let warn = |line: &str| eprintln!("integrationsatlas: warning: {}: {line}", path.display());
    opened.skipped.iter().for_each(|s| warn(s));
    let project = opened.project;
    let placer = ctx.placer()?;
    let restored = atlas_core::project::restore::restore(
        &project,
        Some(path),
        &ctx.atlas,
        &ctx.sites,
        &placer,
    );
    restored.problems.iter().for_each(|s| warn(s));
    let mut indicators = ctx.indicators.clone();
    if let Some(own) = restored.own.clone() {
        indicators.upsert(own);
    }
    let (mut request, problems) = project.map_request();
    problems.iter().for_each(|s| warn(s));
    if let Some(theme) = &request.theme
        && indicators.get(theme.level, &theme.field).is_none()
    {
        warn(&format!(
            "theme field {:?} does not exist at level {}; the map shows plain boundaries",
            theme.field, theme.level
        ));
        request.theme = None;
    }
    request.width = args.width;
    request.height = args.height;
    if args.title.is_some() {
        request.title.clone_from(&args.title);
    }
    let mut scene = atlas_core::cartography::request::compose(&ctx.atlas, &indicators, &request)
        .map_err(super::choropleth_flags)?;
    let shows_postcode_sites = restored.sites.sites.iter().any(|s| {
        s.precision == atlas_core::sites::PRECISION_PLZ && request.site_types.contains(&s.site_type)
    });
    if shows_postcode_sites {
        scene = scene.with_postcode_attribution(request.lang);
    }
    write_job(ctx, args, &request, &scene, &restored.sites, out)
}
