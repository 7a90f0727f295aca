//! `handoff import rfp`: the three kinds of compliance matrix import with
//! exactly the promises their maps say, a revised matrix changes only what
//! was revised, and every problem is named at its cell with nothing
//! written. The matrices are in tests/fixtures/rfp (README there says how
//! they were made).
#![allow(clippy::panic)] // test failures panic

use std::path::PathBuf;

use crate::common::{Fixture, Run, repo_root};

fn fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/rfp")
        .join(name)
        .display()
        .to_string()
}

fn import(f: &Fixture, matrix: &str, map: &str, extra: &[&str]) -> Run {
    let mut args = vec!["import", "rfp", matrix, ".", "--map", map];
    args.extend_from_slice(extra);
    f.run(&args)
}

fn read(f: &Fixture, name: &str) -> String {
    std::fs::read_to_string(f.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn target(f: &Fixture) -> PathBuf {
    f.path().join("promises/rfp.yaml")
}

#[test]
fn a_letter_coded_erp_matrix_over_two_sheets_becomes_its_promises() {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("riverton-erp.xlsx"),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("10 requirements from riverton-erp.xlsx (Accounts Payable, General Ledger) into promises/rfp.yaml: 10 new, 0 updated, 0 unchanged\n"),
        "{}",
        run.stdout
    );
    // Grey rows `AP 1.00` are tags, not promises; `AP 1.01` and `3.10`
    // stay text; efforts in hours become days; sources name sheet and id.
    insta::assert_snapshot!(read(&f, "promises/rfp.yaml"));
    // The file loads, and the engagement is judged with it.
    assert_eq!(f.run(&["check", ".", "--quiet"]).code, 1);
}

#[test]
fn a_blank_answer_is_an_exception_with_a_warning_naming_its_cell() {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("riverton-erp.xlsx"),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "warning: riverton-erp.xlsx › General Ledger › D8: requirement 3.10 has no answer: imported as `exception`\n  = help: the buyer reads a blank as \"cannot meet\"; answer it in the matrix, or keep it an exception\n"
    );
    let yaml = read(&f, "promises/rfp.yaml");
    let item = yaml
        .split("  - id: ")
        .find(|item| item.starts_with("\"3.10\""))
        .unwrap_or_else(|| panic!("no 3.10 in {yaml}"));
    assert!(item.contains("response: exception"), "{item}");
}

