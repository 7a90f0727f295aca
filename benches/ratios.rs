//! Each command's whole-process time as a ratio to a bare parse of the same
//! files, measured in the same run (issue 17), plus peak memory: a
//! regression shows as a ratio, whatever the machine's speed.
//!
//! The bare parse is this program run again with `--bare-parse FILE…`: it
//! reads every file and parses it with the same YAML crate and options as
//! `handoff`, into a generic value, and does nothing else. Rounds alternate
//! the bare parse and the commands; each ratio is the median over the
//! rounds of (command time / bare parse time in that round).
//!
//! Shapes: `normal` (N promises, N scope items, N/5 gaps), the same
//! engagement signed, and three pathological ones: one scope item covering
//! every promise, N gaps naming one promise, and K = N scope items
//! covering one promise that K open gaps name. N is 10,000; with
//! `BENCH_LARGE=1` every shape runs at 100,000 too, and a last table says
//! how much longer ten times the items took (linear is about 10x).
//!
//! Under each shape, the ratios between commands the issue sets goals
//! for, per round, in wall time and in CPU time (user and system): a
//! second core can hide work from the first but not remove it. GNU time
//! gives CPU time in hundredths of a second, so for a command of 0.2 s a
//! CPU ratio moves by about 0.05 from one tick; the wall ratios are the
//! finer ones, and instruction counts (`--generate`, then callgrind) the
//! exact ones.
//!
//! Run with `cargo bench --bench ratios` (release). `BENCH_ROUNDS` sets
//! the rounds (default 7). `-- --generate DIR` only writes the engagements
//! (each shape's plain, signed and git copies) under DIR, to profile the
//! same files by hand. Peak memory needs GNU time at /usr/bin/time;
//! without it the column is empty. Nothing is asserted: the figures are
//! for the reader and the notes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const HANDOFF: &str = "id: BENCH\nname: Bench\ncustomer: { name: C }\n\
contract: { type: fixed_price, currency: EUR, services_value: 1000000 }\n\
dates: { kickoff: 2026-06-01, go_live: 2026-12-01 }\n\
effort: { unit: days, sold: 1000, cost_rate: 500, target_margin: 0.3 }\n\
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]\n";

const STAKEHOLDERS: &str = "stakeholders:\n  - key: cexec\n    name: Carla Exec\n    org: customer\n    roles: [executive, customer_pm]\n  - key: spm\n    name: Sam PM\n    org: supplier\n    roles: [sales_owner, project_manager]\n";

const CONFIG: &str = "[required]\nsignoffs = []\n[rules]\nunreviewed-bid = \"off\"\n";

const TODAY: &str = "2026-03-10";

/// One generated engagement, as block-style YAML like people write it.
struct Shape {
    name: String,
    promises: String,
    scope: String,
    gaps: String,
}

fn promise(out: &mut String, i: usize) {
    let _ = write!(
        out,
        "  - id: P-{i}\n    title: Promise number {i} with a title of usual length\n    priority: should\n    response: standard\n    commitment: contractual\n    acceptance: The customer accepts item {i}\n"
    );
}

fn scope_item(out: &mut String, i: usize, covers: &str) {
    let _ = write!(
        out,
        "  - id: S-{i}\n    title: Deliver item {i}\n    covers: [{covers}]\n    effort: 0.05\n"
    );
}

fn gap(out: &mut String, i: usize, promise: &str) {
    let _ = write!(
        out,
        "  - id: G-{i}\n    promise: {promise}\n    kind: unscoped\n    criticality: minor\n    status: open\n"
    );
}

fn normal(n: usize) -> Shape {
    let (mut p, mut s, mut g) = (
        String::from("promises:\n"),
        String::from("scope:\n"),
        String::from("gaps:\n"),
    );
    for i in 0..n {
        promise(&mut p, i);
        if i % 5 == 0 {
            gap(&mut g, i, &format!("P-{i}"));
        } else {
            scope_item(&mut s, i, &format!("P-{i}"));
        }
    }
    Shape {
        name: format!("normal {n}"),
        promises: p,
        scope: s,
        gaps: g,
    }
}

