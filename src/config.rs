//! `handoff.toml`: thresholds, required fields and roles, per-rule severity.
//!
//! Found by walking up from the engagement folder to the repository root;
//! `--config FILE` overrides. Unknown keys and values are errors.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::diag::{Diagnostic, Sources, one_of, suggest};
use crate::finding::{RuleCode, Severity};
use crate::fingerprint::KINDS;
use crate::load::items::handoff_field_paths;
use crate::model::decl::{FieldDecl, FieldType, KindDecl, vocab};
use crate::model::{Loc, Org, Role, Sp, Vocab};
use crate::toml_file::{self, Spanned};

pub const CONFIG_FILE: &str = "handoff.toml";

/// The levels `[rules]` accepts for a rule code.
pub const RULE_LEVELS: &[&str] = &["error", "warning", "info", "off"];

/// What `[required] fields` refers to: a handoff.yaml field path such as
/// `contract.currency` (see [`handoff_field_paths`]).
pub const HANDOFF_FIELD: &str = "handoff.yaml field";

/// handoff.toml's keys, declared like the engagement files' fields (see
/// [`crate::model::decl`]), so that its JSON Schema is generated from them.
/// `declaration_matches_the_reader` keeps this and [`RawConfig`] together.
pub static CONFIG: KindDecl = KindDecl {
    name: "config",
    what: CONFIG_FILE,
    id_key: None,
    fields: &[
        FieldDecl::new(
            "thresholds",
            FieldType::Record(&THRESHOLDS),
            "Thresholds",
            "When effort and margin findings fire.",
        ),
        FieldDecl::new(
            "required",
            FieldType::Record(&REQUIRED),
            "Required",
            "What every engagement must have: fields, stakeholder roles, sign-offs.",
        ),
        FieldDecl::new(
            "signoffs",
            FieldType::Record(&SIGNOFFS),
            "Sign-offs",
            "The roles a sign-off may be given for.",
        ),
        FieldDecl::new(
            "rules",
            FieldType::Record(&RULE_LEVELS_DECL),
            "Rules",
            "A level for any rule code: error, warning, info or off.",
        ),
        FieldDecl::new(
            "discovery",
            FieldType::Record(&DISCOVERY),
            "Discovery",
            "Which folders are never searched for engagements.",
        ),
        FieldDecl::new(
            "waivers",
            FieldType::Record(&WAIVERS),
            "Waivers",
            "Who may accept a finding in waivers.yaml.",
        ),
        FieldDecl::new(
            "editor",
            FieldType::Record(&EDITOR),
            "Editor",
            "Where editors find the schemas of the engagement files.",
        ),
    ],
    audience_rules: &[],
};

static THRESHOLDS: KindDecl = KindDecl {
    name: "config_thresholds",
    what: "the `[thresholds]` section",
    id_key: None,
    fields: &[
        FieldDecl::new(
            "effort_variance_warn",
            FieldType::Number,
            "Effort variance warning",
            "Scoped effort this fraction above sold is a warning (0.10 means 10%).",
        )
        .default("0.10"),
        FieldDecl::new(
            "effort_variance_fail",
            FieldType::Number,
            "Effort variance error",
            "Scoped effort this fraction above sold is an error (0.20 means 20%).",
        )
        .default("0.20"),
        FieldDecl::new(
            "effort_variance_low",
            FieldType::Number,
            "Effort variance low",
            "Scoped effort this fraction below sold is a warning (-0.20 means 20% under).",
        )
        .default("-0.20"),
        FieldDecl::new(
            "margin_floor",
            FieldType::Number,
            "Margin floor",
            "The lowest margin any engagement may have, e.g. 0.25; off unless set.",
        ),
    ],
    audience_rules: &[],
};

const TEXT: FieldType = FieldType::Text;
const ROLE: FieldType = vocab::<Role>();
const FIELD_PATH: FieldType = FieldType::IdRef(HANDOFF_FIELD);

static REQUIRED: KindDecl = KindDecl {
    name: "config_required",
    what: "the `[required]` section",
    id_key: None,
    fields: &[
        FieldDecl::new(
            "fields",
            FieldType::List(&FIELD_PATH),
            "Required fields",
            "handoff.yaml fields every engagement must fill, by path, e.g. contract.currency.",
        ),
        FieldDecl::new(
            "roles",
            FieldType::List(&ROLE),
            "Required roles",
            "Stakeholder roles every engagement must name.",
        ),
        FieldDecl::new(
            "signoffs",
            FieldType::List(&TEXT),
            "Required sign-offs",
            "Sign-off roles every engagement needs, e.g. sales, delivery.",
        ),
    ],
    audience_rules: &[],
};

static SIGNOFFS: KindDecl = KindDecl {
    name: "config_signoffs",
    what: "the `[signoffs]` section",
    id_key: None,
    fields: &[
        FieldDecl::new(
            "roles",
            FieldType::List(&TEXT),
            "Sign-off roles",
            "The roles a sign-off may be given for, in lower case, e.g. legal_review.",
        ),
        FieldDecl::new(
            "eligible",
            FieldType::Map(&ELIGIBLE_RECORD),
            "Eligible signers",
            "Per sign-off role, who may sign for it: `org`, `roles` and `not_roles`.",
        ),
        FieldDecl::new(
            "covers",
            FieldType::Map(&KINDS_LIST),
            "What a sign-off covers",
            "Per sign-off role, the kinds of files its sign-off covers, e.g. handoff.",
        ),
        FieldDecl::new(
            "max_age_days",
            FieldType::Amount,
            "Maximum age",
            "A sign-off older than this many days is stale even if nothing changed; off unless set.",
        ),
        FieldDecl::new(
            "max_age_days_by_role",
            FieldType::Map(&DAYS),
            "Maximum age by role",
            "Per sign-off role, a maximum age in days that replaces max_age_days, e.g. finance = 30.",
        ),
    ],
    audience_rules: &[],
};

