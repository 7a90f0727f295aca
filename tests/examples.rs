//! The bundled examples give exactly the documented findings, at the right
//! lines, in every format. These snapshots are what users see.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::{repo_root, run_in};

const TODAY: &str = "2026-03-10";

fn check(args: &[&str]) -> common::Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", TODAY]);
    run_in(&repo_root(), &all)
}

#[test]
fn acme_wms_is_not_ready_and_shows_every_kind_of_finding() {
    let run = check(&["examples/acme-wms", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let rows = common::rows(&run.stdout);
    let table: Vec<String> = rows
        .iter()
        .map(|r| format!("{:<8} {:<22} {:<14} {}:{}", r.1, r.0, r.2, r.3, r.4))
        .collect();
    insta::assert_snapshot!(table.join("\n"));
    for rule in handoff::rules::RULES {
        // effort-underrun cannot fire beside effort-overrun, and the floor
        // needs a configured margin_floor: both are covered in tests/rules.rs.
        // The waiver rules need a waivers.yaml: tests/waivers.rs covers them;
        // evidence needs a repository: tests/history.rs.
        if [
            "effort-underrun",
            "margin-below-floor",
            "waiver-expired",
            "waiver-unused",
            "waiver-ineligible",
            "signoff-evidence-changed",
        ]
        .contains(&rule.code.as_str())
        {
            continue;
        }
        assert!(
            rows.iter().any(|r| r.0 == rule.code.as_str()),
            "acme-wms should show {}",
            rule.code
        );
    }
}

#[test]
fn nordwind_crm_is_ready() {
    let run = check(&["examples/nordwind-crm"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("verdict:  ready (0 errors, 0 warnings, 0 infos)"),
        "{}",
        run.stdout
    );
    assert_eq!(check(&["examples/nordwind-crm", "--strict"]).code, 0);
}

#[test]
fn harbour_kitchen_shows_effort_underrun_in_hours() {
    let run = check(&["examples/harbour-kitchen"]);
    assert_eq!(run.code, 0, "warnings do not fail the gate: {}", run.stdout);
    assert!(
        run.stdout.contains("warning[effort-underrun]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("448 hours scoped, 640 sold (-30.0%)"),
        "{}",
        run.stdout
    );
    assert_eq!(check(&["examples/harbour-kitchen", "--strict"]).code, 1);
}

#[test]
fn check_text_output_for_all_examples() {
    let run = check(&["examples"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn check_json_output_for_all_examples() {
    let run = check(&["examples", "--format", "json"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn report_table_for_acme() {
    let run = run_in(
        &repo_root(),
        &["report", "examples/acme-wms", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn report_markdown_for_acme_has_a_pie_chart() {
    let run = run_in(
        &repo_root(),
        &[
            "report",
            "examples/acme-wms",
            "--format",
            "markdown",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("```mermaid\npie title Promise coverage"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn report_json_for_acme() {
    let run = run_in(
        &repo_root(),
        &[
            "report",
            "examples/acme-wms",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(doc["schema"], "handoff-report/2");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn private_notes_never_appear_in_check_or_report() {
    for args in [
        vec!["check", "examples"],
        vec!["check", "examples", "--format", "json"],
        vec!["report", "examples"],
        vec!["report", "examples", "--format", "markdown"],
        vec!["report", "examples", "--format", "json"],
    ] {
        let run = run_in(&repo_root(), &args);
        for notes in ["PRIVATE", "SECRET"] {
            assert!(
                !run.stdout.contains(notes),
                "{args:?} leaked stakeholder notes"
            );
        }
    }
    let clean = common::Fixture::clean();
    let run = clean.run(&["report", ".", "--format", "json"]);
    assert!(!run.stdout.contains("SECRET-NOTE"));
}

#[test]
fn commands_that_read_never_write() {
    let before = snapshot_tree(&repo_root().join("examples"));
    check(&["examples"]);
    run_in(
        &repo_root(),
        &["report", "examples", "--format", "markdown"],
    );
    assert_eq!(before, snapshot_tree(&repo_root().join("examples")));
}

fn snapshot_tree(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let len = entry.metadata().map_or(0, |m| m.len());
                out.push((path.display().to_string(), len));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn absolute_paths_below_the_current_folder_are_shown_relative() {
    let absolute = repo_root().join("examples").join("nordwind-crm");
    let run = check(&[&absolute.to_string_lossy(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    assert_eq!(doc["engagements"][0]["path"], "examples/nordwind-crm");
}

#[test]
fn report_speaks_like_check_and_draws_no_empty_chart() {
    let f = common::Fixture::clean();
    f.write("promises.yaml", "promises: []\n");
    f.write("scope.yaml", "scope: []\n");
    f.write(
        "stakeholders.yaml",
        &common::STAKEHOLDERS.replace("attitude: supportive", "attitude: resistant"),
    );
    let run = f.run(&["report", ".", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No scope: effort-underrun warns; the resistant executive is an info.
    assert!(
        run.stdout.contains("(0 errors, 1 warning, 1 info)"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("mermaid"),
        "no promises, no pie: {}",
        run.stdout
    );
}
