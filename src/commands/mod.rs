//! One module per subcommand: read arguments, run the pipeline, print,
//! choose the exit code.

pub mod check;
pub mod diff;
pub mod init;
pub mod pid;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sign;
pub mod status;

use std::io::Write as _;
use std::path::PathBuf;

use crate::cli::EvalArgs;
use crate::evaluate::Workspace;

/// Opens the workspace, or prints why it cannot be evaluated; the caller
/// then exits with `Exit::CouldNotEvaluate`.
pub(crate) fn open_workspace(paths: &[PathBuf], eval: &EvalArgs) -> Option<Workspace> {
    Workspace::open(paths, eval)
        .map_err(|failure| failure.print())
        .ok()
}

/// Writes to stdout, styled only when it is a terminal without NO_COLOR.
pub(crate) fn print_out(text: &str) -> anyhow::Result<()> {
    let mut out = anstream::stdout();
    match out.write_all(text.as_bytes()) {
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
