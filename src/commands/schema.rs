//! `handoff schema`: writes the JSON Schemas of the engagement files and of
//! handoff.toml (see [`crate::schema`]) into a folder.

use std::path::Path;

use super::outln;
use crate::cli::SchemaArgs;
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::{fsutil, load, schema};

pub fn run(args: &SchemaArgs) -> Result<Exit, Error> {
    let dir = &args.output;
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::new(format!(
            "{} is a file, not a folder; nothing was written",
            load::display(dir)
        ))
        .help("give the folder to write the schemas in")
        .into());
    }
    let files = schema::all();
    // Nothing is written unless everything can be: a file of the same name
    // that `handoff schema` did not write is somebody's own.
    let foreign: Vec<String> = files
        .iter()
        .map(|f| dir.join(f.name))
        .filter(|p| p.symlink_metadata().is_ok() && !is_generated(p))
        .map(|p| load::display(&p))
        .collect();
    if !foreign.is_empty() && !args.force {
        return Err(Refusal::new(format!(
            "{} {} not written by handoff schema; nothing was written",
            foreign.join(", "),
            if foreign.len() == 1 { "was" } else { "were" }
        ))
        .help("choose another folder with -o, or pass --force to replace them")
        .into());
    }
    match write_all(dir, &files) {
        Ok(written) => {
            let shown = load::display(dir);
            if written == 0 {
                outln!("the {} schemas in {shown} are up to date", files.len());
            } else {
                outln!("wrote {written} of {} schemas to {shown}", files.len());
            }
            Ok(Exit::Ok)
        }
        Err(err) => Err(Refusal::new(err).into()),
    }
}

/// Writes every schema that differs from what is in `dir`; the number
/// written.
pub(crate) fn write_all(dir: &Path, files: &[schema::SchemaFile]) -> Result<usize, String> {
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("cannot create folder {}: {err}", load::display(dir)))?;
    let mut written = 0;
    for file in files {
        let path = dir.join(file.name);
        if std::fs::read(&path).is_ok_and(|old| old == file.text.as_bytes()) {
            continue;
        }
        fsutil::write_atomic(&path, file.text.as_bytes())
            .map_err(|err| format!("cannot write {}: {err}", load::display(&path)))?;
        written += 1;
    }
    Ok(written)
}

/// A previous output of `handoff schema`, recognised by its marker.
fn is_generated(path: &Path) -> bool {
    fsutil::read_regular(path)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|text| text.contains(schema::MARKER))
}
