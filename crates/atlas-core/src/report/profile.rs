//! The profile (Steckbrief) of a Kommune — a Gemeinde or a Kreis: the Kommune on a map with its
//! neighbours; key figures beside the region above it (Kreis or Regierungsbezirk) and NRW, with
//! its rank; its institutions from the site registry; supply ratios and coverage gaps from the
//! centre-point coverage ([`crate::analysis::coverage`]); the source of every number.
//! Rendered as Markdown ([`Profile::markdown`]) or as a two-page PDF ([`Profile::pdf_pages`]).
//!
//! The key figures are the indicators named in [`KEY_FIGURES`], each with how it adds up over
//! regions; more (e.g. INKAR series) are one line each there.

use crate::analysis::coverage::CoverageReport;
use crate::analysis::indicators::{ChangeKind, IndicatorSet};
use crate::cartography::request::MapRequest;
use crate::i18n::Lang;
use crate::model::{Ags, Atlas, Level, Region};
use crate::numfmt::{format_count, format_number};
use crate::render::pdf::{PT_PER_PX, Page, Paper, Piece};
use crate::render::{ExportError, ExportJob};
use crate::report::sheet::{Column, Sheet};
use crate::sites::SiteSet;

/// How an indicator adds up over several regions (for the region above and NRW, where no
/// official figure of that level is loaded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    /// Counts and areas: the sum.
    Sum,
    /// Inhabitants per km²: summed population over summed area.
    Density,
    /// Shares of the population: the mean weighted by population.
    PopulationWeighted,
}

/// A key figure of the profile: an indicator key and how it adds up.
#[derive(Clone, Copy, Debug)]
pub struct KeyFigure {
    /// The indicator's key (as in `regions` and `--field`).
    pub key: &'static str,
    /// How it adds up over regions.
    pub aggregate: Aggregate,
}

/// The key figures, in order. An indicator missing at the Kommune's level is left out.
pub const KEY_FIGURES: &[KeyFigure] = &[
    KeyFigure {
        key: "area_ha",
        aggregate: Aggregate::Sum,
    },
    KeyFigure {
        key: "population",
        aggregate: Aggregate::Sum,
    },
    KeyFigure {
        key: "density",
        aggregate: Aggregate::Density,
    },
    KeyFigure {
        key: "migration_background_pct",
        aggregate: Aggregate::PopulationWeighted,
    },
    KeyFigure {
        key: "foreign_share_pct",
        aggregate: Aggregate::PopulationWeighted,
    },
];

/// The INKAR indicators of the profile, with their trend (ids as `integrationsatlas indicators`
/// lists them): asylum seekers' benefits per 1,000 inhabitants, SGB II rate, child poverty,
/// foreign pupils, car minutes to the nearest Oberzentrum. Each is shown where INKAR has it at
/// the Kommune's level (Kreis or Gemeinde); one missing there is left out.
pub const INKAR_FIGURES: &[&str] = &[
    "inkar24_q_asyl_bev",
    "inkar24_q_SGBII",
    "inkar24_q_newfBGu15_bev",
    "inkar24_a_sch_a",
    "inkar22_x337",
];

/// One INKAR indicator of a Kommune: its latest value, the region above where INKAR has it, its
/// rank and its trend over the series.
#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    /// The indicator id.
    pub key: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// Decimals to show.
    pub decimals: usize,
    /// The first year of the series.
    pub first_year: String,
    /// The Kommune's value in the first year (`None`: keine Angabe).
    pub first: Option<f64>,
    /// The latest year of the series.
    pub latest_year: String,
    /// The Kommune's value in the latest year (`None`: keine Angabe).
    pub latest: Option<f64>,
    /// Latest minus first (in the unit; percentage points for %), where both exist.
    pub change: Option<f64>,
    /// The region above in the latest year, where INKAR publishes that level (never computed).
    pub parent: Option<f64>,
    /// Rank in the latest year among the regions of the level (1 = highest), of how many.
    pub rank: Option<(usize, usize)>,
    /// The source with edition.
    pub source: String,
    /// The attribution line ("Datenbasis: INKAR, BBSR Bonn, Ausgabe …").
    pub attribution: String,
}

/// A comparison value and whether it was computed from the regions below.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The value (`None` where no region has one).
    pub value: Option<f64>,
    /// Computed from the regions of the Kommune's level (not an official figure of the area).
    pub computed: bool,
}

/// One key figure of a Kommune.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The indicator key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// Its unit.
    pub unit: String,
    /// Decimals to show.
    pub decimals: usize,
    /// The Kommune's value.
    pub value: Option<f64>,
    /// The region above (Kreis of a Gemeinde, Regierungsbezirk of a Kreis).
    pub parent: Comparison,
    /// NRW.
    pub nrw: Comparison,
    /// Rank among the regions of the level (1 = highest) and how many were ranked.
    pub rank: Option<(usize, usize)>,
    /// The source with year.
    pub source: String,
}

/// An institution of the Kommune from the site registry.
#[derive(Clone, Debug, PartialEq)]
pub struct Institution {
    /// The type code (KI, ABH, JA, JC).
    pub code: String,
    /// The type's name.
    pub type_name: String,
    /// The institution's name.
    pub name: String,
    /// The Kommune of its seat.
    pub seat: String,
    /// The source and stand.
    pub source: String,
}

