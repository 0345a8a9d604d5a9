//! `export`: a map as SVG or PNG, from flags or a preset of the report.

use std::io::Write;

use anyhow::Context as _;
use atlas_core::cartography::choropleth::ChoroplethSpec;
use atlas_core::i18n::Lang;
use atlas_core::model::Level;
use atlas_core::sites::SiteType;

use super::{check_field, site_type_arg, unique_kommune};
use crate::cli::args::*;
use crate::cli::{Context, Outcome};

pub(crate) fn export(
    ctx: &Context,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> anyhow::Result<Outcome> {
    let (atlas, sites, indicators, lang) = (&ctx.atlas, &ctx.sites, &ctx.indicators, ctx.lang);
    let mut site_types: Vec<SiteType> = args
        .sites
        .iter()
        .map(|t| site_type_arg(sites, t))
        .collect::<anyhow::Result<_>>()?;
    let mut title = args.title.clone();
    let mut chosen_preset = None;
    let mut spec = args.field.as_ref().map(|field| {
        args.classes.spec(
            args.level.map_or(Level::Gemeinde, Level::from),
            field.clone(),
        )
    });
    let mut level = args.level.map_or(Level::Gemeinde, Level::from);
    match args
        .preset
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => {}
        Some("abb5") => {
            level = Level::Kreis;
            spec = None;
            site_types = vec![SiteType::Ki];
            title.get_or_insert_with(|| {
                lang.pick(
                    "Abb. 5: Verteilung der KI in NRW",
                    "Fig. 5: Municipal integration centres (KI) in NRW",
                )
                .to_owned()
            });
        }
        Some(key) => {
            let preset = atlas_core::cartography::choropleth::preset(key).with_context(|| {
                format!("unknown preset {key:?}; use abb5, abb14, abb15 or abb16")
            })?;
            level = preset.spec.level;
            title.get_or_insert_with(|| preset.title(lang).to_owned());
            chosen_preset = Some(preset.clone());
            spec = Some(ChoroplethSpec {
                scheme: args.classes.palette.clone().or(preset.spec.scheme.clone()),
                reverse: args.classes.reverse,
                ..preset.spec
            });
        }
    }
    let mut scene = atlas_core::cartography::scene::Scene::base(
        atlas,
        spec.as_ref().map_or(level, |s| s.level),
        lang,
    );
    if let Some(spec) = &spec {
        check_field(indicators, spec.level, &spec.field)?;
        let map = atlas_core::cartography::choropleth::build(atlas, indicators, spec, lang)?;
        scene = scene.with_choropleth(&map);
        if let (Some(legend), Some(preset)) = (scene.legend.as_mut(), &chosen_preset) {
            preset.annotate(legend, lang);
        }
    }
    scene.title = title;
    if !site_types.is_empty() {
        scene = scene.with_sites_attribution(lang);
    }
    let focus = args
        .focus
        .as_deref()
        .map(|f| unique_kommune(atlas, f))
        .transpose()?;
    let job = atlas_core::render::ExportJob {
        atlas,
        scene: &scene,
        sites,
        site_types,
        focus,
        extent: None,
        width: args.width,
        height: args.height,
        lang,
        date: atlas_core::render::today(),
    };
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
