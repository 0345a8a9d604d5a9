//! GIS exchange of the 396 Gemeinden with all their indicators: building the feature table,
//! writing it as a GeoPackage (SQLite, one transaction) and as GeoJSON (reprojected to WGS84).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::exchange::{geojson, gpkg, layers};
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;

fn bench_exchange(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators");
    let out = tempfile::tempdir().expect("temp dir");
    let path = out.path().join("gemeinden.gpkg");
    c.bench_function("exchange: table of 396 Gemeinden", |b| {
        b.iter(|| {
            black_box(layers::regions_table(
                &atlas,
                &indicators,
                Level::Gemeinde,
                Lang::De,
            ))
        })
    });
    let table = layers::regions_table(&atlas, &indicators, Level::Gemeinde, Lang::De);
    c.bench_function("exchange: GeoPackage of 396 Gemeinden", |b| {
        b.iter(|| {
            gpkg::write(
                &path,
                std::slice::from_ref(&table),
                "2026-01-01T00:00:00.000Z",
            )
            .expect("written")
        })
    });
    c.bench_function("exchange: GeoJSON of 396 Gemeinden", |b| {
        b.iter(|| black_box(geojson::to_string(&table).expect("converted")))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_exchange
}
criterion_main!(benches);
