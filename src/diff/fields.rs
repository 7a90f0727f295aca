//! Each model item seen as an ordered list of fields, each with its values
//! as people read them, so two versions of an item compare field by field
//! with one generic routine. The fields are the keys the loader accepts
//! for the kind ([`crate::load::items`]), in that order, every one listed
//! on both sides (empty when not written), so the lists line up.

use crate::date::Date;
use crate::load::items::{
    GAP_KEYS, HANDOFF_KEYS, HANDOFF_SECTIONS, PROMISE_KEYS, SCOPE_KEYS, STAKEHOLDER_KEYS,
};
use crate::model::{Gap, Handoff, Promise, ScopeItem, Stakeholder, Vocab};

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

/// Values that must never be shown without the user asking (stakeholder
/// `notes` are private).
pub const PRIVATE_STAKEHOLDER_FIELDS: &[&str] = &["notes"];

/// A number as written: 12, 0.35, 180000 (shortest exact form, no grouping).
pub fn num(x: f64) -> String {
    format!("{x}")
}

fn one<T: ToString>(value: Option<T>) -> Values {
    Values::One(value.map(|v| v.to_string()))
}

fn text(value: Option<&String>) -> Values {
    Values::One(
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty()),
    )
}

fn vocab<V: Vocab>(value: Option<V>) -> Values {
    one(value.map(V::as_str))
}

fn number(value: Option<f64>) -> Values {
    Values::One(value.map(num))
}

fn date(value: Option<Date>) -> Values {
    one(value)
}

fn list(values: &[String]) -> Values {
    Values::List(values.iter().map(|v| v.trim().to_string()).collect())
}

fn yes_no(value: bool) -> Values {
    one(Some(if value { "yes" } else { "no" }))
}

/// "SC-1: text", or the text alone for an entry without an id.
fn with_id(id: Option<&String>, text: &str) -> String {
    match id {
        Some(id) => format!("{id}: {}", text.trim()),
        None => text.trim().to_string(),
    }
}

pub trait Fields {
    /// The keys the loader accepts for this kind.
    const KEYS: &'static [&'static str];
    /// The key that identifies the item: how versions are matched, so
    /// never a change.
    const ID_KEY: &'static str;

    /// The values of one of [`Self::KEYS`]; `None` for any other name.
    fn values(&self, field: &str) -> Option<Values>;

    fn fields(&self) -> FieldList {
        Self::KEYS
            .iter()
            .filter(|key| **key != Self::ID_KEY)
            .filter_map(|key| Some(((*key).to_string(), self.values(key)?)))
            .collect()
    }
}

impl Fields for Promise {
    const KEYS: &'static [&'static str] = PROMISE_KEYS;
    const ID_KEY: &'static str = "id";

    fn values(&self, field: &str) -> Option<Values> {
        Some(match field {
            "title" => one(Some(self.title.trim())),
            "type" => vocab(self.kind),
            "asked" => text(self.asked.as_ref()),
            "promised" => text(self.promised.as_ref()),
            "response" => vocab(self.response),
            "priority" => vocab(self.priority),
            "commitment" => vocab(self.commitment),
            "source" => {
                let source = self.source.as_ref().map(|s| {
                    match (s.kind.map(Vocab::as_str), s.reference.as_deref()) {
                        (Some(kind), Some(r)) => format!("{kind}: {r}"),
                        (Some(kind), None) => kind.to_string(),
                        (None, Some(r)) => r.to_string(),
                        (None, None) => String::new(),
                    }
                });
                text(source.as_ref())
            }
            "promised_by" => text(self.promised_by.as_ref()),
            "promised_to" => text(self.promised_to.as_ref()),
            "date" => date(self.date),
            "due" => date(self.due.as_ref().map(|d| d.value)),
            "acceptance" => list(&self.acceptance),
            "sold_effort" => number(self.sold_effort),
            "status" => vocab(Some(self.status)),
            "tags" => list(&self.tags),
            _ => return None,
        })
    }
}

