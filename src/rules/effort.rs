//! Effort and margin: the scope against what was sold, and what the deal
//! makes at the scoped effort.

use super::{Ctx, finding};
use crate::config::{EffortBand, MarginShortfall};
use crate::finding::{Finding, RuleCode, Severity};
use crate::format::{money, number, percent};
use crate::model::ContractType;

fn effort_summary(ctx: &Ctx<'_, '_>) -> String {
    let f = &ctx.analysis.figures;
    let unit = ctx.engagement().handoff.effort.unit_name();
    // Agreed change requests moved the contract: measure against it.
    if let (Some(contracted), Some(_)) = (f.effort_contracted, f.contract_change_effort()) {
        return format!(
            "{} {unit} scoped against {} {unit} contracted",
            number(f.effort_scoped),
            number(contracted)
        );
    }
    format!(
        "{} {unit} scoped against {} {unit} sold",
        number(f.effort_scoped),
        f.effort_sold.map_or("?".into(), number)
    )
}

pub(super) fn effort_overrun(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let figures = &ctx.analysis.figures;
    let Some(variance) = figures.effort_variance else {
        // Nothing sold gives no variance, yet any scoped effort is over it.
        if figures.effort_contracted == Some(0.0) && figures.effort_scoped > 0.0 {
            out.push(finding(
                RuleCode::EffortOverrun,
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
        RuleCode::EffortOverrun,
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

pub(super) fn effort_underrun(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(variance) = ctx.analysis.figures.effort_variance else {
        return;
    };
    if ctx.config.thresholds.effort_band(variance) == EffortBand::Under {
        out.push(finding(
            RuleCode::EffortUnderrun,
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

pub(super) fn margin_below_floor(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let Some(margin) = fixed_price_margin(ctx) else {
        return;
    };
    let target = ctx.engagement().handoff.effort.target_margin;
    if let Some(MarginShortfall::BelowFloor(floor)) =
        ctx.config.thresholds.margin_shortfall(margin, target)
    {
        out.push(finding(
            RuleCode::MarginBelowFloor,
            Severity::Error,
            "margin",
            &ctx.engagement().handoff.loc_of("contract.services_value"),
            format!("at the scoped effort this fixed-price deal makes a {} margin, under the floor of {}", percent(margin), percent(floor)),
            "reduce the scope or the cost, or get the price changed before kickoff",
        ));
    }
}

pub(super) fn margin_below_target(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
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
            RuleCode::MarginBelowTarget,
            Severity::Warning,
            "margin",
            &h.loc_of("effort.target_margin"),
            format!("at the scoped effort this fixed-price deal makes a {} margin, under its {} target", percent(margin), percent(target)),
            "look for scope to trim or agree a change request; the business case in the PID shows where the effort went",
        ));
    }
}

/// A fixed price far from `day_rate × sold` is almost always a typo: a
/// thousands separator (`day_rate: 1.100`) or a missing zero.
pub(super) fn price_mismatch(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let h = &ctx.engagement().handoff;
    if h.contract.kind != Some(ContractType::FixedPrice) {
        return;
    }
    let (Some(rate), Some(sold), Some(price)) =
        (h.effort.day_rate, h.effort.sold, h.contract.services_value)
    else {
        return;
    };
    let priced = rate * sold;
    if (priced - price).abs() <= price / 2.0 {
        return;
    }
    let currency = h.contract.currency.as_deref();
    out.push(finding(
        RuleCode::PriceMismatch,
        Severity::Warning,
        h.id.as_str(),
        &h.loc_of("effort.day_rate"),
        format!(
            "`day_rate` {} × {} {} sold makes {}, far from the services value of {}",
            number(rate),
            number(sold),
            h.effort.unit_name(),
            money(priced, currency),
            money(price, currency)
        ),
        "check `effort.day_rate`, `effort.sold` and `contract.services_value` for a typo such as a thousands separator (`1.100` is read as 1.1)",
    ));
}
