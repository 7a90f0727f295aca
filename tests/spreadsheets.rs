//! `handoff export` and `handoff import` (issue 11): the round trip to a
//! spreadsheet changes nothing by itself; a workbook edited and saved by
//! LibreOffice imports with exactly the edits; every bad cell is named by
//! its address; conflicts, `--force`, `--remove`, `--dry-run`; a customer
//! workbook holds no internal value; hostile workbooks are refused.
#![allow(clippy::panic, clippy::expect_used)] // tests report failure by panicking

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use handoff::load::{FsTree, load_all};
use handoff::model::decl::{
    Audience, AudienceRule, Declared, FieldType, KindDecl, Value as DeclValue,
};
use handoff::model::{ContractType, Engagement};
use handoff::sheet::{self, OutBook, OutCell, OutSheet, Value, Workbook};

use crate::common::{Run, repo_root, run_in};

const EXAMPLES: [&str; 3] = ["acme-wms", "harbour-kitchen", "nordwind-crm"];

/// A temporary repository holding a copy of an engagement folder as `eng`.
struct Copy {
    dir: tempfile::TempDir,
}

impl Copy {
    fn of(source: &Path) -> Copy {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
        copy_dir(source, &dir.path().join("eng"));
        Copy { dir }
    }

    fn example(name: &str) -> Copy {
        Copy::of(&repo_root().join("examples").join(name))
    }

    fn fixture() -> Copy {
        Copy::of(&repo_root().join("tests/fixtures/sheets/engagement"))
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn eng(&self) -> PathBuf {
        self.dir.path().join("eng")
    }

    fn run(&self, args: &[&str]) -> Run {
        let run = run_in(self.root(), args);
        assert!(
            !run.stderr.contains("panicked"),
            "{args:?} panicked: {}",
            run.stderr
        );
        run
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.eng().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.eng().join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }

    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        files_of(&self.eng())
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// Every file below `dir` with its bytes.
fn files_of(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                out.insert(path.strip_prefix(dir).unwrap_or(&path).to_path_buf(), bytes);
            }
        }
    }
    out
}

fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
}

fn refused(run: &Run) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
}

