//! `handoff import`: a workbook or csv files edited in a spreadsheet, back
//! into the YAML files. Three-way for a workbook made by `handoff export`
//! (its hidden `_handoff` sheet holds what was exported): only what
//! people changed in the sheet is applied, a value changed in the files
//! meanwhile is kept, and a value changed in both is a conflict. Every bad
//! cell is reported at its address, all in one run, and nothing is written
//! unless the result loads.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::outln;
use crate::cli::ImportArgs;
use crate::date::Date;
use crate::diag::{Diagnostic, Sources};
use crate::error::{Error, Exit, Failure, Refusal};
use crate::evaluate::Evaluation;
use crate::load::display;
use crate::load::edit::{EditValue, Editor, Kind};
use crate::model::Engagement;
use crate::model::decl::FieldType;
use crate::output::sheets::{self, Column, KINDS, META_MARK, META_SHEET};
use crate::sheet::{self, Address, Format, Value, Workbook};
use crate::workspace::{Source, Workspace};

pub fn run(args: &ImportArgs) -> Result<Exit, Error> {
    let Some(file) = &args.file else {
        return Err(Refusal::new("give the workbook or csv file to import").into());
    };
    let dir = args
        .engagement
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let engagement_dir = super::engagement_or(&dir);
    // Held until the files are written: read, checked and written as one
    // step, so neither another import nor a `handoff sign` slips in
    // between. A dry run writes nothing, not even the lock file.
    let _lock = if args.dry_run {
        None
    } else {
        lock(&engagement_dir)?
    };
    let workspace = Workspace::new(Source::WorkTree, args.eval.options())
        .open(&[engagement_dir])
        .map_err(Error::Invalid)?;
    let evaluations = workspace.evaluations();
    let [ev] = evaluations.as_slice() else {
        return Err(Refusal::new(format!(
            "{} holds {} engagements; import into one engagement at a time",
            display(&dir),
            evaluations.len()
        ))
        .help("give the engagement folder after the file")
        .into());
    };
    let books = read_books(file)?;
    let plan = plan(&books, ev.engagement(), args)?;
    let engagement = ev.engagement();
    let mut editor = Editor::new(Path::new(&engagement.dir));
    apply(&plan, engagement, &mut editor)?;

    let changes = editor.changes();
    let after = editor.check().map_err(Error::Invalid)?;
    for line in &plan.notes {
        crate::output::messages::note(line);
    }
    if args.dry_run {
        print_dry_run(ev, &after, &workspace, &plan)?;
        outln!("dry run: nothing written");
        return Ok(Exit::Ok);
    }
    if changes.is_empty() {
        outln!("{}", plan.summary(&[]));
        return Ok(Exit::Ok);
    }
    let written = editor.write().map_err(edit_error)?;
    outln!("{}", plan.summary(&written));
    Ok(Exit::Ok)
}

/// How long an import waits for another import of the same engagement.
const LOCK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An advisory lock on the engagement's handoff.yaml, which an import
/// never rewrites: two imports at once would each edit the text they read,
/// and the later write would drop the earlier one's changes. Locking a
/// file that is already there leaves no lock file behind in the folder.
fn lock(dir: &Path) -> Result<Option<std::fs::File>, Error> {
    let path = dir.join(crate::load::HANDOFF_FILE);
    if !path.is_file() {
        // Not an engagement: the workspace says so in its own words.
        return Ok(None);
    }
    let refuse = |message: String| -> Error { Refusal::new(message).into() };
    let file = std::fs::File::open(&path)
        .map_err(|err| refuse(format!("cannot open {}: {err}", display(&path))))?;
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_TIMEOUT => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(refuse(format!(
                    "another handoff import is writing to this engagement ({} stayed locked for {} seconds)",
                    display(&path),
                    LOCK_TIMEOUT.as_secs()
                )));
            }
            Err(std::fs::TryLockError::Error(err)) => {
                return Err(refuse(format!("cannot lock {}: {err}", display(&path))));
            }
        }
    }
}

