//! MAP.toml: how one buyer's compliance matrix maps onto promises
//! (docs/rfp.md is the contract). Read once, checked whole: an unknown
//! key, a code mapped to a word that is no response, a header mapped
//! twice or a regular expression that does not compile is an error at its
//! file:line:column, every one in one run.
//!
//! This module owns the MAP.toml format and the `heading_id` regular
//! expression (regex-lite); `handoff.toml` stays with `crate::config`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diag::{Diagnostic, Sources};
use crate::model::{Commitment, EffortUnit, Loc, Priority, PromiseType, Response, Vocab};
use crate::toml_file::{self, Spanned};

/// A promise field a matrix column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Id,
    Asked,
    Response,
    Promised,
    SoldEffort,
    Priority,
    Title,
    Type,
}

impl Field {
    /// The key in `[columns]`, which is the promise field's key.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Asked => "asked",
            Field::Response => "response",
            Field::Promised => "promised",
            Field::SoldEffort => "sold_effort",
            Field::Priority => "priority",
            Field::Title => "title",
            Field::Type => "type",
        }
    }
}

/// One mapped column: the field it fills and its header in the matrix.
#[derive(Debug, Clone)]
pub struct Column {
    pub field: Field,
    /// As written in the map, for messages.
    pub header: String,
}

/// One entry of `[codes]` or `[priorities]`: the answer as written in
/// the map, and what it means.
#[derive(Debug, Clone)]
pub struct Code<T> {
    pub written: String,
    pub value: T,
}

/// Fields every promise created by the import gets (`[defaults]`).
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    pub kind: Option<PromiseType>,
    pub priority: Option<Priority>,
    pub commitment: Option<Commitment>,
    pub promised_by: Option<String>,
    pub promised_to: Option<String>,
    pub tags: Vec<String>,
}

/// A checked MAP.toml.
#[derive(Debug, Clone)]
pub struct Map {
    pub sheet: Option<String>,
    /// One-based, as a spreadsheet numbers rows.
    pub header_row: Option<usize>,
    pub heading_id: Option<regex_lite::Regex>,
    /// In the order of [`Field`]: id, asked, response first.
    pub columns: Vec<Column>,
    /// The unit of the sold-effort column; `None`: the engagement's.
    pub effort_unit: Option<EffortUnit>,
    pub codes: Vec<Code<Response>>,
    pub priorities: Vec<Code<Priority>>,
    pub defaults: Defaults,
}

impl Map {
    pub fn column(&self, field: Field) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The response an answer means, matched as the contract says:
    /// case-insensitive, surrounding spaces ignored.
    pub fn response_for(&self, answer: &str) -> Option<Response> {
        let answer = normalize(answer);
        self.codes
            .iter()
            .find(|c| normalize(&c.written) == answer)
            .map(|c| c.value)
    }

    pub fn priority_for(&self, value: &str) -> Option<Priority> {
        let value = normalize(value);
        if self.priorities.is_empty() {
            // No table: the matrix already uses handoff's words.
            return Priority::parse(&value);
        }
        self.priorities
            .iter()
            .find(|c| normalize(&c.written) == value)
            .map(|c| c.value)
    }

    /// Reads and checks a map file; its text goes into `sources` so that
    /// problems can quote it.
    pub fn from_file(path: &Path, sources: &mut Sources) -> Result<Map, Vec<Diagnostic>> {
        let file: Arc<str> = Arc::from(crate::load::display(path));
        let bytes = crate::fsutil::read_regular(path).map_err(|err| {
            vec![Diagnostic::general(format!(
                "cannot read the map {file}: {err}"
            ))]
        })?;
        // A map is a few dozen lines; a huge file is a mistake (a matrix
        // passed as --map), not something to parse.
        if bytes.len() > MAX_MAP_BYTES {
            return Err(vec![Diagnostic::general(format!(
                "the map {file} is {} bytes; a MAP.toml is a short text file (at most {MAX_MAP_BYTES} bytes)",
                bytes.len()
            ))
            .with_help("--map takes the TOML file that maps the matrix's columns (docs/rfp.md)")]);
        }
        let text =
            toml_file::text(bytes, &file, &format!("the map {file}")).map_err(|d| vec![d])?;
        sources.insert(&file, &text);
        Map::parse(&text, &file)
    }

