//! `handoff report`: the gap report, as a terminal table, GitHub markdown
//! or JSON (`handoff-report/2`, docs/json.md).

use std::fmt::Write as _;

use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, Width, presets};
use serde::Serialize;

use crate::analysis::{Coverage, Figures};
use crate::diag::Diagnostic;
use crate::evaluate::Evaluation;
use crate::finding::Counts;
use crate::format::{number, round};
use crate::model::audience::{Reader, Shown};
use crate::model::{Engagement, Vocab};
use crate::output::check::json::{DiagnosticOut, INVALID};
use crate::output::{counts_words, figure_lines, gap_about, markdown, plural};
use crate::workspace::Invalid;

pub const SCHEMA: &str = "handoff-report/2";

/// The width of the tables when the output is not a terminal: wide enough
/// for every column, and the same in every file and pipe.
pub const FULL_WIDTH: u16 = 160;

/// One row per promise, shared by every format.
#[derive(Debug, Serialize)]
pub struct PromiseRow {
    pub id: String,
    pub title: String,
    pub priority: &'static str,
    pub response: Option<&'static str>,
    pub coverage: Coverage,
    pub scope: Vec<String>,
    pub sold_effort: Option<f64>,
    /// Its share of the scope items plus `gap_effort`.
    pub scoped_effort: f64,
    /// What decided gaps add to it (or take away).
    pub gap_effort: f64,
    pub gap: Option<String>,
    pub gap_status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct UnsoldRow {
    pub id: String,
    pub title: Option<String>,
    pub effort: f64,
    pub gap: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GapRow {
    pub id: String,
    pub promise: Option<String>,
    pub scope: Option<String>,
    pub kind: Option<&'static str>,
    pub criticality: &'static str,
    pub status: &'static str,
    pub resolution: Option<&'static str>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub agreed_with: Option<String>,
    pub summary: Option<String>,
}

/// The gap register's columns, in the text report and the HTML pack alike.
pub const GAP_COLUMNS: [&str; 10] = [
    "gap",
    "about",
    "kind",
    "criticality",
    "status",
    "resolution",
    "owner",
    "due",
    "agreed with",
    "summary",
];

#[derive(Debug)]
pub struct Report<'a> {
    /// The evaluation of what the reader may see ([`Evaluation::shown`]).
    pub evaluation: &'a Evaluation<'a>,
    pub audience: Reader,
    /// Whether effort figures are shown: not to the customer on a fixed
    /// price.
    pub shows_effort: bool,
    pub promises: Vec<PromiseRow>,
    pub unsold: Vec<UnsoldRow>,
    pub gaps: Vec<GapRow>,
}

impl<'a> Report<'a> {
    /// The report of `ev`, the evaluation of what `shown` lets its reader
    /// see.
    pub fn new(ev: &'a Evaluation<'a>, shown: &Shown) -> Report<'a> {
        let e = ev.engagement();
        let index = &ev.analysis.index;
        let promises = ev
            .analysis
            .promises_with_coverage()
            .map(|(p, coverage)| {
                let gap = index.gap_of_promise(&p.id);
                PromiseRow {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                    priority: p.priority().as_str(),
                    response: p.response.map(Vocab::as_str),
                    coverage,
                    scope: index.covering_ids(&p.id),
                    sold_effort: p.sold_effort,
                    scoped_effort: round(index.scoped_effort_for(&p.id), 2),
                    gap_effort: round(index.gap_effort_for(&p.id), 2),
                    gap: gap.map(|g| g.id.value.clone()),
                    gap_status: gap.map(|g| g.status.as_str()),
                }
            })
            .collect();
        let unsold = ev
            .analysis
            .unsold_scope()
            .map(|s| UnsoldRow {
                id: s.id.value.clone(),
                title: s.title.clone(),
                effort: s.effort,
                gap: index.gap_of_scope(&s.id).map(|g| g.id.value.clone()),
            })
            .collect();
        let gaps = e
            .gaps
            .iter()
            .map(|g| GapRow {
                id: g.id.value.clone(),
                promise: g.promise.as_ref().map(|p| p.value.clone()),
                scope: g.scope.as_ref().map(|s| s.value.clone()),
                kind: g.kind.map(Vocab::as_str),
                criticality: g.criticality().as_str(),
                status: g.status.as_str(),
                resolution: g.resolution.map(Vocab::as_str),
                owner: g.owner.clone(),
                due: g.due.as_ref().map(|d| d.value.to_string()),
                agreed_with: g.agreed_with.clone(),
                // The internal summary; after the audience filter cleared
                // it, the customer's wording.
                summary: g.summary.clone().or_else(|| g.customer_summary.clone()),
            })
            .collect();
        Report {
            evaluation: ev,
            audience: shown.view.reader,
            shows_effort: shown.shows_effort(),
            promises,
            unsold,
            gaps,
        }
    }
}

