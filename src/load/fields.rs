//! Typed reading of one YAML mapping, collecting every problem.
//!
//! Each getter either returns a valid value or records a diagnostic and
//! returns `None`, so one pass over a file reports all its mistakes.

use std::sync::Arc;

use super::hints;
use crate::date::Date;
use crate::diag::{Diagnostic, one_of, suggest};
use crate::model::decl::KindDecl;
use crate::model::{Loc, Pos, Sp, Vocab, Written};
use crate::yaml::{Node, Value};

/// The largest effort, rate or amount accepted (a thousand billion).
const MAX_NUMBER: f64 = 1e12;

/// Reads nodes of one file, recording problems as it goes.
pub(super) struct Reader<'d> {
    pub file: Arc<str>,
    /// The text the nodes were parsed from: a number read as text is
    /// read as written ([`Node::spelling`]).
    pub text: &'d str,
    pub diags: &'d mut Vec<Diagnostic>,
    /// Sign-off roles as written, checked against the config later (which
    /// roles exist is configurable), even where their entry is unusable.
    pub signoff_roles: &'d mut Vec<Sp<String>>,
    /// The text of the item being read, when the load keeps it
    /// ([`crate::model::Written`]); the item's reader takes it.
    pub written: Option<Written>,
}

/// The entries of a mapping whose keys were all allowed.
pub(super) struct Fields<'n> {
    pub pos: Pos,
    entries: Vec<(&'n str, &'n Node, &'n Node)>,
}

impl<'n> Fields<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, _, v)| *v)
            .filter(|v| v.value != Value::Null)
    }

    /// Where the key was written (for findings about a field).
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, k, _)| k.pos)
    }
}

