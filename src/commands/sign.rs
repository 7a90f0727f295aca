//! `handoff sign`: append a sign-off to `signoffs.yaml`, recording the
//! fingerprint of the files as they are and, when they are committed, the
//! commit.

use std::io;
use std::path::{Path, PathBuf};

use crate::cli::SignArgs;
use crate::date::Date;
use crate::diag;
use crate::error::Exit;
use crate::error::{Error, Failure, Refusal};
use crate::fingerprint::Fingerprint;
use crate::fsutil;
use crate::load::{self, FsTree, HANDOFF_FILE, Loaded, SIGNOFFS_FILE, Tree, tree::Entry};
use crate::model::{Decision, Engagement, SignOff};
use crate::output::sign::receipt;
use crate::signoff::append::{self, NewSignOff, append};
use crate::signoff::git::{self, CommitState};
use crate::signoff::{self, SALES_STATEMENT, signer_name};
use crate::workspace::{Options, Source, Workspace};

fn refuse(message: &str, help: &str) -> Result<Exit, Error> {
    refuse_over(None, message, help)
}

/// A refusal explained by problems in the files, shown first.
fn refuse_over(problems: Option<Failure>, message: &str, help: &str) -> Result<Exit, Error> {
    Err(Refusal {
        problems,
        outcome: Some("nothing was signed"),
        ..Refusal::new(message).help(help)
    }
    .into())
}

