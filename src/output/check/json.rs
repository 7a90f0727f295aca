//! `handoff check --format json`: the `handoff-check/1` contract
//! (docs/json.md). Field names and meanings never change within a version.

use serde::Serialize;

use crate::analysis::Figures;
use crate::evaluate::Evaluation;
use crate::finding::{Counts, Verdict};
use crate::format::round;

pub const SCHEMA: &str = "handoff-check/1";

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
    figures: FiguresOut,
}

/// Figures rounded so that float noise never reaches the contract:
/// ratios to 4 decimals, amounts to 2.
#[derive(Debug, Serialize)]
pub struct FiguresOut {
    effort_sold: Option<f64>,
    effort_scoped: f64,
    effort_variance: Option<f64>,
    margin_sold: Option<f64>,
    margin_scoped: Option<f64>,
    margin_at_risk: Option<f64>,
    coverage: crate::analysis::CoverageCounts,
}

impl FiguresOut {
    pub fn new(f: &Figures) -> FiguresOut {
        FiguresOut {
            effort_sold: f.effort_sold.map(|x| round(x, 2)),
            effort_scoped: round(f.effort_scoped, 2),
            effort_variance: f.effort_variance.map(|x| round(x, 4)),
            margin_sold: f.margin_sold.map(|x| round(x, 4)),
            margin_scoped: f.margin_scoped.map(|x| round(x, 4)),
            margin_at_risk: f.margin_at_risk.map(|x| round(x, 2)),
            coverage: f.coverage,
        }
    }
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
                            code: f.code,
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
                    figures: FiguresOut::new(&ev.analysis.figures),
                }
            })
            .collect(),
    };
    crate::output::json_text(&doc)
}
