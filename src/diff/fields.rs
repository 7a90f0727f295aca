//! Each model item seen as an ordered list of fields, each with its values
//! as people read them, so two versions of an item compare field by field
//! with one generic routine. The fields are the kind's declared fields
//! ([`crate::model::decl`]), in that order, every one listed on both sides
//! (empty when not written), so the lists line up.

use crate::model::decl::Audience;
use crate::model::decl::{self, Declared, FieldType, KindDecl, Value};
use crate::model::{Gap, Handoff, Promise, ScopeItem, Stakeholder};

/// One field's values as people read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Values {
    /// A single value; `None` when not written.
    One(Option<String>),
    /// A list, one value per entry, compared entry by entry.
    List(Vec<String>),
}

/// (field name as written in the YAML, its values).
pub type FieldList = Vec<(String, Values)>;

/// Whether a stakeholder field must never be shown without the user
/// asking (`notes` are private).
pub fn is_private_stakeholder_field(key: &str) -> bool {
    decl::STAKEHOLDER
        .field(key)
        .is_some_and(|f| f.audience == Audience::Private)
}

/// A number as written: 12, 0.35, 180000 (shortest exact form, no grouping).
pub fn num(x: f64) -> String {
    format!("{x}")
}

/// Free text as people read it: trimmed, and blank counts as not written.
fn text(value: Option<&str>) -> Values {
    Values::One(
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()),
    )
}

/// A value written as it is: a word, an id, a number, a date, yes or no.
fn plain(value: &Value<'_>) -> Option<String> {
    match value {
        Value::Absent | Value::List(_) | Value::Record(_) => None,
        Value::Text(s) => Some((*s).to_string()),
        Value::Num(x) => Some(num(*x)),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        Value::Date(d) => Some(d.to_string()),
    }
}

/// Whether values of the type are free text, which reads trimmed (words
/// and ids are compared as written).
fn is_free_text(ty: &FieldType) -> bool {
    matches!(ty, FieldType::Text | FieldType::PersonRef)
}

/// A field's values, by its declared type.
fn values(ty: &FieldType, value: &Value<'_>) -> Values {
    match (ty, value) {
        (FieldType::List(inner), Value::List(items)) => {
            Values::List(items.iter().map(|v| entry(inner, v)).collect())
        }
        (FieldType::List(_), _) => Values::List(Vec::new()),
        (FieldType::Record(decl), Value::Record(_)) => text(Some(&line(decl, value))),
        (ty, Value::Text(s)) if is_free_text(ty) => text(Some(s)),
        (_, value) => Values::One(plain(value)),
    }
}

/// One entry of a list field as a line.
fn entry(ty: &FieldType, value: &Value<'_>) -> String {
    match (ty, value) {
        (FieldType::Record(decl), _) => line(decl, value),
        (ty, Value::Text(s)) if is_free_text(ty) => s.trim().to_string(),
        (_, value) => plain(value).unwrap_or_default(),
    }
}

