//! Whether the engagement's files are exactly as committed, so a sign-off
//! can name the commit it covers. Asks the `git` command rather than linking
//! a git library: `sign` needs two questions answered, and a missing or
//! unusable git only means no commit is recorded.

use std::path::Path;
use std::process::Command;

/// What the files that the fingerprint covers are; `signoffs.yaml` is left
/// out, as signing does not change what was signed.
const SIGNED_PATHS: &[&str] = &[
    "handoff.yaml",
    "stakeholders.yaml",
    "stakeholders.yml",
    "promises.yaml",
    "promises.yml",
    "promises",
    "scope.yaml",
    "scope.yml",
    "scope",
    "gaps.yaml",
    "gaps.yml",
    "gaps",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitState {
    /// The files are unchanged from this commit (HEAD).
    Clean(String),
    /// These files (as git names them) differ from HEAD or are not
    /// committed yet.
    Uncommitted(Vec<String>),
    /// Why no commit can be named: not a repository, no commit yet, or no
    /// usable git.
    Unavailable(String),
}

/// Asks git about the engagement folder `dir`.
pub fn state(dir: &Path) -> CommitState {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            // A status check must not take the index lock from a user's
            // running git.
            .env("GIT_OPTIONAL_LOCKS", "0")
            .output()
    };
    let inside = match git(&["rev-parse", "--is-inside-work-tree"]) {
        Ok(out) => out,
        Err(_) => return CommitState::Unavailable("git is not available".into()),
    };
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return CommitState::Unavailable("the folder is not in a git repository".into());
    }
    let head = match git(&["rev-parse", "--verify", "--quiet", "HEAD"]) {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        _ => return CommitState::Unavailable("the repository has no commit yet".into()),
    };
    let mut args = vec!["status", "--porcelain", "--untracked-files=all", "--"];
    args.extend(SIGNED_PATHS);
    match git(&args) {
        Ok(out) if out.status.success() => {
            let changed: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|line| line.get(3..))
                .map(str::to_string)
                .collect();
            if changed.is_empty() {
                CommitState::Clean(head)
            } else {
                CommitState::Uncommitted(changed)
            }
        }
        _ => CommitState::Unavailable("git could not say whether the files are committed".into()),
    }
}
