//! `handoff diff` for people on a terminal: highlights first, then items
//! field by field, findings, and figures before → after.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::diff::fields::FieldChange;
use crate::diff::{
    Change, Diff, EngagementDiff, FindingChanges, ItemChange, ItemKind, SignoffChange,
    SignoffChangeKind, SignoffRef, State, Status,
};
use crate::finding::Severity;
use crate::format::{capitalise, money, number, percent, signed_percent};
use crate::output::{counts_words, plural, severity_code};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const ADDED: Style = AnsiColor::Green.on_default();
const REMOVED: Style = AnsiColor::Red.on_default();
const CHANGED: Style = AnsiColor::Yellow.on_default();
const HIGHLIGHT: Style = AnsiColor::Magenta.on_default().bold();

/// "(not set)" for an absent value.
pub(crate) fn value_or_unset(v: Option<&String>) -> String {
    v.map_or_else(|| "(not set)".to_string(), Clone::clone)
}

/// One field change as a line of text (without styling): `priority: should
/// → must`, `covers: + P-14`, `notes changed (private)`.
pub(crate) fn field_line(c: &FieldChange) -> String {
    if c.private && c.before.is_none() && c.after.is_none() {
        return format!(
            "{} changed (private: `--show-notes` shows the text)",
            c.field
        );
    }
    match (c.entry, &c.before, &c.after) {
        (true, None, Some(after)) => format!("{}: + {after}", c.field),
        (true, Some(before), None) => format!("{}: − {before}", c.field),
        (_, before, after) => format!(
            "{}: {} → {}",
            c.field,
            value_or_unset(before.as_ref()),
            value_or_unset(after.as_ref())
        ),
    }
}

/// "P-03 “Wave picking”"
pub(crate) fn item_label(item: &ItemChange) -> String {
    match &item.title {
        Some(title) if !title.trim().is_empty() => format!("{} “{}”", item.id, title.trim()),
        _ => item.id.clone(),
    }
}

/// "1 added", "2 changed": the counts that are not zero, in order.
fn nonzero<const N: usize>(counts: [(usize, &str); N]) -> Vec<String> {
    counts
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect()
}

/// "1 added, 2 changed"
pub(crate) fn item_counts(items: &[&ItemChange]) -> String {
    let count = |c: Change| items.iter().filter(|i| i.change == c).count();
    nonzero([
        (count(Change::Added), "added"),
        (count(Change::Removed), "removed"),
        (count(Change::Changed), "changed"),
    ])
    .join(", ")
}

/// "2 new, 1 resolved, 21 still present"
pub(crate) fn findings_words(f: &FindingChanges) -> String {
    let mut parts = vec![
        format!("{} new", f.new.len()),
        format!("{} resolved", f.resolved.len()),
    ];
    if !f.severity_changed.is_empty() {
        parts.push(format!("{} changed severity", f.severity_changed.len()));
    }
    parts.push(format!("{} still present", f.still_present));
    parts.join(", ")
}

