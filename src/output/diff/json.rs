//! `handoff diff --format json`: the `handoff-diff/2` contract
//! (docs/diff.md). Field names and meanings never change within a version.

use serde::Serialize;

use crate::diff::{Diff, EngagementDiff, Revision, Status};
use crate::finding::Counts;
use crate::output::check::json::DiagnosticOut;
use crate::workspace::Invalid;

pub const SCHEMA: &str = "handoff-diff/2";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    base: &'a Revision,
    head: &'a Revision,
    paths: &'a [String],
    summary: Summary,
    engagements: &'a [EngagementDiff],
    /// Engagements that could not be read at one side (or both), with
    /// their problems; they are not in `engagements`.
    not_compared: Vec<NotComparedOut<'a>>,
}

#[derive(Serialize)]
struct NotComparedOut<'a> {
    path: &'a str,
    /// The revision it could not be read at, as shown in text.
    side: &'a str,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct Summary {
    added: usize,
    removed: usize,
    changed: usize,
    unchanged: usize,
    moved: usize,
    new_findings: Counts,
    /// Findings still present whose severity rose; `--fail-on` counts them.
    worse_findings: Counts,
    resolved_findings: Counts,
    highlights: usize,
}

pub fn render(diff: &Diff) -> String {
    render_with(diff, &[])
}

/// [`render`], with the engagements that could not be read.
pub fn render_with(diff: &Diff, not_compared: &[(String, Invalid)]) -> String {
    let status = |s: Status| diff.engagements.iter().filter(|e| e.status == s).count();
    let summary = Summary {
        added: status(Status::Added),
        removed: status(Status::Removed),
        changed: status(Status::Changed),
        unchanged: status(Status::Unchanged),
        moved: diff.engagements.iter().filter(|e| e.moved).count(),
        new_findings: Counts::of_severities(
            diff.engagements
                .iter()
                .flat_map(|e| e.findings.new.iter().map(|f| f.severity)),
        ),
        worse_findings: Counts::of_severities(diff.worse_findings().map(|f| f.severity)),
        resolved_findings: Counts::of_severities(
            diff.engagements
                .iter()
                .flat_map(|e| e.findings.resolved.iter().map(|f| f.severity)),
        ),
        highlights: diff.engagements.iter().map(|e| e.highlights.len()).sum(),
    };
    let doc = Document {
        schema: SCHEMA,
        base: &diff.base,
        head: &diff.head,
        paths: &diff.paths,
        summary,
        engagements: &diff.engagements,
        not_compared: not_compared
            .iter()
            .map(|(side, i)| NotComparedOut {
                path: &i.dir,
                side,
                diagnostics: i.diagnostics.iter().map(DiagnosticOut::new).collect(),
            })
            .collect(),
    };
    crate::output::json_text(&doc)
}
