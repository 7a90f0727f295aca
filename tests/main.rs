//! The integration tests: one crate, one harness, one link.
//!
//! Each file beside this one is a module of this crate and keeps its own
//! helpers; `common` holds the engagement fixture several of them share.
//! A new test file is a new `mod` line here (`every_test_file_is_a_module`
//! fails until it is), since Cargo no longer discovers test files itself
//! (`autotests = false` in Cargo.toml).

mod common;

mod audience;
mod check_formats;
mod cli;
mod conventions;
mod declarations;
mod diff;
mod examples;
mod figures;
mod history;
mod hostile;
mod html;
mod init;
mod isolation;
mod load_errors;
mod messages;
mod people;
mod pid;
mod readme;
mod rfp;
mod robustness;
mod rules;
mod schema;
mod signoffs;
mod spreadsheets;
mod stats;
mod waivers;

/// With `autotests = false`, a file in tests/ that no `mod` line names is
/// silently never compiled; this makes that loud instead.
#[test]
fn every_test_file_is_a_module() {
    let dir = common::repo_root().join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs"))
        .unwrap_or_else(|e| panic!("cannot read tests/main.rs: {e}"));
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list tests/: {e}"));
    let mut missing = Vec::new();
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list tests/: {e}"))
            .path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let is_rust = path.extension().is_some_and(|e| e == "rs");
        if is_rust && stem != "main" && !main.contains(&format!("\nmod {stem};\n")) {
            missing.push(stem.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "tests/main.rs does not declare these test files, so they never run: {missing:?}"
    );
}
