//! The PID's long tables, written here once instead of by the template row
//! by row: the promise and gap registers, the quality table, the promises
//! not fully covered and each phase's scope. A template engine pays for
//! every cell (a lookup, a filter call, a copy), and for a large engagement
//! these tables were four fifths of rendering a PID. The built-in template
//! prints them as they are; a template of your own may too, or loop over
//! the same lists itself (docs/pid.md).
//!
//! Every table is written from the context's own values, with the
//! template's `cell` filter, so what the template would have printed and
//! what it prints now are the same text.

use std::fmt::Write as _;

use serde::Serialize;

use super::context::{Context, GapCtx, PromiseCtx, QualityCtx, ScopeItemCtx, UncoveredCtx};
use crate::output::markdown;
use crate::output::report::GAP_COLUMNS;

/// The tables, in markdown, without a newline after the last row; empty
/// where the list they show is empty.
#[derive(Debug, Default, Serialize)]
pub struct TablesCtx {
    pub not_fully_covered: String,
    pub quality: String,
    pub promise_register: String,
    pub gap_register: String,
}

impl TablesCtx {
    pub fn of(ctx: &Context) -> TablesCtx {
        let internal = ctx.audience == "internal";
        let customer = ctx.audience == "customer";
        TablesCtx {
            not_fully_covered: table(
                &[
                    "promise",
                    "title",
                    "priority",
                    "coverage",
                    "scope",
                    "what was decided",
                ],
                &ctx.not_fully_covered,
                |p, row| uncovered_row(p, customer, row),
            ),
            quality: table(
                &[
                    "promise",
                    "title",
                    "priority",
                    "acceptance criteria",
                    "checked by",
                ],
                &ctx.quality,
                quality_row,
            ),
            promise_register: if internal {
                table(
                    &[
                        "promise",
                        "title",
                        "type",
                        "priority",
                        "commitment",
                        "response",
                        "coverage",
                        "scope",
                        "gaps",
                    ],
                    &ctx.promises,
                    |p, row| promise_row(p, true, row),
                )
            } else {
                table(
                    &[
                        "promise", "title", "type", "priority", "response", "coverage", "scope",
                        "gaps",
                    ],
                    &ctx.promises,
                    |p, row| promise_row(p, false, row),
                )
            },
            gap_register: if internal {
                // The report's and the HTML pack's columns, and after the
                // criticality the customer's view, which the team sees.
                let mut headers = GAP_COLUMNS.to_vec();
                let at = headers
                    .iter()
                    .position(|h| *h == "criticality")
                    .map_or(headers.len(), |i| i + 1);
                headers.insert(at, "customer view");
                table(&headers, &ctx.gaps, |g, row| gap_row(g, true, row))
            } else {
                table(&GAP_COLUMNS, &ctx.gaps, |g, row| gap_row(g, false, row))
            },
        }
    }
}

/// A phase's scope items, with the effort column where effort is shown.
pub fn phase_table(items: &[ScopeItemCtx], shows_effort: bool) -> String {
    let headers: &[&str] = if shows_effort {
        &[
            "scope item",
            "title",
            "covers",
            "approach",
            "effort",
            "owner",
            "due",
        ]
    } else {
        &["scope item", "title", "covers", "approach", "owner", "due"]
    };
    table(headers, items, |s, row| {
        row.cell(Some(&s.id));
        row.filtered(s.title.as_deref());
        if s.coverage == "partial" {
            row.raw(" (partial)");
        }
        row.next();
        row.cell(Some(&s.covers_text));
        row.cell(s.approach);
        if shows_effort {
            row.cell(s.effort.as_deref());
        }
        row.cell(s.owner.as_deref());
        row.cell(s.due.as_deref());
    })
}

