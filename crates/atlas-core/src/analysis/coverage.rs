//! Coverage around a Kommune: straight-line distance from each Gemeinde's centre point to the
//! nearest site of each type, the Gemeinden beyond a threshold (gaps), and supply ratios compared
//! with the Kreis, NRW and the Kommunen of the same type (Tabelle 2) and rurality (Tabelle 7).
//! Pure functions of atlas, sites and indicators; distances in EPSG:25832 ("Luftlinie").

use std::collections::HashMap;

use geo::{Distance as _, Euclidean, Point};

use crate::analysis::indicators::{IndicatorSet, Values};
use crate::attribution;
use crate::model::{Ags, Atlas, Level, Region};
use crate::sites::{SiteSet, SiteType};

/// What to analyse.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CoverageSpec {
    /// The Gemeinde or Kreis.
    pub kommune: Ags,
    /// Gemeinden whose centre lies within this distance of the Kommune are included, km.
    pub radius_km: f64,
    /// A Gemeinde whose nearest site of a type is farther than this is a gap, km.
    pub threshold_km: f64,
    /// The site types with locations to analyse (KI, ABH, JA, JC, or imported ones).
    #[serde(serialize_with = "type_codes")]
    pub types: Vec<SiteType>,
}

fn type_codes<S: serde::Serializer>(types: &[SiteType], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(types.iter().map(SiteType::code))
}

/// Why the analysis cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoverageError {
    /// Radius or threshold is not a positive number.
    #[error("the {what} {value} is not a positive number of kilometres; e.g. 25")]
    NotPositive {
        /// Which distance.
        what: Distance,
        /// The value given.
        value: f64,
    },
    /// The Kommune is no Gemeinde or Kreis of the atlas.
    #[error("{0} is not a Gemeinde or Kreis of NRW")]
    UnknownKommune(Ags),
    /// A Gemeinde has no centre point.
    #[error("no centre point for Gemeinde {0}; check places/gemeinden_nrw_punkte.csv")]
    MissingPoint(Ags),
}

impl crate::i18n::Localized for CoverageError {
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (CoverageError::NotPositive { what, value }, Lang::De) => {
                let what = match what {
                    Distance::Radius => "Der Umkreis",
                    Distance::Threshold => "Die Lückenschwelle",
                };
                format!("{what} {value} ist keine positive Zahl von Kilometern; z. B. 25")
            }
            (CoverageError::UnknownKommune(a), Lang::De) => {
                format!("{a} ist keine Gemeinde und kein Kreis in NRW")
            }
            (CoverageError::MissingPoint(a), Lang::De) => format!(
                "kein Mittelpunkt für Gemeinde {a}; prüfen Sie places/gemeinden_nrw_punkte.csv"
            ),
        }
    }
}

/// The two distances of a [`CoverageSpec`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distance {
    /// [`CoverageSpec::radius_km`].
    Radius,
    /// [`CoverageSpec::threshold_km`].
    Threshold,
}

impl std::fmt::Display for Distance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Distance::Radius => "radius",
            Distance::Threshold => "gap threshold",
        })
    }
}

/// The nearest site of one type from a Gemeinde.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NearestSite {
    /// Site type code.
    #[serde(rename = "type")]
    pub site_type: String,
    /// Site id, name and straight-line distance in km (`None` if there is no site of the type).
    pub site_id: Option<String>,
    /// Site name.
    pub site_name: Option<String>,
    /// Distance in km, rounded to 0.1.
    pub distance_km: Option<f64>,
    /// Sites of the type within the radius of the Gemeinde's centre.
    pub within_radius: usize,
    /// True when the nearest site is beyond the threshold (or there is none).
    pub gap: bool,
}

/// One Gemeinde of the analysis.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GemeindeCoverage {
    /// AGS.
    pub ags: String,
    /// Name.
    pub name: String,
    /// Kreis AGS.
    pub kreis_ags: String,
    /// Inhabitants 31.12.2019.
    pub population: u64,
    /// True for Gemeinden of the Kommune itself (else: within the radius).
    pub in_kommune: bool,
    /// Distance of its centre from the Kommune, km (0 inside).
    pub distance_to_kommune_km: f64,
    /// Nearest site per type.
    pub nearest: Vec<NearestSite>,
}

