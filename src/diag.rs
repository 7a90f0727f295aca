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

/// How many problems [`render`] prints; the rest are counted in one line.
/// Thousands of snippets bury the first one, which is often the cause of
/// the others.
pub const SHOWN_PROBLEMS: usize = 200;

/// The keys of fields declared private (src/model/decl.rs: private notes
/// about people). A diagnostic never quotes a line holding one, or a key
/// close to one, since the snippet may be printed in a shared CI log.
pub fn private_keys() -> impl Iterator<Item = &'static str> {
    crate::model::decl::ALL.into_iter().flat_map(|kind| {
        kind.fields
            .iter()
            .filter(|f| f.audience == crate::model::decl::Audience::Private)
            .map(|f| f.key)
    })
}

/// Renders diagnostics like rustc: the message, `--> file:line:column`, the
/// line itself with a caret, and a help line. At most [`SHOWN_PROBLEMS`].
pub fn render(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    render_limited(diags, sources, color, Some(SHOWN_PROBLEMS))
}

/// [`render`] with the number of problems printed set by the caller;
/// `None` prints every one.
pub fn render_limited(
    diags: &[Diagnostic],
    sources: &Sources,
    color: bool,
    limit: Option<usize>,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let shown = limit.map_or(diags.len(), |n| n.min(diags.len()));
    // Each file is indexed once, however many problems it has: rendering
    // stays linear in the size of the files plus the number of problems.
    let mut indexes: HashMap<&str, Option<FileIndex<'_>>> = HashMap::new();
    let mut out = String::new();
    for diag in &diags[..shown] {
        let Some(loc) = &diag.loc else {
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
        };
        let title = Level::ERROR.primary_title(diag.message.as_str());
        let index = indexes
            .entry(&loc.file)
            .or_insert_with(|| sources.get(&loc.file).map(FileIndex::new));
        let snippet = index.as_ref().and_then(|index| {
            let (line, span) = index.locate(loc.pos)?;
            Some(
                Snippet::source(line)
                    .path(&*loc.file)
                    .line_start(loc.pos.line as usize)
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        });
        let mut group = match snippet {
            Some(snippet) => Group::with_title(title).element(snippet),
            // The text is not at hand, or may be private: say where,
            // without quoting it.
            None => Group::with_title(title).element(
                annotate_snippets::Origin::path(&*loc.file)
                    .line(loc.pos.line as usize)
                    .char_column(loc.pos.column as usize),
            ),
        };
        if let Some(help) = &diag.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&[group]));
    }
    let hidden = diags.len() - shown;
    if hidden > 0 {
        let _ = writeln!(
            out,
            "... and {hidden} more problem{} not shown: fix the ones above and run again, or see every one with --all-problems\n",
            if hidden == 1 { "" } else { "s" }
        );
    }
    out
}

/// Where each line of a file starts, and which lines may hold a private
/// value and so are never quoted.
struct FileIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    private: Vec<bool>,
}

impl<'a> FileIndex<'a> {
    fn new(text: &'a str) -> FileIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let private = private_lines(text);
        FileIndex {
            text,
            starts,
            private,
        }
    }

    /// The line at `pos` (without its line break) and the span to
    /// underline in it; `None` when the line may hold a private value or
    /// the position is not in the file.
    fn locate(&self, pos: Pos) -> Option<(&'a str, std::ops::Range<usize>)> {
        let n = (pos.line as usize).checked_sub(1)?;
        if self.private.get(n).copied().unwrap_or(true) {
            return None;
        }
        let start = *self.starts.get(n)?;
        let end = self.starts.get(n + 1).map_or(self.text.len(), |e| e - 1);
        let line = self.text.get(start..end)?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let col = (pos.column.max(1) - 1) as usize;
        let at = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
        Some((line, at..token_end(line, at)))
    }
}

/// For each line of `text`, whether it may hold a private value: its key
/// is a private field or close to one (`note:`, `notez:`), or it continues
/// such a value (more indented lines, or a list under the key). Decided
/// from the text alone, so it also holds for a file that does not parse
/// and for keys the reader does not know.
pub fn private_lines(text: &str) -> Vec<bool> {
    let mut out = Vec::new();
    // The column of the private key whose value the lines below continue.
    let mut open: Option<usize> = None;
    for line in text.split('\n') {
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        let blank = content.trim().is_empty() || content.starts_with('#');
        if let Some(key_col) = open {
            let continues = blank
                || indent > key_col
                || (indent == key_col && (content.starts_with("- ") || content.trim_end() == "-"));
            if continues {
                out.push(true);
                continue;
            }
            open = None;
        }
        // Past list markers: `- notes: x` has its key after `- `.
        let mut key_col = indent;
        let mut rest = content;
        while let Some(after) = rest.strip_prefix('-')
            && after.starts_with([' ', '\t'])
        {
            let trimmed = after.trim_start_matches([' ', '\t']);
            key_col += rest.len() - trimmed.len();
            rest = trimmed;
        }
        if names_private_key(line) {
            out.push(true);
            // Only a key that starts the line owns the lines below it.
            if leading_key(rest).is_some_and(is_private_key) {
                open = Some(key_col);
            }
            continue;
        }
        out.push(false);
    }
    out
}

