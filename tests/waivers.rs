//! `waivers.yaml`: findings accepted on purpose, with a reason, an owner
//! and an end date; and `handoff waive`, which appends them.

// A failed setup step should stop the test loudly.
#![allow(clippy::panic)]

use crate::common::{Fixture, PROMISES, has};

const TODAY: &str = "2026-03-10";

/// The clean engagement plus P-2, a should-have no scope covers: one
/// `unscoped-promise` warning, so the verdict is ready with warnings.
fn with_unscoped_promise() -> Fixture {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!(
            "{PROMISES}  - id: P-2\n    title: Label printing\n    priority: should\n    response: standard\n    commitment: contractual\n    acceptance: Labels print\n"
        ),
    );
    f
}

fn waiver(finding: &str, by: &str, until: &str) -> String {
    format!(
        "waivers:\n  - finding: {finding}\n    reason: \"Customer prints labels themselves until phase 2.\"\n    by: {by}\n    until: {until}\n    date: 2026-03-01\n"
    )
}

fn check_json(f: &Fixture) -> serde_json::Value {
    let run = f.run(&["check", ".", "--format", "json", "--today", TODAY]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn a_waived_finding_does_not_count_but_stays_in_view() {
    let f = with_unscoped_promise();
    assert!(has(&f.findings(&[]), "unscoped-promise", "warning", "P-2"));
    // By fingerprint, and by code with item.
    for finding in ["unscoped-promise/T-1/P-2", "unscoped-promise/P-2"] {
        f.write("waivers.yaml", &waiver(finding, "spm", "2026-06-30"));
        let doc = check_json(&f);
        let e = &doc["engagements"][0];
        assert_eq!(e["verdict"], "ready", "{finding}: {e:#}");
        assert_eq!(e["findings"].as_array().map(Vec::len), Some(0), "{e:#}");
        assert_eq!(e["summary"]["warnings"], 0);
        let waived = &e["waived"][0];
        assert_eq!(waived["code"], "unscoped-promise");
        assert_eq!(waived["fingerprint"], "unscoped-promise/T-1/P-2");
        assert_eq!(waived["waiver"]["by"], "spm");
        assert_eq!(waived["waiver"]["until"], "2026-06-30");
        assert_eq!(
            waived["waiver"]["reason"],
            "Customer prints labels themselves until phase 2."
        );
    }
    let text = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "waived[unscoped-promise] P-2: Customer prints labels themselves until phase 2. (accepted by spm until 2026-06-30)"
        ),
        "{}",
        text.stdout
    );
}

