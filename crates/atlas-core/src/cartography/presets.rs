//! Ready-made maps reproducing the expert report's figures (Abb. 5, 14, 15, 16). The command
//! line (`export --preset`) and the window's theme panel offer the same list.

use crate::analysis::classify::Method;
use crate::cartography::choropleth::{ChoroplethSpec, Legend};
use crate::i18n::{Lang, Text};
use crate::model::Level;
use crate::sites::SiteType;

/// A ready-made map reproducing one of the expert report's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Identifier, e.g. `abb14`.
    pub key: &'static str,
    /// The title in both languages.
    pub title: Text,
    /// The level of the regions.
    pub level: Level,
    /// The thematic layer, if the figure colours the regions.
    pub spec: Option<ChoroplethSpec>,
    /// The site layers the figure shows.
    pub site_types: Vec<SiteType>,
    /// How this map differs from the report's, in both languages (empty if it does not).
    pub note: Text,
}

impl Preset {
    /// The title in a language.
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang)
    }

    /// How this map differs from the report's, in a language.
    pub fn note(&self, lang: Lang) -> &str {
        self.note.get(lang)
    }

    /// Puts the preset's note in front of the legend's own note.
    pub fn annotate(&self, legend: &mut Legend, lang: Lang) {
        let note = self.note(lang);
        if note.is_empty() {
            return;
        }
        legend.note = Some(match legend.note.take() {
            Some(existing) => format!("{note} {existing}"),
            None => note.to_owned(),
        });
    }
}

/// The report's Abbildungen 5 and 14–16 as presets.
pub fn presets() -> Vec<Preset> {
    let kreis = |field: &str| ChoroplethSpec {
        level: Level::Kreis,
        field: field.to_owned(),
        method: Method::Jenks,
        classes: 5,
        scheme: None,
        reverse: false,
        time: Default::default(),
    };
    vec![
        Preset {
            key: "abb5",
            title: Text::new(
                "Abb. 5: Verteilung der KI in NRW",
                "Fig. 5: Municipal integration centres (KI) in NRW",
            ),
            level: Level::Kreis,
            spec: None,
            site_types: vec![SiteType::Ki],
            note: Text::new("", ""),
        },
        Preset {
            key: "abb14",
            title: Text::new(
                "Abb. 14: Gebietsfläche (ha) der Kreise und kreisfreien Städte",
                "Fig. 14: Area (ha) of the districts and district-free cities",
            ),
            level: Level::Kreis,
            spec: Some(kreis("area_ha")),
            site_types: Vec::new(),
            note: Text::new(
                "Gutachten: IT.NRW, Stand 31.12.2017, 54 Einheiten (Stadt Aachen getrennt); hier Fläche aus der DVG2-Geometrie, 53 Einheiten (StädteRegion Aachen mit Stadt Aachen).",
                "Report: IT.NRW, as of 31 Dec 2017, 54 units (city of Aachen separate); here area from the DVG2 geometry, 53 units (StädteRegion Aachen including the city of Aachen).",
            ),
        },
        Preset {
            key: "abb15",
            title: Text::new(
                "Abb. 15: Einwohnerzahl der Kreise und kreisfreien Städte",
                "Fig. 15: Population of the districts and district-free cities",
            ),
            level: Level::Kreis,
            spec: Some(kreis("population")),
            site_types: Vec::new(),
            note: Text::new(
                "Gutachten: IT.NRW, 31.12.2019; hier Destatis GV-ISys, 31.12.2019 (dieselbe Fortschreibung).",
                "Report: IT.NRW, 31 Dec 2019; here Destatis GV-ISys, 31 Dec 2019 (the same population update).",
            ),
        },
        Preset {
            key: "abb16",
            title: Text::new(
                "Abb. 16: Anteil der Bevölkerung mit Migrationshintergrund in den Kreisen und kreisfreien Städten",
                "Fig. 16: Share of the population with migration background in the districts and district-free cities",
            ),
            level: Level::Kreis,
            spec: Some(kreis("migration_background_pct")),
            site_types: Vec::new(),
            note: Text::new(
                "Gutachten: Mikrozensus 2019 (NRW 30,1 %); hier Zensus 2022 (NRW 24,7 %) – anderes Erhebungskonzept, Werte nicht direkt vergleichbar.",
                "Report: Mikrozensus 2019 (NRW 30.1 %); here Census 2022 (NRW 24.7 %) – a different survey concept, values not directly comparable.",
            ),
        },
    ]
}

/// The preset with this key.
pub fn preset(key: &str) -> Option<Preset> {
    presets()
        .into_iter()
        .find(|p| p.key.eq_ignore_ascii_case(key))
}
