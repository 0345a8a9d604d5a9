//! From the map to the covering problem and back: demand points (1 km cells with a weight),
//! existing sites of a type (fixed), candidate points (Gemeinde centres or populated cells,
//! optionally inside one Kreis or Bezirk), the radius S (straight line in EPSG:25832, covered
//! means distance ≤ S) — solved by [`super::solver`] and answered as a [`Suggestion`] in persons.

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::solver::{self, Instance, Limits, Status};
use crate::data::places::GemeindePoint;
use crate::geometry::projection::ToWgs84;
use crate::model::{Ags, Atlas, Level};
use crate::sites::{SiteSet, SiteType};

/// Weight units per person: shares have two decimals, so einwohner × share is a whole number of
/// 1/10,000 persons and every sum is exact.
pub const UNITS_PER_PERSON: u64 = 10_000;

/// The fewest and the most new sites of an MCLP.
pub const NEW_SITES: std::ops::RangeInclusive<usize> = 1..=10;

/// Whom the sites should reach.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weight {
    /// All inhabitants.
    #[default]
    Einwohner,
    /// Foreign residents (einwohner × share); cells with an unknown share count 0.
    Auslaender,
    /// Inhabitants under 18; cells with an unknown share count 0.
    Unter18,
}

impl Weight {
    /// All weights, in menu order.
    pub const ALL: [Weight; 3] = [Weight::Einwohner, Weight::Auslaender, Weight::Unter18];

    /// The key on the command line and in files.
    pub fn key(self) -> &'static str {
        match self {
            Weight::Einwohner => "einwohner",
            Weight::Auslaender => "auslaender",
            Weight::Unter18 => "unter18",
        }
    }

    /// The name for people.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Weight::Einwohner => lang.pick("Einwohner", "inhabitants"),
            Weight::Auslaender => lang.pick("ausländische Einwohner", "foreign residents"),
            Weight::Unter18 => lang.pick("Einwohner unter 18", "inhabitants under 18"),
        }
    }
}

/// A 1 km cell as demand: its centre (EPSG:25832), Gemeinde (index in
/// `atlas.regions(Level::Gemeinde)`), inhabitants and the persons of the weight, `None` when
/// the cell's share is unknown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DemandPoint {
    /// Easting, metres.
    pub x: f64,
    /// Northing, metres.
    pub y: f64,
    /// Index of the Gemeinde in `atlas.regions(Level::Gemeinde)`.
    pub gemeinde: usize,
    /// Inhabitants (0 when withheld).
    pub einwohner: u32,
    /// Persons of the chosen weight; `None` when the share is unknown.
    pub persons: Option<f64>,
}

/// The grid's cells as demand for `weight` (foreign residents and under-18s are `None` where
/// the cell's share is unknown).
pub fn demand_points(
    grid: &crate::data::zensus::PopulationGrid,
    weight: Weight,
) -> Vec<DemandPoint> {
    grid.cells
        .iter()
        .map(|c| DemandPoint {
            x: c.x,
            y: c.y,
            gemeinde: c.gemeinde,
            einwohner: c.einwohner,
            persons: match weight {
                Weight::Einwohner => Some(f64::from(c.einwohner)),
                Weight::Auslaender => c.auslaender,
                Weight::Unter18 => c.unter18,
            },
        })
        .collect()
}

/// Where new sites may go.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CandidateKind {
    /// The Gemeinde centre points (VG250 PK), 396 in NRW.
    #[default]
    Gemeinden,
    /// The centre of every cell with at least this many inhabitants.
    Cells {
        /// The fewest inhabitants of a candidate cell.
        min_einwohner: u32,
    },
}

impl CandidateKind {
    /// `gemeinden` or `cells:MIN`, as on the command line.
    pub fn key(self) -> String {
        match self {
            CandidateKind::Gemeinden => "gemeinden".to_owned(),
            CandidateKind::Cells { min_einwohner } => format!("cells:{min_einwohner}"),
        }
    }