/// One line of the figures table.
#[derive(Debug)]
pub(crate) struct FigureRow {
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

impl FigureRow {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Figures of both sides as text, "—" where a side has none.
pub(crate) fn figure_rows(e: &EngagementDiff) -> Vec<FigureRow> {
    let unit = e.unit;
    let currency = e.currency.as_deref();
    let none = || "—".to_string();
    let pick = |s: &Option<State>, f: &dyn Fn(&State) -> Option<String>| {
        s.as_ref().and_then(f).unwrap_or_else(none)
    };
    type Getter<'a> = Box<dyn Fn(&State) -> Option<String> + 'a>;
    let mut rows: Vec<(&'static str, Getter<'_>)> = vec![
        ("verdict", Box::new(|s| Some(s.verdict.words().to_string()))),
        ("findings", Box::new(|s| Some(counts_words(s.counts)))),
        (
            "effort sold",
            Box::new(move |s| {
                s.figures
                    .effort_sold
                    .map(|x| format!("{} {unit}", number(x)))
            }),
        ),
        (
            "effort scoped",
            Box::new(move |s| Some(format!("{} {unit}", number(s.figures.effort_scoped)))),
        ),
        (
            "effort variance",
            Box::new(|s| s.figures.effort_variance.map(signed_percent)),
        ),
        (
            "margin at sale",
            Box::new(|s| s.figures.margin_sold.map(percent)),
        ),
        (
            "margin at scope",
            Box::new(|s| s.figures.margin_scoped.map(percent)),
        ),
        (
            "margin at risk",
            Box::new(move |s| s.figures.margin_at_risk.map(|x| money(x, currency))),
        ),
        (
            "promises covered",
            Box::new(|s| Some(s.figures.coverage.covered.to_string())),
        ),
        (
            "partly covered",
            Box::new(|s| Some(s.figures.coverage.partial.to_string())),
        ),
        (
            "unscoped",
            Box::new(|s| Some(s.figures.coverage.unscoped.to_string())),
        ),
        (
            "not applicable",
            Box::new(|s| Some(s.figures.coverage.n_a.to_string())),
        ),
    ];
    // The contracted figures only where a side has contract changes, so
    // an engagement without them shows the same table as ever.
    let changed = |s: &Option<State>| s.as_ref().is_some_and(|s| s.figures.contract_changed());
    if changed(&e.before) || changed(&e.after) {
        let contracted: Vec<(&'static str, Getter<'_>)> = vec![
            (
                "effort contracted",
                Box::new(move |s| {
                    s.figures
                        .effort_contracted
                        .map(|x| format!("{} {unit}", number(x)))
                }),
            ),
            (
                "price contracted",
                Box::new(move |s| s.figures.price_contracted.map(|x| money(x, currency))),
            ),
            (
                "margin contracted",
                Box::new(|s| s.figures.margin_contracted.map(percent)),
            ),
        ];
        // After "effort sold" and after "margin at sale".
        let mut contracted = contracted.into_iter();
        let mut with = Vec::with_capacity(rows.len() + 3);
        for (label, getter) in rows {
            with.push((label, getter));
            if label == "effort sold" {
                with.extend(contracted.by_ref().take(2));
            } else if label == "margin at sale" {
                with.extend(contracted.by_ref().take(1));
            }
        }
        rows = with;
    }
    rows.into_iter()
        .map(|(label, f)| FigureRow {
            label,
            before: pick(&e.before, &*f),
            after: pick(&e.after, &*f),
        })
        .collect()
}

/// "moved from a → b" or the path.
pub(crate) fn path_words(e: &EngagementDiff) -> String {
    match (&e.path_before, &e.path_after) {
        (Some(b), Some(a)) if e.moved => format!("moved from {b} to {a}"),
        _ => e.path().to_string(),
    }
}

/// "14 promises, 16 scope items, 4 gaps, 9 stakeholders"
pub(crate) fn size_words(e: &EngagementDiff) -> String {
    let s = e.sizes;
    format!(
        "{}, {}, {}, {}",
        plural(s.promises, "promise"),
        plural(s.scope, "scope item"),
        plural(s.gaps, "gap"),
        plural(s.stakeholders, "stakeholder")
    )
}

/// What came or went with an added or removed engagement: "new
/// engagement: 14 promises, ...".
pub(crate) fn arrival_words(e: &EngagementDiff) -> Option<String> {
    match e.status {
        Status::Added => Some(format!("new engagement: {}", size_words(e))),
        Status::Removed => Some(format!(
            "removed with {}; its findings left with it",
            size_words(e)
        )),
        Status::Changed | Status::Unchanged => None,
    }
}

/// "sales: new, approved by Julia Lange (jlange) on 2026-03-10".
pub(crate) fn signoff_line(c: &SignoffChange) -> String {
    let role = crate::signoff::role_words(&c.role);
    let by = |r: &SignoffRef| format!("by {} on {}", r.name, r.date);
    let conditions = |r: &SignoffRef| {
        if r.conditions.is_empty() {
            String::new()
        } else {
            format!(": {}", r.conditions.join("; "))
        }
    };
    match (c.change, &c.before, &c.after) {
        (SignoffChangeKind::Withdrawn, Some(b), _) => {
            format!("{role}: withdrawn (was {} {})", b.decision, by(b))
        }
        (SignoffChangeKind::New, _, Some(a)) => {
            format!("{role}: new, {} {}{}", a.decision, by(a), conditions(a))
        }
        (SignoffChangeKind::DecisionChanged, Some(b), Some(a)) => format!(
            "{role}: decision changed from {} to {}, {}{}",
            b.decision,
            a.decision,
            by(a),
            conditions(a)
        ),
        (SignoffChangeKind::ConditionsChanged, Some(_), Some(a)) => {
            format!("{role}: conditions changed, {}{}", by(a), conditions(a))
        }
        (_, b, Some(a)) => format!(
            "{role}: renewed, {} {}{}",
            a.decision,
            by(a),
            b.as_ref()
                .map_or(String::new(), |b| format!(" (was {})", b.date))
        ),
        (kind, _, None) => format!("{role}: {}", kind.words()),
    }
}

/// Worth a section: anything but an engagement that did not change at all.
pub(crate) fn is_interesting(e: &EngagementDiff) -> bool {
    e.status != Status::Unchanged
        || !e.signoffs.is_empty()
        || !e.waivers.is_empty()
        || e.moved
        || !e.findings.new.is_empty()
        || !e.findings.resolved.is_empty()
        || !e.findings.severity_changed.is_empty()
}

/// The closing summary: "2 engagements compared: 1 changed, 1 unchanged;
/// findings: 2 new, 1 resolved".
pub(crate) fn overall(diff: &Diff) -> String {
    let count = |s: Status| diff.engagements.iter().filter(|e| e.status == s).count();
    let moved = diff.engagements.iter().filter(|e| e.moved).count();
    let parts = nonzero([
        (count(Status::Added), "added"),
        (count(Status::Removed), "removed"),
        (count(Status::Changed), "changed"),
        (count(Status::Unchanged), "unchanged"),
        (moved, "moved"),
    ]);
    let new: usize = diff.engagements.iter().map(|e| e.findings.new.len()).sum();
    let new_errors = diff
        .engagements
        .iter()
        .flat_map(|e| &e.findings.new)
        .filter(|f| f.severity == Severity::Error)
        .count();
    let worse = diff.worse_findings().count();
    let worse = if worse == 0 {
        String::new()
    } else {
        format!(", {worse} more severe")
    };
    let resolved: usize = diff
        .engagements
        .iter()
        .map(|e| e.findings.resolved.len())
        .sum();
    let n = diff.engagements.len();
    format!(
        "{} compared{}; findings: {new} new ({}){worse}, {resolved} resolved",
        plural(n, "engagement"),
        if parts.is_empty() {
            String::new()
        } else {
            format!(": {}", parts.join(", "))
        },
        plural(new_errors, "error")
    )
}

pub fn render(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{BOLD}Comparing {} → {}{BOLD:#}",
        diff.base.short(),
        diff.head.short()
    );
    out.push('\n');
    let mut quiet = Vec::new();
    for e in &diff.engagements {
        if is_interesting(e) {
            engagement(&mut out, e);
        } else {
            quiet.push(e.id.as_str());
        }
    }
    if diff.engagements.is_empty() {
        let _ = writeln!(out, "No engagements on either side.");
    }
    if !quiet.is_empty() {
        let _ = writeln!(out, "{DIM}Unchanged: {}{DIM:#}", quiet.join(", "));
    }
    let _ = writeln!(out, "{}", overall(diff));
    out
}

/// One engagement's changes as `handoff diff` prints them (highlights,
/// sign-offs, items field by field, findings, figures before → after),
/// for other commands to show (`status --changes`).
pub fn engagement_block(e: &EngagementDiff) -> String {
    let mut out = String::new();
    engagement(&mut out, e);
    out
}

fn engagement(out: &mut String, e: &EngagementDiff) {
    let name = e
        .name
        .as_deref()
        .map_or(String::new(), |n| format!("  {n}"));
    let (style, status) = match e.status {
        Status::Added => (ADDED, "added"),
        Status::Removed => (REMOVED, "removed"),
        Status::Changed => (CHANGED, "changed"),
        Status::Unchanged => (DIM, "unchanged"),
    };
    let _ = writeln!(out, "{BOLD}{}{BOLD:#}{name}", e.id);
    let _ = writeln!(out, "  {} · {style}{status}{style:#}", path_words(e));
    if let Some(sentence) = arrival_words(e) {
        let _ = writeln!(out, "  {sentence}");
    }

    if !e.highlights.is_empty() {
        let _ = writeln!(out, "  {BOLD}Highlights{BOLD:#}");
        for h in &e.highlights {
            let _ = writeln!(out, "    {HIGHLIGHT}!{HIGHLIGHT:#} {}", h.message);
        }
    }

    if !e.signoffs.is_empty() {
        let _ = writeln!(out, "  {BOLD}Sign-offs{BOLD:#}");
        for c in &e.signoffs {
            let _ = writeln!(out, "    {CHANGED}~{CHANGED:#} {}", signoff_line(c));
        }
    }

    if !e.waivers.is_empty() {
        let _ = writeln!(out, "  {BOLD}Waivers{BOLD:#}");
        for w in &e.waivers {
            let (style, sign) = match w.change {
                Change::Added => (ADDED, "+"),
                Change::Removed => (REMOVED, "−"),
                Change::Changed => (CHANGED, "~"),
            };
            let what = match (&w.before, &w.after) {
                (Some(b), Some(a)) if b.until != a.until => {
                    format!("until {} → {}", b.until, a.until)
                }
                (_, Some(a)) => format!("by {} until {}: {}", a.by, a.until, a.reason),
                (Some(b), None) => format!("by {} until {}", b.by, b.until),
                (None, None) => String::new(),
            };
            let _ = writeln!(out, "    {style}{sign} {}{style:#} {what}", w.finding);
        }
    }

    for kind in ItemKind::ALL {
        let items: Vec<&ItemChange> = e.items_of(kind).collect();
        if items.is_empty() {
            continue;
        }
        let label = capitalise(kind.plural());
        let _ = writeln!(out, "  {BOLD}{label}{BOLD:#} ({})", item_counts(&items));
        for item in items {
            let (style, sign) = match item.change {
                Change::Added => (ADDED, "+"),
                Change::Removed => (REMOVED, "−"),
                Change::Changed => (CHANGED, "~"),
            };
            let _ = writeln!(out, "    {style}{sign} {}{style:#}", item_label(item));
            for field in &item.fields {
                let _ = writeln!(out, "        {}", field_line(field));
            }
        }
    }
    if !e.handoff.is_empty() {
        let _ = writeln!(out, "  {BOLD}handoff.yaml{BOLD:#}");
        for field in &e.handoff {
            let _ = writeln!(out, "    {CHANGED}~{CHANGED:#} {}", field_line(field));
        }
    }

    let f = &e.findings;
    if e.status != Status::Removed {
        let _ = writeln!(out, "  {BOLD}Findings{BOLD:#}: {}", findings_words(f));
        for finding in &f.new {
            let _ = writeln!(
                out,
                "    {ADDED}new{ADDED:#} {}: {}",
                severity_code(finding.severity, finding.code),
                finding.message
            );
            let _ = writeln!(
                out,
                "      {DIM}--> {}:{}:{}{DIM:#}",
                finding.file, finding.line, finding.column
            );
        }
        for c in &f.severity_changed {
            let _ = writeln!(
                out,
                "    {CHANGED}now{CHANGED:#} {} (was {}): {}",
                severity_code(c.finding.severity, c.finding.code),
                c.before,
                c.finding.message
            );
            let _ = writeln!(
                out,
                "      {DIM}--> {}:{}:{}{DIM:#}",
                c.finding.file, c.finding.line, c.finding.column
            );
        }
        for finding in &f.resolved {
            let _ = writeln!(
                out,
                "    {DIM}resolved {}[{}]: {}{DIM:#}",
                finding.severity, finding.code, finding.message
            );
        }
    }

    let _ = writeln!(out, "  {BOLD}Figures{BOLD:#} (before → after)");
    let rows = figure_rows(e);
    let width = rows.iter().map(|r| r.label.len()).max().unwrap_or(0);
    for row in rows {
        if row.changed() {
            let _ = writeln!(
                out,
                "    {:width$}  {} → {BOLD}{}{BOLD:#}",
                row.label, row.before, row.after
            );
        } else {
            let _ = writeln!(out, "    {DIM}{:width$}  {}{DIM:#}", row.label, row.after);
        }
    }
    out.push('\n');
}

/// The engagements that could not be read at a side, after the
/// comparison; their problems follow as error messages.
pub fn render_not_compared(not_compared: &[(String, crate::workspace::Invalid)]) -> String {
    let mut out = String::from("\nNot compared (cannot be read):\n");
    for (side, i) in not_compared {
        out.push_str(&format!(
            "  {} at {side}: {}\n",
            i.dir,
            plural(i.diagnostics.len(), "problem")
        ));
    }
    out
}
