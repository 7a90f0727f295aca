//! Joins promises, scope and gaps by id (hash indexes, linear in the number
//! of items) and computes coverage and the effort and margin figures.

pub mod decisions;
pub mod plan;

use std::collections::HashMap;

use serde::Serialize;

use crate::format::round;
use crate::model::{
    Engagement, Gap, GapStatus, Org, Priority, Promise, PromiseStatus, Response, ScopeItem,
    Stakeholder,
};

/// How well the scope covers a promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Coverage {
    Covered,
    Partial,
    Unscoped,
    /// Withdrawn, superseded, `wont`, or an agreed exception.
    NotApplicable,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Covered => "covered",
            Coverage::Partial => "partial",
            Coverage::Unscoped => "unscoped",
            Coverage::NotApplicable => "n_a",
        }
    }
}

impl Serialize for Coverage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CoverageCounts {
    pub covered: usize,
    pub partial: usize,
    pub unscoped: usize,
    pub n_a: usize,
}

/// Figures of one engagement. `None` where the data does not allow it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    pub effort_sold: Option<f64>,
    pub effort_scoped: f64,
    pub effort_variance: Option<f64>,
    pub margin_sold: Option<f64>,
    pub margin_scoped: Option<f64>,
    pub margin_at_risk: Option<f64>,
    pub coverage: CoverageCounts,
}

impl Figures {
    /// The figures as the JSON contracts carry them, so float noise never
    /// reaches a reader: ratios to 4 decimals, amounts to 2.
    #[must_use]
    pub fn rounded(&self) -> Figures {
        Figures {
            effort_sold: self.effort_sold.map(|x| round(x, 2)),
            effort_scoped: round(self.effort_scoped, 2),
            effort_variance: self.effort_variance.map(|x| round(x, 4)),
            margin_sold: self.margin_sold.map(|x| round(x, 4)),
            margin_scoped: self.margin_scoped.map(|x| round(x, 4)),
            margin_at_risk: self.margin_at_risk.map(|x| round(x, 2)),
            coverage: self.coverage,
        }
    }
}

/// Scoped effort by what it is for (excluded scope left out).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EffortSplit {
    /// Scope that covers at least one promise.
    pub for_promises: f64,
    /// Internal scope that covers no promise.
    pub internal: f64,
    /// Scope nobody sold: no promise, not internal.
    pub unsold: f64,
    /// What decided gaps add to the scope (or take away).
    pub gap_changes: f64,
}

impl EffortSplit {
    fn of(e: &Engagement) -> EffortSplit {
        let mut split = EffortSplit {
            gap_changes: gap_changes(e),
            ..EffortSplit::default()
        };
        for s in e.scope.iter().filter(|s| s.counts()) {
            if s.is_unsold() {
                split.unsold += s.effort;
            } else if s.covers.is_empty() {
                split.internal += s.effort;
            } else {
                split.for_promises += s.effort;
            }
        }
        split
    }
}

/// Ids resolved to items, built once per engagement.
#[derive(Debug)]
pub struct Index<'e> {
    pub promises: HashMap<&'e str, &'e Promise>,
    pub scope: HashMap<&'e str, &'e ScopeItem>,
    pub gaps: HashMap<&'e str, &'e Gap>,
    /// Stakeholder key → stakeholder.
    pub stakeholders: HashMap<&'e str, &'e Stakeholder>,
    /// Promise id → the non-excluded scope items that cover it.
    pub covering: HashMap<&'e str, Vec<&'e ScopeItem>>,
    /// Promise id → gaps whose `promise` names it.
    pub gaps_by_promise: HashMap<&'e str, Vec<&'e Gap>>,
    /// Scope id → gaps whose `scope` names it.
    pub gaps_by_scope: HashMap<&'e str, Vec<&'e Gap>>,
}

