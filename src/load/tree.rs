//! Where engagement files are read from: the working tree today, a git
//! revision for `handoff diff`. The loader only sees this trait.

use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

/// The largest engagement file read: far beyond any real engagement, and
/// small enough that a planted or fuzzed file cannot take the memory of a
/// CI runner. docs/format.md ("Limits") documents it.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// The longest line an engagement file may hold (docs/format.md, "Limits").
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

pub trait Tree {
    /// The entries of a folder, sorted by name.
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    fn exists(&self, path: &Path) -> bool {
        self.is_file(path) || self.is_dir(path)
    }
    /// Whether the folder at `path` is a git submodule (another
    /// repository): a commit sees only a link to it, so neither side of a
    /// comparison can read it, and the working tree does not either.
    fn is_submodule(&self, _path: &Path) -> bool {
        false
    }
    /// What a folder really is once links are followed, so a walk that
    /// meets a symbolic link back to a folder it is in does not go round
    /// for ever. `None` where folders cannot loop (a git revision).
    fn identity(&self, _dir: &Path) -> Option<PathBuf> {
        None
    }
    /// The folder that links read for the engagement at `dir` may not
    /// leave, and what to call it: the repository's root, or the
    /// engagement folder itself outside a repository. `None` where there
    /// are no links to follow (a git revision).
    fn boundary(&self, _dir: &Path) -> Option<(PathBuf, &'static str)> {
        None
    }
    /// Whether `path`, as named, lies in a repository but really (links
    /// followed) leads out of it; then what to call what it leaves.
    fn leaves_repository(&self, _path: &Path) -> Option<&'static str> {
        None
    }
    /// A name for the content of the file at `path` that is equal only
    /// for equal bytes (a git blob id), so what reading it gave can be
    /// replayed instead of reading it again ([`super::Memo`]). `None`
    /// where content has no such name (the file system).
    fn content_id(&self, _path: &Path) -> Option<ContentId> {
        None
    }
}

/// See [`Tree::content_id`].
pub type ContentId = [u8; 20];

/// `tree` seen from one engagement: a file or folder whose real place is
/// outside `boundary` (a symbolic link to `/etc/passwd`, to a secrets file,
/// to `/proc/self/environ`) is refused without reading it, so its text
/// never reaches a snippet in a CI log.
pub struct Bounded<'a> {
    tree: &'a dyn Tree,
    boundary: Option<(PathBuf, &'static str)>,
}

impl std::fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bounded({:?})", self.boundary)
    }
}

impl<'a> Bounded<'a> {
    pub fn new(tree: &'a dyn Tree, dir: &Path) -> Bounded<'a> {
        Bounded {
            tree,
            boundary: tree.boundary(dir),
        }
    }

    fn check(&self, path: &Path) -> io::Result<()> {
        let Some((boundary, name)) = &self.boundary else {
            return Ok(());
        };
        match self.tree.identity(path) {
            Some(real) if real.starts_with(boundary) => Ok(()),
            // Missing: the read fails on its own with the usual message.
            None => Ok(()),
            Some(_) => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it is a symbolic link that leads outside {name}, so it is not read; replace the link with the file itself"
                ),
            )),
        }
    }
}

impl Tree for Bounded<'_> {
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        self.check(dir)?;
        self.tree.list(dir)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.check(path)?;
        self.tree.read(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        self.tree.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.tree.is_dir(path)
    }

    fn is_submodule(&self, path: &Path) -> bool {
        self.tree.is_submodule(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.tree.exists(path)
    }

    fn identity(&self, dir: &Path) -> Option<PathBuf> {
        self.tree.identity(dir)
    }

    fn boundary(&self, _dir: &Path) -> Option<(PathBuf, &'static str)> {
        self.boundary.clone()
    }

    fn leaves_repository(&self, path: &Path) -> Option<&'static str> {
        self.tree.leaves_repository(path)
    }

    fn content_id(&self, path: &Path) -> Option<ContentId> {
        // A file this view refuses is read (and refused) every time.
        self.check(path).ok()?;
        self.tree.content_id(path)
    }
}

/// Reads at most [`MAX_FILE_BYTES`], so a huge file (or a device that
/// never ends) is refused instead of read whole.
pub fn read_limited(reader: impl io::Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

pub fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "it is larger than {} MB, the most an engagement file may be",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

/// The file system, read-only.
#[derive(Debug, Default, Clone, Copy)]
pub struct FsTree;

impl Tree for FsTree {
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let is_dir = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            entries.push(Entry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_dir,
            });
        }
        entries.sort();
        Ok(entries)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        read_limited(std::fs::File::open(path)?)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn is_submodule(&self, path: &Path) -> bool {
        if !path.is_dir() {
            return false;
        }
        // A checked-out submodule holds a `.git` file (or folder).
        if path.join(".git").symlink_metadata().is_ok() {
            return true;
        }
        // Not checked out (a fresh clone, as CI makes by default): an
        // empty folder that the repository's `.gitmodules` names.
        listed_in_gitmodules(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn identity(&self, dir: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(dir).ok()
    }

    fn leaves_repository(&self, path: &Path) -> Option<&'static str> {
        // The path as written, `..` taken away by name: `check ../other`
        // names a folder outside on purpose, `check link` does not.
        let named = std::path::absolute(path).ok()?;
        let mut lexical = PathBuf::new();
        for part in named.components() {
            match part {
                std::path::Component::ParentDir => {
                    lexical.pop();
                }
                std::path::Component::CurDir => {}
                other => lexical.push(other),
            }
        }
        // A `.git` reached through a link is another repository's.
        let root = lexical.ancestors().find(|a| {
            !a.symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
                && a.join(".git").exists()
        })?;
        let root = std::fs::canonicalize(root).ok()?;
        let real = std::fs::canonicalize(path).ok()?;
        (!real.starts_with(&root)).then_some("the repository")
    }

    fn boundary(&self, dir: &Path) -> Option<(PathBuf, &'static str)> {
        let dir = std::fs::canonicalize(dir).ok()?;
        // The repository is the nearest folder holding `.git`, as git finds
        // it; no git library is needed for that.
        match dir.ancestors().find(|a| a.join(".git").exists()) {
            Some(root) => Some((root.to_path_buf(), "the repository")),
            None => Some((dir, "the engagement folder")),
        }
    }
}

/// Whether `.gitmodules` at the root of the repository holding `dir` names
/// `dir` as a submodule's `path`. Read as text: only `path = …` lines
/// matter, and a `.gitmodules` that is a link is not read.
fn listed_in_gitmodules(dir: &Path) -> bool {
    let Ok(real) = std::fs::canonicalize(dir) else {
        return false;
    };
    let Some(root) = real.ancestors().skip(1).find(|a| a.join(".git").exists()) else {
        return false;
    };
    let Ok(relative) = real.strip_prefix(root) else {
        return false;
    };
    let relative: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let relative = relative.join("/");
    let file = root.join(".gitmodules");
    if !file.symlink_metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(bytes) = std::fs::File::open(&file).and_then(read_limited) else {
        return false;
    };
    String::from_utf8_lossy(&bytes).lines().any(|line| {
        line.split_once('=').is_some_and(|(key, value)| {
            key.trim() == "path" && value.trim().trim_matches('"').trim_end_matches('/') == relative
        })
    })
}
