//! `handoff`: make the sales-to-delivery handoff explicit and checkable.
//!
//! Data flows one way: files ([`load`], which alone uses [`yaml`]; with
//! [`config`] for `handoff.toml`) → typed model ([`model`]) → analysis
//! ([`analysis`]: indexes, coverage, figures) → findings ([`rules`],
//! [`finding`]) → output ([`output`], with [`format`] for numbers).
//! Commands ([`commands`]) wire these together; [`evaluate`] is the
//! pipeline the reading commands share.
//!
//! Beside that spine: [`signoff`] and [`fingerprint`] (who signed what, and
//! whether it changed since), [`git`] (reading revisions for `diff`) and
//! [`diff`] (matching two evaluations item by item). [`diag`] holds the
//! problems that stop evaluation, [`fsutil`] the safe writes. [`schema`]
//! generates the files' JSON Schemas from the field declarations.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diag;
pub mod diff;
pub mod evaluate;
pub mod finding;
pub mod fingerprint;
pub mod format;
pub mod fsutil;
pub mod git;
pub mod load;
pub mod model;
pub mod output;
pub mod rules;
pub mod schema;
pub mod signoff;
mod yaml;

use std::process::ExitCode;

/// The exit codes every command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Fine: nothing stops the handoff.
    Ok = 0,
    /// Findings: the gate said no.
    Findings = 1,
    /// Could not evaluate: bad usage, unreadable or invalid files, bad config.
    CouldNotEvaluate = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Runs one command.
pub fn run(cli: cli::Cli) -> anyhow::Result<Exit> {
    match cli.command {
        cli::Command::Check(args) => commands::check::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::Init(args) => commands::init::run(&args),
        cli::Command::Pid(args) => commands::pid::run(&args),
        cli::Command::Rules => commands::rules::run(),
        cli::Command::Sign(args) => commands::sign::run(&args),
        cli::Command::Status(args) => commands::status::run(&args),
        cli::Command::Diff(args) => commands::diff::run(&args),
        cli::Command::Schema(args) => commands::schema::run(&args),
    }
}
