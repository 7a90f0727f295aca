//! From folders to typed engagements: find engagement folders, read their
//! files, and validate them into [`crate::model`], collecting every problem.

pub mod edit;
mod fields;
pub mod hints;
pub mod items;
pub mod tree;

use std::any::Any;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Sources, suggest};
use crate::model::{Engagement, Loc, Pos, Sp, Written};
use crate::yaml::{self, Node, Value};

use fields::Reader;
pub use tree::{ContentId, FsTree, Tree};

/// The file that marks a folder as an engagement.
pub const HANDOFF_FILE: &str = "handoff.yaml";

/// Who signed the engagement off (docs/signoffs.md).
pub const SIGNOFFS_FILE: &str = "signoffs.yaml";

/// Findings accepted on purpose (docs/rules.md#waivers).
pub const WAIVERS_FILE: &str = "waivers.yaml";

/// The kinds that may also be a folder of files (`promises/*.yaml`).
pub const SPLIT_KINDS: &[&str] = &["promises", "scope", "gaps"];

/// YAML files an engagement folder may hold at its top level.
pub const KNOWN_FILES: &[&str] = &[
    "handoff.yaml",
    "stakeholders.yaml",
    "stakeholders.yml",
    "promises.yaml",
    "promises.yml",
    "scope.yaml",
    "scope.yml",
    "gaps.yaml",
    "gaps.yml",
    "signoffs.yaml",
    "waivers.yaml",
];

/// Folders never searched for engagements.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

/// Everything read, and every problem met while reading.
#[derive(Debug, Default)]
pub struct Loaded {
    pub engagements: Vec<Engagement>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// Every sign-off `role:` read, valid entry or not, for
    /// `Config::check_signoff_roles` once each engagement's config is known.
    pub signoff_roles: Vec<Sp<String>>,
    /// Each engagement folder read, in order, with the range of
    /// `diagnostics` met while reading it: one broken engagement is told
    /// apart from the others, which are judged all the same.
    pub folders: Vec<Folder>,
}

/// One engagement folder read, and where its problems are in
/// [`Loaded::diagnostics`].
#[derive(Debug, Clone)]
pub struct Folder {
    /// As [`display`] shows it, like [`Engagement::dir`].
    pub dir: String,
    pub problems: std::ops::Range<usize>,
}

/// The engagement folder that holds `path`, when `path` is inside one
/// (run from `promises/` or any subfolder), as git finds its repository:
/// `path` itself when it is an engagement; `None` when no folder above it
/// up to the repository's root is one. The result is named from `path`
/// (`..`, `../..`), so messages show it as the user would type it.
pub fn enclosing_engagement(path: &Path) -> Option<PathBuf> {
    let mut candidate = path.to_path_buf();
    // Bounded by the folders above: no loop on a strange file system.
    let depth = std::fs::canonicalize(path).map_or(0, |p| p.components().count());
    for _ in 0..=depth {
        if candidate.join(HANDOFF_FILE).is_file() {
            return Some(candidate);
        }
        if candidate.join(".git").exists() {
            return None;
        }
        candidate = match candidate.components().next_back() {
            Some(std::path::Component::Normal(_)) => {
                let mut up = candidate.clone();
                up.pop();
                if up.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    up
                }
            }
            Some(std::path::Component::CurDir) if candidate == Path::new(".") => {
                PathBuf::from("..")
            }
            _ => candidate.join(".."),
        };
    }
    None
}

/// Finds and loads every engagement under `roots`.
pub fn load_all(tree: &dyn Tree, roots: &[PathBuf]) -> Loaded {
    load_roots(tree, roots, true, &|_, _| false, None)
}

/// Decides whether a folder found below a searched root is left out
/// (`[discovery] exclude`): called with the root and the folder, never for
/// a root itself, so a folder named on the command line is always read.
pub type Skip<'a> = &'a dyn Fn(&Path, &Path) -> bool;

/// [`load_all`], leaving out the folders `skip` names.
pub fn load_all_skipping(tree: &dyn Tree, roots: &[PathBuf], skip: Skip<'_>) -> Loaded {
    load_roots(tree, roots, true, skip, None)
}

/// One side of `handoff diff`: like [`load_all`], but a root that is
/// absent from `tree` or holds no engagement is silently empty (one side
/// may predate the folder or the engagement). Replays from `memo` what an
/// earlier load gave for a file with the same content, and leaves in it
/// what a later load will ask for: the two sides read each file they share
/// once. Items keep their text ([`crate::model::Written`]).
pub fn load_present_memo(
    tree: &dyn Tree,
    roots: &[PathBuf],
    skip: Skip<'_>,
    memo: &Memo<'_>,
) -> Loaded {
    let present: Vec<PathBuf> = roots.iter().filter(|r| tree.is_dir(r)).cloned().collect();
    load_roots(tree, &present, false, skip, Some(memo))
}

/// What reading a file gave, kept for one later load of the same file
/// with the same content ([`Tree::content_id`]): reading and parsing is
/// most of what loading costs, and the two sides of a comparison are
/// mostly the same files. Only files that `shared` says the other load
/// will ask for are kept, and each is handed over once, so the memo holds
/// at most one copy of what the two loads share, and less as the second
/// load goes.
pub struct Memo<'a> {
    shared: Box<dyn Fn(&Path) -> bool + 'a>,
    kept: RefCell<HashMap<(PathBuf, ContentId), Recorded>>,
}

