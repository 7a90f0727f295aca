//! Adds a sign-off to `signoffs.yaml` as text: every existing line, comment
//! and blank line stays as it was, and the new entry goes at the end.

use std::fmt::Write as _;
use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::date::Date;
use crate::fingerprint::Fingerprint;
use crate::model::{Decision, Vocab};

/// How long `sign` waits for another `sign` of the same engagement.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// Held while a sign-off is read, checked and written: two `handoff sign`
/// runs at once would otherwise each append to the text they read, and the
/// later rename would drop the earlier entry while both report success.
/// The lock is advisory, on a file of its own beside `signoffs.yaml`
/// (the file itself is replaced by each write, so it cannot carry a lock).
/// Released when dropped.
#[derive(Debug)]
pub struct SignLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another `sign` held it for the whole timeout.
    Busy(PathBuf),
    Io(PathBuf, io::Error),
}

/// The lock file for the engagement folder `dir`.
pub fn lock_path(dir: &Path) -> PathBuf {
    dir.join(".signoffs.yaml.lock")
}

/// Takes the sign lock of the engagement folder `dir`, waiting up to
/// `timeout` for another `sign` to finish.
pub fn lock(dir: &Path, timeout: Duration) -> Result<SignLock, LockError> {
    let path = lock_path(dir);
    // Opening a planted link would create or lock a file elsewhere.
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(LockError::Io(
            path,
            io::Error::new(io::ErrorKind::InvalidInput, "it is a symbolic link"),
        ));
    }
    let file = open_not_following(&path).map_err(|e| LockError::Io(path.clone(), e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(SignLock { _file: file }),
            Err(TryLockError::WouldBlock) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return Err(LockError::Busy(path)),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(path, e)),
        }
    }
}

/// Opens (creating it if need be) the lock file, never through a link:
/// the check in [`lock`] names the problem, and this closes the moment
/// between that check and the open, in which a link could be planted.
fn open_not_following(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|e| {
        if is_link_refused(&e) {
            io::Error::new(io::ErrorKind::InvalidInput, "it is a symbolic link")
        } else {
            e
        }
    })
}