const DAYS: FieldType = FieldType::Amount;

const ELIGIBLE_RECORD: FieldType = FieldType::Record(&ELIGIBLE);
const SIGNED_KIND: FieldType = FieldType::Vocab {
    what: "kind of file",
    names: &KINDS,
};
const KINDS_LIST: FieldType = FieldType::List(&SIGNED_KIND);
const ORG_OR_ANY: FieldType = FieldType::Vocab {
    what: "org",
    names: &["supplier", "customer", "partner", "any"],
};

static ELIGIBLE: KindDecl = KindDecl {
    name: "config_eligible",
    what: "a `[signoffs.eligible]` entry",
    id_key: None,
    fields: &[
        FieldDecl::new(
            "org",
            ORG_OR_ANY,
            "Organisation",
            "Which side the signer must be on: supplier, customer, partner or any.",
        ),
        FieldDecl::new(
            "roles",
            FieldType::List(&ROLE),
            "Roles",
            "Stakeholder roles of which the signer must hold one, e.g. project_manager.",
        ),
        FieldDecl::new(
            "not_roles",
            FieldType::List(&ROLE),
            "Not roles",
            "Stakeholder roles the signer must not hold, e.g. sales_owner.",
        ),
    ],
    audience_rules: &[],
};

static WAIVERS: KindDecl = KindDecl {
    name: "config_waivers",
    what: "the `[waivers]` section",
    id_key: None,
    fields: &[FieldDecl::new(
        "approvers",
        FieldType::List(&ROLE),
        "Approvers",
        "Stakeholder roles of which a supplier-side approver of a waiver must hold one.",
    )
    .default("[\"project_manager\", \"sales_owner\"]")],
    audience_rules: &[],
};

static DISCOVERY: KindDecl = KindDecl {
    name: "config_discovery",
    what: "the `[discovery]` section",
    id_key: None,
    fields: &[FieldDecl::new(
        "exclude",
        FieldType::List(&TEXT),
        "Excluded folders",
        "Folders never searched for engagements, as gitignore-style globs relative to this file, e.g. tests/fixtures/**.",
    )],
    audience_rules: &[],
};

static EDITOR: KindDecl = KindDecl {
    name: "config_editor",
    what: "the `[editor]` section",
    id_key: None,
    fields: &[FieldDecl::new(
        "schema_base",
        FieldType::Text,
        "Schema base",
        "The URL where your team hosts the schemas, e.g. https://handoff.example.com/schemas; handoff init points new files at it.",
    )],
    audience_rules: &[],
};

const RULE_LEVEL: FieldType = FieldType::Vocab {
    what: "rule level",
    names: RULE_LEVELS,
};

/// One key per rule code, built at compile time from [`RuleCode::NAMES`]
/// so that a new rule is in the schema without a line here.
static RULE_FIELDS: [FieldDecl; RuleCode::NAMES.len()] = {
    let mut fields = [FieldDecl::new("", RULE_LEVEL, "Level", ""); RuleCode::NAMES.len()];
    let mut i = 0;
    while i < fields.len() {
        fields[i] = FieldDecl::new(
            RuleCode::NAMES[i],
            RULE_LEVEL,
            "Level",
            "The level of this rule's findings: error, warning, info, or off.",
        );
        i += 1;
    }
    fields
};

/// `[rules]`: one key per rule code.
pub static RULE_LEVELS_DECL: KindDecl = KindDecl {
    name: "config_rules",
    what: "the `[rules]` section",
    id_key: None,
    fields: &RULE_FIELDS,
    audience_rules: &[],
};

#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub effort_variance_warn: f64,
    pub effort_variance_fail: f64,
    pub effort_variance_low: f64,
    /// Off unless set.
    pub margin_floor: Option<f64>,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            effort_variance_warn: 0.10,
            effort_variance_fail: 0.20,
            effort_variance_low: -0.20,
            margin_floor: None,
        }
    }
}

/// Where an effort variance stands against the thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EffortBand {
    /// Below `effort_variance_low`: padding, or scope still missing.
    Under,
    Within,
    /// Above `effort_variance_warn`.
    Warn,
    /// Above `effort_variance_fail`.
    Fail,
}

/// A margin under what the engagement should make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MarginShortfall {
    /// Under the configured floor (the floor given).
    BelowFloor(f64),
    /// Over the floor but under the engagement's target (the target given).
    BelowTarget(f64),
}

impl Thresholds {
    /// The one judgement of an effort variance that the `effort-overrun`
    /// rule, `handoff diff` and the PID share.
    pub fn effort_band(&self, variance: f64) -> EffortBand {
        if variance > self.effort_variance_fail {
            EffortBand::Fail
        } else if variance > self.effort_variance_warn {
            EffortBand::Warn
        } else if variance < self.effort_variance_low {
            EffortBand::Under
        } else {
            EffortBand::Within
        }
    }

    /// How `margin` falls short of the floor, else of `target`; the floor
    /// comes first, so one shortfall is reported, not two.
    pub fn margin_shortfall(&self, margin: f64, target: Option<f64>) -> Option<MarginShortfall> {
        if let Some(floor) = self.margin_floor.filter(|floor| margin < *floor) {
            return Some(MarginShortfall::BelowFloor(floor));
        }
        target
            .filter(|target| margin < *target)
            .map(MarginShortfall::BelowTarget)
    }
}