/// Gemeinden of the Kommune farther than the threshold from a type's nearest site.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Gap {
    /// Site type code.
    #[serde(rename = "type")]
    pub site_type: String,
    /// The Gemeinden (of the Kommune and the radius) beyond the threshold: (AGS, name, km).
    pub gemeinden: Vec<(String, String, f64)>,
    /// Inhabitants of the Kommune's own Gemeinden beyond the threshold.
    pub population_beyond: u64,
    /// Their share of the Kommune's population, %.
    pub share_of_kommune_pct: f64,
}

/// Supply of one type in one area.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Supply {
    /// Site type code.
    #[serde(rename = "type")]
    pub site_type: String,
    /// "Kommune", "Kreis", "NRW", "Typ …", "Ländlichkeit …".
    pub area: String,
    /// Sites in the area (`None` where the source has no figure).
    pub sites: Option<f64>,
    /// Inhabitants of the area.
    pub population: u64,
    /// Inhabitants per site.
    pub inhabitants_per_site: Option<f64>,
    /// Sites per 100,000 inhabitants.
    pub per_100k: Option<f64>,
    /// Rank of the Kommune's Kreis among all Kreise by sites per 100,000 (1 = most), with the count ranked.
    pub rank: Option<(usize, usize)>,
    /// Where the count comes from.
    pub source: String,
}

/// The result.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CoverageReport {
    /// The inputs.
    pub spec: CoverageSpec,
    /// The Kommune's name for people.
    pub kommune_name: String,
    /// Its inhabitants.
    pub kommune_population: u64,
    /// The Gemeinden analysed: the Kommune's first, then those within the radius, by distance.
    pub gemeinden: Vec<GemeindeCoverage>,
    /// Gaps per type.
    pub gaps: Vec<Gap>,
    /// Supply ratios per type and area.
    pub supply: Vec<Supply>,
    /// Data stand and sources, one line each.
    pub sources: Vec<String>,
    /// The figures on the Zensus population grid, when the grid was given (see
    /// [`CoverageReport::with_grid`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grid: Vec<crate::analysis::grid_coverage::KommuneGridFigures>,
}

/// Runs the analysis.
pub fn analyse(
    atlas: &Atlas,
    sites: &SiteSet,
    indicators: &IndicatorSet,
    points: &HashMap<Ags, crate::data::places::GemeindePoint>,
    spec: &CoverageSpec,
) -> Result<CoverageReport, CoverageError> {
    for (what, value) in [
        (Distance::Radius, spec.radius_km),
        (Distance::Threshold, spec.threshold_km),
    ] {
        if !(value.is_finite() && value > 0.0) {
            return Err(CoverageError::NotPositive { what, value });
        }
    }
    let kommune = atlas
        .get(&spec.kommune)
        .filter(|r| matches!(r.level, Level::Gemeinde | Level::Kreis));
    let kommune = kommune.ok_or_else(|| CoverageError::UnknownKommune(spec.kommune.clone()))?;
    let gemeinden = gemeinden_around(atlas, sites, kommune, points, spec)?;
    let gaps = spec
        .types
        .iter()
        .map(|t| gap_of(t, &gemeinden, kommune))
        .collect();
    let supply = supply_table(atlas, sites, indicators, kommune, &spec.types);
    Ok(CoverageReport {
        spec: spec.clone(),
        kommune_name: kommune.display_name(),
        kommune_population: kommune.population,
        gemeinden,
        gaps,
        supply,
        sources: sources(atlas),
        grid: Vec::new(),
    })
}

impl CoverageReport {
    /// Adds the Kommune's figures on the Zensus population grid (per type: inhabitants and
    /// foreign residents beyond the threshold, weighted mean and 90th-percentile distance) and
    /// the grid's attribution to the sources.
    pub fn with_grid(
        mut self,
        atlas: &Atlas,
        grid: &crate::data::zensus::PopulationGrid,
        sites: &SiteSet,
    ) -> CoverageReport {
        self.grid = crate::analysis::grid_coverage::kommune_figures(
            atlas,
            grid,
            sites,
            &self.spec.kommune,
            &self.spec.types,
            self.spec.threshold_km,
        );
        if !self.grid.is_empty() {
            self.sources.push(attribution::zensus_grid().de);
        }
        self
    }
}

