//! Command-line arguments, as typed (clap derive). Commands turn these into
//! what they need; nothing here reads files.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::date::Date;
use crate::model::audience::Reader;
use crate::model::{Decision, Vocab};
use crate::workspace::Options;

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
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes, before or after its name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// When to colour the output: auto (a terminal without NO_COLOR, or
    /// CLICOLOR_FORCE set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
    /// Print at most one line: the verdict of `check`, nothing for other
    /// commands that succeed. The exit code says the rest; errors are still shown.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check engagements and say whether each is ready for kickoff.
    Check(CheckArgs),
    /// The gap report: every promise, its coverage, effort and gap.
    Report(ReportArgs),
    /// Draft the Project Initiation Document (markdown) from an engagement.
    ///
    /// A PRINCE2-style PID drafted from the engagement files: the same files give the
    /// same document, so it can be committed and reviewed. Works on engagements that are
    /// not ready yet, and says so. docs/pid.md describes the document and templates.
    ///
    /// Exit codes: 0 printed or written (with --check: up to date), 1 out of date
    /// (--check only), 2 could not evaluate or render.
    Pid(PidArgs),
    /// What changed between two git revisions, in business terms.
    Diff(DiffArgs),
    /// Sign the engagement off for a role, recording what you signed.
    Sign(SignArgs),
    /// Who signed off, when, and whether the files changed since.
    Status(StatusArgs),
    /// Accept a finding on purpose, with a reason, an owner and an end date.
    Waive(WaiveArgs),
    /// Create an engagement folder with starter files.
    Init(InitArgs),
    /// List every rule code with its default severity.
    Rules(RulesArgs),
    /// Explain a rule: when it fires, why it matters, an example and the fix.
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    ///
    /// bash: `handoff completions bash > ~/.local/share/bash-completion/completions/handoff`;
    /// zsh: write `_handoff` into a folder on $fpath; fish: `handoff completions fish >
    /// ~/.config/fish/completions/handoff.fish`.
    Completions(CompletionsArgs),
    /// Write a man page for handoff and each of its commands.
    Man(ManArgs),
    /// Write JSON Schemas of the engagement files and handoff.toml, for editors.
    ///
    /// One schema (draft 2020-12) per file kind: handoff, stakeholders, promises, scope,
    /// gaps, signoffs, and handoff-toml for the config. Editors use them to complete keys,
    /// offer allowed values and underline mistakes while typing; docs/editors.md says how.
    ///
    /// Exit codes: 0 written (or already up to date), 2 could not write.
    Schema(SchemaArgs),
    /// Publish a static HTML site of every engagement: a portfolio and one page each.
    ///
    /// index.html lists every engagement (worst verdict first; other pages order them by
    /// kickoff date and by money at risk), stats.html shows the figures of `handoff stats`
    /// by sales owner and by quarter with charts (and, internal site, the gap burn-down over
    /// the git history), and each engagement has its own page, as
    /// `report --format html` makes it. Relative links only: the folder can be zipped,
    /// served by any static host or opened from disk. docs/html.md describes the pages.
    ///
    /// Exit codes: 0 written, 2 could not write, or some engagements could not be read
    /// (they are listed in the site as "cannot be evaluated").
    Site(SiteArgs),
    /// Write the engagement to a workbook (xlsx) or csv files, to edit in a spreadsheet.
    ///
    /// The workbook has the sheets Summary, Promises, Scope, Gaps, Stakeholders and Findings,
    /// columns from the field declarations, dropdowns for every vocabulary, and a hidden
    /// `_handoff` sheet that lets `handoff import` apply only what people changed.
    /// docs/spreadsheets.md describes the layout.
    ///
    /// Exit codes: 0 written, 2 could not evaluate or write.
    Export(ExportArgs),
    /// Apply a workbook or csv files edited in a spreadsheet back to the YAML files.
    ///
    /// Applies only what people changed in the sheet since export (three-way, with the
    /// hidden `_handoff` sheet); a value changed both in the files and in the sheet is a
    /// conflict. Only the changed values change in the files; comments and layout stay.
    ///
    /// Exit codes: 0 imported (or nothing to import), 2 a bad cell, a conflict, or could not write.
    Import(ImportArgs),
    /// Promise quality across engagements, by person, customer, quarter or roadmap tag.
    ///
    /// Pooled shares (sums over each row, not means of ratios) with a total row:
    /// verbal and roadmap promises, must-haves without acceptance criteria, effort
    /// variance and margins (internal figures), open gaps, findings and readiness.
    /// With --history: every engagement at every commit of the first-parent
    /// history that changed it, and when each became ready. docs/stats.md has the
    /// formulas and the JSON and CSV contracts.
    ///
    /// Exit codes: 0 reported, 2 some engagement could not be read (the rest is
    /// reported) or the history could not be walked.
    Stats(StatsArgs),
    /// Internal: renders a custom PID template with capped memory, for `handoff pid`.
    #[command(name = "__render-template", hide = true)]
    RenderTemplate,
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
    /// Print every problem in the files, not only the first 200.
    #[arg(long)]
    pub all_problems: bool,
}

