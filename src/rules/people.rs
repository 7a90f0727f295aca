//! People: the roles a project needs are filled, and the influential are
//! on board.

use super::{Ctx, finding};
use crate::finding::{Finding, RuleCode, Severity};
use crate::model::{Attitude, Level, Loc, Vocab};

pub(super) fn missing_role(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    let e = ctx.engagement();
    for role in &ctx.config.required_roles {
        if e.stakeholders.iter().any(|s| s.roles.contains(role)) {
            continue;
        }
        out.push(finding(
            RuleCode::MissingRole,
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

pub(super) fn resistant_stakeholder(ctx: &Ctx<'_, '_>, out: &mut Vec<Finding>) {
    for s in &ctx.engagement().stakeholders {
        let attitude = match s.attitude {
            Some(a @ (Attitude::Resistant | Attitude::Unaware)) => a,
            _ => continue,
        };
        if s.influence == Some(Level::High) {
            out.push(finding(
                RuleCode::ResistantStakeholder,
                Severity::Info,
                &s.key,
                &s.loc,
                format!("{} has high influence and is {attitude}", s.display_name()),
                "plan how the project will win this person over; the PM should meet them early",
            ));
        }
    }
}
