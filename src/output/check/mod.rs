//! The printers of `handoff check`, one per `--format`.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::diag::Diagnostic;
use crate::workspace::Invalid;

/// What could not be judged, which every format of `handoff check` carries
/// beside the judged engagements: the invalid engagements with their
/// problems, and problems that belong to no engagement.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unjudged<'a> {
    pub invalid: &'a [Invalid],
    pub general: &'a [Diagnostic],
}

impl Unjudged<'_> {
    /// Every problem, general ones first.
    pub fn all(&self) -> Vec<&Diagnostic> {
        self.general
            .iter()
            .chain(self.invalid.iter().flat_map(|i| &i.diagnostics))
            .collect()
    }
}
