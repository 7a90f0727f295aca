//! Git access for `handoff diff`: revisions resolved and trees read straight
//! from the object store with git2, with no checkout, clone or `git`
//! subprocess.
//!
//! Paths stay as the user sees them (relative to the current folder), so
//! both sides of a diff, and the working tree, name files the same way; a
//! [`GitTree`] maps them onto paths relative to the repository root.

use std::io;
use std::path::{Component, Path, PathBuf};

use git2::{ErrorCode, ObjectType, Repository};

/// A git object id (commit, tree or blob). Re-exported so the modules above
/// name ids without using git2 themselves.
pub use git2::Oid;

use crate::load::tree::{ContentId, Entry, Tree};

/// A repository found from the current folder.
pub struct Repo {
    repo: Repository,
    map: PathMap,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo").field("map", &self.map).finish()
    }
}

/// Translates between paths relative to the current folder and paths
/// relative to the repository root.
#[derive(Debug, Clone)]
pub struct PathMap {
    /// The repository root, canonical.
    root: PathBuf,
    /// The current folder below the root, one name per component.
    prefix: Vec<String>,
    /// The current folder is outside the repository: only absolute paths
    /// name something in it, and paths are shown absolute.
    outside: bool,
}

impl PathMap {
    pub fn new(root: &Path, cwd: &Path) -> PathMap {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        let outside = !cwd.starts_with(&root);
        let prefix = cwd
            .strip_prefix(&root)
            .map(|rest| {
                rest.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        PathMap {
            root,
            prefix,
            outside,
        }
    }

    /// `path` (relative to the current folder, or absolute) as a path
    /// relative to the repository root; `None` when it leaves the repository.
    pub fn to_root(&self, path: &Path) -> Option<PathBuf> {
        if path.is_absolute() {
            let rest = path.strip_prefix(&self.root).ok()?;
            return normalise(Vec::new(), rest);
        }
        if self.outside {
            return None;
        }
        normalise(self.prefix.clone(), path)
    }

    /// A root-relative path as seen from the current folder.
    pub fn from_root(&self, path: &Path) -> PathBuf {
        if self.outside {
            return self.root.join(path);
        }
        let parts: Vec<String> = path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let common = self
            .prefix
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = PathBuf::new();
        for _ in common..self.prefix.len() {
            out.push("..");
        }
        for part in &parts[common..] {
            out.push(part);
        }
        if out.as_os_str().is_empty() {
            out.push(".");
        }
        out
    }
}

fn normalise(mut parts: Vec<String>, path: &Path) -> Option<PathBuf> {
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Why a revision could not be used: printed, then the tool exits 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevError {
    pub message: String,
    /// The exact command that would bring the missing history in.
    pub fetch: Option<String>,
    pub note: Option<String>,
}

impl RevError {
    fn plain(message: impl Into<String>) -> RevError {
        RevError {
            message: message.into(),
            fetch: None,
            note: None,
        }
    }
}

/// A commit as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    /// What the user typed (or `HEAD`), or a description such as
    /// "merge-base of origin/main and HEAD".
    pub label: String,
    pub oid: Oid,
    /// The first line of the commit message.
    pub summary: String,
}

/// One commit of a first-parent walk ([`Repo::first_parent`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub oid: Oid,
    /// The root tree of the commit.
    pub tree: Oid,
    /// Committer time, seconds since the epoch (UTC).
    pub time: i64,
    /// The first line of the commit message.
    pub summary: String,
}

/// A path whose object differs between two trees ([`Repo::changed_paths`]),
/// relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    /// What it was in the old tree and is in the new one (`None`: not
    /// there). A folder on both sides is listed and descended into: the
    /// paths that changed inside it follow.
    pub old: Option<ObjectKind>,
    pub new: Option<ObjectKind>,
}

impl Change {
    /// A folder on both sides, whose changed contents are listed too.
    pub fn is_folder(&self) -> bool {
        self.old == Some(ObjectKind::Tree) && self.new == Some(ObjectKind::Tree)
    }
}

/// What a path names in a commit ([`Repo::object_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Tree,
    Blob,
    /// A submodule link or anything else that is not a file or folder.
    Other,
}

