//! Every item kind's fields, declared once: key, type, whether required,
//! default, a one-line description, audience and spreadsheet column header.
//!
//! The loader's key lists, the fingerprint's canonical form and the diff's
//! field lists are derived from these declarations, through [`Declared`]:
//! one accessor per kind that gives a field's value as a [`Value`]. A field
//! added here and in its accessor reaches all three; a field left out of
//! the accessor is caught by the declaration tests (it never changes the
//! fingerprint).
//!
//! This module imports nothing above the model.

use crate::date::Date;

use super::{
    Approach, Attitude, Commitment, Communication, Contract, ContractType, CoverageLevel,
    Criticality, CustomerView, Dates, Deadline, Decision, Document, Effort, EffortUnit, Gap,
    GapKind, GapStatus, Handoff, Level, Milestone, Org, Priority, Promise, PromiseSource,
    PromiseStatus, PromiseType, Resolution, Response, Risk, Role, ScopeItem, ScopeStatus, SignOff,
    SourceKind, Stakeholder, SuccessCriterion, Vocab, Waiver,
};

/// Who may see a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Fine to show the customer.
    Customer,
    /// Supplier only: costs, margins, how we rate people.
    Internal,
    /// Never printed unless the user asks with a flag.
    Private,
}

/// What a field holds, as the file format describes it.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    Text,
    /// One of a closed list of words; `what` is how messages name it.
    Vocab {
        what: &'static str,
        names: &'static [&'static str],
    },
    /// Any number, negative too.
    Number,
    /// A number that is zero or more.
    Amount,
    /// A number from 0 to 1.
    Fraction,
    Date,
    Bool,
    /// The id of an item of the kind named (`"promise"`).
    IdRef(&'static str),
    /// A stakeholder key.
    PersonRef,
    List(&'static FieldType),
    /// A nested mapping with fields of its own.
    Record(&'static KindDecl),
    /// A mapping whose keys the user names (sign-off roles in handoff.toml),
    /// each holding a value of the type given.
    Map(&'static FieldType),
}

/// The field type of a vocabulary, from its `vocab!` enum.
pub const fn vocab<V: Vocab>() -> FieldType {
    FieldType::Vocab {
        what: V::WHAT,
        names: V::NAMES,
    }
}

/// One field of a kind.
#[derive(Debug, Clone, Copy)]
pub struct FieldDecl {
    /// The YAML key.
    pub key: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// The value taken when the field is left out, as written in YAML.
    pub default: Option<&'static str>,
    /// One line a salesperson understands.
    pub description: &'static str,
    pub audience: Audience,
    /// The spreadsheet column header.
    pub header: &'static str,
}

impl FieldDecl {
    pub const fn new(
        key: &'static str,
        ty: FieldType,
        header: &'static str,
        description: &'static str,
    ) -> FieldDecl {
        FieldDecl {
            key,
            ty,
            required: false,
            default: None,
            description,
            audience: Audience::Customer,
            header,
        }
    }

    pub const fn required(mut self) -> FieldDecl {
        self.required = true;
        self
    }

    pub const fn default(mut self, value: &'static str) -> FieldDecl {
        self.default = Some(value);
        self
    }

    pub const fn internal(mut self) -> FieldDecl {
        self.audience = Audience::Internal;
        self
    }

    pub const fn private(mut self) -> FieldDecl {
        self.audience = Audience::Private;
        self
    }
}

/// A rule that decides who may see a field by values rather than by the
/// field alone. Declared beside the kind's fields so that audience
/// filtering stays one function over the declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudienceRule {
    /// These effort figures are shown to the customer only when the
    /// contract says the customer buys effort (time and materials, capped,
    /// retainer): on a fixed price the customer bought a result, and how
    /// much effort it takes is the supplier's business. An unstated
    /// contract type counts as a fixed price, since a shown figure cannot
    /// be taken back.
    EffortOffFixedPrice { fields: &'static [&'static str] },
    /// An item whose boolean `flag` is true is internal as a whole.
    InternalWhen { flag: &'static str },
    /// An item is shown to the customer only when `field` holds a
    /// customer-facing wording of it.
    CustomerOnlyWith { field: &'static str },
}

/// One kind of item, or a nested record of one.
#[derive(Debug)]
pub struct KindDecl {
    /// A stable name for the kind, e.g. `promise`, `contract`.
    pub name: &'static str,
    /// The kind as messages say it: "promise", "the `contract` section".
    pub what: &'static str,
    /// The key that identifies an item of the kind.
    pub id_key: Option<&'static str>,
    pub fields: &'static [FieldDecl],
    pub audience_rules: &'static [AudienceRule],
}

impl KindDecl {
    /// The keys, in declaration order (the file format's order).
    pub fn keys(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.key).collect()
    }

    pub fn field(&self, key: &str) -> Option<&'static FieldDecl> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields that are nested records of their own (handoff.yaml's
    /// sections: `contract`, `dates`, ...), with their declarations.
    pub fn sections(&self) -> impl Iterator<Item = (&'static str, &'static KindDecl)> + '_ {
        self.fields.iter().filter_map(|f| match f.ty {
            Record(decl) => Some((f.key, decl)),
            _ => None,
        })
    }

    /// Every field by path: a section's fields as `section.key`, in place
    /// of the section.
    pub fn field_paths(&self) -> Vec<String> {
        self.fields
            .iter()
            .flat_map(|f| match f.ty {
                Record(decl) => decl
                    .fields
                    .iter()
                    .map(|sub| format!("{}.{}", f.key, sub.key))
                    .collect(),
                _ => vec![f.key.to_string()],
            })
            .collect()
    }
}

/// A field's value, whatever its kind, for code that works over the
/// declarations rather than over one struct.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Not written, and no default.
    Absent,
    /// Text, a vocabulary word, an id or a stakeholder key.
    Text(&'a str),
    Num(f64),
    Bool(bool),
    Date(Date),
    List(Vec<Value<'a>>),
    /// A nested record: its fields in declaration order.
    Record(Vec<(&'static str, Value<'a>)>),
}

impl<'a> Value<'a> {
    pub fn text(value: Option<&'a str>) -> Value<'a> {
        value.map_or(Value::Absent, Value::Text)
    }

    pub fn word<V: Vocab>(value: Option<V>) -> Value<'a> {
        value.map_or(Value::Absent, |v| Value::Text(v.as_str()))
    }

    pub fn num(value: Option<f64>) -> Value<'a> {
        value.map_or(Value::Absent, Value::Num)
    }

    pub fn date(value: Option<Date>) -> Value<'a> {
        value.map_or(Value::Absent, Value::Date)
    }

    pub fn texts(values: &'a [String]) -> Value<'a> {
        Value::List(values.iter().map(|v| Value::Text(v)).collect())
    }

    pub fn records<T: Declared>(values: &'a [T]) -> Value<'a> {
        Value::List(values.iter().map(Declared::record).collect())
    }

    /// A field of a record value; `Absent` for anything else.
    pub fn get(&self, key: &str) -> &Value<'a> {
        match self {
            Value::Record(fields) => fields
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(&Value::Absent, |(_, v)| v),
            _ => &Value::Absent,
        }
    }
}

/// A model type with a declaration: its fields' values by key.
pub trait Declared {
    const DECL: &'static KindDecl;

    /// The value of one of the declared keys; `Absent` for any other.
    fn value(&self, key: &str) -> Value<'_>;

    /// All declared fields, as a record.
    fn record(&self) -> Value<'_> {
        Value::Record(
            Self::DECL
                .fields
                .iter()
                .map(|f| (f.key, self.value(f.key)))
                .collect(),
        )
    }
}