    /// Parses `gemeinden` or `cells:MIN`.
    pub fn parse(text: &str) -> Result<CandidateKind, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("gemeinden") {
            return Ok(CandidateKind::Gemeinden);
        }
        let Some(min) = text
            .strip_prefix("cells:")
            .or_else(|| text.strip_prefix("cells"))
        else {
            return Err(format!(
                "{text:?} is no candidate set; use gemeinden or cells:MIN (e.g. cells:1000)"
            ));
        };
        let min = if min.is_empty() { "1" } else { min };
        min.parse::<u32>()
            .ok()
            .filter(|m| *m > 0)
            .map(|min_einwohner| CandidateKind::Cells { min_einwohner })
            .ok_or_else(|| {
                format!("{min:?} in {text:?} is no positive number of inhabitants; e.g. cells:1000")
            })
    }
}

/// What to optimise for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goal {
    /// MCLP: this many new sites (1–10) covering the most.
    NewSites(usize),
    /// LSCP: the fewest new sites so that at least this share (%, 0–100] is covered.
    TargetPct(f64),
}

/// One question: which type, how far, how many or how much, whom, where.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestSpec {
    /// The type of the new sites; the existing ones of this type are fixed.
    pub site_type: SiteType,
    /// Covered means within this straight-line distance (≤), km.
    pub radius_km: f64,
    /// New sites or target share.
    pub goal: Goal,
    /// Whom to count.
    pub weight: Weight,
    /// Where new sites may go.
    pub candidates: CandidateKind,
    /// Only candidates inside this Kreis or Bezirk.
    pub within: Option<Ags>,
    /// The search limit.
    pub limits: Limits,
}

/// Why a suggestion cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SuggestError {
    /// S is no positive number.
    #[error("the radius {0} is not a positive number of kilometres; e.g. 15")]
    BadRadius(f64),
    /// p is outside 1–10.
    #[error("{0} new sites is outside 1–10")]
    BadCount(usize),
    /// The target share is outside (0, 100].
    #[error("the target {0} % is not a share above 0 and at most 100")]
    BadTarget(f64),
    /// The area is no Kreis or Bezirk of the atlas.
    #[error("{0} is not a Kreis or Regierungsbezirk of NRW")]
    UnknownArea(Ags),
    /// More new sites than candidates.
    #[error("{wanted} new sites but only {candidates} candidate points{where_}")]
    TooFewCandidates {
        /// p.
        wanted: usize,
        /// How many candidates there are.
        candidates: usize,
        /// " in …" or "".
        where_: String,
    },
    /// The target cannot be reached even with every candidate.
    #[error(
        "{target_pct} % is unreachable: with all {candidates} candidates{where_} {coverable_pct:.2} % live within reach"
    )]
    Unreachable {
        /// The target asked for.
        target_pct: f64,
        /// The most reachable.
        coverable_pct: f64,
        /// How many candidates.
        candidates: usize,
        /// " in …" or "".
        where_: String,
    },
    /// A Gemeinde has no centre point.
    #[error("no centre point for Gemeinde {0}; check places/gemeinden_nrw_punkte.csv")]
    MissingPoint(Ags),
}

impl crate::i18n::Localized for SuggestError {
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            SuggestError::BadRadius(v) => {
                format!("Der Radius {v} ist keine positive Zahl von Kilometern; z. B. 15")
            }
            SuggestError::BadCount(p) => format!("{p} neue Standorte liegt außerhalb von 1–10"),
            SuggestError::BadTarget(v) => {
                format!("Das Ziel {v} % ist kein Anteil über 0 und höchstens 100")
            }
            SuggestError::UnknownArea(a) => {
                format!("{a} ist kein Kreis und kein Regierungsbezirk in NRW")
            }
            SuggestError::TooFewCandidates {
                wanted,
                candidates,
                where_,
            } => format!("{wanted} neue Standorte, aber nur {candidates} Kandidaten{where_}"),
            SuggestError::Unreachable {
                target_pct,
                coverable_pct,
                candidates,
                where_,
            } => format!(
                "{target_pct} % ist unerreichbar: mit allen {candidates} Kandidaten{where_} wohnen {coverable_pct:.2} % in Reichweite"
            ),
            SuggestError::MissingPoint(a) => format!(
                "kein Mittelpunkt für Gemeinde {a}; prüfen Sie places/gemeinden_nrw_punkte.csv"
            ),
        }
    }
}

/// A weight in persons, held exactly in [`UNITS_PER_PERSON`] units; serialised as a whole
/// number when it is one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Persons(pub u64);

