//! Every promise is scoped or recorded in a gap, every scope item was
//! sold, and promises say how they will be accepted.

use super::{Ctx, active, finding};
use crate::analysis::Coverage;
use crate::finding::{Finding, RuleCode, Severity};
use crate::format::number;
use crate::model::{Commitment, Priority, Promise, Response};

fn by_priority(p: &Promise) -> Severity {
    match p.priority() {
        Priority::Must => Severity::Error,
        Priority::Should => Severity::Warning,
        Priority::Could | Priority::Wont => Severity::Info,
    }
}

pub(super) fn unscoped_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage == Coverage::Unscoped && index.gaps_for_promise(&p.id).is_empty() {
            out.push(finding(
                RuleCode::UnscopedPromise,
                by_priority(p),
                &p.id,
                &p.loc,
                format!("{} promise {} \"{}\" is not in the scope and no gap records it", p.priority().words(), p.id.value, p.title),
                &format!("add a scope item whose `covers` lists {}, or record a gap with what was decided", p.id.value),
            ));
        }
    }
}

pub(super) fn partial_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage == Coverage::Partial && index.gaps_for_promise(&p.id).is_empty() {
            let items = index.covering(&p.id);
            let items = super::ids_words(items.iter().map(|s| s.id.as_str()), items.len());
            out.push(finding(
                RuleCode::PartialPromise,
                by_priority(p),
                &p.id,
                &p.loc,
                format!(
                    "{} promise {} \"{}\" is only partly scoped ({}) and no gap records it",
                    p.priority().words(),
                    p.id.value,
                    p.title,
                    items
                ),
                &format!(
                    "record a gap for {} saying what the customer will not get, or scope it fully",
                    p.id.value
                ),
            ));
        }
    }
}

pub(super) fn unsold_scope(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for s in ctx.analysis.unsold_scope() {
        if index.gaps_for_scope(&s.id).is_empty() {
            let title = s
                .title
                .as_deref()
                .map_or(String::new(), |t| format!(" \"{t}\""));
            out.push(finding(
                RuleCode::UnsoldScope,
                Severity::Warning,
                &s.id,
                &s.loc,
                format!("scope item {}{} covers no promise: nobody sold it ({} {} of effort)", s.id.value, title, number(s.effort), ctx.engagement().handoff.effort.unit_name()),
                "list the promises it covers, mark it `internal: true` if it is delivery overhead, or record a gap of kind unsold",
            ));
        }
    }
}

pub(super) fn undocumented_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for p in ctx.engagement().promises.iter().filter(|p| active(p)) {
        let what = match p.commitment {
            Some(Commitment::Verbal) => "was made verbally",
            Some(Commitment::SideDeal) => "is a side deal",
            _ => continue,
        };
        // A gap the customer agreed is the written record of the deal: the
        // promise keeps its history as a side deal and needs no relabelling.
        if index
            .gaps_for_promise(&p.id)
            .iter()
            .any(|g| index.customer_agreed(g))
        {
            continue;
        }
        out.push(finding(
            RuleCode::UndocumentedPromise,
            Severity::Warning,
            &p.id,
            &p.loc,
            format!(
                "promise {} \"{}\" {what} and is in no contract document",
                p.id.value, p.title
            ),
            "confirm it in a contract document, or record it in a gap the customer agreed (status `agreed` or `closed`): either clears this",
        ));
    }
}

pub(super) fn roadmap_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for p in ctx.engagement().promises.iter().filter(|p| active(p)) {
        if p.response == Some(Response::Roadmap) && index.gaps_for_promise(&p.id).is_empty() {
            out.push(finding(
                RuleCode::RoadmapPromise,
                Severity::Warning,
                &p.id,
                &p.loc,
                format!("promise {} \"{}\" was answered with a roadmap item: the product does not do it today, and no gap records it", p.id.value, p.title),
                "record a gap saying when it ships and what the customer gets until then",
            ));
        }
    }
}

pub(super) fn missing_acceptance(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage != Coverage::NotApplicable
            && p.priority() == Priority::Must
            && p.acceptance.is_empty()
        {
            out.push(finding(
                RuleCode::MissingAcceptance,
                Severity::Warning,
                &p.id,
                &p.loc,
                format!("must-have promise {} \"{}\" has no acceptance criteria: nobody can say when it is done", p.id.value, p.title),
                "add `acceptance:` with what the customer will check",
            ));
        }
    }
}
