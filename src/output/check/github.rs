//! `handoff check --format github`: GitHub Actions workflow commands, so
//! findings show as annotations on the pull request's files. Most severe
//! first, since GitHub shows only the first few annotations of each kind.

use std::fmt::Write as _;

use crate::evaluate::Evaluation;
use crate::finding::Severity;
use crate::output::check::Unjudged;
use crate::output::{counts_words, findings_most_severe_first, message_with_help, plural};

/// Escapes the message part of a workflow command, as GitHub's runner does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): data escaping plus the
/// separators `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub fn render(evaluations: &[Evaluation<'_>], unjudged: Unjudged<'_>) -> String {
    let mut out = String::new();
    // Problems first, on their files: GitHub shows the first few only.
    let problems: Vec<crate::diag::Diagnostic> = unjudged.all().into_iter().cloned().collect();
    out.push_str(&render_diagnostics(&problems));
    for (engagement, f) in findings_most_severe_first(evaluations) {
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            command(f.severity),
            escape_property(&f.loc.file),
            f.loc.pos.line,
            f.loc.pos.column,
            escape_property(&format!("{} ({engagement})", f.code)),
            escape_data(&message_with_help(f))
        );
    }
    for ev in evaluations {
        let _ = writeln!(
            out,
            "{}: {} ({})",
            ev.engagement().id(),
            ev.verdict.words(),
            counts_words(ev.counts)
        );
    }
    for invalid in unjudged.invalid {
        let _ = writeln!(
            out,
            "{}: invalid ({})",
            invalid.dir,
            plural(invalid.diagnostics.len(), "problem")
        );
    }
    let invalid = unjudged.invalid.len();
    if evaluations.len() + invalid > 1 {
        let not_ready = evaluations
            .iter()
            .filter(|e| e.verdict == crate::finding::Verdict::NotReady)
            .count();
        let _ = write!(
            out,
            "{} checked, {not_ready} not ready",
            plural(evaluations.len() + invalid, "engagement")
        );
        if invalid > 0 {
            let _ = write!(out, ", {invalid} invalid");
        }
        out.push('\n');
    }
    out
}

/// Problems that stopped the evaluation, as `::error` commands: one per
/// problem, on its file and line when it has one.
pub fn render_diagnostics(diagnostics: &[crate::diag::Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        match &d.loc {
            Some(loc) => out.push_str(&format!(
                "::error file={},line={},col={},title={}::{}\n",
                escape_property(&loc.file),
                loc.pos.line,
                loc.pos.column,
                escape_property("handoff: invalid file"),
                escape_data(&message)
            )),
            None => out.push_str(&format!(
                "::error title={}::{}\n",
                escape_property("handoff: could not evaluate"),
                escape_data(&message)
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped_as_github_requires() {
        assert_eq!(escape_data("100% sure\r\nnext"), "100%25 sure%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
