//! What `handoff check` looks for. Each rule is a small function; [`RULES`]
//! lists them all, with the text that documentation and SARIF show.

use std::collections::HashMap;

use crate::analysis::{Analysis, Coverage};
use crate::config::{Config, EffortBand, MarginShortfall};
use crate::date::Date;
use crate::finding::{Finding, Severity};
use crate::format::{number, percent};
use crate::model::{
    Attitude, Commitment, ContractType, Criticality, Engagement, GapKind, GapStatus, Level, Loc,
    Priority, Promise, PromiseStatus, Response, Sp, Vocab,
};

/// Everything a rule may look at.
#[derive(Debug)]
pub struct Ctx<'a, 'e> {
    pub analysis: &'a Analysis<'e>,
    pub config: &'a Config,
    pub today: Date,
}

impl<'e> Ctx<'_, 'e> {
    pub fn engagement(&self) -> &'e Engagement {
        self.analysis.engagement
    }
}

pub struct Rule {
    pub code: &'static str,
    /// The default severity, as documented ("error for must, ...").
    pub default: &'static str,
    /// One line: when it fires.
    pub summary: &'static str,
    pub check: fn(&Ctx<'_, '_>, &mut Vec<Finding>),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

pub const RULES: &[Rule] = &[
    Rule {
        code: "duplicate-id",
        default: "error",
        summary: "two promises, scope items, gaps or stakeholders share an id",
        check: duplicate_id,
    },
    Rule {
        code: "unknown-reference",
        default: "error",
        summary: "`covers`, `promise` or `scope` names an id that does not exist",
        check: unknown_reference,
    },
    Rule {
        code: "missing-field",
        default: "error",
        summary: "a required handoff.yaml field is absent",
        check: missing_field,
    },
    Rule {
        code: "missing-role",
        default: "error",
        summary: "no stakeholder holds a required role",
        check: missing_role,
    },
    Rule {
        code: "unscoped-promise",
        default: "error for must, warning for should, info for could",
        summary: "a promise no scope item covers, and no gap records",
        check: unscoped_promise,
    },
    Rule {
        code: "partial-promise",
        default: "error for must, warning for should, info for could",
        summary: "a promise only partly covered, and no gap records it",
        check: partial_promise,
    },
    Rule {
        code: "open-gap",
        default: "error for blocker/critical, warning for major, info for minor",
        summary: "a gap nobody has decided on yet",
        check: open_gap,
    },
    Rule {
        code: "undecided-gap",
        default: "error",
        summary: "a gap past open without a resolution or owner, or agreed without saying with whom",
        check: undecided_gap,
    },
    Rule {
        code: "customer-not-told",
        default: "warning",
        summary: "a major or worse gap decided internally that the customer has not agreed to",
        check: customer_not_told,
    },
    Rule {
        code: "overdue-gap",
        default: "warning",
        summary: "an open or decided gap past its due date",
        check: overdue_gap,
    },
    Rule {
        code: "stale-gap",
        default: "warning",
        summary: "an open gap about missing scope whose promise is now fully covered",
        check: stale_gap,
    },
    Rule {
        code: "unsold-scope",
        default: "warning",
        summary: "scope that covers no promise and is not internal (gold plating)",
        check: unsold_scope,
    },
    Rule {
        code: "effort-overrun",
        default: "error above effort_variance_fail, warning above effort_variance_warn",
        summary: "scoped effort is well above the effort sold",
        check: effort_overrun,
    },
    Rule {
        code: "effort-underrun",
        default: "warning",
        summary: "scoped effort is well below the effort sold: padding or missing scope",
        check: effort_underrun,
    },
    Rule {
        code: "margin-below-floor",
        default: "error",
        summary: "fixed price: the margin at scope is under the configured floor",
        check: margin_below_floor,
    },
    Rule {
        code: "margin-below-target",
        default: "warning",
        summary: "fixed price: the margin at scope is under the engagement's target",
        check: margin_below_target,
    },
    Rule {
        code: "date-conflict",
        default: "error",
        summary: "scope due after the date promised, or go-live after a hard deadline",
        check: date_conflict,
    },
    Rule {
        code: "undocumented-promise",
        default: "warning",
        summary: "a verbal promise or side deal",
        check: undocumented_promise,
    },
    Rule {
        code: "roadmap-promise",
        default: "warning",
        summary: "a promise answered with a roadmap item that no gap records",
        check: roadmap_promise,
    },
    Rule {
        code: "missing-acceptance",
        default: "warning",
        summary: "a must-have promise without acceptance criteria",
        check: missing_acceptance,
    },
    Rule {
        code: "resistant-stakeholder",
        default: "info",
        summary: "an influential stakeholder who is resistant or unaware",
        check: resistant_stakeholder,
    },
    Rule {
        code: "signoff-missing",
        default: "error",
        summary: "a role in `[required] signoffs` (default: sales, delivery) has not signed off",
        check: crate::signoff::rules::signoff_missing,
    },
    Rule {
        code: "signoff-stale",
        default: "error",
        summary: "the files changed after a role's latest sign-off",
        check: crate::signoff::rules::signoff_stale,
    },
    Rule {
        code: "signoff-rejected",
        default: "error",
        summary: "a role's latest sign-off is a rejection",
        check: crate::signoff::rules::signoff_rejected,
    },
    Rule {
        code: "signoff-condition-open",
        default: "error",
        summary: "a sign-off approved on a condition that names a gap still open",
        check: crate::signoff::rules::signoff_condition_open,
    },
    Rule {
        code: "unreviewed-bid",
        default: "info",
        summary: "no presales_review sign-off: delivery did not peer-review the bid",
        check: crate::signoff::rules::unreviewed_bid,
    },
];

/// Runs every rule, applies the configured levels, and sorts the findings.
pub fn check(ctx: &Ctx<'_, '_>) -> Vec<Finding> {
    let mut all = Vec::new();
    for rule in RULES {
        (rule.check)(ctx, &mut all);
    }
    let mut findings: Vec<Finding> = all
        .into_iter()
        .filter_map(|mut f| {
            f.severity = ctx.config.level(f.code, f.severity)?;
            Some(f)
        })
        .collect();
    crate::finding::sort(&mut findings);
    findings
}

pub(crate) fn finding(
    code: &'static str,
    severity: Severity,
    item: &str,
    loc: &Loc,
    message: String,
    help: &str,
) -> Finding {
    Finding {
        code,
        severity,
        item: item.to_string(),
        loc: loc.clone(),
        message,
        help: Some(help.to_string()),
        detail: None,
    }
}

fn by_priority(p: &Promise) -> Severity {
    match p.priority() {
        Priority::Must => Severity::Error,
        Priority::Should => Severity::Warning,
        Priority::Could | Priority::Wont => Severity::Info,
    }
}

fn active(p: &Promise) -> bool {
    p.status == PromiseStatus::Active
}

fn duplicate_id(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    // `label` names the id in messages; `register` tells apart a promise
    // and a gap that both repeat "X-1", in the fingerprint.
    let mut report = |label: &str, register: &str, ids: &mut dyn Iterator<Item = (&str, &Loc)>| {
        let mut seen: HashMap<&str, (&Loc, usize)> = HashMap::new();
        for (id, loc) in ids {
            if let Some((first, count)) = seen.get_mut(id) {
                *count += 1;
                out.push(
                    finding(
                        "duplicate-id",
                        Severity::Error,
                        id,
                        loc,
                        format!("{label} {id} is used more than once (first at {first})"),
                        "give each one its own id; references to a shared id are ambiguous",
                    )
                    .with_detail(format!("{register}#{count}")),
                );
            } else {
                seen.insert(id, (loc, 1));
            }
        }
    };
    report(
        "promise id",
        "promise",
        &mut e.promises.iter().map(|p| (p.id.as_str(), &p.id.loc)),
    );
    report(
        "scope item id",
        "scope",
        &mut e.scope.iter().map(|s| (s.id.as_str(), &s.id.loc)),
    );
    report(
        "gap id",
        "gap",
        &mut e.gaps.iter().map(|g| (g.id.as_str(), &g.id.loc)),
    );
    report(
        "stakeholder key",
        "stakeholder",
        &mut e.stakeholders.iter().map(|s| (s.key.as_str(), &s.key.loc)),
    );
}

fn unknown_reference(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let index = &ctx.analysis.index;
    // `holder` ("scope item S-1 covers") names who points; `kind` what at.
    let mut missing = |item: &str, holder: String, kind: &str, target: &Sp<String>| {
        out.push(
            finding(
                "unknown-reference",
                Severity::Error,
                item,
                &target.loc,
                format!("{holder} {kind} {}, which does not exist", target.value),
                &reference_help(&holder, kind, target, index),
            )
            .with_detail(format!(
                "{}:{}",
                kind.split(' ').next().unwrap_or(kind),
                target.value
            )),
        );
    };
    for s in &e.scope {
        for target in s
            .covers
            .iter()
            .filter(|t| !index.promises.contains_key(t.as_str()))
        {
            missing(
                &s.id,
                format!("scope item {} covers", s.id.value),
                "promise",
                target,
            );
        }
    }
    for g in &e.gaps {
        if let Some(p) = g
            .promise
            .as_ref()
            .filter(|p| !index.promises.contains_key(p.as_str()))
        {
            missing(&g.id, format!("gap {} is about", g.id.value), "promise", p);
        }
        if let Some(s) = g
            .scope
            .as_ref()
            .filter(|s| !index.scope.contains_key(s.as_str()))
        {
            missing(
                &g.id,
                format!("gap {} is about", g.id.value),
                "scope item",
                s,
            );
        }
    }
    crate::signoff::rules::unknown_signer(ctx, out);
}

/// "did you mean P-09?" when the id differs from one that exists only in
/// case or separators, else the general advice.
fn reference_help(
    holder: &str,
    kind: &str,
    target: &Sp<String>,
    index: &crate::analysis::Index<'_>,
) -> String {
    let known: Vec<&str> = match kind {
        "promise" => index.promises.keys().copied().collect(),
        _ => index.scope.keys().copied().collect(),
    };
    // Only `covers` is a list; a gap is about one promise.
    let list = holder.ends_with(" covers").then_some("covers");
    crate::load::hints::unknown_reference(&target.value, known, list)
        .unwrap_or_else(|| format!("check the {kind} id for a typo, or add the {kind}"))
}

fn missing_field(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let h = &ctx.engagement().handoff;
    for field in &ctx.config.required_fields {
        if h.present.contains_key(field) {
            continue;
        }
        // Point at the parent section when it exists: that is where to add it.
        let loc = field
            .rsplit_once('.')
            .and_then(|(parent, _)| h.present.get(parent).cloned())
            .unwrap_or_else(|| Loc::file_start(&h.file));
        out.push(finding(
            "missing-field",
            Severity::Error,
            field,
            &loc,
            format!("handoff.yaml does not say `{field}`, which delivery needs before kickoff"),
            "fill it in handoff.yaml (see docs/format.md)",
        ));
    }
}

fn missing_role(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for role in &ctx.config.required_roles {
        if e.stakeholders.iter().any(|s| s.roles.contains(role)) {
            continue;
        }
        out.push(finding(
            "missing-role",
            Severity::Error,
            role.as_str(),
            &Loc::file_start(&e.stakeholders_file),
            {
                let words = role.words().to_lowercase();
                if words.replace(' ', "_") == role.as_str() {
                    format!("nobody in stakeholders.yaml holds the role {words}")
                } else {
                    format!("nobody in stakeholders.yaml holds the role {words} ({role})")
                }
            },
            &format!("add `{role}` to the roles of the person who holds it in stakeholders.yaml"),
        ));
    }
}

fn unscoped_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage == Coverage::Unscoped && index.gaps_for_promise(&p.id).is_empty() {
            out.push(finding(
                "unscoped-promise",
                by_priority(p),
                &p.id,
                &p.loc,
                format!("{} promise {} \"{}\" is not in the scope and no gap records it", p.priority().words(), p.id.value, p.title),
                &format!("add a scope item whose `covers` lists {}, or record a gap with what was decided", p.id.value),
            ));
        }
    }
}

