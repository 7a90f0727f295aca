use crate::Exit;
use crate::cli::{ReportArgs, ReportFormat};
use crate::output::report::{self, Report};

/// The report is for reading, not gating: it exits 0 whatever it shows.
pub fn run(args: &ReportArgs) -> anyhow::Result<Exit> {
    let Some(workspace) = super::open_workspace(std::slice::from_ref(&args.path), &args.eval)
    else {
        return Ok(Exit::CouldNotEvaluate);
    };
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
