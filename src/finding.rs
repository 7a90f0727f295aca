//! Findings are data: a stable code, a severity, the item it is about, where,
//! and a message in the language of the people who fix it. Rules produce
//! them (`crate::rules`); printers show them (`crate::output`).
//!
//! The rule codes and default severities are typed here, below both
//! `config` (which validates `[rules]` against [`RuleCode`]) and `rules`
//! (which says what each code checks), so neither imports the other.

use std::fmt;

use serde::Serialize;

use crate::model::Loc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    // Declared most severe first so sorting puts errors on top.
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Declares [`RuleCode`] with each variant's kebab-case code written once.
macro_rules! rule_codes {
    ($($variant:ident = $text:literal),+ $(,)?) => {
        /// A rule's stable code, e.g. `unscoped-promise`.
        ///
        /// Deliberately not `Ord`: findings sort by the code's text, and a
        /// derived order (declaration order) would silently change that.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RuleCode { $($variant),+ }

        impl RuleCode {
            /// Every code, in the order `handoff rules` and docs/rules.md list them.
            pub const ALL: &'static [RuleCode] = &[$(RuleCode::$variant),+];
            /// Every code as text, in the same order, for "did you mean".
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $(RuleCode::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<RuleCode> {
                match text { $($text => Some(RuleCode::$variant),)+ _ => None }
            }
        }
    };
}

rule_codes! {
    DuplicateId = "duplicate-id",
    UnknownReference = "unknown-reference",
    MissingField = "missing-field",
    MissingRole = "missing-role",
    UnscopedPromise = "unscoped-promise",
    PartialPromise = "partial-promise",
    OpenGap = "open-gap",
    UndecidedGap = "undecided-gap",
    CustomerNotTold = "customer-not-told",
    OverdueGap = "overdue-gap",
    StaleGap = "stale-gap",
    UnsoldScope = "unsold-scope",
    EffortOverrun = "effort-overrun",
    EffortUnderrun = "effort-underrun",
    MarginBelowFloor = "margin-below-floor",
    MarginBelowTarget = "margin-below-target",
    DateConflict = "date-conflict",
    UndocumentedPromise = "undocumented-promise",
    RoadmapPromise = "roadmap-promise",
    MissingAcceptance = "missing-acceptance",
    ResistantStakeholder = "resistant-stakeholder",
    SignoffMissing = "signoff-missing",
    SignoffStale = "signoff-stale",
    SignoffRejected = "signoff-rejected",
    SignoffConditionOpen = "signoff-condition-open",
    UnreviewedBid = "unreviewed-bid",
    PriceMismatch = "price-mismatch",
    PlaceholderValue = "placeholder-value",
    UnknownPerson = "unknown-person",
    AgreementNotCustomer = "agreement-not-customer",
    SignoffIneligible = "signoff-ineligible",
    WaiverExpired = "waiver-expired",
    WaiverUnused = "waiver-unused",
    WaiverIneligible = "waiver-ineligible",
    SignoffEvidenceChanged = "signoff-evidence-changed",
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, not `write_str`: `handoff rules` lines codes up by width.
        f.pad(self.as_str())
    }
}

impl Serialize for RuleCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The severity a rule gives its findings before `[rules]` in handoff.toml
/// changes it. Some rules choose by what the finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultSeverity {
    /// Always the same severity.
    Fixed(Severity),
    /// By the promise's priority: error for must, warning for should, info
    /// for could.
    ByPriority,
    /// By the gap's criticality: error for blocker/critical, warning for
    /// major, info for minor.
    ByCriticality,
    /// By how far scoped effort exceeds sold effort: error above
    /// `effort_variance_fail`, warning above `effort_variance_warn`.
    ByEffortVariance,
    /// By the field that names an unknown person: error for
    /// `agreed_with`, warning for the others.
    ByPersonField,
    /// By whether the sign-off role is required: error if so, warning if
    /// not.
    ByRequiredRole,
}

impl DefaultSeverity {
    /// As documented (`handoff rules`, SARIF, docs/rules.md).
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultSeverity::Fixed(severity) => severity.as_str(),
            DefaultSeverity::ByPriority => "error for must, warning for should, info for could",
            DefaultSeverity::ByCriticality => {
                "error for blocker/critical, warning for major, info for minor"
            }
            DefaultSeverity::ByEffortVariance => {
                "error above effort_variance_fail, warning above effort_variance_warn"
            }
            DefaultSeverity::ByPersonField => "error for agreed_with, warning elsewhere",
            DefaultSeverity::ByRequiredRole => "error for a required role, warning otherwise",
        }
    }

    /// Whether a rule with this default may give a finding `severity`
    /// before configuration applies.
    pub fn allows(self, severity: Severity) -> bool {
        match self {
            DefaultSeverity::Fixed(fixed) => severity == fixed,
            DefaultSeverity::ByPriority | DefaultSeverity::ByCriticality => true,
            DefaultSeverity::ByEffortVariance
            | DefaultSeverity::ByPersonField
            | DefaultSeverity::ByRequiredRole => severity != Severity::Info,
        }
    }
}

impl fmt::Display for DefaultSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: RuleCode,
    pub severity: Severity,
    /// The promise, scope item or gap id; a field path for `missing-field`;
    /// a role for `missing-role`.
    pub item: String,
    pub loc: Loc,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// What tells apart two findings of one code on one item: the id a
    /// broken reference names, the deadline go-live misses. Part of the
    /// fingerprint, never shown on its own.
    pub detail: Option<String>,
}

impl Finding {
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = Some(detail.into());
        self
    }

    /// Stable across commits: never the path, line or wording, so tools
    /// that track findings (code scanning) see the same finding move.
    /// `code/engagement/item`, plus `/detail` when one item can have
    /// several findings of the code.
    pub fn fingerprint(&self, engagement: &str) -> String {
        match &self.detail {
            Some(detail) => format!("{}/{}/{}/{detail}", self.code, engagement, self.item),
            None => format!("{}/{}/{}", self.code, engagement, self.item),
        }
    }
}

/// Orders findings most severe first, then by place in the files.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (a.severity, &a.loc, a.code.as_str(), &a.item).cmp(&(
            b.severity,
            &b.loc,
            b.code.as_str(),
            &b.item,
        ))
    });
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        Counts::of_severities(findings.iter().map(|f| f.severity))
    }

    pub fn of_severities(severities: impl IntoIterator<Item = Severity>) -> Counts {
        let mut counts = Counts::default();
        for severity in severities {
            match severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }

    pub fn verdict(self) -> Verdict {
        if self.errors > 0 {
            Verdict::NotReady
        } else if self.warnings > 0 {
            Verdict::ReadyWithWarnings
        } else {
            Verdict::Ready
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Ready,
    ReadyWithWarnings,
    NotReady,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyWithWarnings => "ready_with_warnings",
            Verdict::NotReady => "not_ready",
        }
    }

    /// For people: "ready with warnings".
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ReadyWithWarnings => "ready with warnings",
            Verdict::NotReady => "not ready",
        }
    }
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_to_itself() {
        for &code in RuleCode::ALL {
            assert_eq!(RuleCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(RuleCode::parse("unscoped-promises"), None);
    }
}