impl std::fmt::Debug for Memo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memo({} kept)", self.kept.borrow().len())
    }
}

/// Everything one read of a list file added: its items (a `Vec<T>` of the
/// kind read), and what it added to [`Loaded`], in order.
struct Recorded {
    /// The list key read (`promises`): the same file is always read as the
    /// same kind, and a replay checks it rather than assume it.
    key: String,
    items: Box<dyn Any>,
    diagnostics: Vec<Diagnostic>,
    signoff_roles: Vec<Sp<String>>,
    /// The text kept for snippets, when the read kept it.
    source: Option<Arc<str>>,
}

impl<'a> Memo<'a> {
    /// A memo that keeps what a load reads from the files `shared` names
    /// (by the path the loader was given), for the load after it.
    pub fn new(shared: impl Fn(&Path) -> bool + 'a) -> Memo<'a> {
        Memo {
            shared: Box::new(shared),
            kept: RefCell::new(HashMap::new()),
        }
    }

    /// Whether every file kept was replayed.
    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.kept.borrow().is_empty()
    }

    /// What an earlier read of `path` with content `id` as `key` gave,
    /// taken out of the memo: its items, and what it added to [`Loaded`].
    fn take<T: 'static>(
        &self,
        path: &Path,
        id: ContentId,
        key: &str,
    ) -> Option<(Vec<T>, Recorded)> {
        let mut kept = self.kept.borrow_mut();
        let entry = (path.to_path_buf(), id);
        let found = kept.get(&entry)?;
        // The same file is always read as the same kind; were it not, the
        // file is read again rather than replayed as something else.
        if found.key != key || !found.items.is::<Vec<T>>() {
            return None;
        }
        let mut recorded = kept.remove(&entry)?;
        let items = std::mem::replace(&mut recorded.items, Box::new(()));
        let items = items.downcast::<Vec<T>>().ok()?;
        Some((*items, recorded))
    }

    fn keep(&self, path: &Path, id: ContentId, recorded: Recorded) {
        self.kept
            .borrow_mut()
            .insert((path.to_path_buf(), id), recorded);
    }
}

/// The engagement folders under `roots` (as [`display`] shows them),
/// found as [`load_all`] finds them but without reading them; roots that
/// are absent from `tree`, and problems met on the way, are left out.
/// For walking history, where only the folders that changed are read.
pub fn find_engagements(tree: &dyn Tree, roots: &[PathBuf], skip: Skip<'_>) -> Vec<String> {
    let mut dirs = Vec::new();
    let mut ignored = Vec::new();
    for root in roots.iter().filter(|r| tree.is_dir(r)) {
        let mut seen = HashSet::new();
        let walk = Walk {
            root: tree.identity(root),
            searched: root,
            skip,
        };
        walk.find(tree, root, &mut dirs, &mut seen, &mut ignored);
    }
    dirs.sort();
    dirs.dedup();
    dirs.iter().map(|d| display(d)).collect()
}

fn load_roots(
    tree: &dyn Tree,
    roots: &[PathBuf],
    complain_when_empty: bool,
    skip: Skip<'_>,
    memo: Option<&Memo<'_>>,
) -> Loaded {
    let mut loaded = Loaded::default();
    let mut dirs = Vec::new();
    for root in roots {
        let before = dirs.len();
        let problems_before = loaded.diagnostics.len();
        // A folder named on the command line (or matched by a shell glob)
        // that is a link out of the repository is not walked: its files
        // are not this repository's, and a link to `/` would walk the disk.
        if let Some(name) = tree.leaves_repository(root) {
            loaded.diagnostics.push(
                Diagnostic::general(format!(
                    "{} is a symbolic link that leads outside {name}, so it is not read",
                    display(root)
                ))
                .with_help("give the folder itself, or replace the link with the folder"),
            );
            continue;
        }
        if !tree.is_dir(root) {
            let what = if tree.exists(root) {
                "is not a folder"
            } else {
                "does not exist"
            };
            loaded.diagnostics.push(
                Diagnostic::general(format!("{} {what}", display(root)))
                    .with_help("give an engagement folder (one that contains handoff.yaml) or a folder that holds some"),
            );
            continue;
        }
        // Per root: roots may overlap (`check examples examples/acme`).
        let mut seen = HashSet::new();
        let walk = Walk {
            root: tree.identity(root),
            searched: root,
            skip,
        };
        walk.find(tree, root, &mut dirs, &mut seen, &mut loaded.diagnostics);
        if complain_when_empty
            && dirs.len() == before
            && loaded.diagnostics.len() == problems_before
        {
            loaded.diagnostics.push(
                Diagnostic::general(format!("no engagement found in {}", display(root)))
                    .with_help("an engagement is a folder that contains handoff.yaml; `handoff init DIR` creates one"),
            );
        }
    }
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        let before = loaded.diagnostics.len();
        if let Some(engagement) = load_engagement_with(tree, &dir, &mut loaded, memo) {
            loaded.engagements.push(engagement);
        }
        loaded.folders.push(Folder {
            dir: display(&dir),
            problems: before..loaded.diagnostics.len(),
        });
    }
    loaded
}

/// One search for engagement folders below a root.
struct Walk<'a> {
    /// The root as named, for [`Walk::skip`].
    searched: &'a Path,
    skip: Skip<'a>,
    /// Where the searched root really is: a folder link that leads out of
    /// it (`slash -> /`, a link to another customer's folder) is not
    /// followed.
    root: Option<PathBuf>,
}

