//! The field declarations (src/model/decl.rs) against everything derived
//! from them: every declared field of every fingerprinted kind, written into
//! a minimal engagement, changes the fingerprint and shows in `handoff
//! diff`'s field list; and the file format reference lists exactly the
//! declared keys. Iterates the declarations, so a new field is covered the
//! moment it is declared.
//!
//! Self-contained: it uses no shared test helpers.

use std::error::Error;
use std::fs;
use std::path::Path;

use handoff::diff::fields::{FieldList, Fields, compare};
use handoff::fingerprint::Fingerprint;
use handoff::load::{FsTree, load_all};
use handoff::model::Engagement;
use handoff::model::decl::{self, FieldDecl, FieldType, KindDecl};

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// A YAML value of the type: the "base" one the minimal engagement holds,
/// or a different "sample" one. A sample never equals the field's default,
/// so writing it is always a change.
fn yaml(field: &FieldDecl, ty: &FieldType, sample: bool) -> String {
    match ty {
        FieldType::Text => (if sample { "\"sample-2\"" } else { "\"base-1\"" }).into(),
        FieldType::Vocab { names, .. } => {
            let mut words = names.iter().filter(|w| Some(**w) != field.default);
            let first = words.next().copied().unwrap_or_default();
            let word = if sample {
                words.next().copied().unwrap_or(first)
            } else {
                first
            };
            format!("\"{word}\"")
        }
        FieldType::Number | FieldType::Amount => (if sample { "7" } else { "3" }).into(),
        FieldType::Fraction => (if sample { "0.3" } else { "0.2" }).into(),
        FieldType::Date => (if sample { "2031-02-03" } else { "2030-01-01" }).into(),
        FieldType::Bool => {
            let default = field.default == Some("true");
            (if sample { !default } else { default }).to_string()
        }
        FieldType::IdRef(_) => (if sample { "\"X-2\"" } else { "\"X-1\"" }).into(),
        FieldType::PersonRef => (if sample { "\"bob\"" } else { "\"ann\"" }).into(),
        FieldType::List(inner) => format!("[{}]", yaml(field, inner, sample)),
        FieldType::Record(sub) => {
            // The required fields, or the first field of a record without any.
            let mut fields: Vec<&FieldDecl> = sub.fields.iter().filter(|f| f.required).collect();
            if fields.is_empty() {
                fields.extend(sub.fields.first());
            }
            let entries: Entries = fields
                .into_iter()
                .map(|f| (f.key, yaml(f, &f.ty, sample)))
                .collect();
            mapping(&entries)
        }
        FieldType::Map(inner) => mapping(&[("sales", yaml(field, inner, sample))]),
    }
}

fn mapping(entries: &[(&str, String)]) -> String {
    let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", inner.join(", "))
}

/// The required fields of a kind with base values.
fn base_entries(decl: &KindDecl) -> Entries {
    decl.fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.key, yaml(f, &f.ty, false)))
        .collect()
}

/// Sets `key` in a mapping's entries, replacing it if present.
fn with(mut entries: Entries, key: &'static str, value: String) -> Entries {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
    entries
}

