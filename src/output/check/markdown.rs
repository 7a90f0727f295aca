//! `handoff check --format markdown`: a job summary (or pull-request
//! comment): one table of verdicts, then each engagement's findings in a
//! collapsible section; kept under [`markdown::LIMIT`] characters.

use std::fmt::Write as _;

use crate::evaluate::Evaluation;
use crate::finding::Verdict;
use crate::output::markdown::{self, Section, code, text};
use crate::output::{counts_words, coverage_line, effort_line, margin_line};

pub fn render(evaluations: &[Evaluation<'_>]) -> String {
    render_with_limit(evaluations, markdown::LIMIT)
}

fn render_with_limit(evaluations: &[Evaluation<'_>], limit: usize) -> String {
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
    head.push('\n');

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
