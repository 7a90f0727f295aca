//! The statistics page of `handoff site` (`stats.html`): the rows of
//! [`crate::stats`] by sales owner and by quarter, each with its total, and
//! bar charts of the share of roadmap and verbal promises. A printer only:
//! every number comes from [`crate::stats::compute`], the computation
//! `handoff stats` prints, run over what the site's audience may see.
//!
//! Which columns a reader gets follows the declarations: the share of
//! verbal promises needs `commitment`, which is internal; margins need the
//! cost rate; effort variance is left out of the customer site as a whole,
//! since whether a customer may see effort depends on each contract.

use super::Html;
use super::chart::{self, Bar, Scales, Step};
use crate::format::{percent, signed_percent};
use crate::model::audience::{Reader, View};
use crate::model::decl::{EFFORT, KindDecl, PROMISE};
use crate::stats::history::{At, HistoryStats, State};
use crate::stats::{By, ByCriticality, Stats, Tally};

/// What the page shows: one [`Stats`] per grouping, in page order, the
/// engagements left out (folder, first problem), and the gap burn-down.
#[derive(Debug)]
pub struct StatsPage<'a> {
    pub groupings: &'a [Stats],
    pub not_counted: Vec<(&'a str, &'a str)>,
    pub burndown: Burndown<'a>,
}

/// The gap burn-down: `handoff stats --history` over the site's folders.
#[derive(Debug)]
pub enum Burndown<'a> {
    /// Not in this copy: the customer's (the history counts every gap as
    /// committed, internal ones included, not what the customer may see).
    NotShown,
    /// There is no history to draw, and why (a sentence).
    Unavailable(String),
    Drawn(&'a HistoryStats),
}

/// Whether `reader` may see `key` of `kind`, from its declaration; a key
/// that is not declared is not shown (fail closed).
fn sees(reader: Reader, kind: &KindDecl, key: &str) -> bool {
    let view = View {
        reader,
        include_private: false,
    };
    kind.field(key).is_some_and(|f| view.may_see(f.audience))
}

/// One column of a table: its header and how a row fills it.
struct Column {
    header: &'static str,
    cell: fn(&Tally) -> String,
}

fn dash() -> String {
    "–".to_string()
}

/// `2 (40.0%)`: a count of promises and its pooled share.
fn count_share(count: usize, t: &Tally) -> String {
    match t.share_of_promises(count) {
        Some(s) => format!("{count} ({})", percent(s)),
        None => dash(),
    }
}

/// The columns of the first table: what was promised.
fn promise_columns(reader: Reader) -> Vec<Column> {
    let mut out = vec![
        Column {
            header: "engagements",
            cell: |t| t.engagements.to_string(),
        },
        Column {
            header: "promises",
            cell: |t| t.promises.to_string(),
        },
    ];
    if sees(reader, &PROMISE, "commitment") {
        out.push(Column {
            header: "verbal or side deal",
            cell: |t| count_share(t.verbal, t),
        });
    }
    out.extend([
        Column {
            header: "roadmap",
            cell: |t| count_share(t.roadmap, t),
        },
        Column {
            header: "custom",
            cell: |t| count_share(t.custom, t),
        },
        Column {
            header: "third party",
            cell: |t| count_share(t.third_party, t),
        },
        Column {
            header: "partial",
            cell: |t| count_share(t.partial, t),
        },
        Column {
            header: "exception",
            cell: |t| count_share(t.exception, t),
        },
        Column {
            header: "musts without acceptance",
            cell: |t| format!("{} of {}", t.musts_without_acceptance, t.musts),
        },
    ]);
    out
}

