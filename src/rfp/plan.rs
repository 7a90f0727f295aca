//! What an import changes in the target file: promises to create, fields
//! to set or remove on promises imported before, promises gone from the
//! matrix. Decided here from the engagement as loaded, so the command only
//! applies it; nothing here reads or writes a file.

use super::convert::{Converted, Requirement};
use super::map::{Field, Map};
use crate::model::{Promise, PromiseStatus, PromiseType, SourceKind, Vocab};

/// A value to write, in the shapes a promise has.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    List(Vec<Value>),
    /// A nested record (`source`), keys in declaration order.
    Record(Vec<(&'static str, Value)>),
}

/// One change to the target file.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A new promise, its fields in declaration order.
    Create {
        id: String,
        fields: Vec<(&'static str, Value)>,
    },
    /// A field of an imported promise set (`Some`) or removed (`None`);
    /// `path` is a key, or `source.ref`.
    Set {
        id: String,
        path: &'static str,
        value: Option<Value>,
    },
    /// `status: withdrawn` (with `--remove`).
    Withdraw { id: String },
}

/// Everything the import would do, and what it found on the way.
#[derive(Debug, Default)]
pub struct Plan {
    pub actions: Vec<Action>,
    /// Imported before, no longer in the matrix, still active; withdrawn
    /// when `--remove` was given.
    pub gone: Vec<String>,
    /// In the matrix again, but withdrawn in the file: left so.
    pub still_withdrawn: Vec<String>,
    pub created: usize,
    /// Promises whose matrix row was revised.
    pub updated: usize,
    /// Promises whose only change is the matrix's file name in
    /// `source.ref` (the revised matrix was saved under a new name).
    pub renamed: usize,
    /// Promises whose `source.ref` changes, revised or not.
    pub new_source: usize,
    pub unchanged: usize,
}

/// Why the import cannot go on.
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    /// The target file holds a promise the import did not make.
    NotImported { id: String, file: String },
    /// A requirement's id is a promise in another file.
    IdElsewhere { id: String, at: String },
}

/// Whether `p` was made by an import: `source: {kind: rfp, ref: "<file> ›
/// <sheet> › <id>"}` (or `<file> › <id>`), ending in its own id.
pub fn is_imported(p: &Promise) -> bool {
    let Some(source) = &p.source else {
        return false;
    };
    let Some(reference) = &source.reference else {
        return false;
    };
    let parts: Vec<&str> = reference.split(" › ").collect();
    source.kind == Some(SourceKind::Rfp)
        && (parts.len() == 2 || parts.len() == 3)
        && parts.iter().all(|p| !p.trim().is_empty())
        && parts.last() == Some(&p.id.value.as_str())
}

