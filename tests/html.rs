//! HTML pages (`report --format html`, `handoff site`): every page of
//! every example and of the hostile fixture parses as HTML5 without a
//! single parse error (so nothing is unclosed or misnested), hostile texts
//! stay text, the customer copy shows nothing internal, the site links
//! only to its own files, and the site's folder is never written over
//! files it did not write. The browser check (scripts/browser-check.mjs)
//! opens the same pages in Chromium.
#![allow(clippy::panic)] // tests report failure by panicking

use std::collections::BTreeMap;
use std::path::Path;

use html5ever::tendril::TendrilSink as _;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use crate::audience::{COST_RATE, Secret, load, secrets};
use crate::common::{Run, repo_root, run_in};

const TODAY: &str = "2026-03-01";
const EXAMPLES: [&str; 3] = ["acme-wms", "harbour-kitchen", "nordwind-crm"];

/// An element as parsed: name, attributes, and all the text inside it.
#[derive(Debug)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

/// A page as a browser's parser sees it.
#[derive(Debug)]
struct Page {
    errors: Vec<String>,
    elements: Vec<El>,
    /// Every table row as the texts of its cells.
    rows: Vec<Vec<String>>,
}

impl Page {
    fn all(&self, name: &str) -> impl Iterator<Item = &El> {
        self.elements.iter().filter(move |e| e.name == name)
    }

    fn attr<'a>(el: &'a El, name: &str) -> Option<&'a str> {
        el.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> &str {
        self.all("html").next().map_or("", |e| e.text.as_str())
    }
}

fn text_of(node: &Handle, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        _ => {
            for child in node.children.borrow().iter() {
                text_of(child, out);
            }
        }
    }
}

fn walk(node: &Handle, page: &mut Page) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let mut text = String::new();
        text_of(node, &mut text);
        let name = name.local.to_string();
        if name == "tr" {
            let cells = node
                .children
                .borrow()
                .iter()
                .filter(|c| matches!(&c.data, NodeData::Element { name, .. } if matches!(&*name.local, "td" | "th")))
                .map(|c| {
                    let mut t = String::new();
                    text_of(c, &mut t);
                    t
                })
                .collect();
            page.rows.push(cells);
        }
        page.elements.push(El {
            name,
            attrs: attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect(),
            text,
        });
    }
    for child in node.children.borrow().iter() {
        walk(child, page);
    }
}

fn parse(html: &str) -> Page {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..TreeBuilderOpts::default()
        },
    };
    let dom = parse_document(RcDom::default(), opts).one(html);
    let mut page = Page {
        errors: dom.errors.borrow().iter().map(|e| e.to_string()).collect(),
        elements: Vec::new(),
        rows: Vec::new(),
    };
    walk(&dom.document, &mut page);
    page
}

fn run(args: &[&str]) -> Run {
    run_in(&repo_root(), args)
}

/// `handoff site` of `paths` into a new temporary folder; the folder and
/// every page in it (relative path → text).
fn site(paths: &[&str], extra: &[&str]) -> (tempfile::TempDir, Run, BTreeMap<String, String>) {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().join("site");
    let dir_arg = dir.to_string_lossy().into_owned();
    let mut args = vec!["site"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["-o", &dir_arg, "--today", TODAY]);
    args.extend_from_slice(extra);
    let run = run(&args);
    let pages = pages_in(&dir);
    (out, run, pages)
}

fn pages_in(dir: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for sub in ["", "engagements"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "html") {
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                };
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
                pages.insert(rel, text);
            }
        }
    }
    pages
}

