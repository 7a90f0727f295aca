//! The only module that talks to the YAML parser.
//!
//! Everything else sees [`Node`]: a plain tree of scalars, lists and mappings
//! where every node knows its line and column. Keeping the parser behind this
//! wall means it can be swapped without touching the loader, and that every
//! later error or finding can point at `file:line:column`.

use std::fmt;

mod events;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

pub use crate::model::Pos;

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
    /// Where the node is written, as the parser reports it: see
    /// [`Node::span`].
    span: Option<(usize, usize)>,
}

impl Node {
    /// The byte range `(start, length)` where the node is written, as the
    /// parser reports it: for a scalar its text, quotes included (the
    /// surgical editor, `load::edit`, replaces values there); for a list
    /// or mapping, where it starts (a comparison's loads take an item's
    /// text from there, `model::Written`).
    pub fn span(&self) -> Option<(usize, usize)> {
        self.span
    }

    /// For a number, how it was written in `text` (the text it was parsed
    /// from): an id `3.10` must not read as `3.1` (and collide with
    /// promise 3.1) when used as text. Read from the span when asked,
    /// rather than for every number after the parse: that second walk of
    /// every tree cost `check` time for the few numbers read as text.
    pub fn spelling<'t>(&self, text: &'t str) -> Option<&'t str> {
        if !matches!(self.value, Value::Int(_) | Value::Float(_)) {
            return None;
        }
        let (start, len) = self.span?;
        let spelling = plain_spelling(text.get(start..start.checked_add(len)?)?);
        (!spelling.is_empty()).then_some(spelling)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order; duplicate keys are rejected by the parser.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The word a non-programmer would use for this kind of value.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping (key: value pairs)",
        }
    }
}

/// A file that is not valid YAML.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// What to do about it, when the problem is one we recognise.
    pub help: Option<String>,
}

/// Parses one YAML document. An empty file (or one holding only comments)
/// gives `None`.
pub fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    parse_document(text).map(|document| document.root)
}

/// A parsed document, and whether each part of it means what its own
/// text says.
#[derive(Debug)]
pub struct Document {
    pub root: Option<Node>,
    /// No anchors, aliases, tags, merge keys or directives: a value is
    /// never taken from elsewhere in the file, so two parts written with
    /// the same text (from the same column) hold the same values.
    pub self_contained: bool,
}

/// [`parse`], saying whether the document is self-contained.
pub fn parse_document(text: &str) -> Result<Document, SyntaxError> {
    match events::parse(text) {
        // The fast path takes only files written without those features.
        Some(node) => Ok(Document {
            root: Some(node),
            self_contained: true,
        }),
        None => deserialize(text).map(|root| Document {
            root,
            self_contained: false,
        }),
    }
}

/// The full deserializer: every YAML feature, every limit, and the
/// messages about them.
fn deserialize(text: &str) -> Result<Option<Node>, SyntaxError> {
    let options = serde_saphyr::options! {
        // YAML 1.1's `yes`/`no`/`on`/`off` booleans turn a customer's answer
        // "no" into `false`; only true/false are booleans here.
        strict_booleans: true,
        // Ids such as `007` must stay text, not become the number 7.
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
        // A tag such as `!important` means nothing here; silently dropping
        // it would hide what the writer meant.
        reject_unsupported_tags: true,
        // The default caps (250,000 nodes) stop at a few megabytes; a large
        // engagement in one file must still load. Depth and alias limits
        // stay at their defaults: those guard against hostile files.
        budget: serde_saphyr::budget! {
            max_nodes: MAX_NODES,
            max_events: 2 * MAX_NODES,
        },
    };
    serde_saphyr::from_str_with_options::<Option<Node>>(text, options).map_err(|err| {
        let pos = err
            .location()
            .map(|loc| Pos {
                line: clamp(loc.line()),
                column: clamp(loc.column()),
            })
            .unwrap_or(Pos { line: 1, column: 1 });
        let (message, help) = describe(&err);
        plain_words(text, SyntaxError { pos, message, help })
    })
}

