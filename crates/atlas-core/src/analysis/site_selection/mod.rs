//! Where the next site should go: the maximal covering location problem (MCLP, `p` new sites
//! covering the most people within S km, existing sites fixed) and the location set covering
//! problem (LSCP, the fewest new sites for a target share), solved exactly: [`solver`] on an
//! abstract instance, [`problem`] from cells, sites and candidate points to that instance and
//! back, [`report`] the answer as Markdown and CSV.

pub mod problem;
pub mod report;
pub mod solver;

pub use problem::{
    CandidateKind, DemandPoint, Goal, NewSite, Persons, Proof, SuggestError, SuggestSpec,
    Suggestion, Weight, demand_points, resolve_area, suggest,
};
