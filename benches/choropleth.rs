//! Thematic maps of the 396 Gemeinden: classify and colour an indicator, rebuild the screen meshes
//! for new colours (recolour + border tessellation), and one pan step (shift the cached meshes).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui::Vec2;
use integrationsatlas::analysis::classify::Method;
use integrationsatlas::cartography::choropleth::{ChoroplethSpec, build};
use integrationsatlas::cartography::scene::Scene;
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;
use integrationsatlas::ui::mesh_cache::{MapGeometry, ScreenCache};

fn bench_choropleth(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators load");
    let geometry = MapGeometry::build(&atlas);
    let spec = |method: Method| ChoroplethSpec {
        level: Level::Gemeinde,
        field: "density".to_owned(),
        method,
        classes: 7,
        scheme: None,
        reverse: false,
        time: Default::default(),
    };

    c.bench_function("classify_colour_396_gemeinden_jenks7", |b| {
        b.iter(|| black_box(build(&atlas, &indicators, &spec(Method::Jenks), Lang::De).unwrap()))
    });
    c.bench_function("classify_colour_396_gemeinden_quantile7", |b| {
        b.iter(|| black_box(build(&atlas, &indicators, &spec(Method::Quantile), Lang::De).unwrap()))
    });

    // Whole-NRW zoom on a 1280-pixel-wide window: about 0.0035 points per metre.
    let px_per_m = 0.0035;
    let jenks = build(&atlas, &indicators, &spec(Method::Jenks), Lang::De).unwrap();
    let quantile = build(&atlas, &indicators, &spec(Method::Quantile), Lang::De).unwrap();
    let scenes = [
        Scene::base(&atlas, Level::Gemeinde, Lang::De).with_choropleth(&jenks),
        Scene::base(&atlas, Level::Gemeinde, Lang::De).with_choropleth(&quantile),
    ];
    let mut cache = ScreenCache::default();
    let mut flip = 0;
    c.bench_function("recolour_screen_meshes_396_gemeinden", |b| {
        b.iter(|| {
            flip ^= 1;
            black_box(cache.meshes(&geometry, &scenes[flip], px_per_m, 1.0, Vec2::ZERO))
        })
    });
    let mut offset = 0.0;
    c.bench_function("pan_step_gemeinde_choropleth", |b| {
        b.iter(|| {
            offset += 1.0;
            black_box(cache.meshes(&geometry, &scenes[0], px_per_m, 1.0, Vec2::new(offset, 0.0)))
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench_choropleth
}
criterion_main!(benches);
