//! PMO analytics (`handoff stats`): the quality of what was promised,
//! grouped by who promised it, who sold it, to whom, when, or by roadmap
//! tag, with a total row.
//!
//! Every share is pooled: the group's sums divided, never a mean of the
//! engagements' own ratios, so a large engagement weighs as much as its
//! size. The sums live in [`Tally`]; the shares are derived from them
//! and nothing else. docs/stats.md gives every formula. Nothing here
//! prints.

pub mod history;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::evaluate::Evaluation;
use crate::finding::{Counts, Verdict};
use crate::model::{
    Commitment, Criticality, EffortUnit, Engagement, Gap, Priority, Promise, PromiseStatus,
    Response, Role,
};

/// Effort in hours is pooled with effort in days at this rate, so one
/// engagement counted in hours does not outweigh the rest eightfold.
pub const HOURS_PER_DAY: f64 = 8.0;

/// What the rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// `promised_by` of each promise (the stakeholder's name when the key
    /// is known).
    PromisedBy,
    /// The first stakeholder in file order holding `sales_owner`.
    SalesOwner,
    /// `customer.name`.
    Customer,
    /// The quarter of `contract.signed_on`, e.g. `2026-Q1`.
    Quarter,
    /// Each tag of a roadmap promise: what the product team was sold.
    Tag,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::PromisedBy => "promised_by",
            By::SalesOwner => "sales_owner",
            By::Customer => "customer",
            By::Quarter => "quarter",
            By::Tag => "tag",
        }
    }

    /// Whether a row is made of promises (one engagement can then be in
    /// several rows) rather than of whole engagements.
    pub fn per_promise(self) -> bool {
        matches!(self, By::PromisedBy | By::Tag)
    }
}

/// A part over a whole, pooled: the share is `part / whole`, `None` when
/// the whole is nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pool {
    pub part: f64,
    pub whole: f64,
}

impl Pool {
    fn add(&mut self, part: f64, whole: f64) {
        self.part += part;
        self.whole += whole;
    }

    pub fn ratio(self) -> Option<f64> {
        (self.whole > 0.0).then(|| self.part / self.whole + 0.0)
    }
}

/// Open gaps by criticality (a gap without one counts as major, as the
/// rules read it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByCriticality {
    pub blocker: usize,
    pub critical: usize,
    pub major: usize,
    pub minor: usize,
}

impl ByCriticality {
    fn add(&mut self, c: Criticality) {
        match c {
            Criticality::Blocker => self.blocker += 1,
            Criticality::Critical => self.critical += 1,
            Criticality::Major => self.major += 1,
            Criticality::Minor => self.minor += 1,
        }
    }

    pub fn total(self) -> usize {
        self.blocker + self.critical + self.major + self.minor
    }
}

/// The sums of one row. Promises are the active ones: a withdrawn or
/// superseded promise is no longer owed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub engagements: usize,
    pub promises: usize,
    /// Verbal promises and side deals: nothing written backs them.
    pub verbal: usize,
    pub roadmap: usize,
    pub custom: usize,
    pub third_party: usize,
    pub partial: usize,
    pub exception: usize,
    pub musts: usize,
    pub musts_without_acceptance: usize,
    /// The promises' own `sold_effort`, summed (in days).
    pub promised_effort: f64,
    /// Scoped effort minus effort sold, over effort sold, in days, over
    /// the engagements with effort sold.
    pub effort_variance: Pool,
    /// Each margin weighted by its price (margin × price over price),
    /// over the engagements where the margin can be computed.
    pub margin_sold: Pool,
    pub margin_contracted: Pool,
    pub margin_scoped: Pool,
    pub open_gaps: ByCriticality,
    /// Gaps the customer has not agreed to (`Index::customer_agreed`).
    pub gaps_not_agreed: usize,
    /// Findings of the row's engagements, summed.
    pub findings: Counts,
    /// Engagements whose verdict is ready or ready with warnings.
    pub ready: usize,
    /// `customer.name` of the row's engagements.
    pub customers: BTreeSet<String>,
}