/// What a rule's findings become: a severity, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Set(Severity),
    Off,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; `None` for the built-in defaults.
    pub path: Option<String>,
    pub thresholds: Thresholds,
    pub required_fields: Vec<String>,
    pub required_roles: Vec<Role>,
    pub required_signoffs: Vec<String>,
    /// The roles a sign-off may be given for (`[signoffs] roles`).
    pub signoff_roles: Vec<String>,
    /// Who may sign for a role, as `[signoffs.eligible]` sets it; the
    /// other roles keep [`Eligible::default_for`].
    pub eligible: BTreeMap<String, Eligible>,
    /// The kinds of files a role's sign-off covers (`[signoffs.covers]`);
    /// a role not listed covers every kind.
    pub covers: BTreeMap<String, Vec<&'static str>>,
    /// How many days a sign-off stays fresh (`[signoffs] max_age_days`);
    /// `None`: for ever.
    pub max_age_days: Option<u32>,
    /// The same per role (`[signoffs.max_age_days_by_role]`), in place of
    /// `max_age_days`.
    pub max_age_days_by_role: BTreeMap<String, u32>,
    /// The stakeholder roles of which a waiver's approver must hold one
    /// (`[waivers] approvers`).
    pub waiver_approvers: Vec<Role>,
    pub rules: HashMap<RuleCode, RuleLevel>,
    /// `[editor] schema_base`: where the team hosts the JSON Schemas.
    pub schema_base: Option<String>,
    /// `[discovery] exclude`: gitignore-style globs, relative to the
    /// folder of the file, of folders never searched for engagements.
    pub exclude: Vec<String>,
    /// The file sets nothing but `[discovery]`: every judgement uses the
    /// built-in defaults, as documents say.
    pub discovery_only: bool,
}

/// Who may sign off for one role: a stakeholder on the side `org` (either
/// side, or none, when `None`) holding one of `roles` (any, when empty)
/// and none of `not_roles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Eligible {
    pub org: Option<Org>,
    pub roles: Vec<Role>,
    pub not_roles: Vec<Role>,
}

impl Eligible {
    /// The built-in rule for a role (docs/signoffs.md): sales by our sales
    /// owner, delivery by our delivery lead, the bid review by a delivery
    /// peer who did not sell the deal, finance by anyone of ours, the
    /// customer's sponsor by the customer's decision makers; any
    /// stakeholder for a role of the organisation's own.
    pub fn default_for(role: &str) -> Eligible {
        let ours = |roles: &[Role], not_roles: &[Role]| Eligible {
            org: Some(Org::Supplier),
            roles: roles.to_vec(),
            not_roles: not_roles.to_vec(),
        };
        let delivery = [
            Role::ProjectManager,
            Role::TeamManager,
            Role::SeniorSupplier,
        ];
        match role {
            "sales" => ours(&[Role::SalesOwner], &[]),
            "delivery" => ours(&delivery, &[]),
            "presales_review" => ours(
                &[
                    Role::Presales,
                    Role::ProjectManager,
                    Role::TeamManager,
                    Role::SeniorSupplier,
                ],
                &[Role::SalesOwner],
            ),
            "finance" => ours(&[], &[]),
            "customer_sponsor" => Eligible {
                org: Some(Org::Customer),
                roles: vec![Role::Executive, Role::EconomicBuyer, Role::SeniorUser],
                not_roles: Vec::new(),
            },
            _ => Eligible::default(),
        }
    }

    /// "a supplier-side stakeholder with the role sales_owner", for
    /// messages.
    pub fn words(&self) -> String {
        let side = match self.org {
            Some(Org::Supplier) => "a supplier-side stakeholder",
            Some(Org::Customer) => "a customer-side stakeholder",
            Some(Org::Partner) => "a partner's stakeholder",
            None => "any stakeholder",
        };
        let list = |roles: &[Role]| {
            roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let mut words = side.to_string();
        match self.roles.as_slice() {
            [] => {}
            [one] => words.push_str(&format!(" with the role {}", one.as_str())),
            many => words.push_str(&format!(" with one of the roles {}", list(many))),
        }
        if !self.not_roles.is_empty() {
            words.push_str(&format!(" who is not a {}", list(&self.not_roles)));
        }
        words
    }
}

pub const DEFAULT_FIELDS: &[&str] = &[
    "customer.name",
    "contract.type",
    "contract.currency",
    "dates.kickoff",
    "effort.sold",
    "success_criteria",
];
pub const DEFAULT_ROLES: &[Role] = &[
    Role::Executive,
    Role::CustomerPm,
    Role::SalesOwner,
    Role::ProjectManager,
];
pub const DEFAULT_SIGNOFFS: &[&str] = &["sales", "delivery"];
/// The sign-off roles unless `[signoffs] roles` says otherwise.
pub const SIGNOFF_ROLES: &[&str] = &[
    "sales",
    "delivery",
    "presales_review",
    "finance",
    "customer_sponsor",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            thresholds: Thresholds::default(),
            required_fields: DEFAULT_FIELDS.iter().map(|s| (*s).to_string()).collect(),
            required_roles: DEFAULT_ROLES.to_vec(),
            required_signoffs: DEFAULT_SIGNOFFS.iter().map(|s| (*s).to_string()).collect(),
            signoff_roles: SIGNOFF_ROLES.iter().map(|s| (*s).to_string()).collect(),
            eligible: BTreeMap::new(),
            covers: BTreeMap::new(),
            max_age_days: None,
            max_age_days_by_role: BTreeMap::new(),
            waiver_approvers: vec![Role::ProjectManager, Role::SalesOwner],
            rules: HashMap::new(),
            schema_base: None,
            exclude: Vec::new(),
            discovery_only: false,
        }
    }
}

impl Config {
    /// Who may sign off for `role`.
    /// How many days a sign-off for `role` stays fresh; `None`: for ever.
    pub fn max_age(&self, role: &str) -> Option<u32> {
        self.max_age_days_by_role
            .get(role)
            .copied()
            .or(self.max_age_days)
    }