fn one_scope_covers_all(n: usize) -> Shape {
    let mut p = String::from("promises:\n");
    for i in 0..n {
        promise(&mut p, i);
    }
    let ids: Vec<String> = (0..n).map(|i| format!("P-{i}")).collect();
    let mut s = String::from("scope:\n");
    scope_item(&mut s, 0, &ids.join(", "));
    Shape {
        name: format!("1 scope item covers {n} promises"),
        promises: p,
        scope: s,
        gaps: String::from("gaps: []\n"),
    }
}

fn gaps_name_one(n: usize) -> Shape {
    let mut p = String::from("promises:\n");
    promise(&mut p, 0);
    let mut g = String::from("gaps:\n");
    for i in 0..n {
        gap(&mut g, i, "P-0");
    }
    Shape {
        name: format!("{n} gaps name 1 promise"),
        promises: p,
        scope: String::from("scope: []\n"),
        gaps: g,
    }
}

fn k_cover_k_gaps(k: usize) -> Shape {
    let mut p = String::from("promises:\n");
    promise(&mut p, 0);
    let (mut s, mut g) = (String::from("scope:\n"), String::from("gaps:\n"));
    for i in 0..k {
        scope_item(&mut s, i, "P-0");
        gap(&mut g, i, "P-0");
    }
    Shape {
        name: format!("{k} scope items cover 1 promise, {k} gaps name it"),
        promises: p,
        scope: s,
        gaps: g,
    }
}

fn write(dir: &Path, shape: &Shape) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("handoff.yaml"), HANDOFF)?;
    std::fs::write(dir.join("stakeholders.yaml"), STAKEHOLDERS)?;
    std::fs::write(dir.join("promises.yaml"), &shape.promises)?;
    std::fs::write(dir.join("scope.yaml"), &shape.scope)?;
    std::fs::write(dir.join("gaps.yaml"), &shape.gaps)?;
    std::fs::write(dir.join("handoff.toml"), CONFIG)
}

fn yaml_files(dir: &Path) -> Vec<String> {
    [
        "handoff",
        "stakeholders",
        "promises",
        "scope",
        "gaps",
        "signoffs",
    ]
    .iter()
    .map(|f| dir.join(format!("{f}.yaml")))
    .filter(|p| p.is_file())
    .map(|p| p.to_string_lossy().into_owned())
    .collect()
}

/// The bare parse: same crate, same options as `handoff`'s YAML module.
fn bare_parse(files: &[String]) -> std::io::Result<()> {
    let mut nodes = 0usize;
    for file in files {
        let text = std::fs::read_to_string(file)?;
        let options = serde_saphyr::options! {
            strict_booleans: true,
            leading_zero_numbers_as_strings: true,
            with_snippet: false,
            reject_unsupported_tags: true,
            budget: serde_saphyr::budget! {
                max_nodes: 5_000_000,
                max_events: 10_000_000,
            },
        };
        let value: serde_json::Value = serde_saphyr::from_str_with_options(&text, options)
            .map_err(|e| std::io::Error::other(format!("{file}: {e}")))?;
        nodes += count(&value);
    }
    // Printed so the parse cannot be optimised away.
    println!("{nodes}");
    Ok(())
}