/// Field types used by reference inside lists.
const TEXT: FieldType = Text;
const PROMISE_ID: FieldType = FieldType::IdRef("promise");
const ROLE: FieldType = vocab::<Role>();
const DOCUMENT_RECORD: FieldType = Record(&DOCUMENT);
const DEADLINE_RECORD: FieldType = Record(&DEADLINE);
const MILESTONE_RECORD: FieldType = Record(&MILESTONE);
const CRITERION_RECORD: FieldType = Record(&CRITERION);
const RISK_RECORD: FieldType = Record(&RISK);

use FieldDecl as F;
use FieldType::{Amount, Bool, Fraction, List, Number, PersonRef, Record, Text};

/// The kinds a fingerprint covers, in the order people read about them.
pub const FINGERPRINTED: [&KindDecl; 5] = [&HANDOFF, &STAKEHOLDER, &PROMISE, &SCOPE_ITEM, &GAP];

/// Every kind with its nested records, for tests and generated documents.
pub const ALL: [&KindDecl; 20] = [
    &HANDOFF,
    &CUSTOMER,
    &CONTRACT,
    &DOCUMENT,
    &DATES,
    &DEADLINE,
    &MILESTONE,
    &EFFORT,
    &CRITERION,
    &RISK,
    &COMMUNICATION,
    &STAKEHOLDER,
    &PROMISE,
    &SOURCE,
    &SCOPE_ITEM,
    &GAP,
    &SIGNOFF,
    &SIGNOFF_FINGERPRINTS,
    &WAIVER,
    &SIGNOFF_EVIDENCE,
];

