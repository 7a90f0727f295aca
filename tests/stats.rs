//! `handoff stats` through the binary, on a repository built with git2:
//! three engagements sold by two sales owners to two customers in two
//! quarters (one in hours), and a fourth that cannot be read. Every count
//! and share below is worked out by hand from the files in this module.

// A failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use git2::{Oid, Repository, Signature, Time};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::common::git;

const CONFIG: &str = "[required]\nsignoffs = []\n[rules]\nunreviewed-bid = \"off\"\n";

/// The people of every engagement: Ann sells, Bob does presales, Carla
/// signs for the customer.
const STAKEHOLDERS: &str = "\
stakeholders:
  - { key: cexec, name: Carla Exec, org: customer, roles: [executive, customer_pm] }
  - { key: bob, name: Bob Presales, org: supplier, roles: [presales] }
  - { key: ann, name: Ann Seller, org: supplier, roles: [sales_owner, project_manager] }
  - { key: carl, name: Carl Seller, org: supplier, roles: [sales_owner] }
";

/// alpha: Acme, sold by Ann (the first `sales_owner` in file order),
/// signed in 2026-Q1; 10 days sold, 12 scoped (+20%).
const ALPHA: [(&str, &str); 4] = [
    (
        "handoff.yaml",
        "\
id: ALPHA
name: Alpha
customer: { name: Acme }
contract: { type: fixed_price, currency: EUR, services_value: 10000, signed_on: 2026-01-15 }
dates: { kickoff: 2026-03-01, go_live: 2026-06-01 }
effort: { unit: days, sold: 10, cost_rate: 500 }
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]
",
    ),
    ("stakeholders.yaml", STAKEHOLDERS),
    (
        "promises.yaml",
        "\
promises:
  - { id: P-1, title: Import, priority: must, response: standard, commitment: contractual, acceptance: [100 orders], promised_by: ann, sold_effort: 6 }
  - { id: P-2, title: Mobile app, priority: must, response: roadmap, commitment: verbal, promised_by: bob, tags: [mobile], sold_effort: 4 }
",
    ),
    (
        "scope.yaml",
        "\
scope:
  - { id: S-1, title: Import, covers: [P-1], effort: 6 }
  - { id: S-2, title: App, covers: [P-2], effort: 6 }
",
    ),
];

/// bravo: Acme again, sold by Carl, signed in 2026-Q2, counted in hours
/// (80 h = 10 days sold, 80 h scoped); one open critical gap, one minor
/// gap the customer agreed; a withdrawn promise that no longer counts.
const BRAVO: [(&str, &str); 5] = [
    (
        "handoff.yaml",
        "\
id: BRAVO
name: Bravo
customer: { name: Acme }
contract: { type: fixed_price, currency: EUR, services_value: 8000, signed_on: 2026-04-02 }
dates: { kickoff: 2026-05-01, go_live: 2026-07-01 }
effort: { unit: hours, sold: 80, cost_rate: 60 }
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]
",
    ),
    (
        "stakeholders.yaml",
        "\
stakeholders:
  - { key: cexec, name: Carla Exec, org: customer, roles: [executive, customer_pm] }
  - { key: carl, name: Carl Seller, org: supplier, roles: [sales_owner, project_manager] }
",
    ),
    (
        "promises.yaml",
        "\
promises:
  - { id: P-1, title: Custom report, priority: must, response: custom, commitment: side_deal, acceptance: [It prints], promised_by: carl, sold_effort: 40 }
  - { id: P-2, title: Portal, priority: should, response: roadmap, commitment: proposal, promised_by: carl, tags: [mobile, portal], sold_effort: 40 }
  - { id: P-3, title: Old idea, priority: must, response: custom, commitment: verbal, promised_by: carl, status: withdrawn }
",
    ),
    (
        "scope.yaml",
        "\
scope:
  - { id: S-1, title: Report, covers: [P-1], effort: 40 }
  - { id: S-2, title: Portal, covers: [P-2], effort: 40 }
",
    ),
    (
        "gaps.yaml",
        "\
gaps:
  - { id: G-1, promise: P-2, kind: partial, summary: Portal later, criticality: critical, status: open }
  - { id: G-2, promise: P-1, kind: partial, summary: Fewer columns, criticality: minor, status: agreed, resolution: concession, agreed_with: cexec, agreed_on: 2026-04-10 }
",
    ),
];

