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
use crate::stats::history::HistoryStats;
use crate::stats::{self, By};
use crate::workspace::{Options, Source, Workspace};

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
    let found = read_history(
        &repo,
        &args.paths,
        args.since.as_deref(),
        args.eval.options(),
    )?;
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

/// The history of the engagements under `paths` (all in `repo`, the
/// repository of the first), from `since` (a date or a revision): what
/// `stats --history` prints and the site's burn-down draws. Every commit
/// is judged with one date (`options.today`, else today).
pub(crate) fn read_history(
    repo: &Repo,
    paths: &[PathBuf],
    since: Option<&str>,
    mut options: Options,
) -> Result<HistoryStats, Error> {
    if let Some(outside) = paths.iter().find(|p| !repo.holds(p)) {
        let first = paths
            .first()
            .map_or_else(|| ".".to_string(), |p| crate::load::display(p));
        return Err(Refusal::new(format!(
            "{} is not inside the repository of {first}, so it has no history there",
            crate::load::display(outside),
        ))
        .into());
    }
    let walk = Walk {
        since: match since {
            None => None,
            Some(text) => Some(match Date::parse(text) {
                Some(date) => Since::Date(date),
                None => Since::Commit(repo.resolve(text, false).map_err(Error::Revision)?),
            }),
        },
        ..Walk::default()
    };
    let history = History::walk(repo, &walk).map_err(Error::Revision)?;
    // A commit off the first-parent chain would silently read the whole
    // history: say so instead.
    if let (Some(Since::Commit(start)), Some(text)) = (&walk.since, since)
        && history.commits().last().map(|c| c.id) != Some(start.oid)
        && !history.truncated()
    {
        return Err(Refusal::new(format!(
            "{text} is not on the first-parent history of HEAD, so the history cannot start there"
        ))
        .help("name a commit of the current branch (git log --first-parent), or a date")
        .into());
    }
    // One date for every commit, so a version judged once stays judged.
    options.today = Some(options.today.unwrap_or_else(Date::today));
    let mut bar = messages::Progress::new("reading the history");
    let found = stats::history::compute(&history, paths, &options, &mut |done, of| {
        bar.set(done, of);
    })
    .map_err(Error::Revision)?;
    bar.finish();
    Ok(found)
}