pub static HANDOFF: KindDecl = KindDecl {
    name: "handoff",
    what: "handoff.yaml",
    id_key: Some("id"),
    fields: &[
        F::new(
            "id",
            Text,
            "Engagement id",
            "Stable id of the engagement, e.g. ACME-2026-WMS.",
        )
        .required(),
        F::new(
            "name",
            Text,
            "Engagement",
            "The engagement's name as people say it.",
        ),
        F::new(
            "customer",
            Record(&CUSTOMER),
            "Customer",
            "Who the customer is.",
        ),
        F::new(
            "contract",
            Record(&CONTRACT),
            "Contract",
            "What was signed: type, value, documents.",
        ),
        F::new(
            "dates",
            Record(&DATES),
            "Dates",
            "Kickoff, go-live, deadlines and milestones.",
        ),
        F::new(
            "effort",
            Record(&EFFORT),
            "Effort",
            "The effort sold and what it costs.",
        ),
        F::new(
            "background",
            Text,
            "Background",
            "Why the project exists, in a few sentences.",
        ),
        F::new(
            "why_bought",
            List(&TEXT),
            "Why they bought",
            "The customer's reasons for buying.",
        ),
        F::new(
            "success_criteria",
            List(&CRITERION_RECORD),
            "Success criteria",
            "How the customer will judge success.",
        ),
        F::new(
            "exclusions",
            List(&TEXT),
            "Exclusions",
            "What is explicitly not included.",
        ),
        F::new(
            "assumptions",
            List(&TEXT),
            "Assumptions",
            "What the plan and price assume.",
        ),
        F::new(
            "dependencies",
            List(&TEXT),
            "Dependencies",
            "What the project depends on, outside the team's control.",
        ),
        F::new(
            "constraints",
            List(&TEXT),
            "Constraints",
            "Limits the project must respect.",
        ),
        F::new(
            "interfaces",
            List(&TEXT),
            "Interfaces",
            "Other systems or parties the work touches.",
        ),
        F::new("risks", List(&RISK_RECORD), "Risks", "Known risks."),
        F::new(
            "open_questions",
            List(&TEXT),
            "Open questions",
            "Questions nobody has answered yet.",
        ),
        F::new(
            "communication",
            Record(&COMMUNICATION),
            "Communication",
            "How the project keeps in touch.",
        ),
    ],
    audience_rules: &[AudienceRule::EffortOffFixedPrice {
        fields: &["effort.sold"],
    }],
};

pub static CUSTOMER: KindDecl = KindDecl {
    name: "customer",
    what: "the `customer` section",
    id_key: None,
    fields: &[F::new(
        "name",
        Text,
        "Customer",
        "The customer's legal or usual name.",
    )],
    audience_rules: &[],
};

pub static CONTRACT: KindDecl = KindDecl {
    name: "contract",
    what: "the `contract` section",
    id_key: None,
    fields: &[
        F::new(
            "type",
            vocab::<ContractType>(),
            "Contract type",
            "Fixed price, time and materials, capped or retainer.",
        ),
        F::new("currency", Text, "Currency", "Currency code, e.g. EUR."),
        F::new(
            "services_value",
            Amount,
            "Services value",
            "The price of the services (people's time) in the contract.",
        ),
        F::new(
            "total_value",
            Amount,
            "Total value",
            "Total contract value, licences and hardware included.",
        ),
        F::new(
            "payment_terms",
            Text,
            "Payment terms",
            "How and when the customer pays.",
        ),
        F::new(
            "signed_on",
            FieldType::Date,
            "Signed on",
            "The date the contract was signed.",
        ),
        F::new(
            "documents",
            List(&DOCUMENT_RECORD),
            "Contract documents",
            "The RFP, proposal, SOW and contract, with where to find them.",
        ),
    ],
    audience_rules: &[],
};

pub static DOCUMENT: KindDecl = KindDecl {
    name: "document",
    what: "contract document",
    id_key: None,
    fields: &[
        F::new(
            "kind",
            Text,
            "Document",
            "What the document is, e.g. rfp, proposal, sow.",
        )
        .required(),
        F::new("ref", Text, "Where", "A path or link to the document.").required(),
    ],
    audience_rules: &[],
};

pub static DATES: KindDecl = KindDecl {
    name: "dates",
    what: "the `dates` section",
    id_key: None,
    fields: &[
        F::new("kickoff", FieldType::Date, "Kickoff", "Planned kickoff."),
        F::new(
            "go_live",
            FieldType::Date,
            "Go-live",
            "Planned go-live or handover.",
        ),
        F::new(
            "hard_deadlines",
            List(&DEADLINE_RECORD),
            "Hard deadlines",
            "Dates that cannot move, with the reason.",
        ),
        F::new(
            "milestones",
            List(&MILESTONE_RECORD),
            "Milestones",
            "Agreed milestones.",
        ),
    ],
    audience_rules: &[],
};

pub static DEADLINE: KindDecl = KindDecl {
    name: "deadline",
    what: "hard deadline",
    id_key: None,
    fields: &[
        F::new(
            "date",
            FieldType::Date,
            "Deadline",
            "The date that cannot move.",
        )
        .required(),
        F::new("why", Text, "Why", "Why it cannot move."),
    ],
    audience_rules: &[],
};

pub static MILESTONE: KindDecl = KindDecl {
    name: "milestone",
    what: "milestone",
    id_key: None,
    fields: &[
        F::new("name", Text, "Milestone", "What is reached.").required(),
        F::new("date", FieldType::Date, "Date", "When it is reached."),
    ],
    audience_rules: &[],
};

pub static EFFORT: KindDecl = KindDecl {
    name: "effort",
    what: "the `effort` section",
    id_key: None,
    fields: &[
        F::new(
            "unit",
            vocab::<EffortUnit>(),
            "Effort unit",
            "Whether effort is counted in days or hours.",
        )
        .default("days"),
        F::new(
            "sold",
            Amount,
            "Effort sold",
            "The effort the price was based on.",
        ),
        // The price of a unit of effort is in the contract the customer
        // signed, so it is theirs to see.
        F::new(
            "day_rate",
            Amount,
            "Day rate",
            "The price of one unit of effort.",
        ),
        F::new(
            "cost_rate",
            Amount,
            "Cost rate",
            "What one unit of effort costs us.",
        )
        .internal(),
        F::new(
            "target_margin",
            Fraction,
            "Target margin",
            "The margin the deal was sold to make, e.g. 0.35.",
        )
        .internal(),
    ],
    audience_rules: &[],
};