impl<'e> Index<'e> {
    pub fn new(e: &'e Engagement) -> Index<'e> {
        let mut index = Index {
            promises: HashMap::with_capacity(e.promises.len()),
            scope: HashMap::with_capacity(e.scope.len()),
            gaps: HashMap::with_capacity(e.gaps.len()),
            stakeholders: HashMap::with_capacity(e.stakeholders.len()),
            covering: HashMap::new(),
            gaps_by_promise: HashMap::new(),
            gaps_by_scope: HashMap::new(),
        };
        // The first of duplicate ids wins; `duplicate-id` reports the rest.
        for k in &e.stakeholders {
            index.stakeholders.entry(k.key.as_str()).or_insert(k);
        }
        for p in &e.promises {
            index.promises.entry(p.id.as_str()).or_insert(p);
        }
        for s in &e.scope {
            index.scope.entry(s.id.as_str()).or_insert(s);
            if s.counts() {
                // The loader keeps each id once in `covers`.
                for covered in &s.covers {
                    index.covering.entry(covered.as_str()).or_default().push(s);
                }
            }
        }
        for g in &e.gaps {
            index.gaps.entry(g.id.as_str()).or_insert(g);
            if let Some(p) = &g.promise {
                index.gaps_by_promise.entry(p.as_str()).or_default().push(g);
            }
            if let Some(s) = &g.scope {
                index.gaps_by_scope.entry(s.as_str()).or_default().push(g);
            }
        }
        index
    }

    /// The side a stakeholder key is on: `None` for an unknown key, and
    /// `Some(None)` for someone without `org`.
    pub fn org_of(&self, key: &str) -> Option<Option<Org>> {
        self.stakeholders.get(key).map(|k| k.org)
    }

    /// Whether `agreed_with` names someone who cannot agree for the
    /// customer: a known stakeholder not on the customer's side. (An
    /// unknown key is `unknown-person`'s to report.)
    pub fn agreement_not_customer(&self, g: &Gap) -> bool {
        g.agreed_with
            .as_deref()
            .and_then(|k| self.org_of(k))
            .is_some_and(|org| org != Some(Org::Customer))
    }

    /// Whether the customer agreed to what a gap says: the one predicate
    /// every rule, figure and document uses. The gap is `agreed` or
    /// `closed`, and `agreed_with`, when written, names someone on the
    /// customer's side: our own account manager cannot certify that the
    /// customer agreed. (An `agreed` gap that names nobody is
    /// `undecided-gap`'s to report.)
    pub fn customer_agreed(&self, g: &Gap) -> bool {
        matches!(g.status, GapStatus::Agreed | GapStatus::Closed)
            && !self.agreement_not_customer(g)
            && g.agreed_with
                .as_deref()
                .is_none_or(|k| self.stakeholders.contains_key(k))
    }

    pub fn covering(&self, promise: &str) -> &[&'e ScopeItem] {
        self.covering.get(promise).map_or(&[], Vec::as_slice)
    }

    /// The ids of [`Self::covering`], in file order.
    pub fn covering_ids(&self, promise: &str) -> Vec<String> {
        self.covering(promise)
            .iter()
            .map(|s| s.id.value.clone())
            .collect()
    }

    pub fn gaps_for_promise(&self, promise: &str) -> &[&'e Gap] {
        self.gaps_by_promise.get(promise).map_or(&[], Vec::as_slice)
    }

    pub fn gaps_for_scope(&self, scope: &str) -> &[&'e Gap] {
        self.gaps_by_scope.get(scope).map_or(&[], Vec::as_slice)
    }

    /// *The* gap of a promise: the most decided one recording it, since
    /// that is the one that tells what the customer gets.
    pub fn gap_of_promise(&self, promise: &str) -> Option<&'e Gap> {
        most_decided(self.gaps_for_promise(promise))
    }

