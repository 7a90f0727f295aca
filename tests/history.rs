//! The history module (`handoff::history`) on throwaway repositories built
//! with git2: the first-parent walk, the versions of an engagement folder,
//! and the search for the commit whose content a sign-off covers. Paths are
//! absolute, as the tests do not change the current folder.

// A failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use crate::common;
use git2::{Oid, Repository};
use handoff::git::Repo;
use handoff::history::{History, Search, Since, Walk};
use tempfile::TempDir;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diff-demo");
const FILES: &[&str] = &[
    "handoff.yaml",
    "stakeholders.yaml",
    "promises.yaml",
    "scope.yaml",
    "gaps.yaml",
];

pub struct TestRepo {
    pub dir: TempDir,
    repo: Repository,
    commits: i64,
}

impl TestRepo {
    /// A repository holding the demo engagement in `clients/demo`, not
    /// committed yet.
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().unwrap();
        let repo = common::git::init(dir.path());
        let t = TestRepo {
            dir,
            repo,
            commits: 0,
        };
        for file in FILES {
            let text = std::fs::read_to_string(Path::new(FIXTURE).join(file)).unwrap();
            t.write(&format!("clients/demo/{file}"), &text);
        }
        t.write(
            "handoff.toml",
            "[required]\nsignoffs = []\n\n[rules]\nunreviewed-bid = \"off\"\n",
        );
        t
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Commits the whole working tree on main, one day after the last
    /// commit (the first on 2026-01-01).
    pub fn commit(&mut self, message: &str) -> Oid {
        let when = 1_767_225_600 + self.commits * 86_400;
        self.commits += 1;
        common::git::commit_all(&self.repo, when, message)
    }
}

fn demo(t: &TestRepo) -> String {
    t.path("clients/demo").to_string_lossy().into_owned()
}

/// Three commits touch the engagement, one touches only the config.
fn three_versions() -> (TestRepo, [Oid; 4]) {
    let mut t = TestRepo::new();
    let first = t.commit("demo engagement");
    t.edit(
        "clients/demo/promises.yaml",
        "sold_effort: 50",
        "sold_effort: 60",
    );
    let second = t.commit("P-01 sold for more");
    t.write("handoff.toml", "[required]\nsignoffs = []\n");
    let config = t.commit("config only");
    t.edit("clients/demo/gaps.yaml", "status: agreed", "status: open");
    let third = t.commit("G-01 reopened");
    (t, [first, second, config, third])
}

#[test]
fn the_walk_is_first_parent_newest_first_with_utc_dates() {
    let (t, ids) = three_versions();
    let repo = Repo::discover_at(t.dir.path()).unwrap();
    let history = History::walk(&repo, &Walk::default()).unwrap();
    let got: Vec<Oid> = history.commits().iter().map(|c| c.id).collect();
    assert_eq!(got, ids.iter().rev().copied().collect::<Vec<_>>());
    assert!(!history.truncated());
    assert_eq!(history.commits()[3].date.to_string(), "2026-01-01");
    assert_eq!(history.commits()[0].date.to_string(), "2026-01-04");
    assert_eq!(history.commits()[0].summary, "G-01 reopened");

    let cut = History::walk(
        &repo,
        &Walk {
            limit: 2,
            since: None,
        },
    )
    .unwrap();
    assert_eq!(cut.commits().len(), 2);
    assert!(cut.truncated(), "the limit cut the walk short");

    let since = History::walk(
        &repo,
        &Walk {
            limit: 100,
            since: Some(Since::Date(
                handoff::date::Date::parse("2026-01-02").unwrap(),
            )),
        },
    )
    .unwrap();
    assert_eq!(since.commits().len(), 3, "2026-01-01 is before the date");
}

