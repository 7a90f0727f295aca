//! One reader per kind of item: how each value is checked. Which keys a
//! kind accepts comes from its declaration ([`crate::model::decl`]).

use std::collections::BTreeMap;

use super::fields::{Fields, Reader};
use super::present_paths;
use crate::model::decl::{self, KindDecl};
use crate::model::*;
use crate::yaml::Node;

/// Position of the item: its `id:` key when written, else the mapping.
fn item_loc(r: &Reader<'_>, f: &Fields<'_>, id_key: &str) -> Loc {
    r.loc(f.key_pos(id_key).unwrap_or(f.pos))
}

/// Reads each mapping of a list field with `read`.
fn each<'n, T>(
    r: &mut Reader<'_>,
    f: &Fields<'n>,
    key: &str,
    decl: &KindDecl,
    mut read: impl FnMut(&mut Reader<'_>, &Fields<'n>) -> Option<T>,
) -> Vec<T> {
    let nodes = r.list(f, key);
    nodes
        .into_iter()
        .filter_map(|node| {
            let fields = r.record(node, decl)?;
            read(r, &fields)
        })
        .collect()
}

fn sub<'n>(r: &mut Reader<'_>, f: &Fields<'n>, key: &str, decl: &KindDecl) -> Option<Fields<'n>> {
    let node = f.get(key)?;
    r.record(node, decl)
}

pub(super) fn handoff(r: &mut Reader<'_>, node: &Node) -> Option<Handoff> {
    let f = r.record(node, &decl::HANDOFF)?;
    let id = r.required_text(&f, "id", decl::HANDOFF.what);
    let customer_name = sub(r, &f, "customer", &decl::CUSTOMER).and_then(|c| r.text(&c, "name"));

    let contract = match sub(r, &f, "contract", &decl::CONTRACT) {
        Some(c) => Contract {
            kind: r.vocab(&c, "type"),
            currency: r.text(&c, "currency"),
            services_value: r.amount(&c, "services_value"),
            total_value: r.amount(&c, "total_value"),
            payment_terms: r.text(&c, "payment_terms"),
            signed_on: r.date(&c, "signed_on").map(|d| d.value),
            documents: each(r, &c, "documents", &decl::DOCUMENT, |r, d| {
                // Both read before `?`, so a document missing both says so.
                let kind = r.required_text(d, "kind", decl::DOCUMENT.what);
                let reference = r.required_text(d, "ref", decl::DOCUMENT.what);
                Some(Document {
                    kind: kind?.value,
                    reference: reference?.value,
                })
            }),
        },
        None => Contract::default(),
    };

    let dates = match sub(r, &f, "dates", &decl::DATES) {
        Some(d) => Dates {
            kickoff: r.date(&d, "kickoff").map(|d| d.value),
            go_live: r.date(&d, "go_live").map(|d| d.value),
            hard_deadlines: each(r, &d, "hard_deadlines", &decl::DEADLINE, |r, h| {
                let date = r.date(h, "date");
                let why = r.text(h, "why");
                if date.is_none() && h.get("date").is_none() {
                    r.error(h.pos, "hard deadline has no `date`".into(), None);
                }
                let date = date?;
                Some(Deadline {
                    date: date.value,
                    why,
                    loc: date.loc,
                })
            }),
            milestones: each(r, &d, "milestones", &decl::MILESTONE, |r, m| {
                let name = r.required_text(m, "name", decl::MILESTONE.what);
                let date = r.date(m, "date").map(|d| d.value);
                Some(Milestone {
                    name: name?.value,
                    date,
                })
            }),
        },
        None => Dates::default(),
    };

    let effort = match sub(r, &f, "effort", &decl::EFFORT) {
        Some(e) => Effort {
            unit: r.vocab(&e, "unit"),
            sold: r.amount(&e, "sold"),
            day_rate: r.amount(&e, "day_rate"),
            cost_rate: r.amount(&e, "cost_rate"),
            target_margin: r.fraction(&e, "target_margin"),
        },
        None => Effort::default(),
    };

    let success_criteria = each(r, &f, "success_criteria", &decl::CRITERION, |r, c| {
        let id = r.text(c, "id");
        let text = r.required_text(c, "text", decl::CRITERION.what);
        let measure = r.text(c, "measure");
        let validated = r.boolean(c, "validated_by_customer").unwrap_or(false);
        Some(SuccessCriterion {
            id,
            text: text?.value,
            measure,
            validated_by_customer: validated,
        })
    });
    let risks = each(r, &f, "risks", &decl::RISK, |r, k| {
        let id = r.text(k, "id");
        let text = r.required_text(k, "text", decl::RISK.what);
        Some(Risk {
            id,
            likelihood: r.vocab(k, "likelihood"),
            impact: r.vocab(k, "impact"),
            owner: r.text(k, "owner"),
            text: text?.value,
        })
    });
    let communication = match sub(r, &f, "communication", &decl::COMMUNICATION) {
        Some(c) => Communication {
            channels: r.text_list(&c, "channels"),
            first_line_contact: r.text(&c, "first_line_contact"),
        },
        None => Communication::default(),
    };

    let mut present = BTreeMap::new();
    present_paths(node, &r.file, "", &mut present);
    Some(Handoff {
        file: r.file.clone(),
        name: r.text(&f, "name"),
        customer_name,
        contract,
        dates,
        effort,
        background: r.text(&f, "background"),
        why_bought: r.text_list(&f, "why_bought"),
        success_criteria,
        exclusions: r.text_list(&f, "exclusions"),
        assumptions: r.text_list(&f, "assumptions"),
        dependencies: r.text_list(&f, "dependencies"),
        constraints: r.text_list(&f, "constraints"),
        interfaces: r.text_list(&f, "interfaces"),
        risks,
        open_questions: r.text_list(&f, "open_questions"),
        communication,
        present,
        id: id?,
    })
}

