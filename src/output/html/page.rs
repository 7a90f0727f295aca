//! The page of one engagement: `report --format html`, and each
//! engagement's page of the site. Built from the [`Report`] of what the
//! audience may see (the audience filter ran before), so a field the
//! declarations keep from the customer cannot reach this page.

use super::chart::{self, Bar, Series};
use super::{Html, head};
use crate::analysis::Coverage;
use crate::date::Date;
use crate::finding::{Severity, Verdict};
use crate::format::{money, number, percent};
use crate::model::audience::{Reader, Shown};
use crate::model::{Priority, Vocab};
use crate::output::report::{GAP_COLUMNS, PromiseRow, Report};
use crate::output::{counts_words, effort_line, gap_about, margin_line, pending_line};
use crate::signoff::{Freshness, changed_words, signer_name};

/// What the page says about where and when it was made.
#[derive(Debug, Clone)]
pub struct Made {
    /// The date the page was made (`--today`, else the clock).
    pub on: Date,
    /// The commit the engagement's files are exactly as, when they are.
    pub commit: Option<String>,
}

/// A link of the site's navigation: (relative address, words).
pub type NavLink = (String, String);

/// The generator named in the page, and in the marker of `-o`.
pub const GENERATOR: &str = "handoff report";

/// The verdict as a word, a symbol and a colour (never the colour alone).
pub fn verdict_badge(h: &mut Html, verdict: Option<Verdict>, extra: &'static str) {
    let (class, symbol, words) = match verdict {
        Some(Verdict::Ready) => ("verdict v-ready", "✔", "Ready"),
        Some(Verdict::ReadyWithWarnings) => ("verdict v-warn", "⚠", "Ready with warnings"),
        Some(Verdict::NotReady) => ("verdict v-not", "✖", "Not ready"),
        None => ("verdict v-invalid", "?", "Cannot be evaluated"),
    };
    let class = if extra.is_empty() {
        class.to_string()
    } else {
        format!("{class} {extra}")
    };
    h.open("span", &[("class", &class)]);
    h.el("span", &[("aria-hidden", "true")], symbol);
    h.text(" ").text(words);
    h.close();
}

pub fn audience_words(reader: Reader) -> &'static str {
    match reader {
        Reader::Customer => "customer (shareable with the customer)",
        Reader::Internal => "internal (the supplier's team; not for the customer)",
    }
}

pub fn title_of(r: &Report<'_>) -> String {
    let e = r.evaluation.engagement();
    match &e.handoff.name {
        Some(name) => format!("{} — {name}", e.id()),
        None => e.id().to_string(),
    }
}

/// The whole page of one engagement. `nav` links the site's other pages
/// (empty for a stand-alone report).
pub fn render(r: &Report<'_>, shown: &Shown, made: &Made, nav: &[NavLink]) -> String {
    let mut h = Html::new();
    let title = title_of(r);
    head(&mut h, &format!("{title} — handoff report"), GENERATOR);
    if !nav.is_empty() {
        h.open("nav", &[("aria-label", "Site")]).open("ul", &[]);
        for (link, words) in nav {
            h.open("li", &[]).el("a", &[("href", link)], words).close();
        }
        h.close().close();
    }
    h.open("header", &[]);
    h.el("h1", &[], &title);
    meta(&mut h, r, made);
    h.close();
    h.open("main", &[]);
    verdict(&mut h, r);
    figures(&mut h, r, shown);
    promises(&mut h, r);
    unsold(&mut h, r);
    gaps(&mut h, r);
    stakeholders(&mut h, r, shown);
    signoffs(&mut h, r);
    h.close();
    h.open("footer", &[]);
    h.el(
        "p",
        &[],
        &format!(
            "Made by handoff on {} from the engagement files; run it again rather than edit this page.",
            made.on
        ),
    );
    h.close();
    h.finish()
}

fn meta(h: &mut Html, r: &Report<'_>, made: &Made) {
    let e = r.evaluation.engagement();
    let mut line = |label: &str, value: &str| {
        h.open("p", &[("class", "meta")]);
        h.el("strong", &[], label).text(" ").text(value);
        h.close();
    };
    line("Audience:", audience_words(r.audience));
    line("Engagement:", &format!("{} ({})", e.id(), e.dir));
    if let Some(customer) = &e.handoff.customer_name {
        line("Customer:", customer);
    }
    match &made.commit {
        Some(commit) => line("Commit:", commit),
        None => line(
            "Commit:",
            "none (the files differ from the last commit, or are not in git)",
        ),
    }
    line("Made on:", &made.on.to_string());
}

