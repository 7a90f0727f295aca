//! What `handoff check` looks for. Each rule is a small function in the
//! module of its theme; [`RULES`] lists them all, with the text that
//! documentation and SARIF show.

mod coverage;
mod dates;
mod effort;
mod gaps;
mod integrity;
mod people;
mod signoffs;
pub mod waivers;

pub mod explanation;

use crate::analysis::Analysis;
use crate::config::Config;
use crate::date::Date;
use crate::finding::{DefaultSeverity, Finding, RuleCode, Severity};
use crate::model::{Engagement, Loc, Priority, Promise, PromiseStatus, Response};
use crate::signoff::{self, InForce};

/// Everything a rule may look at.
#[derive(Debug)]
pub struct Ctx<'a, 'e> {
    pub analysis: &'a Analysis<'e>,
    pub config: &'a Config,
    pub today: Date,
    /// The sign-offs as they stand, worked out once by the evaluation.
    pub signoffs: &'a signoff::State<'e>,
}

impl<'a, 'e> Ctx<'a, 'e> {
    pub fn new(
        analysis: &'a Analysis<'e>,
        signoffs: &'a signoff::State<'e>,
        config: &'a Config,
        today: Date,
    ) -> Ctx<'a, 'e> {
        Ctx {
            analysis,
            config,
            today,
            signoffs,
        }
    }

    pub fn engagement(&self) -> &'e Engagement {
        self.analysis.engagement
    }

    /// The latest sign-off of every configured role that has one, in the
    /// config's role order, each with whether it still covers the files.
    fn in_force(&self) -> impl Iterator<Item = &'a InForce<'e>> + use<'a, 'e> {
        self.signoffs.in_force()
    }
}

pub struct Rule {
    pub code: RuleCode,
    pub default: DefaultSeverity,
    /// One line: when it fires.
    pub summary: &'static str,
    pub check: fn(&Ctx<'_, '_>, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code.as_str())
    }
}

/// Not a rule of the table: the id under which the problems that stop an
/// engagement from being read or judged are reported (SARIF), listed by
/// `handoff rules` after the rules. It cannot be switched off.
pub const INVALID_FILE: &str = "invalid-file";

/// One line: when [`INVALID_FILE`] is reported.
pub const INVALID_FILE_SUMMARY: &str =
    "a file cannot be read or is invalid, so its engagement cannot be judged (verdict: invalid)";