type Entries = Vec<(&'static str, String)>;

/// One change to try: the item as a mapping before and after, and the
/// field name the diff should report.
struct Case {
    label: String,
    before: String,
    after: String,
    field: String,
    /// The id can only change the fingerprint: versions are matched by it.
    is_id: bool,
}

/// Every field of a record, however deeply nested, changed on its own:
/// (path of keys, the record before, the record after).
fn changes(decl: &KindDecl) -> Vec<(Vec<&'static str>, Entries, Entries)> {
    let base = base_entries(decl);
    let mut out = Vec::new();
    for f in decl.fields {
        let (sub, listed) = match f.ty {
            FieldType::Record(sub) => (sub, false),
            FieldType::List(&FieldType::Record(sub)) => (sub, true),
            _ => {
                let after = with(base.clone(), f.key, yaml(f, &f.ty, true));
                out.push((vec![f.key], base.clone(), after));
                continue;
            }
        };
        let wrap = |entries: Entries| {
            let record = mapping(&entries);
            if listed {
                format!("[{record}]")
            } else {
                record
            }
        };
        for (mut path, before, after) in changes(sub) {
            path.insert(0, f.key);
            let before = if before.is_empty() {
                base.clone()
            } else {
                with(base.clone(), f.key, wrap(before))
            };
            out.push((path, before, with(base.clone(), f.key, wrap(after))));
        }
    }
    out
}

fn cases(kind: &KindDecl) -> Vec<Case> {
    changes(kind)
        .into_iter()
        .map(|(path, before, after)| {
            // handoff.yaml's sections are compared field by field, by path.
            let section = kind.name == "handoff"
                && matches!(
                    kind.field(path[0]).map(|f| f.ty),
                    Some(FieldType::Record(_))
                );
            let field = if section {
                path[..2].join(".")
            } else {
                path[0].to_string()
            };
            Case {
                label: format!("{} {}", kind.name, path.join(".")),
                before: mapping(&before),
                after: mapping(&after),
                field,
                is_id: path.len() == 1 && kind.id_key == Some(path[0]),
            }
        })
        .collect()
}

/// The file and top-level key each list kind is kept under.
fn home(kind: &KindDecl) -> Option<(&'static str, &'static str)> {
    Some(match kind.name {
        "stakeholder" => ("stakeholders.yaml", "stakeholders"),
        "promise" => ("promises.yaml", "promises"),
        "scope_item" => ("scope.yaml", "scope"),
        "gap" => ("gaps.yaml", "gaps"),
        _ => return None,
    })
}

/// Loads a minimal engagement holding `item` as its only item of `kind`.
fn load(kind: &KindDecl, item: &str) -> Result<Engagement> {
    let dir = tempfile::tempdir()?;
    let handoff = match home(kind) {
        Some((file, key)) => {
            fs::write(dir.path().join(file), format!("{key}:\n  - {item}\n"))?;
            "{id: \"T-1\"}".to_string()
        }
        None => item.to_string(),
    };
    fs::write(dir.path().join("handoff.yaml"), format!("{handoff}\n"))?;
    let loaded = load_all(&FsTree, &[dir.path().to_path_buf()]);
    if !loaded.diagnostics.is_empty() {
        return Err(format!("{item}: {:?}", loaded.diagnostics).into());
    }
    loaded
        .engagements
        .into_iter()
        .next()
        .ok_or_else(|| format!("{item}: no engagement").into())
}

fn field_list(kind: &KindDecl, e: &Engagement) -> Result<FieldList> {
    Ok(match kind.name {
        "handoff" => e.handoff.fields(),
        "stakeholder" => e.stakeholders.first().ok_or("no stakeholder")?.fields(),
        "promise" => e.promises.first().ok_or("no promise")?.fields(),
        "scope_item" => e.scope.first().ok_or("no scope item")?.fields(),
        "gap" => e.gaps.first().ok_or("no gap")?.fields(),
        other => return Err(format!("no field list for {other}").into()),
    })
}

#[test]
fn every_declared_field_changes_the_fingerprint_and_shows_in_the_diff() -> Result {
    let mut failures = Vec::new();
    let mut tried = 0;
    for kind in decl::FINGERPRINTED {
        for case in cases(kind) {
            tried += 1;
            let before = load(kind, &case.before)?;
            let after = load(kind, &case.after)?;
            if Fingerprint::of(&before).combined == Fingerprint::of(&after).combined {
                failures.push(format!(
                    "{}: fingerprint unchanged ({} → {})",
                    case.label, case.before, case.after
                ));
            }
            if case.is_id {
                continue;
            }
            let changes = compare(&field_list(kind, &before)?, &field_list(kind, &after)?);
            if !changes.iter().any(|c| c.field == case.field) {
                failures.push(format!(
                    "{}: `{}` not in the diff ({} → {}): {changes:?}",
                    case.label, case.field, case.before, case.after
                ));
            }
        }
    }
    // At least one case per declared field, so an empty loop cannot pass.
    let declared: usize = decl::FINGERPRINTED.iter().map(|k| k.fields.len()).sum();
    assert!(tried >= declared, "{tried} cases for {declared} fields");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    Ok(())
}

/// The fingerprint covers exactly the declared fingerprinted kinds, and a
/// sign-off's `fingerprints` record has one key per kind.
#[test]
fn fingerprint_kinds_match_the_declarations() {
    let declared: Vec<&str> = decl::SIGNOFF_FINGERPRINTS.keys();
    assert_eq!(declared, handoff::fingerprint::KINDS);
    assert_eq!(decl::FINGERPRINTED.len(), handoff::fingerprint::KINDS.len());
}

/// The field names in the first column of the field table under `heading`
/// (up to the next heading).
fn documented(doc: &str, heading: &str) -> Result<Vec<(String, String)>> {
    let start = doc
        .lines()
        .position(|l| l == heading)
        .ok_or_else(|| format!("no `{heading}`"))?;
    Ok(doc
        .lines()
        .skip(start + 1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cells = l.strip_prefix("| `")?.splitn(2, '`');
            let name = cells.next()?.to_string();
            let ty = cells.next()?.split('|').nth(1)?.trim().to_string();
            Some((name, ty))
        })
        .collect())
}