/// The profile of one Kommune.
pub struct Profile<'a> {
    /// The atlas.
    pub atlas: &'a Atlas,
    /// The Kommune.
    pub region: &'a Region,
    /// The region above (Kreis or Regierungsbezirk).
    pub parent: Option<&'a Region>,
    /// The key figures.
    pub figures: Vec<Figure>,
    /// The INKAR indicators with their trend ([`INKAR_FIGURES`] that exist at the level).
    pub trends: Vec<Trend>,
    /// The institutions with their seat in the Kommune.
    pub institutions: Vec<Institution>,
    /// Coverage and supply (centre points), if computed.
    pub coverage: Option<CoverageReport>,
    /// The language.
    pub lang: Lang,
    /// The date of the profile (YYYY-MM-DD).
    pub date: String,
}

/// Why a profile cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The key names no Gemeinde or Kreis.
    #[error("{0}: no Gemeinde or Kreis has this AGS")]
    Unknown(Ags),
}

impl<'a> Profile<'a> {
    /// The profile of the Gemeinde or Kreis `ags`, with the coverage report computed for it
    /// (pass `None` to leave coverage out).
    pub fn build(
        atlas: &'a Atlas,
        indicators: &IndicatorSet,
        sites: &SiteSet,
        coverage: Option<CoverageReport>,
        ags: &Ags,
        lang: Lang,
        date: String,
    ) -> Result<Profile<'a>, ProfileError> {
        let region = atlas
            .get(ags)
            .filter(|r| matches!(r.level, Level::Gemeinde | Level::Kreis))
            .ok_or_else(|| ProfileError::Unknown(ags.clone()))?;
        let parent = region.parent.as_ref().and_then(|p| atlas.get(p));
        let figures = KEY_FIGURES
            .iter()
            .filter_map(|f| figure(atlas, indicators, region, parent, f, lang))
            .collect();
        let trends = INKAR_FIGURES
            .iter()
            .filter_map(|key| trend(atlas, indicators, region, parent, key, lang))
            .collect();
        Ok(Profile {
            atlas,
            region,
            parent,
            figures,
            trends,
            institutions: institutions(atlas, sites, region, lang),
            coverage,
            lang,
            date,
        })
    }

    /// The profile's title: "Steckbrief: Kreis Olpe (05966)".
    pub fn title(&self) -> String {
        format!(
            "{}: {} ({})",
            self.lang.pick("Steckbrief", "Profile"),
            self.region.display_name(),
            self.region.ags
        )
    }

    fn parent_heading(&self) -> String {
        let lang = self.lang;
        match self.parent {
            Some(p) if p.level == Level::Bezirk => format!("RB {}", p.name),
            Some(p) => p.display_name(),
            None => lang.pick("übergeordnet", "above").to_owned(),
        }
    }

    /// A line saying what the Kommune is and where it lies.
    pub fn summary(&self) -> String {
        let lang = self.lang;
        let kind = match (self.region.level, self.region.kreisfrei) {
            (Level::Gemeinde, true) | (Level::Kreis, true) => {
                lang.pick("Kreisfreie Stadt", "Kreisfreie Stadt (county-level city)")
            }
            (Level::Gemeinde, false) => lang.pick("Gemeinde", "Gemeinde (municipality)"),
            _ => lang.pick("Kreis", "Kreis (district)"),
        };
        // A kreisfreie Stadt is its own Kreis: name the Regierungsbezirk instead.
        let place = match self.parent {
            Some(p) if self.region.kreisfrei && p.level == Level::Kreis => {
                p.parent.as_ref().and_then(|b| self.atlas.get(b))
            }
            other => other,
        };
        let mut line = match place {
            Some(p) => format!("{kind} {} {}", lang.pick("in", "in"), p.display_name()),
            None => kind.to_owned(),
        };
        if self.region.level == Level::Kreis && !self.region.kreisfrei {
            let names: Vec<String> = self
                .atlas
                .children(&self.region.ags)
                .iter()
                .map(|g| g.name.clone())
                .collect();
            line.push_str(&format!(
                "; {} {}: {}",
                names.len(),
                lang.pick("Gemeinden", "Gemeinden"),
                names.join(", ")
            ));
        }
        line
    }

    /// The key figures as table rows: figure, Kommune, region above, NRW, rank.
    fn figure_rows(&self) -> Vec<Vec<String>> {
        let lang = self.lang;
        let show = |v: Option<f64>, f: &Figure| {
            v.map_or_else(|| "–".to_owned(), |v| format_number(v, f.decimals, lang))
        };
        let computed = |c: &Comparison, f: &Figure| {
            let mark = if c.computed && c.value.is_some() {
                "*"
            } else {
                ""
            };
            format!("{}{mark}", show(c.value, f))
        };
        self.figures
            .iter()
            .map(|f| {
                let label = if f.unit.is_empty() {
                    f.label.clone()
                } else {
                    format!("{} ({})", f.label, f.unit)
                };
                let rank = f.rank.map_or_else(String::new, |(r, n)| {
                    format!("{r} {} {n}", lang.pick("von", "of"))
                });
                vec![
                    label,
                    show(f.value, f),
                    computed(&f.parent, f),
                    computed(&f.nrw, f),
                    rank,
                ]
            })
            .collect()
    }

    fn figure_columns(&self) -> [String; 5] {
        let lang = self.lang;
        [
            lang.pick("Kennzahl", "Figure").to_owned(),
            self.region.display_name(),
            self.parent_heading(),
            "NRW".to_owned(),
            format!(
                "{} ({})",
                lang.pick("Rang", "Rank"),
                lang.level_plural(self.region.level)
            ),
        ]
    }

    /// The INKAR indicators as table rows: indicator, latest value, region above, NRW, rank,
    /// trend.
    fn trend_rows(&self) -> Vec<Vec<String>> {
        let lang = self.lang;
        let none = lang.pick("keine Angabe", "no data");
        self.trends
            .iter()
            .map(|t| {
                let show = |v: Option<f64>| {
                    v.map_or_else(|| none.to_owned(), |v| format_number(v, t.decimals, lang))
                };
                let rank = t.rank.map_or_else(String::new, |(r, n)| {
                    format!("{r} {} {n}", lang.pick("von", "of"))
                });
                let parent = t
                    .parent
                    .map_or_else(|| "–".to_owned(), |v| format_number(v, t.decimals, lang));
                vec![
                    format!("{} ({})", t.label, t.latest_year),
                    show(t.latest),
                    parent,
                    "–".to_owned(),
                    rank,
                    self.trend_text(t),
                ]
            })
            .collect()
    }

    /// "2010: 4,10; 2021: 6,30 (+2,20)"; one year only: "nur 2020".
    fn trend_text(&self, t: &Trend) -> String {
        let lang = self.lang;
        if t.first_year == t.latest_year {
            return format!("{} {}", lang.pick("nur", "only"), t.latest_year);
        }
        let show = |v: Option<f64>| {
            v.map_or_else(
                || lang.pick("keine Angabe", "no data").to_owned(),
                |v| format_number(v, t.decimals, lang),
            )
        };
        let change = t.change.map_or_else(String::new, |c| {
            let sign = if c > 0.0 { "+" } else { "" };
            format!(" ({sign}{})", format_number(c, t.decimals, lang))
        });
        format!(
            "{}: {}; {}: {}{change}",
            t.first_year,
            show(t.first),
            t.latest_year,
            show(t.latest)
        )
    }

    fn trend_columns(&self) -> [String; 6] {
        let lang = self.lang;
        let [_, kommune, parent, nrw, rank] = self.figure_columns();
        [
            lang.pick("INKAR-Indikator (Jahr)", "INKAR indicator (year)")
                .to_owned(),
            kommune,
            parent,
            nrw,
            rank,
            lang.pick("Entwicklung", "Trend").to_owned(),
        ]
    }

    fn trend_note(&self) -> String {
        let units: Vec<String> = self
            .trends
            .iter()
            .map(|t| {
                format!(
                    "{}: {}",
                    t.label,
                    if t.unit.is_empty() { "–" } else { &t.unit }
                )
            })
            .collect();
        match self.lang {
            Lang::De => format!(
                "Wert des letzten Jahres der INKAR-Reihe; Entwicklung: Wert im ersten und letzten Jahr der Reihe und die Differenz (bei % in Prozentpunkten). „keine Angabe“: kein Wert in diesem Jahr. „–“ beim Vergleich: INKAR veröffentlicht für diese Ebene keinen Wert (NRW nie); hier nicht berechnet. Einheiten: {}.",
                units.join("; ")
            ),
            Lang::En => format!(
                "Value of the INKAR series' latest year; trend: the value in the series' first and latest year and the difference (percentage points for %). \"no data\": no value in that year. \"–\" in a comparison: INKAR publishes no value of that level (never NRW); not computed here. Units: {}.",
                units.join("; ")
            ),
        }
    }

    fn computed_note(&self) -> String {
        self.lang
            .pick(
                "* berechnet aus den Werten der Gebiete dieser Ebene (Summen; Dichte als Einwohner je Fläche; Anteile bevölkerungsgewichtet), keine amtliche Zahl des Gebiets. Rang: 1 = höchster Wert.",
                "* computed from the values of this level's regions (sums; density as inhabitants per area; shares weighted by population), not an official figure of the area. Rank: 1 = highest value.",
            )
            .to_owned()
    }

    fn institution_rows(&self) -> Vec<Vec<String>> {
        self.institutions
            .iter()
            .map(|i| {
                vec![
                    format!("{} – {}", i.code, i.type_name),
                    i.name.clone(),
                    i.seat.clone(),
                ]
            })
            .collect()
    }

    fn supply_rows(&self) -> Vec<Vec<String>> {
        let lang = self.lang;
        let Some(report) = &self.coverage else {
            return Vec::new();
        };
        let opt = |v: Option<f64>, d: usize| {
            v.map_or_else(|| "–".to_owned(), |v| format_number(v, d, lang))
        };
        report
            .supply
            .iter()
            .map(|s| {
                vec![
                    s.site_type.clone(),
                    s.area.clone(),
                    opt(s.sites, 0),
                    opt(s.inhabitants_per_site, 0),
                    opt(s.per_100k, 2),
                    s.rank.map_or_else(String::new, |(r, n)| {
                        format!("{r} {} {n}", lang.pick("von", "of"))
                    }),
                ]
            })
            .collect()
    }

    fn gap_lines(&self) -> Vec<String> {
        let lang = self.lang;
        let Some(report) = &self.coverage else {
            return Vec::new();
        };
        let km = |v: f64| format!("{} km", format_number(v, 1, lang));
        let threshold = km(report.spec.threshold_km);
        report
            .gaps
            .iter()
            .map(|g| {
                let prefix = self.region.ags.as_str();
                let inside: Vec<String> = g
                    .gemeinden
                    .iter()
                    .filter(|(ags, _, _)| ags.starts_with(prefix))
                    .map(|(_, name, d)| format!("{name} ({})", km(*d)))
                    .collect();
                let around = g.gemeinden.len() - inside.len();
                let beyond = match (lang, around) {
                    (_, 0) => String::new(),
                    (Lang::De, n) => format!(" Im Umkreis außerhalb der Kommune: {n} weitere."),
                    (Lang::En, n) => format!(" In the radius outside the Kommune: {n} more."),
                };
                let within = match (lang, inside.is_empty()) {
                    (Lang::De, true) => format!(
                        "{}: jede Gemeinde der Kommune liegt höchstens {threshold} vom nächsten Standort.",
                        g.site_type
                    ),
                    (Lang::En, true) => format!(
                        "{}: every Gemeinde of the Kommune lies within {threshold} of the nearest site.",
                        g.site_type
                    ),
                    (Lang::De, false) => format!(
                        "{}: {} Gemeinde(n) der Kommune weiter als {threshold} vom nächsten Standort: {}; {} Einwohner ({} % der Kommune).",
                        g.site_type,
                        inside.len(),
                        inside.join(", "),
                        format_count(g.population_beyond, lang),
                        format_number(g.share_of_kommune_pct, 1, lang)
                    ),
                    (Lang::En, false) => format!(
                        "{}: {} Gemeinde(n) of the Kommune farther than {threshold} from the nearest site: {}; {} inhabitants ({} % of the Kommune).",
                        g.site_type,
                        inside.len(),
                        inside.join(", "),
                        format_count(g.population_beyond, lang),
                        format_number(g.share_of_kommune_pct, 1, lang)
                    ),
                };
                format!("{within}{beyond}")
            })
            .collect()
    }

    /// The method of the grid figures in plain words, if the coverage report has them.
    fn grid_intro(&self) -> Option<String> {
        let report = self.coverage.as_ref().filter(|r| !r.grid.is_empty())?;
        let s = format_number(report.spec.threshold_km, 1, self.lang);
        let withheld = report.grid[0].figures.withheld_cells;
        Some(match self.lang {
            Lang::De => format!(
                "Gemessen von jeder bewohnten 1-km-Rasterzelle des Zensus 2011 aus (Luftlinie von der Zellmitte zum Sitz der nächsten Einrichtung; eine Zelle gehört zur Gemeinde, in der ihre Mitte liegt). „>“ heißt weiter als {s} km. Ausländer je Zelle = Einwohner × Ausländeranteil der Zelle; „Anteil unbek.“: Einwohner weiter als {s} km in Zellen ohne veröffentlichten Anteil. Mittlere Entfernung nach Einwohnern gewichtet; 90 % der Einwohner wohnen höchstens so weit entfernt. Einwohnerzahlen von 2011; {withheld} Zellen mit geheim gehaltener Zahl zählen 0."
            ),
            Lang::En => format!(
                "Measured from every inhabited 1 km grid cell of the 2011 census (straight line from the cell's centre to the seat of the nearest institution; a cell belongs to the Gemeinde its centre lies in). \">\" means farther than {s} km. Foreign residents per cell = inhabitants × the cell's foreigners' share; \"share unkn.\": inhabitants farther than {s} km in cells without a published share. Mean distance weighted by inhabitants; 90 % of the inhabitants live at most that far. Inhabitants of 2011; {withheld} cells with a withheld count count as 0."
            ),
        })
    }

    /// Per site type: inhabitants, those beyond S km and the foreign residents among them, the
    /// weighted mean and 90th-percentile distance.
    fn grid_rows(&self) -> Vec<Vec<String>> {
        let lang = self.lang;
        let Some(report) = &self.coverage else {
            return Vec::new();
        };
        let km = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format_number(v, 1, lang));
        report
            .grid
            .iter()
            .map(|g| {
                let a = &g.figures;
                vec![
                    g.site_type.clone(),
                    format_count(a.einwohner, lang),
                    format_count(a.einwohner_beyond, lang),
                    format_number(a.einwohner_beyond_pct, 1, lang),
                    format_number(a.auslaender_beyond, 0, lang),
                    format_count(a.auslaender_unknown_beyond_einwohner, lang),
                    km(a.mean_km),
                    km(a.p90_km),
                ]
            })
            .collect()
    }

    fn grid_columns(&self) -> [String; 8] {
        let lang = self.lang;
        let s = self
            .coverage
            .as_ref()
            .map_or_else(String::new, |r| format_number(r.spec.threshold_km, 1, lang));
        [
            lang.pick("Typ", "Type").to_owned(),
            lang.pick("Einwohner", "Inhabitants").to_owned(),
            format!("> {s} km"),
            "%".to_owned(),
            lang.pick("Ausländer >", "Foreigners >").to_owned(),
            lang.pick("Anteil unbek.", "Share unkn.").to_owned(),
            lang.pick("mittlere km", "mean km").to_owned(),
            "90 % km".to_owned(),
        ]
    }

    fn grid_heading(&self) -> &'static str {
        self.lang.pick(
            "Erreichbarkeit (Bevölkerungsraster 1 km, Zensus 2011)",
            "Coverage (1 km population grid, census 2011)",
        )
    }

    /// Every source, once: the key figures', the registry's, the coverage report's, the
    /// boundaries and population.
    pub fn sources(&self) -> Vec<String> {
        let lang = self.lang;
        let mut sources: Vec<String> = Vec::new();
        let mut add = |s: String| {
            if !s.is_empty() && !sources.contains(&s) {
                sources.push(s);
            }
        };
        let stand = &self.atlas.provenance.boundaries_stand;
        add(
            crate::attribution::boundaries(if stand.is_empty() { "2021" } else { stand })
                .get(lang)
                .to_owned(),
        );
        add(crate::attribution::population().get(lang).to_owned());
        // The figures of one source on one line: "Fläche, Einwohnerdichte: …".
        let mut by_source: Vec<(&str, Vec<&str>)> = Vec::new();
        let labelled = self
            .figures
            .iter()
            .map(|f| (f.label.as_str(), f.source.as_str()));
        let trends = self
            .trends
            .iter()
            .map(|t| (t.label.as_str(), t.source.as_str()));
        for (label, source) in labelled.chain(trends) {
            match by_source.iter_mut().find(|(s, _)| *s == source) {
                Some((_, labels)) => labels.push(label),
                None => by_source.push((source, vec![label])),
            }
        }
        for (source, labels) in by_source {
            add(format!("{}: {source}", labels.join(", ")));
        }
        for t in &self.trends {
            add(t.attribution.clone());
        }
        for i in &self.institutions {
            add(format!(
                "{}: {}",
                lang.pick("Einrichtungen", "Institutions"),
                i.source
            ));
        }
        if let Some(report) = &self.coverage {
            add(crate::attribution::sites().get(lang).to_owned());
            // The grid's attribution in the profile's language (the report keeps the German).
            let grid = crate::attribution::zensus_grid();
            for s in &report.sources {
                if *s == grid.de {
                    add(grid.get(lang).to_owned());
                } else {
                    add(s.clone());
                }
            }
        }
        sources
    }

    fn coverage_intro(&self) -> Option<String> {
        let report = self.coverage.as_ref()?;
        let km = |v: f64| format_number(v, 1, self.lang);
        Some(match self.lang {
            Lang::De => format!(
                "Luftlinie vom Gemeindemittelpunkt zum Sitz der nächsten Einrichtung (Einrichtungen am Sitz ihrer Kommune, keine Adressen); Umkreis {} km, Schwelle {} km.",
                km(report.spec.radius_km),
                km(report.spec.threshold_km)
            ),
            Lang::En => format!(
                "Straight-line distance from the Gemeinde's centre point to the seat of the nearest institution (institutions at their Kommune's seat, no addresses); radius {} km, threshold {} km.",
                km(report.spec.radius_km),
                km(report.spec.threshold_km)
            ),
        })
    }

    /// The profile as Markdown, for a memo.
    pub fn markdown(&self) -> String {
        let lang = self.lang;
        let mut md = format!("# {}\n\n{}\n\n", self.title(), self.summary());
        md.push_str(&format!(
            "## {}\n\n",
            lang.pick("Kennzahlen", "Key figures")
        ));
        md.push_str(&md_table(
            &self.figure_columns().each_ref().map(String::as_str),
            &[false, true, true, true, true],
            &self.figure_rows(),
        ));
        md.push_str(&format!("\n{}\n\n", self.computed_note()));
        if !self.trends.is_empty() {
            md.push_str(&format!(
                "## {}\n\n",
                lang.pick(
                    "INKAR-Indikatoren und ihre Entwicklung",
                    "INKAR indicators and their trend"
                )
            ));
            md.push_str(&md_table(
                &self.trend_columns().each_ref().map(String::as_str),
                &[false, true, true, true, true, true],
                &self.trend_rows(),
            ));
            md.push_str(&format!("\n{}\n\n", self.trend_note()));
        }
        md.push_str(&format!(
            "## {}\n\n",
            lang.pick(
                "Einrichtungen in der Kommune",
                "Institutions in the Kommune"
            )
        ));
        if self.institutions.is_empty() {
            md.push_str(lang.pick(
                "Keine Einrichtung des Registers hat ihren Sitz in der Kommune.\n\n",
                "No institution of the registry has its seat in the Kommune.\n\n",
            ));
        } else {
            md.push_str(&md_table(
                &[
                    lang.pick("Typ", "Type"),
                    lang.pick("Name", "Name"),
                    lang.pick("Sitz", "Seat"),
                ],
                &[false, false, false],
                &self.institution_rows(),
            ));
            md.push('\n');
        }
        if let Some(intro) = self.coverage_intro() {
            md.push_str(&format!(
                "## {}\n\n{intro}\n\n",
                lang.pick(
                    "Erreichbarkeit (Gemeindemittelpunkte)",
                    "Coverage (centre points)"
                )
            ));
            for line in self.gap_lines() {
                md.push_str(&format!("- {line}\n"));
            }
            if let Some(intro) = self.grid_intro() {
                md.push_str(&format!("\n## {}\n\n{intro}\n\n", self.grid_heading()));
                md.push_str(&md_table(
                    &self.grid_columns().each_ref().map(String::as_str),
                    &[false, true, true, true, true, true, true, true],
                    &self.grid_rows(),
                ));
            }
            md.push_str(&format!(
                "\n## {}\n\n",
                lang.pick("Versorgungsgrade", "Supply ratios")
            ));
            md.push_str(&md_table(
                &self.supply_columns(),
                &[false, false, true, true, true, true],
                &self.supply_rows(),
            ));
            md.push('\n');
        }
        md.push_str(&format!(
            "## {}\n\n",
            lang.pick("Quellen und Datenstand", "Sources and dates")
        ));
        for s in self.sources() {
            md.push_str(&format!("- {s}\n"));
        }
        md.push_str(&format!(
            "\n{} {} · Integrationsatlas NRW\n",
            lang.pick("Erstellt:", "Created:"),
            self.date
        ));
        md
    }

    /// The supply ratios for a page: one row per type (sites of the Kreis, sites per 100,000
    /// inhabitants in each comparison area, the Kreis's rank), and a note naming the areas; the
    /// Markdown keeps the full table ([`Profile::supply_rows`]).
    fn compact_supply(&self) -> (Vec<String>, Vec<Vec<String>>, String) {
        let lang = self.lang;
        let Some(report) = &self.coverage else {
            return (Vec::new(), Vec::new(), String::new());
        };
        let per_100k = lang.pick("je 100.000", "per 100,000");
        let mut slots: Vec<(usize, String)> = Vec::new();
        let mut rows: Vec<CompactSupply> = Vec::new();
        for s in &report.supply {
            let slot = supply_slot(s);
            if !slots.iter().any(|(k, _)| *k == slot) {
                slots.push((slot, s.area.clone()));
            }
            if rows.last().is_none_or(|r| r.site_type != s.site_type) {
                rows.push(CompactSupply {
                    site_type: s.site_type.clone(),
                    ..CompactSupply::default()
                });
            }
            if let Some(row) = rows.last_mut() {
                row.per_100k[slot] = s.per_100k;
                if let Some((r, n)) = s.rank {
                    row.sites = s.sites;
                    row.rank = format!("{r} {} {n}", lang.pick("von", "of"));
                }
            }
        }
        slots.sort_by_key(|(k, _)| *k);
        let short = [
            lang.pick("Kommune", "Kommune"),
            lang.pick("Kreis", "Kreis"),
            "NRW",
            lang.pick("KI-Typ", "KI type"),
            lang.pick("Ländl.", "Rural."),
        ];
        let mut titles = vec![
            lang.pick("Typ", "Type").to_owned(),
            lang.pick("Einr. (Kreis)", "Sites (Kreis)").to_owned(),
        ];
        titles.extend(
            slots
                .iter()
                .map(|(k, _)| format!("{} {per_100k}", short[*k])),
        );
        titles.push(lang.pick("Rang (Kreise)", "Rank (Kreise)").to_owned());
        let opt = |v: Option<f64>, d: usize| {
            v.map_or_else(|| "–".to_owned(), |v| format_number(v, d, lang))
        };
        let table = rows
            .into_iter()
            .map(|row| {
                let mut cells = vec![row.site_type, opt(row.sites, 0)];
                cells.extend(slots.iter().map(|(k, _)| opt(row.per_100k[*k], 2)));
                cells.push(row.rank);
                cells
            })
            .collect();
        let areas: Vec<String> = slots.iter().map(|(_, area)| area.clone()).collect();
        let note = format!(
            "{} {}. {}",
            lang.pick(
                "Einrichtungen je 100.000 Einwohner in:",
                "Sites per 100,000 inhabitants in:"
            ),
            areas.join("; "),
            lang.pick(
                "NRW bei IA, JMD, MBE und JC-Geschäftsstellen: Summe der 31 Kreise ohne kreisfreie Städte (die Quelle zählt nur diese). Die Tabelle mit Einwohnern je Einrichtung steht im Markdown-Steckbrief.",
                "NRW for IA, JMD, MBE and JC offices: the sum of the 31 Kreise without the kreisfreie Städte (the source counts only these). The table with inhabitants per site is in the Markdown profile."
            )
        );
        (titles, table, note)
    }

    fn supply_columns(&self) -> [&'static str; 6] {
        let lang = self.lang;
        [
            lang.pick("Typ", "Type"),
            lang.pick("Gebiet", "Area"),
            lang.pick("Einrichtungen", "Sites"),
            lang.pick("EW je Einr.", "Inh. per site"),
            lang.pick("je 100.000 EW", "per 100,000"),
            lang.pick("Rang (Kreise)", "Rank (Kreise)"),
        ]
    }

    /// The map of the profile: the Kommune's Gemeinden and their neighbours, the Kommune
    /// outlined, the neighbours greyed, the institutions of the registry on top.
    pub fn map_svg(&self, sites: &SiteSet, width: u32, height: u32) -> Result<String, ExportError> {
        let mut request = MapRequest::new(Level::Gemeinde, self.lang);
        request.site_types = sites.types();
        request.focus = Some(self.region.ags.clone());
        // The Gemeinden named on the map (placed by `cartography::labels`).
        request.labels = true;
        request.width = width;
        request.height = height;
        let mut scene = request.scene(self.atlas, None);
        scene.grey_outside(self.atlas, &self.region.ags);
        scene.title = Some(self.title());
        let job = ExportJob::of_request(&request, self.atlas, &scene, sites, self.date.clone());
        job.svg()
    }

    /// The profile's PDF pages on `paper`: the map and the key figures on the first page, the
    /// institutions, coverage and sources after it.
    pub fn pdf_pages(&self, sites: &SiteSet, paper: Paper) -> Result<Vec<Page>, ExportError> {
        let lang = self.lang;
        let (w, h) = paper.content_px();
        // Half the content box, at least the smallest export (400 px).
        let map_h = (h / 2).max(400).min(h);
        let map = self.map_svg(sites, w, map_h)?;
        let mut sheet = Sheet::new(w, h, h - map_h, 4.0);
        sheet.paragraph(&self.summary(), 12.0);
        sheet.heading(lang.pick("Kennzahlen", "Key figures"), 15.0);
        let titles = self.figure_columns();
        let columns = [
            col(&titles[0], 0.34, false),
            col(&titles[1], 0.16, true),
            col(&titles[2], 0.18, true),
            col(&titles[3], 0.14, true),
            col(&titles[4], 0.18, true),
        ];
        sheet.table(&columns, &self.figure_rows());
        sheet.paragraph(&self.computed_note(), 9.5);
        if !self.trends.is_empty() {
            sheet.heading(
                lang.pick(
                    "INKAR-Indikatoren und ihre Entwicklung",
                    "INKAR indicators and their trend",
                ),
                15.0,
            );
            let t = self.trend_columns();
            let shares = [0.30, 0.11, 0.13, 0.06, 0.14, 0.26];
            let columns: Vec<Column> = t
                .iter()
                .zip(shares)
                .enumerate()
                .map(|(i, (title, share))| col(title, share, i > 0))
                .collect();
            sheet.table(&columns, &self.trend_rows());
            sheet.paragraph(&self.trend_note(), 9.5);
        }
        sheet.heading(
            lang.pick(
                "Einrichtungen in der Kommune",
                "Institutions in the Kommune",
            ),
            15.0,
        );
        if self.institutions.is_empty() {
            sheet.paragraph(
                lang.pick(
                    "Keine Einrichtung des Registers hat ihren Sitz in der Kommune.",
                    "No institution of the registry has its seat in the Kommune.",
                ),
                12.0,
            );
        } else {
            let t = [
                lang.pick("Typ", "Type"),
                lang.pick("Name", "Name"),
                lang.pick("Sitz", "Seat"),
            ];
            sheet.table(
                &[
                    col(t[0], 0.32, false),
                    col(t[1], 0.48, false),
                    col(t[2], 0.2, false),
                ],
                &self.institution_rows(),
            );
        }
        if let Some(intro) = self.coverage_intro() {
            sheet.heading(
                lang.pick(
                    "Erreichbarkeit (Gemeindemittelpunkte)",
                    "Coverage (centre points)",
                ),
                15.0,
            );
            sheet.paragraph(&intro, 11.0);
            for line in self.gap_lines() {
                sheet.paragraph(&format!("• {line}"), 11.0);
            }
            if let Some(intro) = self.grid_intro() {
                sheet.heading(self.grid_heading(), 15.0);
                sheet.paragraph(&intro, 11.0);
                let t = self.grid_columns();
                let shares = [0.07, 0.13, 0.13, 0.08, 0.16, 0.16, 0.14, 0.13];
                let columns: Vec<Column> = t
                    .iter()
                    .zip(shares)
                    .enumerate()
                    .map(|(i, (title, share))| col(title, share, i > 0))
                    .collect();
                sheet.table(&columns, &self.grid_rows());
            }
            sheet.heading(lang.pick("Versorgungsgrade", "Supply ratios"), 15.0);
            let (titles, rows, note) = self.compact_supply();
            let shares = compact_shares(titles.len());
            let columns: Vec<Column> = titles
                .iter()
                .zip(shares)
                .enumerate()
                .map(|(i, (title, share))| col(title, share, i > 0))
                .collect();
            sheet.table(&columns, &rows);
            sheet.paragraph(&note, 9.0);
        }
        sheet.heading(
            lang.pick("Quellen und Datenstand", "Sources and dates"),
            15.0,
        );
        for s in self.sources() {
            sheet.list_item(&format!("• {s}"), 8.5);
        }
        sheet.paragraph(
            &format!(
                "{} {} · Integrationsatlas NRW",
                lang.pick("Erstellt:", "Created:"),
                self.date
            ),
            9.5,
        );
        let first = sheet.finish();
        let (pw, ph) = paper.points();
        let margin = (pw - f64::from(w) * PT_PER_PX) / 2.0;
        let top = (ph - f64::from(h) * PT_PER_PX) / 2.0;
        let piece = |svg: String, y_px: f64, height_px: u32| Piece {
            svg,
            x: margin,
            y: top + y_px * PT_PER_PX,
            width: f64::from(w) * PT_PER_PX,
            height: f64::from(height_px) * PT_PER_PX,
        };
        let mut first_page = Page {
            width: pw,
            height: ph,
            pieces: vec![piece(map, 0.0, map_h)],
            bookmark: Some(self.title()),
            links: Vec::new(),
        };
        let mut overflow = Vec::new();
        for (i, svg) in first.into_iter().enumerate() {
            if i == 0 {
                first_page
                    .pieces
                    .push(piece(svg, f64::from(map_h), h - map_h));
            } else {
                overflow.push(svg);
            }
        }
        let mut pages = vec![first_page];
        for svg in overflow {
            pages.push(Page::of_picture(svg, w, h, Some(paper)));
        }
        Ok(pages)
    }
}

