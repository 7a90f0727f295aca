//! The typed engagement: what the loader produces and every later stage reads.
//!
//! Values here are already validated: vocabularies are enums, dates are
//! dates, numbers are numbers. Locations are kept so findings can point at
//! `file:line:column`.
//!
//! Each kind's fields are declared once in [`decl`]: the loader's key
//! lists, the fingerprint and the diff are derived from the declarations.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::date::Date;

pub mod audience;
pub mod decl;

/// Maps keyed by ids, keys and file names from the files, which every
/// index and comparison builds and probes once per item. The standard
/// library's SipHash was a tenth of `diff`; foldhash is several times
/// faster, and seeded at random per process it still gives a file written
/// to collide nothing to aim at.
pub type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A set of ids, keys or file names (see [`IdMap`]).
pub type IdSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// Where something was written: a file (as shown to the user) and a position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub pos: Pos,
}

impl Loc {
    pub fn new(file: &Arc<str>, pos: Pos) -> Loc {
        Loc {
            file: Arc::clone(file),
            pos,
        }
    }

    /// The top of a file, for findings about something that is absent.
    pub fn file_start(file: &Arc<str>) -> Loc {
        Loc::new(file, Pos { line: 1, column: 1 })
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.column)
    }
}

/// An item's text as written in its file, kept by loads that compare two
/// versions (`handoff diff`), so an item written the same on both sides
/// is known unchanged without comparing its fields one by one. Only
/// compared, never shown: it may hold a stakeholder's private notes.
#[derive(Clone)]
pub struct Written {
    /// The whole file's text, shared by its items.
    file_text: Arc<String>,
    /// From where the item starts (its first key, or the `{` of one
    /// written on a line) up to where the next one starts, or to the end
    /// of the file: what lies between items (comments, the next `- `)
    /// makes two versions differ, never the same.
    range: std::ops::Range<usize>,
    /// Where the item starts: the same text indented otherwise may be
    /// read otherwise.
    column: u32,
}

impl Written {
    /// `None` when `range` is not text of `file_text`.
    pub fn new(
        file_text: &Arc<String>,
        range: std::ops::Range<usize>,
        column: u32,
    ) -> Option<Written> {
        file_text.get(range.clone())?;
        Some(Written {
            file_text: Arc::clone(file_text),
            range,
            column,
        })
    }

    fn text(&self) -> Option<&str> {
        self.file_text.get(self.range.clone())
    }

    /// Written the same: the same text from the same column. In a
    /// self-contained file (see `yaml::Document`) that means the same
    /// values.
    pub fn same(&self, other: &Written) -> bool {
        self.column == other.column && self.text().zip(other.text()).is_some_and(|(a, b)| a == b)
    }
}