/// Whether opening failed because the last part of the path is a link
/// (`O_NOFOLLOW` gives ELOOP).
fn is_link_refused(err: &io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// What a new file starts with.
pub const HEADER: &str = "\
# Sign-offs for this engagement, written by `handoff sign`. Each entry says
# who signed, when, and the fingerprint of the files they signed, so
# `handoff check` notices when the files change afterwards.

signoffs:
";

/// A sign-off about to be written.
#[derive(Debug, Clone)]
pub struct NewSignOff {
    pub role: String,
    pub by: String,
    pub decision: Decision,
    pub date: Date,
    pub fingerprint: Fingerprint,
    pub commit: Option<String>,
    pub conditions: Vec<String>,
    pub statement: Option<String>,
    /// The evidence file (relative to the engagement folder) and its
    /// SHA-256.
    pub evidence: Option<(String, String)>,
}

/// The file's new text: `existing` (or a new file's header) with the entry
/// added at the end, indented like the entries already there.
pub fn append(existing: Option<&str>, entry: &NewSignOff) -> String {
    let mut text = match existing {
        Some(text) => text.to_string(),
        None => HEADER.to_string(),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let has_key = text.lines().any(|l| l.starts_with("signoffs:"));
    if !has_key {
        // An empty file, or one holding only comments.
        text.push_str("signoffs:\n");
    } else if !text.trim_end().ends_with("signoffs:") {
        text.push('\n');
    }
    text.push_str(&render(
        entry,
        &" ".repeat(entry_indent(&text, "signoffs:")),
    ));
    text
}

/// The header of a `waivers.yaml` that `handoff waive` creates.
const WAIVERS_HEADER: &str = "\
# Findings accepted on purpose, written by `handoff waive`. Each entry says
# which finding, why, who accepted it and until when; after that day the
# finding counts again (docs/rules.md, Waivers).

waivers:
";

/// A waiver about to be written.
#[derive(Debug, Clone)]
pub struct NewWaiver {
    pub finding: String,
    pub reason: String,
    pub by: String,
    pub until: Date,
    pub date: Date,
}

/// `waivers.yaml`'s new text: `existing` (or a new file's header) with the
/// entry added at the end, indented like the entries already there, the
/// way [`append`] adds a sign-off.
pub fn append_waiver(existing: Option<&str>, w: &NewWaiver) -> String {
    let mut text = match existing {
        Some(text) => text.to_string(),
        None => WAIVERS_HEADER.to_string(),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.lines().any(|l| l.starts_with("waivers:")) {
        text.push_str("waivers:\n");
    } else if !text.trim_end().ends_with("waivers:") {
        text.push('\n');
    }
    let indent = " ".repeat(entry_indent(&text, "waivers:"));
    let field = format!("{indent}  ");
    let _ = writeln!(text, "{indent}- finding: {}", quoted(&w.finding));
    let _ = writeln!(text, "{field}reason: {}", quoted(&w.reason));
    let _ = writeln!(text, "{field}by: {}", scalar(&w.by));
    let _ = writeln!(text, "{field}until: {}", w.until);
    let _ = writeln!(text, "{field}date: {}", w.date);
    text
}

/// The indentation of the entries already listed under `key`, or 2.
fn entry_indent(text: &str, key: &str) -> usize {
    text.lines()
        .skip_while(|l| !l.starts_with(key))
        .skip(1)
        .find(|l| {
            let t = l.trim_start();
            t.starts_with("- ") || t == "-"
        })
        .map_or(2, |l| l.len() - l.trim_start().len())
}

fn render(e: &NewSignOff, indent: &str) -> String {
    let mut out = String::new();
    let field = format!("{indent}  ");
    let _ = writeln!(out, "{indent}- role: {}", scalar(&e.role));
    let _ = writeln!(out, "{field}by: {}", scalar(&e.by));
    let _ = writeln!(out, "{field}decision: {}", e.decision.as_str());
    let _ = writeln!(out, "{field}date: {}", e.date);
    let _ = writeln!(out, "{field}fingerprint: {}", e.fingerprint.combined);
    let _ = writeln!(out, "{field}fingerprints:");
    for (kind, fp) in &e.fingerprint.kinds {
        let _ = writeln!(out, "{field}  {kind}: {fp}");
    }
    if let Some(commit) = &e.commit {
        let _ = writeln!(out, "{field}commit: {}", scalar(commit));
    }
    if !e.conditions.is_empty() {
        let _ = writeln!(out, "{field}conditions:");
        for c in &e.conditions {
            let _ = writeln!(out, "{field}  - {}", quoted(c));
        }
    }
    if let Some(statement) = &e.statement {
        let _ = writeln!(out, "{field}statement: {}", quoted(statement));
    }
    if let Some((path, sha256)) = &e.evidence {
        let _ = writeln!(out, "{field}evidence:");
        let _ = writeln!(out, "{field}  path: {}", quoted(path));
        let _ = writeln!(out, "{field}  sha256: {sha256}");
    }
    out
}

/// A key or word as is when YAML reads it back as the same text; quoted
/// otherwise (`007`, `true`, `no`, `a: b`, a commit starting with digits).
fn scalar(text: &str) -> String {
    let plain = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A YAML double-quoted scalar; escapes everything YAML does not print as
/// is, and the line separators older YAML readers treat as line breaks.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xFF => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c if u32::from(c) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// YAML 1.2's printable characters, less U+0085, U+2028, U+2029 and the
/// byte-order mark.
fn printable(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
        && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {

    #[cfg(unix)]
    #[test]
    fn the_lock_file_is_never_opened_through_a_link() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let target = dir.path().join("elsewhere");
        let link = dir.path().join(".signoffs.yaml.lock");
        assert!(std::os::unix::fs::symlink(&target, &link).is_ok());
        // Straight to the open, as if the link came after the check.
        let err = open_not_following(&link).err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("it is a symbolic link")
        );
        assert!(!target.exists(), "created through the link");
        assert!(open_not_following(&dir.path().join("plain.lock")).is_ok());
    }
    use super::*;

    fn entry() -> NewSignOff {
        NewSignOff {
            role: "sales".into(),
            by: "jlange".into(),
            decision: Decision::Approved,
            date: Date::parse("2026-03-10").unwrap_or_else(Date::today),
            fingerprint: Fingerprint {
                combined: "sha256:00".into(),
                kinds: vec![("handoff", "sha256:01".into())],
            },
            commit: None,
            conditions: vec!["G-03 \"agreed\"\nfirst".into()],
            statement: None,
            evidence: None,
        }
    }

    #[test]
    fn a_new_file_gets_the_header_and_the_entry() {
        let text = append(None, &entry());
        assert!(text.starts_with(HEADER));
        assert!(
            text.ends_with(
                "signoffs:\n  - role: sales\n    by: jlange\n    decision: approved\n    date: 2026-03-10\n    fingerprint: sha256:00\n    fingerprints:\n      handoff: sha256:01\n    conditions:\n      - \"G-03 \\\"agreed\\\"\\nfirst\"\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn existing_text_is_kept_and_indentation_followed() {
        let existing = "# keep me\nsignoffs:\n- role: delivery # inline\n  by: x\n# trailing";
        let text = append(Some(existing), &entry());
        assert!(text.starts_with("# keep me\nsignoffs:\n- role: delivery # inline\n  by: x\n# trailing\n\n- role: sales\n  by: jlange\n"), "{text}");
    }

    #[test]
    fn a_file_of_comments_gets_the_key() {
        let text = append(Some("# nothing yet\n"), &entry());
        assert!(
            text.starts_with("# nothing yet\nsignoffs:\n  - role: sales\n"),
            "{text}"
        );
    }

    #[test]
    fn the_starter_file_of_init_takes_entries_under_its_key() {
        let starter = include_str!("../commands/starter/signoffs.yaml");
        let text = append(Some(starter), &entry());
        assert_eq!(
            text.strip_prefix(starter)
                .map(|rest| rest.starts_with("  - role: sales\n")),
            Some(true),
            "{text}"
        );
    }

    #[test]
    fn a_waiver_is_appended_under_its_key_keeping_the_text() {
        let w = NewWaiver {
            finding: "effort-underrun/T-1/effort".into(),
            reason: "spare days: contingency".into(),
            by: "spm".into(),
            until: Date::parse("2026-06-30").unwrap_or_else(Date::today),
            date: Date::parse("2026-03-10").unwrap_or_else(Date::today),
        };
        let text = append_waiver(Some("# ours\nwaivers:\n    - finding: x # kept\n"), &w);
        assert_eq!(
            text,
            "# ours\nwaivers:\n    - finding: x # kept\n\n    - finding: \"effort-underrun/T-1/effort\"\n      reason: \"spare days: contingency\"\n      by: spm\n      until: 2026-06-30\n      date: 2026-03-10\n"
        );
        assert!(append_waiver(None, &w).starts_with(WAIVERS_HEADER));
    }

    #[test]
    fn risky_words_are_quoted() {
        assert_eq!(scalar("jlange"), "jlange");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("007"), "\"007\"");
        assert_eq!(scalar("1a2b"), "\"1a2b\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(quoted("é\u{7f}\u{2028}"), "\"é\\x7F\\u2028\"");
    }
}
