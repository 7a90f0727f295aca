//! `handoff waive FINDING --by KEY --reason TEXT --until DATE [PATH]`:
//! append a waiver to `waivers.yaml` the way `handoff sign` appends a
//! sign-off: the text kept, written atomically, under the same lock.

use std::path::PathBuf;

use crate::cli::WaiveArgs;
use crate::date::Date;
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::fsutil;
use crate::load::{self, HANDOFF_FILE, WAIVERS_FILE};
use crate::rules::waivers;
use crate::signoff::append::{self, NewWaiver};
use crate::workspace::{Options, Source, Workspace};

fn refuse(message: &str, help: &str) -> Result<Exit, Error> {
    Err(Refusal {
        outcome: Some("nothing was written"),
        ..Refusal::new(message).help(help)
    }
    .into())
}

pub fn run(args: &WaiveArgs) -> Result<Exit, Error> {
    let dir = &super::engagement_or(&args.path);
    let shown = load::display(dir);
    if !dir.join(HANDOFF_FILE).is_file() {
        return refuse(
            &format!("{shown} is not an engagement folder: it has no handoff.yaml"),
            "run `handoff waive` in the engagement folder, or give its path after the finding",
        );
    }
    let today = args.today.unwrap_or_else(Date::today);
    if args.until < today {
        return refuse(
            &format!(
                "the end date {} is in the past (today is {today})",
                args.until
            ),
            "a waiver holds until a day to come: give `--until` today or later",
        );
    }
    if args.reason.trim().is_empty() {
        return refuse(
            "the reason is empty",
            "say why the finding is accepted, e.g. `--reason \"the customer keeps the spare days as contingency\"`",
        );
    }
    // Held until the entry is written, like `handoff sign`: both append to
    // the engagement's files after reading them.
    let _lock = match append::lock(dir, append::LOCK_TIMEOUT) {
        Ok(lock) => lock,
        Err(append::LockError::Busy(path)) => {
            return refuse(
                &format!(
                    "another `handoff sign` or `handoff waive` is writing to this engagement: {} stayed locked for {} seconds",
                    load::display(&path),
                    append::LOCK_TIMEOUT.as_secs()
                ),
                "try again once the other one is written",
            );
        }
        Err(append::LockError::Io(path, err)) => {
            return refuse(
                &format!("cannot lock {}: {err}", load::display(&path)),
                "check that the engagement folder is writable",
            );
        }
    };
    let options = Options {
        config: args.config.clone(),
        today: Some(today),
        ..Options::default()
    };
    let judged = Workspace::new(Source::WorkTree, options)
        .open(std::slice::from_ref(dir))
        .map_err(Error::Invalid)?;
    let evaluations = judged.evaluations();
    let Some(ev) = evaluations.first() else {
        return refuse(
            &format!("{shown} holds no engagement"),
            "give the engagement folder",
        );
    };
    let e = ev.engagement();
    // The finding must be there now: counted, or already waived.
    let known = ev
        .findings
        .iter()
        .chain(ev.waived.iter().map(|w| &w.finding))
        .any(|f| waivers::names(&args.finding, f, e.id()));
    if !known {
        let mut have: Vec<String> = ev
            .findings
            .iter()
            .map(|f| f.fingerprint(e.id()))
            .filter(|fp| !fp.starts_with("waiver-"))
            .take(5)
            .collect();
        if have.is_empty() {
            have.push("none: this engagement has no finding to accept".to_string());
        }
        return refuse(
            &format!("{} has no finding {}", e.id(), args.finding),
            &format!(
                "give a fingerprint as `handoff check --format json` prints it, or a code with its item; findings now: {}",
                have.join(", ")
            ),
        );
    }
    if let Some(why) = waivers::ineligible(e, &ev.config.waiver_approvers, &args.by) {
        return refuse(
            &format!("{} cannot accept a finding: {why}", args.by),
            "ask a supplier-side stakeholder with a role of `[waivers] approvers` in handoff.toml (default project_manager, sales_owner)",
        );
    }
    let path: PathBuf = dir.join(WAIVERS_FILE);
    let file = load::display(&path);
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return refuse(
                &format!("cannot read {file}: {err}"),
                "check that the file is readable UTF-8 text",
            );
        }
    };
    let text = append::append_waiver(
        existing.as_deref(),
        &NewWaiver {
            finding: args.finding.clone(),
            reason: args.reason.clone(),
            by: args.by.clone(),
            until: args.until,
            date: today,
        },
    );
    if let Err(err) = fsutil::write_atomic(&path, text.as_bytes()) {
        return refuse(
            &format!("cannot write {file}: {err}"),
            "check that the engagement folder is writable",
        );
    }
    super::print_out(&format!(
        "{} accepted {} in {} until {}: {}\n{} {file}\n",
        args.by,
        args.finding,
        e.id(),
        args.until,
        args.reason,
        if existing.is_some() {
            "added to"
        } else {
            "created"
        }
    ))?;
    Ok(Exit::Ok)
}
