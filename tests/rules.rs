//! Every rule: one test that makes it fire, one that keeps it quiet.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::{Fixture, has};
use handoff::finding::RuleCode;

// Codes are named by the enum, so a mistyped one does not compile rather
// than make a `quiet` test pass vacuously.
fn fires(f: &Fixture, code: RuleCode, severity: &str, item: &str) {
    let rows = f.findings(&[]);
    assert!(
        has(&rows, code.as_str(), severity, item),
        "expected {severity}[{code}] on {item}, got {rows:#?}"
    );
}

fn quiet(f: &Fixture, code: RuleCode) {
    let rows = f.findings(&[]);
    assert!(
        !rows.iter().any(|r| r.0 == code.as_str()),
        "{code} should be quiet, got {rows:#?}"
    );
}

#[test]
fn the_clean_fixture_is_ready_with_no_findings() {
    let f = Fixture::clean();
    let run = f.run(&["check", ".", "--today", "2026-03-10"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(f.findings(&[]).is_empty());
    assert!(
        run.stdout
            .contains("verdict:  ready (0 errors, 0 warnings, 0 infos)"),
        "{}",
        run.stdout
    );
}

// The rule table and its documentation

#[test]
fn every_code_has_exactly_one_rule() {
    let codes: Vec<RuleCode> = handoff::rules::RULES.iter().map(|r| r.code).collect();
    for code in RuleCode::ALL {
        let rules = codes.iter().filter(|c| *c == code).count();
        assert_eq!(rules, 1, "{code} has {rules} rules");
    }
    // Same order as the enum, which `handoff rules` and the docs follow.
    assert_eq!(codes, RuleCode::ALL);
}

/// The codes docs/rules.md names in its rule list table and in its
/// `### code` headings, in the order written.
fn documented_codes() -> (Vec<String>, Vec<String>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let doc = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let table = doc
        .split_once("## Rule list")
        .and_then(|(_, rest)| rest.split("\n---").next())
        .unwrap_or_else(|| panic!("docs/rules.md has no rule list"));
    let mut listed = Vec::new();
    for row in table.lines().filter(|l| l.starts_with("| [`")) {
        // A row may name two codes: "[`a`](#a) / [`b`](#b)".
        for link in row.split("[`").skip(1) {
            let (code, rest) = link.split_once('`').unwrap_or((link, ""));
            assert!(
                rest.starts_with(&format!("](#{code})")),
                "docs/rules.md: the link for {code} points elsewhere: {row}"
            );
            listed.push(code.to_string());
        }
    }
    let headings = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .map(str::to_string)
        .collect();
    (listed, headings)
}

#[test]
fn docs_list_exactly_the_rule_codes_in_order() {
    let codes: Vec<&str> = RuleCode::ALL.iter().map(|c| c.as_str()).collect();
    let (listed, headings) = documented_codes();
    assert_eq!(listed, codes, "docs/rules.md rule list vs RuleCode::ALL");
    assert_eq!(
        headings, codes,
        "docs/rules.md ### sections vs RuleCode::ALL"
    );
}

#[test]
fn handoff_rules_prints_every_code_with_its_default_in_order() {
    let run = Fixture::clean().run(&["rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    // The rules, then `invalid-file`: the id of problems that stop judging.
    assert_eq!(
        lines.len(),
        2 * handoff::rules::RULES.len() + 2,
        "{}",
        run.stdout
    );
    let last = &lines[lines.len() - 2..];
    assert_eq!(
        last[0].split_whitespace().next(),
        Some(handoff::rules::INVALID_FILE)
    );
    assert_eq!(last[1].trim(), "default: error (cannot be changed)");
    for (rule, pair) in handoff::rules::RULES.iter().zip(lines.chunks(2)) {
        assert_eq!(pair[0].split_whitespace().next(), Some(rule.code.as_str()));
        assert!(pair[0].ends_with(rule.summary), "{}", pair[0]);
        assert_eq!(pair[1].trim(), format!("default: {}", rule.default));
    }
}

// duplicate-id

#[test]
fn duplicate_id_fires_across_files_and_points_at_the_second() {
    let f = Fixture::clean();
    f.write(
        "promises/extra.yaml",
        "promises:\n  - id: P-1\n    title: Again\n    acceptance: x\n",
    );
    let rows = f.findings(&[]);
    assert!(
        rows.iter().any(|r| r.0 == RuleCode::DuplicateId.as_str()
            && r.2 == "P-1"
            && r.3 == "extra.yaml"
            && r.4 == 2),
        "{rows:#?}"
    );
}

#[test]
fn duplicate_id_quiet_when_ids_differ_across_kinds() {
    // A gap may share an id with a promise: they are different registers.
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - id: P-1\n    promise: P-1\n    status: closed\n    resolution: absorb\n    owner: spm\n");
    quiet(&f, RuleCode::DuplicateId);
}

// unknown-reference

#[test]
fn unknown_reference_fires_for_covers_promise_and_scope() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1, P-9]\n    effort: 10\n",
    );
    f.write(
        "gaps.yaml",
        "gaps:\n  - id: G-1\n    promise: P-7\n    scope: S-7\n    criticality: minor\n",
    );
    let rows = f.findings(&[]);
    let refs: Vec<_> = rows
        .iter()
        .filter(|r| r.0 == RuleCode::UnknownReference.as_str())
        .map(|r| (r.2.as_str(), r.4))
        .collect();
    assert_eq!(refs, vec![("G-1", 3), ("G-1", 4), ("S-1", 3)], "{rows:#?}");
}

#[test]
fn unknown_reference_quiet_when_every_id_exists() {
    quiet(&Fixture::clean(), RuleCode::UnknownReference);
}

// missing-field

#[test]
fn missing_field_fires_for_each_absent_required_field() {
    let f = Fixture::clean();
    f.write("handoff.yaml", "id: T-1\ncontract: { type: fixed_price }\n");
    let mut items: Vec<String> = f
        .findings(&[])
        .into_iter()
        .filter(|r| r.0 == RuleCode::MissingField.as_str())
        .map(|r| r.2)
        .collect();
    items.sort();
    assert_eq!(
        items,
        [
            "contract.currency",
            "customer.name",
            "dates.kickoff",
            "effort.sold",
            "success_criteria"
        ],
    );
}

#[test]
fn missing_field_follows_the_configured_list() {
    let f = Fixture::clean();
    f.config("[required]\nfields = [\"dates.go_live\", \"background\"]\n");
    let rows = f.findings(&[]);
    assert!(
        has(
            &rows,
            RuleCode::MissingField.as_str(),
            "error",
            "background"
        ),
        "{rows:#?}"
    );
    assert!(!has(
        &rows,
        RuleCode::MissingField.as_str(),
        "error",
        "dates.go_live"
    ));
}

#[test]
fn missing_field_quiet_when_all_present() {
    quiet(&Fixture::clean(), RuleCode::MissingField);
}

// missing-role

#[test]
fn missing_role_fires_when_nobody_holds_it() {
    let f = Fixture::clean();
    f.write(
        "stakeholders.yaml",
        "stakeholders:\n  - key: spm\n    roles: [sales_owner, project_manager]\n",
    );
    let rows = f.findings(&[]);
    assert!(has(
        &rows,
        RuleCode::MissingRole.as_str(),
        "error",
        "executive"
    ));
    assert!(has(
        &rows,
        RuleCode::MissingRole.as_str(),
        "error",
        "customer_pm"
    ));
    assert!(!has(
        &rows,
        RuleCode::MissingRole.as_str(),
        "error",
        "sales_owner"
    ));
}

#[test]
fn missing_role_quiet_when_roles_configured_away() {
    let f = Fixture::clean();
    f.write("stakeholders.yaml", "stakeholders: []\n");
    f.config("[required]\nroles = []\n");
    quiet(&f, RuleCode::MissingRole);
}

// unscoped-promise

#[test]
fn unscoped_promise_severity_follows_priority() {
    let f = Fixture::clean();
    f.write(
        "promises/more.yaml",
        "promises:\n  - { id: P-2, title: A, priority: must, acceptance: x }\n  - { id: P-3, title: B, priority: should }\n  - { id: P-4, title: C, priority: could }\n  - { id: P-5, title: D, priority: wont }\n",
    );
    let rows = f.findings(&[]);
    assert!(has(
        &rows,
        RuleCode::UnscopedPromise.as_str(),
        "error",
        "P-2"
    ));
    assert!(has(
        &rows,
        RuleCode::UnscopedPromise.as_str(),
        "warning",
        "P-3"
    ));
    assert!(has(
        &rows,
        RuleCode::UnscopedPromise.as_str(),
        "info",
        "P-4"
    ));
    assert!(
        !rows.iter().any(|r| r.2 == "P-5"),
        "won't-have promises are not applicable: {rows:#?}"
    );
}

#[test]
fn unscoped_promise_quiet_when_a_gap_records_it() {
    let f = Fixture::clean();
    f.write(
        "promises/more.yaml",
        "promises:\n  - { id: P-2, title: A, priority: must, acceptance: x }\n",
    );
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, promise: P-2, kind: unscoped, status: agreed, resolution: descope, owner: spm, agreed_with: cexec, criticality: minor }\n");
    quiet(&f, RuleCode::UnscopedPromise);
}

