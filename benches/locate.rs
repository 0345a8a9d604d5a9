//! Locating 100,000 random points in NRW's bounding box (fixed seed) to their Gemeinde.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng as _, SeedableRng as _};

/// Points per iteration.
const POINTS: usize = 100_000;

fn bench_locate(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let bounds = atlas.bounds();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_201_126);
    let points: Vec<(f64, f64)> = (0..POINTS)
        .map(|_| {
            (
                rng.random_range(bounds.min().x..bounds.max().x),
                rng.random_range(bounds.min().y..bounds.max().y),
            )
        })
        .collect();
    let mut group = c.benchmark_group("locate");
    group.throughput(Throughput::Elements(POINTS as u64));
    group.sample_size(10);
    group.bench_function("locate_100k_points_gemeinde_kreis_bezirk", |b| {
        b.iter(|| {
            let inside = points
                .iter()
                .filter(|&&(x, y)| atlas.locate(black_box(x), black_box(y)).is_some())
                .count();
            black_box(inside)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_locate);
criterion_main!(benches);
