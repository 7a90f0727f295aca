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

use crate::date::Date;
use crate::model::{Engagement, Gap, Handoff, Promise, ScopeItem, Stakeholder, Vocab};

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
    let digest = Sha256::digest(text.as_bytes());
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
        handoff(&e.handoff),
        sorted(
            e.stakeholders
                .iter()
                .map(|s| (s.key.as_str(), stakeholder(s))),
        ),
        sorted(e.promises.iter().map(|p| (p.id.as_str(), promise(p)))),
        sorted(e.scope.iter().map(|s| (s.id.as_str(), scope_item(s)))),
        sorted(e.gaps.iter().map(|g| (g.id.as_str(), gap(g)))),
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

/// Builds an object, leaving out what is absent or empty.
#[derive(Debug, Default)]
struct Obj(Vec<(&'static str, C)>);

impl Obj {
    fn put(mut self, key: &'static str, value: Option<C>) -> Obj {
        if let Some(value) = value {
            self.0.push((key, value));
        }
        self
    }

    fn text(self, key: &'static str, value: Option<&str>) -> Obj {
        self.put(key, value.map(|s| C::Str(s.to_string())))
    }

    fn num(self, key: &'static str, value: Option<f64>) -> Obj {
        self.put(key, value.map(C::Num))
    }

    fn date(self, key: &'static str, value: Option<Date>) -> Obj {
        self.put(key, value.map(|d| C::Str(d.to_string())))
    }

    fn word<V: Vocab>(self, key: &'static str, value: Option<V>) -> Obj {
        self.put(key, value.map(|v| C::Str(v.as_str().to_string())))
    }

    fn boolean(self, key: &'static str, value: bool) -> Obj {
        self.put(key, Some(C::Bool(value)))
    }

    fn texts(self, key: &'static str, values: &[String]) -> Obj {
        self.list(
            key,
            values.iter().map(|s| C::Str(s.clone())).collect::<Vec<_>>(),
        )
    }

    fn list(self, key: &'static str, values: Vec<C>) -> Obj {
        self.put(key, (!values.is_empty()).then_some(C::List(values)))
    }

    fn obj(self, key: &'static str, value: Obj) -> Obj {
        self.put(key, value.done_if_any())
    }

    fn done_if_any(self) -> Option<C> {
        (!self.0.is_empty()).then_some(C::Obj(self.0))
    }

    fn done(self) -> C {
        C::Obj(self.0)
    }
}

fn handoff(h: &Handoff) -> C {
    let c = &h.contract;
    let contract = Obj::default()
        .word("type", c.kind)
        .text("currency", c.currency.as_deref())
        .num("services_value", c.services_value)
        .num("total_value", c.total_value)
        .text("payment_terms", c.payment_terms.as_deref())
        .date("signed_on", c.signed_on)
        .list(
            "documents",
            c.documents
                .iter()
                .map(|d| {
                    Obj::default()
                        .text("kind", Some(&d.kind))
                        .text("ref", Some(&d.reference))
                        .done()
                })
                .collect(),
        );
    let d = &h.dates;
    let dates = Obj::default()
        .date("kickoff", d.kickoff)
        .date("go_live", d.go_live)
        .list(
            "hard_deadlines",
            d.hard_deadlines
                .iter()
                .map(|x| {
                    Obj::default()
                        .date("date", Some(x.date))
                        .text("why", x.why.as_deref())
                        .done()
                })
                .collect(),
        )
        .list(
            "milestones",
            d.milestones
                .iter()
                .map(|m| {
                    Obj::default()
                        .text("name", Some(&m.name))
                        .date("date", m.date)
                        .done()
                })
                .collect(),
        );
    let e = &h.effort;
    let effort = Obj::default()
        .word("unit", e.unit)
        .num("sold", e.sold)
        .num("day_rate", e.day_rate)
        .num("cost_rate", e.cost_rate)
        .num("target_margin", e.target_margin);
    let criteria = h
        .success_criteria
        .iter()
        .map(|s| {
            Obj::default()
                .text("id", s.id.as_deref())
                .text("text", Some(&s.text))
                .text("measure", s.measure.as_deref())
                .boolean("validated_by_customer", s.validated_by_customer)
                .done()
        })
        .collect();
    let risks = h
        .risks
        .iter()
        .map(|r| {
            Obj::default()
                .text("id", r.id.as_deref())
                .text("text", Some(&r.text))
                .word("likelihood", r.likelihood)
                .word("impact", r.impact)
                .text("owner", r.owner.as_deref())
                .done()
        })
        .collect();
    let communication = Obj::default()
        .texts("channels", &h.communication.channels)
        .text(
            "first_line_contact",
            h.communication.first_line_contact.as_deref(),
        );
    Obj::default()
        .text("id", Some(&h.id))
        .text("name", h.name.as_deref())
        .obj(
            "customer",
            Obj::default().text("name", h.customer_name.as_deref()),
        )
        .obj("contract", contract)
        .obj("dates", dates)
        .obj("effort", effort)
        .text("background", h.background.as_deref())
        .texts("why_bought", &h.why_bought)
        .list("success_criteria", criteria)
        .texts("exclusions", &h.exclusions)
        .texts("assumptions", &h.assumptions)
        .texts("dependencies", &h.dependencies)
        .texts("constraints", &h.constraints)
        .texts("interfaces", &h.interfaces)
        .list("risks", risks)
        .texts("open_questions", &h.open_questions)
        .obj("communication", communication)
        .done()
}

fn stakeholder(s: &Stakeholder) -> C {
    Obj::default()
        .text("key", Some(&s.key))
        .text("name", s.name.as_deref())
        .word("org", s.org)
        .text("title", s.title.as_deref())
        .list(
            "roles",
            s.roles
                .iter()
                .map(|r| C::Str(r.as_str().to_string()))
                .collect(),
        )
        .word("influence", s.influence)
        .word("interest", s.interest)
        .word("attitude", s.attitude)
        .text("contact", s.contact.as_deref())
        .text("notes", s.notes.as_deref())
        .done()
}

fn promise(p: &Promise) -> C {
    let source = p.source.as_ref().map_or_else(Obj::default, |s| {
        Obj::default()
            .word("kind", s.kind)
            .text("ref", s.reference.as_deref())
    });
    Obj::default()
        .text("id", Some(&p.id))
        .text("title", Some(&p.title))
        .word("type", p.kind)
        .text("asked", p.asked.as_deref())
        .text("promised", p.promised.as_deref())
        .word("response", p.response)
        .word("priority", p.priority)
        .word("commitment", p.commitment)
        .obj("source", source)
        .text("promised_by", p.promised_by.as_deref())
        .text("promised_to", p.promised_to.as_deref())
        .date("date", p.date)
        .date("due", p.due.as_ref().map(|d| d.value))
        .texts("acceptance", &p.acceptance)
        .num("sold_effort", p.sold_effort)
        .word("status", Some(p.status))
        .texts("tags", &p.tags)
        .done()
}

fn scope_item(s: &ScopeItem) -> C {
    Obj::default()
        .text("id", Some(&s.id))
        .text("title", s.title.as_deref())
        .list(
            "covers",
            s.covers.iter().map(|c| C::Str(c.value.clone())).collect(),
        )
        .word("coverage", Some(s.coverage))
        .word("approach", s.approach)
        .num("effort", Some(s.effort))
        .date("due", s.due.as_ref().map(|d| d.value))
        .text("owner", s.owner.as_deref())
        .text("phase", s.phase.as_deref())
        .texts("acceptance", &s.acceptance)
        .boolean("internal", s.internal)
        .word("status", Some(s.status))
        .text("note", s.note.as_deref())
        .done()
}

fn gap(g: &Gap) -> C {
    Obj::default()
        .text("id", Some(&g.id))
        .text("promise", g.promise.as_ref().map(|p| p.as_str()))
        .text("scope", g.scope.as_ref().map(|s| s.as_str()))
        .word("kind", g.kind)
        .text("summary", g.summary.as_deref())
        .word("criticality", g.criticality)
        .word("customer_view", g.customer_view)
        .word("resolution", g.resolution)
        .word("status", Some(g.status))
        .text("owner", g.owner.as_deref())
        .date("due", g.due.as_ref().map(|d| d.value))
        .num("effort_delta", g.effort_delta)
        .num("cost_delta", g.cost_delta)
        .text("agreed_with", g.agreed_with.as_deref())
        .date("agreed_on", g.agreed_on)
        .text("workaround", g.workaround.as_deref())
        .text("change_request", g.change_request.as_deref())
        .done()
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
        let value = Obj::default()
            .text("title", Some("x"))
            .num("effort", Some(5.0))
            .text("owner", None)
            .texts("acceptance", &[])
            .obj("source", Obj::default().text("ref", None))
            .boolean("internal", false)
            .done();
        assert_eq!(
            value.to_canonical(),
            r#"{"effort":5,"internal":false,"title":"x"}"#
        );
    }

    #[test]
    fn items_are_ordered_by_id_whatever_their_order() {
        let item = |id: &str| Obj::default().text("id", Some(id)).done();
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
