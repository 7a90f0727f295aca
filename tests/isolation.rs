//! One broken engagement never blinds the rest (issue 10): a repository
//! with three engagements, one broken, judged in every output format of
//! `check`, and by `report` and `status`.
#![allow(clippy::panic)] // test failures panic

use serde_json::Value;

use crate::common::{HANDOFF, PROMISES, SCOPE, STAKEHOLDERS, run_in};

/// A repository (a `.git` folder stops the config search) with the
/// engagements alpha, bravo and charlie; bravo's scope has a misspelt key.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let repo = Repo { dir };
        std::fs::create_dir(repo.dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
        repo.write(
            "handoff.toml",
            "[required]\nsignoffs = []\n[rules]\nunreviewed-bid = \"off\"\n",
        );
        for name in ["alpha", "bravo", "charlie"] {
            let id = format!("id: T-{}", name.to_uppercase());
            repo.write(
                &format!("{name}/handoff.yaml"),
                &HANDOFF.replace("id: T-1", &id),
            );
            repo.write(&format!("{name}/stakeholders.yaml"), STAKEHOLDERS);
            repo.write(&format!("{name}/promises.yaml"), PROMISES);
            repo.write(&format!("{name}/scope.yaml"), SCOPE);
        }
        repo.write("bravo/scope.yaml", &SCOPE.replace("covers:", "coverz:"));
        repo
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    fn run(&self, args: &[&str]) -> crate::common::Run {
        run_in(self.dir.path(), args)
    }

    fn json(&self, args: &[&str]) -> Value {
        let run = self.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}\n{}", run.stdout))
    }
}

/// What the user reads on stderr in every format: bravo's problem.
fn assert_problem_on_stderr(stderr: &str) {
    assert!(
        stderr.contains("unknown key `coverz` in scope item"),
        "{stderr}"
    );
    assert!(stderr.contains("bravo/scope.yaml:4:5"), "{stderr}");
}