    /// *The* gap of a scope item, chosen as for a promise.
    pub fn gap_of_scope(&self, scope: &str) -> Option<&'e Gap> {
        most_decided(self.gaps_for_scope(scope))
    }

    pub fn coverage(&self, p: &Promise) -> Coverage {
        let not_applicable = p.status != PromiseStatus::Active
            || p.priority == Some(Priority::Wont)
            || p.response == Some(Response::Exception);
        if not_applicable {
            return Coverage::NotApplicable;
        }
        let items = self.covering(&p.id);
        if items
            .iter()
            .any(|s| s.coverage == crate::model::CoverageLevel::Full)
        {
            Coverage::Covered
        } else if items.is_empty() {
            Coverage::Unscoped
        } else {
            Coverage::Partial
        }
    }

    /// Scoped effort attributed to a promise: each covering item's effort
    /// spread evenly over the promises it covers.
    pub fn scoped_effort_for(&self, promise: &str) -> f64 {
        self.covering(promise)
            .iter()
            .map(|s| {
                if s.covers.is_empty() {
                    0.0
                } else {
                    s.effort / s.covers.len() as f64
                }
            })
            .sum::<f64>()
            + 0.0 // an empty float sum is -0.0
    }
}

/// The whole analysis of one engagement, shared by rules and reports.
#[derive(Debug)]
pub struct Analysis<'e> {
    pub engagement: &'e Engagement,
    pub index: Index<'e>,
    /// Coverage of each promise, in file order.
    pub coverage: Vec<Coverage>,
    pub figures: Figures,
    pub effort_split: EffortSplit,
    /// The cost rate in force: `--cost-rate`, `HANDOFF_COST_RATE`, or the file.
    pub cost_rate: Option<f64>,
}

impl<'e> Analysis<'e> {
    pub fn new(e: &'e Engagement, cost_rate_override: Option<f64>) -> Analysis<'e> {
        let index = Index::new(e);
        let coverage: Vec<Coverage> = e.promises.iter().map(|p| index.coverage(p)).collect();
        let cost_rate = cost_rate_override.or(e.handoff.effort.cost_rate);
        let effort_split = EffortSplit::of(e);
        let figures = figures(e, &effort_split, &coverage, cost_rate);
        Analysis {
            engagement: e,
            index,
            coverage,
            figures,
            effort_split,
            cost_rate,
        }
    }

    /// Scope that will be delivered though nobody sold it, in file order.
    pub fn unsold_scope(&self) -> impl Iterator<Item = &'e ScopeItem> + use<'e> {
        self.engagement
            .scope
            .iter()
            .filter(|s| s.counts() && s.is_unsold())
    }

    pub fn promises_with_coverage(&self) -> impl Iterator<Item = (&'e Promise, Coverage)> + '_ {
        self.engagement
            .promises
            .iter()
            .zip(self.coverage.iter().copied())
    }
}

/// Effort deltas of gaps someone decided on; open gaps change nothing yet.
/// The most decided gap; of equals, the first by id.
fn most_decided<'g>(gaps: &[&'g Gap]) -> Option<&'g Gap> {
    gaps.iter()
        .copied()
        .max_by_key(|g| (g.status, std::cmp::Reverse(g.id.as_str())))
}

fn gap_changes(e: &Engagement) -> f64 {
    e.gaps
        .iter()
        .filter(|g| g.is_decided())
        .filter_map(|g| g.effort_delta)
        .sum()
}

fn figures(
    e: &Engagement,
    split: &EffortSplit,
    coverage: &[Coverage],
    cost_rate: Option<f64>,
) -> Figures {
    // The split already summed the scope and the decided gaps.
    let scoped = split.for_promises + split.internal + split.unsold + split.gap_changes + 0.0; // never -0.0
    let sold = e.handoff.effort.sold;
    let revenue = e.handoff.contract.services_value.filter(|r| *r > 0.0);
    let variance = sold.filter(|s| *s > 0.0).map(|s| (scoped - s) / s);
    let margin = |effort: f64| Some((revenue? - effort * cost_rate?) / revenue?);
    let mut counts = CoverageCounts::default();
    for c in coverage {
        match c {
            Coverage::Covered => counts.covered += 1,
            Coverage::Partial => counts.partial += 1,
            Coverage::Unscoped => counts.unscoped += 1,
            Coverage::NotApplicable => counts.n_a += 1,
        }
    }
    Figures {
        effort_sold: sold,
        effort_scoped: scoped,
        effort_variance: variance,
        margin_sold: sold.and_then(margin),
        margin_scoped: margin(scoped),
        margin_at_risk: sold.zip(cost_rate).map(|(s, c)| (scoped - s).max(0.0) * c),
        coverage: counts,
    }
}