    pub fn parse(text: &str, file: &Arc<str>) -> Result<Map, Vec<Diagnostic>> {
        // The reader's own wording is kept: a map's author reads docs/rfp.md.
        let raw: RawMap = toml_file::parse(text, file, str::to_string, "a map holds sheet, header_row, heading_id, [columns] (id, asked, response, promised, sold_effort, effort_unit, priority, title, type), [codes], [priorities] and [defaults] (type, priority, commitment, promised_by, promised_to, tags); docs/rfp.md")
            .map_err(|d| vec![d])?;
        let at = |span: std::ops::Range<usize>| toml_file::loc(file, text, span);
        let mut diags = Vec::new();

        let header_row = match raw.header_row {
            Some(row) if *row.get_ref() < 1 => {
                diags.push(
                    Diagnostic::at(
                        at(row.span()),
                        format!("header_row {} is not a row number", row.get_ref()),
                    )
                    .with_help("rows are numbered from 1, as the spreadsheet shows them"),
                );
                None
            }
            Some(row) => usize::try_from(*row.get_ref()).ok(),
            None => None,
        };

        let heading_id = raw.heading_id.and_then(|pattern| {
            // The size limit bounds what a hostile map can make the
            // matcher build.
            match regex_lite::RegexBuilder::new(pattern.get_ref())
                .size_limit(1 << 20)
                .build()
            {
                Ok(re) => Some(re),
                Err(err) => {
                    diags.push(
                        Diagnostic::at(
                            at(pattern.span()),
                            format!("heading_id is not a regular expression: {err}"),
                        )
                        .with_help("for ids such as `AP 1.00`, write heading_id = '\\.00$'"),
                    );
                    None
                }
            }
        });

        let c = raw.columns;
        let mut columns = Vec::new();
        for (field, header) in [
            (Field::Id, Some(c.id)),
            (Field::Asked, Some(c.asked)),
            (Field::Response, Some(c.response)),
            (Field::Promised, c.promised),
            (Field::SoldEffort, c.sold_effort),
            (Field::Priority, c.priority),
            (Field::Title, c.title),
            (Field::Type, c.kind),
        ] {
            let Some(header) = header else { continue };
            if normalize(header.get_ref()).is_empty() {
                diags.push(Diagnostic::at(
                    at(header.span()),
                    format!("the header of `{}` is empty", field.key()),
                ));
                continue;
            }
            if let Some(first) = columns
                .iter()
                .find(|col: &&Column| normalize(&col.header) == normalize(header.get_ref()))
            {
                diags.push(
                    Diagnostic::at(
                        at(header.span()),
                        format!(
                            "`{}` and `{}` are both mapped to the column \"{}\"",
                            first.field.key(),
                            field.key(),
                            header.get_ref()
                        ),
                    )
                    .with_help("each column fills one field: remove one of them"),
                );
                continue;
            }
            columns.push(Column {
                field,
                header: header.into_inner(),
            });
        }
        let effort_unit = c
            .effort_unit
            .and_then(|unit| vocab_at::<EffortUnit>(&unit, &at, &mut diags));
        if effort_unit.is_some() && columns.iter().all(|col| col.field != Field::SoldEffort) {
            diags.push(
                Diagnostic::general(format!(
                    "{file}: effort_unit is set but no sold_effort column is mapped"
                ))
                .with_help("map the effort column too, e.g. sold_effort = \"Hours to Modify\""),
            );
        }

        let codes = codes_of::<Response>(raw.codes, "[codes]", &at, &mut diags);
        if codes.is_empty() && diags.is_empty() {
            diags.push(
                Diagnostic::general(format!("{file}: [codes] maps no answer"))
                    .with_help("list each answer of the matrix, e.g. S = \"standard\""),
            );
        }
        let priorities = raw
            .priorities
            .map(|p| codes_of::<Priority>(p, "[priorities]", &at, &mut diags))
            .unwrap_or_default();
        if !priorities.is_empty() && columns.iter().all(|col| col.field != Field::Priority) {
            diags.push(
                Diagnostic::general(format!(
                    "{file}: [priorities] is set but no priority column is mapped"
                ))
                .with_help("map it in [columns], e.g. priority = \"Requirement Type\""),
            );
        }

        let defaults = raw.defaults.map_or_else(Defaults::default, |d| Defaults {
            kind: d.kind.and_then(|v| vocab_at(&v, &at, &mut diags)),
            priority: d.priority.and_then(|v| vocab_at(&v, &at, &mut diags)),
            commitment: d.commitment.and_then(|v| vocab_at(&v, &at, &mut diags)),
            promised_by: d.promised_by.map(Spanned::into_inner),
            promised_to: d.promised_to.map(Spanned::into_inner),
            tags: d
                .tags
                .unwrap_or_default()
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
        });

        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Map {
            sheet: raw.sheet.map(Spanned::into_inner),
            header_row,
            heading_id,
            columns,
            effort_unit,
            codes,
            priorities,
            defaults,
        })
    }
}

