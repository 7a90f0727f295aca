//! `handoff pid`: draft the Project Initiation Document, print it, write it
//! (`-o`, only over a file it generated itself unless `--force`), or check
//! that a committed one is up to date (`--check`, for CI).

use std::borrow::Cow;
use std::io::ErrorKind;
use std::path::Path;

use super::outln;
use super::write::{Output, write_if};
use crate::cli::{AudienceArg, PidArgs};
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::fsutil;
use crate::load::display;
use crate::model::audience::{self, Reader, View};
use crate::output::messages;
use crate::output::pid::{self, Context, DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME};
use crate::workspace::{Source, Workspace};

pub fn run(args: &PidArgs) -> Result<Exit, Error> {
    if args.print_template {
        super::print_out(DEFAULT_TEMPLATE)?;
        return Ok(Exit::Ok);
    }
    let (template, source) = match &args.template {
        Some(path) => match fsutil::read_regular(path).and_then(|b| {
            String::from_utf8(b)
                .map_err(|_| std::io::Error::new(ErrorKind::InvalidData, "it is not UTF-8 text"))
        }) {
            Ok(text) => (display(path), text),
            Err(err) => {
                return Err(
                    Refusal::new(format!("cannot read template {}: {err}", display(path))).into(),
                );
            }
        },
        None => (
            DEFAULT_TEMPLATE_NAME.to_string(),
            DEFAULT_TEMPLATE.to_string(),
        ),
    };
    let mut workspace = Workspace::new(Source::WorkTree, args.eval.options())
        // From a subfolder of an engagement, its PID.
        .open(&[super::engagement_or(&args.engagement)])
        .map_err(Error::Invalid)?;
    crate::since::describe_stale(&mut workspace);
    let evaluations = workspace.evaluations();
    let [ev] = evaluations.as_slice() else {
        let ids: Vec<String> = evaluations
            .iter()
            .map(|ev| ev.engagement().dir.clone())
            .collect();
        return Err(Refusal::new(format!(
            "{} holds {} engagements; a PID is drafted for one engagement at a time",
            display(&args.engagement),
            ids.len()
        ))
        .help(format!("give one of: {}", ids.join(", ")))
        .into());
    };
    let view = view(args)?;
    let shown = audience::filter(ev.engagement(), view, ev.analysis.cost_rate);
    // For the author of the document; `--check` only compares.
    if args.check.is_none() {
        messages::left_out(&shown.left_out, view.reader);
    }
    let ctx = Context::new(ev, &shown);
    // A custom template is code from the repository: rendered with its
    // memory capped. The built-in one is ours.
    let document = if args.template.is_some() {
        crate::sandbox::render(&ctx, &template, &source)?
    } else {
        pid::render(&ctx, &template, &source).map_err(|err| Error::Template(err.to_string()))?
    };
    // Read in terminals and editors, printed, written or compared: the
    // same document, without raw control characters from the files.
    // Copied only when something had to be made safe.
    let made_safe = match crate::output::terminal_safe(&document) {
        Cow::Owned(safe) => Some(safe),
        Cow::Borrowed(_) => None,
    };
    let document = made_safe.unwrap_or(document);
    if let Some(file) = &args.check {
        return check(file, &document, args);
    }
    if let Some(file) = &args.output {
        return write(file, &document, args);
    }
    print_document(&document)?;
    super::discard((ctx, shown, document));
    super::discard(evaluations);
    super::discard(workspace);
    Ok(Exit::Ok)
}

/// The document on stdout, nothing with `-q`. It is terminal-safe
/// already, so it is not scanned again (for a PID of thousands of
/// promises, a pass over megabytes of text).
fn print_document(document: &str) -> Result<(), Error> {
    if crate::output::quiet() {
        return Ok(());
    }
    super::print_safe(document)
}

/// Who the PID is for. Private notes make a document internal: asking for
/// them in a customer document is refused rather than half obeyed.
fn view(args: &PidArgs) -> Result<View, Error> {
    let reader = match (args.audience, args.include_private) {
        (Some(AudienceArg::Customer), true) => {
            return Err(Refusal::new(
                "--include-private cannot go with --audience customer: private notes never go to the customer",
            )
            .help("leave out --include-private, or use --audience internal")
            .into());
        }
        (Some(a), _) => a.reader(),
        (None, true) => Reader::Internal,
        (None, false) => Reader::Customer,
    };
    Ok(View {
        reader,
        include_private: args.include_private,
    })
}

/// The command that regenerates the file, with the options that shape it.
/// The cost rate is left out on purpose: it is sensitive.
fn regenerate_hint(file: &Path, args: &PidArgs) -> String {
    let mut cmd = format!("handoff pid {}", display(&args.engagement));
    if let Some(t) = &args.template {
        cmd.push_str(&format!(" --template {}", display(t)));
    }
    if let Some(a) = args.audience {
        cmd.push_str(&format!(" --audience {}", a.reader().as_str()));
    }
    if args.include_private {
        cmd.push_str(" --include-private");
    }
    if let Some(c) = &args.eval.config {
        cmd.push_str(&format!(" --config {}", display(c)));
    }
    if let Some(d) = args.eval.today {
        cmd.push_str(&format!(" --today {d}"));
    }
    format!("{cmd} -o {}", display(file))
}

fn check(file: &Path, document: &str, args: &PidArgs) -> Result<Exit, Error> {
    let shown = display(file);
    let existing = match fsutil::read_regular(file) {
        Ok(bytes) => pid::normalise(&String::from_utf8_lossy(&bytes)),
        Err(err) => {
            let mut refusal = Refusal::new(format!("cannot read {shown}: {err}"));
            if err.kind() == ErrorKind::NotFound {
                refusal = refusal.help(format!("create it with `{}`", regenerate_hint(file, args)));
            }
            return Err(refusal.into());
        }
    };
    if existing == document {
        outln!("{shown} is up to date");
        return Ok(Exit::Ok);
    }
    let differing = pid::differing_sections(document, &existing);
    if differing.is_empty() {
        outln!("{shown} is out of date: it differs only in blank lines or spaces");
    } else {
        outln!(
            "{shown} is out of date: {} section{} differ{} from what the engagement files give:",
            differing.len(),
            if differing.len() == 1 { "" } else { "s" },
            if differing.len() == 1 { "s" } else { "" }
        );
        for section in &differing {
            outln!("  - {section}");
        }
    }
    outln!("update it with `{}`", regenerate_hint(file, args));
    Ok(Exit::Findings)
}

fn write(file: &Path, document: &str, args: &PidArgs) -> Result<Exit, Error> {
    let out = Output {
        command: "handoff pid",
        what: "the PID",
        file,
        force: args.force,
    };
    let exit = write_if(&out, document, pid::is_generated)?;
    if args.include_private {
        messages::note(&format!(
            "{} contains stakeholders' private notes; keep it inside the team",
            display(file)
        ));
    }
    Ok(exit)
}