fn opt(x: Option<&str>) -> String {
    x.unwrap_or("-").to_string()
}

fn opt_num(x: Option<f64>) -> String {
    x.map_or("-".to_string(), number)
}

/// The scoped effort, with the part gaps add or take away when there is
/// one (`32 (+10 from gaps)`): the same total as the PID's, and the reader
/// sees how much of it no scope item carries.
fn scoped_cell(row: &PromiseRow) -> String {
    if row.gap_effort == 0.0 {
        return number(row.scoped_effort);
    }
    format!(
        "{} ({}{} from gaps)",
        number(row.scoped_effort),
        if row.gap_effort < 0.0 { "−" } else { "+" },
        number(row.gap_effort.abs())
    )
}

fn gap_cell(row: &PromiseRow) -> String {
    match (&row.gap, row.gap_status) {
        (Some(id), Some(status)) => format!("{id} ({status})"),
        _ => "-".to_string(),
    }
}

fn header_lines(r: &Report<'_>) -> Vec<String> {
    let ev = r.evaluation;
    let mut lines = vec![
        format!("audience: {}", audience_words(r.audience)),
        format!(
            "verdict: {} ({})",
            ev.verdict.words(),
            counts_words(ev.counts)
        ),
    ];
    lines.extend(
        figure_lines(ev.engagement(), &ev.analysis.figures)
            .into_iter()
            // The margin line is empty without the cost rate, which the
            // customer never gets; effort goes only where effort was sold.
            .filter(|(label, _)| *label != "effort" || r.shows_effort)
            .map(|(label, value)| format!("{label}: {value}")),
    );
    lines
}

fn audience_words(reader: Reader) -> &'static str {
    match reader {
        Reader::Customer => "customer (shareable with the customer)",
        Reader::Internal => "internal (the supplier's team; not for the customer)",
    }
}

fn title(e: &Engagement) -> String {
    match &e.handoff.name {
        Some(name) => format!("{} — {name}", e.id()),
        None => e.id().to_string(),
    }
}

/// A titled table, built once and printed by either the terminal or the
/// markdown printer.
struct Section {
    title: &'static str,
    /// Said instead of an empty table.
    empty: &'static str,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// The column of free text (a title, a summary): on a narrow terminal
    /// it wraps first.
    text_column: usize,
    /// Columns a narrow terminal leaves out, first to go first; the report
    /// says which were left out.
    optional: &'static [usize],
}