pub static CRITERION: KindDecl = KindDecl {
    name: "success_criterion",
    what: "success criterion",
    id_key: None,
    fields: &[
        F::new("id", Text, "Id", "A short handle, e.g. SC-1."),
        F::new(
            "text",
            Text,
            "Success criterion",
            "What success looks like to the customer.",
        )
        .required(),
        F::new("measure", Text, "Measure", "How it is measured."),
        F::new(
            "validated_by_customer",
            Bool,
            "Validated by customer",
            "Whether the customer confirmed it.",
        )
        .default("false"),
    ],
    audience_rules: &[],
};

pub static RISK: KindDecl = KindDecl {
    name: "risk",
    what: "risk",
    id_key: None,
    fields: &[
        F::new("id", Text, "Id", "A short handle, e.g. R-1."),
        F::new("text", Text, "Risk", "What could go wrong.").required(),
        F::new(
            "likelihood",
            vocab::<Level>(),
            "Likelihood",
            "How likely it is: low, medium or high.",
        ),
        F::new(
            "impact",
            vocab::<Level>(),
            "Impact",
            "How much it would hurt: low, medium or high.",
        ),
        F::new("owner", PersonRef, "Owner", "Who watches it."),
    ],
    audience_rules: &[],
};

pub static COMMUNICATION: KindDecl = KindDecl {
    name: "communication",
    what: "the `communication` section",
    id_key: None,
    fields: &[
        F::new(
            "channels",
            List(&TEXT),
            "Channels",
            "Meetings, chat channels, reports.",
        ),
        F::new(
            "first_line_contact",
            PersonRef,
            "First-line contact",
            "Who the customer calls first.",
        ),
    ],
    audience_rules: &[],
};

pub static STAKEHOLDER: KindDecl = KindDecl {
    name: "stakeholder",
    what: "stakeholder",
    id_key: Some("key"),
    fields: &[
        F::new(
            "key",
            Text,
            "Key",
            "Short unique handle other files use for this person.",
        )
        .required(),
        F::new("name", Text, "Name", "Full name."),
        F::new(
            "org",
            vocab::<Org>(),
            "Organisation",
            "Customer, supplier (us) or partner.",
        ),
        F::new("title", Text, "Job title", "Job title."),
        F::new(
            "roles",
            List(&ROLE),
            "Roles",
            "The parts this person plays in the project.",
        ),
        F::new(
            "influence",
            vocab::<Level>(),
            "Influence",
            "How much this person can change the project's course.",
        )
        .internal(),
        F::new(
            "interest",
            vocab::<Level>(),
            "Interest",
            "How much this person cares about the project.",
        )
        .internal(),
        F::new(
            "attitude",
            vocab::<Attitude>(),
            "Attitude",
            "Where this person stands on the project.",
        )
        .internal(),
        F::new("contact", Text, "Contact", "Email or phone."),
        F::new(
            "notes",
            Text,
            "Notes",
            "Candid remarks for the team; never printed unless asked.",
        )
        .private(),
    ],
    audience_rules: &[],
};

pub static PROMISE: KindDecl = KindDecl {
    name: "promise",
    what: "promise",
    id_key: Some("id"),
    fields: &[
        F::new("id", Text, "Id", "Unique id, e.g. P-07.").required(),
        F::new("title", Text, "Promise", "Short description.").required(),
        F::new(
            "type",
            vocab::<PromiseType>(),
            "Type",
            "What kind of promise: capability, integration, data, ...",
        ),
        F::new(
            "asked",
            Text,
            "Asked",
            "The customer's words: what they asked for.",
        ),
        F::new("promised", Text, "Promised", "Our words: what we answered."),
        F::new(
            "response",
            vocab::<Response>(),
            "Response",
            "The truth behind the answer: standard, custom, roadmap, ...",
        ),
        F::new(
            "priority",
            vocab::<Priority>(),
            "Priority",
            "How much it matters to the customer; must when left out.",
        ),
        F::new(
            "commitment",
            vocab::<Commitment>(),
            "Commitment",
            "How binding it is: contractual, proposal, verbal or side deal.",
        )
        // Our judgement of how binding a promise is (and that it was a
        // side deal) is for the supplier's team; the customer sees what was
        // promised and how we answered (`response`), which they were told.
        .internal(),
        F::new(
            "source",
            Record(&SOURCE),
            "Source",
            "Where the promise was made.",
        ),
        F::new(
            "promised_by",
            PersonRef,
            "Promised by",
            "Who made the promise.",
        ),
        F::new("promised_to", PersonRef, "Promised to", "Who heard it."),
        F::new(
            "date",
            FieldType::Date,
            "Promised on",
            "When the promise was made.",
        ),
        F::new("due", FieldType::Date, "Due", "The date we promised it by."),
        F::new(
            "acceptance",
            List(&TEXT),
            "Acceptance",
            "How the customer will check it was delivered.",
        ),
        F::new(
            "sold_effort",
            Amount,
            "Sold effort",
            "The effort the price assumed for this promise.",
        ),
        F::new(
            "status",
            vocab::<PromiseStatus>(),
            "Status",
            "Active, withdrawn or superseded.",
        )
        .default("active"),
        F::new("tags", List(&TEXT), "Tags", "Free labels for filtering."),
    ],
    audience_rules: &[AudienceRule::EffortOffFixedPrice {
        fields: &["sold_effort"],
    }],
};

