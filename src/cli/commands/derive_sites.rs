//! `derive-sites`: writes the site registry derived from the seed tables into a data folder.

use std::io::Write;

use crate::cli::args::DeriveSitesArgs;
use crate::cli::{Context, Outcome};

/// Derives the registry and writes `sites/*.csv` into `--out` (default: the data folder).
pub(crate) fn derive_sites(
    ctx: &Context,
    args: &DeriveSitesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let registry = atlas_core::sites::registry::derive_registry(&ctx.atlas, &ctx.dir)?;
    let target = args.out.clone().unwrap_or_else(|| ctx.dir.clone());
    let sites_dir = target.join("sites");
    std::fs::create_dir_all(&sites_dir)
        .map_err(|e| anyhow::anyhow!("{}: cannot create the folder: {e}", sites_dir.display()))?;
    atlas_core::sites::registry::write_registry(&registry, &target)?;
    for (file, list) in &registry.files {
        writeln!(out, "{}: {} sites", target.join(file).display(), list.len())?;
    }
    Ok(Outcome::Found)
}
