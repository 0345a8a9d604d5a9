//! The exact solvers behind "where the next site should go", on an abstract instance: demand
//! points with integer weights, some already covered by the fixed sites, and candidates each
//! with the demand points within reach.
//!
//! - [`maximal_covering`] (MCLP): `p` new sites covering the most weight, **proven optimal** by
//!   branch and bound. The instance is first reduced: demand points reached by the same
//!   candidates are merged, candidates whose reach is contained in another's are dropped
//!   (dominance), and the rest splits into independent components (no shared demand) solved one
//!   by one for every site count and combined by dynamic programming. Inside a component the
//!   search branches on candidates in order of marginal gain and prunes with the submodular
//!   bound: value so far + the sum of the `m` largest marginal gains of the candidates still
//!   allowed (`m` = sites left to place), and with a Lagrangian bound (the coverage constraints
//!   relaxed with integer multipliers tuned by subgradient steps at the root: uncovered weight
//!   not priced + the `m` largest priced reaches). The start incumbent is the greedy choice.
//! - [`set_covering`] (LSCP): the fewest new sites so that the covered weight reaches a target:
//!   the MCLP optimum for `p = 1, 2, …` until it does.
//! - [`greedy`]: the classic greedy choice, for comparison (not optimal in general).
//!
//! A search limit (work: the candidates ranked at each node, summed) keeps a pathological
//! instance from running away; when it is hit the result says so and carries a proven upper
//! bound, never a pretended optimum.

use std::collections::HashMap;

/// A covering problem: integer weights (exact sums, exact comparisons), the demand already
/// covered, and the reach of every candidate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Instance {
    /// The weight of every demand point (e.g. inhabitants in 1/10,000 persons).
    pub weights: Vec<u64>,
    /// Whether a demand point is already covered by a fixed site.
    pub covered: Vec<bool>,
    /// For every candidate, the demand points (indices into `weights`) within reach.
    pub reach: Vec<Vec<u32>>,
}

impl Instance {
    /// The weight covered by the fixed sites alone.
    pub fn covered_before(&self) -> u64 {
        self.weights
            .iter()
            .zip(&self.covered)
            .filter(|(_, c)| **c)
            .map(|(w, _)| w)
            .sum()
    }

    /// The weight covered by the fixed sites and the candidates `chosen`.
    pub fn covered_with(&self, chosen: &[usize]) -> u64 {
        let mut covered = self.covered.clone();
        for &j in chosen {
            for &e in &self.reach[j] {
                covered[e as usize] = true;
            }
        }
        self.weights
            .iter()
            .zip(&covered)
            .filter(|(_, c)| **c)
            .map(|(w, _)| w)
            .sum()
    }

    /// The weight within reach of the fixed sites or any candidate: the most any choice covers.
    pub fn coverable(&self) -> u64 {
        let all: Vec<usize> = (0..self.reach.len()).collect();
        self.covered_with(&all)
    }
}

/// Whether a result is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Proven optimal: no choice of as many sites covers more (MCLP), no fewer sites reach the
    /// target (LSCP).
    Optimal,
    /// The search limit was hit: the sites are the best found; no choice covers more than
    /// `upper_bound` (same unit as the weights).
    LimitReached {
        /// Proven upper bound on the covered weight.
        upper_bound: u64,
    },
    /// LSCP with the search limit hit: the sites reach the target, but fewer than these, down
    /// to `at_least`, were not ruled out.
    CountNotProven {
        /// The fewest sites not ruled out.
        at_least: usize,
    },
}

/// The chosen new sites and what they cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Solution {
    /// The chosen candidates in rank order: each the one adding most to those before it.
    /// Sites that would add nothing are left out, so there may be fewer than asked for.
    pub chosen: Vec<usize>,
    /// The marginal gain of each chosen site given the fixed sites and the ones ranked before
    /// it; they sum to `covered_after - covered_before`.
    pub gains: Vec<u64>,
    /// The weight covered by the fixed sites.
    pub covered_before: u64,
    /// The weight covered with the chosen sites.
    pub covered_after: u64,
    /// Proven or not.
    pub status: Status,
    /// Branch-and-bound nodes explored.
    pub nodes: u64,
}

