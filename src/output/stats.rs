//! `handoff stats`: the rows of [`crate::stats`] as a terminal table, the
//! `handoff-stats/1` JSON document or CSV (both contracts in
//! docs/stats.md). Printers only: every number is computed in `stats`.

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::finding::Counts;
use crate::format::{number, percent, round};
use crate::output::check::json::DiagnosticOut;
use crate::stats::{By, ByCriticality, Group, Stats, Tally};
use crate::workspace::Invalid;

pub const SCHEMA: &str = "handoff-stats/1";

/// What a row without a value is called in the table.
const NOT_SET: &str = "(not set)";

fn heading(by: Option<By>) -> &'static str {
    let Some(by) = by else { return "" };
    match by {
        By::PromisedBy => "Promised by",
        By::SalesOwner => "Sales owner",
        By::Customer => "Customer",
        By::Quarter => "Quarter signed",
        By::Tag => "Roadmap tag",
    }
}

fn share(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), percent)
}

fn count_share(count: usize, of: Option<f64>) -> String {
    match of {
        Some(s) if count > 0 => format!("{count} ({})", percent(s)),
        Some(_) => "0".to_string(),
        None => "–".to_string(),
    }
}

fn per(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.1}"))
}

fn table_row(label: &str, t: &Tally, by: Option<By>) -> Vec<String> {
    let margin = [
        t.margin_sold.ratio(),
        t.margin_contracted.ratio(),
        t.margin_scoped.ratio(),
    ]
    .map(share)
    .join(" → ");
    let g = t.open_gaps;
    let mut row = vec![
        label.to_string(),
        t.engagements.to_string(),
        t.promises.to_string(),
        count_share(t.verbal, t.share_of_promises(t.verbal)),
        count_share(t.roadmap, t.share_of_promises(t.roadmap)),
        count_share(t.custom, t.share_of_promises(t.custom)),
        count_share(t.third_party, t.share_of_promises(t.third_party)),
        count_share(t.partial, t.share_of_promises(t.partial)),
        count_share(t.exception, t.share_of_promises(t.exception)),
        format!("{} of {}", t.musts_without_acceptance, t.musts),
        t.effort_variance
            .ratio()
            .map_or_else(|| "–".to_string(), crate::format::signed_percent),
        margin,
        format!("{}/{}/{}/{}", g.blocker, g.critical, g.major, g.minor),
        t.gaps_not_agreed.to_string(),
        [
            t.per_engagement(t.findings.errors),
            t.per_engagement(t.findings.warnings),
            t.per_engagement(t.findings.infos),
        ]
        .map(per)
        .join("/"),
        format!(
            "{} of {} ({})",
            t.ready,
            t.engagements,
            share(t.ready_share())
        ),
    ];
    if by == Some(By::Tag) {
        row.push(number(t.promised_effort));
        row.push(t.customers.iter().cloned().collect::<Vec<_>>().join(", "));
    }
    row
}

/// The rows as a table, the total last, then the folders not counted.
pub fn render_table(stats: &Stats, invalid: &[Invalid]) -> String {
    let mut headers: Vec<&str> = vec![
        heading(stats.by),
        "Eng.",
        "Promises",
        "Verbal/side",
        "Roadmap",
        "Custom",
        "3rd party",
        "Partial",
        "Exception",
        "Musts w/o acceptance",
        "Effort sold→scoped",
        "Margin sale → contract → scope",
        "Open gaps B/C/M/m",
        "Not agreed",
        "Findings/eng. E/W/I",
        "Ready",
    ];
    if stats.by == Some(By::Tag) {
        headers.extend(["Sold effort (days)", "Customers"]);
    }
    let mut t = Table::new();
    // Every column, however wide: a pipe or a file gets the same table
    // whatever window it was run from.
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(headers);
    for g in &stats.groups {
        t.add_row(table_row(
            g.key.as_deref().unwrap_or(NOT_SET),
            &g.tally,
            stats.by,
        ));
    }
    t.add_row(table_row("Total", &stats.total, stats.by));
    let mut out = format!("{t}\n");
    if stats.by.is_some_and(By::per_promise) {
        out.push_str(
            "Rows count promises and the gaps recorded against them; an engagement is in every row it has a promise in, the total counts it once.\n",
        );
    }
    if !invalid.is_empty() {
        let dirs: Vec<&str> = invalid.iter().map(|i| i.dir.as_str()).collect();
        out.push_str(&format!(
            "Not counted (could not be read): {}\n",
            dirs.join(", ")
        ));
    }
    out
}

