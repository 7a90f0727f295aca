//! The printers of `handoff check`, one per `--format`.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;