pub static SOURCE: KindDecl = KindDecl {
    name: "source",
    what: "promise source",
    id_key: None,
    fields: &[
        F::new(
            "kind",
            vocab::<SourceKind>(),
            "Source",
            "Where it was said: rfp, proposal, sow, demo, email, ...",
        ),
        F::new(
            "ref",
            Text,
            "Source reference",
            "The place: a section, a file, a date.",
        ),
    ],
    audience_rules: &[],
};

pub static SCOPE_ITEM: KindDecl = KindDecl {
    name: "scope_item",
    what: "scope item",
    id_key: Some("id"),
    fields: &[
        F::new("id", Text, "Id", "Unique id, e.g. S-12.").required(),
        F::new("title", Text, "Scope item", "Short description."),
        F::new(
            "covers",
            List(&PROMISE_ID),
            "Covers",
            "The promises this item delivers.",
        ),
        F::new(
            "coverage",
            vocab::<CoverageLevel>(),
            "Coverage",
            "Whether it delivers all of each promise or only part.",
        )
        .default("full"),
        F::new(
            "approach",
            vocab::<Approach>(),
            "Approach",
            "How it will be done: standard, configuration, custom, ...",
        ),
        F::new(
            "effort",
            Amount,
            "Effort",
            "The effort delivery plans for it.",
        )
        .required(),
        F::new("due", FieldType::Date, "Due", "When it will be finished."),
        F::new("owner", PersonRef, "Owner", "Who is responsible."),
        F::new("phase", Text, "Phase", "Phase or release, e.g. build."),
        F::new(
            "acceptance",
            List(&TEXT),
            "Acceptance",
            "How this item will be accepted.",
        ),
        F::new(
            "internal",
            Bool,
            "Internal",
            "Delivery overhead that no promise asked for.",
        )
        .default("false")
        .internal(),
        F::new(
            "status",
            vocab::<ScopeStatus>(),
            "Status",
            "Planned, tbd or excluded.",
        )
        .default("planned"),
        F::new("note", Text, "Note", "Anything else delivery wants to say.").internal(),
    ],
    audience_rules: &[
        AudienceRule::InternalWhen { flag: "internal" },
        AudienceRule::EffortOffFixedPrice {
            fields: &["effort"],
        },
    ],
};

pub static GAP: KindDecl = KindDecl {
    name: "gap",
    what: "gap",
    id_key: Some("id"),
    fields: &[
        F::new("id", Text, "Id", "Unique id, e.g. G-03.").required(),
        F::new(
            "promise",
            FieldType::IdRef("promise"),
            "Promise",
            "The promise the gap is about.",
        ),
        F::new(
            "scope",
            FieldType::IdRef("scope_item"),
            "Scope item",
            "The scope item the gap is about.",
        ),
        F::new(
            "kind",
            vocab::<GapKind>(),
            "Kind",
            "What kind of gap: unscoped, partial, effort, date, ...",
        ),
        // Our own wording: it may say what we think of the customer's
        // request or of our estimate. The customer sees `customer_summary`.
        F::new("summary", Text, "Gap", "The gap in one or two sentences.").internal(),
        F::new(
            "customer_summary",
            Text,
            "Customer summary",
            "The gap as agreed to be worded for the customer.",
        ),
        F::new(
            "criticality",
            vocab::<Criticality>(),
            "Criticality",
            "How serious it is; major when left out.",
        ),
        F::new(
            "customer_view",
            vocab::<CustomerView>(),
            "Customer view",
            "Whether the customer insists on a fix, can live with it, or we do not know.",
        )
        // Our reading of the customer, not theirs to be told.
        .internal(),
        F::new(
            "resolution",
            vocab::<Resolution>(),
            "Resolution",
            "What we will do about it.",
        ),
        F::new(
            "status",
            vocab::<GapStatus>(),
            "Status",
            "Open, decided, agreed or closed.",
        )
        .default("open"),
        F::new(
            "owner",
            PersonRef,
            "Owner",
            "Who drives the gap to a close.",
        ),
        F::new(
            "due",
            FieldType::Date,
            "Due",
            "When it must be decided or agreed.",
        ),
        F::new(
            "effort_delta",
            Number,
            "Effort change",
            "Extra effort (negative: saved) the resolution brings.",
        )
        .internal(),
        F::new(
            "price_delta",
            Number,
            "Price change",
            "Change in what the customer pays (negative: refund or discount), in the contract currency.",
        ),
        F::new(
            "cost_delta",
            Number,
            "Cost change",
            "Extra money cost to us that is not effort (licences, hardware, a subcontractor), in the contract currency.",
        )
        .internal(),
        F::new(
            "agreed_with",
            PersonRef,
            "Agreed with",
            "Who on the customer side agreed.",
        ),
        F::new(
            "agreed_on",
            FieldType::Date,
            "Agreed on",
            "When they agreed.",
        ),
        F::new(
            "workaround",
            Text,
            "Workaround",
            "How the customer gets by meanwhile.",
        ),
        F::new(
            "change_request",
            Text,
            "Change request",
            "Reference of the change request, e.g. CR-003.",
        ),
    ],
    // A gap reaches a customer document only in the words agreed for it.
    audience_rules: &[AudienceRule::CustomerOnlyWith {
        field: "customer_summary",
    }],
};

