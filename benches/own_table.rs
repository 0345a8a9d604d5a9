//! Reading own tables is linear: a 200,000-row semicolon file with German numbers, read and
//! joined to the Gemeinden (the shipped `read_own_csv` and `join_own`).

use std::hint::black_box;
use std::io::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::Level;
use integrationsatlas::data::own_csv::{join_own, read_own_csv};

/// Writes `rows` rows cycling over the Gemeinden, values like `12.345,6`.
fn write_table(path: &Path, atlas: &integrationsatlas::Atlas, rows: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "AGS;Name;Wert").unwrap();
    let gemeinden = atlas.regions(Level::Gemeinde);
    for i in 0..rows {
        let region = &gemeinden[i % gemeinden.len()];
        writeln!(
            out,
            "{};{};{}.{:03},{}",
            region.ags,
            region.name,
            i % 999 + 1,
            i % 1000,
            i % 10
        )
        .unwrap();
    }
}

fn bench_own_table(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("eigene.csv");
    write_table(&path, &atlas, 200_000);
    c.bench_function("own_table_read_200k_rows", |b| {
        b.iter(|| black_box(read_own_csv(&path).unwrap()))
    });
    let table = read_own_csv(&path).unwrap();
    c.bench_function("own_table_join_200k_rows", |b| {
        b.iter(|| black_box(join_own(&atlas, &table, "AGS", "Wert", Level::Gemeinde).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench_own_table
}
criterion_main!(benches);