/// How far the search may go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Work over the whole solve: candidates ranked at each branch-and-bound node, summed
    /// (about 20–50 million a second).
    pub max_work: u64,
}

/// The default search limit: a few seconds at most.
pub const DEFAULT_MAX_WORK: u64 = 100_000_000;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_work: DEFAULT_MAX_WORK,
        }
    }
}

/// The target of an LSCP cannot be reached even with every candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the target {target} is unreachable: all candidates together cover {coverable}")]
pub struct Unreachable {
    /// The weight asked for.
    pub target: u64,
    /// The most the fixed sites and all candidates cover.
    pub coverable: u64,
}

/// The greedy choice of up to `p` sites (each the largest marginal gain; ties: lower index).
pub fn greedy(instance: &Instance, p: usize) -> Solution {
    let before = instance.covered_before();
    let all: Vec<usize> = (0..instance.reach.len()).collect();
    let (chosen, gains) = rank_greedily(instance, &all, p);
    let after = before + gains.iter().sum::<u64>();
    Solution {
        chosen,
        gains,
        covered_before: before,
        covered_after: after,
        status: Status::Optimal,
        nodes: 0,
    }
}

/// The proven best `p` new sites (MCLP); see the module doc.
pub fn maximal_covering(instance: &Instance, p: usize, limits: Limits) -> Solution {
    let mut solver = Solver::new(instance, limits);
    let best = solver.optimum(p);
    solver.solution(&best.sites, best.status(solver.before))
}

/// The fewest new sites so that at least `target` weight is covered (LSCP); see the module doc.
pub fn set_covering(
    instance: &Instance,
    target: u64,
    limits: Limits,
) -> Result<Solution, Unreachable> {
    let coverable = instance.coverable();
    if target > coverable {
        return Err(Unreachable { target, coverable });
    }
    let mut solver = Solver::new(instance, limits);
    let mut at_least = None;
    let mut p = 0;
    loop {
        let best = solver.optimum(p);
        if solver.before + best.value >= target {
            let status = match at_least {
                None => Status::Optimal,
                Some(at_least) => Status::CountNotProven { at_least },
            };
            return Ok(solver.solution(&best.sites, status));
        }
        if solver.before + best.upper_bound >= target && at_least.is_none() {
            at_least = Some(p);
        }
        p += 1;
    }
}

/// Orders `sites` greedily by marginal gain given the fixed sites (ties: lower index), taking at
/// most `p` and none that adds nothing.
fn rank_greedily(instance: &Instance, sites: &[usize], p: usize) -> (Vec<usize>, Vec<u64>) {
    let mut covered = instance.covered.clone();
    let mut left: Vec<usize> = sites.to_vec();
    let (mut chosen, mut gains) = (Vec::new(), Vec::new());
    while chosen.len() < p {
        let gain_of = |j: usize| -> u64 {
            let mut reach = instance.reach[j].clone();
            reach.sort_unstable();
            reach.dedup();
            reach
                .iter()
                .filter(|&&e| !covered[e as usize])
                .map(|&e| instance.weights[e as usize])
                .sum()
        };
        let best = left
            .iter()
            .enumerate()
            .map(|(pos, &j)| (gain_of(j), std::cmp::Reverse(j), pos))
            .max();
        let Some((gain, std::cmp::Reverse(j), pos)) = best else {
            break;
        };
        if gain == 0 {
            break;
        }
        left.swap_remove(pos);
        for &e in &instance.reach[j] {
            covered[e as usize] = true;
        }
        chosen.push(j);
        gains.push(gain);
    }
    (chosen, gains)
}

/// One independent part of the reduced instance: local candidates and merged demand.
#[derive(Debug)]
struct Component {
    /// The original index of every local candidate.
    candidates: Vec<usize>,
    /// The weight of every merged demand element.
    weights: Vec<u64>,
    /// Local candidate → its elements.
    cover: Vec<Vec<u32>>,
    /// Element → the local candidates reaching it.
    users: Vec<Vec<u32>>,
    /// The best choice found for each site count (index = count), with its bound.
    solved: Vec<Best>,
}

