//! The attribution the data licences ask for, written once: the map's line (window and export,
//! through [`crate::cartography::scene::Scene`]) and the sources of the coverage report
//! ([`crate::analysis::coverage`]) are put together from the pieces here. It depends only on
//! [`crate::i18n`] and [`crate::model`], so analysis and cartography may both use it.

use crate::i18n::{Lang, Text};
use crate::model::Provenance;

/// What separates the pieces of a map's attribution line.
pub const SEPARATOR: &str = " · ";

/// The boundaries: Geobasis NRW's DVG2 as of `stand`, dl-de/zero-2-0.
pub fn boundaries(stand: &str) -> Text {
    Text::new(
        format!("Grenzen: Geobasis NRW, DVG2 (Stand {stand}), dl-de/zero-2-0"),
        format!("Boundaries: Geobasis NRW, DVG2 (as of {stand}), dl-de/zero-2-0"),
    )
}

/// The population figures: Destatis GV-ISys, 31 Dec 2019, dl-de/by-2-0.
pub fn population() -> Text {
    Text::new(
        "Einwohner 31.12.2019: Statistisches Bundesamt (Destatis), GV-ISys, dl-de/by-2-0",
        "Population 31 Dec 2019: Federal Statistical Office (Destatis), GV-ISys, dl-de/by-2-0",
    )
}

/// The site layers: positions are BKG's VG250 seat points, the facts the report's.
pub fn sites() -> Text {
    Text::new(
        "Standorte: Sitzpunkte VG250 © GeoBasis-DE / BKG (2021), dl-de/by-2-0, Daten verändert; Einrichtungen nach Bogumil/Hafner (2020)",
        "Sites: VG250 seat points © GeoBasis-DE / BKG (2021), dl-de/by-2-0, data modified; institutions after Bogumil/Hafner (2020)",
    )
}

/// The postcode centroids that place addresses without coordinates (precision `plz`): derived
/// from OpenStreetMap, ODbL. Shown wherever such a site is shown or exported.
pub fn postcodes() -> Text {
    Text::new(
        "PLZ-Schwerpunkte: © OpenStreetMap contributors, ODbL (über suche-postleitzahl.org); Einwohner je PLZ © Statistisches Bundesamt (2014)",
        "Postcode centroids: © OpenStreetMap contributors, ODbL (via suche-postleitzahl.org); population per postcode © Federal Statistical Office (2014)",
    )
}

/// The site layers' attribution, with the postcode line when a site was placed by its postcode.
pub fn for_sites(with_postcodes: bool) -> Text {
    if with_postcodes {
        joined(sites(), postcodes())
    } else {
        sites()
    }
}

/// The Gemeinde centre points the coverage distances start from: BKG's VG250 PK.
pub fn centroids() -> Text {
    Text::new(
        "Gemeindemittelpunkte: © GeoBasis-DE / BKG (2021), VG250 PK, dl-de/by-2-0",
        "Municipality centre points: © GeoBasis-DE / BKG (2021), VG250 PK, dl-de/by-2-0",
    )
}

/// The population grid: Zensus 2011 on the 1 km INSPIRE grid, dl-de/by-2-0 (an extract).
pub fn zensus_grid() -> Text {
    Text::new(
        "Bevölkerungsraster 1 km: © Statistische Ämter des Bundes und der Länder, Zensus 2011, dl-de/by-2-0, Daten verändert",
        "Population grid 1 km: © Statistische Ämter des Bundes und der Länder, Zensus 2011, dl-de/by-2-0, data modified",
    )
}

/// INKAR's figures: "Datenbasis: INKAR, BBSR Bonn" with the edition (e.g. `INKAR 2024` or
/// `2024`) where it is known, dl-de/by-2-0. Shown on every map of an INKAR indicator.
pub fn inkar(edition: Option<&str>) -> Text {
    let year = edition.map(|e| e.trim().trim_start_matches("INKAR").trim());
    match year.filter(|y| !y.is_empty()) {
        Some(year) => Text::new(
            format!("Datenbasis: INKAR, BBSR Bonn, Ausgabe {year}, dl-de/by-2-0"),
            format!("Data basis: INKAR, BBSR Bonn, edition {year}, dl-de/by-2-0"),
        ),
        None => Text::new(
            "Datenbasis: INKAR, BBSR Bonn, dl-de/by-2-0",
            "Data basis: INKAR, BBSR Bonn, dl-de/by-2-0",
        ),
    }
}

/// The attribution line of a map: boundaries (as of the atlas's stand, 2021 if it has none) and
/// population, and the site layers' if any are shown.
pub fn for_scene(provenance: &Provenance, with_sites: bool) -> Text {
    let stand = if provenance.boundaries_stand.is_empty() {
        "2021"
    } else {
        provenance.boundaries_stand.as_str()
    };
    let line = joined(boundaries(stand), population());
    if with_sites {
        joined(line, sites())
    } else {
        line
    }
}

/// `first` and `second` joined by [`SEPARATOR`] in both languages.
fn joined(first: Text, second: Text) -> Text {
    let join = |lang: Lang| format!("{}{SEPARATOR}{}", first.get(lang), second.get(lang));
    Text::new(join(Lang::De), join(Lang::En))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inkar_names_its_edition() {
        assert_eq!(
            inkar(Some("INKAR 2024")).get(Lang::De),
            "Datenbasis: INKAR, BBSR Bonn, Ausgabe 2024, dl-de/by-2-0"
        );
        assert_eq!(
            inkar(None).get(Lang::En),
            "Data basis: INKAR, BBSR Bonn, dl-de/by-2-0"
        );
    }

    #[test]
    fn the_map_line_names_boundaries_population_and_sites() {
        let provenance = Provenance {
            boundaries_stand: "01.01.2021".to_owned(),
            ..Provenance::default()
        };
        let line = for_scene(&provenance, true);
        assert_eq!(
            line.get(Lang::De),
            "Grenzen: Geobasis NRW, DVG2 (Stand 01.01.2021), dl-de/zero-2-0 · Einwohner 31.12.2019: Statistisches Bundesamt (Destatis), GV-ISys, dl-de/by-2-0 · Standorte: Sitzpunkte VG250 © GeoBasis-DE / BKG (2021), dl-de/by-2-0, Daten verändert; Einrichtungen nach Bogumil/Hafner (2020)"
        );
        assert!(
            for_scene(&Provenance::default(), false)
                .get(Lang::En)
                .starts_with(
                    "Boundaries: Geobasis NRW, DVG2 (as of 2021), dl-de/zero-2-0 · Population"
                )
        );
    }
}
