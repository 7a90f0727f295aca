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
    let text = match args.format {
        ReportFormat::Table => report::render_table(&reports),
        ReportFormat::Markdown => report::render_markdown(&reports),
        ReportFormat::Json => report::render_json(&reports),
    };
    super::print_out(&text)?;
    Ok(Exit::Ok)
}