impl Tally {
    /// Findings per engagement of one severity count.
    pub fn per_engagement(&self, count: usize) -> Option<f64> {
        (self.engagements > 0).then(|| count as f64 / self.engagements as f64)
    }

    /// A count over the row's promises.
    pub fn share_of_promises(&self, count: usize) -> Option<f64> {
        (self.promises > 0).then(|| count as f64 / self.promises as f64)
    }

    pub fn ready_share(&self) -> Option<f64> {
        self.per_engagement(self.ready)
    }

    /// Adds one engagement, with only `part` of its promises and gaps.
    fn add(&mut self, ev: &Evaluation<'_>, part: &Part<'_>) {
        let e = ev.engagement();
        let index = &ev.analysis.index;
        let f = &ev.analysis.figures;
        let to_days = match e.handoff.effort.unit {
            Some(EffortUnit::Hours) => 1.0 / HOURS_PER_DAY,
            _ => 1.0,
        };
        self.engagements += 1;
        for p in &part.promises {
            self.promises += 1;
            if matches!(
                p.commitment,
                Some(Commitment::Verbal | Commitment::SideDeal)
            ) {
                self.verbal += 1;
            }
            match p.response {
                Some(Response::Roadmap) => self.roadmap += 1,
                Some(Response::Custom) => self.custom += 1,
                Some(Response::ThirdParty) => self.third_party += 1,
                Some(Response::Partial) => self.partial += 1,
                Some(Response::Exception) => self.exception += 1,
                _ => {}
            }
            if p.priority() == Priority::Must {
                self.musts += 1;
                if p.acceptance.is_empty() {
                    self.musts_without_acceptance += 1;
                }
            }
            self.promised_effort += p.sold_effort.unwrap_or(0.0) * to_days;
        }
        for g in &part.gaps {
            if g.status == crate::model::GapStatus::Open {
                self.open_gaps.add(g.criticality());
            }
            if !index.customer_agreed(g) {
                self.gaps_not_agreed += 1;
            }
        }
        if let Some(sold) = f.effort_sold.filter(|s| *s > 0.0) {
            self.effort_variance
                .add((f.effort_scoped - sold) * to_days, sold * to_days);
        }
        let weigh = |pool: &mut Pool, margin: Option<f64>, price: Option<f64>| {
            if let (Some(m), Some(r)) = (margin, price) {
                pool.add(m * r, r);
            }
        };
        weigh(&mut self.margin_sold, f.margin_sold, f.price_sold);
        weigh(
            &mut self.margin_contracted,
            f.margin_contracted,
            f.price_contracted,
        );
        weigh(&mut self.margin_scoped, f.margin_scoped, f.price_contracted);
        self.findings.errors += ev.counts.errors;
        self.findings.warnings += ev.counts.warnings;
        self.findings.infos += ev.counts.infos;
        if is_ready(ev.verdict) {
            self.ready += 1;
        }
        if let Some(name) = &e.handoff.customer_name {
            self.customers.insert(name.clone());
        }
    }
}

/// Ready for kickoff: warnings do not hold it back.
pub fn is_ready(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Ready | Verdict::ReadyWithWarnings)
}

/// One row: the value grouped on (`None`: not written) and its sums.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub key: Option<String>,
    pub tally: Tally,
}

/// Every row, then the total over every engagement read.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// `None`: the total alone.
    pub by: Option<By>,
    /// By key; the rows without a value last.
    pub groups: Vec<Group>,
    pub total: Tally,
}

/// The promises and gaps of one engagement that belong to a row.
#[derive(Debug)]
struct Part<'e> {
    promises: Vec<&'e Promise>,
    gaps: Vec<&'e Gap>,
}

