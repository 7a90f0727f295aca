use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = handoff::cli::Cli::parse();
    match handoff::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            handoff::Exit::CouldNotEvaluate.into()
        }
    }
}