impl Repo {
    /// `repo`, found from the current folder `cwd` or from a folder given;
    /// either way it must have a working tree, and paths are named from
    /// `cwd`.
    fn with_worktree(repo: Repository, cwd: &Path) -> Result<Repo, RevError> {
        // Every read here is of objects the repository names by id, for a
        // comparison or a history; re-hashing each one to check its id is
        // `git fsck`'s work, and costs a sixteenth of `diff`. Nothing here
        // writes objects, so a damaged object can only be misread, never
        // spread. The setting is libgit2's, for the whole process.
        git2::opts::strict_hash_verification(false);
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Err(RevError::plain(
                "this is a bare repository: it has no working tree to read engagements from",
            ));
        };
        Ok(Repo {
            map: PathMap::new(&workdir, cwd),
            repo,
        })
    }

    /// The repository that holds the current folder.
    pub fn discover() -> Result<Repo, RevError> {
        let cwd = current_dir()?;
        let repo = Repository::discover(&cwd).map_err(|_| {
            RevError::plain(
                "this folder is not inside a git repository; handoff diff compares revisions of one",
            )
        })?;
        Repo::with_worktree(repo, &cwd)
    }

    /// The repository that holds the folder `dir`. Paths are named from
    /// the current folder, as everywhere else; when that is outside the
    /// repository, only absolute paths name something in it.
    pub fn discover_at(dir: &Path) -> Result<Repo, RevError> {
        let cwd = current_dir()?;
        let repo = Repository::discover(dir).map_err(|_| {
            RevError::plain(format!(
                "{} is not inside a git repository, so it has no history",
                crate::load::display(dir)
            ))
        })?;
        Repo::with_worktree(repo, &cwd)
    }

    pub fn map(&self) -> &PathMap {
        &self.map
    }

    fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The remote to suggest fetching from: `origin`, or the only one.
    /// The remote to fetch from: `origin` when there is one.
    fn remote(&self) -> Option<String> {
        let names = self.remote_names();
        if names.iter().any(|n| n == "origin") {
            Some("origin".to_string())
        } else {
            names.into_iter().next()
        }
    }

    fn remote_names(&self) -> Vec<String> {
        self.repo
            .remotes()
            .map(|names| {
                names
                    .iter()
                    .flatten()
                    .flatten()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Resolves any revision git understands (branch, tag, sha, `HEAD~1`,
    /// `origin/main`) to a commit.
    pub fn resolve(&self, rev: &str, three_dot: bool) -> Result<CommitRef, RevError> {
        let commit = self
            .repo
            .revparse_single(rev)
            .and_then(|object| object.peel_to_commit());
        match commit {
            Ok(commit) => Ok(CommitRef {
                label: rev.to_string(),
                oid: commit.id(),
                summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
            }),
            Err(err) => Err(self.missing(rev, &err, three_dot)),
        }
    }

    /// The best common ancestor of two commits, as `git diff A...B` uses.
    pub fn merge_base(&self, a: &CommitRef, b: &CommitRef) -> Result<CommitRef, RevError> {
        match self.repo.merge_base(a.oid, b.oid) {
            Ok(oid) => {
                let summary = self
                    .repo
                    .find_commit(oid)
                    .ok()
                    .and_then(|c| c.summary().ok().flatten().map(str::to_string))
                    .unwrap_or_default();
                Ok(CommitRef {
                    label: format!("merge-base of {} and {}", a.label, b.label),
                    oid,
                    summary,
                })
            }
            Err(_) if self.is_shallow() => {
                let remote = self.remote().unwrap_or_else(|| "origin".to_string());
                Err(RevError {
                    message: format!(
                        "cannot find where {} and {} diverged: this clone is shallow and the history that joins them is missing",
                        a.label, b.label
                    ),
                    fetch: Some(format!("git fetch --unshallow {remote}")),
                    note: Some(shallow_note()),
                })
            }
            Err(_) => Err(RevError::plain(format!(
                "{} and {} have no common history, so there is no merge-base to compare from; compare them directly with `handoff diff {} {}`",
                a.label, b.label, a.label, b.label
            ))),
        }
    }

    /// A tree to load engagements from.
    pub fn tree(&self, commit: &CommitRef) -> Result<GitTree<'_>, RevError> {
        let tree = self
            .repo
            .find_commit(commit.oid)
            .and_then(|c| c.tree())
            .map_err(|err| {
                RevError::plain(format!(
                    "cannot read the files of {} ({}): {}",
                    commit.label,
                    short(commit.oid),
                    err.message()
                ))
            })?;
        Ok(GitTree {
            repo: &self.repo,
            tree,
            map: &self.map,
        })
    }

    /// The commits on the first-parent chain from `from` (included),
    /// newest first, each with its committer time: at most `limit`, and
    /// stopping before the first commit older than `since_time` (seconds
    /// since the epoch) and after `stop_at`. The flag says whether `limit`
    /// (or the end of a shallow clone) cut the walk short: there were more
    /// commits to see.
    pub fn first_parent(
        &self,
        from: Oid,
        limit: usize,
        since_time: Option<i64>,
        stop_at: Option<Oid>,
    ) -> Result<(Vec<CommitInfo>, bool), RevError> {
        let mut out = Vec::new();
        let mut next = Some(from);
        while let Some(oid) = next {
            if out.len() >= limit {
                return Ok((out, true));
            }
            let commit = match self.repo.find_commit(oid) {
                Ok(commit) => commit,
                // A parent a shallow clone does not hold: the history it
                // has ends here, and more exists.
                Err(_) if oid != from => return Ok((out, true)),
                Err(err) => {
                    return Err(RevError::plain(format!(
                        "cannot read commit {} of the history: {}",
                        short(oid),
                        err.message()
                    )));
                }
            };
            let time = commit.time().seconds();
            if since_time.is_some_and(|since| time < since) {
                break;
            }
            // A shallow clone ends where its graft is: no parent to read.
            next = (commit.parent_count() > 0)
                .then(|| commit.parent_id(0).ok())
                .flatten();
            out.push(CommitInfo {
                oid,
                tree: commit.tree_id(),
                time,
                summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
            });
            if stop_at == Some(oid) {
                return Ok((out, false));
            }
            if next.is_none() {
                // A shallow clone's oldest commit looks like a root: the
                // history goes on in the repository it was cloned from.
                return Ok((out, self.is_shallow()));
            }
        }
        Ok((out, false))
    }

    /// The id of the object at `path` (as the user names it, like every
    /// path here) in the tree `root`, with its kind: `None` when the path
    /// is not there or leaves the repository. The root path is `root`.
    pub fn object_at(&self, root: Oid, path: &Path) -> Option<(Oid, ObjectKind)> {
        let rel = self.map.to_root(path)?;
        if rel.as_os_str().is_empty() {
            return Some((root, ObjectKind::Tree));
        }
        let tree = self.repo.find_tree(root).ok()?;
        let entry = tree.get_path(&rel).ok()?;
        let kind = match entry.kind() {
            Some(ObjectType::Tree) => ObjectKind::Tree,
            Some(ObjectType::Blob) => ObjectKind::Blob,
            _ => ObjectKind::Other,
        };
        Some((entry.id(), kind))
    }

    /// Every path whose object differs between the trees `old` and `new`,
    /// relative to the repository root, parents before their contents:
    /// only folders that differ are read, so the work grows with what
    /// changed, not with the size of the trees (equal ids mean equal
    /// contents). `None` when a tree cannot be read.
    pub fn changed_paths(&self, old: Oid, new: Oid) -> Option<Vec<Change>> {
        let mut out = Vec::new();
        self.changed_in(old, new, Path::new(""), &mut out)?;
        Some(out)
    }

    fn changed_in(&self, old: Oid, new: Oid, at: &Path, out: &mut Vec<Change>) -> Option<()> {
        if old == new {
            return Some(());
        }
        let old_tree = self.repo.find_tree(old).ok()?;
        let new_tree = self.repo.find_tree(new).ok()?;
        let kind = |e: &git2::TreeEntry<'_>| match e.kind() {
            Some(ObjectType::Tree) => ObjectKind::Tree,
            Some(ObjectType::Blob) => ObjectKind::Blob,
            _ => ObjectKind::Other,
        };
        for entry in new_tree.iter() {
            let before = old_tree.get_name_bytes(entry.name_bytes());
            if before.as_ref().is_some_and(|b| b.id() == entry.id()) {
                continue;
            }
            let path = at.join(String::from_utf8_lossy(entry.name_bytes()).as_ref());
            let change = Change {
                path,
                old: before.as_ref().map(kind),
                new: Some(kind(&entry)),
            };
            let descend = change.is_folder();
            let path = change.path.clone();
            out.push(change);
            if let (true, Some(before)) = (descend, before) {
                self.changed_in(before.id(), entry.id(), &path, out)?;
            }
        }
        for entry in old_tree.iter() {
            if new_tree.get_name_bytes(entry.name_bytes()).is_none() {
                out.push(Change {
                    path: at.join(String::from_utf8_lossy(entry.name_bytes()).as_ref()),
                    old: Some(kind(&entry)),
                    new: None,
                });
            }
        }
        Some(())
    }

    /// Whether HEAD names a commit (a new repository has none yet).
    pub fn has_commits(&self) -> bool {
        self.repo
            .head()
            .is_ok_and(|head| head.peel_to_commit().is_ok())
    }

    /// Whether `path` (as the user names it) is inside this repository:
    /// a path outside it has no history here.
    pub fn holds(&self, path: &Path) -> bool {
        self.map.to_root(path).is_some()
    }

    /// Explains a revision that did not resolve, with the fetch command
    /// that would bring it in where one can.
    fn missing(&self, rev: &str, err: &git2::Error, three_dot: bool) -> RevError {
        if err.code() == ErrorCode::UnbornBranch
            || (rev == "HEAD" && self.repo.head().is_err() && self.repo.is_empty().unwrap_or(false))
        {
            return RevError::plain(
                "this repository has no commits yet; commit the engagement files first, then compare",
            );
        }
        if err.code() == ErrorCode::Ambiguous {
            return RevError::plain(format!(
                "revision `{rev}` is ambiguous: more than one object starts with it; give more characters"
            ));
        }
        let remote = self.remote();
        let shallow = self.is_shallow();
        let not_here = format!("revision `{rev}` is not in this clone");

        // `X~N` / `X^` whose X itself is missing: fetching X is the fix.
        if let Some((base, _)) = ancestry(rev)
            && let Err(base_err) = self
                .repo
                .revparse_single(base)
                .and_then(|o| o.peel_to_commit())
        {
            return self.missing(base, &base_err, three_dot);
        }
        // `X~N` / `X^`: the named commit exists but its ancestors may not.
        if let Some((base, steps)) = ancestry(rev)
            && let Ok(start) = self
                .repo
                .revparse_single(base)
                .and_then(|o| o.peel_to_commit())
        {
            let mut available = 0usize;
            let mut current = start;
            while available < steps {
                match current.parent(0) {
                    Ok(parent) => {
                        current = parent;
                        available += 1;
                    }
                    Err(_) => break,
                }
            }
            let missing = steps.saturating_sub(available);
            if shallow {
                return RevError {
                    message: format!(
                        "revision `{rev}` is not in this clone: it is shallow and holds only {available} commit{} before {base}",
                        if available == 1 { "" } else { "s" }
                    ),
                    fetch: Some(format!(
                        "git fetch --deepen={missing} {}",
                        remote.as_deref().unwrap_or("origin")
                    )),
                    note: Some(shallow_note()),
                };
            }
            return RevError::plain(format!(
                "revision `{rev}` does not exist: {base} has only {available} commit{} before it",
                if available == 1 { "" } else { "s" }
            ));
        }

        let Some(remote) = remote else {
            return RevError::plain(format!(
                "revision `{rev}` is not in this repository, and it has no remote to fetch it from"
            ));
        };
        let is_hex = rev.len() >= 4 && rev.chars().all(|c| c.is_ascii_hexdigit());
        if is_hex && rev.len() == 40 {
            return RevError {
                message: not_here,
                fetch: Some(format!("git fetch {remote} {rev}")),
                note: shallow.then(shallow_note),
            };
        }
        if is_hex {
            return RevError {
                message: format!(
                    "{not_here}; an abbreviated commit id cannot be fetched on its own"
                ),
                fetch: Some(if shallow {
                    format!("git fetch --unshallow {remote}")
                } else {
                    format!("git fetch {remote}")
                }),
                note: shallow.then(shallow_note),
            };
        }
        // `origin/main`: a remote-tracking branch that was never fetched
        // (actions/checkout fetches only the commit it builds).
        for name in self.remote_names() {
            if let Some(branch) = rev.strip_prefix(&format!("{name}/"))
                && !branch.is_empty()
            {
                let deepen = if shallow && three_dot {
                    "--unshallow "
                } else {
                    ""
                };
                // The explicit destination makes it work in single-branch
                // clones too, whose fetch refspec would leave it in FETCH_HEAD.
                return RevError {
                    message: not_here,
                    fetch: Some(format!(
                        "git fetch {deepen}{name} {branch}:refs/remotes/{name}/{branch}"
                    )),
                    note: shallow.then(shallow_note),
                };
            }
        }
        if let Some(branch) = rev.strip_prefix("refs/remotes/")
            && let Some((name, branch)) = branch.split_once('/')
        {
            return RevError {
                message: not_here,
                fetch: Some(format!("git fetch {name} {branch}:{rev}")),
                note: shallow.then(shallow_note),
            };
        }
        let plain_name = !rev.is_empty()
            && !rev.starts_with('-')
            && !rev.contains(['~', '^', ':', '@', ' ', '{']);
        if plain_name {
            return RevError {
                message: not_here,
                fetch: Some(format!("git fetch {remote} {rev}:{rev}")),
                note: Some(format!(
                    "this fetches the branch or tag `{rev}` from {remote}; check the spelling if {remote} has none"
                )),
            };
        }
        RevError::plain(format!(
            "`{rev}` is not a revision git understands: {}",
            err.message()
        ))
    }
}

fn shallow_note() -> String {
    "this clone is shallow; in CI, fetch the full history (actions/checkout: `fetch-depth: 0`; GitLab: `GIT_DEPTH: 0`), see docs/ci.md".to_string()
}

/// The first 7 characters of a commit id, as git shows them.
pub fn short(oid: Oid) -> String {
    short_id(&oid.to_string())
}

/// [`short`] for a commit id already written out.
pub fn short_id(id: &str) -> String {
    id.chars().take(7).collect()
}

/// `HEAD~3` → ("HEAD", 3); `main^^` → ("main", 2); `X^2` counts as one
/// step back (a second parent is one commit deeper too).
fn ancestry(rev: &str) -> Option<(&str, usize)> {
    let cut = rev.find(['~', '^'])?;
    let (base, mut rest) = rev.split_at(cut);
    if base.is_empty() {
        return None;
    }
    let mut steps = 0usize;
    while let Some(op) = rest.chars().next() {
        rest = &rest[1..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        rest = &rest[digits.len()..];
        let n: usize = if digits.is_empty() {
            1
        } else {
            digits.parse().ok()?
        };
        match op {
            '~' => steps = steps.checked_add(n)?,
            '^' => steps = steps.checked_add(usize::from(n > 0))?,
            _ => return None,
        }
    }
    Some((base, steps))
}

/// One commit's files, read from the object store.
pub struct GitTree<'r> {
    repo: &'r Repository,
    tree: git2::Tree<'r>,
    map: &'r PathMap,
}

impl std::fmt::Debug for GitTree<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitTree")
            .field("tree", &self.tree.id())
            .finish()
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} is not in this revision", path.display()),
    )
}

