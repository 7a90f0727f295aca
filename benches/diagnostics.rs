//! Rendering the problems of a large broken file (issue 10, "Scale of
//! diagnostics"): 8,000 promises with one misspelt key each must be loaded
//! and every one of the 8,000 problems rendered in well under a second.
//! Rendering used to rescan the file for each problem (14 s here).
//!
//! Run with `cargo bench --bench diagnostics`; it prints the time and
//! asserts nothing about it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use handoff::diag::render_limited;
use handoff::load::{FsTree, load_all};

const ITEMS: usize = 8_000;

fn generate(dir: &Path) -> std::io::Result<()> {
    std::fs::write(
        dir.join("handoff.yaml"),
        "id: BENCH\nname: Bench\ncustomer: { name: C }\ncontract: { type: fixed_price, currency: EUR, services_value: 1000000 }\n\
         dates: { kickoff: 2026-01-01 }\neffort: { sold: 1000, cost_rate: 100, target_margin: 0.3 }\n\
         success_criteria: [ { text: t } ]\n",
    )?;
    // Block style, so every problem quotes its own line of a large file.
    let mut p = String::from("promises:\n");
    for i in 0..ITEMS {
        let _ = write!(
            p,
            "  - id: P-{i}\n    title: Promise {i}\n    priority: should\n    acceptance: ok\n    titel: misspelt {i}\n"
        );
    }
    std::fs::write(dir.join("promises.yaml"), p)
}

/// Load time, render time, number of problems, bytes rendered.
fn time_render(dir: &Path) -> (Duration, Duration, usize, usize) {
    let start = Instant::now();
    let loaded = load_all(&FsTree, &[PathBuf::from(dir)]);
    let loading = start.elapsed();
    let start = Instant::now();
    let text = render_limited(&loaded.diagnostics, &loaded.sources, false, None);
    (
        loading,
        start.elapsed(),
        loaded.diagnostics.len(),
        text.len(),
    )
}

fn main() -> std::io::Result<()> {
    let dir = tempfile::tempdir()?;
    generate(dir.path())?;
    time_render(dir.path()); // warm the file cache
    let best = (0..3)
        .map(|_| time_render(dir.path()))
        .min_by_key(|(load, render, _, _)| *load + *render);
    if let Some((load, render, problems, bytes)) = best {
        println!(
            "{ITEMS} items, {problems} problems: load {:.1} ms + render all {:.1} ms = {:.1} ms ({bytes} bytes of diagnostics)",
            load.as_secs_f64() * 1000.0,
            render.as_secs_f64() * 1000.0,
            (load + render).as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