    pub fn eligible(&self, role: &str) -> Eligible {
        self.eligible
            .get(role)
            .cloned()
            .unwrap_or_else(|| Eligible::default_for(role))
    }

    /// The level for a finding of `code` whose rule chose `default`.
    pub fn level(&self, code: RuleCode, default: Severity) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(RuleLevel::Set(severity)) => Some(*severity),
            Some(RuleLevel::Off) => None,
            None => Some(default),
        }
    }

    /// Reads and validates a config file, reporting every problem.
    pub fn from_file(path: &Path, sources: &mut Sources) -> Result<Config, Vec<Diagnostic>> {
        let file: Arc<str> = Arc::from(crate::load::display(path));
        // A link out of the repository (to a secrets file, to
        // `/proc/self/environ`) is refused unread, as engagement files are:
        // its text would be quoted in the error snippets of a CI log.
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let bounded = crate::load::tree::Bounded::new(&crate::load::FsTree, folder);
        let bytes = crate::fsutil::check_regular(path)
            .and_then(|()| crate::load::Tree::read(&bounded, path))
            .map_err(|err| {
                vec![Diagnostic::general(format!(
                    "cannot read config {file}: {err}"
                ))]
            })?;
        let text = toml_file::text(bytes, &file, &format!("config {file}")).map_err(|d| vec![d])?;
        sources.insert(&file, &text);
        Config::parse(&text, &file)
    }

    pub fn parse(text: &str, file: &Arc<str>) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml_file::parse(text, file, plain_toml_message, "sections allowed: [thresholds] (effort_variance_warn, effort_variance_fail, effort_variance_low, margin_floor), [required] (fields, roles, signoffs), [signoffs] (roles, eligible, covers, max_age_days, max_age_days_by_role), [rules], [editor] (schema_base), [discovery] (exclude), [waivers] (approvers)")
            .map_err(|d| vec![d])?;
        let mut diags = Vec::new();
        let mut config = Config {
            path: Some(file.to_string()),
            discovery_only: raw.thresholds.is_none()
                && raw.required.is_none()
                && raw.signoffs.is_none()
                && raw.rules.is_none()
                && raw.waivers.is_none()
                && (raw.discovery.is_some() || raw.editor.is_some()),
            ..Config::default()
        };
        let at = |span: std::ops::Range<usize>| toml_file::loc(file, text, span);
        if let Some(t) = raw.thresholds {
            let th = &mut config.thresholds;
            let value = |v: &Option<Spanned<f64>>| v.as_ref().map(|v| *v.get_ref());
            th.effort_variance_warn =
                value(&t.effort_variance_warn).unwrap_or(th.effort_variance_warn);
            th.effort_variance_fail =
                value(&t.effort_variance_fail).unwrap_or(th.effort_variance_fail);
            th.effort_variance_low =
                value(&t.effort_variance_low).unwrap_or(th.effort_variance_low);
            th.margin_floor = value(&t.margin_floor);
            // NaN compares false with everything, so a `nan` threshold would
            // silently switch its rule off; `inf` prints as "inf%".
            let given = [
                ("effort_variance_warn", &t.effort_variance_warn),
                ("effort_variance_fail", &t.effort_variance_fail),
                ("effort_variance_low", &t.effort_variance_low),
            ];
            for (name, spanned) in given {
                if let Some(spanned) = spanned
                    && !(-10.0..=10.0).contains(spanned.get_ref())
                {
                    diags.push(
                        Diagnostic::at(
                            at(spanned.span()),
                            format!(
                                "`{name}` must be a fraction such as 0.10, found {}",
                                spanned.get_ref()
                            ),
                        )
                        .with_help("thresholds are fractions: 0.10 means 10%"),
                    );
                }
            }
            // Also catches `nan` and `inf`, which `contains` rejects.
            if let Some(floor) = &t.margin_floor
                && !(-1.0..=1.0).contains(floor.get_ref())
            {
                diags.push(
                    Diagnostic::at(
                        at(floor.span()),
                        format!(
                            "`margin_floor` is a fraction between 0 and 1, found {}",
                            floor.get_ref()
                        ),
                    )
                    .with_help("write a 25% floor as `margin_floor = 0.25`"),
                );
            }
            // Point at whichever of the pair the file wrote.
            let either = |a: &Option<Spanned<f64>>, b: &Option<Spanned<f64>>| {
                a.as_ref().or(b.as_ref()).map_or(0..0, Spanned::span)
            };
            if th.effort_variance_low >= th.effort_variance_warn {
                diags.push(
                    Diagnostic::at(
                        at(either(&t.effort_variance_low, &t.effort_variance_warn)),
                        "effort_variance_low is not below effort_variance_warn".to_string(),
                    )
                    .with_help(
                        "an engagement cannot be both under and over its effort: keep low below warn, e.g. -0.20 and 0.10",
                    ),
                );
            }
            if th.effort_variance_warn > th.effort_variance_fail {
                diags.push(
                    Diagnostic::at(
                        at(either(&t.effort_variance_warn, &t.effort_variance_fail)),
                        "effort_variance_warn is above effort_variance_fail".to_string(),
                    )
                    .with_help(
                        "the warning threshold must not exceed the failing one, e.g. 0.10 and 0.20",
                    ),
                );
            }
        }
        let (roles, eligible, covers, max_age, max_age_by_role) = match raw.signoffs {
            Some(s) => (
                s.roles,
                s.eligible,
                s.covers,
                s.max_age_days,
                s.max_age_days_by_role,
            ),
            None => (None, None, None, None, None),
        };
        // Before `[required]`, which may name a role declared here.
        if let Some(roles) = roles {
            for role in roles.get_ref() {
                let word = !role.get_ref().is_empty()
                    && role
                        .get_ref()
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !word {
                    diags.push(
                        Diagnostic::at(
                            at(role.span()),
                            format!("`{}` is not a usable sign-off role name", role.get_ref()),
                        )
                        .with_help(
                            "write roles in lower case with underscores, e.g. `legal_review`",
                        ),
                    );
                }
            }
            if roles.get_ref().is_empty() {
                // The defaults stay, so `[required] signoffs` is not
                // reported a second time against an empty list.
                diags.push(
                    Diagnostic::at(at(roles.span()), "`[signoffs] roles` is empty".to_string())
                        .with_help(
                            "list at least the roles that sign, e.g. [\"sales\", \"delivery\"]",
                        ),
                );
            } else {
                config.signoff_roles = roles
                    .into_inner()
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect();
            }
        }
        for (role, raw) in eligible.unwrap_or_default() {
            if !config.signoff_roles.contains(role.get_ref()) {
                diags.push(not_a_signoff_role(
                    at(role.span()),
                    role.get_ref(),
                    &config.signoff_roles,
                ));
                continue;
            }
            let mut eligible = Eligible::default();
            if let Some(org) = &raw.org {
                match org.get_ref().as_str() {
                    "any" => {}
                    other => match Org::parse(other) {
                        Some(org) => eligible.org = Some(org),
                        None => diags.push(
                            Diagnostic::at(
                                at(org.span()),
                                format!("`{other}` is not a side for `{}`", role.get_ref()),
                            )
                            .with_help(format!(
                                "allowed: {}",
                                one_of(&["supplier", "customer", "partner", "any"])
                            )),
                        ),
                    },
                }
            }
            for (list, out) in [
                (&raw.roles, &mut eligible.roles),
                (&raw.not_roles, &mut eligible.not_roles),
            ] {
                for name in list.iter().flat_map(|l| l.get_ref()) {
                    match Role::parse(name.get_ref()) {
                        Some(r) => out.push(r),
                        None => diags.push(
                            Diagnostic::at(
                                at(name.span()),
                                format!("`{}` is not a stakeholder role", name.get_ref()),
                            )
                            .with_help(format!("allowed: {}", Role::NAMES.join(", "))),
                        ),
                    }
                }
            }
            config.eligible.insert(role.into_inner(), eligible);
        }
        for (role, kinds) in covers.unwrap_or_default() {
            if !config.signoff_roles.contains(role.get_ref()) {
                diags.push(not_a_signoff_role(
                    at(role.span()),
                    role.get_ref(),
                    &config.signoff_roles,
                ));
                continue;
            }
            if kinds.get_ref().is_empty() {
                diags.push(
                    Diagnostic::at(
                        at(kinds.span()),
                        format!("the sign-off of `{}` covers nothing", role.get_ref()),
                    )
                    .with_help(format!(
                        "list the kinds it covers, from: {}; or leave the role out to cover everything",
                        KINDS.join(", ")
                    )),
                );
                continue;
            }
            let mut covered = Vec::new();
            for kind in kinds.get_ref() {
                match KINDS.iter().find(|k| **k == kind.get_ref().as_str()) {
                    Some(k) => covered.push(*k),
                    None => diags.push(
                        Diagnostic::at(
                            at(kind.span()),
                            format!("`{}` is not a kind of file", kind.get_ref()),
                        )
                        .with_help(format!("allowed: {}", KINDS.join(", "))),
                    ),
                }
            }
            config.covers.insert(role.into_inner(), covered);
        }
        let days = |value: &Spanned<i64>, diags: &mut Vec<Diagnostic>| match u32::try_from(
            *value.get_ref(),
        ) {
            Ok(days) if days > 0 => Some(days),
            _ => {
                diags.push(
                        Diagnostic::at(
                            at(value.span()),
                            format!("`{}` is not a number of days", value.get_ref()),
                        )
                        .with_help("give a whole number of days above zero, e.g. 90; leave the key out for sign-offs that never expire"),
                    );
                None
            }
        };
        if let Some(value) = &max_age {
            config.max_age_days = days(value, &mut diags);
        }
        for (role, value) in max_age_by_role.unwrap_or_default() {
            if !config.signoff_roles.contains(role.get_ref()) {
                diags.push(not_a_signoff_role(
                    at(role.span()),
                    role.get_ref(),
                    &config.signoff_roles,
                ));
                continue;
            }
            if let Some(d) = days(&value, &mut diags) {
                config.max_age_days_by_role.insert(role.into_inner(), d);
            }
        }
        if let Some(approvers) = raw.waivers.and_then(|w| w.approvers) {
            let mut roles = Vec::new();
            for name in approvers.get_ref() {
                match Role::parse(name.get_ref()) {
                    Some(r) => roles.push(r),
                    None => diags.push(
                        Diagnostic::at(
                            at(name.span()),
                            format!("`{}` is not a stakeholder role", name.get_ref()),
                        )
                        .with_help(format!("allowed: {}", Role::NAMES.join(", "))),
                    ),
                }
            }
            if approvers.get_ref().is_empty() {
                diags.push(
                    Diagnostic::at(at(approvers.span()), "`[waivers] approvers` is empty".to_string())
                        .with_help("list the stakeholder roles that may accept a finding, e.g. [\"project_manager\"]"),
                );
            }
            if !roles.is_empty() {
                config.waiver_approvers = roles;
            }
        }
        if let Some(req) = raw.required {
            if let Some(fields) = req.fields {
                let known = handoff_field_paths();
                let known_refs: Vec<&str> = known.iter().map(String::as_str).collect();
                for field in fields.get_ref() {
                    let name = field.get_ref();
                    if !known.contains(name) {
                        let hint = suggest(name, &known_refs)
                            .map_or(String::new(), |s| format!("did you mean `{s}`? "));
                        diags.push(Diagnostic::at(at(field.span()), format!("`{name}` is not a handoff.yaml field")).with_help(format!(
                            "{hint}write field paths with dots, e.g. `contract.currency`; see docs/format.md"
                        )));
                    }
                }
                config.required_fields = fields
                    .into_inner()
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect();
            }
            if let Some(roles) = req.roles {
                config.required_roles = Vec::new();
                for role in roles.get_ref() {
                    match Role::parse(role.get_ref()) {
                        Some(r) => config.required_roles.push(r),
                        None => diags.push(
                            Diagnostic::at(
                                at(role.span()),
                                format!("`{}` is not a stakeholder role", role.get_ref()),
                            )
                            .with_help(format!("allowed: {}", Role::NAMES.join(", "))),
                        ),
                    }
                }
            }
            if let Some(signoffs) = req.signoffs {
                for role in signoffs.get_ref() {
                    if !config.signoff_roles.contains(role.get_ref()) {
                        diags.push(not_a_signoff_role(
                            at(role.span()),
                            role.get_ref(),
                            &config.signoff_roles,
                        ));
                    }
                }
                config.required_signoffs = signoffs
                    .into_inner()
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect();
            }
        }
        for (code, level) in raw.rules.unwrap_or_default() {
            let name = code.get_ref();
            let Some(rule) = RuleCode::parse(name) else {
                let hint = suggest(name, RuleCode::NAMES)
                    .map_or(String::new(), |s| format!("did you mean `{s}`? "));
                diags.push(
                    Diagnostic::at(at(code.span()), format!("`{name}` is not a rule code"))
                        .with_help(format!("{hint}`handoff rules` lists every code")),
                );
                continue;
            };
            let parsed = match level.get_ref().as_str() {
                "off" => Some(RuleLevel::Off),
                other => Severity::parse(other).map(RuleLevel::Set),
            };
            match parsed {
                Some(parsed) => {
                    config.rules.insert(rule, parsed);
                }
                None => diags.push(
                    Diagnostic::at(
                        at(level.span()),
                        format!("`{}` is not a rule level for `{name}`", level.get_ref()),
                    )
                    .with_help(format!("allowed: {}", one_of(RULE_LEVELS))),
                ),
            }
        }
        config.schema_base = raw.editor.and_then(|e| e.schema_base);
        for pattern in raw.discovery.and_then(|d| d.exclude).unwrap_or_default() {
            let glob = pattern.get_ref().trim();
            if glob.is_empty() || glob.starts_with('!') {
                diags.push(
                    Diagnostic::at(
                        at(pattern.span()),
                        format!("`{glob}` is not a folder pattern for `[discovery] exclude`"),
                    )
                    .with_help("write a path relative to this file, such as \"tests/fixtures/**\"; `!` patterns are not supported"),
                );
                continue;
            }
            config.exclude.push(glob.to_string());
        }
        if diags.is_empty() {
            Ok(config)
        } else {
            Err(diags)
        }
    }

    /// Whether `[discovery] exclude` leaves out the folder at `rel`, a
    /// path relative to this config's folder, as gitignore would: a
    /// pattern with a `/` is anchored at that folder, one without matches
    /// a folder of that name at any depth; `*` and `?` stay within one
    /// name, `**` spans folders; a folder inside an excluded one is
    /// excluded too.
    pub fn excludes(&self, rel: &Path) -> bool {
        let names: Vec<String> = rel
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.exclude.iter().any(|pattern| {
            let pattern = pattern.trim_end_matches('/');
            let anchored = pattern.contains('/');
            let parts: Vec<&str> = pattern
                .trim_start_matches('/')
                .split('/')
                .filter(|p| !p.is_empty() && *p != ".")
                .collect();
            if anchored {
                (1..=names.len()).any(|n| path_matches(&parts, &names[..n]))
            } else {
                names.iter().any(|name| name_matches(pattern, name))
            }
        })
    }

    /// Sign-off roles this config does not know: problems to fix before
    /// anything is judged, like a value outside a vocabulary.
    pub fn check_signoff_roles<'r>(
        &self,
        roles: impl IntoIterator<Item = &'r Sp<String>>,
    ) -> Vec<Diagnostic> {
        let allowed: Vec<&str> = self.signoff_roles.iter().map(String::as_str).collect();
        roles
            .into_iter()
            .filter(|role| !self.signoff_roles.contains(&role.value))
            .map(|role| {
                let help = match suggest(role, &allowed) {
                    Some(close) => {
                        format!("did you mean `{close}`? allowed: {}", allowed.join(", "))
                    }
                    None => format!(
                        "allowed: {}; `[signoffs] roles` in handoff.toml can add roles",
                        allowed.join(", ")
                    ),
                };
                Diagnostic::at(
                    role.loc.clone(),
                    format!("`{}` is not a valid sign-off role (`role`)", role.value),
                )
                .with_help(help)
            })
            .collect()
    }

    /// Walks up from `dir` to the repository root (the folder holding
    /// `.git`), or to the file system root outside a repository.
    /// A folder that does not exist (removed since the compared revision)
    /// starts the walk from what is left of it.
    ///
    /// Outside a repository the walk stops at `ceiling`, the folder given
    /// on the command line (or the current folder), when `dir` is inside
    /// it, else at `dir` itself: a `handoff.toml` planted higher up (in a
    /// shared download folder, say) never applies silently.
    pub fn discover(dir: &Path, ceiling: &Path) -> Option<PathBuf> {
        let mut dir = dir.to_path_buf();
        while !dir.as_os_str().is_empty() && !dir.is_dir() {
            dir.pop();
        }
        if dir.as_os_str().is_empty() {
            dir.push(".");
        }
        let start = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let in_repository = start.ancestors().any(|a| a.join(".git").exists());
        let stop = if in_repository {
            None
        } else {
            let ceiling = std::fs::canonicalize(ceiling).unwrap_or_else(|_| ceiling.to_path_buf());
            Some(if start.starts_with(&ceiling) {
                ceiling
            } else {
                start.clone()
            })
        };
        let mut current = Some(start.as_path());
        while let Some(folder) = current {
            let candidate = folder.join(CONFIG_FILE);
            // A folder or broken link named handoff.toml is reported when
            // read, rather than silently replaced by the defaults.
            if candidate.symlink_metadata().is_ok() {
                return Some(relative_to_cwd(&candidate));
            }
            if folder.join(".git").exists() || stop.as_deref() == Some(folder) {
                return None;
            }
            current = folder.parent();
        }
        None
    }
}

