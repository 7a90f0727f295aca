//! Only the right people: person fields name stakeholders, agreements are
//! the customer's, and sign-offs come from someone eligible.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::{Fixture, has};
use handoff::finding::RuleCode;

fn rows_of(f: &Fixture, code: RuleCode) -> Vec<common::Row> {
    f.findings(&[])
        .into_iter()
        .filter(|r| r.0 == code.as_str())
        .collect()
}

const AGREED_GAP: &str = "\
gaps:
  - id: G-1
    promise: P-1
    criticality: major
    status: agreed
    resolution: workaround
    owner: spm
    agreed_with: WHO
";

// unknown-person

#[test]
fn unknown_person_is_an_error_for_agreed_with_and_a_warning_elsewhere() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: 10\n    owner: Sam PM\n",
    );
    f.write("gaps.yaml", &AGREED_GAP.replace("WHO", "carla"));
    let rows = f.findings(&[]);
    assert!(has(&rows, "unknown-person", "warning", "S-1"), "{rows:#?}");
    assert!(has(&rows, "unknown-person", "error", "G-1"), "{rows:#?}");
    let json = f.run(&["check", ".", "--format", "json"]).stdout;
    assert!(json.contains("did you mean spm?"), "{json}");
}

#[test]
fn unknown_person_says_did_you_mean_for_a_key_in_the_wrong_case() {
    let f = Fixture::clean();
    f.write("gaps.yaml", &AGREED_GAP.replace("WHO", "CEXEC"));
    let run = f.run(&["check", "."]);
    assert!(run.stdout.contains("did you mean cexec?"), "{}", run.stdout);
}

#[test]
fn unknown_person_quiet_when_every_person_is_a_stakeholder() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: 10\n    owner: spm\n",
    );
    f.write("gaps.yaml", &AGREED_GAP.replace("WHO", "cexec"));
    assert!(rows_of(&f, RuleCode::UnknownPerson).is_empty());
}

// agreement-not-customer

#[test]
fn agreement_not_customer_fires_for_our_own_people_and_the_gap_is_not_agreed() {
    let f = Fixture::clean();
    f.write("gaps.yaml", &AGREED_GAP.replace("WHO", "spm"));
    let rows = f.findings(&[]);
    assert!(
        has(&rows, "agreement-not-customer", "error", "G-1"),
        "{rows:#?}"
    );
    // Counted as not agreed: the customer has not been told.
    assert!(
        has(&rows, "customer-not-told", "warning", "G-1"),
        "{rows:#?}"
    );
}

#[test]
fn agreement_not_customer_quiet_when_the_customer_agreed() {
    let f = Fixture::clean();
    f.write("gaps.yaml", &AGREED_GAP.replace("WHO", "cexec"));
    assert!(rows_of(&f, RuleCode::AgreementNotCustomer).is_empty());
    assert!(rows_of(&f, RuleCode::CustomerNotTold).is_empty());
}
