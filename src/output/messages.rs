//! Everything written to stderr: errors, warnings, notes. The one place
//! that touches the stream, so every message is styled and stripped
//! alike, and later capabilities add their messages here.

use std::io::Write as _;

use crate::error::Error;

fn write(text: &str) {
    // A message that cannot be written changes nothing the command did.
    let _ = anstream::stderr().write_all(text.as_bytes());
}

/// The error that stopped a command; `main` calls this once.
pub fn error(err: &Error) {
    write(&err.render());
}

/// Something the user should keep in mind about what was just done.
pub fn note(text: &str) {
    write(&format!("note: {text}\n"));
}
