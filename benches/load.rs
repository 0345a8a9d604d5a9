//! Loading the bundled NRW data: all four DVG2 layers, the statistics join and the spatial indexes.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn bench_load(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    c.bench_function("load_atlas_all_layers_and_index", |b| {
        b.iter(|| black_box(integrationsatlas::data::load_atlas(&dir).expect("bundled data loads")))
    });
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    c.bench_function("triangulate_all_levels", |b| {
        b.iter(|| {
            black_box(integrationsatlas::ui::mesh_cache::MapGeometry::build(
                &atlas,
            ))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_load
}
criterion_main!(benches);
