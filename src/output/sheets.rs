//! The spreadsheet layout of an engagement (docs/spreadsheets.md, format
//! version [`FORMAT_VERSION`]): which sheets, which columns, how each value
//! is written in a cell, and the hidden `_handoff` sheet that lets an
//! import tell what people changed in the sheet from what changed in the
//! files since. `handoff export` writes this layout and `handoff import`
//! reads it; both take it from here, and the columns from the field
//! declarations.

use crate::analysis::Coverage;
use crate::evaluate::Evaluation;
use crate::load::edit::Kind;
use crate::model::Engagement;
use crate::model::audience::{Reader, Shown};
use crate::model::decl::{Declared, FieldDecl, FieldType, KindDecl, Value};
use crate::sheet::{OutBook, OutCell, OutColumn, OutSheet, Style, number_text};

/// The version of the workbook and csv layout; an import refuses another.
pub const FORMAT_VERSION: u32 = 1;

/// The hidden sheet that records what was exported.
pub const META_SHEET: &str = "_handoff";

/// What the first cell of the hidden sheet says, so an import knows it.
pub const META_MARK: &str = "handoff-workbook";

/// How list items are joined in one cell.
pub const LIST_SEPARATOR: &str = "; ";

/// The sheet of a kind of item.
pub fn sheet_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Promise => "Promises",
        Kind::Scope => "Scope",
        Kind::Gap => "Gaps",
        Kind::Stakeholder => "Stakeholders",
    }
}

/// The csv file of a kind of item.
pub fn csv_name(kind: Kind) -> String {
    format!("{}.csv", kind.list_key())
}

/// The kinds in the order of the workbook's sheets.
pub const KINDS: [Kind; 4] = [Kind::Promise, Kind::Scope, Kind::Gap, Kind::Stakeholder];

/// One editable column: a declared field, or a field of a nested record
/// (a promise's `source.kind`).
#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    /// The key, or `record.key`.
    pub path: String,
    /// The record field's key, for a nested one.
    pub sub: Option<&'static str>,
    pub field: &'static FieldDecl,
    /// The declaration of the kind (or record) the field belongs to.
    pub owner: &'static KindDecl,
}

impl Column {
    pub fn ty(&self) -> FieldType {
        self.field.ty
    }
}

/// Every editable column of a kind, in declaration order.
pub fn columns(kind: Kind) -> Vec<Column> {
    let decl = kind.decl();
    let mut out = Vec::new();
    for f in decl.fields {
        match f.ty {
            FieldType::Record(record) => {
                for sub in record.fields {
                    out.push(Column {
                        header: sub.header,
                        path: format!("{}.{}", f.key, sub.key),
                        sub: Some(sub.key),
                        field: sub,
                        owner: record,
                    });
                }
            }
            _ => out.push(Column {
                header: f.header,
                path: f.key.to_string(),
                sub: None,
                field: f,
                owner: decl,
            }),
        }
    }
    out
}

/// The columns a reader may see.
pub fn shown_columns(kind: Kind, shown: &Shown) -> Vec<Column> {
    columns(kind)
        .into_iter()
        .filter(|c| shown.shows(c.owner, c.field.key))
        .collect()
}

/// Read-only columns handoff computes (ignored on import), per kind.
pub fn computed_headers(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Promise => &[
            "Coverage",
            "Covered by",
            "Recorded in gaps",
            "Scoped effort",
        ],
        _ => &[],
    }
}

/// A declared value as the text of a cell, the form every comparison of
/// the import uses: numbers as people write them, dates `yyyy-mm-dd`,
/// booleans `true`/`false`, lists joined with `; `, nothing as "".
pub fn canonical(value: &Value<'_>) -> String {
    match value {
        Value::Absent => String::new(),
        Value::Text(t) => (*t).to_string(),
        Value::Num(n) => number_text(*n),
        Value::Bool(b) => b.to_string(),
        Value::Date(d) => d.to_string(),
        Value::List(items) => items
            .iter()
            .map(canonical)
            .collect::<Vec<_>>()
            .join(LIST_SEPARATOR),
        // Records are flattened into columns before this.
        Value::Record(_) => String::new(),
    }
}

/// A declared value as a cell.
fn cell(value: &Value<'_>) -> OutCell {
    match value {
        Value::Absent => OutCell::Empty,
        Value::Text(t) => OutCell::Text((*t).to_string()),
        Value::Num(n) => OutCell::Number(*n),
        Value::Bool(b) => OutCell::Bool(*b),
        Value::Date(d) => OutCell::Date(*d),
        Value::List(items) if items.is_empty() => OutCell::Empty,
        other => OutCell::Text(canonical(other)),
    }
}