impl Persons {
    /// The number of persons.
    #[allow(clippy::cast_precision_loss, reason = "below 2^53 units")]
    pub fn get(self) -> f64 {
        self.0 as f64 / UNITS_PER_PERSON as f64
    }

    /// The share of `total`, in %.
    #[allow(clippy::cast_precision_loss, reason = "below 2^53 units")]
    pub fn pct_of(self, total: Persons) -> f64 {
        if total.0 == 0 {
            0.0
        } else {
            self.0 as f64 * 100.0 / total.0 as f64
        }
    }
}

impl std::fmt::Display for Persons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(UNITS_PER_PERSON) {
            write!(f, "{}", self.0 / UNITS_PER_PERSON)
        } else {
            write!(f, "{}", self.get())
        }
    }
}

impl serde::Serialize for Persons {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(UNITS_PER_PERSON) {
            s.serialize_u64(self.0 / UNITS_PER_PERSON)
        } else {
            s.serialize_f64(self.get())
        }
    }
}

/// How sure a suggestion is, in persons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Proof {
    /// Proven optimal (MCLP: no choice of as many sites covers more; LSCP: fewer sites do not
    /// reach the target).
    Optimal,
    /// The search limit was hit: the best found; no choice covers more than `upper_bound`.
    LimitReached {
        /// Proven upper bound on the covered persons.
        upper_bound: Persons,
    },
    /// LSCP with the search limit hit: the sites reach the target; fewer, down to `at_least`,
    /// were not ruled out.
    CountNotProven {
        /// The fewest sites not ruled out.
        at_least: usize,
    },
}

impl From<Status> for Proof {
    fn from(status: Status) -> Proof {
        match status {
            Status::Optimal => Proof::Optimal,
            Status::LimitReached { upper_bound } => Proof::LimitReached {
                upper_bound: Persons(upper_bound),
            },
            Status::CountNotProven { at_least } => Proof::CountNotProven { at_least },
        }
    }
}

/// One suggested site.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NewSite {
    /// 1 = the site adding most; each next one adds most given those before it.
    pub rank: usize,
    /// The Gemeinde of the point.
    pub ags: Ags,
    /// The Gemeinde's name.
    pub name: String,
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// Persons newly within reach given the existing sites and the ranks before.
    pub gain: Persons,
    /// Covered after this and the sites ranked before it.
    pub covered_after: Persons,
    /// `gemeinde` (centre point) or `cell` (centre of a 1 km cell).
    pub candidate: &'static str,
    /// Easting, EPSG:25832.
    #[serde(skip)]
    pub x: f64,
    /// Northing, EPSG:25832.
    #[serde(skip)]
    pub y: f64,
}

/// The figures of one region before and after.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AreaFigures {
    /// The Kreis or Bezirk.
    pub ags: Ags,
    /// Its name.
    pub name: String,
    /// The weight of its cells.
    pub total: Persons,
    /// Of which within S of an existing site.
    pub covered_before: Persons,
    /// Of which within S with the new sites.
    pub covered_after: Persons,
}

/// The answer: coverage before and after, the new sites in rank order, and how sure it is.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Suggestion {
    /// The site type code.
    pub site_type: String,
    /// S, km.
    pub radius_km: f64,
    /// Whom it counts.
    pub weight: Weight,
    /// `gemeinden` or `cells:MIN`.
    pub candidates: String,
    /// How many candidate points there were.
    pub candidate_count: usize,
    /// Existing sites of the type (fixed).
    pub existing_sites: usize,
    /// The p asked for (MCLP), else `None`.
    pub new_sites_asked: Option<usize>,
    /// The target share asked for (LSCP), else `None`.
    pub target_pct: Option<f64>,
    /// The weight of all cells in NRW.
    pub total: Persons,
    /// Within S of an existing site.
    pub covered_before: Persons,
    /// Within S with the new sites.
    pub covered_after: Persons,
    /// `covered_before` as % of `total`.
    pub covered_before_pct: f64,
    /// `covered_after` as % of `total`.
    pub covered_after_pct: f64,
    /// The new sites in rank order (only those adding something).
    pub new_sites: Vec<NewSite>,
    /// `optimal`, or the search limit with a bound.
    #[serde(flatten)]
    pub status: Proof,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// The area candidates were restricted to, with its own figures.
    pub within: Option<AreaFigures>,
    /// Inhabitants of cells whose share of the weight is unknown (counted 0); 0 for einwohner.
    pub unknown_share_einwohner: u64,
    /// Cells whose count is withheld (counted 0).
    pub withheld_cells: usize,
    /// Data stand and sources, one line each.
    pub sources: Vec<String>,
}

