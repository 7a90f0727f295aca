//! The command line itself: clap's consistency checks on the definition,
//! and `handoff rules`, the list users read to configure `[rules]`.
#![allow(clippy::panic)] // tests report failure by panicking

use clap::CommandFactory as _;

use crate::common::{repo_root, run_in};

/// Conflicting flags, duplicate short options or a bad default only show
/// when that subcommand is parsed; this walks all of them at once.
#[test]
fn the_command_line_definition_is_consistent() {
    handoff::cli::Cli::command().debug_assert();
}

#[test]
fn rules_lists_every_rule_with_its_default_level() {
    let run = run_in(&repo_root(), &["rules"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    insta::assert_snapshot!("rules_text", run.stdout);
}
