//! `handoff stats`: promise quality across every engagement under the
//! paths, grouped; `--history` for every engagement at every commit.

use crate::cli::{StatsArgs, StatsBy, StatsFormat};
use crate::error::{Error, Exit, Refusal};
use crate::output::stats as print;
use crate::stats::{self, By};
use crate::workspace::{Source, Workspace};

/// A report: exit 0, or 2 when an engagement could not be read (after the
/// rest was counted and printed).
pub fn run(args: &StatsArgs) -> Result<Exit, Error> {
    if args.history {
        return Err(Refusal::new("stats --history is not built yet").into());
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