/// Glob parts (`**` spans names) against folder names, all of them. A
/// table over (part, name) positions, so a planted pattern of many `**`
/// costs parts × names, never more.
fn path_matches(parts: &[&str], names: &[&str]) -> bool {
    // ok[i][j]: parts[i..] match names[j..].
    let mut ok = vec![vec![false; names.len() + 1]; parts.len() + 1];
    ok[parts.len()][names.len()] = true;
    for i in (0..parts.len()).rev() {
        for j in (0..=names.len()).rev() {
            ok[i][j] = match parts[i] {
                // A trailing `**` is what is inside, not the folder itself.
                "**" if i + 1 == parts.len() => j < names.len(),
                "**" => ok[i + 1][j] || (j < names.len() && ok[i][j + 1]),
                part => j < names.len() && name_matches(part, names[j]) && ok[i + 1][j + 1],
            };
        }
    }
    ok[0][0]
}

/// One glob part against one name: `*` any run of characters, `?` one.
/// The same table as [`path_matches`], over characters.
fn name_matches(glob: &str, name: &str) -> bool {
    let glob: Vec<char> = glob.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let mut ok = vec![vec![false; name.len() + 1]; glob.len() + 1];
    ok[glob.len()][name.len()] = true;
    for i in (0..glob.len()).rev() {
        for j in (0..=name.len()).rev() {
            ok[i][j] = match glob[i] {
                '*' => ok[i + 1][j] || (j < name.len() && ok[i][j + 1]),
                '?' => j < name.len() && ok[i + 1][j + 1],
                c => j < name.len() && name[j] == c && ok[i + 1][j + 1],
            };
        }
    }
    ok[0][0]
}