fn section_start(h: &mut Html, id: &'static str, title: &str) {
    h.open("section", &[("aria-labelledby", id)]);
    h.el("h2", &[("id", id)], title);
}

fn verdict(h: &mut Html, r: &Report<'_>) {
    let ev = r.evaluation;
    section_start(h, "verdict", "Verdict");
    h.open("p", &[]);
    verdict_badge(h, Some(ev.verdict), "big");
    h.text(" ").text(&counts_words(ev.counts));
    h.close();
    if r.audience == Reader::Customer {
        // The customer copy shows the verdict and counts; the reasons
        // are the team's working notes.
        h.close();
        return;
    }
    if ev.findings.is_empty() {
        h.el("p", &[("class", "empty")], "No findings.");
        h.close();
        return;
    }
    let mut findings: Vec<_> = ev.findings.iter().collect();
    findings.sort_by_key(|f| f.severity);
    h.open("table", &[]);
    h.el("caption", &[], "Findings, most severe first");
    header_row(
        h,
        &["severity", "rule", "item", "finding", "what to do"],
        &[],
    );
    h.open("tbody", &[]);
    for f in findings {
        h.open("tr", &[]);
        let sev = match f.severity {
            Severity::Error => "✖ error",
            Severity::Warning => "⚠ warning",
            Severity::Info => "ℹ info",
        };
        h.el("td", &[], sev);
        h.open("td", &[]).el("code", &[], f.code.as_str()).close();
        h.el("td", &[], &f.item);
        h.el("td", &[], &f.message);
        h.el("td", &[], f.help.as_deref().unwrap_or("-"));
        h.close();
    }
    h.close().close();
    h.close();
}

/// `<thead>` with one row of column headers; the indexes in `numeric` are
/// right-aligned.
fn header_row(h: &mut Html, headers: &[&str], numeric: &[usize]) {
    h.open("thead", &[]).open("tr", &[]);
    for (i, name) in headers.iter().enumerate() {
        if numeric.contains(&i) {
            h.el("th", &[("scope", "col"), ("class", "num")], name);
        } else {
            h.el("th", &[("scope", "col")], name);
        }
    }
    h.close().close();
}

fn figures(h: &mut Html, r: &Report<'_>, shown: &Shown) {
    let ev = r.evaluation;
    let e = ev.engagement();
    let f = &ev.analysis.figures;
    section_start(h, "figures", "Figures");
    h.open("dl", &[("class", "totals")]);
    let mut item = |label: &str, value: &str| {
        h.open("div", &[]);
        h.el("dt", &[], label);
        h.el("dd", &[("class", "plain")], value);
        h.close();
    };
    if r.shows_effort {
        item("Effort", &effort_line(e, f));
    }
    if shown.shows_margins()
        && let Some(margin) = margin_line(e, f)
    {
        item("Margin", &margin);
    }
    if r.shows_effort
        && let Some(pending) = pending_line(e, f)
    {
        item("Changes", &pending);
    }
    item("Promises", &crate::output::coverage_line(f));
    h.close();

    // Coverage of promises by priority.
    let priorities = [
        Priority::Must,
        Priority::Should,
        Priority::Could,
        Priority::Wont,
    ];
    let coverages = [
        Coverage::Covered,
        Coverage::Partial,
        Coverage::Unscoped,
        Coverage::NotApplicable,
    ];
    let counts: Vec<Vec<usize>> = priorities
        .iter()
        .map(|p| {
            coverages
                .iter()
                .map(|c| {
                    r.promises
                        .iter()
                        .filter(|row| row.priority == p.as_str() && row.coverage == *c)
                        .count()
                })
                .collect()
        })
        .collect();
    let labels: Vec<&str> = priorities.iter().map(|p| p.words()).collect();
    chart::stacked(
        h,
        "chart-coverage",
        "Promises by priority and coverage",
        "priority",
        &labels,
        &[
            Series {
                name: "covered",
                fill: "#1e7b34",
            },
            Series {
                name: "partial",
                fill: "#a65800",
            },
            Series {
                name: "unscoped",
                fill: "#c0262d",
            },
            Series {
                name: "not applicable",
                fill: "#6b6b6b",
            },
        ],
        &counts,
    );
    if r.shows_effort {
        let unit = e.handoff.effort.unit_name();
        let mut bars = Vec::new();
        if let Some(sold) = f.effort_sold {
            bars.push(Bar {
                label: "at sale".into(),
                value: sold,
                shown: format!("{} {unit}", number(sold)),
            });
        }
        if let Some(c) = f.effort_contracted.filter(|_| f.contract_changed()) {
            bars.push(Bar {
                label: "contracted".into(),
                value: c,
                shown: format!("{} {unit}", number(c)),
            });
        }
        bars.push(Bar {
            label: "scoped".into(),
            value: f.effort_scoped,
            shown: format!("{} {unit}", number(f.effort_scoped)),
        });
        chart::bars(
            h,
            "chart-effort",
            &format!("Effort ({unit})"),
            ["effort", unit],
            &bars,
        );
    }
    if shown.shows_margins() {
        let mut bars = Vec::new();
        let mut add = |label: &str, m: Option<f64>| {
            if let Some(m) = m {
                bars.push(Bar {
                    label: label.into(),
                    value: m * 100.0,
                    shown: percent(m),
                });
            }
        };
        add("at sale", f.margin_sold);
        add(
            "contracted",
            f.margin_contracted.filter(|_| f.contract_changed()),
        );
        add("at scope", f.margin_scoped);
        if !bars.is_empty() {
            chart::bars(
                h,
                "chart-margin",
                "Margin (% of the price)",
                ["margin", "%"],
                &bars,
            );
            if let Some(risk) = f.margin_at_risk {
                h.el(
                    "p",
                    &[],
                    &format!(
                        "Money at risk: {}",
                        money(risk, e.handoff.contract.currency.as_deref())
                    ),
                );
            }
        }
    }
    h.close();
}

