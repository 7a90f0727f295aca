//! The fast path: the YAML parser's events straight into [`Node`]s.
//!
//! serde-saphyr's typed layer over the parser costs about a fifth more
//! than the parse itself, mostly in the position records every node
//! carries (issue 17). Files as people write them here (plain keys; no
//! tags, anchors, aliases or merge keys; numbers and dates in their usual
//! spellings) are built here straight from the parser's events, with the
//! same values and positions. Anything else, and every error, goes back to
//! the full deserializer: what a file means, and every message about it,
//! stays exactly the same. A test compares both paths on every YAML file
//! in the repository and on the spellings that decide a value's type.

use std::borrow::Cow;

use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, Span};

use super::{MAX_NODES, Node, Pos, Value, clamp};

/// Nesting deeper than this goes to the full deserializer, which applies
/// its own depth limit (64) and says so.
const MAX_DEPTH: usize = 48;

/// Scalar text beyond this goes to the full deserializer, which applies
/// its own budget (64 MiB) and says so.
const MAX_SCALAR_BYTES: usize = 32 * 1024 * 1024;

/// The document built from events, or `None` when the file needs the full
/// deserializer: something this path does not decide, or an error.
pub(super) fn parse(text: &str) -> Option<Node> {
    let mut options = Options::default();
    // The full deserializer does not read comments; nor does this.
    options.emit_comments = false;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut nodes = 0usize;
    let mut scalar_bytes = 0usize;
    let mut documents = 0usize;
    loop {
        let (event, span) = parser.next_event()?.ok()?;
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => break,
            // A `%YAML` directive, or a second document, is the full
            // deserializer's to judge.
            Event::DocumentStart(_, None) if documents == 0 => documents = 1,
            Event::DocumentEnd if stack.is_empty() && root.is_some() => {}
            Event::Scalar(value, style, 0, None) if root.is_some() || !stack.is_empty() => {
                scalar_bytes = scalar_bytes.saturating_add(value.len());
                let value = resolve(value, style)?;
                push(&mut stack, &mut root, node(value, &span))?;
            }
            Event::SequenceStart(_, 0, None) => stack.push(Open::new(&span, Kind::Seq(Vec::new()))),
            Event::MappingStart(_, 0, None) => {
                stack.push(Open::new(&span, Kind::Map(Vec::new(), None)));
            }
            Event::SequenceEnd => match stack.pop()? {
                Open {
                    pos,
                    span,
                    kind: Kind::Seq(items),
                } => push(&mut stack, &mut root, full(pos, span, Value::Seq(items)))?,
                _ => return None,
            },
            Event::MappingEnd => match stack.pop()? {
                Open {
                    pos,
                    span,
                    kind: Kind::Map(entries, None),
                } if keys_differ(&entries) => {
                    push(&mut stack, &mut root, full(pos, span, Value::Map(entries)))?;
                }
                _ => return None,
            },
            _ => return None,
        }
        nodes += 1;
        if nodes > MAX_NODES || stack.len() > MAX_DEPTH || scalar_bytes > MAX_SCALAR_BYTES {
            return None;
        }
    }
    // Only a mapping or list at the top; an empty file, or one holding a
    // single scalar, is the full deserializer's (it decides `None`).
    root.filter(|r| matches!(r.value, Value::Map(_) | Value::Seq(_)))
}

/// A list or mapping whose end has not come yet.
struct Open {
    pos: Pos,
    span: Option<(usize, usize)>,
    kind: Kind,
}

enum Kind {
    Seq(Vec<Node>),
    /// The entries so far, and a key waiting for its value.
    Map(Vec<(Node, Node)>, Option<Node>),
}

impl Open {
    fn new(span: &Span, kind: Kind) -> Open {
        Open {
            pos: pos(span),
            span: byte_range(span),
            kind,
        }
    }
}

/// Where a node starts, as the full deserializer reports it: lines from 1,
/// columns from 1.
fn pos(span: &Span) -> Pos {
    Pos {
        line: clamp(span.start.line() as u64),
        column: clamp(span.start.col() as u64 + 1),
    }
}

fn byte_range(span: &Span) -> Option<(usize, usize)> {
    let start = span.start.byte_offset()?;
    let end = span.end.byte_offset()?;
    Some((start, end.saturating_sub(start)))
}

fn node(value: Value, span: &Span) -> Node {
    full(pos(span), byte_range(span), value)
}

fn full(pos: Pos, span: Option<(usize, usize)>, value: Value) -> Node {
    Node { pos, value, span }
}

/// Puts a finished node where it belongs: the document, the next entry of
/// a list, or a key or value of a mapping. Keys must be text, and not the
/// merge key `<<`, whose meaning is the full deserializer's.
fn push(stack: &mut [Open], root: &mut Option<Node>, node: Node) -> Option<()> {
    match stack.last_mut() {
        None if root.is_none() => *root = Some(node),
        None => return None,
        Some(Open {
            kind: Kind::Seq(items),
            ..
        }) => items.push(node),
        Some(Open {
            kind: Kind::Map(entries, key),
            ..
        }) => match key.take() {
            Some(k) => entries.push((k, node)),
            None => match &node.value {
                Value::Str(s) if s != "<<" => *key = Some(node),
                _ => return None,
            },
        },
    }
    Some(())
}