#[test]
fn a_yes_no_matrix_with_its_header_on_row_5_under_a_logo_block_imports() {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("lakeside-permits.ods"),
        &fixture("lakeside-permits.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // Whole-text headings in the first cell (`1 General Requirements`) are
    // tags; Yes / Customization Required / No / Alternate are responses.
    insta::assert_snapshot!(read(&f, "promises/rfp.yaml"));
}

#[test]
fn a_comply_csv_matrix_imports_into_an_engagement_counted_in_hours() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &crate::common::HANDOFF.replace("unit: days, sold: 10", "unit: hours, sold: 80"),
    );
    f.write(
        "scope.yaml",
        &crate::common::SCOPE.replace("effort: 10", "effort: 80"),
    );
    let run = import(
        &f,
        &fixture("state-portal.csv"),
        &fixture("state-portal.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // No sheet in the sources of a csv file; 3 days are 24 hours.
    insta::assert_snapshot!(read(&f, "promises/rfp.yaml"));
}

#[test]
fn after_an_import_the_command_says_what_check_finds_about_the_new_promises() {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("riverton-erp.xlsx"),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The two `exception` answers need no scope (not applicable).
    assert!(
        run.stdout.contains(
            "check: of the 10 imported promises, 8 are unscoped; 3 roadmap or custom answers no gap records (AP 2.01, AP 2.02, AP 2.03)\nT-1 is not ready: `handoff check .` lists every finding\n"
        ),
        "{}",
        run.stdout
    );
}

/// The first import, then the hand edits people make afterwards.
fn imported_and_edited() -> Fixture {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("riverton-erp.xlsx"),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = read(&f, "promises/rfp.yaml")
        .replacen(
            "    tags: [invoice-processing]\n  - id: AP 1.02",
            "    acceptance: A test invoice 3% over the PO price is held for the buyer.\n    tags: [invoice-processing, phase-1]\n  - id: AP 1.02",
            1,
        )
        .replacen(
            "  - id: GL 1.01\n",
            "  - id: GL 1.01\n    due: 2026-09-30\n",
            1,
        )
        .replacen("commitment: proposal", "commitment: contractual", 1);
    f.write("promises/rfp.yaml", &yaml);
    f
}

#[test]
fn a_revised_matrix_changes_only_what_was_revised_and_keeps_hand_added_fields() {
    let f = imported_and_edited();
    let before = read(&f, "promises/rfp.yaml");
    // The revised matrix saved under the first one's name.
    let matrix = f.path().join("riverton-erp.xlsx");
    std::fs::copy(fixture("riverton-erp-revised.xlsx"), &matrix).unwrap_or_else(|e| panic!("{e}"));
    let run = import(
        &f,
        &matrix.display().to_string(),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().take(2).collect::<Vec<_>>(),
        [
            "10 requirements from riverton-erp.xlsx (Accounts Payable, General Ledger) into promises/rfp.yaml: 1 new, 3 updated, 6 unchanged",
            "no longer in the matrix: AP 2.03 (kept; --remove sets them to status: withdrawn)",
        ]
    );
    let expected = before
        // AP 1.02: answered S instead of T, no effort, new comment.
        .replace(
            "    promised: Through our OCR partner.\n    response: third_party\n",
            "    promised: OCR is in the product since release 11.\n    response: standard\n",
        )
        .replace(
            "riverton-erp.xlsx › Accounts Payable › AP 1.02 }\n    sold_effort: 3\n",
            "riverton-erp.xlsx › Accounts Payable › AP 1.02 }\n",
        )
        // GL 1.01 reworded: its title and asked follow, `due` stays.
        .replace("at least eight segments", "at least ten segments")
        // 3.10 answered at last.
        .replace(
            "    response: exception\n    priority: must\n    commitment: proposal\n    source: { kind: rfp, ref: riverton-erp.xlsx › General Ledger › 3.10 }\n",
            "    promised: Override workflow.\n    response: custom\n    priority: must\n    commitment: proposal\n    source: { kind: rfp, ref: riverton-erp.xlsx › General Ledger › 3.10 }\n    sold_effort: 3\n",
        )
        // AP 1.04 is new, appended at the end.
        + "  - id: AP 1.04\n    title: Invoices in a foreign currency are paid at the rate of the payment date\n    type: capability\n    asked: Invoices in a foreign currency are paid at the rate of the payment date.\n    promised: Rate table import.\n    response: custom\n    priority: should\n    commitment: proposal\n    source: { kind: rfp, ref: riverton-erp.xlsx › Accounts Payable › AP 1.04 }\n    sold_effort: 2\n    tags: [invoice-processing]\n";
    let after = read(&f, "promises/rfp.yaml");
    assert_eq!(after, expected);
    // What people added by hand is still there.
    assert!(after.contains("acceptance: A test invoice 3% over the PO price"));
    assert!(after.contains("tags: [invoice-processing, phase-1]"));
    assert!(after.contains("due: 2026-09-30"));
    assert!(after.contains("commitment: contractual"));
    // Other files are not touched.
    assert_eq!(read(&f, "promises.yaml"), crate::common::PROMISES);
    assert_eq!(read(&f, "scope.yaml"), crate::common::SCOPE);
}

#[test]
fn a_revised_matrix_under_a_new_file_name_updates_the_sources_by_id() {
    let f = imported_and_edited();
    let run = import(
        &f,
        &fixture("riverton-erp-revised.xlsx"),
        &fixture("riverton-erp.toml"),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("10 requirements from riverton-erp-revised.xlsx (Accounts Payable, General Ledger) into promises/rfp.yaml: 1 new, 3 updated, 6 unchanged; the source of 9 promises now names riverton-erp-revised.xlsx\n"),
        "{}",
        run.stdout
    );
    let after = read(&f, "promises/rfp.yaml");
    // AP 2.03, gone from the revised matrix, keeps the source it came from.
    assert_eq!(
        after.matches("ref: riverton-erp.xlsx ›").count(),
        1,
        "{after}"
    );
    assert!(after.contains("ref: riverton-erp.xlsx › Accounts Payable › AP 2.03 }"));
    assert_eq!(after.matches("  - id: ").count(), 11, "{after}");
}

#[test]
fn remove_withdraws_a_requirement_gone_from_the_matrix_and_never_deletes_it() {
    let f = imported_and_edited();
    let run = import(
        &f,
        &fixture("riverton-erp-revised.xlsx"),
        &fixture("riverton-erp.toml"),
        &["--remove"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\nno longer in the matrix: AP 2.03 (set to status: withdrawn)\n"),
        "{}",
        run.stdout
    );
    let after = read(&f, "promises/rfp.yaml");
    let item = after
        .split("  - id: ")
        .find(|item| item.starts_with("AP 2.03\n"))
        .unwrap_or_else(|| panic!("AP 2.03 was deleted: {after}"));
    assert!(item.contains("status: withdrawn"), "{item}");
    // Imported again: already withdrawn, nothing more to say or do.
    let again = import(
        &f,
        &fixture("riverton-erp-revised.xlsx"),
        &fixture("riverton-erp.toml"),
        &["--remove"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        !again.stdout.contains("no longer in the matrix"),
        "{}",
        again.stdout
    );
    assert_eq!(read(&f, "promises/rfp.yaml"), after);
}

#[test]
fn dry_run_prints_the_change_in_diff_terms_and_writes_nothing() {
    let f = imported_and_edited();
    let before = read(&f, "promises/rfp.yaml");
    let run = import(
        &f,
        &fixture("riverton-erp-revised.xlsx"),
        &fixture("riverton-erp.toml"),
        &["--dry-run", "--remove"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Promises (1 added, "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("        response: third_party → standard\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("dry run: nothing written\n"),
        "{}",
        run.stdout
    );
    assert_eq!(read(&f, "promises/rfp.yaml"), before);
}

const CSV_MAP: &str = r#"
[columns]
id = "Requirement ID"
asked = "Requirement"
response = "Compliance"
sold_effort = "Estimated Days"

[codes]
Comply = "standard"
"Partially comply" = "partial"
Exception = "exception"
"#;

#[test]
fn an_unmapped_answer_and_an_effort_that_is_no_number_are_errors_at_their_cells() {
    let f = Fixture::clean();
    f.write("map.toml", CSV_MAP);
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Compliance,Estimated Days\n1.01,Sign in with the state identity provider,Maybe,\n1.02,Spanish forms,Comply,two\n1.03,Audit log,Exception,\n",
    );
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("error: matrix.csv › C2: requirement 1.01: the answer `Maybe` is not in [codes]; the mapped codes are Comply, Partially comply, Exception\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error: matrix.csv › D3: requirement 1.02: the sold effort `two` is not a number\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: matrix.csv has 2 problems to fix first\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert!(!target(&f).exists());
}

#[test]
fn ids_such_as_3_10_and_ap_1_01_stay_text() {
    let f = Fixture::clean();
    f.write("map.toml", CSV_MAP);
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Compliance,Estimated Days\n3.10,Budget check,Comply,\nAP 1.01,Three-way match,Comply,\n3.1,Another,Comply,\n",
    );
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = read(&f, "promises/rfp.yaml");
    for id in [
        "  - id: \"3.10\"\n",
        "  - id: AP 1.01\n",
        "  - id: \"3.1\"\n",
    ] {
        assert!(yaml.contains(id), "{id} in {yaml}");
    }
    assert!(yaml.contains("ref: matrix.csv › 3.10 }"), "{yaml}");
}

#[test]
fn hand_written_promises_in_the_target_file_are_never_touched() {
    let f = Fixture::clean();
    f.remove("promises.yaml");
    f.write("promises/rfp.yaml", crate::common::PROMISES);
    let run = import(
        &f,
        &fixture("state-portal.csv"),
        &fixture("state-portal.toml"),
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("error: promises/rfp.yaml holds promises that were not imported from a matrix (P-1), so the import does not write to it\nhelp: import into a file of its own with --into"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&f, "promises/rfp.yaml"), crate::common::PROMISES);
    // Into a file of its own, it goes through.
    let run = import(
        &f,
        &fixture("state-portal.csv"),
        &fixture("state-portal.toml"),
        &["--into", "promises/portal.yaml"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&f, "promises/rfp.yaml"), crate::common::PROMISES);
    assert!(read(&f, "promises/portal.yaml").contains("  - id: \"1.01\"\n"));
}

#[test]
fn into_a_file_the_loader_does_not_read_is_refused() {
    let f = Fixture::clean();
    let run = import(
        &f,
        &fixture("state-portal.csv"),
        &fixture("state-portal.toml"),
        &["--into", "scope.yaml"],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error: --into scope.yaml is not a promise file of the engagement"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&f, "scope.yaml"), crate::common::SCOPE);
}

#[test]
fn a_requirement_whose_id_is_a_promise_in_another_file_is_refused() {
    let f = Fixture::clean();
    f.write("map.toml", CSV_MAP);
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Compliance,Estimated Days\nP-1,Order import,Comply,\n",
    );
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "error: the matrix has requirements whose ids are promises in other files: P-1 (promises.yaml:2:5)"
        ),
        "{}",
        run.stderr
    );
    assert!(!target(&f).exists());
}

#[test]
fn an_unknown_key_in_the_map_is_an_error_at_its_line_and_column() {
    let f = Fixture::clean();
    f.write(
        "map.toml",
        &CSV_MAP.replace("[codes]", "answer = \"x\"\n\n[codes]"),
    );
    f.write("matrix.csv", "Requirement ID,Requirement,Compliance\n");
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("unknown field `answer`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> map.toml:8:1"), "{}", run.stderr);
}

#[test]
fn a_sheet_without_the_mapped_headers_names_what_it_lacks() {
    let f = Fixture::clean();
    f.write("map.toml", CSV_MAP);
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Answer,Estimated Days\n1.01,Sign in,Comply,\n",
    );
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("matrix.csv: no row holds every mapped column; row 1 comes closest but lacks \"Compliance\" (response)"),
        "{}",
        run.stderr
    );
}

