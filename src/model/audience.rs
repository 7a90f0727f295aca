//! Who a document is for, and the one filter that decides what it may
//! show: [`filter`] turns an engagement into the engagement a reader may
//! see, from the field declarations ([`super::decl`]) and the value rules
//! declared beside them. Documents are built from what it returns, never
//! from the engagement itself, so a field declared `internal` cannot reach
//! a customer document by being forgotten in a printer.
//!
//! Should a hidden field's clearing be forgotten here, the item that holds
//! it is left out as a whole (fail closed); the tests below name a kind
//! with a hidden field that this module does not clear at all, and the
//! integration tests look for every hidden value in the documents.

use super::decl::{self, Audience, AudienceRule, Declared, EFFORT, KindDecl, SCOPE_ITEM, Value};
use super::{ContractType, Effort, Engagement, Gap, Promise, ScopeItem, Stakeholder};

/// Who reads a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The customer: the project board's document, shared outside.
    Customer,
    /// The supplier's own team.
    Internal,
}

impl Reader {
    pub fn as_str(self) -> &'static str {
        match self {
            Reader::Customer => "customer",
            Reader::Internal => "internal",
        }
    }
}

/// A document's reader, and whether its author asked for private fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub reader: Reader,
    pub include_private: bool,
}

impl View {
    /// Whether a field of this audience may be shown, before value rules.
    pub fn may_see(self, audience: Audience) -> bool {
        match audience {
            Audience::Customer => true,
            Audience::Internal => self.reader == Reader::Internal,
            // Private stays out of every document unless asked for.
            Audience::Private => self.include_private,
        }
    }
}

/// An item a document leaves out, and why; the command tells its author
/// (`output::messages::left_out`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The kind as messages say it: "gap".
    pub what: &'static str,
    pub id: String,
    pub why: String,
}

/// What a document may show.
#[derive(Debug, Clone)]
pub struct Shown {
    pub view: View,
    /// The engagement with every hidden field cleared and every hidden
    /// item removed.
    pub engagement: Engagement,
    /// The cost rate given outside the files, when the reader may see it.
    pub cost_rate: Option<f64>,
    /// Items left out that the author should know about.
    pub left_out: Vec<LeftOut>,
    /// Hidden fields, as (kind name, key).
    hidden: Vec<(&'static str, &'static str)>,
}

impl Shown {
    /// Whether the document shows `key` of `kind`. For figures derived from
    /// a field that cannot be absent (a scope item's effort), printers ask
    /// this rather than read a cleared zero.
    pub fn shows(&self, kind: &KindDecl, key: &str) -> bool {
        !self
            .hidden
            .iter()
            .any(|(k, f)| *k == kind.name && *f == key)
    }

    /// Whether effort figures may be shown (not on a fixed price to the
    /// customer).
    pub fn shows_effort(&self) -> bool {
        self.shows(&SCOPE_ITEM, "effort")
    }

    /// Whether margins, the cost rate and what they lead to may be shown.
    pub fn shows_margins(&self) -> bool {
        self.shows(&EFFORT, "cost_rate")
    }
}

/// Whether the customer bought effort, so may see it: only when the
/// contract type says so. An unstated type is treated as a fixed price,
/// since showing effort cannot be taken back.
fn customer_buys_effort(e: &Engagement) -> bool {
    matches!(
        e.handoff.contract.kind,
        Some(ContractType::TimeAndMaterials | ContractType::CappedTm | ContractType::Retainer)
    )
}

/// A `section.key` path of `kind` as the (kind name, key) it names.
fn resolve(kind: &'static KindDecl, path: &'static str) -> (&'static str, &'static str) {
    match path.split_once('.') {
        Some((section, key)) => match kind.field(section).map(|f| f.ty) {
            Some(decl::FieldType::Record(sub)) => (sub.name, key),
            _ => (kind.name, path),
        },
        None => (kind.name, path),
    }
}