/// The value of a column for one item.
pub fn column_value<'a>(record: &'a Value<'a>, column: &Column) -> &'a Value<'a> {
    let key = column.path.split('.').next().unwrap_or(&column.path);
    let value = record.get(key);
    match column.sub {
        Some(sub) => value.get(sub),
        None => value,
    }
}

/// One item of a kind: its id, declared values as a record, and the file
/// it is written in.
#[derive(Debug)]
pub struct ItemRecord<'e> {
    pub id: &'e str,
    pub record: Value<'e>,
    pub file: &'e str,
}

/// The items of a kind, in file order.
pub fn items(e: &Engagement, kind: Kind) -> Vec<ItemRecord<'_>> {
    match kind {
        Kind::Promise => e
            .promises
            .iter()
            .map(|p| ItemRecord {
                id: &p.id.value,
                record: p.record(),
                file: &p.loc.file,
            })
            .collect(),
        Kind::Scope => e
            .scope
            .iter()
            .map(|s| ItemRecord {
                id: &s.id.value,
                record: s.record(),
                file: &s.loc.file,
            })
            .collect(),
        Kind::Gap => e
            .gaps
            .iter()
            .map(|g| ItemRecord {
                id: &g.id.value,
                record: g.record(),
                file: &g.loc.file,
            })
            .collect(),
        Kind::Stakeholder => e
            .stakeholders
            .iter()
            .map(|k| ItemRecord {
                id: &k.key.value,
                record: k.record(),
                file: &k.loc.file,
            })
            .collect(),
    }
}

/// The vocabulary of a column, for its dropdown: a list of words goes in
/// one cell, so only a single word gets one.
fn choices(ty: FieldType) -> Vec<String> {
    match ty {
        FieldType::Vocab { names, .. } => names.iter().map(|n| (*n).to_string()).collect(),
        _ => Vec::new(),
    }
}

fn note_of(column: &Column) -> Option<String> {
    let mut note = column.field.description.to_string();
    if let FieldType::List(_) = column.ty() {
        note.push_str(" Several values: separate them with \"; \".");
    }
    if let FieldType::List(FieldType::Vocab { names, .. }) = column.ty() {
        note.push_str(&format!(" Allowed: {}.", names.join(", ")));
    }
    Some(note)
}

/// The sheet of one kind: editable columns, then the computed ones.
fn kind_sheet(ev: &Evaluation<'_>, shown: &Shown, kind: Kind) -> (OutSheet, Vec<Vec<String>>) {
    let cols = shown_columns(kind, shown);
    let mut columns: Vec<OutColumn> = cols
        .iter()
        .map(|c| OutColumn {
            header: c.header.to_string(),
            style: Style::Editable,
            width: 0.0,
            choices: choices(c.ty()),
            text: matches!(
                c.ty(),
                FieldType::Text | FieldType::IdRef(_) | FieldType::PersonRef | FieldType::List(_)
            ),
            note: note_of(c),
        })
        .collect();
    let computed = computed_for(ev, shown, kind);
    for header in &computed.headers {
        columns.push(OutColumn {
            header: (*header).to_string(),
            style: Style::ReadOnly,
            width: 0.0,
            choices: Vec::new(),
            text: false,
            note: Some("Computed by handoff; changes here are ignored on import.".into()),
        });
    }
    let mut rows = Vec::new();
    let mut base = Vec::new();
    for (i, item) in items(&shown.engagement, kind).iter().enumerate() {
        let mut row: Vec<OutCell> = cols
            .iter()
            .map(|c| cell(column_value(&item.record, c)))
            .collect();
        row.extend(computed.rows.get(i).cloned().unwrap_or_default());
        rows.push(row);
        for c in &cols {
            base.push(vec![
                sheet_name(kind).to_string(),
                item.id.to_string(),
                c.path.to_string(),
                canonical(column_value(&item.record, c)),
            ]);
        }
    }
    (
        OutSheet {
            name: sheet_name(kind).to_string(),
            hidden: false,
            columns,
            rows,
        },
        base,
    )
}

/// The computed columns of a kind and their cells, row by row.
struct Computed {
    headers: Vec<&'static str>,
    rows: Vec<Vec<OutCell>>,
}