/// An edit that could not be made, as both imports refuse it (`import rfp`
/// shares this): nothing is written when any edit fails.
pub(super) fn edit_error(err: crate::load::edit::EditError) -> Error {
    match err {
        crate::load::edit::EditError::Invalid(failure) => Error::Invalid(failure),
        crate::load::edit::EditError::File {
            file,
            message,
            help,
        } => {
            let mut refusal = Refusal::new(format!("{file} {message}"));
            refusal.help = help;
            refusal.outcome = Some("nothing was written");
            refusal.into()
        }
    }
}

/// The workbook, the csv file, or every csv file of a folder.
fn read_books(file: &Path) -> Result<Vec<Workbook>, Error> {
    let read = |path: &Path| {
        sheet::read(path).map_err(|err| Error::Invalid(failure(vec![sheet_diagnostic(&err)])))
    };
    if file.is_dir() {
        let mut books = Vec::new();
        for kind in KINDS {
            let path = file.join(sheets::csv_name(kind));
            if path.is_file() {
                books.push(read(&path)?);
            }
        }
        if books.is_empty() {
            return Err(Refusal::new(format!(
                "{} holds none of promises.csv, scope.csv, gaps.csv, stakeholders.csv",
                display(file)
            ))
            .into());
        }
        return Ok(books);
    }
    Ok(vec![read(file)?])
}

fn failure(diagnostics: Vec<Diagnostic>) -> Failure {
    Failure {
        diagnostics,
        sources: Sources::default(),
        all: false,
    }
}

/// A spreadsheet that could not be read, with its help; `import rfp` reads
/// its matrix through this too.
pub(super) fn sheet_diagnostic(err: &sheet::SheetError) -> Diagnostic {
    let d = Diagnostic::general(err.to_string());
    match &err.help {
        Some(help) => d.with_help(help.clone()),
        None => d,
    }
}

/// A bad cell: `file › sheet › D7: message`, with help.
#[derive(Debug, Clone)]
struct CellProblem {
    place: String,
    message: String,
    help: Option<String>,
}

impl CellProblem {
    fn diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::general(format!("{}: {}", self.place, self.message));
        match &self.help {
            Some(help) => d.with_help(help.clone()),
            None => d,
        }
    }
}

/// One row of a kind's sheet, read and checked.
#[derive(Debug)]
struct SheetRow {
    id: String,
    /// Where the id is, for messages about the row.
    id_place: String,
    /// By column path: the canonical text (see `sheets::canonical`) and
    /// where the cell is.
    values: BTreeMap<String, (String, String)>,
    /// How many rows above hold the same id (0 for the first).
    occurrence: usize,
    /// Where the first row with this id is, when this is not it.
    first: Option<String>,
}

/// What an import will do.
#[derive(Debug, Default)]
struct Plan {
    file_name: String,
    /// No `_handoff` sheet: changes are taken as they are.
    plain: bool,
    csv: bool,
    /// (kind, id, path, new value or "" to remove, cell).
    sets: Vec<(Kind, String, String, String, String)>,
    /// New items: (kind, row).
    adds: Vec<(Kind, SheetRow)>,
    /// Rows deleted in the sheet: (kind, id), applied with --remove.
    removes: Vec<(Kind, String)>,
    notes: Vec<String>,
}

impl Plan {
    fn summary(&self, written: &[PathBuf]) -> String {
        let items: HashSet<(Kind, &str)> = self
            .sets
            .iter()
            .map(|(k, id, ..)| (*k, id.as_str()))
            .collect();
        let how = if self.csv {
            "plain import (csv files carry no record of the export)"
        } else if self.plain {
            "plain import (the workbook has no _handoff sheet)"
        } else {
            "three-way import"
        };
        if written.is_empty() {
            return format!("{}: {how}; nothing to change", self.file_name);
        }
        let files: Vec<String> = written.iter().map(|p| display(p)).collect();
        format!(
            "{}: {how}; {} changed in {}, {} added, {} removed; wrote {}",
            self.file_name,
            crate::output::plural(self.sets.len(), "value"),
            crate::output::plural(items.len(), "item"),
            self.adds.len(),
            self.removes.len(),
            files.join(", ")
        )
    }
}

/// The exported values, from the hidden sheet: (sheet, id, path) → text.
type Base = HashMap<(String, String, String), String>;

