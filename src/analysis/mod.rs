//! Joins promises, scope and gaps by id (hash indexes, linear in the number
//! of items) and computes coverage and the effort and margin figures.

pub mod decisions;
pub mod plan;

use serde::Serialize;

use crate::format::round;
use crate::model::{
    Engagement, Gap, GapStatus, IdMap, Org, Priority, Promise, PromiseStatus, Response, ScopeItem,
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

/// Change requests decided on our side that the customer has not agreed
/// yet: their effort is in the scope but not yet in the contract.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PendingChanges {
    pub count: usize,
    pub effort: f64,
}

/// Figures of one engagement. `None` where the data does not allow it.
/// The formulas are in docs/rules.md (Figures); JSON keys follow the
/// field order here.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// S0: `effort.sold`, the effort at sale.
    pub effort_sold: Option<f64>,
    /// S: the sold effort moved by agreed change requests and descopes.
    pub effort_contracted: Option<f64>,
    /// E: the scope plus the effort deltas of decided gaps.
    pub effort_scoped: f64,
    /// (E − S) / S: against the contract as it stands now.
    pub effort_variance: Option<f64>,
    /// R0: `contract.services_value`.
    pub price_sold: Option<f64>,
    /// R: the price moved by the price deltas of agreed gaps.
    pub price_contracted: Option<f64>,
    /// X: money cost of decided gaps that is not effort.
    pub cost_extra: f64,
    pub margin_sold: Option<f64>,
    pub margin_contracted: Option<f64>,
    pub margin_scoped: Option<f64>,
    pub margin_at_risk: Option<f64>,
    pub pending_change_requests: PendingChanges,
    pub coverage: CoverageCounts,
}

impl Figures {
    /// The figures as the JSON contracts carry them, so float noise never
    /// reaches a reader: ratios to 4 decimals, amounts to 2.
    #[must_use]
    pub fn rounded(&self) -> Figures {
        Figures {
            effort_sold: self.effort_sold.map(|x| round(x, 2)),
            effort_contracted: self.effort_contracted.map(|x| round(x, 2)),
            effort_scoped: round(self.effort_scoped, 2),
            effort_variance: self.effort_variance.map(|x| round(x, 4)),
            price_sold: self.price_sold.map(|x| round(x, 2)),
            price_contracted: self.price_contracted.map(|x| round(x, 2)),
            cost_extra: round(self.cost_extra, 2),
            margin_sold: self.margin_sold.map(|x| round(x, 4)),
            margin_contracted: self.margin_contracted.map(|x| round(x, 4)),
            margin_scoped: self.margin_scoped.map(|x| round(x, 4)),
            margin_at_risk: self.margin_at_risk.map(|x| round(x, 2)),
            pending_change_requests: PendingChanges {
                count: self.pending_change_requests.count,
                effort: round(self.pending_change_requests.effort, 2),
            },
            coverage: self.coverage,
        }
    }

    /// Effort the agreed contract changes added to (or took from) the
    /// effort sold; `None` when nothing was sold or nothing changed it.
    pub fn contract_change_effort(&self) -> Option<f64> {
        let change = self.effort_contracted? - self.effort_sold?;
        (change != 0.0).then_some(change)
    }

