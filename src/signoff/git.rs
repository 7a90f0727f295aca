//! Whether the engagement's files are exactly as committed, so a sign-off
//! can name the commit it covers. Read with git2, like `handoff diff`: no
//! `git` subprocess, and a folder outside a repository only means no
//! commit is recorded.

use std::path::Path;

use git2::{Repository, RepositoryOpenFlags, StatusOptions};

use crate::load::{KNOWN_FILES, SIGNOFFS_FILE, SPLIT_KINDS, WAIVERS_FILE};

/// What the fingerprint covers: every engagement file and kind folder but
/// `signoffs.yaml` and `waivers.yaml`, as signing (or accepting a finding)
/// does not change what was signed. Taken from
/// the loader's lists, so a new kind of file is covered here too.
fn signed_paths() -> impl Iterator<Item = &'static str> {
    KNOWN_FILES
        .iter()
        .copied()
        .filter(|name| *name != SIGNOFFS_FILE && *name != WAIVERS_FILE)
        .chain(SPLIT_KINDS.iter().copied())
}

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

/// Asks the repository holding the engagement folder `dir`.
pub fn state(dir: &Path) -> CommitState {
    // Honour GIT_CEILING_DIRECTORIES as git itself does.
    let ceilings: Vec<std::path::PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    let Ok(repo) = Repository::open_ext(dir, RepositoryOpenFlags::empty(), &ceilings) else {
        return CommitState::Unavailable("the folder is not in a git repository".into());
    };
    let Some(workdir) = repo.workdir() else {
        return CommitState::Unavailable("the repository has no working tree".into());
    };
    let head = match repo.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(commit) => commit.id().to_string(),
        None => return CommitState::Unavailable("the repository has no commit yet".into()),
    };
    // Pathspecs are relative to the repository root.
    let (Ok(dir), Ok(root)) = (std::fs::canonicalize(dir), std::fs::canonicalize(workdir)) else {
        return CommitState::Unavailable("the engagement folder cannot be located".into());
    };
    let Ok(relative) = dir.strip_prefix(&root) else {
        return CommitState::Unavailable(
            "the folder is outside the repository's working tree".into(),
        );
    };
    let prefix = relative.to_string_lossy().replace('\\', "/");
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .disable_pathspec_match(false);
    for path in signed_paths() {
        if prefix.is_empty() {
            options.pathspec(path);
        } else {
            options.pathspec(format!("{prefix}/{path}"));
        }
    }
    match repo.statuses(Some(&mut options)) {
        Ok(statuses) => {
            let changed: Vec<String> = statuses
                .iter()
                .filter(|entry| !entry.status().is_ignored())
                .map(|entry| String::from_utf8_lossy(entry.path_bytes()).into_owned())
                .collect();
            if changed.is_empty() {
                CommitState::Clean(head)
            } else {
                CommitState::Uncommitted(changed)
            }
        }
        Err(_) => {
            CommitState::Unavailable("git could not say whether the files are committed".into())
        }
    }
}

/// The path of `file` relative to the engagement folder `dir`
/// (`/`-separated, `..` where it is above), and the SHA-256 of its bytes,
/// for `handoff sign --evidence`; why not, when `file` is not a regular
/// file inside the repository that holds `dir`.
pub fn evidence(dir: &Path, file: &Path) -> Result<(String, String), String> {
    let ceilings: Vec<std::path::PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    let repo = Repository::open_ext(dir, RepositoryOpenFlags::empty(), &ceilings)
        .map_err(|_| "the engagement folder is not in a git repository".to_string())?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| "the repository has no working tree".to_string())?;
    let root = std::fs::canonicalize(workdir).map_err(|e| e.to_string())?;
    let real = std::fs::canonicalize(file).map_err(|e| format!("it cannot be opened ({e})"))?;
    if !real.starts_with(&root) {
        return Err("it is outside the repository".to_string());
    }
    if !real.is_file() {
        return Err("it is not a regular file".to_string());
    }
    let folder = std::fs::canonicalize(dir).map_err(|e| e.to_string())?;
    let bytes = std::fs::File::open(&real)
        .and_then(crate::load::tree::read_limited)
        .map_err(|e| format!("it cannot be read ({e})"))?;
    Ok((
        relative(&folder, &real),
        crate::fingerprint::sha256_bytes(&bytes),
    ))
}

/// `to` as seen from the folder `from` (both absolute and canonical).
fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(
        b[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}
