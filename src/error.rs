//! The one error type of the binary: every reason a command stops without
//! doing what was asked. Commands return it; `main` renders it once,
//! through the output module for messages, and exits 2.

use std::fmt::Write as _;

use crate::diag::{self, Diagnostic, Sources};
use crate::git::RevError;

/// Problems in the files read, each pointing into the text kept in
/// `sources`, so they can be quoted.
#[derive(Debug, Default)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// Print every problem (`--all-problems`), not only the first
    /// [`diag::SHOWN_PROBLEMS`].
    pub all: bool,
}

impl Failure {
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Every diagnostic in file order, then position: the order a person
    /// fixes them in.
    fn render_sorted(&self) -> String {
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.sort_by(|a, b| a.loc.cmp(&b.loc));
        let limit = (!self.all).then_some(diag::SHOWN_PROBLEMS);
        diag::render_limited(&diagnostics, &self.sources, true, limit)
    }
}

/// A command declined to act, with what to do instead.
#[derive(Debug, Default)]
pub struct Refusal {
    /// Problems in the files that explain the refusal, shown first as
    /// they were found.
    pub problems: Option<Failure>,
    pub message: String,
    pub help: Option<String>,
    pub note: Option<String>,
    /// A last line saying what was left undone ("nothing was signed").
    pub outcome: Option<&'static str>,
}

impl Refusal {
    pub fn new(message: impl Into<String>) -> Refusal {
        Refusal {
            message: message.into(),
            ..Refusal::default()
        }
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Refusal {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Refusal {
        self.note = Some(note.into());
        self
    }
}

#[derive(Debug)]
pub enum Error {
    /// The files cannot be evaluated: every problem, then how many.
    Invalid(Failure),
    /// Some engagements could not be read or judged; the others were
    /// reported on stdout before this.
    Partial {
        failure: Failure,
        /// The folders that could not be judged.
        invalid: Vec<String>,
        /// How many engagements were judged and reported.
        judged: usize,
    },
    /// `handoff diff` compared what it could; these engagements could not
    /// be read at one side or both, each side's problems apart (the same
    /// file differs between revisions).
    NotCompared {
        sides: Vec<(String, Failure)>,
        /// How many engagements were compared and reported.
        compared: usize,
    },
    /// One side of `handoff diff` cannot be read.
    Unreadable { side: String, failure: Failure },
    /// A revision that cannot be used.
    Revision(RevError),
    /// `sign`, `init`, `pid -o` and the like declined, or could not read
    /// or write what they needed.
    Refused(Box<Refusal>),
    /// The PID template failed to render.
    Template(String),
    /// Writing the output failed.
    Io(std::io::Error),
}

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Error {
        Error::Refused(Box::new(refusal))
    }
}

impl From<RevError> for Error {
    fn from(err: RevError) -> Error {
        Error::Revision(err)
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        Error::Io(err)
    }
}

impl Error {
    /// The same error, printing every problem of the files when `all`
    /// (`--all-problems`).
    #[must_use]
    pub fn showing_all(mut self, all: bool) -> Error {
        match &mut self {
            Error::Invalid(failure)
            | Error::Partial { failure, .. }
            | Error::Unreadable { failure, .. } => failure.all = all,
            Error::NotCompared { sides, .. } => {
                for (_, failure) in sides {
                    failure.all = all;
                }
            }
            _ => {}
        }
        self
    }

    /// The text shown to the user, styled as the diagnostics are; the caller
    /// strips the styling where the terminal wants none.
    pub fn render(&self) -> String {
        let mut out = String::new();
        match self {
            Error::Invalid(failure) => could_not_evaluate(&mut out, failure),
            Error::Partial {
                failure,
                invalid,
                judged,
            } => {
                could_not_evaluate(&mut out, failure);
                if *judged > 0 && !invalid.is_empty() {
                    let _ = writeln!(
                        out,
                        "note: {} could not be judged (verdict: invalid); the other {judged} engagement{} {} reported above",
                        invalid.join(", "),
                        if *judged == 1 { "" } else { "s" },
                        if *judged == 1 { "is" } else { "are" },
                    );
                } else if *judged > 0 {
                    let _ = writeln!(
                        out,
                        "note: the {judged} engagement{} found {} reported above",
                        if *judged == 1 { "" } else { "s" },
                        if *judged == 1 { "is" } else { "are" },
                    );
                }
            }
            Error::NotCompared { sides, compared } => {
                for (side, failure) in sides {
                    let _ = writeln!(
                        out,
                        "error: at {side}, these engagement files have problems; their engagements were not compared"
                    );
                    could_not_evaluate(&mut out, failure);
                }
                let _ = writeln!(
                    out,
                    "note: the other {compared} engagement{} {} compared above",
                    if *compared == 1 { "" } else { "s" },
                    if *compared == 1 { "is" } else { "are" },
                );
            }
            Error::Unreadable { side, failure } => {
                let _ = writeln!(
                    out,
                    "error: cannot compare: the engagement files at {side} have problems"
                );
                could_not_evaluate(&mut out, failure);
            }
            Error::Revision(err) => {
                let _ = writeln!(out, "error: {}", err.message);
                if let Some(fetch) = &err.fetch {
                    let _ = writeln!(out, "help: fetch it with:\n\n    {fetch}\n");
                }
                if let Some(note) = &err.note {
                    let _ = writeln!(out, "note: {note}");
                }
            }
            Error::Refused(refusal) => {
                if let Some(problems) = &refusal.problems {
                    out.push_str(&diag::render(
                        &problems.diagnostics,
                        &problems.sources,
                        true,
                    ));
                }
                let _ = writeln!(out, "error: {}", refusal.message);
                if let Some(help) = &refusal.help {
                    let _ = writeln!(out, "help: {help}");
                }
                if let Some(note) = &refusal.note {
                    let _ = writeln!(out, "note: {note}");
                }
                if let Some(outcome) = refusal.outcome {
                    let _ = writeln!(out, "{outcome}");
                }
            }
            Error::Template(message) => {
                let _ = writeln!(out, "error: cannot render the PID: {message}");
                let _ = writeln!(
                    out,
                    "help: docs/pid.md describes templates and every variable they can use; `handoff pid --print-template` shows the built-in one"
                );
            }
            Error::Io(err) => {
                let _ = writeln!(out, "error: {err}");
            }
        }
        out
    }
}

fn could_not_evaluate(out: &mut String, failure: &Failure) {
    out.push_str(&failure.render_sorted());
    let n = failure.diagnostics.len();
    let _ = writeln!(
        out,
        "error: could not evaluate: {n} problem{} to fix first",
        if n == 1 { "" } else { "s" }
    );
}

/// The exit codes every command uses: what a command reports when it ran
/// (an [`Error`] is always 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Fine: nothing stops the handoff.
    Ok = 0,
    /// Findings: the gate said no.
    Findings = 1,
    /// Could not evaluate: bad usage, unreadable or invalid files, bad config.
    CouldNotEvaluate = 2,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> std::process::ExitCode {
        std::process::ExitCode::from(exit as u8)
    }
}
