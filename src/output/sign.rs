//! The receipt `handoff sign` prints: what was signed, by whom, and what
//! the sign-off covers.

use crate::model::{Decision, Engagement, Vocab};
use crate::signoff::append::NewSignOff;
use crate::signoff::git::CommitState;
use crate::signoff::{role_words, signer_name};

pub fn receipt(
    e: &Engagement,
    new: &NewSignOff,
    commit_state: &CommitState,
    file: &str,
    created: bool,
) -> String {
    let name = signer_name(e, &new.by);
    let mut out = format!(
        "{} signed off {} for {}: {} on {}\n",
        name,
        e.id(),
        role_words(&new.role),
        new.decision.as_str().replace('_', " "),
        new.date
    );
    if let Some(statement) = &new.statement {
        out.push_str(&format!("  {name} confirms: \"{statement}\"\n"));
    }
    for c in &new.conditions {
        let what = if new.decision == Decision::Rejected {
            "reason"
        } else {
            "condition"
        };
        out.push_str(&format!("  {what}: {c}\n"));
    }
    out.push_str(&format!("  fingerprint: {}\n", new.fingerprint.combined));
    let commit_line = match commit_state {
        CommitState::Clean(commit) => {
            format!("  commit: {commit} (the engagement's files are unchanged from this commit)\n")
        }
        CommitState::Uncommitted(files) => format!(
            "  commit: none recorded: {} {} not committed, so this sign-off covers the files as they are now, not a commit\n",
            files.join(", "),
            if files.len() == 1 { "is" } else { "are" }
        ),
        CommitState::Unavailable(why) => format!(
            "  commit: none recorded: {why}, so this sign-off covers the files as they are now\n"
        ),
    };
    out.push_str(&commit_line);
    out.push_str(&format!(
        "{} {file}\n",
        if created { "created" } else { "added to" }
    ));
    out
}
