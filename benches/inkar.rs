//! INKAR: loading the three bundled files (158 indicators, 181,666 values), one keystroke of the
//! indicator picker, and recolouring the 396 Gemeinden when the year slider moves (classify and
//! colour one year; with breaks fixed over all years, as the window does it: classes over all
//! years kept, the year recounted).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::analysis::classify::Method;
use integrationsatlas::analysis::indicator_search::IndicatorIndex;
use integrationsatlas::cartography::choropleth::{ChoroplethSpec, TimeView, build};
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::Level;
use integrationsatlas::ui::year_slider::{PooledCache, build_map};

fn bench_inkar(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let mut indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators load");

    c.bench_function("inkar_load_158_indicators", |b| {
        b.iter(|| black_box(integrationsatlas::data::inkar::load_inkar(&atlas, &dir).unwrap()))
    });

    integrationsatlas::data::inkar::add_inkar(&atlas, &dir, &mut indicators);
    let index = IndicatorIndex::new(&indicators, Lang::De);
    c.bench_function("picker_index_build", |b| {
        b.iter(|| black_box(IndicatorIndex::new(&indicators, Lang::De)))
    });
    let recent = vec!["inkar24_q_SGBII".to_owned()];
    for query in ["a", "asyl", "oberzentrum", "pkw fahrzeit ober"] {
        c.bench_function(
            &format!("picker_keystroke_{}", query.replace(' ', "_")),
            |b| b.iter(|| black_box(index.search(black_box(query), &recent, None))),
        );
    }

    // Commuters (23 years, 1997–2019) of the 396 Gemeinden, Jenks 5 classes.
    let spec = |year: &str, fixed: bool| ChoroplethSpec {
        level: Level::Gemeinde,
        field: "inkar22_x351".to_owned(),
        method: Method::Jenks,
        classes: 5,
        scheme: None,
        reverse: false,
        time: TimeView {
            year: Some(year.to_owned()),
            fixed_breaks: fixed,
            ..TimeView::default()
        },
    };
    let years = ["2005", "2006"];
    let mut step = 0;
    c.bench_function("recolour_396_gemeinden_year_jenks5", |b| {
        b.iter(|| {
            step += 1;
            let spec = spec(years[step % 2], false);
            black_box(build(&atlas, &indicators, &spec, Lang::De).unwrap())
        })
    });
    let mut cache = PooledCache::default();
    c.bench_function("recolour_396_gemeinden_year_fixed_breaks_jenks5", |b| {
        b.iter(|| {
            step += 1;
            let spec = spec(years[step % 2], true);
            black_box(build_map(&mut cache, &atlas, &indicators, &spec, Lang::De).unwrap())
        })
    });
    let boxmap = ChoroplethSpec {
        method: Method::BoxMap(Default::default()),
        ..spec("2019", false)
    };
    c.bench_function("recolour_396_gemeinden_year_boxmap", |b| {
        b.iter(|| black_box(build(&atlas, &indicators, &boxmap, Lang::De).unwrap()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_inkar
}
criterion_main!(benches);
