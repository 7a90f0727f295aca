//! `handoff status`: per sign-off role, who signed, when, and whether the
//! files still match what they signed. For reading: exits 0 whatever it
//! shows.

use crate::Exit;
use crate::cli::StatusArgs;
use crate::error::Error;
use crate::output::status;
use crate::workspace::{Options, Source, Workspace};

pub fn run(args: &StatusArgs) -> Result<Exit, Error> {
    let options = Options {
        config: args.config.clone(),
        ..Options::default()
    };
    let workspace = Workspace::new(Source::WorkTree, options)
        .open(std::slice::from_ref(&args.path))
        .map_err(Error::Invalid)?;
    super::print_out(&status::render(&workspace.evaluations()))?;
    Ok(Exit::Ok)
}