/// The best choice of a given size: its value, a proven bound, the sites (original indices).
#[derive(Clone, Debug, Default)]
struct Best {
    value: u64,
    upper_bound: u64,
    sites: Vec<usize>,
}

impl Best {
    fn status(&self, before: u64) -> Status {
        if self.upper_bound <= self.value {
            Status::Optimal
        } else {
            Status::LimitReached {
                upper_bound: before + self.upper_bound,
            }
        }
    }
}

/// The reduced instance and the node budget.
struct Solver<'a> {
    instance: &'a Instance,
    before: u64,
    components: Vec<Component>,
    nodes_left: u64,
    nodes: u64,
}

impl<'a> Solver<'a> {
    fn new(instance: &'a Instance, limits: Limits) -> Solver<'a> {
        Solver {
            instance,
            before: instance.covered_before(),
            components: reduce(instance),
            nodes_left: limits.max_work,
            nodes: 0,
        }
    }

    /// The best choice of `p` sites over all components (dynamic programming over the
    /// components' optima per site count; ties keep fewer sites).
    fn optimum(&mut self, p: usize) -> Best {
        for c in 0..self.components.len() {
            let most = p.min(self.components[c].candidates.len());
            while self.components[c].solved.len() <= most {
                let k = self.components[c].solved.len();
                let best = solve_component(&self.components[c], k, &mut self.nodes_left);
                self.nodes += best.1;
                self.components[c].solved.push(best.0);
            }
        }
        // table[k] = (value, bound, choice per component so far)
        let mut table: Vec<Option<(u64, u64, Vec<usize>)>> = vec![None; p + 1];
        table[0] = Some((0, 0, Vec::new()));
        for component in &self.components {
            let mut next: Vec<Option<(u64, u64, Vec<usize>)>> = vec![None; p + 1];
            for (used, entry) in table.iter().enumerate() {
                let Some((value, bound, picks)) = entry else {
                    continue;
                };
                for (k, best) in component.solved.iter().enumerate() {
                    if used + k > p {
                        break;
                    }
                    let candidate = (value + best.value, bound + best.upper_bound);
                    let slot = &mut next[used + k];
                    let better = match slot {
                        None => true,
                        Some((v, _, _)) => candidate.0 > *v,
                    };
                    let bound_max = slot.as_ref().map_or(0, |s| s.1).max(candidate.1);
                    if better {
                        let mut picks = picks.clone();
                        picks.push(k);
                        *slot = Some((candidate.0, bound_max, picks));
                    } else if let Some(s) = slot {
                        s.1 = bound_max;
                    }
                }
            }
            table = next;
        }
        // The best over all counts ≤ p (fewer when more adds nothing); bounds over all counts.
        let upper_bound = table.iter().flatten().map(|t| t.1).max().unwrap_or(0);
        let Some((value, _, picks)) = table
            .iter()
            .flatten()
            .fold(None::<&(u64, u64, Vec<usize>)>, |acc, t| match acc {
                Some(a) if a.0 >= t.0 => Some(a),
                _ => Some(t),
            })
            .cloned()
        else {
            return Best::default();
        };
        let sites = self
            .components
            .iter()
            .zip(&picks)
            .flat_map(|(c, &k)| c.solved[k].sites.iter().copied())
            .collect();
        Best {
            value,
            upper_bound: upper_bound.max(value),
            sites,
        }
    }

    fn solution(&self, sites: &[usize], status: Status) -> Solution {
        let (chosen, gains) = rank_greedily(self.instance, sites, sites.len());
        let after = self.before + gains.iter().sum::<u64>();
        Solution {
            chosen,
            gains,
            covered_before: self.before,
            covered_after: after,
            status,
            nodes: self.nodes,
        }
    }
}

/// Merges demand reached by the same candidates, drops dominated candidates and splits the
/// rest into components.
fn reduce(instance: &Instance) -> Vec<Component> {
    let open: Vec<bool> = instance
        .weights
        .iter()
        .zip(&instance.covered)
        .map(|(w, c)| *w > 0 && !c)
        .collect();
    let alive: Vec<bool> = vec![true; instance.reach.len()];
    let (weights, cover) = merge(instance, &open, &alive);
    let alive = undominated(&cover, instance.reach.len(), weights.len());
    let (weights, cover) = merge(instance, &open, &alive);
    split(&weights, &cover)
}

/// Demand elements (open demand points grouped by the set of alive candidates reaching them)
/// and each candidate's elements (empty for dead candidates).
fn merge(instance: &Instance, open: &[bool], alive: &[bool]) -> (Vec<u64>, Vec<Vec<u32>>) {
    let mut signature: Vec<Vec<u32>> = vec![Vec::new(); instance.weights.len()];
    for (j, reach) in instance.reach.iter().enumerate() {
        if !alive[j] {
            continue;
        }
        for &e in reach {
            let sig = &mut signature[e as usize];
            if open[e as usize] && sig.last() != Some(&as_u32(j)) {
                sig.push(as_u32(j));
            }
        }
    }
    let mut element_of: HashMap<&[u32], u32> = HashMap::new();
    let mut weights: Vec<u64> = Vec::new();
    let mut cover: Vec<Vec<u32>> = vec![Vec::new(); instance.reach.len()];
    for (e, sig) in signature.iter().enumerate() {
        if sig.is_empty() {
            continue;
        }
        let next = as_u32(weights.len());
        let element = *element_of.entry(sig.as_slice()).or_insert(next);
        if element == next {
            weights.push(0);
            for &j in sig {
                cover[j as usize].push(element);
            }
        }
        weights[element as usize] += instance.weights[e];
    }
    (weights, cover)
}

/// Candidates that reach something and whose elements are not all reached by another candidate
/// (of equal reach, the lowest index stays). A dominator must reach the candidate's rarest
/// element, so only those are checked, each by a merge of the sorted element lists that stops
/// at the first element it lacks.
fn undominated(cover: &[Vec<u32>], candidates: usize, elements: usize) -> Vec<bool> {
    let mut users: Vec<Vec<u32>> = vec![Vec::new(); elements];
    for (j, elems) in cover.iter().enumerate() {
        for &e in elems {
            users[e as usize].push(as_u32(j));
        }
    }
    let contains_all = |big: &[u32], small: &[u32]| {
        let mut rest = big.iter();
        small.iter().all(|e| rest.by_ref().any(|b| b == e))
    };
    (0..candidates)
        .map(|j| {
            let elems = &cover[j];
            let Some(rarest) = elems.iter().min_by_key(|&&e| users[e as usize].len()) else {
                return false;
            };
            !users[*rarest as usize].iter().any(|&i| {
                let i = i as usize;
                i != j
                    && (cover[i].len() > elems.len() || (cover[i].len() == elems.len() && i < j))
                    && contains_all(&cover[i], elems)
            })
        })
        .collect()
}

/// Splits candidates into components linked by shared elements (union-find).
fn split(weights: &[u64], cover: &[Vec<u32>]) -> Vec<Component> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..cover.len()).collect();
    let mut owner: Vec<Option<usize>> = vec![None; weights.len()];
    for (j, elems) in cover.iter().enumerate() {
        for &e in elems {
            match owner[e as usize] {
                None => owner[e as usize] = Some(j),
                Some(i) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut index_of: HashMap<usize, usize> = HashMap::new();
    let mut components: Vec<Component> = Vec::new();
    let mut local_element: Vec<Option<(usize, u32)>> = vec![None; weights.len()];
    for (j, elems) in cover.iter().enumerate() {
        if elems.is_empty() {
            continue;
        }
        let r = root(&mut parent, j);
        let c = *index_of.entry(r).or_insert_with(|| {
            components.push(Component {
                candidates: Vec::new(),
                weights: Vec::new(),
                cover: Vec::new(),
                users: Vec::new(),
                solved: Vec::new(),
            });
            components.len() - 1
        });
        let component = &mut components[c];
        let local = as_u32(component.candidates.len());
        component.candidates.push(j);
        let mut mine = Vec::with_capacity(elems.len());
        for &e in elems {
            let le = match local_element[e as usize] {
                Some((_, le)) => le,
                None => {
                    let le = as_u32(component.weights.len());
                    component.weights.push(weights[e as usize]);
                    component.users.push(Vec::new());
                    local_element[e as usize] = Some((c, le));
                    le
                }
            };
            component.users[le as usize].push(local);
            mine.push(le);
        }
        component.cover.push(mine);
    }
    components
}

#[allow(
    clippy::cast_possible_truncation,
    reason = "indices of demand points and candidates, far below u32::MAX"
)]
fn as_u32(i: usize) -> u32 {
    i as u32
}

