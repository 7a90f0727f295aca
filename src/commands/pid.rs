//! `handoff pid`: draft the Project Initiation Document, print it, write it
//! (`-o`, only over a file it generated itself unless `--force`), or check
//! that a committed one is up to date (`--check`, for CI).

use std::io::ErrorKind;
use std::path::Path;

use super::outln;
use crate::Exit;
use crate::cli::PidArgs;
use crate::fsutil;
use crate::load::display;
use crate::output::pid::{self, Context, DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME};

pub fn run(args: &PidArgs) -> anyhow::Result<Exit> {
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
                eprintln!("error: cannot read template {}: {err}", display(path));
                return Ok(Exit::CouldNotEvaluate);
            }
        },
        None => (
            DEFAULT_TEMPLATE_NAME.to_string(),
            DEFAULT_TEMPLATE.to_string(),
        ),
    };
    let Some(workspace) = super::open_workspace(std::slice::from_ref(&args.engagement), &args.eval)
    else {
        return Ok(Exit::CouldNotEvaluate);
    };
    let evaluations = workspace.evaluations();
    let [ev] = evaluations.as_slice() else {
        let ids: Vec<String> = evaluations
            .iter()
            .map(|ev| ev.engagement().dir.clone())
            .collect();
        eprintln!(
            "error: {} holds {} engagements; a PID is drafted for one engagement at a time",
            display(&args.engagement),
            ids.len()
        );
        eprintln!("help: give one of: {}", ids.join(", "));
        return Ok(Exit::CouldNotEvaluate);
    };
    let ctx = Context::new(ev, args.include_private);
    let document = match pid::render(&ctx, &template, &source) {
        Ok(doc) => doc,
        Err(err) => {
            eprintln!("error: cannot render the PID: {err}");
            eprintln!(
                "help: docs/pid.md describes templates and every variable they can use; `handoff pid --print-template` shows the built-in one"
            );
            return Ok(Exit::CouldNotEvaluate);
        }
    };
    if let Some(file) = &args.check {
        return Ok(check(file, &document, args));
    }
    if let Some(file) = &args.output {
        return Ok(write(file, &document, args));
    }
    super::print_out(&document)?;
    Ok(Exit::Ok)
}

/// The command that regenerates the file, with the options that shape it.
/// The cost rate is left out on purpose: it is sensitive.
fn regenerate_hint(file: &Path, args: &PidArgs) -> String {
    let mut cmd = format!("handoff pid {}", display(&args.engagement));
    if let Some(t) = &args.template {
        cmd.push_str(&format!(" --template {}", display(t)));
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

fn check(file: &Path, document: &str, args: &PidArgs) -> Exit {
    let shown = display(file);
    let existing = match fsutil::read_regular(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) => {
            eprintln!("error: cannot read {shown}: {err}");
            if err.kind() == ErrorKind::NotFound {
                eprintln!("help: create it with `{}`", regenerate_hint(file, args));
            }
            return Exit::CouldNotEvaluate;
        }
    };
    // A checkout that turned line endings into CRLF has not changed the PID.
    let existing = existing.replace("\r\n", "\n");
    if existing == document {
        outln!("{shown} is up to date");
        return Exit::Ok;
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
    Exit::Findings
}

fn write(file: &Path, document: &str, args: &PidArgs) -> Exit {
    let shown = display(file);
    let verb = match fsutil::read_regular(file) {
        Ok(bytes) => {
            let existing = String::from_utf8_lossy(&bytes);
            if !pid::is_generated(&existing) && !args.force {
                eprintln!(
                    "error: {shown} already exists and was not generated by handoff pid; it was left as it is"
                );
                eprintln!(
                    "help: choose another file name, or add --force to replace it with the PID"
                );
                return Exit::CouldNotEvaluate;
            }
            if existing == document {
                outln!("{shown} is already up to date");
                return Exit::Ok;
            }
            "updated"
        }
        Err(err) if err.kind() == ErrorKind::NotFound => {
            if let Some(parent) = file.parent()
                && !parent.as_os_str().is_empty()
                && !parent.is_dir()
            {
                eprintln!(
                    "error: cannot write {shown}: the folder {} does not exist",
                    display(parent)
                );
                eprintln!("help: create the folder first, or choose another place for the PID");
                return Exit::CouldNotEvaluate;
            }
            "wrote"
        }
        Err(err) => {
            eprintln!("error: cannot write {shown}: {err}");
            return Exit::CouldNotEvaluate;
        }
    };
    if let Err(err) = fsutil::write_atomic(file, document.as_bytes()) {
        eprintln!("error: cannot write {shown}: {err}");
        return Exit::CouldNotEvaluate;
    }
    outln!("{verb} {shown}");
    if args.include_private {
        eprintln!("note: {shown} contains stakeholders' private notes; keep it inside the team");
    }
    Exit::Ok
}
