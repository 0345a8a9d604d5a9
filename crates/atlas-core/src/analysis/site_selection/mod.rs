//! Where the next site should go: the maximal covering location problem (MCLP, `p` new sites
//! covering the most people within S km, existing sites fixed) and the location set covering
//! problem (LSCP, the fewest new sites for a target share), solved exactly.

pub mod solver;