#[test]
fn unscoped_promise_counts_excluded_scope_as_no_scope() {
    let f = Fixture::clean();
    f.write("scope.yaml", "scope:\n  - { id: S-1, covers: [P-1], effort: 10, status: excluded }\n  - { id: S-2, internal: true, effort: 10 }\n");
    fires(&f, RuleCode::UnscopedPromise, "error", "P-1");
}

// partial-promise

#[test]
fn partial_promise_fires_when_only_partly_covered() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], coverage: partial, effort: 10 }\n",
    );
    fires(&f, RuleCode::PartialPromise, "error", "P-1");
}

#[test]
fn partial_promise_quiet_when_another_item_covers_fully() {
    let f = Fixture::clean();
    f.write("scope.yaml", "scope:\n  - { id: S-1, covers: [P-1], coverage: partial, effort: 5 }\n  - { id: S-2, covers: [P-1], effort: 5 }\n");
    quiet(&f, RuleCode::PartialPromise);
}

// open-gap

#[test]
fn open_gap_severity_follows_criticality() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, criticality: blocker }\n  - { id: G-2, criticality: critical }\n  - { id: G-3, criticality: major }\n  - { id: G-4, criticality: minor }\n",
    );
    let rows = f.findings(&[]);
    assert!(has(&rows, RuleCode::OpenGap.as_str(), "error", "G-1"));
    assert!(has(&rows, RuleCode::OpenGap.as_str(), "error", "G-2"));
    assert!(has(&rows, RuleCode::OpenGap.as_str(), "warning", "G-3"));
    assert!(has(&rows, RuleCode::OpenGap.as_str(), "info", "G-4"));
}