/// A ratio as the contracts carry it: 4 decimals.
pub(super) fn ratio(x: Option<f64>) -> Option<f64> {
    x.map(|x| round(x, 4))
}

#[derive(Serialize)]
struct PromiseCounts {
    verbal_or_side_deal: usize,
    roadmap: usize,
    custom: usize,
    third_party: usize,
    partial: usize,
    exception: usize,
}

#[derive(Serialize)]
struct PromiseShares {
    verbal_or_side_deal: Option<f64>,
    roadmap: Option<f64>,
    custom: Option<f64>,
    third_party: Option<f64>,
    partial: Option<f64>,
    exception: Option<f64>,
}

#[derive(Serialize)]
struct Margins {
    sold: Option<f64>,
    contracted: Option<f64>,
    scoped: Option<f64>,
}

/// Open gaps by criticality, as both contracts (`handoff-stats/1` and
/// `handoff-stats-history/1`) write them.
#[derive(Serialize)]
pub(super) struct OpenGaps {
    blocker: usize,
    critical: usize,
    major: usize,
    minor: usize,
}

impl From<ByCriticality> for OpenGaps {
    fn from(g: ByCriticality) -> OpenGaps {
        OpenGaps {
            blocker: g.blocker,
            critical: g.critical,
            major: g.major,
            minor: g.minor,
        }
    }
}

#[derive(Serialize)]
struct PerEngagement {
    errors: Option<f64>,
    warnings: Option<f64>,
    infos: Option<f64>,
}

#[derive(Serialize)]
struct RowOut {
    engagements: usize,
    promises: usize,
    counts: PromiseCounts,
    shares: PromiseShares,
    musts: usize,
    musts_without_acceptance: usize,
    promised_effort_days: f64,
    effort_variance: Option<f64>,
    margin: Margins,
    open_gaps: OpenGaps,
    gaps_not_agreed: usize,
    findings: Counts,
    findings_per_engagement: PerEngagement,
    ready: usize,
    ready_share: Option<f64>,
    customers: Vec<String>,
}

impl RowOut {
    fn new(t: &Tally) -> RowOut {
        let s = |n| ratio(t.share_of_promises(n));
        let per = |n| t.per_engagement(n).map(|x| round(x, 2));
        RowOut {
            engagements: t.engagements,
            promises: t.promises,
            counts: PromiseCounts {
                verbal_or_side_deal: t.verbal,
                roadmap: t.roadmap,
                custom: t.custom,
                third_party: t.third_party,
                partial: t.partial,
                exception: t.exception,
            },
            shares: PromiseShares {
                verbal_or_side_deal: s(t.verbal),
                roadmap: s(t.roadmap),
                custom: s(t.custom),
                third_party: s(t.third_party),
                partial: s(t.partial),
                exception: s(t.exception),
            },
            musts: t.musts,
            musts_without_acceptance: t.musts_without_acceptance,
            promised_effort_days: round(t.promised_effort, 2),
            effort_variance: ratio(t.effort_variance.ratio()),
            margin: Margins {
                sold: ratio(t.margin_sold.ratio()),
                contracted: ratio(t.margin_contracted.ratio()),
                scoped: ratio(t.margin_scoped.ratio()),
            },
            open_gaps: t.open_gaps.into(),
            gaps_not_agreed: t.gaps_not_agreed,
            findings: t.findings,
            findings_per_engagement: PerEngagement {
                errors: per(t.findings.errors),
                warnings: per(t.findings.warnings),
                infos: per(t.findings.infos),
            },
            ready: t.ready,
            ready_share: ratio(t.ready_share()),
            customers: t.customers.iter().cloned().collect(),
        }
    }
}

#[derive(Serialize)]
struct GroupOut {
    key: Option<String>,
    #[serde(flatten)]
    row: RowOut,
}

#[derive(Serialize)]
struct InvalidOut<'a> {
    path: &'a str,
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    by: Option<&'static str>,
    groups: Vec<GroupOut>,
    total: RowOut,
    /// Engagements that could not be read, so not counted.
    invalid: Vec<InvalidOut<'a>>,
    /// Problems that belong to no engagement.
    diagnostics: Vec<DiagnosticOut<'a>>,
}

