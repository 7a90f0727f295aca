//! The sign-off rules of `check` (listed in `crate::rules::RULES`).

use crate::finding::{Finding, Severity};
use crate::fingerprint::Fingerprint;
use crate::model::{Decision, Engagement, Loc, SignOff};
use crate::rules::{Ctx, finding};

use super::{
    Freshness, changed_words, freshness, latest, open_conditions, role_words, signer_name,
};

const REVIEW_ROLE: &str = "presales_review";

/// The latest sign-off of every role that has one, in the config's role
/// order.
fn latest_per_role<'e>(e: &'e Engagement, roles: &[String]) -> Vec<&'e SignOff> {
    roles.iter().filter_map(|role| latest(e, role)).collect()
}

pub fn signoff_missing(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for role in &ctx.config.required_signoffs {
        if latest(e, role).is_some() {
            continue;
        }
        out.push(finding(
            "signoff-missing",
            Severity::Error,
            role,
            &Loc::file_start(&e.signoffs_file),
            format!(
                "nobody has signed off the handoff for {} yet: no one has put their name to these promises, scope and gaps",
                role_words(role)
            ),
            &format!(
                "when the files are right, the person responsible runs `handoff sign {role} --by KEY` in the engagement folder"
            ),
        ));
    }
}

pub fn signoff_stale(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let signed: Vec<&SignOff> = latest_per_role(e, &ctx.config.signoff_roles)
        .into_iter()
        .filter(|s| s.decision != Decision::Rejected)
        .collect();
    if signed.is_empty() {
        return;
    }
    let now = Fingerprint::of(e);
    for s in signed {
        let Freshness::Stale(kinds) = freshness(s, &now) else {
            continue;
        };
        let name = signer_name(e, &s.by);
        let review = match &s.commit {
            Some(commit) => format!("see what changed with `handoff diff {commit}`, then "),
            None => String::new(),
        };
        out.push(finding(
            "signoff-stale",
            Severity::Error,
            &s.role,
            &s.fingerprint.loc,
            format!(
                "the {} sign-off by {name} on {} no longer covers the files: {} since",
                role_words(&s.role),
                s.date,
                changed_words(&kinds)
            ),
            &format!(
                "{review}ask {name} to review the changes and sign again with `handoff sign {} --by {}`",
                s.role.value, s.by.value
            ),
        ));
    }
}

pub fn signoff_rejected(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let rejected: Vec<&SignOff> = latest_per_role(e, &ctx.config.signoff_roles)
        .into_iter()
        .filter(|s| s.decision == Decision::Rejected)
        .collect();
    if rejected.is_empty() {
        return;
    }
    let now = Fingerprint::of(e);
    for s in rejected {
        let name = signer_name(e, &s.by);
        let reasons: Vec<&str> = s.conditions.iter().map(|c| c.as_str()).collect();
        let because = if reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", reasons.join("; "))
        };
        let since = match freshness(s, &now) {
            Freshness::Fresh if reasons.is_empty() => {
                " and the files have not changed since".to_string()
            }
            Freshness::Fresh => "; the files have not changed since".to_string(),
            Freshness::Stale(kinds) => format!("; {} since", changed_words(&kinds)),
        };
        out.push(finding(
            "signoff-rejected",
            Severity::Error,
            &s.role,
            &s.loc,
            format!(
                "{name} rejected the handoff for {} on {}{because}{since}",
                role_words(&s.role),
                s.date
            ),
            &format!(
                "settle what {name} objected to, then ask for a new sign-off with `handoff sign {} --by {}`",
                s.role.value, s.by.value
            ),
        ));
    }
}

pub fn signoff_condition_open(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for s in latest_per_role(e, &ctx.config.signoff_roles) {
        for (condition, gap) in open_conditions(s, &e.gaps) {
            out.push(finding(
                "signoff-condition-open",
                Severity::Error,
                &format!("{}:{}", s.role.value, gap.id.value),
                &condition.loc,
                format!(
                    "the {} approval by {} depends on gap {}, which is still open: \"{}\"",
                    role_words(&s.role),
                    signer_name(e, &s.by),
                    gap.id.value,
                    condition.value
                ),
                &format!(
                    "settle gap {} (decide, agree or close it) so the condition is met",
                    gap.id.value
                ),
            ));
        }
    }
}

pub fn unreviewed_bid(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    // When the review is required, `signoff-missing` already says so.
    let required = ctx
        .config
        .required_signoffs
        .iter()
        .any(|r| r == REVIEW_ROLE);
    // An organisation that configured its own roles without a review has
    // nothing to miss.
    let known = ctx.config.signoff_roles.iter().any(|r| r == REVIEW_ROLE);
    if required || !known || latest(e, REVIEW_ROLE).is_some() {
        return;
    }
    out.push(finding(
        "unreviewed-bid",
        Severity::Info,
        REVIEW_ROLE,
        &Loc::file_start(&e.signoffs_file),
        "the bid was not peer-reviewed: there is no presales_review sign-off from delivery".to_string(),
        "if a delivery lead reviewed the bid before it went out, record it with `handoff sign presales_review --by KEY`",
    ));
}

/// Part of `unknown-reference`: a sign-off by someone who is not a
/// stakeholder.
pub fn unknown_signer(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for s in &e.signoffs {
        if e.stakeholders.iter().any(|k| k.key.value == s.by.value) {
            continue;
        }
        out.push(finding(
            "unknown-reference",
            Severity::Error,
            &s.by,
            &s.by.loc,
            format!(
                "the {} sign-off of {} is by {}, who is not in stakeholders.yaml",
                role_words(&s.role),
                s.date,
                s.by.value
            ),
            &crate::load::hints::unknown_reference(
                &s.by.value,
                e.stakeholders.iter().map(|k| k.key.as_str()),
                None,
            )
            .unwrap_or_else(|| {
                "check the key for a typo, or add the person to stakeholders.yaml".into()
            }),
        ));
    }
}
