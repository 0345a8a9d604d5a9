//! Report-grade output: the Abb. 16 map as an A4 vector PDF, a Kreis atlas of Regierungsbezirk
//! Arnsberg (12 map pages and a contents page; the 53-page atlas is timed whole-process), and
//! the profile of Kreis Olpe (coverage, figures, two PDF pages).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use integrationsatlas::analysis::coverage::{CoverageSpec, analyse};
use integrationsatlas::cartography::presets::preset;
use integrationsatlas::cartography::request::{MapRequest, compose};
use integrationsatlas::i18n::Lang;
use integrationsatlas::model::{Ags, Level};
use integrationsatlas::render::ExportJob;
use integrationsatlas::render::pdf::{Paper, PdfOptions, document};
use integrationsatlas::report::atlas::AtlasSpec;
use integrationsatlas::report::profile::Profile;

fn bench_pdf(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata");
    let atlas = integrationsatlas::data::load_atlas(&dir).expect("bundled data loads");
    let indicators =
        integrationsatlas::data::thematic::load_indicators(&atlas, &dir).expect("indicators");
    let (sites, _) = integrationsatlas::sites::registry::load_registry(&dir).expect("registry");
    let points = integrationsatlas::data::places::gemeinde_points(&dir).expect("points");
    let a4 = Paper::parse("A4-landscape").expect("paper");
    let abb16 = preset("abb16").expect("preset");
    let mut request = MapRequest::preset(&abb16, Lang::De);
    (request.width, request.height) = a4.content_px();
    let scene = compose(&atlas, &indicators, &request).expect("scene");
    let job = ExportJob::of_request(&request, &atlas, &scene, &sites, "2026-12-01".to_owned());
    let options = PdfOptions {
        paper: Some(a4),
        lang: Lang::De,
        ..PdfOptions::default()
    };
    let mut group = c.benchmark_group("pdf");
    group.sample_size(10);
    group.bench_function("abb16 A4 map", |b| {
        b.iter(|| black_box(job.pdf(&options).expect("pdf")))
    });
    let map = request.choropleth(&atlas, &indicators).expect("map");
    let spec = AtlasSpec {
        atlas: &atlas,
        sites: &sites,
        request: request.clone(),
        map: map.as_ref(),
        level: Level::Kreis,
        within: Ags::parse("059"),
        date: "2026-12-01".to_owned(),
    };
    group.bench_function("atlas Arnsberg 12 Kreise", |b| {
        b.iter(|| black_box(spec.pdf(a4, false).expect("atlas")))
    });
    let olpe = Ags::parse("05966").expect("ags");
    let portrait = Paper::parse("A4").expect("paper");
    group.bench_function("profile Kreis Olpe", |b| {
        b.iter(|| {
            let coverage = CoverageSpec {
                kommune: olpe.clone(),
                radius_km: 25.0,
                threshold_km: 15.0,
                types: sites.types(),
            };
            let report =
                analyse(&atlas, &sites, &indicators, &points, &coverage).expect("coverage");
            let profile = Profile::build(
                &atlas,
                &indicators,
                &sites,
                Some(report),
                &olpe,
                Lang::De,
                "2026-12-01".to_owned(),
            )
            .expect("profile");
            let pages = profile.pdf_pages(&sites, portrait).expect("pages");
            black_box(document(&pages, &options).expect("pdf"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_pdf);
criterion_main!(benches);
