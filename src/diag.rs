//! Problems that stop the tool from evaluating an engagement: unreadable
//! files, invalid YAML, unknown keys, values outside a vocabulary, bad
//! configuration. They are reported all together, then the tool exits 2.
//!
//! These are distinct from findings (`crate::rules`): a finding is a
//! judgement about a valid engagement; a diagnostic means the files must be
//! fixed before any judgement is possible.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::model::{Loc, Pos};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `None` for problems that belong to no file (a missing folder).
    pub loc: Option<Loc>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn at(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            loc: Some(loc),
            message: message.into(),
            help: None,
        }
    }

    pub fn general(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            loc: None,
            message: message.into(),
            help: None,
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

/// The text of every file read, so diagnostics can quote the offending line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: HashMap<Arc<str>, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, file: &Arc<str>, text: &str) {
        self.files.insert(Arc::clone(file), Arc::from(text));
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(|t| &**t)
    }

    /// Adds the files of `other`, for problems gathered from two readings
    /// (engagement files and config files) reported together.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }
}

/// Renders diagnostics like rustc: the message, `--> file:line:column`, the
/// line itself with a caret, and a help line.
pub fn render(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for diag in diags {
        if diag.loc.is_none() {
            // No file to quote: a snippet renderer would draw an empty gutter.
            let (red, bold) = if color {
                (
                    anstyle::AnsiColor::Red.on_default().bold(),
                    anstyle::Style::new().bold(),
                )
            } else {
                (anstyle::Style::new(), anstyle::Style::new())
            };
            let _ = writeln!(out, "{red}error{red:#}{bold}: {}{bold:#}", diag.message);
            if let Some(help) = &diag.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            out.push('\n');
            continue;
        }
        let mut groups = Vec::new();
        let title = Level::ERROR.primary_title(diag.message.as_str());
        let snippet = diag.loc.as_ref().and_then(|loc| {
            let text = sources.get(&loc.file)?;
            let start = byte_offset(text, loc.pos)?;
            let end = token_end(text, start);
            Some(
                Snippet::source(text)
                    .path(&*loc.file)
                    .line_start(1)
                    .annotation(AnnotationKind::Primary.span(start..end)),
            )
        });
        let mut group = match (snippet, &diag.loc) {
            (Some(snippet), _) => Group::with_title(title).element(snippet),
            // The file's text is not at hand: say where, without quoting it.
            (None, Some(loc)) => Group::with_title(title).element(
                annotate_snippets::Origin::path(&*loc.file)
                    .line(loc.pos.line as usize)
                    .char_column(loc.pos.column as usize),
            ),
            (None, None) => Group::with_title(title),
        };
        if let Some(help) = &diag.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        groups.push(group);
        let _ = writeln!(out, "{}\n", renderer.render(&groups));
    }
    out
}

/// Converts a 1-based line and (character) column to a byte offset.
fn byte_offset(text: &str, pos: Pos) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..pos.line {
        line_start += text.get(line_start..)?.find('\n')? + 1;
    }
    let line = text.get(line_start..)?;
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let col = (pos.column.max(1) - 1) as usize;
    match line.char_indices().nth(col) {
        Some((i, _)) => Some(line_start + i),
        None => Some(line_start + line.len()),
    }
}

/// The end of the word or value that starts at `start`, so the caret
/// underlines `coverz` rather than a single character.
fn token_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or("");
    let len = rest
        .find(['\n', ':', ',', ']', '}', '#'])
        .unwrap_or(rest.len());
    let token = rest[..len].trim_end();
    if token.is_empty() {
        // At the end of a line: a one-character span would take in the line
        // break and draw the caret across two lines.
        return start;
    }
    start + token.len()
}

/// The closest allowed word, for "did you mean ...?" hints on typos.
pub fn suggest<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    // "fixed" for "fixed_price": a unique completion beats edit distance.
    let completions: Vec<&&str> = allowed
        .iter()
        .filter(|c| word.len() >= 3 && c.starts_with(&word))
        .collect();
    if let [only] = completions.as_slice() {
        return Some(only);
    }
    allowed
        .iter()
        .map(|candidate| (levenshtein(&word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = current;
        }
    }
    row[b.len()]
}

/// `a, b or c` for messages.
pub fn one_of(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|w| format!("`{w}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let allowed = ["covers", "coverage", "effort"];
        assert_eq!(suggest("coverz", &allowed), Some("covers"));
        assert_eq!(suggest("efort", &allowed), Some("effort"));
        assert_eq!(suggest("banana", &allowed), None);
        assert_eq!(
            suggest("fixed", &["fixed_price", "retainer"]),
            Some("fixed_price")
        );
        assert_eq!(suggest("cover", &allowed), Some("covers"));
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "a: é\nbb: x\n";
        assert_eq!(byte_offset(text, Pos { line: 2, column: 5 }), Some(10));
        assert_eq!(byte_offset(text, Pos { line: 1, column: 4 }), Some(3));
    }

    #[test]
    fn one_of_lists_words() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