pub fn render_json(stats: &Stats, invalid: &[Invalid], general: &[Diagnostic]) -> String {
    let doc = Document {
        schema: SCHEMA,
        by: stats.by.map(By::as_str),
        groups: stats
            .groups
            .iter()
            .map(|Group { key, tally }| GroupOut {
                key: key.clone(),
                row: RowOut::new(tally),
            })
            .collect(),
        total: RowOut::new(&stats.total),
        invalid: invalid
            .iter()
            .map(|i| InvalidOut {
                path: &i.dir,
                diagnostics: i.diagnostics.iter().map(DiagnosticOut::new).collect(),
            })
            .collect(),
        diagnostics: general.iter().map(DiagnosticOut::new).collect(),
    };
    crate::output::json_text(&doc)
}

/// The CSV columns, in order: the contract of docs/stats.md.
pub const CSV_COLUMNS: &[&str] = &[
    "schema",
    "by",
    "row",
    "key",
    "engagements",
    "promises",
    "verbal_or_side_deal",
    "verbal_or_side_deal_share",
    "roadmap",
    "roadmap_share",
    "custom",
    "custom_share",
    "third_party",
    "third_party_share",
    "partial",
    "partial_share",
    "exception",
    "exception_share",
    "musts",
    "musts_without_acceptance",
    "promised_effort_days",
    "effort_variance",
    "margin_sold",
    "margin_contracted",
    "margin_scoped",
    "open_blocker",
    "open_critical",
    "open_major",
    "open_minor",
    "gaps_not_agreed",
    "errors",
    "warnings",
    "infos",
    "errors_per_engagement",
    "warnings_per_engagement",
    "infos_per_engagement",
    "ready",
    "ready_share",
    "customers",
];

/// One CSV cell: quoted when it holds a separator, a quote or a line
/// break; text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
/// first) gets a leading `'`, since the names come from the files.
pub fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// A number cell: empty when there is none.
fn num(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| (x + 0.0).to_string())
}

fn csv_row(by: Option<By>, row: &str, key: Option<&str>, t: &Tally) -> String {
    let s = |n| num(ratio(t.share_of_promises(n)));
    let per = |n| num(t.per_engagement(n).map(|x| round(x, 2)));
    let cells: Vec<String> = vec![
        SCHEMA.to_string(),
        by.map_or("", By::as_str).to_string(),
        row.to_string(),
        key.map(csv_cell).unwrap_or_default(),
        t.engagements.to_string(),
        t.promises.to_string(),
        t.verbal.to_string(),
        s(t.verbal),
        t.roadmap.to_string(),
        s(t.roadmap),
        t.custom.to_string(),
        s(t.custom),
        t.third_party.to_string(),
        s(t.third_party),
        t.partial.to_string(),
        s(t.partial),
        t.exception.to_string(),
        s(t.exception),
        t.musts.to_string(),
        t.musts_without_acceptance.to_string(),
        num(Some(round(t.promised_effort, 2))),
        num(ratio(t.effort_variance.ratio())),
        num(ratio(t.margin_sold.ratio())),
        num(ratio(t.margin_contracted.ratio())),
        num(ratio(t.margin_scoped.ratio())),
        t.open_gaps.blocker.to_string(),
        t.open_gaps.critical.to_string(),
        t.open_gaps.major.to_string(),
        t.open_gaps.minor.to_string(),
        t.gaps_not_agreed.to_string(),
        t.findings.errors.to_string(),
        t.findings.warnings.to_string(),
        t.findings.infos.to_string(),
        per(t.findings.errors),
        per(t.findings.warnings),
        per(t.findings.infos),
        t.ready.to_string(),
        num(ratio(t.ready_share())),
        csv_cell(&t.customers.iter().cloned().collect::<Vec<_>>().join("; ")),
    ];
    format!("{}\n", cells.join(","))
}

/// A header line, one line per row, then the total (`row` = `total`).
pub fn render_csv(stats: &Stats) -> String {
    let mut out = format!("{}\n", CSV_COLUMNS.join(","));
    for g in &stats.groups {
        out.push_str(&csv_row(stats.by, "group", g.key.as_deref(), &g.tally));
    }
    out.push_str(&csv_row(stats.by, "total", None, &stats.total));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_run_as_formulas() {
        assert_eq!(csv_cell("Ann Lee"), "Ann Lee");
        assert_eq!(csv_cell("Lee, Ann"), "\"Lee, Ann\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
    }
}