/// Plans the import of `converted` into `target` (as the loader shows file
/// names), given every promise of the engagement.
pub fn plan(
    converted: &Converted,
    map: &Map,
    promises: &[Promise],
    target: &str,
    remove: bool,
) -> Result<Plan, Vec<Conflict>> {
    let mut conflicts = Vec::new();
    let in_target: Vec<&Promise> = promises.iter().filter(|p| &*p.loc.file == target).collect();
    for p in &in_target {
        if !is_imported(p) {
            conflicts.push(Conflict::NotImported {
                id: p.id.value.clone(),
                file: target.to_string(),
            });
        }
    }
    for r in &converted.requirements {
        if let Some(other) = promises
            .iter()
            .find(|p| p.id.value == r.id && &*p.loc.file != target)
        {
            conflicts.push(Conflict::IdElsewhere {
                id: r.id.clone(),
                at: other.loc.to_string(),
            });
        }
    }
    if !conflicts.is_empty() {
        return Err(conflicts);
    }

    let mut plan = Plan::default();
    for r in &converted.requirements {
        match in_target.iter().find(|p| p.id.value == r.id) {
            None => {
                plan.actions.push(Action::Create {
                    id: r.id.clone(),
                    fields: create_fields(r, map),
                });
                plan.created += 1;
            }
            Some(p) => {
                if p.status == PromiseStatus::Withdrawn {
                    plan.still_withdrawn.push(r.id.clone());
                }
                let sets = update_fields(p, r, map, &converted.heading_tags);
                if sets.iter().any(|(path, _)| *path == "source.ref") {
                    plan.new_source += 1;
                }
                if sets.is_empty() {
                    plan.unchanged += 1;
                } else if sets.iter().all(|(path, _)| *path == "source.ref") {
                    plan.renamed += 1;
                } else {
                    plan.updated += 1;
                }
                plan.actions
                    .extend(sets.into_iter().map(|(path, value)| Action::Set {
                        id: r.id.clone(),
                        path,
                        value,
                    }));
            }
        }
    }
    for p in &in_target {
        let in_matrix = converted.requirements.iter().any(|r| r.id == p.id.value);
        if !in_matrix && p.status == PromiseStatus::Active {
            plan.gone.push(p.id.value.clone());
            if remove {
                plan.actions.push(Action::Withdraw {
                    id: p.id.value.clone(),
                });
            }
        }
    }
    Ok(plan)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// The heading tag first, then the tags of `[defaults]`.
fn tags_of(r: &Requirement, map: &Map) -> Vec<String> {
    let mut tags: Vec<String> = r.heading.iter().cloned().collect();
    for tag in &map.defaults.tags {
        if !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    tags
}

fn create_fields(r: &Requirement, map: &Map) -> Vec<(&'static str, Value)> {
    let d = &map.defaults;
    let kind = r.kind.or(d.kind).unwrap_or(PromiseType::Capability);
    let mut fields = vec![
        ("id", text(&r.id)),
        ("title", text(&r.title)),
        ("type", text(kind.as_str())),
    ];
    if let Some(asked) = &r.asked {
        fields.push(("asked", text(asked)));
    }
    if let Some(promised) = &r.promised {
        fields.push(("promised", text(promised)));
    }
    fields.push(("response", text(r.response.as_str())));
    if let Some(priority) = r.priority.or(d.priority) {
        fields.push(("priority", text(priority.as_str())));
    }
    if let Some(commitment) = d.commitment {
        fields.push(("commitment", text(commitment.as_str())));
    }
    fields.push((
        "source",
        Value::Record(vec![
            ("kind", text(SourceKind::Rfp.as_str())),
            ("ref", text(&r.source_ref)),
        ]),
    ));
    if let Some(by) = &d.promised_by {
        fields.push(("promised_by", text(by)));
    }
    if let Some(to) = &d.promised_to {
        fields.push(("promised_to", text(to)));
    }
    if let Some(effort) = r.sold_effort {
        fields.push(("sold_effort", Value::Number(effort)));
    }
    let tags = tags_of(r, map);
    if !tags.is_empty() {
        fields.push(("tags", Value::List(tags.iter().map(|t| text(t)).collect())));
    }
    fields
}

/// The mapped fields of `p` that differ from the matrix.
fn update_fields(
    p: &Promise,
    r: &Requirement,
    map: &Map,
    heading_tags: &[String],
) -> Vec<(&'static str, Option<Value>)> {
    let mut sets = Vec::new();
    let mut text_field = |key: &'static str, now: Option<&str>, new: Option<&str>| {
        if now != new {
            sets.push((key, new.map(text)));
        }
    };
    text_field("title", Some(&p.title), Some(&r.title));
    text_field("asked", p.asked.as_deref(), r.asked.as_deref());
    if map.column(Field::Promised).is_some() {
        text_field("promised", p.promised.as_deref(), r.promised.as_deref());
    }
    text_field(
        "response",
        p.response.map(Vocab::as_str),
        Some(r.response.as_str()),
    );
    if map.column(Field::Priority).is_some() {
        text_field(
            "priority",
            p.priority.map(Vocab::as_str),
            r.priority.map(Vocab::as_str),
        );
    }
    if map.column(Field::Type).is_some() {
        text_field("type", p.kind.map(Vocab::as_str), r.kind.map(Vocab::as_str));
    }
    let now_ref = p.source.as_ref().and_then(|s| s.reference.as_deref());
    text_field("source.ref", now_ref, Some(&r.source_ref));
    if map.column(Field::SoldEffort).is_some() {
        let same = match (p.sold_effort, r.sold_effort) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        if !same {
            sets.push(("sold_effort", r.sold_effort.map(Value::Number)));
        }
    }
    // The heading tag follows the matrix; a tag no heading produces is a
    // person's, and stays where it is.
    let mut tags: Vec<String> = r.heading.iter().cloned().collect();
    for tag in &p.tags {
        if !heading_tags.contains(tag) && !tags.contains(tag) {
            tags.push(tag.clone());
        }
    }
    if tags != p.tags {
        let value = (!tags.is_empty()).then(|| Value::List(tags.iter().map(|t| text(t)).collect()));
        sets.push(("tags", value));
    }
    sets
}