    /// Whether the contract moved since the sale: effort or price.
    pub fn contract_changed(&self) -> bool {
        self.effort_contracted != self.effort_sold || self.price_contracted != self.price_sold
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
    pub promises: IdMap<&'e str, &'e Promise>,
    pub scope: IdMap<&'e str, &'e ScopeItem>,
    pub gaps: IdMap<&'e str, &'e Gap>,
    /// Stakeholder key → stakeholder.
    pub stakeholders: IdMap<&'e str, &'e Stakeholder>,
    /// Promise id → the non-excluded scope items that cover it.
    pub covering: IdMap<&'e str, Vec<&'e ScopeItem>>,
    /// Promise id → gaps whose `promise` names it.
    pub gaps_by_promise: IdMap<&'e str, Vec<&'e Gap>>,
    /// Scope id → gaps whose `scope` names it.
    pub gaps_by_scope: IdMap<&'e str, Vec<&'e Gap>>,
    /// Promise id → the effort deltas of decided gaps attributed to it.
    pub gap_effort: IdMap<&'e str, f64>,
}

impl<'e> Index<'e> {
    pub fn new(e: &'e Engagement) -> Index<'e> {
        let mut index = Index {
            promises: IdMap::with_capacity_and_hasher(e.promises.len(), Default::default()),
            scope: IdMap::with_capacity_and_hasher(e.scope.len(), Default::default()),
            gaps: IdMap::with_capacity_and_hasher(e.gaps.len(), Default::default()),
            stakeholders: IdMap::with_capacity_and_hasher(e.stakeholders.len(), Default::default()),
            covering: IdMap::default(),
            gaps_by_promise: IdMap::default(),
            gaps_by_scope: IdMap::default(),
            gap_effort: IdMap::default(),
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
        for g in e.gaps.iter().filter(|g| g.is_decided()) {
            let Some(delta) = g.effort_delta else {
                continue;
            };
            // A gap that names a promise charges it; one that names only a
            // scope item spreads over the promises that item covers, so the
            // per-promise efforts add up to the scoped effort.
            let promises: Vec<&str> = match (&g.promise, &g.scope) {
                (Some(p), _) => vec![p.as_str()],
                (None, Some(s)) => index
                    .scope
                    .get(s.as_str())
                    .map(|item| item.covers.iter().map(|c| c.as_str()).collect())
                    .unwrap_or_default(),
                (None, None) => Vec::new(),
            };
            let share = delta / promises.len().max(1) as f64;
            for p in promises {
                *index.gap_effort.entry(p).or_default() += share;
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

    /// A change request or descope the customer agreed to: its effort
    /// moves the contracted effort.
    pub fn is_contract_change(&self, g: &Gap) -> bool {
        g.changes_the_contract() && self.customer_agreed(g)
    }

    /// A change request decided on our side that the customer has not
    /// agreed yet (or that someone not on their side "agreed"): it adds to
    /// the scope but not yet to the contract.
    pub fn is_pending_change_request(&self, g: &Gap) -> bool {
        g.is_decided()
            && g.resolution == Some(crate::model::Resolution::ChangeRequest)
            && !self.customer_agreed(g)
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

    /// Scoped effort attributed to a promise: its share of the scope items
    /// ([`Self::item_effort_for`]) plus the effort deltas of the decided
    /// gaps that record it ([`Self::gap_effort_for`]).
    pub fn scoped_effort_for(&self, promise: &str) -> f64 {
        self.item_effort_for(promise) + self.gap_effort_for(promise)
    }

    /// What decided gaps add to a promise's effort: a gap naming the
    /// promise adds its whole delta, a gap naming only a scope item an
    /// even share over the promises that item covers.
    pub fn gap_effort_for(&self, promise: &str) -> f64 {
        self.gap_effort.get(promise).copied().unwrap_or(0.0) + 0.0
    }

    /// Each covering item's effort spread evenly over the promises it
    /// covers.
    pub fn item_effort_for(&self, promise: &str) -> f64 {
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
        let figures = figures(e, &index, &effort_split, &coverage, cost_rate);
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
    index: &Index<'_>,
    split: &EffortSplit,
    coverage: &[Coverage],
    cost_rate: Option<f64>,
) -> Figures {
    // The split already summed the scope and the decided gaps.
    let scoped = split.for_promises + split.internal + split.unsold + split.gap_changes + 0.0; // never -0.0
    let sold = e.handoff.effort.sold;
    let contract_effort: f64 = e
        .gaps
        .iter()
        .filter(|g| index.is_contract_change(g))
        .filter_map(|g| g.effort_delta)
        .sum();
    let contracted = sold.map(|s| s + contract_effort + 0.0);
    let price_sold = e.handoff.contract.services_value;
    let price_change: f64 = e
        .gaps
        .iter()
        .filter(|g| index.customer_agreed(g))
        .filter_map(|g| g.price_delta)
        .sum();
    let price_contracted = price_sold.map(|r| r + price_change + 0.0);
    let cost_extra: f64 = e
        .gaps
        .iter()
        .filter(|g| g.is_decided())
        .filter_map(|g| g.cost_delta)
        .sum::<f64>()
        + 0.0;
    let mut pending = PendingChanges::default();
    for g in e.gaps.iter().filter(|g| index.is_pending_change_request(g)) {
        pending.count += 1;
        pending.effort += g.effort_delta.unwrap_or(0.0);
    }
    pending.effort += 0.0;
    let variance = contracted.filter(|s| *s > 0.0).map(|s| (scoped - s) / s);
    // Margin of a price at an effort and an extra money cost.
    let margin = |price: Option<f64>, effort: f64, extra: f64| {
        let price = price.filter(|r| *r > 0.0)?;
        Some((price - effort * cost_rate? - extra) / price)
    };
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
        effort_contracted: contracted,
        effort_scoped: scoped,
        effort_variance: variance,
        price_sold,
        price_contracted,
        cost_extra,
        margin_sold: sold.and_then(|s| margin(price_sold, s, 0.0)),
        margin_contracted: contracted.and_then(|s| margin(price_contracted, s, 0.0)),
        margin_scoped: margin(price_contracted, scoped, cost_extra),
        margin_at_risk: contracted
            .zip(cost_rate)
            .map(|(s, c)| (scoped * c + cost_extra - s * c).max(0.0) + 0.0),
        pending_change_requests: pending,
        coverage: counts,
    }
}