/// The columns of the second table: money, gaps and readiness.
fn figure_columns(reader: Reader) -> Vec<Column> {
    let mut out = Vec::new();
    if reader == Reader::Internal {
        out.push(Column {
            header: "effort sold → scoped",
            cell: |t| t.effort_variance.ratio().map_or_else(dash, signed_percent),
        });
    }
    if sees(reader, &EFFORT, "cost_rate") {
        out.push(Column {
            header: "margin sale → contract → scope",
            cell: |t| {
                [
                    t.margin_sold.ratio(),
                    t.margin_contracted.ratio(),
                    t.margin_scoped.ratio(),
                ]
                .map(|m| m.map_or_else(dash, percent))
                .join(" → ")
            },
        });
    }
    out.extend([
        Column {
            header: "open gaps blocker / critical / major / minor",
            cell: |t| {
                let g = t.open_gaps;
                format!("{}/{}/{}/{}", g.blocker, g.critical, g.major, g.minor)
            },
        },
        Column {
            header: "gaps not agreed",
            cell: |t| t.gaps_not_agreed.to_string(),
        },
        Column {
            header: "errors / warnings / infos per engagement",
            cell: |t| {
                [t.findings.errors, t.findings.warnings, t.findings.infos]
                    .map(|n| t.per_engagement(n).map_or_else(dash, |x| format!("{x:.1}")))
                    .join("/")
            },
        },
        Column {
            header: "ready",
            cell: |t| match t.ready_share() {
                Some(s) => format!("{} of {} ({})", t.ready, t.engagements, percent(s)),
                None => dash(),
            },
        },
    ]);
    out
}

/// What a row without a value is called, as in `handoff stats`.
const NOT_SET: &str = "(not set)";

/// The words and the ids of a grouping.
fn grouping(by: Option<By>) -> (&'static str, &'static str, &'static str) {
    match by {
        Some(By::SalesOwner) => ("By sales owner", "by-sales-owner", "sales owner"),
        Some(By::Quarter) => ("By quarter signed", "by-quarter", "quarter signed"),
        Some(By::Customer) => ("By customer", "by-customer", "customer"),
        Some(By::PromisedBy) => ("By who promised", "by-promised-by", "promised by"),
        Some(By::Tag) => ("By roadmap tag", "by-tag", "roadmap tag"),
        None => ("All engagements", "all", ""),
    }
}

/// The ids of the charts of a grouping (ids must be `'static`).
fn chart_ids(by: Option<By>) -> (&'static str, &'static str) {
    match by {
        Some(By::SalesOwner) => ("roadmap-by-sales-owner", "verbal-by-sales-owner"),
        Some(By::Quarter) => ("roadmap-by-quarter", "verbal-by-quarter"),
        Some(By::Customer) => ("roadmap-by-customer", "verbal-by-customer"),
        Some(By::PromisedBy) => ("roadmap-by-promised-by", "verbal-by-promised-by"),
        Some(By::Tag) => ("roadmap-by-tag", "verbal-by-tag"),
        None => ("roadmap-all", "verbal-all"),
    }
}

/// The `<main>` of the page.
pub fn main(h: &mut Html, reader: Reader, page: &StatsPage<'_>) {
    h.open("section", &[("aria-labelledby", "about")]);
    h.el("h2", &[("id", "about")], "About these figures");
    h.el(
        "p",
        &[],
        "The figures of handoff stats over every engagement of the site. Promises are the active ones; every share is pooled (the group's sums divided, not a mean of each engagement's share). Rows are whole engagements, so each engagement is in one row and the total counts it once.",
    );
    if reader == Reader::Customer {
        h.el(
            "p",
            &[],
            "This is the customer's copy: it shows what the customer may see of each engagement.",
        );
    }
    h.close();
    // Two tables per grouping rather than one: all the columns side by
    // side would not fit a screen or an A4 page.
    let promises = promise_columns(reader);
    let figures = figure_columns(reader);
    for stats in page.groupings {
        let (title, id, header) = grouping(stats.by);
        h.open("section", &[("aria-labelledby", id)]);
        h.el("h2", &[("id", id)], title);
        table(h, stats, "Promises", header, &promises);
        table(h, stats, "Gaps, findings and money", header, &figures);
        charts(h, reader, stats, header);
        h.close();
    }
    if !page.not_counted.is_empty() {
        h.open("section", &[("aria-labelledby", "not-counted")]);
        h.el("h2", &[("id", "not-counted")], "Cannot be evaluated");
        h.el(
            "p",
            &[],
            "These engagements cannot be evaluated, so no figure above counts them.",
        );
        h.open("table", &[]);
        h.open("thead", &[]).open("tr", &[]);
        h.el("th", &[("scope", "col")], "folder");
        h.el("th", &[("scope", "col")], "first problem");
        h.close().close();
        h.open("tbody", &[]);
        for (dir, problem) in &page.not_counted {
            h.open("tr", &[]);
            h.el("th", &[("scope", "row")], dir);
            h.el("td", &[("class", "problem")], problem);
            h.close();
        }
        h.close().close().close();
    }
    burndown(h, &page.burndown);
}

