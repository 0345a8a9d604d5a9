//! `suggest`: the proven best 5 (and 10) new ABH within 15 km over the 396 Gemeinde centre points
//! on the Zensus 1 km grid — the covering instance and the exact solve (the budget for
//! the whole command: 200 ms; PuLP + CBC needs about 3.5 s), and the grid's demand points.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::analysis::site_selection::{
    CandidateKind, Goal, SuggestSpec, Weight, demand_points, suggest,
};
use integrationsatlas::sites::SiteType;

fn bench_suggest(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let (sites, _) =
        integrationsatlas::sites::registry::load_registry_for(&atlas, &dir).expect("registry");
    let points = integrationsatlas::data::places::gemeinde_points(&dir).expect("points");
    let path = integrationsatlas::data::zensus::bundled_grid_path(&dir);
    let grid = integrationsatlas::data::zensus::load_population_grid(&path, &atlas).expect("grid");
    let demand = demand_points(&grid, Weight::Einwohner);
    for p in [5, 10] {
        let spec = SuggestSpec {
            site_type: SiteType::Abh,
            radius_km: 15.0,
            goal: Goal::NewSites(p),
            weight: Weight::Einwohner,
            candidates: CandidateKind::Gemeinden,
            within: None,
            limits: Default::default(),
        };
        c.bench_function(&format!("suggest_abh_15km_p{p}_396_gemeinden"), |b| {
            b.iter(|| {
                black_box(
                    suggest(&atlas, &sites, &points, &demand, grid.withheld_cells, &spec)
                        .expect("suggestion"),
                )
            })
        });
    }
    c.bench_function("suggest_demand_points_einwohner", |b| {
        b.iter(|| black_box(demand_points(&grid, Weight::Einwohner)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_suggest
}
criterion_main!(benches);
