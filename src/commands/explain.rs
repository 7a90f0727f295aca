//! `handoff explain CODE`: a rule's full explanation, like `rustc --explain`.

use crate::cli::ExplainArgs;
use crate::error::Exit;
use crate::error::{Error, Refusal};
use crate::finding::RuleCode;
use crate::rules::explanation::explanation;

pub fn run(args: &ExplainArgs) -> Result<Exit, Error> {
    let code = parse(&args.code).ok_or_else(|| unknown(&args.code))?;
    let text = explanation(code).ok_or_else(|| {
        Refusal::new(format!("there is no explanation of {code} in this build"))
            .help(format!("see docs/rules.md#{code}"))
    })?;
    super::print_always(&format!("{text}\n"))?;
    Ok(Exit::Ok)
}

/// `open-gap`, also as pasted from a finding: `error[open-gap]`, or with
/// other letter case or underscores.
fn parse(text: &str) -> Option<RuleCode> {
    let text = text.trim();
    let inner = match (text.find('['), text.rfind(']')) {
        (Some(open), Some(close)) if open < close => &text[open + 1..close],
        _ => text,
    };
    RuleCode::parse(&inner.trim().to_ascii_lowercase().replace('_', "-"))
}

fn unknown(text: &str) -> Refusal {
    let wanted = text.to_ascii_lowercase();
    let mut close: Vec<&str> = RuleCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| {
            !wanted.is_empty()
                && (c.contains(wanted.as_str())
                    || wanted
                        .split(['-', '_'])
                        .any(|w| w.len() > 2 && c.contains(w)))
        })
        .collect();
    close.truncate(5);
    let refusal = Refusal::new(format!("`{text}` is not a rule code"));
    if close.is_empty() {
        refusal.help("`handoff rules` lists every code")
    } else {
        refusal.help(format!(
            "did you mean {}? `handoff rules` lists every code",
            close.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_printed_in_findings() {
        assert_eq!(parse("open-gap"), Some(RuleCode::OpenGap));
        assert_eq!(parse("warning[open-gap]"), Some(RuleCode::OpenGap));
        assert_eq!(parse("Open_Gap"), Some(RuleCode::OpenGap));
        assert_eq!(parse("gap"), None);
    }
}