fn report_html(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["report", ".", "--format", "html", "--today", TODAY];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

/// The checks every page must pass, with what the issue asks of
/// accessibility that a parser can see.
fn assert_sound(name: &str, html: &str) -> Page {
    let page = parse(html);
    assert!(
        page.errors.is_empty(),
        "{name}: HTML5 parse errors: {:#?}",
        page.errors
    );
    let html_el = page
        .all("html")
        .next()
        .unwrap_or_else(|| panic!("{name}: no html"));
    assert_eq!(Page::attr(html_el, "lang"), Some("en"), "{name}");
    assert_eq!(page.all("h1").count(), 1, "{name}: one h1");
    // Headings never skip a level.
    let mut level = 1;
    for e in &page.elements {
        if let Some(n) = e.name.strip_prefix('h').and_then(|d| d.parse::<u32>().ok()) {
            assert!(n <= level + 1, "{name}: h{n} after h{level}");
            level = n;
        }
    }
    for th in page.all("th") {
        assert!(
            matches!(Page::attr(th, "scope"), Some("col" | "row")),
            "{name}: a table header without scope: {}",
            th.text
        );
    }
    for svg in page.all("svg") {
        assert_eq!(Page::attr(svg, "role"), Some("img"), "{name}");
        assert!(
            Page::attr(svg, "aria-labelledby").is_some(),
            "{name}: chart without text alternative"
        );
    }
    assert_eq!(
        page.all("svg").count(),
        page.all("title").count() - 1,
        "{name}: every chart has its <title> (besides the page's)"
    );
    let csp = page
        .all("meta")
        .find(|m| Page::attr(m, "http-equiv") == Some("Content-Security-Policy"))
        .and_then(|m| Page::attr(m, "content"))
        .unwrap_or_else(|| panic!("{name}: no Content-Security-Policy"));
    assert!(csp.contains("default-src 'none'"), "{name}: {csp}");
    assert_eq!(page.all("script").count(), 0, "{name}: a script element");
    for e in &page.elements {
        for (attr, value) in &e.attrs {
            assert!(
                !attr.starts_with("on"),
                "{name}: an event handler attribute {attr}={value:?} on <{}>",
                e.name
            );
            if matches!(attr.as_str(), "href" | "src") {
                assert!(
                    !value.contains(':') && !value.starts_with('/'),
                    "{name}: {attr}={value:?} is not a relative link"
                );
            }
        }
    }
    page
}

#[test]
fn every_page_of_the_examples_parses_without_errors_and_is_accessible() {
    let (_tmp, run, pages) = site(&["examples"], &["--cost-rate", COST_RATE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The four site pages (index, by kickoff, by risk, statistics), then
    // one per engagement.
    assert_eq!(pages.len(), 4 + EXAMPLES.len(), "{:?}", pages.keys());
    for (name, html) in &pages {
        assert_sound(name, html);
    }
    for example in EXAMPLES {
        let dir = repo_root().join("examples").join(example);
        for audience in ["internal", "customer"] {
            let run = report_html(&dir, &["--audience", audience]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let page = assert_sound(&format!("{example} {audience}"), &run.stdout);
            let text = page.text();
            for section in [
                "Verdict",
                "Figures",
                "Promises",
                "Unsold scope",
                "Gap register",
                "Stakeholders",
                "Sign-offs",
            ] {
                assert!(
                    page.all("h2").any(|h| h.text == section),
                    "{example}: no section {section}"
                );
            }
            assert!(text.contains(&format!("Audience: {audience}")), "{example}");
            assert!(text.contains(&format!("Made on: {TODAY}")), "{example}");
        }
    }
}

#[test]
fn hostile_texts_show_as_text_and_never_become_markup() {
    let (_tmp, run, pages) = site(&["tests/fixtures/hostile-html"], &[]);
    // The broken engagement makes it exit 2, after the site is written.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(pages.contains_key("index.html"));
    let evil = pages
        .get("engagements/evil-1.html")
        .unwrap_or_else(|| panic!("no page for EVIL-1: {:?}", pages.keys()));
    for (name, html) in &pages {
        assert_sound(name, html);
    }
    let page = parse(evil);
    let text = page.text();
    for shown in [
        "<script>alert(1)</script> Evil & Sons",
        "\" onmouseover=\"window.__pwned=1\" x=\"",
        "<img src=x onerror=\"window.__pwned=1\">Carla",
        "'><svg onload=window.__pwned=1>",
        "<a href=\"https://example.invalid/\">a link</a>",
        "Sam --> <!-- PM",
    ] {
        assert!(text.contains(shown), "not shown as text: {shown}");
    }
    for element in ["script", "img", "iframe", "style"] {
        let expected = usize::from(element == "style");
        assert_eq!(
            page.all(element).count(),
            expected,
            "<{element}> from the files"
        );
    }
    // One link per site page in the navigation, none from the files.
    assert_eq!(page.all("a").count(), 4);
    assert!(
        !text.contains("PRIVATE-NOTE"),
        "a private note without the flag"
    );
    let index = parse(&pages["index.html"]);
    let row = index
        .rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c.contains("broken")))
        .unwrap_or_else(|| panic!("no row for the broken engagement: {:?}", index.rows));
    assert!(
        row.iter().any(|c| c.contains("Cannot be evaluated")),
        "{row:?}"
    );
    assert!(
        row.iter()
            .any(|c| c.contains("unknown key `<script>alert(1)</script>`")),
        "the first problem, as text: {row:?}"
    );
}

#[test]
fn the_customer_pages_show_no_internal_or_private_value() {
    for example in EXAMPLES {
        let dir = repo_root().join("examples").join(example);
        let secrets = secrets(&load(&dir));
        let customer = report_html(&dir, &["--audience", "customer", "--cost-rate", COST_RATE]);
        assert_eq!(customer.code, 0, "{}", customer.stderr);
        let internal = report_html(&dir, &["--include-private", "--cost-rate", COST_RATE]);
        let leaks = |html: &str| -> Vec<String> {
            let page = parse(html);
            let text = page.text();
            let mut found = Vec::new();
            for (what, secret) in &secrets {
                match secret {
                    Secret::Anywhere(s) if text.contains(s.as_str()) => {
                        found.push(format!("{what}: {s}"));
                    }
                    Secret::Cell { row, word } => {
                        if page.rows.iter().any(|r| {
                            r.first().is_some_and(|c| c == row)
                                && r.iter().skip(1).any(|c| c == word)
                        }) {
                            found.push(format!("{what}: {word} in the row of {row}"));
                        }
                    }
                    Secret::Anywhere(_) => {}
                }
            }
            found
        };
        let found = leaks(&customer.stdout);
        assert!(
            found.is_empty(),
            "{example} leaks to the customer: {found:#?}"
        );
        assert!(
            !leaks(&internal.stdout).is_empty(),
            "{example}: the search is blind"
        );
        let text = parse(&customer.stdout).text().to_string();
        for word in [
            "Margin",
            "at risk",
            "influence",
            "attitude",
            "Findings",
            COST_RATE,
        ] {
            assert!(
                !text.contains(word),
                "{example}: the customer page says {word}"
            );
        }
    }
}

#[test]
fn finding_messages_stay_out_of_the_customer_page_but_the_verdict_and_counts_show() {
    let dir = repo_root().join("tests/fixtures/hostile-html/evil");
    let customer = report_html(&dir, &["--audience", "customer"]);
    assert_eq!(customer.code, 0, "{}", customer.stderr);
    let text = parse(&customer.stdout).text().to_string();
    assert!(text.contains("Not ready"), "{text}");
    assert!(text.contains("2 errors, 1 warning, 1 info"), "{text}");
    assert!(
        !text.contains("nobody has decided"),
        "a finding message: {text}"
    );
    // The gap shows in the customer's wording only.
    assert!(text.contains("agreed wording"));
    assert!(!text.contains("not scoped"));
    let internal = report_html(&dir, &[]);
    assert!(
        parse(&internal.stdout)
            .text()
            .contains("nobody has decided")
    );
}

#[test]
fn private_notes_need_the_flag_and_never_go_to_the_customer() {
    let dir = repo_root().join("tests/fixtures/hostile-html/evil");
    let without = report_html(&dir, &[]);
    assert!(!without.stdout.contains("PRIVATE-NOTE"));
    let with = report_html(&dir, &["--include-private"]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(parse(&with.stdout).text().contains("PRIVATE-NOTE <script>"));
    let refused = report_html(&dir, &["--include-private", "--audience", "customer"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stdout.is_empty());
    let (_tmp, run, _) = site(
        &["tests/fixtures/hostile-html/evil"],
        &["--audience", "customer", "--include-private"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn report_html_refuses_a_folder_of_several_engagements_and_points_to_site() {
    let run = run(&["report", "examples", "--format", "html"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("holds 3 engagements"), "{}", run.stderr);
    assert!(
        run.stderr.contains("handoff site examples -o DIR"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_link_of_the_site_resolves_to_a_page_it_wrote() {
    let (tmp, run, pages) = site(&["examples"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = tmp.path().join("site");
    let mut links = 0;
    for (name, html) in &pages {
        let base = root.join(name);
        let folder = base.parent().unwrap_or(&root);
        for a in parse(html).all("a") {
            let href = Page::attr(a, "href").unwrap_or_else(|| panic!("{name}: <a> without href"));
            let target = folder.join(href);
            assert!(target.is_file(), "{name}: {href} does not resolve");
            links += 1;
        }
    }
    // Each portfolio page links every engagement and the pages.
    assert!(links >= 3 * (3 + 4), "{links}");
    // The customer site has no page about money at risk, and no link to it.
    let (_tmp, _, customer) = site(&["examples"], &["--audience", "customer"]);
    assert!(!customer.contains_key("by-risk.html"));
    assert!(customer.values().all(|html| !html.contains("by-risk.html")));
}

#[test]
fn site_never_writes_over_files_it_did_not_write_unless_forced() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("out");
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("index.html"), "my own page").unwrap_or_else(|e| panic!("{e}"));
    let d = dir.to_string_lossy().into_owned();
    let nordwind = "examples/nordwind-crm";
    let refused = run(&["site", nordwind, "-o", &d]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("did not write (index.html)"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("index.html")).unwrap_or_default(),
        "my own page"
    );
    let forced = run(&["site", nordwind, "-o", &d, "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    // Its own files it replaces without --force, and removes the page of an
    // engagement no longer given.
    let again = run(&["site", "examples", "-o", &d]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(dir.join("engagements/acme-2026-wms.html").is_file());
    let fewer = run(&["site", nordwind, "-o", &d]);
    assert_eq!(fewer.code, 0, "{}", fewer.stderr);
    assert!(!dir.join("engagements/acme-2026-wms.html").exists());
    assert!(dir.join("engagements/nordwind-2026-crm.html").is_file());
    // A marker that names a file outside the site is not believed.
    let victim = tmp.path().join("victim.html");
    std::fs::write(&victim, "keep").unwrap_or_else(|e| panic!("{e}"));
    let marker = dir.join(".handoff-site");
    let mut text = std::fs::read_to_string(&marker).unwrap_or_default();
    text.push_str("../victim.html\n");
    std::fs::write(&marker, text).unwrap_or_else(|e| panic!("{e}"));
    let planted = run(&["site", nordwind, "-o", &d]);
    assert_eq!(planted.code, 0, "{}", planted.stderr);
    assert!(victim.is_file());
    // A file where the site's folder should be.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let f = file.to_string_lossy().into_owned();
    let not_dir = run(&["site", nordwind, "-o", &f]);
    assert_eq!(not_dir.code, 2);
    assert!(
        not_dir.stderr.contains("is a file, not a folder"),
        "{}",
        not_dir.stderr
    );
}

#[test]
fn the_portfolio_orders_by_verdict_kickoff_and_money_at_risk() {
    let (_tmp, run, pages) = site(&["examples"], &["--cost-rate", COST_RATE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let order = |page: &str| -> Vec<String> {
        parse(&pages[page])
            .rows
            .iter()
            .skip(1)
            .filter_map(|r| r.first())
            .map(|c| c.split(' ').next().unwrap_or_default().to_string())
            .collect()
    };
    let by_verdict = order("index.html");
    assert_eq!(
        by_verdict.first().map(String::as_str),
        Some("ACME-2026-WMS"),
        "{by_verdict:?}"
    );
    let by_kickoff = order("by-kickoff.html");
    assert_eq!(
        by_kickoff,
        ["NORDWIND-2026-CRM", "HARBOUR-2026-KITCHEN", "ACME-2026-WMS"],
        "soonest first, no date last"
    );
    let by_risk = order("by-risk.html");
    assert_eq!(
        by_risk.first().map(String::as_str),
        Some("ACME-2026-WMS"),
        "{by_risk:?}"
    );
    let totals = parse(&pages["index.html"]);
    let text = totals.text();
    assert!(text.contains("Not ready"), "{text}");
    assert!(text.contains("Roadmap promises sold"), "{text}");
}

#[test]
fn the_parse_check_catches_unclosed_and_misnested_elements() {
    let head = "<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body>";
    assert!(
        parse(&format!("{head}<p>fine</p></body></html>"))
            .errors
            .is_empty()
    );
    for broken in [
        "<div><p>unclosed</body></html>",
        "<b><i>misnested</b></i></body></html>",
        "<table><tr><td>x</td></tr><p>in a table</p></table></body></html>",
        "<p>a \u{1b} control character</p></body></html>",
    ] {
        assert!(
            !parse(&format!("{head}{broken}")).errors.is_empty(),
            "no error for {broken}"
        );
    }
}

#[test]
fn each_page_names_the_commit_only_when_its_engagement_is_exactly_as_committed() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repo = tmp.path();
    for name in ["nordwind-crm", "harbour-kitchen"] {
        let from = repo_root().join("examples").join(name);
        let to = repo.join(name);
        std::fs::create_dir(&to).unwrap_or_else(|e| panic!("{e}"));
        for entry in std::fs::read_dir(&from)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
        {
            std::fs::copy(entry.path(), to.join(entry.file_name()))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let git = |args: &[&str]| crate::common::git(repo, args).unwrap_or_else(|e| panic!("{e}"));
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "engagements"]);
    // One engagement changed since, one file beside the other that is not
    // part of what is signed.
    let promises = repo.join("harbour-kitchen/promises.yaml");
    let mut text = std::fs::read_to_string(&promises).unwrap_or_default();
    text.push_str("# changed\n");
    std::fs::write(&promises, text).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(repo.join("nordwind-crm/notes.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
    let out = repo.join("site");
    let run = run_in(repo, &["site", ".", "-o", "site", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = pages_in(&out);
    let commit_of = |page: &str| -> String {
        let text = parse(&pages[page]).text().to_string();
        text.split("Commit: ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_default()
            .to_string()
    };
    let clean = commit_of("engagements/nordwind-2026-crm.html");
    assert_eq!(clean.len(), 12, "{clean}");
    assert!(clean.chars().all(|c| c.is_ascii_hexdigit()), "{clean}");
    assert_eq!(commit_of("engagements/harbour-2026-kitchen.html"), "none");
    // The report of one engagement says the same.
    let report = report_html(&repo.join("harbour-kitchen"), &[]);
    assert!(parse(&report.stdout).text().contains("Commit: none"));
    let report = report_html(&repo.join("nordwind-crm"), &[]);
    assert!(
        parse(&report.stdout)
            .text()
            .contains(&format!("Commit: {clean}"))
    );
}

#[test]
fn a_report_written_with_o_keeps_its_marker_parses_and_is_replaced_only_by_a_report() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = tmp.path().join("nordwind.html");
    let f = file.to_string_lossy().into_owned();
    let args = [
        "report",
        "examples/nordwind-crm",
        "--format",
        "html",
        "--today",
        TODAY,
        "-o",
        &f,
    ];
    let first = run(&args);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let html = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        html.starts_with("<!-- generated by handoff report;"),
        "{html:.80}"
    );
    assert_sound("nordwind.html", &html);
    let again = run(&args);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("already up to date"),
        "{}",
        again.stdout
    );
    std::fs::write(&file, "<p>my own page</p>").unwrap_or_else(|e| panic!("{e}"));
    let refused = run(&args);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        "<p>my own page</p>"
    );
}

/// The charts of the statistics page's groupings (the burn-down's aside).
fn promise_charts(page: &Page) -> usize {
    page.all("svg")
        .filter(|svg| {
            Page::attr(svg, "aria-labelledby").is_some_and(|id| !id.starts_with("burndown"))
        })
        .count()
}

/// The rows of the statistics tables whose first header is `first`, each
/// as header → cell (the tables' columns together), by the row's label.
fn stats_table(page: &Page, first: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (start, header) in page.rows.iter().enumerate() {
        if header.first().is_none_or(|c| c != first) || header.len() <= 2 {
            continue;
        }
        for r in page.rows[start + 1..]
            .iter()
            .take_while(|r| r.len() == header.len() && r[0] != first)
        {
            out.entry(r[0].clone())
                .or_default()
                .extend(header.iter().cloned().zip(r.iter().cloned()));
        }
    }
    assert!(!out.is_empty(), "no table by {first}: {:?}", page.rows);
    out
}

/// "3 (7.3%)" → (3, 7.3).
fn count_and_percent(cell: &str) -> (u64, f64) {
    let (count, rest) = cell
        .split_once(" (")
        .unwrap_or_else(|| panic!("not a count and a share: {cell:?}"));
    let pct = rest.trim_end_matches("%)");
    (
        count.parse().unwrap_or_else(|e| panic!("{cell:?}: {e}")),
        pct.parse().unwrap_or_else(|e| panic!("{cell:?}: {e}")),
    )
}

fn assert_share(cell: &str, count: &serde_json::Value, share: &serde_json::Value, what: &str) {
    let (n, pct) = count_and_percent(cell);
    assert_eq!(Some(n), count.as_u64(), "{what}: {cell}");
    let share = share.as_f64().unwrap_or_else(|| panic!("{what}: no share"));
    assert!(
        (pct - share * 100.0).abs() <= 0.051,
        "{what}: {cell} against {share}"
    );
}

#[test]
fn the_statistics_page_shows_the_numbers_of_handoff_stats_json() {
    let (_tmp, run, pages) = site(&["examples"], &["--cost-rate", COST_RATE]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = pages
        .get("stats.html")
        .unwrap_or_else(|| panic!("no stats.html: {:?}", pages.keys()));
    let page = assert_sound("stats.html", html);
    // Two charts per grouping: roadmap and verbal promises (the burn-down
    // after them depends on the history this checkout has).
    assert_eq!(promise_charts(&page), 4);
    assert!(
        pages["index.html"].contains("href=\"stats.html\""),
        "the navigation links the page"
    );
    for (by, first) in [
        ("sales_owner", "sales owner"),
        ("quarter", "quarter signed"),
    ] {
        let json = run_in(
            &repo_root(),
            &[
                "stats",
                "examples",
                "--by",
                by,
                "--format",
                "json",
                "--today",
                TODAY,
                "--cost-rate",
                COST_RATE,
            ],
        );
        assert_eq!(json.code, 0, "{}", json.stderr);
        let doc: serde_json::Value =
            serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
        let table = stats_table(&page, first);
        let groups = doc["groups"]
            .as_array()
            .unwrap_or_else(|| panic!("no groups"));
        assert_eq!(
            table.len(),
            groups.len() + 1,
            "{by}: a row per group and the total"
        );
        let total = doc["total"].clone();
        let rows = groups
            .iter()
            .map(|g| (g["key"].as_str().unwrap_or("(not set)").to_string(), g))
            .chain([("Total".to_string(), &total)]);
        for (key, g) in rows {
            let what = format!("{by} {key}");
            let row = table
                .get(&key)
                .unwrap_or_else(|| panic!("{what}: no row in {table:?}"));
            assert_eq!(row["engagements"], g["engagements"].to_string(), "{what}");
            assert_eq!(row["promises"], g["promises"].to_string(), "{what}");
            for (column, key) in [
                ("verbal or side deal", "verbal_or_side_deal"),
                ("roadmap", "roadmap"),
                ("custom", "custom"),
                ("third party", "third_party"),
                ("partial", "partial"),
                ("exception", "exception"),
            ] {
                assert_share(
                    &row[column],
                    &g["counts"][key],
                    &g["shares"][key],
                    &format!("{what} {column}"),
                );
            }
            assert_eq!(
                row["musts without acceptance"],
                format!("{} of {}", g["musts_without_acceptance"], g["musts"]),
                "{what}"
            );
            // The JSON rounds to 4 decimals before the page's 1 decimal of a
            // percent could: compare within that rounding.
            let shown: Vec<&str> = row["margin sale → contract → scope"].split(" → ").collect();
            assert_eq!(shown.len(), 3, "{what}");
            for (cell, m) in shown.iter().zip(["sold", "contracted", "scoped"]) {
                match g["margin"][m].as_f64() {
                    None => assert_eq!(*cell, "–", "{what} margin {m}"),
                    Some(x) => {
                        let pct: f64 = cell
                            .trim_end_matches('%')
                            .parse()
                            .unwrap_or_else(|e| panic!("{what} {cell}: {e}"));
                        assert!(
                            (pct - x * 100.0).abs() <= 0.051,
                            "{what} margin {m}: {cell} against {x}"
                        );
                    }
                }
            }
            let gaps = &g["open_gaps"];
            assert_eq!(
                row["open gaps blocker / critical / major / minor"],
                format!(
                    "{}/{}/{}/{}",
                    gaps["blocker"], gaps["critical"], gaps["major"], gaps["minor"]
                ),
                "{what}"
            );
            assert_eq!(
                row["gaps not agreed"],
                g["gaps_not_agreed"].to_string(),
                "{what}"
            );
            assert!(
                row["ready"].starts_with(&format!("{} of {}", g["ready"], g["engagements"])),
                "{what}: {}",
                row["ready"]
            );
        }
        // The charts' tables carry the same shares.
        let chart_row = page
            .rows
            .iter()
            .find(|r| r.len() == 2 && r[0] == "Total")
            .unwrap_or_else(|| panic!("no chart table"));
        assert_eq!(
            chart_row[1],
            format!(
                "{} of {} ({:.1}%)",
                total["counts"]["roadmap"],
                total["promises"],
                total["shares"]["roadmap"].as_f64().unwrap_or(0.0) * 100.0
            )
        );
    }
}

#[test]
fn the_customer_statistics_page_shows_no_internal_figure() {
    let (_tmp, run, pages) = site(&["examples"], &["--audience", "customer"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_tmp2, _, internal) = site(&["examples"], &["--cost-rate", COST_RATE]);
    let customer = assert_sound("customer stats.html", &pages["stats.html"]);
    let internal = parse(&internal["stats.html"]);
    // What the page says, not its stylesheet (which has `margin:`).
    let said = |page: &Page| {
        page.all("body")
            .next()
            .map_or(String::new(), |b| b.text.clone())
    };
    let (customer_text, internal_text) = (said(&customer), said(&internal));
    let internal_words = ["verbal", "side deal", "margin", "effort"];
    for word in internal_words {
        assert!(
            !customer_text.contains(word),
            "the customer statistics say {word}"
        );
        assert!(internal_text.contains(word), "{word}: the search is blind");
    }
    // Only the roadmap charts: the verbal ones need `commitment`.
    assert_eq!(customer.all("svg").count(), 2);
    // What the customer may see is still counted, as in `handoff stats`.
    let table = stats_table(&customer, "sales owner");
    assert_eq!(table["Total"]["promises"], "41");
    assert_eq!(table["Total"]["roadmap"], "3 (7.3%)");
}

#[test]
fn the_statistics_page_names_the_engagements_it_could_not_count() {
    let (_tmp, run, pages) = site(&["tests/fixtures/hostile-html"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let page = assert_sound("stats.html", &pages["stats.html"]);
    assert!(page.all("h2").any(|h| h.text == "Cannot be evaluated"));
    let row = page
        .rows
        .iter()
        .find(|r| r.first().is_some_and(|c| c.contains("broken")))
        .unwrap_or_else(|| panic!("no row for the broken engagement: {:?}", page.rows));
    assert!(
        row.iter()
            .any(|c| c.contains("unknown key `<script>alert(1)</script>`")),
        "the first problem, as text: {row:?}"
    );
}

/// One burn-down chart as drawn: its caption, its dots (cx, cy) and the
/// rows of its table beneath.
#[derive(Debug, Default)]
struct Drawn {
    caption: String,
    dots: Vec<(f64, f64)>,
    lines: usize,
    rows: Vec<Vec<String>>,
}

/// The burn-down charts of a statistics page, in page order.
fn burndown_charts(page: &Page) -> Vec<Drawn> {
    let mut charts: Vec<Drawn> = Vec::new();
    for e in &page.elements {
        match e.name.as_str() {
            "figcaption" if Page::attr(e, "id").is_some_and(|id| id.starts_with("burndown")) => {
                charts.push(Drawn {
                    caption: e.text.clone(),
                    ..Drawn::default()
                });
            }
            "circle" => {
                let at = |name| {
                    Page::attr(e, name)
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or_else(|| panic!("a dot without {name}: {:?}", e.attrs))
                };
                let chart = charts
                    .last_mut()
                    .unwrap_or_else(|| panic!("a dot outside a chart"));
                chart.dots.push((at("cx"), at("cy")));
            }
            "polyline" => {
                if let Some(chart) = charts.last_mut() {
                    chart.lines += 1;
                }
            }
            _ => {}
        }
    }
    // Each chart's table: a header row starting with "date", then its rows.
    let mut tables = Vec::new();
    for (start, header) in page.rows.iter().enumerate() {
        if header.first().is_some_and(|c| c == "date") {
            let rows: Vec<Vec<String>> = page.rows[start + 1..]
                .iter()
                .take_while(|r| r.first().is_some_and(|c| c != "date"))
                .cloned()
                .collect();
            tables.push(rows);
        }
    }
    assert_eq!(tables.len(), charts.len(), "a table under every chart");
    for (chart, rows) in charts.iter_mut().zip(tables) {
        chart.rows = rows;
    }
    charts
}

fn days(date: &str) -> i64 {
    let parts: Vec<i64> = date
        .split('-')
        .map(|p| p.parse().unwrap_or_else(|e| panic!("{date}: {e}")))
        .collect();
    // Days from civil (Howard Hinnant), enough for differences.
    let (y, m, d) = (parts[0] - i64::from(parts[1] <= 2), parts[1], parts[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy
}

#[test]
fn the_burndown_draws_the_series_of_stats_history_to_scale() {
    let (p, _) = crate::stats::history();
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site_dir = out.path().join("site");
    let site_arg = site_dir.to_string_lossy().into_owned();
    // delta cannot be read: the site is made, and the exit says so.
    let made = p.run(&["site", "-o", &site_arg, "--today", "2026-03-10"]);
    assert_eq!(made.status.code(), Some(2));
    let json = p.run(&[
        "stats",
        "--history",
        "--format",
        "json",
        "--today",
        "2026-03-10",
    ]);
    let doc: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    let pages = pages_in(&site_dir);
    let page = assert_sound("stats.html", &pages["stats.html"]);
    let charts = burndown_charts(&page);
    let engagements = doc["engagements"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    let trend = doc["trend"].as_array().unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(
        charts.len(),
        1 + engagements.len(),
        "the portfolio, then each engagement"
    );
    let short = |v: &serde_json::Value| {
        v.as_str()
            .unwrap_or_default()
            .chars()
            .take(7)
            .collect::<String>()
    };
    let gaps = |g: &serde_json::Value| {
        format!(
            "{}/{}/{}/{}",
            g["blocker"], g["critical"], g["major"], g["minor"]
        )
    };

    // The tables are the series of `stats --history`, row for row.
    let portfolio = &charts[0];
    assert_eq!(portfolio.caption, "Open gaps of the portfolio");
    let expected: Vec<Vec<String>> = trend
        .iter()
        .map(|t| {
            vec![
                t["date"].as_str().unwrap_or_default().to_string(),
                short(&t["commit"]),
                gaps(&t["open_gaps"]),
                t["open_gaps_total"].to_string(),
                format!(
                    "{} of {}",
                    t["ready"],
                    t["engagements"].as_u64().unwrap_or(0) + t["invalid"].as_u64().unwrap_or(0)
                ),
            ]
        })
        .collect();
    assert_eq!(portfolio.rows, expected);
    for (chart, e) in charts[1..].iter().zip(engagements) {
        let path = e["path"].as_str().unwrap_or_default();
        assert!(
            chart.caption.ends_with(&format!("({path})")) || chart.caption.ends_with(path),
            "{}",
            chart.caption
        );
        let expected: Vec<Vec<String>> = e["series"]
            .as_array()
            .unwrap_or_else(|| panic!("{e}"))
            .iter()
            .map(|s| {
                let judged = !s["open_gaps"].is_null();
                let verdict = s["verdict"].as_str().unwrap_or_default();
                vec![
                    s["date"].as_str().unwrap_or_default().to_string(),
                    short(&s["commit"]),
                    if verdict == "invalid" {
                        "cannot be evaluated".to_string()
                    } else {
                        verdict.replace('_', " ")
                    },
                    if judged {
                        gaps(&s["open_gaps"])
                    } else {
                        "–".to_string()
                    },
                    if judged {
                        ["blocker", "critical", "major", "minor"]
                            .iter()
                            .map(|k| s["open_gaps"][k].as_u64().unwrap_or(0))
                            .sum::<u64>()
                            .to_string()
                    } else {
                        "–".to_string()
                    },
                ]
            })
            .collect();
        assert_eq!(chart.rows, expected, "{path}");
    }

    // The dots are those points, drawn to scale: across, linear in days
    // from the first commit to the last; up, linear in open gaps.
    let first = days(trend[0]["date"].as_str().unwrap_or_default());
    let last = days(trend[trend.len() - 1]["date"].as_str().unwrap_or_default());
    assert!(last > first, "the history spans days");
    let (x0, x1) = (
        portfolio.dots[0].0,
        portfolio.dots[portfolio.dots.len() - 1].0,
    );
    let x_of = |date: &str| x0 + (days(date) - first) as f64 / (last - first) as f64 * (x1 - x0);
    // (date, open gaps) plotted for each chart, recovered from the dots.
    let plotted = |chart: &Drawn| -> Vec<(String, u64)> {
        chart
            .rows
            .iter()
            .filter(|r| r[4] != "–")
            .map(|r| {
                (
                    r[0].clone(),
                    r[4].parse().unwrap_or_else(|e| panic!("{r:?}: {e}")),
                )
            })
            .collect()
    };
    let mut dots_by_value: BTreeMap<(bool, u64), Vec<f64>> = BTreeMap::new();
    for (i, chart) in charts.iter().enumerate() {
        let points = if i == 0 {
            portfolio
                .rows
                .iter()
                .map(|r| (r[0].clone(), r[3].parse().unwrap_or(u64::MAX)))
                .collect()
        } else {
            plotted(chart)
        };
        assert_eq!(
            chart.dots.len(),
            points.len(),
            "{}: a dot per point",
            chart.caption
        );
        assert!(
            chart.lines >= 1 || points.is_empty(),
            "{}: a line",
            chart.caption
        );
        for ((date, value), (cx, cy)) in points.iter().zip(&chart.dots) {
            assert!(
                (cx - x_of(date)).abs() <= 0.11,
                "{}: {date} drawn at {cx}, not {}",
                chart.caption,
                x_of(date)
            );
            dots_by_value.entry((i == 0, *value)).or_default().push(*cy);
        }
    }
    // Equal values at equal heights; each chart's heights linear in the
    // value (the portfolio has 0, 1 and 2 open gaps here).
    for ((_, value), heights) in &dots_by_value {
        assert!(
            heights.iter().all(|h| (h - heights[0]).abs() < 0.01),
            "{value}: {heights:?}"
        );
    }
    let height = |portfolio: bool, v: u64| dots_by_value[&(portfolio, v)][0];
    let step = height(true, 0) - height(true, 1);
    assert!(step > 0.0, "more gaps, higher");
    assert!(
        (height(true, 1) - height(true, 2) - step).abs() < 0.11,
        "linear"
    );
    assert!(height(false, 0) > height(false, 1));

    // The customer's copy has no burn-down: it would count internal gaps.
    let customer_dir = out.path().join("customer");
    let customer_arg = customer_dir.to_string_lossy().into_owned();
    p.run(&[
        "site",
        "-o",
        &customer_arg,
        "--today",
        "2026-03-10",
        "--audience",
        "customer",
    ]);
    let customer = pages_in(&customer_dir);
    assert!(!customer["stats.html"].contains("burn-down"));
    assert!(
        pages["stats.html"].contains("Gap burn-down"),
        "the search is blind"
    );
}

#[test]
fn without_a_history_the_statistics_page_says_so_instead_of_a_chart() {
    let f = crate::common::Fixture::clean();
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = out.path().join("site");
    let dir_arg = dir.to_string_lossy().into_owned();
    let said = |what: &str| {
        let run = f.run(&["site", ".", "-o", &dir_arg, "--today", TODAY]);
        assert_eq!(run.code, 0, "{what}: {}", run.stderr);
        let pages = pages_in(&dir);
        let page = assert_sound("stats.html", &pages["stats.html"]);
        assert_eq!(burndown_charts(&page).len(), 0, "{what}");
        page.all("p")
            .find(|p| Page::attr(p, "class") == Some("empty"))
            .map(|p| p.text.clone())
            .unwrap_or_else(|| panic!("{what}: nothing said"))
    };
    assert_eq!(
        said("not in git"),
        "These engagements are not in a git repository, so there is no history to draw."
    );
    git2::Repository::init(f.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        said("no commits"),
        "The git repository has no commits yet, so there is no history to draw."
    );
}