/// One type's line of the compact supply table.
#[derive(Default)]
struct CompactSupply {
    site_type: String,
    /// Sites in the Kreis.
    sites: Option<f64>,
    /// Sites per 100,000 inhabitants, by [`supply_slot`].
    per_100k: [Option<f64>; 5],
    /// The Kreis's rank among the Kreise.
    rank: String,
}

/// Where a supply row goes in the compact table: the Gemeinde, its Kreis (the ranked row),
/// NRW, the Kreise of the same KI type, of the same rurality.
fn supply_slot(supply: &crate::analysis::coverage::Supply) -> usize {
    let area = supply.area.as_str();
    if area.starts_with("NRW") {
        2
    } else if area.starts_with("KI-Typ") {
        3
    } else if area.starts_with("Ländlichkeit") {
        4
    } else if supply.rank.is_some() {
        1
    } else {
        0
    }
}

/// Column widths of the compact supply table: type, sites, the areas, rank.
fn compact_shares(columns: usize) -> Vec<f64> {
    let areas = columns.saturating_sub(3).max(1) as f64;
    let mut shares = vec![0.08, 0.12];
    shares.extend(std::iter::repeat_n(0.65 / areas, columns.saturating_sub(3)));
    shares.push(0.15);
    shares
}

fn col(title: &str, share: f64, right: bool) -> Column<'_> {
    Column {
        title,
        share,
        right,
    }
}

