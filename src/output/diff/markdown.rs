//! `handoff diff --format markdown`: for a pull-request comment or a job
//! summary. A short table on top, then per engagement the highlights in
//! plain words and the details in collapsible sections; kept under
//! [`markdown::LIMIT`] characters.

use std::fmt::Write as _;

use crate::diff::{Change, Diff, EngagementDiff, ItemChange, ItemKind, Status};
use crate::format::capitalise;
use crate::output::diff::text::{
    arrival_words, field_line, figure_rows, findings_words, is_interesting, item_counts,
    item_label, overall, path_words, signoff_line,
};
use crate::output::markdown::{self, Section, code, text};

fn rev(r: &crate::diff::Revision) -> String {
    match r.short_commit() {
        Some(short) => format!("`{short}` ({})", text(&r.label)),
        None => format!("the {}", text(&r.label)),
    }
}

fn arrow(before: &str, after: &str) -> String {
    if before == after {
        before.to_string()
    } else {
        format!("{before} → {after}")
    }
}

pub fn render(diff: &Diff) -> String {
    render_with_limit(diff, markdown::LIMIT)
}

fn render_with_limit(diff: &Diff, limit: usize) -> String {
    let mut head = String::new();
    let _ = writeln!(head, "## Handoff changes\n");
    let _ = writeln!(
        head,
        "Comparing {} → {}.\n",
        rev(&diff.base),
        rev(&diff.head)
    );
    if diff.engagements.is_empty() {
        let _ = writeln!(head, "No engagements on either side.");
        return head;
    }
    let _ = writeln!(
        head,
        "| Engagement | Change | Verdict | Findings | Effort scoped | Margin at scope |"
    );
    let _ = writeln!(head, "| --- | --- | --- | --- | --- | --- |");
    for e in &diff.engagements {
        let rows = figure_rows(e);
        let cell = |label: &str| {
            rows.iter()
                .find(|r| r.label == label)
                .map_or(String::new(), |r| arrow(&r.before, &r.after))
        };
        let mut change = e.status.as_str().to_string();
        if e.moved {
            change.push_str(", moved");
        }
        let findings = if e.status == Status::Removed {
            "—".to_string()
        } else {
            let f = &e.findings;
            if f.severity_changed.is_empty() {
                format!("{} new, {} resolved", f.new.len(), f.resolved.len())
            } else {
                format!(
                    "{} new, {} changed severity, {} resolved",
                    f.new.len(),
                    f.severity_changed.len(),
                    f.resolved.len()
                )
            }
        };
        let _ = writeln!(
            head,
            "| **{}** | {} | {} | {} | {} | {} |",
            markdown::cell(&e.id),
            change,
            cell("verdict"),
            findings,
            cell("effort scoped"),
            cell("margin at scope")
        );
    }
    head.push('\n');

    let sections = diff
        .engagements
        .iter()
        .filter(|e| is_interesting(e))
        .map(section)
        .collect();
    let tail = format!("_{}._\n", text(&overall(diff)));
    markdown::fit(&head, sections, &tail, limit)
}

fn heading(out: &mut String, e: &EngagementDiff) {
    let name = e
        .name
        .as_deref()
        .map_or(String::new(), |n| format!(": {}", text(n)));
    let _ = writeln!(out, "### {}{name}\n", text(&e.id));
    let _ = writeln!(out, "{} · {}\n", code(&path_words(e)), e.status.as_str());
    if let Some(sentence) = arrival_words(e) {
        let _ = writeln!(out, "{}.\n", capitalise(&sentence));
    }
}

fn highlights(out: &mut String, e: &EngagementDiff) {
    if e.highlights.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Highlights**\n");
    for h in &e.highlights {
        let _ = writeln!(out, "- {}", text(&h.message));
    }
    out.push('\n');
}

fn signoffs(out: &mut String, e: &EngagementDiff) {
    if e.signoffs.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Sign-offs**\n");
    for c in &e.signoffs {
        let _ = writeln!(out, "- {}", text(&signoff_line(c)));
    }
    out.push('\n');
}

