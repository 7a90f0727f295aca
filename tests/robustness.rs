//! Hostile input: odd YAML, odd files, odd paths, odd pipes. Whatever comes
//! in, the tool answers with exit 0, 1 or 2 and, for bad input, a message
//! with file:line:column and what to do; it never panics or hangs.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, Run};

fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{}",
        run.stderr
    );
}

/// Words from the YAML parser's API that users must never see.
fn assert_plain(err: &str) {
    for jargon in [
        "from_str",
        "DuplicateKeyPolicy",
        "Options",
        "policy",
        "budget",
        "f64",
        "struct ",
        " at line ",
    ] {
        assert!(!err.contains(jargon), "`{jargon}` leaked into: {err}");
    }
}

/// Runs handoff in `dir`, killing it (and failing) if it takes longer than
/// `limit`: a hang is a bug as much as a panic is.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("HANDOFF_COST_RATE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run handoff: {e}"));
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("handoff {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// A figure of the first engagement in `check --format json`, as written.
fn figure(json: &str, name: &str) -> String {
    let doc: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON: {e}\n{json}"));
    doc["engagements"][0]["figures"][name].to_string()
}

// ---------------------------------------------------------------- YAML

#[test]
fn a_second_yaml_document_is_explained_without_parser_jargon() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &format!("{}---\nscope:\n  - id: S-2\n    effort: 1\n", common::SCOPE),
    );
    let err = f.refused();
    assert!(err.contains("more than one YAML document"), "{err}");
    assert!(err.contains("scope.yaml:7:1"), "{err}");
    assert!(err.contains("`---`"), "the help names the separator: {err}");
    assert_plain(&err);
}

#[test]
fn a_key_written_twice_is_named_without_parser_jargon() {
    let f = Fixture::clean();
    f.write("scope.yaml", &format!("{}    effort: 12\n", common::SCOPE));
    let err = f.refused();
    assert!(err.contains("`effort` is written twice"), "{err}");
    assert!(err.contains("scope.yaml:6:5"), "{err}");
    assert!(err.contains("keep only one"), "{err}");
    assert_plain(&err);
}

#[test]
fn infinite_and_not_a_number_are_rejected_in_plain_words() {
    for value in [".nan", ".inf", "-.inf", "1e999"] {
        let f = Fixture::clean();
        f.write(
            "scope.yaml",
            &common::SCOPE.replace("effort: 10", &format!("effort: {value}")),
        );
        let err = f.refused();
        assert!(
            err.contains(&format!("`{value}` is not a number that can be used")),
            "{err}"
        );
        assert!(err.contains("scope.yaml:5:13"), "{err}");
        assert_plain(&err);
    }
}

#[test]
fn absurdly_large_numbers_are_refused_instead_of_printing_inf() {
    for value in ["1e308", "99999999999999999999999"] {
        let f = Fixture::clean();
        f.write(
            "scope.yaml",
            &common::SCOPE.replace("effort: 10", &format!("effort: {value}")),
        );
        let err = f.refused();
        assert!(err.contains("`effort` is too large"), "{err}");
        assert!(err.contains(value), "says what was written: {err}");
        assert!(err.contains("scope.yaml:5:13"), "{err}");
        assert!(!err.contains("inf"), "{err}");
    }
}

#[test]
fn tab_indentation_gets_advice_to_use_spaces() {
    let f = Fixture::clean();
    f.write("scope.yaml", "scope:\n\t- id: S-1\n\t  effort: 10\n");
    let err = f.refused();
    assert!(err.contains("scope.yaml:2:"), "{err}");
    assert!(err.contains("indent with spaces"), "{err}");
    assert_plain(&err);
}

#[test]
fn runaway_nesting_is_reported_not_crashed_on() {
    let f = Fixture::clean();
    let depth = 100_000;
    f.write(
        "gaps.yaml",
        &format!(
            "gaps:\n  - id: G-1\n    summary: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    let err = f.refused();
    assert!(err.contains("nested too deeply"), "{err}");
    assert!(err.contains("gaps.yaml:3:"), "{err}");

    let f = Fixture::clean();
    let mut deep = String::from("gaps:\n  - id: G-1\n    summary:\n");
    for level in 0..200 {
        deep.push_str(&format!("{}- \n", "  ".repeat(level + 3)));
    }
    f.write("gaps.yaml", &deep);
    let err = f.refused();
    assert!(err.contains("nested too deeply"), "{err}");
    assert_plain(&err);
}

#[test]
fn an_alias_to_a_missing_anchor_is_explained() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("Configure order import", "*nowhere"),
    );
    let err = f.refused();
    assert!(err.contains("scope.yaml:3:12"), "{err}");
    assert!(err.contains("anchor"), "{err}");
}

