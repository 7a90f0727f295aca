//! The history module (`handoff::history`) on throwaway repositories built
//! with git2: the first-parent walk, the versions of an engagement folder,
//! and the search for the commit whose content a sign-off covers. Paths are
//! absolute, as the tests do not change the current folder.

// A failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Oid, Repository, Signature, Time};
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
        let repo = Repository::init(dir.path()).unwrap();
        repo.set_head("refs/heads/main").unwrap();
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
        let mut index = self.repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let when = Time::new(1_767_225_600 + self.commits * 86_400, 0);
        self.commits += 1;
        let sig = Signature::new("Pat Tester", "pat@example.com", &when).unwrap();
        let parent = self
            .repo
            .refname_to_id("refs/heads/main")
            .ok()
            .map(|id| self.repo.find_commit(id).unwrap());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = self
            .repo
            .commit(None, &sig, &sig, message, &tree, &parents)
            .unwrap();
        self.repo
            .reference("refs/heads/main", oid, true, message)
            .unwrap();
        oid
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