#[test]
fn open_gap_quiet_once_decided() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, criticality: minor, status: decided, resolution: absorb, owner: spm }\n");
    quiet(&f, RuleCode::OpenGap);
}

// undecided-gap

#[test]
fn undecided_gap_fires_without_resolution_owner_or_agreed_with() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, criticality: minor, status: decided, owner: spm }\n  - { id: G-2, criticality: minor, status: closed, resolution: absorb }\n  - { id: G-3, criticality: minor, status: agreed, resolution: absorb, owner: spm }\n",
    );
    let rows = f.findings(&[]);
    for id in ["G-1", "G-2", "G-3"] {
        assert!(
            has(&rows, RuleCode::UndecidedGap.as_str(), "error", id),
            "{id}: {rows:#?}"
        );
    }
}

#[test]
fn undecided_gap_quiet_when_fully_decided_and_agreed() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, criticality: minor, status: agreed, resolution: absorb, owner: spm, agreed_with: cexec }\n");
    quiet(&f, RuleCode::UndecidedGap);
}

// customer-not-told

#[test]
fn customer_not_told_fires_for_major_gap_decided_but_not_agreed() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, criticality: major, status: decided, resolution: workaround, owner: spm }\n");
    fires(&f, RuleCode::CustomerNotTold, "warning", "G-1");
}