fn computed_for(ev: &Evaluation<'_>, shown: &Shown, kind: Kind) -> Computed {
    if kind != Kind::Promise {
        return Computed {
            headers: Vec::new(),
            rows: Vec::new(),
        };
    }
    let all = computed_headers(kind);
    let headers: Vec<&'static str> = if shown.shows_effort() {
        all.to_vec()
    } else {
        all[..3].to_vec()
    };
    // Judged on the whole engagement (a document never judges less than
    // `check`), shown from what the reader may see.
    let index = &ev.analysis.index;
    let visible_scope: std::collections::HashSet<&str> = shown
        .engagement
        .scope
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    let visible_gaps: std::collections::HashSet<&str> = shown
        .engagement
        .gaps
        .iter()
        .map(|g| g.id.as_str())
        .collect();
    let rows = shown
        .engagement
        .promises
        .iter()
        .map(|p| {
            let coverage = index.coverage(p);
            let covering: Vec<&str> = index
                .covering
                .get(p.id.as_str())
                .map(|items| items.iter().map(|s| s.id.as_str()).collect())
                .unwrap_or_default();
            let covering: Vec<&str> = covering
                .into_iter()
                .filter(|id| visible_scope.contains(id))
                .collect();
            let gaps: Vec<&str> = index
                .gaps_by_promise
                .get(p.id.as_str())
                .map(|gs| gs.iter().map(|g| g.id.as_str()).collect())
                .unwrap_or_default();
            let gaps: Vec<&str> = gaps
                .into_iter()
                .filter(|id| visible_gaps.contains(id))
                .collect();
            let mut row = vec![
                OutCell::Text(coverage_words(coverage).to_string()),
                text_or_empty(covering.join(LIST_SEPARATOR)),
                text_or_empty(gaps.join(LIST_SEPARATOR)),
            ];
            if shown.shows_effort() {
                row.push(OutCell::Number(crate::format::round(
                    index.scoped_effort_for(&p.id),
                    2,
                )));
            }
            row
        })
        .collect();
    Computed { headers, rows }
}

fn text_or_empty(text: String) -> OutCell {
    if text.is_empty() {
        OutCell::Empty
    } else {
        OutCell::Text(text)
    }
}

fn coverage_words(coverage: Coverage) -> &'static str {
    match coverage {
        Coverage::Covered => "covered",
        Coverage::Partial => "partial",
        Coverage::Unscoped => "unscoped",
        Coverage::NotApplicable => "n/a",
    }
}

/// A two-column sheet of labels and values.
fn pairs(name: &str, rows: Vec<(&str, OutCell)>) -> OutSheet {
    OutSheet {
        name: name.to_string(),
        hidden: false,
        columns: vec![
            OutColumn {
                header: "What".into(),
                style: Style::ReadOnly,
                width: 28.0,
                ..OutColumn::default()
            },
            OutColumn {
                header: "Value".into(),
                style: Style::ReadOnly,
                width: 40.0,
                ..OutColumn::default()
            },
        ],
        rows: rows
            .into_iter()
            .map(|(label, value)| vec![OutCell::Text(label.to_string()), value])
            .collect(),
    }
}

fn num(n: Option<f64>) -> OutCell {
    n.map_or(OutCell::Empty, |n| {
        OutCell::Number(crate::format::round(n, 2))
    })
}

fn summary(ev: &Evaluation<'_>, shown: &Shown) -> OutSheet {
    let e = &shown.engagement;
    let figures = ev.analysis.figures.rounded();
    let text = |t: &str| OutCell::Text(t.to_string());
    let count = |n: usize| OutCell::Number(n as f64);
    let mut rows = vec![
        ("Engagement id", text(e.id())),
        (
            "Engagement",
            e.handoff.name.as_deref().map_or(OutCell::Empty, text),
        ),
        (
            "Customer",
            e.handoff
                .customer_name
                .as_deref()
                .map_or(OutCell::Empty, text),
        ),
        ("Audience", text(shown.view.reader.as_str())),
        ("Promises", count(e.promises.len())),
        ("Covered", count(figures.coverage.covered)),
        ("Partly covered", count(figures.coverage.partial)),
        ("Unscoped", count(figures.coverage.unscoped)),
        ("Scope items", count(e.scope.len())),
        ("Gaps", count(e.gaps.len())),
        (
            "Open gaps",
            count(e.gaps.iter().filter(|g| !g.is_decided()).count()),
        ),
        ("Stakeholders", count(e.stakeholders.len())),
    ];
    if shown.view.reader == Reader::Internal {
        rows.push(("Verdict", text(ev.verdict.as_str())));
        rows.push(("Errors", count(ev.counts.errors)));
        rows.push(("Warnings", count(ev.counts.warnings)));
    }
    if shown.shows_effort() {
        rows.push(("Effort unit", text(e.handoff.effort.unit_name())));
        rows.push(("Effort sold", num(figures.effort_sold)));
        rows.push(("Effort scoped", num(Some(figures.effort_scoped))));
    }
    if shown.shows_margins() {
        rows.push(("Margin sold", num(figures.margin_sold)));
        rows.push(("Margin scoped", num(figures.margin_scoped)));
    }
    pairs("Summary", rows)
}

