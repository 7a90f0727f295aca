//! Spreadsheets at scale (issue 11): exporting an engagement of 2,000
//! promises and 2,000 scope items to a workbook, importing the untouched
//! workbook (three-way: nothing to change), and importing a csv file that
//! changes 1,000 titles (the surgical editor keeps one parse of the file
//! while values are replaced in place; re-parsing per edit took minutes),
//! and importing a csv file of 1,000 new promises (appended after one
//! parse of the file, not one each).
//!
//! Run with `cargo bench --bench spreadsheets`; it prints the times and
//! asserts nothing about them.

use std::fmt::Write as _;
use std::path::Path;

mod common;
use common::time;

const ITEMS: usize = 2_000;
const CHANGED: usize = 1_000;
const ADDED: usize = 1_000;

fn generate(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join(".git"))?;
    let eng = dir.join("eng");
    std::fs::create_dir_all(&eng)?;
    std::fs::write(
        eng.join("handoff.yaml"),
        "id: BENCH\nname: Bench\ncontract: { type: fixed_price, currency: EUR, services_value: 100000 }\neffort: { unit: days, sold: 5000 }\n",
    )?;
    std::fs::write(
        eng.join("stakeholders.yaml"),
        "stakeholders:\n  - key: pm\n    name: P M\n    org: supplier\n    roles: [project_manager, sales_owner]\n",
    )?;
    let mut promises = String::from("promises:\n");
    let mut scope = String::from("scope:\n");
    for i in 0..ITEMS {
        let _ = write!(
            promises,
            "  - id: P-{i:04}\n    title: Promise number {i}\n    priority: must\n    commitment: contractual\n\n"
        );
        let _ = write!(
            scope,
            "  - id: S-{i:04}\n    title: Scope {i}\n    covers: [P-{i:04}]\n    effort: 2\n\n"
        );
    }
    std::fs::write(eng.join("promises.yaml"), promises)?;
    std::fs::write(eng.join("scope.yaml"), scope)?;
    // Every promise's editable columns, the first CHANGED titles revised.
    let mut csv = String::from("\u{feff}Id,Promise,Priority,Commitment\r\n");
    for i in 0..ITEMS {
        let revised = if i < CHANGED { " (revised)" } else { "" };
        let _ = write!(
            csv,
            "P-{i:04},Promise number {i}{revised},must,contractual\r\n"
        );
    }
    std::fs::write(dir.join("promises.csv"), csv)?;
    // Promises the file does not hold yet; the rows not in it stay.
    let mut csv = String::from("\u{feff}Id,Promise,Priority,Commitment\r\n");
    for i in 0..ADDED {
        let _ = write!(csv, "N-{i:04},New promise {i},should,proposal\r\n");
    }
    // A csv file is named for its kind.
    std::fs::create_dir_all(dir.join("new"))?;
    std::fs::write(dir.join("new/promises.csv"), csv)
}

fn main() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    generate(dir.path())?;
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (eng, book, csv) = (path("eng"), path("book.xlsx"), path("promises.csv"));
    let export = time(&["handoff", "-q", "export", &eng, "-o", &book, "--force"]);
    let unchanged = time(&["handoff", "-q", "import", &book, &eng]);
    let changed = time(&["handoff", "-q", "import", &csv, &eng]);
    let added = time(&["handoff", "-q", "import", &path("new/promises.csv"), &eng]);
    println!(
        "{ITEMS} promises + {ITEMS} scope items: export {:.0} ms, import of the untouched workbook {:.0} ms, import of {CHANGED} changed titles (csv) {:.0} ms, import of {ADDED} new promises (csv) {:.0} ms",
        export.as_secs_f64() * 1000.0,
        unchanged.as_secs_f64() * 1000.0,
        changed.as_secs_f64() * 1000.0,
        added.as_secs_f64() * 1000.0
    );
    Ok(())
}