/// A copy of examples/riverton-erp in a folder of its own.
fn riverton_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let from = repo_root().join("examples/riverton-erp");
    for name in [
        "handoff.yaml",
        "stakeholders.yaml",
        "scope.yaml",
        "gaps.yaml",
        "promises/rfp.yaml",
        "rfp/riverton-erp.xlsx",
        "rfp/MAP.toml",
    ] {
        let to = dir.path().join(name);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::copy(from.join(name), &to).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    dir
}

const RIVERTON_IMPORT: [&str; 6] = [
    "import",
    "rfp",
    "rfp/riverton-erp.xlsx",
    ".",
    "--map",
    "rfp/MAP.toml",
];

#[test]
fn the_riverton_example_s_promises_are_its_bundled_matrix_imported() {
    let committed =
        std::fs::read_to_string(repo_root().join("examples/riverton-erp/promises/rfp.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
    // Imported again, the file does not change by a byte.
    let dir = riverton_copy();
    let run = crate::common::run_in(dir.path(), &RIVERTON_IMPORT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("10 requirements from riverton-erp.xlsx (Accounts Payable, General Ledger) into promises/rfp.yaml: 0 new, 0 updated, 10 unchanged\n"),
        "{}",
        run.stdout
    );
    let again = std::fs::read_to_string(dir.path().join("promises/rfp.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, committed);
    // Imported from scratch, it is the committed file without the
    // acceptance criteria people added afterwards.
    let dir = riverton_copy();
    std::fs::remove_file(dir.path().join("promises/rfp.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let run = crate::common::run_in(dir.path(), &RIVERTON_IMPORT);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let fresh = std::fs::read_to_string(dir.path().join("promises/rfp.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let without_acceptance: String = committed
        .lines()
        .filter(|line| !line.starts_with("    acceptance: "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(fresh, without_acceptance);
}

#[test]
fn a_requirement_that_moved_section_changes_its_heading_tag_and_keeps_people_s_tags() {
    let f = Fixture::clean();
    f.write("map.toml", CSV_MAP);
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Compliance,Estimated Days\nSection 1 Portal,,,\n1.01,Sign in,Comply,\nSection 2 Reporting,,,\n2.01,Usage report,Comply,\n",
    );
    assert_eq!(import(&f, "matrix.csv", "map.toml", &[]).code, 0);
    let yaml = read(&f, "promises/rfp.yaml");
    assert!(yaml.contains("    tags: [portal]\n"), "{yaml}");
    f.write(
        "promises/rfp.yaml",
        &yaml.replacen("    tags: [portal]\n", "    tags: [portal, security]\n", 1),
    );
    // 1.01 moves under Reporting.
    f.write(
        "matrix.csv",
        "Requirement ID,Requirement,Compliance,Estimated Days\nSection 1 Portal,,,\nSection 2 Reporting,,,\n1.01,Sign in,Comply,\n2.01,Usage report,Comply,\n",
    );
    let run = import(&f, "matrix.csv", "map.toml", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 0 new, 1 updated, 1 unchanged"),
        "{}",
        run.stdout
    );
    let yaml = read(&f, "promises/rfp.yaml");
    assert!(yaml.contains("    tags: [reporting, security]\n"), "{yaml}");
}

/// A generated matrix of `rows` requirements in the state portal's
/// layout, under a heading row every ten.
fn generated_matrix(rows: usize) -> String {
    let mut csv = String::from(
        "Requirement ID,Requirement,Compliance,Vendor Comments,Estimated Days,Priority\n",
    );
    for i in 0..rows {
        if i % 10 == 0 {
            csv.push_str(&format!(
                "Section {} Area {},,,,,\n",
                i / 10 + 1,
                i / 10 + 1
            ));
        }
        let answer = ["Comply", "Partially comply", "Exception"][i % 3];
        let days = if i % 4 == 0 {
            String::new()
        } else {
            (i % 4).to_string()
        };
        csv.push_str(&format!(
            "{}.{:02},\"The portal shall do thing {i}: with a colon, and \"\"quotes\"\".\",{answer},Comment {i},{days},{}\n",
            i / 10 + 1,
            i % 10 + 1,
            ["Must", "Should"][i % 2]
        ));
    }
    csv
}

#[test]
fn many_requirements_imported_at_once_give_the_file_of_importing_them_one_at_a_time() {
    const ROWS: usize = 25;
    let map = fixture("state-portal.toml");
    let at_once = Fixture::clean();
    at_once.write("matrix.csv", &generated_matrix(ROWS));
    let run = import(&at_once, "matrix.csv", &map, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Each import of a matrix one requirement longer appends one promise.
    let one_by_one = Fixture::clean();
    for rows in 1..=ROWS {
        one_by_one.write("matrix.csv", &generated_matrix(rows));
        let run = import(&one_by_one, "matrix.csv", &map, &[]);
        assert_eq!(run.code, 0, "{rows} rows: {}", run.stderr);
    }
    let yaml = read(&at_once, "promises/rfp.yaml");
    assert_eq!(yaml, read(&one_by_one, "promises/rfp.yaml"));
    assert_eq!(yaml.matches("\n  - id: ").count(), ROWS, "{yaml}");
}
