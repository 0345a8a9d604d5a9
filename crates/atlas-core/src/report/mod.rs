//! Report-grade documents built on the render layer: the [`atlas`] (one map page per region)
//! and the Kommune [`profile`] (Steckbrief: map, key figures, institutions, coverage, sources).

pub mod atlas;
pub mod profile;
pub mod sheet;