/// A role that `[signoffs] roles` does not list, named in
/// `[signoffs.eligible]`, `[signoffs.covers]` or `[required] signoffs`.
fn not_a_signoff_role(at: Loc, role: &str, roles: &[String]) -> Diagnostic {
    Diagnostic::at(at, format!("`{role}` is not a sign-off role")).with_help(format!(
        "allowed: {}; add it to `[signoffs] roles` to use a role of your own",
        roles.join(", ")
    ))
}

/// The TOML reader's serde wording ("expected f64", "struct
/// RawThresholds") in words a PM knows.
fn plain_toml_message(message: &str) -> String {
    let Some(rest) = message.strip_prefix("invalid type: ") else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.split_once(", expected ") else {
        return message.to_string();
    };
    let found = match found.split_once(' ') {
        Some(("string", value)) => format!("text {value}"),
        Some(("integer" | "floating", value)) => format!("the number {}", value.trim_matches('`')),
        Some(("boolean", value)) => value.trim_matches('`').to_string(),
        _ if found == "sequence" => "a list".to_string(),
        _ if found == "map" => "a table or a date".to_string(),
        _ => found.to_string(),
    };
    let expected = match expected {
        "f64" => "a number such as 0.10",
        "a sequence" => "a list such as [\"a\", \"b\"]",
        "a string" => "text in quotes, such as \"error\"",
        other if other.starts_with("struct ") || other == "a map" => "a [section] of settings",
        other => other,
    };
    format!("expected {expected}, found {found}")
}