#[test]
fn an_alias_bomb_is_refused_not_expanded() {
    // "Billion laughs": each level repeats the one before nine times.
    let f = Fixture::clean();
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!(
            "a{level}: &a{level} [{}]\n",
            vec![previous; 9].join(", ")
        ));
    }
    text.push_str("gaps: []\n");
    f.write("gaps.yaml", &text);
    let run = run_within(f.path(), &["check", "."], Duration::from_secs(60));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("gaps.yaml is not valid YAML"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("aliases"), "{}", run.stderr);
    assert_plain(&run.stderr);
}

#[test]
fn anchors_aliases_and_merge_keys_work_as_yaml_says() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        "scope:\n  - &base\n    id: S-1\n    title: Configure order import\n    covers: [P-1]\n    effort: 5\n  - <<: *base\n    id: S-2\n",
    );
    let run = f.run(&["check", ".", "--format", "json", "--today", "2026-03-10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        figure(&run.stdout, "effort_scoped"),
        "10.0",
        "S-2 inherits effort 5"
    );
}

#[test]
fn a_large_file_loads() {
    // About 5 MB and 400,000 YAML nodes: more than the parser's default cap.
    let f = Fixture::clean();
    let mut text = String::with_capacity(6_000_000);
    text.push_str(common::PROMISES);
    for i in 0..40_000 {
        text.push_str(&format!(
            "  - id: X-{i}\n    title: Promise number {i}\n    priority: wont\n    asked: \"{}\"\n",
            "the customer asked for this in the tender ".repeat(2)
        ));
    }
    f.write("promises.yaml", &text);
    let run = run_within(
        f.path(),
        &["check", ".", "--today", "2026-03-10"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("40000 not applicable"),
        "{}",
        run.stdout
    );
}

#[test]
fn numeric_ids_keep_their_spelling() {
    // RFP sections 3.1 and 3.10 are different promises; read as numbers
    // they would both be 3.1.
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!(
            "{}  - id: 3.1\n    title: Section 3.1\n    priority: could\n  - id: 3.10\n    title: Section 3.10\n    priority: could\n",
            common::PROMISES
        ),
    );
    f.write(
        "scope.yaml",
        &format!(
            "{}  - id: S-2\n    title: Section 3.10 work\n    covers: [3.10]\n    effort: 0\n",
            common::SCOPE
        ),
    );
    let rows = f.findings(&[]);
    assert!(
        !rows.iter().any(|r| r.0 == "duplicate-id"),
        "3.1 and 3.10 are different ids: {rows:?}"
    );
    assert!(
        common::has(&rows, "unscoped-promise", "info", "3.1"),
        "3.1 is not covered: {rows:?}"
    );
    assert!(
        !rows.iter().any(|r| r.2 == "3.10"),
        "3.10 is covered by S-2: {rows:?}"
    );
}

#[test]
fn a_blank_id_or_title_is_an_error() {
    let f = Fixture::clean();
    f.write("scope.yaml", &common::SCOPE.replace("id: S-1", "id: \"\""));
    let err = f.refused();
    assert!(err.contains("scope item has an empty `id`"), "{err}");
    assert!(err.contains("scope.yaml:2:9"), "{err}");

    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("title: Order import", "title: \"  \""),
    );
    let err = f.refused();
    assert!(err.contains("promise has an empty `title`"), "{err}");
    assert!(err.contains("promises.yaml:3:12"), "{err}");
}

#[test]
fn negative_zero_shows_as_zero() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace("sold: 10", "sold: -0.0"),
    );
    let run = f.run(&["check", ".", "--format", "json", "--today", "2026-03-10"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(figure(&run.stdout, "effort_sold"), "0.0");
}

#[test]
fn a_value_that_is_not_a_mapping_lists_the_allowed_keys() {
    let f = Fixture::clean();
    f.write("promises.yaml", &format!("{}  -\n", common::PROMISES));
    let err = f.refused();
    assert!(err.contains("each promise must be a mapping"), "{err}");
    assert!(err.contains("allowed keys: id, title"), "{err}");
    // The caret sits at the end of line 8; it must not run on into line 9.
    assert!(!err.contains("|_"), "one-line snippet: {err}");
}

// -------------------------------------------------------------- figures

#[test]
fn scoped_effort_when_nothing_was_sold_is_an_overrun() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &common::HANDOFF.replace("sold: 10", "sold: 0"),
    );
    let rows = f.findings(&[]);
    assert!(
        common::has(&rows, "effort-overrun", "error", "effort"),
        "10 days scoped against 0 sold: {rows:?}"
    );

    // Nothing sold and nothing scoped is no overrun.
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("effort: 10", "effort: 0"),
    );
    let rows = f.findings(&[]);
    assert!(!rows.iter().any(|r| r.0 == "effort-overrun"), "{rows:?}");
}