/// The best choice of `k` sites in one component, and the nodes the search took from the
/// budget.
fn solve_component(component: &Component, k: usize, budget: &mut u64) -> (Best, u64) {
    let n = component.candidates.len();
    let total: u64 = component.weights.iter().sum();
    let original = |local: &[u32]| -> Vec<usize> {
        local
            .iter()
            .map(|&j| component.candidates[j as usize])
            .collect()
    };
    if k == 0 {
        return (Best::default(), 0);
    }
    if k >= n {
        let all: Vec<u32> = (0..as_u32(n)).collect();
        let best = Best {
            value: total,
            upper_bound: total,
            sites: original(&all),
        };
        return (best, 0);
    }
    let mut search = Search::new(component);
    search.start_with_greedy(k);
    let mut gains = search.gain.clone();
    gains.sort_unstable_by(|a, b| b.cmp(a));
    if gains.iter().take(k).sum::<u64>() <= search.best {
        // The marginal-gain bound already proves the greedy choice optimal.
        let best = Best {
            value: search.best,
            upper_bound: search.best,
            sites: original(&search.best_set),
        };
        return (best, 0);
    }
    let root_bound = search.price(k);
    let all: Vec<u32> = (0..as_u32(n)).collect();
    search.limit = *budget;
    search.branch(&all, k);
    *budget -= search.work.min(*budget);
    let upper_bound = if search.aborted {
        search
            .open_bound
            .max(search.best)
            .min(root_bound)
            .min(total)
    } else {
        search.best
    };
    let best = Best {
        value: search.best,
        upper_bound,
        sites: original(&search.best_set),
    };
    (best, search.nodes)
}

