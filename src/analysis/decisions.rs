//! Judgements the documents show, made once here rather than in each
//! printer: which gaps are risks, which sign-off roles a PID lists, what a
//! margin is missing.

use crate::model::{Criticality, Engagement, Gap, GapStatus};

/// Gaps that belong in a risk register: every open gap, and critical ones
/// until they are closed.
pub fn risk_gaps(e: &Engagement) -> impl Iterator<Item = &Gap> {
    e.gaps.iter().filter(|g| {
        let critical = g.criticality() <= Criticality::Critical && g.status != GapStatus::Closed;
        g.status == GapStatus::Open || critical
    })
}

/// The sign-off roles a PID lists, in order: those the config requires,
/// the customer's sponsor (who approves a PID whatever the supplier
/// requires), then any other role someone signed for.
pub fn pid_signoff_roles(e: &Engagement, required: &[String]) -> Vec<String> {
    let mut roles: Vec<String> = required.to_vec();
    if !roles.iter().any(|r| r == "customer_sponsor") {
        roles.push("customer_sponsor".to_string());
    }
    for s in &e.signoffs {
        if !roles.iter().any(|r| r == s.role.as_str()) {
            roles.push(s.role.as_str().to_string());
        }
    }
    roles
}

/// What the margins need that the files (or the options) do not give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarginInput {
    ServicesValue,
    CostRate,
    EffortSold,
}

/// Why no margin could be computed, in the order to fix it; empty when
/// there is a margin.
pub fn margin_missing(
    e: &Engagement,
    figures: &super::Figures,
    cost_rate: Option<f64>,
) -> Vec<MarginInput> {
    if figures.margin_sold.is_some() || figures.margin_scoped.is_some() {
        return Vec::new();
    }
    let mut missing = Vec::new();
    if e.handoff.contract.services_value.is_none_or(|v| v <= 0.0) {
        missing.push(MarginInput::ServicesValue);
    }
    if cost_rate.is_none() {
        missing.push(MarginInput::CostRate);
    }
    if missing.is_empty() {
        missing.push(MarginInput::EffortSold);
    }
    missing
}