/// The hidden fields of every kind for this engagement and view.
fn hidden_fields(e: &Engagement, view: View) -> Vec<(&'static str, &'static str)> {
    let mut hidden = Vec::new();
    for kind in decl::ALL {
        for f in kind.fields {
            if !view.may_see(f.audience) {
                hidden.push((kind.name, f.key));
            }
        }
        if view.reader != Reader::Customer {
            continue;
        }
        for rule in kind.audience_rules {
            if let AudienceRule::EffortOffFixedPrice { fields } = rule
                && !customer_buys_effort(e)
            {
                hidden.extend(fields.iter().map(|path| resolve(kind, path)));
            }
        }
    }
    hidden
}

/// A value that shows nothing: what a cleared field holds.
fn is_blank(v: &Value<'_>) -> bool {
    match v {
        Value::Absent | Value::Bool(false) => true,
        Value::Num(x) => *x == 0.0,
        Value::Text(t) => t.is_empty(),
        Value::List(items) => items.is_empty(),
        Value::Record(fields) => fields.iter().all(|(_, v)| is_blank(v)),
        Value::Date(_) | Value::Bool(true) => false,
    }
}

/// Clears the hidden keys of `item`; false when one still shows, which
/// means a clearing arm below was forgotten.
fn redact<T: Declared>(item: &mut T, hidden: &[&str], clear: fn(&mut T, &str)) -> bool {
    for key in hidden {
        clear(item, key);
    }
    hidden.iter().all(|key| is_blank(&item.value(key)))
}

fn clear_effort(x: &mut Effort, key: &str) {
    match key {
        "sold" => x.sold = None,
        "day_rate" => x.day_rate = None,
        "cost_rate" => x.cost_rate = None,
        "target_margin" => x.target_margin = None,
        _ => {}
    }
}

fn clear_stakeholder(x: &mut Stakeholder, key: &str) {
    match key {
        "influence" => x.influence = None,
        "interest" => x.interest = None,
        "attitude" => x.attitude = None,
        "notes" => x.notes = None,
        "contact" => x.contact = None,
        "title" => x.title = None,
        _ => {}
    }
}

fn clear_promise(x: &mut Promise, key: &str) {
    match key {
        "commitment" => x.commitment = None,
        "response" => x.response = None,
        "sold_effort" => x.sold_effort = None,
        "asked" => x.asked = None,
        "promised" => x.promised = None,
        "promised_by" => x.promised_by = None,
        "promised_to" => x.promised_to = None,
        _ => {}
    }
}

fn clear_scope_item(x: &mut ScopeItem, key: &str) {
    match key {
        "effort" => x.effort = 0.0,
        "internal" => x.internal = false,
        "note" => x.note = None,
        "owner" => x.owner = None,
        _ => {}
    }
}

fn clear_gap(x: &mut Gap, key: &str) {
    match key {
        "summary" => x.summary = None,
        "customer_view" => x.customer_view = None,
        "effort_delta" => x.effort_delta = None,
        "cost_delta" => x.cost_delta = None,
        "workaround" => x.workaround = None,
        _ => {}
    }
}

/// Keys of `kind` hidden in `hidden`.
fn keys_of(kind: &KindDecl, hidden: &[(&'static str, &'static str)]) -> Vec<&'static str> {
    hidden
        .iter()
        .filter(|(k, _)| *k == kind.name)
        .map(|(_, f)| *f)
        .collect()
}

/// Whether `item` is hidden as a whole by an `InternalWhen` or a
/// `CustomerOnlyWith` rule of its kind, and why.
fn item_rule<T: Declared>(item: &T, view: View) -> Option<String> {
    if view.reader != Reader::Customer {
        return None;
    }
    T::DECL.audience_rules.iter().find_map(|rule| match rule {
        AudienceRule::InternalWhen { flag } => {
            (item.value(flag) == Value::Bool(true)).then(|| format!("it is `{flag}: true`"))
        }
        AudienceRule::CustomerOnlyWith { field } => is_blank(&item.value(field))
            .then(|| format!("no `{field}` (the wording agreed for the customer) is written")),
        AudienceRule::EffortOffFixedPrice { .. } => None,
    })
}

