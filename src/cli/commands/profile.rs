//! `profile`: the Steckbrief of one or more Kommunen (or every Kreis) as Markdown (stdout or a
//! .md file) or as a PDF with one bookmark per Kommune.

use std::io::Write;

use anyhow::bail;
use atlas_core::analysis::coverage::{CoverageSpec, analyse};
use atlas_core::model::{Ags, Level};
use atlas_core::render::pdf::{self, Paper, PdfOptions, Sheet};
use atlas_core::report::profile::Profile;

use super::unique_kommune;
use crate::cli::args::ProfileArgs;
use crate::cli::{Context, Outcome};

/// Writes the profiles and prints where.
pub(crate) fn profile(
    ctx: &Context,
    args: &ProfileArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let kommunen: Vec<Ags> = if args.all_kreise {
        ctx.atlas
            .regions(Level::Kreis)
            .iter()
            .map(|r| r.ags.clone())
            .collect()
    } else {
        args.kommune
            .iter()
            .map(|name| unique_kommune(&ctx.atlas, name))
            .collect::<anyhow::Result<_>>()?
    };
    let date = atlas_core::render::today();
    let points = ctx.points()?;
    let types = ctx.sites.types();
    // The population grid, loaded once for every profile of the run (without it the profiles
    // have no grid figures, and say so on stderr).
    let grid = match super::grid_coverage::load_grid(ctx) {
        Ok(grid) => Some(grid),
        Err(err) => {
            crate::cli::print_warnings(
                "the population grid",
                &[format!("{err:#}; the profiles have no grid figures")],
            );
            None
        }
    };
    let profiles: Vec<Profile> = kommunen
        .iter()
        .map(|ags| {
            let spec = CoverageSpec {
                kommune: ags.clone(),
                radius_km: 25.0,
                threshold_km: 15.0,
                types: types.clone(),
            };
            let coverage = analyse(&ctx.atlas, &ctx.sites, &ctx.indicators, points, &spec)?;
            let coverage = match &grid {
                Some(grid) => coverage.with_grid(&ctx.atlas, grid, &ctx.sites),
                None => coverage,
            };
            Ok(Profile::build(
                &ctx.atlas,
                &ctx.indicators,
                &ctx.sites,
                Some(coverage),
                ags,
                ctx.lang,
                date.clone(),
            )?)
        })
        .collect::<anyhow::Result<_>>()?;
    let Some(path) = &args.out else {
        for p in &profiles {
            write!(out, "{}", p.markdown())?;
        }
        return Ok(Outcome::Found);
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("md") => {
            let text: Vec<String> = profiles.iter().map(Profile::markdown).collect();
            write_file(path, text.join("\n---\n\n").as_bytes())?;
            writeln!(out, "{} ({} profiles)", path.display(), profiles.len())?;
        }
        Some("pdf") => {
            let paper = args.print.paper.unwrap_or(Paper {
                sheet: Sheet::A4,
                landscape: false,
            });
            let mut pages = Vec::new();
            for p in &profiles {
                pages.extend(p.pdf_pages(&ctx.sites, paper)?);
            }
            let title = match profiles.as_slice() {
                [one] => one.title(),
                _ => ctx.lang.pick("Steckbriefe", "Profiles").to_owned(),
            };
            let bytes = pdf::document(
                &pages,
                &PdfOptions {
                    paper: Some(paper),
                    pdfa: args.print.pdfa,
                    title: Some(title),
                    lang: ctx.lang,
                },
            )?;
            write_file(path, &bytes)?;
            writeln!(
                out,
                "{} ({paper}, {} pages, {} profiles)",
                path.display(),
                pages.len(),
                profiles.len()
            )?;
        }
        _ => bail!(
            "{}: unknown format; the file name must end in .pdf or .md",
            path.display()
        ),
    }
    Ok(Outcome::Found)
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    atlas_core::atomic::write_atomically(path, bytes)
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))
}
