//! `handoff man [-o DIR]`: man pages generated from the clap definitions,
//! `handoff.1` and one `handoff-COMMAND.1` per command.

use std::path::Path;

use clap::CommandFactory as _;

use super::outln;
use crate::cli::{Cli, ManArgs};
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::fsutil;
use crate::load::display;

/// Every page as (file name, roff text): the tool's own first, then one
/// per command in the order `handoff --help` lists them.
pub fn pages() -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut cmd = Cli::command();
    // Build once so global options (--color, -q) appear on every page.
    cmd.build();
    let mut pages = vec![("handoff.1".to_string(), render(cmd.clone(), "handoff")?)];
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("handoff-{}", sub.get_name());
        // The synopsis names the command as typed, the title as the file.
        let page = sub.clone().bin_name(format!("handoff {}", sub.get_name()));
        pages.push((format!("{name}.1"), render(page, &name)?));
    }
    Ok(pages)
}

fn render(cmd: clap::Command, title: &str) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).title(title).render(&mut out)?;
    Ok(out)
}

pub fn run(args: &ManArgs) -> Result<Exit, Error> {
    let pages = pages()?;
    let Some(dir) = &args.output else {
        let top = pages
            .first()
            .map(|(_, text)| text.as_slice())
            .unwrap_or_default();
        // The page is what was asked for: `-q` has nothing to leave out.
        super::print_always(&String::from_utf8_lossy(top))?;
        return Ok(Exit::Ok);
    };
    let cannot = |err: std::io::Error, path: &Path| {
        Error::from(Refusal::new(format!(
            "cannot write {}: {err}",
            display(path)
        )))
    };
    std::fs::create_dir_all(dir).map_err(|err| cannot(err, dir))?;
    for (name, text) in &pages {
        let path = dir.join(name);
        fsutil::write_atomic(&path, text).map_err(|err| cannot(err, &path))?;
    }
    outln!("wrote {} man pages to {}", pages.len(), display(dir));
    Ok(Exit::Ok)
}