/// The Kommune's own Gemeinden and those whose centre lies within the radius of its outline.
fn gemeinden_around(
    atlas: &Atlas,
    sites: &SiteSet,
    kommune: &Region,
    points: &HashMap<Ags, crate::data::places::GemeindePoint>,
    spec: &CoverageSpec,
) -> Result<Vec<GemeindeCoverage>, CoverageError> {
    let own = |g: &Region| g.ags == kommune.ags || g.parent.as_ref() == Some(&kommune.ags);
    let mut rows = Vec::new();
    for g in atlas.regions(Level::Gemeinde) {
        let point = points
            .get(&g.ags)
            .ok_or_else(|| CoverageError::MissingPoint(g.ags.clone()))?;
        let (x, y) = (point.x, point.y);
        let distance = if own(g) {
            0.0
        } else {
            Euclidean.distance(&Point::new(x, y), &kommune.geometry) / 1000.0
        };
        if own(g) || distance <= spec.radius_km {
            rows.push(GemeindeCoverage {
                ags: g.ags.to_string(),
                name: g.name.clone(),
                kreis_ags: g.parent.as_ref().map(Ags::to_string).unwrap_or_default(),
                population: g.population,
                in_kommune: own(g),
                distance_to_kommune_km: round1(distance),
                nearest: spec
                    .types
                    .iter()
                    .map(|t| nearest_of(sites, t, x, y, spec))
                    .collect(),
            });
        }
    }
    rows.sort_by(|a, b| {
        (!a.in_kommune)
            .cmp(&!b.in_kommune)
            .then(
                a.distance_to_kommune_km
                    .total_cmp(&b.distance_to_kommune_km),
            )
            .then(a.ags.cmp(&b.ags))
    });
    Ok(rows)
}

fn nearest_of(
    sites: &SiteSet,
    site_type: &SiteType,
    x: f64,
    y: f64,
    spec: &CoverageSpec,
) -> NearestSite {
    let hit = sites.nearest_one(site_type, x, y);
    let distance = hit.map(|h| round1(h.distance_km));
    NearestSite {
        site_type: site_type.code().to_owned(),
        site_id: hit.map(|h| h.site.id.clone()),
        site_name: hit.map(|h| h.site.name.clone()),
        distance_km: distance,
        within_radius: sites.within(site_type, x, y, spec.radius_km).len(),
        gap: hit.is_none_or(|h| h.distance_km > spec.threshold_km),
    }
}

fn gap_of(site_type: &SiteType, gemeinden: &[GemeindeCoverage], kommune: &Region) -> Gap {
    let code = site_type.code();
    let beyond: Vec<&GemeindeCoverage> = gemeinden
        .iter()
        .filter(|g| g.nearest.iter().any(|n| n.site_type == code && n.gap))
        .collect();
    let population_beyond: u64 = beyond
        .iter()
        .filter(|g| g.in_kommune)
        .map(|g| g.population)
        .sum();
    let share = if kommune.population > 0 {
        population_beyond as f64 * 100.0 / kommune.population as f64
    } else {
        0.0
    };
    Gap {
        site_type: code.to_owned(),
        gemeinden: beyond
            .iter()
            .map(|g| {
                let km = g
                    .nearest
                    .iter()
                    .find(|n| n.site_type == code)
                    .and_then(|n| n.distance_km)
                    .unwrap_or(f64::INFINITY);
                (g.ags.clone(), g.name.clone(), km)
            })
            .collect(),
        population_beyond,
        share_of_kommune_pct: round1(share),
    }
}

/// The Kreis of a Kommune (itself if it is a Kreis).
fn kreis_of<'a>(atlas: &'a Atlas, kommune: &'a Region) -> &'a Region {
    match kommune.level {
        Level::Gemeinde => kommune
            .parent
            .as_ref()
            .and_then(|p| atlas.get(p))
            .unwrap_or(kommune),
        _ => kommune,
    }
}

