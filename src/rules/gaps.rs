//! The gap register: every gap decided, agreed with the customer, on time,
//! and still about something missing.

use super::{Ctx, finding};
use crate::analysis::Coverage;
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{Criticality, GapKind, GapStatus, IdMap};

pub(super) fn open_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        if g.status != GapStatus::Open {
            continue;
        }
        let severity = match g.criticality() {
            Criticality::Blocker | Criticality::Critical => Severity::Error,
            Criticality::Major => Severity::Warning,
            Criticality::Minor => Severity::Info,
        };
        let about = g
            .summary
            .as_deref()
            .map_or(String::new(), |s| format!(": {s}"));
        out.push(finding(
            RuleCode::OpenGap,
            severity,
            &g.id,
            &g.loc,
            format!(
                "{} gap {} is still open (nobody has decided what to do){about}",
                g.criticality(),
                g.id.value
            ),
            "decide a resolution and an owner, then set `status: decided` (or `agreed` once the customer accepts)",
        ));
    }
}

pub(super) fn undecided_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        if g.status == GapStatus::Open {
            continue;
        }
        let mut missing = Vec::new();
        if g.resolution.is_none() {
            missing.push("resolution");
        }
        if g.owner.is_none() {
            missing.push("owner");
        }
        if g.status == GapStatus::Agreed && g.agreed_with.is_none() {
            missing.push("`agreed_with` (who at the customer agreed)");
        }
        if missing.is_empty() {
            continue;
        }
        out.push(finding(
            RuleCode::UndecidedGap,
            Severity::Error,
            &g.id,
            &g.loc,
            format!(
                "gap {} is marked {} but has no {}",
                g.id.value,
                g.status,
                missing.join(" and no ")
            ),
            "a decision needs a resolution and an owner; an agreement needs the name of who agreed",
        ));
    }
}

pub(super) fn customer_not_told(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for g in &ctx.engagement().gaps {
        // An agreement with someone not on the customer's side is no
        // agreement (`agreement-not-customer`).
        let pending = g.status == GapStatus::Decided
            || (g.status == GapStatus::Agreed && !index.customer_agreed(g));
        if pending && g.criticality().is_major_or_worse() {
            let marked = if g.status == GapStatus::Decided {
                "decided internally".to_string()
            } else {
                format!(
                    "marked agreed with {}, who cannot agree for the customer",
                    g.agreed_with.as_deref().unwrap_or_default()
                )
            };
            out.push(finding(
                RuleCode::CustomerNotTold,
                Severity::Warning,
                &g.id,
                &g.loc,
                format!(
                    "{} gap {} is {marked}, but the customer has not agreed to what they will get",
                    g.criticality(),
                    g.id.value
                ),
                "tell the customer, then set `status: agreed` with `agreed_with` and `agreed_on`",
            ));
        }
    }
}

pub(super) fn overdue_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        let pending = matches!(g.status, GapStatus::Open | GapStatus::Decided);
        if let Some(due) = &g.due
            && pending
            && due.value < ctx.today
        {
            out.push(finding(
                RuleCode::OverdueGap,
                Severity::Warning,
                &g.id,
                &due.loc,
                format!(
                    "gap {} was due on {} and is still {}",
                    g.id.value, due.value, g.status
                ),
                "settle it, or agree a new due date with its owner",
            ));
        }
    }
}

pub(super) fn stale_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    // Many gaps may name one promise: its coverage and the words naming
    // its covering items are worked out once, not once per gap (which
    // would be quadratic when thousands of items cover it).
    let mut covered_by: IdMap<&str, Option<String>> = IdMap::default();
    for g in &ctx.engagement().gaps {
        let about_missing_scope = matches!(g.kind, Some(GapKind::Unscoped | GapKind::Partial));
        if g.status != GapStatus::Open || !about_missing_scope {
            continue;
        }
        let Some(pid) = &g.promise else { continue };
        let Some(p) = index.promises.get(pid.as_str()) else {
            continue;
        };
        let items = covered_by.entry(pid.as_str()).or_insert_with(|| {
            (index.coverage(p) == Coverage::Covered).then(|| {
                let items = index.covering(pid);
                super::ids_words(items.iter().map(|s| s.id.as_str()), items.len())
            })
        });
        if let Some(items) = items {
            out.push(finding(
                RuleCode::StaleGap,
                Severity::Warning,
                &g.id,
                &g.loc,
                format!(
                    "gap {} says promise {} is {}, but it is now fully covered by {}",
                    g.id.value,
                    pid.value,
                    if g.kind == Some(GapKind::Partial) {
                        "partly scoped"
                    } else {
                        "not scoped"
                    },
                    items
                ),
                "close the gap, or correct the scope if the cover is wrong",
            ));
        }
    }
}