fn sections(r: &Report<'_>) -> Vec<Section> {
    let unit = r.evaluation.engagement().handoff.effort.unit_name();
    let promises = Section {
        title: "Promises",
        empty: "No promises recorded.",
        headers: [
            "promise", "title", "priority", "response", "coverage", "scope",
        ]
        .iter()
        .map(|h| (*h).to_string())
        .chain(
            [format!("sold ({unit})"), format!("scoped ({unit})")]
                .into_iter()
                .filter(|_| r.shows_effort),
        )
        .chain(["gap".into()])
        .collect(),
        rows: r
            .promises
            .iter()
            .map(|p| {
                let mut row = vec![
                    p.id.clone(),
                    p.title.clone(),
                    p.priority.into(),
                    opt(p.response),
                    p.coverage.as_str().into(),
                    if p.scope.is_empty() {
                        "-".into()
                    } else {
                        p.scope.join(", ")
                    },
                ];
                if r.shows_effort {
                    row.extend([opt_num(p.sold_effort), scoped_cell(p)]);
                }
                row.push(gap_cell(p));
                row
            })
            .collect(),
        text_column: 1,
        // response, sold effort, covering scope
        optional: &[3, 6, 5],
    };
    let unsold = Section {
        title: "Unsold scope",
        empty: "None: every scope item traces to a promise or is internal.",
        headers: ["scope".into(), "title".into()]
            .into_iter()
            .chain(Some(format!("effort ({unit})")).filter(|_| r.shows_effort))
            .chain(["gap".into()])
            .collect(),
        rows: r
            .unsold
            .iter()
            .map(|u| {
                let mut row = vec![u.id.clone(), opt(u.title.as_deref())];
                if r.shows_effort {
                    row.push(number(u.effort));
                }
                row.push(opt(u.gap.as_deref()));
                row
            })
            .collect(),
        text_column: 1,
        optional: &[],
    };
    let gaps = Section {
        title: "Gap register",
        empty: "No gaps recorded.",
        headers: GAP_COLUMNS.iter().map(|h| (*h).to_string()).collect(),
        rows: r
            .gaps
            .iter()
            .map(|g| {
                vec![
                    g.id.clone(),
                    gap_about(g.promise.as_deref(), g.scope.as_deref()),
                    opt(g.kind),
                    g.criticality.into(),
                    g.status.into(),
                    opt(g.resolution),
                    opt(g.owner.as_deref()),
                    opt(g.due.as_deref()),
                    opt(g.agreed_with.as_deref()),
                    opt(g.summary.as_deref()),
                ]
            })
            .collect(),
        text_column: 9,
        // agreed with, resolution, kind, due, owner
        optional: &[8, 5, 2, 7, 6],
    };
    vec![promises, unsold, gaps]
}

