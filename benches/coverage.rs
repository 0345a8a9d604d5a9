//! Coverage analysis of the largest Kreis (Hochsauerlandkreis) and of Kreis Olpe with a 50 km
//! radius and all located site types (the budget: under 50 ms).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::analysis::coverage::{CoverageSpec, analyse};
use integrationsatlas::sites::SiteType;

fn bench_coverage(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators");
    let (sites, _) = integrationsatlas::sites::registry::load_registry(&dir).expect("registry");
    let points = integrationsatlas::data::places::gemeinde_points(&dir).expect("points");
    for (name, ags) in [("hochsauerlandkreis", "05958"), ("kreis_olpe", "05966")] {
        let spec = CoverageSpec {
            kommune: integrationsatlas::Ags::parse(ags).expect("AGS"),
            radius_km: 50.0,
            threshold_km: 15.0,
            types: vec![SiteType::Ki, SiteType::Abh, SiteType::Ja, SiteType::Jc],
        };
        c.bench_function(&format!("coverage_{name}_50km_all_types"), |b| {
            b.iter(|| {
                black_box(analyse(&atlas, &sites, &indicators, &points, &spec).expect("analysis"))
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_coverage
}
criterion_main!(benches);
