//! A compliance matrix, read into a grid, turned into the promises its map
//! says: one per requirement row, heading rows as tags, answers through
//! `[codes]`, efforts in the engagement's unit. Every problem of the
//! matrix is collected, each at its cell; nothing here reads or writes a
//! file.

use std::collections::HashMap;

use super::grid::{Cell, CellRef, Matrix, Sheet};
use super::map::{Field, Map, normalize};
use crate::model::{EffortUnit, Priority, PromiseType, Response, Vocab};

/// How many hours make a day when a matrix's efforts are in the other
/// unit than the engagement's (the contract in docs/rfp.md).
pub const HOURS_PER_DAY: f64 = 8.0;

/// Where the title of a promise is cut when the matrix gives none: at a
/// word boundary at or before this many characters.
pub const TITLE_CHARS: usize = 80;

/// One requirement row, as the promise it becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The id cell.
    pub at: CellRef,
    pub id: String,
    pub title: String,
    pub asked: Option<String>,
    pub promised: Option<String>,
    pub response: Response,
    pub priority: Option<Priority>,
    pub kind: Option<PromiseType>,
    /// In the engagement's unit.
    pub sold_effort: Option<f64>,
    /// The tag of the heading the row is under.
    pub heading: Option<String>,
    /// `<file> › <sheet> › <id>`, or `<file> › <id>` for a csv file.
    pub source_ref: String,
}