/// The Kreis or Regierungsbezirk a name or AGS means ("Hochsauerlandkreis", "05958",
/// "Arnsberg" = the Regierungsbezirk, "Kreis Olpe"); the error lists the candidates of an
/// ambiguous name or the closest names.
pub fn resolve_area(atlas: &Atlas, name: &str) -> Result<Ags, String> {
    use crate::analysis::search::fold_plain;
    let folded = fold_plain(name);
    let strip = |s: &str| {
        s.strip_prefix("regierungsbezirk ")
            .or_else(|| s.strip_prefix("kreis "))
            .map(str::to_owned)
            .unwrap_or_else(|| s.to_owned())
    };
    let matches: Vec<&crate::Region> = [Level::Kreis, Level::Bezirk]
        .into_iter()
        .flat_map(|level| atlas.regions(level))
        .filter(|r| {
            let own = fold_plain(&r.name);
            r.ags.as_str() == name.trim()
                || own == folded
                || fold_plain(&r.display_name()) == folded
                || (r.level == Level::Kreis && own.ends_with(&format!(" {folded}")))
                || (r.level == Level::Kreis && !r.kreisfrei && own == strip(&folded))
                || (r.level == Level::Bezirk && own == strip(&folded) && folded != own)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.ags.clone()),
        [] => {
            let close: Vec<String> = crate::analysis::search::search(atlas, name, Level::Kreis, 6)
                .into_iter()
                .filter(|id| matches!(id.level, Level::Kreis | Level::Bezirk))
                .map(|id| atlas.region(id).display_name())
                .collect();
            let close = if close.is_empty() {
                "none".to_owned()
            } else {
                close.join(", ")
            };
            Err(format!(
                "no Kreis or Regierungsbezirk {name:?}; closest names: {close}"
            ))
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|r| format!("{} ({})", r.display_name(), r.ags))
                .collect();
            Err(format!(
                "{name:?} is ambiguous: {}; give the AGS",
                list.join(", ")
            ))
        }
    }
}

/// A candidate point.
struct Candidate {
    x: f64,
    y: f64,
    gemeinde: usize,
    kind: &'static str,
}

/// Whether Gemeinde `index` lies in the area.
fn in_area(atlas: &Atlas, gemeinde: usize, area: Option<&Ags>) -> bool {
    area.is_none_or(|a| {
        atlas.regions(Level::Gemeinde)[gemeinde]
            .ags
            .as_str()
            .starts_with(a.as_str())
    })
}

fn candidates(
    atlas: &Atlas,
    points: &std::collections::HashMap<Ags, GemeindePoint>,
    demand: &[DemandPoint],
    spec: &SuggestSpec,
) -> Result<Vec<Candidate>, SuggestError> {
    let area = spec.within.as_ref();
    match spec.candidates {
        CandidateKind::Gemeinden => atlas
            .regions(Level::Gemeinde)
            .iter()
            .enumerate()
            .filter(|(i, _)| in_area(atlas, *i, area))
            .map(|(i, g)| {
                let p = points
                    .get(&g.ags)
                    .ok_or_else(|| SuggestError::MissingPoint(g.ags.clone()))?;
                Ok(Candidate {
                    x: p.x,
                    y: p.y,
                    gemeinde: i,
                    kind: "gemeinde",
                })
            })
            .collect(),
        CandidateKind::Cells { min_einwohner } => Ok(demand
            .iter()
            .filter(|d| d.einwohner >= min_einwohner && in_area(atlas, d.gemeinde, area))
            .map(|d| Candidate {
                x: d.x,
                y: d.y,
                gemeinde: d.gemeinde,
                kind: "cell",
            })
            .collect()),
    }
}

