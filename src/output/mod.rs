//! Printers. They turn evaluations into text, JSON or markdown and never
//! decide anything: rules decide, printers show.

pub mod check;
pub mod diff;
pub mod html;
pub mod markdown;
pub mod messages;
pub mod pid;
pub mod report;
pub mod sheets;
pub mod sign;
pub mod stats;
pub mod stats_history;
pub mod status;

use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::AnsiColor;

use crate::analysis::Figures;
use crate::evaluate::Evaluation;
use crate::finding::{Counts, Finding, Severity};
use crate::format::{money, number, percent, signed_percent};
use crate::model::Engagement;

/// `-q`: set once by `run` before any command prints.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Turns `-q/--quiet` on for the rest of the process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `-q/--quiet` was given: documents, status lines and notes are
/// left out, errors are not.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// `error[open-gap]`, in the severity's colour on a terminal: how every
/// terminal printer names a finding.
pub(crate) fn severity_code(severity: Severity, code: &str) -> String {
    let style = match severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Cyan.on_default().bold(),
    };
    format!("{style}{severity}[{code}]{style:#}")
}

/// "1 error", "2 warnings"
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning, 0 infos"
pub(crate) fn counts_words(c: Counts) -> String {
    format!(
        "{}, {}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.infos, "info")
    )
}

/// Every finding of every engagement, with the engagement's id, most
/// severe first: CI tools show only the first few. Stable, so each
/// engagement's own order (by place) is kept within a severity.
pub(crate) fn findings_most_severe_first<'a>(
    evaluations: &'a [Evaluation<'_>],
) -> Vec<(&'a str, &'a Finding)> {
    let mut all: Vec<(&str, &Finding)> = evaluations
        .iter()
        .flat_map(|ev| ev.findings.iter().map(move |f| (ev.engagement().id(), f)))
        .collect();
    all.sort_by_key(|(_, f)| f.severity);
    all
}

/// The message, then `help: ...` on a line of its own, for formats that
/// carry one text per finding.
pub(crate) fn message_with_help(f: &Finding) -> String {
    match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    }
}

/// What a gap is about: "P-03 / S-07", one of the two, or "-".
pub(crate) fn gap_about(promise: Option<&str>, scope: Option<&str>) -> String {
    match (promise, scope) {
        (Some(p), Some(s)) => format!("{p} / {s}"),
        (Some(p), None) => p.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => "-".into(),
    }
}