impl fmt::Debug for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Written({} bytes)", self.range.len())
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A closed list of words a field accepts.
pub trait Vocab: Sized + Copy + 'static {
    /// What the field is called in messages, e.g. "priority".
    const WHAT: &'static str;
    const NAMES: &'static [&'static str];
    fn parse(text: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
}

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident ($what:literal) { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl Vocab for $name {
            const WHAT: &'static str = $what;
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

vocab!(ContractType("contract type") {
    FixedPrice = "fixed_price", TimeAndMaterials = "time_and_materials",
    CappedTm = "capped_tm", Retainer = "retainer",
});
vocab!(EffortUnit("effort unit") { Days = "days", Hours = "hours" });
vocab!(Level("level") { Low = "low", Medium = "medium", High = "high" });
vocab!(Org("org") { Customer = "customer", Supplier = "supplier", Partner = "partner" });
vocab!(Attitude("attitude") {
    Unaware = "unaware", Resistant = "resistant", Neutral = "neutral",
    Supportive = "supportive", Leading = "leading",
});
vocab!(
    /// Roles a stakeholder can hold; PRINCE2's project board roles plus the
    /// sales-side ones a handoff needs.
    Role("role") {
        Executive = "executive", EconomicBuyer = "economic_buyer", SeniorUser = "senior_user",
        SeniorSupplier = "senior_supplier", CustomerPm = "customer_pm", SalesOwner = "sales_owner",
        Presales = "presales", ProjectManager = "project_manager", TeamManager = "team_manager",
        Champion = "champion", Procurement = "procurement", TechnicalLead = "technical_lead",
        Finance = "finance", Other = "other",
    }
);
vocab!(PromiseType("promise type") {
    Capability = "capability", Integration = "integration", Data = "data", Service = "service",
    Date = "date", Commercial = "commercial", Support = "support",
});
vocab!(
    /// The truth behind an RFP tick.
    Response("response") {
        Standard = "standard", Configuration = "configuration", Custom = "custom",
        ThirdParty = "third_party", Roadmap = "roadmap", Partial = "partial", Exception = "exception",
    }
);
vocab!(Priority("priority") { Must = "must", Should = "should", Could = "could", Wont = "wont" });
vocab!(Commitment("commitment") {
    Contractual = "contractual", Proposal = "proposal", Verbal = "verbal", SideDeal = "side_deal",
});
vocab!(SourceKind("source kind") {
    Rfp = "rfp", Proposal = "proposal", Sow = "sow", Contract = "contract", Demo = "demo",
    Email = "email", Call = "call",
});
vocab!(PromiseStatus("promise status") { Active = "active", Withdrawn = "withdrawn", Superseded = "superseded" });
vocab!(CoverageLevel("coverage") { Full = "full", Partial = "partial" });
vocab!(Approach("approach") {
    Standard = "standard", Configuration = "configuration", Custom = "custom",
    ThirdParty = "third_party", Workaround = "workaround", ProcessChange = "process_change",
});
vocab!(ScopeStatus("scope status") { Planned = "planned", Excluded = "excluded", Tbd = "tbd" });
vocab!(GapKind("gap kind") {
    Unscoped = "unscoped", Partial = "partial", Unsold = "unsold", Effort = "effort",
    Date = "date", Commercial = "commercial",
});
vocab!(Criticality("criticality") { Blocker = "blocker", Critical = "critical", Major = "major", Minor = "minor" });
vocab!(CustomerView("customer view") { MustFix = "must_fix", CanLiveWith = "can_live_with", Unknown = "unknown" });
vocab!(Resolution("resolution") {
    Configure = "configure", Develop = "develop", ThirdParty = "third_party", Roadmap = "roadmap",
    Workaround = "workaround", ProcessChange = "process_change", Concession = "concession",
    Descope = "descope", ChangeRequest = "change_request", Absorb = "absorb",
});
vocab!(GapStatus("gap status") { Open = "open", Decided = "decided", Agreed = "agreed", Closed = "closed" });
vocab!(Decision("decision") {
    Approved = "approved", ApprovedWithConditions = "approved_with_conditions", Rejected = "rejected",
});

impl Priority {
    /// For people: "must-have", "won't-have".
    pub fn words(self) -> &'static str {
        match self {
            Priority::Must => "must-have",
            Priority::Should => "should-have",
            Priority::Could => "could-have",
            Priority::Wont => "won't-have",
        }
    }
}

impl Role {
    /// The role as people say it: "Customer project manager".
    pub fn words(self) -> &'static str {
        match self {
            Role::Executive => "Executive",
            Role::EconomicBuyer => "Economic buyer",
            Role::SeniorUser => "Senior user",
            Role::SeniorSupplier => "Senior supplier",
            Role::CustomerPm => "Customer project manager",
            Role::SalesOwner => "Sales owner",
            Role::Presales => "Presales",
            Role::ProjectManager => "Project manager",
            Role::TeamManager => "Team manager",
            Role::Champion => "Champion",
            Role::Procurement => "Procurement",
            Role::TechnicalLead => "Technical lead",
            Role::Finance => "Finance",
            Role::Other => "Other",
        }
    }
}

impl Criticality {
    /// Major or worse: the customer must be told.
    pub fn is_major_or_worse(self) -> bool {
        self <= Criticality::Major
    }
}

/// One engagement folder, all its files merged.
#[derive(Debug, Clone)]
pub struct Engagement {
    /// The folder, as shown to the user.
    pub dir: String,
    pub handoff: Handoff,
    pub stakeholders: Vec<Stakeholder>,
    pub promises: Vec<Promise>,
    pub scope: Vec<ScopeItem>,
    pub gaps: Vec<Gap>,
    /// In file order; not part of what is signed (docs/signoffs.md).
    pub signoffs: Vec<SignOff>,
    /// Findings accepted on purpose (`waivers.yaml`), in file order; not
    /// part of what is signed.
    pub waivers: Vec<Waiver>,
    /// The `waivers.yaml` path, whether or not it exists, for `handoff
    /// waive`.
    pub waivers_file: Arc<str>,
    /// The `signoffs.yaml` path, whether or not it exists, for findings
    /// about missing sign-offs.
    pub signoffs_file: Arc<str>,
    /// The `stakeholders.yaml` path, whether or not it exists, for findings
    /// about missing roles.
    pub stakeholders_file: Arc<str>,
}

impl Engagement {
    pub fn id(&self) -> &str {
        &self.handoff.id.value
    }