impl EvalArgs {
    /// The plain options the front door takes.
    pub fn options(&self) -> Options {
        Options {
            config: self.config.clone(),
            today: self.today,
            cost_rate: self.cost_rate,
        }
    }
}

/// Where a command's document goes: stdout, or a file written atomically.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Write the output to FILE (atomically) instead of printing it; only
    /// over a previous output of the same command unless --force.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With -o: overwrite FILE even if it is not a previous output of this command.
    #[arg(long, requires = "output")]
    pub force: bool,
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
    pub out: OutputArgs,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Json,
    /// One self-contained page (no script, nothing fetched) to mail or print.
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An engagement folder, or a folder to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Who the report is for: internal (the default) or customer (no
    /// margins, finding messages or internal items).
    #[arg(long, value_enum, value_name = "AUDIENCE", default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,
    #[command(flatten)]
    pub out: OutputArgs,
    #[command(flatten)]
    pub eval: EvalArgs,
    /// With --format html: include stakeholders' private notes (never share
    /// such a page outside).
    #[arg(long)]
    pub include_private: bool,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Engagement folders, or folders to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The folder to write the site in; created when missing.
    #[arg(short = 'o', long = "output", value_name = "DIR", required = true)]
    pub output: PathBuf,
    /// Write into DIR even if it holds files handoff site did not write
    /// (they are left as they are).
    #[arg(long)]
    pub force: bool,
    /// Who the site is for: internal (the default) or customer (no margins,
    /// finding messages or internal items).
    #[arg(long, value_enum, value_name = "AUDIENCE", default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,
    /// Include stakeholders' private notes (never publish such a site outside).
    #[arg(long)]
    pub include_private: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    /// For a pull-request comment or job summary (under 60,000 characters).
    Markdown,
    /// The `handoff-diff/2` contract (docs/diff.md).
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
    /// Compare the content ROLE's sign-off covers with the working tree,
    /// for each engagement (takes no revisions).
    #[arg(long, value_name = "ROLE", conflicts_with_all = ["base", "head"])]
    pub since_signoff: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
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

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The folder to write the schemas in; created when missing.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        default_value = "schemas"
    )]
    pub output: PathBuf,
    /// Replace files of the same names that handoff schema did not write.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct PidArgs {
    /// The engagement folder.
    #[arg(value_name = "ENGAGEMENT", default_value = ".")]
    pub engagement: PathBuf,
    /// Write the PID to FILE (atomically) instead of printing it.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        conflicts_with = "check"
    )]
    pub output: Option<PathBuf>,
    /// With -o: overwrite FILE even if handoff did not generate it.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Render this template instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Print the built-in template, to adapt it to your own PID format.
    #[arg(long, conflicts_with_all = ["output", "check", "template", "include_private"])]
    pub print_template: bool,
    /// Exit 0 if FILE is what would be generated, 1 if it is out of date.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
    /// Who the PID is for: customer (the default: it is the project board's
    /// document) or internal (adds margins and stakeholder assessments).
    #[arg(long, value_enum, value_name = "AUDIENCE")]
    pub audience: Option<AudienceArg>,
    /// Include stakeholders' private notes (never share such a PID outside);
    /// makes the PID internal.
    #[arg(long)]
    pub include_private: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

/// Who a document is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// Shareable with the customer: no margins, costs or assessments of people.
    Customer,
    /// The supplier's team: everything but private notes.
    Internal,
}