fn partial_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage == Coverage::Partial && index.gaps_for_promise(&p.id).is_empty() {
            let items = index.covering_ids(&p.id);
            out.push(finding(
                "partial-promise",
                by_priority(p),
                &p.id,
                &p.loc,
                format!(
                    "{} promise {} \"{}\" is only partly scoped ({}) and no gap records it",
                    p.priority().words(),
                    p.id.value,
                    p.title,
                    items.join(", ")
                ),
                &format!(
                    "record a gap for {} saying what the customer will not get, or scope it fully",
                    p.id.value
                ),
            ));
        }
    }
}

fn open_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        if g.status != GapStatus::Open {
            continue;
        }
        let severity = match g.criticality() {
            Criticality::Blocker | Criticality::Critical => Severity::Error,
            Criticality::Major => Severity::Warning,
            Criticality::Minor => Severity::Info,
        };
        let about = g
            .summary
            .as_deref()
            .map_or(String::new(), |s| format!(": {s}"));
        out.push(finding(
            "open-gap",
            severity,
            &g.id,
            &g.loc,
            format!(
                "{} gap {} is still open (nobody has decided what to do){about}",
                g.criticality(),
                g.id.value
            ),
            "decide a resolution and an owner, then set `status: decided` (or `agreed` once the customer accepts)",
        ));
    }
}

