//! The long explanation of each rule, for `handoff explain CODE`. There is
//! one source: the rule's section of docs/rules.md, built into the binary,
//! so the page and the command cannot disagree.

use crate::finding::RuleCode;

const RULES_MD: &str = include_str!("../../docs/rules.md");

/// The `### code` section of docs/rules.md: when the rule fires, why it
/// matters, an example, what it reports and the fix. `None` only if the
/// page lacks the section, which a test rules out.
pub fn explanation(code: RuleCode) -> Option<&'static str> {
    let heading = format!("\n### {}\n", code.as_str());
    let start = RULES_MD.find(&heading)? + 1;
    let rest = &RULES_MD[start..];
    // A section ends at the rule after it, or at the page's next rule line.
    let body_start = heading.len() - 1;
    let end = [
        rest[body_start..].find("\n### "),
        rest[body_start..].find("\n---"),
    ]
    .into_iter()
    .flatten()
    .min()
    .map_or(rest.len(), |i| body_start + i + 1);
    Some(rest[..end].trim_end())
}

/// The link to the rule in the documentation, relative to the repository.
pub fn docs_anchor(code: RuleCode) -> String {
    format!("docs/rules.md#{}", code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_an_explanation_with_an_example_and_a_fix() {
        for &code in RuleCode::ALL {
            let text = explanation(code).unwrap_or_default();
            assert!(text.starts_with(&format!("### {code}\n")), "{code}: {text}");
            assert!(text.contains("**When:**"), "{code} says when it fires");
            assert!(text.contains("**Fix:**"), "{code} says how to fix it");
            assert!(text.contains("```"), "{code} has an example");
            assert!(!text.contains("\n### "), "{code} holds one section");
        }
    }
}
