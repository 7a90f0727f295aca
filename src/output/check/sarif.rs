//! `handoff check --format sarif`: SARIF 2.1.0 for code-scanning tools.
//! One rule per finding code, with its documentation; each result carries
//! the finding's fingerprint (code + engagement id + item id) in
//! `partialFingerprints`, so a finding keeps its identity across commits
//! even when its line or wording changes. Documented in docs/check-formats.md.

use serde_json::{Value, json};

use crate::diag::Diagnostic;
use crate::evaluate::Evaluation;
use crate::finding::{Finding, Severity};
use crate::output::check::Unjudged;
use crate::output::{findings_most_severe_first, message_with_help};
use crate::rules::{INVALID_FILE, INVALID_FILE_SUMMARY, RULES};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key under `partialFingerprints`; the suffix versions the recipe.
pub const FINGERPRINT_KEY: &str = "handoffFinding/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The documented default ("error for must, ...") starts with the level
/// most findings of the rule get.
fn default_level(default: &str) -> &'static str {
    match default.split_whitespace().next() {
        Some("error") => "error",
        Some("warning") => "warning",
        _ => "note",
    }
}

/// `unscoped-promise` → `UnscopedPromise`, SARIF's readable rule name.
fn pascal(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

/// A relative path as a URI reference: unreserved characters and `/` kept,
/// everything else percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code.as_str(),
                "name": pascal(r.code.as_str()),
                "shortDescription": { "text": format!("Fires when {}.", r.summary) },
                "fullDescription": {
                    "text": format!("Fires when {}. Default severity: {}.", r.summary, r.default)
                },
                "help": {
                    "text": format!(
                        "{}: fires when {}. Default severity: {}; change it per rule in handoff.toml under [rules]. `handoff rules` lists every rule.",
                        r.code, r.summary, r.default
                    )
                },
                "defaultConfiguration": { "level": default_level(r.default.as_str()) },
            })
        })
        .collect()
}

/// The rule of [`INVALID_FILE`], after the finding rules.
fn invalid_file_rule() -> Value {
    let summary = INVALID_FILE_SUMMARY;
    json!({
        "id": INVALID_FILE,
        "name": pascal(INVALID_FILE),
        "shortDescription": { "text": format!("Fires when {summary}.") },
        "fullDescription": { "text": format!("Fires when {summary}. Default severity: error.") },
        "help": {
            "text": format!("{INVALID_FILE}: fires when {summary}. Fix the file; `handoff check` on the engagement shows each problem with its line.")
        },
        "defaultConfiguration": { "level": "error" },
    })
}

/// One problem that stops an engagement (or the whole run, when
/// `engagement` is `None`) from being judged.
fn invalid_result(engagement: Option<&str>, d: &Diagnostic) -> Value {
    let text = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let mut result = json!({
        "ruleId": INVALID_FILE,
        "ruleIndex": RULES.len(),
        "level": "error",
        "message": { "text": text },
        "properties": { "engagement": engagement },
    });
    if let (Some(loc), Some(obj)) = (&d.loc, result.as_object_mut()) {
        obj.insert(
            "locations".to_string(),
            json!([{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&loc.file) },
                    "region": {
                        "startLine": loc.pos.line.max(1),
                        "startColumn": loc.pos.column.max(1),
                    },
                },
            }]),
        );
    }
    result
}

fn result(engagement: &str, f: &Finding) -> Value {
    let index = RULES.iter().position(|r| r.code == f.code);
    let mut result = json!({
        "ruleId": f.code.as_str(),
        "level": level(f.severity),
        "message": { "text": message_with_help(f) },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&f.loc.file) },
                "region": {
                    "startLine": f.loc.pos.line.max(1),
                    "startColumn": f.loc.pos.column.max(1),
                },
            },
            "logicalLocations": [{
                "name": f.item,
                "fullyQualifiedName": format!("{engagement}/{}", f.item),
            }],
        }],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint(engagement) },
        "properties": { "engagement": engagement, "item": f.item },
    });
    if let (Some(i), Some(obj)) = (index, result.as_object_mut()) {
        obj.insert("ruleIndex".to_string(), json!(i));
    }
    result
}

pub fn render(evaluations: &[Evaluation<'_>], unjudged: Unjudged<'_>) -> String {
    let all = findings_most_severe_first(evaluations);
    // Problems first: an engagement that cannot be read is the most
    // severe thing to report.
    let mut results: Vec<Value> = unjudged
        .general
        .iter()
        .map(|d| invalid_result(None, d))
        .collect();
    for invalid in unjudged.invalid {
        results.extend(
            invalid
                .diagnostics
                .iter()
                .map(|d| invalid_result(Some(&invalid.dir), d)),
        );
    }
    results.extend(all.iter().map(|(e, f)| result(e, f)));
    let mut rules = rules();
    rules.push(invalid_file_rule());
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "handoff",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    crate::output::json_text(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("clients/acme wms/gaps.yaml"),
            "clients/acme%20wms/gaps.yaml"
        );
        assert_eq!(pascal("unscoped-promise"), "UnscopedPromise");
        assert_eq!(default_level("error for must, warning for should"), "error");
        assert_eq!(default_level("info"), "note");
    }
}