fn undecided_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        if g.status == GapStatus::Open {
            continue;
        }
        let mut missing = Vec::new();
        if g.resolution.is_none() {
            missing.push("resolution");
        }
        if g.owner.is_none() {
            missing.push("owner");
        }
        if g.status == GapStatus::Agreed && g.agreed_with.is_none() {
            missing.push("`agreed_with` (who at the customer agreed)");
        }
        if missing.is_empty() {
            continue;
        }
        out.push(finding(
            "undecided-gap",
            Severity::Error,
            &g.id,
            &g.loc,
            format!(
                "gap {} is marked {} but has no {}",
                g.id.value,
                g.status,
                missing.join(" and no ")
            ),
            "a decision needs a resolution and an owner; an agreement needs the name of who agreed",
        ));
    }
}

fn customer_not_told(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        if g.status == GapStatus::Decided && g.criticality().is_major_or_worse() {
            out.push(finding(
                "customer-not-told",
                Severity::Warning,
                &g.id,
                &g.loc,
                format!(
                    "{} gap {} is decided internally, but the customer has not agreed to what they will get",
                    g.criticality(),
                    g.id.value
                ),
                "tell the customer, then set `status: agreed` with `agreed_with` and `agreed_on`",
            ));
        }
    }
}

fn overdue_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for g in &ctx.engagement().gaps {
        let pending = matches!(g.status, GapStatus::Open | GapStatus::Decided);
        if let Some(due) = &g.due
            && pending
            && due.value < ctx.today
        {
            out.push(finding(
                "overdue-gap",
                Severity::Warning,
                &g.id,
                &due.loc,
                format!(
                    "gap {} was due on {} and is still {}",
                    g.id.value, due.value, g.status
                ),
                "settle it, or agree a new due date with its owner",
            ));
        }
    }
}

