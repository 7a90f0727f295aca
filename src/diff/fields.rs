//! Each model item seen as an ordered list of fields, each with its values
//! as people read them, so two versions of an item compare field by field
//! with one generic routine. Every field is listed on both sides (empty
//! when not written), in the same order, so the lists line up.

use crate::date::Date;
use crate::model::{Gap, Handoff, Promise, ScopeItem, Stakeholder, Vocab};

/// (field name as written in the YAML, its values). A single-valued field
/// has zero or one value; a list has one value per entry.
pub type FieldList = Vec<(&'static str, Vec<String>)>;

/// Values that must never be shown without the user asking (stakeholder
/// `notes` are private).
pub const PRIVATE_STAKEHOLDER_FIELDS: &[&str] = &["notes"];

/// A number as written: 12, 0.35, 180000 (shortest exact form, no grouping).
pub fn num(x: f64) -> String {
    format!("{x}")
}

fn opt<T: ToString>(value: Option<T>) -> Vec<String> {
    value.map(|v| v.to_string()).into_iter().collect()
}

fn text(value: Option<&String>) -> Vec<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .into_iter()
        .collect()
}

fn vocab<V: Vocab>(value: Option<V>) -> Vec<String> {
    value.map(|v| v.as_str().to_string()).into_iter().collect()
}

fn number(value: Option<f64>) -> Vec<String> {
    value.map(num).into_iter().collect()
}

fn date(value: Option<Date>) -> Vec<String> {
    opt(value)
}

fn list(values: &[String]) -> Vec<String> {
    values.iter().map(|v| v.trim().to_string()).collect()
}

fn yes_no(value: bool) -> Vec<String> {
    vec![if value { "yes" } else { "no" }.to_string()]
}

pub trait Fields {
    fn fields(&self) -> FieldList;
}

impl Fields for Promise {
    fn fields(&self) -> FieldList {
        let source = self.source.as_ref().map(|s| {
            match (s.kind.map(Vocab::as_str), s.reference.as_deref()) {
                (Some(kind), Some(r)) => format!("{kind}: {r}"),
                (Some(kind), None) => kind.to_string(),
                (None, Some(r)) => r.to_string(),
                (None, None) => String::new(),
            }
        });
        vec![
            ("title", vec![self.title.trim().to_string()]),
            ("type", vocab(self.kind)),
            ("asked", text(self.asked.as_ref())),
            ("promised", text(self.promised.as_ref())),
            ("response", vocab(self.response)),
            ("priority", vocab(self.priority)),
            ("commitment", vocab(self.commitment)),
            ("source", text(source.as_ref())),
            ("promised_by", text(self.promised_by.as_ref())),
            ("promised_to", text(self.promised_to.as_ref())),
            ("date", date(self.date)),
            ("due", date(self.due.as_ref().map(|d| d.value))),
            ("acceptance", list(&self.acceptance)),
            ("sold_effort", number(self.sold_effort)),
            ("status", vec![self.status.as_str().to_string()]),
            ("tags", list(&self.tags)),
        ]
    }
}

impl Fields for ScopeItem {
    fn fields(&self) -> FieldList {
        vec![
            ("title", text(self.title.as_ref())),
            (
                "covers",
                self.covers.iter().map(|c| c.value.clone()).collect(),
            ),
            ("coverage", vec![self.coverage.as_str().to_string()]),
            ("approach", vocab(self.approach)),
            ("effort", vec![num(self.effort)]),
            ("due", date(self.due.as_ref().map(|d| d.value))),
            ("owner", text(self.owner.as_ref())),
            ("phase", text(self.phase.as_ref())),
            ("acceptance", list(&self.acceptance)),
            ("internal", yes_no(self.internal)),
            ("status", vec![self.status.as_str().to_string()]),
            ("note", text(self.note.as_ref())),
        ]
    }
}

impl Fields for Gap {
    fn fields(&self) -> FieldList {
        vec![
            ("promise", opt(self.promise.as_ref().map(|p| &p.value))),
            ("scope", opt(self.scope.as_ref().map(|s| &s.value))),
            ("kind", vocab(self.kind)),
            ("summary", text(self.summary.as_ref())),
            ("criticality", vocab(self.criticality)),
            ("customer_view", vocab(self.customer_view)),
            ("resolution", vocab(self.resolution)),
            ("status", vec![self.status.as_str().to_string()]),
            ("owner", text(self.owner.as_ref())),
            ("due", date(self.due.as_ref().map(|d| d.value))),
            ("effort_delta", number(self.effort_delta)),
            ("cost_delta", number(self.cost_delta)),
            ("agreed_with", text(self.agreed_with.as_ref())),
            ("agreed_on", date(self.agreed_on)),
            ("workaround", text(self.workaround.as_ref())),
            ("change_request", text(self.change_request.as_ref())),
        ]
    }
}

impl Fields for Stakeholder {
    fn fields(&self) -> FieldList {
        vec![
            ("name", text(self.name.as_ref())),
            ("org", vocab(self.org)),
            ("title", text(self.title.as_ref())),
            (
                "roles",
                self.roles.iter().map(|r| r.as_str().to_string()).collect(),
            ),
            ("influence", vocab(self.influence)),
            ("interest", vocab(self.interest)),
            ("attitude", vocab(self.attitude)),
            ("contact", text(self.contact.as_ref())),
            // Compared like the others; the diff hides the values.
            ("notes", text(self.notes.as_ref())),
        ]
    }
}