fn validate(atlas: &Atlas, spec: &SuggestSpec) -> Result<(), SuggestError> {
    if !(spec.radius_km.is_finite() && spec.radius_km > 0.0) {
        return Err(SuggestError::BadRadius(spec.radius_km));
    }
    match spec.goal {
        Goal::NewSites(p) if !NEW_SITES.contains(&p) => return Err(SuggestError::BadCount(p)),
        Goal::TargetPct(t) if !(t.is_finite() && t > 0.0 && t <= 100.0) => {
            return Err(SuggestError::BadTarget(t));
        }
        _ => {}
    }
    if let Some(area) = &spec.within {
        let ok = atlas
            .get(area)
            .is_some_and(|r| matches!(r.level, Level::Kreis | Level::Bezirk));
        if !ok {
            return Err(SuggestError::UnknownArea(area.clone()));
        }
    }
    Ok(())
}

/// Straight-line distance in km, the same formula as [`SiteSet::nearest_one`].
fn distance_km(ax: f64, ay: f64, bx: f64, by: f64) -> f64 {
    let (dx, dy) = (ax - bx, ay - by);
    (dx * dx + dy * dy).sqrt() / 1000.0
}

/// Rounds persons to whole [`UNITS_PER_PERSON`] units (exact for two-decimal shares).
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "non-negative persons far below 2^53 units"
)]
fn units(persons: f64) -> u64 {
    (persons.max(0.0) * UNITS_PER_PERSON as f64).round() as u64
}

/// The covering instance: weights, coverage by the existing sites, the reach of each candidate.
fn instance(
    demand: &[DemandPoint],
    sites: &SiteSet,
    candidates: &[Candidate],
    spec: &SuggestSpec,
) -> Instance {
    let weights: Vec<u64> = demand.iter().map(|d| d.persons.map_or(0, units)).collect();
    let covered: Vec<bool> = demand
        .iter()
        .map(|d| {
            sites
                .nearest_one(&spec.site_type, d.x, d.y)
                .is_some_and(|hit| hit.distance_km <= spec.radius_km)
        })
        .collect();
    let open: Vec<GeomWithData<[f64; 2], u32>> = demand
        .iter()
        .enumerate()
        .filter(|(i, _)| weights[*i] > 0 && !covered[*i])
        .map(|(i, d)| GeomWithData::new([d.x, d.y], solver_index(i)))
        .collect();
    let tree = RTree::bulk_load(open);
    let r = spec.radius_km * 1000.0 * (1.0 + 1e-9) + 1e-6;
    let reach = candidates
        .iter()
        .map(|c| {
            let mut hits: Vec<u32> = tree
                .locate_within_distance([c.x, c.y], r * r)
                .filter(|p| {
                    let d = &demand[p.data as usize];
                    distance_km(c.x, c.y, d.x, d.y) <= spec.radius_km
                })
                .map(|p| p.data)
                .collect();
            hits.sort_unstable();
            hits
        })
        .collect();
    Instance {
        weights,
        covered,
        reach,
    }
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "demand points, far below u32::MAX"
)]
fn solver_index(i: usize) -> u32 {
    i as u32
}

fn where_text(atlas: &Atlas, area: Option<&Ags>) -> String {
    area.and_then(|a| atlas.get(a))
        .map(|r| format!(" in {}", r.display_name()))
        .unwrap_or_default()
}

