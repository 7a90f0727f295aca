//! Engagement history read from git, for the questions that look back:
//! what changed since someone signed (`status --changes`, `diff
//! --since-signoff`, the `signoff-stale` message) and how each engagement
//! evolved (`stats --history`). Everything is read from git's object store
//! through [`crate::git`] (which alone uses git2): no checkout, no `git`
//! subprocess.
//!
//! # API (stable: later work adds to it, never changes it)
//!
//! - [`History::walk`]`(repo, &Walk)`: the first-parent history of HEAD,
//!   newest first, at most [`Walk::limit`] commits (default
//!   [`DEFAULT_LIMIT`]), and with [`Walk::since`] only commits from a date
//!   ([`Since::Date`], committer date in UTC, the walk stops at the first
//!   older commit) or back to a commit ([`Since::Commit`], included).
//!   [`History::walk_from`] starts elsewhere than HEAD.
//! - [`History::commits`] (newest first), [`History::truncated`] (the limit
//!   cut the walk short), [`History::repo`].
//! - [`Commit`]: id, root tree id, committer time and UTC [`Date`],
//!   summary; [`Commit::short`], [`Commit::revision`] (as `handoff diff`
//!   names a side), [`Commit::commit_ref`] (for [`Repo::tree`], hence
//!   [`Source::Commit`]).
//! - Per engagement folder (`dir` as [`Engagement::dir`] and the command
//!   line name it, relative to the current folder):
//!   - [`History::folder_at`]: the folder's git tree id at a commit
//!     (`None`: not there). Equal tree ids mean equal files, so anything
//!     computed from the folder alone can be memoised by it.
//!   - [`History::versions`]: the commits at which the folder's tree id
//!     changed (appeared, changed, went), oldest first.
//!   - [`History::key_at`]: the folder tree id with the blob id of the
//!     `handoff.toml` in force at that commit: the memo key for a
//!     judgement (same files and same config, same result).
//!   - [`History::engagement_at`]: the engagement as loaded at a commit,
//!     memoised by folder tree id (`None`: absent, or it has problems;
//!     [`History::load_at`] gives the problems).
//!   - [`History::judge_at`]: the engagement judged at a commit through a
//!     [`Workspace`] on [`Source::Commit`], with the config that commit
//!     holds (or the one named in the options).
//!   - [`History::fingerprint_at`]: its sign-off fingerprint
//!     ([`Fingerprint::combined_of`]), memoised by folder tree id.
//!   - [`History::signed_commit`]: the most recent commit whose engagement
//!     content has a given fingerprint, searching at most `max` commits
//!     ([`SEARCH_LIMIT`] is the documented bound the commands use).
//!   - [`History::signed_content`]: where a sign-off's content is: the
//!     commit recorded in it when that commit holds the signed
//!     fingerprint, else found by [`History::signed_commit`].
//! - [`History::engagement_dirs_at`]: the engagement folders under some
//!   roots at a commit, found as the loader finds them, without reading
//!   them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::config::CONFIG_FILE;
use crate::date::Date;
use crate::diff::Revision;
use crate::error::Failure;
use crate::fingerprint::Fingerprint;
use crate::git::{CommitInfo, CommitRef, ObjectKind, Oid, Repo, RevError};
use crate::load::{self, Loaded};
use crate::model::{Engagement, SignOff};
use crate::workspace::{Engagements, Options, Source, Workspace};

/// How many commits [`Walk::default`] reads at most.
pub const DEFAULT_LIMIT: usize = 10_000;

/// How many commits of the first-parent history are searched for the
/// content a sign-off covers when it recorded no commit
/// (docs/signoffs.md): far enough back for a sign-off of last year in a
/// busy repository, bounded so a run on a huge history stays quick.
pub const SEARCH_LIMIT: usize = 1_000;

/// Where a walk stops going back.
#[derive(Debug, Clone)]
pub enum Since {
    /// Commits whose committer date (UTC) is this day or later; the walk
    /// stops at the first older commit on the first-parent chain.
    Date(Date),
    /// Back to this commit, included.
    Commit(CommitRef),
}

/// Which part of the history to read.
#[derive(Debug, Clone)]
pub struct Walk {
    pub limit: usize,
    pub since: Option<Since>,
}

impl Default for Walk {
    fn default() -> Walk {
        Walk {
            limit: DEFAULT_LIMIT,
            since: None,
        }
    }
}

/// One commit of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub id: Oid,
    /// The commit's root tree.
    pub tree: Oid,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// The committer date in UTC.
    pub date: Date,
    /// The first line of the message.
    pub summary: String,
}

impl Commit {
    fn from_info(info: CommitInfo) -> Commit {
        Commit {
            id: info.oid,
            tree: info.tree,
            time: info.time,
            date: Date::from_unix_seconds(info.time),
            summary: info.summary,
        }
    }

    /// The first 7 characters of the id, as git shows them.
    pub fn short(&self) -> String {
        crate::git::short(self.id)
    }

    /// The commit as `handoff diff` names a side.
    pub fn revision(&self) -> Revision {
        Revision {
            label: self.short(),
            commit: Some(self.id.to_string()),
            summary: Some(self.summary.clone()).filter(|s| !s.is_empty()),
        }
    }