/// A nested record on one line, so a change to it reads as old → new.
/// How each record reads is chosen for people; a record without a chosen
/// form lists its values.
fn line(decl: &KindDecl, record: &Value<'_>) -> String {
    let get = |key: &str| plain(record.get(key));
    let trimmed = |key: &str| get(key).map(|v| v.trim().to_string());
    match decl.name {
        "document" => format!(
            "{}: {}",
            get("kind").unwrap_or_default(),
            get("ref").unwrap_or_default()
        ),
        "source" => match (get("kind"), get("ref")) {
            (Some(kind), Some(r)) => format!("{kind}: {r}"),
            (Some(kind), None) => kind,
            (None, Some(r)) => r,
            (None, None) => String::new(),
        },
        "deadline" => {
            let date = get("date").unwrap_or_default();
            match trimmed("why") {
                Some(why) => format!("{date} ({why})"),
                None => date,
            }
        }
        "milestone" => format!(
            "{}: {}",
            get("name").unwrap_or_default(),
            get("date").as_deref().unwrap_or("no date")
        ),
        "success_criterion" => {
            let mut s = with_id(get("id"), &get("text").unwrap_or_default());
            if let Some(m) = trimmed("measure") {
                s.push_str(&format!(" (measure: {m})"));
            }
            if record.get("validated_by_customer") == &Value::Bool(true) {
                s.push_str(" [validated by customer]");
            }
            s
        }
        "risk" => {
            let mut s = with_id(get("id"), &get("text").unwrap_or_default());
            let extra: Vec<String> = ["likelihood", "impact", "owner"]
                .iter()
                .filter_map(|key| Some(format!("{key} {}", get(key)?)))
                .collect();
            if !extra.is_empty() {
                s.push_str(&format!(" ({})", extra.join(", ")));
            }
            s
        }
        _ => decl
            .fields
            .iter()
            .filter_map(|f| Some(format!("{} {}", f.key, plain(record.get(f.key))?)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// "SC-1: text", or the text alone for an entry without an id.
fn with_id(id: Option<String>, text: &str) -> String {
    match id {
        Some(id) => format!("{id}: {}", text.trim()),
        None => text.trim().to_string(),
    }
}

/// An item as the ordered list of its declared fields, every one listed
/// (empty when not written) so two versions line up. The id is left out:
/// it is how versions are matched, so never a change.
pub trait Fields: Declared {
    /// Whether every declared field holds the same value on both sides:
    /// a cheap test, without building the field lists, for the usual case
    /// of an unchanged item. Equal values always read the same; unequal
    /// ones may still read the same (text that differs only in spaces),
    /// which [`compare`] of the field lists then decides.
    fn same_values(&self, other: &Self) -> bool {
        Self::DECL
            .fields
            .iter()
            .all(|f| self.value(f.key) == other.value(f.key))
    }

    fn fields(&self) -> FieldList {
        Self::DECL
            .fields
            .iter()
            .filter(|f| Some(f.key) != Self::DECL.id_key)
            .map(|f| (f.key.to_string(), values(&f.ty, &self.value(f.key))))
            .collect()
    }
}

impl Fields for Promise {}
impl Fields for ScopeItem {}
impl Fields for Gap {}
// Notes are compared like the other fields; the diff hides their values.
impl Fields for Stakeholder {}

impl Fields for Handoff {
    /// A section's fields stand in its place, by path as `handoff.yaml`
    /// names them (`contract.currency`).
    fn fields(&self) -> FieldList {
        let mut list = FieldList::new();
        for f in Self::DECL.fields {
            if Some(f.key) == Self::DECL.id_key {
                continue;
            }
            let value = self.value(f.key);
            match f.ty {
                FieldType::Record(section) => {
                    for sub in section.fields {
                        let path = format!("{}.{}", f.key, sub.key);
                        list.push((path, values(&sub.ty, value.get(sub.key))));
                    }
                }
                _ => list.push((f.key.to_string(), values(&f.ty, &value))),
            }
        }
        list
    }
}

/// One field that differs: `before` → `after`. `None` on a side means the
/// field (or this list entry) is not there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// An entry of a list field: `before` alone is a removed entry, `after`
    /// alone an added one, both an entry replaced by another.
    pub entry: bool,
    /// A private field: the values are left out unless the user asked.
    pub private: bool,
}

/// Compares two field lists of the same kind of item. Lists compare as
/// collections: reordering is no change; one entry swapped for another
/// reads as old → new; otherwise entries are added or removed one by one.
pub fn compare(before: &FieldList, after: &FieldList) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for ((name, old), (name_after, new)) in before.iter().zip(after) {
        debug_assert_eq!(name, name_after);
        if old == new {
            continue;
        }
        let change = |b: Option<&String>, a: Option<&String>, entry: bool| FieldChange {
            field: name.clone(),
            before: b.cloned(),
            after: a.cloned(),
            entry,
            private: false,
        };
        let (old, new) = match (old, new) {
            (Values::List(old), Values::List(new)) => (old, new),
            (old, new) => {
                changes.push(change(first(old), first(new), false));
                continue;
            }
        };
        let mut removed: Vec<&String> = Vec::new();
        let mut remaining: Vec<Option<&String>> = new.iter().map(Some).collect();
        for value in old {
            match remaining.iter_mut().find(|r| **r == Some(value)) {
                Some(slot) => *slot = None,
                None => removed.push(value),
            }
        }
        let added: Vec<&String> = remaining.into_iter().flatten().collect();
        if removed.len() == 1 && added.len() == 1 {
            changes.push(change(
                removed.first().copied(),
                added.first().copied(),
                true,
            ));
            continue;
        }
        for value in removed {
            changes.push(change(Some(value), None, true));
        }
        for value in added {
            changes.push(change(None, Some(value), true));
        }
    }
    changes
}

fn first(values: &Values) -> Option<&String> {
    match values {
        Values::One(value) => value.as_ref(),
        Values::List(values) => values.first(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{FsTree, load_all};

    fn one(name: &str, value: Option<&str>) -> (String, Values) {
        (name.to_string(), Values::One(value.map(str::to_string)))
    }

    fn list(name: &str, values: &[&str]) -> (String, Values) {
        let values = values.iter().map(|x| (*x).to_string()).collect();
        (name.to_string(), Values::List(values))
    }

    #[test]
    fn single_values_read_old_to_new() {
        let before = vec![one("priority", Some("should")), one("due", None)];
        let after = vec![
            one("priority", Some("must")),
            one("due", Some("2026-05-01")),
        ];
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].before.as_deref(), Some("should"));
        assert_eq!(changes[0].after.as_deref(), Some("must"));
        assert_eq!(changes[1].before, None);
        assert!(!changes[0].entry);
    }

    #[test]
    fn reordered_lists_are_not_a_change_and_entries_add_one_by_one() {
        let before = vec![list("covers", &["P-01", "P-02"])];
        let reordered = vec![list("covers", &["P-02", "P-01"])];
        assert!(compare(&before, &reordered).is_empty());
        let grown = vec![list("covers", &["P-01", "P-02", "P-03", "P-04"])];
        let changes = compare(&before, &grown);
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.before.is_none() && c.entry));
        let swapped = vec![list("covers", &["P-01", "P-09"])];
        let changes = compare(&before, &swapped);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].before.as_deref(), Some("P-02"));
        assert_eq!(changes[0].after.as_deref(), Some("P-09"));
    }

    fn names(fields: &FieldList) -> Vec<&str> {
        fields.iter().map(|(name, _)| name.as_str()).collect()
    }

    fn keys_but(decl: &KindDecl) -> Vec<&'static str> {
        decl.keys()
            .into_iter()
            .filter(|k| Some(*k) != decl.id_key)
            .collect()
    }

    /// A key added to the file format is compared by `handoff diff` too.
    #[test]
    fn every_key_the_loader_accepts_is_compared() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-wms");
        let loaded = load_all(&FsTree, &[root]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        assert_eq!(loaded.engagements.len(), 1);
        for e in &loaded.engagements {
            let p = &e.promises[0];
            assert_eq!(names(&p.fields()), keys_but(&decl::PROMISE));
            let s = &e.scope[0];
            assert_eq!(names(&s.fields()), keys_but(&decl::SCOPE_ITEM));
            let g = &e.gaps[0];
            assert_eq!(names(&g.fields()), keys_but(&decl::GAP));
            let k = &e.stakeholders[0];
            assert_eq!(names(&k.fields()), keys_but(&decl::STAKEHOLDER));
            let handoff = e.handoff.fields();
            assert!(names(&handoff).starts_with(&["name", "customer.name", "contract.type"]));
            let mut paths: Vec<String> = crate::load::items::handoff_field_paths()
                .into_iter()
                .filter(|p| p != "id" && decl::HANDOFF.sections().all(|(s, _)| s != p))
                .collect();
            let mut compared: Vec<String> = handoff.into_iter().map(|(n, _)| n).collect();
            paths.sort();
            compared.sort();
            assert_eq!(compared, paths);
        }
    }
}