/// Whether line `line` (1-based) of `text` visibly holds no private value:
/// it starts with a key, that key is not private, and it continues no
/// private value. A line without a key (a value's second line, say) may
/// belong to anything.
pub fn clearly_public(text: &str, line: u32) -> bool {
    let n = (line as usize).saturating_sub(1);
    let Some(content) = text.split('\n').nth(n) else {
        return false;
    };
    let mut rest = content.trim_start_matches([' ', '\t']);
    while let Some(after) = rest.strip_prefix('-')
        && after.starts_with([' ', '\t'])
    {
        rest = after.trim_start_matches([' ', '\t']);
    }
    let starts_with_key = leading_key(rest).is_some_and(|key| {
        key.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    });
    let private = private_lines(text);
    // A broken line right after a private value may be meant as its
    // continuation, whatever its indentation says.
    let lines: Vec<&str> = text.split('\n').take(n).collect();
    let after_private = (0..lines.len())
        .rev()
        .find(|&i| !lines[i].trim().is_empty())
        .is_some_and(|i| private.get(i).copied().unwrap_or(true));
    starts_with_key && !after_private && !private.get(n).copied().unwrap_or(true)
}

/// The key a line such as `notes: text` starts with.
fn leading_key(rest: &str) -> Option<&str> {
    let colon = rest.find(':')?;
    let key = rest[..colon].trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then_some(key)
}

/// Whether any word of `line` followed by `:` is a private key or close to
/// one, also inside flow mappings (`{ key: a, notes: b }`).
fn names_private_key(line: &str) -> bool {
    let mut word_start = None;
    for (i, c) in line.char_indices() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            let after = line[i..].trim_start_matches(['"', '\'', ' ', '\t']);
            if after.starts_with(':') && is_private_key(&line[start..i]) {
                return true;
            }
        }
    }
    false
}

/// A private key, a key containing its stem (`note`, `private_notes`), or
/// one letter away from it (`notez`, `nots`); `roles`, two letters away, is
/// not.
pub fn is_private_key(key: &str) -> bool {
    let key = key.to_lowercase();
    private_keys().any(|private| {
        let stem = private.trim_end_matches('s');
        key.contains(stem) || levenshtein(&key, private) <= 1
    })
}

/// Where the first byte that is not UTF-8 is, as a line and a column.
pub fn utf8_error_pos(bytes: &[u8], valid_up_to: usize) -> Pos {
    let valid = bytes.get(..valid_up_to).unwrap_or(bytes);
    let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
    // The bytes before are valid UTF-8, so counting the bytes that start a
    // character counts characters.
    let column = valid[line_start..]
        .iter()
        .filter(|b| (**b & 0xC0) != 0x80)
        .count()
        + 1;
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
    }
}

/// The first line (1-based) longer than `max` bytes, if any.
pub fn long_line(text: &str, max: usize) -> Option<u32> {
    let mut start = 0;
    let ends = text
        .match_indices('\n')
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    for (n, end) in ends.enumerate() {
        if end - start > max {
            return Some(u32::try_from(n + 1).unwrap_or(u32::MAX));
        }
        start = end + 1;
    }
    None
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
        let index = FileIndex::new("a: é\nbb: x\n");
        assert_eq!(
            index.locate(Pos { line: 2, column: 5 }),
            Some(("bb: x", 4..5))
        );
        assert_eq!(
            index.locate(Pos { line: 1, column: 4 }),
            Some(("a: é", 3..5))
        );
    }

    #[test]
    fn private_values_and_their_continuations_are_marked() {
        let text = "- key: a\n  notes: PRIVATE: x\n    more\n  name: b\n- key: c\n  note:\n  - secret\n  - more\n  org: x\n- {key: d, notez: s}\n";
        assert_eq!(
            private_lines(text),
            [
                false, true, true, false, false, true, true, true, false, true, false
            ]
        );
    }

    #[test]
    fn utf8_errors_have_a_line_and_column() {
        assert_eq!(
            utf8_error_pos(b"a = 1\nb\xc3\xa9 = \xff", 12),
            Pos { line: 2, column: 6 }
        );
    }

    #[test]
    fn one_of_lists_words() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