#[test]
fn customer_not_told_quiet_for_minor_or_agreed_gaps() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, criticality: minor, status: decided, resolution: workaround, owner: spm }\n  - { id: G-2, criticality: blocker, status: agreed, resolution: develop, owner: spm, agreed_with: cexec }\n",
    );
    quiet(&f, RuleCode::CustomerNotTold);
}

// overdue-gap

#[test]
fn overdue_gap_fires_when_due_before_today() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, criticality: minor, due: 2026-03-09 }\n",
    );
    fires(&f, RuleCode::OverdueGap, "warning", "G-1");
}

#[test]
fn overdue_gap_quiet_on_the_due_date_and_once_agreed() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, criticality: minor, due: 2026-03-10 }\n  - { id: G-2, criticality: minor, due: 2026-01-01, status: agreed, resolution: absorb, owner: spm, agreed_with: cexec }\n",
    );
    quiet(&f, RuleCode::OverdueGap);
}

// stale-gap

#[test]
fn stale_gap_fires_when_the_promise_is_now_fully_covered() {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, promise: P-1, kind: unscoped, criticality: minor }\n",
    );
    fires(&f, RuleCode::StaleGap, "warning", "G-1");
}

#[test]
fn stale_gap_quiet_while_the_promise_is_still_partial() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], coverage: partial, effort: 10 }\n",
    );
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, promise: P-1, kind: partial, criticality: minor }\n",
    );
    quiet(&f, RuleCode::StaleGap);
}

// unsold-scope

#[test]
fn unsold_scope_fires_for_gold_plating() {
    let f = Fixture::clean();
    f.write("scope.yaml", "scope:\n  - { id: S-1, covers: [P-1], effort: 9 }\n  - { id: S-2, title: Extra dashboard, effort: 1 }\n");
    fires(&f, RuleCode::UnsoldScope, "warning", "S-2");
}

#[test]
fn unsold_scope_quiet_for_internal_excluded_or_recorded_items() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 8 }\n  - { id: S-2, internal: true, effort: 1 }\n  - { id: S-3, status: excluded, effort: 5 }\n  - { id: S-4, effort: 1 }\n",
    );
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, scope: S-4, kind: unsold, criticality: minor, status: closed, resolution: absorb, owner: spm }\n");
    quiet(&f, RuleCode::UnsoldScope);
}

#[test]
fn unsold_scope_can_be_made_an_error_by_config() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 9 }\n  - { id: S-2, effort: 1 }\n",
    );
    f.config("[rules]\nunsold-scope = \"error\"\n");
    fires(&f, RuleCode::UnsoldScope, "error", "S-2");
    assert_eq!(f.run(&["check", "."]).code, 1);
}

// effort-overrun / effort-underrun

#[test]
fn effort_overrun_warns_above_ten_percent_and_fails_above_twenty() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 11.5 }\n",
    );
    fires(&f, RuleCode::EffortOverrun, "warning", "effort");
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 12.5 }\n",
    );
    fires(&f, RuleCode::EffortOverrun, "error", "effort");
}

#[test]
fn effort_overrun_counts_decided_gap_effort() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, kind: effort, criticality: minor, status: decided, resolution: absorb, owner: spm, effort_delta: 3 }\n");
    fires(&f, RuleCode::EffortOverrun, "error", "effort");
}