impl GitTree<'_> {
    /// The entry at `path`: `None` for the root itself.
    fn entry(&self, path: &Path) -> io::Result<Option<git2::TreeEntry<'static>>> {
        let rel = self.map.to_root(path).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is outside the repository", path.display()),
            )
        })?;
        if rel.as_os_str().is_empty() {
            return Ok(None);
        }
        self.tree
            .get_path(&rel)
            .map(|e| Some(e.to_owned()))
            .map_err(|_| not_found(path))
    }

    fn subtree(&self, path: &Path) -> io::Result<git2::Tree<'_>> {
        match self.entry(path)? {
            None => Ok(self.tree.clone()),
            Some(entry) if entry.kind() == Some(ObjectType::Tree) => self
                .repo
                .find_tree(entry.id())
                .map_err(|err| io::Error::other(err.message().to_string())),
            Some(_) => Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a folder", path.display()),
            )),
        }
    }
}

impl GitTree<'_> {
    /// Whether `path` is the same file in both trees: equal blob ids mean
    /// equal content, so neither file needs reading to know it.
    pub fn same_file(&self, other: &GitTree<'_>, path: &Path) -> bool {
        match (self.entry(path), other.entry(path)) {
            (Ok(Some(a)), Ok(Some(b))) => a.kind() == Some(ObjectType::Blob) && a.id() == b.id(),
            _ => false,
        }
    }

    /// The file `name` in `dir` or the nearest folder above it, up to the
    /// repository root, as seen from the current folder: how a commit's
    /// `handoff.toml` is found.
    pub fn find_up(&self, dir: &Path, name: &str) -> Option<PathBuf> {
        let rel = self.map.to_root(dir)?;
        rel.ancestors().find_map(|folder| {
            let shown = self.map.from_root(&folder.join(name));
            self.exists(&shown).then_some(shown)
        })
    }
}

