//! People: the roles a project needs are filled, and the influential are
//! on board.

use super::{Ctx, finding};
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{Attitude, Level, Loc, Org, Vocab};

pub(super) fn missing_role(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for role in &ctx.config.required_roles {
        if e.stakeholders.iter().any(|s| s.roles.contains(role)) {
            continue;
        }
        out.push(finding(
            RuleCode::MissingRole,
            Severity::Error,
            role.as_str(),
            &Loc::file_start(&e.stakeholders_file),
            {
                let words = role.words().to_lowercase();
                if words.replace(' ', "_") == role.as_str() {
                    format!("nobody in stakeholders.yaml holds the role {words}")
                } else {
                    format!("nobody in stakeholders.yaml holds the role {words} ({role})")
                }
            },
            &format!("add `{role}` to the roles of the person who holds it in stakeholders.yaml"),
        ));
    }
}

pub(super) fn resistant_stakeholder(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for s in &ctx.engagement().stakeholders {
        let attitude = match s.attitude {
            Some(a @ (Attitude::Resistant | Attitude::Unaware)) => a,
            _ => continue,
        };
        if s.influence == Some(Level::High) {
            out.push(finding(
                RuleCode::ResistantStakeholder,
                Severity::Info,
                &s.key,
                &s.loc,
                format!("{} has high influence and is {attitude}", s.display_name()),
                "plan how the project will win this person over; the PM should meet them early",
            ));
        }
    }
}

/// A field that names a person, where it is written.
struct PersonField<'e> {
    /// The item it belongs to, as findings name it (`G-03`, `R-1`).
    item: String,
    /// The field as the user wrote it (`agreed_with`).
    field: &'static str,
    key: &'e str,
    loc: Loc,
}

/// Every field that must hold a stakeholder key, in file order. A sign-off's
/// `by` is not among them: `unknown-reference` reports it.
fn person_fields<'e>(ctx: &Ctx<'_, 'e>) -> Vec<PersonField<'e>> {
    let e = ctx.engagement();
    let h = &e.handoff;
    let mut out = Vec::new();
    let mut push = |item: &str, field, key: &'e Option<String>, loc: &Loc| {
        if let Some(key) = key.as_deref().filter(|k| !k.trim().is_empty()) {
            out.push(PersonField {
                item: item.to_string(),
                field,
                key,
                loc: loc.clone(),
            });
        }
    };
    let at = |path: &str| {
        h.present
            .get(path)
            .cloned()
            .unwrap_or_else(|| Loc::file_start(&h.file))
    };
    for (i, r) in h.risks.iter().enumerate() {
        let item = r.id.clone().unwrap_or_else(|| format!("risks[{i}]"));
        push(&item, "owner", &r.owner, &at("risks"));
    }
    push(
        "communication",
        "first_line_contact",
        &h.communication.first_line_contact,
        &at("communication.first_line_contact"),
    );
    for p in &e.promises {
        push(&p.id, "promised_by", &p.promised_by, &p.loc);
        push(&p.id, "promised_to", &p.promised_to, &p.loc);
    }
    for s in &e.scope {
        push(&s.id, "owner", &s.owner, &s.loc);
    }
    for g in &e.gaps {
        push(&g.id, "owner", &g.owner, &g.loc);
        push(&g.id, "agreed_with", &g.agreed_with, &g.loc);
    }
    out
}

/// "did you mean jvos?": a key differing in case or close in spelling, or
/// the key of someone whose name was written instead.
fn did_you_mean(ctx: &Ctx<'_, '_>, written: &str) -> Option<String> {
    let e = ctx.engagement();
    let keys: Vec<&str> = e.stakeholders.iter().map(|k| k.key.as_str()).collect();
    if let Some(hint) = crate::load::hints::unknown_reference(written, keys.iter().copied(), None) {
        return Some(hint);
    }
    let by_name = e.stakeholders.iter().find(|k| {
        k.name
            .as_deref()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(written.trim()))
    });
    by_name
        .map(|k| k.key.as_str())
        .or_else(|| crate::diag::suggest(written, &keys))
        .map(|key| format!("did you mean {key}?"))
}

pub(super) fn unknown_person(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for f in person_fields(ctx) {
        if ctx.analysis.index.stakeholders.contains_key(f.key) {
            continue;
        }
        // Who agreed for the customer must be someone we can check; an
        // owner or a promise's author is a matter of record.
        let severity = if f.field == "agreed_with" {
            Severity::Error
        } else {
            Severity::Warning
        };
        let hint = did_you_mean(ctx, f.key).map_or(String::new(), |h| format!("{h} "));
        out.push(finding(
            RuleCode::UnknownPerson,
            severity,
            &f.item,
            &f.loc,
            format!(
                "{} names {} as `{}`, who is not in {}",
                f.item, f.key, f.field, e.stakeholders_file
            ),
            &format!(
                "{hint}write the stakeholder's key, or add the person to {}",
                e.stakeholders_file
            ),
        ));
    }
}

pub(super) fn agreement_not_customer(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for g in &ctx.engagement().gaps {
        if !index.agreement_not_customer(g) {
            continue;
        }
        let key = g.agreed_with.as_deref().unwrap_or_default();
        let who = index
            .stakeholders
            .get(key)
            .map_or(key, |k| k.display_name());
        let side = match index.org_of(key).flatten() {
            Some(Org::Supplier) => "works for us".to_string(),
            Some(org) => format!("is on the {org} side"),
            None => "has no `org` in stakeholders.yaml".to_string(),
        };
        out.push(finding(
            RuleCode::AgreementNotCustomer,
            Severity::Error,
            &g.id,
            &g.loc,
            format!(
                "gap {} is marked agreed with {who} ({key}), who {side}: only the customer can agree, so the gap counts as not agreed",
                g.id.value
            ),
            "set `agreed_with` to the customer's stakeholder who agreed (their `org: customer`), or set the gap back to `decided` until they do",
        ));
    }
}