fn relative_to_cwd(path: &Path) -> PathBuf {
    // Above the current folder it is `../handoff.toml`, as a person would
    // type it.
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let cwd = std::fs::canonicalize(cwd).ok()?;
            let common = cwd.ancestors().find(|a| path.starts_with(a))?;
            let up = cwd.strip_prefix(common).ok()?.components().count();
            let mut rel: PathBuf = std::iter::repeat_n("..", up).collect();
            rel.push(path.strip_prefix(common).ok()?);
            Some(rel)
        })
        .unwrap_or_else(|| path.to_path_buf())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    thresholds: Option<RawThresholds>,
    required: Option<RawRequired>,
    signoffs: Option<RawSignoffs>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    editor: Option<RawEditor>,
    discovery: Option<RawDiscovery>,
    waivers: Option<RawWaivers>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaivers {
    approvers: Option<Words>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEditor {
    schema_base: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscovery {
    exclude: Option<Vec<Spanned<String>>>,
}

// Values are `Spanned` so that each problem points at its own value.
type Words = Spanned<Vec<Spanned<String>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignoffs {
    roles: Option<Words>,
    eligible: Option<BTreeMap<Spanned<String>, RawEligible>>,
    covers: Option<BTreeMap<Spanned<String>, Words>>,
    max_age_days: Option<Spanned<i64>>,
    max_age_days_by_role: Option<BTreeMap<Spanned<String>, Spanned<i64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEligible {
    org: Option<Spanned<String>>,
    roles: Option<Words>,
    not_roles: Option<Words>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThresholds {
    effort_variance_warn: Option<Spanned<f64>>,
    effort_variance_fail: Option<Spanned<f64>>,
    effort_variance_low: Option<Spanned<f64>>,
    margin_floor: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequired {
    fields: Option<Words>,
    roles: Option<Words>,
    signoffs: Option<Words>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(text, &Arc::from("handoff.toml"))
    }

    #[test]
    fn defaults_match_the_documented_thresholds() {
        let c = Config::default();
        assert_eq!(c.thresholds.effort_variance_warn, 0.10);
        assert_eq!(c.thresholds.effort_variance_fail, 0.20);
        assert_eq!(c.thresholds.effort_variance_low, -0.20);
        assert_eq!(c.thresholds.margin_floor, None);
    }

    #[test]
    fn unknown_key_is_an_error_with_position() {
        let errs = parse("[thresholds]\neffort_variance_wran = 0.1\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].loc.as_ref().map(|l| l.pos.line), Some(2));
    }

    #[test]
    fn collects_every_bad_value() {
        let errs = parse("[required]\nroles = [\"boss\"]\nfields = [\"contract.curency\"]\n[rules]\nunsold-scope = \"fatal\"\nno-such-rule = \"off\"\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 4, "{errs:#?}");
    }

    /// Every declared key is one the reader accepts, and the reader accepts
    /// no section the declaration leaves out (serde refuses unknown keys).
    #[test]
    fn declaration_matches_the_reader() {
        for (section, decl) in CONFIG.sections() {
            for field in decl.fields {
                let value = match field.ty {
                    // The default keeps the thresholds in their order.
                    FieldType::Number => field.default.unwrap_or("0.05").to_string(),
                    FieldType::Text => "\"https://example.com/schemas\"".to_string(),
                    FieldType::Vocab { names, .. } => format!("\"{}\"", names[0]),
                    FieldType::List(FieldType::IdRef(_)) => "[\"contract.currency\"]".into(),
                    FieldType::List(FieldType::Vocab { names, .. }) => {
                        format!("[\"{}\"]", names[0])
                    }
                    FieldType::List(_) => "[\"sales\"]".to_string(),
                    FieldType::Map(FieldType::Record(_)) => {
                        "{ sales = { org = \"supplier\" } }".to_string()
                    }
                    FieldType::Amount => "30".to_string(),
                    FieldType::Map(FieldType::Amount) => "{ sales = 30 }".to_string(),
                    FieldType::Map(_) => "{ sales = [\"handoff\"] }".to_string(),
                    other => panic!("{section}.{}: no sample for {other:?}", field.key),
                };
                let text = format!("[{section}]\n{} = {value}\n", field.key);
                assert!(parse(&text).is_ok(), "{text}: {:?}", parse(&text).err());
            }
        }
        assert!(parse("[rulez]\n").is_err());
        assert_eq!(RULE_LEVELS_DECL.fields.len(), RuleCode::ALL.len());
    }

    #[test]
    fn a_maximum_age_is_a_whole_number_of_days_per_known_role() {
        let c =
            parse("[signoffs]\nmax_age_days = 90\n[signoffs.max_age_days_by_role]\nfinance = 30\n")
                .ok();
        assert_eq!(c.as_ref().and_then(|c| c.max_age("finance")), Some(30));
        assert_eq!(c.as_ref().and_then(|c| c.max_age("sales")), Some(90));
        assert_eq!(Config::default().max_age("sales"), None, "off by default");
        for bad in [
            "[signoffs]\nmax_age_days = 0\n",
            "[signoffs]\nmax_age_days = -5\n",
            "[signoffs.max_age_days_by_role]\nfinanse = 30\n",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn schema_base_is_read() {
        let c = parse("[editor]\nschema_base = \"https://example.com/s/\"\n").ok();
        assert_eq!(
            c.and_then(|c| c.schema_base).as_deref(),
            Some("https://example.com/s/")
        );
    }

    #[test]
    fn discovery_exclude_is_gitignore_like() {
        let c = parse("[discovery]\nexclude = [\"tests/fixtures/**\", \"scratch\", \"old-*/\"]\n")
            .unwrap_or_default();
        let ex = |p: &str| c.excludes(Path::new(p));
        assert!(ex("tests/fixtures/broken"));
        assert!(ex("tests/fixtures/a/b"));
        assert!(!ex("tests/fixtures"));
        assert!(!ex("tests"));
        assert!(!ex("other/tests/fixtures/broken"));
        assert!(ex("scratch"));
        assert!(ex("clients/scratch/acme"));
        assert!(ex("old-2024"));
        assert!(!ex("clients/acme"));
        let errs = parse("[discovery]\nexclude = [\"!keep\"]\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 1);
    }

    /// A planted pattern of many stars is matched in parts × names steps,
    /// not by trying every split (which would not finish).
    #[test]
    fn many_stars_do_not_backtrack() {
        let glob = format!("{}b", "*a".repeat(30));
        let name = "a".repeat(60);
        assert!(!name_matches(&glob, &name));
        let parts: Vec<&str> = std::iter::repeat_n("**", 30).chain(["x"]).collect();
        let names: Vec<&str> = std::iter::repeat_n("a", 60).collect();
        assert!(!path_matches(&parts, &names));
        assert!(name_matches("old-*", "old-2024") && !name_matches("old-?", "old-10"));
    }

    #[test]
    fn rule_levels_apply() {
        let c = parse("[rules]\nunsold-scope = \"error\"\nopen-gap = \"off\"\n").ok();
        let c = c.unwrap_or_default();
        assert_eq!(
            c.level(RuleCode::UnsoldScope, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(c.level(RuleCode::OpenGap, Severity::Error), None);
        assert_eq!(
            c.level(RuleCode::StaleGap, Severity::Warning),
            Some(Severity::Warning)
        );
    }
}
