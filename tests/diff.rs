//! `handoff diff` through the binary, on throwaway git repositories built
//! with git2. Commits use a fixed author and clock, so their ids (which the
//! output prints) are the same on every run.

// A failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{IndexAddOption, Oid, Repository, Signature, Time};
use tempfile::TempDir;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diff-demo");
const FILES: &[&str] = &[
    "handoff.yaml",
    "stakeholders.yaml",
    "promises.yaml",
    "scope.yaml",
    "gaps.yaml",
];
const DEMO: &str = "clients/demo";

struct TestRepo {
    dir: TempDir,
    repo: Repository,
    commits: i64,
}

/// Ends inside `[rules]`, so a test can append a rule level.
const BASE_CONFIG: &str = "[required]\nsignoffs = []\n\n[rules]\nunreviewed-bid = \"off\"\n";

impl TestRepo {
    /// A repository with the demo engagement in clients/demo, not committed.
    fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        // Pin the first branch's name whatever the machine's git config says.
        repo.set_head("refs/heads/main").unwrap();
        let t = TestRepo {
            dir,
            repo,
            commits: 0,
        };
        for file in FILES {
            let text = std::fs::read_to_string(Path::new(FIXTURE).join(file)).unwrap();
            t.write(&format!("{DEMO}/{file}"), &text);
        }
        // Sign-offs are tested in tests/signoffs.rs; here they would add the
        // same findings to both sides of every comparison.
        t.write("handoff.toml", BASE_CONFIG);
        t
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces `from` (which must be there) with `to` in a file.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Commits the working tree onto `branch` with the given parents.
    fn commit_to(&mut self, branch: &str, parents: &[Oid], message: &str) -> Oid {
        let mut index = self.repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        self.commits += 1;
        let when = Time::new(1_767_225_600 + self.commits * 60, 0);
        let sig = Signature::new("Pat Tester", "pat@example.com", &when).unwrap();
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| self.repo.find_commit(*p).unwrap())
            .collect();
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let refname = format!("refs/heads/{branch}");
        // A new branch (or one that moved elsewhere) is set directly.
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &parent_refs)
            .unwrap();
        self.repo.reference(&refname, oid, true, message).unwrap();
        oid
    }

    /// Commits the working tree on top of main.
    fn commit(&mut self, message: &str) -> Oid {
        let parent = self
            .repo
            .refname_to_id("refs/heads/main")
            .ok()
            .into_iter()
            .collect::<Vec<_>>();
        self.commit_to("main", &parent, message)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("HANDOFF_COST_RATE")
            .output()
            .unwrap()
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}\n{}", stdout(out), stderr(out)))
}

const TODAY: &str = "2026-03-10";

/// The late changes a pull request might bring: a promise added in a late
/// call, a scope item trimmed, a gap reopened and escalated, the promise
/// the customer already agreed to changed, a stakeholder's private notes
/// rewritten, and the sold effort cut.
fn late_changes(t: &TestRepo) {
    let promises = format!("{DEMO}/promises.yaml");
    t.edit(
        &promises,
        "Four months of hypercare after go-live.",
        "Six months of hypercare after go-live.",
    );
    let text = t.read(&promises);
    t.write(
        &promises,
        &format!(
            "{text}\n  - id: P-04\n    title: Real-time stock updates to SAP\n    priority: must\n    commitment: verbal\n    acceptance: \"Stock in SAP changes within a minute of a scan.\"\n"
        ),
    );
    let scope = format!("{DEMO}/scope.yaml");
    t.edit(
        &scope,
        "  - id: S-02\n    title: Carrier label integration\n    covers: [P-02]\n    effort: 40\n\n",
        "",
    );
    let gaps = format!("{DEMO}/gaps.yaml");
    t.edit(&gaps, "criticality: minor", "criticality: major");
    t.edit(&gaps, "status: agreed", "status: open");
    let people = format!("{DEMO}/stakeholders.yaml");
    t.edit(
        &people,
        "her bonus depends on the go-live date.",
        "she is leaving in June.",
    );
    t.edit(&people, "title: Operations Director", "title: COO");
    t.edit(&format!("{DEMO}/handoff.yaml"), "sold: 100", "sold: 80");
}

