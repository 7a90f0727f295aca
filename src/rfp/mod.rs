//! `handoff import rfp`: a buyer's compliance matrix becomes the
//! engagement's promises, the truth behind each tick in `response`.
//!
//! [`map`] reads MAP.toml (the contract in docs/rfp.md), [`grid`] is the
//! matrix as cells, [`convert`] turns rows into requirements. Layer: with
//! `load` (files to model); commands use it, it uses nothing above.

pub mod convert;
pub mod grid;
pub mod map;
pub mod plan;
pub mod read;
