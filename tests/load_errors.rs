//! Bad input never crashes the tool: every problem is reported with
//! file:line:column and what is allowed, and the exit code is 2.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::Fixture;

fn invalid(f: &Fixture) -> String {
    let run = f.run(&["check", "."]);
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "nothing is judged when files are invalid: {}",
        run.stdout
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

#[test]
fn misspelled_key_names_the_key_the_place_and_the_fix() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    coverz: [P-1]\n    effort: 10\n",
    );
    let err = invalid(&f);
    assert!(err.contains("unknown key `coverz` in scope item"), "{err}");
    assert!(err.contains("scope.yaml:3:5"), "{err}");
    assert!(err.contains("did you mean `covers`?"), "{err}");
}

#[test]
fn value_outside_a_vocabulary_lists_what_is_allowed() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("priority: must", "priority: high"),
    );
    let err = invalid(&f);
    assert!(err.contains("`high` is not a valid priority"), "{err}");
    assert!(err.contains("promises.yaml:4:15"), "{err}");
    assert!(err.contains("allowed: must, should, could, wont"), "{err}");
}

#[test]
fn text_where_a_number_belongs_is_an_error() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: ten days\n",
    );
    let err = invalid(&f);
    assert!(err.contains("`effort` must be a number"), "{err}");
    assert!(err.contains("scope.yaml:4:13"), "{err}");
}

#[test]
fn broken_yaml_is_reported_with_its_position() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gaps:\n  - id: G-1\n    summary: [unclosed\n");
    let err = invalid(&f);
    assert!(err.contains("gaps.yaml is not valid YAML"), "{err}");
    assert!(err.contains("gaps.yaml:3:"), "{err}");
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF
            .replace("fixed_price", "fixed")
            .replace("sold: 10", "sold: lots"),
    );
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: 10\n    status: maybe\n",
    );
    f.write("gaps.yaml", "gaps:\n  - id: G-1\n    due: 31/12/2026\n");
    let err = invalid(&f);
    for needle in [
        "handoff.yaml:4:",
        "handoff.yaml:6:",
        "scope.yaml:5:13",
        "gaps.yaml:3:10",
        "4 problems to fix first",
    ] {
        assert!(err.contains(needle), "missing {needle} in:\n{err}");
    }
}

#[test]
fn impossible_dates_are_rejected() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace("kickoff: 2026-03-01", "kickoff: 2026-02-30"),
    );
    let err = invalid(&f);
    assert!(
        err.contains("must be a date written YYYY-MM-DD, found `2026-02-30`"),
        "{err}"
    );
}

#[test]
fn required_item_fields_are_enforced() {
    let f = Fixture::clean();
    f.write("promises.yaml", "promises:\n  - id: P-1\n");
    f.write("scope.yaml", "scope:\n  - id: S-1\n    covers: [P-1]\n");
    let err = invalid(&f);
    assert!(err.contains("promise has no `title`"), "{err}");
    assert!(err.contains("scope item has no `effort`"), "{err}");
}

#[test]
fn a_list_file_must_hold_its_own_key() {
    let f = Fixture::clean();
    f.write("gaps.yaml", "gap:\n  - id: G-1\n");
    let err = invalid(&f);
    assert!(err.contains("unknown key `gap` in gaps file"), "{err}");
    assert!(err.contains("did you mean `gaps`?"), "{err}");
}

#[test]
fn a_misspelled_file_name_is_an_error_not_silence() {
    let f = Fixture::clean();
    f.write("promise.yaml", "promises: []\n");
    let err = invalid(&f);
    assert!(
        err.contains("promise.yaml is not an engagement file"),
        "{err}"
    );
    assert!(err.contains("did you mean promises.yaml?"), "{err}");
}

#[test]
fn yes_and_no_are_text_not_booleans() {
    // A customer's answer "no" must stay the word, not become `false`.
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!("{}    asked: no\n", common::PROMISES),
    );
    assert_eq!(f.run(&["check", "."]).code, 0);
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: 10\n    internal: yes\n",
    );
    let err = invalid(&f);
    assert!(
        err.contains("`internal` must be `true` or `false`"),
        "{err}"
    );
}

