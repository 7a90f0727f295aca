//! The fingerprint a sign-off records: SHA-256 over a canonical form of the
//! engagement's typed content, so it changes when a value changes and only
//! then. Comments, key order, quoting, file layout and where an item is kept
//! never reach the typed model, so they cannot change it.
//!
//! The canonical form is specified in docs/signoffs.md precisely enough for
//! another tool to recompute it: per kind, a JSON value in the JSON
//! Canonicalization Scheme (RFC 8785); the engagement's canonical document
//! is the object holding the five kinds.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::model::Engagement;
use crate::model::decl::{Declared, Value};

/// The kinds covered, in the order people read about them.
pub const KINDS: [&str; 5] = ["handoff", "stakeholders", "promises", "scope", "gaps"];

/// Written before the hex digits of every fingerprint.
pub const PREFIX: &str = "sha256:";

/// The fingerprint of an engagement as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Over the whole canonical document.
    pub combined: String,
    /// One per kind, in [`KINDS`] order.
    pub kinds: Vec<(&'static str, String)>,
}

impl Fingerprint {
    pub fn of(e: &Engagement) -> Fingerprint {
        let texts = canonical_kinds(e);
        Fingerprint {
            combined: sha256(&document(&texts)),
            kinds: texts.iter().map(|(k, text)| (*k, sha256(text))).collect(),
        }
    }

    /// The kinds whose fingerprint differs from `recorded`; a kind missing
    /// from `recorded` counts as changed only when `recorded` has others
    /// (an entry without per-kind fingerprints cannot say).
    pub fn changed_kinds(&self, recorded: &BTreeMap<String, String>) -> Vec<&'static str> {
        if recorded.is_empty() {
            return Vec::new();
        }
        self.kinds
            .iter()
            .filter(|(kind, now)| recorded.get(*kind) != Some(now))
            .map(|(kind, _)| *kind)
            .collect()
    }
}

