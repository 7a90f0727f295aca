use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = handoff::cli::Cli::parse();
    match handoff::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            handoff::output::messages::error(&err);
            handoff::Exit::CouldNotEvaluate.into()
        }
    }
}