fn read_book(path: &Path) -> Workbook {
    sheet::read(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Rewrites a workbook after `edit` changed its grid, as a person saving
/// it would (every sheet kept, the hidden one hidden).
fn edit_book(path: &Path, edit: impl FnOnce(&mut Workbook)) {
    let mut book = read_book(path);
    edit(&mut book);
    let out = OutBook {
        file_name: book.file_name.clone(),
        sheets: book
            .sheets
            .iter()
            .map(|s| {
                let last = s.rows.iter().map(|r| r.number).max().unwrap_or(0);
                let rows = (1..=last)
                    .map(|n| match s.row(n) {
                        None => Vec::new(),
                        Some(row) => {
                            let width = row
                                .cells
                                .iter()
                                .map(|c| c.address.column)
                                .max()
                                .unwrap_or(0);
                            (1..=width)
                                .map(|c| match row.get(c) {
                                    Value::Empty => OutCell::Empty,
                                    Value::Text(t) | Value::Error(t) => OutCell::Text(t.clone()),
                                    Value::Number(n) => OutCell::Number(*n),
                                    Value::Bool(b) => OutCell::Bool(*b),
                                    Value::Date(d) => OutCell::Date(*d),
                                })
                                .collect()
                        }
                    })
                    .collect();
                OutSheet {
                    name: s.name.clone(),
                    hidden: s.hidden,
                    columns: Vec::new(),
                    rows,
                }
            })
            .collect(),
    };
    let bytes = sheet::write_xlsx(&out).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
}

/// Sets a cell of the sheet `name` (1-based row and column).
fn set_cell(book: &mut Workbook, name: &str, row: u32, column: u32, value: Value) {
    let sheet = book
        .sheets
        .iter_mut()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let address = sheet::Address::new(row, column);
    let i = match sheet.rows.binary_search_by_key(&row, |r| r.number) {
        Ok(i) => i,
        Err(i) => {
            sheet.rows.insert(
                i,
                sheet::Row {
                    number: row,
                    cells: Vec::new(),
                },
            );
            i
        }
    };
    let cells = &mut sheet.rows[i].cells;
    match cells.binary_search_by_key(&column, |c| c.address.column) {
        Ok(j) => cells[j].value = value,
        Err(j) => cells.insert(j, sheet::Cell { address, value }),
    }
}

/// The 1-based column of a header in row 1, and the row of an id in
/// column A.
fn find(book: &Workbook, name: &str, header: &str, id: &str) -> (u32, u32) {
    let sheet = book
        .sheet(name)
        .unwrap_or_else(|| panic!("no sheet {name}"));
    let head = sheet
        .row(1)
        .unwrap_or_else(|| panic!("no header in {name}"));
    let column = head
        .cells
        .iter()
        .find(|c| c.value == Value::Text(header.into()))
        .unwrap_or_else(|| panic!("no column {header} in {name}"))
        .address
        .column;
    let row = sheet
        .rows
        .iter()
        .find(|r| r.get(1) == &Value::Text(id.into()))
        .unwrap_or_else(|| panic!("no row {id} in {name}"))
        .number;
    (row, column)
}

fn export(copy: &Copy, extra: &[&str]) -> PathBuf {
    let out = copy.root().join("book.xlsx");
    let mut args = vec!["export", "eng", "-o", "book.xlsx"];
    args.extend_from_slice(extra);
    ok(&copy.run(&args));
    out
}

#[test]
fn export_then_import_of_every_example_changes_no_byte() {
    for example in EXAMPLES {
        let copy = Copy::example(example);
        let before = copy.files();
        for (how, args) in [
            ("internal workbook", vec!["export", "eng", "-o", "a.xlsx"]),
            (
                "customer workbook",
                vec!["export", "eng", "-o", "c.xlsx", "--audience", "customer"],
            ),
            (
                "private workbook",
                vec!["export", "eng", "-o", "p.xlsx", "--include-private"],
            ),
            ("csv", vec!["export", "eng", "--format", "csv", "-o", "csv"]),
        ] {
            ok(&copy.run(&args));
            let file = args[3];
            let run = copy.run(&["import", file, "eng"]);
            ok(&run);
            assert!(
                run.stdout.contains("nothing to change"),
                "{example} {how}: {}",
                run.stdout
            );
            assert!(
                copy.files() == before,
                "{example}: the {how} round trip changed a file"
            );
        }
    }
}

#[test]
fn a_workbook_edited_in_libreoffice_imports_exactly_the_intended_changes() {
    for file in ["edited.xlsx", "edited.ods"] {
        let copy = Copy::fixture();
        let workbook = repo_root().join("tests/fixtures/sheets").join(file);
        let workbook = workbook.to_string_lossy().into_owned();
        let original = copy.files();
        let run = copy.run(&["import", &workbook, "eng"]);
        ok(&run);
        assert!(run.stdout.contains("three-way import"), "{}", run.stdout);
        assert!(
            run.stderr.contains(
                "promise `K-05` was deleted from the Promises sheet; it stays in the files"
            ),
            "{}",
            run.stderr
        );
        let text = |name: &str| String::from_utf8_lossy(&original[Path::new(name)]).into_owned();
        let promises = text("promises.yaml")
            .replace(
                "title: Strip out the old kitchen and dispose of it\n",
                "title: Strip out the old kitchen and dispose of all waste\n",
            )
            .replacen("    priority: must\n    commitment: contractual\n    source: { kind: proposal, ref: \"Quote Q2611, item 2\" }", "    priority: should\n    commitment: contractual\n    source: { kind: proposal, ref: \"Quote Q2611, item 2\" }", 1)
            + "\n  - id: K-90\n    title: Extra shelving in the dry store\n    type: service\n    asked: Room for a week of dry goods.\n    promised: Full strip-out, licensed waste disposal, removal of the old canopy.\n    response: standard\n    priority: must\n    commitment: contractual\n    source: { kind: proposal, ref: \"Quote Q2611, item 1\" }\n    promised_by: gharris\n    promised_to: rokafor\n    date: 2026-04-14\n    acceptance: [\"Walls and floor bare, waste transfer notes handed over.\"]\n    sold_effort: 70\n";
        assert_eq!(copy.read("promises.yaml"), promises, "{file}");
        assert_eq!(
            copy.read("scope.yaml"),
            text("scope.yaml").replacen("    effort: 64\n", "    effort: 72\n", 1),
            "{file}"
        );
        assert_eq!(
            copy.read("gaps.yaml"),
            text("gaps.yaml").replacen("agreed_on: 2026-05-06\n", "agreed_on: 2026-05-07\n", 1),
            "{file}"
        );
        assert_eq!(
            copy.read("stakeholders.yaml"),
            text("stakeholders.yaml").replace(
                "contact: rachel@harbourkitchen.example",
                "contact: rachel.okafor@harbourkitchen.example"
            ),
            "{file}"
        );
        for untouched in ["handoff.yaml", "signoffs.yaml"] {
            assert_eq!(copy.read(untouched), text(untouched), "{file}: {untouched}");
        }

        // Importing again changes nothing more: the sheet's values are in.
        let again = copy.run(&["import", &workbook, "eng"]);
        ok(&again);
        assert!(
            again.stdout.contains("nothing to change"),
            "{}",
            again.stdout
        );

        // With --remove the deleted row's promise is withdrawn, not deleted.
        ok(&copy.run(&["import", &workbook, "eng", "--remove"]));
        let after = copy.read("promises.yaml");
        let k05 = after
            .split("  - id: ")
            .find(|item| item.starts_with("K-05\n"))
            .unwrap_or_else(|| panic!("K-05 is gone: {after}"));
        assert!(k05.contains("    status: withdrawn\n"), "{k05}");
    }
}

#[test]
fn a_conflict_is_named_by_cell_and_nothing_is_written_unless_forced() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    // The files change after export...
    let promises = copy.read("promises.yaml").replace(
        "title: Strip out the old kitchen and dispose of it\n",
        "title: Strip-out and disposal\n",
    );
    copy.write("promises.yaml", &promises);
    // ...and the sheet changes the same cell differently, plus another.
    let probe = read_book(&book);
    let (row, col) = find(&probe, "Promises", "Promise", "K-01");
    let (row2, col2) = find(&probe, "Promises", "Priority", "K-03");
    edit_book(&book, |b| {
        set_cell(
            b,
            "Promises",
            row,
            col,
            Value::Text("Strip out and recycle".into()),
        );
        set_cell(b, "Promises", row2, col2, Value::Text("should".into()));
    });
    let before = copy.files();
    let run = copy.run(&["import", "book.xlsx", "eng"]);
    refused(&run);
    let cell = format!(
        "book.xlsx › Promises › B{row}: conflict in promise `K-01`, Promise: the files changed it from `Strip out the old kitchen and dispose of it` to `Strip-out and disposal` since export, the sheet to `Strip out and recycle`"
    );
    assert!(run.stderr.contains(&cell), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert!(copy.files() == before, "a conflict writes nothing");

    // A field changed only in the files keeps the file's value.
    let run = copy.run(&["import", "book.xlsx", "eng", "--force"]);
    ok(&run);
    let after = copy.read("promises.yaml");
    assert_eq!(
        after,
        promises
            .replace("title: Strip-out and disposal\n", "title: Strip out and recycle\n")
            .replacen(
                "    priority: must\n    commitment: contractual\n    source: { kind: proposal, ref: \"Quote Q2611, item 3\" }",
                "    priority: should\n    commitment: contractual\n    source: { kind: proposal, ref: \"Quote Q2611, item 3\" }",
                1
            )
    );
}

#[test]
fn a_value_changed_only_in_the_files_since_export_is_kept() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    let changed = copy
        .read("scope.yaml")
        .replacen("    effort: 64\n", "    effort: 66\n", 1);
    copy.write("scope.yaml", &changed);
    let probe = read_book(&book);
    let (row, col) = find(&probe, "Scope", "Phase", "W-02");
    edit_book(&book, |b| {
        set_cell(b, "Scope", row, col, Value::Text("second-fix".into()));
    });
    ok(&copy.run(&["import", "book.xlsx", "eng"]));
    assert_eq!(
        copy.read("scope.yaml"),
        changed.replacen("    phase: first-fix\n", "    phase: second-fix\n", 1)
    );
}

#[test]
fn a_row_deleted_in_the_sheet_is_removed_only_with_remove() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    let probe = read_book(&book);
    let (row, _) = find(&probe, "Scope", "Id", "W-03");
    edit_book(&book, |b| {
        if let Some(sheet) = b.sheets.iter_mut().find(|s| s.name == "Scope") {
            sheet.rows.retain(|r| r.number != row);
        }
    });
    let before = copy.files();
    let run = copy.run(&["import", "book.xlsx", "eng"]);
    ok(&run);
    assert!(
        run.stderr.contains("scope item `W-03` was deleted from the Scope sheet; it stays in the files (--remove deletes it)"),
        "{}",
        run.stderr
    );
    assert!(copy.files() == before);
    ok(&copy.run(&["import", "book.xlsx", "eng", "--remove"]));
    let scope = copy.read("scope.yaml");
    assert!(!scope.contains("id: W-03"), "{scope}");
    assert!(
        scope.contains("id: W-02") && scope.contains("id: W-04"),
        "{scope}"
    );
}

