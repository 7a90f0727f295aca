use super::write::{Kind, deliver};
use crate::Exit;
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
        ReportFormat::Table => (report::render_table(&reports), Kind::Text),
        ReportFormat::Markdown => (report::render_markdown(&reports), Kind::Markdown),
        ReportFormat::Json => (report::render_json(&reports), Kind::Json),
    };
    deliver(&args.out, "handoff report", "the report", kind, &text)?;
    Ok(Exit::Ok)
}