pub const RULES: &[Rule] = &[
    Rule {
        code: RuleCode::DuplicateId,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "two promises, scope items, gaps or stakeholders share an id",
        check: integrity::duplicate_id,
    },
    Rule {
        code: RuleCode::UnknownReference,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "`covers`, `promise` or `scope` names an id that does not exist",
        check: integrity::unknown_reference,
    },
    Rule {
        code: RuleCode::MissingField,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a required handoff.yaml field is absent",
        check: integrity::missing_field,
    },
    Rule {
        code: RuleCode::MissingRole,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "no stakeholder holds a required role",
        check: people::missing_role,
    },
    Rule {
        code: RuleCode::UnscopedPromise,
        default: DefaultSeverity::ByPriority,
        summary: "a promise no scope item covers, and no gap records",
        check: coverage::unscoped_promise,
    },
    Rule {
        code: RuleCode::PartialPromise,
        default: DefaultSeverity::ByPriority,
        summary: "a promise only partly covered, and no gap records it",
        check: coverage::partial_promise,
    },
    Rule {
        code: RuleCode::OpenGap,
        default: DefaultSeverity::ByCriticality,
        summary: "a gap nobody has decided on yet",
        check: gaps::open_gap,
    },
    Rule {
        code: RuleCode::UndecidedGap,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a gap past open without a resolution or owner, or agreed without saying with whom",
        check: gaps::undecided_gap,
    },
    Rule {
        code: RuleCode::CustomerNotTold,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "a major or worse gap decided internally that the customer has not agreed to",
        check: gaps::customer_not_told,
    },
    Rule {
        code: RuleCode::OverdueGap,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "an open or decided gap past its due date",
        check: gaps::overdue_gap,
    },
    Rule {
        code: RuleCode::StaleGap,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "an open gap about missing scope whose promise is now fully covered",
        check: gaps::stale_gap,
    },
    Rule {
        code: RuleCode::UnsoldScope,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "scope that covers no promise and is not internal (gold plating)",
        check: coverage::unsold_scope,
    },
    Rule {
        code: RuleCode::EffortOverrun,
        default: DefaultSeverity::ByEffortVariance,
        summary: "scoped effort is well above the effort sold",
        check: effort::effort_overrun,
    },
    Rule {
        code: RuleCode::EffortUnderrun,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "scoped effort is well below the effort sold: padding or missing scope",
        check: effort::effort_underrun,
    },
    Rule {
        code: RuleCode::MarginBelowFloor,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "fixed price: the margin at scope is under the configured floor",
        check: effort::margin_below_floor,
    },
    Rule {
        code: RuleCode::MarginBelowTarget,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "fixed price: the margin at scope is under the engagement's target",
        check: effort::margin_below_target,
    },
    Rule {
        code: RuleCode::DateConflict,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "scope due after the date promised, or go-live after a hard deadline",
        check: dates::date_conflict,
    },
    Rule {
        code: RuleCode::UndocumentedPromise,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "a verbal promise or side deal",
        check: coverage::undocumented_promise,
    },
    Rule {
        code: RuleCode::RoadmapPromise,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "a promise answered with a roadmap item that no gap records",
        check: coverage::roadmap_promise,
    },
    Rule {
        code: RuleCode::MissingAcceptance,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "a must-have promise without acceptance criteria",
        check: coverage::missing_acceptance,
    },
    Rule {
        code: RuleCode::ResistantStakeholder,
        default: DefaultSeverity::Fixed(Severity::Info),
        summary: "an influential stakeholder who is resistant or unaware",
        check: people::resistant_stakeholder,
    },
    Rule {
        code: RuleCode::SignoffMissing,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a role in `[required] signoffs` (default: sales, delivery) has not signed off",
        check: signoffs::signoff_missing,
    },
    Rule {
        code: RuleCode::SignoffStale,
        default: DefaultSeverity::ByRequiredRole,
        summary: "the files changed after a role's latest sign-off",
        check: signoffs::signoff_stale,
    },
    Rule {
        code: RuleCode::SignoffRejected,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a role's latest sign-off is a rejection",
        check: signoffs::signoff_rejected,
    },
    Rule {
        code: RuleCode::SignoffConditionOpen,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a sign-off approved on a condition that names a gap still open",
        check: signoffs::signoff_condition_open,
    },
    Rule {
        code: RuleCode::UnreviewedBid,
        default: DefaultSeverity::Fixed(Severity::Info),
        summary: "no presales_review sign-off: delivery did not peer-review the bid",
        check: signoffs::unreviewed_bid,
    },
    Rule {
        code: RuleCode::PriceMismatch,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "fixed price: `day_rate` × `sold` is off the services value by more than half",
        check: effort::price_mismatch,
    },
    Rule {
        code: RuleCode::PlaceholderValue,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a required field still holds the starter file's placeholder",
        check: integrity::placeholder_value,
    },
    Rule {
        code: RuleCode::UnknownPerson,
        default: DefaultSeverity::ByPersonField,
        summary: "an owner, `promised_by`, `promised_to`, `agreed_with` or contact is not a stakeholder key",
        check: people::unknown_person,
    },
    Rule {
        code: RuleCode::AgreementNotCustomer,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a gap agreed with someone who is not on the customer's side",
        check: people::agreement_not_customer,
    },
    Rule {
        code: RuleCode::SignoffIneligible,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a role's latest sign-off is by someone who may not sign for it; it does not count",
        check: signoffs::signoff_ineligible,
    },
    Rule {
        code: RuleCode::WaiverExpired,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a waiver's end date has passed and the finding it accepted is back",
        check: waivers::after_the_other_rules,
    },
    Rule {
        code: RuleCode::WaiverUnused,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "a waiver matches no finding, so it can go",
        check: waivers::after_the_other_rules,
    },
    Rule {
        code: RuleCode::WaiverIneligible,
        default: DefaultSeverity::Fixed(Severity::Error),
        summary: "a waiver's `by` may not accept findings (`[waivers] approvers`); it does not count",
        check: waivers::after_the_other_rules,
    },
    Rule {
        code: RuleCode::SignoffEvidenceChanged,
        default: DefaultSeverity::Fixed(Severity::Warning),
        summary: "the file recorded as a sign-off's evidence is in the repository and no longer matches",
        check: signoffs::signoff_evidence_changed,
    },
];

/// Runs every rule, applies the configured levels, and sorts the findings.
/// Findings an active waiver accepts are among them; see
/// [`check_with_waivers`].
pub fn check(ctx: &Ctx<'_, '_>) -> Vec<Finding> {
    let (mut findings, waived) = check_with_waivers(ctx);
    findings.extend(waived.into_iter().map(|w| w.finding));
    crate::finding::sort(&mut findings);
    findings
}