impl AudienceArg {
    pub fn reader(self) -> Reader {
        match self {
            AudienceArg::Customer => Reader::Customer,
            AudienceArg::Internal => Reader::Internal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    /// Code, default severity, summary and documentation anchor of each rule.
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule code, as `handoff check` prints it (e.g. open-gap).
    #[arg(value_name = "CODE")]
    pub code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write the pages into (created if missing); without it,
    /// the page of `handoff` itself is printed.
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WaiveArgs {
    /// The finding to accept: its fingerprint as `check --format json`
    /// prints it, or its code with its item (`effort-underrun/effort`).
    #[arg(value_name = "FINDING")]
    pub finding: String,
    /// The stakeholder key of who accepts it (a supplier-side approver).
    #[arg(long, value_name = "KEY")]
    pub by: String,
    /// Why it is accepted.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The last day it holds (YYYY-MM-DD), today or later.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Date,
    /// The engagement folder (default: the current folder).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Today's date instead of the clock's (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
    /// Use this config instead of the handoff.toml found by walking up.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// The role you sign for: sales, delivery, presales_review, finance or
    /// customer_sponsor, or the roles `[signoffs] roles` in handoff.toml lists.
    #[arg(value_name = "ROLE")]
    pub role: String,
    /// Your stakeholder key, as written in stakeholders.yaml.
    #[arg(long, value_name = "KEY")]
    pub by: String,
    /// The engagement folder (the current folder when left out).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// approved, approved_with_conditions or rejected; approved unless
    /// conditions are given.
    #[arg(long, value_name = "DECISION", value_parser = parse_decision)]
    pub decision: Option<Decision>,
    /// A condition of the approval (or a reason for a rejection); naming a
    /// gap id ties the condition to that gap. Repeat for several.
    #[arg(long = "condition", value_name = "TEXT")]
    pub conditions: Vec<String>,
    /// A file that backs the decision (an .eml, a signed PDF), inside the
    /// repository: its SHA-256 and path are recorded.
    #[arg(long, value_name = "FILE")]
    pub evidence: Option<PathBuf>,
    /// The date of the sign-off (YYYY-MM-DD); today when left out. It may
    /// not be after today.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<Date>,
    /// Today's date (YYYY-MM-DD), for reproducible runs.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
    /// Use this config instead of the handoff.toml found by walking up.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// An engagement folder, or a folder to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Use this config instead of the handoff.toml found by walking up.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Show, per role, what changed since it signed: the items, field by
    /// field, and the figures before and after.
    #[arg(long)]
    pub changes: bool,
    /// Judge sign-off ages on this date instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<Date>,
}

/// Written as the file keys are (`promised_by`), not in kebab case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum StatsBy {
    /// `promised_by` of each promise.
    PromisedBy,
    /// The first stakeholder holding `sales_owner`.
    SalesOwner,
    /// `customer.name`.
    Customer,
    /// The quarter of `contract.signed_on`.
    Quarter,
    /// Each tag of a roadmap promise.
    Tag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    /// The `handoff-stats/1` contract (docs/stats.md).
    Json,
    /// One line per row, the columns of docs/stats.md.
    Csv,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Engagement folders, or folders to search for them.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Group the rows by this; without it, the total alone.
    #[arg(long, value_enum, value_name = "WHAT", conflicts_with = "history")]
    pub by: Option<StatsBy>,
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// Every engagement at every commit of the current branch's first-parent
    /// history that changed it.
    #[arg(long)]
    pub history: bool,
    /// With --history: start at this revision or date (YYYY-MM-DD, commit dates in UTC).
    #[arg(long, value_name = "REV|DATE", requires = "history")]
    pub since: Option<String>,
    #[command(flatten)]
    pub eval: EvalArgs,
}

fn parse_decision(text: &str) -> Result<Decision, String> {
    Decision::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a decision; use {}",
            crate::diag::one_of(Decision::NAMES)
        )
    })
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| {
        // The same converted date a file would get: `31.05.2026` → did
        // you mean 2026-05-31?
        let hint = crate::load::hints::date(text).unwrap_or_else(|| "e.g. 2026-03-17".to_string());
        format!("`{text}` is not a date; write YYYY-MM-DD ({hint})")
    })
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate >= 0.0 => Ok(rate),
        _ => Err(format!(
            "`{text}` is not a cost rate; write a number such as 520"
        )),
    }
}

