//! Where engagement files are read from: the working tree today, a git
//! revision for `handoff diff`. The loader only sees this trait.

use std::io;
use std::path::Path;

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
    /// What a folder really is once links are followed, so a walk that
    /// meets a symbolic link back to a folder it is in does not go round
    /// for ever. `None` where folders cannot loop (a git revision).
    fn identity(&self, _dir: &Path) -> Option<std::path::PathBuf> {
        None
    }
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
        std::fs::read(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn identity(&self, dir: &Path) -> Option<std::path::PathBuf> {
        std::fs::canonicalize(dir).ok()
    }
}