/// Depth-first branch and bound over one component.
struct Search<'a> {
    component: &'a Component,
    /// How many chosen sites reach each element.
    count: Vec<u32>,
    /// The marginal gain of every candidate given the chosen ones.
    gain: Vec<u64>,
    value: u64,
    chosen: Vec<u32>,
    best: u64,
    best_set: Vec<u32>,
    nodes: u64,
    /// Candidates ranked so far (the search's work).
    work: u64,
    limit: u64,
    aborted: bool,
    /// The largest bound of a subtree left unexplored when the limit was hit.
    open_bound: u64,
    /// The Lagrangian price of every element (0 ≤ λ ≤ weight).
    lambda: Vec<u64>,
    /// Every candidate's priced reach: Σ λ over its uncovered elements.
    priced: Vec<u64>,
    /// Σ (weight − λ) over the uncovered elements.
    unpriced: u64,
}

impl<'a> Search<'a> {
    fn new(component: &'a Component) -> Search<'a> {
        let gain: Vec<u64> = component
            .cover
            .iter()
            .map(|elems| elems.iter().map(|&e| component.weights[e as usize]).sum())
            .collect();
        Search {
            priced: gain.clone(),
            component,
            count: vec![0; component.weights.len()],
            gain,
            value: 0,
            chosen: Vec::new(),
            best: 0,
            best_set: Vec::new(),
            nodes: 0,
            work: 0,
            limit: 0,
            aborted: false,
            open_bound: 0,
            lambda: component.weights.clone(),
            unpriced: 0,
        }
    }

    /// Tunes the Lagrangian prices at the root for `k` sites by subgradient steps, keeps the
    /// best, and returns the bound they prove. Prices λ = weight give the marginal-gain bound,
    /// so the result is never weaker than it.
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "prices are rounded to whole weight units and clamped to [0, weight]"
    )]
    fn price(&mut self, k: usize) -> u64 {
        const STEPS: usize = 40;
        let component = self.component;
        let weights = &component.weights;
        let mut lambda: Vec<f64> = weights.iter().map(|&w| w as f64).collect();
        let (mut best_bound, mut best_lambda) = (u64::MAX, self.lambda.clone());
        let (mut theta, mut stale) = (1.0f64, 0);
        let mut count = vec![0u32; weights.len()];
        for _ in 0..STEPS {
            let rounded: Vec<u64> = lambda
                .iter()
                .zip(weights)
                .map(|(&l, &w)| (l.round().max(0.0) as u64).min(w))
                .collect();
            let priced: Vec<u64> = component
                .cover
                .iter()
                .map(|elems| elems.iter().map(|&e| rounded[e as usize]).sum())
                .collect();
            let mut order: Vec<u32> = (0..as_u32(priced.len())).collect();
            order.sort_unstable_by(|&a, &b| priced[b as usize].cmp(&priced[a as usize]));
            let top = &order[..k.min(order.len())];
            let unpriced: u64 = weights.iter().zip(&rounded).map(|(w, l)| w - l).sum();
            let bound = unpriced + top.iter().map(|&j| priced[j as usize]).sum::<u64>();
            if bound < best_bound {
                (best_bound, best_lambda, stale) = (bound, rounded, 0);
            } else {
                stale += 1;
                if stale >= 4 {
                    (theta, stale) = (theta / 2.0, 0);
                }
            }
            if best_bound <= self.best {
                break;
            }
            count.iter_mut().for_each(|c| *c = 0);
            for &j in top {
                for &e in &component.cover[j as usize] {
                    count[e as usize] += 1;
                }
            }
            let norm: f64 = count.iter().map(|&c| (1.0 - f64::from(c)).powi(2)).sum();
            if norm == 0.0 {
                break;
            }
            let step = theta * (bound.saturating_sub(self.best)) as f64 / norm;
            for ((l, &c), &w) in lambda.iter_mut().zip(&count).zip(weights) {
                *l = (*l + step * (1.0 - f64::from(c))).clamp(0.0, w as f64);
            }
        }
        self.lambda = best_lambda;
        self.priced = component
            .cover
            .iter()
            .map(|elems| elems.iter().map(|&e| self.lambda[e as usize]).sum())
            .collect();
        self.unpriced = weights.iter().zip(&self.lambda).map(|(w, l)| w - l).sum();
        best_bound
    }

    /// The Lagrangian bound of choosing `m` more among `allowed`.
    fn priced_bound(&self, allowed: &[u32], m: usize) -> u64 {
        let mut values: Vec<u64> = allowed.iter().map(|&j| self.priced[j as usize]).collect();
        if values.len() > m {
            values.select_nth_unstable_by(m, |a, b| b.cmp(a));
            values.truncate(m);
        }
        self.value + self.unpriced + values.iter().sum::<u64>()
    }

    fn add(&mut self, j: u32) {
        let component = self.component;
        for &e in &component.cover[j as usize] {
            let e = e as usize;
            if self.count[e] == 0 {
                let (w, l) = (component.weights[e], self.lambda[e]);
                self.value += w;
                self.unpriced -= w - l;
                for &i in &component.users[e] {
                    self.gain[i as usize] -= w;
                    self.priced[i as usize] -= l;
                }
            }
            self.count[e] += 1;
        }
        self.chosen.push(j);
    }

    fn remove(&mut self, j: u32) {
        let component = self.component;
        for &e in &component.cover[j as usize] {
            let e = e as usize;
            self.count[e] -= 1;
            if self.count[e] == 0 {
                let (w, l) = (component.weights[e], self.lambda[e]);
                self.value -= w;
                self.unpriced += w - l;
                for &i in &component.users[e] {
                    self.gain[i as usize] += w;
                    self.priced[i as usize] += l;
                }
            }
        }
        self.chosen.pop();
    }

    /// The greedy choice as the first incumbent.
    fn start_with_greedy(&mut self, k: usize) {
        let n = self.component.candidates.len();
        for _ in 0..k {
            let best = (0..as_u32(n))
                .filter(|j| !self.chosen.contains(j))
                .max_by_key(|&j| (self.gain[j as usize], std::cmp::Reverse(j)));
            match best {
                Some(j) if self.gain[j as usize] > 0 => self.add(j),
                _ => break,
            }
        }
        self.best = self.value;
        self.best_set = self.chosen.clone();
        for j in self.chosen.clone().into_iter().rev() {
            self.remove(j);
        }
    }

    /// Explores the choices of up to `m` more sites among `allowed`.
    fn branch(&mut self, allowed: &[u32], m: usize) {
        if self.value > self.best {
            self.best = self.value;
            self.best_set = self.chosen.clone();
        }
        if m == 0 {
            return;
        }
        self.work += allowed.len() as u64;
        if m > 1 && self.priced_bound(allowed, m) <= self.best {
            return;
        }
        let mut order: Vec<(u64, u32)> = allowed
            .iter()
            .map(|&j| (self.gain[j as usize], j))
            .filter(|&(g, _)| g > 0)
            .collect();
        order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let Some(&(top, j)) = order.first() else {
            return;
        };
        if m == 1 {
            if self.value + top > self.best {
                self.best = self.value + top;
                self.best_set = self.chosen.clone();
                self.best_set.push(j);
            }
            return;
        }
        let mut window: u64 = order.iter().take(m).map(|o| o.0).sum();
        for i in 0..order.len() {
            let bound = self.value + window;
            if bound <= self.best {
                break;
            }
            if self.work >= self.limit {
                self.aborted = true;
                self.open_bound = self.open_bound.max(bound);
                return;
            }
            self.nodes += 1;
            let j = order[i].1;
            self.add(j);
            let rest: Vec<u32> = order[i + 1..].iter().map(|o| o.1).collect();
            self.branch(&rest, m - 1);
            self.remove(j);
            window -= order[i].0;
            if let Some(next) = order.get(i + m) {
                window += next.0;
            }
            if self.aborted {
                if i + 1 < order.len() {
                    self.open_bound = self.open_bound.max(self.value + window);
                }
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The best value over every choice of exactly min(p, n) candidates.
    fn exhaustive(instance: &Instance, p: usize) -> u64 {
        fn walk(instance: &Instance, start: usize, left: usize, chosen: &mut Vec<usize>) -> u64 {
            if left == 0 || start == instance.reach.len() {
                return instance.covered_with(chosen);
            }
            let mut best = 0;
            for j in start..instance.reach.len() {
                chosen.push(j);
                best = best.max(walk(instance, j + 1, left - 1, chosen));
                chosen.pop();
            }
            best
        }
        walk(instance, 0, p, &mut Vec::new())
    }

    /// Greedy picks the big candidate A (4) and then adds 1; B and C together cover 6.
    fn greedy_trap() -> Instance {
        Instance {
            weights: vec![1, 1, 1, 1, 1, 1],
            covered: vec![false; 6],
            reach: vec![vec![0, 1, 2, 3], vec![0, 1, 4], vec![2, 3, 5]],
        }
    }

    #[test]
    fn greedy_is_not_optimal_and_the_optimiser_beats_it() {
        let instance = greedy_trap();
        let greedy = greedy(&instance, 2);
        assert_eq!(greedy.chosen, vec![0, 1]);
        assert_eq!(greedy.covered_after, 5);
        let best = maximal_covering(&instance, 2, Limits::default());
        assert_eq!(best.covered_after, 6);
        assert_eq!(best.status, Status::Optimal);
        let mut chosen = best.chosen.clone();
        chosen.sort_unstable();
        assert_eq!(chosen, vec![1, 2]);
        assert_eq!(best.gains, vec![3, 3]);
    }

    #[test]
    fn fixed_coverage_counts_before_and_not_again() {
        let mut instance = greedy_trap();
        instance.covered = vec![true, true, false, false, false, false];
        let best = maximal_covering(&instance, 1, Limits::default());
        assert_eq!(best.covered_before, 2);
        // A adds e2, e3 (2); C adds e2, e3, e5 (3).
        assert_eq!(best.chosen, vec![2]);
        assert_eq!(best.gains, vec![3]);
        assert_eq!(best.covered_after, 5);
    }

    #[test]
    fn sites_that_add_nothing_are_left_out() {
        let instance = greedy_trap();
        let best = maximal_covering(&instance, 3, Limits::default());
        assert_eq!(best.covered_after, 6);
        assert_eq!(
            best.chosen.len(),
            2,
            "A adds nothing once B and C are chosen"
        );
    }

    #[test]
    fn set_covering_finds_the_fewest_sites() {
        let instance = greedy_trap();
        let one = set_covering(&instance, 4, Limits::default()).unwrap();
        assert_eq!(one.chosen, vec![0]);
        let two = set_covering(&instance, 6, Limits::default()).unwrap();
        assert_eq!(two.chosen.len(), 2);
        assert_eq!(two.covered_after, 6);
        assert_eq!(two.status, Status::Optimal);
        let none = set_covering(&instance, 0, Limits::default()).unwrap();
        assert!(none.chosen.is_empty());
        let err = set_covering(&instance, 7, Limits::default()).unwrap_err();
        assert_eq!(err.coverable, 6);
    }

    #[test]
    fn a_hit_limit_is_reported_with_a_bound() {
        // Many overlapping candidates: the search needs more than one node.
        let weights: Vec<u64> = (0..40).map(|i| 1 + (i * 7) % 5).collect();
        let reach: Vec<Vec<u32>> = (0..30u32)
            .map(|j| (0..40u32).filter(|e| (e * 3 + j) % 7 < 3).collect())
            .collect();
        let instance = Instance {
            covered: vec![false; weights.len()],
            weights,
            reach,
        };
        let exact = maximal_covering(&instance, 4, Limits::default());
        assert_eq!(exact.status, Status::Optimal);
        assert_eq!(exact.covered_after, exhaustive(&instance, 4));
        let cut = maximal_covering(&instance, 4, Limits { max_work: 0 });
        match cut.status {
            Status::Optimal => assert_eq!(cut.covered_after, exact.covered_after),
            Status::LimitReached { upper_bound } => {
                assert!(upper_bound >= exact.covered_after);
                assert!(cut.covered_after <= exact.covered_after);
            }
            Status::CountNotProven { .. } => panic!("not an LSCP"),
        }
    }

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(64)
    }

    fn instances() -> impl Strategy<Value = (Instance, usize)> {
        (1usize..30, 1usize..14).prop_flat_map(|(points, candidates)| {
            (
                proptest::collection::vec(0u64..20, points),
                proptest::collection::vec(any::<bool>(), points),
                proptest::collection::vec(
                    proptest::collection::vec(0..as_u32(points), 0..9),
                    candidates,
                ),
                1usize..6,
            )
                .prop_map(|(weights, covered, reach, p)| {
                    let covered = covered
                        .iter()
                        .map(|c| *c && weights.len() % 3 == 0)
                        .collect();
                    (
                        Instance {
                            weights,
                            covered,
                            reach,
                        },
                        p,
                    )
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn optimiser_equals_exhaustive_search((instance, p) in instances()) {
            let best = maximal_covering(&instance, p, Limits::default());
            prop_assert_eq!(best.status, Status::Optimal);
            prop_assert_eq!(best.covered_after, exhaustive(&instance, p));
            prop_assert_eq!(best.covered_after, instance.covered_with(&best.chosen));
            prop_assert_eq!(best.covered_after - best.covered_before, best.gains.iter().sum::<u64>());
            prop_assert!(best.chosen.len() <= p);
            prop_assert!(best.gains.windows(2).all(|g| g[0] >= g[1]), "greedy-ordered gains never rise");
            prop_assert!(greedy(&instance, p).covered_after <= best.covered_after);
        }

        #[test]
        fn set_covering_is_minimal((instance, _p) in instances(), share in 0u64..=100) {
            let target = instance.coverable() * share / 100;
            let best = set_covering(&instance, target, Limits::default()).unwrap();
            prop_assert_eq!(best.status, Status::Optimal);
            prop_assert!(best.covered_after >= target);
            let k = best.chosen.len();
            if k > 0 {
                prop_assert!(exhaustive(&instance, k - 1) < target);
            }
        }
    }
}