#[test]
fn check_text_judges_the_others_and_exits_2() {
    let run = Repo::new().run(&["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("T-ALPHA"), "{}", run.stdout);
    assert!(run.stdout.contains("T-CHARLIE"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("bravo: invalid: 1 problem (each shown as an error)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("3 engagements: 2 ready, 0 ready with warnings, 0 not ready, 1 invalid"),
        "{}",
        run.stdout
    );
    assert_problem_on_stderr(&run.stderr);
    assert!(
        run.stderr.contains(
            "note: bravo could not be judged (verdict: invalid); the other 2 engagements are reported above"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn check_json_gives_the_broken_one_verdict_invalid_with_its_diagnostics() {
    let repo = Repo::new();
    let doc = repo.json(&["check", ".", "--format", "json"]);
    assert_eq!(doc["schema"], "handoff-check/2");
    let engagements = doc["engagements"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    let verdicts: Vec<(&str, &str)> = engagements
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap_or_default(),
                e["verdict"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("alpha", "ready"),
            ("bravo", "invalid"),
            ("charlie", "ready")
        ]
    );
    let bravo = &engagements[1];
    assert_eq!(bravo["id"], Value::Null);
    assert_eq!(bravo["figures"], Value::Null);
    assert_eq!(bravo["findings"], serde_json::json!([]));
    assert_eq!(
        bravo["diagnostics"],
        serde_json::json!([{
            "file": "bravo/scope.yaml",
            "line": 4,
            "column": 5,
            "message": "unknown key `coverz` in scope item",
            "help": "did you mean `covers`? allowed keys: id, title, covers, coverage, approach, effort, due, owner, phase, acceptance, internal, status, note",
        }])
    );
    assert_eq!(engagements[0]["diagnostics"], serde_json::json!([]));
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
}

#[test]
fn check_sarif_reports_the_problems_under_invalid_file() {
    let doc = Repo::new().json(&["check", ".", "--format", "sarif"]);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    let results = run["results"].as_array().unwrap_or_else(|| panic!("{doc}"));
    let invalid: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "invalid-file")
        .collect();
    assert_eq!(invalid.len(), 1, "{results:?}");
    let result = invalid[0];
    let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
    assert_eq!(rules[index]["id"], "invalid-file");
    assert_eq!(result["level"], "error");
    assert_eq!(result["properties"]["engagement"], "bravo");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "bravo/scope.yaml");
    assert_eq!(location["region"]["startLine"], 4);
    // Still valid SARIF 2.1.0, with a problem that has no file too.
    let repo = Repo::new();
    repo.write("handoff.toml", "[rules]\nopen-gap = \"loud\"\n");
    let doc = repo.json(&["check", ".", "--format", "sarif"]);
    let mut schema: Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).unwrap_or_default();
    crate::check_formats::fix_language_patterns(&mut schema);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn check_github_annotates_the_problem_and_lists_the_verdicts() {
    let run = Repo::new().run(&["check", ".", "--format", "github"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "::error file=bravo/scope.yaml,line=4,col=5,title=handoff%3A invalid file::unknown key `coverz` in scope item"
        ),
        "{}",
        run.stdout
    );
    for line in [
        "T-ALPHA: ready (0 errors, 0 warnings, 0 infos)",
        "T-CHARLIE: ready (0 errors, 0 warnings, 0 infos)",
        "bravo: invalid (1 problem)",
        "3 engagements checked, 0 not ready, 1 invalid",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "{line}\n{}",
            run.stdout
        );
    }
    assert_problem_on_stderr(&run.stderr);
}

#[test]
fn check_markdown_lists_the_invalid_one_and_its_problem() {
    let run = Repo::new().run(&["check", ".", "--format", "markdown"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("| `bravo` | **invalid** | 1 problem | — | — | — | — |"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("| `bravo` | `bravo/scope.yaml:4:5` | unknown key `coverz` in scope item"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("| **T-ALPHA** | ready |"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("| **T-CHARLIE** | ready |"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_not_ready_engagement_beside_a_broken_one_still_exits_2() {
    let repo = Repo::new();
    // alpha loses its scope: its promise is unscoped, an error.
    std::fs::remove_file(repo.dir.path().join("alpha/scope.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = repo.run(&["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout.contains("error[unscoped-promise]"),
        "{}",
        run.stdout
    );
}

#[test]
fn report_shows_the_others_in_every_format() {
    let repo = Repo::new();
    let run = repo.run(&["report", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("(alpha)"), "{}", run.stdout);
    assert!(run.stdout.contains("(charlie)"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("bravo: invalid: 1 problem (each shown as an error)"),
        "{}",
        run.stdout
    );
    assert_problem_on_stderr(&run.stderr);

    let run = repo.run(&["report", ".", "--format", "markdown"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("## bravo: invalid"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("- `bravo/scope.yaml:4:5`: unknown key `coverz` in scope item"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("T-ALPHA"), "{}", run.stdout);

    let doc = repo.json(&["report", ".", "--format", "json"]);
    let verdicts: Vec<&str> = doc["engagements"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|e| e["verdict"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(verdicts, ["ready", "invalid", "ready"]);
    assert_eq!(
        doc["engagements"][1]["diagnostics"][0]["message"],
        "unknown key `coverz` in scope item"
    );
}

#[test]
fn status_shows_the_others() {
    let run = Repo::new().run(&["status", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.contains("T-ALPHA (alpha)"), "{}", run.stdout);
    assert!(run.stdout.contains("T-CHARLIE (charlie)"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("bravo: invalid: 1 problem (each shown as an error)"),
        "{}",
        run.stdout
    );
    assert_problem_on_stderr(&run.stderr);
}

#[test]
fn a_bad_root_config_is_a_top_level_diagnostic() {
    let repo = Repo::new();
    repo.write("handoff.toml", "[rules]\nopen-gap = \"loud\"\n");
    let doc = repo.json(&["check", ".", "--format", "json"]);
    let general = doc["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(general.len(), 1, "{doc}");
    assert_eq!(general[0]["file"], "handoff.toml");
    // No engagement is judged under rules that could not be read.
    for e in doc["engagements"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
    {
        assert_eq!(e["verdict"], "invalid", "{e}");
    }
}

#[test]
fn discovery_exclude_leaves_out_folders_below_the_path_but_never_the_path() {
    let repo = Repo::new();
    repo.write(
        "handoff.toml",
        "[required]\nsignoffs = []\n[rules]\nunreviewed-bid = \"off\"\n[discovery]\nexclude = [\"brav?\"]\n",
    );
    let run = repo.run(&["check", ".", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = doc["engagements"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"))
        .iter()
        .map(|e| e["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(paths, ["alpha", "charlie"]);
    // Named on the command line, it is read all the same.
    let run = repo.run(&["check", "bravo"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_problem_on_stderr(&run.stderr);
    // Globs are relative to the file, wherever the command runs.
    let run = run_in(&repo.dir.path().join("alpha"), &["check", ".."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn this_repository_leaves_out_its_own_fixtures() {
    let root = crate::common::repo_root();
    let run = run_in(&root, &["check", ".", "--format", "json"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(!run.stdout.contains("tests/fixtures"), "{}", run.stdout);
    assert!(
        !run.stdout.contains("src/commands/starter"),
        "{}",
        run.stdout
    );
}

/// Item 6: outside a git repository, a `handoff.toml` above the folder
/// given never applies; the config used is always named.
#[test]
fn outside_a_repository_no_config_above_the_given_folder_applies() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let outer = dir.path();
    std::fs::write(
        outer.join("handoff.toml"),
        "[rules]\nsignoff-missing = \"off\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let eng = outer.join("eng");
    std::fs::create_dir(&eng).unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in [
        ("handoff.yaml", HANDOFF),
        ("stakeholders.yaml", STAKEHOLDERS),
        ("promises.yaml", PROMISES),
        ("scope.yaml", SCOPE),
    ] {
        std::fs::write(eng.join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    let config_of = |cwd: &std::path::Path, path: &str| {
        let run = run_in(cwd, &["check", path, "--format", "json"]);
        let doc: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
        doc["engagements"][0]["config"].clone()
    };
    // Given the engagement (or run inside it), the file above is ignored.
    assert_eq!(config_of(outer, "eng"), Value::Null);
    assert_eq!(config_of(&eng, "."), Value::Null);
    let run = run_in(&eng, &["check"]);
    assert!(
        run.stdout
            .contains("  config:   none (the built-in defaults)\n"),
        "{}",
        run.stdout
    );
    // Given the folder that holds it, it applies, and is named.
    assert_eq!(config_of(outer, "."), "handoff.toml");
    let run = run_in(outer, &["check", "."]);
    assert!(
        run.stdout.contains("  config:   handoff.toml\n"),
        "{}",
        run.stdout
    );
}

/// Item 7: terminal escapes in titles, notes and ids never reach the
/// terminal raw, in any output. A control character in a file's text is
/// refused where it is written (it is never text anyone meant, and a
/// colour sequence could hide what is next to it); one typed on the
/// command line is shown escaped.
#[test]
fn control_characters_never_reach_the_terminal() {
    let f = crate::common::Fixture::clean();
    f.write(
        "handoff.yaml",
        &HANDOFF.replace("id: T-1", "id: \"T-\\e[2J1\"").replace(
            "name: Test engagement",
            "name: \"Evil \\e]0;pwned\\a\\r title\"",
        ),
    );
    f.write(
        "promises.yaml",
        &PROMISES
            .replace("title: Order import", "title: \"Order \\e[8mimport\"")
            .replace("acceptance:", "\"colour\\e[8m\": x\n    acceptance:"),
    );
    for args in [
        &["check", "."][..],
        &["check", ".", "--format", "json"],
        &["report", "."],
        &["report", ".", "--format", "markdown"],
        &["pid", "."],
        &["status", "."],
    ] {
        let run = f.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\r'),
                "{args:?} {stream}: {text:?}"
            );
        }
        for key in ["`id`", "`name`", "`title`"] {
            assert!(
                run.stderr.contains(&format!(
                    "{key} holds a control character (U+001B), which is not text"
                )),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    assert!(
        f.run(&["check", "."])
            .stderr
            .contains("unknown key `colour\\u{1b}[8m` in promise"),
        "a key is quoted escaped"
    );
    let clean = crate::common::Fixture::clean();
    let run = clean.run(&["sign", "sales", "--by", "nobody\u{1b}[2J", "."]);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(run.stderr.contains("nobody\\x1b[2J"), "{}", run.stderr);
}

impl Repo {
    /// Makes the folder a git repository with everything committed.
    fn commit_all(&self) {
        std::fs::remove_dir(self.dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
        let repo = git2::Repository::init(self.dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let mut index = repo.index().unwrap_or_else(|e| panic!("{e}"));
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap_or_else(|e| panic!("{e}"));
        index.write().unwrap_or_else(|e| panic!("{e}"));
        let tree_id = index.write_tree().unwrap_or_else(|e| panic!("{e}"));
        let tree = repo.find_tree(tree_id).unwrap_or_else(|e| panic!("{e}"));
        let when = git2::Time::new(1_767_225_600, 0);
        let sig = git2::Signature::new("Pat Tester", "pat@example.com", &when)
            .unwrap_or_else(|e| panic!("{e}"));
        repo.commit(Some("HEAD"), &sig, &sig, "three engagements", &tree, &[])
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn diff_compares_what_it_can_read_and_lists_the_rest() {
    let repo = Repo::new();
    // Committed broken; in the working tree charlie changes.
    repo.commit_all();
    repo.write(
        "charlie/scope.yaml",
        &SCOPE.replace("effort: 10", "effort: 12"),
    );
    let run = repo.run(&["diff"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("T-CHARLIE"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Not compared (cannot be read):"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  bravo at "), "{}", run.stdout);
    assert_problem_on_stderr(&run.stderr);
    assert!(
        run.stderr
            .contains("note: the other 2 engagements are compared above"),
        "{}",
        run.stderr
    );

    let doc = repo.json(&["diff", "--format", "json"]);
    let not_compared = doc["not_compared"]
        .as_array()
        .unwrap_or_else(|| panic!("{doc}"));
    // Unreadable at both sides: listed once per side.
    assert_eq!(not_compared.len(), 2, "{doc}");
    assert_eq!(not_compared[0]["path"], "bravo");
    assert_eq!(
        not_compared[0]["diagnostics"][0]["message"],
        "unknown key `coverz` in scope item"
    );
    assert_eq!(
        doc["engagements"].as_array().map(Vec::len),
        Some(2),
        "{doc}"
    );

    let run = repo.run(&["diff", "--format", "markdown"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("  - `bravo/scope.yaml:4:5`: unknown key `coverz` in scope item"),
        "{}",
        run.stdout
    );
}

/// Run from a subfolder of an engagement, pid, sign, status and report
/// use the enclosing engagement, as git finds its repository.
#[test]
fn from_a_subfolder_the_enclosing_engagement_is_used() {
    let f = crate::common::Fixture::clean();
    f.write("notes/minutes/2026-03-01.md", "kickoff minutes\n");
    let sub = f.path().join("notes/minutes");
    for args in [&["status"][..], &["report"], &["pid"]] {
        let run = run_in(&sub, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("T-1"), "{args:?}: {}", run.stdout);
    }
    let run = run_in(&sub, &["status"]);
    assert!(run.stdout.contains("T-1 (../..)"), "{}", run.stdout);
    let run = run_in(&sub, &["sign", "sales", "--by", "spm"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(f.path().join("signoffs.yaml").is_file());
    assert!(!sub.join("signoffs.yaml").exists());
    // A folder not inside an engagement is still searched below.
    let repo = Repo::new();
    let run = repo.run(&["status", "."]);
    assert!(run.stdout.contains("T-ALPHA (alpha)"), "{}", run.stdout);
}

/// `--all-problems` prints every problem; without it, the first 200 and a
/// count.
#[test]
fn all_problems_prints_every_problem() {
    let f = crate::common::Fixture::clean();
    let mut scope = String::from("scope:\n");
    for i in 0..250 {
        scope.push_str(&format!(
            "  - id: S-{i}\n    title: t\n    effort: 1\n    coverz: [P-1]\n"
        ));
    }
    f.write("scope.yaml", &scope);
    let run = f.run(&["check", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.matches("unknown key `coverz`").count(), 200);
    assert!(
        run.stderr.contains(
            "... and 50 more problems not shown: fix the ones above and run again, or see every one with --all-problems"
        ),
        "{}",
        run.stderr
    );
    let run = f.run(&["check", ".", "--all-problems"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.matches("unknown key `coverz`").count(), 250);
    assert!(!run.stderr.contains("more problems not shown"));
}

/// Item 10: a `promises/` folder that is a git submodule is not read, and
/// `check` says so plainly (as `diff` does: a commit holds only a link).
#[test]
fn a_submodule_promises_folder_is_said_not_to_be_read() {
    let f = crate::common::Fixture::clean();
    f.remove("promises.yaml");
    f.write("promises/.git", "gitdir: ../.git/modules/promises\n");
    f.write("promises/promises.yaml", PROMISES);
    let run = f.run(&["check", "."]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "promises is a git submodule: handoff does not read submodules, so its promises are not read"
        ),
        "{}",
        run.stderr
    );
}

/// In a fresh clone a submodule is an empty folder: `.gitmodules` says
/// what it is, so its promises are said not to be read rather than missing.
#[test]
fn a_submodule_not_checked_out_is_said_not_to_be_read() {
    let repo = Repo::new();
    std::fs::remove_file(repo.dir.path().join("alpha/promises.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(repo.dir.path().join("alpha/promises")).unwrap_or_else(|e| panic!("{e}"));
    repo.write(
        ".gitmodules",
        "[submodule \"promises\"]\n\tpath = alpha/promises\n\turl = https://example.com/promises.git\n",
    );
    let run = repo.run(&["check", "alpha"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "alpha/promises is a git submodule: handoff does not read submodules, so its promises are not read"
        ),
        "{}",
        run.stderr
    );
}

/// Item 10 in `diff`: a commit that records `promises/` as a submodule (a
/// link to another commit) gets the same plain message as `check`.
#[test]
fn a_submodule_promises_folder_is_said_not_to_be_read_in_diff_too() {
    let repo = Repo::new();
    repo.write("bravo/scope.yaml", SCOPE);
    repo.commit_all();
    let git = git2::Repository::open(repo.dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let head = git
        .head()
        .and_then(|h| h.peel_to_commit())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut index = git.index().unwrap_or_else(|e| panic!("{e}"));
    index
        .remove_path(std::path::Path::new("alpha/promises.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let path = b"alpha/promises".to_vec();
    let entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o160_000,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: head.id(),
        flags: u16::try_from(path.len()).unwrap_or(0xfff),
        flags_extended: 0,
        path,
    };
    index.add(&entry).unwrap_or_else(|e| panic!("{e}"));
    let tree = git
        .find_tree(index.write_tree().unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let sig = git2::Signature::new(
        "Pat Tester",
        "pat@example.com",
        &git2::Time::new(1_767_225_700, 0),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    git.commit(
        Some("HEAD"),
        &sig,
        &sig,
        "promises as a submodule",
        &tree,
        &[&head],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = repo.run(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "alpha/promises is a git submodule: handoff does not read submodules, so its promises are not read"
        ),
        "{}",
        run.stderr
    );
    // The other engagements are still compared.
    assert!(run.stdout.contains("T-CHARLIE"), "{}", run.stdout);
}

/// A sign-off for a role the config does not know makes that engagement
/// unreadable for `diff`, as a bad file does; the others are compared.
#[test]
fn diff_sets_apart_an_engagement_with_an_unknown_signoff_role() {
    let repo = Repo::new();
    repo.write("bravo/scope.yaml", SCOPE);
    repo.write(
        "alpha/signoffs.yaml",
        "signoffs:\n  - role: auditor\n    by: spm\n    decision: approved\n    date: 2026-01-01\n    fingerprint: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    );
    repo.commit_all();
    repo.write(
        "charlie/scope.yaml",
        &SCOPE.replace("effort: 10", "effort: 12"),
    );
    let run = repo.run(&["diff"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("T-CHARLIE"), "{}", run.stdout);
    assert!(run.stdout.contains("  alpha at "), "{}", run.stdout);
    assert!(run.stderr.contains("auditor"), "{}", run.stderr);
    let doc = repo.json(&["diff", "--format", "json"]);
    assert_eq!(doc["not_compared"][0]["path"], "alpha", "{doc}");
    assert_eq!(
        doc["engagements"].as_array().map(Vec::len),
        Some(2),
        "{doc}"
    );
}
