//! Renders a custom PID template in a child process whose memory is capped.
//!
//! A template is code from the repository. Fuel bounds the instructions it
//! runs and a recursion limit its nesting, but one instruction can double a
//! string (`{% set s = s ~ s %}`), so thirty of them ask for more memory
//! than any machine has. The engine offers no hook to bound that; the
//! operating system does. `handoff pid --template FILE` therefore hands the
//! context to a copy of itself (the hidden `__render-template` command),
//! which caps its own address space at [`TEMPLATE_MEMORY`] before reading
//! anything, renders, and answers on stdout. A child that runs out of
//! memory dies; the parent reports that as a template error (exit 2), and
//! nothing is written. The built-in template is trusted and rendered in
//! the process itself.
//!
//! The child reads nothing but its stdin: the request carries the
//! template's name, its text and the context, so the cap covers all of the
//! template's work. Where address-space limits do not exist (not unix),
//! the template is rendered in the process, bounded by fuel alone.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Exit, Refusal};
use crate::output::pid::{self, Context};

/// The most memory (address space) a custom template's renderer may use.
/// A PID context of 100,000 items fits many times over.
pub const TEMPLATE_MEMORY: u64 = 2 << 30;

/// What the parent sends.
#[derive(Serialize, Deserialize)]
struct Request {
    template: String,
    source: String,
    context: serde_json::Value,
}

/// What the child answers: the document, or the template's error message.
#[derive(Serialize, Deserialize)]
enum Reply {
    Document(String),
    Failed(String),
}

/// Renders `source` over `ctx` in a capped child process.
pub fn render(ctx: &Context, template: &str, source: &str) -> Result<String, Error> {
    if !cfg!(unix) {
        return pid::render(ctx, template, source).map_err(|err| Error::Template(err.to_string()));
    }
    let context = serde_json::to_value(ctx).map_err(|err| {
        Error::Template(format!("cannot pass the context to the renderer: {err}"))
    })?;
    let request = serde_json::to_vec(&Request {
        template: template.to_string(),
        source: source.to_string(),
        context,
    })
    .map_err(|err| Error::Template(format!("cannot pass the context to the renderer: {err}")))?;
    let cannot_start = |err: std::io::Error| {
        Error::from(Refusal::new(format!(
            "cannot start the template renderer: {err}"
        )))
    };
    let exe = std::env::current_exe().map_err(cannot_start)?;
    let mut child = std::process::Command::new(exe)
        .arg("__render-template")
        .env_remove("HANDOFF_COST_RATE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        // The allocator's last words are not for the user: the parent says
        // what happened in their terms.
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(cannot_start)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A child that died early closes the pipe; its exit status tells.
        let _ = stdin.write_all(&request);
    }
    let output = child.wait_with_output().map_err(cannot_start)?;
    if !output.status.success() {
        return Err(Error::Template(format!(
            "{template} used more than {} GiB of memory, or stopped unexpectedly; nothing was written. Build long text in a loop that prints it rather than in one variable",
            TEMPLATE_MEMORY >> 30
        )));
    }
    match serde_json::from_slice::<Reply>(&output.stdout) {
        Ok(Reply::Document(text)) => Ok(text),
        Ok(Reply::Failed(message)) => Err(Error::Template(message)),
        Err(err) => Err(Error::Template(format!(
            "the template renderer gave no document: {err}"
        ))),
    }
}

/// The child's side: caps its memory, reads the request on stdin, renders
/// and answers on stdout.
pub fn serve() -> Result<Exit, Error> {
    #[cfg(unix)]
    rlimit::setrlimit(rlimit::Resource::AS, TEMPLATE_MEMORY, TEMPLATE_MEMORY).map_err(|err| {
        Error::from(Refusal::new(format!(
            "cannot cap the template renderer's memory: {err}"
        )))
    })?;
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let request: Request = serde_json::from_slice(&input).map_err(|err| {
        Error::from(Refusal::new(format!(
            "the template renderer reads a request from `handoff pid`, not this: {err}"
        )))
    })?;
    let reply = match pid::render_value(&request.context, &request.template, &request.source) {
        Ok(document) => Reply::Document(document),
        Err(err) => Reply::Failed(err.to_string()),
    };
    let text = serde_json::to_vec(&reply)
        .map_err(|err| Error::Template(format!("cannot answer: {err}")))?;
    std::io::stdout().write_all(&text)?;
    Ok(Exit::Ok)
}
