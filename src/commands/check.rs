use super::write::{Kind, deliver};
use crate::cli::{CheckArgs, CheckFormat};
use crate::error::Error;
use crate::error::Exit;
use crate::finding::Verdict;
use crate::output;
use crate::output::check::{Unjudged, github, json, markdown, sarif, text};
use crate::workspace::{Source, Workspace};

pub fn run(args: &CheckArgs) -> Result<Exit, Error> {
    // Each engagement is judged on its own: one that cannot be read is
    // reported as invalid, and never stops the others being judged.
    let mut judged = Workspace::new(Source::WorkTree, args.eval.options()).open_each(&args.paths);
    // A stale sign-off names the items changed since it was signed.
    crate::since::describe_stale(&mut judged.engagements);
    let evaluations = judged.engagements.evaluations();
    let unjudged = Unjudged {
        invalid: &judged.invalid,
        general: &judged.general,
    };
    let (out, kind) = match args.format {
        // The problems themselves are error messages, quoted from the files.
        CheckFormat::Text => (text::render(&evaluations, unjudged), Kind::Text),
        CheckFormat::Json => (json::render(&evaluations, unjudged), Kind::Json),
        // In a GitHub workflow the problems also become annotations on
        // the files, so a broken YAML file is flagged where it is; other
        // lines are only echoed in the log.
        CheckFormat::Github => (github::render(&evaluations, unjudged), Kind::Text),
        CheckFormat::Sarif => (sarif::render(&evaluations, unjudged), Kind::Json),
        CheckFormat::Markdown => (markdown::render(&evaluations, unjudged), Kind::Markdown),
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
    let exit = if evaluations.iter().all(|ev| passes(ev.verdict)) {
        Exit::Ok
    } else {
        Exit::Findings
    };
    let result = super::finish(&judged, exit);
    super::discard(evaluations);
    super::discard(judged);
    result
}
