//! Everything written to stderr: errors, warnings, notes. The one place
//! that touches the stream, so every message is styled and stripped
//! alike, and later capabilities add their messages here.

use std::io::Write as _;

use crate::error::Error;
use crate::model::audience::{LeftOut, Reader};

fn write(text: &str) {
    // A message that cannot be written changes nothing the command did.
    // Control characters from the files (a title, an id) are escaped.
    let _ = anstream::stderr().write_all(super::terminal_safe(text).as_bytes());
}

/// The error that stopped a command; `main` calls this once.
pub fn error(err: &Error) {
    write(&err.render());
}

/// Something the user should keep in mind about what was just done.
pub fn note(text: &str) {
    if super::quiet() {
        return;
    }
    write(&format!("note: {text}\n"));
}

/// The items a document for `reader` left out, one note per reason, so the
/// author knows what the reader will not see and what would bring it in.
pub fn left_out(items: &[LeftOut], reader: Reader) {
    let mut reasons: Vec<(&str, &str)> = Vec::new();
    for item in items {
        if !reasons.contains(&(item.what, item.why.as_str())) {
            reasons.push((item.what, item.why.as_str()));
        }
    }
    for (what, why) in reasons {
        let ids: Vec<&str> = items
            .iter()
            .filter(|i| i.what == what && i.why == why)
            .map(|i| i.id.as_str())
            .collect();
        let (plural, verb) = if ids.len() == 1 {
            ("", "is")
        } else {
            ("s", "are")
        };
        // Five ids and a count: a note naming thousands helps nobody.
        note(&format!(
            "{what}{plural} {} {verb} left out of the {} document: {why}",
            crate::rules::ids_words(ids.iter().copied(), ids.len()),
            reader.as_str(),
        ));
    }
}

/// A progress bar for long work (`stats --history`), on stderr: only on
/// a terminal, only once the work has taken a second (quick runs stay
/// quiet), never with `-q`, and wiped when the work is done so the
/// output that follows starts on a clean line.
#[derive(Debug)]
pub struct Progress {
    what: &'static str,
    on: bool,
    start: std::time::Instant,
    drawn: Option<std::time::Instant>,
    /// The width of the line drawn, to blank it.
    width: usize,
}

impl Progress {
    /// How long work runs before the bar appears.
    const DELAY: std::time::Duration = std::time::Duration::from_secs(1);
    /// How often it is redrawn at most.
    const EVERY: std::time::Duration = std::time::Duration::from_millis(100);
    const WIDTH: usize = 30;

    pub fn new(what: &'static str) -> Progress {
        use std::io::IsTerminal as _;
        Progress {
            what,
            on: !super::quiet() && std::io::stderr().is_terminal(),
            start: std::time::Instant::now(),
            drawn: None,
            width: 0,
        }
    }

    /// `done` of `of` steps are done.
    pub fn set(&mut self, done: usize, of: usize) {
        if !self.on || self.start.elapsed() < Self::DELAY {
            return;
        }
        if self.drawn.is_some_and(|at| at.elapsed() < Self::EVERY) && done < of {
            return;
        }
        let filled = (done * Self::WIDTH)
            .checked_div(of)
            .unwrap_or(0)
            .min(Self::WIDTH);
        let bar = format!(
            "\r{} [{}{}] {done}/{of}",
            self.what,
            "#".repeat(filled),
            " ".repeat(Self::WIDTH - filled)
        );
        // Raw: the carriage return is the point, and nothing in the line
        // comes from the files.
        let _ = anstream::stderr().write_all(bar.as_bytes());
        self.drawn = Some(std::time::Instant::now());
        self.width = bar.chars().count();
    }

    /// Wipes the bar, if it was drawn.
    pub fn finish(&mut self) {
        if self.drawn.take().is_some() {
            // Spaces, not an erase sequence: anstream strips escapes when
            // colour is off (NO_COLOR), and the bar must go all the same.
            let blank = format!("\r{}\r", " ".repeat(self.width));
            let _ = anstream::stderr().write_all(blank.as_bytes());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A problem that did not stop the command (a blank answer in an RFP
/// matrix), with what to do about it.
pub fn warning(text: &str, help: Option<&str>) {
    if super::quiet() {
        return;
    }
    let mut out = format!("warning: {text}\n");
    if let Some(help) = help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    write(&out);
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                rust_files(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        Ok(())
    }

    /// Messages stay in one place: a new `eprintln!` elsewhere would
    /// bypass the styling and the wording kept here.
    #[test]
    fn only_this_module_and_main_write_to_stderr() -> std::io::Result<()> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files)?;
        let mut writers = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            // `stderr()` opens the stream; a child process's `.stderr(…)`
            // only says where its messages go.
            if text.contains("eprint") || text.contains("stderr()") {
                let rel = file.strip_prefix(&src).unwrap_or(&file);
                writers.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        writers.sort();
        let allowed = ["main.rs", "output/messages.rs"];
        let stray: Vec<&String> = writers
            .iter()
            .filter(|w| !allowed.contains(&w.as_str()))
            .collect();
        assert!(stray.is_empty(), "stderr written from {stray:?}");
        Ok(())
    }
}