/// Filters a list of items: whole items by their kind's rules, then
/// fields; an item whose hidden field would still show is left out.
fn filter_items<T: Declared>(
    items: &mut Vec<T>,
    view: View,
    hidden: &[(&'static str, &'static str)],
    clear: fn(&mut T, &str),
    id: fn(&T) -> String,
    left_out: &mut Vec<LeftOut>,
) {
    let keys = keys_of(T::DECL, hidden);
    items.retain_mut(|item| {
        if let Some(why) = item_rule(item, view) {
            // Internal work is not news to the author; a gap left out is.
            if T::DECL
                .audience_rules
                .iter()
                .any(|r| matches!(r, AudienceRule::CustomerOnlyWith { .. }))
            {
                left_out.push(LeftOut {
                    what: T::DECL.what,
                    id: id(item),
                    why,
                });
            }
            return false;
        }
        redact(item, &keys, clear)
    });
}

/// The engagement as `view` may see it. `cost_rate` is the rate given
/// outside the files (`--cost-rate`); it follows `effort.cost_rate`.
pub fn filter(e: &Engagement, view: View, cost_rate: Option<f64>) -> Shown {
    let hidden = hidden_fields(e, view);
    let mut shown = e.clone();
    let mut left_out = Vec::new();
    let effort_keys = keys_of(&EFFORT, &hidden);
    if !redact(&mut shown.handoff.effort, &effort_keys, clear_effort) {
        shown.handoff.effort = Effort::default();
    }
    filter_items(
        &mut shown.stakeholders,
        view,
        &hidden,
        clear_stakeholder,
        |s| s.key.value.clone(),
        &mut left_out,
    );
    filter_items(
        &mut shown.promises,
        view,
        &hidden,
        clear_promise,
        |p| p.id.value.clone(),
        &mut left_out,
    );
    filter_items(
        &mut shown.scope,
        view,
        &hidden,
        clear_scope_item,
        |s| s.id.value.clone(),
        &mut left_out,
    );
    filter_items(
        &mut shown.gaps,
        view,
        &hidden,
        clear_gap,
        |g| g.id.value.clone(),
        &mut left_out,
    );
    // The other kinds hold no field that is not for the customer: the
    // test below fails when one is declared without being cleared here.
    let cost_rate = if hidden.contains(&(EFFORT.name, "cost_rate")) {
        None
    } else {
        cost_rate
    };
    Shown {
        view,
        engagement: shown,
        cost_rate,
        left_out,
        hidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUSTOMER: View = View {
        reader: Reader::Customer,
        include_private: false,
    };

    #[test]
    fn every_clearing_arm_exists_for_the_kinds_with_hidden_fields() {
        // Kinds this module clears; a hidden field elsewhere fails closed.
        let cleared = [
            EFFORT.name,
            decl::STAKEHOLDER.name,
            decl::PROMISE.name,
            SCOPE_ITEM.name,
            decl::GAP.name,
        ];
        let everything = View {
            reader: Reader::Customer,
            include_private: false,
        };
        for kind in decl::ALL {
            for f in kind.fields {
                if !everything.may_see(f.audience) {
                    assert!(
                        cleared.contains(&kind.name),
                        "{}.{} is hidden but never cleared",
                        kind.name,
                        f.key
                    );
                }
            }
        }
    }

    #[test]
    fn private_needs_the_flag_in_every_audience() {
        for reader in [Reader::Customer, Reader::Internal] {
            let view = View {
                reader,
                include_private: false,
            };
            assert!(!view.may_see(Audience::Private));
        }
        assert!(!CUSTOMER.may_see(Audience::Internal));
    }
}