impl Walk<'_> {
    /// `seen` holds the folders already walked (see [`Tree::identity`]).
    fn find(
        &self,
        tree: &dyn Tree,
        dir: &Path,
        out: &mut Vec<PathBuf>,
        seen: &mut HashSet<PathBuf>,
        diags: &mut Vec<Diagnostic>,
    ) {
        if let Some(identity) = tree.identity(dir) {
            if self
                .root
                .as_ref()
                .is_some_and(|root| !identity.starts_with(root))
            {
                return;
            }
            if !seen.insert(identity) {
                return;
            }
        }
        let handoff = dir.join(HANDOFF_FILE);
        if tree.is_file(&handoff) {
            out.push(dir.to_path_buf());
            // Engagements do not nest: its subfolders hold its own files.
            return;
        }
        let entries = match tree.list(dir) {
            Ok(entries) => entries,
            Err(err) => {
                diags.push(Diagnostic::general(format!(
                    "cannot read folder {}: {err}",
                    display(dir)
                )));
                return;
            }
        };
        if entries.iter().any(|e| e.name == HANDOFF_FILE) {
            diags.push(not_a_file(&handoff, tree.is_dir(&handoff)));
            return;
        }
        if let Some(name) = hints::misnamed_handoff(entries.iter().map(|e| e.name.as_str())) {
            let file = display(&dir.join(name));
            diags.push(
                Diagnostic::at(
                    Loc::file_start(&Arc::from(file.as_str())),
                    format!(
                        "{file} is not read: an engagement's main file must be called {HANDOFF_FILE}"
                    ),
                )
                .with_help(format!("rename {name} to {HANDOFF_FILE}")),
            );
            return;
        }
        for entry in entries {
            if entry.is_dir
                && !entry.name.starts_with('.')
                && !SKIPPED_DIRS.contains(&entry.name.as_str())
                && !(self.skip)(self.searched, &dir.join(&entry.name))
            {
                self.find(tree, &dir.join(&entry.name), out, seen, diags);
            }
        }
    }
}

/// An engagement file that is there but cannot be read as one: a folder,
/// a broken link, a device. Skipping it would judge the engagement on
/// what is left (no scope at all, say) without a word.
fn not_a_file(path: &Path, is_dir: bool) -> Diagnostic {
    let file: Arc<str> = Arc::from(display(path));
    // Names that are not UTF-8 reach us with U+FFFD in place of the bytes
    // and cannot be opened under that name.
    let (what, help) = if file.contains('\u{FFFD}') {
        (
            "has a name that is not UTF-8 text",
            "rename it using letters, digits, `-` and `_`",
        )
    } else if is_dir {
        (
            "is a folder",
            "engagement files are ordinary YAML files; rename or remove this one",
        )
    } else {
        (
            "is not a regular file (a broken link, or a device)",
            "engagement files are ordinary YAML files; rename or remove this one",
        )
    };
    Diagnostic::at(
        Loc::file_start(&file),
        format!("{file} {what}, so it cannot be read"),
    )
    .with_help(help)
}

/// A path as users see it: relative, forward slashes, no leading `./`.
pub fn display(path: &Path) -> String {
    // An absolute path below the current folder is shown relative to it, as
    // the JSON contract promises.
    let cwd = if path.is_absolute() {
        std::env::current_dir().ok()
    } else {
        None
    };
    let path = cwd
        .as_deref()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    if parts.is_empty() {
        return ".".to_string();
    }
    let joined = parts.join("/");
    if path.is_absolute() && !joined.starts_with('/') {
        format!("/{}", joined.trim_start_matches('/'))
    } else {
        joined.replace("//", "/")
    }
}

/// A file read and parsed, its text kept until its values are read.
struct Parsed {
    file: Arc<str>,
    /// Shared, so the items of a comparison keep it without a copy.
    text: Arc<String>,
    node: Option<Node>,
    /// See [`yaml::Document::self_contained`].
    self_contained: bool,
    /// How many diagnostics and sign-off roles there were before the file
    /// was read: see [`Parsed::done`].
    diagnostics_before: usize,
    roles_before: usize,
}

impl Parsed {
    /// Keeps the file's text for quoting only when a diagnostic may quote
    /// it: one was met reading it, or it gave sign-off roles, which are
    /// checked against the config later. Any other file's text is freed
    /// here: a copy of every file for the rare snippet was a quarter of
    /// the memory `check` used.
    fn done(self, loaded: &mut Loaded) {
        if loaded.diagnostics.len() > self.diagnostics_before
            || loaded.signoff_roles.len() > self.roles_before
        {
            loaded.sources.insert(&self.file, &self.text);
        }
    }
}

