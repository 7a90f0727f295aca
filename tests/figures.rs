//! Contract changes reach the figures (issue 9, section 1), and the smaller
//! rules of its section 4: a side deal cleared by an agreed gap, no delivery
//! rules for promises we will not deliver, `price-mismatch` and
//! `placeholder-value`.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common::{self, Fixture, has};

/// 100 days sold for 100,000 EUR at a cost of 500 a day; scope of 110 days
/// and a gap of each kind that moves the figures.
const HANDOFF: &str = "\
id: T-1
name: Test engagement
customer: { name: Test Customer }
contract: { type: fixed_price, currency: EUR, services_value: 100000 }
dates: { kickoff: 2026-03-01, go_live: 2026-06-01 }
effort: { unit: days, sold: 100, cost_rate: 500, target_margin: 0.3 }
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]
";

const PROMISES: &str = "\
promises:
  - { id: P-1, title: Order import, acceptance: [imports], commitment: contractual }
  - { id: P-2, title: Order export, acceptance: [exports], commitment: contractual }
  - { id: P-3, title: Label printing, acceptance: [prints], commitment: contractual }
";

const SCOPE: &str = "\
scope:
  - { id: S-1, covers: [P-1, P-2], effort: 80 }
  - { id: S-2, covers: [P-3], effort: 20 }
  - { id: S-3, internal: true, effort: 10 }
";

/// G-1 an agreed change request, G-2 a closed descope (named by scope item,
/// so spread over P-1 and P-2), G-3 an agreed concession with a licence
/// cost, G-4 a change request the customer has not agreed yet, G-5 an open
/// gap (counts nowhere), G-6 an agreed discount.
const GAPS: &str = "\
gaps:
  - { id: G-1, promise: P-1, kind: commercial, criticality: minor, resolution: change_request, status: agreed, owner: spm, agreed_with: cexec, effort_delta: 12, price_delta: 12000 }
  - { id: G-2, scope: S-1, kind: commercial, criticality: minor, resolution: descope, status: closed, owner: spm, agreed_with: cexec, effort_delta: -6, price_delta: -4000 }
  - { id: G-3, promise: P-3, kind: partial, criticality: minor, resolution: concession, status: agreed, owner: spm, agreed_with: cexec, effort_delta: 4, cost_delta: 1500 }
  - { id: G-4, promise: P-2, kind: commercial, criticality: minor, resolution: change_request, status: decided, owner: spm, effort_delta: 8, price_delta: 6000 }
  - { id: G-5, promise: P-3, kind: partial, criticality: minor, status: open, effort_delta: 50, price_delta: 777, cost_delta: 9999 }
  - { id: G-6, promise: P-3, kind: commercial, criticality: minor, resolution: concession, status: agreed, owner: spm, agreed_with: cexec, price_delta: -1000 }
";

fn contract_changes() -> Fixture {
    let f = Fixture::clean();
    f.write("handoff.yaml", HANDOFF);
    f.write("promises.yaml", PROMISES);
    f.write("scope.yaml", SCOPE);
    f.write("gaps.yaml", GAPS);
    f
}