/// The most a map file may hold.
const MAX_MAP_BYTES: usize = 256 * 1024;

/// How headers and answers are compared: case-insensitive, surrounding
/// spaces ignored, and a run of spaces or line breaks inside counted as
/// one space (header cells are often wrapped onto two lines).
pub fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn vocab_at<V: Vocab>(
    value: &Spanned<String>,
    at: &dyn Fn(std::ops::Range<usize>) -> Loc,
    diags: &mut Vec<Diagnostic>,
) -> Option<V> {
    let written = value.get_ref().trim();
    if let Some(v) = V::parse(written) {
        return Some(v);
    }
    let mut diag = Diagnostic::at(
        at(value.span()),
        format!(
            "`{written}` is not a {}; one of: {}",
            V::WHAT,
            V::NAMES.join(", ")
        ),
    );
    if let Some(meant) = crate::load::hints::synonym(written, V::NAMES)
        .or_else(|| crate::diag::suggest(written, V::NAMES))
    {
        diag = diag.with_help(format!("did you mean `{meant}`?"));
    }
    diags.push(diag);
    None
}

fn codes_of<V: Vocab>(
    table: BTreeMap<Spanned<String>, Spanned<String>>,
    what: &str,
    at: &dyn Fn(std::ops::Range<usize>) -> Loc,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Code<V>> {
    let mut entries: Vec<_> = table.into_iter().collect();
    // In the order written, so messages list the codes as the map does.
    entries.sort_by_key(|(key, _)| key.span().start);
    let mut codes: Vec<Code<V>> = Vec::new();
    for (key, value) in entries {
        if let Some(first) = codes
            .iter()
            .find(|c| normalize(&c.written) == normalize(key.get_ref()))
        {
            diags.push(
                Diagnostic::at(
                    at(key.span()),
                    format!(
                        "{what}: `{}` and `{}` are the same answer (case and spaces are ignored)",
                        first.written,
                        key.get_ref()
                    ),
                )
                .with_help("keep one of them"),
            );
            continue;
        }
        if let Some(v) = vocab_at::<V>(&value, at, diags) {
            codes.push(Code {
                written: key.into_inner(),
                value: v,
            });
        }
    }
    codes
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMap {
    sheet: Option<Spanned<String>>,
    header_row: Option<Spanned<i64>>,
    heading_id: Option<Spanned<String>>,
    columns: RawColumns,
    codes: BTreeMap<Spanned<String>, Spanned<String>>,
    priorities: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    defaults: Option<RawDefaults>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    id: Spanned<String>,
    asked: Spanned<String>,
    response: Spanned<String>,
    promised: Option<Spanned<String>>,
    sold_effort: Option<Spanned<String>>,
    effort_unit: Option<Spanned<String>>,
    priority: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    priority: Option<Spanned<String>>,
    commitment: Option<Spanned<String>>,
    promised_by: Option<Spanned<String>>,
    promised_to: Option<Spanned<String>>,
    tags: Option<Vec<Spanned<String>>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Map, Vec<Diagnostic>> {
        Map::parse(text, &Arc::from("MAP.toml"))
    }

    fn errors(text: &str) -> Vec<String> {
        match parse(text) {
            Ok(_) => Vec::new(),
            Err(diags) => diags
                .iter()
                .map(|d| match &d.loc {
                    Some(loc) => format!("{loc}: {}", d.message),
                    None => d.message.clone(),
                })
                .collect(),
        }
    }

    const ERP: &str = r#"
heading_id = '\.00$'
[columns]
id = "Reference Number"
asked = "Business Requirements"
response = "Vendor Response"
sold_effort = "Hours to Modify"
effort_unit = "hours"
[codes]
S = "standard"
M = "custom"
[defaults]
commitment = "proposal"
"#;

    #[test]
    fn the_issue_example_reads() {
        let map = parse(ERP).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(map.response_for(" s "), Some(Response::Standard));
        assert_eq!(map.response_for("X"), None);
        assert_eq!(map.effort_unit, Some(EffortUnit::Hours));
        assert_eq!(map.defaults.commitment, Some(Commitment::Proposal));
        assert!(
            map.heading_id
                .as_ref()
                .is_some_and(|re| re.is_match("AP 1.00"))
        );
        assert!(
            map.heading_id
                .as_ref()
                .is_some_and(|re| !re.is_match("AP 1.01"))
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_at_its_line_and_column() {
        let text = ERP.replace("[codes]", "[codes]\n").replace(
            "response = \"Vendor Response\"",
            "response = \"Vendor Response\"\nanswer = \"x\"",
        );
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("MAP.toml:7:1: "), "{errs:?}");
        assert!(errs[0].contains("answer"), "{errs:?}");
    }

    #[test]
    fn a_code_mapped_to_no_response_is_an_error_with_a_suggestion() {
        let text = ERP.replace("S = \"standard\"", "S = \"standrd\"");
        let diags = parse(&text).err().unwrap_or_default();
        assert_eq!(diags.len(), 1);
        assert!(diags[0].message.contains("`standrd` is not a response"));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `standard`?"));
        assert_eq!(diags[0].loc.as_ref().map(|l| l.pos.line), Some(10));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = ERP
            .replace("'\\.00$'", "'(['")
            .replace("\"hours\"", "\"weeks\"")
            .replace("\"proposal\"", "\"promise\"");
        assert_eq!(errors(&text).len(), 3, "{:?}", errors(&text));
    }

    #[test]
    fn codes_differing_only_in_case_are_one_answer() {
        let text = ERP.replace("M = \"custom\"", "s = \"custom\"");
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("are the same answer"), "{errs:?}");
    }

    #[test]
    fn one_column_for_two_fields_is_an_error() {
        let text = ERP.replace(
            "sold_effort = \"Hours to Modify\"",
            "sold_effort = \"Hours to Modify\"\npromised = \"vendor response\"",
        );
        let errs = errors(&text);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("are both mapped"), "{errs:?}");
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let errs = errors(&ERP.replace("asked = \"Business Requirements\"\n", ""));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("asked"), "{errs:?}");
    }

    #[test]
    fn headers_compare_without_case_or_extra_spaces() {
        assert_eq!(normalize("  Vendor\n Response "), "vendor response");
    }
}
