//! `handoff status`: per sign-off role, who signed, when, and whether the
//! files still match what they signed.

use std::fmt::Write as _;

use crate::evaluate::Evaluation;
use crate::history::Signed;
use crate::model::{Decision, Engagement, GapStatus, Vocab};
use crate::signoff::{RoleStatus, gaps_named, signer_name};
use crate::since::SinceSigned;
use crate::workspace::Invalid;

/// Every engagement's sign-off table, a blank line between engagements;
/// then one line per engagement that could not be read (its problems are
/// shown as error messages), when any other was shown.
pub fn render(evaluations: &[Evaluation<'_>], invalid: &[Invalid]) -> String {
    render_with_changes(evaluations, invalid, &[])
}

/// [`render`], each engagement followed by what changed since each role
/// signed (`status --changes`): `changes` is parallel to `evaluations`.
pub fn render_with_changes(
    evaluations: &[Evaluation<'_>],
    invalid: &[Invalid],
    changes: &[Vec<SinceSigned>],
) -> String {
    let mut out = String::new();
    for (i, ev) in evaluations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_one(&mut out, ev);
        if let Some(changes) = changes.get(i) {
            since_signed(&mut out, changes);
        }
    }
    if !evaluations.is_empty() {
        for i in invalid {
            let _ = writeln!(
                out,
                "\n{}: invalid: {} (each shown as an error)",
                i.dir,
                crate::output::plural(i.diagnostics.len(), "problem")
            );
        }
    }
    out
}

fn render_one(out: &mut String, ev: &Evaluation<'_>) {
    let e = ev.engagement();
    let _ = writeln!(out, "{} ({})", e.id(), e.dir);
    let _ = writeln!(out, "  fingerprint now: {}", ev.signoffs.combined_now());
    let statuses = &ev.signoffs.roles;
    let mut rows = vec![[
        "role".to_string(),
        "decision".into(),
        "by".into(),
        "date".into(),
        "commit".into(),
        "state".into(),
    ]];
    rows.extend(statuses.iter().map(|s| row(e, s)));
    let widths: Vec<usize> = (0..6)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let mut line = String::from("  ");
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                let _ = write!(line, "{cell}{}  ", " ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    conditions(out, e, statuses);
}

fn row(e: &Engagement, s: &RoleStatus<'_>) -> [String; 6] {
    let role = s.role.to_string();
    // A sign-off by someone who may not sign for the role does not count.
    let not_counted = s.ineligible.map(|i| {
        format!(
            "{} by {} on {} does not count: not eligible",
            i.decision.as_str(),
            signer_name(e, &i.by),
            i.date
        )
    });
    let Some(in_force) = &s.in_force else {
        let state = if s.required {
            "not signed (required)"
        } else {
            "not signed"
        };
        let state = match not_counted {
            Some(why) => format!("{state}; {why}"),
            None => state.to_string(),
        };
        return [role, "-".into(), "-".into(), "-".into(), "-".into(), state];
    };
    let latest = in_force.signoff;
    let mut state = match in_force.stale_words() {
        Some(why) => format!("stale: {why}"),
        None => "fresh".to_string(),
    };
    if s.earlier > 0 {
        let _ = write!(
            state,
            " (replaces {} earlier sign-off{})",
            s.earlier,
            if s.earlier == 1 { "" } else { "s" }
        );
    }
    if let Some(why) = not_counted {
        let _ = write!(state, "; a later {why}");
    }
    let commit = latest
        .commit
        .as_deref()
        .map_or("-".to_string(), |c| c.chars().take(12).collect());
    [
        role,
        latest.decision.as_str().to_string(),
        signer_name(e, &latest.by),
        latest.date.to_string(),
        commit,
        state,
    ]
}

/// The conditions (and reasons for rejections) of the sign-offs in force,
/// with the state of each gap they name.
fn conditions(out: &mut String, e: &Engagement, statuses: &[RoleStatus<'_>]) {
    let mut lines = Vec::new();
    for s in statuses {
        let Some(latest) = s.in_force.as_ref().map(|f| f.signoff) else {
            continue;
        };
        let what = if latest.decision == Decision::Rejected {
            "reason"
        } else {
            "condition"
        };
        for c in &latest.conditions {
            let gaps: Vec<String> = gaps_named(c, &e.gaps)
                .iter()
                .map(|g| match g.status {
                    // Under a rejection the text is a reason, not a condition.
                    GapStatus::Open if what == "condition" => {
                        format!("gap {} is still open: the condition is not met", g.id.value)
                    }
                    other => format!("gap {} is {other}", g.id.value),
                })
                .collect();
            let about = if gaps.is_empty() {
                String::new()
            } else {
                format!(" ({})", gaps.join("; "))
            };
            lines.push(format!("    {} ({what}): {}{about}", s.role, c.value));
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(out, "  conditions:");
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// Where each role's signed content is, and what changed since.
fn since_signed(out: &mut String, changes: &[SinceSigned]) {
    if changes.is_empty() {
        let _ = writeln!(out, "  changes since signed: nobody has signed yet");
        return;
    }
    for c in changes {
        let _ = writeln!(
            out,
            "\n  since {} signed ({}, {}):",
            c.role, c.signer, c.signoff.date
        );
        if !c.changed {
            let why = match &c.stale {
                Some(old) => format!("; but it is stale: {old}"),
                None => String::new(),
            };
            let _ = writeln!(out, "    nothing changed{why}");
            continue;
        }
        out.push_str(&signed_words(c));
        match c.diff.as_ref().and_then(|d| d.engagements.first()) {
            Some(d) => {
                for line in crate::output::diff::text::engagement_block(d).lines() {
                    if line.is_empty() {
                        continue;
                    }
                    let _ = writeln!(out, "    {line}");
                }
            }
            None => {
                let _ = writeln!(
                    out,
                    "    what can be said: {} since",
                    crate::signoff::changed_words(&c.kinds)
                );
            }
        }
    }
}

/// "signed content: commit 1a2b3c4 (recorded in the sign-off)", or
/// plainly that it is not in the history.
fn signed_words(c: &SinceSigned) -> String {
    match &c.signed {
        Signed::Recorded(commit) => format!(
            "    signed content: commit {} (recorded in the sign-off)\n",
            commit.short()
        ),
        Signed::Found(commit) => format!(
            "    signed content: commit {} of {} (found by its fingerprint)\n",
            commit.short(),
            commit.date
        ),
        Signed::NotFound {
            searched,
            cut,
            recorded,
        } => {
            let mut line = String::from("    the signed content is not in the history");
            if let Some((id, why)) = recorded {
                let _ = write!(
                    line,
                    ": the recorded commit {} cannot be used ({why})",
                    crate::git::short_id(id)
                );
            }
            if *searched == 0 {
                line.push_str("; no git history to search here");
            } else if *cut {
                let _ = write!(
                    line,
                    "; searched the last {} (the search stops there)",
                    crate::output::plural(*searched, "commit")
                );
            } else {
                let _ = write!(
                    line,
                    "; searched all {}",
                    crate::output::plural(*searched, "commit")
                );
            }
            line.push('\n');
            line
        }
    }
}