#[test]
fn added_removed_and_changed_items_are_reported_field_by_field() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    late_changes(&t);
    t.commit("late changes");

    let out = t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Highlights come first, in plain words.
    let highlights = text.find("Highlights").unwrap();
    let items = text.find("Promises (").unwrap();
    assert!(highlights < items, "{text}");
    for expected in [
        "Should-have promise P-02 “Shipping labels for PostNL and DHL” lost its scope",
        "Gap G-01 “Hypercare extended from four weeks to four months instead of a discount.” was reopened",
        "escalated from minor to major",
        "New must-have promise P-04 “Real-time stock updates to SAP” has no scope",
        "Promise P-03 “Hypercare for four months” changed (acceptance) after the customer agreed to gap G-01 (with anna on 2026-02-26)",
        "Scoped effort fell below the -20.0% floor",
        "+ P-04 “Real-time stock updates to SAP”",
        "− S-02 “Carrier label integration”",
        "acceptance: Four months of hypercare after go-live. → Six months of hypercare after go-live.",
        "criticality: minor → major",
        "status: agreed → open",
        "title: Operations Director → COO",
        "notes changed (private",
        "effort.sold: 100 → 80",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // Private notes never show without the flag.
    assert!(!text.contains("leaving in June"), "{text}");
    assert!(!text.contains("bonus"), "{text}");

    let shown = t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY, "--show-notes"]);
    assert!(stdout(&shown).contains("she is leaving in June"));
}

#[test]
fn markdown_for_a_pull_request_comment() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    late_changes(&t);
    t.commit("late changes");
    let out = t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "markdown",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("leaving in June"));
    insta::assert_snapshot!("late_changes_markdown", text);
}

#[test]
fn text_for_a_terminal() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    late_changes(&t);
    t.commit("late changes");
    let out = t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "text",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("leaving in June"));
    insta::assert_snapshot!("late_changes_text", text);
}

#[test]
fn json_contract_for_late_changes() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    late_changes(&t);
    t.commit("late changes");
    let out = t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["schema"], "handoff-diff/2");
    let e = &doc["engagements"][0];
    assert_eq!(e["status"], "changed");
    // Private values are left out of the contract, not just the text.
    assert!(!stdout(&out).contains("leaving in June"));
    insta::assert_snapshot!("late_changes_json", stdout(&out));
}

#[test]
fn a_promise_moved_to_another_file_is_no_change() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    let promises = format!("{DEMO}/promises.yaml");
    let p02 = "  - id: P-02\n    title: Shipping labels for PostNL and DHL\n    priority: should\n    commitment: contractual\n    acceptance: \"Labels print for both carriers.\"\n    sold_effort: 40\n\n";
    t.edit(&promises, p02, "");
    t.write(
        &format!("{DEMO}/promises/late-call.yaml"),
        &format!("promises:\n{p02}"),
    );
    t.commit("move P-02 to its own file");

    let out = t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let e = &doc["engagements"][0];
    assert_eq!(e["status"], "unchanged", "{doc:#}");
    assert_eq!(e["moved"], false);
    assert_eq!(e["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(e["findings"]["new"].as_array().map(Vec::len), Some(0));

    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(text.contains("Unchanged: DEMO-2026-WMS"), "{text}");
}

#[test]
fn a_moved_engagement_folder_is_a_move_not_a_delete_and_an_add() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    std::fs::create_dir_all(t.path("archive")).unwrap();
    std::fs::rename(t.path(DEMO), t.path("archive/demo")).unwrap();
    t.commit("archive the demo engagement");

    let out = t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let engagements = doc["engagements"].as_array().unwrap();
    assert_eq!(engagements.len(), 1, "{doc:#}");
    let e = &engagements[0];
    assert_eq!(e["status"], "unchanged");
    assert_eq!(e["moved"], true);
    assert_eq!(e["path_before"], "clients/demo");
    assert_eq!(e["path_after"], "archive/demo");
    assert_eq!(doc["summary"]["moved"], 1);
    assert_eq!(doc["summary"]["added"], 0);
    assert_eq!(doc["summary"]["removed"], 0);

    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(
        text.contains("moved from clients/demo to archive/demo"),
        "{text}"
    );
}

