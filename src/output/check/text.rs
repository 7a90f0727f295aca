//! `handoff check` for people: compiler-style findings, then a summary per
//! engagement.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::evaluate::Evaluation;
use crate::finding::Verdict;
use crate::output::check::Unjudged;
use crate::output::{counts_words, figure_lines, plural, severity_code};

const BOLD: Style = Style::new().bold();
const INVALID_STYLE: Style = AnsiColor::Red.on_default().bold();

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Ready => AnsiColor::Green.on_default().bold(),
        Verdict::ReadyWithWarnings => AnsiColor::Yellow.on_default().bold(),
        Verdict::NotReady => AnsiColor::Red.on_default().bold(),
    }
}

/// Renders with ANSI styles; the caller's stream strips them when the
/// output is not a terminal or NO_COLOR is set.
/// Invalid engagements get one line each after the judged ones; their
/// problems are shown with the error messages. With nothing judged,
/// stdout stays empty.
pub fn render(evaluations: &[Evaluation<'_>], unjudged: Unjudged<'_>) -> String {
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
        // Accepted on purpose: still in view, one line each.
        for w in &ev.waived {
            let _ = writeln!(
                out,
                "waived[{}] {}: {} (accepted by {} until {})",
                w.finding.code,
                w.finding.item,
                w.waiver.reason.value,
                w.waiver.by.value,
                w.waiver.until.value
            );
        }
        if !ev.waived.is_empty() {
            out.push('\n');
        }
        summary(&mut out, ev);
    }
    if evaluations.is_empty() {
        return out;
    }
    for invalid in unjudged.invalid {
        let _ = writeln!(
            out,
            "\n{BOLD}{}{BOLD:#}: {}invalid{:#}: {} (each shown as an error)",
            invalid.dir,
            INVALID_STYLE,
            INVALID_STYLE,
            plural(invalid.diagnostics.len(), "problem")
        );
    }
    let invalid = unjudged.invalid.len();
    if evaluations.len() + invalid > 1 {
        let count = |v: Verdict| evaluations.iter().filter(|e| e.verdict == v).count();
        let _ = write!(
            out,
            "\n{} engagements: {} ready, {} ready with warnings, {} not ready",
            evaluations.len() + invalid,
            count(Verdict::Ready),
            count(Verdict::ReadyWithWarnings),
            count(Verdict::NotReady)
        );
        if invalid > 0 {
            let _ = write!(out, ", {invalid} invalid");
        }
        out.push('\n');
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
    // Which rules judged it: a config planted above the folder must not
    // apply unseen.
    let _ = writeln!(
        out,
        "  config:   {}",
        config_words(ev.config.path.as_deref())
    );
    for (label, value) in figure_lines(e, &ev.analysis.figures) {
        let _ = writeln!(out, "  {:<10}{value}", format!("{label}:"));
    }
}

/// The config file as the `config:` line shows it.
pub(crate) fn config_words(path: Option<&str>) -> String {
    match path {
        Some(path) => path.to_string(),
        None => "none (the built-in defaults)".to_string(),
    }
}