fn opt(x: Option<&str>) -> &str {
    x.unwrap_or("-")
}

fn scoped_cell(row: &PromiseRow) -> String {
    if row.gap_effort == 0.0 {
        return number(row.scoped_effort);
    }
    format!(
        "{} ({}{} from gaps)",
        number(row.scoped_effort),
        if row.gap_effort < 0.0 { "−" } else { "+" },
        number(row.gap_effort.abs())
    )
}

fn coverage_words(c: Coverage) -> &'static str {
    match c {
        Coverage::Covered => "✔ covered",
        Coverage::Partial => "◐ partial",
        Coverage::Unscoped => "✖ unscoped",
        Coverage::NotApplicable => "– not applicable",
    }
}

fn promises(h: &mut Html, r: &Report<'_>) {
    section_start(h, "promises", "Promises");
    if r.promises.is_empty() {
        h.el("p", &[("class", "empty")], "No promises recorded.");
        h.close();
        return;
    }
    let unit = r.evaluation.engagement().handoff.effort.unit_name();
    let sold = format!("sold ({unit})");
    let scoped = format!("scoped ({unit})");
    let mut headers = vec![
        "promise", "title", "priority", "response", "coverage", "scope",
    ];
    if r.shows_effort {
        headers.extend([sold.as_str(), scoped.as_str()]);
    }
    headers.push("gap");
    h.open("table", &[]);
    header_row(h, &headers, if r.shows_effort { &[6, 7] } else { &[] });
    h.open("tbody", &[]);
    for p in &r.promises {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], &p.id);
        h.el("td", &[], &p.title);
        h.el("td", &[], p.priority);
        h.el("td", &[], opt(p.response));
        h.el("td", &[], coverage_words(p.coverage));
        h.el(
            "td",
            &[],
            &if p.scope.is_empty() {
                "-".to_string()
            } else {
                p.scope.join(", ")
            },
        );
        if r.shows_effort {
            h.el(
                "td",
                &[("class", "num")],
                &p.sold_effort.map_or("-".into(), number),
            );
            h.el("td", &[("class", "num")], &scoped_cell(p));
        }
        let gap = match (&p.gap, p.gap_status) {
            (Some(id), Some(status)) => format!("{id} ({status})"),
            _ => "-".to_string(),
        };
        h.el("td", &[], &gap);
        h.close();
    }
    h.close().close();
    h.close();
}

fn unsold(h: &mut Html, r: &Report<'_>) {
    section_start(h, "unsold", "Unsold scope");
    if r.unsold.is_empty() {
        h.el(
            "p",
            &[("class", "empty")],
            "None: every scope item traces to a promise or is internal.",
        );
        h.close();
        return;
    }
    let unit = r.evaluation.engagement().handoff.effort.unit_name();
    let effort = format!("effort ({unit})");
    let mut headers = vec!["scope", "title"];
    if r.shows_effort {
        headers.push(&effort);
    }
    headers.push("gap");
    h.open("table", &[]);
    header_row(h, &headers, if r.shows_effort { &[2] } else { &[] });
    h.open("tbody", &[]);
    for u in &r.unsold {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], &u.id);
        h.el("td", &[], opt(u.title.as_deref()));
        if r.shows_effort {
            h.el("td", &[("class", "num")], &number(u.effort));
        }
        h.el("td", &[], opt(u.gap.as_deref()));
        h.close();
    }
    h.close().close();
    h.close();
}