#[test]
fn an_expired_waiver_brings_the_finding_back_and_says_since_when() {
    let f = with_unscoped_promise();
    f.write(
        "waivers.yaml",
        &waiver("unscoped-promise/T-1/P-2", "spm", "2026-03-09"),
    );
    let rows = f.findings(&[]);
    assert!(has(&rows, "unscoped-promise", "warning", "P-2"), "{rows:?}");
    assert!(
        has(&rows, "waiver-expired", "error", "unscoped-promise/T-1/P-2"),
        "{rows:?}"
    );
    let doc = check_json(&f);
    let message = doc["engagements"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["code"] == "waiver-expired")
        .and_then(|x| x["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        message,
        "the finding unscoped-promise/T-1/P-2 is back since 2026-03-10: its waiver by spm ended on 2026-03-09"
    );
    // On its last day it still holds.
    let run = f.run(&["check", ".", "--today", "2026-03-09"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_waiver_that_matches_nothing_is_unused() {
    let f = Fixture::clean();
    f.write(
        "waivers.yaml",
        &waiver("unscoped-promise/T-1/P-2", "spm", "2026-06-30"),
    );
    let rows = f.findings(&[]);
    assert_eq!(
        rows.iter()
            .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3.as_str(), r.4))
            .collect::<Vec<_>>(),
        [(
            "waiver-unused",
            "warning",
            "unscoped-promise/T-1/P-2",
            "waivers.yaml",
            2
        )]
    );
}

#[test]
fn a_waiver_by_someone_who_may_not_approve_does_not_count() {
    let f = with_unscoped_promise();
    // cexec is on the customer side.
    f.write(
        "waivers.yaml",
        &waiver("unscoped-promise/T-1/P-2", "cexec", "2026-06-30"),
    );
    let rows = f.findings(&[]);
    assert!(has(&rows, "unscoped-promise", "warning", "P-2"), "{rows:?}");
    assert!(
        has(
            &rows,
            "waiver-ineligible",
            "error",
            "unscoped-promise/T-1/P-2"
        ),
        "{rows:?}"
    );
    // A supplier without an approver role, under a config that names one.
    f.config("[waivers]\napprovers = [\"executive\"]\n");
    f.write(
        "waivers.yaml",
        &waiver("unscoped-promise/T-1/P-2", "spm", "2026-06-30"),
    );
    let doc = check_json(&f);
    let message = doc["engagements"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["code"] == "waiver-ineligible")
        .and_then(|x| x["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        message,
        "the waiver of unscoped-promise/T-1/P-2 does not count: spm holds none of the approver roles (executive)"
    );
}

#[test]
fn a_waiver_without_an_end_date_is_refused_where_it_is_written() {
    let f = with_unscoped_promise();
    f.write(
        "waivers.yaml",
        "waivers:\n  - finding: unscoped-promise/P-2\n    reason: for ever\n    by: spm\n",
    );
    let stderr = f.refused();
    assert!(stderr.contains("waiver has no `until`"), "{stderr}");
    assert!(stderr.contains("waivers.yaml:2:5"), "{stderr}");
}

#[test]
fn waive_appends_an_entry_that_waives_and_keeps_the_text() {
    let f = with_unscoped_promise();
    f.write("waivers.yaml", "# our accepted findings\n");
    let run = f.run(&[
        "waive",
        "unscoped-promise/T-1/P-2",
        "--by",
        "spm",
        "--reason",
        "Labels: phase 2",
        "--until",
        "2026-06-30",
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "spm accepted unscoped-promise/T-1/P-2 in T-1 until 2026-06-30: Labels: phase 2\n"
        ),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(f.path().join("waivers.yaml")).unwrap_or_default();
    assert_eq!(
        text,
        "# our accepted findings\nwaivers:\n  - finding: \"unscoped-promise/T-1/P-2\"\n    reason: \"Labels: phase 2\"\n    by: spm\n    until: 2026-06-30\n    date: 2026-03-10\n"
    );
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "waived: {}", run.stdout);
}

#[test]
fn waive_refuses_an_unknown_finding_an_ineligible_approver_and_a_past_date() {
    let f = with_unscoped_promise();
    let waive = |finding: &str, by: &str, until: &str| {
        f.run(&[
            "waive", finding, "--by", by, "--reason", "because", "--until", until, "--today", TODAY,
        ])
    };
    let cases = [
        (
            waive("unscoped-promise/T-1/P-9", "spm", "2026-06-30"),
            "T-1 has no finding unscoped-promise/T-1/P-9",
        ),
        (
            waive("unscoped-promise/P-2", "cexec", "2026-06-30"),
            "cexec cannot accept a finding: cexec is not on the supplier side",
        ),
        (
            waive("unscoped-promise/P-2", "spm", "2026-03-09"),
            "the end date 2026-03-09 is in the past (today is 2026-03-10)",
        ),
    ];
    for (run, message) in cases {
        assert_eq!(run.code, 2, "{message}: {}", run.stdout);
        assert!(run.stderr.contains(message), "{message}: {}", run.stderr);
        assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    }
    assert!(!f.path().join("waivers.yaml").exists(), "nothing written");
}

#[test]
fn diff_lists_waivers_added_changed_and_removed_and_an_added_one_is_a_highlight() {
    let mut t = crate::history::TestRepo::new();
    t.write(
        "clients/demo/waivers.yaml",
        "waivers:\n  - finding: open-gap/G-09\n    reason: old\n    by: lotte\n    until: 2026-04-30\n  - finding: open-gap/G-08\n    reason: gone soon\n    by: lotte\n    until: 2026-04-30\n",
    );
    t.commit("two waivers");
    t.write(
        "clients/demo/waivers.yaml",
        "waivers:\n  - finding: open-gap/G-09\n    reason: old\n    by: lotte\n    until: 2026-05-31\n  - finding: unscoped-promise/DEMO-2026-WMS/P-03\n    reason: hypercare needs no scope\n    by: lotte\n    until: 2026-12-31\n",
    );
    let run = crate::common::run_in(t.dir.path(), &["diff", "--", "clients/demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "! Finding unscoped-promise/DEMO-2026-WMS/P-03 was accepted by lotte until 2026-12-31: hypercare needs no scope",
        "  Waivers",
        "+ unscoped-promise/DEMO-2026-WMS/P-03 by lotte until 2026-12-31: hypercare needs no scope",
        "~ open-gap/G-09 until 2026-04-30 → 2026-05-31",
        "− open-gap/G-08 by lotte until 2026-04-30",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let json = crate::common::run_in(
        t.dir.path(),
        &["diff", "--format", "json", "--", "clients/demo"],
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap_or_default();
    let e = &doc["engagements"][0];
    let changes: Vec<(&str, &str)> = e["waivers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| {
            (
                w["finding"].as_str().unwrap_or_default(),
                w["change"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("open-gap/G-09", "changed"),
            ("unscoped-promise/DEMO-2026-WMS/P-03", "added"),
            ("open-gap/G-08", "removed"),
        ]
    );
    assert!(
        e["highlights"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h["kind"] == "finding-waived"),
        "{e:#}"
    );
}