#[test]
fn effort_overrun_quiet_at_exactly_ten_percent_and_for_open_gap_effort() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 11 }\n",
    );
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, kind: effort, criticality: minor, effort_delta: 30 }\n",
    );
    quiet(&f, RuleCode::EffortOverrun);
}

#[test]
fn effort_underrun_fires_below_minus_twenty_percent() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 7.9 }\n",
    );
    fires(&f, RuleCode::EffortUnderrun, "warning", "effort");
}

#[test]
fn effort_underrun_quiet_within_threshold() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 8 }\n",
    );
    quiet(&f, RuleCode::EffortUnderrun);
}

// margin-below-floor / margin-below-target

#[test]
fn margin_below_target_fires_for_fixed_price() {
    // (10000 - 10 * 750) / 10000 = 25% < 30% target.
    let f = Fixture::clean();
    let rows = f.findings(&["--cost-rate", "750"]);
    assert!(
        has(
            &rows,
            RuleCode::MarginBelowTarget.as_str(),
            "warning",
            "margin"
        ),
        "{rows:#?}"
    );
}

#[test]
fn margin_below_floor_fires_instead_of_target_when_configured() {
    let f = Fixture::clean();
    f.config("[thresholds]\nmargin_floor = 0.28\n");
    let rows = f.findings(&["--cost-rate", "750"]);
    assert!(
        has(
            &rows,
            RuleCode::MarginBelowFloor.as_str(),
            "error",
            "margin"
        ),
        "{rows:#?}"
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.0 == RuleCode::MarginBelowTarget.as_str())
    );
}

#[test]
fn margin_rules_quiet_for_time_and_materials_or_healthy_margin() {
    let f = Fixture::clean();
    f.config("[thresholds]\nmargin_floor = 0.28\n");
    let healthy = f.findings(&[]);
    assert!(
        !healthy.iter().any(|r| r.0.starts_with("margin")),
        "{healthy:#?}"
    );
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace("fixed_price", "time_and_materials"),
    );
    let tm = f.findings(&["--cost-rate", "900"]);
    assert!(!tm.iter().any(|r| r.0.starts_with("margin")), "{tm:#?}");
}

#[test]
fn cost_rate_can_come_from_the_environment() {
    let f = Fixture::clean();
    let out = std::process::Command::new(common::bin())
        .args(["check", ".", "--format", "json"])
        .current_dir(f.path())
        .env("HANDOFF_COST_RATE", "750")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let rows = common::rows(&String::from_utf8_lossy(&out.stdout));
    assert!(
        has(
            &rows,
            RuleCode::MarginBelowTarget.as_str(),
            "warning",
            "margin"
        ),
        "{rows:#?}"
    );
}

// date-conflict

#[test]
fn date_conflict_fires_for_late_scope_and_late_go_live() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!("{}    due: 2026-05-01\n", common::PROMISES),
    );
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 10, due: 2026-05-02 }\n",
    );
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace(
            "go_live: 2026-06-01",
            "go_live: 2026-06-01, hard_deadlines: [ { date: 2026-05-31, why: audit } ]",
        ),
    );
    let rows = f.findings(&[]);
    assert!(
        has(&rows, RuleCode::DateConflict.as_str(), "error", "S-1"),
        "{rows:#?}"
    );
    assert!(
        has(
            &rows,
            RuleCode::DateConflict.as_str(),
            "error",
            "dates.go_live"
        ),
        "{rows:#?}"
    );
}

#[test]
fn date_conflict_quiet_when_scope_is_due_on_the_promised_day() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!("{}    due: 2026-05-01\n", common::PROMISES),
    );
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 10, due: 2026-05-01 }\n",
    );
    quiet(&f, RuleCode::DateConflict);
}

// undocumented-promise

