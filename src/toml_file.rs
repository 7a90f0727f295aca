//! TOML files (`handoff.toml`, an import's MAP.toml): the one module that
//! uses the `toml` crate. It turns a file's bytes into text and the text
//! into a serde type, with every problem at file:line:column; what a key
//! means, and the words that explain it, stay with each format's module.

use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::Diagnostic;
use crate::model::{Loc, Pos};

/// A value with the byte range it was written at, so that a format's
/// checks can point at the key that is wrong.
pub use toml::Spanned;

/// The file's bytes as text; `what` names the file the way its format's
/// messages do ("config handoff.toml", "the map MAP.toml").
pub fn text(bytes: Vec<u8>, file: &Arc<str>, what: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let pos = crate::diag::utf8_error_pos(err.as_bytes(), err.utf8_error().valid_up_to());
        Diagnostic::at(Loc::new(file, pos), format!("{what} is not UTF-8 text"))
            .with_help("save the file as UTF-8")
    })
}

/// Parses `text` into `T`. A syntax error, a wrong type or an unknown key
/// is one diagnostic at its place, worded by `plain` (the format's words
/// for the reader's serde wording) and followed by `help` (what the file
/// may hold).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Arc<str>,
    plain: fn(&str) -> String,
    help: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|err| {
        let pos = err
            .span()
            .map_or(Pos { line: 1, column: 1 }, |s| pos_of(text, s.start));
        let message = plain(err.message().trim());
        Diagnostic::at(Loc::new(file, pos), format!("{file}: {message}")).with_help(help)
    })
}

/// Where a span of `text` (from a [`Spanned`] value) starts.
pub fn loc(file: &Arc<str>, text: &str, span: Range<usize>) -> Loc {
    Loc::new(file, pos_of(text, span.start))
}

/// Line and column (in characters, both from 1) of a byte offset.
fn pos_of(text: &str, offset: usize) -> Pos {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}