pub(super) fn stakeholder(r: &mut Reader<'_>, node: &Node) -> Option<Stakeholder> {
    let f = r.record(node, &decl::STAKEHOLDER)?;
    let key = r.required_text(&f, "key", decl::STAKEHOLDER.what);
    Some(Stakeholder {
        loc: item_loc(r, &f, "key"),
        written: r.written.take(),
        name: r.text(&f, "name"),
        org: r.vocab(&f, "org"),
        title: r.text(&f, "title"),
        roles: r.vocab_list(&f, "roles"),
        influence: r.vocab(&f, "influence"),
        interest: r.vocab(&f, "interest"),
        attitude: r.vocab(&f, "attitude"),
        contact: r.text(&f, "contact"),
        notes: r.text(&f, "notes"),
        key: key?,
    })
}

pub(super) fn promise(r: &mut Reader<'_>, node: &Node) -> Option<Promise> {
    let f = r.record(node, &decl::PROMISE)?;
    let id = r.required_text(&f, "id", decl::PROMISE.what);
    let title = r.required_text(&f, "title", decl::PROMISE.what);
    let source = sub(r, &f, "source", &decl::SOURCE).map(|s| PromiseSource {
        kind: r.vocab(&s, "kind"),
        reference: r.text(&s, "ref"),
    });
    Some(Promise {
        loc: item_loc(r, &f, "id"),
        written: r.written.take(),
        kind: r.vocab(&f, "type"),
        asked: r.text(&f, "asked"),
        promised: r.text(&f, "promised"),
        response: r.vocab(&f, "response"),
        priority: r.vocab(&f, "priority"),
        commitment: r.vocab(&f, "commitment"),
        source,
        promised_by: r.text(&f, "promised_by"),
        promised_to: r.text(&f, "promised_to"),
        date: r.date(&f, "date").map(|d| d.value),
        due: r.date(&f, "due"),
        acceptance: r.text_list(&f, "acceptance"),
        sold_effort: r.amount(&f, "sold_effort"),
        status: r.vocab(&f, "status").unwrap_or(PromiseStatus::Active),
        tags: r.text_list(&f, "tags"),
        id: id?,
        title: title?.value,
    })
}

