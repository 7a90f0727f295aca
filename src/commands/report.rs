use crate::Exit;
use crate::cli::{ReportArgs, ReportFormat};
use crate::evaluate::Workspace;
use crate::output::report::{self, Report};

/// The report is for reading, not gating: it exits 0 whatever it shows.
pub fn run(args: &ReportArgs) -> anyhow::Result<Exit> {
    let workspace = match Workspace::open(std::slice::from_ref(&args.path), &args.eval) {
        Ok(w) => w,
        Err(failure) => {
            failure.print();
            return Ok(Exit::CouldNotEvaluate);
        }
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