#[test]
fn undocumented_promise_fires_for_verbal_and_side_deals() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("contractual", "side_deal"),
    );
    fires(&f, RuleCode::UndocumentedPromise, "warning", "P-1");
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("contractual", "verbal"),
    );
    fires(&f, RuleCode::UndocumentedPromise, "warning", "P-1");
}

#[test]
fn undocumented_promise_quiet_for_proposal_commitments() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("contractual", "proposal"),
    );
    quiet(&f, RuleCode::UndocumentedPromise);
}

// roadmap-promise

#[test]
fn roadmap_promise_fires_without_a_gap() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("response: standard", "response: roadmap"),
    );
    fires(&f, RuleCode::RoadmapPromise, "warning", "P-1");
}

#[test]
fn roadmap_promise_quiet_with_a_gap() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("response: standard", "response: roadmap"),
    );
    f.write("gaps.yaml", "gaps:\n  - { id: G-1, promise: P-1, kind: date, criticality: minor, status: agreed, resolution: roadmap, owner: spm, agreed_with: cexec }\n");
    quiet(&f, RuleCode::RoadmapPromise);
}

// missing-acceptance

#[test]
fn missing_acceptance_fires_for_must_promises() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        "promises:\n  - { id: P-1, title: Order import, priority: must }\n",
    );
    fires(&f, RuleCode::MissingAcceptance, "warning", "P-1");
}

#[test]
fn missing_acceptance_quiet_for_should_promises() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        "promises:\n  - { id: P-1, title: Order import, priority: should }\n",
    );
    quiet(&f, RuleCode::MissingAcceptance);
}

// resistant-stakeholder

#[test]
fn resistant_stakeholder_fires_for_influential_resistant_people() {
    let f = Fixture::clean();
    f.write(
        "stakeholders.yaml",
        &common::STAKEHOLDERS.replace("attitude: supportive", "attitude: resistant"),
    );
    fires(&f, RuleCode::ResistantStakeholder, "info", "cexec");
}

#[test]
fn resistant_stakeholder_quiet_for_low_influence() {
    let f = Fixture::clean();
    f.write(
        "stakeholders.yaml",
        &common::STAKEHOLDERS
            .replace("attitude: supportive", "attitude: resistant")
            .replace("influence: high", "influence: low"),
    );
    quiet(&f, RuleCode::ResistantStakeholder);
}

// severities and exit codes

#[test]
fn rules_can_be_turned_off() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("contractual", "verbal"),
    );
    f.config("[rules]\nundocumented-promise = \"off\"\n");
    quiet(&f, RuleCode::UndocumentedPromise);
}

#[test]
fn warnings_pass_unless_strict() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("contractual", "verbal"),
    );
    assert_eq!(f.run(&["check", "."]).code, 0);
    assert_eq!(f.run(&["check", ".", "--strict"]).code, 1);
}

#[test]
fn errors_fail_the_gate() {
    let f = Fixture::clean();
    f.write("scope.yaml", "scope: []\n");
    let run = f.run(&["check", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("error[unscoped-promise]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("verdict:  not ready"), "{}", run.stdout);
}

// fingerprints

#[test]
fn fingerprints_are_unique_when_one_item_has_several_findings_of_a_code() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1, P-8, P-9], effort: 10 }\n",
    );
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace(
            "go_live: 2026-06-01",
            "go_live: 2026-06-01, hard_deadlines: [ { date: 2026-05-01 }, { date: 2026-05-15 } ]",
        ),
    );
    let run = f.run(&["check", ".", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let mut prints: Vec<&str> = doc["engagements"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["fingerprint"].as_str())
        .collect();
    assert_eq!(prints.len(), 4, "{prints:#?}");
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(
        prints.len(),
        4,
        "two findings share a fingerprint: {prints:#?}"
    );
}

#[test]
fn stakeholders_yml_beside_stakeholders_yaml_is_read_too() {
    let f = Fixture::clean();
    f.write(
        "stakeholders.yml",
        "stakeholders:\n  - { key: boss, roles: [senior_user], influence: high, attitude: resistant }\n",
    );
    fires(&f, RuleCode::ResistantStakeholder, "info", "boss");
}

#[test]
fn a_promise_listed_twice_in_covers_counts_once() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1, P-9, P-9], effort: 10 }\n",
    );
    let rows = f.findings(&[]);
    let refs = rows
        .iter()
        .filter(|r| r.0 == RuleCode::UnknownReference.as_str())
        .count();
    assert_eq!(refs, 1, "{rows:#?}");
}