/// Whether `text` is written like a fingerprint: `sha256:` and 64
/// lower-case hex digits.
pub fn is_well_formed(text: &str) -> bool {
    text.strip_prefix(PREFIX).is_some_and(|hex| {
        hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// `sha256:` + lower-case hex of the SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256(text: &str) -> String {
    sha256_bytes(text.as_bytes())
}

/// `sha256:` + lower-case hex of the SHA-256 of `bytes` (a sign-off's
/// evidence file).
pub fn sha256_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    for byte in digest.iter() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The canonical text of each kind, in [`KINDS`] order.
pub fn canonical_kinds(e: &Engagement) -> Vec<(&'static str, String)> {
    let values = [
        item(&e.handoff),
        sorted(e.stakeholders.iter().map(|s| (s.key.as_str(), item(s)))),
        sorted(e.promises.iter().map(|p| (p.id.as_str(), item(p)))),
        sorted(e.scope.iter().map(|s| (s.id.as_str(), item(s)))),
        sorted(e.gaps.iter().map(|g| (g.id.as_str(), item(g)))),
    ];
    KINDS
        .iter()
        .zip(values)
        .map(|(kind, value)| (*kind, value.to_canonical()))
        .collect()
}

/// The whole engagement's canonical document: the object whose members are
/// the kinds, keys sorted as RFC 8785 sorts them.
pub fn document(kinds: &[(&'static str, String)]) -> String {
    let mut members: Vec<&(&str, String)> = kinds.iter().collect();
    members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut out = String::from("{");
    for (i, (kind, text)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(&mut out, kind);
        out.push(':');
        out.push_str(text);
    }
    out.push('}');
    out
}

/// The canonical document of an engagement (for `docs` and debugging).
pub fn canonical_document(e: &Engagement) -> String {
    document(&canonical_kinds(e))
}

/// A JSON value as the canonical form needs it: no null (absent fields are
/// left out), numbers as f64.
#[derive(Debug, Clone, PartialEq)]
enum C {
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<C>),
    Obj(Vec<(&'static str, C)>),
}

impl C {
    fn to_canonical(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            C::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            C::Num(n) => out.push_str(&number(*n)),
            C::Str(s) => write_string(out, s),
            C::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            C::Obj(members) => {
                let mut members: Vec<&(&str, C)> = members.iter().collect();
                members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
                out.push('{');
                for (i, (key, value)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A string as RFC 8785 writes it: only `"`, `\` and control characters
/// are escaped, with the short forms where JSON has them.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number as ECMAScript's `Number.prototype.toString` writes it, which is
/// what RFC 8785 requires: `200`, `0.35`, `1e+21`, `1e-7`. So `200` and
/// `200.0` in a file are the same value.
fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        // The loader admits only finite numbers; -0 is written 0.
        return "0".to_string();
    }
    let abs = x.abs();
    if (1e-6..1e21).contains(&abs) {
        // Rust prints the shortest digits that read back as the same
        // number, without an exponent: ECMAScript's rule in this range.
        format!("{x}")
    } else {
        let text = format!("{x:e}");
        match text.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => text,
        }
    }
}

/// Items of a kind, ordered by id and then by their canonical text, so file
/// order and file layout do not matter (ties only arise with duplicate ids).
fn sorted<'a>(items: impl Iterator<Item = (&'a str, C)>) -> C {
    let mut keyed: Vec<(&str, String, C)> = items
        .map(|(id, value)| (id, value.to_canonical(), value))
        .collect();
    keyed.sort_by(|a, b| {
        a.0.encode_utf16()
            .cmp(b.0.encode_utf16())
            .then_with(|| a.1.cmp(&b.1))
    });
    C::List(keyed.into_iter().map(|(_, _, value)| value).collect())
}

/// A declared item as the canonical form writes it.
fn item<T: Declared>(item: &T) -> C {
    entry(&item.record())
}

/// A record's members, leaving out what is absent or empty.
fn members(fields: &[(&'static str, Value<'_>)]) -> Vec<(&'static str, C)> {
    fields
        .iter()
        .filter_map(|(key, value)| Some((*key, member(value)?)))
        .collect()
}

/// A field's value; `None` leaves the field out: absent, an empty list, or
/// a nested record with nothing in it. Booleans are always written.
fn member(value: &Value<'_>) -> Option<C> {
    Some(match value {
        Value::Absent => return None,
        Value::Text(s) => C::Str((*s).to_string()),
        Value::Num(n) => C::Num(*n),
        Value::Bool(b) => C::Bool(*b),
        Value::Date(d) => C::Str(d.to_string()),
        Value::List(items) if items.is_empty() => return None,
        Value::List(items) => C::List(items.iter().map(entry).collect()),
        Value::Record(fields) => {
            let members = members(fields);
            if members.is_empty() {
                return None;
            }
            C::Obj(members)
        }
    })
}

/// A list entry or a whole item: a record is written even when empty.
fn entry(value: &Value<'_>) -> C {
    match value {
        Value::Record(fields) => C::Obj(members(fields)),
        other => member(other).unwrap_or(C::Obj(Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads an engagement folder written as (relative path, text) pairs.
    fn engagement(files: &[(&str, &str)]) -> Option<Engagement> {
        let dir = tempfile::tempdir().ok()?;
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent()?).ok()?;
            std::fs::write(path, text).ok()?;
        }
        let loaded = crate::load::load_all(&crate::load::FsTree, &[dir.path().to_path_buf()]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.engagements.into_iter().next()
    }

    /// The example of docs/signoffs.md: keep the two in step.
    const DOC_HANDOFF: &str = "id: DEMO-1\nname: Demo\ncontract: { type: fixed_price, services_value: 12000.50 }\neffort: { sold: 20 }\n";
    const DOC_PROMISES: &str = "promises:\n  - id: P-2\n    title: Export to CSV\n    priority: should\n  - id: P-1\n    title: \"Single sign-on\"\n    acceptance: [Log in with the company account]\n";
    const DOC_SCOPE: &str = "scope:\n  - { id: S-1, covers: [P-1], effort: 5 }\n";
    const DOC_DOCUMENT: &str = r#"{"gaps":[],"handoff":{"contract":{"services_value":12000.5,"type":"fixed_price"},"effort":{"sold":20},"id":"DEMO-1","name":"Demo"},"promises":[{"acceptance":["Log in with the company account"],"id":"P-1","status":"active","title":"Single sign-on"},{"id":"P-2","priority":"should","status":"active","title":"Export to CSV"}],"scope":[{"coverage":"full","covers":["P-1"],"effort":5,"id":"S-1","internal":false,"status":"planned"}],"stakeholders":[]}"#;

    #[test]
    fn the_documented_example_gives_the_documented_document() {
        let e = engagement(&[
            ("handoff.yaml", DOC_HANDOFF),
            ("promises.yaml", DOC_PROMISES),
            ("scope.yaml", DOC_SCOPE),
        ]);
        assert_eq!(
            e.as_ref().map(canonical_document).as_deref(),
            Some(DOC_DOCUMENT)
        );
        let fp = e.as_ref().map(Fingerprint::of);
        assert_eq!(
            fp.as_ref().map(|f| f.combined.as_str()),
            Some("sha256:6b06efd0f22a9c9969a6675e9dc278c0073ea67d4ba34d401fcbf99d0d0bf1fd")
        );
        assert_eq!(
            fp.as_ref()
                .and_then(|f| f.kinds.iter().find(|(k, _)| *k == "gaps"))
                .map(|(_, v)| v.clone()),
            Some(sha256("[]"))
        );
    }

    #[test]
    fn layout_comments_and_spelling_do_not_change_the_document() {
        let rewritten = engagement(&[
            (
                "handoff.yaml",
                "# Demo engagement\nname: 'Demo'\nid: DEMO-1\neffort:\n  sold: 20.0\ncontract:\n  services_value: 12000.5   # EUR\n  type: fixed_price\n",
            ),
            (
                "promises/sso.yaml",
                "promises:\n- title: Single sign-on\n  id: P-1\n  status: active\n  acceptance:\n    - Log in with the company account\n",
            ),
            (
                "promises/export.yaml",
                "promises:\n  - {id: P-2, title: Export to CSV, priority: should}\n",
            ),
            (
                "scope.yaml",
                "scope:\n  - id: S-1\n    effort: 5\n    covers: P-1\n    internal: false\n",
            ),
            ("gaps.yaml", "# no gaps yet\ngaps: []\n"),
        ]);
        assert_eq!(
            rewritten.map(|e| canonical_document(&e)).as_deref(),
            Some(DOC_DOCUMENT)
        );
    }

    #[test]
    fn numbers_follow_ecmascript() {
        assert_eq!(number(200.0), "200");
        assert_eq!(number(0.35), "0.35");
        assert_eq!(number(-12.5), "-12.5");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(1e21), "1e+21");
        assert_eq!(number(1.5e22), "1.5e+22");
        assert_eq!(number(1e-7), "1e-7");
        assert_eq!(number(0.000001), "0.000001");
        assert_eq!(number(123456789012345680000.0), "123456789012345680000");
    }

    #[test]
    fn strings_escape_only_quotes_backslashes_and_controls() {
        let mut out = String::new();
        write_string(&mut out, "a\"b\\c\nd\te\u{1}f é €/<");
        assert_eq!(out, "\"a\\\"b\\\\c\\nd\\te\\u0001f é €/<\"");
    }

    #[test]
    fn object_keys_are_sorted_and_absent_fields_left_out() {
        let value = entry(&Value::Record(vec![
            ("title", Value::Text("x")),
            ("effort", Value::Num(5.0)),
            ("owner", Value::Absent),
            ("acceptance", Value::List(Vec::new())),
            ("source", Value::Record(vec![("ref", Value::Absent)])),
            ("internal", Value::Bool(false)),
        ]));
        assert_eq!(
            value.to_canonical(),
            r#"{"effort":5,"internal":false,"title":"x"}"#
        );
    }

    #[test]
    fn items_are_ordered_by_id_whatever_their_order() {
        let item = |id: &str| C::Obj(vec![("id", C::Str(id.to_string()))]);
        let a = sorted([("P-2", item("P-2")), ("P-10", item("P-10"))].into_iter());
        let b = sorted([("P-10", item("P-10")), ("P-2", item("P-2"))].into_iter());
        assert_eq!(a, b);
        assert_eq!(a.to_canonical(), r#"[{"id":"P-10"},{"id":"P-2"}]"#);
    }

    #[test]
    fn document_holds_the_kinds_in_key_order() {
        let kinds: Vec<(&'static str, String)> = KINDS
            .iter()
            .map(|k| (*k, if *k == "handoff" { "{}" } else { "[]" }.to_string()))
            .collect();
        assert_eq!(
            document(&kinds),
            r#"{"gaps":[],"handoff":{},"promises":[],"scope":[],"stakeholders":[]}"#
        );
    }

    #[test]
    fn sha256_is_prefixed_lower_hex() {
        // The SHA-256 of the empty string, a published test vector.
        assert_eq!(
            sha256(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(is_well_formed(&sha256("x")));
        assert!(!is_well_formed("sha256:ABC"));
        assert!(!is_well_formed("md5:e3b0"));
    }

    #[test]
    fn changed_kinds_names_what_differs() {
        let fp = Fingerprint {
            combined: sha256("now"),
            kinds: KINDS.iter().map(|k| (*k, sha256(k))).collect(),
        };
        let mut recorded: BTreeMap<String, String> = KINDS
            .iter()
            .map(|k| ((*k).to_string(), sha256(k)))
            .collect();
        assert!(fp.changed_kinds(&recorded).is_empty());
        recorded.insert("scope".into(), sha256("before"));
        assert_eq!(fp.changed_kinds(&recorded), vec!["scope"]);
        assert!(fp.changed_kinds(&BTreeMap::new()).is_empty());
    }
}
