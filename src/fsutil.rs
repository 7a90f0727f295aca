//! Writing files safely: atomically (write a temporary file beside the
//! target, then rename), and never over a file we did not create.

use std::io::{self, Write as _};
use std::path::Path;

/// Writes `contents` to `path` atomically: readers see the old file or the
/// new one, never half of either.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates `path` with `contents`, failing if it already exists. The file
/// appears whole or not at all: the text is written to a temporary file,
/// then hard-linked into place, which fails rather than replace a file that
/// appeared meanwhile.
pub fn create_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    // symlink_metadata: a broken link is there too, and writing through it
    // would create a file somewhere else.
    if path.symlink_metadata().is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "the file already exists",
        ));
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        match std::fs::hard_link(&tmp, path) {
            Err(err) if err.kind() != io::ErrorKind::AlreadyExists => {
                // File systems without hard links: fall back to an exclusive create.
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)?;
                file.write_all(contents)?;
                file.sync_all()
            }
            other => other,
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Reads a file the user named, refusing folders and devices: reading
/// `/dev/zero` would never end, and writing "over" `/dev/null` would
/// replace it.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    check_regular(path)?;
    std::fs::read(path)
}

/// `Ok` when `path` is a regular file (links followed); otherwise an error
/// saying in plain words what it is.
pub fn check_regular(path: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        ))
    } else if !meta.is_file() {
        Err(io::Error::other("it is not a regular file"))
    } else {
        Ok(())
    }
}

fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(".{name}.handoff-tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_new_refuses_an_existing_file_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        create_new(&path, b"first").unwrap();
        let err = create_new(&path, b"second").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
    }

    #[test]
    fn write_atomic_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.md");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