impl<'e> Part<'e> {
    fn whole(e: &'e Engagement) -> Part<'e> {
        Part {
            promises: e.promises.iter().filter(|p| is_active(p)).collect(),
            gaps: e.gaps.iter().collect(),
        }
    }

    /// These promises, and the gaps recorded against them.
    fn of(e: &'e Engagement, promises: Vec<&'e Promise>) -> Part<'e> {
        let ids: HashSet<&str> = promises.iter().map(|p| p.id.as_str()).collect();
        let gaps = e
            .gaps
            .iter()
            .filter(|g| g.promise.as_ref().is_some_and(|p| ids.contains(p.as_str())))
            .collect();
        Part { promises, gaps }
    }
}

fn is_active(p: &Promise) -> bool {
    p.status == PromiseStatus::Active
}

/// `2026-Q1`, the quarter the contract was signed in.
pub fn quarter(e: &Engagement) -> Option<String> {
    e.handoff
        .contract
        .signed_on
        .map(|d| format!("{}-Q{}", d.year(), d.quarter()))
}

/// The first stakeholder in file order holding `sales_owner`, by name.
pub fn sales_owner(e: &Engagement) -> Option<String> {
    e.stakeholders
        .iter()
        .find(|k| k.roles.contains(&Role::SalesOwner))
        .map(|k| k.display_name().to_string())
}

/// Who made a promise, by name when the key names a stakeholder, so one
/// person is one row across engagements whatever key each file uses.
fn promised_by(ev: &Evaluation<'_>, p: &Promise) -> Option<String> {
    let key = p.promised_by.as_deref()?;
    Some(
        ev.analysis
            .index
            .stakeholders
            .get(key)
            .map_or(key, |k| k.display_name())
            .to_string(),
    )
}

/// The rows of one engagement: its key and the part of it in that row.
fn parts<'e>(ev: &Evaluation<'e>, by: By) -> Vec<(Option<String>, Part<'e>)> {
    let e = ev.engagement();
    let whole = |key| vec![(key, Part::whole(e))];
    match by {
        By::SalesOwner => whole(sales_owner(e)),
        By::Customer => whole(e.handoff.customer_name.clone()),
        By::Quarter => whole(quarter(e)),
        By::PromisedBy => {
            let mut rows: BTreeMap<Option<String>, Vec<&'e Promise>> = BTreeMap::new();
            for p in e.promises.iter().filter(|p| is_active(p)) {
                rows.entry(promised_by(ev, p)).or_default().push(p);
            }
            rows.into_iter()
                .map(|(key, promises)| (key, Part::of(e, promises)))
                .collect()
        }
        By::Tag => {
            let mut rows: BTreeMap<Option<String>, Vec<&'e Promise>> = BTreeMap::new();
            let roadmap = e
                .promises
                .iter()
                .filter(|p| is_active(p) && p.response == Some(Response::Roadmap));
            for p in roadmap {
                if p.tags.is_empty() {
                    rows.entry(None).or_default().push(p);
                }
                // A tag written twice on one promise counts once.
                let tags: BTreeSet<&String> = p.tags.iter().collect();
                for tag in tags {
                    rows.entry(Some(tag.clone())).or_default().push(p);
                }
            }
            rows.into_iter()
                .map(|(key, promises)| (key, Part::of(e, promises)))
                .collect()
        }
    }
}

/// The rows and the total over `evaluations`.
pub fn compute(evaluations: &[Evaluation<'_>], by: Option<By>) -> Stats {
    let mut rows: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for ev in evaluations {
        total.add(ev, &Part::whole(ev.engagement()));
        for (key, part) in by.map(|by| parts(ev, by)).unwrap_or_default() {
            rows.entry(key).or_default().add(ev, &part);
        }
    }
    let mut groups: Vec<Group> = rows
        .into_iter()
        .map(|(key, tally)| Group { key, tally })
        .collect();
    // `None` sorts first in the map; a row of what was not written reads
    // better after the named ones.
    groups.sort_by_key(|g| g.key.is_none());
    Stats { by, groups, total }
}