/// The terminal report, its tables arranged to fit `width` columns: the
/// terminal's width there, [`FULL_WIDTH`] in a file or pipe. Invalid
/// engagements come after the judged ones, one line each; their problems
/// are shown as error messages.
pub fn render_table(reports: &[Report<'_>], invalid: &[Invalid], width: u16) -> String {
    let mut out = String::new();
    if !reports.is_empty() {
        for i in invalid {
            let _ = writeln!(
                out,
                "{}: invalid: {} (each shown as an error)\n",
                i.dir,
                plural(i.diagnostics.len(), "problem")
            );
        }
    }
    for r in reports {
        let _ = writeln!(
            out,
            "{} ({})",
            title(r.evaluation.engagement()),
            r.evaluation.engagement().dir
        );
        for line in header_lines(r) {
            let _ = writeln!(out, "  {line}");
        }
        for section in sections(r) {
            let _ = writeln!(out, "\n{}", section.title);
            if section.rows.is_empty() {
                let _ = writeln!(out, "  {}", section.empty);
                continue;
            }
            let (t, left_out) = table(section, width);
            let _ = writeln!(out, "{t}");
            if !left_out.is_empty() {
                let _ = writeln!(out, "  (not shown at this width: {})", left_out.join(", "));
            }
        }
        out.push('\n');
    }
    out
}

/// The most characters a table cell shows. Wrapping a cell costs more than
/// its length (a 1 MB title took minutes), and nobody reads a cell of a
/// thousand words in a table: the rest is said to be there.
pub const MAX_CELL_CHARS: usize = 1_000;

/// A cell's text, cut after [`MAX_CELL_CHARS`] characters with a note of
/// how many more there are.
fn shorten(cell: String) -> String {
    match cell.char_indices().nth(MAX_CELL_CHARS) {
        None => cell,
        Some((cut, _)) => {
            let more = cell[cut..].chars().count();
            format!(
                "{}… ({more} more characters; --format json has them all)",
                cell[..cut].trim_end()
            )
        }
    }
}

/// Padding and the border on one side of each cell.
const CELL_FRAME: u16 = 3;
/// The narrowest the free-text column gets before columns are left out.
const TEXT_MIN: u16 = 16;

/// The section as a table that fits `width`: long text wraps inside its
/// cell; when `width` is narrower than the full width, words are not
/// broken in the short columns, and if even then the table does not fit,
/// the optional columns are left out (their headers returned).
fn table(section: Section, width: u16) -> (Table, Vec<String>) {
    let Section {
        headers,
        rows,
        text_column,
        optional,
        ..
    } = section;
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| row.into_iter().map(shorten).collect())
        .collect();
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    if width >= FULL_WIDTH {
        // Files and pipes: the layout the snapshots and readers know.
        t.set_header(headers);
        for row in rows {
            t.add_row(row.into_iter().map(Cell::new).collect::<Vec<_>>());
        }
        return (t, Vec::new());
    }
    // The longest piece of a column: a word (the narrowest it gets
    // without breaking one), or a whole cell (the widest it needs).
    let longest = |col: usize, split: fn(&str) -> Vec<&str>| -> u16 {
        std::iter::once(&headers[col])
            .chain(rows.iter().filter_map(|r| r.get(col)))
            .flat_map(|cell| split(cell))
            .map(|w| u16::try_from(w.chars().count()).unwrap_or(u16::MAX))
            .max()
            .unwrap_or(1)
    };
    let longest_word = |col: usize| longest(col, |cell| cell.split_whitespace().collect());
    let longest_cell = |col: usize| longest(col, |cell| vec![cell]);
    let minimum: Vec<u16> = (0..headers.len())
        .map(|col| {
            if col == text_column {
                TEXT_MIN
            } else {
                longest_word(col)
            }
        })
        .collect();
    let mut kept: Vec<usize> = (0..headers.len()).collect();
    let needed = |kept: &[usize]| -> u16 {
        kept.iter()
            .map(|&c| minimum[c].saturating_add(CELL_FRAME))
            .fold(1, u16::saturating_add)
    };
    let mut left_out = Vec::new();
    for &col in optional {
        if needed(&kept) <= width {
            break;
        }
        kept.retain(|&c| c != col);
        left_out.push(headers[col].clone());
    }
    t.set_header(kept.iter().map(|&c| headers[c].clone()).collect::<Vec<_>>());
    for row in &rows {
        t.add_row(
            kept.iter()
                .map(|&c| Cell::new(row.get(c).map_or("", String::as_str)))
                .collect::<Vec<_>>(),
        );
    }
    // Every column at its narrowest, then the room left over to the
    // free text up to its longest cell, then to the others in order.
    let mut widths: Vec<u16> = kept.iter().map(|&c| minimum[c]).collect();
    let mut spare = width.saturating_sub(needed(&kept));
    let order = kept
        .iter()
        .position(|&c| c == text_column)
        .into_iter()
        .chain((0..kept.len()).filter(|&i| kept[i] != text_column));
    for i in order {
        let grow = longest_cell(kept[i]).saturating_sub(widths[i]).min(spare);
        widths[i] += grow;
        spare -= grow;
    }
    for (i, w) in widths.into_iter().enumerate() {
        if let Some(column) = t.column_mut(i) {
            // Content width plus the padding on both sides.
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w + 2)));
        }
    }
    (t, left_out)
}

fn md_row(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| markdown::cell(c)).collect();
    format!("| {} |", cells.join(" | "))
}

fn md_header(cells: &[String]) -> String {
    format!("{}\n|{}", md_row(cells), "---|".repeat(cells.len()))
}