/// A problem of the matrix, at its cell when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: Option<CellRef>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn at(at: CellRef, message: String) -> Problem {
        Problem {
            at: Some(at),
            message,
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// What a matrix says, and what is wrong with it.
#[derive(Debug, Default)]
pub struct Converted {
    pub requirements: Vec<Requirement>,
    /// Every heading tag met, in order: a re-import drops these from a
    /// promise that moved to another heading, and keeps other tags.
    pub heading_tags: Vec<String>,
    /// The sheets read (none for a csv file).
    pub sheets: Vec<String>,
    pub warnings: Vec<Problem>,
    /// Any of these: nothing is written.
    pub errors: Vec<Problem>,
}

/// The columns of one sheet's header row: field → column index.
struct Header {
    row: usize,
    columns: Vec<(Field, usize)>,
}

impl Header {
    fn col(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }
}

/// Converts `matrix` with `map`, efforts converted to `unit`.
pub fn convert(matrix: &Matrix, map: &Map, unit: EffortUnit) -> Converted {
    let mut out = Converted::default();
    let sheets = choose_sheets(matrix, map, &mut out);
    // First cell of each id, for duplicates across rows and sheets.
    let mut seen: HashMap<String, CellRef> = HashMap::new();
    for (sheet, header) in sheets {
        if let Some(name) = &sheet.name {
            out.sheets.push(name.clone());
        }
        // Headings do not carry over from one sheet to the next: each
        // sheet of a split matrix starts its own sections.
        let mut heading: Option<String> = None;
        for row in header.row + 1..sheet.rows.len() {
            convert_row(
                matrix,
                map,
                unit,
                sheet,
                &header,
                row,
                &mut heading,
                &mut seen,
                &mut out,
            );
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn convert_row(
    matrix: &Matrix,
    map: &Map,
    unit: EffortUnit,
    sheet: &Sheet,
    header: &Header,
    row: usize,
    heading: &mut Option<String>,
    seen: &mut HashMap<String, CellRef>,
    out: &mut Converted,
) {
    let cell_at = |field: Field| {
        header
            .col(field)
            .map(|c| (sheet.cell(row, c), CellRef::new(matrix, sheet, row, c)))
    };
    // Text of a mapped cell, `None` when blank or a bad character was
    // reported.
    let text_of = |field: Field, out: &mut Converted| -> Option<String> {
        let (cell, at) = cell_at(field)?;
        clean_text(cell, &at, out)
    };
    let id_col = header.col(Field::Id).unwrap_or(0);
    let id_at = CellRef::new(matrix, sheet, row, id_col);
    let Some(id) = text_of(Field::Id, out) else {
        // No id: not a requirement. An answer on such a row is one the
        // import would silently drop, so it is said.
        if let Some((cell, at)) = cell_at(Field::Response)
            && !cell.is_blank()
        {
            out.warnings.push(
                Problem::at(
                    at,
                    format!(
                        "row {} has an answer (`{}`) but no id: it is not imported",
                        row + 1,
                        cell.text()
                    ),
                )
                .help("give the row an id, or clear the answer"),
            );
        }
        return;
    };
    let others_blank = header
        .columns
        .iter()
        .filter(|(f, _)| *f != Field::Id)
        .all(|(_, c)| sheet.cell(row, *c).is_blank());
    let numbered_heading = map.heading_id.as_ref().is_some_and(|re| re.is_match(&id));
    if numbered_heading || others_blank {
        // Grey rows numbered `AP 1.00` carry their text in the requirement
        // column; whole-text headings (`AP 1.00 Invoice processing`) in
        // the first cell.
        let text = if numbered_heading {
            text_of(Field::Asked, out).unwrap_or(id)
        } else {
            id
        };
        let tag = heading_tag(&text);
        if !tag.is_empty() {
            if !out.heading_tags.contains(&tag) {
                out.heading_tags.push(tag.clone());
            }
            *heading = Some(tag);
        }
        return;
    }
    if let Some(first) = seen.get(&id) {
        out.errors.push(
            Problem::at(id_at, format!("the id `{id}` is used twice: first at {first}"))
                .help("every requirement needs its own id; a promise is matched by it when the matrix is imported again"),
        );
        return;
    }
    seen.insert(id.clone(), id_at.clone());

    let asked = text_of(Field::Asked, out);
    let title = text_of(Field::Title, out).or_else(|| asked.as_deref().map(title_of));
    let Some(title) = title.filter(|t| !t.is_empty()) else {
        // A cell refused above (a control character) is not also blank.
        let refused = |field: Field| cell_at(field).is_some_and(|(cell, _)| !cell.is_blank());
        if refused(Field::Asked) || refused(Field::Title) {
            return;
        }
        let at = cell_at(Field::Asked).map_or(id_at, |(_, at)| at);
        out.errors.push(
            Problem::at(
                at,
                format!("requirement {id} has no text: a promise needs a title"),
            )
            .help("write the requirement in the cell, or map a title column"),
        );
        return;
    };

    let response = match cell_at(Field::Response) {
        Some((cell, at)) if cell.is_blank() => {
            out.warnings.push(
                Problem::at(at, format!("requirement {id} has no answer: imported as `exception`"))
                    .help("the buyer reads a blank as \"cannot meet\"; answer it in the matrix, or keep it an exception"),
            );
            Some(Response::Exception)
        }
        Some((cell, at)) => {
            let answer = cell.text();
            let response = map.response_for(&answer);
            if response.is_none() {
                let codes: Vec<&str> = map.codes.iter().map(|c| c.written.as_str()).collect();
                out.errors.push(
                    Problem::at(at, format!("requirement {id}: the answer `{answer}` is not in [codes]; the mapped codes are {}", codes.join(", ")))
                        .help(format!("add it to [codes] in the map, e.g. {} = \"custom\"", toml_key(&answer))),
                );
            }
            response
        }
        None => None,
    };

    let sold_effort =
        cell_at(Field::SoldEffort).and_then(|(cell, at)| effort(cell, &at, &id, map, unit, out));

    let priority = cell_at(Field::Priority).and_then(|(cell, at)| {
        if cell.is_blank() {
            return None;
        }
        let written = cell.text();
        let priority = map.priority_for(&written);
        if priority.is_none() {
            let allowed = if map.priorities.is_empty() {
                format!(
                    "with no [priorities] table the cell must hold one of: {}",
                    Priority::NAMES.join(", ")
                )
            } else {
                let values: Vec<&str> = map.priorities.iter().map(|c| c.written.as_str()).collect();
                format!("the mapped priorities are {}", values.join(", "))
            };
            out.errors.push(
                Problem::at(
                    at,
                    format!("requirement {id}: the priority `{written}` is not mapped; {allowed}"),
                )
                .help("add it to [priorities] in the map"),
            );
        }
        priority
    });

    let kind = cell_at(Field::Type).and_then(|(cell, at)| {
        if cell.is_blank() {
            return None;
        }
        let written = cell.text();
        let kind = PromiseType::parse(&normalize(&written).replace(' ', "_"));
        if kind.is_none() {
            out.errors.push(Problem::at(
                at,
                format!(
                    "requirement {id}: `{written}` is not a promise type; one of: {}",
                    PromiseType::NAMES.join(", ")
                ),
            ));
        }
        kind
    });

    let promised = text_of(Field::Promised, out);
    let source_ref = match &sheet.name {
        Some(name) => format!("{} › {name} › {id}", matrix.file),
        None => format!("{} › {id}", matrix.file),
    };
    if let Some(response) = response {
        out.requirements.push(Requirement {
            at: id_at,
            id,
            title,
            asked,
            promised,
            response,
            priority,
            kind,
            sold_effort,
            heading: heading.clone(),
            source_ref,
        });
    }
}

/// The sheets to read with their header rows; problems when none fits.
fn choose_sheets<'m>(
    matrix: &'m Matrix,
    map: &Map,
    out: &mut Converted,
) -> Vec<(&'m Sheet, Header)> {
    let candidates: Vec<&Sheet> = match (&map.sheet, matrix.sheets.as_slice()) {
        // A csv file is one sheet: the map's `sheet` names a workbook's.
        (_, [only]) if only.name.is_none() => vec![only],
        (Some(wanted), sheets) => {
            let found: Vec<&Sheet> = sheets
                .iter()
                .filter(|s| {
                    s.name
                        .as_deref()
                        .is_some_and(|n| normalize(n) == normalize(wanted))
                })
                .collect();
            if found.is_empty() {
                let names: Vec<&str> = sheets.iter().filter_map(|s| s.name.as_deref()).collect();
                out.errors.push(Problem {
                    at: None,
                    message: format!("{} has no sheet \"{wanted}\"; its sheets are: {}", matrix.file, names.join(", ")),
                    help: Some("set `sheet` in the map to one of them, or remove it to read every sheet with the mapped columns".into()),
                });
            }
            found
        }
        (None, sheets) => sheets.iter().collect(),
    };
    let mut chosen = Vec::new();
    let mut misses = Vec::new();
    for sheet in candidates {
        match find_header(sheet, map) {
            Ok(header) => chosen.push((sheet, header)),
            Err(miss) => misses.push((sheet, miss)),
        }
    }
    let told = |sheet: &Sheet| {
        sheet
            .name
            .as_ref()
            .map_or(matrix.file.clone(), |n| format!("{} › {n}", matrix.file))
    };
    if chosen.is_empty() {
        // The sheets that hold some of the headers are the matrix; an
        // instructions or cover sheet would only bury them.
        let partial = misses.iter().any(|(_, miss)| !miss.found.is_empty());
        for (sheet, miss) in &misses {
            if !partial || !miss.found.is_empty() {
                out.errors.push(miss.problem(&told(sheet), map));
            }
        }
        if misses.is_empty() && out.errors.is_empty() {
            out.errors.push(Problem {
                at: None,
                message: format!("{} holds no sheet", matrix.file),
                help: None,
            });
        }
    } else {
        // A sheet that has some of the headers is likely a part of the
        // matrix whose header was retyped: skipping it silently would drop
        // its requirements.
        for (sheet, miss) in &misses {
            if miss.found.len() >= 2 || map.sheet.is_some() {
                out.warnings.push(miss.problem(&told(sheet), map));
            }
        }
    }
    chosen
}

/// Why a sheet has no header row: the best row and what it lacks.
struct Miss {
    /// One-based row, when a row had some of the headers.
    row: Option<usize>,
    found: Vec<Field>,
    /// `header_row` was given and this is that row.
    fixed: bool,
}

impl Miss {
    fn problem(&self, sheet: &str, map: &Map) -> Problem {
        let missing: Vec<String> = map
            .columns
            .iter()
            .filter(|c| !self.found.contains(&c.field))
            .map(|c| format!("\"{}\" ({})", c.header, c.field.key()))
            .collect();
        let message = match (self.row, self.fixed) {
            (Some(row), true) => format!(
                "{sheet}: row {row} (header_row) lacks the mapped column{} {}",
                plural(missing.len()),
                missing.join(", ")
            ),
            (Some(row), false) => format!(
                "{sheet}: no row holds every mapped column; row {row} comes closest but lacks {}",
                missing.join(", ")
            ),
            (None, _) => format!(
                "{sheet}: no row holds any mapped column header; looked for {}",
                missing.join(", ")
            ),
        };
        Problem {
            at: None,
            message,
            help: Some("the headers are compared without case and surrounding spaces: correct them in [columns] of the map".into()),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn find_header(sheet: &Sheet, map: &Map) -> Result<Header, Miss> {
    let rows: Vec<usize> = match map.header_row {
        Some(row) => vec![row - 1],
        None => (0..sheet.rows.len()).collect(),
    };
    let mut best: Option<(usize, Vec<Field>)> = None;
    for row in rows {
        let Some(cells) = sheet.rows.get(row) else {
            break;
        };
        let mut columns = Vec::new();
        for column in &map.columns {
            let wanted = normalize(&column.header);
            if let Some((c, _)) = cells
                .cells()
                .find(|(_, cell)| matches!(cell, Cell::Text(t) if normalize(t) == wanted))
            {
                columns.push((column.field, c));
            }
        }
        if columns.len() == map.columns.len() {
            return Ok(Header { row, columns });
        }
        if !columns.is_empty() && best.as_ref().is_none_or(|(_, f)| f.len() < columns.len()) {
            best = Some((row, columns.iter().map(|(f, _)| *f).collect()));
        }
    }
    Err(Miss {
        row: best.as_ref().map(|(row, _)| row + 1).or(map.header_row),
        found: best.map(|(_, f)| f).unwrap_or_default(),
        fixed: map.header_row.is_some(),
    })
}

/// A cell's text for a promise: line breaks kept (as `\n`), other
/// control characters refused at their cell.
fn clean_text(cell: &Cell, at: &CellRef, out: &mut Converted) -> Option<String> {
    let text = cell.text().replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        out.errors.push(
            Problem::at(
                at.clone(),
                format!(
                    "the cell holds a control character (U+{:04X}), which is not text",
                    u32::from(c)
                ),
            )
            .help("remove it: a terminal would act on it instead of showing it"),
        );
        return None;
    }
    (!text.is_empty()).then_some(text)
}

fn effort(
    cell: &Cell,
    at: &CellRef,
    id: &str,
    map: &Map,
    unit: EffortUnit,
    out: &mut Converted,
) -> Option<f64> {
    let value = match cell {
        Cell::Number(n) => *n,
        Cell::Empty => return None,
        other => {
            let text = other.text();
            if text.is_empty() {
                return None;
            }
            if let Ok(n) = text.parse::<f64>() {
                n
            } else {
                let mut problem = Problem::at(
                    at.clone(),
                    format!("requirement {id}: the sold effort `{text}` is not a number"),
                );
                problem = problem.help(crate::load::hints::number(&text).unwrap_or_else(|| {
                    "write a number of hours or days, or leave the cell empty".into()
                }));
                out.errors.push(problem);
                return None;
            }
        }
    };
    if !value.is_finite() || value < 0.0 {
        out.errors.push(Problem::at(
            at.clone(),
            format!(
                "requirement {id}: the sold effort {} is not zero or more",
                cell.text()
            ),
        ));
        return None;
    }
    Some(match (map.effort_unit.unwrap_or(unit), unit) {
        (EffortUnit::Hours, EffortUnit::Days) => value / HOURS_PER_DAY,
        (EffortUnit::Days, EffortUnit::Hours) => value * HOURS_PER_DAY,
        _ => value,
    })
}

/// A heading's text as a tag: the section number in front dropped
/// (`AP 1.00`, `3.1`, `Section 4:`), lower case, words joined with `-`.
pub fn heading_tag(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    // The numbering is one token with a digit, after at most one short
    // prefix word (`AP`, `Section`); it is not part of the name.
    let skip = match words.as_slice() {
        [first, ..] if is_number_token(first) => 1,
        [first, second, ..] if is_prefix_word(first) && is_number_token(second) => 2,
        _ => 0,
    };
    let rest = if words.len() > skip {
        &words[skip..]
    } else {
        &words[..]
    };
    let mut tag = String::new();
    for word in rest.join(" ").split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !tag.is_empty() {
            tag.push('-');
        }
        tag.push_str(&word.to_lowercase());
    }
    tag
}

fn is_number_token(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:)(".contains(c))
        && word.chars().filter(char::is_ascii_alphabetic).count() <= 1
}

fn is_prefix_word(word: &str) -> bool {
    let upper = word.len() <= 4 && word.chars().all(|c| c.is_ascii_uppercase());
    upper || ["section", "part", "chapter"].contains(&word.to_lowercase().as_str())
}

/// The title a promise gets from the buyer's words: the first sentence,
/// cut at a word at or before [`TITLE_CHARS`] characters (with `…`).
pub fn title_of(asked: &str) -> String {
    let sentence = first_sentence(asked);
    if sentence.chars().count() <= TITLE_CHARS {
        return sentence.to_string();
    }
    let mut cut = 0;
    for (i, c) in sentence.char_indices() {
        if sentence[..i].chars().count() > TITLE_CHARS {
            break;
        }
        if c.is_whitespace() {
            cut = i;
        }
    }
    if cut == 0 {
        // One word longer than a title: cut inside it.
        cut = sentence
            .char_indices()
            .nth(TITLE_CHARS)
            .map_or(sentence.len(), |(i, _)| i);
    }
    format!(
        "{}…",
        sentence[..cut].trim_end_matches([',', ';', ':', ' '])
    )
}

/// Up to the end of the first sentence (`. `, `? `, `! ` or a line
/// break), without a final full stop. Abbreviations such as `e.g.` and
/// numbers such as `3.1` do not end a sentence.
fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    let text = text.split('\n').next().unwrap_or(text).trim();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (k, (i, c)) in bytes.iter().enumerate() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let next = bytes.get(k + 1).map(|(_, c)| *c);
        if next.is_some_and(|n| !n.is_whitespace()) {
            continue;
        }
        if *c == '.' {
            let word = text[..*i].rsplit(char::is_whitespace).next().unwrap_or("");
            let lower = word.to_lowercase();
            if [
                "e.g", "i.e", "etc", "vs", "approx", "incl", "no", "nr", "min", "max",
            ]
            .contains(&lower.as_str())
                || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
            {
                continue;
            }
        }
        let end = if *c == '.' { *i } else { i + c.len_utf8() };
        return text[..end].trim_end();
    }
    text.trim_end_matches('.')
}

/// An answer as a TOML key for the help line: bare when it can be.
fn toml_key(answer: &str) -> String {
    if !answer.is_empty()
        && answer
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        answer.to_string()
    } else {
        format!("\"{}\"", answer.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::rfp::grid::Row as GridRow;

    fn map(text: &str) -> Map {
        Map::parse(text, &Arc::from("MAP.toml")).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn sheet(name: Option<&str>, rows: &[&[&str]]) -> Sheet {
        Sheet {
            name: name.map(str::to_string),
            rows: rows
                .iter()
                .map(|r| {
                    GridRow::from_cells(
                        r.iter()
                            .map(|c| {
                                if c.is_empty() {
                                    Cell::Empty
                                } else {
                                    Cell::Text((*c).to_string())
                                }
                            })
                            .collect(),
                    )
                })
                .collect(),
        }
    }

    /// id, response, heading tag, sold effort, priority.
    type Row<'a> = (
        &'a str,
        Response,
        Option<&'a str>,
        Option<f64>,
        Option<Priority>,
    );

    const ERP_MAP: &str = r#"
heading_id = '\.00$'
[columns]
id = "Reference Number"
asked = "Business Requirements"
response = "Vendor Response"
sold_effort = "Hours to Modify"
effort_unit = "hours"
priority = "Requirement Type"
[codes]
S = "standard"
M = "custom"
C = "custom"
T = "third_party"
F = "roadmap"
N = "exception"
[priorities]
Mandatory = "must"
Desirable = "should"
"#;

    /// Converts `matrix` with the ERP map and returns its only error: the
    /// tests below each break one thing and expect exactly one problem.
    fn the_one_error(matrix: &Matrix) -> Problem {
        let mut out = convert(matrix, &map(ERP_MAP), EffortUnit::Days);
        assert_eq!(out.errors.len(), 1, "{:?}", out.errors);
        out.errors.remove(0)
    }

    fn erp() -> Matrix {
        let header: &[&str] = &[
            "Reference Number",
            "Business Requirements",
            "Requirement Type",
            "Vendor Response",
            "Hours to Modify",
        ];
        Matrix {
            file: "erp.xlsx".into(),
            sheets: vec![
                sheet(Some("Instructions"), &[&["Answer every line."]]),
                sheet(
                    Some("Accounts Payable"),
                    &[
                        &["City of Example - ERP RFP"],
                        &[],
                        header,
                        &["AP 1.00", "Invoice processing"],
                        &[
                            "AP 1.01",
                            "Three-way match of invoice, PO and receipt. Tolerances are set per vendor.",
                            "Mandatory",
                            "S",
                            "",
                        ],
                        &[
                            "AP 1.02",
                            "Invoices scanned with OCR",
                            "Desirable",
                            "t",
                            "16",
                        ],
                        &["AP 2.00", "Vendor Payments"],
                        &[
                            "AP 2.01",
                            "Positive pay file to the bank",
                            "Mandatory",
                            "M",
                            "40",
                        ],
                    ],
                ),
                sheet(
                    Some("General Ledger"),
                    &[
                        header,
                        &["GL 1.01", "Multiple fiscal calendars", "Mandatory", "F", ""],
                        &["3.10", "Budget checking", "Mandatory", "", ""],
                    ],
                ),
            ],
        }
    }

    #[test]
    fn a_letter_coded_matrix_over_two_sheets_becomes_its_promises() {
        let out = convert(&erp(), &map(ERP_MAP), EffortUnit::Days);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let got: Vec<Row<'_>> = out
            .requirements
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.response,
                    r.heading.as_deref(),
                    r.sold_effort,
                    r.priority,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "AP 1.01",
                    Response::Standard,
                    Some("invoice-processing"),
                    None,
                    Some(Priority::Must)
                ),
                (
                    "AP 1.02",
                    Response::ThirdParty,
                    Some("invoice-processing"),
                    Some(2.0),
                    Some(Priority::Should)
                ),
                (
                    "AP 2.01",
                    Response::Custom,
                    Some("vendor-payments"),
                    Some(5.0),
                    Some(Priority::Must)
                ),
                (
                    "GL 1.01",
                    Response::Roadmap,
                    None,
                    None,
                    Some(Priority::Must)
                ),
                (
                    "3.10",
                    Response::Exception,
                    None,
                    None,
                    Some(Priority::Must)
                ),
            ]
        );
        assert_eq!(
            out.requirements[0].title,
            "Three-way match of invoice, PO and receipt"
        );
        assert_eq!(
            out.requirements[0].source_ref,
            "erp.xlsx › Accounts Payable › AP 1.01"
        );
        assert_eq!(out.sheets, ["Accounts Payable", "General Ledger"]);
        // The blank answer is said, at its cell.
        assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
        assert_eq!(
            out.warnings[0]
                .at
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("erp.xlsx › General Ledger › D3")
        );
    }

    #[test]
    fn an_unmapped_answer_and_a_bad_effort_are_errors_at_their_cells() {
        let mut matrix = erp();
        matrix.sheets[1].rows[4].set(3, Cell::Text("Y".into()));
        matrix.sheets[1].rows[5].set(4, Cell::Text("2 days".into()));
        let out = convert(&matrix, &map(ERP_MAP), EffortUnit::Days);
        let errors: Vec<String> = out
            .errors
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.at.as_ref().map(ToString::to_string).unwrap_or_default(),
                    p.message
                )
            })
            .collect();
        assert_eq!(
            errors,
            [
                "erp.xlsx › Accounts Payable › D5: requirement AP 1.01: the answer `Y` is not in [codes]; the mapped codes are S, M, C, T, F, N",
                "erp.xlsx › Accounts Payable › E6: requirement AP 1.02: the sold effort `2 days` is not a number",
            ]
        );
    }

    #[test]
    fn a_whole_text_heading_in_the_first_cell_is_a_tag() {
        let m = map(r#"
[columns]
id = "Req #"
asked = "Requirement"
response = "Response"
[codes]
Yes = "standard"
"Customization Required" = "custom"
No = "exception"
Alternate = "partial"
"#);
        let matrix = Matrix {
            file: "county.csv".into(),
            sheets: vec![sheet(
                None,
                &[
                    &["County logo"],
                    &["Request for Proposal 2026-14"],
                    &[],
                    &[],
                    &["Req #", "Requirement", "Response", "Notes"],
                    &["1.0 General & Security Requirements"],
                    &["1.1", "Single sign-on with the county directory", "yes"],
                    &[
                        "1.2",
                        "Audit trail of every change",
                        " customization required ",
                    ],
                ],
            )],
        };
        let out = convert(&matrix, &m, EffortUnit::Days);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let got: Vec<(&str, Response, Option<&str>, &str)> = out
            .requirements
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.response,
                    r.heading.as_deref(),
                    r.source_ref.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "1.1",
                    Response::Standard,
                    Some("general-security-requirements"),
                    "county.csv › 1.1"
                ),
                (
                    "1.2",
                    Response::Custom,
                    Some("general-security-requirements"),
                    "county.csv › 1.2"
                ),
            ]
        );
    }

    #[test]
    fn a_missing_header_names_the_closest_row_and_what_it_lacks() {
        let mut matrix = erp();
        matrix.sheets.remove(2);
        matrix.sheets[1].rows[2].set(3, Cell::Text("Response".into()));
        let problem = the_one_error(&matrix);
        assert!(
            problem
                .message
                .contains("row 3 comes closest but lacks \"Vendor Response\" (response)"),
            "{problem:?}"
        );
    }

    #[test]
    fn a_duplicate_id_names_its_first_cell() {
        let mut matrix = erp();
        matrix.sheets[2].rows[1].set(0, Cell::Text("AP 1.01".into()));
        let problem = the_one_error(&matrix);
        assert!(
            problem
                .message
                .contains("first at erp.xlsx › Accounts Payable › A5"),
            "{problem:?}"
        );
    }

    #[test]
    fn hours_stay_hours_in_an_engagement_counted_in_hours() {
        let out = convert(&erp(), &map(ERP_MAP), EffortUnit::Hours);
        assert_eq!(out.requirements[1].sold_effort, Some(16.0));
    }

    #[test]
    fn titles_are_the_first_sentence_cut_at_a_word() {
        assert_eq!(
            title_of("Pay vendors by ACH, e.g. weekly. Also by cheque."),
            "Pay vendors by ACH, e.g. weekly"
        );
        assert_eq!(title_of("Is it hosted? Where?"), "Is it hosted?");
        assert_eq!(
            title_of("Version 3.1 of the API.\nMore text"),
            "Version 3.1 of the API"
        );
        let long = "The system shall allow an authorised user to define approval workflows with any number of steps, conditions and delegates";
        let title = title_of(long);
        assert_eq!(
            title,
            "The system shall allow an authorised user to define approval workflows with any…"
        );
        assert!(title.chars().count() <= TITLE_CHARS + 1);
    }

    #[test]
    fn heading_tags_drop_the_section_number() {
        assert_eq!(
            heading_tag("AP 1.00 Invoice processing"),
            "invoice-processing"
        );
        assert_eq!(heading_tag("Invoice Processing"), "invoice-processing");
        assert_eq!(heading_tag("3.1 Security & Access"), "security-access");
        assert_eq!(heading_tag("Section 4: Reporting"), "reporting");
        assert_eq!(heading_tag("AP 1.00"), "ap-1-00");
    }

    #[test]
    fn a_control_character_in_a_cell_is_an_error_at_the_cell() {
        let mut matrix = erp();
        matrix.sheets[1].rows[4].set(1, Cell::Text("Three-way \u{1b}[31mmatch".into()));
        let problem = the_one_error(&matrix);
        assert_eq!(
            problem.at.as_ref().map(ToString::to_string).as_deref(),
            Some("erp.xlsx › Accounts Payable › B5")
        );
        assert!(problem.message.contains("U+001B"), "{problem:?}");
    }

    #[test]
    fn the_map_can_name_one_sheet_and_its_header_row() {
        let text = format!("sheet = \"accounts payable\"\nheader_row = 3\n{ERP_MAP}");
        let out = convert(&erp(), &map(&text), EffortUnit::Days);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.sheets, ["Accounts Payable"]);
        let wrong = format!("header_row = 2\n{ERP_MAP}");
        let out = convert(&erp(), &map(&wrong), EffortUnit::Days);
        assert!(
            out.errors
                .iter()
                .any(|p| p.message.contains("row 2 (header_row) lacks")),
            "{:?}",
            out.errors
        );
        let missing = format!("sheet = \"Payroll\"\n{ERP_MAP}");
        let out = convert(&erp(), &map(&missing), EffortUnit::Days);
        assert!(
            out.errors[0].message.contains("has no sheet \"Payroll\"; its sheets are: Instructions, Accounts Payable, General Ledger"),
            "{:?}",
            out.errors
        );
    }

    #[test]
    fn an_unmapped_priority_is_an_error_listing_the_mapped_ones() {
        let mut matrix = erp();
        matrix.sheets[1].rows[4].set(2, Cell::Text("Optional".into()));
        let problem = the_one_error(&matrix);
        assert!(
            problem.message.ends_with("the priority `Optional` is not mapped; the mapped priorities are Mandatory, Desirable"),
            "{problem:?}"
        );
    }

    #[test]
    fn an_answer_on_a_row_without_an_id_is_said() {
        let mut matrix = erp();
        matrix.sheets[1].rows[7].set(0, Cell::Empty);
        let out = convert(&matrix, &map(ERP_MAP), EffortUnit::Days);
        assert!(
            out.warnings
                .iter()
                .any(|w| w.message == "row 8 has an answer (`M`) but no id: it is not imported"),
            "{:?}",
            out.warnings
        );
        assert!(out.requirements.iter().all(|r| r.id != "AP 2.01"));
    }
}
