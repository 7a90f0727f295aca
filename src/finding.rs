//! Findings are data: a stable code, a severity, the item it is about, where,
//! and a message in the language of the people who fix it. Rules produce
//! them (`crate::rules`); printers show them (`crate::output`).

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

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable kebab-case code, e.g. `unscoped-promise`.
    pub code: &'static str,
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
        (a.severity, &a.loc, a.code, &a.item).cmp(&(b.severity, &b.loc, b.code, &b.item))
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
