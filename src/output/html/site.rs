//! The portfolio pages of `handoff site`: one row per engagement, in the
//! orders a PMO reads them (worst verdict first, soonest kickoff, most
//! money at risk), each order a page of its own since sorting a table
//! would need a script. [`PAGES`] is the one table of the site's pages:
//! the navigation, the files written and the links checked all come from
//! it, so a new page is one row (and one [`PageKind`] arm).

use std::collections::BTreeMap;

use super::page::{NavLink, audience_words, verdict_badge};
use super::{Html, head};
use crate::date::Date;
use crate::finding::Verdict;
use crate::format::{money, percent};
use crate::model::audience::Reader;

/// How a portfolio page orders its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Cannot be evaluated, not ready, with warnings, ready; then kickoff.
    Verdict,
    /// Soonest kickoff first; without a date last.
    Kickoff,
    /// Most money at risk first.
    Risk,
}

/// What a page of the site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Portfolio(Order),
    /// The figures of `handoff stats`, with charts.
    Stats,
}

/// One page of the site.
#[derive(Debug)]
pub struct SitePage {
    /// The file in the site's folder.
    pub file: &'static str,
    /// The words of its link in the navigation.
    pub nav: &'static str,
    pub title: &'static str,
    /// Shown only in the internal site (it is about margins).
    pub internal_only: bool,
    pub kind: PageKind,
}

/// Every page of the site but the engagements' own, in navigation order;
/// the first is `index.html`.
pub const PAGES: &[SitePage] = &[
    SitePage {
        file: "index.html",
        nav: "By verdict",
        title: "Portfolio by verdict",
        internal_only: false,
        kind: PageKind::Portfolio(Order::Verdict),
    },
    SitePage {
        file: "by-kickoff.html",
        nav: "By kickoff date",
        title: "Portfolio by kickoff date",
        internal_only: false,
        kind: PageKind::Portfolio(Order::Kickoff),
    },
    SitePage {
        file: "by-risk.html",
        nav: "By money at risk",
        title: "Portfolio by money at risk",
        internal_only: true,
        kind: PageKind::Portfolio(Order::Risk),
    },
    SitePage {
        file: "stats.html",
        nav: "Statistics",
        title: "Promise statistics",
        internal_only: false,
        kind: PageKind::Stats,
    },
];

/// The pages a site for `reader` has.
pub fn pages_for(reader: Reader) -> impl Iterator<Item = &'static SitePage> {
    PAGES
        .iter()
        .filter(move |p| reader == Reader::Internal || !p.internal_only)
}

/// The navigation from a page `depth` folders below the site's root.
pub fn nav_links(reader: Reader, depth: usize) -> Vec<NavLink> {
    let up = "../".repeat(depth);
    pages_for(reader)
        .map(|p| (format!("{up}{}", p.file), p.nav.to_string()))
        .collect()
}

/// One engagement as the portfolio shows it; an engagement that could not
/// be read has only its folder, its first problem and no verdict.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub dir: String,
    pub id: Option<String>,
    pub name: Option<String>,
    /// Its page, relative to the site's root.
    pub page: Option<String>,
    pub customer: Option<String>,
    pub verdict: Option<Verdict>,
    pub kickoff: Option<Date>,
    pub days_to_kickoff: Option<i64>,
    pub open_blockers: usize,
    pub open_critical: usize,
    /// Internal only: `None` in the customer site.
    pub margin_scoped: Option<f64>,
    pub at_risk: Option<f64>,
    pub currency: Option<String>,
    /// Promises answered `roadmap`; `None` where the audience may not see
    /// responses.
    pub roadmap_promises: Option<usize>,
    /// "2 of 3 signed, 1 stale".
    pub signoffs: String,
    /// Why it could not be evaluated.
    pub problem: Option<String>,
}