    pub fn commit_ref(&self) -> CommitRef {
        CommitRef {
            label: self.short(),
            oid: self.id,
            summary: self.summary.clone(),
        }
    }
}

/// One version of an engagement folder: the commit that made it, and its
/// tree id (`None`: the folder is not there from this commit on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version<'h> {
    pub commit: &'h Commit,
    pub folder: Option<Oid>,
}

/// The result of a search by fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    Found(Commit),
    /// Not in the `searched` most recent commits; `cut` says whether the
    /// bound (or the walk's limit) stopped the search before the history
    /// ended.
    NotFound {
        searched: usize,
        cut: bool,
    },
}

/// Where the content a sign-off covers is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// The commit recorded in the sign-off, which holds the signed content.
    Recorded(Commit),
    /// The most recent commit on the first-parent history with the signed
    /// fingerprint (the sign-off recorded no commit, or one that is not in
    /// this clone or does not hold that content).
    Found(Commit),
    /// Not in the history searched.
    NotFound {
        searched: usize,
        /// The search stopped at its bound before the history ended.
        cut: bool,
        /// The commit the sign-off recorded, when it could not be used,
        /// with why.
        recorded: Option<(String, String)>,
    },
}

impl Signed {
    /// The commit holding the signed content, when known.
    pub fn commit(&self) -> Option<&Commit> {
        match self {
            Signed::Recorded(c) | Signed::Found(c) => Some(c),
            Signed::NotFound { .. } => None,
        }
    }
}

/// An engagement loaded without problems, or `None`.
type Loadedness = Option<Rc<Engagement>>;

/// The first-parent history of a branch, with what was read from it
/// memoised by git tree id.
pub struct History<'r> {
    repo: &'r Repo,
    commits: Vec<Commit>,
    truncated: bool,
    /// By folder and folder tree id: the engagement loaded without
    /// problems, or `None`.
    engagements: RefCell<HashMap<(String, Oid), Loadedness>>,
    /// By folder tree id: the combined fingerprint (`None`: the folder does
    /// not load cleanly).
    fingerprints: RefCell<HashMap<Oid, Option<String>>>,
}