fn read_base(book: &Workbook, engagement: &Engagement) -> Result<Option<Base>, Error> {
    let Some(meta) = book.sheet(META_SHEET) else {
        return Ok(None);
    };
    let cell = |row: u32, col: u32| {
        meta.row(row)
            .map(|r| r.get(col).as_text().unwrap_or_default())
            .unwrap_or_default()
    };
    let place = book.locate(META_SHEET, Address::new(1, 1));
    if cell(1, 1) != META_MARK {
        return Err(Error::Invalid(failure(vec![
            Diagnostic::general(format!(
                "{place}: the hidden {META_SHEET} sheet is not one handoff export wrote"
            ))
            .with_help("delete the sheet to import the workbook as a plain import"),
        ])));
    }
    let version = cell(1, 2);
    if version != sheets::FORMAT_VERSION.to_string() {
        return Err(Error::Invalid(failure(vec![
            Diagnostic::general(format!(
                "{}: the workbook's layout is version {version}; this handoff reads version {}",
                book.locate(META_SHEET, Address::new(1, 2)),
                sheets::FORMAT_VERSION
            ))
            .with_help("export the engagement again with this handoff"),
        ])));
    }
    let id = cell(2, 2);
    if id != engagement.id() {
        return Err(Refusal::new(format!(
            "{} was exported from engagement `{id}`, not `{}`",
            book.file_name,
            engagement.id()
        ))
        .help("give the engagement folder it was exported from")
        .into());
    }
    let mut base = Base::new();
    for row in meta.rows.iter().filter(|r| r.number > 5) {
        let text = |c: u32| row.get(c).as_text().unwrap_or_default();
        base.insert((text(1), text(2), text(3)), text(4));
    }
    Ok(Some(base))
}

