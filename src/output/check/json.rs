//! `handoff check --format json`: the `handoff-check/2` contract
//! (docs/json.md). Field names and meanings never change within a version.

use serde::Serialize;

use crate::analysis::Figures;
use crate::diag::Diagnostic;
use crate::evaluate::Evaluation;
use crate::finding::Counts;
use crate::output::check::Unjudged;

pub const SCHEMA: &str = "handoff-check/2";

/// The verdict of an engagement that could not be read or judged, beside
/// those of [`Verdict`].
pub const INVALID: &str = "invalid";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    engagements: Vec<EngagementOut<'a>>,
    /// Problems that belong to no engagement (a bad root `handoff.toml`).
    diagnostics: Vec<DiagnosticOut<'a>>,
}

/// A problem that stops an engagement from being judged.
#[derive(Serialize)]
pub(crate) struct DiagnosticOut<'a> {
    file: Option<&'a str>,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> DiagnosticOut<'a> {
    pub(crate) fn new(d: &'a Diagnostic) -> DiagnosticOut<'a> {
        DiagnosticOut {
            file: d.loc.as_ref().map(|l| &*l.file),
            line: d.loc.as_ref().map(|l| l.pos.line),
            column: d.loc.as_ref().map(|l| l.pos.column),
            message: &d.message,
            help: d.help.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct EngagementOut<'a> {
    /// `None` for an engagement that could not be read.
    id: Option<&'a str>,
    path: &'a str,
    /// A [`crate::finding::Verdict`], or [`INVALID`].
    verdict: &'static str,
    findings: Vec<FindingOut<'a>>,
    summary: Counts,
    /// Rounded: see [`Figures::rounded`]. `None` when invalid.
    figures: Option<Figures>,
    /// Why an invalid engagement could not be judged; empty otherwise.
    diagnostics: Vec<DiagnosticOut<'a>>,
    /// The config file that judged it, from the current folder; `None`
    /// for the built-in defaults.
    config: Option<&'a str>,
    /// Findings a waiver accepts (waivers.yaml): not in `findings`, not
    /// counted; left out when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    waived: Vec<WaivedOut<'a>>,
}

#[derive(Serialize)]
struct WaivedOut<'a> {
    #[serde(flatten)]
    finding: FindingOut<'a>,
    waiver: WaiverOut<'a>,
}

/// A waiver's fields, as written in waivers.yaml.
#[derive(Serialize)]
struct WaiverOut<'a> {
    finding: &'a str,
    reason: &'a str,
    by: &'a str,
    until: String,
    date: Option<String>,
    file: &'a str,
    line: u32,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    code: &'a str,
    severity: crate::finding::Severity,
    item: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    message: &'a str,
    help: Option<&'a str>,
    fingerprint: String,
}

pub fn render(evaluations: &[Evaluation<'_>], unjudged: Unjudged<'_>) -> String {
    let mut engagements: Vec<EngagementOut<'_>> = evaluations
        .iter()
        .map(|ev| {
            let e = ev.engagement();
            EngagementOut {
                id: Some(e.id()),
                path: &e.dir,
                verdict: ev.verdict.as_str(),
                findings: ev.findings.iter().map(|f| finding_out(f, e.id())).collect(),
                summary: ev.counts,
                figures: Some(ev.analysis.figures.rounded()),
                diagnostics: Vec::new(),
                config: ev.config.path.as_deref(),
                waived: ev
                    .waived
                    .iter()
                    .map(|w| WaivedOut {
                        finding: finding_out(&w.finding, e.id()),
                        waiver: WaiverOut {
                            finding: &w.waiver.finding,
                            reason: &w.waiver.reason,
                            by: &w.waiver.by,
                            until: w.waiver.until.value.to_string(),
                            date: w.waiver.date.map(|d| d.to_string()),
                            file: &w.waiver.loc.file,
                            line: w.waiver.loc.pos.line,
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    engagements.extend(unjudged.invalid.iter().map(|i| EngagementOut {
        id: None,
        path: &i.dir,
        verdict: INVALID,
        findings: Vec::new(),
        summary: Counts::default(),
        figures: None,
        diagnostics: i.diagnostics.iter().map(DiagnosticOut::new).collect(),
        config: i.config.as_deref(),
        waived: Vec::new(),
    }));
    // Judged or not, in the order of their folders.
    engagements.sort_by(|a, b| a.path.cmp(b.path));
    let doc = Document {
        schema: SCHEMA,
        engagements,
        diagnostics: unjudged.general.iter().map(DiagnosticOut::new).collect(),
    };
    crate::output::json_text(&doc)
}

fn finding_out<'a>(f: &'a crate::finding::Finding, engagement: &str) -> FindingOut<'a> {
    FindingOut {
        code: f.code.as_str(),
        severity: f.severity,
        item: &f.item,
        file: &f.loc.file,
        line: f.loc.pos.line,
        column: f.loc.pos.column,
        message: &f.message,
        help: f.help.as_deref(),
        fingerprint: f.fingerprint(engagement),
    }
}
