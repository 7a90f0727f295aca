//! One engagement judged: analysed, and checked by the rules with the
//! config in force. The workspace (the front door) finds what to judge.

use crate::analysis::Analysis;
use crate::config::Config;
use crate::date::Date;
use crate::finding::{Counts, Finding, Verdict};
use crate::model::Engagement;
use crate::model::audience::Shown;
use crate::rules::{self, Ctx};
use crate::signoff;

/// One engagement judged.
#[derive(Debug)]
pub struct Evaluation<'e> {
    pub analysis: Analysis<'e>,
    /// The sign-offs as they stand, for the rules, `status` and the PID.
    pub signoffs: signoff::State<'e>,
    pub config: &'e Config,
    /// The findings that count toward the verdict.
    pub findings: Vec<Finding>,
    /// Findings an active waiver accepts (`waivers.yaml`): they do not
    /// count, and are listed as `waived`.
    pub waived: Vec<rules::waivers::Waived>,
    pub counts: Counts,
    pub verdict: Verdict,
}

impl<'e> Evaluation<'e> {
    pub fn new(
        e: &'e Engagement,
        config: &'e Config,
        today: Date,
        cost_rate: Option<f64>,
    ) -> Evaluation<'e> {
        Evaluation::with_changes(e, config, today, cost_rate, None, None)
    }

    /// [`Evaluation::new`], with the items changed since each role's
    /// signed content, found in the history, for the stale messages, and
    /// the fingerprint of the files when it is known already.
    pub fn with_changes(
        e: &'e Engagement,
        config: &'e Config,
        today: Date,
        cost_rate: Option<f64>,
        changed: Option<&signoff::ChangedItems>,
        fingerprint: Option<&crate::fingerprint::LazyFingerprint>,
    ) -> Evaluation<'e> {
        let analysis = Analysis::new(e, cost_rate);
        let signoffs = signoff::State::judged(e, config, Some(today), changed, fingerprint);
        let (findings, waived) =
            rules::check_with_waivers(&Ctx::new(&analysis, &signoffs, config, today));
        let counts = Counts::of(&findings);
        Evaluation {
            waived,
            verdict: counts.verdict(),
            analysis,
            signoffs,
            config,
            findings,
            counts,
        }
    }

    /// What a document sees: the judgement of the whole engagement
    /// (findings, counts, verdict: a document never judges less than
    /// `check` does), over the figures and items its reader may see.
    pub fn shown<'s>(&self, shown: &'s Shown) -> Evaluation<'s>
    where
        'e: 's,
    {
        Evaluation {
            analysis: Analysis::new(&shown.engagement, shown.cost_rate),
            // Freshness is judged on what was signed, the whole engagement:
            // judged on the filtered copy every sign-off would look stale.
            signoffs: self.signoffs.clone(),
            config: self.config,
            findings: self.findings.clone(),
            waived: self.waived.clone(),
            counts: self.counts,
            verdict: self.verdict,
        }
    }

    pub fn engagement(&self) -> &'e Engagement {
        self.analysis.engagement
    }
}