#[test]
fn dry_run_prints_the_change_in_diff_terms_and_writes_nothing() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    let probe = read_book(&book);
    let (row, col) = find(&probe, "Promises", "Priority", "K-02");
    edit_book(&book, |b| {
        set_cell(b, "Promises", row, col, Value::Text("could".into()));
    });
    let before = copy.files();
    let run = copy.run(&["import", "book.xlsx", "eng", "--dry-run"]);
    ok(&run);
    assert!(
        run.stdout.contains("Promises (1 changed)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("priority: must → could"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("dry run: nothing written"),
        "{}",
        run.stdout
    );
    assert!(copy.files() == before);
}

#[test]
fn every_bad_cell_is_reported_at_its_address_and_nothing_is_written() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    let probe = read_book(&book);
    let at = |sheet: &str, header: &str, id: &str| find(&probe, sheet, header, id);
    let commitment = at("Promises", "Commitment", "K-01");
    let effort = at("Promises", "Sold effort", "K-02");
    let due = at("Promises", "Due", "K-03");
    let by = at("Promises", "Promised by", "K-04");
    let covers = at("Scope", "Covers", "W-01");
    let internal = at("Scope", "Internal", "W-02");
    let negative = at("Scope", "Effort", "W-03");
    let status = at("Gaps", "Status", "G-01");
    let last = probe
        .sheet("Promises")
        .map_or(0, |s| s.rows.iter().map(|r| r.number).max().unwrap_or(0));
    edit_book(&book, |b| {
        set_cell(
            b,
            "Promises",
            commitment.0,
            commitment.1,
            Value::Text("oral".into()),
        );
        set_cell(b, "Promises", effort.0, effort.1, Value::Text("ten".into()));
        set_cell(
            b,
            "Promises",
            due.0,
            due.1,
            Value::Text("05/06/2026".into()),
        );
        set_cell(b, "Promises", by.0, by.1, Value::Text("gharri".into()));
        set_cell(
            b,
            "Scope",
            covers.0,
            covers.1,
            Value::Text("K-01; K-99".into()),
        );
        set_cell(
            b,
            "Scope",
            internal.0,
            internal.1,
            Value::Text("maybe".into()),
        );
        set_cell(b, "Scope", negative.0, negative.1, Value::Number(-4.0));
        set_cell(b, "Gaps", status.0, status.1, Value::Text("done".into()));
        // A new column, a row without id, a row repeating an id.
        set_cell(b, "Stakeholders", 1, 30, Value::Text("Prio".into()));
        set_cell(b, "Promises", 1, 40, Value::Text("Priorty".into()));
        set_cell(b, "Promises", last + 1, 2, Value::Text("No id here".into()));
        set_cell(b, "Promises", last + 2, 1, Value::Text("K-02".into()));
        set_cell(b, "Promises", last + 2, 2, Value::Text("Twice".into()));
    });
    let before = copy.files();
    let run = copy.run(&["import", "book.xlsx", "eng"]);
    refused(&run);
    let cell = |(row, col): (u32, u32)| sheet::Address::new(row, col).to_string();
    for expected in [
        format!(
            "book.xlsx › Promises › {}: `oral` is not a valid commitment",
            cell(commitment)
        ),
        "did you mean `verbal`?".to_string(),
        format!(
            "book.xlsx › Promises › {}: Sold effort must be a number (for example 12 or 0.35), found `ten`",
            cell(effort)
        ),
        format!(
            "book.xlsx › Promises › {}: Due must be a date written YYYY-MM-DD, found `05/06/2026`",
            cell(due)
        ),
        format!(
            "book.xlsx › Promises › {}: `gharri` is not a stakeholder of this engagement",
            cell(by)
        ),
        "did you mean `gharris`?".to_string(),
        format!(
            "book.xlsx › Scope › {}: `K-99` is not a promise of this engagement",
            cell(covers)
        ),
        format!(
            "book.xlsx › Scope › {}: Internal must be TRUE or FALSE, found `maybe`",
            cell(internal)
        ),
        format!(
            "book.xlsx › Scope › {}: Effort cannot be negative, found -4",
            cell(negative)
        ),
        format!(
            "book.xlsx › Gaps › {}: `done` is not a valid gap status",
            cell(status)
        ),
        "book.xlsx › Stakeholders › AD1: `Prio` is not a column of the Stakeholders sheet"
            .to_string(),
        "book.xlsx › Promises › AN1: `Priorty` is not a column of the Promises sheet".to_string(),
        "did you mean `Priority`?".to_string(),
        format!("book.xlsx › Promises › A{}: this row has no id", last + 1),
        format!(
            "book.xlsx › Promises › A{}: `K-02` is the id of another row too (A3)",
            last + 2
        ),
    ] {
        assert!(
            run.stderr.contains(&expected),
            "missing {expected:?} in:\n{}",
            run.stderr
        );
    }
    assert!(copy.files() == before, "nothing is written");
}

