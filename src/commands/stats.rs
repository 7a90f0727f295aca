//! `handoff stats`: promise quality across every engagement under the
//! paths, grouped; `--history` for every engagement at every commit.

use std::path::PathBuf;

use crate::cli::{StatsArgs, StatsBy, StatsFormat};
use crate::date::Date;
use crate::error::{Error, Exit, Refusal};
use crate::git::Repo;
use crate::history::{History, Since, Walk};
use crate::output::messages;
use crate::output::stats as print;
use crate::output::stats_history;
use crate::stats::{self, By};
use crate::workspace::{Source, Workspace};

/// A report: exit 0, or 2 when an engagement could not be read (after the
/// rest was counted and printed).
pub fn run(args: &StatsArgs) -> Result<Exit, Error> {
    if args.history {
        return history(args);
    }
    let read = Workspace::new(Source::WorkTree, args.eval.options()).open_each(&args.paths);
    let evaluations = read.engagements.evaluations();
    let stats = stats::compute(&evaluations, args.by.map(by));
    let text = match args.format {
        StatsFormat::Table => print::render_table(&stats, &read.invalid),
        StatsFormat::Json => print::render_json(&stats, &read.invalid, &read.general),
        StatsFormat::Csv => print::render_csv(&stats),
    };
    super::print_out(&text)?;
    super::finish(&read, Exit::Ok)
}

fn by(arg: StatsBy) -> By {
    match arg {
        StatsBy::PromisedBy => By::PromisedBy,
        StatsBy::SalesOwner => By::SalesOwner,
        StatsBy::Customer => By::Customer,
        StatsBy::Quarter => By::Quarter,
        StatsBy::Tag => By::Tag,
    }
}

/// Every engagement at every commit of HEAD's first-parent history that
/// changed it. Exit 0: engagements that could not be read at some commit
/// are part of the story (verdict `invalid`), not a failure of the run.
fn history(args: &StatsArgs) -> Result<Exit, Error> {
    let first = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let repo = Repo::discover_at(&first).map_err(Error::Revision)?;
    if let Some(outside) = args.paths.iter().find(|p| !repo.holds(p)) {
        return Err(Refusal::new(format!(
            "{} is not inside the repository of {}, so it has no history there",
            crate::load::display(outside),
            crate::load::display(&first),
        ))
        .into());
    }
    let since = match args.since.as_deref() {
        None => None,
        Some(text) => Some(match Date::parse(text) {
            Some(date) => Since::Date(date),
            None => Since::Commit(repo.resolve(text, false).map_err(Error::Revision)?),
        }),
    };
    let walk = Walk {
        since,
        ..Walk::default()
    };
    let history = History::walk(&repo, &walk).map_err(Error::Revision)?;
    // A commit off the first-parent chain would silently read the whole
    // history: say so instead.
    if let (Some(Since::Commit(start)), Some(text)) = (&walk.since, args.since.as_deref())
        && history.commits().last().map(|c| c.id) != Some(start.oid)
        && !history.truncated()
    {
        return Err(Refusal::new(format!(
            "{text} is not on the first-parent history of HEAD, so the history cannot start there"
        ))
        .help("name a commit of the current branch (git log --first-parent), or a date")
        .into());
    }
    let mut options = args.eval.options();
    // One date for every commit, so a version judged once stays judged.
    options.today = Some(options.today.unwrap_or_else(Date::today));
    let mut bar = messages::Progress::new("reading the history");
    let found = stats::history::compute(&history, &args.paths, &options, &mut |done, of| {
        bar.set(done, of);
    })
    .map_err(Error::Revision)?;
    bar.finish();
    if found.truncated {
        messages::note(&format!(
            "only the {} most recent commits were read; --since REV|DATE reads a part of the history",
            found.commits
        ));
    }
    let text = match args.format {
        StatsFormat::Table => stats_history::render_table(&found),
        StatsFormat::Json => stats_history::render_json(&found),
        StatsFormat::Csv => stats_history::render_csv(&found),
    };
    super::print_out(&text)?;
    Ok(Exit::Ok)
}
