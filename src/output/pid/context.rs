//! What a PID template sees: the engagement, judged, turned into display
//! values. Every field is documented in docs/pid.md; that page and these
//! types change together, because organisations write templates against
//! them.
//!
//! Values are ready to print (numbers grouped, percentages signed, people
//! by name rather than by key); missing data is `none` so a template can
//! test for it. Nothing here depends on today's date or on the folder the
//! command was run from, so the same files always give the same document.

use serde::Serialize;

use super::lazy::Lazy;
use super::tables::TablesCtx;
use crate::analysis::Coverage;
use crate::analysis::decisions::{self, MarginInput};
use crate::analysis::plan::{EventKind, timeline};
use crate::config::{Config, EffortBand, MarginShortfall};
use crate::evaluate::Evaluation;
use crate::format::{capitalise, money, number, percent, round, signed_percent};
use crate::model::audience::{Reader, Shown};
use crate::model::{
    Approach, Criticality, Engagement, Gap, GapStatus, IdMap, Level, Promise, Resolution, Role,
    ScopeItem, Stakeholder, Vocab,
};
use crate::output::gap_about;
use crate::signoff;

#[derive(Debug, Serialize)]
pub struct Context {
    pub engagement: EngagementCtx,
    pub contract: ContractCtx,
    pub readiness: ReadinessCtx,
    pub sales_owner: Option<String>,
    pub project_manager: Option<String>,
    pub success_criteria: Vec<CriterionCtx>,
    pub scope: ScopeCtx,
    pub not_fully_covered: Lazy<UncoveredCtx>,
    pub stakeholders: Vec<StakeholderCtx>,
    pub approach: Vec<ApproachCtx>,
    pub business_case: BusinessCaseCtx,
    pub team: Vec<TeamRoleCtx>,
    pub quality: Lazy<QualityCtx>,
    pub change_requests: Vec<ChangeRequestCtx>,
    /// Change requests the document leaves out (gaps without the wording
    /// agreed for the customer); always 0 in an internal document.
    pub change_requests_left_out: usize,
    pub risks: Vec<RiskCtx>,
    pub communication: CommunicationCtx,
    pub plan: PlanCtx,
    pub tolerances: TolerancesCtx,
    pub promises: Lazy<PromiseCtx>,
    pub gaps: Lazy<GapCtx>,
    pub signoffs: Vec<SignoffCtx>,
    /// The long tables, written out: see [`TablesCtx`].
    pub tables: TablesCtx,
    /// `customer` or `internal`: who the document is for.
    pub audience: &'static str,
    /// Whether effort figures are shown: not to the customer on a fixed
    /// price.
    pub shows_effort: bool,
    pub include_private: bool,
}

#[derive(Debug, Serialize)]
pub struct EngagementCtx {
    pub id: String,
    pub name: Option<String>,
    /// The name, or the id when there is no name.
    pub title: String,
    pub customer: Option<String>,
    pub background: Option<String>,
    pub why_bought: Vec<String>,
    pub exclusions: Vec<String>,
    pub assumptions: Vec<String>,
    pub dependencies: Vec<String>,
    pub constraints: Vec<String>,
    pub interfaces: Vec<String>,
    pub open_questions: Vec<String>,
    pub documents: Vec<DocumentCtx>,
    pub effort_unit: &'static str,
}

#[derive(Debug, Serialize)]
pub struct DocumentCtx {
    pub kind: String,
    pub reference: String,
}