/// Reads the workbooks into a plan, or every problem.
fn plan(books: &[Workbook], e: &Engagement, args: &ImportArgs) -> Result<Plan, Error> {
    let mut plan = Plan {
        file_name: books
            .iter()
            .map(|b| b.file_name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        csv: books.iter().all(|b| b.format == Format::Csv),
        ..Plan::default()
    };
    let mut problems: Vec<CellProblem> = Vec::new();
    let mut conflicts: Vec<CellProblem> = Vec::new();
    // Every kind's rows first: references between kinds are checked
    // against the items as they will be.
    let mut read: Vec<(Kind, &Workbook, Vec<SheetRow>, bool)> = Vec::new();
    let mut base: Option<Base> = None;
    for book in books {
        let book_base = read_base(book, e)?;
        plan.plain = plan.plain || book_base.is_none();
        if book_base.is_some() {
            base = book_base;
        }
        for kind in KINDS {
            let sheet = match book.format {
                Format::Csv => {
                    let stem = book.file_name.to_ascii_lowercase();
                    if stem == sheets::csv_name(kind) {
                        book.sheets.first()
                    } else {
                        None
                    }
                }
                _ => book.sheet(sheets::sheet_name(kind)),
            };
            let Some(sheet) = sheet else { continue };
            let (rows, has_id) = read_rows(book, &sheet.name, sheet, kind, &mut problems);
            read.push((kind, book, rows, has_id));
        }
        if book.format == Format::Csv
            && !KINDS
                .iter()
                .any(|&k| book.file_name.eq_ignore_ascii_case(&sheets::csv_name(k)))
        {
            problems.push(CellProblem {
                place: book.file_name.clone(),
                message: "a csv file must be named for its kind".into(),
                help: Some("name it promises.csv, scope.csv, gaps.csv or stakeholders.csv".into()),
            });
        }
    }
    if read.is_empty() && problems.is_empty() {
        problems.push(CellProblem {
            place: plan.file_name.clone(),
            message: "holds none of the sheets Promises, Scope, Gaps, Stakeholders".into(),
            help: Some(
                "export the engagement with `handoff export` to get a workbook to edit".into(),
            ),
        });
    }
    // The ids each kind will hold.
    let mut ids: HashMap<Kind, HashSet<String>> = HashMap::new();
    for kind in KINDS {
        let set = ids.entry(kind).or_default();
        for item in sheets::items(e, kind) {
            set.insert(item.id.to_string());
        }
    }
    for (kind, _, rows, _) in &read {
        let set = ids.entry(*kind).or_default();
        for row in rows {
            set.insert(row.id.clone());
        }
    }

    for (kind, book, rows, _) in &read {
        let kind = *kind;
        let sheet_name = sheets::sheet_name(kind);
        let all_items = sheets::items(e, kind);
        let mut files: HashMap<&str, &sheets::ItemRecord<'_>> = HashMap::new();
        for item in &all_items {
            files.entry(item.id).or_insert(item);
        }
        let columns = sheets::columns(kind);
        let base_of = |id: &str, path: &str| {
            base.as_ref().and_then(|b| {
                b.get(&(sheet_name.to_string(), id.to_string(), path.to_string()))
                    .cloned()
            })
        };
        let mut in_files: HashMap<&str, Vec<&sheets::ItemRecord<'_>>> = HashMap::new();
        for item in &all_items {
            in_files.entry(item.id).or_default().push(item);
        }
        for row in rows {
            // An id the files hold twice (a `duplicate-id` finding): rows
            // are matched in order and may not change, since an edit could
            // not say which item it meant.
            let same_id = in_files.get(row.id.as_str()).map_or(0, Vec::len);
            if let Some(first) = &row.first
                && same_id <= row.occurrence
            {
                problems.push(CellProblem {
                    place: row.id_place.clone(),
                    message: format!("`{}` is the id of another row too ({first})", row.id),
                    help: Some("ids are unique: change one of them".into()),
                });
                continue;
            }
            if same_id > 1 {
                let item = in_files
                    .get(row.id.as_str())
                    .and_then(|v| v.get(row.occurrence));
                let differs = item.is_some_and(|item| {
                    row.values.iter().any(|(path, (value, _))| {
                        columns.iter().find(|c| c.path == *path).is_some_and(|c| {
                            sheets::canonical(sheets::column_value(&item.record, c)) != *value
                        })
                    })
                });
                if differs {
                    problems.push(CellProblem {
                        place: row.id_place.clone(),
                        message: format!(
                            "the files hold {same_id} {}s with the id `{}`, so a change to this row cannot be applied",
                            kind.decl().what,
                            row.id
                        ),
                        help: Some("give each its own id in the files, export again, then edit".into()),
                    });
                }
                continue;
            }
            let exported = base_of(&row.id, kind.id_key()).is_some();
            let current = files.get(row.id.as_str());
            match current {
                None if exported => {
                    // Deleted (or renamed) in the files since export.
                    let changed = row.values.iter().any(|(path, (value, _))| {
                        base_of(&row.id, path).is_some_and(|b| b != *value)
                    });
                    if changed && !args.force {
                        conflicts.push(CellProblem {
                            place: row.id_place.clone(),
                            message: format!(
                                "{} `{}` was changed in the sheet but removed from the files since export",
                                kind.decl().what,
                                row.id
                            ),
                            help: Some("add it to the files again, or delete the row".into()),
                        });
                    }
                }
                None => plan.adds.push((kind, clone_row(row))),
                Some(item) => {
                    for (path, (value, place)) in &row.values {
                        let Some(column) = columns.iter().find(|c| c.path == *path) else {
                            continue;
                        };
                        let file_value =
                            sheets::canonical(sheets::column_value(&item.record, column));
                        if *value == file_value {
                            continue;
                        }
                        let change = match base_of(&row.id, path) {
                            // Not exported (a plain import, a column the
                            // export left out): the sheet says what it is.
                            None => true,
                            Some(b) if b == *value => false,
                            Some(b) if b == file_value => true,
                            Some(b) => {
                                if !args.force {
                                    conflicts.push(CellProblem {
                                        place: place.clone(),
                                        message: format!(
                                            "conflict in {} `{}`, {}: the files changed it from `{b}` to `{file_value}` since export, the sheet to `{value}`",
                                            kind.decl().what,
                                            row.id,
                                            column.header
                                        ),
                                        help: Some(
                                            "set the cell to the value you want and export again, or add --force to take the sheet's value"
                                                .into(),
                                        ),
                                    });
                                }
                                args.force
                            }
                        };
                        if change && value.is_empty() && column.field.required {
                            problems.push(CellProblem {
                                place: place.clone(),
                                message: format!(
                                    "{} is empty, but every {} needs one",
                                    column.header,
                                    kind.decl().what
                                ),
                                help: Some(format!("type the {} back in", column.header)),
                            });
                            continue;
                        }
                        if change {
                            check_reference(column, value, place, &ids, &mut problems);
                            plan.sets.push((
                                kind,
                                row.id.clone(),
                                path.clone(),
                                value.clone(),
                                place.clone(),
                            ));
                        }
                    }
                }
            }
        }
        // Rows added: their references and required fields.
        for (k, row) in plan.adds.iter().filter(|(k, _)| *k == kind) {
            for (path, (value, place)) in &row.values {
                if let Some(column) = columns.iter().find(|c| c.path == *path) {
                    check_reference(column, value, place, &ids, &mut problems);
                }
            }
            for column in columns
                .iter()
                .filter(|c| c.field.required && c.sub.is_none())
            {
                if row
                    .values
                    .get(&column.path)
                    .is_none_or(|(v, _)| v.is_empty())
                {
                    problems.push(CellProblem {
                        place: row.id_place.clone(),
                        message: format!(
                            "the new {} `{}` has no {} ({})",
                            k.decl().what,
                            row.id,
                            column.header,
                            column.path
                        ),
                        help: Some(format!("every {} needs one", k.decl().what)),
                    });
                }
            }
        }
        // Rows deleted in the sheet: exported, no longer there.
        if let Some(base) = &base
            && book.format != Format::Csv
        {
            let in_sheet: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            let mut gone: Vec<&str> = base
                .keys()
                .filter(|(s, _, path)| s == sheet_name && path == kind.id_key())
                .map(|(_, id, _)| id.as_str())
                .filter(|id| !in_sheet.contains(id) && files.contains_key(id))
                .collect();
            gone.sort_unstable();
            for id in gone {
                if args.remove {
                    plan.removes.push((kind, id.to_string()));
                } else {
                    plan.notes.push(format!(
                        "{} `{id}` was deleted from the {sheet_name} sheet; it stays in the files (--remove {} it)",
                        kind.decl().what,
                        if kind == Kind::Promise { "withdraws" } else { "deletes" }
                    ));
                }
            }
        }
    }
    if !problems.is_empty() || !conflicts.is_empty() {
        let count = conflicts.len();
        let mut diagnostics: Vec<Diagnostic> =
            problems.iter().map(CellProblem::diagnostic).collect();
        diagnostics.extend(conflicts.iter().map(CellProblem::diagnostic));
        if problems.is_empty() {
            let mut refusal = Refusal::new(format!(
                "{} between the sheet and the files",
                crate::output::plural(count, "conflict")
            ))
            .help("decide each one in the sheet, or add --force to take the sheet's values");
            refusal.problems = Some(failure(diagnostics));
            refusal.outcome = Some("nothing was written");
            return Err(refusal.into());
        }
        return Err(Error::Invalid(failure(diagnostics)));
    }
    Ok(plan)
}

fn clone_row(row: &SheetRow) -> SheetRow {
    SheetRow {
        id: row.id.clone(),
        id_place: row.id_place.clone(),
        values: row.values.clone(),
        occurrence: row.occurrence,
        first: row.first.clone(),
    }
}

/// A reference in a changed or new cell must name an item that will
/// exist: the loader accepts any id, the rules would report it only
/// after the import.
fn check_reference(
    column: &Column,
    value: &str,
    place: &str,
    ids: &HashMap<Kind, HashSet<String>>,
    problems: &mut Vec<CellProblem>,
) {
    let (target, words) = match column.ty() {
        FieldType::IdRef("promise") | FieldType::List(FieldType::IdRef("promise")) => {
            (Kind::Promise, "promise")
        }
        FieldType::IdRef("scope_item") => (Kind::Scope, "scope item"),
        FieldType::PersonRef => (Kind::Stakeholder, "stakeholder"),
        _ => return,
    };
    let known = ids.get(&target);
    for id in split_list(value) {
        if known.is_some_and(|k| k.contains(&id)) {
            continue;
        }
        let names: Vec<&str> = known
            .map(|k| k.iter().map(String::as_str).collect())
            .unwrap_or_default();
        problems.push(CellProblem {
            place: place.to_string(),
            message: format!("`{id}` is not a {words} of this engagement"),
            help: Some(match crate::diag::suggest(&id, &names) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("use the id of a {words} in the files or in the sheet"),
            }),
        });
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The header row, then every data row of a kind's sheet.
fn read_rows(
    book: &Workbook,
    sheet_name: &str,
    sheet: &sheet::Sheet,
    kind: Kind,
    problems: &mut Vec<CellProblem>,
) -> (Vec<SheetRow>, bool) {
    let columns = sheets::columns(kind);
    let computed = sheets::computed_headers(kind);
    let Some(header) = sheet.rows.first() else {
        return (Vec::new(), false);
    };
    // Column number → column.
    let mut mapped: Vec<(u32, Column)> = Vec::new();
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    for cell in &header.cells {
        let Some(text) = cell.value.as_text() else {
            continue;
        };
        let name = text.trim();
        if name.is_empty() {
            continue;
        }
        if let Some(column) = columns.iter().find(|c| c.header.eq_ignore_ascii_case(name)) {
            if mapped.iter().any(|(_, c)| c.path == column.path) {
                problems.push(CellProblem {
                    place: book.locate(sheet_name, cell.address),
                    message: format!("the column `{name}` is there twice"),
                    help: Some("keep one of them".into()),
                });
                continue;
            }
            mapped.push((cell.address.column, column.clone()));
        } else if !computed.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            problems.push(CellProblem {
                place: book.locate(sheet_name, cell.address),
                message: format!(
                    "`{name}` is not a column of the {} sheet",
                    sheets::sheet_name(kind)
                ),
                help: Some(match crate::diag::suggest(name, &headers) {
                    Some(close) => {
                        format!("did you mean `{close}`? columns: {}", headers.join(", "))
                    }
                    None => format!("columns: {}", headers.join(", ")),
                }),
            });
        }
    }
    let id_key = kind.id_key();
    let Some(id_column) = mapped
        .iter()
        .find(|(_, c)| c.path == id_key)
        .map(|(n, _)| *n)
    else {
        problems.push(CellProblem {
            place: book.locate(sheet_name, Address::new(header.number, 1)),
            message: format!(
                "the {} sheet has no `{}` column, so its rows cannot be matched to the files",
                sheets::sheet_name(kind),
                columns
                    .iter()
                    .find(|c| c.path == id_key)
                    .map_or(id_key, |c| c.header)
            ),
            help: Some("put the column back (export again to see the layout)".into()),
        });
        return (Vec::new(), false);
    };
    let mut rows = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for row in sheet.rows.iter().filter(|r| r.number > header.number) {
        if mapped.iter().all(|(n, _)| row.get(*n).is_blank()) {
            continue;
        }
        let id_address = Address::new(row.number, id_column);
        let id_place = book.locate(sheet_name, id_address);
        let mut values = BTreeMap::new();
        let mut ok = true;
        for (n, column) in &mapped {
            let address = Address::new(row.number, *n);
            let place = book.locate(sheet_name, address);
            match parse_cell(row.get(*n), column) {
                Ok(text) => {
                    values.insert(column.path.clone(), (text, place));
                }
                Err((message, help)) => {
                    ok = false;
                    problems.push(CellProblem {
                        place,
                        message,
                        help,
                    });
                }
            }
        }
        let id = values
            .get(id_key)
            .map(|(v, _)| v.clone())
            .unwrap_or_default();
        if id.trim().is_empty() {
            problems.push(CellProblem {
                place: id_place,
                message: format!("this row has no {}", kind.id_key()),
                help: Some(format!(
                    "every {} needs a unique {}; or delete the row",
                    kind.decl().what,
                    kind.id_key()
                )),
            });
            continue;
        }
        // Checked against the files' own duplicates in `plan`.
        let (first, occurrence) = match seen.get_mut(&id) {
            Some((first, count)) => {
                *count += 1;
                (Some(first.clone()), *count)
            }
            None => {
                seen.insert(id.clone(), (id_address.to_string(), 0));
                (None, 0)
            }
        };
        if ok {
            rows.push(SheetRow {
                id,
                id_place,
                values,
                occurrence,
                first,
            });
        }
    }
    (rows, true)
}

/// A cell as the canonical text of its column's type, checked as the
/// loader checks the field: vocabularies, numbers, dates, booleans.
fn parse_cell(value: &Value, column: &Column) -> Result<String, (String, Option<String>)> {
    let header = column.header;
    if let Value::Error(e) = value {
        return Err((
            format!("the cell shows the error {e}, not a value"),
            Some("fix the formula or type the value in".into()),
        ));
    }
    if value.is_blank() {
        return Ok(String::new());
    }
    let ty = column.ty();
    let one = |text: &str, ty: FieldType| -> Result<String, (String, Option<String>)> {
        single(text, ty, header)
    };
    match (ty, value) {
        (FieldType::Number | FieldType::Amount | FieldType::Fraction, Value::Number(n)) => {
            check_number(*n, ty, header)
        }
        (FieldType::Date, Value::Date(d)) => Ok(d.to_string()),
        (FieldType::Date, Value::Number(n)) => Err((
            format!(
                "{header} must be a date, found the number {}",
                sheet::number_text(*n)
            ),
            Some("format the cell as a date (yyyy-mm-dd)".into()),
        )),
        (FieldType::Bool, Value::Bool(b)) => Ok(b.to_string()),
        (FieldType::List(inner), _) => {
            let text = value.as_text().unwrap_or_default();
            let items: Vec<String> = split_list(&text);
            for item in &items {
                one(item, *inner)?;
            }
            // Kept as written when unchanged; the items were checked.
            Ok(text.trim().to_string())
        }
        (_, Value::Date(d)) => one(&d.to_string(), ty),
        (_, other) => one(&other.as_text().unwrap_or_default(), ty),
    }
}

fn single(text: &str, ty: FieldType, header: &str) -> Result<String, (String, Option<String>)> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        return Err((
            format!(
                "{header} holds a control character (U+{:04X}), which is not text",
                u32::from(c)
            ),
            Some("remove it".into()),
        ));
    }
    match ty {
        FieldType::Vocab { what, names } => {
            let word = text.trim();
            if names.contains(&word) {
                Ok(word.to_string())
            } else {
                Err((
                    format!("`{}` is not a valid {what}", word.escape_debug()),
                    Some(sheets::vocab_help(word, names)),
                ))
            }
        }
        FieldType::Number | FieldType::Amount | FieldType::Fraction => {
            match text.trim().parse::<f64>() {
                Ok(n) if n.is_finite() => check_number(n, ty, header),
                _ => Err((
                    format!(
                        "{header} must be a number (for example 12 or 0.35), found `{}`",
                        text.escape_debug()
                    ),
                    crate::load::hints::number(text),
                )),
            }
        }
        FieldType::Date => match Date::parse(text.trim()) {
            Some(d) => Ok(d.to_string()),
            None => Err((
                format!(
                    "{header} must be a date written YYYY-MM-DD, found `{}`",
                    text.escape_debug()
                ),
                Some(
                    crate::load::hints::date(text)
                        .unwrap_or_else(|| "for example `2026-03-17`".into()),
                ),
            )),
        },
        FieldType::Bool => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok("true".into()),
            "false" => Ok("false".into()),
            _ => Err((
                format!(
                    "{header} must be TRUE or FALSE, found `{}`",
                    text.escape_debug()
                ),
                None,
            )),
        },
        _ => Ok(text.to_string()),
    }
}

