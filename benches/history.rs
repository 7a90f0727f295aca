//! `handoff stats --history` on a repository of 100 engagements and 2,000
//! commits (issue 15): its cost must grow with the number of distinct
//! versions of the engagements, not with commits × engagements.
//!
//! The repository is written straight into git's object store (blobs and
//! trees, no working tree), one engagement changed per commit. Three
//! histories of 2,000 commits over the same 100 engagements differ only in
//! how many distinct versions they hold; a fourth has 500 commits. Each is
//! walked and judged through the library, as the command does, and the
//! time printed beside the number of versions judged.
//!
//! Run with `cargo bench --bench history`; it prints the times and asserts
//! nothing about them.

// A failed setup step should stop the benchmark loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{Oid, Repository, Signature, Time};
use handoff::date::Date;
use handoff::git::Repo;
use handoff::history::{History, Walk};
use handoff::workspace::Options;

const ENGAGEMENTS: usize = 100;

fn handoff(i: usize) -> String {
    format!(
        "id: E-{i:03}\nname: Engagement {i}\ncustomer: {{ name: Customer {} }}\n\
         contract: {{ type: fixed_price, currency: EUR, services_value: 100000, signed_on: 2026-01-15 }}\n\
         dates: {{ kickoff: 2026-03-01, go_live: 2026-09-01 }}\n\
         effort: {{ unit: days, sold: 100, cost_rate: 500 }}\n\
         success_criteria: [ {{ id: SC-1, text: It works, validated_by_customer: true }} ]\n",
        i % 7
    )
}

const STAKEHOLDERS: &str = "stakeholders:\n\
  - { key: cexec, name: Carla Exec, org: customer, roles: [executive, customer_pm] }\n\
  - { key: ann, name: Ann Seller, org: supplier, roles: [sales_owner, project_manager] }\n";

fn promises() -> String {
    let mut text = String::from("promises:\n");
    for p in 0..20 {
        text.push_str(&format!(
            "  - {{ id: P-{p}, title: Promise {p}, priority: must, response: standard, commitment: contractual, acceptance: [ok], promised_by: ann, sold_effort: 5 }}\n"
        ));
    }
    text
}

fn scope() -> String {
    let mut text = String::from("scope:\n");
    for p in 0..20 {
        text.push_str(&format!(
            "  - {{ id: S-{p}, title: Item {p}, covers: [P-{p}], effort: 5 }}\n"
        ));
    }
    text
}

/// The gaps at version `v`: the number of open gaps moves with it, so
/// every version is a different file.
fn gaps(v: usize) -> String {
    let mut text = String::from("gaps:\n");
    for g in 0..5 {
        let status = if g < v % 6 {
            "closed, resolution: absorb, owner: ann, agreed_with: cexec, agreed_on: 2026-02-01"
        } else {
            "open"
        };
        text.push_str(&format!(
            "  - {{ id: G-{g}, promise: P-{g}, kind: partial, summary: Gap {g}, criticality: minor, status: {status} }}\n"
        ));
    }
    text.push_str(&format!("# version {v}\n"));
    text
}

struct Builder<'r> {
    repo: &'r Repository,
    /// Per engagement: its tree id.
    trees: Vec<Oid>,
    config: Oid,
    head: Option<Oid>,
    time: i64,
}

impl<'r> Builder<'r> {
    fn new(repo: &'r Repository) -> Builder<'r> {
        let config = repo
            .blob(b"[required]\nsignoffs = []\n[rules]\nunreviewed-bid = \"off\"\n")
            .unwrap();
        let mut b = Builder {
            repo,
            trees: Vec::new(),
            config,
            head: None,
            time: 1_767_225_600,
        };
        for i in 0..ENGAGEMENTS {
            let tree = b.engagement(i, 0);
            b.trees.push(tree);
        }
        b
    }

    fn engagement(&self, i: usize, version: usize) -> Oid {
        let mut t = self.repo.treebuilder(None).unwrap();
        for (name, text) in [
            ("handoff.yaml", handoff(i)),
            ("stakeholders.yaml", STAKEHOLDERS.to_string()),
            ("promises.yaml", promises()),
            ("scope.yaml", scope()),
            ("gaps.yaml", gaps(version)),
        ] {
            let blob = self.repo.blob(text.as_bytes()).unwrap();
            t.insert(name, blob, 0o100_644).unwrap();
        }
        t.write().unwrap()
    }

    fn commit(&mut self, message: &str) {
        let mut root = self.repo.treebuilder(None).unwrap();
        root.insert("handoff.toml", self.config, 0o100_644).unwrap();
        for (i, tree) in self.trees.iter().enumerate() {
            root.insert(format!("e{i:03}"), *tree, 0o040_000).unwrap();
        }
        let tree = self.repo.find_tree(root.write().unwrap()).unwrap();
        self.time += 3_600;
        let sig = Signature::new("Bench", "bench@example.com", &Time::new(self.time, 0)).unwrap();
        let parent = self.head.map(|id| self.repo.find_commit(id).unwrap());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.head = Some(
            self.repo
                .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
                .unwrap(),
        );
    }
}

/// A repository of `commits` commits: the first adds every engagement,
/// each later one changes engagement `n % 100` to its version
/// `(n / 100 + 1) % versions`, so each engagement has at most `versions`
/// distinct versions however many commits change it.
fn build(dir: &Path, commits: usize, versions: usize) {
    let repo = Repository::init(dir).unwrap();
    repo.set_head("refs/heads/main").unwrap();
    let mut b = Builder::new(&repo);
    b.commit("every engagement");
    for n in 1..commits {
        let i = n % ENGAGEMENTS;
        let version = (n / ENGAGEMENTS + 1) % versions;
        b.trees[i] = b.engagement(i, version);
        b.commit(&format!("change {i}"));
    }
}

/// Walks and judges the whole history; the time, and how many versions
/// were judged and steps recorded.
fn run(dir: &Path) -> (Duration, usize, usize) {
    let start = Instant::now();
    let repo = Repo::discover_at(dir).unwrap();
    let history = History::walk(&repo, &Walk::default()).unwrap();
    let options = Options {
        today: Date::parse("2026-03-10"),
        ..Options::default()
    };
    let stats =
        handoff::stats::history::compute(&history, &[PathBuf::from(dir)], &options, &mut |_, _| {})
            .unwrap();
    let steps = stats.series.iter().map(|s| s.steps.len()).sum();
    (start.elapsed(), stats.judged, steps)
}

fn main() {
    println!(
        "stats --history, {ENGAGEMENTS} engagements, one engagement changed per commit (best of 3):"
    );
    let cases = [
        (2_000, 2, "2,000 commits, 2 versions each"),
        (2_000, 6, "2,000 commits, 6 versions each"),
        (2_000, 21, "2,000 commits, every change a new version"),
        (500, 6, "500 commits, every change a new version"),
    ];
    for (commits, versions, what) in cases {
        let dir = tempfile::tempdir().unwrap();
        let dir_path = std::fs::canonicalize(dir.path()).unwrap();
        build(&dir_path, commits, versions);
        let best = (0..3)
            .map(|_| run(&dir_path))
            .min_by_key(|(time, _, _)| *time)
            .unwrap();
        let (time, judged, steps) = best;
        println!(
            "  {what}: {judged} versions judged, {steps} steps, {:.2} s ({:.2} ms per version judged)",
            time.as_secs_f64(),
            time.as_secs_f64() * 1000.0 / judged as f64,
        );
    }
    println!(
        "  judging every engagement at every commit would judge {} versions",
        2_000 * ENGAGEMENTS
    );
}
