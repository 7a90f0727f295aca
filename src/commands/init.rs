//! `handoff init`: a new engagement folder with commented starter files.

use std::path::Path;

use super::outln;
use crate::Exit;
use crate::cli::InitArgs;
use crate::error::{Error, Refusal};
use crate::{fsutil, load};

/// (file name, starter text, example text)
const FILES: &[(&str, &str, &str)] = &[
    (
        "handoff.yaml",
        include_str!("starter/handoff.yaml"),
        include_str!("../../examples/nordwind-crm/handoff.yaml"),
    ),
    (
        "stakeholders.yaml",
        include_str!("starter/stakeholders.yaml"),
        include_str!("../../examples/nordwind-crm/stakeholders.yaml"),
    ),
    (
        "promises.yaml",
        include_str!("starter/promises.yaml"),
        include_str!("../../examples/nordwind-crm/promises.yaml"),
    ),
    (
        "scope.yaml",
        include_str!("starter/scope.yaml"),
        include_str!("../../examples/nordwind-crm/scope.yaml"),
    ),
    (
        "gaps.yaml",
        include_str!("starter/gaps.yaml"),
        include_str!("../../examples/nordwind-crm/gaps.yaml"),
    ),
    (
        "signoffs.yaml",
        include_str!("starter/signoffs.yaml"),
        include_str!("../../examples/nordwind-crm/signoffs.yaml"),
    ),
];

pub fn run(args: &InitArgs) -> Result<Exit, Error> {
    let dir = &args.dir;
    let existing: Vec<String> = FILES
        .iter()
        .map(|(name, _, _)| dir.join(name))
        // A broken link counts: writing through it would put the file elsewhere.
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| load::display(&p))
        .collect();
    if !existing.is_empty() {
        return Err(Refusal::new(format!(
            "{} already exist{}; nothing was written",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .help("handoff init never overwrites files; choose an empty folder or move these away")
        .into());
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::new(format!(
            "{} is a file, not a folder; nothing was written",
            load::display(dir)
        ))
        .help("give the folder to create the engagement in")
        .into());
    }
    if let Err(err) = std::fs::create_dir_all(dir) {
        return Err(Refusal::new(format!(
            "cannot create folder {}: {err}",
            load::display(dir)
        ))
        .help("check that the parent folder exists and can be written")
        .into());
    }
    let mut written = Vec::new();
    for (name, starter, example) in FILES {
        let path = dir.join(name);
        let text = if args.example { example } else { starter };
        if let Err(err) = fsutil::create_new(&path, text.as_bytes()) {
            let mut refusal =
                Refusal::new(format!("cannot create {}: {err}", load::display(&path)));
            if !written.is_empty() {
                refusal = refusal.note(format!("already created: {}", written.join(", ")));
            }
            return Err(refusal.into());
        }
        written.push(load::display(&path));
    }
    let shown = load::display(Path::new(dir));
    outln!("created {} files in {shown}:", written.len());
    for w in &written {
        outln!("  {w}");
    }
    if args.example {
        outln!("next: handoff check {shown}");
    } else {
        outln!(
            "next: fill in handoff.yaml, then list promises, scope and gaps; run `handoff check {shown}` as you go"
        );
    }
    Ok(Exit::Ok)
}
