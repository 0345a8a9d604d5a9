//! A [`Suggestion`] as a Markdown memo (German, like the coverage report) and as a CSV table of
//! the new sites (`rank,ags,name,lon,lat,gain,covered_after,candidate`).

use super::problem::{Persons, Proof, Suggestion};
use crate::i18n::Lang;
use crate::numfmt::format_number;

/// The method in plain words (German).
pub const METHOD_DE: &str = "Bevölkerung nach dem Zensus-2011-Gitter (1 km): jede Zelle zählt mit ihrem Mittelpunkt; \
abgedeckt ist eine Zelle, deren Mittelpunkt höchstens S km Luftlinie (EPSG:25832) von einem Standort des Typs entfernt ist. \
Die bestehenden Standorte bleiben; gesucht sind die neuen Standorte unter den Kandidaten, die zusammen am meisten \
zusätzliche Personen abdecken (Maximal Covering Location Problem), exakt gelöst durch Branch and Bound mit \
beweisbarer Schranke — kein Näherungsverfahren. Rang 1 ist der neue Standort mit dem größten Zugewinn, jeder weitere \
der mit dem größten Zugewinn zusätzlich zu den vorigen; die Zugewinne summieren sich zur Differenz von vorher und nachher.";

/// The method in plain words (English).
pub const METHOD_EN: &str = "Population from the Zensus 2011 grid (1 km): each cell counts at its centre; a cell is \
covered when its centre lies at most S km in a straight line (EPSG:25832) from a site of the type. The existing sites \
stay; the new sites are the candidates that together cover the most additional people (maximal covering location \
problem), solved exactly by branch and bound with a proven bound — not a heuristic. Rank 1 is the new site adding most, \
each next one the one adding most given those before; the gains sum to the difference of before and after.";

fn persons(p: Persons) -> String {
    if p.0.is_multiple_of(super::problem::UNITS_PER_PERSON) {
        format_number(p.get(), 0, Lang::De)
    } else {
        format_number(p.get(), 1, Lang::De)
    }
}

impl Suggestion {
    /// A line on how sure the answer is (German).
    pub fn status_de(&self) -> String {
        match self.status {
            Proof::Optimal if self.target_pct.is_some() => {
                "beweisbar optimal: weniger neue Standorte erreichen das Ziel nicht".to_owned()
            }
            Proof::Optimal => {
                "beweisbar optimal: keine andere Wahl ebenso vieler Standorte deckt mehr ab"
                    .to_owned()
            }
            Proof::LimitReached { upper_bound } => format!(
                "Suchgrenze erreicht nach {} Knoten: bester gefundener Vorschlag, nicht bewiesen; keine Wahl deckt mehr als {} ab",
                self.nodes,
                persons(upper_bound)
            ),
            Proof::CountNotProven { at_least } => format!(
                "Suchgrenze erreicht nach {} Knoten: erreicht das Ziel; ob schon {at_least} Standorte genügen, ist nicht bewiesen",
                self.nodes
            ),
        }
    }

    /// The memo in Markdown (German): inputs, result, the new sites, method, sources.
    pub fn markdown(&self) -> String {
        let km = |v: f64| format_number(v, 1, Lang::De);
        let pct = |v: f64| format_number(v, 1, Lang::De);
        let who = self.weight.label(Lang::De);
        let mut md = format!(
            "# Standortvorschlag: {} ({}), {} km\n\n",
            crate::sites::SiteType::parse(&self.site_type).name_de(),
            self.site_type,
            km(self.radius_km)
        );
        let goal = match (self.new_sites_asked, self.target_pct) {
            (Some(p), _) => format!("{p} neue Standorte"),
            (None, Some(t)) => {
                format!("möglichst wenige neue Standorte für {} % Abdeckung", pct(t))
            }
            (None, None) => String::new(),
        };
        let area = self
            .within
            .as_ref()
            .map(|a| format!(" in {}", a.name))
            .unwrap_or_default();
        let candidates = if self.candidates == "gemeinden" {
            format!("{} Gemeindemittelpunkte{area}", self.candidate_count)
        } else {
            let min = self.candidates.trim_start_matches("cells:");
            format!(
                "{} Gitterzellen mit mindestens {min} Einwohnern{area}",
                self.candidate_count
            )
        };
        md.push_str(&format!(
            "**Eingaben:** {goal}; Radius {} km (Luftlinie); gezählt: {who}; Kandidaten: {candidates}; {} bestehende Standorte bleiben.\n\n",
            km(self.radius_km),
            self.existing_sites
        ));
        md.push_str(&format!(
            "**Ergebnis ({}):** Heute wohnen {} von {} {who} in NRW ({} %) höchstens {} km von einem Standort; mit den neuen Standorten {} ({} %), also {} mehr.\n\n",
            self.status_de(),
            persons(self.covered_before),
            persons(self.total),
            pct(self.covered_before_pct),
            km(self.radius_km),
            persons(self.covered_after),
            pct(self.covered_after_pct),
            persons(Persons(self.covered_after.0 - self.covered_before.0)),
        ));
        if let Some(a) = &self.within {
            md.push_str(&format!(
                "In {}: {} von {} {who} abgedeckt, mit den neuen Standorten {}.\n\n",
                a.name,
                persons(a.covered_before),
                persons(a.total),
                persons(a.covered_after)
            ));
        }
        if let Some(p) = self.new_sites_asked
            && self.new_sites.len() < p
        {
            md.push_str(&format!(
                "Nur {} der {p} Standorte bringen einen Zugewinn; weitere decken niemanden zusätzlich ab.\n\n",
                self.new_sites.len()
            ));
        }
        md.push_str("| Rang | Gemeinde | AGS | Länge | Breite | Zugewinn | danach abgedeckt |\n|---:|---|---|---:|---:|---:|---:|\n");
        for s in &self.new_sites {
            md.push_str(&format!(
                "| {} | {} | {} | {:.5} | {:.5} | {} | {} |\n",
                s.rank,
                s.name,
                s.ags,
                s.lon,
                s.lat,
                persons(s.gain),
                persons(s.covered_after)
            ));
        }
        md.push_str(&format!("\n## Methode\n\n{METHOD_DE}\n"));
        if self.unknown_share_einwohner > 0 {
            md.push_str(&format!(
                "\nZellen mit unbekanntem Anteil zählen 0: {} Einwohner bleiben so unberücksichtigt.\n",
                format_number(self.unknown_share_einwohner as f64, 0, Lang::De)
            ));
        }
        md.push_str(&format!(
            "\n{} Zellen mit geheim gehaltener Einwohnerzahl zählen 0.\n\n## Quellen und Datenstand\n\n",
            self.withheld_cells
        ));
        for line in &self.sources {
            md.push_str(&format!("- {line}\n"));
        }
        md
    }

    /// The new sites as CSV: `rank,ags,name,lon,lat,gain,covered_after,candidate`.
    pub fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record([
            "rank",
            "ags",
            "name",
            "lon",
            "lat",
            "gain",
            "covered_after",
            "candidate",
        ]);
        for s in &self.new_sites {
            let _ = writer.write_record([
                s.rank.to_string(),
                s.ags.to_string(),
                s.name.clone(),
                s.lon.to_string(),
                s.lat.to_string(),
                s.gain.to_string(),
                s.covered_after.to_string(),
                s.candidate.to_owned(),
            ]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