impl Fields for Handoff {
    /// Field paths as `handoff.toml` names them (`contract.currency`).
    /// Entries of structured lists become one value each, with their id
    /// first, so a change to one entry reads as old → new.
    fn fields(&self) -> FieldList {
        let c = &self.contract;
        let d = &self.dates;
        let e = &self.effort;
        vec![
            ("name", text(self.name.as_ref())),
            ("customer.name", text(self.customer_name.as_ref())),
            ("contract.type", vocab(c.kind)),
            ("contract.currency", text(c.currency.as_ref())),
            ("contract.services_value", number(c.services_value)),
            ("contract.total_value", number(c.total_value)),
            ("contract.payment_terms", text(c.payment_terms.as_ref())),
            ("contract.signed_on", date(c.signed_on)),
            (
                "contract.documents",
                c.documents
                    .iter()
                    .map(|doc| format!("{}: {}", doc.kind, doc.reference))
                    .collect(),
            ),
            ("dates.kickoff", date(d.kickoff)),
            ("dates.go_live", date(d.go_live)),
            (
                "dates.hard_deadlines",
                d.hard_deadlines
                    .iter()
                    .map(|h| match &h.why {
                        Some(why) => format!("{} ({})", h.date, why.trim()),
                        None => h.date.to_string(),
                    })
                    .collect(),
            ),
            (
                "dates.milestones",
                d.milestones
                    .iter()
                    .map(|m| match m.date {
                        Some(date) => format!("{}: {date}", m.name),
                        None => format!("{}: no date", m.name),
                    })
                    .collect(),
            ),
            ("effort.unit", vocab(e.unit)),
            ("effort.sold", number(e.sold)),
            ("effort.day_rate", number(e.day_rate)),
            ("effort.cost_rate", number(e.cost_rate)),
            ("effort.target_margin", number(e.target_margin)),
            ("background", text(self.background.as_ref())),
            ("why_bought", list(&self.why_bought)),
            (
                "success_criteria",
                self.success_criteria
                    .iter()
                    .map(|sc| {
                        let mut s = match &sc.id {
                            Some(id) => format!("{id}: {}", sc.text.trim()),
                            None => sc.text.trim().to_string(),
                        };
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
            ("exclusions", list(&self.exclusions)),
            ("assumptions", list(&self.assumptions)),
            ("dependencies", list(&self.dependencies)),
            ("constraints", list(&self.constraints)),
            ("interfaces", list(&self.interfaces)),
            (
                "risks",
                self.risks
                    .iter()
                    .map(|r| {
                        let mut s = match &r.id {
                            Some(id) => format!("{id}: {}", r.text.trim()),
                            None => r.text.trim().to_string(),
                        };
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
            ("open_questions", list(&self.open_questions)),
            ("communication.channels", list(&self.communication.channels)),
            (
                "communication.first_line_contact",
                text(self.communication.first_line_contact.as_ref()),
            ),
        ]
    }
}

/// Fields that hold a list: compared entry by entry.
const LIST_FIELDS: &[&str] = &[
    "acceptance",
    "tags",
    "covers",
    "roles",
    "contract.documents",
    "dates.hard_deadlines",
    "dates.milestones",
    "why_bought",
    "success_criteria",
    "exclusions",
    "assumptions",
    "dependencies",
    "constraints",
    "interfaces",
    "risks",
    "open_questions",
    "communication.channels",
];

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
        let entry = LIST_FIELDS.contains(name);
        let change = |b: Option<&String>, a: Option<&String>| FieldChange {
            field: (*name).to_string(),
            before: b.cloned(),
            after: a.cloned(),
            entry,
            private: false,
        };
        if !entry {
            changes.push(change(old.first(), new.first()));
            continue;
        }
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
            changes.push(change(removed.first().copied(), added.first().copied()));
            continue;
        }
        for value in removed {
            changes.push(change(Some(value), None));
        }
        for value in added {
            changes.push(change(None, Some(value)));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_string()).collect()
    }

    #[test]
    fn single_values_read_old_to_new() {
        let before = vec![("priority", s(&["should"])), ("due", s(&[]))];
        // (non-list fields)
        let after = vec![("priority", s(&["must"])), ("due", s(&["2026-05-01"]))];
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].before.as_deref(), Some("should"));
        assert_eq!(changes[0].after.as_deref(), Some("must"));
        assert_eq!(changes[1].before, None);
    }

    #[test]
    fn reordered_lists_are_not_a_change_and_entries_add_one_by_one() {
        let before = vec![("covers", s(&["P-01", "P-02"]))];
        let reordered = vec![("covers", s(&["P-02", "P-01"]))];
        assert!(compare(&before, &reordered).is_empty());
        let grown = vec![("covers", s(&["P-01", "P-02", "P-03", "P-04"]))];
        let changes = compare(&before, &grown);
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.before.is_none()));
        let swapped = vec![("covers", s(&["P-01", "P-09"]))];
        let changes = compare(&before, &swapped);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].before.as_deref(), Some("P-02"));
        assert_eq!(changes[0].after.as_deref(), Some("P-09"));
    }
}