/// A Markdown table; `right` marks right-aligned columns. Pipes in cells are escaped.
fn md_table(headers: &[&str], right: &[bool], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut md = format!(
        "| {} |\n|{}|\n",
        headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | "),
        right
            .iter()
            .map(|&r| if r { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for row in rows {
        md.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    md
}

/// One key figure of `region`, or `None` if the indicator is missing at its level.
fn figure(
    atlas: &Atlas,
    indicators: &IndicatorSet,
    region: &Region,
    parent: Option<&Region>,
    key_figure: &KeyFigure,
    lang: Lang,
) -> Option<Figure> {
    let level = region.level;
    let indicator = indicators.get(level, key_figure.key)?;
    if indicator.is_categorical() {
        return None;
    }
    let values = indicator.numeric();
    let regions = atlas.regions(level);
    let index = regions.iter().position(|r| r.ags == region.ags)?;
    let value = values.get(index).copied().flatten();
    let rank = value.map(|v| {
        let ranked: Vec<f64> = values.iter().flatten().copied().collect();
        (
            1 + ranked.iter().filter(|&&other| other > v).count(),
            ranked.len(),
        )
    });
    let parent = parent.map_or(
        Comparison {
            value: None,
            computed: false,
        },
        |p| {
            let official = indicators.get(p.level, key_figure.key).and_then(|i| {
                let at = atlas.regions(p.level).iter().position(|r| r.ags == p.ags)?;
                i.numeric().get(at).copied().flatten()
            });
            match official {
                Some(v) => Comparison {
                    value: Some(v),
                    computed: false,
                },
                None => Comparison {
                    value: aggregate(regions, &values, key_figure.aggregate, |r| {
                        r.ags.as_str().starts_with(p.ags.as_str())
                    }),
                    computed: true,
                },
            }
        },
    );
    let nrw = Comparison {
        value: aggregate(regions, &values, key_figure.aggregate, |_| true),
        computed: true,
    };
    Some(Figure {
        key: indicator.key.clone(),
        label: indicator.label(lang).to_owned(),
        unit: indicator.unit.clone(),
        decimals: indicator.decimals,
        value,
        parent,
        nrw,
        rank,
        source: indicator.source.clone(),
    })
}

/// The INKAR indicator `key` of `region` with its trend, or `None` if INKAR has no series of it
/// at the region's level.
fn trend(
    atlas: &Atlas,
    indicators: &IndicatorSet,
    region: &Region,
    parent: Option<&Region>,
    key: &str,
    lang: Lang,
) -> Option<Trend> {
    let indicator = indicators.get(region.level, key)?;
    let series = indicator.series.as_deref()?;
    let (first_year, latest_year) = (series.years.first()?, series.latest()?);
    let index = atlas
        .regions(region.level)
        .iter()
        .position(|r| r.ags == region.ags)?;
    let value_in = |year: &str| series.at(year)?.get(index).copied().flatten();
    let (first, latest) = (value_in(first_year), value_in(latest_year));
    let change = indicator
        .change(first_year, latest_year, ChangeKind::Absolute)
        .ok()
        .and_then(|c| c.numeric().get(index).copied().flatten());
    let latest_values = series.at(latest_year)?;
    let rank = latest.map(|v| {
        let ranked: Vec<f64> = latest_values.iter().flatten().copied().collect();
        (
            1 + ranked.iter().filter(|&&other| other > v).count(),
            ranked.len(),
        )
    });
    // The region above only where INKAR publishes its level, in the same year.
    let parent = parent.and_then(|p| {
        let above = indicators.get(p.level, key)?.series.as_deref()?;
        let at = atlas.regions(p.level).iter().position(|r| r.ags == p.ags)?;
        above.at(latest_year)?.get(at).copied().flatten()
    });
    Some(Trend {
        key: indicator.key.clone(),
        label: indicator.label(lang).to_owned(),
        unit: indicator.unit.clone(),
        decimals: indicator.decimals,
        first_year: first_year.clone(),
        first,
        latest_year: latest_year.to_owned(),
        latest,
        change: if first_year == latest_year {
            None
        } else {
            change
        },
        parent,
        rank,
        source: indicator.source.clone(),
        attribution: indicator.attribution.as_ref().map_or_else(
            || crate::attribution::inkar(None).get(lang).to_owned(),
            |a| a.get(lang).to_owned(),
        ),
    })
}

/// `values` of the `regions` that pass `inside`, added up as `how` says.
fn aggregate(
    regions: &[Region],
    values: &[Option<f64>],
    how: Aggregate,
    inside: impl Fn(&Region) -> bool,
) -> Option<f64> {
    let members = regions.iter().zip(values).filter(|(r, _)| inside(r));
    match how {
        Aggregate::Sum => {
            let mut sum = None;
            for (_, v) in members {
                if let Some(v) = v {
                    sum = Some(sum.unwrap_or(0.0) + v);
                }
            }
            sum
        }
        Aggregate::Density => {
            let (mut people, mut area) = (0.0, 0.0);
            for (r, _) in members {
                people += r.population as f64;
                area += r.area_km2;
            }
            (area > 0.0).then(|| people / area)
        }
        Aggregate::PopulationWeighted => {
            let (mut weighted, mut people) = (0.0, 0.0);
            for (r, v) in members {
                if let Some(v) = v {
                    weighted += v * r.population as f64;
                    people += r.population as f64;
                }
            }
            (people > 0.0).then(|| weighted / people)
        }
    }
}

/// The registry's institutions seated in `region` (a Gemeinde, or any Gemeinde of a Kreis).
fn institutions(atlas: &Atlas, sites: &SiteSet, region: &Region, lang: Lang) -> Vec<Institution> {
    let prefix = region.ags.as_str();
    let mut list: Vec<Institution> = sites
        .sites
        .iter()
        .filter(|s| s.kommune_ags.as_str().starts_with(prefix))
        .map(|s| Institution {
            code: s.site_type.code().to_owned(),
            type_name: s.site_type.name(lang).to_owned(),
            name: s.name.clone(),
            seat: atlas
                .get(&s.kommune_ags)
                .map_or_else(|| s.kommune_ags.to_string(), |r| r.name.clone()),
            source: format!("{} ({})", s.source, s.stand),
        })
        .collect();
    list.sort_by(|a, b| (&a.code, &a.name).cmp(&(&b.code, &b.name)));
    list
}
