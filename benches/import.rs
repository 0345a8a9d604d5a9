//! Importing own sites: a CSV of 1,000,000 rows (lon/lat with decimal comma, semicolon, fixed
//! seed) through the shipped `import_sites`, placing every row in its Gemeinde.

use std::hint::black_box;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use integrationsatlas::sites::SiteType;
use integrationsatlas::sites::import::{Placer, import_sites};
use rand::{Rng as _, SeedableRng as _};

/// Rows per iteration.
const ROWS: usize = 1_000_000;

/// Points well inside NRW (lon, lat): Köln, Düsseldorf, Dortmund, Münster, Olpe, Bielefeld, Essen.
const INSIDE: [(f64, f64); 7] = [
    (6.9583, 50.9413),
    (6.7735, 51.2277),
    (7.4653, 51.5136),
    (7.6261, 51.9607),
    (7.8436, 51.0276),
    (8.5325, 52.0302),
    (7.0116, 51.4556),
];

fn write_csv(path: &Path) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(20_261_201);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "name;typ;lon;lat").unwrap();
    for i in 0..ROWS {
        let (lon, lat) = INSIDE[i % INSIDE.len()];
        let lon = lon + rng.random_range(-0.004..0.004);
        let lat = lat + rng.random_range(-0.004..0.004);
        let text = format!("Beratung {i};MBE;{lon:.6};{lat:.6}").replace('.', ",");
        writeln!(out, "{text}").unwrap();
    }
}

fn bench_import(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let placer = Placer::new(&atlas, &dir).expect("bundled places load");
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("standorte.csv");
    write_csv(&path);
    let mut group = c.benchmark_group("import");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("csv_1m_rows_lonlat", |b| {
        b.iter(|| {
            let (sites, report) =
                import_sites(black_box(&path), &placer, &SiteType::Mbe).expect("imports");
            assert_eq!(report.loaded, ROWS);
            black_box(sites.len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