pub(super) fn scope_item(r: &mut Reader<'_>, node: &Node) -> Option<ScopeItem> {
    let f = r.record(node, &decl::SCOPE_ITEM)?;
    let id = r.required_text(&f, "id", decl::SCOPE_ITEM.what);
    let effort = if f.get("effort").is_none() {
        r.error(
            f.pos,
            "scope item has no `effort`".into(),
            Some("write the effort delivery plans for it, e.g. `effort: 5`; use 0 for none".into()),
        );
        None
    } else {
        r.amount(&f, "effort")
    };
    Some(ScopeItem {
        loc: item_loc(r, &f, "id"),
        written: r.written.take(),
        title: r.text(&f, "title"),
        covers: distinct(r.sp_text_list(&f, "covers")),
        coverage: r.vocab(&f, "coverage").unwrap_or(CoverageLevel::Full),
        approach: r.vocab(&f, "approach"),
        due: r.date(&f, "due"),
        owner: r.text(&f, "owner"),
        phase: r.text(&f, "phase"),
        acceptance: r.text_list(&f, "acceptance"),
        internal: r.boolean(&f, "internal").unwrap_or(false),
        status: r.vocab(&f, "status").unwrap_or(ScopeStatus::Planned),
        note: r.text(&f, "note"),
        id: id?,
        effort: effort?,
    })
}

pub(super) fn gap(r: &mut Reader<'_>, node: &Node) -> Option<Gap> {
    let f = r.record(node, &decl::GAP)?;
    let id = r.required_text(&f, "id", decl::GAP.what);
    Some(Gap {
        loc: item_loc(r, &f, "id"),
        written: r.written.take(),
        promise: r.sp_text(&f, "promise"),
        scope: r.sp_text(&f, "scope"),
        kind: r.vocab(&f, "kind"),
        summary: r.text(&f, "summary"),
        customer_summary: r.text(&f, "customer_summary"),
        criticality: r.vocab(&f, "criticality"),
        customer_view: r.vocab(&f, "customer_view"),
        resolution: r.vocab(&f, "resolution"),
        status: r.vocab(&f, "status").unwrap_or(GapStatus::Open),
        owner: r.text(&f, "owner"),
        due: r.date(&f, "due"),
        effort_delta: r.number(&f, "effort_delta"),
        price_delta: r.number(&f, "price_delta"),
        cost_delta: r.number(&f, "cost_delta"),
        agreed_with: r.text(&f, "agreed_with"),
        agreed_on: r.date(&f, "agreed_on").map(|d| d.value),
        workaround: r.text(&f, "workaround"),
        change_request: r.text(&f, "change_request"),
        id: id?,
    })
}

pub(super) fn signoff(r: &mut Reader<'_>, node: &Node) -> Option<SignOff> {
    let f = r.record(node, &decl::SIGNOFF)?;
    // Which roles exist is configurable (`[signoffs] roles`): the role is
    // checked against the engagement's config once that is known.
    let role = r.required_text(&f, "role", decl::SIGNOFF.what);
    if let Some(role) = &role {
        r.signoff_roles.push(role.clone());
    }
    let by = r.required_text(&f, "by", decl::SIGNOFF.what);
    let decision = required(r, &f, "decision", |r, f| r.vocab::<Decision>(f, "decision"));
    let date = required(r, &f, "date", |r, f| r.date(f, "date"));
    let fingerprint = r
        .required_text(&f, "fingerprint", decl::SIGNOFF.what)
        .and_then(|fp| well_formed_fingerprint(r, fp));
    let fingerprints = match sub(r, &f, "fingerprints", &decl::SIGNOFF_FINGERPRINTS) {
        Some(kinds) => crate::fingerprint::KINDS
            .iter()
            .filter_map(|kind| {
                let fp = r.sp_text(&kinds, kind)?;
                let fp = well_formed_fingerprint(r, fp)?;
                Some(((*kind).to_string(), fp.value))
            })
            .collect(),
        None => BTreeMap::new(),
    };
    let evidence = sub(r, &f, "evidence", &decl::SIGNOFF_EVIDENCE).and_then(|ev| {
        let path = r.required_text(&ev, "path", decl::SIGNOFF_EVIDENCE.what);
        let sha256 = r
            .required_text(&ev, "sha256", decl::SIGNOFF_EVIDENCE.what)
            .and_then(|fp| well_formed_fingerprint(r, fp));
        let path = path?;
        // Read relative to the engagement folder, never from elsewhere.
        if path.starts_with('/') || path.starts_with('\\') || path.contains(':') {
            r.error(
                path.loc.pos,
                format!("evidence path `{}` is not relative to the engagement folder", path.value),
                Some("write it relative to the folder, e.g. `evidence/acceptance.eml`; `handoff sign --evidence` does".to_string()),
            );
            return None;
        }
        Some(Evidence {
            path,
            sha256: sha256?.value,
            now: None,
        })
    });
    Some(SignOff {
        evidence,
        loc: item_loc(r, &f, "role"),
        commit: r.text(&f, "commit"),
        conditions: r.sp_text_list(&f, "conditions"),
        statement: r.text(&f, "statement"),
        fingerprints,
        role: role?,
        by: by?,
        decision: decision?,
        date: date?.value,
        fingerprint: fingerprint?,
    })
}