fn check_number(n: f64, ty: FieldType, header: &str) -> Result<String, (String, Option<String>)> {
    const MAX: f64 = 1e12;
    if !n.is_finite() || n.abs() > MAX {
        return Err((
            format!(
                "{header} is too large to be a real figure: {}",
                sheet::number_text(n)
            ),
            Some("numbers up to a thousand billion are accepted; check for extra digits".into()),
        ));
    }
    match ty {
        FieldType::Amount if n < 0.0 => Err((
            format!(
                "{header} cannot be negative, found {}",
                sheet::number_text(n)
            ),
            None,
        )),
        FieldType::Fraction if !(0.0..=1.0).contains(&n) => Err((
            format!(
                "{header} is a fraction between 0 and 1, found {}",
                sheet::number_text(n)
            ),
            Some("write 35% as 0.35".into()),
        )),
        _ => Ok(sheet::number_text(n + 0.0)),
    }
}

/// The canonical text of a column as the value to write.
fn edit_value(column: &Column, text: &str) -> Option<EditValue> {
    if text.is_empty() {
        return None;
    }
    let scalar = |ty: FieldType, t: &str| match ty {
        FieldType::Number | FieldType::Amount | FieldType::Fraction => t
            .parse::<f64>()
            .map_or_else(|_| EditValue::Text(t.to_string()), EditValue::Number),
        FieldType::Date => {
            Date::parse(t).map_or_else(|| EditValue::Text(t.to_string()), EditValue::Date)
        }
        FieldType::Bool => EditValue::Bool(t == "true"),
        _ => EditValue::Text(t.to_string()),
    };
    Some(match column.ty() {
        FieldType::List(inner) => EditValue::List(
            split_list(text)
                .iter()
                .map(|item| scalar(*inner, item))
                .collect(),
        ),
        ty => scalar(ty, text),
    })
}

