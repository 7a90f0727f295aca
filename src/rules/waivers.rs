//! Waivers (`waivers.yaml`): findings accepted on purpose, with a reason,
//! an owner and an end date (docs/rules.md#waivers). A waived finding does
//! not count toward the verdict but stays in view as `waived`.
//!
//! The three waiver rules judge the other rules' findings, so they run
//! after them, in [`apply`]; their entries in the rule table only document
//! them.

use super::{Ctx, finding};
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{Engagement, Org, Vocab, Waiver};

/// A finding a waiver accepts.
#[derive(Debug, Clone)]
pub struct Waived {
    pub finding: Finding,
    pub waiver: Waiver,
}

/// The table's check for the waiver rules: nothing, as [`apply`] judges
/// them once every other rule has spoken.
pub(super) fn after_the_other_rules(_ctx: &Ctx<'_, '_>, _out: &mut Vec<Finding>) {}

fn is_waiver_code(code: RuleCode) -> bool {
    matches!(
        code,
        RuleCode::WaiverExpired | RuleCode::WaiverUnused | RuleCode::WaiverIneligible
    )
}

/// Whether `waiver` names `f`: by its fingerprint, or by code and item.
pub fn names(waiver: &str, f: &Finding, engagement: &str) -> bool {
    !is_waiver_code(f.code)
        && (waiver == f.fingerprint(engagement) || waiver == format!("{}/{}", f.code, f.item))
}

/// Why `by` may not approve a waiver under the config, if so.
pub fn ineligible(e: &Engagement, approvers: &[crate::model::Role], by: &str) -> Option<String> {
    let roles: Vec<&str> = approvers.iter().map(|r| r.as_str()).collect();
    let Some(k) = e.stakeholders.iter().find(|k| k.key.as_str() == by) else {
        return Some(format!("{by} is not in stakeholders.yaml"));
    };
    if k.org != Some(Org::Supplier) {
        return Some(format!(
            "{by} is not on the supplier side; a waiver is accepted by the supplier"
        ));
    }
    if !k.roles.iter().any(|r| approvers.contains(r)) {
        return Some(format!(
            "{by} holds none of the approver roles ({})",
            roles.join(", ")
        ));
    }
    None
}

/// Sets apart the findings an active, eligible waiver accepts, and adds
/// the waiver rules' own findings (before configured levels apply).
pub(super) fn apply(
    ctx: &Ctx<'_, '_>,
    findings: Vec<Finding>,
) -> (Vec<Finding>, Vec<Waived>, Vec<Finding>) {
    let e = ctx.engagement();
    let id = e.id();
    let mut kept = Vec::new();
    let mut waived = Vec::new();
    let mut own = Vec::new();
    let usable: Vec<bool> = e
        .waivers
        .iter()
        .map(|w| ineligible(e, &ctx.config.waiver_approvers, &w.by).is_none())
        .collect();
    let active = |w: &Waiver| ctx.today <= w.until.value;
    for f in findings {
        let by = e
            .waivers
            .iter()
            .zip(&usable)
            .find(|(w, ok)| **ok && active(w) && names(&w.finding, &f, id));
        match by {
            Some((w, _)) => waived.push(Waived {
                finding: f,
                waiver: w.clone(),
            }),
            None => kept.push(f),
        }
    }
    for (w, ok) in e.waivers.iter().zip(&usable) {
        let what = &w.finding.value;
        if !ok {
            let why = ineligible(e, &ctx.config.waiver_approvers, &w.by).unwrap_or_default();
            own.push(finding(
                RuleCode::WaiverIneligible,
                Severity::Error,
                what,
                &w.by.loc,
                format!("the waiver of {what} does not count: {why}"),
                "ask a supplier-side project manager or sales owner (`[waivers] approvers`) to accept it, or remove the waiver",
            ));
            continue;
        }
        let matching = kept.iter().filter(|f| names(what, f, id)).count();
        let accepted = waived.iter().any(|x| x.waiver.loc == w.loc);
        if !active(w) && matching > 0 {
            own.push(finding(
                RuleCode::WaiverExpired,
                Severity::Error,
                what,
                &w.until.loc,
                format!(
                    "the finding {what} is back since {}: its waiver by {} ended on {}",
                    w.until.value.next_day(),
                    w.by.value,
                    w.until.value
                ),
                "fix what the finding says, or accept it again with a new end date (`handoff waive`)",
            ));
        } else if matching == 0 && !accepted {
            let ended = if active(w) {
                String::new()
            } else {
                format!(" and ended on {}", w.until.value)
            };
            own.push(finding(
                RuleCode::WaiverUnused,
                Severity::Warning,
                what,
                &w.loc,
                format!("the waiver of {what} matches no finding{ended}, so it can go"),
                "remove it from waivers.yaml; check the fingerprint against `handoff check --format json` if the finding is still there",
            ));
        }
    }
    (kept, waived, own)
}