impl Reader<'_> {
    pub fn loc(&self, pos: Pos) -> Loc {
        Loc::new(&self.file, pos)
    }

    pub fn error(&mut self, pos: Pos, message: String, help: Option<String>) {
        self.diags.push(Diagnostic {
            loc: Some(self.loc(pos)),
            message,
            help,
        });
    }

    fn wrong_kind(&mut self, node: &Node, key: &str, expected: &str) {
        self.error(
            node.pos,
            format!("`{key}` must be {expected}, found {}", node.value.kind()),
            None,
        );
    }

    /// Checks that `node` is a mapping of the declared kind's fields.
    pub fn record<'n>(&mut self, node: &'n Node, decl: &KindDecl) -> Option<Fields<'n>> {
        self.fields(node, decl.what, &decl.keys())
    }

    /// Checks that `node` is a mapping whose keys are all in `allowed`.
    /// `what` names the thing in messages ("scope item").
    pub fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let Value::Map(map) = &node.value else {
            if let (Value::Seq(_), [key]) = (&node.value, allowed)
                && what.ends_with(" file")
            {
                let (message, help) = hints::missing_top_key(key);
                self.error(node.pos, message, Some(help));
                return None;
            }
            // Sections ("the `dates` section") and files are one of a kind;
            // items ("scope item") are one of many.
            let subject =
                if what.starts_with("the ") || what.ends_with(".yaml") || what.ends_with(" file") {
                    what.to_string()
                } else {
                    format!("each {what}")
                };
            self.error(
                node.pos,
                format!(
                    "{subject} must be a mapping (key: value pairs), found {}",
                    node.value.kind()
                ),
                Some(format!(
                    "write it as `key: value` lines; allowed keys: {}",
                    allowed.join(", ")
                )),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let Value::Str(name) = &key.value else {
                self.error(
                    key.pos,
                    format!("keys must be words, found {}", key.value.kind()),
                    Some(format!("allowed keys: {}", allowed.join(", "))),
                );
                continue;
            };
            if !allowed.contains(&name.as_str()) {
                let help = match hints::key_elsewhere(name, what) {
                    Some(hint) => format!("{hint} allowed keys here: {}", allowed.join(", ")),
                    None => match suggest(name, allowed) {
                        Some(close) => format!(
                            "did you mean `{close}`? allowed keys: {}",
                            allowed.join(", ")
                        ),
                        None => format!("allowed keys: {}", allowed.join(", ")),
                    },
                };
                // A key is quoted back; one holding a control character
                // (a colour sequence) is shown escaped, never acted on.
                self.error(
                    key.pos,
                    format!("unknown key `{}` in {what}", escape_controls(name)),
                    Some(help),
                );
                continue;
            }
            entries.push((name.as_str(), key, value));
        }
        Some(Fields {
            pos: node.pos,
            entries,
        })
    }

    /// Text, also accepting a plain number (`ref: 2026`) as its spelling.
    pub fn text(&mut self, f: &Fields<'_>, key: &str) -> Option<String> {
        self.sp_text(f, key).map(|s| s.value)
    }

    pub fn sp_text(&mut self, f: &Fields<'_>, key: &str) -> Option<Sp<String>> {
        let node = f.get(key)?;
        self.text_node(node, key)
    }

    pub fn text_node(&mut self, node: &Node, key: &str) -> Option<Sp<String>> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(n) => node
                .spelling(self.text)
                .map_or_else(|| n.to_string(), str::to_string),
            Value::Float(n) => node
                .spelling(self.text)
                .map_or_else(|| n.to_string(), str::to_string),
            _ => {
                self.wrong_kind(node, key, "text");
                return None;
            }
        };
        // A control character (written as `\e` or `\x1b` in quotes) could
        // recolour or hide what a terminal shows next to it; no title or
        // note needs one.
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && *c != '\n' && *c != '\t')
        {
            self.error(
                node.pos,
                format!(
                    "`{key}` holds a control character (U+{:04X}), which is not text",
                    u32::from(c)
                ),
                Some("remove it: a terminal would act on it instead of showing it".into()),
            );
            return None;
        }
        Some(Sp {
            value: text,
            loc: self.loc(node.pos),
        })
    }

    /// A required text field; `what` names the item for the message.
    pub fn required_text(&mut self, f: &Fields<'_>, key: &str, what: &str) -> Option<Sp<String>> {
        if f.get(key).is_none() {
            self.error(
                f.pos,
                format!("{what} has no `{key}`"),
                Some(format!("every {what} needs `{key}:`")),
            );
            return None;
        }
        let text = self.sp_text(f, key)?;
        if text.value.trim().is_empty() {
            self.error(
                text.loc.pos,
                format!("{what} has an empty `{key}`"),
                Some(format!("every {what} needs `{key}:` with a value")),
            );
            return None;
        }
        Some(text)
    }

    pub fn number(&mut self, f: &Fields<'_>, key: &str) -> Option<f64> {
        let node = f.get(key)?;
        let value = match node.value {
            Value::Int(n) => n as f64,
            Value::Float(n) if n.is_finite() => n,
            _ => {
                let help = match &node.value {
                    Value::Str(s) => hints::number(s),
                    _ => None,
                };
                self.error(
                    node.pos,
                    format!(
                        "`{key}` must be a number (for example 12 or 0.35), found {}",
                        node.value.kind()
                    ),
                    help,
                );
                return None;
            }
        };
        if value.abs() > MAX_NUMBER {
            // Sums and percentages of such numbers overflow to "inf%".
            let written = node.spelling(self.text).unwrap_or("this number");
            self.error(
                node.pos,
                format!("`{key}` is too large to be a real figure: {written}"),
                Some("numbers up to a thousand billion (1000000000000) are accepted; check for extra digits".into()),
            );
            return None;
        }
        // `-0.0` would show as "-0" in figures and JSON.
        Some(value + 0.0)
    }

    /// A number that cannot be negative (effort, money).
    pub fn amount(&mut self, f: &Fields<'_>, key: &str) -> Option<f64> {
        let value = self.number(f, key)?;
        if value < 0.0 {
            let pos = f.get(key).map_or(f.pos, |n| n.pos);
            self.error(
                pos,
                format!("`{key}` cannot be negative, found {value}"),
                None,
            );
            return None;
        }
        Some(value)
    }

    /// A fraction such as a margin: 0.35 means 35%.
    pub fn fraction(&mut self, f: &Fields<'_>, key: &str) -> Option<f64> {
        let value = self.number(f, key)?;
        if !(0.0..=1.0).contains(&value) {
            let pos = f.get(key).map_or(f.pos, |n| n.pos);
            self.error(
                pos,
                format!("`{key}` is a fraction between 0 and 1, found {value}"),
                Some(format!("write 35% as `{key}: 0.35`")),
            );
            return None;
        }
        Some(value)
    }

    pub fn boolean(&mut self, f: &Fields<'_>, key: &str) -> Option<bool> {
        let node = f.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_kind(node, key, "`true` or `false`");
                None
            }
        }
    }

    pub fn date(&mut self, f: &Fields<'_>, key: &str) -> Option<Sp<Date>> {
        let node = f.get(key)?;
        self.date_node(node, key)
    }

    pub fn date_node(&mut self, node: &Node, key: &str) -> Option<Sp<Date>> {
        let parsed = match &node.value {
            Value::Str(s) => Date::parse(s),
            _ => None,
        };
        match parsed {
            Some(date) => Some(Sp {
                value: date,
                loc: self.loc(node.pos),
            }),
            None => {
                let found = match &node.value {
                    Value::Str(s) => format!("`{s}`"),
                    other => other.kind().to_string(),
                };
                let hint = match &node.value {
                    Value::Str(s) => hints::date(s),
                    _ => None,
                };
                self.error(
                    node.pos,
                    format!("`{key}` must be a date written YYYY-MM-DD, found {found}"),
                    Some(hint.unwrap_or_else(|| "for example `2026-03-17`".to_string())),
                );
                None
            }
        }
    }

    pub fn vocab<V: Vocab>(&mut self, f: &Fields<'_>, key: &str) -> Option<V> {
        let node = f.get(key)?;
        self.vocab_node(node, key)
    }

    pub fn vocab_node<V: Vocab>(&mut self, node: &Node, key: &str) -> Option<V> {
        let Value::Str(text) = &node.value else {
            self.wrong_kind(node, key, &format!("one of {}", one_of(V::NAMES)));
            return None;
        };
        if let Some(value) = V::parse(text) {
            return Some(value);
        }
        let help = match hints::synonym(text, V::NAMES).or_else(|| suggest(text, V::NAMES)) {
            Some(close) => format!("did you mean `{close}`? allowed: {}", V::NAMES.join(", ")),
            None => format!("allowed: {}", V::NAMES.join(", ")),
        };
        self.error(
            node.pos,
            format!("`{text}` is not a valid {} (`{key}`)", V::WHAT),
            Some(help),
        );
        None
    }

    /// The nodes of a list. A single value is read as a list of one, so
    /// `covers: K-01` works as well as `covers: [K-01]`.
    pub fn list<'n>(&mut self, f: &Fields<'n>, key: &str) -> Vec<&'n Node> {
        match f.get(key) {
            None => Vec::new(),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => items.iter().collect(),
            // A single value, mapping or not, is a list of one.
            Some(node) => vec![node],
        }
    }

    pub fn text_list(&mut self, f: &Fields<'_>, key: &str) -> Vec<String> {
        self.sp_text_list(f, key)
            .into_iter()
            .map(|s| s.value)
            .collect()
    }

    pub fn sp_text_list(&mut self, f: &Fields<'_>, key: &str) -> Vec<Sp<String>> {
        let nodes = self.list(f, key);
        nodes
            .into_iter()
            .filter_map(|node| self.text_node(node, key))
            .collect()
    }

    pub fn vocab_list<V: Vocab>(&mut self, f: &Fields<'_>, key: &str) -> Vec<V> {
        let nodes = self.list(f, key);
        nodes
            .into_iter()
            .filter_map(|node| self.vocab_node(node, key))
            .collect()
    }
}

/// `text` with its control characters written as escapes (`\u{1b}`), the
/// rest as it is (accents too), for quoting a key back to the user.
fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