fn uncovered_row(p: &UncoveredCtx, customer: bool, row: &mut Row<'_>) {
    row.cell(Some(&p.id));
    row.cell(Some(&p.title));
    row.raw_cell(p.priority);
    row.raw_cell(p.coverage);
    row.cell(Some(&p.scope_text));
    if p.decisions.is_empty() {
        row.raw_cell(if customer {
            "no decision shared yet"
        } else {
            "**no gap recorded: nothing has been decided**"
        });
        return;
    }
    for (i, d) in p.decisions.iter().enumerate() {
        if i > 0 {
            row.raw("; ");
        }
        row.raw(&d.gap);
        row.raw(": ");
        row.filtered(Some(&d.text));
    }
    row.next();
}

fn quality_row(q: &QualityCtx, row: &mut Row<'_>) {
    row.cell(Some(&q.id));
    row.cell(Some(&q.title));
    row.raw_cell(q.priority);
    if q.acceptance.is_empty() {
        row.raw_cell("**none written**");
    } else {
        row.cell(Some(&q.acceptance_text));
    }
    row.cell(Some(&q.scope_checks_text));
}

fn promise_row(p: &PromiseCtx, internal: bool, row: &mut Row<'_>) {
    row.cell(Some(&p.id));
    row.cell(Some(&p.title));
    row.cell(p.kind);
    row.raw_cell(p.priority);
    if internal {
        row.cell(p.commitment);
    }
    row.cell(p.response);
    row.raw(p.coverage);
    if p.status != "active" {
        row.raw(" (");
        row.raw(p.status);
        row.raw(")");
    }
    row.next();
    row.cell(Some(&p.scope_text));
    row.cell(Some(&p.gaps_text));
}

fn gap_row(g: &GapCtx, internal: bool, row: &mut Row<'_>) {
    row.cell(Some(&g.id));
    row.cell(Some(&g.about));
    row.cell(g.kind);
    row.raw_cell(g.criticality);
    if internal {
        row.cell(g.customer_view);
    }
    row.raw_cell(g.status);
    row.cell(g.resolution);
    row.cell(g.owner.as_deref());
    row.cell(g.due.as_deref());
    row.cell(g.agreed_with.as_deref());
    row.cell(g.summary.as_deref());
}

/// `headers`, the separator line and one row per item; empty for no items.
fn table<T>(headers: &[&str], items: &[T], mut row: impl FnMut(&T, &mut Row<'_>)) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    out.push('|');
    for h in headers {
        let _ = write!(out, " {h} |");
    }
    out.push_str("\n|");
    for _ in headers {
        out.push_str("---|");
    }
    for item in items {
        out.push_str("\n|");
        row(
            item,
            &mut Row {
                out: &mut out,
                open: false,
            },
        );
    }
    out
}

/// One row being written after its opening `|`: each cell is a space, its
/// text and ` |`, as the template wrote them.
struct Row<'a> {
    out: &'a mut String,
    /// Whether the current cell has begun (its leading space is written).
    open: bool,
}

impl Row<'_> {
    /// A whole cell through the `cell` filter.
    fn cell(&mut self, value: Option<&str>) {
        self.filtered(value);
        self.next();
    }

    /// A whole cell printed as it is (a vocabulary word or our own text).
    fn raw_cell(&mut self, text: &str) {
        self.raw(text);
        self.next();
    }

    /// Part of a cell through the `cell` filter: trimmed, escaped for a
    /// table, `-` when there is nothing.
    fn filtered(&mut self, value: Option<&str>) {
        self.begin();
        self.out
            .push_str(&markdown::cell_or_dash(value.unwrap_or_default()));
    }

    /// Part of a cell as it is.
    fn raw(&mut self, text: &str) {
        self.begin();
        self.out.push_str(text);
    }

    fn begin(&mut self) {
        if !self.open {
            self.out.push(' ');
            self.open = true;
        }
    }

    /// Ends the cell.
    fn next(&mut self) {
        self.begin();
        self.out.push_str(" |");
        self.open = false;
    }
}