impl Tree for GitTree<'_> {
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let tree = self.subtree(dir)?;
        let mut entries: Vec<Entry> = tree
            .iter()
            .map(|e| Entry {
                name: String::from_utf8_lossy(e.name_bytes()).into_owned(),
                is_dir: e.kind() == Some(ObjectType::Tree),
            })
            .collect();
        entries.sort();
        Ok(entries)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let entry = self.entry(path)?.ok_or_else(|| not_found(path))?;
        let blob = self
            .repo
            .find_blob(entry.id())
            .map_err(|_| not_found(path))?;
        Ok(blob.content().to_vec())
    }

    fn is_file(&self, path: &Path) -> bool {
        matches!(self.entry(path), Ok(Some(e)) if e.kind() == Some(ObjectType::Blob))
    }

    fn is_dir(&self, path: &Path) -> bool {
        match self.entry(path) {
            Ok(None) => true,
            Ok(Some(e)) => e.kind() == Some(ObjectType::Tree),
            Err(_) => false,
        }
    }

    fn is_submodule(&self, path: &Path) -> bool {
        // A commit records a submodule as a link to another commit.
        matches!(self.entry(path), Ok(Some(e)) if e.kind() == Some(ObjectType::Commit))
    }

    fn content_id(&self, path: &Path) -> Option<ContentId> {
        // The blob id names the bytes: the same id on both sides of a
        // comparison is the same file, read once.
        match self.entry(path) {
            Ok(Some(e)) if e.kind() == Some(ObjectType::Blob) => e.id().as_bytes().try_into().ok(),
            _ => None,
        }
    }
}