#[derive(Debug, Serialize)]
pub struct ContractCtx {
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub type_words: Option<&'static str>,
    pub currency: Option<String>,
    pub services_value: Option<String>,
    pub total_value: Option<String>,
    pub payment_terms: Option<String>,
    pub signed_on: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReadinessCtx {
    pub verdict: &'static str,
    pub words: &'static str,
    pub ready: bool,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub findings: Vec<FindingCtx>,
}

#[derive(Debug, Serialize)]
pub struct FindingCtx {
    pub severity: &'static str,
    pub code: &'static str,
    pub item: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct CriterionCtx {
    pub id: Option<String>,
    pub text: String,
    pub measure: Option<String>,
    pub validated: bool,
}

#[derive(Debug, Serialize)]
pub struct ScopeCtx {
    pub phases: Vec<PhaseCtx>,
    pub excluded: Vec<ScopeItemCtx>,
    /// The scoped effort: the scope items plus what decided gaps add, the
    /// same total as the business case; `none` where effort is not shown
    /// (`shows_effort`).
    pub effort: Option<String>,
    /// "174 days in scope items + 18 days from decided gaps", when decided
    /// gaps change the effort and effort is shown; `none` otherwise.
    pub effort_split: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PhaseCtx {
    pub name: String,
    pub effort: Option<String>,
    pub items: Lazy<ScopeItemCtx>,
    /// `items` as the built-in template's table (see [`TablesCtx`]).
    pub table: String,
}

#[derive(Debug, Serialize)]
pub struct ScopeItemCtx {
    pub id: String,
    pub title: Option<String>,
    pub covers: Vec<String>,
    /// "P-01, P-02", "internal", or "no promise".
    pub covers_text: String,
    pub coverage: &'static str,
    pub approach: Option<&'static str>,
    pub effort: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub internal: bool,
    pub unsold: bool,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UncoveredCtx {
    pub id: String,
    pub title: String,
    pub priority: &'static str,
    pub coverage: &'static str,
    pub scope: Vec<String>,
    /// `scope` joined with ", ": a table cell as it is (joining in the
    /// template, once per row, was a tenth of a large PID's rendering).
    pub scope_text: String,
    pub decisions: Vec<DecisionCtx>,
}

#[derive(Debug, Serialize)]
pub struct DecisionCtx {
    pub gap: String,
    pub status: &'static str,
    pub resolution: Option<&'static str>,
    /// One sentence: what was decided, with whom, and any workaround.
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct StakeholderCtx {
    pub key: String,
    pub name: String,
    pub org: Option<&'static str>,
    pub title: Option<String>,
    pub roles: Vec<&'static str>,
    pub roles_text: String,
    pub influence: Option<&'static str>,
    pub interest: Option<&'static str>,
    pub attitude: Option<&'static str>,
    pub contact: Option<String>,
    /// Always `none` unless `--include-private` was given.
    pub notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ApproachCtx {
    pub approach: Option<&'static str>,
    pub words: &'static str,
    pub items: usize,
    pub effort: Option<String>,
    pub share: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct BusinessCaseCtx {
    pub effort_sold: Option<String>,
    pub effort_scoped: Option<String>,
    pub effort_variance: Option<String>,
    pub variance_status: Option<String>,
    pub effort_for_promises: Option<String>,
    pub effort_internal: Option<String>,
    pub effort_unsold: Option<String>,
    pub effort_gap_changes: Option<String>,
    /// Set only when agreed gaps changed the contract since the sale (and
    /// effort is shown).
    pub effort_contracted: Option<String>,
    pub price_contracted: Option<String>,
    /// Internal: `none` for the customer.
    pub margin_contracted: Option<String>,
    /// Money cost of decided gaps that is not effort; internal, `none` when 0.
    pub cost_extra: Option<String>,
    /// "2 change requests awaiting the customer, +18 days", or `none`
    /// (and `none` where effort is not shown).
    pub pending_change_requests: Option<String>,
    pub services_value: Option<String>,
    pub day_rate: Option<String>,
    pub target_margin: Option<String>,
    pub margin_sold: Option<String>,
    pub margin_scoped: Option<String>,
    pub margin_at_risk: Option<String>,
    pub margin_status: Option<String>,
    /// Why margins are missing, when they are.
    pub margin_missing: Option<String>,
    pub coverage: String,
}

#[derive(Debug, Serialize)]
pub struct TeamRoleCtx {
    pub group: &'static str,
    pub role: &'static str,
    pub words: &'static str,
    /// A role every PID names, shown even when nobody holds it.
    pub expected: bool,
    pub people: Vec<PersonCtx>,
    /// "Name (Title, org); ..." or `none` when nobody holds the role.
    pub names: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonCtx {
    pub key: String,
    pub name: String,
    pub title: Option<String>,
    pub org: Option<&'static str>,
    pub contact: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct QualityCtx {
    pub id: String,
    pub title: String,
    pub priority: &'static str,
    pub acceptance: Vec<String>,
    pub scope_checks: Vec<String>,
    /// `acceptance` and `scope_checks` joined with "; ".
    pub acceptance_text: String,
    pub scope_checks_text: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeRequestCtx {
    pub gap: String,
    pub reference: Option<String>,
    pub about: String,
    pub status: &'static str,
    pub open: bool,
    pub effort_delta: Option<String>,
    pub price_delta: Option<String>,
    pub cost_delta: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct RiskCtx {
    pub id: String,
    pub text: String,
    pub likelihood: Option<&'static str>,
    pub impact: Option<&'static str>,
    pub owner: Option<String>,
    /// "risk" for the risk register, "gap" for a gap treated as a risk.
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct CommunicationCtx {
    pub channels: Vec<String>,
    pub first_line_contact: Option<PersonCtx>,
}

#[derive(Debug, Serialize)]
pub struct PlanCtx {
    pub kickoff: Option<String>,
    pub go_live: Option<String>,
    pub events: Vec<EventCtx>,
}

#[derive(Debug, Serialize)]
pub struct EventCtx {
    pub date: String,
    /// "kickoff", "milestone", "go-live" or "hard deadline".
    pub kind: &'static str,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct TolerancesCtx {
    pub effort_variance_warn: Option<String>,
    pub effort_variance_fail: Option<String>,
    pub effort_variance_low: Option<String>,
    pub margin_floor: Option<String>,
    pub target_margin: Option<String>,
    pub go_live: Option<String>,
    pub hard_deadlines: Vec<DeadlineCtx>,
    /// "handoff.toml" or "the built-in defaults".
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct DeadlineCtx {
    pub date: String,
    pub why: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PromiseCtx {
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub priority: &'static str,
    pub commitment: Option<&'static str>,
    pub response: Option<&'static str>,
    pub status: &'static str,
    pub coverage: &'static str,
    pub scope: Vec<String>,
    pub gaps: Vec<String>,
    /// `scope` and `gaps` joined with ", ".
    pub scope_text: String,
    pub gaps_text: String,
    pub acceptance: Vec<String>,
    pub sold_effort: Option<String>,
    pub scoped_effort: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GapCtx {
    pub id: String,
    pub about: String,
    pub promise: Option<String>,
    pub scope: Option<String>,
    pub kind: Option<&'static str>,
    pub criticality: &'static str,
    pub customer_view: Option<&'static str>,
    pub status: &'static str,
    pub resolution: Option<&'static str>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub agreed_with: Option<String>,
    pub agreed_on: Option<String>,
    /// The internal summary, or in a customer document the customer's.
    pub summary: Option<String>,
    pub customer_summary: Option<String>,
    pub workaround: Option<String>,
    pub change_request: Option<String>,
    pub effort_delta: Option<String>,
    pub price_delta: Option<String>,
    pub cost_delta: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SignoffCtx {
    pub role: String,
    pub words: String,
    /// Who signed; before anyone signs, the person who holds the matching
    /// role, to save typing.
    pub name: Option<String>,
    /// `approved`, `approved_with_conditions` or `rejected`; none until signed.
    pub decision: Option<String>,
    pub date: Option<String>,
    /// "fresh", "stale: promises changed", or "not signed".
    pub state: String,
}

/// Names people by their stakeholder key; unknown keys stay as written.
struct People<'e> {
    by_key: IdMap<&'e str, &'e Stakeholder>,
}

impl<'e> People<'e> {
    fn new(e: &'e Engagement) -> People<'e> {
        let mut by_key = IdMap::default();
        for s in &e.stakeholders {
            by_key.entry(s.key.as_str()).or_insert(s);
        }
        People { by_key }
    }

    fn name(&self, key: &str) -> String {
        self.by_key
            .get(key)
            .map_or_else(|| key.to_string(), |s| s.display_name().to_string())
    }

    fn opt_name(&self, key: Option<&String>) -> Option<String> {
        key.map(|k| self.name(k))
    }

    fn person(&self, key: &str) -> PersonCtx {
        match self.by_key.get(key) {
            Some(s) => person(s),
            None => PersonCtx {
                key: key.to_string(),
                name: key.to_string(),
                title: None,
                org: None,
                contact: None,
            },
        }
    }
}

fn person(s: &Stakeholder) -> PersonCtx {
    PersonCtx {
        key: s.key.value.clone(),
        name: s.display_name().to_string(),
        title: s.title.clone(),
        org: s.org.map(Vocab::as_str),
        contact: s.contact.clone(),
    }
}

fn holders(e: &Engagement, role: Role) -> impl Iterator<Item = &Stakeholder> {
    e.stakeholders
        .iter()
        .filter(move |s| s.roles.contains(&role))
}

fn names_with_role(e: &Engagement, role: Role) -> Option<String> {
    let names: Vec<&str> = holders(e, role).map(Stakeholder::display_name).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// PRINCE2's team structure first, then the commercial and customer-side
/// roles a handoff adds. The flag marks roles a PID always names.
const TEAM: &[(&str, Role, bool)] = &[
    ("Project board", Role::Executive, true),
    ("Project board", Role::SeniorUser, true),
    ("Project board", Role::SeniorSupplier, true),
    ("Project management", Role::ProjectManager, true),
    ("Project management", Role::TeamManager, false),
    ("Project management", Role::CustomerPm, false),
    ("Project management", Role::TechnicalLead, false),
    ("Commercial", Role::EconomicBuyer, false),
    ("Commercial", Role::SalesOwner, false),
    ("Commercial", Role::Presales, false),
    ("Commercial", Role::Procurement, false),
    ("Commercial", Role::Finance, false),
    ("Other", Role::Champion, false),
    ("Other", Role::Other, false),
];

fn approach_words(a: Option<Approach>) -> &'static str {
    match a {
        Some(Approach::Standard) => "Standard product, as it comes",
        Some(Approach::Configuration) => "Configuration of the product",
        Some(Approach::Custom) => "Custom development",
        Some(Approach::ThirdParty) => "Third-party product or partner",
        Some(Approach::Workaround) => "Workaround",
        Some(Approach::ProcessChange) => "Change to the customer's process",
        None => "Not stated (for example internal work)",
    }
}

fn resolution_words(r: Resolution) -> &'static str {
    match r {
        Resolution::Configure => "configure the product",
        Resolution::Develop => "develop it",
        Resolution::ThirdParty => "use a third-party solution",
        Resolution::Roadmap => "leave it to the product roadmap",
        Resolution::Workaround => "use a workaround",
        Resolution::ProcessChange => "change the customer's process",
        Resolution::Concession => "give it as a concession",
        Resolution::Descope => "take it out of scope",
        Resolution::ChangeRequest => "handle it as a change request",
        Resolution::Absorb => "absorb the extra effort",
    }
}

fn criticality_impact(c: Criticality) -> Level {
    match c {
        Criticality::Blocker | Criticality::Critical => Level::High,
        Criticality::Major => Level::Medium,
        Criticality::Minor => Level::Low,
    }
}

fn signoff_role(role: &str) -> Option<Role> {
    match role {
        "sales" => Some(Role::SalesOwner),
        "delivery" => Some(Role::ProjectManager),
        "presales_review" => Some(Role::Presales),
        "finance" => Some(Role::Finance),
        "customer_sponsor" => Some(Role::Executive),
        _ => None,
    }
}

/// The engagement's display of a list of acceptance texts, without blanks.
fn texts(list: &[String]) -> Vec<String> {
    list.iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

struct Fmt<'e> {
    unit: &'static str,
    currency: Option<&'e str>,
    /// Whether the reader may see effort figures.
    effort: bool,
}

impl Fmt<'_> {
    /// An effort figure, where the reader may see effort.
    fn shown_effort(&self, x: f64) -> Option<String> {
        self.effort.then(|| self.effort(x))
    }

    /// `number` already shows an empty sum (-0.0) as 0.
    fn effort(&self, x: f64) -> String {
        format!("{} {}", number(x), self.unit)
    }

    fn signed_effort(&self, x: f64) -> String {
        let sign = if x > 0.0 { "+" } else { "" };
        format!("{sign}{} {}", number(x), self.unit)
    }

    fn money(&self, x: f64) -> String {
        money(x, self.currency)
    }
}

impl Context {
    /// The context of a document for `shown`'s reader. Every value comes
    /// from what the audience filter let through ([`Evaluation::shown`]),
    /// except the sign-offs' freshness, which compares what was signed
    /// with the whole engagement (`judged`), as `status` does.
    pub fn new(judged: &Evaluation<'_>, shown: &Shown) -> Context {
        let ev = &judged.shown(shown);
        let e = ev.engagement();
        let h = &e.handoff;
        let people = People::new(e);
        let fmt = Fmt {
            unit: h.effort.unit_name(),
            currency: h.contract.currency.as_deref(),
            effort: shown.shows_effort(),
        };
        let include_private = shown.view.include_private;
        let mut ctx = Context {
            engagement: EngagementCtx {
                id: e.id().to_string(),
                name: h.name.clone(),
                title: h.name.clone().unwrap_or_else(|| e.id().to_string()),
                customer: h.customer_name.clone(),
                background: h.background.clone(),
                why_bought: h.why_bought.clone(),
                exclusions: h.exclusions.clone(),
                assumptions: h.assumptions.clone(),
                dependencies: h.dependencies.clone(),
                constraints: h.constraints.clone(),
                interfaces: h.interfaces.clone(),
                open_questions: h.open_questions.clone(),
                documents: h
                    .contract
                    .documents
                    .iter()
                    .map(|d| DocumentCtx {
                        kind: d.kind.clone(),
                        reference: d.reference.clone(),
                    })
                    .collect(),
                effort_unit: fmt.unit,
            },
            contract: ContractCtx {
                kind: h.contract.kind.map(Vocab::as_str),
                type_words: h.contract.kind.map(contract_words),
                currency: h.contract.currency.clone(),
                services_value: h.contract.services_value.map(|v| fmt.money(v)),
                total_value: h.contract.total_value.map(|v| fmt.money(v)),
                payment_terms: h.contract.payment_terms.clone(),
                signed_on: h.contract.signed_on.map(|d| d.to_string()),
            },
            readiness: readiness(ev, shown.view.reader),
            sales_owner: names_with_role(e, Role::SalesOwner),
            project_manager: names_with_role(e, Role::ProjectManager),
            success_criteria: h
                .success_criteria
                .iter()
                .map(|c| CriterionCtx {
                    id: c.id.clone(),
                    text: c.text.clone(),
                    measure: c.measure.clone(),
                    validated: c.validated_by_customer,
                })
                .collect(),
            scope: scope(ev, &people, &fmt),
            not_fully_covered: not_fully_covered(ev, &people).into(),
            stakeholders: e.stakeholders.iter().map(stakeholder).collect(),
            approach: approach_mix(e, &fmt),
            business_case: business_case(ev, judged, &fmt, shown),
            team: team(e),
            quality: quality(ev).into(),
            change_requests: change_requests(e, &fmt),
            // A count only: which ones, and what they say, stays out.
            change_requests_left_out: judged
                .engagement()
                .gaps
                .iter()
                .filter(|g| is_change_request(g))
                .count()
                - e.gaps.iter().filter(|g| is_change_request(g)).count(),
            risks: risks(e, &people),
            communication: CommunicationCtx {
                channels: h.communication.channels.clone(),
                first_line_contact: h
                    .communication
                    .first_line_contact
                    .as_deref()
                    .map(|k| people.person(k)),
            },
            plan: plan(e),
            tolerances: tolerances(e, ev.config, shown, &fmt),
            promises: promises(ev, &fmt).into(),
            gaps: e
                .gaps
                .iter()
                .map(|g| gap(g, &people, &fmt))
                .collect::<Vec<_>>()
                .into(),
            signoffs: signoffs(judged),
            tables: TablesCtx::default(),
            audience: shown.view.reader.as_str(),
            shows_effort: fmt.effort,
            include_private,
        };
        ctx.tables = TablesCtx::of(&ctx);
        ctx
    }
}

fn contract_words(kind: crate::model::ContractType) -> &'static str {
    use crate::model::ContractType;
    match kind {
        ContractType::FixedPrice => "fixed price",
        ContractType::TimeAndMaterials => "time and materials",
        ContractType::CappedTm => "time and materials with a cap",
        ContractType::Retainer => "retainer",
    }
}

fn readiness(ev: &Evaluation<'_>, reader: Reader) -> ReadinessCtx {
    ReadinessCtx {
        verdict: ev.verdict.as_str(),
        words: ev.verdict.words(),
        ready: ev.counts.errors == 0,
        errors: ev.counts.errors,
        warnings: ev.counts.warnings,
        infos: ev.counts.infos,
        // Finding messages quote margins, attitudes and internal gap
        // summaries: a customer document gives the verdict and counts only.
        findings: ev
            .findings
            .iter()
            .filter(|_| reader == Reader::Internal)
            .map(|f| FindingCtx {
                severity: f.severity.as_str(),
                code: f.code.as_str(),
                item: f.item.clone(),
                message: f.message.clone(),
            })
            .collect(),
    }
}

fn scope_item(s: &ScopeItem, people: &People<'_>, fmt: &Fmt<'_>) -> ScopeItemCtx {
    let covers: Vec<String> = s.covers.iter().map(|c| c.value.clone()).collect();
    let unsold = s.is_unsold();
    let covers_text = if !covers.is_empty() {
        covers.join(", ")
    } else if s.internal {
        "internal".to_string()
    } else {
        "no promise".to_string()
    };
    ScopeItemCtx {
        id: s.id.value.clone(),
        title: s.title.clone(),
        covers,
        covers_text,
        coverage: s.coverage.as_str(),
        approach: s.approach.map(Vocab::as_str),
        effort: fmt.shown_effort(s.effort),
        owner: people.opt_name(s.owner.as_ref()),
        due: s.due.as_ref().map(|d| d.value.to_string()),
        internal: s.internal,
        unsold,
        note: s.note.clone(),
    }
}

fn scope(ev: &Evaluation<'_>, people: &People<'_>, fmt: &Fmt<'_>) -> ScopeCtx {
    let e = ev.engagement();
    let mut phases: Vec<(String, f64, Vec<ScopeItemCtx>)> = Vec::new();
    let mut excluded = Vec::new();
    let mut total = 0.0;
    let gap_changes = ev.analysis.effort_split.gap_changes;
    for s in &e.scope {
        if !s.counts() {
            excluded.push(scope_item(s, people, fmt));
            continue;
        }
        total += s.effort;
        let name = s.phase.clone().unwrap_or_else(|| "no phase".to_string());
        let item = scope_item(s, people, fmt);
        match phases.iter_mut().find(|(n, _, _)| *n == name) {
            Some((_, effort, items)) => {
                *effort += s.effort;
                items.push(item);
            }
            None => phases.push((name, s.effort, vec![item])),
        }
    }
    ScopeCtx {
        phases: phases
            .into_iter()
            .map(|(name, effort, items)| PhaseCtx {
                name,
                effort: fmt.shown_effort(effort),
                table: super::tables::phase_table(&items, fmt.effort),
                items: items.into(),
            })
            .collect(),
        excluded,
        effort: fmt.shown_effort(total + gap_changes),
        effort_split: (fmt.effort && gap_changes != 0.0).then(|| {
            format!(
                "{} in scope items {} {} from decided gaps",
                fmt.effort(total),
                if gap_changes < 0.0 { "−" } else { "+" },
                fmt.effort(gap_changes.abs())
            )
        }),
    }
}

/// `customer_agreed` is the analysis's word on whether the customer agreed
/// ([`crate::analysis::Index::customer_agreed`]).
fn decision(g: &Gap, customer_agreed: bool, people: &People<'_>) -> DecisionCtx {
    let what = g.resolution.map(resolution_words);
    let mut text = match g.status {
        GapStatus::Open => "open: nobody has decided yet".to_string(),
        GapStatus::Decided => match what {
            Some(w) => format!("decided to {w}; the customer has not agreed yet"),
            None => "marked decided, but the decision is not written down".to_string(),
        },
        GapStatus::Agreed if !customer_agreed => {
            let with = g
                .agreed_with
                .as_deref()
                .map_or(String::new(), |k| format!(" with {}", people.name(k)));
            format!(
                "marked agreed{with}, who cannot agree for the customer: the customer has not agreed yet"
            )
        }
        GapStatus::Agreed => {
            let with = g
                .agreed_with
                .as_deref()
                .map_or(String::new(), |k| format!(" with {}", people.name(k)));
            let on = g.agreed_on.map_or(String::new(), |d| format!(" on {d}"));
            match what {
                Some(w) => format!("agreed{with}{on}: {w}"),
                None => format!("agreed{with}{on}"),
            }
        }
        GapStatus::Closed => match what {
            Some(w) => format!("closed: {w}"),
            None => "closed".to_string(),
        },
    };
    if let Some(w) = &g.workaround {
        text.push_str(&format!("; workaround: {}", w.trim()));
    }
    if let Some(cr) = &g.change_request {
        text.push_str(&format!("; change request {cr}"));
    }
    DecisionCtx {
        gap: g.id.value.clone(),
        status: g.status.as_str(),
        resolution: g.resolution.map(Vocab::as_str),
        text,
    }
}

fn not_fully_covered(ev: &Evaluation<'_>, people: &People<'_>) -> Vec<UncoveredCtx> {
    let index = &ev.analysis.index;
    ev.analysis
        .promises_with_coverage()
        .filter(|(_, c)| matches!(c, Coverage::Partial | Coverage::Unscoped))
        .map(|(p, c)| {
            let scope = index.covering_ids(&p.id);
            UncoveredCtx {
                id: p.id.value.clone(),
                title: p.title.clone(),
                priority: p.priority().as_str(),
                coverage: c.as_str(),
                scope_text: scope.join(", "),
                scope,
                decisions: index
                    .gaps_for_promise(&p.id)
                    .iter()
                    .map(|g| decision(g, index.customer_agreed(g), people))
                    .collect(),
            }
        })
        .collect()
}

/// Private notes come through only when the audience filter let them.
fn stakeholder(s: &Stakeholder) -> StakeholderCtx {
    StakeholderCtx {
        key: s.key.value.clone(),
        name: s.display_name().to_string(),
        org: s.org.map(Vocab::as_str),
        title: s.title.clone(),
        roles: s.roles.iter().map(|r| r.as_str()).collect(),
        roles_text: s
            .roles
            .iter()
            .map(|r| r.words())
            .collect::<Vec<_>>()
            .join(", "),
        influence: s.influence.map(Vocab::as_str),
        interest: s.interest.map(Vocab::as_str),
        attitude: s.attitude.map(Vocab::as_str),
        contact: s.contact.clone(),
        notes: s.notes.clone(),
    }
}

fn approach_mix(e: &Engagement, fmt: &Fmt<'_>) -> Vec<ApproachCtx> {
    let counted: Vec<&ScopeItem> = e.scope.iter().filter(|s| s.counts()).collect();
    let total: f64 = counted.iter().map(|s| s.effort).sum();
    let mut order: Vec<Option<Approach>> = Approach::NAMES
        .iter()
        .filter_map(|n| Approach::parse(n))
        .map(Some)
        .collect();
    order.push(None);
    order
        .into_iter()
        .filter_map(|a| {
            let items: Vec<&&ScopeItem> = counted.iter().filter(|s| s.approach == a).collect();
            if items.is_empty() {
                return None;
            }
            let effort: f64 = items.iter().map(|s| s.effort).sum();
            Some(ApproachCtx {
                approach: a.map(Vocab::as_str),
                words: approach_words(a),
                items: items.len(),
                effort: fmt.shown_effort(effort),
                share: fmt.effort.then(|| {
                    if total > 0.0 {
                        percent(effort / total)
                    } else {
                        "-".to_string()
                    }
                }),
            })
        })
        .collect()
}

fn business_case(
    ev: &Evaluation<'_>,
    judged: &Evaluation<'_>,
    fmt: &Fmt<'_>,
    shown: &Shown,
) -> BusinessCaseCtx {
    let e = ev.engagement();
    let h = &e.handoff;
    let f = &ev.analysis.figures;
    let t = &ev.config.thresholds;
    let split = &ev.analysis.effort_split;
    // Where the reader may see effort, the totals are the ones `check`
    // judges, internal work and gap changes included: on time and
    // materials the customer pays for that effort too, so a total without
    // it would not be the one they are billed against.
    let totals = fmt.effort.then_some(&judged.analysis.figures);
    let variance = totals.and_then(|t| t.effort_variance);
    let variance_status = variance.map(|v| match t.effort_band(v) {
        EffortBand::Fail => format!(
            "above the failing tolerance of {}",
            signed_percent(t.effort_variance_fail)
        ),
        EffortBand::Warn => format!(
            "above the warning tolerance of {}",
            signed_percent(t.effort_variance_warn)
        ),
        EffortBand::Under => format!(
            "below the lower tolerance of {}: check nothing is missing from the scope",
            signed_percent(t.effort_variance_low)
        ),
        EffortBand::Within => "within tolerance".to_string(),
    });
    let target = h.effort.target_margin;
    let margin_status = f
        .margin_scoped
        .and_then(|m| match t.margin_shortfall(m, target) {
            Some(MarginShortfall::BelowFloor(floor)) => {
                Some(format!("below the floor of {}", percent(floor)))
            }
            Some(MarginShortfall::BelowTarget(target)) => {
                Some(format!("below the target of {}", percent(target)))
            }
            None => (t.margin_floor.is_some() || target.is_some())
                .then(|| "meets the target".to_string()),
        });
    let missing: Vec<&str> = decisions::margin_missing(e, f, ev.analysis.cost_rate)
        .into_iter()
        .map(|input| match input {
            MarginInput::ServicesValue => "the services value (`contract.services_value`)",
            MarginInput::CostRate => "a cost rate (`--cost-rate` or `HANDOFF_COST_RATE`)",
            MarginInput::EffortSold => "the effort sold (`effort.sold`)",
        })
        .collect();
    // Margins are not the customer's to see, so not theirs to miss either.
    let margin_missing = (!missing.is_empty() && shown.shows_margins())
        .then(|| format!("margins need {}", missing.join(" and ")));
    BusinessCaseCtx {
        effort_sold: totals.and_then(|t| t.effort_sold).map(|s| fmt.effort(s)),
        effort_scoped: totals.map(|t| fmt.effort(t.effort_scoped)),
        effort_variance: variance.map(signed_percent),
        variance_status,
        effort_for_promises: fmt.shown_effort(split.for_promises),
        effort_internal: fmt.shown_effort(split.internal),
        effort_unsold: fmt.shown_effort(split.unsold),
        effort_gap_changes: fmt.effort.then(|| fmt.signed_effort(split.gap_changes)),
        effort_contracted: f
            .effort_contracted
            .filter(|_| fmt.effort && f.contract_changed())
            .map(|s| fmt.effort(s)),
        price_contracted: f
            .price_contracted
            .filter(|_| f.contract_changed())
            .map(|v| fmt.money(v)),
        margin_contracted: f
            .margin_contracted
            .filter(|_| shown.shows_margins() && f.contract_changed())
            .map(percent),
        cost_extra: (shown.shows_margins() && f.cost_extra != 0.0).then(|| fmt.money(f.cost_extra)),
        pending_change_requests: if fmt.effort {
            crate::output::pending_line(e, f)
        } else {
            None
        },
        services_value: h.contract.services_value.map(|v| fmt.money(v)),
        day_rate: h.effort.day_rate.map(|v| fmt.money(v)),
        target_margin: h.effort.target_margin.map(percent),
        margin_sold: f.margin_sold.map(percent),
        margin_scoped: f.margin_scoped.map(percent),
        margin_at_risk: f.margin_at_risk.map(|v| fmt.money(v)),
        margin_status,
        margin_missing,
        coverage: crate::output::coverage_line(f),
    }
}

fn team(e: &Engagement) -> Vec<TeamRoleCtx> {
    TEAM.iter()
        .filter_map(|&(group, role, expected)| {
            let people: Vec<PersonCtx> = holders(e, role).map(person).collect();
            if people.is_empty() && !expected {
                return None;
            }
            let names = (!people.is_empty()).then(|| {
                people
                    .iter()
                    .map(|p| {
                        let about: Vec<&str> =
                            p.title.as_deref().into_iter().chain(p.org).collect();
                        if about.is_empty() {
                            p.name.clone()
                        } else {
                            format!("{} ({})", p.name, about.join(", "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            });
            Some(TeamRoleCtx {
                group,
                role: role.as_str(),
                words: role.words(),
                expected,
                people,
                names,
            })
        })
        .collect()
}

fn applicable<'a>(ev: &'a Evaluation<'_>) -> impl Iterator<Item = &'a Promise> + 'a {
    ev.analysis
        .promises_with_coverage()
        .filter(|(_, c)| *c != Coverage::NotApplicable)
        .map(|(p, _)| p)
}

fn quality(ev: &Evaluation<'_>) -> Vec<QualityCtx> {
    let index = &ev.analysis.index;
    applicable(ev)
        .map(|p| {
            let acceptance = texts(&p.acceptance);
            let scope_checks: Vec<String> = index
                .covering(&p.id)
                .iter()
                .flat_map(|s| {
                    texts(&s.acceptance)
                        .into_iter()
                        .map(move |a| format!("{}: {a}", s.id.value))
                })
                .collect();
            QualityCtx {
                id: p.id.value.clone(),
                title: p.title.clone(),
                priority: p.priority().as_str(),
                acceptance_text: acceptance.join("; "),
                scope_checks_text: scope_checks.join("; "),
                acceptance,
                scope_checks,
            }
        })
        .collect()
}

fn about(g: &Gap) -> String {
    gap_about(
        g.promise.as_ref().map(|p| p.as_str()),
        g.scope.as_ref().map(|s| s.as_str()),
    )
}

fn is_change_request(g: &Gap) -> bool {
    g.resolution == Some(Resolution::ChangeRequest) || g.change_request.is_some()
}

fn change_requests(e: &Engagement, fmt: &Fmt<'_>) -> Vec<ChangeRequestCtx> {
    e.gaps
        .iter()
        .filter(|g| is_change_request(g))
        .map(|g| ChangeRequestCtx {
            gap: g.id.value.clone(),
            reference: g.change_request.clone(),
            about: about(g),
            status: g.status.as_str(),
            open: g.status != GapStatus::Closed,
            effort_delta: g.effort_delta.map(|d| fmt.signed_effort(d)),
            price_delta: g.price_delta.map(|d| fmt.money(d)),
            cost_delta: g.cost_delta.map(|d| fmt.money(d)),
            summary: summary(g),
        })
        .collect()
}

/// A gap's summary as the document's reader may see it: the internal one,
/// or (after the audience filter cleared it) the customer's wording.
fn summary(g: &Gap) -> Option<String> {
    g.summary.clone().or_else(|| g.customer_summary.clone())
}

fn risks(e: &Engagement, people: &People<'_>) -> Vec<RiskCtx> {
    let mut out: Vec<RiskCtx> = e
        .handoff
        .risks
        .iter()
        .enumerate()
        .map(|(i, r)| RiskCtx {
            id: r.id.clone().unwrap_or_else(|| format!("R{}", i + 1)),
            text: r.text.clone(),
            likelihood: r.likelihood.map(Vocab::as_str),
            impact: r.impact.map(Vocab::as_str),
            owner: people.opt_name(r.owner.as_ref()),
            source: "risk",
        })
        .collect();
    for g in decisions::risk_gaps(e) {
        let c = g.criticality();
        let state = capitalise(g.status.as_str());
        let summary = summary(g).map_or(String::new(), |s| format!(": {}", s.trim()));
        out.push(RiskCtx {
            id: g.id.value.clone(),
            text: format!("{state} {c} gap about {}{summary}", about(g)),
            likelihood: None,
            impact: Some(criticality_impact(c).as_str()),
            owner: people.opt_name(g.owner.as_ref()),
            source: "gap",
        });
    }
    out
}

fn plan(e: &Engagement) -> PlanCtx {
    let d = &e.handoff.dates;
    PlanCtx {
        kickoff: d.kickoff.map(|x| x.to_string()),
        go_live: d.go_live.map(|x| x.to_string()),
        events: timeline(d)
            .into_iter()
            .map(|ev| {
                let (kind, name) = match ev.kind {
                    EventKind::Kickoff => ("kickoff", "Kickoff".to_string()),
                    EventKind::Milestone => ("milestone", ev.text.unwrap_or_default().to_string()),
                    EventKind::GoLive => ("go-live", "Go-live".to_string()),
                    EventKind::HardDeadline => (
                        "hard deadline",
                        ev.text.map_or_else(
                            || "Hard deadline".to_string(),
                            |w| format!("Hard deadline: {}", w.trim()),
                        ),
                    ),
                };
                EventCtx {
                    date: ev.date.to_string(),
                    kind,
                    name,
                }
            })
            .collect(),
    }
}

fn tolerances(e: &Engagement, config: &Config, shown: &Shown, fmt: &Fmt<'_>) -> TolerancesCtx {
    let t = &config.thresholds;
    let d = &e.handoff.dates;
    TolerancesCtx {
        effort_variance_warn: fmt.effort.then(|| signed_percent(t.effort_variance_warn)),
        effort_variance_fail: fmt.effort.then(|| signed_percent(t.effort_variance_fail)),
        effort_variance_low: fmt.effort.then(|| signed_percent(t.effort_variance_low)),
        // The floor comes from the config, not the files: it follows the
        // margins it is about.
        margin_floor: t
            .margin_floor
            .filter(|_| shown.shows_margins())
            .map(percent),
        target_margin: e.handoff.effort.target_margin.map(percent),
        go_live: d.go_live.map(|x| x.to_string()),
        hard_deadlines: d
            .hard_deadlines
            .iter()
            .map(|h| DeadlineCtx {
                date: h.date.to_string(),
                why: h.why.clone(),
            })
            .collect(),
        // The file's path depends on where the command runs; its name does not.
        // A file that only sets `[discovery]` leaves every tolerance at
        // the built-in default.
        source: if config.path.is_some() && !config.discovery_only {
            "handoff.toml"
        } else {
            "the built-in defaults"
        },
    }
}

fn promises(ev: &Evaluation<'_>, fmt: &Fmt<'_>) -> Vec<PromiseCtx> {
    let index = &ev.analysis.index;
    ev.analysis
        .promises_with_coverage()
        .map(|(p, c)| {
            let scope = index.covering_ids(&p.id);
            let gaps: Vec<String> = index
                .gaps_for_promise(&p.id)
                .iter()
                .map(|g| g.id.value.clone())
                .collect();
            PromiseCtx {
                id: p.id.value.clone(),
                title: p.title.clone(),
                kind: p.kind.map(Vocab::as_str),
                priority: p.priority().as_str(),
                commitment: p.commitment.map(Vocab::as_str),
                response: p.response.map(Vocab::as_str),
                status: p.status.as_str(),
                coverage: c.as_str(),
                scope_text: scope.join(", "),
                gaps_text: gaps.join(", "),
                scope,
                gaps,
                acceptance: texts(&p.acceptance),
                sold_effort: p.sold_effort.map(|x| fmt.effort(x)),
                scoped_effort: fmt.shown_effort(round(index.scoped_effort_for(&p.id), 2)),
                due: p.due.as_ref().map(|d| d.value.to_string()),
            }
        })
        .collect()
}

fn gap(g: &Gap, people: &People<'_>, fmt: &Fmt<'_>) -> GapCtx {
    GapCtx {
        id: g.id.value.clone(),
        about: about(g),
        promise: g.promise.as_ref().map(|p| p.value.clone()),
        scope: g.scope.as_ref().map(|s| s.value.clone()),
        kind: g.kind.map(Vocab::as_str),
        criticality: g.criticality().as_str(),
        customer_view: g.customer_view.map(Vocab::as_str),
        status: g.status.as_str(),
        resolution: g.resolution.map(Vocab::as_str),
        owner: people.opt_name(g.owner.as_ref()),
        due: g.due.as_ref().map(|d| d.value.to_string()),
        agreed_with: people.opt_name(g.agreed_with.as_ref()),
        agreed_on: g.agreed_on.map(|d| d.to_string()),
        summary: summary(g),
        customer_summary: g.customer_summary.clone(),
        workaround: g.workaround.clone(),
        change_request: g.change_request.clone(),
        effort_delta: g.effort_delta.map(|d| fmt.signed_effort(d)),
        price_delta: g.price_delta.map(|d| fmt.money(d)),
        cost_delta: g.cost_delta.map(|d| fmt.money(d)),
    }
}

fn signoffs(ev: &Evaluation<'_>) -> Vec<SignoffCtx> {
    let e = ev.engagement();
    decisions::pid_signoff_roles(e, &ev.config.required_signoffs)
        .into_iter()
        .map(|role| {
            let in_force = ev.signoffs.role(&role).and_then(|r| r.in_force.as_ref());
            let latest = in_force.map(|f| f.signoff);
            SignoffCtx {
                words: capitalise(&signoff::role_words(&role)),
                name: match latest {
                    Some(s) => Some(signoff::signer_name(e, &s.by)),
                    None => signoff_role(&role).and_then(|r| names_with_role(e, r)),
                },
                decision: latest.map(|s| s.decision.as_str().to_string()),
                date: latest.map(|s| s.date.to_string()),
                state: match in_force.map(|f| (f, f.stale_words())) {
                    None => "not signed".to_string(),
                    Some((_, Some(why))) => format!("stale: {why}"),
                    Some((_, None)) => "fresh".to_string(),
                },
                role,
            }
        })
        .collect()
}