fn stale_gap(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for g in &ctx.engagement().gaps {
        let about_missing_scope = matches!(g.kind, Some(GapKind::Unscoped | GapKind::Partial));
        if g.status != GapStatus::Open || !about_missing_scope {
            continue;
        }
        let Some(pid) = &g.promise else { continue };
        let Some(p) = index.promises.get(pid.as_str()) else {
            continue;
        };
        if index.coverage(p) == Coverage::Covered {
            let items = index.covering_ids(pid);
            out.push(finding(
                "stale-gap",
                Severity::Warning,
                &g.id,
                &g.loc,
                format!(
                    "gap {} says promise {} is {}, but it is now fully covered by {}",
                    g.id.value,
                    pid.value,
                    if g.kind == Some(GapKind::Partial) {
                        "partly scoped"
                    } else {
                        "not scoped"
                    },
                    items.join(", ")
                ),
                "close the gap, or correct the scope if the cover is wrong",
            ));
        }
    }
}

fn unsold_scope(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for s in ctx.analysis.unsold_scope() {
        if index.gaps_for_scope(&s.id).is_empty() {
            let title = s
                .title
                .as_deref()
                .map_or(String::new(), |t| format!(" \"{t}\""));
            out.push(finding(
                "unsold-scope",
                Severity::Warning,
                &s.id,
                &s.loc,
                format!("scope item {}{} covers no promise: nobody sold it ({} {} of effort)", s.id.value, title, number(s.effort), ctx.engagement().handoff.effort.unit_name()),
                "list the promises it covers, mark it `internal: true` if it is delivery overhead, or record a gap of kind unsold",
            ));
        }
    }
}