/// About 100 MB of engagement YAML.
const MAX_NODES: usize = 5_000_000;

/// A scalar's source without a tag (`!!float 10`) or quotes.
fn plain_spelling(raw: &str) -> &str {
    let raw = raw.trim();
    let raw = match raw.strip_prefix('!') {
        Some(tagged) => tagged
            .split_once(char::is_whitespace)
            .map_or("", |(_, v)| v),
        None => raw,
    };
    raw.trim().trim_matches(['"', '\'']).trim()
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

/// The parser's message in plain words, with advice where we know the
/// cause. Its own messages name its API ("set DuplicateKeyPolicy") and
/// repeat the position, which we print ourselves.
fn describe(err: &serde_saphyr::Error) -> (String, Option<String>) {
    use serde_saphyr::Error as E;
    let mut inner = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    const TOO_BIG: &str = "split it: promises, scope and gaps may each be spread over many files in their folder (promises/, scope/, gaps/)";
    let (message, help): (String, Option<&str>) = match inner {
        E::MultipleDocuments { .. } => (
            "it holds more than one YAML document".into(),
            Some(
                "a line with only `---` starts a new document; keep one per file: remove that line, or move what follows into a file of its own",
            ),
        ),
        E::DuplicateMappingKey { key, .. } => (
            match key {
                Some(key) => format!(
                    "`{}` is written twice in the same place",
                    key.escape_debug()
                ),
                None => "a key is written twice in the same place".into(),
            },
            Some("keep only one of them; several items go in a list, each starting with `- `"),
        ),
        E::NonFiniteFloat { value, .. } => (
            format!(
                "`{}` is not a number that can be used",
                value.escape_debug()
            ),
            Some("write an ordinary number, such as 12 or 0.35"),
        ),
        E::UnknownAnchor { .. } => (
            "an alias (`*name`) refers to an anchor (`&name`) that is not defined before it".into(),
            Some("define `&name` earlier in the same file, or write the value out"),
        ),
        E::Budget {
            breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
            ..
        } => nested_too_deeply(),
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => (
            "aliases (`*name`) repeat the same values too often to be read".into(),
            Some("write the values out, or repeat them fewer times"),
        ),
        E::Budget { .. } => (
            "the file is too large, or repeats aliases (`*name`) too often, to be read".into(),
            Some(TOO_BIG),
        ),
        other => {
            let text = serde_saphyr::MessageFormatter::format_message(
                &serde_saphyr::UserMessageFormatter,
                other,
            );
            let text = sanitize(&strip_position(&text));
            if text.contains("recursion limit") {
                nested_too_deeply()
            } else if text.contains("unsupported tag") {
                (
                    text,
                    Some(
                        "remove the tag (the word starting with `!`): handoff reads plain values only",
                    ),
                )
            } else if text.contains("tabs") {
                (
                    text,
                    Some("indent with spaces: YAML does not allow tabs for indentation"),
                )
            } else {
                (text, None)
            }
        }
    };
    (message, help.map(str::to_string))
}

/// The parser's words for the three mistakes people make most, replaced
/// by what to do, at the place to do it: it reports a tab or an unclosed
/// quote where it gave up, often lines later.
fn plain_words(text: &str, err: SyntaxError) -> SyntaxError {
    let line = text.lines().nth(err.pos.line as usize - 1).unwrap_or("");
    if err.message.contains("mapping values are not allowed") {
        // A key already stands before this colon on its line: the colon is
        // inside that key's text (`title: Import: orders`).
        let before: String = line.chars().take(err.pos.column as usize - 1).collect();
        let item = before.trim_start().trim_start_matches("- ");
        if let Some((key, _)) = item.split_once(": ") {
            let key = sanitize(key.trim());
            return SyntaxError {
                message: "text that contains `: ` must be in quotes".into(),
                help: Some(format!(
                    "put the whole text after `{key}:` in double quotes, like {key}: \"Import: orders\""
                )),
                ..err
            };
        }
    }
    if err.message.contains("tab")
        && let Some(pos) = first_indenting_tab(text)
    {
        return SyntaxError {
            pos,
            message: "this line is indented with a tab".into(),
            help: Some("indent with spaces: YAML does not allow tabs for indentation".into()),
        };
    }
    if err.message.contains("quote")
        && let Some((pos, mark)) = open_quote(text, err.pos)
    {
        let other = if mark == '"' { '\'' } else { '"' };
        return SyntaxError {
            pos,
            message: format!("the quote ({mark}) that starts here is never closed"),
            help: Some(format!(
                "end the text with {mark} on the same line; to use {mark} inside the text, put the text in {other} quotes instead"
            )),
        };
    }
    err
}

/// The first tab in a line's indentation.
fn first_indenting_tab(text: &str) -> Option<Pos> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let column = line[..indent].find('\t')?;
        Some(Pos {
            line: clamp(i as u64 + 1),
            column: clamp(column as u64 + 1),
        })
    })
}