pub fn run(args: &SignArgs) -> Result<Exit, Error> {
    // From a subfolder of an engagement, the engagement is signed.
    let dir = &super::engagement_or(&args.path);
    let shown = load::display(dir);
    if !dir.join(HANDOFF_FILE).is_file() {
        return refuse(
            &format!("{shown} is not an engagement folder: it has no handoff.yaml"),
            "run `handoff sign` in the engagement folder, or give its path after the role",
        );
    }

    if let Some(date) = args.date {
        let today = args.today.unwrap_or_else(Date::today);
        if date > today {
            return refuse(
                &format!("the sign-off date {date} is after today ({today})"),
                "a sign-off records a decision already taken: give today's date or an earlier one, or leave `--date` out",
            );
        }
    }
    // Held until the entry is written: the files are read, checked and
    // appended to as one step (see `SignLock`).
    let _lock = match append::lock(dir, append::LOCK_TIMEOUT) {
        Ok(lock) => lock,
        Err(append::LockError::Busy(path)) => {
            return refuse(
                &format!(
                    "another `handoff sign` is writing to this engagement: {} stayed locked for {} seconds",
                    load::display(&path),
                    append::LOCK_TIMEOUT.as_secs()
                ),
                "sign again once the other sign-off is written",
            );
        }
        Err(append::LockError::Io(path, err)) => {
            return refuse(
                &format!("cannot lock {}: {err}", load::display(&path)),
                "check that the engagement folder is writable",
            );
        }
    };

    let mut loaded = Loaded::default();
    let engagement = load::load_engagement(&FsTree, dir, &mut loaded);
    let e = match engagement {
        Some(e) if loaded.diagnostics.is_empty() => e,
        _ => {
            let n = loaded.diagnostics.len();
            return refuse_over(
                Some(Failure {
                    diagnostics: loaded.diagnostics,
                    sources: loaded.sources,
                    ..Failure::default()
                }),
                &format!(
                    "{shown} has {n} problem{} in its files, so there is nothing to sign",
                    if n == 1 { "" } else { "s" }
                ),
                "fix the problems above first: a sign-off must cover files everyone can read",
            );
        }
    };

    // The config says which roles exist; `[signoffs] roles` may add some.
    let mut workspace = Workspace::new(
        Source::WorkTree,
        Options {
            config: args.config.clone(),
            ..Options::default()
        },
    );
    let signoffs_file = e.signoffs_file.clone();
    let dir_shown = e.dir.clone();
    loaded.engagements.push(e);
    let judged = workspace.judge(loaded);
    if let Some(problems) = workspace.take_config_failure() {
        let path = workspace
            .config_file_for(&dir_shown)
            .map_or_else(|| dir_shown.clone(), |p| load::display(&p));
        return refuse_over(
            Some(problems),
            &format!("{path} has problems"),
            "fix the configuration first",
        );
    }
    let (e, config) = match judged {
        Ok(mut judged) => match (judged.engagements.pop(), judged.configs.pop()) {
            (Some(e), Some(config)) => (e, config),
            // `judge` gives each engagement its config.
            _ => unreachable!("one engagement judged, one config"),
        },
        Err(problems) => {
            return refuse_over(
                Some(problems),
                &format!("{signoffs_file} names sign-off roles that do not exist"),
                "fix the roles above first",
            );
        }
    };
    if !config.signoff_roles.contains(&args.role) {
        let allowed: Vec<&str> = config.signoff_roles.iter().map(String::as_str).collect();
        let hint = diag::suggest(&args.role, &allowed)
            .map_or(String::new(), |s| format!("did you mean `{s}`? "));
        return refuse(
            &format!("`{}` is not a sign-off role", args.role),
            &format!(
                "{hint}sign as one of: {}; `[signoffs] roles` in handoff.toml can add roles",
                allowed.join(", ")
            ),
        );
    }
    if args.conditions.iter().any(|c| c.trim().is_empty()) {
        return refuse(
            "a condition is empty",
            "write what must happen, e.g. `--condition \"G-02 is agreed with the customer\"`",
        );
    }

    if !e.stakeholders.iter().any(|s| s.key.value == args.by) {
        let keys: Vec<String> = e
            .stakeholders
            .iter()
            .map(|s| signer_name(&e, &s.key))
            .collect();
        let help = if keys.is_empty() {
            format!(
                "{} lists nobody yet; add the person who signs, then sign with their key",
                e.stakeholders_file
            )
        } else {
            format!(
                "sign with a key from {}: {}",
                e.stakeholders_file,
                keys.join(", ")
            )
        };
        return refuse(
            &format!(
                "`{}` is not a stakeholder of {}, so they cannot sign it off",
                args.by,
                e.id()
            ),
            &help,
        );
    }

    let signer = e.stakeholders.iter().find(|s| s.key.value == args.by);
    if let Some(signer) = signer
        && !signoff::eligible(&config, &args.role, signer)
    {
        let who: Vec<String> = signoff::eligible_signers(&e, &config, &args.role)
            .iter()
            .map(|k| signer_name(&e, &k.key))
            .collect();
        let help = if who.is_empty() {
            format!(
                "nobody in {} is eligible yet: add the right person there, or change `[signoffs.eligible]` in handoff.toml",
                e.stakeholders_file
            )
        } else {
            format!("eligible: {}", who.join(", "))
        };
        return refuse(
            &format!(
                "{} cannot sign off for {}: it needs {}",
                signer_name(&e, &args.by),
                signoff::role_words(&args.role),
                config.eligible(&args.role).words()
            ),
            &help,
        );
    }

    let decision = match (args.decision, args.conditions.is_empty()) {
        (Some(Decision::ApprovedWithConditions), true) => {
            return refuse(
                "an approval with conditions needs its conditions",
                "add each one with `--condition TEXT`; name a gap id to tie a condition to that gap",
            );
        }
        (Some(Decision::Approved), false) => {
            return refuse(
                "conditions were given, but the decision is a plain approval",
                "use `--decision approved_with_conditions` (or leave `--decision` out)",
            );
        }
        (Some(decision), _) => decision,
        (None, true) => Decision::Approved,
        (None, false) => Decision::ApprovedWithConditions,
    };

    let evidence = match &args.evidence {
        Some(file) => match git::evidence(dir, file) {
            Ok(found) => Some(found),
            Err(why) => {
                return refuse(
                    &format!("cannot record {} as evidence: {why}", load::display(file)),
                    "give a file inside the repository that holds the engagement, e.g. the customer's e-mail saved as .eml beside handoff.yaml",
                );
            }
        },
        None => None,
    };
    let commit_state = git::state(dir);
    let new = NewSignOff {
        role: args.role.clone(),
        by: args.by.clone(),
        decision,
        date: args
            .date
            .unwrap_or_else(|| args.today.unwrap_or_else(Date::today)),
        fingerprint: Fingerprint::of(&e),
        commit: match &commit_state {
            CommitState::Clean(commit) => Some(commit.clone()),
            _ => None,
        },
        conditions: args.conditions.clone(),
        statement: (args.role == "sales").then(|| SALES_STATEMENT.to_string()),
        evidence,
    };

    let path = dir.join(SIGNOFFS_FILE);
    let file = load::display(&path);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => {
            return refuse(
                &format!("cannot read {file}: {err}"),
                "check the file's permissions",
            );
        }
    };
    let text = append(existing.as_deref(), &new);
    if !appended_cleanly(dir, &path, &text, &e, &new) {
        return refuse(
            &format!(
                "cannot add to {file}: the way its list is written leaves no place to append an entry (for example `signoffs: []`)"
            ),
            "write the list as `signoffs:` followed by one `- role: ...` entry per sign-off, then sign again",
        );
    }
    if let Err(err) = fsutil::write_atomic(&path, text.as_bytes()) {
        return refuse(
            &format!("cannot write {file}: {err}"),
            "check that the folder is writable",
        );
    }

    super::print_out(&receipt(&e, &new, &commit_state, &file, existing.is_none()))?;
    Ok(Exit::Ok)
}

