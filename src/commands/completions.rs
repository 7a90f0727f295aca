//! `handoff completions SHELL`: a completion script generated from the
//! clap definitions, so it always knows every command and option.

use clap::CommandFactory as _;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::Error;
use crate::error::Exit;

pub fn run(args: &CompletionsArgs) -> Result<Exit, Error> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "handoff", &mut script);
    // The script is what was asked for: `-q` has nothing to leave out.
    super::print_always(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Ok)
}