impl std::fmt::Debug for History<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("commits", &self.commits.len())
            .field("truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

impl<'r> History<'r> {
    /// The first-parent history of HEAD.
    pub fn walk(repo: &'r Repo, walk: &Walk) -> Result<History<'r>, RevError> {
        let head = repo.resolve("HEAD", false)?;
        History::walk_from(repo, &head, walk)
    }

    /// The first-parent history of `start`.
    pub fn walk_from(
        repo: &'r Repo,
        start: &CommitRef,
        walk: &Walk,
    ) -> Result<History<'r>, RevError> {
        let (since_time, stop_at) = match &walk.since {
            None => (None, None),
            Some(Since::Date(date)) => (Some(date.days_since_epoch().saturating_mul(86_400)), None),
            Some(Since::Commit(commit)) => (None, Some(commit.oid)),
        };
        let (infos, truncated) = repo.first_parent(start.oid, walk.limit, since_time, stop_at)?;
        Ok(History {
            repo,
            commits: infos.into_iter().map(Commit::from_info).collect(),
            truncated,
            engagements: RefCell::default(),
            fingerprints: RefCell::default(),
        })
    }

    pub fn repo(&self) -> &'r Repo {
        self.repo
    }

    /// Newest first.
    pub fn commits(&self) -> &[Commit] {
        &self.commits
    }

    /// Whether the walk's limit stopped it before the history ended.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The tree id of the folder `dir` at `commit`; `None` when it is not
    /// a folder there.
    pub fn folder_at(&self, commit: &Commit, dir: &str) -> Option<Oid> {
        match self.repo.object_at(commit.tree, Path::new(dir)) {
            Some((id, ObjectKind::Tree)) => Some(id),
            _ => None,
        }
    }

    /// The commits at which the folder `dir` changed, oldest first: the
    /// first commit of the walk where it is there, then every commit whose
    /// tree id for it differs from its first parent's (`folder: None` when
    /// it went).
    pub fn versions(&self, dir: &str) -> Vec<Version<'_>> {
        let mut out: Vec<Version<'_>> = Vec::new();
        let mut last: Option<Oid> = None;
        for commit in self.commits.iter().rev() {
            let folder = self.folder_at(commit, dir);
            if folder != last && !(out.is_empty() && folder.is_none()) {
                out.push(Version { commit, folder });
            }
            last = folder;
        }
        out
    }

    /// The memo key of a judgement at `commit`: the folder's tree id and
    /// the blob id of the `handoff.toml` in force there (`None` for the
    /// defaults). `None` when the folder is not there.
    pub fn key_at(&self, commit: &Commit, dir: &str) -> Option<(Oid, Option<Oid>)> {
        let folder = self.folder_at(commit, dir)?;
        let tree = self.repo.tree(&commit.commit_ref()).ok()?;
        let config = tree
            .find_up(Path::new(dir), CONFIG_FILE)
            .and_then(|path| self.repo.object_at(commit.tree, &path))
            .map(|(id, _)| id);
        Some((folder, config))
    }

    /// Everything read from the folder `dir` at `commit`, problems
    /// included; not memoised.
    pub fn load_at(&self, commit: &Commit, dir: &str) -> Result<Loaded, RevError> {
        let tree = self.repo.tree(&commit.commit_ref())?;
        let mut loaded = Loaded::default();
        if let Some(engagement) = load::load_engagement(&tree, Path::new(dir), &mut loaded) {
            loaded.engagements.push(engagement);
        }
        Ok(loaded)
    }

    /// The engagement in `dir` at `commit`, memoised by the folder's tree
    /// id; `None` when the folder is not there or does not load without
    /// problems.
    pub fn engagement_at(&self, commit: &Commit, dir: &str) -> Option<Rc<Engagement>> {
        let folder = self.folder_at(commit, dir)?;
        let key = (dir.to_string(), folder);
        if let Some(found) = self.engagements.borrow().get(&key) {
            return found.clone();
        }
        let loaded = self
            .load_at(commit, dir)
            .ok()
            .filter(|l| l.diagnostics.is_empty())
            .and_then(|mut l| l.engagements.pop())
            .map(Rc::new);
        self.engagements.borrow_mut().insert(key, loaded.clone());
        loaded
    }

    /// The engagement in `dir` judged at `commit`, with the config that
    /// commit holds (or the one `options` names), as `check` would judge
    /// it had the commit been checked out. Not memoised: memoise by
    /// [`History::key_at`].
    pub fn judge_at(
        &self,
        commit: &Commit,
        dir: &str,
        options: &Options,
    ) -> Result<Engagements, Failure> {
        let tree = self
            .repo
            .tree(&commit.commit_ref())
            .map_err(|err| Failure {
                diagnostics: vec![crate::diag::Diagnostic::general(err.message)],
                ..Failure::default()
            })?;
        Workspace::new(Source::Commit(&tree), options.clone()).open(&[PathBuf::from(dir)])
    }

    /// The sign-off fingerprint of the engagement in `dir` at `commit`,
    /// memoised by the folder's tree id.
    pub fn fingerprint_at(&self, commit: &Commit, dir: &str) -> Option<String> {
        let folder = self.folder_at(commit, dir)?;
        if let Some(found) = self.fingerprints.borrow().get(&folder) {
            return found.clone();
        }
        let fingerprint = self
            .engagement_at(commit, dir)
            .map(|e| Fingerprint::combined_of(&e));
        self.fingerprints
            .borrow_mut()
            .insert(folder, fingerprint.clone());
        fingerprint
    }

    /// The most recent commit (of at most `max`, newest first) whose
    /// engagement in `dir` has the fingerprint `fingerprint`.
    pub fn signed_commit(&self, dir: &str, fingerprint: &str, max: usize) -> Search {
        let mut searched = 0;
        for commit in self.commits.iter().take(max) {
            searched += 1;
            if self.fingerprint_at(commit, dir).as_deref() == Some(fingerprint) {
                return Search::Found(commit.clone());
            }
        }
        Search::NotFound {
            searched,
            cut: self.commits.len() > max || self.truncated,
        }
    }

    /// Where the content `signoff` covers is: its recorded commit when
    /// that holds the signed fingerprint, else the most recent commit of
    /// at most `max` that does.
    pub fn signed_content(&self, dir: &str, signoff: &SignOff, max: usize) -> Signed {
        let mut recorded = None;
        if let Some(id) = &signoff.commit {
            match self.commit(id) {
                Ok(commit)
                    if self.fingerprint_at(&commit, dir).as_deref()
                        == Some(signoff.fingerprint.as_str()) =>
                {
                    return Signed::Recorded(commit);
                }
                Ok(_) => {
                    recorded = Some((
                        id.clone(),
                        "the engagement at that commit is not what was signed".to_string(),
                    ));
                }
                Err(err) => recorded = Some((id.clone(), err.message)),
            }
        }
        match self.signed_commit(dir, &signoff.fingerprint.value, max) {
            Search::Found(commit) => Signed::Found(commit),
            Search::NotFound { searched, cut } => Signed::NotFound {
                searched,
                cut,
                recorded,
            },
        }
    }

    /// Any commit of the repository, by id.
    pub fn commit(&self, id: &str) -> Result<Commit, RevError> {
        let found = self.repo.resolve(id, false)?;
        let (mut infos, _) = self.repo.first_parent(found.oid, 1, None, None)?;
        infos.pop().map(Commit::from_info).ok_or_else(|| RevError {
            message: format!("cannot read commit {id}"),
            fetch: None,
            note: None,
        })
    }

    /// The engagement folders under `roots` at `commit`, as the loader
    /// finds them (`skip` as in [`load::load_all_skipping`]).
    pub fn engagement_dirs_at(
        &self,
        commit: &Commit,
        roots: &[PathBuf],
        skip: load::Skip<'_>,
    ) -> Result<Vec<String>, RevError> {
        let tree = self.repo.tree(&commit.commit_ref())?;
        Ok(load::find_engagements(&tree, roots, skip))
    }
}
