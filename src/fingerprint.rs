//! The fingerprint a sign-off records: SHA-256 over a canonical form of the
//! engagement's typed content, so it changes when a value changes and only
//! then. Comments, key order, quoting, file layout and where an item is kept
//! never reach the typed model, so they cannot change it.
//!
//! The canonical form is specified in docs/signoffs.md precisely enough for
//! another tool to recompute it: per kind, a JSON value in the JSON
//! Canonicalization Scheme (RFC 8785); the engagement's canonical document
//! is the object holding the five kinds.
//!
//! The canonical text is streamed into the hashes as it is written, a few
//! kilobytes at a time: it is never held whole in memory, and every item is
//! written once (issue 17: the fingerprint of a 10,000-item engagement had
//! doubled the memory and a third of the time of `check`).

use std::cell::OnceCell;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::model::Engagement;
use crate::model::decl::{Declared, KindDecl, Value};

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
        let mut out = Hashing::new(true);
        let order = write_document(&mut out, e);
        out.fingerprint(&order)
    }

    /// The combined fingerprint alone: what a sign-off still in force
    /// needs. It hashes the text once instead of twice; the kinds are
    /// worth hashing only to say what changed under a stale one.
    pub fn combined_of(e: &Engagement) -> String {
        let mut out = Hashing::new(false);
        write_document(&mut out, e);
        hex(&out.combined.finalize())
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

/// The fingerprint of an engagement, worked out as far as something asked:
/// the combined hash while every sign-off is fresh, the kinds' hashes too
/// once one is stale and the message says what changed.
#[derive(Debug, Clone, Default)]
pub struct LazyFingerprint {
    combined: OnceCell<String>,
    full: OnceCell<Fingerprint>,
}

impl LazyFingerprint {
    /// The combined fingerprint of `e`, the engagement this belongs to.
    pub fn combined(&self, e: &Engagement) -> &str {
        if let Some(full) = self.full.get() {
            return &full.combined;
        }
        self.combined.get_or_init(|| Fingerprint::combined_of(e))
    }

    /// The combined and the kinds' fingerprints of `e`.
    pub fn full(&self, e: &Engagement) -> &Fingerprint {
        self.full.get_or_init(|| Fingerprint::of(e))
    }

    /// Whether anything was worked out yet.
    pub fn is_known(&self) -> bool {
        self.combined.get().is_some() || self.full.get().is_some()
    }

    /// Whether the kinds' hashes were worked out.
    #[cfg(test)]
    pub fn has_kinds(&self) -> bool {
        self.full.get().is_some()
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
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(PREFIX.len() + 64);
    out.push_str(PREFIX);
    for byte in digest {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// The document: the kinds as members in RFC 8785 key order, each kind's
/// text going to its own hash (when wanted) and all of it to the combined
/// one. Returns the kinds' indexes in the order written.
fn write_document(out: &mut Hashing, e: &Engagement) -> Vec<usize> {
    let mut order: Vec<usize> = (0..KINDS.len()).collect();
    order.sort_by(|a, b| utf16_cmp(KINDS[*a], KINDS[*b]));
    out.between(b"{");
    for (n, i) in order.iter().enumerate() {
        let mut head = String::new();
        if n > 0 {
            head.push(',');
        }
        write_string(&mut head, KINDS[*i]);
        head.push(':');
        out.between(head.as_bytes());
        write_kind(out, e, *i);
        out.end_kind();
    }
    out.between(b"}");
    order
}

/// The canonical text of each kind, in [`KINDS`] order (for tests and
/// debugging: the fingerprint itself never builds it).
pub fn canonical_kinds(e: &Engagement) -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let mut text = String::new();
            write_kind(&mut text, e, i);
            (*kind, text)
        })
        .collect()
}

/// The whole engagement's canonical document: the object whose members are
/// the kinds, keys sorted as RFC 8785 sorts them.
pub fn document(kinds: &[(&'static str, String)]) -> String {
    let mut members: Vec<&(&str, String)> = kinds.iter().collect();
    members.sort_by(|a, b| utf16_cmp(a.0, b.0));
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

/// Where canonical text goes: a string (tests, the documented document) or
/// the hashes.
trait Out {
    fn put(&mut self, text: &str);

    /// The order in which a record's members are written: its keys sorted
    /// as RFC 8785 sorts them. Declared keys are ASCII (a test says so),
    /// where UTF-16 order is byte order; and unique, so an unstable sort is
    /// enough.
    fn key_order(&mut self, keys: Keys<'_>) -> Order {
        keys.sorted()
    }
}

/// A record's members in the order they are written: each field's index,
/// and its key as written after a previous member, `,"key":` (declared keys
/// are plain ASCII names JSON writes as they are, a test says so; the
/// first member leaves out the comma).
type Order = Rc<[(usize, Box<str>)]>;

/// `,"key":` of `key` written after `first` members or not.
fn member_key(quoted: &str, first: bool) -> &str {
    if first {
        quoted.get(1..).unwrap_or(quoted)
    } else {
        quoted
    }
}

/// The keys of a record, in declaration order: a nested record's, or a
/// declared kind's.
#[derive(Clone, Copy)]
enum Keys<'a> {
    Record(&'a [(&'static str, Value<'a>)]),
    Decl(&'static KindDecl),
}

impl Keys<'_> {
    fn len(self) -> usize {
        match self {
            Keys::Record(fields) => fields.len(),
            Keys::Decl(decl) => decl.fields.len(),
        }
    }

    fn get(self, i: usize) -> &'static str {
        match self {
            Keys::Record(fields) => fields.get(i).map_or("", |(key, _)| *key),
            Keys::Decl(decl) => decl.fields.get(i).map_or("", |f| f.key),
        }
    }

    /// The members in key order.
    fn sorted(self) -> Order {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by(|a, b| self.get(*a).cmp(self.get(*b)));
        order
            .into_iter()
            .map(|i| (i, format!(",\"{}\":", self.get(i)).into_boxed_str()))
            .collect()
    }
}

/// How the records met so far sort their keys. Every item of a kind is a
/// record of the same declared keys, so sorting them once per kind instead
/// of once per item spares most of the comparisons. Keys are the
/// declarations' `&'static str`s: the same key list is recognised by its
/// pointers, and a list never met (or one the cache has no room for) is
/// simply sorted.
#[derive(Default)]
struct KeyOrders {
    known: Vec<(Vec<&'static str>, Order)>,
    /// Declared kinds, by the address of their declaration.
    decls: Vec<(*const KindDecl, Order)>,
}

impl KeyOrders {
    /// More distinct key lists than the declarations hold.
    const ROOM: usize = 64;

    fn of(&mut self, keys: Keys<'_>) -> Order {
        if let Keys::Decl(decl) = keys {
            let decl: *const KindDecl = decl;
            if let Some((_, order)) = self.decls.iter().find(|(d, _)| std::ptr::eq(*d, decl)) {
                return Rc::clone(order);
            }
            if self.decls.len() < Self::ROOM {
                let order = keys.sorted();
                self.decls.push((decl, Rc::clone(&order)));
                return order;
            }
        }
        let same = |known: &[&'static str]| {
            known.len() == keys.len()
                && known.iter().enumerate().all(|(i, a)| {
                    let b = keys.get(i);
                    std::ptr::eq(a.as_ptr(), b.as_ptr()) && a.len() == b.len()
                })
        };
        if let Some((_, order)) = self.known.iter().find(|(known, _)| same(known)) {
            return Rc::clone(order);
        }
        let order = keys.sorted();
        if self.known.len() < Self::ROOM {
            self.known.push((
                (0..keys.len()).map(|i| keys.get(i)).collect(),
                Rc::clone(&order),
            ));
        }
        order
    }
}

impl Out for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

/// Feeds the canonical text to the hashes in chunks of a few kilobytes
/// (hashing many tiny slices one by one costs more than copying them).
/// Hashing on a second thread while this one writes was tried: on two
/// cores it saved no measurable wall time and cost CPU time.
struct Hashing {
    buf: String,
    /// The kind being written; `None` when only the combined hash is
    /// wanted.
    kind: Option<Sha256>,
    combined: Sha256,
    /// The kinds' fingerprints, in the order written.
    done: Vec<String>,
    orders: KeyOrders,
}

impl Hashing {
    const CHUNK: usize = 16 * 1024;

    /// With `kinds`, each kind is hashed on its own too.
    fn new(kinds: bool) -> Hashing {
        Hashing {
            buf: String::with_capacity(Self::CHUNK + 256),
            kind: kinds.then(Sha256::new),
            combined: Sha256::new(),
            done: Vec::new(),
            orders: KeyOrders::default(),
        }
    }

    /// Text between the kinds: to the combined hash only.
    fn between(&mut self, bytes: &[u8]) {
        self.flush();
        self.combined.update(bytes);
    }

    fn flush(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        if let Some(kind) = &mut self.kind {
            kind.update(self.buf.as_bytes());
        }
        self.combined.update(self.buf.as_bytes());
        self.buf.clear();
    }

    /// The kind is written; the next starts afresh.
    fn end_kind(&mut self) {
        self.flush();
        if let Some(kind) = &mut self.kind {
            self.done.push(hex(&std::mem::take(kind).finalize()));
        }
    }

    /// `order` says which kind each finished hash belongs to.
    fn fingerprint(self, order: &[usize]) -> Fingerprint {
        let mut kinds: Vec<Option<String>> = vec![None; KINDS.len()];
        for (i, hash) in order.iter().zip(self.done) {
            if let Some(slot) = kinds.get_mut(*i) {
                *slot = Some(hash);
            }
        }
        Fingerprint {
            combined: hex(&self.combined.finalize()),
            kinds: KINDS
                .iter()
                .zip(kinds)
                .map(|(kind, hash)| (*kind, hash.unwrap_or_default()))
                .collect(),
        }
    }
}

impl Out for Hashing {
    fn put(&mut self, text: &str) {
        self.buf.push_str(text);
        if self.buf.len() >= Self::CHUNK {
            self.flush();
        }
    }

    fn key_order(&mut self, keys: Keys<'_>) -> Order {
        self.orders.of(keys)
    }
}

/// The canonical text of kind `KINDS[i]`.
fn write_kind<O: Out>(out: &mut O, e: &Engagement, i: usize) {
    match KINDS.get(i).copied() {
        Some("handoff") => e.handoff.write(out),
        Some("stakeholders") => write_sorted(
            out,
            e.stakeholders.iter().map(|s| (s.key.as_str(), s)).collect(),
        ),
        Some("promises") => {
            write_sorted(out, e.promises.iter().map(|p| (p.id.as_str(), p)).collect());
        }
        Some("scope") => write_sorted(out, e.scope.iter().map(|s| (s.id.as_str(), s)).collect()),
        Some("gaps") => write_sorted(out, e.gaps.iter().map(|g| (g.id.as_str(), g)).collect()),
        _ => out.put("null"),
    }
}

/// What [`write_sorted`] writes: one item's canonical text.
trait Canonical {
    fn write<O: Out>(&self, out: &mut O);
}

/// A declared item is the record of its declared fields, written straight
/// from the item: no record is built for it, and its keys are sorted once
/// per kind.
impl<T: Declared> Canonical for T {
    fn write<O: Out>(&self, out: &mut O) {
        let fields = T::DECL.fields;
        out.put("{");
        let mut first = true;
        for (i, quoted) in out.key_order(Keys::Decl(T::DECL)).iter() {
            let Some(field) = fields.get(*i) else {
                continue;
            };
            let value = self.value(field.key);
            if !present(&value) {
                continue;
            }
            out.put(member_key(quoted, first));
            first = false;
            write_member(out, &value);
        }
        out.put("}");
    }
}

/// Compares as RFC 8785 orders keys: by UTF-16 code units. For ASCII (ids
/// nearly always are) that is the byte order, which is cheaper.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Items of a kind as a list ordered by id and then by their canonical
/// text, so file order and file layout do not matter. Ties only arise with
/// duplicate ids; only those items are written out to compare them.
fn write_sorted<O: Out, X: Canonical>(out: &mut O, mut items: Vec<(&str, &X)>) {
    // Ids are nearly always ASCII, where UTF-16 order is byte order: one
    // look at every id spares one per comparison.
    if items.iter().all(|(id, _)| id.is_ascii()) {
        items.sort_by(|a, b| a.0.cmp(b.0));
    } else {
        items.sort_by(|a, b| utf16_cmp(a.0, b.0));
    }
    out.put("[");
    let mut first = true;
    let mut at = 0;
    while at < items.len() {
        let id = items[at].0;
        let run = items[at..]
            .iter()
            .take_while(|(other, _)| *other == id)
            .count();
        let mut put = |out: &mut O, text: Option<&str>, x: &X| {
            if !first {
                out.put(",");
            }
            first = false;
            match text {
                Some(text) => out.put(text),
                None => x.write(out),
            }
        };
        if run == 1 {
            put(out, None, items[at].1);
        } else {
            let mut texts: Vec<String> = items[at..at + run]
                .iter()
                .map(|(_, x)| {
                    let mut text = String::new();
                    x.write(&mut text);
                    text
                })
                .collect();
            texts.sort();
            for text in &texts {
                put(out, Some(text), items[at].1);
            }
        }
        at += run;
    }
    out.put("]");
}

/// A string as RFC 8785 writes it: only `"`, `\\` and control characters
/// are escaped, with the short forms where JSON has them. Works on bytes:
/// in UTF-8 every byte of a multi-byte character is 0x80 or above, so none
/// is taken for a control character or a quote.
fn write_string<O: Out>(out: &mut O, s: &str) {
    out.put("\"");
    let mut from = 0;
    while let Some(at) = s.as_bytes().get(from..).and_then(first_to_escape) {
        let i = from + at;
        out.put(&s[from..i]);
        match s.as_bytes().get(i).copied().unwrap_or_default() {
            b'"' => out.put("\\\""),
            b'\\' => out.put("\\\\"),
            0x08 => out.put("\\b"),
            0x0c => out.put("\\f"),
            b'\n' => out.put("\\n"),
            b'\r' => out.put("\\r"),
            b'\t' => out.put("\\t"),
            b => out.put(&format!("\\u{b:04x}")),
        }
        from = i + 1;
    }
    out.put(&s[from..]);
    out.put("\"");
}

/// Whether JSON escapes this byte.
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Where the first byte JSON escapes is, if any. Nearly every string has
/// none, so it looks at a word at a time (two thirds of the fingerprint's
/// own work was this scan, a byte at a time).
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    crate::scan::find(
        bytes,
        |w| w.below(0x20) | w.has(b'"') | w.has(b'\\'),
        |bytes, i| bytes.get(i).is_some_and(|b| escaped(*b)),
        b'a',
    )
}

/// A number as ECMAScript's `Number.prototype.toString` writes it, which is
/// what RFC 8785 requires: `200`, `0.35`, `1e+21`, `1e-7`. So `200` and
/// `200.0` in a file are the same value.
fn write_number<O: Out>(out: &mut O, x: f64) {
    // Whole numbers below 2^53 (nearly every effort and amount) are exact,
    // and ECMAScript writes their digits: done here without the float
    // formatter, which cost more than the rest of the number's work.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if x.fract() == 0.0 && x.abs() < EXACT && x != 0.0 {
        // Exact: a whole number below 2^53 converts without loss.
        let mut n = x.abs() as u64;
        let mut digits = [0u8; 16];
        let mut at = digits.len();
        while n > 0 && at > 0 {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
        }
        if x < 0.0 {
            out.put("-");
        }
        out.put(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
        return;
    }
    out.put(&number(x));
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

/// Whether a field is written: not absent, not an empty list, not a nested
/// record with nothing in it. Booleans are always written.
fn present(value: &Value<'_>) -> bool {
    match value {
        Value::Absent => false,
        Value::List(items) => !items.is_empty(),
        Value::Record(fields) => fields.iter().any(|(_, v)| present(v)),
        Value::Text(_) | Value::Num(_) | Value::Bool(_) | Value::Date(_) => true,
    }
}

/// A present field's value (see [`present`]).
fn write_member<O: Out>(out: &mut O, value: &Value<'_>) {
    match value {
        Value::Absent => out.put("{}"),
        Value::Text(s) => write_string(out, s),
        Value::Num(n) => write_number(out, *n),
        Value::Bool(b) => out.put(if *b { "true" } else { "false" }),
        Value::Date(d) => match d.iso_in(&mut [0; 10]) {
            // Nothing in a date is escaped.
            Some(iso) => {
                out.put("\"");
                out.put(iso);
                out.put("\"");
            }
            None => write_string(out, &d.to_string()),
        },
        Value::List(items) => {
            out.put("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.put(",");
                }
                write_entry(out, item);
            }
            out.put("]");
        }
        Value::Record(fields) => {
            out.put("{");
            let mut first = true;
            for (i, quoted) in out.key_order(Keys::Record(fields)).iter() {
                let Some((_, value)) = fields.get(*i) else {
                    continue;
                };
                if !present(value) {
                    continue;
                }
                out.put(member_key(quoted, first));
                first = false;
                write_member(out, value);
            }
            out.put("}");
        }
    }
}

/// A list entry or a whole item: a record is written even when empty, and
/// an entry that would be left out as a field is written `{}`.
fn write_entry<O: Out>(out: &mut O, value: &Value<'_>) {
    if matches!(value, Value::Record(_)) || present(value) {
        write_member(out, value);
    } else {
        out.put("{}");
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
    fn whole_numbers_written_without_the_formatter_read_as_ecmascript_writes_them() {
        let whole = [
            1.0,
            -1.0,
            7.0,
            10.0,
            200.0,
            -3.0,
            1_000_000.0,
            12_345_678_901_234.0,
        ];
        let edge = [
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            1e21,
            0.5,
            -0.0,
            0.0,
        ];
        for x in whole.into_iter().chain(edge) {
            let mut text = String::new();
            write_number(&mut text, x);
            assert_eq!(text, number(x), "{x}");
        }
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
    fn the_word_scan_finds_the_same_byte_as_a_plain_scan() {
        // Every byte value at every offset of two words, among neighbours
        // that differ from a special byte only in the high bit or by one.
        let plain = |bytes: &[u8]| bytes.iter().position(|b| escaped(*b));
        for filler in [
            b'a', 0x80, 0xff, 0xa2, 0xdc, 0xa0, 0x21, 0x23, 0x5b, 0x5d, 0x20,
        ] {
            for len in [0, 1, 7, 8, 9, 16, 17] {
                let mut bytes = vec![filler; len];
                assert_eq!(first_to_escape(&bytes), plain(&bytes));
                for at in 0..len {
                    for b in 0..=255u8 {
                        bytes[at] = b;
                        assert_eq!(first_to_escape(&bytes), plain(&bytes), "{bytes:?}");
                    }
                    bytes[at] = filler;
                }
            }
        }
    }

    #[test]
    fn declared_keys_are_plain_ascii_so_byte_order_is_utf16_order() {
        fn walk(decl: &KindDecl) {
            for f in decl.fields {
                assert!(f.key.is_ascii(), "{}.{}", decl.name, f.key);
                // Written without escaping (`Order`).
                assert!(!f.key.bytes().any(escaped), "{}.{}", decl.name, f.key);
                let mut ty = &f.ty;
                while let crate::model::decl::FieldType::List(inner) = ty {
                    ty = inner;
                }
                if let crate::model::decl::FieldType::Record(inner) = ty {
                    walk(inner);
                }
            }
        }
        for decl in crate::model::decl::ALL {
            walk(decl);
        }
    }

    #[test]
    fn object_keys_are_sorted_and_absent_fields_left_out() {
        let mut text = String::new();
        write_entry(
            &mut text,
            &Value::Record(vec![
                ("title", Value::Text("x")),
                ("effort", Value::Num(5.0)),
                ("owner", Value::Absent),
                ("acceptance", Value::List(Vec::new())),
                ("source", Value::Record(vec![("ref", Value::Absent)])),
                ("internal", Value::Bool(false)),
            ]),
        );
        assert_eq!(text, r#"{"effort":5,"internal":false,"title":"x"}"#);
    }

    #[test]
    fn items_are_ordered_by_id_whatever_their_order() {
        struct Titled<'a>(&'a str);
        impl Canonical for Titled<'_> {
            fn write<O: Out>(&self, out: &mut O) {
                write_entry(out, &Value::Record(vec![("title", Value::Text(self.0))]));
            }
        }
        let sorted = |items: Vec<(&str, &str)>| {
            let titled: Vec<(&str, Titled<'_>)> =
                items.iter().map(|(id, t)| (*id, Titled(t))).collect();
            let mut text = String::new();
            write_sorted(&mut text, titled.iter().map(|(id, t)| (*id, t)).collect());
            text
        };
        let a = sorted(vec![("P-2", "two"), ("P-10", "ten")]);
        let b = sorted(vec![("P-10", "ten"), ("P-2", "two")]);
        assert_eq!(a, b);
        assert_eq!(a, r#"[{"title":"ten"},{"title":"two"}]"#);
        // Duplicate ids are ordered by their text, whatever the file order.
        let c = sorted(vec![("P-1", "b"), ("P-0", "z"), ("P-1", "a")]);
        assert_eq!(c, r#"[{"title":"z"},{"title":"a"},{"title":"b"}]"#);
        assert_eq!(c, sorted(vec![("P-1", "a"), ("P-1", "b"), ("P-0", "z")]));
        // Beyond ASCII, by UTF-16 units: U+1F600 before U+FF5E.
        assert_eq!(
            sorted(vec![("\u{ff5e}", "tilde"), ("\u{1f600}", "smile")]),
            r#"[{"title":"smile"},{"title":"tilde"}]"#
        );
    }

    #[test]
    fn ids_beyond_ascii_are_ordered_by_utf16_units() {
        // U+FF5E sorts after U+1F600 in UTF-16 (a surrogate pair starts
        // with 0xD83D) though before it in UTF-8.
        assert_eq!(utf16_cmp("\u{ff5e}", "\u{1f600}"), Ordering::Greater);
        assert_eq!(utf16_cmp("P-10", "P-2"), Ordering::Less);
    }

    #[test]
    fn streaming_into_the_hash_gives_the_hash_of_the_document() {
        let e = engagement(&[
            ("handoff.yaml", DOC_HANDOFF),
            ("promises.yaml", DOC_PROMISES),
            ("scope.yaml", DOC_SCOPE),
        ]);
        assert!(e.is_some(), "the documented example does not load");
        let Some(e) = e else { return };
        let fp = Fingerprint::of(&e);
        assert_eq!(fp.combined, sha256(&canonical_document(&e)));
        assert_eq!(Fingerprint::combined_of(&e), fp.combined);
        let kinds: Vec<(&str, String)> = canonical_kinds(&e)
            .into_iter()
            .map(|(k, text)| (k, sha256(&text)))
            .collect();
        assert_eq!(fp.kinds, kinds);
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