impl Fields for ScopeItem {
    const KEYS: &'static [&'static str] = SCOPE_KEYS;
    const ID_KEY: &'static str = "id";

    fn values(&self, field: &str) -> Option<Values> {
        Some(match field {
            "title" => text(self.title.as_ref()),
            "covers" => Values::List(self.covers.iter().map(|c| c.value.clone()).collect()),
            "coverage" => vocab(Some(self.coverage)),
            "approach" => vocab(self.approach),
            "effort" => number(Some(self.effort)),
            "due" => date(self.due.as_ref().map(|d| d.value)),
            "owner" => text(self.owner.as_ref()),
            "phase" => text(self.phase.as_ref()),
            "acceptance" => list(&self.acceptance),
            "internal" => yes_no(self.internal),
            "status" => vocab(Some(self.status)),
            "note" => text(self.note.as_ref()),
            _ => return None,
        })
    }
}

impl Fields for Gap {
    const KEYS: &'static [&'static str] = GAP_KEYS;
    const ID_KEY: &'static str = "id";

    fn values(&self, field: &str) -> Option<Values> {
        Some(match field {
            "promise" => one(self.promise.as_ref().map(|p| &p.value)),
            "scope" => one(self.scope.as_ref().map(|s| &s.value)),
            "kind" => vocab(self.kind),
            "summary" => text(self.summary.as_ref()),
            "criticality" => vocab(self.criticality),
            "customer_view" => vocab(self.customer_view),
            "resolution" => vocab(self.resolution),
            "status" => vocab(Some(self.status)),
            "owner" => text(self.owner.as_ref()),
            "due" => date(self.due.as_ref().map(|d| d.value)),
            "effort_delta" => number(self.effort_delta),
            "cost_delta" => number(self.cost_delta),
            "agreed_with" => text(self.agreed_with.as_ref()),
            "agreed_on" => date(self.agreed_on),
            "workaround" => text(self.workaround.as_ref()),
            "change_request" => text(self.change_request.as_ref()),
            _ => return None,
        })
    }
}

impl Fields for Stakeholder {
    const KEYS: &'static [&'static str] = STAKEHOLDER_KEYS;
    const ID_KEY: &'static str = "key";

    fn values(&self, field: &str) -> Option<Values> {
        Some(match field {
            "name" => text(self.name.as_ref()),
            "org" => vocab(self.org),
            "title" => text(self.title.as_ref()),
            "roles" => Values::List(self.roles.iter().map(|r| r.as_str().to_string()).collect()),
            "influence" => vocab(self.influence),
            "interest" => vocab(self.interest),
            "attitude" => vocab(self.attitude),
            "contact" => text(self.contact.as_ref()),
            // Compared like the others; the diff hides the values.
            "notes" => text(self.notes.as_ref()),
            _ => return None,
        })
    }
}