/// The rows of a grouping, as its table and its charts show them: each
/// group by its key, then the total.
fn rows(stats: &Stats) -> impl Iterator<Item = (&str, &Tally)> {
    stats
        .groups
        .iter()
        .map(|g| (g.key.as_deref().unwrap_or(NOT_SET), &g.tally))
        .chain([("Total", &stats.total)])
}

fn table(h: &mut Html, stats: &Stats, caption: &str, header: &str, columns: &[Column]) {
    h.open("table", &[("class", "stats")]);
    h.el("caption", &[], caption);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", "col")], header);
    for c in columns {
        h.el("th", &[("scope", "col"), ("class", "num")], c.header);
    }
    h.close().close();
    h.open("tbody", &[]);
    for (label, t) in rows(stats) {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], label);
        for c in columns {
            h.el("td", &[("class", "num")], &(c.cell)(t));
        }
        h.close();
    }
    h.close().close();
}

/// The share of roadmap promises (and of verbal ones, where the reader may
/// see `commitment`) per row, the total last.
fn charts(h: &mut Html, reader: Reader, stats: &Stats, header: &str) {
    let (roadmap_id, verbal_id) = chart_ids(stats.by);
    let bars = |count: fn(&Tally) -> usize| -> Vec<Bar> {
        rows(stats)
            .map(|(label, t)| {
                let n = count(t);
                let share = t.share_of_promises(n);
                Bar {
                    label: label.to_string(),
                    value: share.unwrap_or(0.0) * 100.0,
                    shown: match share {
                        Some(s) => format!("{n} of {} ({})", t.promises, percent(s)),
                        None => "no promises".to_string(),
                    },
                }
            })
            .collect()
    };
    chart::bars(
        h,
        roadmap_id,
        &format!("Share of roadmap promises by {header}"),
        [header, "roadmap promises"],
        &bars(|t| t.roadmap),
    );
    if sees(reader, &PROMISE, "commitment") {
        chart::bars(
            h,
            verbal_id,
            &format!("Share of verbal promises and side deals by {header}"),
            [header, "verbal promises and side deals"],
            &bars(|t| t.verbal),
        );
    }
}

/// The words for open gaps by criticality: `0/1/0/2`.
fn by_criticality(g: ByCriticality) -> String {
    format!("{}/{}/{}/{}", g.blocker, g.critical, g.major, g.minor)
}

/// A date and commit as the burn-down's tables show them.
fn when(at: &At) -> [String; 2] {
    [at.date.to_string(), at.short.clone()]
}