pub static SIGNOFF: KindDecl = KindDecl {
    name: "signoff",
    what: "sign-off",
    id_key: None,
    fields: &[
        F::new(
            "role",
            Text,
            "Role",
            "The role signed for, e.g. sales, delivery.",
        )
        .required(),
        F::new(
            "by",
            PersonRef,
            "Signed by",
            "The signer's stakeholder key.",
        )
        .required(),
        F::new(
            "decision",
            vocab::<Decision>(),
            "Decision",
            "Approved, approved with conditions, or rejected.",
        )
        .required(),
        F::new("date", FieldType::Date, "Signed on", "When it was signed.").required(),
        F::new(
            "fingerprint",
            Text,
            "Fingerprint",
            "What exactly was signed: the engagement's fingerprint then.",
        )
        .required(),
        F::new(
            "fingerprints",
            Record(&SIGNOFF_FINGERPRINTS),
            "Fingerprints",
            "The fingerprint of each kind then, to say what changed since.",
        ),
        F::new(
            "commit",
            Text,
            "Commit",
            "The git commit whose files were signed.",
        ),
        F::new(
            "conditions",
            List(&TEXT),
            "Conditions",
            "Conditions of an approval, or reasons for a rejection.",
        ),
        F::new("statement", Text, "Statement", "What the signer confirms."),
        F::new(
            "evidence",
            Record(&SIGNOFF_EVIDENCE),
            "Evidence",
            "A file that backs the decision, e.g. the customer's acceptance e-mail.",
        ),
    ],
    audience_rules: &[],
};

pub static SIGNOFF_EVIDENCE: KindDecl = KindDecl {
    name: "signoff_evidence",
    what: "sign-off evidence",
    id_key: None,
    fields: &[
        F::new(
            "path",
            Text,
            "Path",
            "The file, relative to the engagement folder; inside the repository.",
        )
        .required(),
        F::new(
            "sha256",
            Text,
            "SHA-256",
            "sha256: and 64 hex digits of the file's bytes when signed.",
        )
        .required(),
    ],
    audience_rules: &[],
};

pub static SIGNOFF_FINGERPRINTS: KindDecl = KindDecl {
    name: "signoff_fingerprints",
    what: "sign-off fingerprints",
    id_key: None,
    fields: &[
        F::new(
            "handoff",
            Text,
            "handoff.yaml fingerprint",
            "The fingerprint of handoff.yaml when signed.",
        ),
        F::new(
            "stakeholders",
            Text,
            "Stakeholders fingerprint",
            "The fingerprint of the stakeholders when signed.",
        ),
        F::new(
            "promises",
            Text,
            "Promises fingerprint",
            "The fingerprint of the promises when signed.",
        ),
        F::new(
            "scope",
            Text,
            "Scope fingerprint",
            "The fingerprint of the scope when signed.",
        ),
        F::new(
            "gaps",
            Text,
            "Gaps fingerprint",
            "The fingerprint of the gaps when signed.",
        ),
    ],
    audience_rules: &[],
};

pub static WAIVER: KindDecl = KindDecl {
    name: "waiver",
    what: "waiver",
    id_key: None,
    fields: &[
        F::new(
            "finding",
            Text,
            "Finding",
            "The finding accepted: its fingerprint as check --format json prints it, e.g. effort-underrun/HARBOUR-2026-KITCHEN/effort, or a code with an item.",
        )
        .required(),
        F::new(
            "reason",
            Text,
            "Reason",
            "Why it is accepted, for the people who read the check.",
        )
        .required(),
        F::new(
            "by",
            PersonRef,
            "Accepted by",
            "The stakeholder key of who accepts it: on the supplier side, holding a role of [waivers] approvers.",
        )
        .required(),
        F::new(
            "until",
            FieldType::Date,
            "Until",
            "The last day it holds: nothing is accepted for ever.",
        )
        .required(),
        F::new("date", FieldType::Date, "Written on", "When it was written."),
    ],
    audience_rules: &[],
};

/// A record value for a struct without a [`Declared`] impl of its own.
fn record<'a>(decl: &KindDecl, value: impl Fn(&str) -> Value<'a>) -> Value<'a> {
    Value::Record(decl.fields.iter().map(|f| (f.key, value(f.key))).collect())
}