/// Sites of a type per Kreis: from the registry for located types, from Tabelle 6 for the
/// types known only as counts.
fn sites_per_kreis(
    atlas: &Atlas,
    sites: &SiteSet,
    indicators: &IndicatorSet,
    site_type: &SiteType,
) -> (Vec<Option<f64>>, String) {
    let table6 = match site_type {
        SiteType::Ia => Some("count_ia"),
        SiteType::Jmd => Some("count_jmd"),
        SiteType::Mbe => Some("count_mbe"),
        SiteType::JcGs => Some("count_jc_gs"),
        _ => None,
    };
    if let Some(key) = table6 {
        let values = match indicators.get(Level::Kreis, key).map(|i| &i.values) {
            Some(Values::Numeric(v)) => v.clone(),
            _ => vec![None; atlas.regions(Level::Kreis).len()],
        };
        return (
            values,
            "Gutachten Bogumil/Hafner 2020, Tabelle 6 (nur Kreise)".to_owned(),
        );
    }
    let mut counts = vec![0.0; atlas.regions(Level::Kreis).len()];
    for site in sites.of_type(site_type) {
        if let Some(id) = site.kommune_ags.parent().and_then(|k| atlas.id_of(&k)) {
            counts[id.index] += 1.0;
        }
    }
    (
        counts.into_iter().map(Some).collect(),
        "Standortregister (geodata/sites)".to_owned(),
    )
}

fn supply_row(
    site_type: &SiteType,
    area: String,
    sites: Option<f64>,
    population: u64,
    source: &str,
) -> Supply {
    let per_site = sites
        .filter(|&n| n > 0.0)
        .map(|n| (population as f64 / n).round());
    let per_100k = sites
        .filter(|_| population > 0)
        .map(|n| (n * 100_000.0 / population as f64 * 100.0).round() / 100.0);
    Supply {
        site_type: site_type.code().to_owned(),
        area,
        sites,
        population,
        inhabitants_per_site: per_site,
        per_100k,
        rank: None,
        source: source.to_owned(),
    }
}

/// The category of a Kreis in a categorical indicator (typology, rurality), with its members.
fn category_members(
    indicators: &IndicatorSet,
    key: &str,
    kreis_index: usize,
) -> Option<(String, Vec<usize>)> {
    let Values::Categorical { codes, categories } = &indicators.get(Level::Kreis, key)?.values
    else {
        return None;
    };
    let code = codes.get(kreis_index).copied().flatten()?;
    let members = codes
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Some(code))
        .map(|(i, _)| i)
        .collect();
    Some((categories[code].clone(), members))
}

