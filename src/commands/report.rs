use super::write::{Kind, deliver};
use std::io::IsTerminal as _;

use crate::Exit;
use crate::cli::OutputArgs;
use crate::cli::{ReportArgs, ReportFormat};
use crate::error::Error;
use crate::output::report::{self, Report};
use crate::workspace::{Source, Workspace};

/// The report is for reading, not gating: it exits 0 whatever it shows.
pub fn run(args: &ReportArgs) -> Result<Exit, Error> {
    let workspace = Workspace::new(Source::WorkTree, args.eval.options())
        .open(std::slice::from_ref(&args.path))
        .map_err(Error::Invalid)?;
    let evaluations = workspace.evaluations();
    let reports: Vec<Report<'_>> = evaluations.iter().map(Report::new).collect();
    let (text, kind) = match args.format {
        ReportFormat::Table => (
            report::render_table(&reports, table_width(&args.out)),
            Kind::Text,
        ),
        ReportFormat::Markdown => (report::render_markdown(&reports), Kind::Markdown),
        ReportFormat::Json => (report::render_json(&reports), Kind::Json),
    };
    deliver(&args.out, "handoff report", "the report", kind, &text)?;
    Ok(Exit::Ok)
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
