use crate::Exit;
use crate::error::Error;
use crate::rules::{INVALID_FILE, INVALID_FILE_SUMMARY, RULES};

pub fn run() -> Result<Exit, Error> {
    let width = RULES
        .iter()
        .map(|r| r.code.as_str().len())
        .chain([INVALID_FILE.len()])
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for rule in RULES {
        text.push_str(&format!(
            "{:width$}  {}\n{:width$}  default: {}\n",
            rule.code.as_str(),
            rule.summary,
            "",
            rule.default
        ));
    }
    // Not a rule one can configure, but the id CI tools see (SARIF) for
    // an engagement that cannot be read.
    text.push_str(&format!(
        "{INVALID_FILE:width$}  {INVALID_FILE_SUMMARY}\n{:width$}  default: error (cannot be changed)\n",
        ""
    ));
    super::print_out(&text)?;
    Ok(Exit::Ok)
}