/// Parses a file into a node tree, recording read and syntax errors.
fn read_yaml(tree: &dyn Tree, path: &Path, loaded: &mut Loaded) -> Option<Parsed> {
    let diagnostics_before = loaded.diagnostics.len();
    let roles_before = loaded.signoff_roles.len();
    let file: Arc<str> = Arc::from(display(path));
    let bytes = match tree.read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            // Placed at the file, so it sorts and prints with the file's other problems.
            loaded.diagnostics.push(Diagnostic::at(
                Loc::file_start(&file),
                format!("cannot read {file}: {err}"),
            ));
            return None;
        }
    };
    if bytes.len() as u64 > tree::MAX_FILE_BYTES {
        // A git revision hands over the whole blob; the file system stops early.
        loaded.diagnostics.push(Diagnostic::at(
            Loc::file_start(&file),
            format!("cannot read {file}: {}", tree::too_large()),
        ));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let pos = crate::diag::utf8_error_pos(err.as_bytes(), err.utf8_error().valid_up_to());
            loaded.diagnostics.push(
                Diagnostic::at(Loc::new(&file, pos), format!("{file} is not UTF-8 text"))
                    .with_help("save the file as UTF-8"),
            );
            return None;
        }
    };
    if let Some(line) = crate::diag::long_line(&text, tree::MAX_LINE_BYTES) {
        // Not kept as a source: quoting a line of megabytes helps nobody.
        loaded.diagnostics.push(
            Diagnostic::at(
                Loc::new(&file, Pos { line, column: 1 }),
                format!(
                    "{file}: line {line} is longer than {} KB, the longest line an engagement file may hold",
                    tree::MAX_LINE_BYTES / 1024
                ),
            )
            .with_help("break the text over several lines, or move it out of the engagement files"),
        );
        return None;
    }
    match yaml::parse_document(&text) {
        Ok(document) => Some(Parsed {
            file,
            text: Arc::new(text),
            node: document.root,
            self_contained: document.self_contained,
            diagnostics_before,
            roles_before,
        }),
        Err(err) => {
            // Stakeholder files hold private notes, and a file that does not
            // parse cannot say which value a line belongs to: the line is
            // quoted only when its text shows it holds none.
            let is_stakeholders = path.file_stem().is_some_and(|stem| stem == "stakeholders");
            if !is_stakeholders || crate::diag::clearly_public(&text, err.pos.line) {
                loaded.sources.insert(&file, &text);
            }
            loaded.diagnostics.push(
                Diagnostic::at(
                    Loc::new(&file, err.pos),
                    format!("{file} is not valid YAML: {}", err.message),
                )
                .with_help(err.help.unwrap_or_else(|| {
                    "check the indentation and the punctuation near this position".into()
                })),
            );
            None
        }
    }
}

/// Loads one engagement folder. Returns `None` when its handoff.yaml is
/// unusable; other files' problems are recorded and the rest still loads,
/// so every mistake is reported in one run.
pub fn load_engagement(tree: &dyn Tree, dir: &Path, loaded: &mut Loaded) -> Option<Engagement> {
    load_engagement_with(tree, dir, loaded, None)
}

/// [`load_engagement`], through `memo` when there is one.
fn load_engagement_with(
    tree: &dyn Tree,
    dir: &Path,
    loaded: &mut Loaded,
    memo: Option<&Memo<'_>>,
) -> Option<Engagement> {
    let bounded = tree::Bounded::new(tree, dir);
    let tree: &dyn Tree = &bounded;
    let errors_before = loaded.diagnostics.len();
    check_unknown_files(tree, dir, loaded);

    let handoff_path = dir.join(HANDOFF_FILE);
    let handoff = read_yaml(tree, &handoff_path, loaded).and_then(|parsed| {
        let file = Arc::clone(&parsed.file);
        let mut reader = Reader {
            file: Arc::clone(&file),
            text: &parsed.text,
            diags: &mut loaded.diagnostics,
            signoff_roles: &mut loaded.signoff_roles,
            written: None,
        };
        let handoff = match &parsed.node {
            Some(node) => items::handoff(&mut reader, node),
            None => {
                reader.error(
                    Pos { line: 1, column: 1 },
                    format!("{file} is empty"),
                    Some(
                        "it needs at least `id:` and `name:`; `handoff init` writes a starter file"
                            .into(),
                    ),
                );
                None
            }
        };
        parsed.done(loaded);
        handoff
    });

    let stakeholders_path = pick(tree, dir, "stakeholders");
    let stakeholders_file: Arc<str> = Arc::from(display(&stakeholders_path));
    // Both spellings are read when both exist, like the other kinds: a
    // stakeholder in the forgotten file must not vanish silently.
    let stakeholder_files: Vec<PathBuf> = ["stakeholders.yaml", "stakeholders.yml"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| tree.is_file(p))
        .collect();
    let stakeholders = read_list_files(
        tree,
        &stakeholder_files,
        "stakeholders",
        loaded,
        memo,
        items::stakeholder,
    );

    let promises = read_kind(tree, dir, "promises", loaded, memo, items::promise);
    let scope = read_kind(tree, dir, "scope", loaded, memo, items::scope_item);
    let gaps = read_kind(tree, dir, "gaps", loaded, memo, items::gap);

    let signoffs_path = dir.join(SIGNOFFS_FILE);
    let signoffs_file: Arc<str> = Arc::from(display(&signoffs_path));
    let mut signoffs = read_list_files(
        tree,
        &[signoffs_path],
        "signoffs",
        loaded,
        memo,
        items::signoff,
    );
    for s in &mut signoffs {
        if let Some(ev) = &mut s.evidence {
            ev.now = evidence_now(tree, dir, &ev.path);
        }
    }
    let waivers_path = dir.join(WAIVERS_FILE);
    let waivers_file: Arc<str> = Arc::from(display(&waivers_path));
    let waivers = read_list_files(
        tree,
        &[waivers_path],
        "waivers",
        loaded,
        memo,
        items::waiver,
    );

    let handoff = handoff?;
    if loaded.diagnostics.len() > errors_before {
        return None;
    }
    Some(Engagement {
        dir: display(dir),
        handoff,
        stakeholders,
        promises,
        scope,
        gaps,
        signoffs,
        signoffs_file,
        waivers,
        waivers_file,
        stakeholders_file,
    })
}

