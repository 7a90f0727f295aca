//! `handoff status`: per sign-off role, who signed, when, and whether the
//! files still match what they signed. For reading: exits 0 whatever it
//! shows.

use crate::cli::StatusArgs;
use crate::error::Error;
use crate::error::Exit;
use crate::output::status;
use crate::since;
use crate::workspace::{Options, Source, Workspace};

pub fn run(args: &StatusArgs) -> Result<Exit, Error> {
    let options = Options {
        config: args.config.clone(),
        today: args.today,
        ..Options::default()
    };
    // One engagement that cannot be read never hides the others.
    let mut judged =
        Workspace::new(Source::WorkTree, options).open_each(&[super::engagement_or(&args.path)]);
    if !args.changes {
        since::describe_stale(&mut judged.engagements);
        super::print_out(&status::render(
            &judged.engagements.evaluations(),
            &judged.invalid,
        ))?;
        return super::finish(&judged, Exit::Ok);
    }
    since::describe_stale(&mut judged.engagements);
    let evaluations = judged.engagements.evaluations();
    // The history is walked once for every engagement and role.
    let repo = evaluations
        .first()
        .and_then(|ev| since::repo_for(&ev.engagement().dir));
    let history = repo.as_ref().and_then(since::history);
    let judging = since::Judging::of(&judged.engagements);
    let changes: Vec<_> = evaluations
        .iter()
        .map(|ev| since::since_signed(history.as_ref(), ev, None, judging))
        .collect();
    super::print_out(&status::render_with_changes(
        &evaluations,
        &judged.invalid,
        &changes,
    ))?;
    super::finish(&judged, Exit::Ok)
}