/// No key written twice (the full deserializer then explains the
/// problem). Sorting keeps a mapping of many keys from costing their
/// square.
fn keys_differ(entries: &[(Node, Node)]) -> bool {
    let mut keys: Vec<&str> = entries
        .iter()
        .filter_map(|(k, _)| match &k.value {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    keys.sort_unstable();
    keys.windows(2).all(|pair| pair[0] != pair[1])
}

/// A scalar's value as the full deserializer types it (with strict
/// booleans and leading-zero numbers kept as text), or `None` for a
/// spelling this path leaves to it: `+1`, `.5`, `1e3`, `0x1F`, `1_000`,
/// `12:30`, very long numbers.
fn resolve(value: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(value.into_owned()));
    }
    match &*value {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let text = &*value;
    let first = *text.as_bytes().first()?;
    // Text that starts with anything but a digit, a sign or a point is
    // never a number (`inf` and `nan` are text in YAML 1.2).
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Some(Value::Str(value.into_owned()));
    }
    // Nor is text with a space inside (`3 days`, `1 000`): no number,
    // true/false or null is written with one.
    if text.contains(' ') {
        return Some(Value::Str(value.into_owned()));
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // `0` or a whole number without a leading zero (`007` stays text,
    // and is the full deserializer's to say so).
    let plain_whole = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    match fraction {
        None if plain_whole && whole.len() <= 18 => text.parse::<i64>().ok().map(Value::Int),
        Some(fraction) if plain_whole && digits(fraction) && text.len() <= 40 => text
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::Float),
        // 2026-03-17: a date, which YAML 1.2 reads as text.
        None if is_date(text) => Some(Value::Str(value.into_owned())),
        _ => None,
    }
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both paths on one text: when this one builds a document, it is the
    /// full deserializer's, node for node (values, positions, spans).
    fn same(text: &str) -> bool {
        let fast = parse(text);
        if let Some(fast) = &fast {
            assert_eq!(
                Ok(Some(fast)),
                super::super::deserialize(text)
                    .as_ref()
                    .map(Option::as_ref)
                    .map_err(|e| &e.message),
                "the two paths differ on:\n{text}"
            );
        }
        fast.is_some()
    }

    fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                yaml_files(&path, out);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_yaml_file_in_the_repository_reads_the_same_on_both_paths() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["examples", "tests/fixtures", "src"] {
            yaml_files(&root.join(dir), &mut files);
        }
        let mut fast = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            if same(&text) {
                fast += 1;
            }
        }
        // Most files are as people write them, and take the fast path.
        assert!(files.len() > 30, "{} files", files.len());
        assert!(
            fast * 10 > files.len() * 7,
            "{fast} of {} fast",
            files.len()
        );
    }

    #[test]
    fn every_spelling_that_decides_a_type_reads_the_same_on_both_paths() {
        let spellings = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "false",
            "False",
            "FALSE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "0",
            "-0",
            "+0",
            "00",
            "007",
            "-007",
            "1",
            "-1",
            "+1",
            "12",
            "123456789012345678",
            "1234567890123456789",
            "-9223372036854775808",
            "9223372036854775807",
            "9223372036854775808",
            "99999999999999999999",
            "1.5",
            "-1.5",
            "0.05",
            "00.5",
            "0.",
            "1.",
            ".5",
            "-.5",
            "1.5.5",
            "1e3",
            "1E3",
            "1.5e-3",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "1__0",
            "_1",
            "1_",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "nan",
            "NaN",
            "infinity",
            "1e999",
            "12:30",
            "2026-03-17",
            "2026-3-17",
            "2026-03-17T10:00",
            "20260317",
            "2026-13-45",
            "1,5",
            "1 000",
            "€12",
            "12 days",
            "-",
            "--",
            "- x",
            "P-1",
            "S.1",
            "3.10",
            "3.1",
            "1.0",
            "0.0",
            "-0.0",
            "0.1000000000000000055511151231257827",
            "1.7976931348623157e308",
            "5 %",
            "'q'",
            "\"q\"",
            "a: b",
            "3 days",
            "- 5",
            "+ 5",
            ". 5",
            "-  .inf",
            "1 e3",
            "0x 1F",
            "12 :30",
            "2026-03-17 10:00",
            "24/7 support",
        ];
        for spelling in spellings {
            for text in [
                format!("key: {spelling}\n"),
                format!("- {spelling}\n"),
                format!("key: [{spelling}]\n"),
                format!("{spelling}: 1\n"),
                format!("key: '{spelling}'\n"),
                format!("key: \"{spelling}\"\n"),
                format!("key: |\n  {spelling}\n"),
            ] {
                same(&text);
            }
        }
    }

    #[test]
    fn what_this_path_does_not_decide_goes_to_the_full_deserializer() {
        for text in [
            "a: 1\na: 2\n",
            "a: &x 1\nb: *x\n",
            "base: &b {x: 1}\nother:\n  <<: *b\n",
            "a: !!str 1\n",
            "a: !important yes\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "? [a, b]\n: 1\n",
            "1: one\n",
            "just text\n",
            "",
            "# only a comment\n",
            "a: [1, 2\n",
            "a: b: c\n",
            "a: 1e3\n",
            "a: .inf\n",
        ] {
            assert!(parse(text).is_none(), "fast path took:\n{text}");
        }
        // And a deeply nested file, which has a limit of its own there.
        let deep = format!("{}1{}\n", "[".repeat(60), "]".repeat(60));
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn a_file_as_people_write_it_takes_the_fast_path() {
        assert!(same("title: 3 days of training on site\n"));
        let text = "promises:\n  - id: P-1\n    title: \"Quoted: title\"\n    due: 2026-03-17\n    sold_effort: 2.5\n    tags: [a, b]\n    acceptance: |\n      line one\n      line two\n  - id: '007'\n    title: >\n      folded\n      text\n    priority: must\n    commitment: ~\n";
        assert!(same(text));
    }
}
