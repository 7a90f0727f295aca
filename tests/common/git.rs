//! Repositories built with git2 for the tests that read history: every
//! commit on `main`, by the same person, at a time the test chooses, so
//! commit dates (and the figures that follow from them) are exact.

use std::path::Path;

use git2::{IndexAddOption, Oid, Repository, Signature, Time};

/// A new repository in `dir` whose HEAD is `main`, with no commit yet.
pub fn init(dir: &Path) -> Repository {
    let repo = Repository::init(dir).unwrap_or_else(|e| panic!("git init: {e}"));
    repo.set_head("refs/heads/main")
        .unwrap_or_else(|e| panic!("{e}"));
    repo
}

/// Commits the whole working tree of `repo` on main (what changed, what
/// is new, what went), at `seconds` since the epoch (UTC), after the
/// commit main is at.
pub fn commit_all(repo: &Repository, seconds: i64, message: &str) -> Oid {
    let mut index = repo.index().unwrap_or_else(|e| panic!("{e}"));
    index
        .add_all(["*"], IndexAddOption::DEFAULT, None)
        .unwrap_or_else(|e| panic!("{e}"));
    index
        .update_all(["*"], None)
        .unwrap_or_else(|e| panic!("{e}"));
    index.write().unwrap_or_else(|e| panic!("{e}"));
    let tree = index
        .write_tree()
        .and_then(|id| repo.find_tree(id))
        .unwrap_or_else(|e| panic!("{e}"));
    let sig = Signature::new("Pat Tester", "pat@example.com", &Time::new(seconds, 0))
        .unwrap_or_else(|e| panic!("{e}"));
    let parent = repo
        .refname_to_id("refs/heads/main")
        .ok()
        .map(|id| repo.find_commit(id).unwrap_or_else(|e| panic!("{e}")));
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(
        Some("refs/heads/main"),
        &sig,
        &sig,
        message,
        &tree,
        &parents,
    )
    .unwrap_or_else(|e| panic!("commit {message}: {e}"))
}
