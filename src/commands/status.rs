//! `handoff status`: per sign-off role, who signed, when, and whether the
//! files still match what they signed. For reading: exits 0 whatever it
//! shows.

use crate::cli::StatusArgs;
use crate::error::Error;
use crate::error::Exit;
use crate::output::status;
use crate::workspace::{Options, Source, Workspace};

pub fn run(args: &StatusArgs) -> Result<Exit, Error> {
    let options = Options {
        config: args.config.clone(),
        ..Options::default()
    };
    // One engagement that cannot be read never hides the others.
    let judged =
        Workspace::new(Source::WorkTree, options).open_each(&[super::engagement_or(&args.path)]);
    super::print_out(&status::render(
        &judged.engagements.evaluations(),
        &judged.invalid,
    ))?;
    super::finish(&judged, Exit::Ok)
}