/// Runs every rule and applies `waivers.yaml`: the findings that count
/// (with the waiver rules' own), sorted, and those a waiver accepts.
pub fn check_with_waivers(ctx: &Ctx<'_, '_>) -> (Vec<Finding>, Vec<waivers::Waived>) {
    let findings = run_rules(ctx);
    let (mut kept, mut waived, own) = waivers::apply(ctx, findings);
    kept.extend(own.into_iter().filter_map(|mut f| {
        f.severity = ctx.config.level(f.code, f.severity)?;
        Some(f)
    }));
    crate::finding::sort(&mut kept);
    waived
        .sort_by(|a, b| (&a.finding.loc, &a.finding.item).cmp(&(&b.finding.loc, &b.finding.item)));
    (kept, waived)
}

fn run_rules(ctx: &Ctx<'_, '_>) -> Vec<Finding> {
    let mut all = Vec::new();
    for rule in RULES {
        let from = all.len();
        (rule.check)(ctx, &mut all);
        // A rule speaks only for its own code, at a severity its documented
        // default allows; tests run in debug builds and catch a slip.
        debug_assert!(
            all[from..]
                .iter()
                .all(|f| f.code == rule.code && rule.default.allows(f.severity)),
            "rule {} gave a finding of another code or severity",
            rule.code
        );
    }
    let mut findings: Vec<Finding> = all
        .into_iter()
        .filter_map(|mut f| {
            f.severity = ctx.config.level(f.code, f.severity)?;
            Some(f)
        })
        .collect();
    crate::finding::sort(&mut findings);
    findings
}

fn finding(
    code: RuleCode,
    severity: Severity,
    item: &str,
    loc: &Loc,
    message: String,
    help: &str,
) -> Finding {
    Finding {
        code,
        severity,
        item: item.to_string(),
        loc: loc.clone(),
        message,
        help: Some(help.to_string()),
        detail: None,
    }
}

/// Withdrawn and superseded promises are no longer made.
fn active(p: &Promise) -> bool {
    p.status == PromiseStatus::Active
}

/// A promise we will deliver: active, not `wont`, not answered with an
/// `exception`. Delivery rules (dates, acceptance, coverage) look only at
/// these.
fn delivered(p: &Promise) -> bool {
    active(p) && p.priority() != Priority::Wont && p.response != Some(Response::Exception)
}

/// How many ids a message names before it says how many more: a list grows
/// with the engagement, and one promise covered by thousands of items named
/// by thousands of gaps must not give thousands of messages that each list
/// them all (output quadratic in the size of the files).
pub const IDS_SHOWN: usize = 5;

/// The first [`IDS_SHOWN`] of `total` ids, then how many more: "S-1, S-2"
/// or "S-1, S-2, S-3, S-4, S-5 and 12 more". Takes only what it shows from
/// `ids`, so a finding costs the same whatever the length of the list.
pub fn ids_words<'i>(ids: impl IntoIterator<Item = &'i str>, total: usize) -> String {
    ids_words_sep(ids, total, ", ")
}

/// [`ids_words`] with another separator between the ids shown.
pub fn ids_words_sep<'i>(
    ids: impl IntoIterator<Item = &'i str>,
    total: usize,
    sep: &str,
) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for id in ids.into_iter().take(IDS_SHOWN) {
        if shown > 0 {
            out.push_str(sep);
        }
        out.push_str(id);
        shown += 1;
    }
    if total > shown {
        use std::fmt::Write as _;
        let _ = write!(out, " and {} more", total - shown);
    }
    out
}

#[cfg(test)]
mod ids_tests {
    use super::*;

    #[test]
    fn a_short_list_is_written_whole() {
        assert_eq!(ids_words(["S-1", "S-2"], 2), "S-1, S-2");
        assert_eq!(ids_words([], 0), "");
    }

    #[test]
    fn a_long_list_names_a_handful_and_counts_the_rest() {
        let ids: Vec<String> = (1..=10_000).map(|i| format!("S-{i}")).collect();
        assert_eq!(
            ids_words(ids.iter().map(String::as_str), ids.len()),
            "S-1, S-2, S-3, S-4, S-5 and 9995 more"
        );
        assert_eq!(
            ids_words_sep(["a", "b", "c", "d", "e", "f"], 6, "; "),
            "a; b; c; d; e and 1 more"
        );
    }
}
