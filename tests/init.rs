//! `handoff init` writes valid starter files and never overwrites.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::run_in;

#[test]
fn starter_files_load_and_list_what_is_still_missing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for name in [
        "handoff.yaml",
        "stakeholders.yaml",
        "promises.yaml",
        "scope.yaml",
        "gaps.yaml",
    ] {
        assert!(
            dir.path().join("acme").join(name).is_file(),
            "{name} not created"
        );
    }
    let check = run_in(dir.path(), &["check", "acme", "--format", "json"]);
    assert_eq!(
        check.code, 1,
        "starter files must load; they are just not ready: {}",
        check.stderr
    );
    let rows = common::rows(&check.stdout);
    assert!(
        rows.iter()
            .any(|r| r.0 == "missing-role" && r.2 == "executive"),
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.0 == "missing-field" && r.2 == "success_criteria"),
        "{rows:#?}"
    );
}

#[test]
fn example_engagement_is_ready() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run_in(dir.path(), &["init", "demo", "--example"]).code, 0);
    let check = run_in(dir.path(), &["check", "demo"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("verdict:  ready"), "{}", check.stdout);
}

#[test]
fn never_overwrites_and_names_the_files_that_exist() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("acme");
    std::fs::create_dir(&target).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(target.join("scope.yaml"), "# mine\n").unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("acme/scope.yaml already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(target.join("scope.yaml")).unwrap_or_default(),
        "# mine\n"
    );
    assert!(
        !target.join("handoff.yaml").exists(),
        "nothing is written when anything exists"
    );
}

#[test]
fn a_file_in_place_of_the_folder_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("acme"), "not a folder").unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("error: acme is a file, not a folder"),
        "{}",
        run.stderr
    );
}

/// A `schemas` link planted in the repository would have init write the
/// schema files wherever it points: refused, and nothing is written there.
#[cfg(unix)]
#[test]
fn a_schemas_folder_that_is_a_link_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("schemas"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("schemas is a symbolic link, so no schema is written through it"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_dir(elsewhere.path())
        .map(Iterator::count)
        .unwrap_or_default();
    assert_eq!(written, 0);
}