/// charlie: Beta, sold by Ann, no signing date; 20 days sold, 25 scoped;
/// an open blocker; a promise made by someone not in the file.
const CHARLIE: [(&str, &str); 5] = [
    (
        "handoff.yaml",
        "\
id: CHARLIE
name: Charlie
customer: { name: Beta }
contract: { type: fixed_price, currency: EUR, services_value: 20000 }
dates: { kickoff: 2026-03-01, go_live: 2026-06-01 }
effort: { unit: days, sold: 20, cost_rate: 500 }
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]
",
    ),
    ("stakeholders.yaml", STAKEHOLDERS),
    (
        "promises.yaml",
        "\
promises:
  - { id: P-1, title: ERP link, priority: must, response: third_party, commitment: contractual, promised_by: ann }
  - { id: P-2, title: Fax, priority: must, response: exception, commitment: contractual, acceptance: [none], promised_by: dave }
",
    ),
    (
        "scope.yaml",
        "\
scope:
  - { id: S-1, title: ERP link, covers: [P-1], effort: 25 }
",
    ),
    (
        "gaps.yaml",
        "\
gaps:
  - { id: G-1, promise: P-1, kind: partial, summary: No API yet, criticality: blocker, status: open }
",
    ),
];

pub(crate) struct Portfolio {
    pub dir: TempDir,
    pub repo: Repository,
    commits: i64,
}

impl Portfolio {
    /// alpha, bravo and charlie, and delta with a misspelt key; committed.
    fn new() -> Portfolio {
        let dir = tempfile::tempdir().unwrap();
        let repo = git::init(dir.path());
        let mut p = Portfolio {
            dir,
            repo,
            commits: 0,
        };
        p.write("handoff.toml", CONFIG);
        p.engagement("alpha", &ALPHA);
        p.engagement("bravo", &BRAVO);
        p.engagement("charlie", &CHARLIE);
        p.engagement("delta", &ALPHA);
        p.write(
            "delta/handoff.yaml",
            &ALPHA[0].1.replace("id: ALPHA", "id: DELTA\nbudgett: 3"),
        );
        p.commit("portfolio");
        p
    }