// Long lists in messages (issue 17): a message names a handful of ids and
// says how many more, so K findings about one promise never list K ids
// each (quadratic output).

/// P-1 fully covered by eight items and named by three open gaps that say
/// it is unscoped; P-2 partly covered by seven items and recorded nowhere.
fn one_promise_many_covering_items() -> Fixture {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!(
            "{}  - {{ id: P-2, title: Order export, priority: should, response: standard, commitment: contractual, acceptance: it exports }}\n",
            common::PROMISES
        ),
    );
    let mut scope = String::from("scope:\n");
    for i in 1..=8 {
        scope.push_str(&format!("  - {{ id: S-{i}, covers: [P-1], effort: 1 }}\n"));
    }
    for i in 11..=17 {
        scope.push_str(&format!(
            "  - {{ id: S-{i}, covers: [P-2], coverage: partial, effort: 0.25 }}\n"
        ));
    }
    f.write("scope.yaml", &scope);
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, promise: P-1, kind: unscoped, criticality: minor }\n  - { id: G-2, promise: P-1, kind: unscoped, criticality: minor }\n  - { id: G-3, promise: P-1, kind: partial, criticality: minor }\n",
    );
    f.config("[rules]\nopen-gap = \"off\"\n");
    f
}

#[test]
fn a_message_names_five_covering_items_and_counts_the_rest() {
    let f = one_promise_many_covering_items();
    let run = f.run(&["check", ".", "--format", "json", "--today", "2026-03-10"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("bad JSON: {e}\n{}", run.stdout));
    let findings = doc["engagements"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let messages = |code: RuleCode| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["code"] == code.as_str())
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let stale = messages(RuleCode::StaleGap);
    assert_eq!(stale.len(), 3, "{findings:#?}");
    for m in &stale {
        assert!(
            m.ends_with("fully covered by S-1, S-2, S-3, S-4, S-5 and 3 more"),
            "{m}"
        );
        assert!(!m.contains("S-6"), "{m}");
    }
    let partial = messages(RuleCode::PartialPromise);
    assert_eq!(
        partial,
        vec![
            "should-have promise P-2 \"Order export\" is only partly scoped (S-11, S-12, S-13, S-14, S-15 and 2 more) and no gap records it"
        ]
    );
    // People read the same words.
    let text = f.run(&["check", ".", "--today", "2026-03-10"]).stdout;
    assert!(
        text.contains("S-1, S-2, S-3, S-4, S-5 and 3 more"),
        "{text}"
    );
    assert!(!text.contains("S-8"), "{text}");
}

#[test]
fn a_short_list_of_covering_items_is_named_whole() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - { id: S-1, covers: [P-1], effort: 5 }\n  - { id: S-2, covers: [P-1], effort: 5 }\n",
    );
    f.write(
        "gaps.yaml",
        "gaps:\n  - { id: G-1, promise: P-1, kind: unscoped, criticality: minor }\n",
    );
    let run = f.run(&["check", ".", "--format", "json", "--today", "2026-03-10"]);
    assert!(
        run.stdout
            .contains("but it is now fully covered by S-1, S-2\""),
        "{}",
        run.stdout
    );
}

#[test]
fn long_lists_in_check_json() {
    let f = one_promise_many_covering_items();
    let run = f.run(&["check", ".", "--format", "json", "--today", "2026-03-10"]);
    insta::assert_snapshot!("long_lists_json", run.stdout);
}