#[test]
fn a_csv_file_is_a_plain_import_and_says_so() {
    let copy = Copy::example("harbour-kitchen");
    ok(&copy.run(&["export", "eng", "--format", "csv", "-o", "csv"]));
    let path = copy.root().join("csv/scope.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a BOM");
    std::fs::write(&path, text.replacen(",64,", ",70,", 1)).unwrap_or_else(|e| panic!("{e}"));
    let run = copy.run(&["import", "csv/scope.csv", "eng"]);
    ok(&run);
    assert!(
        run.stdout
            .contains("plain import (csv files carry no record of the export)"),
        "{}",
        run.stdout
    );
    assert!(copy.read("scope.yaml").contains("    effort: 70\n"));

    std::fs::rename(&path, copy.root().join("csv/plan.csv")).unwrap_or_else(|e| panic!("{e}"));
    let run = copy.run(&["import", "csv/plan.csv", "eng"]);
    refused(&run);
    assert!(
        run.stderr
            .contains("plan.csv: a csv file must be named for its kind"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_workbook_without_the_hidden_sheet_is_a_plain_import() {
    let copy = Copy::example("harbour-kitchen");
    let book = export(&copy, &[]);
    let probe = read_book(&book);
    let (row, col) = find(&probe, "Gaps", "Owner", "G-01");
    edit_book(&book, |b| {
        b.sheets.retain(|s| s.name != "_handoff");
        set_cell(b, "Gaps", row, col, Value::Text("kwalsh".into()));
    });
    let run = copy.run(&["import", "book.xlsx", "eng"]);
    ok(&run);
    assert!(
        run.stdout
            .contains("plain import (the workbook has no _handoff sheet)"),
        "{}",
        run.stdout
    );
    assert!(copy.read("gaps.yaml").contains("    owner: kwalsh\n"));
}

/// Every value of `kind` a customer may not see: internal and private
/// fields, effort on a fixed price, and every text of an item that is
/// internal as a whole.
fn hidden_values(
    decl: &KindDecl,
    record: &DeclValue<'_>,
    fixed_price: bool,
    out: &mut Vec<String>,
    ids: &mut Vec<String>,
) {
    let whole = decl.audience_rules.iter().any(|r| match r {
        AudienceRule::InternalWhen { flag } => record.get(flag) == &DeclValue::Bool(true),
        AudienceRule::CustomerOnlyWith { field } => matches!(record.get(field), DeclValue::Absent),
        AudienceRule::EffortOffFixedPrice { .. } => false,
    });
    for f in decl.fields {
        let off_fixed = fixed_price
            && decl.audience_rules.iter().any(
                |r| matches!(r, AudienceRule::EffortOffFixedPrice { fields } if fields.contains(&f.key)),
            );
        let hidden = f.audience != Audience::Customer || off_fixed;
        let value = record.get(f.key);
        if let FieldType::Record(sub) = f.ty {
            hidden_values(sub, value, fixed_price, out, ids);
            continue;
        }
        // Free text only: a hidden vocabulary word (`proposal`) may rightly
        // be the value of a visible field too; hidden columns are checked
        // by their headers. Of an item hidden as a whole, its id and title
        // (its phase or owner may be another item's too).
        let text = matches!(f.ty, FieldType::Text | FieldType::List(FieldType::Text));
        if whole && Some(f.key) == decl.id_key {
            if let DeclValue::Text(id) = value {
                ids.push((*id).to_string());
            }
            continue;
        }
        if !(text && (hidden || whole && f.key == "title")) {
            continue;
        }
        match value {
            DeclValue::Text(t) if t.trim().len() > 3 => out.push((*t).to_string()),
            DeclValue::List(items) => out.extend(items.iter().filter_map(|i| match i {
                DeclValue::Text(t) if t.trim().len() > 3 => Some((*t).to_string()),
                _ => None,
            })),
            _ => {}
        }
    }
}

fn load(dir: &Path) -> Engagement {
    let loaded = load_all(&FsTree, &[dir.to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
        .engagements
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no engagement"))
}

#[test]
fn a_customer_workbook_holds_no_internal_value() {
    for example in EXAMPLES {
        let copy = Copy::example(example);
        let book = export(&copy, &["--audience", "customer"]);
        let e = load(&copy.eng());
        let fixed_price = !matches!(
            e.handoff.contract.kind,
            Some(ContractType::TimeAndMaterials | ContractType::CappedTm | ContractType::Retainer)
        );
        let mut secrets = Vec::new();
        let mut hidden_ids = Vec::new();
        for p in &e.promises {
            hidden_values(
                p.decl(),
                &p.record(),
                fixed_price,
                &mut secrets,
                &mut hidden_ids,
            );
        }
        for s in &e.scope {
            hidden_values(
                s.decl(),
                &s.record(),
                fixed_price,
                &mut secrets,
                &mut hidden_ids,
            );
        }
        for g in &e.gaps {
            hidden_values(
                g.decl(),
                &g.record(),
                fixed_price,
                &mut secrets,
                &mut hidden_ids,
            );
        }
        for k in &e.stakeholders {
            hidden_values(
                k.decl(),
                &k.record(),
                fixed_price,
                &mut secrets,
                &mut hidden_ids,
            );
        }
        assert!(
            !secrets.is_empty(),
            "{example}: the walk found nothing to look for"
        );
        let workbook = read_book(&book);
        let cells: Vec<String> = workbook
            .sheets
            .iter()
            .flat_map(|s| s.rows.iter().flat_map(|r| r.cells.iter()))
            .filter_map(|c| c.value.as_text())
            .collect();
        // The values of fields the customer may see, which may rightly
        // hold the same words as a hidden one.
        for secret in &secrets {
            let leaked: Vec<&String> = cells
                .iter()
                .filter(|c| c.contains(secret.as_str()))
                .collect();
            assert!(
                leaked.is_empty(),
                "{example}: `{secret}` is in the customer workbook: {leaked:?}"
            );
        }
        for id in &hidden_ids {
            let leaked = cells.iter().any(|c| c.split("; ").any(|part| part == id));
            assert!(
                !leaked,
                "{example}: the hidden item {id} is in the customer workbook"
            );
        }
        let names: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
        assert!(
            !names.contains(&"Findings"),
            "{example}: finding messages stay internal"
        );
        let mut internal = vec![
            "Commitment",
            "Customer view",
            "Influence",
            "Interest",
            "Attitude",
            "Notes",
            "Cost change",
            "Effort change",
            "Gap",
            "Internal",
            "Note",
        ];
        if fixed_price {
            internal.extend(["Effort", "Sold effort", "Scoped effort"]);
        }
        for header in internal {
            assert!(
                !workbook.sheets.iter().filter_map(|s| s.row(1)).any(|r| r
                    .cells
                    .iter()
                    .any(|c| c.value == Value::Text(header.into()))),
                "{example}: the internal column {header} is in the customer workbook"
            );
        }
    }
}

trait Decl {
    fn decl(&self) -> &'static KindDecl;
}

impl<T: Declared> Decl for T {
    fn decl(&self) -> &'static KindDecl {
        T::DECL
    }
}

#[test]
fn private_notes_need_include_private_and_never_go_to_the_customer() {
    let copy = Copy::example("harbour-kitchen");
    let e = load(&copy.eng());
    let notes: Vec<String> = e
        .stakeholders
        .iter()
        .filter_map(|k| k.notes.clone())
        .collect();
    assert!(!notes.is_empty());
    let has_notes = |book: &Path| {
        let book = read_book(book);
        let cells: Vec<String> = book
            .sheets
            .iter()
            .flat_map(|s| s.rows.iter().flat_map(|r| r.cells.iter()))
            .filter_map(|c| c.value.as_text())
            .collect();
        notes.iter().any(|n| cells.contains(n))
    };
    let book = export(&copy, &[]);
    assert!(!has_notes(&book));
    let book = export(&copy, &["--include-private", "--force"]);
    assert!(has_notes(&book));
    refused(&copy.run(&[
        "export",
        "eng",
        "-o",
        "c.xlsx",
        "--audience",
        "customer",
        "--include-private",
    ]));
}

#[test]
fn export_never_overwrites_a_file_it_did_not_write() {
    let copy = Copy::example("harbour-kitchen");
    std::fs::write(copy.root().join("budget.xlsx"), b"not ours").unwrap_or_else(|e| panic!("{e}"));
    let run = copy.run(&["export", "eng", "-o", "budget.xlsx"]);
    refused(&run);
    assert!(
        run.stderr
            .contains("budget.xlsx exists and was not written by handoff export"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(copy.root().join("budget.xlsx")).unwrap_or_default(),
        b"not ours"
    );
    ok(&copy.run(&["export", "eng", "-o", "budget.xlsx", "--force"]));
    // Its own earlier export it replaces without asking.
    ok(&copy.run(&["export", "eng", "-o", "budget.xlsx"]));

    // csv files: its own (of either audience) yes, another file no.
    ok(&copy.run(&[
        "export",
        "eng",
        "--format",
        "csv",
        "-o",
        "csv",
        "--audience",
        "customer",
    ]));
    ok(&copy.run(&["export", "eng", "--format", "csv", "-o", "csv"]));
    std::fs::write(copy.root().join("csv/gaps.csv"), "Ref,Text\r\nX,y\r\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let run = copy.run(&["export", "eng", "--format", "csv", "-o", "csv"]);
    refused(&run);
    assert!(
        run.stderr
            .contains("gaps.csv exists and was not written by handoff export"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_workbook_layout_is_a_versioned_contract() {
    let copy = Copy::example("harbour-kitchen");
    let book = read_book(&export(&copy, &[]));
    let mut layout = String::new();
    for s in &book.sheets {
        let header: Vec<String> = s
            .row(1)
            .map(|r| r.cells.iter().filter_map(|c| c.value.as_text()).collect())
            .unwrap_or_default();
        layout.push_str(&format!(
            "{}{}: {}\n",
            s.name,
            if s.hidden { " (hidden)" } else { "" },
            header.join(" | ")
        ));
    }
    let meta = book
        .sheet("_handoff")
        .unwrap_or_else(|| panic!("no _handoff sheet"));
    for n in 2..=6 {
        let row: Vec<String> = meta
            .row(n)
            .map(|r| r.cells.iter().filter_map(|c| c.value.as_text()).collect())
            .unwrap_or_default();
        layout.push_str(&format!("_handoff row {n}: {}\n", row.join(" | ")));
    }
    let csv = copy.run(&["export", "eng", "--format", "csv", "-o", "csv"]);
    ok(&csv);
    for name in ["promises.csv", "scope.csv", "gaps.csv", "stakeholders.csv"] {
        let text = std::fs::read_to_string(copy.root().join("csv").join(name)).unwrap_or_default();
        layout.push_str(&format!(
            "{name}: {}\n",
            text.lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches('\u{feff}')
        ));
    }
    insta::assert_snapshot!(layout);
}

// ----------------------------------------------------------------------
// Hostile workbooks: a clear error and exit 2, never a panic or a hang.

/// A minimal xlsx around one sheet's XML (`<sheetData>` content).
fn xlsx(sheet_data: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Promises" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#)),
    ];
    for (name, text) in parts {
        zip.start_file(name, options)
            .unwrap_or_else(|e| panic!("{e}"));
        zip.write_all(text.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

/// The header and one unchanged row.
fn good_sheet(header: &str) -> String {
    format!(
        r#"{header}<row r="2">{}{}</row>"#,
        inline("A2", "K-01"),
        inline("B2", "Strip out the old kitchen and dispose of it")
    )
}

/// [`xlsx`] with one more part, packed as tightly as deflate can.
fn with_part(sheet_data: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    let base = xlsx(sheet_data);
    let mut zip =
        zip::ZipWriter::new_append(std::io::Cursor::new(base)).unwrap_or_else(|e| panic!("{e}"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file(name, options)
        .unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Imports `bytes` saved as `name` and returns stderr; exit 2 and no
/// change to the files.
fn hostile(name: &str, bytes: &[u8]) -> String {
    let copy = Copy::example("harbour-kitchen");
    std::fs::write(copy.root().join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    let before = copy.files();
    let run = copy.run(&["import", name, "eng"]);
    refused(&run);
    assert!(copy.files() == before);
    run.stderr
}

#[test]
fn hostile_workbooks_are_refused_with_a_clear_error() {
    let header = format!(
        r#"<row r="1">{}{}</row>"#,
        inline("A1", "Id"),
        inline("B1", "Promise")
    );

    // A small valid workbook imports (the helper makes real workbooks).
    let good = xlsx(&format!(
        r#"{header}<row r="2">{}{}</row>"#,
        inline("A2", "K-01"),
        inline("B2", "Strip out the old kitchen and dispose of it")
    ));
    let copy = Copy::example("harbour-kitchen");
    std::fs::write(copy.root().join("good.xlsx"), good).unwrap_or_else(|e| panic!("{e}"));
    ok(&copy.run(&["import", "good.xlsx", "eng"]));

    let err = hostile("corrupt.xlsx", b"PK\x03\x04 this is not a zip at all");
    assert!(
        err.contains("corrupt.xlsx: is not a readable xlsx workbook"),
        "{err}"
    );

    // 50 MB of zeros beside the sheet, packed to about 50 KB: the ratio
    // gives it away long before the size limit.
    let bomb = with_part(
        &good_sheet(&header),
        "xl/media/image1.png",
        &vec![0u8; 50 * 1024 * 1024],
    );
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let err = hostile("bomb.xlsx", &bomb);
    assert!(
        err.contains("bomb.xlsx: expands far beyond its size when unpacked"),
        "{err}"
    );

    let err = hostile(
        "broken.xlsx",
        &xlsx(&format!(
            r#"{header}<row r="2"><c r="A2" t="inlineStr"><is><t>K-01</t></is></row>"#
        )),
    );
    assert!(
        err.contains("broken.xlsx › Promises: this sheet cannot be read"),
        "{err}"
    );

    let err = hostile(
        "million.xlsx",
        &xlsx(&format!(
            r#"{header}<row r="1000000">{}</row>"#,
            inline("A1000000", "K-99")
        )),
    );
    assert!(
        err.contains("million.xlsx › Promises: this sheet has more than 100000 rows"),
        "{err}"
    );

    // An ods sheet repeats an empty row a million times, then a cell:
    // laid out, A1 to the last cell would take gigabytes.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Promises"><table:table-row><table:table-cell office:value-type="string"><text:p>Id</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="200"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="199"/><table:table-cell office:value-type="string"><text:p>far away</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored)
        .unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap_or_else(|e| panic!("{e}"));
    zip.start_file("content.xml", stored)
        .unwrap_or_else(|e| panic!("{e}"));
    zip.write_all(content.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let ods = zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner();
    let err = hostile("million.ods", &ods);
    assert!(
        err.contains("million.ods › Promises: this sheet has more than 100000 rows"),
        "{err}"
    );

    // Ten megabytes of text that does not compress much.
    let big: String = (0..10 * 1024 * 1024)
        .map(|i: u32| {
            char::from(b'a' + u8::try_from(i.wrapping_mul(2_654_435_761) >> 27).unwrap_or(0) % 26)
        })
        .collect();
    let err = hostile(
        "cell.xlsx",
        &xlsx(&format!(
            r#"{header}<row r="2">{}{}</row>"#,
            inline("A2", "K-01"),
            inline("B2", &big)
        )),
    );
    assert!(
        err.contains("cell.xlsx › Promises › B2: this cell holds more than 32767 characters"),
        "{err}"
    );

    let err = hostile(
        "promises.csv",
        format!("Id,Promise\nK-01,{big}\n").as_bytes(),
    );
    assert!(
        err.contains("promises.csv › B2: this cell holds more than 32767 characters"),
        "{err}"
    );

    let err = hostile(
        "formula.xlsx",
        &xlsx(&format!(
            r#"{header}<row r="2">{}<c r="B2"><f>CONCAT("a","b")</f></c></row>"#,
            inline("A2", "K-01")
        )),
    );
    assert!(err.contains("formula.xlsx › Promises › B2: this cell holds a formula whose value was never calculated"), "{err}");
}