/// What every portfolio page shares.
#[derive(Debug)]
pub struct Portfolio<'a> {
    pub reader: Reader,
    pub made: Date,
    pub rows: &'a [Row],
    /// What the statistics page shows.
    pub stats: super::stats::StatsPage<'a>,
}

fn verdict_rank(v: Option<Verdict>) -> u8 {
    match v {
        None => 0,
        Some(Verdict::NotReady) => 1,
        Some(Verdict::ReadyWithWarnings) => 2,
        Some(Verdict::Ready) => 3,
    }
}

fn sorted(rows: &[Row], order: Order) -> Vec<&Row> {
    let mut out: Vec<&Row> = rows.iter().collect();
    // `None` sorts last in every order: (is_none, value).
    let kickoff = |r: &Row| (r.kickoff.is_none(), r.kickoff);
    match order {
        Order::Verdict => out.sort_by(|a, b| {
            (verdict_rank(a.verdict), kickoff(a), &a.dir).cmp(&(
                verdict_rank(b.verdict),
                kickoff(b),
                &b.dir,
            ))
        }),
        Order::Kickoff => out.sort_by(|a, b| (kickoff(a), &a.dir).cmp(&(kickoff(b), &b.dir))),
        Order::Risk => out.sort_by(|a, b| {
            let risk = |r: &Row| r.at_risk.unwrap_or(f64::NEG_INFINITY);
            risk(b).total_cmp(&risk(a)).then_with(|| a.dir.cmp(&b.dir))
        }),
    }
    out
}