impl Fields for Handoff {
    const KEYS: &'static [&'static str] = HANDOFF_KEYS;
    const ID_KEY: &'static str = "id";

    /// Fields by path as `handoff.yaml` names them (`contract.currency`).
    /// Entries of structured lists become one value each, with their id
    /// first, so a change to one entry reads as old → new.
    fn values(&self, field: &str) -> Option<Values> {
        let c = &self.contract;
        let d = &self.dates;
        let e = &self.effort;
        Some(match field {
            "name" => text(self.name.as_ref()),
            "customer.name" => text(self.customer_name.as_ref()),
            "contract.type" => vocab(c.kind),
            "contract.currency" => text(c.currency.as_ref()),
            "contract.services_value" => number(c.services_value),
            "contract.total_value" => number(c.total_value),
            "contract.payment_terms" => text(c.payment_terms.as_ref()),
            "contract.signed_on" => date(c.signed_on),
            "contract.documents" => Values::List(
                c.documents
                    .iter()
                    .map(|doc| format!("{}: {}", doc.kind, doc.reference))
                    .collect(),
            ),
            "dates.kickoff" => date(d.kickoff),
            "dates.go_live" => date(d.go_live),
            "dates.hard_deadlines" => Values::List(
                d.hard_deadlines
                    .iter()
                    .map(|h| match &h.why {
                        Some(why) => format!("{} ({})", h.date, why.trim()),
                        None => h.date.to_string(),
                    })
                    .collect(),
            ),
            "dates.milestones" => Values::List(
                d.milestones
                    .iter()
                    .map(|m| match m.date {
                        Some(date) => format!("{}: {date}", m.name),
                        None => format!("{}: no date", m.name),
                    })
                    .collect(),
            ),
            "effort.unit" => vocab(e.unit),
            "effort.sold" => number(e.sold),
            "effort.day_rate" => number(e.day_rate),
            "effort.cost_rate" => number(e.cost_rate),
            "effort.target_margin" => number(e.target_margin),
            "background" => text(self.background.as_ref()),
            "why_bought" => list(&self.why_bought),
            "success_criteria" => Values::List(
                self.success_criteria
                    .iter()
                    .map(|sc| {
                        let mut s = with_id(sc.id.as_ref(), &sc.text);
                        if let Some(m) = &sc.measure {
                            s.push_str(&format!(" (measure: {})", m.trim()));
                        }
                        if sc.validated_by_customer {
                            s.push_str(" [validated by customer]");
                        }
                        s
                    })
                    .collect(),
            ),
            "exclusions" => list(&self.exclusions),
            "assumptions" => list(&self.assumptions),
            "dependencies" => list(&self.dependencies),
            "constraints" => list(&self.constraints),
            "interfaces" => list(&self.interfaces),
            "risks" => Values::List(
                self.risks
                    .iter()
                    .map(|r| {
                        let mut s = with_id(r.id.as_ref(), &r.text);
                        let mut extra = Vec::new();
                        if let Some(l) = r.likelihood {
                            extra.push(format!("likelihood {l}"));
                        }
                        if let Some(i) = r.impact {
                            extra.push(format!("impact {i}"));
                        }
                        if let Some(o) = &r.owner {
                            extra.push(format!("owner {o}"));
                        }
                        if !extra.is_empty() {
                            s.push_str(&format!(" ({})", extra.join(", ")));
                        }
                        s
                    })
                    .collect(),
            ),
            "open_questions" => list(&self.open_questions),
            "communication.channels" => list(&self.communication.channels),
            "communication.first_line_contact" => {
                text(self.communication.first_line_contact.as_ref())
            }
            _ => return None,
        })
    }

    /// A section's fields stand in its place, by path.
    fn fields(&self) -> FieldList {
        HANDOFF_KEYS
            .iter()
            .filter(|key| **key != Self::ID_KEY)
            .flat_map(
                |key| match HANDOFF_SECTIONS.iter().find(|(s, _)| s == key) {
                    Some((section, keys)) => {
                        keys.iter().map(|k| format!("{section}.{k}")).collect()
                    }
                    None => vec![(*key).to_string()],
                },
            )
            .filter_map(|path| {
                let values = self.values(&path)?;
                Some((path, values))
            })
            .collect()
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

    fn keys_but(keys: &[&'static str], id: &str) -> Vec<&'static str> {
        keys.iter().copied().filter(|k| *k != id).collect()
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
            assert_eq!(names(&p.fields()), keys_but(PROMISE_KEYS, "id"));
            let s = &e.scope[0];
            assert_eq!(names(&s.fields()), keys_but(SCOPE_KEYS, "id"));
            let g = &e.gaps[0];
            assert_eq!(names(&g.fields()), keys_but(GAP_KEYS, "id"));
            let k = &e.stakeholders[0];
            assert_eq!(names(&k.fields()), keys_but(STAKEHOLDER_KEYS, "key"));
            let handoff = e.handoff.fields();
            assert!(names(&handoff).starts_with(&["name", "customer.name", "contract.type"]));
            let mut paths: Vec<String> = crate::load::items::handoff_field_paths()
                .into_iter()
                .filter(|p| p != "id" && !HANDOFF_SECTIONS.iter().any(|(s, _)| s == p))
                .collect();
            let mut compared: Vec<String> = handoff.into_iter().map(|(n, _)| n).collect();
            paths.sort();
            compared.sort();
            assert_eq!(compared, paths);
        }
    }
}
