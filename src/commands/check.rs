use super::write::{Kind, deliver};
use crate::Exit;
use crate::cli::{CheckArgs, CheckFormat};
use crate::error::Error;
use crate::finding::Verdict;
use crate::output;
use crate::output::check::{github, json, markdown, sarif, text};
use crate::workspace::{Source, Workspace};

pub fn run(args: &CheckArgs) -> Result<Exit, Error> {
    let workspace = match Workspace::new(Source::WorkTree, args.eval.options()).open(&args.paths) {
        Ok(workspace) => workspace,
        Err(failure) => {
            // In a GitHub workflow the problems also become annotations on
            // the files, so a broken YAML file is flagged where it is.
            if args.format == CheckFormat::Github {
                super::print_out(&github::render_diagnostics(&failure.diagnostics))?;
            }
            return Err(Error::Invalid(failure));
        }
    };
    let evaluations = workspace.evaluations();
    let (out, kind) = match args.format {
        CheckFormat::Text => (text::render(&evaluations), Kind::Text),
        CheckFormat::Json => (json::render(&evaluations), Kind::Json),
        // Lines that are not workflow commands are only echoed in the log.
        CheckFormat::Github => (github::render(&evaluations), Kind::Text),
        CheckFormat::Sarif => (sarif::render(&evaluations), Kind::Json),
        CheckFormat::Markdown => (markdown::render(&evaluations), Kind::Markdown),
    };
    deliver(&args.out, "handoff check", "the check's output", kind, &out)?;
    // `-q`: the one line left is the verdict, whatever the format.
    if output::quiet() {
        super::print_always(&text::verdict_line(&evaluations))?;
    }
    let passes = |v: Verdict| match v {
        Verdict::Ready => true,
        Verdict::ReadyWithWarnings => !args.strict,
        Verdict::NotReady => false,
    };
    Ok(if evaluations.iter().all(|ev| passes(ev.verdict)) {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
