//! Messages a non-programmer can act on: each mistake people make in the
//! files gets the exact words they see, with their own value converted to
//! what the format wants.
#![allow(clippy::panic)] // tests report failure by panicking

use crate::common;

use common::Fixture;

/// One finding's block in the text output of `handoff check .`.
fn finding_block(f: &Fixture, code: &str) -> String {
    let run = f.run(&["check", ".", "--today", "2026-03-10"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    run.stdout
        .split("\n\n")
        .find(|block| block.starts_with(&format!("error[{code}]")))
        .unwrap_or_else(|| panic!("no {code} in:\n{}", run.stdout))
        .to_string()
}

/// handoff.yaml of the clean fixture with its `effort` or `contract` line
/// replaced by a block, so a comma in a value stays in the value.
fn handoff_with(section: &str, block: &str) -> String {
    common::HANDOFF
        .lines()
        .map(|line| {
            if line.starts_with(&format!("{section}:")) {
                block.to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

const CONTRACT: &str = "contract:\n  type: fixed_price\n  currency: EUR\n  services_value: 10000";
const EFFORT: &str = "effort:\n  unit: days\n  sold: 10\n  cost_rate: 500\n  target_margin: 0.3";

#[test]
fn a_colon_inside_text_asks_for_quotes() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("title: Order import", "title: Import: orders from SAP"),
    );
    assert_eq!(
        f.refused(),
        "\
error: promises.yaml is not valid YAML: text that contains `: ` must be in quotes
 --> promises.yaml:3:18
  |
3 |     title: Import: orders from SAP
  |                  ^
  |
  = help: put the whole text after `title:` in double quotes, like title: \"Import: orders\"

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_tab_is_reported_at_its_own_line() {
    let f = Fixture::clean();
    // The parser gives up one line early, at the end of `id: P-1`.
    f.write(
        "promises.yaml",
        "promises:\n  - id: P-1\n\t  title: Order import\n    priority: must\n",
    );
    assert_eq!(
        f.refused(),
        "\
error: promises.yaml is not valid YAML: this line is indented with a tab
 --> promises.yaml:3:1
  |
3 |       title: Order import
  | ^^^^^^^^^^^
  |
  = help: indent with spaces: YAML does not allow tabs for indentation

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opened() {
    let f = Fixture::clean();
    // The parser notices only at the next key, a line later.
    f.write(
        "promises.yaml",
        "promises:\n  - id: P-1\n    title: \"Order import\n    priority: must\n",
    );
    assert_eq!(
        f.refused(),
        "\
error: promises.yaml is not valid YAML: the quote (\") that starts here is never closed
 --> promises.yaml:3:12
  |
3 |     title: \"Order import
  |            ^^^^^^^^^^^^^
  |
  = help: end the text with \" on the same line; to use \" inside the text, put the text in ' quotes instead

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn money_with_a_currency_sign_and_separators_is_converted() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &handoff_with(
            "contract",
            &CONTRACT.replace("services_value: 10000", "services_value: €176,000"),
        ),
    );
    assert_eq!(
        f.refused(),
        "\
error: `services_value` must be a number (for example 12 or 0.35), found text
 --> handoff.yaml:7:19
  |
7 |   services_value: €176,000
  |                   ^^^^
  |
  = help: write 176000: no currency sign or thousands separator

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_percentage_is_converted_to_a_fraction() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &handoff_with(
            "effort",
            &EFFORT.replace("target_margin: 0.3", "target_margin: 28%"),
        ),
    );
    assert_eq!(
        f.refused(),
        "\
error: `target_margin` must be a number (for example 12 or 0.35), found text
  --> handoff.yaml:10:18
   |
10 |   target_margin: 28%
   |                  ^^^
   |
   = help: write 0.28: a fraction, so 28% is 0.28

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_quoted_number_asks_to_remove_the_quotes() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &handoff_with(
            "contract",
            &CONTRACT.replace("services_value: 10000", "services_value: \"231000\""),
        ),
    );
    assert_eq!(
        f.refused(),
        "\
error: `services_value` must be a number (for example 12 or 0.35), found text
 --> handoff.yaml:7:19
  |
7 |   services_value: \"231000\"
  |                   ^^^^^^^^
  |
  = help: remove the quotes: write 231000

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_decimal_comma_asks_for_a_point() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("effort: 10", "effort: 1,5"),
    );
    assert_eq!(
        f.refused(),
        "\
error: `effort` must be a number (for example 12 or 0.35), found text
 --> scope.yaml:5:13
  |
5 |     effort: 1,5
  |             ^
  |
  = help: use a point: 1.5

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_unit_after_an_effort_points_at_effort_unit() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("effort: 10", "effort: 8d"),
    );
    f.write(
        "handoff.yaml",
        &handoff_with("effort", &EFFORT.replace("sold: 10", "sold: 160 PT")),
    );
    assert_eq!(
        f.refused(),
        "\
error: `sold` must be a number (for example 12 or 0.35), found text
 --> handoff.yaml:8:9
  |
8 |   sold: 160 PT
  |         ^^^^^^
  |
  = help: write 160: the unit is set once in effort.unit

error: `effort` must be a number (for example 12 or 0.35), found text
 --> scope.yaml:5:13
  |
5 |     effort: 8d
  |             ^^
  |
  = help: write 8: the unit is set once in effort.unit

error: could not evaluate: 2 problems to fix first
"
    );
}

#[test]
fn a_dotted_date_is_converted() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!("{}    due: 31.05.2026\n", common::PROMISES),
    );
    assert_eq!(
        f.refused(),
        "\
error: `due` must be a date written YYYY-MM-DD, found `31.05.2026`
 --> promises.yaml:8:10
  |
8 |     due: 31.05.2026
  |          ^^^^^^^^^^
  |
  = help: did you mean 2026-05-31?

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_date_that_reads_two_ways_offers_both() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &format!("{}    due: 05/06/2026\n", common::PROMISES),
    );
    assert_eq!(
        f.refused(),
        "\
error: `due` must be a date written YYYY-MM-DD, found `05/06/2026`
 --> promises.yaml:8:10
  |
8 |     due: 05/06/2026
  |          ^^^^^^^^^^
  |
  = help: `05/06/2026` can be read two ways: write 2026-06-05 if the day comes first, 2026-05-06 if the month does

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn an_id_in_the_wrong_case_names_the_existing_id() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("covers: [P-1]", "covers: [p-1]"),
    );
    assert_eq!(
        finding_block(&f, "unknown-reference"),
        "\
error[unknown-reference]: scope item S-1 covers promise p-1, which does not exist
  --> scope.yaml:4:14
   = help: did you mean P-1?"
    );
}

#[test]
fn ids_written_as_one_text_ask_for_a_list() {
    let f = Fixture::clean();
    f.write(
        "scope.yaml",
        &common::SCOPE.replace("covers: [P-1]", "covers: P-1, P-2"),
    );
    assert_eq!(
        finding_block(&f, "unknown-reference"),
        "\
error[unknown-reference]: scope item S-1 covers promise P-1, P-2, which does not exist
  --> scope.yaml:4:13
   = help: write a list: covers: [P-1, P-2]"
    );
}

#[test]
fn a_file_that_starts_with_a_list_asks_for_its_key() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        "- id: P-1\n  title: Order import\n  priority: must\n",
    );
    assert_eq!(
        f.refused(),
        "\
error: the promises file starts with a list, but its first line must be `promises:`
 --> promises.yaml:1:1
  |
1 | - id: P-1
  | ^^^^
  |
  = help: start the file with `promises:` and indent the list under it

error: could not evaluate: 1 problem to fix first
"
    );
    // Likewise for every file whose items sit under one key.
    for kind in ["scope", "gaps", "stakeholders", "signoffs"] {
        let f = Fixture::clean();
        f.write(&format!("{kind}.yaml"), "- id: X-1\n");
        let err = f.refused();
        assert!(
            err.contains(&format!(
                "= help: start the file with `{kind}:` and indent the list under it\n"
            )),
            "{err}"
        );
    }
}

#[test]
fn handoff_yml_asks_to_be_renamed() {
    let f = Fixture::clean();
    f.write("handoff.yml", common::HANDOFF);
    f.remove("handoff.yaml");
    assert_eq!(
        f.refused(),
        "\
error: handoff.yml is not read: an engagement's main file must be called handoff.yaml
--> handoff.yml:1:1
 = help: rename handoff.yml to handoff.yaml

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn a_key_in_the_wrong_section_names_its_section() {
    let f = Fixture::clean();
    f.write(
        "handoff.yaml",
        &handoff_with("contract", &format!("{CONTRACT}\n  day_rate: 900")),
    );
    assert_eq!(
        f.refused(),
        "\
error: unknown key `day_rate` in the `contract` section
 --> handoff.yaml:8:3
  |
8 |   day_rate: 900
  |   ^^^^^^^^
  |
  = help: did you mean `effort.day_rate`? allowed keys here: type, currency, services_value, total_value, payment_terms, signed_on, documents

error: could not evaluate: 1 problem to fix first
"
    );
}

#[test]
fn common_synonyms_name_the_vocabulary_word() {
    let f = Fixture::clean();
    f.write(
        "promises.yaml",
        &common::PROMISES.replace("commitment: contractual", "commitment: oral"),
    );
    f.write(
        "stakeholders.yaml",
        &common::STAKEHOLDERS
            .replace(
                "roles: [executive, customer_pm]",
                "roles: [sponsor, customer_pm]",
            )
            .replace("org: supplier", "org: us"),
    );
    assert_eq!(
        f.refused(),
        "\
error: `oral` is not a valid commitment (`commitment`)
 --> promises.yaml:6:17
  |
6 |     commitment: oral
  |                 ^^^^
  |
  = help: did you mean `verbal`? allowed: contractual, proposal, verbal, side_deal

error: `sponsor` is not a valid role (`roles`)
 --> stakeholders.yaml:5:13
  |
5 |     roles: [sponsor, customer_pm]
  |             ^^^^^^^
  |
  = help: did you mean `executive`? allowed: executive, economic_buyer, senior_user, senior_supplier, customer_pm, sales_owner, presales, project_manager, team_manager, champion, procurement, technical_lead, finance, other

error: `us` is not a valid org (`org`)
  --> stakeholders.yaml:11:10
   |
11 |     org: us
   |          ^^
   |
   = help: did you mean `supplier`? allowed: customer, supplier, partner

error: could not evaluate: 3 problems to fix first
"
    );
}

#[test]
fn a_signer_key_in_the_wrong_case_names_the_stakeholder() {
    let f = Fixture::clean();
    let run = f.run(&["sign", "sales", "--by", "spm", "--date", "2026-03-01"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = f.path().join("signoffs.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    f.write("signoffs.yaml", &text.replace("by: spm", "by: SPM"));
    assert_eq!(
        finding_block(&f, "unknown-reference"),
        "\
error[unknown-reference]: the sales sign-off of 2026-03-01 is by SPM, who is not in stakeholders.yaml
  --> signoffs.yaml:7:9
   = help: did you mean spm?"
    );
}
