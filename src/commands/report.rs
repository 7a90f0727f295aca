use super::write::{Kind, deliver};
use std::io::IsTerminal as _;

use crate::cli::{AudienceArg, OutputArgs, ReportArgs, ReportFormat};
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::model::audience::View;
use crate::output::html;
use crate::output::report::{self, Report};
use crate::workspace::{Source, Workspace};

/// The report is for reading, not gating: it exits 0 whatever it shows.
pub fn run(args: &ReportArgs) -> Result<Exit, Error> {
    if args.format == ReportFormat::Json && args.audience == AudienceArg::Customer {
        // JSON feeds the supplier's own tools; its figures have no empty
        // form for what a customer may not see.
        return Err(Refusal::new(
            "the JSON report is internal: --audience customer goes with --format table or markdown",
        )
        .help("leave out --audience customer, or choose --format markdown")
        .into());
    }
    if args.include_private && args.format != ReportFormat::Html {
        return Err(Refusal::new(
            "--include-private goes with --format html: no other report shows private notes",
        )
        .help("leave out --include-private, or add --format html")
        .into());
    }
    if args.include_private && args.audience == AudienceArg::Customer {
        return Err(Refusal::new(
            "--include-private cannot go with --audience customer: private notes never go to the customer",
        )
        .help("leave out --include-private, or use --audience internal")
        .into());
    }
    // One engagement that cannot be read never hides the others.
    let mut read = Workspace::new(Source::WorkTree, args.eval.options())
        .open_each(&[super::engagement_or(&args.path)]);
    let found = read.engagements.engagements.len() + read.invalid.len();
    if args.format == ReportFormat::Html && found > 1 {
        let shown = crate::load::display(&args.path);
        return Err(Refusal::new(format!(
            "{shown} holds {found} engagements; an HTML report is one engagement's page"
        ))
        .help(format!(
            "give one engagement folder, or publish them all with `handoff site {shown} -o DIR`"
        ))
        .into());
    }
    crate::since::describe_stale(&mut read.engagements);
    let evaluations = read.engagements.evaluations();
    let view = View {
        reader: args.audience.reader(),
        include_private: args.include_private,
    };
    let shown = super::shown_to(&evaluations, view);
    let judged: Vec<_> = evaluations
        .iter()
        .zip(&shown)
        .map(|(ev, s)| ev.shown(s))
        .collect();
    let reports: Vec<Report<'_>> = judged
        .iter()
        .zip(&shown)
        .map(|(ev, s)| Report::new(ev, s))
        .collect();
    let (text, kind) = match args.format {
        ReportFormat::Table => (
            report::render_table(&reports, &read.invalid, table_width(&args.out)),
            Kind::Text,
        ),
        ReportFormat::Markdown => (
            report::render_markdown(&reports, &read.invalid),
            Kind::Markdown,
        ),
        ReportFormat::Json => (
            report::render_json(&reports, &read.invalid, &read.general),
            Kind::Json,
        ),
        ReportFormat::Html => {
            let (Some(r), Some(s)) = (reports.first(), shown.first()) else {
                // Nothing could be read: the problems are the answer.
                return super::finish(&read, Exit::Ok);
            };
            let made = super::site::made(r.evaluation.engagement(), read.engagements.today);
            (html::page::render(r, s, &made, &[]), Kind::Html)
        }
    };
    deliver(&args.out, "handoff report", "the report", kind, &text)?;
    super::finish(&read, Exit::Ok)
}

/// The terminal's width for a terminal (COLUMNS first, as a shell sets it
/// after a resize), else the full width, so a file or a pipe gets every
/// column whatever window it was run from.
fn table_width(out: &OutputArgs) -> u16 {
    let stdout = std::io::stdout();
    if out.output.is_some() || !stdout.is_terminal() {
        return report::FULL_WIDTH;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .or_else(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0))
        .filter(|&w| w > 0);
    // Narrower than this, no table is readable; let the terminal wrap it.
    columns.map_or(report::FULL_WIDTH, |w| w.max(MIN_WIDTH))
}

const MIN_WIDTH: u16 = 60;
