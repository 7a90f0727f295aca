//! The printers of `handoff diff`, one per `--format`.

pub mod json;
pub mod markdown;
pub mod text;
