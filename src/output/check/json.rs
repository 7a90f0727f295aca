//! `handoff check --format json`: the `handoff-check/2` contract
//! (docs/json.md). Field names and meanings never change within a version.

use serde::Serialize;

use crate::analysis::Figures;
use crate::evaluate::Evaluation;
use crate::finding::{Counts, Verdict};

pub const SCHEMA: &str = "handoff-check/2";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    engagements: Vec<EngagementOut<'a>>,
}

#[derive(Serialize)]
struct EngagementOut<'a> {
    id: &'a str,
    path: &'a str,
    verdict: Verdict,
    findings: Vec<FindingOut<'a>>,
    summary: Counts,
    /// Rounded: see [`Figures::rounded`].
    figures: Figures,
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

pub fn render(evaluations: &[Evaluation<'_>]) -> String {
    let doc = Document {
        schema: SCHEMA,
        engagements: evaluations
            .iter()
            .map(|ev| {
                let e = ev.engagement();
                EngagementOut {
                    id: e.id(),
                    path: &e.dir,
                    verdict: ev.verdict,
                    findings: ev
                        .findings
                        .iter()
                        .map(|f| FindingOut {
                            code: f.code.as_str(),
                            severity: f.severity,
                            item: &f.item,
                            file: &f.loc.file,
                            line: f.loc.pos.line,
                            column: f.loc.pos.column,
                            message: &f.message,
                            help: f.help.as_deref(),
                            fingerprint: f.fingerprint(e.id()),
                        })
                        .collect(),
                    summary: ev.counts,
                    figures: ev.analysis.figures.rounded(),
                }
            })
            .collect(),
    };
    crate::output::json_text(&doc)
}
