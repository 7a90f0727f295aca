//! One module per subcommand: read arguments, run the pipeline, print,
//! choose the exit code.

pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod init;
pub mod man;
pub mod pid;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sign;
pub mod status;
mod write;

use std::io::Write as _;

use crate::error::Error;

/// Writes a command's document or status to stdout, styled only when
/// colour is on; nothing with `-q`.
pub(crate) fn print_out(text: &str) -> Result<(), Error> {
    if crate::output::quiet() {
        return Ok(());
    }
    print_always(text)
}

/// Writes to stdout even with `-q`: what a generator was asked for
/// (completions, man page, rule list), or the one line `check -q` prints.
pub(crate) fn print_always(text: &str) -> Result<(), Error> {
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
