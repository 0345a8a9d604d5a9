//! The analyses on the Zensus 2011 grid (34,093 cells in NRW), with the budgets:
//! loading the grid ≤ 20 ms; nearest site for all cells × the four located types ≤ 20 ms;
//! catchments of one type ≤ 20 ms; 2SFCA of one type ≤ 10 ms including the distance work.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::analysis::access::{AccessSpec, Decay, two_step};
use integrationsatlas::analysis::catchments::{catchments, outlines};
use integrationsatlas::analysis::grid_coverage::{coverage_by_area, nearest_sites};
use integrationsatlas::data::zensus::{bundled_grid_path, load_population_grid};
use integrationsatlas::model::Level;
use integrationsatlas::sites::SiteType;

fn bench_grid(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let (sites, _) = integrationsatlas::sites::registry::load_registry(&dir).expect("registry");
    let path = bundled_grid_path(&dir);
    // The first load builds the atlas's Gemeinde grid (once per atlas, shared with `pip`).
    let grid = load_population_grid(&path, &atlas).expect("grid");
    c.bench_function("grid_load_37k_rows", |b| {
        b.iter(|| black_box(load_population_grid(&path, &atlas).expect("grid")))
    });
    let types = [SiteType::Ki, SiteType::Abh, SiteType::Ja, SiteType::Jc];
    c.bench_function("grid_nearest_all_cells_4_types", |b| {
        b.iter(|| {
            for t in &types {
                black_box(nearest_sites(&grid, &sites, t).expect("sites"));
            }
        })
    });
    let abh = nearest_sites(&grid, &sites, &SiteType::Abh).expect("sites");
    c.bench_function("grid_coverage_abh_by_gemeinde", |b| {
        b.iter(|| black_box(coverage_by_area(&atlas, &grid, &abh, Level::Gemeinde, 15.0)))
    });
    c.bench_function("grid_catchments_abh_incl_distances", |b| {
        b.iter(|| {
            let distances = nearest_sites(&grid, &sites, &SiteType::Abh).expect("sites");
            black_box(catchments(&grid, &distances, &sites))
        })
    });
    let list = catchments(&grid, &abh, &sites);
    let mut group = vec![None; grid.cells.len()];
    for (g, c) in list.iter().enumerate() {
        for &i in &c.cells {
            group[i] = Some(g);
        }
    }
    c.bench_function("grid_catchment_outlines_abh", |b| {
        b.iter(|| black_box(outlines(&grid, &group, list.len())))
    });
    for (name, decay) in [
        ("2sfca", Decay::None),
        ("e2sfca_gaussian", Decay::Gaussian { sigma_km: 7.5 }),
    ] {
        let spec = AccessSpec {
            site_type: SiteType::Abh,
            catchment_km: 15.0,
            decay,
        };
        c.bench_function(&format!("grid_{name}_abh_15km_incl_distances"), |b| {
            b.iter(|| black_box(two_step(&grid, &sites, &spec, &|_| 1.0).expect("2SFCA")))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_grid
}
criterion_main!(benches);