pub(super) fn waiver(r: &mut Reader<'_>, node: &Node) -> Option<Waiver> {
    let f = r.record(node, &decl::WAIVER)?;
    let what = decl::WAIVER.what;
    let finding = r.required_text(&f, "finding", what);
    let reason = r.required_text(&f, "reason", what);
    let by = r.required_text(&f, "by", what);
    let until = if f.get("until").is_none() {
        r.error(
            f.pos,
            "waiver has no `until`".to_string(),
            Some(
                "every waiver needs an end date, `until: YYYY-MM-DD`: nothing is accepted for ever"
                    .to_string(),
            ),
        );
        None
    } else {
        r.date(&f, "until")
    };
    Some(Waiver {
        loc: item_loc(r, &f, "finding"),
        date: r.date(&f, "date").map(|d| d.value),
        finding: finding?,
        reason: reason?,
        by: by?,
        until: until?,
    })
}

/// A required field read with `get`, reporting it when absent.
fn required<'n, T>(
    r: &mut Reader<'_>,
    f: &Fields<'n>,
    key: &str,
    get: impl FnOnce(&mut Reader<'_>, &Fields<'n>) -> Option<T>,
) -> Option<T> {
    if f.get(key).is_none() {
        r.error(
            f.pos,
            format!("sign-off has no `{key}`"),
            Some(format!(
                "every sign-off needs `{key}:`; `handoff sign` writes complete entries"
            )),
        );
        return None;
    }
    get(r, f)
}

fn well_formed_fingerprint(r: &mut Reader<'_>, fp: Sp<String>) -> Option<Sp<String>> {
    if crate::fingerprint::is_well_formed(&fp) {
        return Some(fp);
    }
    r.diags.push(crate::diag::Diagnostic {
        loc: Some(fp.loc.clone()),
        message: format!("`{}` is not a fingerprint", fp.value),
        help: Some(
            "a fingerprint is `sha256:` followed by 64 lower-case hex digits; `handoff sign` writes it"
                .into(),
        ),
    });
    None
}

/// Field paths of handoff.yaml, for validating `[required] fields`: every
/// key, and each section's keys by path (`contract.currency`).
pub fn handoff_field_paths() -> Vec<String> {
    let mut paths: Vec<String> = decl::HANDOFF
        .keys()
        .into_iter()
        .map(str::to_string)
        .collect();
    for (parent, section) in decl::HANDOFF.sections() {
        paths.extend(section.fields.iter().map(|f| format!("{parent}.{}", f.key)));
    }
    paths
}

/// The first of each id: `covers: [K-1, K-1]` covers K-1 once, so nothing
/// downstream has to remove repeats.
fn distinct(ids: Vec<Sp<String>>) -> Vec<Sp<String>> {
    let mut seen = IdSet::default();
    ids.into_iter()
        .filter(|id| seen.insert(id.value.clone()))
        .collect()
}
