//! Names on the map: the anchors (poles of inaccessibility) of the 396 Gemeinden and 53 Kreise,
//! computed once per level, and the one placement of the 396 Gemeinde names at three zooms of a
//! 1280 × 860 window (all NRW, a Regierungsbezirk, a Kreis).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::cartography::labels::{LabelLayer, ScreenFrame, candidates_of};
use integrationsatlas::model::Level;

fn bench_labels(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    c.bench_function("label_anchors_396_gemeinden", |b| {
        b.iter(|| black_box(candidates_of(atlas.regions(Level::Gemeinde))))
    });
    c.bench_function("label_anchors_53_kreise", |b| {
        b.iter(|| black_box(candidates_of(atlas.regions(Level::Kreis))))
    });
    let layer = LabelLayer::of(&atlas, Level::Gemeinde);
    let center = atlas.bounds().center();
    // Points per metre: all NRW (~0.0035), a Regierungsbezirk (~0.01), a Kreis (~0.03).
    for (name, px_per_m) in [("nrw", 0.0035), ("bezirk", 0.01), ("kreis", 0.03)] {
        let frame = ScreenFrame {
            center: [center.x, center.y],
            px_per_m,
            frame: [0.0, 0.0, 1280.0, 860.0],
        };
        c.bench_function(&format!("place_396_gemeinde_names_{name}"), |b| {
            b.iter(|| black_box(layer.place(&frame, 1.0)))
        });
    }
}

criterion_group!(benches, bench_labels);
criterion_main!(benches);