/// Money summed per currency: "32,240 EUR + 5,000 GBP".
fn money_total(rows: &[Row]) -> String {
    let mut by_currency: BTreeMap<&str, f64> = BTreeMap::new();
    for r in rows {
        if let Some(x) = r.at_risk.filter(|x| *x != 0.0) {
            *by_currency
                .entry(r.currency.as_deref().unwrap_or(""))
                .or_default() += x;
        }
    }
    if by_currency.is_empty() {
        return "0".into();
    }
    by_currency
        .iter()
        .map(|(c, x)| money(*x, (!c.is_empty()).then_some(*c)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// One portfolio page.
pub fn render(page: &SitePage, p: &Portfolio<'_>) -> String {
    let mut h = Html::new();
    head(&mut h, &format!("{} — handoff", page.title), "handoff site");
    h.open("nav", &[("aria-label", "Site")]).open("ul", &[]);
    for other in pages_for(p.reader) {
        h.open("li", &[]);
        if other.file == page.file {
            h.el(
                "a",
                &[("href", other.file), ("aria-current", "page")],
                other.nav,
            );
        } else {
            h.el("a", &[("href", other.file)], other.nav);
        }
        h.close();
    }
    h.close().close();
    h.open("header", &[]);
    h.el("h1", &[], page.title);
    h.open("p", &[("class", "meta")]);
    h.el("strong", &[], "Audience:")
        .text(" ")
        .text(audience_words(p.reader));
    h.close();
    h.open("p", &[("class", "meta")]);
    h.el("strong", &[], "Made on:")
        .text(" ")
        .text(&p.made.to_string());
    h.close();
    h.close();
    h.open("main", &[]);
    match page.kind {
        PageKind::Portfolio(order) => {
            totals(&mut h, p);
            table(&mut h, p, order);
        }
        PageKind::Stats => super::stats::main(&mut h, p.reader, &p.stats),
    }
    h.close();
    h.open("footer", &[]);
    h.el(
        "p",
        &[],
        "Made by handoff site from the engagement files; run it again rather than edit these pages.",
    );
    h.close();
    h.finish()
}

fn totals(h: &mut Html, p: &Portfolio<'_>) {
    let rows = p.rows;
    h.open("section", &[("aria-labelledby", "totals")]);
    h.el("h2", &[("id", "totals")], "Totals");
    h.open("dl", &[("class", "totals")]);
    let mut item = |label: &str, value: &str| {
        h.open("div", &[])
            .el("dt", &[], label)
            .el("dd", &[], value)
            .close();
    };
    item("Engagements", &rows.len().to_string());
    let not_ready = rows
        .iter()
        .filter(|r| r.verdict == Some(Verdict::NotReady))
        .count();
    item("Not ready", &not_ready.to_string());
    let invalid = rows.iter().filter(|r| r.verdict.is_none()).count();
    item("Cannot be evaluated", &invalid.to_string());
    if p.reader == Reader::Internal {
        item("Money at risk", &money_total(rows));
    }
    let roadmap: Option<usize> = rows
        .iter()
        .filter_map(|r| r.roadmap_promises)
        .reduce(|a, b| a + b);
    if let Some(n) = roadmap {
        item("Roadmap promises sold", &n.to_string());
    }
    h.close();
    h.close();
}

fn table(h: &mut Html, p: &Portfolio<'_>, order: Order) {
    let internal = p.reader == Reader::Internal;
    h.open("section", &[("aria-labelledby", "engagements")]);
    h.el("h2", &[("id", "engagements")], "Engagements");
    if p.rows.is_empty() {
        h.el("p", &[("class", "empty")], "No engagements found.");
        h.close();
        return;
    }
    let mut headers = vec![
        ("engagement", false),
        ("customer", false),
        ("verdict", false),
        ("kickoff", false),
        ("days to kickoff", true),
        ("open blocker gaps", true),
        ("open critical gaps", true),
    ];
    if internal {
        headers.extend([("margin at scope", true), ("money at risk", true)]);
    }
    headers.push(("sign-offs", false));
    h.open("table", &[]);
    let caption = match order {
        Order::Verdict => "Worst verdict first",
        Order::Kickoff => "Soonest kickoff first",
        Order::Risk => "Most money at risk first",
    };
    h.el("caption", &[], caption);
    h.open("thead", &[]).open("tr", &[]);
    for (name, numeric) in &headers {
        if *numeric {
            h.el("th", &[("scope", "col"), ("class", "num")], name);
        } else {
            h.el("th", &[("scope", "col")], name);
        }
    }
    h.close().close();
    h.open("tbody", &[]);
    for r in sorted(p.rows, order) {
        h.open("tr", &[]);
        h.open("th", &[("scope", "row")]);
        match (&r.page, &r.id) {
            (Some(page), Some(id)) => {
                h.el("a", &[("href", &super::href(page))], id);
                if let Some(name) = &r.name {
                    h.text(" — ").text(name);
                }
            }
            _ => {
                h.text(&r.dir);
            }
        }
        h.close();
        if r.verdict.is_none() {
            h.el("td", &[], "-");
            h.open("td", &[]);
            verdict_badge(h, None, "");
            h.close();
            let span = (headers.len() - 3).to_string();
            h.el(
                "td",
                &[("colspan", &span), ("class", "problem")],
                r.problem.as_deref().unwrap_or("it could not be read"),
            );
            h.close();
            continue;
        }
        h.el("td", &[], r.customer.as_deref().unwrap_or("-"));
        h.open("td", &[]);
        verdict_badge(h, r.verdict, "");
        h.close();
        h.el(
            "td",
            &[("class", "nowrap")],
            &r.kickoff.map_or("-".into(), |d| d.to_string()),
        );
        h.el(
            "td",
            &[("class", "num")],
            &r.days_to_kickoff.map_or("-".into(), |d| d.to_string()),
        );
        h.el("td", &[("class", "num")], &r.open_blockers.to_string());
        h.el("td", &[("class", "num")], &r.open_critical.to_string());
        if internal {
            h.el(
                "td",
                &[("class", "num")],
                &r.margin_scoped.map_or("-".into(), percent),
            );
            h.el(
                "td",
                &[("class", "num")],
                &r.at_risk
                    .map_or("-".into(), |x| money(x, r.currency.as_deref())),
            );
        }
        h.el("td", &[], &r.signoffs);
        h.close();
    }
    h.close().close();
    h.close();
}