fn read_doc(name: &str) -> Result<String> {
    Ok(fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs")
            .join(name),
    )?)
}

#[test]
fn the_format_reference_lists_exactly_the_declared_keys() -> Result {
    let format = read_doc("format.md")?;
    let signoffs = read_doc("signoffs.md")?;
    let tables: [(&KindDecl, &str, &str); 6] = [
        (&decl::HANDOFF, &format, "## handoff.yaml"),
        (&decl::STAKEHOLDER, &format, "## stakeholders.yaml"),
        (&decl::PROMISE, &format, "## promises"),
        (&decl::SCOPE_ITEM, &format, "## scope"),
        (&decl::GAP, &format, "## gaps"),
        (&decl::SIGNOFF, &signoffs, "## signoffs.yaml"),
    ];
    for (kind, doc, heading) in tables {
        let rows = documented(doc, heading)?;
        let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        // handoff.yaml's sections are documented field by field, by path.
        let expected = if kind.name == "handoff" {
            kind.field_paths()
        } else {
            kind.keys().into_iter().map(str::to_string).collect()
        };
        assert_eq!(names, expected, "{heading}");
        // A record's fields are spelled out in the type column: `{kind, ref}`.
        for (name, ty) in &rows {
            let sub = match kind.field(name).map(|f| f.ty) {
                Some(FieldType::Record(sub) | FieldType::List(&FieldType::Record(sub))) => sub,
                _ => continue,
            };
            if sub.name == "signoff_fingerprints" {
                continue;
            }
            let spelled = format!("{{{}}}", sub.keys().join(", "));
            assert!(
                ty.contains(&spelled),
                "{heading} `{name}`: `{ty}` lacks {spelled}"
            );
        }
        // And handoff.yaml's lists of records likewise.
        if kind.name == "handoff" {
            for (section, sub) in kind.sections() {
                for g in sub.fields {
                    if let FieldType::List(&FieldType::Record(rec)) = g.ty {
                        let path = format!("{section}.{}", g.key);
                        let row = rows.iter().find(|(n, _)| *n == path).ok_or(path.clone())?;
                        let spelled = format!("{{{}}}", rec.keys().join(", "));
                        assert!(
                            row.1.contains(&spelled),
                            "`{path}`: `{}` lacks {spelled}",
                            row.1
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// The record with one required field left out, for every required field
/// however deeply nested: (path of keys, the record).
fn omissions(decl: &KindDecl) -> Vec<(String, Entries)> {
    let base = base_entries(decl);
    let mut out = Vec::new();
    for f in decl.fields {
        if f.required {
            let without = base.iter().filter(|(k, _)| *k != f.key).cloned().collect();
            out.push((f.key.to_string(), without));
        }
        let (sub, listed) = match f.ty {
            FieldType::Record(sub) => (sub, false),
            FieldType::List(&FieldType::Record(sub)) => (sub, true),
            _ => continue,
        };
        for (path, inner) in omissions(sub) {
            let record = mapping(&inner);
            let value = if listed {
                format!("[{record}]")
            } else {
                record
            };
            out.push((
                format!("{}.{path}", f.key),
                with(base.clone(), f.key, value),
            ));
        }
    }
    out
}

/// A field declared required is refused when left out, at the top of an
/// item and in each nested record.
#[test]
fn required_fields_are_required_by_the_loader() -> Result {
    let mut accepted = Vec::new();
    let mut tried = 0;
    for kind in decl::FINGERPRINTED {
        load(kind, &mapping(&base_entries(kind)))?;
        for (path, item) in omissions(kind) {
            tried += 1;
            if load(kind, &mapping(&item)).is_ok() {
                accepted.push(format!(
                    "{} without `{path}`: {}",
                    kind.name,
                    mapping(&item)
                ));
            }
        }
    }
    assert!(tried >= decl::FINGERPRINTED.len(), "{tried} cases");
    assert!(accepted.is_empty(), "{}", accepted.join("\n"));
    Ok(())
}