/// Solves one question on the demand points (see the module doc).
pub fn suggest(
    atlas: &Atlas,
    sites: &SiteSet,
    points: &std::collections::HashMap<Ags, GemeindePoint>,
    demand: &[DemandPoint],
    withheld_cells: usize,
    spec: &SuggestSpec,
) -> Result<Suggestion, SuggestError> {
    let mut timer = crate::timing::StageTimer::new();
    validate(atlas, spec)?;
    let candidates = candidates(atlas, points, demand, spec)?;
    let where_ = where_text(atlas, spec.within.as_ref());
    if let Goal::NewSites(p) = spec.goal
        && p > candidates.len()
    {
        return Err(SuggestError::TooFewCandidates {
            wanted: p,
            candidates: candidates.len(),
            where_,
        });
    }
    let instance = instance(demand, sites, &candidates, spec);
    timer.stage("suggest: covering instance");
    let total = Persons(instance.weights.iter().sum());
    let solution = match spec.goal {
        Goal::NewSites(p) => solver::maximal_covering(&instance, p, spec.limits),
        Goal::TargetPct(pct) => {
            let target = target_units(total, pct);
            solver::set_covering(&instance, target, spec.limits).map_err(|e| {
                SuggestError::Unreachable {
                    target_pct: pct,
                    coverable_pct: Persons(e.coverable).pct_of(total),
                    candidates: candidates.len(),
                    where_,
                }
            })?
        }
    };
    timer.stage("suggest: solve");
    let to_wgs84 = ToWgs84::default();
    let gemeinden = atlas.regions(Level::Gemeinde);
    let mut running = solution.covered_before;
    let new_sites = solution
        .chosen
        .iter()
        .zip(&solution.gains)
        .enumerate()
        .map(|(rank, (&j, &gain))| {
            let c = &candidates[j];
            let (lon, lat) = to_wgs84.convert(c.x, c.y).unwrap_or((f64::NAN, f64::NAN));
            running += gain;
            let g = &gemeinden[c.gemeinde];
            NewSite {
                rank: rank + 1,
                ags: g.ags.clone(),
                name: g.name.clone(),
                lon,
                lat,
                gain: Persons(gain),
                covered_after: Persons(running),
                candidate: c.kind,
                x: c.x,
                y: c.y,
            }
        })
        .collect();
    let within = spec
        .within
        .as_ref()
        .map(|a| area_figures(atlas, a, demand, &instance, &solution.chosen));
    let unknown_share_einwohner = demand
        .iter()
        .filter(|d| d.persons.is_none())
        .map(|d| u64::from(d.einwohner))
        .sum();
    Ok(Suggestion {
        site_type: spec.site_type.code().to_owned(),
        radius_km: spec.radius_km,
        weight: spec.weight,
        candidates: spec.candidates.key(),
        candidate_count: candidates.len(),
        existing_sites: sites.of_type(&spec.site_type).count(),
        new_sites_asked: match spec.goal {
            Goal::NewSites(p) => Some(p),
            Goal::TargetPct(_) => None,
        },
        target_pct: match spec.goal {
            Goal::TargetPct(t) => Some(t),
            Goal::NewSites(_) => None,
        },
        total,
        covered_before: Persons(solution.covered_before),
        covered_after: Persons(solution.covered_after),
        covered_before_pct: Persons(solution.covered_before).pct_of(total),
        covered_after_pct: Persons(solution.covered_after).pct_of(total),
        new_sites,
        status: solution.status.into(),
        nodes: solution.nodes,
        within,
        unknown_share_einwohner,
        withheld_cells,
        sources: sources(atlas),
    })
}

/// The weight that is `pct` % of `total`, rounded up to whole units.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "a share of a total far below 2^53 units"
)]
fn target_units(total: Persons, pct: f64) -> u64 {
    ((total.0 as f64) * pct / 100.0).ceil() as u64
}

fn area_figures(
    atlas: &Atlas,
    area: &Ags,
    demand: &[DemandPoint],
    instance: &Instance,
    chosen: &[usize],
) -> AreaFigures {
    let mut after = instance.covered.clone();
    for &j in chosen {
        for &e in &instance.reach[j] {
            after[e as usize] = true;
        }
    }
    let inside: Vec<usize> = (0..demand.len())
        .filter(|&i| in_area(atlas, demand[i].gemeinde, Some(area)))
        .collect();
    let sum = |mask: Option<&[bool]>| {
        Persons(
            inside
                .iter()
                .filter(|&&i| mask.is_none_or(|m| m[i]))
                .map(|&i| instance.weights[i])
                .sum(),
        )
    };
    AreaFigures {
        ags: area.clone(),
        name: atlas
            .get(area)
            .map(crate::Region::display_name)
            .unwrap_or_default(),
        total: sum(None),
        covered_before: sum(Some(&instance.covered)),
        covered_after: sum(Some(&after)),
    }
}

/// The sources of a suggestion (German): boundaries, sites, centre points, the grid.
fn sources(atlas: &Atlas) -> Vec<String> {
    use crate::attribution;
    use crate::i18n::Lang::De;
    let stand = atlas.provenance.boundaries_stand.as_str();
    vec![
        attribution::boundaries(if stand.is_empty() { "2021" } else { stand })
            .get(De)
            .to_owned(),
        attribution::sites().get(De).to_owned(),
        attribution::centroids().get(De).to_owned(),
        attribution::zensus_grid().get(De).to_owned(),
    ]
}