    /// `file:line:column` relative to the engagement folder, for a finding
    /// that names a second place: the finding itself carries the full path,
    /// and a message reads the same whichever folder the command ran from.
    pub fn relative(&self, loc: &Loc) -> String {
        let prefix = self.dir.trim_end_matches('/');
        let file = match self.dir.as_str() {
            "." => &loc.file[..],
            _ => loc
                .file
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .unwrap_or(&loc.file),
        };
        format!("{file}:{}:{}", loc.pos.line, loc.pos.column)
    }
}

#[derive(Debug, Clone)]
pub struct Handoff {
    pub file: Arc<str>,
    pub id: Sp<String>,
    pub name: Option<String>,
    pub customer_name: Option<String>,
    pub contract: Contract,
    pub dates: Dates,
    pub effort: Effort,
    pub background: Option<String>,
    pub why_bought: Vec<String>,
    pub success_criteria: Vec<SuccessCriterion>,
    pub exclusions: Vec<String>,
    pub assumptions: Vec<String>,
    pub dependencies: Vec<String>,
    pub constraints: Vec<String>,
    pub interfaces: Vec<String>,
    pub risks: Vec<Risk>,
    pub open_questions: Vec<String>,
    pub communication: Communication,
    /// Every field path that holds a value (e.g. `contract.currency`), and
    /// where: the `missing-field` rule and field-level findings use it.
    pub present: BTreeMap<String, Loc>,
}