fn findings(ev: &Evaluation<'_>) -> OutSheet {
    let header = |h: &str| OutColumn {
        header: h.to_string(),
        style: Style::ReadOnly,
        ..OutColumn::default()
    };
    OutSheet {
        name: "Findings".into(),
        hidden: false,
        columns: vec![
            header("Severity"),
            header("Rule"),
            header("Item"),
            header("Message"),
            header("Where"),
        ],
        rows: ev
            .findings
            .iter()
            .map(|f| {
                vec![
                    OutCell::Text(f.severity.to_string()),
                    OutCell::Text(f.code.as_str().to_string()),
                    OutCell::Text(f.item.clone()),
                    OutCell::Text(f.message.clone()),
                    OutCell::Text(ev.engagement().relative(&f.loc)),
                ]
            })
            .collect(),
    }
}

/// The hidden sheet: what was exported, so an import can tell the
/// changes made in the sheet.
fn meta(e: &Engagement, shown: &Shown, base: Vec<Vec<String>>) -> OutSheet {
    let text = |t: &str| OutCell::Text(t.to_string());
    let mut rows = vec![
        vec![text(META_MARK), text(&FORMAT_VERSION.to_string())],
        vec![text("engagement"), text(e.id())],
        vec![text("audience"), text(shown.view.reader.as_str())],
        vec![
            text("private"),
            text(if shown.view.include_private {
                "true"
            } else {
                "false"
            }),
        ],
        vec![text("sheet"), text("id"), text("field"), text("value")],
    ];
    rows.extend(base.into_iter().map(|r| {
        r.into_iter()
            .map(|t| {
                if t.is_empty() {
                    OutCell::Empty
                } else {
                    OutCell::Text(t)
                }
            })
            .collect()
    }));
    OutSheet {
        name: META_SHEET.into(),
        hidden: true,
        columns: Vec::new(),
        rows,
    }
}

/// The whole workbook for `shown`'s reader.
pub fn workbook(ev: &Evaluation<'_>, shown: &Shown, file_name: &str) -> OutBook {
    let mut sheets = vec![summary(ev, shown)];
    let mut base = Vec::new();
    for kind in KINDS {
        let (sheet, rows) = kind_sheet(ev, shown, kind);
        sheets.push(sheet);
        base.extend(rows);
    }
    // Finding messages are the team's own words about the deal.
    if shown.view.reader == Reader::Internal {
        sheets.push(findings(ev));
    }
    sheets.push(meta(ev.engagement(), shown, base));
    OutBook {
        file_name: file_name.to_string(),
        sheets,
    }
}

/// One csv sheet per kind: the editable columns only (a csv file is a
/// plain import, so computed columns would only be in the way).
pub fn csv_sheets(shown: &Shown) -> Vec<(String, OutSheet)> {
    KINDS
        .iter()
        .map(|&kind| {
            let cols = shown_columns(kind, shown);
            let rows = items(&shown.engagement, kind)
                .iter()
                .map(|item| {
                    cols.iter()
                        .map(|c| match column_value(&item.record, c) {
                            Value::Absent => OutCell::Empty,
                            v => OutCell::Text(canonical(v)),
                        })
                        .collect()
                })
                .collect();
            (
                csv_name(kind),
                OutSheet {
                    name: kind.list_key().to_string(),
                    hidden: false,
                    columns: cols
                        .iter()
                        .map(|c| OutColumn {
                            header: c.header.to_string(),
                            ..OutColumn::default()
                        })
                        .collect(),
                    rows,
                },
            )
        })
        .collect()
}

/// The header row of a kind's sheet as text, for the layout's snapshot
/// and docs: editable headers, then computed ones in brackets.
pub fn header_line(kind: Kind) -> String {
    let mut headers: Vec<String> = columns(kind).iter().map(|c| c.header.to_string()).collect();
    headers.extend(computed_headers(kind).iter().map(|h| format!("[{h}]")));
    headers.join(" | ")
}

/// A vocabulary word check for a cell, with the loader's hints.
pub fn vocab_help(text: &str, names: &[&str]) -> String {
    match crate::load::hints::synonym(text, names).or_else(|| crate::diag::suggest(text, names)) {
        Some(close) => format!("did you mean `{close}`? allowed: {}", names.join(", ")),
        None => format!("allowed: {}", names.join(", ")),
    }
}

/// Every field declaration reached from the sheets, for tests.
pub fn all_columns() -> Vec<(Kind, Column)> {
    KINDS
        .iter()
        .flat_map(|&k| columns(k).into_iter().map(move |c| (k, c)))
        .collect()
}