fn section(e: &EngagementDiff) -> Section {
    let mut compact = String::new();
    heading(&mut compact, e);
    highlights(&mut compact, e);
    signoffs(&mut compact, e);
    if e.status != Status::Removed {
        let _ = writeln!(compact, "Findings: {}.\n", findings_words(&e.findings));
    }

    let mut full = String::new();
    heading(&mut full, e);
    highlights(&mut full, e);
    signoffs(&mut full, e);
    let items: Vec<&ItemChange> = e.items.iter().collect();
    if !items.is_empty() || !e.handoff.is_empty() {
        let mut summary = item_counts(&items);
        if !e.handoff.is_empty() {
            if !summary.is_empty() {
                summary.push_str("; ");
            }
            summary.push_str(&format!(
                "{} in handoff.yaml",
                crate::output::plural(e.handoff.len(), "field")
            ));
        }
        let _ = writeln!(
            full,
            "<details><summary>Changes: {}</summary>\n",
            text(&summary)
        );
        for kind in ItemKind::ALL {
            let of_kind: Vec<&ItemChange> = e.items_of(kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            let _ = writeln!(full, "**{}**\n", capitalise(kind.plural()));
            for item in of_kind {
                let verb = match item.change {
                    Change::Added => "Added",
                    Change::Removed => "Removed",
                    Change::Changed => "Changed",
                };
                let _ = writeln!(full, "- {verb} {}", text(&item_label(item)));
                for field in &item.fields {
                    let _ = writeln!(full, "  - {}", text(&field_line(field)));
                }
            }
            full.push('\n');
        }
        if !e.handoff.is_empty() {
            let _ = writeln!(full, "**handoff.yaml**\n");
            for field in &e.handoff {
                let _ = writeln!(full, "- {}", text(&field_line(field)));
            }
            full.push('\n');
        }
        let _ = writeln!(full, "</details>\n");
    }

    let f = &e.findings;
    if e.status != Status::Removed {
        let listed = f.new.len() + f.resolved.len() + f.severity_changed.len();
        if listed == 0 {
            let _ = writeln!(full, "Findings: {}.\n", findings_words(f));
        } else {
            let _ = writeln!(
                full,
                "<details><summary>Findings: {}</summary>\n",
                findings_words(f)
            );
            let _ = writeln!(full, "| | Severity | Code | Item | Where | Message |");
            let _ = writeln!(full, "| --- | --- | --- | --- | --- | --- |");
            let mut row = |what: String, sev: String, x: &crate::diff::FindingRef| {
                let _ = writeln!(
                    full,
                    "| {what} | {sev} | {} | {} | {} | {} |",
                    code(x.code),
                    markdown::cell(&x.item),
                    code(&format!("{}:{}:{}", x.file, x.line, x.column)),
                    markdown::cell(&x.message)
                );
            };
            for x in &f.new {
                row("new".into(), x.severity.to_string(), x);
            }
            for c in &f.severity_changed {
                row(
                    "severity".into(),
                    format!("{} → {}", c.before, c.finding.severity),
                    &c.finding,
                );
            }
            for x in &f.resolved {
                row("resolved".into(), x.severity.to_string(), x);
            }
            let _ = writeln!(full, "\n</details>\n");
        }
    }

    let _ = writeln!(full, "<details><summary>Figures before → after</summary>\n");
    let _ = writeln!(full, "| Figure | Before | After |");
    let _ = writeln!(full, "| --- | --- | --- |");
    for r in figure_rows(e) {
        let after = if r.changed() {
            format!("**{}**", markdown::cell(&r.after))
        } else {
            markdown::cell(&r.after)
        };
        let _ = writeln!(
            full,
            "| {} | {} | {after} |",
            r.label,
            markdown::cell(&r.before)
        );
    }
    let _ = writeln!(full, "\n</details>\n");
    Section {
        full,
        compact: Some(compact),
    }
}

/// The engagements that could not be read at a side, each with its
/// problems: a pull-request comment is read by people who never run
/// `handoff`.
pub fn render_not_compared(not_compared: &[(String, crate::workspace::Invalid)]) -> String {
    let mut out = String::from("\n### Not compared: cannot be read\n\n");
    for (side, i) in not_compared {
        out.push_str(&format!("- `{}` at {side}:\n", i.dir));
        for d in &i.diagnostics {
            let at = d
                .loc
                .as_ref()
                .map_or_else(String::new, |l| format!("`{l}`: "));
            out.push_str(&format!("  - {at}{}\n", markdown::cell(&d.message)));
        }
    }
    out
}
