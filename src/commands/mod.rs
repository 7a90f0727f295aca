//! One module per subcommand: read arguments, run the pipeline, print,
//! choose the exit code.

pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod export;
pub mod import;
pub mod import_rfp;
pub mod init;
pub mod man;
pub mod pid;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sign;
pub mod site;
pub mod stats;
pub mod status;
pub mod waive;
mod write;

use std::io::Write as _;

use crate::error::Error;
use crate::error::Exit;
use crate::workspace::Judged;

/// The folder a command that works on one engagement (or searches below a
/// folder) starts from: the engagement that encloses `path` when `path`
/// is inside one, else `path` as given.
pub(crate) fn engagement_or(path: &std::path::Path) -> std::path::PathBuf {
    crate::load::enclosing_engagement(path).unwrap_or_else(|| path.to_path_buf())
}

/// The exit code of a command that read several engagements: 2 when any
/// could not be read (so CI still fails), after the rest was reported;
/// else `exit`.
pub(crate) fn finish(judged: &Judged, exit: Exit) -> Result<Exit, Error> {
    match judged.failure() {
        None => Ok(exit),
        Some(failure) if judged.engagements.engagements.is_empty() => Err(Error::Invalid(failure)),
        Some(failure) => Err(Error::Partial {
            failure,
            invalid: judged.invalid_dirs(),
            judged: judged.engagements.engagements.len(),
        }),
    }
}

/// Writes a command's document or status to stdout, styled only when
/// colour is on; nothing with `-q`. Control characters from the files are
/// escaped on the way ([`crate::output::terminal_safe`]).
pub(crate) fn print_out(text: &str) -> Result<(), Error> {
    if crate::output::quiet() {
        return Ok(());
    }
    print_always(text)
}

/// Writes to stdout even with `-q`: what a generator was asked for
/// (completions, man page, rule list), or the one line `check -q` prints.
pub(crate) fn print_always(text: &str) -> Result<(), Error> {
    print_safe(&crate::output::terminal_safe(text))
}

/// Writes text that is terminal-safe already. Past `terminal_safe`, an
/// escape character can only start a colour sequence the printers added.
/// Without one (JSON, or text with colour off) there is nothing for
/// anstream to strip or translate, and its byte-by-byte scan of a large
/// document would be wasted.
pub(crate) fn print_safe(text: &str) -> Result<(), Error> {
    let written = if text.contains('\u{1b}') {
        anstream::stdout().write_all(text.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    match written {
        // A closed pipe (`handoff report | head`) is not an error.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
/// `println!` for status lines: a closed pipe (`handoff init x | true`)
/// must not panic, and a line that cannot be written changes nothing the
/// command did.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = $crate::commands::print_out(&format!("{}\n", format_args!($($arg)*)));
    }};
}
pub(crate) use outln;

/// Each engagement as `view` shows it, with what it left out said once on
/// stderr: `report` and `site` show the same engagements the same way.
pub(crate) fn shown_to(
    evaluations: &[crate::evaluate::Evaluation<'_>],
    view: crate::model::audience::View,
) -> Vec<crate::model::audience::Shown> {
    use crate::model::audience;
    let shown: Vec<audience::Shown> = evaluations
        .iter()
        .map(|ev| audience::filter(ev.engagement(), view, ev.analysis.cost_rate))
        .collect();
    let left_out: Vec<audience::LeftOut> = shown
        .iter()
        .flat_map(|s| s.left_out.iter().cloned())
        .collect();
    crate::output::messages::left_out(&left_out, view.reader);
    shown
}

pub(crate) use crate::process::discard;