/// The SHA-256 of a sign-off's evidence file as it is now: `None` when it
/// is not there, or (on disk) its real place is outside the repository
/// (a hand-edited `../../..` must not make `check` read other files).
fn evidence_now(tree: &dyn Tree, dir: &Path, path: &str) -> Option<String> {
    let full = dir.join(path);
    if let Some((root, _)) = tree.boundary(dir) {
        let real = std::fs::canonicalize(&full).ok()?;
        if !real.starts_with(&root) {
            return None;
        }
    }
    if !tree.is_file(&full) {
        return None;
    }
    tree.read(&full)
        .ok()
        .map(|bytes| crate::fingerprint::sha256_bytes(&bytes))
}

/// `name.yaml`, or `name.yml` when only that exists.
fn pick(tree: &dyn Tree, dir: &Path, name: &str) -> PathBuf {
    let yml = dir.join(format!("{name}.yml"));
    let yaml = dir.join(format!("{name}.yaml"));
    if !tree.is_file(&yaml) && tree.is_file(&yml) {
        yml
    } else {
        yaml
    }
}

/// Every item of one of the kinds that may be split across files
/// (promises, scope, gaps), from all its files.
fn read_kind<T: Clone + 'static>(
    tree: &dyn Tree,
    dir: &Path,
    kind: &str,
    loaded: &mut Loaded,
    memo: Option<&Memo<'_>>,
    read: fn(&mut Reader<'_>, &Node) -> Option<T>,
) -> Vec<T> {
    let files = kind_files(tree, dir, kind, loaded);
    read_list_files(tree, &files, kind, loaded, memo, read)
}

/// `kind.yaml` (or `.yml`) plus every YAML file under the `kind/` folder,
/// in name order so output is stable.
fn kind_files(tree: &dyn Tree, dir: &Path, kind: &str, loaded: &mut Loaded) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for ext in ["yaml", "yml"] {
        let path = dir.join(format!("{kind}.{ext}"));
        if tree.is_file(&path) {
            files.push(path);
        }
    }
    let folder = dir.join(kind);
    // Said plainly, and the same in `check` and `diff`: a commit holds only
    // a link to a submodule, so reading it from the working tree alone
    // would judge files that no comparison can see.
    if tree.is_submodule(&folder) {
        let shown = display(&folder);
        loaded.diagnostics.push(
            Diagnostic::general(format!(
                "{shown} is a git submodule: handoff does not read submodules, so its {kind} are not read"
            ))
            .with_help(format!(
                "keep the engagement's files in this repository: copy the files of {shown} in (or use a git subtree)"
            )),
        );
        return files;
    }
    if tree.is_dir(&folder) {
        collect_yaml(tree, &folder, &mut files, loaded);
    }
    files
}

fn collect_yaml(tree: &dyn Tree, dir: &Path, out: &mut Vec<PathBuf>, loaded: &mut Loaded) {
    // A link back to the engagement folder must not read its own files
    // as promises or scope.
    let seen = dir
        .parent()
        .and_then(|p| tree.identity(p))
        .into_iter()
        .collect();
    collect_yaml_in(tree, dir, out, &mut { seen }, loaded);
}

fn collect_yaml_in(
    tree: &dyn Tree,
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
    loaded: &mut Loaded,
) {
    if let Some(identity) = tree.identity(dir)
        && !seen.insert(identity)
    {
        return;
    }
    match tree.list(dir) {
        Ok(entries) => {
            for entry in entries {
                if entry.name.starts_with('.') {
                    continue;
                }
                let path = dir.join(&entry.name);
                if entry.is_dir {
                    collect_yaml_in(tree, &path, out, seen, loaded);
                } else if entry.name.ends_with(".yaml") || entry.name.ends_with(".yml") {
                    if tree.is_file(&path) {
                        out.push(path);
                    } else {
                        loaded.diagnostics.push(not_a_file(&path, false));
                    }
                }
            }
        }
        Err(err) => loaded.diagnostics.push(Diagnostic::general(format!(
            "cannot read folder {}: {err}",
            display(dir)
        ))),
    }
}

/// A misspelled file name (`promise.yaml`) would otherwise be skipped
/// without a word.
fn check_unknown_files(tree: &dyn Tree, dir: &Path, loaded: &mut Loaded) {
    let Ok(entries) = tree.list(dir) else { return };
    for entry in entries {
        let is_yaml = entry.name.ends_with(".yaml") || entry.name.ends_with(".yml");
        if KNOWN_FILES.contains(&entry.name.as_str()) {
            let path = dir.join(&entry.name);
            if !tree.is_file(&path) {
                loaded.diagnostics.push(not_a_file(&path, entry.is_dir));
            }
            continue;
        }
        if entry.is_dir || !is_yaml {
            continue;
        }
        let file: Arc<str> = Arc::from(display(&dir.join(&entry.name)));
        const HOLDS: &str = "an engagement folder holds handoff.yaml, stakeholders.yaml, promises.yaml, scope.yaml, gaps.yaml and signoffs.yaml; more promises, scope or gaps go in the promises/, scope/ or gaps/ folder";
        let help = match suggest(&entry.name, KNOWN_FILES) {
            Some(close) => format!("did you mean {close}? {HOLDS}"),
            None => HOLDS.to_string(),
        };
        loaded.diagnostics.push(
            Diagnostic::at(
                Loc::file_start(&file),
                format!("{file} is not an engagement file"),
            )
            .with_help(help),
        );
    }
}

