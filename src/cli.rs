//! Command-line arguments, as typed (clap derive). Commands turn these into
//! what they need; nothing here reads files.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;

#[derive(Debug, Parser)]
#[command(
    name = "handoff",
    version,
    about = "Check the sales-to-delivery handoff before kickoff",
    long_about = "Joins what sales promised, what delivery scoped and the gaps the PM recorded, \
and says whether the handoff is ready: what is not covered, what nobody sold, where effort \
and margin went, and what nobody decided.\n\nExit codes: 0 fine, 1 findings (the gate said no), \
2 could not evaluate."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check engagements and say whether each is ready for kickoff.
    Check(CheckArgs),
    /// The gap report: every promise, its coverage, effort and gap.
    Report(ReportArgs),
    /// Create an engagement folder with starter files.
    Init(InitArgs),
    /// List every rule code with its default severity.
    Rules,
    /// What changed between two git revisions, in business terms.
    Diff(DiffArgs),
}

/// Options that change how an engagement is judged.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Use this config instead of the handoff.toml found by walking up.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Today's date (YYYY-MM-DD), for reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
    /// Cost per unit of effort, kept out of the files because it is sensitive.
    #[arg(long, value_name = "N", env = "HANDOFF_COST_RATE", value_parser = parse_rate, hide_env_values = true)]
    pub cost_rate: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    /// GitHub Actions workflow commands: annotations on the changed files.
    Github,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// A job summary or pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Engagement folders, or folders to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Fail on warnings too: exit 0 only when every engagement is ready.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An engagement folder, or a folder to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    /// For a pull-request comment or job summary (under 60,000 characters).
    Markdown,
    /// The `handoff-diff/1` contract (docs/diff.md).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 when HEAD adds an error.
    NewErrors,
    /// Exit 1 when HEAD adds an error or a warning.
    NewWarnings,
}

#[derive(Debug, Args)]
#[command(
    long_about = "Compares the engagements of two git revisions: items added, removed and changed \
field by field, findings new and resolved, figures before and after, and highlights in plain words.\n\n\
BASE defaults to HEAD and HEAD to the working tree, so a bare `handoff diff` shows uncommitted \
changes. `A...B` compares the merge-base of A and B with B, as a pull request does; `A..B` is \
the same as `A B`.\n\nExit codes: 0 by default (it is a report), 1 with --fail-on when HEAD adds \
such findings, 2 when it could not compare (a revision missing from a shallow clone, invalid files)."
)]
pub struct DiffArgs {
    /// The revision to compare from (default HEAD); `A...B` for a pull request.
    #[arg(value_name = "BASE")]
    pub base: Option<String>,
    /// The revision to compare to (default: the working tree).
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    /// Engagement folders, or folders to search for them (default: the current folder).
    #[arg(last = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when HEAD adds findings of this severity or worse.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// Show the text of changed stakeholder notes (private; hidden by default).
    #[arg(long)]
    pub show_notes: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create (the current folder when left out).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Fill the files with a realistic example engagement.
    #[arg(long)]
    pub example: bool,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD, e.g. 2026-03-17"))
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= 0.0 => Ok(rate),
        _ => Err(format!(
            "`{text}` is not a cost rate; write a number such as 520"
        )),
    }
}