/// `--color` as clap's own help and usage errors need it, read before
/// parsing since those are printed while parsing.
pub fn clap_color(args: impl IntoIterator<Item = std::ffi::OsString>) -> clap::ColorChoice {
    let mut choice = clap::ColorChoice::Auto;
    let mut args = args.into_iter().map(|a| a.to_string_lossy().into_owned());
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.next(),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None if arg == "--" => break,
            None => continue,
        };
        choice = match value.as_deref() {
            Some("always") => clap::ColorChoice::Always,
            Some("never") => clap::ColorChoice::Never,
            _ => clap::ColorChoice::Auto,
        };
    }
    choice
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One workbook with a sheet per kind.
    Xlsx,
    /// One csv file per kind in a folder (UTF-8 with a BOM).
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engagement folder (the current folder when left out).
    #[arg(value_name = "ENGAGEMENT", default_value = ".")]
    pub engagement: PathBuf,
    #[arg(long, value_enum, default_value_t = ExportFormat::Xlsx)]
    pub format: ExportFormat,
    /// The workbook to write (xlsx), or the folder for the csv files.
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: PathBuf,
    /// Who the workbook is for: internal (the default) or customer (no
    /// internal fields, internal items or finding messages).
    #[arg(long, value_enum, value_name = "AUDIENCE", default_value_t = AudienceArg::Internal)]
    pub audience: AudienceArg,
    /// Include stakeholders' private notes (internal only).
    #[arg(long)]
    pub include_private: bool,
    /// Overwrite files that handoff export did not write.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

/// `handoff import FILE [ENGAGEMENT]`; other sources of items (an RFP
/// matrix) come as subcommands beside the FILE argument.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Option<ImportSource>,
    /// A workbook (.xlsx, .ods), a csv file named for its kind
    /// (promises.csv, scope.csv, gaps.csv, stakeholders.csv), or a folder of them.
    #[arg(value_name = "FILE", required = true)]
    pub file: Option<PathBuf>,
    /// The engagement folder (the current folder when left out).
    #[arg(value_name = "ENGAGEMENT")]
    pub engagement: Option<PathBuf>,
    /// Print what the import would change, in the terms of `handoff diff`; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// On a conflict (a value changed in the files and in the sheet), take the sheet's.
    #[arg(long)]
    pub force: bool,
    /// Apply rows deleted in the sheet: a promise becomes `status: withdrawn`, another
    /// item is deleted from its file.
    #[arg(long)]
    pub remove: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}

/// Kinds of import other than a workbook exported by `handoff export`.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Import a buyer's RFP compliance matrix as the engagement's promises.
    ///
    /// Every requirement row becomes a promise, the truth behind each answer in `response`
    /// (through the map's [codes]); heading rows become tags. The promises go to one file the
    /// import owns (promises/rfp.yaml); importing a revised matrix updates them by id and
    /// keeps the fields people added. docs/rfp.md describes MAP.toml and three worked mappings.
    ///
    /// Exit codes: 0 imported (or, with --dry-run, nothing wrong), 2 a problem in the map,
    /// the matrix or the engagement, or a refusal; nothing is written then.
    Rfp(ImportRfpArgs),
}

/// `handoff import rfp MATRIX [ENGAGEMENT] --map MAP.toml`.
#[derive(Debug, Args)]
pub struct ImportRfpArgs {
    /// The compliance matrix: an .xlsx or .ods workbook, or a .csv file.
    #[arg(value_name = "MATRIX")]
    pub matrix: PathBuf,
    /// The engagement folder (the current folder when left out).
    #[arg(value_name = "ENGAGEMENT")]
    pub engagement: Option<PathBuf>,
    /// How the matrix maps onto promises: its columns, codes and priorities (docs/rfp.md).
    #[arg(long, value_name = "MAP.toml")]
    pub map: PathBuf,
    /// Print what the import would change, in the terms of `handoff diff`; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The promise file the import owns (a .yaml file in the engagement's promises/
    /// folder, or its promises.yaml); promises/rfp.yaml by default.
    #[arg(long, value_name = "FILE")]
    pub into: Option<PathBuf>,
    /// Set `status: withdrawn` on imported promises that are no longer in the matrix.
    #[arg(long)]
    pub remove: bool,
    #[command(flatten)]
    pub eval: EvalArgs,
}