/// Invalid engagements come first, each with its problems: a report read
/// by someone who never runs `handoff` must not leave one out silently.
pub fn render_markdown(reports: &[Report<'_>], invalid: &[Invalid]) -> String {
    let mut out = String::new();
    for i in invalid {
        let _ = writeln!(out, "## {}: invalid\n", markdown::cell(&i.dir));
        let _ = writeln!(
            out,
            "This engagement could not be read, so it is not reported. Fix these first:\n"
        );
        for d in &i.diagnostics {
            let at = d
                .loc
                .as_ref()
                .map_or_else(String::new, |l| format!("`{l}`: "));
            let _ = writeln!(out, "- {at}{}", markdown::cell(&d.message));
        }
        out.push('\n');
    }
    for r in reports {
        let _ = writeln!(
            out,
            "## {}\n",
            markdown::cell(&title(r.evaluation.engagement()))
        );
        for line in header_lines(r) {
            let _ = writeln!(out, "- {}", markdown::cell(&line));
        }
        let c = &r.evaluation.analysis.figures.coverage;
        let slices: Vec<(&str, usize)> = [
            ("covered", c.covered),
            ("partial", c.partial),
            ("unscoped", c.unscoped),
            ("not applicable", c.n_a),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
        // A pie with no slices renders as an error box on GitHub.
        if !slices.is_empty() {
            let _ = writeln!(out, "\n```mermaid\npie title Promise coverage");
            for (label, n) in slices {
                let _ = writeln!(out, "    \"{label}\" : {n}");
            }
            let _ = writeln!(out, "```");
        }
        for section in sections(r) {
            let _ = writeln!(out, "\n### {}\n", section.title);
            if section.rows.is_empty() {
                let _ = writeln!(out, "{}", section.empty);
                continue;
            }
            let _ = writeln!(out, "{}", md_header(&section.headers));
            for row in &section.rows {
                let _ = writeln!(out, "{}", md_row(row));
            }
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    schema: &'static str,
    engagements: Vec<JsonEngagement<'a>>,
    /// Problems that belong to no engagement (a bad root `handoff.toml`).
    diagnostics: Vec<DiagnosticOut<'a>>,
}

#[derive(Serialize)]
struct JsonEngagement<'a> {
    /// `None` for an engagement that could not be read.
    id: Option<&'a str>,
    name: Option<&'a str>,
    path: &'a str,
    /// A [`crate::finding::Verdict`], or `invalid`.
    verdict: &'static str,
    summary: Counts,
    figures: Option<Figures>,
    promises: &'a [PromiseRow],
    unsold_scope: &'a [UnsoldRow],
    gaps: &'a [GapRow],
    /// Why an invalid engagement could not be judged; empty otherwise.
    diagnostics: Vec<DiagnosticOut<'a>>,
}

pub fn render_json(reports: &[Report<'_>], invalid: &[Invalid], general: &[Diagnostic]) -> String {
    let mut engagements: Vec<JsonEngagement<'_>> = reports
        .iter()
        .map(|r| JsonEngagement {
            id: Some(r.evaluation.engagement().id()),
            name: r.evaluation.engagement().handoff.name.as_deref(),
            path: &r.evaluation.engagement().dir,
            verdict: r.evaluation.verdict.as_str(),
            summary: r.evaluation.counts,
            figures: Some(r.evaluation.analysis.figures.rounded()),
            promises: &r.promises,
            unsold_scope: &r.unsold,
            gaps: &r.gaps,
            diagnostics: Vec::new(),
        })
        .collect();
    engagements.extend(invalid.iter().map(|i| JsonEngagement {
        id: None,
        name: None,
        path: &i.dir,
        verdict: INVALID,
        summary: Counts::default(),
        figures: None,
        promises: &[],
        unsold_scope: &[],
        gaps: &[],
        diagnostics: i.diagnostics.iter().map(DiagnosticOut::new).collect(),
    }));
    engagements.sort_by(|a, b| a.path.cmp(b.path));
    let doc = JsonDoc {
        schema: SCHEMA,
        engagements,
        diagnostics: general.iter().map(DiagnosticOut::new).collect(),
    };
    crate::output::json_text(&doc)
}