fn current_dir() -> Result<PathBuf, RevError> {
    std::env::current_dir()
        .map_err(|err| RevError::plain(format!("cannot read the current folder: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(prefix: &[&str]) -> PathMap {
        PathMap {
            root: PathBuf::from("/repo"),
            prefix: prefix.iter().map(|s| (*s).to_string()).collect(),
            outside: false,
        }
    }

    #[test]
    fn paths_typed_in_a_subfolder_map_to_the_repository_root() {
        let m = map(&["clients"]);
        assert_eq!(
            m.to_root(Path::new("acme/handoff.yaml")),
            Some(PathBuf::from("clients/acme/handoff.yaml"))
        );
        assert_eq!(m.to_root(Path::new(".")), Some(PathBuf::from("clients")));
        assert_eq!(m.to_root(Path::new("../x")), Some(PathBuf::from("x")));
        assert_eq!(m.to_root(Path::new("../../x")), None);
        assert_eq!(
            m.to_root(Path::new("/repo/a/b")),
            Some(PathBuf::from("a/b"))
        );
        assert_eq!(
            m.from_root(Path::new("clients/acme")),
            PathBuf::from("acme")
        );
        assert_eq!(m.from_root(Path::new("other")), PathBuf::from("../other"));
        assert_eq!(m.from_root(Path::new("clients")), PathBuf::from("."));
    }

    #[test]
    fn ancestry_suffixes_count_steps_back() {
        assert_eq!(ancestry("HEAD~3"), Some(("HEAD", 3)));
        assert_eq!(ancestry("main^^"), Some(("main", 2)));
        assert_eq!(ancestry("main~2^"), Some(("main", 3)));
        assert_eq!(ancestry("HEAD"), None);
        assert_eq!(ancestry("~3"), None);
    }
}
