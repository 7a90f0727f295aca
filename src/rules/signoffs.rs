//! Sign-offs: every required role signed, and what they signed is still
//! what the files say (docs/signoffs.md).

use super::{Ctx, finding};
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{Decision, Loc};
use crate::signoff::{
    Freshness, changed_words, eligible_signers, latest, open_conditions, role_words, signer_name,
};

const REVIEW_ROLE: &str = "presales_review";

pub(super) fn signoff_missing(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for role in &ctx.config.required_signoffs {
        // A sign-off by someone not eligible does not count.
        let signed = ctx
            .signoffs
            .role(role)
            .is_some_and(|r| r.in_force.is_some());
        if signed {
            continue;
        }
        out.push(finding(
            RuleCode::SignoffMissing,
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

pub(super) fn signoff_stale(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for in_force in ctx.in_force() {
        let s = in_force.signoff;
        if s.decision == Decision::Rejected {
            continue;
        }
        let Some(why) = in_force.stale_items_words() else {
            continue;
        };
        let since = if matches!(in_force.freshness, Freshness::Stale(_)) {
            " since"
        } else {
            ""
        };
        let name = signer_name(e, &s.by);
        // An optional sign-off (a bid review, say) going stale must not
        // block kickoff.
        let required = ctx.config.required_signoffs.contains(&s.role.value);
        let severity = if required {
            Severity::Error
        } else {
            Severity::Warning
        };
        let review = match (&s.commit, &in_force.changed_items) {
            (Some(commit), _) => format!("see what changed with `handoff diff {commit}`, then "),
            // Found by its fingerprint in the history.
            (None, Some(_)) => format!(
                "see what changed with `handoff diff --since-signoff {}`, then ",
                s.role.value
            ),
            (None, None) => String::new(),
        };
        out.push(finding(
            RuleCode::SignoffStale,
            severity,
            &s.role,
            &s.fingerprint.loc,
            format!(
                "the {} sign-off by {name} on {} no longer covers the files: {why}{since}",
                role_words(&s.role),
                s.date,
            ),
            &format!(
                "{review}ask {name} to review the changes and sign again with `handoff sign {} --by {}`",
                s.role.value, s.by.value
            ),
        ));
    }
}

pub(super) fn signoff_rejected(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for in_force in ctx.in_force() {
        let s = in_force.signoff;
        if s.decision != Decision::Rejected {
            continue;
        }
        let name = signer_name(e, &s.by);
        let reasons: Vec<&str> = s.conditions.iter().map(|c| c.as_str()).collect();
        let because = if reasons.is_empty() {
            String::new()
        } else {
            format!(": {}", reasons.join("; "))
        };
        let since = match &in_force.freshness {
            Freshness::Fresh if reasons.is_empty() => {
                " and the files have not changed since".to_string()
            }
            Freshness::Fresh => "; the files have not changed since".to_string(),
            Freshness::Stale(kinds) => format!("; {} since", changed_words(kinds)),
        };
        out.push(finding(
            RuleCode::SignoffRejected,
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

pub(super) fn signoff_condition_open(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for s in ctx.in_force().map(|f| f.signoff) {
        for (condition, gap) in open_conditions(s, &e.gaps) {
            out.push(finding(
                RuleCode::SignoffConditionOpen,
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

pub(super) fn unreviewed_bid(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
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
        RuleCode::UnreviewedBid,
        Severity::Info,
        REVIEW_ROLE,
        &Loc::file_start(&e.signoffs_file),
        "the bid was not peer-reviewed: there is no presales_review sign-off from delivery".to_string(),
        "if a delivery lead reviewed the bid before it went out, record it with `handoff sign presales_review --by KEY`",
    ));
}

/// Part of `unknown-reference`: a sign-off by someone who is not a
/// stakeholder.
pub(super) fn unknown_signer(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for s in &e.signoffs {
        if e.stakeholders.iter().any(|k| k.key.value == s.by.value) {
            continue;
        }
        out.push(finding(
            RuleCode::UnknownReference,
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

pub(super) fn signoff_ineligible(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for status in &ctx.signoffs.roles {
        let Some(s) = status.ineligible else { continue };
        let rule = ctx.config.eligible(&s.role);
        let eligible = eligible_signers(e, ctx.config, &s.role);
        let names: Vec<String> = eligible
            .iter()
            .take(super::IDS_SHOWN)
            .map(|k| signer_name(e, &k.key))
            .collect();
        let who = super::ids_words(names.iter().map(String::as_str), eligible.len());
        let ask = if who.is_empty() {
            format!(
                "nobody in {} is eligible yet: add the right person, or change `[signoffs.eligible]` in handoff.toml",
                e.stakeholders_file
            )
        } else {
            format!(
                "ask one of {} to sign with `handoff sign {} --by KEY`",
                who, s.role.value
            )
        };
        out.push(finding(
            RuleCode::SignoffIneligible,
            Severity::Error,
            &s.role,
            &s.by.loc,
            format!(
                "the {} sign-off of {} by {} does not count: it needs {}",
                role_words(&s.role),
                s.date,
                signer_name(e, &s.by),
                rule.words()
            ),
            &ask,
        ));
    }
}

pub(super) fn signoff_evidence_changed(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for s in ctx.in_force().map(|f| f.signoff) {
        let Some(ev) = &s.evidence else { continue };
        // A file that is not there cannot be compared; only a changed one
        // is reported.
        let Some(now) = &ev.now else { continue };
        if *now == ev.sha256 {
            continue;
        }
        out.push(finding(
            RuleCode::SignoffEvidenceChanged,
            Severity::Warning,
            &s.role,
            &ev.path.loc,
            format!(
                "the evidence of the {} sign-off by {} on {}, {}, is not the file that was recorded: its SHA-256 changed",
                role_words(&s.role),
                signer_name(e, &s.by),
                s.date,
                ev.path.value
            ),
            &format!(
                "restore the file as it was signed (see its history in git), or ask {} to sign again with `handoff sign {} --by {} --evidence {}`",
                signer_name(e, &s.by),
                s.role.value,
                s.by.value,
                ev.path.value
            ),
        ));
    }
}