/// The file a new item of `kind` goes to: the kind's main file, else the
/// first file of its folder, else a new main file.
fn target_file(e: &Engagement, kind: Kind) -> PathBuf {
    let dir = Path::new(&e.dir);
    let stem = kind.list_key();
    for ext in ["yaml", "yml"] {
        let path = dir.join(format!("{stem}.{ext}"));
        if path.is_file() {
            return path;
        }
    }
    let mut files: Vec<&str> = sheets::items(e, kind).iter().map(|i| i.file).collect();
    files.sort_unstable();
    match files.first() {
        Some(file) => PathBuf::from(file),
        None => dir.join(format!("{stem}.yaml")),
    }
}

fn apply(plan: &Plan, e: &Engagement, editor: &mut Editor) -> Result<(), Error> {
    let mut file_of: HashMap<(Kind, String), PathBuf> = HashMap::new();
    for kind in KINDS {
        for item in sheets::items(e, kind) {
            file_of
                .entry((kind, item.id.to_string()))
                .or_insert_with(|| PathBuf::from(item.file));
        }
    }
    for (kind, id, path, value, _) in &plan.sets {
        let Some(file) = file_of.get(&(*kind, id.clone())) else {
            continue;
        };
        let Some(column) = sheets::columns(*kind).into_iter().find(|c| c.path == *path) else {
            continue;
        };
        let value = edit_value(&column, value);
        editor
            .set(*kind, file, id, path, value.as_ref())
            .map_err(edit_error)?;
    }
    for (kind, row) in &plan.adds {
        let columns = sheets::columns(*kind);
        let fields: Vec<(&str, EditValue)> = columns
            .iter()
            .filter_map(|c| {
                let (text, _) = row.values.get(&c.path)?;
                // A default is what the loader takes anyway; written out it
                // would only add lines nobody typed.
                if c.field.default == Some(text.as_str()) {
                    return None;
                }
                Some((c.path.as_str(), edit_value(c, text)?))
            })
            .collect();
        editor
            .append(*kind, &target_file(e, *kind), &fields)
            .map_err(edit_error)?;
    }
    for (kind, id) in &plan.removes {
        let Some(file) = file_of.get(&(*kind, id.clone())) else {
            continue;
        };
        let result = if *kind == Kind::Promise {
            editor.withdraw(file, id)
        } else {
            editor.remove(*kind, file, id)
        };
        result.map_err(edit_error)?;
    }
    Ok(())
}

/// What the import would change, as `handoff diff` shows it.
fn print_dry_run(
    before: &Evaluation<'_>,
    after: &Engagement,
    workspace: &crate::workspace::Engagements,
    _plan: &Plan,
) -> Result<(), Error> {
    let after_ev = Evaluation::new(after, before.config, workspace.today, workspace.cost_rate);
    let label = |text: &str| crate::diff::Revision {
        label: text.to_string(),
        commit: None,
        summary: None,
    };
    let diff = crate::diff::compare(
        label("files"),
        label("after import"),
        vec![before.engagement().dir.clone()],
        std::slice::from_ref(before),
        std::slice::from_ref(&after_ev),
        crate::diff::Options::default(),
    );
    super::print_out(&crate::output::diff::text::render(&diff))
}