// ---------------------------------------------------------------- files

#[test]
fn a_folder_named_like_an_engagement_file_is_an_error() {
    let f = Fixture::clean();
    f.remove("scope.yaml");
    std::fs::create_dir(f.path().join("scope.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let err = f.refused();
    assert!(err.contains("scope.yaml is a folder"), "{err}");
    assert!(err.contains("scope.yaml:1:1"), "{err}");
}

#[test]
fn a_folder_named_handoff_yaml_is_an_error() {
    let f = Fixture::clean();
    f.remove("handoff.yaml");
    std::fs::create_dir(f.path().join("handoff.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let err = f.refused();
    assert!(err.contains("handoff.yaml is a folder"), "{err}");
    assert!(
        !err.contains("no engagement found"),
        "one clear message: {err}"
    );
}

#[cfg(unix)]
#[test]
fn a_broken_link_as_an_engagement_file_is_an_error() {
    let f = Fixture::clean();
    f.remove("scope.yaml");
    std::os::unix::fs::symlink("/nonexistent/scope.yaml", f.path().join("scope.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(f.path().join("gaps")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("/nonexistent/g.yaml", f.path().join("gaps/g.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let err = f.refused();
    assert!(err.contains("scope.yaml is not a regular file"), "{err}");
    assert!(err.contains("gaps/g.yaml is not a regular file"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_whose_name_is_not_utf8_is_reported_not_skipped() {
    use std::os::unix::ffi::OsStrExt as _;
    let f = Fixture::clean();
    std::fs::create_dir(f.path().join("promises")).unwrap_or_else(|e| panic!("{e}"));
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.yaml");
    std::fs::write(
        f.path().join("promises").join(name),
        common::PROMISES.replace("P-1", "P-2"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = f.refused();
    assert!(err.contains("has a name that is not UTF-8 text"), "{err}");
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_do_not_hang_the_search() {
    let f = Fixture::clean();
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(target, f.path().join(at)).unwrap_or_else(|e| panic!("{e}"));
    };
    // Under the engagement's own scope/ folder...
    f.write("scope/more.yaml", "scope: []\n");
    link("..", "scope/up");
    link("../scope", "scope/again");
    let run = run_within(
        f.path(),
        &["check", ".", "--today", "2026-03-10"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    // ...and in a folder searched for engagements.
    let root = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(root.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(root.path().join("a/b")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("..", root.path().join("a/b/up")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("../..", root.path().join("a/b/top"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = run_within(root.path(), &["check", "."], Duration::from_secs(60));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no engagement found"), "{}", run.stderr);
}

#[test]
fn overlapping_paths_check_each_engagement_once() {
    let root = common::repo_root();
    let run = common::run_in(
        &root,
        &[
            "check",
            "examples",
            "examples/acme-wms",
            "examples/./acme-wms/",
            "--format",
            "json",
            "--today",
            "2026-03-10",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("bad JSON: {e}"));
    let ids: Vec<&str> = doc["engagements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["ACME-2026-WMS", "HARBOUR-2026-KITCHEN", "NORDWIND-2026-CRM"]
    );
}

// --------------------------------------------------------------- config

#[test]
fn config_thresholds_must_be_real_fractions() {
    for (line, word) in [
        ("margin_floor = nan", "margin_floor"),
        ("effort_variance_low = -inf", "effort_variance_low"),
        ("effort_variance_fail = inf", "effort_variance_fail"),
        ("margin_floor = 5", "margin_floor"),
    ] {
        let f = Fixture::clean();
        f.config(&format!("[thresholds]\n{line}\n"));
        let err = f.refused();
        assert!(err.contains(&format!("`{word}`")), "{line}: {err}");
        assert!(err.contains("handoff.toml:"), "{line}: {err}");
    }
}

#[test]
fn config_of_the_wrong_type_is_explained_in_plain_words() {
    let f = Fixture::clean();
    f.config("[thresholds]\neffort_variance_warn = \"high\"\n");
    let err = f.refused();
    assert!(
        err.contains("expected a number such as 0.10, found text \"high\""),
        "{err}"
    );
    assert!(err.contains("handoff.toml:2:24"), "{err}");
    assert_plain(&err);

    let f = Fixture::clean();
    f.config("[required]\nroles = \"executive\"\n");
    let err = f.refused();
    assert!(err.contains("expected a list"), "{err}");
    assert_plain(&err);
}

#[test]
fn config_that_is_a_folder_or_missing_is_exit_2() {
    let f = Fixture::clean();
    std::fs::create_dir(f.path().join("conf")).unwrap_or_else(|e| panic!("{e}"));
    let run = f.run(&["check", ".", "--config", "conf"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read config conf: it is a folder"),
        "{}",
        run.stderr
    );
    let run = f.run(&["check", ".", "--config", "missing.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read config missing.toml"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_folder_named_handoff_toml_is_not_silently_ignored() {
    let f = Fixture::clean();
    f.config("[rules]\nunsold-scope = \"error\"\n");
    f.remove("handoff.toml");
    std::fs::create_dir(f.path().join("handoff.toml")).unwrap_or_else(|e| panic!("{e}"));
    let run = f.run(&["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("cannot read config handoff.toml: it is a folder"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn config_that_is_a_device_is_refused_not_read_for_ever() {
    let f = Fixture::clean();
    let run = run_within(
        f.path(),
        &["check", ".", "--config", "/dev/zero"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

// ------------------------------------------------------------ pid, init

#[test]
fn pid_output_into_a_missing_folder_says_which() {
    let f = Fixture::clean();
    let run = f.run(&["pid", ".", "-o", "docs/out/PID.md"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the folder docs/out does not exist"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn pid_never_writes_over_something_that_is_not_a_file() {
    let f = Fixture::clean();
    let status = Command::new("mkfifo")
        .arg(f.path().join("PID.md"))
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(status.success());
    let run = run_within(
        f.path(),
        &["pid", ".", "-o", "PID.md", "--force"],
        Duration::from_secs(60),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    let kind = std::fs::symlink_metadata(f.path().join("PID.md"))
        .unwrap_or_else(|e| panic!("{e}"))
        .file_type();
    assert!(!kind.is_file(), "the pipe was replaced by a file");
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_broken_link() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("elsewhere.yaml");
    std::fs::create_dir(dir.path().join("eng")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&target, dir.path().join("eng/scope.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = common::run_in(dir.path(), &["init", "eng"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("eng/scope.yaml already exists"),
        "{}",
        run.stderr
    );
    assert!(!target.exists(), "nothing written through the link");
    assert!(
        !dir.path().join("eng/handoff.yaml").exists(),
        "nothing was written"
    );
}

// ---------------------------------------------------------------- pipes

/// Starts handoff with stdout on a pipe that is closed after `keep` bytes,
/// as `handoff ... | head -c KEEP` does.
fn run_into_closed_pipe(dir: &Path, args: &[&str], keep: usize) -> Run {
    let mut child = Command::new(common::bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run handoff: {e}"));
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut first = vec![0; keep];
    let _ = stdout.read_exact(&mut first);
    drop(stdout);
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::new(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    let f = Fixture::clean();
    // Enough output to fill the pipe, so writing meets the closed end.
    let mut text = String::from(common::PROMISES);
    for i in 0..3_000 {
        text.push_str(&format!(
            "  - id: X-{i}\n    title: Promise {i}\n    priority: could\n"
        ));
    }
    f.write("promises.yaml", &text);
    for args in [
        &["report", "."][..],
        &["check", ".", "--today", "2026-03-10"],
        &["check", ".", "--format", "json"],
        &["pid", "."],
    ] {
        let run = run_into_closed_pipe(f.path(), args, 1);
        assert!(run.stderr.is_empty(), "{args:?}: {}", run.stderr);
        assert!((0..=1).contains(&run.code), "{args:?}: exit {}", run.code);
    }
    // Short status lines meet the closed pipe too.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = run_into_closed_pipe(dir.path(), &["init", "new"], 0);
    assert_no_panic(&run);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn piped_output_has_no_colour_codes() {
    let examples = common::repo_root().join("examples");
    let out = Command::new(common::bin())
        .args(["check", "--today", "2026-03-10"])
        .arg(&examples)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.stdout.is_empty());
    assert!(!out.stdout.contains(&0x1b), "ANSI escape in piped stdout");
    assert!(!out.stderr.contains(&0x1b), "ANSI escape in piped stderr");
}
