//! Map snapshots of the 396 Gemeinden (density choropleth, KI and ABH sites, legend) at
//! 2,000 × 2,000 px: the SVG document, and the PNG (map drawn with tiny-skia in parallel bands,
//! furniture through resvg, fast PNG encoding).
//! Peers on this machine: geopandas/matplotlib 611 ms (PNG) and 482 ms (SVG).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::cartography::choropleth::{ChoroplethSpec, build};
use integrationsatlas::cartography::scene::Scene;
use integrationsatlas::geometry::borders::BorderNetwork;
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;
use integrationsatlas::render::ExportJob;
use integrationsatlas::sites::SiteType;

fn bench_export(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators");
    let (sites, _) = integrationsatlas::sites::registry::load_registry(&dir).expect("registry");
    let spec = ChoroplethSpec {
        level: Level::Gemeinde,
        field: "density".into(),
        ..ChoroplethSpec::default()
    };
    let map = build(&atlas, &indicators, &spec, Lang::De).expect("choropleth");
    let mut scene = Scene::base(&atlas, Level::Gemeinde, Lang::De).with_choropleth(&map);
    scene.title = Some("Einwohnerdichte der Gemeinden".to_owned());
    let job = ExportJob {
        atlas: &atlas,
        scene: &scene,
        sites: &sites,
        site_types: vec![SiteType::Ki, SiteType::Abh],
        focus: None,
        extent: None,
        width: 2000,
        height: 2000,
        lang: Lang::De,
        date: "2026-11-26".to_owned(),
    };
    let mut group = c.benchmark_group("export_2000px_396_gemeinden");
    group.sample_size(20);
    group.bench_function("svg", |b| b.iter(|| black_box(job.svg().expect("svg"))));
    group.bench_function("png", |b| b.iter(|| black_box(job.png().expect("png"))));
    // Built once per process on the first export (the PNG and SVG figures above reuse it).
    group.bench_function("border network", |b| {
        b.iter(|| {
            black_box(BorderNetwork::build(Level::ALL.map(|level| {
                atlas.regions(level).iter().map(|r| &r.geometry).collect()
            })))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_export);
criterion_main!(benches);