/// Text as it may reach a terminal or a log: control characters from the
/// files (terminal escapes in a title, a note, an id; a carriage return
/// that overwrites a line) are shown escaped (`\x1b`, `\r`, `\u{9b}`)
/// instead of acting. Newlines and tabs stay, and so do the colour
/// sequences (`ESC [ digits ; m`) the printers add themselves, which
/// cannot move the cursor, set a title or make a link. Every text
/// printer's output goes through here on its way out (stdout, messages, a
/// PID file); JSON escapes them itself.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !has_control(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}'
            && let Some(len) = colour_sequence(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if unsafe_char(c) {
            match c {
                '\r' => out.push_str("\\r"),
                c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `text` holds a control character other than a newline or a tab:
/// C0 (bytes below 0x20), DEL, or C1 (U+0080 to U+009F, which UTF-8 writes
/// as 0xC2 and a byte from 0x80 to 0x9F). Looks at bytes rather than
/// decoding characters: every document is scanned before it is shown, and
/// a PID of thousands of promises is megabytes.
fn has_control(text: &str) -> bool {
    let control = |bytes: &[u8], i: usize| match bytes.get(i) {
        Some(b'\n' | b'\t') | None => false,
        Some(0..=0x1f | 0x7f) => true,
        Some(0xc2) => bytes
            .get(i + 1)
            .is_some_and(|next| (0x80..=0x9f).contains(next)),
        Some(_) => false,
    };
    // A word of printable ASCII is passed over whole.
    crate::scan::find(
        text.as_bytes(),
        |w| w.below(0x20) | w.del_or_beyond_ascii(),
        control,
        b'a',
    )
    .is_some()
}

/// The length of the SGR (colour) sequence `ESC [ 0-9; m` at the start of
/// `text`, if there is one.
fn colour_sequence(text: &str) -> Option<usize> {
    let body = text.strip_prefix("\u{1b}[")?;
    let params = body.find(|c: char| !c.is_ascii_digit() && c != ';')?;
    body[params..].starts_with('m').then_some(2 + params + 1)
}

/// A JSON document as printed: pretty, with a final newline.
pub(crate) fn json_text(doc: &impl serde::Serialize) -> String {
    let mut text =
        serde_json::to_string_pretty(doc).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"));
    text.push('\n');
    text
}

/// "262 days scoped, 200 sold (+31.0%)"; with agreed contract changes
/// "185 days scoped, 178 contracted (160 sold + 18 by change requests) (+3.9%)".
pub fn effort_line(e: &Engagement, f: &Figures) -> String {
    let unit = e.handoff.effort.unit_name();
    let variance = f
        .effort_variance
        .map_or(String::new(), |v| format!(" ({})", signed_percent(v)));
    match (
        f.effort_sold,
        f.effort_contracted,
        f.contract_change_effort(),
    ) {
        (Some(sold), Some(contracted), Some(change)) => format!(
            "{} {unit} scoped, {} contracted ({} sold {} {} by change requests){variance}",
            number(f.effort_scoped),
            number(contracted),
            number(sold),
            if change < 0.0 { "−" } else { "+" },
            number(change.abs()),
        ),
        (Some(sold), ..) => format!(
            "{} {unit} scoped, {} sold{variance}",
            number(f.effort_scoped),
            number(sold),
        ),
        (None, ..) => format!(
            "{} {unit} scoped, effort sold not stated",
            number(f.effort_scoped)
        ),
    }
}

/// "42.2% at sale, 24.3% at scope, 32,240 EUR at risk", with the margin
/// "contracted" between when the contract changed since the sale; `None`
/// without the price and cost rate.
pub fn margin_line(e: &Engagement, f: &Figures) -> Option<String> {
    let currency = e.handoff.contract.currency.as_deref();
    let mut parts = Vec::new();
    if let Some(m) = f.margin_sold {
        parts.push(format!("{} at sale", percent(m)));
    }
    if let Some(m) = f.margin_contracted.filter(|_| f.contract_changed()) {
        parts.push(format!("{} contracted", percent(m)));
    }
    if let Some(m) = f.margin_scoped {
        parts.push(format!("{} at scope", percent(m)));
    }
    if let Some(r) = f.margin_at_risk {
        parts.push(format!("{} at risk", money(r, currency)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// "2 change requests awaiting the customer, +18 days", or `None` when
/// there are none.
pub fn pending_line(e: &Engagement, f: &Figures) -> Option<String> {
    let pending = f.pending_change_requests;
    (pending.count > 0).then(|| {
        format!(
            "{} change request{} awaiting the customer, {}{} {}",
            pending.count,
            if pending.count == 1 { "" } else { "s" },
            if pending.effort < 0.0 { "−" } else { "+" },
            number(pending.effort.abs()),
            e.handoff.effort.unit_name()
        )
    })
}

/// The figures every summary shows, as (label, value): effort, margin
/// (when the data allows), change requests awaiting the customer (when
/// there are any), promises. `check` and `report` print these.
pub fn figure_lines(e: &Engagement, f: &Figures) -> Vec<(&'static str, String)> {
    let mut lines = vec![("effort", effort_line(e, f))];
    if let Some(margin) = margin_line(e, f) {
        lines.push(("margin", margin));
    }
    if let Some(pending) = pending_line(e, f) {
        lines.push(("changes", pending));
    }
    lines.push(("promises", coverage_line(f)));
    lines
}

pub fn coverage_line(f: &Figures) -> String {
    let c = &f.coverage;
    format!(
        "{} covered, {} partial, {} unscoped, {} not applicable",
        c.covered, c.partial, c.unscoped, c.n_a
    )
}

#[cfg(test)]
mod safe_tests {
    use super::{has_control, terminal_safe};

    #[test]
    fn control_characters_are_escaped_but_colours_and_newlines_stay() {
        assert_eq!(terminal_safe("plain\tline\n"), "plain\tline\n");
        assert_eq!(
            terminal_safe("\u{1b}[1mbold\u{1b}[0m"),
            "\u{1b}[1mbold\u{1b}[0m"
        );
        assert_eq!(
            terminal_safe("T\u{1b}]0;pwned\u{7}itle\rX\u{9b}2J"),
            "T\\x1b]0;pwned\\x07itle\\rX\\u{9b}2J"
        );
        assert_eq!(terminal_safe("a\u{1b}[2Jb"), "a\\x1b[2Jb");
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_control_characters() {
        // At every offset of a word, and in the short tail after the words.
        for c in (0..0x800u32)
            .chain(0xfff0..0x10000)
            .filter_map(char::from_u32)
        {
            let control = c.is_control() && c != '\n' && c != '\t';
            for before in 0..17 {
                let s = format!("{}{c}{}", "x".repeat(before), "y".repeat(20 - before));
                assert_eq!(has_control(&s), control, "{c:?} after {before}");
            }
        }
        assert!(!has_control("\u{ff}\u{ff}\u{7e}abcdefgh"));
    }
}
