//! `handoff check` for people: compiler-style findings, then a summary per
//! engagement.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::evaluate::Evaluation;
use crate::finding::Verdict;
use crate::output::{counts_words, figure_lines, severity_code};

const BOLD: Style = Style::new().bold();

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Ready => AnsiColor::Green.on_default().bold(),
        Verdict::ReadyWithWarnings => AnsiColor::Yellow.on_default().bold(),
        Verdict::NotReady => AnsiColor::Red.on_default().bold(),
    }
}

/// Renders with ANSI styles; the caller's stream strips them when the
/// output is not a terminal or NO_COLOR is set.
pub fn render(evaluations: &[Evaluation<'_>]) -> String {
    let mut out = String::new();
    // Each engagement's findings, then its verdict: a reader of a long run
    // sees which engagement a finding belongs to.
    for (i, ev) in evaluations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for f in &ev.findings {
            let _ = writeln!(
                out,
                "{}{BOLD}: {}{BOLD:#}",
                severity_code(f.severity, f.code.as_str()),
                f.message
            );
            let _ = writeln!(out, "  --> {}", f.loc);
            if let Some(help) = &f.help {
                let _ = writeln!(out, "   = help: {help}");
            }
            out.push('\n');
        }
        summary(&mut out, ev);
    }
    if evaluations.len() > 1 {
        let count = |v: Verdict| evaluations.iter().filter(|e| e.verdict == v).count();
        let _ = writeln!(
            out,
            "\n{} engagements: {} ready, {} ready with warnings, {} not ready",
            evaluations.len(),
            count(Verdict::Ready),
            count(Verdict::ReadyWithWarnings),
            count(Verdict::NotReady)
        );
    }
    out
}

/// The whole run in one line, for `check -q`: the engagement's verdict, or
/// how many engagements got each.
pub fn verdict_line(evaluations: &[Evaluation<'_>]) -> String {
    match evaluations {
        [ev] => format!(
            "{}: {} ({})\n",
            ev.engagement().id(),
            ev.verdict.words(),
            counts_words(ev.counts)
        ),
        _ => {
            let count = |v: Verdict| evaluations.iter().filter(|e| e.verdict == v).count();
            format!(
                "{} engagements: {} ready, {} ready with warnings, {} not ready\n",
                evaluations.len(),
                count(Verdict::Ready),
                count(Verdict::ReadyWithWarnings),
                count(Verdict::NotReady)
            )
        }
    }
}

fn summary(out: &mut String, ev: &Evaluation<'_>) {
    let e = ev.engagement();
    let vs = verdict_style(ev.verdict);
    let _ = writeln!(out, "{BOLD}{}{BOLD:#} ({})", e.id(), e.dir);
    let _ = writeln!(
        out,
        "  verdict:  {vs}{}{vs:#} ({})",
        ev.verdict.words(),
        counts_words(ev.counts)
    );
    for (label, value) in figure_lines(e, &ev.analysis.figures) {
        let _ = writeln!(out, "  {:<10}{value}", format!("{label}:"));
    }
}