#[test]
fn versions_list_only_the_commits_that_changed_the_folder() {
    let (t, ids) = three_versions();
    let repo = Repo::discover_at(t.dir.path()).unwrap();
    let history = History::walk(&repo, &Walk::default()).unwrap();
    let versions: Vec<Oid> = history
        .versions(&demo(&t))
        .iter()
        .map(|v| v.commit.id)
        .collect();
    assert_eq!(versions, vec![ids[0], ids[1], ids[3]]);
    let [_, second, config, _] = &history.commits().iter().rev().collect::<Vec<_>>()[..] else {
        panic!("four commits");
    };
    assert_eq!(
        history.folder_at(second, &demo(&t)),
        history.folder_at(config, &demo(&t)),
        "equal folder, equal tree id"
    );
    let (folder_a, config_a) = history.key_at(second, &demo(&t)).unwrap();
    let (folder_b, config_b) = history.key_at(config, &demo(&t)).unwrap();
    assert_eq!(folder_a, folder_b);
    assert_ne!(config_a, config_b, "the config changed between them");
    assert!(history.folder_at(second, "/nowhere/at/all").is_none());
}

#[test]
fn the_signed_content_is_found_by_fingerprint_within_the_bound() {
    let (t, ids) = three_versions();
    let repo = Repo::discover_at(t.dir.path()).unwrap();
    let history = History::walk(&repo, &Walk::default()).unwrap();
    let dir = demo(&t);
    let oldest = &history.commits()[3];
    let signed = history.fingerprint_at(oldest, &dir).unwrap();
    assert_eq!(
        history.signed_commit(&dir, &signed, 10),
        Search::Found(oldest.clone())
    );
    assert_eq!(oldest.id, ids[0]);
    // The config-only commit has the same engagement content as the
    // second: the most recent one wins.
    let second = history.fingerprint_at(&history.commits()[2], &dir).unwrap();
    match history.signed_commit(&dir, &second, 10) {
        Search::Found(c) => assert_eq!(c.id, ids[2]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        history.signed_commit(&dir, &signed, 2),
        Search::NotFound {
            searched: 2,
            cut: true
        },
        "the bound stops the search and says so"
    );
    assert_eq!(
        history.signed_commit(&dir, "sha256:nothing", 10),
        Search::NotFound {
            searched: 4,
            cut: false
        }
    );
    let at_oldest = history.engagement_at(oldest, &dir).unwrap();
    assert_eq!(at_oldest.id(), "DEMO-2026-WMS");
}

fn run(t: &TestRepo, args: &[&str]) -> common::Run {
    common::run_in(t.dir.path(), args)
}

/// `signoff-stale` messages of `check --format json`.
fn stale_messages(t: &TestRepo, today: &str) -> Vec<String> {
    let out = run(
        t,
        &[
            "check",
            "clients/demo",
            "--format",
            "json",
            "--today",
            today,
        ],
    );
    common::rows(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    doc["engagements"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "signoff-stale")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Delivery signs a committed engagement (so the sign-off records the
/// commit); sales signs uncommitted files (no commit recorded), which are
/// committed afterwards; then P-01's sold effort and G-01's status change.
/// Returns the first commit and the last one (whose engagement content is
/// what sales signed, as the commit before it).
fn signed_then_changed() -> (TestRepo, Oid, Oid) {
    let mut t = TestRepo::new();
    let first = t.commit("demo engagement");
    let signed = run(
        &t,
        &[
            "sign",
            "delivery",
            "--by",
            "lotte",
            "clients/demo",
            "--date",
            "2026-01-05",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    t.edit("clients/demo/scope.yaml", "effort: ", "effort: 1");
    let signed = run(
        &t,
        &[
            "sign",
            "sales",
            "--by",
            "tom",
            "clients/demo",
            "--date",
            "2026-01-06",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert_eq!(
        t.read("clients/demo/signoffs.yaml")
            .matches("commit:")
            .count(),
        1,
        "sales signed uncommitted files: only delivery's commit is recorded"
    );
    t.commit("signed, scope re-estimated");
    // The most recent commit with the signed content is the one found.
    let second = t.commit("an unrelated commit");
    t.write("README.md", "unrelated\n");
    t.edit(
        "clients/demo/promises.yaml",
        "sold_effort: 50",
        "sold_effort: 65",
    );
    t.edit(
        "clients/demo/promises.yaml",
        "sold_effort: 40",
        "sold_effort: 45",
    );
    t.edit("clients/demo/gaps.yaml", "status: agreed", "status: open");
    (t, first, second)
}

#[test]
fn status_changes_shows_the_items_changed_since_each_sign_off() {
    let (t, first, second) = signed_then_changed();
    let out = run(
        &t,
        &[
            "status",
            "--changes",
            "clients/demo",
            "--today",
            "2026-01-20",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let short = |oid: Oid| oid.to_string()[..7].to_string();
    // Delivery recorded its commit; sales' content is found by fingerprint.
    let (sales, delivery) = out
        .stdout
        .split_once("since delivery signed")
        .expect("a section per role");
    assert!(
        sales.contains(&format!(
            "signed content: commit {} of 2026-01-03 (found by its fingerprint)",
            short(second)
        )),
        "{}",
        out.stdout
    );
    assert!(
        delivery.contains(&format!(
            "signed content: commit {} (recorded in the sign-off)",
            short(first)
        )),
        "{}",
        out.stdout
    );
    for section in [sales, delivery] {
        assert!(section.contains("sold_effort: 50 → 65"), "{}", out.stdout);
        assert!(section.contains("status: agreed → open"), "{}", out.stdout);
        // Highlights come first.
        let highlight = section.find("was reopened").unwrap_or(usize::MAX);
        assert!(highlight < section.find("sold_effort").unwrap_or(0));
    }
    // Delivery signed before the scope was re-estimated; sales after.
    assert!(
        delivery.contains("Scope items (1 changed)"),
        "{}",
        out.stdout
    );
    assert!(!sales.contains("Scope items"), "{}", out.stdout);
}

#[test]
fn the_stale_message_names_the_first_items_changed() {
    let (t, _, _) = signed_then_changed();
    let messages = stale_messages(&t, "2026-01-20");
    assert!(
        messages.iter().any(|m| m.contains(
            "the sales sign-off by Tom Kramer (tom) on 2026-01-06 no longer covers the files: G-01 status, P-01 sold_effort, P-02 sold_effort changed since"
        )),
        "{messages:#?}"
    );
    assert!(
        messages.iter().any(|m| m.contains(
            "by Lotte Peters (lotte) on 2026-01-05 no longer covers the files: G-01 status, P-01 sold_effort, P-02 sold_effort, 1 more changed since"
        )),
        "three items, the highlighted first, then how many more: {messages:#?}"
    );
}

#[test]
fn signed_content_not_in_the_history_is_said_plainly() {
    let mut t = TestRepo::new();
    t.commit("demo engagement");
    // Signed on files that were never committed, then changed again.
    t.edit(
        "clients/demo/promises.yaml",
        "sold_effort: 50",
        "sold_effort: 55",
    );
    let signed = run(
        &t,
        &[
            "sign",
            "sales",
            "--by",
            "tom",
            "clients/demo",
            "--date",
            "2026-01-06",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    t.edit(
        "clients/demo/promises.yaml",
        "sold_effort: 55",
        "sold_effort: 60",
    );
    let out = run(&t, &["status", "--changes", "clients/demo"]);
    assert!(
        out.stdout
            .contains("the signed content is not in the history; searched all 1 commit"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("what can be said: promises changed since")
    );
    let diff = run(
        &t,
        &["diff", "--since-signoff", "sales", "--", "clients/demo"],
    );
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    assert!(
        diff.stdout.contains("cannot be shown: it is not in the history (1 commit searched); what can be said: promises changed since"),
        "{}",
        diff.stdout
    );
    // And check falls back to the kinds of files.
    assert!(
        stale_messages(&t, "2026-01-20")
            .iter()
            .any(|m| m.ends_with("no longer covers the files: promises changed since")),
    );
}

#[test]
fn diff_since_signoff_compares_the_signed_content_with_the_working_tree() {
    let (t, _, second) = signed_then_changed();
    let out = run(
        &t,
        &[
            "diff",
            "--since-signoff",
            "sales",
            "--format",
            "json",
            "--",
            "clients/demo",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "handoff-since-signoff/1");
    let e = &doc["engagements"][0];
    assert_eq!(e["content"], "fingerprint");
    assert_eq!(e["commit"], second.to_string());
    assert_eq!(e["diff"]["schema"], "handoff-diff/2");
    assert_eq!(e["diff"]["base"]["label"], "signed content");
    assert_eq!(e["diff"]["head"]["label"], "working tree");
    let ids: Vec<&str> = e["diff"]["engagements"][0]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["P-01", "P-02", "G-01"]);

    let text = run(
        &t,
        &["diff", "--since-signoff", "sales", "--", "clients/demo"],
    );
    assert!(
        text.stdout
            .starts_with("Since Tom Kramer (tom) signed for sales on 2026-01-06:\nComparing ")
    );
    let refused = run(&t, &["diff", "--since-signoff", "finanse"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("`finanse` is not a sign-off role"),
        "{}",
        refused.stderr
    );
    let revisions = run(&t, &["diff", "HEAD", "--since-signoff", "sales"]);
    assert_eq!(revisions.code, 2, "it takes no revisions");
}

#[test]
fn sign_offs_expire_by_age_per_role_on_the_date_given() {
    let mut t = TestRepo::new();
    t.commit("demo engagement");
    for (role, by, date) in [
        ("delivery", "lotte", "2026-01-05"),
        ("sales", "tom", "2026-01-06"),
    ] {
        let signed = run(
            &t,
            &["sign", role, "--by", by, "clients/demo", "--date", date],
        );
        assert_eq!(signed.code, 0, "{}", signed.stderr);
    }
    t.write(
        "handoff.toml",
        "[required]\nsignoffs = []\n\n[signoffs]\nmax_age_days = 30\n\n[signoffs.max_age_days_by_role]\ndelivery = 10\n",
    );
    assert_eq!(stale_messages(&t, "2026-01-15"), Vec::<String>::new());
    assert_eq!(
        stale_messages(&t, "2026-01-16"),
        [
            "the delivery sign-off by Lotte Peters (lotte) on 2026-01-05 no longer covers the files: older than 10 days"
        ]
    );
    let both = stale_messages(&t, "2026-02-06");
    assert_eq!(both.len(), 2, "{both:#?}");
    assert!(
        both.iter()
            .any(|m| m.ends_with("on 2026-01-06 no longer covers the files: older than 30 days")),
        "{both:#?}"
    );
    let status = run(&t, &["status", "clients/demo", "--today", "2026-01-16"]);
    assert!(
        status.stdout.contains("stale: older than 10 days"),
        "{}",
        status.stdout
    );
}

#[test]
fn evidence_is_recorded_with_its_sha256_and_checked() {
    let mut t = TestRepo::new();
    t.write("clients/demo/acceptance.eml", "From: anna\n\nWe accept.\n");
    t.write("mail/thread.eml", "From: anna\n\nSee attached.\n");
    t.commit("demo engagement");
    let signed = run(
        &t,
        &[
            "sign",
            "delivery",
            "--by",
            "lotte",
            "clients/demo",
            "--evidence",
            "clients/demo/acceptance.eml",
            "--date",
            "2026-01-05",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let entry = t.read("clients/demo/signoffs.yaml");
    assert!(
        entry.contains("    evidence:\n      path: \"acceptance.eml\"\n      sha256: sha256:"),
        "{entry}"
    );
    // A file above the engagement folder is named from it.
    let signed = run(
        &t,
        &[
            "sign",
            "sales",
            "--by",
            "tom",
            "clients/demo",
            "--evidence",
            "mail/thread.eml",
            "--date",
            "2026-01-05",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert!(
        t.read("clients/demo/signoffs.yaml")
            .contains("path: \"../../mail/thread.eml\"")
    );
    let codes = |t: &TestRepo| -> Vec<String> {
        let out = run(
            t,
            &[
                "check",
                "clients/demo",
                "--format",
                "json",
                "--today",
                "2026-01-06",
            ],
        );
        common::rows(&out.stdout)
            .into_iter()
            .map(|r| format!("{} {} {}", r.0, r.1, r.2))
            .collect()
    };
    assert!(
        !codes(&t)
            .iter()
            .any(|c| c.starts_with("signoff-evidence-changed"))
    );
    t.write(
        "clients/demo/acceptance.eml",
        "From: anna\n\nWe accept, except P-02.\n",
    );
    assert!(
        codes(&t).contains(&"signoff-evidence-changed warning delivery".to_string()),
        "{:?}",
        codes(&t)
    );
    // Outside the repository: refused, nothing written.
    let outside = tempfile::NamedTempFile::new().unwrap();
    let before = t.read("clients/demo/signoffs.yaml");
    let refused = run(
        &t,
        &[
            "sign",
            "finance",
            "--by",
            "lotte",
            "clients/demo",
            "--evidence",
            &outside.path().to_string_lossy(),
        ],
    );
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("it is outside the repository"),
        "{}",
        refused.stderr
    );
    assert_eq!(t.read("clients/demo/signoffs.yaml"), before);
}

#[test]
fn an_engagement_is_found_and_judged_at_a_commit_with_that_commits_config() {
    let (t, ids) = three_versions();
    let repo = Repo::discover_at(t.dir.path()).unwrap();
    let history = History::walk(&repo, &Walk::default()).unwrap();
    let dir = demo(&t);
    let oldest = &history.commits()[3];
    assert_eq!(oldest.id, ids[0]);
    let dirs = history
        .engagement_dirs_at(oldest, &[t.path("")], &|_, _| false)
        .unwrap();
    assert_eq!(dirs, std::slice::from_ref(&dir));
    // The first config switched unreviewed-bid off; the third commit's
    // does not, so the same engagement is judged otherwise there.
    let codes = |commit| -> Vec<String> {
        let judged = history
            .judge_at(commit, &dir, &handoff::workspace::Options::default())
            .unwrap_or_else(|f| panic!("{f:?}"));
        judged.evaluations()[0]
            .findings
            .iter()
            .map(|f| f.code.as_str().to_string())
            .collect()
    };
    assert!(!codes(oldest).contains(&"unreviewed-bid".to_string()));
    assert!(codes(&history.commits()[1]).contains(&"unreviewed-bid".to_string()));
    let loaded = history.load_at(oldest, &dir).unwrap();
    assert!(loaded.diagnostics.is_empty());
    assert_eq!(loaded.engagements.len(), 1);
}

#[test]
fn a_sign_off_whose_content_is_unchanged_says_nothing_changed() {
    let mut t = TestRepo::new();
    t.commit("demo engagement");
    let signed = run(
        &t,
        &[
            "sign",
            "sales",
            "--by",
            "tom",
            "clients/demo",
            "--date",
            "2026-01-05",
        ],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let out = run(
        &t,
        &[
            "status",
            "--changes",
            "clients/demo",
            "--today",
            "2026-01-06",
        ],
    );
    assert!(
        out.stdout.contains(
            "  since sales signed (Tom Kramer (tom), 2026-01-05):\n    nothing changed\n"
        ),
        "{}",
        out.stdout
    );
    let diff = run(
        &t,
        &["diff", "--since-signoff", "sales", "--", "clients/demo"],
    );
    assert_eq!(
        diff.stdout,
        "clients/demo: nothing changed since Tom Kramer (tom) signed for sales on 2026-01-05\n"
    );
}
