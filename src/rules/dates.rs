//! Dates: the plan meets the dates promised and the hard deadlines.

use super::{Ctx, delivered, finding};
use crate::finding::{Finding, RuleCode, Severity};

pub(super) fn date_conflict(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    let index = &ctx.analysis.index;
    for s in e.scope.iter().filter(|s| s.counts()) {
        let Some(s_due) = &s.due else { continue };
        for pid in &s.covers {
            let Some(p) = index.promises.get(pid.as_str()) else {
                continue;
            };
            if let Some(p_due) = &p.due
                && delivered(p)
                && s_due.value > p_due.value
            {
                out.push(finding(
                    RuleCode::DateConflict,
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
                        RuleCode::DateConflict,
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