    fn engagement(&self, dir: &str, files: &[(&str, &str)]) {
        for (name, text) in files {
            self.write(&format!("{dir}/{name}"), text);
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Commits the working tree on main, a day after the previous commit.
    pub fn commit(&mut self, message: &str) -> Oid {
        self.commits += 1;
        // 2026-03-01 10:00 UTC, then one day per commit.
        git::commit_all(&self.repo, 1_772_359_200 + self.commits * 86_400, message)
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("HANDOFF_COST_RATE")
            .output()
            .unwrap()
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `stats` as JSON; exit 2, since delta cannot be read.
    fn json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["stats", "--format", "json"];
        if !extra.contains(&"--today") {
            args.extend(["--today", "2026-03-10"]);
        }
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// The rows of a `stats` document as (key, engagements, promises).
fn sizes(doc: &Value) -> Vec<(Value, u64, u64)> {
    doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].clone(),
                g["engagements"].as_u64().unwrap(),
                g["promises"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn row<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}: {doc:#}"))
}

/// The findings of each engagement as `check` counts them, so the stats
/// are held to the same judgement.
fn check_counts(p: &Portfolio) -> Vec<(String, Value)> {
    let out = p.run(&["check", "--format", "json", "--today", "2026-03-10"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["verdict"] != "invalid")
        .map(|e| (e["id"].as_str().unwrap().to_string(), e["summary"].clone()))
        .collect()
}

#[test]
fn the_total_pools_every_readable_engagement_and_lists_the_unreadable_one() {
    let p = Portfolio::new();
    let doc = p.json(&[]);
    assert_eq!(doc["schema"], "handoff-stats/1");
    assert_eq!(doc["by"], Value::Null);
    assert_eq!(doc["groups"], json!([]));
    let t = &doc["total"];
    assert_eq!(t["engagements"], 3);
    // 2 + 2 (bravo's withdrawn P-3 no longer counts) + 2.
    assert_eq!(t["promises"], 6);
    assert_eq!(
        t["counts"],
        json!({"verbal_or_side_deal": 2, "roadmap": 2, "custom": 1, "third_party": 1, "partial": 0, "exception": 1})
    );
    assert_eq!(
        t["shares"],
        json!({"verbal_or_side_deal": 0.3333, "roadmap": 0.3333, "custom": 0.1667, "third_party": 0.1667, "partial": 0.0, "exception": 0.1667})
    );
    assert_eq!(t["musts"], 5);
    // alpha P-2 and charlie P-1.
    assert_eq!(t["musts_without_acceptance"], 2);
    // Pooled in days: (12 + 10 + 25 − 10 − 10 − 20) / 40, not the mean of
    // +20%, 0% and +25%.
    assert_eq!(t["effort_variance"], 0.175);
    // Weighted by price: (10000·0.5 + 8000·0.4 + 20000·0.5) / 38000.
    assert_eq!(t["margin"]["sold"], 0.4789);
    // At scope: alpha 0.4, bravo 0.4, charlie 0.375 → 14700 / 38000.
    assert_eq!(t["margin"]["scoped"], 0.3868);
    assert_eq!(
        t["open_gaps"],
        json!({"blocker": 1, "critical": 1, "major": 0, "minor": 0})
    );
    // bravo G-1 and charlie G-1; bravo G-2 was agreed by the customer.
    assert_eq!(t["gaps_not_agreed"], 2);
    assert_eq!(t["customers"], json!(["Acme", "Beta"]));
    // Sold effort of the promises, bravo's 80 hours as 10 days.
    assert_eq!(t["promised_effort_days"], 20.0);
    // The findings are check's, summed, and per engagement.
    let checked = check_counts(&p);
    assert_eq!(checked.len(), 3);
    for severity in ["errors", "warnings", "infos"] {
        let sum: u64 = checked
            .iter()
            .map(|(_, c)| c[severity].as_u64().unwrap())
            .sum();
        assert_eq!(t["findings"][severity], sum, "{severity}");
        let per = t["findings_per_engagement"][severity].as_f64().unwrap();
        assert!((per - sum as f64 / 3.0).abs() < 0.006, "{severity}: {per}");
    }
    // delta is not counted, and says why.
    let invalid = doc["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0]["path"], "delta");
    assert!(
        invalid[0]["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("budgett")
    );
}

#[test]
fn by_sales_owner_takes_the_first_sales_owner_in_file_order() {
    let p = Portfolio::new();
    let doc = p.json(&["--by", "sales_owner"]);
    assert_eq!(doc["by"], "sales_owner");
    // alpha and charlie list Ann before Carl; bravo has only Carl.
    assert_eq!(
        sizes(&doc),
        vec![(json!("Ann Seller"), 2, 4), (json!("Carl Seller"), 1, 2)]
    );
    let ann = row(&doc, "Ann Seller");
    assert_eq!(ann["counts"]["verbal_or_side_deal"], 1);
    assert_eq!(ann["shares"]["verbal_or_side_deal"], 0.25);
    assert_eq!(ann["shares"]["roadmap"], 0.25);
    assert_eq!(ann["musts_without_acceptance"], 2);
    // (12 + 25 − 30) / 30
    assert_eq!(ann["effort_variance"], 0.2333);
    assert_eq!(
        ann["open_gaps"],
        json!({"blocker": 1, "critical": 0, "major": 0, "minor": 0})
    );
    let carl = row(&doc, "Carl Seller");
    assert_eq!(carl["shares"]["verbal_or_side_deal"], 0.5);
    assert_eq!(carl["shares"]["custom"], 0.5);
    assert_eq!(carl["effort_variance"], 0.0);
    assert_eq!(carl["gaps_not_agreed"], 1);
    // The total is the same whatever the grouping.
    assert_eq!(doc["total"], p.json(&[])["total"]);
}

#[test]
fn by_customer_and_by_quarter_group_whole_engagements() {
    let p = Portfolio::new();
    let doc = p.json(&["--by", "customer"]);
    assert_eq!(
        sizes(&doc),
        vec![(json!("Acme"), 2, 4), (json!("Beta"), 1, 2)]
    );
    // (10000·0.5 + 8000·0.4) / 18000
    assert_eq!(row(&doc, "Acme")["margin"]["sold"], 0.4556);
    let doc = p.json(&["--by", "quarter"]);
    // charlie has no signing date: its row comes last, keyed null.
    assert_eq!(
        sizes(&doc),
        vec![
            (json!("2026-Q1"), 1, 2),
            (json!("2026-Q2"), 1, 2),
            (Value::Null, 1, 2)
        ]
    );
    assert_eq!(row(&doc, "2026-Q2")["effort_variance"], 0.0);
}

#[test]
fn by_promised_by_counts_each_persons_promises_and_the_gaps_against_them() {
    let p = Portfolio::new();
    let doc = p.json(&["--by", "promised_by"]);
    // Keys are names; `dave` names nobody in the file, so stays a key.
    assert_eq!(
        sizes(&doc),
        vec![
            (json!("Ann Seller"), 2, 2),
            (json!("Bob Presales"), 1, 1),
            (json!("Carl Seller"), 1, 2),
            (json!("dave"), 1, 1),
        ]
    );
    let ann = row(&doc, "Ann Seller");
    assert_eq!(ann["shares"]["third_party"], 0.5);
    assert_eq!(ann["musts_without_acceptance"], 1);
    // charlie's blocker is recorded against Ann's P-1.
    assert_eq!(ann["open_gaps"]["blocker"], 1);
    let bob = row(&doc, "Bob Presales");
    assert_eq!(bob["shares"]["roadmap"], 1.0);
    assert_eq!(bob["shares"]["verbal_or_side_deal"], 1.0);
    assert_eq!(bob["open_gaps"]["blocker"], 0);
    let carl = row(&doc, "Carl Seller");
    assert_eq!(
        carl["open_gaps"],
        json!({"blocker": 0, "critical": 1, "major": 0, "minor": 0})
    );
    assert_eq!(row(&doc, "dave")["shares"]["exception"], 1.0);
}

#[test]
fn by_tag_shows_which_roadmap_items_were_sold_to_whom_for_how_much() {
    let p = Portfolio::new();
    let doc = p.json(&["--by", "tag"]);
    assert_eq!(
        sizes(&doc),
        vec![(json!("mobile"), 2, 2), (json!("portal"), 1, 1)]
    );
    let mobile = row(&doc, "mobile");
    assert_eq!(mobile["customers"], json!(["Acme"]));
    // alpha's 4 days and bravo's 40 hours.
    assert_eq!(mobile["promised_effort_days"], 9.0);
    assert_eq!(row(&doc, "portal")["promised_effort_days"], 5.0);
}

#[test]
fn the_table_has_a_row_per_group_then_the_total() {
    let p = Portfolio::new();
    let out = p.run(&["stats", "--by", "sales_owner", "--today", "2026-03-10"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.split('┆').next().unwrap().trim_matches(['│', ' ']))
        .collect();
    assert_eq!(lines, ["Sales owner", "Ann Seller", "Carl Seller", "Total"]);
    assert!(
        text.contains("Not counted (could not be read): delta"),
        "{text}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("budgett"), "{stderr}");
}

#[test]
fn csv_has_the_documented_columns_a_line_per_row_and_the_total() {
    let p = Portfolio::new();
    let out = p.run(&[
        "stats",
        "--by",
        "customer",
        "--format",
        "csv",
        "--today",
        "2026-03-10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let header: Vec<&str> = lines[0].split(',').collect();
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/stats.md"))
        .unwrap();
    for column in &header {
        assert!(
            docs.contains(&format!("| `{column}` |")),
            "docs/stats.md does not describe the CSV column {column}"
        );
    }
    let cell = |line: &str, column: &str| {
        let at = header.iter().position(|h| *h == column).unwrap();
        line.split(',').nth(at).unwrap().to_string()
    };
    assert_eq!(cell(lines[1], "key"), "Acme");
    assert_eq!(cell(lines[1], "verbal_or_side_deal_share"), "0.5");
    assert_eq!(cell(lines[3], "row"), "total");
    assert_eq!(cell(lines[3], "effort_variance"), "0.175");
    assert_eq!(cell(lines[3], "schema"), "handoff-stats/1");
}

#[test]
fn today_changes_what_is_overdue_and_so_the_findings() {
    let mut p = Portfolio::new();
    // A due date between the two days asked about.
    p.write(
        "charlie/gaps.yaml",
        &CHARLIE[4].1.replace(
            "status: open }",
            "status: open, owner: ann, due: 2026-04-01 }",
        ),
    );
    p.commit("a due date");
    let before = p.json(&[]);
    let after = p.json(&["--today", "2026-05-01"]);
    // `overdue-gap` is a warning.
    let warnings = |doc: &Value| doc["total"]["findings"]["warnings"].as_u64().unwrap();
    assert_eq!(warnings(&after), warnings(&before) + 1);
}

#[test]
fn an_engagement_in_a_path_alone_is_counted_alone() {
    let p = Portfolio::new();
    let out = p.run(&[
        "stats",
        "charlie",
        "--format",
        "json",
        "--today",
        "2026-03-10",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["total"]["engagements"], 1);
    assert_eq!(doc["invalid"], json!([]));
    assert!(p.path().join("charlie").is_dir());
}

/// The `handoff-stats/1` document and the CSV, as a consumer reads them.
#[test]
fn json_and_csv_contracts_by_sales_owner() {
    let p = Portfolio::new();
    let json = p.run(&[
        "stats",
        "--by",
        "sales_owner",
        "--format",
        "json",
        "--today",
        "2026-03-10",
    ]);
    insta::assert_snapshot!(
        "by_sales_owner_json",
        String::from_utf8(json.stdout).unwrap()
    );
    let csv = p.run(&[
        "stats",
        "--by",
        "sales_owner",
        "--format",
        "csv",
        "--today",
        "2026-03-10",
    ]);
    insta::assert_snapshot!("by_sales_owner_csv", String::from_utf8(csv.stdout).unwrap());
}

/// The portfolio, then five more commits a day apart (2026-03-03 on):
/// bravo settles its gaps, a commit touches no engagement, charlie's
/// blocker is agreed and then put back as it was, and the config makes
/// open gaps and overruns warnings. Returns the six commit ids.
pub(crate) fn history() -> (Portfolio, Vec<String>) {
    let mut p = Portfolio::new();
    let mut ids = vec![p.repo.refname_to_id("refs/heads/main").unwrap().to_string()];
    p.write(
        "bravo/gaps.yaml",
        &BRAVO[4]
            .1
            .replace(
                "criticality: critical, status: open }",
                "criticality: critical, status: closed, resolution: roadmap, owner: carl, agreed_with: cexec, agreed_on: 2026-03-02 }",
            )
            .replace("status: agreed,", "status: agreed, owner: carl,"),
    );
    ids.push(p.commit("bravo settles its gaps").to_string());
    p.write("README.md", "Our engagements.\n");
    ids.push(p.commit("a readme").to_string());
    p.write(
        "charlie/gaps.yaml",
        &CHARLIE[4].1.replace(
            "status: open }",
            "status: agreed, resolution: concession, owner: ann, agreed_with: cexec, agreed_on: 2026-03-04 }",
        ),
    );
    ids.push(p.commit("charlie: the blocker is agreed").to_string());
    p.write("charlie/gaps.yaml", CHARLIE[4].1);
    ids.push(p.commit("charlie: not agreed after all").to_string());
    p.write(
        "handoff.toml",
        &format!("{CONFIG}open-gap = \"warning\"\neffort-overrun = \"warning\"\n"),
    );
    ids.push(p.commit("open gaps and overruns warn").to_string());
    (p, ids)
}

fn history_json(p: &Portfolio, extra: &[&str]) -> Value {
    let mut args = vec![
        "stats",
        "--history",
        "--format",
        "json",
        "--today",
        "2026-03-10",
    ];
    args.extend_from_slice(extra);
    let out = p.run(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Piped: no progress bar, no noise.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn engagement<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("no {path}: {doc:#}"))
}

/// (commit index, date, verdict, open gaps B/C/M/m) of each step.
fn steps(e: &Value, ids: &[String]) -> Vec<(usize, String, String, Option<[u64; 4]>)> {
    e["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let at = ids
                .iter()
                .position(|id| s["commit"] == id.as_str())
                .unwrap();
            let g = &s["open_gaps"];
            let gaps = (!g.is_null())
                .then(|| ["blocker", "critical", "major", "minor"].map(|k| g[k].as_u64().unwrap()));
            (
                at,
                s["date"].as_str().unwrap().to_string(),
                s["verdict"].as_str().unwrap().to_string(),
                gaps,
            )
        })
        .collect()
}

#[test]
fn history_gives_each_engagement_a_step_per_commit_that_changed_it() {
    let (p, ids) = history();
    let doc = history_json(&p, &[]);
    assert_eq!(doc["schema"], "handoff-stats-history/1");
    assert_eq!(doc["commits"], 6);
    let s = |at: usize, date: &str, verdict: &str, gaps: Option<[u64; 4]>| {
        (at, date.to_string(), verdict.to_string(), gaps)
    };
    // alpha changes only with the config.
    assert_eq!(
        steps(engagement(&doc, "alpha"), &ids),
        vec![
            s(0, "2026-03-02", "ready_with_warnings", Some([0, 0, 0, 0])),
            s(5, "2026-03-07", "ready_with_warnings", Some([0, 0, 0, 0])),
        ]
    );
    assert_eq!(
        steps(engagement(&doc, "bravo"), &ids),
        vec![
            s(0, "2026-03-02", "not_ready", Some([0, 1, 0, 0])),
            s(1, "2026-03-03", "ready", Some([0, 0, 0, 0])),
            s(5, "2026-03-07", "ready", Some([0, 0, 0, 0])),
        ]
    );
    // The readme (commit 2) changes no engagement: no step anywhere.
    assert_eq!(
        steps(engagement(&doc, "charlie"), &ids),
        vec![
            s(0, "2026-03-02", "not_ready", Some([1, 0, 0, 0])),
            s(3, "2026-03-05", "not_ready", Some([0, 0, 0, 0])),
            s(4, "2026-03-06", "not_ready", Some([1, 0, 0, 0])),
            s(5, "2026-03-07", "ready_with_warnings", Some([1, 0, 0, 0])),
        ]
    );
    // delta never loads: it is there, invalid, and judged again only when
    // the config changed.
    assert_eq!(
        steps(engagement(&doc, "delta"), &ids),
        vec![
            s(0, "2026-03-02", "invalid", None),
            s(5, "2026-03-07", "invalid", None)
        ]
    );
    // The last step of each is what `check` says of the same files.
    let out = p.run(&["check", "--format", "json", "--today", "2026-03-10"]);
    let checked: Value = serde_json::from_slice(&out.stdout).unwrap();
    for e in checked["engagements"].as_array().unwrap() {
        let path = e["path"].as_str().unwrap();
        let series = engagement(&doc, path)["series"].as_array().unwrap();
        assert_eq!(series.last().unwrap()["verdict"], e["verdict"], "{path}");
    }
}

#[test]
fn history_says_when_each_engagement_first_became_ready() {
    let (p, ids) = history();
    let doc = history_json(&p, &[]);
    let ready = |path: &str| {
        let e = engagement(&doc, path);
        (
            e["ready_on"].clone(),
            e["ready_commit"].clone(),
            e["days_to_ready"].clone(),
        )
    };
    // Signed 2026-01-15, ready from the first commit.
    assert_eq!(
        ready("alpha"),
        (json!("2026-03-02"), json!(ids[0]), json!(46))
    );
    // Signed 2026-04-02: ready 30 days before the contract was signed.
    assert_eq!(
        ready("bravo"),
        (json!("2026-03-03"), json!(ids[1]), json!(-30))
    );
    // No signing date: ready, but no days to count.
    assert_eq!(
        ready("charlie"),
        (json!("2026-03-07"), json!(ids[5]), Value::Null)
    );
    assert_eq!(ready("delta"), (Value::Null, Value::Null, Value::Null));
    assert_eq!(engagement(&doc, "bravo")["id"], "BRAVO");
}

#[test]
fn history_burns_down_the_portfolios_open_gaps() {
    let (p, ids) = history();
    let doc = history_json(&p, &[]);
    let trend: Vec<(usize, u64, u64, u64)> = doc["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                ids.iter()
                    .position(|id| t["commit"] == id.as_str())
                    .unwrap(),
                t["open_gaps_total"].as_u64().unwrap(),
                t["ready"].as_u64().unwrap(),
                t["invalid"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        trend,
        vec![
            (0, 2, 1, 1),
            (1, 1, 2, 1),
            (3, 0, 2, 1),
            (4, 1, 2, 1),
            (5, 1, 3, 1)
        ]
    );
}

#[test]
fn history_judges_each_distinct_version_once() {
    let (p, _) = history();
    let doc = history_json(&p, &[]);
    // alpha 2, bravo 3, charlie 3 (its last-but-one version is its first
    // again, read from the memo), delta 2.
    assert_eq!(doc["judged"], 10);
}

#[test]
fn history_since_a_date_or_a_commit_starts_there() {
    let (p, ids) = history();
    let by_date = history_json(&p, &["--since", "2026-03-05"]);
    assert_eq!(by_date["commits"], 3);
    let charlie = steps(engagement(&by_date, "charlie"), &ids);
    assert_eq!(
        charlie.iter().map(|s| s.0).collect::<Vec<_>>(),
        vec![3, 4, 5]
    );
    // bravo was ready before the window: within it, from its first commit.
    assert_eq!(engagement(&by_date, "bravo")["ready_on"], "2026-03-05");
    let by_commit = history_json(&p, &["--since", &ids[3]]);
    assert_eq!(by_commit["engagements"], by_date["engagements"]);
}

#[test]
fn history_as_csv_has_a_line_per_engagement_and_commit_that_changed_it() {
    let (p, _) = history();
    let out = p.run(&[
        "stats",
        "--history",
        "--format",
        "csv",
        "--today",
        "2026-03-10",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/stats.md"))
        .unwrap();
    let history_docs = docs.split("## History").nth(1).unwrap();
    for column in text.lines().next().unwrap().split(',') {
        assert!(
            history_docs.contains(&format!("| `{column}` |")),
            "docs/stats.md does not describe the history CSV column {column}"
        );
    }
    // 2 + 3 + 4 + 2 steps.
    assert_eq!(text.lines().count(), 1 + 11);
    insta::assert_snapshot!("history_csv", text);
    let table = p.run(&["stats", "--history", "--today", "2026-03-10"]);
    insta::assert_snapshot!("history_table", String::from_utf8(table.stdout).unwrap());
}

#[test]
fn history_since_a_commit_off_the_first_parent_chain_is_refused() {
    let (p, ids) = history();
    let base = p.repo.find_commit(Oid::from_str(&ids[1]).unwrap()).unwrap();
    let sig = Signature::new(
        "Pat Tester",
        "pat@example.com",
        &Time::new(1_772_900_000, 0),
    )
    .unwrap();
    let side = p
        .repo
        .commit(
            None,
            &sig,
            &sig,
            "a side branch",
            &base.tree().unwrap(),
            &[&base],
        )
        .unwrap()
        .to_string();
    let out = p.run(&["stats", "--history", "--since", &side]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not on the first-parent history of HEAD"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn history_sees_engagements_come_go_and_stop_being_one() {
    let (mut p, mut ids) = history();
    // A new engagement in a new folder, one nested in a folder of its own.
    p.engagement("echo", &ALPHA);
    p.write(
        "echo/handoff.yaml",
        &ALPHA[0].1.replace("id: ALPHA", "id: ECHO"),
    );
    ids.push(p.commit("echo arrives").to_string());
    p.engagement("more/foxtrot", &ALPHA);
    p.write(
        "more/foxtrot/handoff.yaml",
        &ALPHA[0].1.replace("id: ALPHA", "id: FOXTROT"),
    );
    ids.push(p.commit("foxtrot arrives").to_string());
    // alpha goes; bravo's main file goes, so it is no engagement any more.
    std::fs::remove_dir_all(p.path().join("alpha")).unwrap();
    std::fs::remove_file(p.path().join("bravo/handoff.yaml")).unwrap();
    ids.push(p.commit("alpha and bravo go").to_string());
    // foxtrot changes while nothing else does.
    p.write(
        "more/foxtrot/scope.yaml",
        "scope:\n  - { id: S-1, title: Import, covers: [P-1, P-2], effort: 12 }\n",
    );
    ids.push(p.commit("foxtrot rescoped").to_string());
    let doc = history_json(&p, &[]);
    let at = |path: &str| -> Vec<(usize, String)> {
        steps(engagement(&doc, path), &ids)
            .into_iter()
            .map(|s| (s.0, s.2))
            .collect()
    };
    assert_eq!(
        at("alpha"),
        vec![
            (0, "ready_with_warnings".to_string()),
            (5, "ready_with_warnings".to_string()),
            (8, "gone".to_string()),
        ]
    );
    assert_eq!(at("bravo").last(), Some(&(8, "gone".to_string())));
    assert_eq!(at("echo"), vec![(6, "ready_with_warnings".to_string())]);
    assert_eq!(
        at("more/foxtrot"),
        vec![
            (7, "ready_with_warnings".to_string()),
            (9, "ready_with_warnings".to_string()),
        ]
    );
    // The trend has a point for every commit that changed an engagement.
    let trend: Vec<usize> = doc["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            ids.iter()
                .position(|id| t["commit"] == id.as_str())
                .unwrap()
        })
        .collect();
    assert_eq!(trend, vec![0, 1, 3, 4, 5, 6, 7, 8, 9]);
}

#[test]
fn history_of_an_engagement_at_the_repository_root_sees_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Portfolio {
        repo: git::init(dir.path()),
        dir,
        commits: 0,
    };
    p.write("handoff.toml", CONFIG);
    p.engagement(".", &BRAVO);
    let first = p.commit("bravo").to_string();
    p.write(
        "gaps.yaml",
        &BRAVO[4].1.replace(
            "criticality: critical, status: open }",
            "criticality: critical, status: closed, resolution: roadmap, owner: carl, agreed_with: cexec, agreed_on: 2026-03-02 }",
        ).replace("status: agreed,", "status: agreed, owner: carl,"),
    );
    let second = p.commit("bravo settles its gaps").to_string();
    p.write("handoff.toml", &format!("{CONFIG}open-gap = \"warning\"\n"));
    let third = p.commit("open gaps warn").to_string();
    let doc = history_json(&p, &[]);
    let ids = [first, second, third];
    assert_eq!(
        steps(engagement(&doc, "."), &ids)
            .into_iter()
            .map(|s| (s.0, s.3))
            .collect::<Vec<_>>(),
        vec![
            (0, Some([0, 1, 0, 0])),
            (1, Some([0, 0, 0, 0])),
            (2, Some([0, 0, 0, 0]))
        ]
    );
}