fn json(f: &Fixture, args: &[&str]) -> serde_json::Value {
    let run = f.run(args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
fn contract_changes_give_the_documented_figures() {
    let f = contract_changes();
    let doc = json(
        &f,
        &["check", ".", "--format", "json", "--today", "2026-03-10"],
    );
    assert_eq!(doc["schema"], "handoff-check/2");
    // S = 100 + 12 − 6; R = 100000 + 12000 − 4000 − 1000;
    // E = 110 + 12 − 6 + 4 + 8; X = 1500.
    let expected = serde_json::json!({
        "effort_sold": 100.0,
        "effort_contracted": 106.0,
        "effort_scoped": 128.0,
        "effort_variance": 0.2075,
        "price_sold": 100000.0,
        "price_contracted": 107000.0,
        "cost_extra": 1500.0,
        "margin_sold": 0.5,
        "margin_contracted": 0.5047,
        "margin_scoped": 0.3879,
        "margin_at_risk": 12500.0,
        "pending_change_requests": { "count": 1, "effort": 8.0 },
        "coverage": { "covered": 3, "partial": 0, "unscoped": 0, "n_a": 0 }
    });
    assert_eq!(doc["engagements"][0]["figures"], expected);
}

#[test]
fn contract_changes_show_in_the_text_summary() {
    let f = contract_changes();
    let run = f.run(&["check", ".", "--today", "2026-03-10"]);
    for line in [
        "  effort:   128 days scoped, 106 contracted (100 sold + 6 by change requests) (+20.8%)",
        "  margin:   50.0% at sale, 50.5% contracted, 38.8% at scope, 12,500 EUR at risk",
        "  changes:  1 change request awaiting the customer, +8 days",
    ] {
        assert!(run.stdout.contains(line), "{line}\n---\n{}", run.stdout);
    }
}

#[test]
fn without_contract_changes_the_summary_is_as_before() {
    let f = Fixture::clean();
    let run = f.run(&["check", ".", "--today", "2026-03-10"]);
    assert!(
        run.stdout.contains("  effort:   10 days scoped, 10 sold (+0.0%)\n  margin:   50.0% at sale, 50.0% at scope, 0 EUR at risk\n  promises:"),
        "{}",
        run.stdout
    );
    let doc = json(&f, &["check", ".", "--format", "json"]);
    let figures = &doc["engagements"][0]["figures"];
    assert_eq!(figures["effort_contracted"], 10.0);
    assert_eq!(figures["price_contracted"], 10000.0);
    assert_eq!(figures["margin_contracted"], figures["margin_sold"]);
    assert_eq!(figures["cost_extra"], 0.0);
    assert_eq!(
        figures["pending_change_requests"],
        serde_json::json!({ "count": 0, "effort": 0.0 })
    );
}

#[test]
fn per_promise_effort_includes_the_gap_deltas() {
    let f = contract_changes();
    let doc = json(&f, &["report", ".", "--format", "json"]);
    assert_eq!(doc["schema"], "handoff-report/2");
    let promises = doc["engagements"][0]["promises"]
        .as_array()
        .unwrap_or_else(|| panic!("no promises: {doc}"));
    let efforts: Vec<(String, f64, f64)> = promises
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or_default().to_string(),
                p["scoped_effort"].as_f64().unwrap_or(f64::NAN),
                p["gap_effort"].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect();
    // P-1: 40 + 12 (G-1) − 3 (half of G-2); P-2: 40 − 3 + 8 (G-4);
    // P-3: 20 + 4 (G-3); with 10 days internal they add up to 128.
    assert_eq!(
        efforts,
        vec![
            ("P-1".to_string(), 49.0, 9.0),
            ("P-2".to_string(), 45.0, 5.0),
            ("P-3".to_string(), 24.0, 4.0),
        ]
    );
}

#[test]
fn the_report_shows_the_part_of_a_promise_effort_that_gaps_add() {
    let f = contract_changes();
    let table = f.run(&["report", "."]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    for cell in [
        "49 (+9 from gaps)",
        "45 (+5 from gaps)",
        "24 (+4 from gaps)",
    ] {
        assert!(table.stdout.contains(cell), "{cell}\n---\n{}", table.stdout);
    }
    let markdown = f.run(&["report", ".", "--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .contains("| P-1 | Order import | must | - | covered | S-1 | - | 49 (+9 from gaps) | G-1 (agreed) |"),
        "{}",
        markdown.stdout
    );
    // Only the descope left: it takes effort away, and a promise no gap
    // changes shows its effort alone.
    f.write(
        "gaps.yaml",
        &GAPS
            .lines()
            .filter(|l| !l.contains("id: G-") || l.contains("id: G-2,"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    let run = f.run(&["report", ".", "--format", "markdown"]);
    for cell in ["| 37 (−3 from gaps) |", "| 20 | - |"] {
        assert!(run.stdout.contains(cell), "{cell}\n---\n{}", run.stdout);
    }
    // The customer never gets the gaps' effort, so no split either, even
    // where effort is shown (time and materials).
    f.write(
        "handoff.yaml",
        &HANDOFF.replace("type: fixed_price", "type: time_and_materials"),
    );
    let customer = f.run(&["report", ".", "--audience", "customer"]);
    assert!(
        customer.stdout.contains("scoped (days)"),
        "{}",
        customer.stdout
    );
    assert!(
        !customer.stdout.contains("from gaps"),
        "{}",
        customer.stdout
    );
}

#[test]
fn the_pid_shows_one_total_with_its_split() {
    let f = contract_changes();
    let run = f.run(&[
        "pid",
        ".",
        "--audience",
        "internal",
        "--today",
        "2026-03-10",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    for text in [
        "128 days in all (110 days in scope items + 18 days from decided gaps)",
        "| Effort contracted (after agreed changes) | 106 days |",
        "| Price contracted (after agreed changes) | 107,000 EUR |",
        "| Margin contracted | 50.5% |",
        "| Extra cost (not effort) | 1,500 EUR |",
        "| Change requests | 1 change request awaiting the customer, +8 days |",
        "| **Total scoped** | **128 days** |",
    ] {
        assert!(run.stdout.contains(text), "{text}\n---\n{}", run.stdout);
    }
}

#[test]
fn an_agreed_change_request_moves_the_contract_not_a_decided_one() {
    let f = contract_changes();
    f.write(
        "gaps.yaml",
        &GAPS.replace("status: decided", "status: agreed, agreed_with: cexec"),
    );
    let doc = json(&f, &["check", ".", "--format", "json"]);
    let figures = &doc["engagements"][0]["figures"];
    assert_eq!(figures["effort_contracted"], 114.0);
    assert_eq!(figures["price_contracted"], 113000.0);
    assert_eq!(figures["effort_scoped"], 128.0);
    assert_eq!(figures["pending_change_requests"]["count"], 0);
}

#[test]
fn a_change_request_agreed_with_our_own_people_does_not_move_the_contract() {
    let f = contract_changes();
    // spm is the supplier's project manager: only the customer can agree.
    f.write(
        "gaps.yaml",
        &GAPS.replace("status: decided", "status: agreed, agreed_with: spm"),
    );
    let doc = json(&f, &["check", ".", "--format", "json"]);
    let figures = &doc["engagements"][0]["figures"];
    assert_eq!(figures["effort_contracted"], 106.0);
    assert_eq!(figures["price_contracted"], 107000.0);
    assert_eq!(figures["pending_change_requests"]["count"], 1);
    assert_eq!(figures["pending_change_requests"]["effort"], 8.0);
}

// undocumented-promise: cleared by an agreed or closed gap

fn side_deal(gap_status: &str) -> Fixture {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("commitment: contractual", "commitment: side_deal"),
    );
    f.write(
        "gaps.yaml",
        &format!("gaps:\n  - {{ id: G-1, promise: P-1, kind: commercial, criticality: minor, resolution: concession, status: {gap_status}, owner: spm, agreed_with: cexec }}\n"),
    );
    f
}

#[test]
fn undocumented_promise_is_cleared_by_an_agreed_or_closed_gap() {
    for status in ["agreed", "closed"] {
        let rows = side_deal(status).findings(&[]);
        assert!(
            !rows.iter().any(|r| r.0 == "undocumented-promise"),
            "{status}: {rows:#?}"
        );
    }
}

#[test]
fn undocumented_promise_still_fires_while_the_gap_is_only_decided() {
    let rows = side_deal("decided").findings(&[]);
    assert!(
        has(&rows, "undocumented-promise", "warning", "P-1"),
        "{rows:#?}"
    );
}

// date-conflict: none for promises we will not deliver

#[test]
fn date_conflict_is_quiet_for_promises_we_will_not_deliver() {
    let late = |(from, to): (&str, &str)| {
        let f = Fixture::clean();
        f.write(
            "promises.yaml",
            &format!(
                "{}    due: 2026-05-01\n",
                common::PROMISES.replace(from, to)
            ),
        );
        f.write(
            "scope.yaml",
            "scope:\n  - { id: S-1, covers: [P-1], effort: 10, due: 2026-05-02 }\n",
        );
        f.findings(&[])
    };
    assert!(has(&late(("", "")), "date-conflict", "error", "S-1"));
    for extra in [
        ("commitment:", "status: withdrawn\n    commitment:"),
        ("commitment:", "status: superseded\n    commitment:"),
        ("priority: must", "priority: wont"),
        ("response: standard", "response: exception"),
    ] {
        let rows = late(extra);
        let rows: Vec<_> = rows
            .iter()
            .filter(|r| r.0 == "date-conflict" || r.0 == "missing-acceptance")
            .collect();
        assert!(rows.is_empty(), "{extra:?}: {rows:#?}");
    }
}

// price-mismatch

fn priced(contract: &str, day_rate: &str) -> Vec<common::Row> {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF
            .replace("type: fixed_price", &format!("type: {contract}"))
            .replace("sold: 10,", &format!("sold: 10, day_rate: {day_rate},")),
    );
    f.findings(&[])
}

#[test]
fn price_mismatch_fires_for_a_thousands_separator_and_far_prices() {
    // 10 days sold for 10,000: `1.100` was meant as 1,100.
    for rate in ["1.100", "1501", "499"] {
        let rows = priced("fixed_price", rate);
        assert!(
            has(&rows, "price-mismatch", "warning", "T-1"),
            "{rate}: {rows:#?}"
        );
        let row = rows.iter().find(|r| r.0 == "price-mismatch");
        assert_eq!(row.map(|r| r.3.as_str()), Some("handoff.yaml"));
    }
}

#[test]
fn price_mismatch_is_quiet_within_half_and_off_fixed_price() {
    for rate in ["1000", "1500", "500", "1100"] {
        let rows = priced("fixed_price", rate);
        assert!(
            !rows.iter().any(|r| r.0 == "price-mismatch"),
            "{rate}: {rows:#?}"
        );
    }
    let rows = priced("time_and_materials", "1.100");
    assert!(!rows.iter().any(|r| r.0 == "price-mismatch"), "{rows:#?}");
}

// placeholder-value

#[test]
fn placeholder_value_fires_for_the_starter_placeholders() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF
            .replace("id: T-1", "id: CUSTOMER-2026-PROJECT")
            .replace("name: Test Customer", "name: Customer Ltd."),
    );
    let rows = f.findings(&[]);
    assert!(has(&rows, "placeholder-value", "error", "id"), "{rows:#?}");
    assert!(
        has(&rows, "placeholder-value", "error", "customer.name"),
        "{rows:#?}"
    );
    // `name` is not required by default, so its placeholder is left alone.
    assert!(
        !has(&rows, "placeholder-value", "error", "name"),
        "{rows:#?}"
    );
}

#[test]
fn placeholder_value_covers_fields_made_required_and_is_quiet_when_filled() {
    let f = Fixture::clean();
    assert!(!f.codes().iter().any(|c| c == "placeholder-value"));
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace("name: Test engagement", "name: Customer - project name"),
    );
    f.config("[required]\nfields = [\"name\", \"customer.name\"]");
    let rows = f.findings(&[]);
    assert!(
        has(&rows, "placeholder-value", "error", "name"),
        "{rows:#?}"
    );
}

#[test]
fn the_starter_files_report_their_placeholders() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = common::run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = common::run_in(dir.path(), &["check", "acme", "--format", "json"]);
    let rows = common::rows(&check.stdout);
    assert!(has(&rows, "placeholder-value", "error", "id"), "{rows:#?}");
    assert!(
        has(&rows, "placeholder-value", "error", "customer.name"),
        "{rows:#?}"
    );
}

#[test]
fn diff_shows_the_contracted_figures_when_a_change_request_is_agreed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repo = git2::Repository::init(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    };
    write("handoff.yaml", HANDOFF);
    write("stakeholders.yaml", common::STAKEHOLDERS);
    write("promises.yaml", PROMISES);
    write("scope.yaml", SCOPE);
    write("gaps.yaml", GAPS);
    write("handoff.toml", "[required]\nsignoffs = []\n");
    let mut index = repo.index().unwrap_or_else(|e| panic!("{e}"));
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap_or_else(|e| panic!("{e}"));
    let tree_id = index.write_tree().unwrap_or_else(|e| panic!("{e}"));
    let tree = repo.find_tree(tree_id).unwrap_or_else(|e| panic!("{e}"));
    let sig = git2::Signature::new(
        "Pat Tester",
        "pat@example.com",
        &git2::Time::new(1_767_225_600, 0),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    repo.commit(Some("HEAD"), &sig, &sig, "before", &tree, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    // The customer signs G-4: its 8 days and 6,000 EUR join the contract.
    write(
        "gaps.yaml",
        &GAPS.replace("status: decided", "status: agreed, agreed_with: cexec"),
    );
    let run = common::run_in(dir.path(), &["diff", "--today", "2026-03-10"]);
    for line in [
        "effort contracted",
        "106 days",
        "114 days",
        "price contracted",
        "107,000 EUR",
        "113,000 EUR",
        "margin contracted",
    ] {
        assert!(
            run.stdout.contains(line),
            "{line}\n---\n{}{}",
            run.stdout,
            run.stderr
        );
    }
    let run = common::run_in(dir.path(), &["diff", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!(doc["schema"], "handoff-diff/2");
    let e = &doc["engagements"][0];
    assert_eq!(e["before"]["figures"]["effort_contracted"], 106.0);
    assert_eq!(e["after"]["figures"]["effort_contracted"], 114.0);
    assert_eq!(e["after"]["figures"]["pending_change_requests"]["count"], 0);
}
