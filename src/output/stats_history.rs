//! `handoff stats --history`: the series of [`crate::stats::history`] as
//! terminal tables, the `handoff-stats-history/1` JSON document or CSV
//! (both contracts in docs/stats.md). Printers only.

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::analysis::CoverageCounts;
use crate::date::Date;
use crate::output::check::json::INVALID;
use crate::output::stats::{OpenGaps, csv_cell, ratio};
use crate::stats::ByCriticality;
use crate::stats::history::{At, HistoryStats, Series, State};

pub const SCHEMA: &str = "handoff-stats-history/1";

/// The verdict of a folder that is no longer an engagement.
const GONE: &str = "gone";

fn verdict(state: &State) -> &'static str {
    match state {
        State::Judged(s) => s.verdict.as_str(),
        State::Invalid => INVALID,
        State::Gone => GONE,
    }
}

fn gaps(g: ByCriticality) -> String {
    format!("{}/{}/{}/{}", g.blocker, g.critical, g.major, g.minor)
}

fn or_dash(x: Option<String>) -> String {
    x.unwrap_or_else(|| "–".to_string())
}

/// Two tables: each engagement (when it became ready), then the
/// portfolio's open gaps after each commit that changed an engagement.
pub fn render_table(stats: &HistoryStats) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec![
            "Engagement",
            "Path",
            "Versions",
            "First seen",
            "Verdict now",
            "Open gaps B/C/M/m",
            "Signed",
            "Ready on",
            "Days to ready",
        ]);
    for s in &stats.series {
        let latest = s.latest();
        let now = s.steps.last().map(|(_, state)| state);
        t.add_row(vec![
            or_dash(latest.map(|l| l.id.clone())),
            s.dir.clone(),
            s.steps.len().to_string(),
            or_dash(s.steps.first().map(|(at, _)| at.date.to_string())),
            now.map_or("–", verdict).replace('_', " "),
            or_dash(now.and_then(State::snapshot).map(|l| gaps(l.open_gaps))),
            or_dash(latest.and_then(|l| l.signed_on).map(|d| d.to_string())),
            or_dash(s.ready().map(|at| format!("{} ({})", at.date, at.short))),
            or_dash(s.days_to_ready().map(|d| d.to_string())),
        ]);
    }
    let mut trend = Table::new();
    trend
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["Date", "Commit", "Open gaps B/C/M/m", "Open", "Ready"]);
    for p in &stats.trend {
        trend.add_row(vec![
            p.at.date.to_string(),
            p.at.short.clone(),
            gaps(p.open_gaps),
            p.open_gaps.total().to_string(),
            format!("{} of {}", p.ready, p.engagements + p.invalid),
        ]);
    }
    format!(
        "{t}\nOpen gaps of the portfolio after each commit that changed an engagement:\n{trend}\n{} commits read, {} distinct versions judged (today: {}).\n",
        stats.commits, stats.judged, stats.today
    )
}

#[derive(Serialize)]
struct StepOut<'a> {
    commit: &'a str,
    date: Date,
    summary: &'a str,
    verdict: &'static str,
    id: Option<&'a str>,
    open_gaps: Option<OpenGaps>,
    coverage: Option<CoverageCounts>,
    effort_variance: Option<f64>,
    margin_scoped: Option<f64>,
}

impl<'a> StepOut<'a> {
    fn new(at: &'a At, state: &'a State) -> StepOut<'a> {
        let s = state.snapshot();
        StepOut {
            commit: &at.commit,
            date: at.date,
            summary: &at.summary,
            verdict: verdict(state),
            id: s.map(|s| s.id.as_str()),
            open_gaps: s.map(|s| s.open_gaps.into()),
            coverage: s.map(|s| s.coverage),
            effort_variance: ratio(s.and_then(|s| s.effort_variance)),
            margin_scoped: ratio(s.and_then(|s| s.margin_scoped)),
        }
    }
}

#[derive(Serialize)]
struct EngagementOut<'a> {
    path: &'a str,
    id: Option<&'a str>,
    signed_on: Option<Date>,
    ready_on: Option<Date>,
    ready_commit: Option<&'a str>,
    days_to_ready: Option<i64>,
    series: Vec<StepOut<'a>>,
}

impl<'a> EngagementOut<'a> {
    fn new(s: &'a Series) -> EngagementOut<'a> {
        let latest = s.latest();
        EngagementOut {
            path: &s.dir,
            id: latest.map(|l| l.id.as_str()),
            signed_on: latest.and_then(|l| l.signed_on),
            ready_on: s.ready().map(|at| at.date),
            ready_commit: s.ready().map(|at| at.commit.as_str()),
            days_to_ready: s.days_to_ready(),
            series: s
                .steps
                .iter()
                .map(|(at, state)| StepOut::new(at, state))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct TrendOut<'a> {
    commit: &'a str,
    date: Date,
    open_gaps: OpenGaps,
    open_gaps_total: usize,
    engagements: usize,
    ready: usize,
    invalid: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    today: Date,
    commits: usize,
    truncated: bool,
    judged: usize,
    engagements: Vec<EngagementOut<'a>>,
    trend: Vec<TrendOut<'a>>,
}

pub fn render_json(stats: &HistoryStats) -> String {
    let doc = Document {
        schema: SCHEMA,
        today: stats.today,
        commits: stats.commits,
        truncated: stats.truncated,
        judged: stats.judged,
        engagements: stats.series.iter().map(EngagementOut::new).collect(),
        trend: stats
            .trend
            .iter()
            .map(|p| TrendOut {
                commit: &p.at.commit,
                date: p.at.date,
                open_gaps: p.open_gaps.into(),
                open_gaps_total: p.open_gaps.total(),
                engagements: p.engagements,
                ready: p.ready,
                invalid: p.invalid,
            })
            .collect(),
    };
    crate::output::json_text(&doc)
}

/// The CSV columns, in order: the contract of docs/stats.md.
pub const CSV_COLUMNS: &[&str] = &[
    "schema",
    "path",
    "id",
    "commit",
    "date",
    "verdict",
    "open_blocker",
    "open_critical",
    "open_major",
    "open_minor",
    "covered",
    "partial",
    "unscoped",
    "n_a",
    "effort_variance",
    "margin_scoped",
    "signed_on",
    "ready_on",
    "days_to_ready",
];

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// One line per engagement and commit that changed it.
pub fn render_csv(stats: &HistoryStats) -> String {
    let mut out = format!("{}\n", CSV_COLUMNS.join(","));
    for s in &stats.series {
        let latest = s.latest();
        for (at, state) in &s.steps {
            let snap = state.snapshot();
            let g = snap.map(|s| s.open_gaps);
            let c = snap.map(|s| s.coverage);
            let cells = [
                SCHEMA.to_string(),
                csv_cell(&s.dir),
                snap.map(|s| csv_cell(&s.id)).unwrap_or_default(),
                at.commit.clone(),
                at.date.to_string(),
                verdict(state).to_string(),
                opt(g.map(|g| g.blocker)),
                opt(g.map(|g| g.critical)),
                opt(g.map(|g| g.major)),
                opt(g.map(|g| g.minor)),
                opt(c.map(|c| c.covered)),
                opt(c.map(|c| c.partial)),
                opt(c.map(|c| c.unscoped)),
                opt(c.map(|c| c.n_a)),
                opt(ratio(snap.and_then(|s| s.effort_variance))),
                opt(ratio(snap.and_then(|s| s.margin_scoped))),
                opt(latest.and_then(|l| l.signed_on)),
                opt(s.ready().map(|at| at.date)),
                opt(s.days_to_ready()),
            ];
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}
