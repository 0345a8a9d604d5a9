//! `export`: a map as SVG, PNG or PDF, from flags, a preset of the report or a saved project. The flags become a
//! [`MapRequest`]; the scene comes from the core's one composition point, as in the window.

use std::io::Write;

use anyhow::Context as _;
use atlas_core::cartography::presets::preset;
use atlas_core::cartography::request::MapRequest;
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use atlas_core::sites::SiteType;

use super::{check_field, site_type_arg, unique_kommune};
use atlas_core::render::pdf::PdfOptions;

use crate::cli::args::{ExportArgs, PrintArgs};
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
    (request.width, request.height) =
        picture_size(&args.print, &args.out, (args.width, args.height));
    request.labels = args.labels;
    Ok(request)
}

/// The picture's size in pixels: with `--paper` the sheet's content box (PDF, SVG) or the
/// sheet at `--dpi` (PNG), else `pixels`.
pub(crate) fn picture_size(
    print: &PrintArgs,
    out: &std::path::Path,
    pixels: (u32, u32),
) -> (u32, u32) {
    let Some(paper) = print.paper else {
        return pixels;
    };
    let png = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png {
        paper.pixels(print.dpi)
    } else {
        paper.content_px()
    }
}

/// The PDF options of the print flags.
pub(crate) fn pdf_options(print: &PrintArgs, lang: Lang) -> PdfOptions {
    PdfOptions {
        paper: print.paper,
        pdfa: print.pdfa,
        title: None,
        lang,
    }
}

/// Writes an export job to `out` as its ending says, with the print flags (paper, PDF/A, text
/// as paths, embedded font).
pub(crate) fn write_job(
    job: &atlas_core::render::ExportJob,
    out: &std::path::Path,
    print: &PrintArgs,
    lang: Lang,
) -> anyhow::Result<()> {
    let svg = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if svg && (print.text_as_paths || print.embed_font) {
        let document = if print.text_as_paths {
            atlas_core::render::raster::text_as_paths(&job.svg()?)?
        } else {
            atlas_core::render::svg_font::embed(&job.svg()?)?
        };
        atlas_core::atomic::write_atomically(out, document.as_bytes())
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", out.display()))?;
        return Ok(());
    }
    job.write_with(out, &pdf_options(print, lang))?;
    Ok(())
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
    write_export(ctx, args, &request, &scene, &ctx.sites, out)
}

/// Writes the export of a composed request and prints the file with its size.
fn write_export(
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
    write_job(&job, &args.out, &args.print, ctx.lang)?;
    let pdf = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    match args.print.paper {
        Some(paper) if pdf => writeln!(out, "{} ({paper}, 1 page)", args.out.display())?,
        _ => writeln!(
            out,
            "{} ({}×{} px)",
            args.out.display(),
            request.width,
            request.height
        )?,
    }
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
    (request.width, request.height) =
        picture_size(&args.print, &args.out, (args.width, args.height));
    request.labels = request.labels || args.labels;
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
    write_export(ctx, args, &request, &scene, &restored.sites, out)
}
