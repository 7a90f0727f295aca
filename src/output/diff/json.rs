//! `handoff diff --format json`: the `handoff-diff/2` contract
//! (docs/diff.md). Field names and meanings never change within a version.

use serde::Serialize;

use crate::diff::{Diff, EngagementDiff, Revision, Status};
use crate::finding::Counts;
use crate::history::Signed;
use crate::output::check::json::DiagnosticOut;
use crate::since::SinceSigned;
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
    crate::output::json_text(&document(diff, not_compared))
}

fn document<'a>(diff: &'a Diff, not_compared: &'a [(String, Invalid)]) -> Document<'a> {
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
    Document {
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
    }
}

/// The contract of `handoff diff --since-signoff ROLE --format json`
/// (docs/diff.md).
pub const SINCE_SCHEMA: &str = "handoff-since-signoff/1";

#[derive(Serialize)]
struct SinceDocument<'a> {
    schema: &'static str,
    role: &'a str,
    engagements: Vec<SinceOut<'a>>,
}

#[derive(Serialize)]
struct SinceOut<'a> {
    path: &'a str,
    /// Whether the role has a sign-off in force.
    signed: bool,
    by: Option<&'a str>,
    date: Option<String>,
    fingerprint: Option<&'a str>,
    /// `recorded`, `fingerprint` or `not_found`; `null` when not signed.
    content: Option<&'static str>,
    commit: Option<String>,
    changed_kinds: &'a [&'static str],
    stale: Option<&'a str>,
    diff: Option<Document<'a>>,
}

/// The `handoff-since-signoff/1` document: per engagement, where ROLE's
/// signed content is and the `handoff-diff/2` document comparing it with
/// the working tree.
pub fn render_since(role: &str, found: &[(String, Option<SinceSigned>)]) -> String {
    let engagements = found
        .iter()
        .map(|(dir, s)| {
            let Some(s) = s else {
                return SinceOut {
                    path: dir,
                    signed: false,
                    by: None,
                    date: None,
                    fingerprint: None,
                    content: None,
                    commit: None,
                    changed_kinds: &[],
                    stale: None,
                    diff: None,
                };
            };
            let (content, commit) = match &s.signed {
                Signed::Recorded(c) => ("recorded", Some(c.id.to_string())),
                Signed::Found(c) => ("fingerprint", Some(c.id.to_string())),
                Signed::NotFound { .. } => ("not_found", None),
            };
            SinceOut {
                path: dir,
                signed: true,
                by: Some(&s.signoff.by.value),
                date: Some(s.signoff.date.to_string()),
                fingerprint: Some(&s.signoff.fingerprint.value),
                content: Some(content),
                commit,
                changed_kinds: &s.kinds,
                stale: s.stale.as_deref(),
                diff: s.diff.as_ref().map(|d| document(d, &[])),
            }
        })
        .collect();
    crate::output::json_text(&SinceDocument {
        schema: SINCE_SCHEMA,
        role,
        engagements,
    })
}