impl Declared for Handoff {
    const DECL: &'static KindDecl = &HANDOFF;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::Text(&self.id),
            "name" => Value::text(self.name.as_deref()),
            "customer" => record(&CUSTOMER, |key| match key {
                "name" => Value::text(self.customer_name.as_deref()),
                _ => Value::Absent,
            }),
            "contract" => self.contract.record(),
            "dates" => self.dates.record(),
            "effort" => self.effort.record(),
            "background" => Value::text(self.background.as_deref()),
            "why_bought" => Value::texts(&self.why_bought),
            "success_criteria" => Value::records(&self.success_criteria),
            "exclusions" => Value::texts(&self.exclusions),
            "assumptions" => Value::texts(&self.assumptions),
            "dependencies" => Value::texts(&self.dependencies),
            "constraints" => Value::texts(&self.constraints),
            "interfaces" => Value::texts(&self.interfaces),
            "risks" => Value::records(&self.risks),
            "open_questions" => Value::texts(&self.open_questions),
            "communication" => self.communication.record(),
            _ => Value::Absent,
        }
    }
}

impl Declared for Contract {
    const DECL: &'static KindDecl = &CONTRACT;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "type" => Value::word(self.kind),
            "currency" => Value::text(self.currency.as_deref()),
            "services_value" => Value::num(self.services_value),
            "total_value" => Value::num(self.total_value),
            "payment_terms" => Value::text(self.payment_terms.as_deref()),
            "signed_on" => Value::date(self.signed_on),
            "documents" => Value::records(&self.documents),
            _ => Value::Absent,
        }
    }
}

impl Declared for Document {
    const DECL: &'static KindDecl = &DOCUMENT;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "kind" => Value::Text(&self.kind),
            "ref" => Value::Text(&self.reference),
            _ => Value::Absent,
        }
    }
}

impl Declared for Dates {
    const DECL: &'static KindDecl = &DATES;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "kickoff" => Value::date(self.kickoff),
            "go_live" => Value::date(self.go_live),
            "hard_deadlines" => Value::records(&self.hard_deadlines),
            "milestones" => Value::records(&self.milestones),
            _ => Value::Absent,
        }
    }
}

impl Declared for Deadline {
    const DECL: &'static KindDecl = &DEADLINE;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "date" => Value::Date(self.date),
            "why" => Value::text(self.why.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for Milestone {
    const DECL: &'static KindDecl = &MILESTONE;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "name" => Value::Text(&self.name),
            "date" => Value::date(self.date),
            _ => Value::Absent,
        }
    }
}

impl Declared for Effort {
    const DECL: &'static KindDecl = &EFFORT;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "unit" => Value::word(self.unit),
            "sold" => Value::num(self.sold),
            "day_rate" => Value::num(self.day_rate),
            "cost_rate" => Value::num(self.cost_rate),
            "target_margin" => Value::num(self.target_margin),
            _ => Value::Absent,
        }
    }
}

impl Declared for SuccessCriterion {
    const DECL: &'static KindDecl = &CRITERION;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::text(self.id.as_deref()),
            "text" => Value::Text(&self.text),
            "measure" => Value::text(self.measure.as_deref()),
            "validated_by_customer" => Value::Bool(self.validated_by_customer),
            _ => Value::Absent,
        }
    }
}