/// Where the quoted text still open at `until` starts, with its quote
/// mark. A quote counts only where a value starts (after `: `, `- `, `[`,
/// `,`), not inside plain text (`Import "fast`).
fn open_quote(text: &str, until: Pos) -> Option<(Pos, char)> {
    let mut open: Option<(Pos, char)> = None;
    let mut flow = 0usize;
    for (i, line) in text.lines().enumerate() {
        let line_no = clamp(i as u64 + 1);
        let chars: Vec<char> = line.chars().collect();
        let mut plain = false;
        let mut j = 0;
        while j < chars.len() {
            if (line_no, clamp(j as u64 + 1)) > (until.line, until.column) {
                return open;
            }
            let c = chars[j];
            let next = chars.get(j + 1).copied();
            let ends = next.is_none_or(char::is_whitespace);
            match open {
                Some((_, '"')) if c == '\\' => j += 1,
                Some((_, '"')) if c == '"' => open = None,
                Some((_, '\'')) if c == '\'' && next == Some('\'') => j += 1,
                Some((_, '\'')) if c == '\'' => open = None,
                Some(_) => {}
                None => match c {
                    '#' if j == 0 || chars[j - 1].is_whitespace() => break,
                    '"' | '\'' if !plain => {
                        open = Some((
                            Pos {
                                line: line_no,
                                column: clamp(j as u64 + 1),
                            },
                            c,
                        ));
                    }
                    ':' if ends => plain = false,
                    '[' | '{' if !plain => flow += 1,
                    ']' | '}' if flow > 0 => {
                        flow -= 1;
                        plain = false;
                    }
                    ',' if flow > 0 => plain = false,
                    '-' | '?' if !plain && ends => {}
                    c if c.is_whitespace() => {}
                    _ => plain = true,
                },
            }
            j += 1;
        }
        if line_no >= until.line {
            break;
        }
    }
    open
}

fn nested_too_deeply() -> (String, Option<&'static str>) {
    (
        "values are nested too deeply to be read".into(),
        Some(
            "engagement files need only a few levels of nesting; look for brackets that never close or indentation that keeps growing",
        ),
    )
}

