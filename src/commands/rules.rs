//! `handoff rules`: every rule code with its default severity, as text or
//! as JSON (`handoff-rules/1`, docs/json.md) for tools.

use serde::Serialize;

use crate::cli::{RulesArgs, RulesFormat};
use crate::error::Error;
use crate::error::Exit;
use crate::output::json_text;
use crate::rules::explanation::docs_anchor;
use crate::rules::{INVALID_FILE, INVALID_FILE_SUMMARY, RULES};

pub const SCHEMA: &str = "handoff-rules/1";

#[derive(Debug, Serialize)]
struct RulesDoc {
    schema: &'static str,
    rules: Vec<RuleRow>,
}

#[derive(Debug, Serialize)]
struct RuleRow {
    code: &'static str,
    default_severity: &'static str,
    summary: &'static str,
    docs: String,
}

pub fn run(args: &RulesArgs) -> Result<Exit, Error> {
    let text = match args.format {
        RulesFormat::Text => text(),
        RulesFormat::Json => json_text(&RulesDoc {
            schema: SCHEMA,
            rules: RULES
                .iter()
                .map(|r| RuleRow {
                    code: r.code.as_str(),
                    default_severity: r.default.as_str(),
                    summary: r.summary,
                    docs: docs_anchor(r.code),
                })
                .collect(),
        }),
    };
    // The list is what was asked for: `-q` has nothing to leave out.
    super::print_always(&text)?;
    Ok(Exit::Ok)
}

fn text() -> String {
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
    text
}