impl Declared for Risk {
    const DECL: &'static KindDecl = &RISK;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::text(self.id.as_deref()),
            "text" => Value::Text(&self.text),
            "likelihood" => Value::word(self.likelihood),
            "impact" => Value::word(self.impact),
            "owner" => Value::text(self.owner.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for Communication {
    const DECL: &'static KindDecl = &COMMUNICATION;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "channels" => Value::texts(&self.channels),
            "first_line_contact" => Value::text(self.first_line_contact.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for Stakeholder {
    const DECL: &'static KindDecl = &STAKEHOLDER;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "key" => Value::Text(&self.key),
            "name" => Value::text(self.name.as_deref()),
            "org" => Value::word(self.org),
            "title" => Value::text(self.title.as_deref()),
            "roles" => Value::List(self.roles.iter().map(|r| Value::Text(r.as_str())).collect()),
            "influence" => Value::word(self.influence),
            "interest" => Value::word(self.interest),
            "attitude" => Value::word(self.attitude),
            "contact" => Value::text(self.contact.as_deref()),
            "notes" => Value::text(self.notes.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for Promise {
    const DECL: &'static KindDecl = &PROMISE;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::Text(&self.id),
            "title" => Value::Text(&self.title),
            "type" => Value::word(self.kind),
            "asked" => Value::text(self.asked.as_deref()),
            "promised" => Value::text(self.promised.as_deref()),
            "response" => Value::word(self.response),
            "priority" => Value::word(self.priority),
            "commitment" => Value::word(self.commitment),
            "source" => self.source.as_ref().map_or(Value::Absent, Declared::record),
            "promised_by" => Value::text(self.promised_by.as_deref()),
            "promised_to" => Value::text(self.promised_to.as_deref()),
            "date" => Value::date(self.date),
            "due" => Value::date(self.due.as_ref().map(|d| d.value)),
            "acceptance" => Value::texts(&self.acceptance),
            "sold_effort" => Value::num(self.sold_effort),
            "status" => Value::Text(self.status.as_str()),
            "tags" => Value::texts(&self.tags),
            _ => Value::Absent,
        }
    }
}

impl Declared for PromiseSource {
    const DECL: &'static KindDecl = &SOURCE;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "kind" => Value::word(self.kind),
            "ref" => Value::text(self.reference.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for ScopeItem {
    const DECL: &'static KindDecl = &SCOPE_ITEM;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::Text(&self.id),
            "title" => Value::text(self.title.as_deref()),
            "covers" => Value::List(self.covers.iter().map(|c| Value::Text(c)).collect()),
            "coverage" => Value::Text(self.coverage.as_str()),
            "approach" => Value::word(self.approach),
            "effort" => Value::Num(self.effort),
            "due" => Value::date(self.due.as_ref().map(|d| d.value)),
            "owner" => Value::text(self.owner.as_deref()),
            "phase" => Value::text(self.phase.as_deref()),
            "acceptance" => Value::texts(&self.acceptance),
            "internal" => Value::Bool(self.internal),
            "status" => Value::Text(self.status.as_str()),
            "note" => Value::text(self.note.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for Gap {
    const DECL: &'static KindDecl = &GAP;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "id" => Value::Text(&self.id),
            "promise" => Value::text(self.promise.as_ref().map(|p| p.as_str())),
            "scope" => Value::text(self.scope.as_ref().map(|s| s.as_str())),
            "kind" => Value::word(self.kind),
            "summary" => Value::text(self.summary.as_deref()),
            "criticality" => Value::word(self.criticality),
            "customer_view" => Value::word(self.customer_view),
            "resolution" => Value::word(self.resolution),
            "status" => Value::Text(self.status.as_str()),
            "owner" => Value::text(self.owner.as_deref()),
            "due" => Value::date(self.due.as_ref().map(|d| d.value)),
            "effort_delta" => Value::num(self.effort_delta),
            "price_delta" => Value::num(self.price_delta),
            "cost_delta" => Value::num(self.cost_delta),
            "agreed_with" => Value::text(self.agreed_with.as_deref()),
            "agreed_on" => Value::date(self.agreed_on),
            "customer_summary" => Value::text(self.customer_summary.as_deref()),
            "workaround" => Value::text(self.workaround.as_deref()),
            "change_request" => Value::text(self.change_request.as_deref()),
            _ => Value::Absent,
        }
    }
}

impl Declared for SignOff {
    const DECL: &'static KindDecl = &SIGNOFF;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "role" => Value::Text(&self.role),
            "by" => Value::Text(&self.by),
            "decision" => Value::Text(self.decision.as_str()),
            "date" => Value::Date(self.date),
            "fingerprint" => Value::Text(&self.fingerprint),
            "fingerprints" => record(&SIGNOFF_FINGERPRINTS, |key| {
                Value::text(self.fingerprints.get(key).map(String::as_str))
            }),
            "commit" => Value::text(self.commit.as_deref()),
            "conditions" => Value::List(self.conditions.iter().map(|c| Value::Text(c)).collect()),
            "statement" => Value::text(self.statement.as_deref()),
            "evidence" => match &self.evidence {
                Some(ev) => record(&SIGNOFF_EVIDENCE, |key| match key {
                    "path" => Value::Text(&ev.path),
                    "sha256" => Value::Text(&ev.sha256),
                    _ => Value::Absent,
                }),
                None => Value::Absent,
            },
            _ => Value::Absent,
        }
    }
}

impl Declared for Waiver {
    const DECL: &'static KindDecl = &WAIVER;

    fn value(&self, key: &str) -> Value<'_> {
        match key {
            "finding" => Value::Text(&self.finding),
            "reason" => Value::Text(&self.reason),
            "by" => Value::Text(&self.by),
            "until" => Value::Date(self.until.value),
            "date" => self.date.map_or(Value::Absent, Value::Date),
            _ => Value::Absent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_each_kind() {
        for decl in ALL {
            let mut keys = decl.keys();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), decl.fields.len(), "{}", decl.name);
            if let Some(id) = decl.id_key {
                assert!(decl.field(id).is_some_and(|f| f.required), "{}", decl.name);
            }
        }
    }

    #[test]
    fn defaults_are_words_of_their_vocabulary() {
        for decl in ALL {
            for f in decl.fields {
                match (f.ty, f.default) {
                    (FieldType::Vocab { names, .. }, Some(d)) => {
                        assert!(names.contains(&d), "{}.{}", decl.name, f.key);
                    }
                    (Bool, Some(d)) => assert!(d == "false" || d == "true"),
                    (_, Some(_)) => panic!("{}.{} has a default", decl.name, f.key),
                    (_, None) => {}
                }
            }
        }
    }

    #[test]
    fn audience_rules_name_declared_fields() {
        for decl in ALL {
            for rule in decl.audience_rules {
                match rule {
                    AudienceRule::EffortOffFixedPrice { fields } => {
                        for path in *fields {
                            assert!(decl.field_paths().iter().any(|p| p == path), "{path}");
                        }
                    }
                    AudienceRule::InternalWhen { flag } => {
                        assert!(matches!(decl.field(flag).map(|f| f.ty), Some(Bool)));
                    }
                    AudienceRule::CustomerOnlyWith { field } => {
                        let f = decl.field(field);
                        assert!(
                            f.is_some_and(|f| f.audience == Audience::Customer),
                            "{field}"
                        );
                    }
                }
            }
        }
    }
}
