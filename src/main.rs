use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

fn main() -> ExitCode {
    let color = handoff::cli::clap_color(std::env::args_os());
    let matches = handoff::cli::Cli::command().color(color).get_matches();
    let cli = match handoff::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    // Everything written goes out before `run` returns (stdout is flushed
    // at exit as usual); what the command read need not be freed first.
    handoff::process::ends_after_command();
    match handoff::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            handoff::output::messages::error(&err);
            handoff::Exit::CouldNotEvaluate.into()
        }
    }
}