fn effort_summary(ctx: &Ctx<'_, '_>) -> String {
    let f = &ctx.analysis.figures;
    let unit = ctx.engagement().handoff.effort.unit_name();
    format!(
        "{} {unit} scoped against {} {unit} sold",
        number(f.effort_scoped),
        f.effort_sold.map_or("?".into(), number)
    )
}

fn effort_overrun(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let figures = &ctx.analysis.figures;
    let Some(variance) = figures.effort_variance else {
        // Nothing sold gives no variance, yet any scoped effort is over it.
        if figures.effort_sold == Some(0.0) && figures.effort_scoped > 0.0 {
            out.push(finding(
                "effort-overrun",
                Severity::Error,
                "effort",
                &ctx.engagement().handoff.loc_of("effort.sold"),
                format!(
                    "delivery needs effort that was never sold: {}",
                    effort_summary(ctx)
                ),
                "trim the scope, agree a change request, or record the overrun as a gap of kind effort",
            ));
        }
        return;
    };
    let t = &ctx.config.thresholds;
    let (severity, limit) = match t.effort_band(variance) {
        EffortBand::Fail => (Severity::Error, t.effort_variance_fail),
        EffortBand::Warn => (Severity::Warning, t.effort_variance_warn),
        EffortBand::Under | EffortBand::Within => return,
    };
    out.push(finding(
        "effort-overrun",
        severity,
        "effort",
        &ctx.engagement().handoff.loc_of("effort.sold"),
        format!(
            "delivery needs {} more effort than was sold: {} (limit {})",
            percent(variance),
            effort_summary(ctx),
            percent(limit)
        ),
        "trim the scope, agree a change request, or record the overrun as a gap of kind effort",
    ));
}

fn effort_underrun(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(variance) = ctx.analysis.figures.effort_variance else {
        return;
    };
    if ctx.config.thresholds.effort_band(variance) == EffortBand::Under {
        out.push(finding(
            "effort-underrun",
            Severity::Warning,
            "effort",
            &ctx.engagement().handoff.loc_of("effort.sold"),
            format!("the scope uses {} less effort than was sold: {}; padding, or scope still missing?", percent(-variance), effort_summary(ctx)),
            "check that every promise is scoped; if the estimate is right, say so in a gap of kind effort",
        ));
    }
}

/// Margin at scope for a fixed-price engagement with a known cost rate.
fn fixed_price_margin(ctx: &Ctx<'_, '_>) -> Option<f64> {
    let h = &ctx.engagement().handoff;
    if h.contract.kind != Some(ContractType::FixedPrice) {
        return None;
    }
    ctx.analysis.figures.margin_scoped
}

fn margin_below_floor(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(margin) = fixed_price_margin(ctx) else {
        return;
    };
    let target = ctx.engagement().handoff.effort.target_margin;
    if let Some(MarginShortfall::BelowFloor(floor)) =
        ctx.config.thresholds.margin_shortfall(margin, target)
    {
        out.push(finding(
            "margin-below-floor",
            Severity::Error,
            "margin",
            &ctx.engagement().handoff.loc_of("contract.services_value"),
            format!("at the scoped effort this fixed-price deal makes a {} margin, under the floor of {}", percent(margin), percent(floor)),
            "reduce the scope or the cost, or get the price changed before kickoff",
        ));
    }
}

fn margin_below_target(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let h = &ctx.engagement().handoff;
    let Some(margin) = fixed_price_margin(ctx) else {
        return;
    };
    // Below the floor is already an error; one finding says it.
    if let Some(MarginShortfall::BelowTarget(target)) = ctx
        .config
        .thresholds
        .margin_shortfall(margin, h.effort.target_margin)
    {
        out.push(finding(
            "margin-below-target",
            Severity::Warning,
            "margin",
            &h.loc_of("effort.target_margin"),
            format!("at the scoped effort this fixed-price deal makes a {} margin, under its {} target", percent(margin), percent(target)),
            "look for scope to trim or agree a change request; the business case in the PID shows where the effort went",
        ));
    }
}

