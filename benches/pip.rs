//! Address-list scale: 1,000,000 WGS84 points through the shipped `pip` entry point
//! ([`integrationsatlas::pip::pip_stream`]: parse, project, locate and write the extended CSV,
//! 2 threads as `integrationsatlas pip` uses them) from an in-memory CSV into a sink; the peer
//! figure is shapely's prepared `contains_xy` incl. projection, 757 ms on this machine, without
//! CSV reading and writing. Also the grid build and nearest-site queries.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use integrationsatlas::analysis::pip::{PipColumns, PipOptions, pip_stream};
use integrationsatlas::geometry::projection::{Crs, ToUtm32};
use integrationsatlas::sites::SiteType;
use rand::{Rng as _, SeedableRng as _};

/// Points per iteration of the point-in-polygon bench.
const POINTS: usize = 1_000_000;

/// An address list of `points`: `id,lon,lat,strasse` with LF line ends.
fn address_csv(points: &[(f64, f64)]) -> Vec<u8> {
    let mut csv = b"id,lon,lat,strasse\n".to_vec();
    for (i, (lon, lat)) in points.iter().enumerate() {
        csv.extend_from_slice(
            format!("{i},{lon:.6},{lat:.6},Hauptstra\u{df}e {}\n", i % 200).as_bytes(),
        );
    }
    csv
}

fn bench_pip(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let mut rng = rand::rngs::StdRng::seed_from_u64(1_000_000);
    let points: Vec<(f64, f64)> = (0..POINTS)
        .map(|_| (rng.random_range(5.8..9.5), rng.random_range(50.3..52.6)))
        .collect();
    let csv = address_csv(&points);
    let columns = PipColumns {
        lon: "lon".to_owned(),
        lat: "lat".to_owned(),
    };
    let options = PipOptions::default();
    atlas.locate_gemeinde_fast(0.0, 0.0);
    let mut group = c.benchmark_group("pip");
    group.sample_size(10);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("pip_stream_1m_wgs84_points_csv_to_sink", |b| {
        b.iter(|| {
            let summary = pip_stream(
                &atlas,
                &mut csv.as_slice(),
                Path::new("bench.csv"),
                &columns,
                &mut std::io::sink(),
                &options,
            )
            .expect("generated CSV is clean");
            black_box(summary.outside.count)
        })
    });
    group.bench_function("build_grid_index", |b| {
        b.iter(|| {
            let layer = atlas.layer(integrationsatlas::Level::Gemeinde);
            let polygons: Vec<_> = layer.regions.iter().map(|r| &r.geometry).collect();
            black_box(integrationsatlas::geometry::grid::GridIndex::build(
                &polygons,
                &layer.index,
            ))
        })
    });
    group.finish();

    let (sites, _) =
        integrationsatlas::sites::registry::load_registry(&dir).expect("registry loads");
    let to_utm = ToUtm32::from(Crs::Wgs84);
    let queries: Vec<(f64, f64)> = points
        .iter()
        .take(10_000)
        .filter_map(|&(lon, lat)| to_utm.convert(lon, lat))
        .collect();
    let mut i = 0;
    c.bench_function("nearest_ki_one_query", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            let (x, y) = queries[i];
            black_box(sites.nearest_one(&SiteType::Ki, x, y))
        })
    });
    c.bench_function("nearest_ja_k3_one_query", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            let (x, y) = queries[i];
            black_box(sites.nearest(&SiteType::Ja, x, y, 3))
        })
    });
}

criterion_group!(benches, bench_pip);
criterion_main!(benches);
