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
