//! The records hold together: ids are unique, references resolve, and
//! handoff.yaml says what delivery needs.

use super::{Ctx, finding};
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{IdMap, Loc, Sp};

pub(super) fn duplicate_id(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    // `label` names the id in messages; `register` tells apart a promise
    // and a gap that both repeat "X-1", in the fingerprint.
    let mut report = |label: &str, register: &str, ids: &mut dyn Iterator<Item = (&str, &Loc)>| {
        let mut seen: IdMap<&str, (&Loc, usize)> = IdMap::default();
        for (id, loc) in ids {
            if let Some((first, count)) = seen.get_mut(id) {
                *count += 1;
                out.push(
                    finding(
                        RuleCode::DuplicateId,
                        Severity::Error,
                        id,
                        loc,
                        format!(
                            "{label} {id} is used more than once (first at {})",
                            e.relative(first)
                        ),
                        "give each one its own id; references to a shared id are ambiguous",
                    )
                    .with_detail(format!("{register}#{count}")),
                );
            } else {
                seen.insert(id, (loc, 1));
            }
        }
    };
    report(
        "promise id",
        "promise",
        &mut e.promises.iter().map(|p| (p.id.as_str(), &p.id.loc)),
    );
    report(
        "scope item id",
        "scope",
        &mut e.scope.iter().map(|s| (s.id.as_str(), &s.id.loc)),
    );
    report(
        "gap id",
        "gap",
        &mut e.gaps.iter().map(|g| (g.id.as_str(), &g.id.loc)),
    );
    report(
        "stakeholder key",
        "stakeholder",
        &mut e.stakeholders.iter().map(|s| (s.key.as_str(), &s.key.loc)),
    );
}

pub(super) fn unknown_reference(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let index = &ctx.analysis.index;
    // `holder` ("scope item S-1 covers") names who points; `kind` what at.
    let mut missing = |item: &str, holder: String, kind: &str, target: &Sp<String>| {
        out.push(
            finding(
                RuleCode::UnknownReference,
                Severity::Error,
                item,
                &target.loc,
                format!("{holder} {kind} {}, which does not exist", target.value),
                &reference_help(&holder, kind, target, index),
            )
            .with_detail(format!(
                "{}:{}",
                kind.split(' ').next().unwrap_or(kind),
                target.value
            )),
        );
    };
    for s in &e.scope {
        for target in s
            .covers
            .iter()
            .filter(|t| !index.promises.contains_key(t.as_str()))
        {
            missing(
                &s.id,
                format!("scope item {} covers", s.id.value),
                "promise",
                target,
            );
        }
    }
    for g in &e.gaps {
        if let Some(p) = g
            .promise
            .as_ref()
            .filter(|p| !index.promises.contains_key(p.as_str()))
        {
            missing(&g.id, format!("gap {} is about", g.id.value), "promise", p);
        }
        if let Some(s) = g
            .scope
            .as_ref()
            .filter(|s| !index.scope.contains_key(s.as_str()))
        {
            missing(
                &g.id,
                format!("gap {} is about", g.id.value),
                "scope item",
                s,
            );
        }
    }
    super::signoffs::unknown_signer(ctx, out);
}

/// "did you mean P-09?" when the id differs from one that exists only in
/// case or separators, else the general advice.
fn reference_help(
    holder: &str,
    kind: &str,
    target: &Sp<String>,
    index: &crate::analysis::Index<'_>,
) -> String {
    let known: Vec<&str> = match kind {
        "promise" => index.promises.keys().copied().collect(),
        _ => index.scope.keys().copied().collect(),
    };
    // Only `covers` is a list; a gap is about one promise.
    let list = holder.ends_with(" covers").then_some("covers");
    crate::load::hints::unknown_reference(&target.value, known, list)
        .unwrap_or_else(|| format!("check the {kind} id for a typo, or add the {kind}"))
}

pub(super) fn missing_field(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let h = &ctx.engagement().handoff;
    for field in &ctx.config.required_fields {
        if h.present.contains_key(field) {
            continue;
        }
        // Point at the parent section when it exists: that is where to add it.
        let loc = field
            .rsplit_once('.')
            .and_then(|(parent, _)| h.present.get(parent).cloned())
            .unwrap_or_else(|| Loc::file_start(&h.file));
        out.push(finding(
            RuleCode::MissingField,
            Severity::Error,
            field,
            &loc,
            format!("handoff.yaml does not say `{field}`, which delivery needs before kickoff"),
            "fill it in handoff.yaml (see docs/format.md)",
        ));
    }
}

/// The values `handoff init` writes as placeholders in handoff.yaml, by
/// field path. A test keeps them in step with the starter file.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("id", "CUSTOMER-2026-PROJECT"),
    ("name", "Customer - project name"),
    ("customer.name", "Customer Ltd."),
];

/// A required field that still holds the starter placeholder is not filled
/// in, whatever `missing-field` sees.
pub(super) fn placeholder_value(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let h = &ctx.engagement().handoff;
    for &(field, placeholder) in PLACEHOLDERS {
        // `id` is always required: the loader refuses a file without it.
        let required = field == "id" || ctx.config.required_fields.iter().any(|f| f == field);
        let value = match field {
            "id" => Some(h.id.as_str()),
            "name" => h.name.as_deref(),
            "customer.name" => h.customer_name.as_deref(),
            _ => None,
        };
        if !required || value.map(str::trim) != Some(placeholder) {
            continue;
        }
        out.push(finding(
            RuleCode::PlaceholderValue,
            Severity::Error,
            field,
            &h.loc_of(field),
            format!("`{field}` still holds the starter placeholder \"{placeholder}\": it is not filled in"),
            "write the real value in handoff.yaml",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::PLACEHOLDERS;

    #[test]
    fn placeholders_are_the_ones_the_starter_file_writes() {
        let starter = include_str!("../commands/starter/handoff.yaml");
        for (field, placeholder) in PLACEHOLDERS {
            let key = field.rsplit('.').next().unwrap_or(field);
            assert!(
                starter.contains(&format!("{key}: {placeholder}")),
                "the starter handoff.yaml no longer writes `{key}: {placeholder}`"
            );
        }
    }
}
