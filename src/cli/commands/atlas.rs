//! `atlas`: one map page per Kreis or Gemeinde (optionally only those in a Bezirk or Kreis),
//! as one PDF with a contents page and bookmarks, or a folder of PNG/SVG images. The map is
//! classified once, so the classes are the same on every page.

use std::io::Write;

use anyhow::{Context as _, bail};
use atlas_core::cartography::presets::preset;
use atlas_core::cartography::request::MapRequest;
use atlas_core::model::Level;
use atlas_core::render::pdf::Paper;
use atlas_core::report::atlas::AtlasSpec;
use atlas_core::sites::SiteType;

use super::{check_field, site_type_arg};
use crate::cli::args::{AtlasArgs, AtlasImageFormat, AtlasLevelArg};
use crate::cli::{Context, Outcome};

/// The paper of an atlas PDF when `--paper` is not given.
const DEFAULT_PAPER: Paper = Paper {
    sheet: atlas_core::render::pdf::Sheet::A4,
    landscape: true,
};

/// Writes the atlas and prints what was written.
pub(crate) fn atlas(
    ctx: &Context,
    args: &AtlasArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let level = match args.level {
        AtlasLevelArg::Kreis => Level::Kreis,
        AtlasLevelArg::Gemeinde => Level::Gemeinde,
    };
    let within = args
        .within
        .as_deref()
        .map(|name| within_region(ctx, name))
        .transpose()?;
    let pdf = args
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let mut request = atlas_request(ctx, args, level)?;
    let paper = args.print.paper.unwrap_or(DEFAULT_PAPER);
    (request.width, request.height) = if pdf {
        paper.content_px()
    } else if let Some(paper) = args.print.paper {
        paper.pixels(args.print.dpi)
    } else {
        (1600, 1200)
    };
    let map = request
        .choropleth(&ctx.atlas, &ctx.indicators)
        .map_err(super::choropleth_flags)?;
    let spec = AtlasSpec {
        atlas: &ctx.atlas,
        sites: &ctx.sites,
        request,
        map: map.as_ref(),
        level,
        within,
        date: atlas_core::render::today(),
    };
    let count = spec.regions().len();
    if count == 0 {
        bail!("no {level} lies in the region given with --in");
    }
    if pdf {
        let atlas = spec.pdf(paper, args.print.pdfa)?;
        atlas_core::atomic::write_atomically(&args.out, &atlas.bytes)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", args.out.display()))?;
        writeln!(
            out,
            "{} ({paper}, {} pages: {} contents, {} maps)",
            args.out.display(),
            atlas.contents_pages + atlas.map_pages,
            atlas.contents_pages,
            atlas.map_pages
        )?;
    } else {
        if args.out.is_file() {
            bail!(
                "{}: is a file; give a folder for images or a file name ending in .pdf",
                args.out.display()
            );
        }
        let files = spec.write_images(&args.out, args.format == AtlasImageFormat::Svg)?;
        writeln!(out, "{} ({} images)", args.out.display(), files.len())?;
    }
    Ok(Outcome::Found)
}

/// The Bezirk or Kreis of `--in`, by name or AGS.
fn within_region(ctx: &Context, name: &str) -> anyhow::Result<atlas_core::Ags> {
    let folded = name.trim().to_lowercase();
    for level in [Level::Bezirk, Level::Kreis] {
        if let Some(region) = ctx.atlas.regions(level).iter().find(|r| {
            r.ags.as_str() == name.trim()
                || r.name.to_lowercase() == folded
                || r.display_name().to_lowercase() == folded
        }) {
            return Ok(region.ags.clone());
        }
    }
    let ags = super::unique_kommune(&ctx.atlas, name)
        .with_context(|| format!("--in {name:?}: give a Regierungsbezirk or Kreis"))?;
    if ags.level() != Level::Kreis {
        bail!("--in {name:?} is a Gemeinde; give a Regierungsbezirk or Kreis");
    }
    Ok(ags)
}

/// The map every page shows: a preset, a field at the atlas's level, or plain boundaries.
fn atlas_request(ctx: &Context, args: &AtlasArgs, level: Level) -> anyhow::Result<MapRequest> {
    let site_types: Vec<SiteType> = args
        .sites
        .iter()
        .map(|t| site_type_arg(&ctx.sites, t))
        .collect::<anyhow::Result<_>>()?;
    let mut request = match args.preset.as_deref() {
        Some(key) => {
            let key = key.to_ascii_lowercase();
            let preset = preset(&key).with_context(|| {
                format!("unknown preset {key:?}; use abb5, abb14, abb15 or abb16")
            })?;
            let mut request = MapRequest::preset(&preset, ctx.lang);
            if let Some(theme) = request.theme.as_mut() {
                theme.scheme = args.classes.palette.clone().or(theme.scheme.take());
                theme.reverse = args.classes.reverse;
            }
            request.site_types.extend(site_types);
            request
        }
        None => MapRequest {
            theme: args
                .field
                .as_ref()
                .map(|field| args.classes.spec(level, field.clone())),
            site_types,
            ..MapRequest::new(level, ctx.lang)
        },
    };
    request.site_types.dedup();
    if let Some(theme) = &request.theme {
        check_field(&ctx.indicators, theme.level, &theme.field)?;
    }
    request.level = level;
    // Every page names its regions (placed by `cartography::labels`).
    request.labels = true;
    Ok(request)
}