/// Reads files whose top level is `key:` followed by a list, turning each
/// entry into an item with `read`.
fn read_list_files<T: Clone + 'static>(
    tree: &dyn Tree,
    paths: &[PathBuf],
    key: &str,
    loaded: &mut Loaded,
    memo: Option<&Memo<'_>>,
    read: fn(&mut Reader<'_>, &Node) -> Option<T>,
) -> Vec<T> {
    let mut items = Vec::new();
    // A memo means a comparison: its items keep their text.
    let list = List {
        key,
        read,
        keep_written: memo.is_some(),
    };
    // The same file on both sides: its items are known unchanged without
    // their text.
    let shared = List {
        keep_written: false,
        ..list
    };
    for path in paths {
        if !tree.is_file(path) {
            continue;
        }
        let Some((memo, id)) = memo.and_then(|m| Some((m, tree.content_id(path)?))) else {
            read_list_file(tree, path, list, loaded, &mut items);
            continue;
        };
        if let Some((kept, recorded)) = memo.take(path, id, key) {
            items.extend(kept);
            replay(recorded, path, loaded);
            continue;
        }
        if !(memo.shared)(path) {
            read_list_file(tree, path, list, loaded, &mut items);
            continue;
        }
        let (items_before, diagnostics_before, roles_before) = (
            items.len(),
            loaded.diagnostics.len(),
            loaded.signoff_roles.len(),
        );
        let file = display(path);
        let had_source = loaded.sources.get(&file).is_some();
        read_list_file(tree, path, shared, loaded, &mut items);
        let source = (!had_source)
            .then(|| loaded.sources.get(&file).map(Arc::from))
            .flatten();
        memo.keep(
            path,
            id,
            Recorded {
                key: key.to_string(),
                items: Box::new(items[items_before..].to_vec()),
                diagnostics: loaded.diagnostics[diagnostics_before..].to_vec(),
                signoff_roles: loaded.signoff_roles[roles_before..].to_vec(),
                source,
            },
        );
    }
    items
}

/// How a list file is read: its top-level key, how each entry becomes an
/// item, and whether items keep their text ([`Written`]).
struct List<'k, T> {
    key: &'k str,
    read: fn(&mut Reader<'_>, &Node) -> Option<T>,
    keep_written: bool,
}

// Derived, these would ask `T: Clone`; the fields are copied whatever `T`.
impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<'_, T> {}

/// Reads one file of [`read_list_files`], adding its items to `items`.
fn read_list_file<T>(
    tree: &dyn Tree,
    path: &Path,
    list: List<'_, T>,
    loaded: &mut Loaded,
    items: &mut Vec<T>,
) {
    let Some(parsed) = read_yaml(tree, path, loaded) else {
        return;
    };
    if let Some(root) = &parsed.node {
        read_list(&parsed, root, list, loaded, items);
    }
    parsed.done(loaded);
}

/// Adds to `loaded` what a read of `path` added, as [`read_list_file`]
/// added it (its items are added by the caller).
fn replay(recorded: Recorded, path: &Path, loaded: &mut Loaded) {
    loaded.diagnostics.extend(recorded.diagnostics);
    loaded.signoff_roles.extend(recorded.signoff_roles);
    if let Some(text) = recorded.source {
        loaded.sources.insert(&Arc::from(display(path)), &text);
    }
}

/// The items of one file whose top level is `key:` followed by a list.
fn read_list<T>(
    parsed: &Parsed,
    root: &Node,
    how: List<'_, T>,
    loaded: &mut Loaded,
    items: &mut Vec<T>,
) {
    let List {
        key,
        read,
        keep_written,
    } = how;
    let mut reader = Reader {
        file: Arc::clone(&parsed.file),
        text: &parsed.text,
        diags: &mut loaded.diagnostics,
        signoff_roles: &mut loaded.signoff_roles,
        written: None,
    };
    let Some(top) = reader.fields(root, &format!("{key} file"), &[key]) else {
        return;
    };
    let Some(list) = top.get(key) else { return };
    let Value::Seq(nodes) = &list.value else {
        reader.error(
            list.pos,
            format!(
                "`{key}` must be a list (each entry starting with `- `), found {}",
                list.value.kind()
            ),
            None,
        );
        return;
    };
    // Each item's text runs to where the next one starts. Only in a
    // self-contained file does the same text mean the same values.
    let file_text = (keep_written && parsed.self_contained).then_some(&parsed.text);
    // Room for them at once: growing a list of thousands of large items
    // copies them again and again.
    items.reserve(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        reader.written = file_text.as_ref().and_then(|text| {
            let start = node.span()?.0;
            let end = match nodes.get(i + 1) {
                Some(next) => next.span()?.0,
                None => text.len(),
            };
            Written::new(text, start..end, node.pos.column)
        });
        if let Some(item) = read(&mut reader, node) {
            items.push(item);
        }
    }
}

/// Every field path of a mapping that holds a value, with where its key is.
pub(super) fn present_paths(
    node: &Node,
    file: &Arc<str>,
    prefix: &str,
    out: &mut BTreeMap<String, Loc>,
) {
    let Value::Map(entries) = &node.value else {
        return;
    };
    for (key, value) in entries {
        let Value::Str(name) = &key.value else {
            continue;
        };
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let empty = match &value.value {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            Value::Seq(items) => items.is_empty(),
            Value::Map(entries) => entries.is_empty(),
            _ => false,
        };
        if empty {
            continue;
        }
        present_paths(value, file, &path, out);
        out.insert(path, Loc::new(file, key.pos));
    }
}