/// The gap burn-down: the portfolio's open gaps after each commit that
/// changed an engagement, then each engagement's. Every chart spans the
/// same dates, and the engagements share one height scale, so their
/// slopes compare.
fn burndown(h: &mut Html, burndown: &Burndown<'_>) {
    let history = match burndown {
        Burndown::NotShown => return,
        Burndown::Unavailable(why) => {
            h.open("section", &[("aria-labelledby", "burndown")]);
            h.el("h2", &[("id", "burndown")], "Gap burn-down");
            h.el("p", &[("class", "empty")], why);
            h.close();
            return;
        }
        Burndown::Drawn(history) => history,
    };
    h.open(
        "section",
        &[("aria-labelledby", "burndown"), ("id", "burndown-charts")],
    );
    h.el("h2", &[("id", "burndown")], "Gap burn-down");
    h.el(
        "p",
        &[],
        &format!(
            "Open gaps after each commit that changed an engagement, as handoff stats --history reads them: the committed files of the current branch's first-parent history, judged with today's date ({}), dates of commits in UTC, time drawn to scale. Each line holds its value until the next change; it breaks where the engagement could not be read and ends where its folder went. {} commits read{}.",
            history.today,
            history.commits,
            if history.truncated {
                ", the most recent only"
            } else {
                ""
            }
        ),
    );
    let (Some(first), Some(last)) = (history.trend.first(), history.trend.last()) else {
        h.el(
            "p",
            &[("class", "empty")],
            "No engagement under these folders is in a commit yet, so there is no history to draw.",
        );
        h.close();
        return;
    };
    let portfolio_max = history
        .trend
        .iter()
        .map(|p| p.open_gaps.total())
        .max()
        .unwrap_or(0);
    let scales = |max| Scales {
        from: first.at.date,
        to: last.at.date,
        max,
    };
    let points: Vec<Step> = history
        .trend
        .iter()
        .map(|p| Step {
            date: p.at.date,
            value: Some(p.open_gaps.total()),
        })
        .collect();
    let summary: Vec<String> = history
        .trend
        .iter()
        .map(|p| format!("{}: {}", p.at.date, p.open_gaps.total()))
        .collect();
    chart::steps(
        h,
        "burndown-portfolio",
        "Open gaps of the portfolio",
        &scales(portfolio_max),
        &points,
        &summary,
        |h| {
            let headers = [
                "commit",
                "open gaps blocker / critical / major / minor",
                "open gaps",
                "ready",
            ];
            let rows = history.trend.iter().map(|p| {
                let [date, commit] = when(&p.at);
                let cells = [
                    commit,
                    by_criticality(p.open_gaps),
                    p.open_gaps.total().to_string(),
                    format!("{} of {}", p.ready, p.engagements + p.invalid),
                ];
                (date, cells)
            });
            step_table(h, &headers, rows);
        },
    );
    // Every engagement on one scale: the largest number of open gaps any
    // of them had.
    let engagement_max = history
        .series
        .iter()
        .flat_map(|s| &s.steps)
        .filter_map(|(_, state)| state.snapshot())
        .map(|s| s.open_gaps.total())
        .max()
        .unwrap_or(0);
    for (i, series) in history.series.iter().enumerate() {
        let name = match series.latest() {
            Some(latest) => format!("{} ({})", latest.id, series.dir),
            None => series.dir.clone(),
        };
        let points: Vec<Step> = series
            .steps
            .iter()
            .map(|(at, state)| Step {
                date: at.date,
                value: state.snapshot().map(|s| s.open_gaps.total()),
            })
            .collect();
        let summary: Vec<String> = series
            .steps
            .iter()
            .map(|(at, state)| format!("{}: {}", at.date, open_or_verdict(state)))
            .collect();
        chart::steps(
            h,
            &format!("burndown-{i}"),
            &format!("Open gaps of {name}"),
            &scales(engagement_max),
            &points,
            &summary,
            |h| {
                let headers = [
                    "commit",
                    "verdict",
                    "open gaps blocker / critical / major / minor",
                    "open gaps",
                ];
                let rows = series.steps.iter().map(|(at, state)| {
                    let [date, commit] = when(at);
                    let snapshot = state.snapshot();
                    let cells = [
                        commit,
                        verdict_words(state),
                        snapshot.map_or_else(dash, |s| by_criticality(s.open_gaps)),
                        snapshot.map_or_else(dash, |s| s.open_gaps.total().to_string()),
                    ];
                    (date, cells)
                });
                step_table(h, &headers, rows);
            },
        );
    }
    h.close();
}

/// What a step of an engagement shows in words.
fn verdict_words(state: &State) -> String {
    match state {
        State::Judged(s) => s.verdict.as_str().replace('_', " "),
        State::Invalid => "cannot be evaluated".to_string(),
        State::Gone => "gone".to_string(),
    }
}

fn open_or_verdict(state: &State) -> String {
    match state.snapshot() {
        Some(s) => format!("{} open", s.open_gaps.total()),
        None => verdict_words(state),
    }
}

/// The table beneath a burn-down chart: a row per point, the date first.
fn step_table<const N: usize>(
    h: &mut Html,
    headers: &[&str; N],
    rows: impl Iterator<Item = (String, [String; N])>,
) {
    h.open("table", &[]);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", "col")], "date");
    for header in headers {
        h.el("th", &[("scope", "col")], header);
    }
    h.close().close();
    h.open("tbody", &[]);
    for (date, cells) in rows {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row"), ("class", "nowrap")], &date);
        for cell in &cells {
            h.el("td", &[], cell);
        }
        h.close();
    }
    h.close().close();
}