fn supply_table(
    atlas: &Atlas,
    sites: &SiteSet,
    indicators: &IndicatorSet,
    kommune: &Region,
    types: &[SiteType],
) -> Vec<Supply> {
    let kreise = atlas.regions(Level::Kreis);
    let kreis = kreis_of(atlas, kommune);
    let kreis_index = atlas.id_of(&kreis.ags).map_or(0, |id| id.index);
    let mut all_types: Vec<SiteType> = types.to_vec();
    for extra in [SiteType::Ia, SiteType::Jmd, SiteType::Mbe, SiteType::JcGs] {
        if !all_types.contains(&extra) {
            all_types.push(extra);
        }
    }
    let mut rows = Vec::new();
    for site_type in &all_types {
        let (per_kreis, source) = sites_per_kreis(atlas, sites, indicators, site_type);
        let located = !matches!(
            site_type,
            SiteType::Ia | SiteType::Jmd | SiteType::Mbe | SiteType::JcGs
        );
        let sum = |members: &[usize]| -> (Option<f64>, u64) {
            let population = members.iter().map(|&i| kreise[i].population).sum();
            let known: Vec<f64> = members.iter().filter_map(|&i| per_kreis[i]).collect();
            let total = (known.len() == members.len()).then(|| known.iter().sum());
            (total, population)
        };
        if kommune.level == Level::Gemeinde && located {
            let count = sites
                .of_type(site_type)
                .filter(|s| s.kommune_ags == kommune.ags)
                .count() as f64;
            rows.push(supply_row(
                site_type,
                format!("Kommune {}", kommune.display_name()),
                Some(count),
                kommune.population,
                &source,
            ));
        }
        let mut kreis_row = supply_row(
            site_type,
            kreis.display_name(),
            per_kreis[kreis_index],
            kreis.population,
            &source,
        );
        let mut ranked: Vec<(usize, f64)> = (0..kreise.len())
            .filter_map(|i| {
                per_kreis[i]
                    .filter(|_| kreise[i].population > 0)
                    .map(|n| (i, n / kreise[i].population as f64))
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        kreis_row.rank = ranked
            .iter()
            .position(|(i, _)| *i == kreis_index)
            .map(|r| (r + 1, ranked.len()));
        rows.push(kreis_row);
        let all: Vec<usize> = (0..kreise.len()).collect();
        let (nrw_sites, nrw_population) = sum(&all);
        let nrw_sites = nrw_sites
            .or_else(|| located.then_some(0.0))
            .or_else(|| Some(per_kreis.iter().flatten().sum()));
        let nrw_label = if located {
            "NRW".to_owned()
        } else {
            "NRW (Summe der 31 Kreise, ohne kreisfreie Städte)".to_owned()
        };
        let nrw_population = if located {
            nrw_population
        } else {
            (0..kreise.len())
                .filter(|&i| per_kreis[i].is_some())
                .map(|i| kreise[i].population)
                .sum()
        };
        rows.push(supply_row(
            site_type,
            nrw_label,
            nrw_sites,
            nrw_population,
            &source,
        ));
        for (key, label) in [("typology", "KI-Typ"), ("rurality", "Ländlichkeit")] {
            if let Some((category, members)) = category_members(indicators, key, kreis_index) {
                let (n, population) = sum(&members);
                rows.push(supply_row(
                    site_type,
                    format!("{label}: {category} ({} Einheiten)", members.len()),
                    n,
                    population,
                    &source,
                ));
            }
        }
    }
    rows
}

fn sources(atlas: &Atlas) -> Vec<String> {
    vec![
        attribution::boundaries(&atlas.provenance.boundaries_stand).de,
        attribution::population().de,
        attribution::centroids().de,
        "Standorte: aus dem Gutachten Bogumil/Hafner 2020 abgeleitet, am Sitz der Kommune (keine Adressen)".to_owned(),
        "Entfernungen: Luftlinie zwischen Gemeindemittelpunkt und Sitz der Einrichtung, nicht Wegstrecke".to_owned(),
    ]
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

impl CoverageReport {
    /// The Gemeinde table as CSV: one row per Gemeinde, per type distance, count in radius, gap.
    pub fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "ags".to_owned(),
            "name".into(),
            "kreis_ags".into(),
            "population".into(),
            "in_kommune".into(),
            "distance_to_kommune_km".into(),
        ];
        for t in &self.spec.types {
            let code = t.code().to_ascii_lowercase().replace('-', "_");
            header.extend([
                format!("{code}_nearest"),
                format!("{code}_distance_km"),
                format!("{code}_within_radius"),
                format!("{code}_gap"),
            ]);
        }
        let _ = writer.write_record(&header);
        for g in &self.gemeinden {
            let mut record = vec![
                g.ags.clone(),
                g.name.clone(),
                g.kreis_ags.clone(),
                g.population.to_string(),
                g.in_kommune.to_string(),
                g.distance_to_kommune_km.to_string(),
            ];
            for n in &g.nearest {
                record.extend([
                    n.site_name.clone().unwrap_or_default(),
                    n.distance_km.map(|d| d.to_string()).unwrap_or_default(),
                    n.within_radius.to_string(),
                    n.gap.to_string(),
                ]);
            }
            let _ = writer.write_record(&record);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The report in Markdown for a memo: inputs, gaps in words, tables, sources (German).
    pub fn markdown(&self) -> String {
        use crate::i18n::Lang::De;
        use crate::numfmt::{format_count, format_number};
        let km = |v: f64| format_number(v, 1, De);
        let types: Vec<&str> = self.spec.types.iter().map(SiteType::code).collect();
        let mut md = format!("# Versorgungsanalyse: {}\n\n", self.kommune_name);
        md.push_str(&format!(
            "**Eingaben:** Kommune {} ({}), {} Einwohner; Umkreis {} km; Schwelle {} km; Einrichtungen {}.\n\n",
            self.kommune_name,
            self.spec.kommune,
            format_count(self.kommune_population, De),
            km(self.spec.radius_km),
            km(self.spec.threshold_km),
            types.join(", ")
        ));
        md.push_str("Entfernungen sind Luftlinie vom Gemeindemittelpunkt zum Sitz der nächsten Einrichtung; Einrichtungen liegen am Sitz ihrer Kommune (keine Adressen).\n\n## Lücken\n\n");
        for gap in &self.gaps {
            let own: Vec<String> = gap
                .gemeinden
                .iter()
                .filter(|(ags, _, _)| self.gemeinden.iter().any(|g| g.ags == *ags && g.in_kommune))
                .map(|(_, name, d)| format!("{name} ({} km)", km(*d)))
                .collect();
            let around = gap.gemeinden.len() - own.len();
            if own.is_empty() {
                md.push_str(&format!("- **{}**: Keine Gemeinde der Kommune liegt weiter als {} km vom nächsten Standort entfernt.", gap.site_type, km(self.spec.threshold_km)));
            } else {
                md.push_str(&format!(
                    "- **{}**: {} Gemeinde(n) der Kommune liegen weiter als {} km vom nächsten Standort: {}. Das betrifft {} Einwohner ({} % der Kommune).",
                    gap.site_type,
                    own.len(),
                    km(self.spec.threshold_km),
                    own.join(", "),
                    format_count(gap.population_beyond, De),
                    km(gap.share_of_kommune_pct)
                ));
            }
            if around > 0 {
                md.push_str(&format!(" Im Umkreis außerhalb der Kommune: {around} weitere Gemeinde(n) über der Schwelle."));
            }
            md.push('\n');
        }
        md.push_str(
            "\n## Gemeinden und nächste Einrichtungen\n\n| Gemeinde | AGS | Einwohner | Lage |",
        );
        for t in &types {
            md.push_str(&format!(" {t}: km | {t} im Umkreis |"));
        }
        md.push_str("\n|---|---|---:|---|");
        for _ in &types {
            md.push_str("---:|---:|");
        }
        md.push('\n');
        for g in &self.gemeinden {
            let where_ = if g.in_kommune {
                "Kommune".to_owned()
            } else {
                format!("Umkreis, {} km", km(g.distance_to_kommune_km))
            };
            md.push_str(&format!(
                "| {} | {} | {} | {} |",
                g.name,
                g.ags,
                format_count(g.population, De),
                where_
            ));
            for n in &g.nearest {
                let d = n.distance_km.map_or_else(|| "–".to_owned(), km);
                let mark = if n.gap { " ⚠" } else { "" };
                md.push_str(&format!(" {d}{mark} | {} |", n.within_radius));
            }
            md.push('\n');
        }
        md.push_str("\n## Versorgungsgrade\n\n| Typ | Gebiet | Einrichtungen | Einwohner je Einrichtung | je 100.000 EW | Rang unter den Kreisen |\n|---|---|---:|---:|---:|---:|\n");
        for s in &self.supply {
            let opt = |v: Option<f64>, d: usize| {
                v.map_or_else(|| "–".to_owned(), |v| format_number(v, d, De))
            };
            let rank = s
                .rank
                .map_or_else(String::new, |(r, n)| format!("{r} von {n}"));
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                s.site_type,
                s.area,
                opt(s.sites, 0),
                opt(s.inhabitants_per_site, 0),
                opt(s.per_100k, 2),
                rank
            ));
        }
        md.push_str("\nIA, JMD, MBE und Jobcenter-Geschäftsstellen: nur Anzahlen je Kreis (Tabelle 6), für kreisfreie Städte ohne Angabe; daher nur Versorgungsgrade, keine Entfernungen.\n\n");
        md.push_str(&crate::analysis::grid_coverage::markdown_section(
            &self.grid,
        ));
        md.push_str("## Quellen und Datenstand\n\n");
        for line in &self.sources {
            md.push_str(&format!("- {line}\n"));
        }
        md
    }
}
