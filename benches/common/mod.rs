//! What the command benchmarks share: running `handoff` in-process as a
//! user would type it, timed. (Not a benchmark itself: cargo only finds
//! `benches/*.rs`.)

use std::time::{Duration, Instant};

use clap::Parser as _;

/// How long one `handoff` command took; a failure is printed, not hidden,
/// so a broken setup does not pass for a fast one.
pub fn time(args: &[&str]) -> Duration {
    let start = Instant::now();
    match handoff::cli::Cli::try_parse_from(args) {
        Ok(cli) => {
            if let Err(err) = handoff::run(cli) {
                println!("{args:?} failed: {err:?}");
            }
        }
        Err(err) => println!("{err}"),
    }
    start.elapsed()
}