/// Reads the new `signoffs.yaml` back: the only change must be one more
/// sign-off, exactly the one meant. Guards against file layouts the text
/// append cannot extend. Only that file (and handoff.yaml, without which
/// nothing loads) is read again: the other files were read and checked a
/// moment ago under the same lock, and re-reading them all doubled the
/// time of `handoff sign` (issue 17).
fn appended_cleanly(
    dir: &Path,
    path: &Path,
    text: &str,
    before: &Engagement,
    new: &NewSignOff,
) -> bool {
    let tree = SignoffsOnly {
        dir: dir.to_path_buf(),
        handoff: dir.join(HANDOFF_FILE),
        path: path.to_path_buf(),
        text,
    };
    let mut loaded = Loaded::default();
    let Some(after) = load::load_engagement(&tree, dir, &mut loaded) else {
        return false;
    };
    loaded.diagnostics.is_empty()
        && after.signoffs.len() == before.signoffs.len() + 1
        && after.signoffs.iter().zip(&before.signoffs).all(|(a, b)| {
            a.role.value == b.role.value && a.by.value == b.by.value && a.date == b.date
        })
        && after.signoffs.last().is_some_and(|s| matches(s, new))
}

fn matches(s: &SignOff, new: &NewSignOff) -> bool {
    let kinds: Vec<(&str, &str)> = new
        .fingerprint
        .kinds
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    let recorded: Vec<(&str, &str)> = crate::fingerprint::KINDS
        .iter()
        .filter_map(|k| s.fingerprints.get(*k).map(|v| (*k, v.as_str())))
        .collect();
    s.role.value == new.role
        && s.by.value == new.by
        && s.decision == new.decision
        && s.date == new.date
        && s.fingerprint.value == new.fingerprint.combined
        && kinds == recorded
        && s.commit == new.commit
        && s.conditions
            .iter()
            .map(|c| &c.value)
            .eq(new.conditions.iter())
        && s.statement == new.statement
}

/// The engagement folder as handoff.yaml and `signoffs.yaml` alone, the
/// latter reading as `text`: the other engagement files are not there.
/// Anything outside the folder itself (an evidence file in a subfolder or
/// elsewhere in the repository) reads as on disk.
struct SignoffsOnly<'a> {
    dir: PathBuf,
    handoff: PathBuf,
    path: PathBuf,
    text: &'a str,
}

impl std::fmt::Debug for SignoffsOnly<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignoffsOnly({})", self.path.display())
    }
}

impl SignoffsOnly<'_> {
    /// A file or folder directly in the engagement folder other than the
    /// two read: hidden.
    fn hidden(&self, path: &Path) -> bool {
        path.parent() == Some(self.dir.as_path()) && path != self.handoff && path != self.path
    }
}

impl Tree for SignoffsOnly<'_> {
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let entries = FsTree.list(dir)?;
        if dir != self.dir {
            return Ok(entries);
        }
        let mut shown: Vec<Entry> = entries
            .into_iter()
            .filter(|e| !self.hidden(&dir.join(&e.name)))
            .collect();
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        if let Some(name) = name
            && !shown.iter().any(|e| e.name == name)
        {
            shown.push(Entry {
                name,
                is_dir: false,
            });
            shown.sort();
        }
        Ok(shown)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if path == self.path {
            Ok(self.text.as_bytes().to_vec())
        } else if self.hidden(path) {
            Err(io::Error::from(io::ErrorKind::NotFound))
        } else {
            FsTree.read(path)
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        path == self.path || (!self.hidden(path) && FsTree.is_file(path))
    }

    fn is_dir(&self, path: &Path) -> bool {
        !self.hidden(path) && FsTree.is_dir(path)
    }

    fn identity(&self, dir: &Path) -> Option<PathBuf> {
        FsTree.identity(dir)
    }

    fn boundary(&self, dir: &Path) -> Option<(PathBuf, &'static str)> {
        FsTree.boundary(dir)
    }
}
