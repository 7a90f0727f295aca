//! `handoff import rfp` at scale (issue 12): the first import of a matrix
//! of ROWS requirements (every promise appended to a new file), a
//! re-import of the same matrix with every comment revised (values
//! replaced in place), and a re-import with nothing to change.
//!
//! Run with `cargo bench --bench rfp`; it prints the times and asserts
//! nothing about them. `HANDOFF_BENCH_ROWS=2000` sets another size.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

mod common;
use common::time;

const ROWS: usize = 400;

/// ROWS, or the size asked in the environment.
fn rows() -> usize {
    std::env::var("HANDOFF_BENCH_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ROWS)
}

const MAP: &str = r#"
[columns]
id = "Requirement ID"
asked = "Requirement"
response = "Compliance"
promised = "Vendor Comments"
sold_effort = "Estimated Days"

[codes]
Comply = "standard"
"Partially comply" = "partial"
Exception = "exception"
"#;

fn matrix(comment: &str) -> String {
    let mut csv =
        String::from("Requirement ID,Requirement,Compliance,Vendor Comments,Estimated Days\n");
    for i in 0..rows() {
        if i % 50 == 0 {
            let _ = writeln!(csv, "Section {} Module {},,,,", i / 50 + 1, i / 50 + 1);
        }
        let answer = ["Comply", "Partially comply", "Exception"][i % 3];
        let _ = writeln!(
            csv,
            "{}.{:02},\"The system shall support requirement {i} for the buyer. More text follows.\",{answer},{comment} {i},{}",
            i / 50 + 1,
            i % 50 + 1,
            i % 4
        );
    }
    csv
}

fn generate(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join(".git"))?;
    let eng = dir.join("eng");
    std::fs::create_dir_all(&eng)?;
    std::fs::write(
        eng.join("handoff.yaml"),
        "id: BENCH\nname: Bench\ncontract: { type: fixed_price, currency: EUR, services_value: 100000 }\neffort: { unit: days, sold: 500 }\n",
    )?;
    std::fs::write(
        eng.join("stakeholders.yaml"),
        "stakeholders:\n  - key: pm\n    name: P M\n    org: supplier\n    roles: [project_manager, sales_owner]\n",
    )?;
    std::fs::write(dir.join("map.toml"), MAP)?;
    std::fs::write(dir.join("matrix.csv"), matrix("Comment"))?;
    std::fs::write(dir.join("revised.csv"), matrix("Note"))
}

fn main() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    generate(dir.path())?;
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (eng, map) = (path("eng"), path("map.toml"));
    let import = |matrix: &str| {
        time(&[
            "handoff",
            "-q",
            "import",
            "rfp",
            &path(matrix),
            &eng,
            "--map",
            &map,
        ])
    };
    let first = import("matrix.csv");
    let revised = import("revised.csv");
    let unchanged = import("revised.csv");
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} requirements: first import {:.0} ms, re-import with every comment revised {:.0} ms, re-import with nothing to change {:.0} ms",
        rows(),
        ms(first),
        ms(revised),
        ms(unchanged)
    );
    Ok(())
}