#[test]
fn three_dots_compare_with_the_merge_base_so_main_moving_on_is_not_blamed_on_the_branch() {
    let mut t = TestRepo::new();
    let base = t.commit("handoff as signed");
    let promises = format!("{DEMO}/promises.yaml");
    let signed = t.read(&promises);

    // The pull request's branch renames a promise.
    t.edit(
        &promises,
        "title: Receive goods against advance shipping notices",
        "title: Receive goods against ASNs, with photos of damage",
    );
    t.commit_to("feature", &[base], "sharpen P-01");

    // Meanwhile main gains a promise from a late call.
    t.write(
        &promises,
        &format!(
            "{signed}\n  - id: P-09\n    title: Weekly stock report by email\n    priority: could\n    commitment: proposal\n"
        ),
    );
    t.commit("P-09 from the late call");

    let out = t.run(&[
        "diff",
        "main...feature",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["base"]["commit"], base.to_string());
    assert_eq!(doc["base"]["label"], "merge-base of main and feature");
    let items = doc["engagements"][0]["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["P-01"], "{doc:#}");
    assert_eq!(items[0]["change"], "changed");

    // Two dots (or two revisions) compare the tips: P-09 looks removed.
    let direct = json(&t.run(&["diff", "main", "feature", "--format", "json"]));
    let ids: Vec<String> = direct["engagements"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("{} {}", i["id"], i["change"]))
        .collect();
    assert!(ids.contains(&"\"P-09\" \"removed\"".to_string()), "{ids:?}");
}

/// The ids of the items a JSON comparison lists as changed, with the
/// fields that changed.
fn changed_items(doc: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    doc["engagements"][0]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| {
            let fields = item["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["field"].as_str().map(String::from))
                .collect();
            (item["id"].as_str().unwrap_or_default().to_string(), fields)
        })
        .collect()
}

#[test]
fn an_item_written_the_same_is_still_changed_when_an_alias_it_takes_changed() {
    let mut t = TestRepo::new();
    let extra = format!("{DEMO}/promises/labels.yaml");
    t.write(
        &extra,
        "promises:\n  - id: P-90\n    title: &label Barcode scanning\n    priority: could\n  - id: P-91\n    title: *label\n    priority: could\n",
    );
    t.commit("two promises sharing a title");
    // P-91's own text does not change; the title it takes does.
    t.edit(&extra, "&label Barcode scanning", "&label RFID scanning");
    t.commit("the shared title changes");

    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    assert_eq!(
        changed_items(&doc),
        [
            ("P-90".to_string(), vec!["title".to_string()]),
            ("P-91".to_string(), vec!["title".to_string()]),
        ],
        "{doc:#}"
    );
}

#[test]
fn items_written_differently_are_compared_by_value_and_written_the_same_are_unchanged() {
    let mut t = TestRepo::new();
    let extra = format!("{DEMO}/promises/late.yaml");
    t.write(
        &extra,
        "promises:\n  - id: P-90\n    title: Barcode scanning\n    priority: could\n  - id: P-91\n    title: RFID scanning\n    acceptance: [Reads a pallet tag]\n",
    );
    t.commit("late promises");
    // P-90 indented otherwise (the same values); P-91's last list emptied,
    // the last thing in the file.
    t.write(
        &extra,
        "promises:\n    -   id: P-90\n        title: \"Barcode scanning\"\n        priority: could\n    -   id: P-91\n        title: RFID scanning\n        acceptance: []\n",
    );
    t.commit("reindented, and one list emptied");

    for head in [&["HEAD~1", "HEAD"][..], &["HEAD~1"][..]] {
        let mut args = vec!["diff"];
        args.extend_from_slice(head);
        args.extend_from_slice(&["--today", TODAY, "--format", "json"]);
        let doc = json(&t.run(&args));
        assert_eq!(
            changed_items(&doc),
            [("P-91".to_string(), vec!["acceptance".to_string()])],
            "{args:?}: {doc:#}"
        );
    }
}

#[test]
fn bare_diff_compares_the_working_tree_with_head() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.edit(&format!("{DEMO}/scope.yaml"), "effort: 50", "effort: 65");

    let out = t.run(&["diff", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("Comparing "), "{text}");
    assert!(text.contains("(HEAD) → working tree"), "{text}");
    assert!(text.contains("effort: 50 → 65"), "{text}");
    assert!(
        text.contains("effort scoped     100 days → 115 days"),
        "{text}"
    );

    let doc = json(&t.run(&["diff", "--today", TODAY, "--format", "json"]));
    assert_eq!(doc["head"]["commit"], serde_json::Value::Null);
    assert_eq!(doc["head"]["label"], "working tree");
    assert_eq!(doc["base"]["label"], "HEAD");

    // Limiting to a path that holds no engagement on either side is an error.
    let out = t.run(&["diff", "--", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_branch_missing_from_the_clone_exits_2_with_the_fetch_command() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.repo
        .remote("origin", "https://git.example.com/acme/handoffs.git")
        .unwrap();

    let out = t.run(&["diff", "origin/main...HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("revision `origin/main` is not in this clone"),
        "{err}"
    );
    assert!(
        err.contains("git fetch origin main:refs/remotes/origin/main"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn an_ancestor_of_a_missing_branch_asks_to_fetch_the_branch() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.repo
        .remote("origin", "https://git.example.com/acme/handoffs.git")
        .unwrap();
    let out = t.run(&["diff", "origin/main~2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("git fetch origin main:refs/remotes/origin/main"),
        "{err}"
    );
    assert!(!err.contains("main~2:"), "not a valid refspec: {err}");
}

#[test]
fn an_escalated_gap_is_counted_as_more_severe_everywhere_fail_on_counts_it() {
    let mut t = TestRepo::new();
    let gaps = format!("{DEMO}/gaps.yaml");
    t.edit(&gaps, "status: agreed", "status: open");
    t.commit("gap reopened, minor");
    t.edit(&gaps, "criticality: minor", "criticality: critical");
    t.commit("gap escalated");

    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(
        text.contains("findings: 0 new (0 errors), 1 more severe"),
        "{text}"
    );
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    assert_eq!(doc["summary"]["worse_findings"]["errors"], 1, "{doc:#}");
    let markdown = stdout(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "markdown",
    ]));
    assert!(
        markdown.contains("0 new, 1 changed severity, 0 resolved"),
        "{markdown}"
    );
    let out = t.run(&[
        "diff",
        "HEAD~1",
        "HEAD",
        "--today",
        TODAY,
        "--fail-on",
        "new-errors",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn history_cut_off_by_a_shallow_clone_exits_2_with_the_deepen_command() {
    let mut t = TestRepo::new();
    let first = t.commit("handoff as signed");
    t.edit(&format!("{DEMO}/scope.yaml"), "effort: 50", "effort: 55");
    let second = t.commit("re-estimate S-01");
    t.repo
        .remote("origin", "https://git.example.com/acme/handoffs.git")
        .unwrap();
    // What `git clone --depth 1` leaves: the tip marked shallow, its
    // parent's objects absent.
    std::fs::write(t.path(".git/shallow"), format!("{second}\n")).unwrap();
    let hex = first.to_string();
    let loose = t.path(&format!(".git/objects/{}/{}", &hex[..2], &hex[2..]));
    std::fs::remove_file(loose).unwrap();

    let out = t.run(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("git fetch --deepen=1 origin"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
}

#[test]
fn fail_on_gates_only_on_findings_the_change_adds() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    // A verbal promise fully scoped: one new warning (undocumented-promise).
    let promises = format!("{DEMO}/promises.yaml");
    let text = t.read(&promises);
    t.write(
        &promises,
        &format!("{text}\n  - id: P-05\n    title: Pallet labels\n    priority: could\n    commitment: verbal\n"),
    );
    let scope = format!("{DEMO}/scope.yaml");
    let text = t.read(&scope);
    t.write(
        &scope,
        &format!("{text}\n  - id: S-05\n    title: Pallet label layout\n    covers: [P-05]\n    effort: 0\n"),
    );
    t.commit("a verbal promise");

    let warn_only = ["diff", "HEAD~1", "HEAD", "--today", TODAY];
    assert_eq!(t.run(&warn_only).status.code(), Some(0));
    let mut args = warn_only.to_vec();
    args.extend(["--fail-on", "new-errors"]);
    assert_eq!(t.run(&args).status.code(), Some(0));
    let mut args = warn_only.to_vec();
    args.extend(["--fail-on", "new-warnings"]);
    assert_eq!(t.run(&args).status.code(), Some(1));

    // A must-have promise nobody scoped: a new error.
    let text = t.read(&promises);
    t.write(
        &promises,
        &format!("{text}\n  - id: P-06\n    title: Cycle counting\n    priority: must\n    commitment: contractual\n    acceptance: \"Counts reconcile.\"\n"),
    );
    t.commit("a must-have promise");
    let out = t.run(&[
        "diff",
        "HEAD~1",
        "HEAD",
        "--today",
        TODAY,
        "--fail-on",
        "new-errors",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // Resolving findings never fails the gate: the reverse diff removes it.
    let out = t.run(&[
        "diff",
        "HEAD",
        "HEAD~1",
        "--today",
        TODAY,
        "--fail-on",
        "new-warnings",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn outside_a_git_repository_it_says_so_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .arg("diff")
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not inside a git repository"));
}

#[test]
fn invalid_files_on_either_side_exit_2_naming_the_side() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.write(&format!("{DEMO}/gaps.yaml"), "gaps: [oops\n");

    let out = t.run(&["diff", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("at working tree have problems"), "{err}");
    assert!(err.contains("clients/demo/gaps.yaml"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_sign_off_role_the_config_does_not_know_stops_the_diff_as_it_stops_check() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.write(
        &format!("{DEMO}/signoffs.yaml"),
        "signoffs:\n  - role: salez\n    by: someone\n    decision: approved\n    date: 2026-03-10\n    fingerprint: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    );
    let out = t.run(&["diff", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("at working tree have problems"), "{err}");
    assert!(
        err.contains("`salez` is not a valid sign-off role"),
        "{err}"
    );
}

#[test]
fn an_unreadable_config_at_head_is_reported_not_skipped() {
    let mut t = TestRepo::new();
    std::fs::write(t.path("handoff.toml"), [0xffu8, 0xfe, b'\n']).unwrap();
    t.commit("broken config");
    let out = t.run(&["diff", "HEAD", "HEAD", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("cannot read config handoff.toml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn both_sides_are_judged_with_heads_config_so_a_rule_change_is_not_a_change() {
    let mut t = TestRepo::new();
    // A verbal promise, fully scoped: `undocumented-promise` warns.
    let promises = format!("{DEMO}/promises.yaml");
    t.edit(
        &promises,
        "commitment: contractual\n    acceptance: \"A 50",
        "commitment: verbal\n    acceptance: \"A 50",
    );
    t.commit("handoff as signed");
    let before = json(&t.run(&["check", DEMO, "--today", TODAY, "--format", "json"]));
    assert_eq!(before["engagements"][0]["summary"]["warnings"], 1);

    // Only the config changes: the rule is switched off.
    t.write(
        "handoff.toml",
        &format!("{BASE_CONFIG}undocumented-promise = \"off\"\n"),
    );
    for args in [
        vec!["diff", "--today", TODAY, "--format", "json"],
        vec!["diff", "HEAD", "--today", TODAY, "--format", "json"],
    ] {
        let doc = json(&t.run(&args));
        let e = &doc["engagements"][0];
        assert_eq!(e["status"], "unchanged", "{doc:#}");
        assert_eq!(
            e["findings"]["resolved"].as_array().map(Vec::len),
            Some(0),
            "{doc:#}"
        );
        assert_eq!(e["before"]["counts"]["warnings"], 0, "{doc:#}");
    }
    t.commit("switch off undocumented-promise");
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    let e = &doc["engagements"][0];
    assert_eq!(
        e["findings"]["resolved"].as_array().map(Vec::len),
        Some(0),
        "{doc:#}"
    );
    assert_eq!(e["before"]["counts"]["warnings"], 0, "{doc:#}");
    // Judged with HEAD~1's config instead, the warning is back on both sides.
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD~1", "--today", TODAY, "--format", "json",
    ]));
    assert_eq!(
        doc["engagements"][0]["after"]["counts"]["warnings"], 1,
        "{doc:#}"
    );
    let doc = json(&t.run(&[
        "diff", "HEAD", "HEAD~1", "--today", TODAY, "--format", "json",
    ]));
    assert_eq!(
        doc["engagements"][0]["before"]["counts"]["warnings"], 1,
        "{doc:#}"
    );
}

#[test]
fn output_writes_the_comparison_only_over_a_previous_one() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    t.edit(&format!("{DEMO}/scope.yaml"), "effort: 50", "effort: 65");
    let args = [
        "diff", "--today", TODAY, "--format", "markdown", "-o", "diff.md",
    ];
    let out = t.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "wrote diff.md\n");
    let text = t.read("diff.md");
    assert!(
        text.starts_with("<!-- generated by handoff diff; "),
        "{text}"
    );
    assert!(text.contains("effort: 50 → 65"), "{text}");
    let again = t.run(&args);
    assert_eq!(stdout(&again), "diff.md is already up to date\n");
    // JSON of the same command replaces it; a file of its own is kept.
    let json_args = [
        "diff", "--today", TODAY, "--format", "json", "-o", "diff.md",
    ];
    assert_eq!(stdout(&t.run(&json_args)), "updated diff.md\n");
    t.write("notes.md", "mine\n");
    let out = t.run(&["diff", "--today", TODAY, "-o", "notes.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not generated by handoff diff"),
        "{}",
        stderr(&out)
    );
    assert_eq!(t.read("notes.md"), "mine\n");
}

// Sign-off changes and deleted promises (issue 9).

#[test]
fn deleting_an_active_must_have_promise_is_a_highlight_advising_withdrawn() {
    let mut t = TestRepo::new();
    t.commit("handoff as signed");
    let promises = format!("{DEMO}/promises.yaml");
    // P-01 is a contractual must-have; P-03 is withdrawn instead of deleted.
    t.edit(
        &promises,
        "  - id: P-01\n    title: Receive goods against advance shipping notices\n    priority: must\n    commitment: contractual\n    acceptance: \"A 50-line ASN is received on a handheld.\"\n    sold_effort: 50\n\n",
        "",
    );
    t.edit(
        &promises,
        "    type: commercial\n",
        "    type: commercial\n    status: withdrawn\n",
    );
    t.commit("drop P-01, withdraw P-03");
    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(
        text.contains("Promise P-01 “Receive goods against advance shipping notices” (must-have, contractual) was deleted from the files: if it is no longer made, set `status: withdrawn` instead"),
        "{text}"
    );
    assert_eq!(
        text.matches("was deleted from the files").count(),
        1,
        "{text}"
    );
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    let kinds: Vec<&str> = doc["engagements"][0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"promise-deleted"), "{kinds:?}");
    let markdown = stdout(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "markdown",
    ]));
    assert!(
        markdown.contains("was deleted from the files"),
        "{markdown}"
    );
}

#[test]
fn sign_off_changes_are_listed_new_decision_changed_renewed_and_withdrawn() {
    let mut t = TestRepo::new();
    t.commit("handoff, nobody signed");
    let sign = |t: &TestRepo, role: &str, by: &str, extra: &[&str]| {
        let mut args = vec!["sign", role, "--by", by, DEMO, "--date", TODAY];
        args.extend(extra);
        let out = t.run(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    };
    sign(&t, "sales", "tom", &[]);
    sign(
        &t,
        "delivery",
        "lotte",
        &["--decision", "rejected", "--condition", "too little effort"],
    );
    t.commit("signed");
    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(
        text.contains("sales: new, approved by Tom Kramer (tom) on 2026-03-10"),
        "{text}"
    );
    assert!(
        text.contains(
            "delivery: new, rejected by Lotte Peters (lotte) on 2026-03-10: too little effort"
        ),
        "{text}"
    );

    sign(&t, "delivery", "lotte", &[]);
    sign(&t, "sales", "tom", &[]);
    t.commit("signed again");
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    let changes: Vec<(String, String)> = doc["engagements"][0]["signoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["role"].as_str().unwrap_or("").to_string(),
                c["change"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            ("sales".to_string(), "renewed".to_string()),
            ("delivery".to_string(), "decision_changed".to_string()),
        ]
    );

    std::fs::remove_file(t.path(&format!("{DEMO}/signoffs.yaml"))).unwrap();
    t.commit("sign-offs deleted");
    let markdown = stdout(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "markdown",
    ]));
    assert!(markdown.contains("**Sign-offs**"), "{markdown}");
    assert!(
        markdown.contains("sales: withdrawn (was approved by Tom Kramer (tom) on 2026-03-10)"),
        "{markdown}"
    );
}

#[test]
fn a_diff_without_sign_off_changes_lists_none() {
    let mut t = TestRepo::new();
    t.commit("handoff");
    late_changes(&t);
    t.commit("late changes");
    let doc = json(&t.run(&[
        "diff", "HEAD~1", "HEAD", "--today", TODAY, "--format", "json",
    ]));
    assert_eq!(doc["engagements"][0]["signoffs"], serde_json::json!([]));
    let text = stdout(&t.run(&["diff", "HEAD~1", "HEAD", "--today", TODAY]));
    assert!(!text.contains("Sign-offs"), "{text}");
}

/// A file that is the same at both commits is read once and its items
/// handed to the other side: what it holds must still count on both
/// sides, exactly as when each side reads it (against the working tree,
/// which names no content, both sides are read). Here an unchanged
/// scope.yaml holds a duplicate id (a finding on both sides), and another
/// engagement's unchanged promises.yaml has an unknown key (it cannot be
/// read on either side), while other files change.
#[test]
fn problems_in_files_unchanged_between_the_commits_are_reported_on_both_sides() {
    let mut t = TestRepo::new();
    let scope = format!("{DEMO}/scope.yaml");
    let text = t.read(&scope);
    t.write(
        &scope,
        &format!("{text}\n  - id: S-01\n    title: The same id again\n    effort: 5\n"),
    );
    let broken = "clients/broken";
    for file in FILES {
        t.write(
            &format!("{broken}/{file}"),
            &t.read(&format!("{DEMO}/{file}")),
        );
    }
    t.edit(&format!("{broken}/handoff.yaml"), "id: ", "id: BROKEN-");
    t.edit(
        &format!("{broken}/promises.yaml"),
        "    priority: must\n",
        "    priority: must\n    priorty: high\n",
    );
    t.commit("duplicate scope id, misspelt key");
    t.edit(
        &format!("{DEMO}/promises.yaml"),
        "Four months of hypercare after go-live.",
        "Six months of hypercare after go-live.",
    );
    t.edit(
        &format!("{broken}/gaps.yaml"),
        "criticality: minor",
        "criticality: major",
    );
    t.commit("late changes");

    let commits = t.run(&[
        "diff", "HEAD~1", "HEAD", "--format", "json", "--today", TODAY,
    ]);
    let read_twice = t.run(&["diff", "HEAD~1", "--format", "json", "--today", TODAY]);
    assert_eq!(commits.status.code(), read_twice.status.code());
    let (commits, read_twice) = (json(&commits), json(&read_twice));

    // The duplicate is a finding on both sides: still there, neither new
    // nor resolved.
    let demo = commits["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path_after"] == DEMO)
        .unwrap_or_else(|| panic!("{commits:#}"));
    let findings = &demo["findings"];
    let named = |list: &serde_json::Value| list.to_string().contains("duplicate-id");
    assert!(
        !named(&findings["new"]) && !named(&findings["resolved"]),
        "{findings:#}"
    );
    assert!(findings["still_present"].as_u64() > Some(0), "{findings:#}");
    assert_eq!(demo["before"]["counts"]["errors"], 1, "{demo:#}");
    assert_eq!(
        demo["after"]["counts"], demo["before"]["counts"],
        "{demo:#}"
    );

    // The unknown key stops the broken engagement on both sides, quoted
    // at the same place on each.
    let sides: Vec<&serde_json::Value> = commits["not_compared"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["path"] == broken)
        .collect();
    assert_eq!(sides.len(), 2, "{commits:#}");
    for side in &sides {
        let problems = side["diagnostics"].to_string();
        assert!(problems.contains("priorty"), "{problems}");
        assert!(
            problems.contains("clients/broken/promises.yaml"),
            "{problems}"
        );
    }
    assert_eq!(sides[0]["diagnostics"], sides[1]["diagnostics"]);

    // And everything is as when both sides are read: only HEAD's name
    // differs.
    for key in ["summary", "engagements"] {
        assert_eq!(commits[key], read_twice[key], "{key}");
    }
    let diagnostics = |doc: &serde_json::Value| -> Vec<serde_json::Value> {
        doc["not_compared"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["diagnostics"].clone())
            .collect()
    };
    assert_eq!(diagnostics(&commits), diagnostics(&read_twice));
}