/// An engagement file's YAML as the JSON a schema validator sees: parsed
/// exactly as the loader parses it (only `true`/`false` are booleans, `007`
/// stays text), so the JSON Schemas can be checked against the loader.
/// `None` for an empty file.
pub fn yaml_as_json(text: &str) -> Result<Option<serde_json::Value>, String> {
    fn convert(node: &Node, text: &str) -> serde_json::Value {
        use serde_json::Value as J;
        match &node.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(n) => J::from(*n),
            // JSON has no infinity: such a number is its spelling, as text.
            Value::Float(n) => serde_json::Number::from_f64(*n).map_or_else(
                || J::String(node.spelling(text).unwrap_or_default().to_string()),
                J::Number,
            ),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(|n| convert(n, text)).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match &k.value {
                            Value::Str(s) => s.clone(),
                            _ => k.spelling(text).unwrap_or_default().to_string(),
                        };
                        (key, convert(v, text))
                    })
                    .collect(),
            ),
        }
    }
    yaml::parse(text)
        .map(|node| node.as_ref().map(|n| convert(n, text)))
        .map_err(|err| err.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
        std::fs::write(dir.join(name), text)
    }

    /// Only a file with a problem keeps its text for a snippet: a copy of
    /// every file read was a quarter of what `check` held in memory.
    #[test]
    fn only_files_with_problems_keep_their_text() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        write(dir, "handoff.yaml", "id: X\nname: X\n")?;
        write(
            dir,
            "promises.yaml",
            "promises:\n  - id: P-1\n    title: A\n",
        )?;
        write(
            dir,
            "scope.yaml",
            "scope:\n  - id: S-1\n    coverz: [P-1]\n    effort: 1\n",
        )?;
        let mut loaded = Loaded::default();
        let engagement = load_engagement(&FsTree, dir, &mut loaded);
        assert!(engagement.is_none());
        let shown = |name: &str| display(&dir.join(name));
        assert!(loaded.sources.get(&shown("scope.yaml")).is_some());
        assert!(loaded.sources.get(&shown("promises.yaml")).is_none());
        assert!(loaded.sources.get(&shown("handoff.yaml")).is_none());
        let rendered = crate::diag::render(&loaded.diagnostics, &loaded.sources, false);
        assert!(rendered.contains("coverz: [P-1]"), "{rendered}");
        Ok(())
    }

    /// The file system with a name for each file's content, as a git
    /// revision has, counting the files read.
    #[derive(Debug, Default)]
    struct Counting {
        reads: std::cell::Cell<usize>,
    }

    impl Tree for Counting {
        fn list(&self, dir: &Path) -> std::io::Result<Vec<tree::Entry>> {
            FsTree.list(dir)
        }
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            self.reads.set(self.reads.get() + 1);
            FsTree.read(path)
        }
        fn is_file(&self, path: &Path) -> bool {
            FsTree.is_file(path)
        }
        fn is_dir(&self, path: &Path) -> bool {
            FsTree.is_dir(path)
        }
        fn content_id(&self, path: &Path) -> Option<ContentId> {
            use std::hash::{Hash as _, Hasher as _};
            let bytes = std::fs::read(path).ok()?;
            let mut hasher = std::hash::DefaultHasher::new();
            bytes.hash(&mut hasher);
            let mut id = [0; 20];
            id[..8].copy_from_slice(&hasher.finish().to_le_bytes());
            id[8..16].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
            Some(id)
        }
    }

    /// A load replayed from the memo gives what reading gave: the same
    /// engagements, problems (in order), sign-off roles and quotable text;
    /// and the second load reads only what the memo does not hold.
    #[test]
    fn a_second_load_through_the_memo_replays_what_reading_gave() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let good = tmp.path().join("good");
        let bad = tmp.path().join("bad");
        for dir in [&good, &bad] {
            std::fs::create_dir_all(dir.join("promises"))?;
            write(dir, "handoff.yaml", "id: X\nname: X\n")?;
            write(
                dir,
                "stakeholders.yaml",
                "stakeholders:\n  - key: ann\n    name: Ann\n",
            )?;
            write(
                dir,
                "promises.yaml",
                "promises:\n  - id: P-1\n    title: A\n",
            )?;
            write(
                &dir.join("promises"),
                "more.yaml",
                "promises:\n  - id: P-2\n    title: B\n",
            )?;
            write(
                dir,
                "signoffs.yaml",
                "signoffs:\n  - role: sales\n    by: a\n    decision: approved\n    date: 2026-01-01\n    fingerprint: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
            )?;
        }
        write(
            &bad,
            "scope.yaml",
            "scope:\n  - id: S-1\n    coverz: [P-1]\n    effort: 1\n  - id: S-2\n    effort: 1\n",
        )?;
        write(&bad, "gaps.yaml", "gaps: [oops\n")?;
        let roots = [tmp.path().to_path_buf()];
        let skip: Skip<'_> = &|_, _| false;

        let tree = Counting::default();
        // A memo that shares nothing reads every file, as a comparison
        // with the working tree does.
        let plain = load_present_memo(&tree, &roots, skip, &Memo::new(|_| false));
        let files = tree.reads.replace(0);
        // The other side is told to differ in promises/more.yaml.
        let memo = Memo::new(|path| !path.ends_with("more.yaml"));
        let first = load_present_memo(&tree, &roots, skip, &memo);
        assert_eq!(tree.reads.replace(0), files);
        assert!(!memo.is_empty());
        let second = load_present_memo(&tree, &roots, skip, &memo);
        // Read again: the two handoff.yaml files (not list files) and the
        // two files the memo was told to leave out.
        assert_eq!(tree.reads.get(), 4);
        assert!(memo.is_empty());

        // Items of the files both sides share keep no text: they are known
        // unchanged without it. The rest is the same.
        let shown = |engagements: &[Engagement]| {
            let mut engagements = engagements.to_vec();
            for e in &mut engagements {
                e.stakeholders.iter_mut().for_each(|s| s.written = None);
                e.promises.iter_mut().for_each(|p| p.written = None);
                e.scope.iter_mut().for_each(|s| s.written = None);
                e.gaps.iter_mut().for_each(|g| g.written = None);
            }
            format!("{engagements:?}")
        };
        for loaded in [&first, &second] {
            assert_eq!(shown(&loaded.engagements), shown(&plain.engagements));
            assert_eq!(loaded.diagnostics, plain.diagnostics);
            assert_eq!(loaded.signoff_roles, plain.signoff_roles);
            assert_eq!(
                format!("{:?}", loaded.folders),
                format!("{:?}", plain.folders)
            );
            for name in ["scope.yaml", "gaps.yaml", "signoffs.yaml", "promises.yaml"] {
                let file = display(&bad.join(name));
                assert_eq!(
                    loaded.sources.get(&file),
                    plain.sources.get(&file),
                    "{file}"
                );
            }
        }
        assert_eq!(plain.engagements.len(), 1);
        assert_eq!(plain.engagements[0].promises.len(), 2);
        assert!(plain.diagnostics.len() >= 2, "{:?}", plain.diagnostics);
        assert_eq!(plain.signoff_roles.len(), 2);
        assert!(
            plain
                .sources
                .get(&display(&bad.join("scope.yaml")))
                .is_some()
        );
        Ok(())
    }

    /// The promises of `text` as a comparison loads them.
    fn compared_promises(text: &str) -> std::io::Result<Vec<crate::model::Promise>> {
        let tmp = tempfile::tempdir()?;
        write(tmp.path(), "handoff.yaml", "id: X\nname: X\n")?;
        write(tmp.path(), "promises.yaml", text)?;
        let roots = [tmp.path().to_path_buf()];
        let memo = Memo::new(|_| false);
        let loaded = load_present_memo(&FsTree, &roots, &|_, _| false, &memo);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        Ok(loaded
            .engagements
            .into_iter()
            .flat_map(|e| e.promises)
            .collect())
    }

    #[test]
    fn items_keep_their_text_so_a_comparison_knows_those_written_the_same() -> std::io::Result<()> {
        let item = "  - id: P-2\n    title: B\n    tags: [x]\n";
        let before = compared_promises(&format!("promises:\n  - id: P-1\n    title: A\n{item}"))?;
        let after = compared_promises(&format!(
            "# edited\npromises:\n  - id: P-1\n    title: A changed\n{item}"
        ))?;
        let reindented =
            compared_promises("promises:\n  -   id: P-2\n      title: B\n      tags: [x]\n")?;
        let aliased = compared_promises(
            "promises:\n  - id: P-1\n    title: &t B\n  - id: P-2\n    title: *t\n",
        )?;
        let written = |items: &[crate::model::Promise], i: usize| {
            items.get(i).and_then(|p| p.written.clone())
        };
        let same =
            |a: Option<Written>, b: Option<Written>| a.zip(b).is_some_and(|(a, b)| a.same(&b));
        assert!(same(written(&before, 1), written(&after, 1)));
        assert!(!same(written(&before, 0), written(&after, 0)));
        assert!(!same(written(&before, 1), written(&reindented, 0)));
        // A file that takes values from elsewhere in it keeps no text.
        assert!(written(&aliased, 1).is_none());
        // Nor does a load that compares nothing.
        let tmp = tempfile::tempdir()?;
        write(tmp.path(), "handoff.yaml", "id: X\nname: X\n")?;
        write(
            tmp.path(),
            "promises.yaml",
            "promises:\n  - id: P-1\n    title: A\n",
        )?;
        let plain = load_all(&FsTree, &[tmp.path().to_path_buf()]);
        assert!(
            plain
                .engagements
                .iter()
                .flat_map(|e| &e.promises)
                .all(|p| p.written.is_none())
        );
        Ok(())
    }

    /// Sign-off roles are checked against the config after loading, so
    /// the file that names them keeps its text to quote the role.
    #[test]
    fn signoff_files_keep_their_text_for_the_role_check() -> std::io::Result<()> {
        let tmp = tempfile::tempdir()?;
        let dir = tmp.path();
        write(dir, "handoff.yaml", "id: X\nname: X\n")?;
        write(
            dir,
            "signoffs.yaml",
            "signoffs:\n  - role: salez\n    by: a\n    decision: approved\n    date: 2026-01-01\n    fingerprint: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
        )?;
        let mut loaded = Loaded::default();
        load_engagement(&FsTree, dir, &mut loaded);
        assert_eq!(loaded.signoff_roles.len(), 1);
        assert!(
            loaded
                .sources
                .get(&display(&dir.join(SIGNOFFS_FILE)))
                .is_some()
        );
        Ok(())
    }
}
