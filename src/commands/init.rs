//! `handoff init`: a new engagement folder with commented starter files.

use std::path::Path;

use super::outln;
use crate::Exit;
use crate::cli::InitArgs;
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

pub fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let dir = &args.dir;
    let existing: Vec<String> = FILES
        .iter()
        .map(|(name, _, _)| dir.join(name))
        // A broken link counts: writing through it would put the file elsewhere.
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| load::display(&p))
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} already exist{}; nothing was written",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        );
        eprintln!(
            "help: handoff init never overwrites files; choose an empty folder or move these away"
        );
        return Ok(Exit::CouldNotEvaluate);
    }
    if dir.exists() && !dir.is_dir() {
        eprintln!(
            "error: {} is a file, not a folder; nothing was written",
            load::display(dir)
        );
        eprintln!("help: give the folder to create the engagement in");
        return Ok(Exit::CouldNotEvaluate);
    }
    if let Err(err) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create folder {}: {err}", load::display(dir));
        eprintln!("help: check that the parent folder exists and can be written");
        return Ok(Exit::CouldNotEvaluate);
    }
    let mut written = Vec::new();
    for (name, starter, example) in FILES {
        let path = dir.join(name);
        let text = if args.example { example } else { starter };
        if let Err(err) = fsutil::create_new(&path, text.as_bytes()) {
            eprintln!("error: cannot create {}: {err}", load::display(&path));
            if !written.is_empty() {
                eprintln!("note: already created: {}", written.join(", "));
            }
            return Ok(Exit::CouldNotEvaluate);
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
