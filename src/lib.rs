//! `handoff`: make the sales-to-delivery handoff explicit and checkable.
//!
//! Data flows one way: files ([`load`], which alone uses [`yaml`]; with
//! [`config`] for `handoff.toml` and [`git`] for revisions) → typed model
//! ([`model`]) → analysis ([`analysis`]: indexes, coverage, figures, and
//! the decisions documents show) → findings ([`rules`], [`finding`]) →
//! output ([`output`], with [`format`] for numbers) → commands
//! ([`commands`], with [`cli`] for the arguments as typed).
//!
//! Every command comes in through one front door, [`workspace`]: it takes
//! plain options and a source (the working tree or a git commit), finds
//! each engagement's config through that source, validates sign-off roles
//! and judges each engagement ([`evaluate`]). Every failure is one
//! [`error::Error`], rendered once by `main` through
//! [`output::messages`], the one module that writes messages.
//!
//! Beside that spine: [`signoff`] and [`fingerprint`] (who signed what, and
//! whether it changed since) and [`diff`] (matching two evaluations item by
//! item). [`diag`] holds the problems that stop evaluation, [`fsutil`] the
//! safe writes, [`date`] the calendar. [`schema`] generates the files'
//! JSON Schemas from the field declarations.
//!
//! Layers, lowest first; a module imports only from its own layer or
//! below, never from above, and there are no import cycles:
//! 1. `date`, `format`, `fsutil`, `process` (how long the process lives),
//!    `scan` (looking through text a word at a time);
//!    then `diag`, `yaml`, `toml_file`, `sheet`, `model`; then `finding`,
//!    `fingerprint`
//! 2. `load`, `rfp`; then `config`, `git`, `error`
//! 3. `analysis`; then `rules`, `signoff`
//! 4. `evaluate`; then `workspace`; then `diff`; then `history` (engagements
//!    read back through git's history); then `since` (what changed since
//!    each role signed), `stats`
//! 5. `output`, `schema`, `sandbox` (renders a custom template in a
//!    capped child process); then `cli`, `commands`

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diag;
pub mod diff;
pub mod error;
pub mod evaluate;
pub mod finding;
pub mod fingerprint;
pub mod format;
pub mod fsutil;
pub mod git;
pub mod history;
pub mod load;
pub mod model;
pub mod output;
pub mod process;
pub mod rfp;
pub mod rules;
pub mod sandbox;
mod scan;
pub mod schema;
pub mod sheet;
pub mod signoff;
pub mod since;
pub mod stats;
mod toml_file;
pub mod workspace;
mod yaml;

pub use error::Exit;

/// Runs one command.
pub fn run(cli: cli::Cli) -> Result<Exit, error::Error> {
    // `auto` leaves the choice to the streams: a terminal, NO_COLOR and
    // CLICOLOR_FORCE decide, as before the option existed.
    let color = match cli.global.color {
        cli::ColorWhen::Auto => anstream::ColorChoice::Auto,
        cli::ColorWhen::Always => anstream::ColorChoice::Always,
        cli::ColorWhen::Never => anstream::ColorChoice::Never,
    };
    color.write_global();
    output::set_quiet(cli.global.quiet);
    // `--all-problems` changes only how many problems are printed.
    let all_problems = match &cli.command {
        cli::Command::Check(args) => args.eval.all_problems,
        cli::Command::Report(args) => args.eval.all_problems,
        cli::Command::Pid(args) => args.eval.all_problems,
        cli::Command::Diff(args) => args.eval.all_problems,
        cli::Command::Site(args) => args.eval.all_problems,
        cli::Command::Export(args) => args.eval.all_problems,
        cli::Command::Import(args) => match &args.source {
            Some(cli::ImportSource::Rfp(rfp)) => rfp.eval.all_problems,
            None => args.eval.all_problems,
        },
        cli::Command::Stats(args) => args.eval.all_problems,
        _ => false,
    };
    let result = match cli.command {
        cli::Command::Check(args) => commands::check::run(&args),
        cli::Command::Report(args) => commands::report::run(&args),
        cli::Command::Init(args) => commands::init::run(&args),
        cli::Command::Pid(args) => commands::pid::run(&args),
        cli::Command::Rules(args) => commands::rules::run(&args),
        cli::Command::Explain(args) => commands::explain::run(&args),
        cli::Command::Completions(args) => commands::completions::run(&args),
        cli::Command::Man(args) => commands::man::run(&args),
        cli::Command::Sign(args) => commands::sign::run(&args),
        cli::Command::Status(args) => commands::status::run(&args),
        cli::Command::Waive(args) => commands::waive::run(&args),
        cli::Command::Diff(args) => commands::diff::run(&args),
        cli::Command::Schema(args) => commands::schema::run(&args),
        cli::Command::Site(args) => commands::site::run(&args),
        cli::Command::Export(args) => commands::export::run(&args),
        cli::Command::Import(args) => match &args.source {
            Some(cli::ImportSource::Rfp(rfp)) => commands::import_rfp::run(rfp),
            None => commands::import::run(&args),
        },
        cli::Command::Stats(args) => commands::stats::run(&args),
        cli::Command::RenderTemplate => sandbox::serve(),
    };
    result.map_err(|err| err.showing_all(all_problems))
}