/// Control characters from the file must not reach the terminal.
fn sanitize(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_debug().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Drops "line N column M: " before, or " at line N, column M" after, a
/// message: we print the position ourselves, in `file:line:column` form.
fn strip_position(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(rest) = first.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
        && rest.contains(" column ")
    {
        return after.to_string();
    }
    if let Some((before, after)) = first.rsplit_once(" at line ")
        && after.contains(", column ")
    {
        return before.to_string();
    }
    first.to_string()
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned: Spanned<Value> = Spanned::deserialize(deserializer)?;
        let span = spanned.defined.span();
        let span = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(start, len)| {
                Some((usize::try_from(start).ok()?, usize::try_from(len).ok()?))
            });
        Ok(Node {
            pos: Pos {
                line: clamp(spanned.referenced.line()),
                column: clamp(spanned.referenced.column()),
            },
            value: spanned.value,
            span,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(node) = seq.next_element()? {
            items.push(node);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::panic)] // a test helper fails loudly on a wrong shape
    fn top(text: &str) -> Vec<(Node, Node)> {
        match parse(text) {
            Ok(Some(Node {
                value: Value::Map(m),
                ..
            })) => m,
            // An empty list fails the caller's assertions.
            _ => Vec::new(),
        }
    }

    #[test]
    fn positions_point_at_keys_and_values() {
        let m = top("# c\nid: K-01\ntitle: x\n");
        assert_eq!(m[0].0.pos, Pos { line: 2, column: 1 });
        assert_eq!(m[0].1.pos, Pos { line: 2, column: 5 });
        assert_eq!(m[1].0.pos.line, 3);
    }

    #[test]
    fn yes_and_no_stay_text() {
        let m = top("a: no\nb: yes\nc: true\n");
        assert_eq!(m[0].1.value, Value::Str("no".into()));
        assert_eq!(m[1].1.value, Value::Str("yes".into()));
        assert_eq!(m[2].1.value, Value::Bool(true));
    }

    #[test]
    fn leading_zero_ids_stay_text() {
        let m = top("id: 007\n");
        assert_eq!(m[0].1.value, Value::Str("007".into()));
    }

    #[test]
    fn empty_file_is_none() {
        assert!(matches!(parse("# only a comment\n"), Ok(None)));
    }

    #[test]
    fn syntax_error_has_position_and_plain_message() {
        let err = parse("a: [1, 2\nb: }\n")
            .err()
            .map(|e| (e.pos.line, e.message));
        let (line, message) = err.unwrap_or_default();
        assert_eq!(line, 2);
        assert!(!message.starts_with("line"), "{message}");
    }

    #[test]
    fn numbers_keep_their_spelling() {
        let text = "a: 3.10\nb: !!float 2.50\nc: 1e3\nd: x\n";
        let m = top(text);
        let spelled: Vec<Option<&str>> = m.iter().map(|(_, v)| v.spelling(text)).collect();
        assert_eq!(spelled, [Some("3.10"), Some("2.50"), Some("1e3"), None]);
        assert_eq!(m[0].1.value, Value::Float(3.1));
    }

    #[test]
    fn messages_carry_no_position_of_their_own() {
        assert_eq!(
            strip_position("unclosed bracket '[' at line 35, column 5"),
            "unclosed bracket '['"
        );
        assert_eq!(strip_position("line 2 column 3: bad thing"), "bad thing");
        assert_eq!(strip_position("at line level"), "at line level");
    }

    #[test]
    fn the_open_quote_is_found_where_it_starts() {
        let at = |line, column| Pos { line, column };
        let text = "a: \"closed\"\nb: it's \"fine\"\nc: [x, 'open\nd: 1\n";
        assert_eq!(open_quote(text, at(4, 2)), Some((at(3, 8), '\'')));
        assert_eq!(open_quote("a: \"x\\\"y\n", at(2, 1)), Some((at(1, 4), '"')));
        assert_eq!(open_quote("a: 'it''s'\n# \"\n", at(3, 1)), None);
    }

    #[test]
    fn tabs_are_found_in_indentation_only() {
        assert_eq!(
            first_indenting_tab("a:\tb\nc:\n  \td: 1\n"),
            Some(Pos { line: 3, column: 3 })
        );
        assert_eq!(first_indenting_tab("a:\tb\n"), None);
    }

    #[test]
    fn scalar_spans_cover_the_written_value_with_its_quotes() {
        let text = "a: \"quoted\"\nb: 3.10\nc: { k: 'x' }\n";
        let m = top(text);
        let written = |n: &Node| {
            n.span()
                .and_then(|(s, l)| text.get(s..s + l))
                .map(str::to_string)
        };
        assert_eq!(written(&m[0].1).as_deref(), Some("\"quoted\""));
        assert_eq!(written(&m[1].1).as_deref(), Some("3.10"));
        let inner = match &m[2].1.value {
            Value::Map(inner) => inner.clone(),
            _ => Vec::new(),
        };
        assert_eq!(inner.len(), 1);
        assert_eq!(written(&inner[0].1).as_deref(), Some("'x'"));
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        assert!(parse("a: 1\na: 2\n").is_err());
    }
}
