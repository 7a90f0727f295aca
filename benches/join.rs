//! Load-and-check time on generated engagements of growing size.
//!
//! Target: a 20,000-promise engagement (20,000 scope items, 2,000 gaps) is
//! loaded and checked in under 2 seconds in release mode on a 2-core
//! machine, and time grows linearly: the 10× engagement must take well
//! under 20× as long (a promises × scope join would take ~100×).
//!
//! Run with `cargo bench`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use handoff::error::Error;
use handoff::load::{FsTree, load_all};
use handoff::workspace::{Options, Source, Workspace};

fn generate(dir: &Path, promises: usize) -> std::io::Result<()> {
    std::fs::write(
        dir.join("handoff.yaml"),
        "id: BENCH\nname: Bench\ncustomer: { name: C }\ncontract: { type: fixed_price, currency: EUR, services_value: 1000000 }\n\
         dates: { kickoff: 2026-01-01 }\neffort: { sold: 1000, cost_rate: 100, target_margin: 0.3 }\n\
         success_criteria: [ { text: t } ]\n",
    )?;
    let mut p = String::from("promises:\n");
    let mut s = String::from("scope:\n");
    let mut g = String::from("gaps:\n");
    for i in 0..promises {
        let _ = writeln!(
            p,
            "  - {{ id: P-{i}, title: Promise {i}, priority: should, acceptance: ok, due: 2026-06-01 }}"
        );
        // Every third item covers two promises; every tenth promise is unscoped.
        if i % 10 != 0 {
            let extra = if i % 3 == 0 {
                format!(", P-{}", (i + 1) % promises)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "  - {{ id: S-{i}, covers: [P-{i}{extra}], effort: 0.05, due: 2026-05-01 }}"
            );
        }
        if i % 10 == 0 {
            let _ = writeln!(
                g,
                "  - {{ id: G-{i}, promise: P-{i}, kind: unscoped, criticality: minor, due: 2026-02-01 }}"
            );
        }
    }
    std::fs::write(dir.join("promises.yaml"), p)?;
    std::fs::write(dir.join("scope.yaml"), s)?;
    std::fs::write(dir.join("gaps.yaml"), g)
}

fn time_check(dir: &Path) -> (Duration, usize) {
    let options = Options {
        today: handoff::date::Date::parse("2026-03-10"),
        ..Options::default()
    };
    let start = Instant::now();
    let loaded = load_all(&FsTree, &[PathBuf::from(dir)]);
    let workspace = match Workspace::new(Source::WorkTree, options).judge(loaded) {
        Ok(w) => w,
        Err(failure) => {
            handoff::output::messages::error(&Error::Invalid(failure));
            std::process::exit(2);
        }
    };
    let findings: usize = workspace
        .evaluations()
        .iter()
        .map(|e| e.findings.len())
        .sum();
    (start.elapsed(), findings)
}

fn main() -> std::io::Result<()> {
    let mut results = Vec::new();
    for n in [2_000, 20_000] {
        let dir = tempfile::tempdir()?;
        generate(dir.path(), n)?;
        time_check(dir.path()); // warm the file cache
        let best = (0..3)
            .map(|_| time_check(dir.path()))
            .min_by_key(|(d, _)| *d);
        if let Some((elapsed, findings)) = best {
            println!(
                "{n:>6} promises: load + check {:>8.1} ms ({findings} findings)",
                elapsed.as_secs_f64() * 1000.0
            );
            results.push(elapsed.as_secs_f64());
        }
    }
    if let [small, large] = results[..] {
        println!(
            "scaling 10x items: {:.1}x time (linear ≈ 10x, a nested join ≈ 100x)",
            large / small
        );
    }
    Ok(())
}