fn gaps(h: &mut Html, r: &Report<'_>) {
    section_start(h, "gaps", "Gap register");
    if r.gaps.is_empty() {
        h.el("p", &[("class", "empty")], "No gaps recorded.");
        h.close();
        return;
    }
    h.open("table", &[]);
    header_row(h, &GAP_COLUMNS, &[]);
    h.open("tbody", &[]);
    for g in &r.gaps {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], &g.id);
        h.el(
            "td",
            &[],
            &gap_about(g.promise.as_deref(), g.scope.as_deref()),
        );
        h.el("td", &[], opt(g.kind));
        h.el("td", &[], g.criticality);
        h.el("td", &[], g.status);
        h.el("td", &[], opt(g.resolution));
        h.el("td", &[], opt(g.owner.as_deref()));
        h.el("td", &[], opt(g.due.as_deref()));
        h.el("td", &[], opt(g.agreed_with.as_deref()));
        h.el("td", &[], opt(g.summary.as_deref()));
        h.close();
    }
    h.close().close();
    h.close();
}

fn stakeholders(h: &mut Html, r: &Report<'_>, shown: &Shown) {
    // The filtered engagement: influence and attitude are cleared for the
    // customer, notes unless private fields were asked for.
    let people = &shown.engagement.stakeholders;
    section_start(h, "stakeholders", "Stakeholders");
    if people.is_empty() {
        h.el("p", &[("class", "empty")], "No stakeholders recorded.");
        h.close();
        return;
    }
    let internal = r.audience == Reader::Internal;
    let private = shown.view.include_private;
    let mut headers = vec!["name", "organisation", "title", "roles"];
    if internal {
        headers.extend(["influence", "interest", "attitude"]);
    }
    if private {
        headers.push("private notes");
    }
    h.open("table", &[]);
    header_row(h, &headers, &[]);
    h.open("tbody", &[]);
    for s in people {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], s.display_name());
        h.el("td", &[], opt(s.org.map(Vocab::as_str)));
        h.el("td", &[], opt(s.title.as_deref()));
        let roles: Vec<&str> = s.roles.iter().map(|r| r.words()).collect();
        h.el(
            "td",
            &[],
            &if roles.is_empty() {
                "-".into()
            } else {
                roles.join(", ")
            },
        );
        if internal {
            h.el("td", &[], opt(s.influence.map(Vocab::as_str)));
            h.el("td", &[], opt(s.interest.map(Vocab::as_str)));
            h.el("td", &[], opt(s.attitude.map(Vocab::as_str)));
        }
        if private {
            h.el("td", &[], opt(s.notes.as_deref()));
        }
        h.close();
    }
    h.close().close();
    h.close();
}

fn signoffs(h: &mut Html, r: &Report<'_>) {
    let ev = r.evaluation;
    let e = ev.engagement();
    section_start(h, "signoffs", "Sign-offs");
    h.open("p", &[]);
    h.text("Fingerprint of the files now: ");
    h.el("code", &[], ev.signoffs.combined_now());
    h.close();
    if ev.signoffs.roles.is_empty() {
        h.el(
            "p",
            &[("class", "empty")],
            "No sign-off roles are configured.",
        );
        h.close();
        return;
    }
    h.open("table", &[]);
    header_row(
        h,
        &[
            "role",
            "decision",
            "by",
            "date",
            "state",
            "fingerprint signed",
        ],
        &[],
    );
    h.open("tbody", &[]);
    for s in &ev.signoffs.roles {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], s.role);
        match &s.in_force {
            Some(in_force) => {
                let so = in_force.signoff;
                h.el("td", &[], so.decision.as_str());
                h.el("td", &[], &signer_name(e, &so.by));
                h.el("td", &[], &so.date.to_string());
                let state = match &in_force.freshness {
                    Freshness::Fresh => "✔ fresh".to_string(),
                    Freshness::Stale(kinds) => format!("⚠ stale: {}", changed_words(kinds)),
                };
                h.el("td", &[], &state);
                h.open("td", &[])
                    .el("code", &[], &so.fingerprint.value)
                    .close();
            }
            None => {
                for _ in 0..3 {
                    h.el("td", &[], "-");
                }
                let state = if s.required {
                    "✖ not signed (required)"
                } else {
                    "not signed"
                };
                h.el("td", &[], state);
                h.el("td", &[], "-");
            }
        }
        h.close();
    }
    h.close().close();
    h.close();
}