fn date_conflict(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let index = &ctx.analysis.index;
    for s in e.scope.iter().filter(|s| s.counts()) {
        let Some(s_due) = &s.due else { continue };
        for pid in &s.covers {
            let Some(p) = index.promises.get(pid.as_str()) else {
                continue;
            };
            if let Some(p_due) = &p.due
                && active(p)
                && s_due.value > p_due.value
            {
                out.push(finding(
                    "date-conflict",
                    Severity::Error,
                    &s.id,
                    &s_due.loc,
                    format!(
                        "scope item {} is planned for {}, after {} which promise {} was promised for",
                        s.id.value, s_due.value, p_due.value, p.id.value
                    ),
                    "plan it earlier, or agree the later date with the customer and record it as a gap of kind date",
                ).with_detail(p.id.value.clone()));
            }
        }
    }
    let dates = &e.handoff.dates;
    if let Some(go_live) = dates.go_live {
        for deadline in &dates.hard_deadlines {
            if go_live > deadline.date {
                let why = deadline
                    .why
                    .as_deref()
                    .map_or(String::new(), |w| format!(" ({w})"));
                out.push(
                    finding(
                        "date-conflict",
                        Severity::Error,
                        "dates.go_live",
                        &e.handoff.loc_of("dates.go_live"),
                        format!(
                            "go-live on {go_live} is after the hard deadline of {}{why}",
                            deadline.date
                        ),
                        "move go-live before the deadline or renegotiate the deadline",
                    )
                    .with_detail(deadline.date.to_string()),
                );
            }
        }
    }
}

fn undocumented_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for p in ctx.engagement().promises.iter().filter(|p| active(p)) {
        let what = match p.commitment {
            Some(Commitment::Verbal) => "was made verbally",
            Some(Commitment::SideDeal) => "is a side deal",
            _ => continue,
        };
        out.push(finding(
            "undocumented-promise",
            Severity::Warning,
            &p.id,
            &p.loc,
            format!(
                "promise {} \"{}\" {what} and is in no contract document",
                p.id.value, p.title
            ),
            "confirm it in writing with the customer, or record what delivery will do about it",
        ));
    }
}

fn roadmap_promise(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let index = &ctx.analysis.index;
    for p in ctx.engagement().promises.iter().filter(|p| active(p)) {
        if p.response == Some(Response::Roadmap) && index.gaps_for_promise(&p.id).is_empty() {
            out.push(finding(
                "roadmap-promise",
                Severity::Warning,
                &p.id,
                &p.loc,
                format!("promise {} \"{}\" was answered with a roadmap item: the product does not do it today, and no gap records it", p.id.value, p.title),
                "record a gap saying when it ships and what the customer gets until then",
            ));
        }
    }
}

fn missing_acceptance(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for (p, coverage) in ctx.analysis.promises_with_coverage() {
        if coverage != Coverage::NotApplicable
            && p.priority() == Priority::Must
            && p.acceptance.is_empty()
        {
            out.push(finding(
                "missing-acceptance",
                Severity::Warning,
                &p.id,
                &p.loc,
                format!("must-have promise {} \"{}\" has no acceptance criteria: nobody can say when it is done", p.id.value, p.title),
                "add `acceptance:` with what the customer will check",
            ));
        }
    }
}

fn resistant_stakeholder(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for s in &ctx.engagement().stakeholders {
        let attitude = match s.attitude {
            Some(a @ (Attitude::Resistant | Attitude::Unaware)) => a,
            _ => continue,
        };
        if s.influence == Some(Level::High) {
            out.push(finding(
                "resistant-stakeholder",
                Severity::Info,
                &s.key,
                &s.loc,
                format!("{} has high influence and is {attitude}", s.display_name()),
                "plan how the project will win this person over; the PM should meet them early",
            ));
        }
    }
}