impl Handoff {
    /// Where a field was written, or the top of handoff.yaml if it was not.
    pub fn loc_of(&self, path: &str) -> Loc {
        self.present
            .get(path)
            .cloned()
            .unwrap_or_else(|| Loc::file_start(&self.file))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Contract {
    #[serde(rename = "type")]
    pub kind: Option<ContractType>,
    pub currency: Option<String>,
    pub services_value: Option<f64>,
    pub total_value: Option<f64>,
    pub payment_terms: Option<String>,
    pub signed_on: Option<Date>,
    pub documents: Vec<Document>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub kind: String,
    #[serde(rename = "ref")]
    pub reference: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Dates {
    pub kickoff: Option<Date>,
    pub go_live: Option<Date>,
    pub hard_deadlines: Vec<Deadline>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    pub date: Date,
    pub why: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub name: String,
    pub date: Option<Date>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Effort {
    pub unit: Option<EffortUnit>,
    pub sold: Option<f64>,
    pub day_rate: Option<f64>,
    pub cost_rate: Option<f64>,
    pub target_margin: Option<f64>,
}

impl Effort {
    pub fn unit_name(&self) -> &'static str {
        self.unit.unwrap_or(EffortUnit::Days).as_str()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SuccessCriterion {
    pub id: Option<String>,
    pub text: String,
    pub measure: Option<String>,
    pub validated_by_customer: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    pub id: Option<String>,
    pub text: String,
    pub likelihood: Option<Level>,
    pub impact: Option<Level>,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Communication {
    pub channels: Vec<String>,
    pub first_line_contact: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Stakeholder {
    pub loc: Loc,
    /// Its text, when loaded for a comparison; see [`Written`].
    pub written: Option<Written>,
    pub key: Sp<String>,
    pub name: Option<String>,
    pub org: Option<Org>,
    pub title: Option<String>,
    pub roles: Vec<Role>,
    pub influence: Option<Level>,
    pub interest: Option<Level>,
    pub attitude: Option<Attitude>,
    pub contact: Option<String>,
    /// Private: printed only when the user asks for it with a flag.
    pub notes: Option<String>,
}

impl Stakeholder {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.key.value)
    }
}

#[derive(Debug, Clone)]
pub struct Promise {
    pub loc: Loc,
    /// Its text, when loaded for a comparison; see [`Written`].
    pub written: Option<Written>,
    pub id: Sp<String>,
    pub title: String,
    pub kind: Option<PromiseType>,
    pub asked: Option<String>,
    pub promised: Option<String>,
    pub response: Option<Response>,
    /// `None` when not written; rules treat it as `must` (the customer
    /// expects it unless sales said otherwise).
    pub priority: Option<Priority>,
    pub commitment: Option<Commitment>,
    pub source: Option<PromiseSource>,
    pub promised_by: Option<String>,
    pub promised_to: Option<String>,
    pub date: Option<Date>,
    pub due: Option<Sp<Date>>,
    pub acceptance: Vec<String>,
    pub sold_effort: Option<f64>,
    pub status: PromiseStatus,
    pub tags: Vec<String>,
}

impl Promise {
    pub fn priority(&self) -> Priority {
        self.priority.unwrap_or(Priority::Must)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PromiseSource {
    pub kind: Option<SourceKind>,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ScopeItem {
    pub loc: Loc,
    /// Its text, when loaded for a comparison; see [`Written`].
    pub written: Option<Written>,
    pub id: Sp<String>,
    pub title: Option<String>,
    pub covers: Vec<Sp<String>>,
    pub coverage: CoverageLevel,
    pub approach: Option<Approach>,
    pub effort: f64,
    pub due: Option<Sp<Date>>,
    pub owner: Option<String>,
    pub phase: Option<String>,
    pub acceptance: Vec<String>,
    pub internal: bool,
    pub status: ScopeStatus,
    pub note: Option<String>,
}

impl ScopeItem {
    /// Excluded items are written down but will not be delivered.
    pub fn counts(&self) -> bool {
        self.status != ScopeStatus::Excluded
    }

    /// Covers no promise and is not internal work: nobody sold it.
    pub fn is_unsold(&self) -> bool {
        self.covers.is_empty() && !self.internal
    }
}

#[derive(Debug, Clone)]
pub struct Gap {
    pub loc: Loc,
    /// Its text, when loaded for a comparison; see [`Written`].
    pub written: Option<Written>,
    pub id: Sp<String>,
    pub promise: Option<Sp<String>>,
    pub scope: Option<Sp<String>>,
    pub kind: Option<GapKind>,
    /// Internal wording.
    pub summary: Option<String>,
    /// The wording agreed for the customer; without it the gap stays out
    /// of customer documents.
    pub customer_summary: Option<String>,
    /// `None` when not written; rules treat it as `major`.
    pub criticality: Option<Criticality>,
    pub customer_view: Option<CustomerView>,
    pub resolution: Option<Resolution>,
    pub status: GapStatus,
    pub owner: Option<String>,
    pub due: Option<Sp<Date>>,
    pub effort_delta: Option<f64>,
    /// Change in what the customer pays, in the contract currency.
    pub price_delta: Option<f64>,
    /// Extra money cost to us that is not effort (licences, hardware, a
    /// subcontractor), in the contract currency.
    pub cost_delta: Option<f64>,
    pub agreed_with: Option<String>,
    pub agreed_on: Option<Date>,
    pub workaround: Option<String>,
    pub change_request: Option<String>,
}

impl Gap {
    pub fn criticality(&self) -> Criticality {
        self.criticality.unwrap_or(Criticality::Major)
    }

    /// Past `open`: someone decided what to do.
    pub fn is_decided(&self) -> bool {
        self.status != GapStatus::Open
    }

    /// A change request or descope: if the customer agrees to it, it
    /// changes what they buy. Whether they agreed is the analysis's word
    /// (`Index::customer_agreed`), which also checks who agreed.
    pub fn changes_the_contract(&self) -> bool {
        matches!(
            self.resolution,
            Some(Resolution::ChangeRequest | Resolution::Descope)
        )
    }
}

/// One entry of `signoffs.yaml`: someone put their name to the engagement
/// as it was when its fingerprint was taken.
#[derive(Debug, Clone)]
pub struct SignOff {
    pub loc: Loc,
    /// One of the config's sign-off roles (`Config::signoff_roles`).
    pub role: Sp<String>,
    /// A stakeholder key.
    pub by: Sp<String>,
    pub decision: Decision,
    pub date: Date,
    /// `sha256:` + 64 hex digits over the whole engagement.
    pub fingerprint: Sp<String>,
    /// The same per kind (`handoff`, `stakeholders`, ...), so a stale
    /// sign-off can say what changed. Empty when not written.
    pub fingerprints: BTreeMap<String, String>,
    pub commit: Option<String>,
    pub conditions: Vec<Sp<String>>,
    pub statement: Option<String>,
    /// The file that backs the decision, when one was recorded.
    pub evidence: Option<Evidence>,
}

/// A file that backs a sign-off (the customer's acceptance e-mail, a
/// signed PDF), recorded by `handoff sign --evidence`.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Relative to the engagement folder, `/`-separated.
    pub path: Sp<String>,
    /// `sha256:` and 64 hex digits, when signed.
    pub sha256: String,
    /// The same of the file as it is now, read by the loader; `None` when
    /// it is not there (or outside the repository, or unreadable).
    pub now: Option<String>,
}

/// One entry of `waivers.yaml`: a finding accepted on purpose, with a
/// reason, an owner and an end date (docs/rules.md#waivers).
#[derive(Debug, Clone)]
pub struct Waiver {
    pub loc: Loc,
    /// A finding fingerprint as `check --format json` prints it
    /// (`code/engagement/item`), or a code with an item (`code/item`).
    pub finding: Sp<String>,
    pub reason: Sp<String>,
    /// The stakeholder key of who accepted it.
    pub by: Sp<String>,
    /// The last day it holds.
    pub until: Sp<Date>,
    /// When it was written.
    pub date: Option<Date>,
}