fn count(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(count).sum::<usize>(),
        serde_json::Value::Object(m) => 1 + m.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

/// What one run took.
struct Run {
    /// Wall seconds.
    wall: f64,
    /// Peak resident memory in MiB, and CPU seconds (user and system), when
    /// GNU time is there.
    peak: Option<f64>,
    cpu: Option<f64>,
}

/// Runs `program args` in `dir`, output discarded. A run that could not
/// evaluate (exit 2) is said on stderr: its time would mean nothing.
fn measure(dir: &Path, program: &Path, args: &[String]) -> Run {
    let gnu_time = Path::new("/usr/bin/time");
    let stats = dir.join(".bench-time");
    let mut cmd = if gnu_time.is_file() {
        let mut c = Command::new(gnu_time);
        c.arg("-f")
            .arg("%M %U %S")
            .arg("-o")
            .arg(&stats)
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let start = Instant::now();
    let status = cmd.status();
    let secs = start.elapsed().as_secs_f64();
    match status {
        Err(e) => eprintln!("cannot run {}: {e}", program.display()),
        Ok(s) if s.code() == Some(2) => {
            eprintln!(
                "{} {args:?} in {} exited 2",
                program.display(),
                dir.display()
            );
        }
        Ok(_) => {}
    }
    let figures: Vec<f64> = std::fs::read_to_string(&stats)
        .ok()
        .and_then(|t| t.lines().last().map(str::to_string))
        .map(|line| {
            line.split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    Run {
        wall: secs,
        peak: figures.first().map(|kb| kb / 1024.0),
        cpu: (figures.len() == 3).then(|| figures[1] + figures[2]),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("git {args:?} failed in {}", dir.display());
    }
}

/// A repository whose last commit changes 1% of the promises, for `diff`.
fn diff_repo(dir: &Path, shape: &Shape) -> std::io::Result<()> {
    write(dir, shape)?;
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=b",
            "-c",
            "user.email=b@b",
            "commit",
            "-qm",
            "base",
        ],
    );
    let changed = shape
        .promises
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i % 600 == 2 {
                format!("{l} (changed)\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect::<String>();
    std::fs::write(dir.join("promises.yaml"), changed)?;
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=b",
            "-c",
            "user.email=b@b",
            "commit",
            "-qm",
            "head",
        ],
    );
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bare-parse") {
        return bare_parse(&args[1..]);
    }
    let me = std::env::current_exe()?;
    let handoff = PathBuf::from(env!("CARGO_BIN_EXE_handoff"));
    let keep = match args.first().map(String::as_str) {
        Some("--generate") => match args.get(1) {
            Some(dir) => Some(PathBuf::from(dir)),
            None => {
                eprintln!("--generate needs the folder to write the engagements into");
                return Ok(());
            }
        },
        _ => None,
    };
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    // Every shape at 10,000 items, and at 100,000 too with BENCH_LARGE:
    // a shape is linear when ten times the items take about ten times as
    // long, which the table at the end shows.
    let families: [fn(usize) -> Shape; 4] =
        [normal, one_scope_covers_all, gaps_name_one, k_cover_k_gaps];
    let sizes: &[usize] = if std::env::var_os("BENCH_LARGE").is_some() {
        &[10_000, 100_000]
    } else {
        &[10_000]
    };
    let shapes: Vec<(usize, usize, Shape)> = families
        .iter()
        .enumerate()
        .flat_map(|(family, make)| sizes.iter().map(move |&n| (family, n, make(n))))
        .collect();
    // (family, size) → median seconds of each command.
    let mut medians: Vec<(usize, usize, Vec<f64>)> = Vec::new();

    if keep.is_none() {
        println!(
            "{:<52} {:<16} {:>9} {:>8} {:>9}",
            "shape", "command", "median s", "ratio", "peak MiB"
        );
    }
    for (family, size, shape) in &shapes {
        let scratch = tempfile::tempdir()?;
        let root = match &keep {
            Some(keep) => keep.join(format!("shape{family}-{size}")),
            None => scratch.path().to_path_buf(),
        };
        let dir = root.join("e");
        write(&dir, shape)?;
        let signed = root.join("signed");
        write(&signed, shape)?;
        let sign: Vec<String> = [
            "sign", "sales", "--by", "spm", "--date", TODAY, "--today", TODAY, ".",
        ]
        .map(String::from)
        .to_vec();
        let _ = measure(&signed, &handoff, &sign);
        let repo = root.join("repo");
        diff_repo(&repo, shape)?;
        if keep.is_some() {
            println!("{}: {}", shape.name, root.display());
            continue;
        }

        let check: Vec<String> = ["check", ".", "--format", "json", "--today", TODAY]
            .map(String::from)
            .to_vec();
        let pid: Vec<String> = ["pid", ".", "--today", TODAY].map(String::from).to_vec();
        let diff: Vec<String> = [
            "diff", "HEAD~1", "HEAD", "--format", "json", "--today", TODAY,
        ]
        .map(String::from)
        .to_vec();
        let mut bare: Vec<String> = vec!["--bare-parse".into()];
        bare.extend(yaml_files(&dir));
        let mut bare_signed: Vec<String> = vec!["--bare-parse".into()];
        bare_signed.extend(yaml_files(&signed));
        let commands: [(&str, &Path, &Vec<String>, &Path); 4] = [
            ("check", &dir, &check, &dir),
            ("check (signed)", &signed, &check, &signed),
            ("pid", &dir, &pid, &dir),
            ("diff", &repo, &diff, &dir),
        ];
        // Warm the page cache once.
        let _ = measure(&dir, &me, &bare);
        let mut ratios = vec![Vec::new(); commands.len()];
        let mut times = vec![Vec::new(); commands.len()];
        let mut cpu = vec![Vec::new(); commands.len()];
        let mut peaks = vec![0.0f64; commands.len()];
        let mut bare_times = Vec::new();
        let mut bare_peak = 0.0f64;
        for _ in 0..rounds {
            let b = measure(&dir, &me, &bare);
            let bs = measure(&signed, &me, &bare_signed).wall;
            bare_times.push(b.wall);
            bare_peak = bare_peak.max(b.peak.unwrap_or(0.0));
            for (i, (_, at, args, _)) in commands.iter().enumerate() {
                let run = measure(at, &handoff, args);
                let base = if i == 1 { bs } else { b.wall };
                ratios[i].push(run.wall / base);
                times[i].push(run.wall);
                cpu[i].extend(run.cpu);
                peaks[i] = peaks[i].max(run.peak.unwrap_or(0.0));
            }
        }
        println!(
            "{:<52} {:<16} {:>9.3} {:>8} {:>9.1}",
            shape.name,
            "bare parse",
            median(bare_times),
            "1.00",
            bare_peak
        );
        for (i, (name, ..)) in commands.iter().enumerate() {
            println!(
                "{:<52} {:<16} {:>9.3} {:>7.2}x {:>9.1}",
                "",
                name,
                median(times[i].clone()),
                median(ratios[i].clone()),
                peaks[i]
            );
        }
        // The other targets are ratios between commands, per round.
        // Wall time is what people wait for; CPU time (user and system)
        // is the work, which a second core can hide but not remove.
        let per_round = |of: &[Vec<f64>], a: usize, b: usize| {
            median(of[a].iter().zip(&of[b]).map(|(x, y)| x / y).collect())
        };
        for (what, of) in [("wall", &times), ("cpu ", &cpu)] {
            if of.iter().any(Vec::is_empty) {
                continue;
            }
            println!(
                "{:<52} {what} signed/unsigned {:.2}x, pid/check {:.2}x, diff/check {:.2}x",
                "",
                per_round(of, 1, 0),
                per_round(of, 2, 0),
                per_round(of, 3, 0)
            );
        }
        medians.push((
            *family,
            *size,
            times.iter().map(|t| median(t.clone())).collect(),
        ));
    }
    if sizes.len() > 1 && keep.is_none() {
        println!("\nten times the items (linear is about 10x):");
        for (family, small, at_small) in medians.iter().filter(|m| m.1 == sizes[0]) {
            let Some((_, large, at_large)) = medians
                .iter()
                .find(|m| m.0 == *family && m.1 == sizes[sizes.len() - 1])
            else {
                continue;
            };
            let growth: Vec<String> = ["check", "check (signed)", "pid", "diff"]
                .iter()
                .zip(at_small.iter().zip(at_large))
                .map(|(name, (a, b))| format!("{name} {:.1}x", b / a))
                .collect();
            println!(
                "{:<52} {small} -> {large}: {}",
                shapes
                    .iter()
                    .find(|s| s.0 == *family && s.1 == *small)
                    .map_or("", |s| s.2.name.as_str()),
                growth.join(", ")
            );
        }
    }
    Ok(())
}