#[test]
fn a_folder_without_engagements_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = common::run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no engagement found in ."),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("handoff init"), "{}", run.stderr);
}

#[test]
fn a_missing_path_is_exit_2() {
    let f = Fixture::clean();
    let run = f.run(&["check", "no-such-folder"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no-such-folder does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn non_utf8_files_are_reported_not_crashed_on() {
    let f = Fixture::clean();
    std::fs::write(f.path().join("gaps.yaml"), [0x67u8, 0x61, 0xff, 0xfe, 0x0a])
        .unwrap_or_else(|e| panic!("{e}"));
    let err = invalid(&f);
    assert!(err.contains("gaps.yaml is not UTF-8 text"), "{err}");
}

#[test]
fn bad_config_is_exit_2_with_position() {
    let f = Fixture::clean();
    f.write(
        "handoff.toml",
        "[thresholds]\neffort_variance_wran = 0.1\n\n[rules]\nunsold-scope = \"fatal\"\n",
    );
    let err = invalid(&f);
    assert!(err.contains("handoff.toml:2:1"), "{err}");
    f.write(
        "handoff.toml",
        "[rules]\nunsold-scope = \"fatal\"\nopen-gaps = \"off\"\n",
    );
    let err = invalid(&f);
    assert!(
        err.contains("`fatal` is not a rule level for `unsold-scope`"),
        "{err}"
    );
    assert!(err.contains("`open-gaps` is not a rule code"), "{err}");
    assert!(err.contains("did you mean `open-gap`?"), "{err}");
}

#[test]
fn bad_today_is_a_usage_error() {
    let f = Fixture::clean();
    let run = f.run(&["check", ".", "--today", "10/03/2026"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("write YYYY-MM-DD"), "{}", run.stderr);
}

#[test]
fn invalid_files_render_a_snippet_snapshot() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - id: S-1\n    coverz: [P-1]\n    effort: 10\n    approach: bespoke\n",
    );
    insta::assert_snapshot!(invalid(&f));
}

#[test]
fn a_yaml_tag_is_an_error_not_silently_dropped() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("title: Order import", "title: !important Order import"),
    );
    let err = invalid(&f);
    assert!(err.contains("unsupported tag `!important`"), "{err}");
    assert!(err.contains("promises.yaml:3:23"), "{err}");
    assert!(err.contains("remove the tag"), "{err}");
}

#[test]
fn contradictory_or_impossible_thresholds_are_reported_once_each() {
    let f = Fixture::clean();
    f.write(
        "handoff.toml",
        "[thresholds]\neffort_variance_low = 0.5\neffort_variance_warn = 0.1\nmargin_floor = 20\n",
    );
    let err = invalid(&f);
    assert!(
        err.contains("effort_variance_low is not below effort_variance_warn"),
        "{err}"
    );
    assert_eq!(err.matches("`margin_floor`").count(), 1, "{err}");
    f.write("handoff.toml", "[thresholds]\nmargin_floor = nan\n");
    assert!(invalid(&f).contains("`margin_floor` is a fraction"));
}

#[test]
fn a_contract_document_missing_both_fields_reports_both() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace(
            "services_value: 10000 }",
            "services_value: 10000, documents: [ { } ] }",
        ),
    );
    let err = invalid(&f);
    assert!(err.contains("contract document has no `kind`"), "{err}");
    assert!(err.contains("contract document has no `ref`"), "{err}");
}

#[test]
fn config_problems_point_at_their_own_value_not_a_comment() {
    let f = Fixture::clean();
    f.write(
        "handoff.toml",
        "# roles for sales are below\n[signoffs]\nroles = []\n\n[required]\nsignoffs = [\"sales\", \"legal\"]\n",
    );
    let err = invalid(&f);
    assert!(err.contains("handoff.toml:3:9"), "the empty list: {err}");
    assert!(err.contains("handoff.toml:6:22"), "`legal`: {err}");
    assert_eq!(
        err.matches("is not a sign-off role").count(),
        1,
        "defaults kept for an empty list: {err}"
    );
}
