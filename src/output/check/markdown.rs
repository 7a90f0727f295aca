//! `handoff check --format markdown`: a job summary (or pull-request
//! comment): one table of verdicts, then each engagement's findings in a
//! collapsible section; kept under [`markdown::LIMIT`] characters.

use std::fmt::Write as _;

use crate::evaluate::Evaluation;
use crate::finding::Verdict;
use crate::output::check::Unjudged;
use crate::output::markdown::{self, Section, code, text};
use crate::output::{counts_words, coverage_line, effort_line, margin_line, plural};

/// How many problems the summary lists: the page has a size limit, and
/// the first problems are usually the cause of the rest.
const SHOWN_PROBLEMS: usize = 50;

pub fn render(evaluations: &[Evaluation<'_>], unjudged: Unjudged<'_>) -> String {
    render_with_limit(evaluations, unjudged, markdown::LIMIT)
}

fn render_with_limit(
    evaluations: &[Evaluation<'_>],
    unjudged: Unjudged<'_>,
    limit: usize,
) -> String {
    let mut head = String::new();
    let _ = writeln!(head, "## Handoff check\n");
    let _ = writeln!(
        head,
        "| Engagement | Verdict | Errors | Warnings | Infos | Effort | Margin |"
    );
    let _ = writeln!(head, "| --- | --- | --- | --- | --- | --- | --- |");
    for ev in evaluations {
        let e = ev.engagement();
        let f = &ev.analysis.figures;
        let verdict = match ev.verdict {
            Verdict::NotReady => "**not ready**".to_string(),
            other => other.words().to_string(),
        };
        let _ = writeln!(
            head,
            "| **{}** | {verdict} | {} | {} | {} | {} | {} |",
            markdown::cell(e.id()),
            ev.counts.errors,
            ev.counts.warnings,
            ev.counts.infos,
            markdown::cell(&effort_line(e, f)),
            markdown::cell(&margin_line(e, f).unwrap_or_else(|| "—".to_string()))
        );
    }
    for invalid in unjudged.invalid {
        let _ = writeln!(
            head,
            "| {} | **invalid** | {} | — | — | — | — |",
            code(&invalid.dir),
            plural(invalid.diagnostics.len(), "problem")
        );
    }
    head.push('\n');
    // Problems come first: they stop an engagement from being judged.
    if !unjudged.general.is_empty() || !unjudged.invalid.is_empty() {
        let _ = writeln!(head, "**Could not be read** (fix these first):\n");
        let _ = writeln!(head, "| Engagement | Where | Problem |");
        let _ = writeln!(head, "| --- | --- | --- |");
        let rows = unjudged.general.iter().map(|d| ("—".to_string(), d)).chain(
            unjudged
                .invalid
                .iter()
                .flat_map(|i| i.diagnostics.iter().map(|d| (code(&i.dir), d))),
        );
        let total = unjudged.all().len();
        for (engagement, d) in rows.take(SHOWN_PROBLEMS) {
            let at = d
                .loc
                .as_ref()
                .map_or_else(|| "—".to_string(), |l| code(&l.to_string()));
            let message = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            let _ = writeln!(
                head,
                "| {engagement} | {at} | {} |",
                markdown::cell(&message)
            );
        }
        if total > SHOWN_PROBLEMS {
            let _ = writeln!(
                head,
                "\n…and {} more; `handoff check` lists every one.",
                total - SHOWN_PROBLEMS
            );
        }
        head.push('\n');
    }

    let sections = evaluations
        .iter()
        .filter(|ev| !ev.findings.is_empty())
        .map(|ev| {
            let e = ev.engagement();
            let mut top = String::new();
            let name = e
                .handoff
                .name
                .as_deref()
                .map_or(String::new(), |n| format!(": {}", text(n)));
            let _ = writeln!(top, "### {}{name}\n", text(e.id()));
            let _ = writeln!(
                top,
                "{} · {} · promises: {}\n",
                code(&e.dir),
                ev.verdict.words(),
                text(&coverage_line(&ev.analysis.figures))
            );
            let mut full = top.clone();
            let _ = writeln!(
                full,
                "<details><summary>{} findings: {}</summary>\n",
                ev.findings.len(),
                counts_words(ev.counts)
            );
            let _ = writeln!(full, "| Severity | Code | Item | Where | Message |");
            let _ = writeln!(full, "| --- | --- | --- | --- | --- |");
            for f in &ev.findings {
                let _ = writeln!(
                    full,
                    "| {} | {} | {} | {} | {} |",
                    f.severity,
                    code(f.code.as_str()),
                    markdown::cell(&f.item),
                    code(&f.loc.to_string()),
                    markdown::cell(&f.message)
                );
            }
            let _ = writeln!(full, "\n</details>\n");
            let mut compact = top;
            let _ = writeln!(
                compact,
                "{} findings: {}.\n",
                ev.findings.len(),
                counts_words(ev.counts)
            );
            Section {
                full,
                compact: Some(compact),
            }
        })
        .collect();
    markdown::fit(&head, sections, "", limit)
}
