//! Documents by audience: the customer PID of every example shows no value
//! of a field declared internal or private (nor, on a fixed price, any
//! effort figure), found by walking the declarations over the example's own
//! files, so a field declared internal tomorrow is checked tomorrow. Also:
//! the margins worked out from internal fields stay out, gaps reach the
//! customer only in their `customer_summary`, and every document says who it
//! is for.
//!
//! Self-contained: it uses no shared test helpers.
#![allow(clippy::expect_used, clippy::panic)] // tests report failure by panicking

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handoff::format::{money, number, percent};
use handoff::load::{FsTree, load_all};
use handoff::model::decl::{self, Audience, AudienceRule, Declared, FieldType, KindDecl, Value};
use handoff::model::{ContractType, Engagement};

const EXAMPLES: [&str; 3] = ["acme-wms", "harbour-kitchen", "nordwind-crm"];
/// A cost rate given on the command line, as a PM would.
pub(crate) const COST_RATE: &str = "517.5";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn handoff_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handoff"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("HANDOFF_COST_RATE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run handoff: {e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(crate) fn load(dir: &Path) -> Engagement {
    let loaded = load_all(&FsTree, &[dir.to_path_buf()]);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded
        .engagements
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no engagement in {}", dir.display()))
}

fn pid(dir: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec![
        "pid",
        ".",
        "--today",
        "2026-03-10",
        "--cost-rate",
        COST_RATE,
    ];
    args.extend_from_slice(extra);
    let out = handoff_in(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (text(&out.stdout), text(&out.stderr))
}

/// One value the customer must not see, and how documents would print it.
#[derive(Debug)]
pub(crate) enum Secret {
    /// Printed as is, anywhere.
    Anywhere(String),
    /// A vocabulary word: looked for as a table cell in the rows that
    /// begin with the item (the same word may rightly appear elsewhere).
    Cell { row: String, word: String },
}

struct Walk<'a> {
    unit: &'static str,
    currency: Option<&'a str>,
    fixed_price: bool,
    out: Vec<(String, Secret)>,
}

impl Walk<'_> {
    /// Whether the customer may not see `path` of `root`'s kind.
    fn hidden(&self, root: &KindDecl, path: &str, audience: Audience) -> bool {
        audience != Audience::Customer
            || (self.fixed_price
                && root.audience_rules.iter().any(|r| {
                    matches!(r, AudienceRule::EffortOffFixedPrice { fields } if fields.contains(&path))
                }))
    }

    fn secret(&mut self, what: String, row: &str, ty: &FieldType, value: &Value<'_>) {
        match (ty, value) {
            (FieldType::Vocab { .. }, Value::Text(word)) => self.out.push((
                what,
                Secret::Cell {
                    row: row.to_string(),
                    word: (*word).to_string(),
                },
            )),
            (_, Value::Text(t)) if !t.trim().is_empty() => {
                self.out
                    .push((what, Secret::Anywhere(t.trim().to_string())));
            }
            (FieldType::Fraction, Value::Num(x)) => {
                self.out.push((what, Secret::Anywhere(percent(*x))));
            }
            (_, Value::Num(x)) if *x != 0.0 => {
                // As documents print amounts: with the effort unit or money.
                for shown in [
                    format!("{} {}", number(*x), self.unit),
                    format!("{} {}", number(x.abs()), self.unit),
                    money(*x, self.currency),
                ] {
                    self.out.push((what.clone(), Secret::Anywhere(shown)));
                }
            }
            (FieldType::List(inner), Value::List(items)) => {
                for item in items {
                    self.secret(what.clone(), row, inner, item);
                }
            }
            _ => {}
        }
    }

    /// Every hidden value of a record of `kind`, its paths relative to the
    /// item's own kind `root` (where the value rules are declared).
    fn record(
        &mut self,
        root: &KindDecl,
        prefix: &str,
        kind: &KindDecl,
        row: &str,
        rec: &Value<'_>,
    ) {
        for f in kind.fields {
            let path = format!("{prefix}{}", f.key);
            let value = rec.get(f.key);
            match (f.ty, value) {
                (FieldType::Record(sub), _) => {
                    self.record(root, &format!("{path}."), sub, row, value);
                }
                (FieldType::List(FieldType::Record(sub)), Value::List(items)) => {
                    for item in items {
                        self.record(root, &format!("{path}."), sub, row, item);
                    }
                }
                _ if self.hidden(root, &path, f.audience) => {
                    self.secret(format!("{}.{path}", root.name), row, &f.ty, value);
                }
                _ => {}
            }
        }
    }

    fn items<T: Declared>(&mut self, items: &[T], row: impl Fn(&T) -> String) {
        for item in items {
            self.record(T::DECL, "", T::DECL, &row(item), &item.record());
        }
    }
}

/// Every value of `e` the customer may not see (tests/html.rs looks for
/// them in the HTML pages too).
pub(crate) fn secrets(e: &Engagement) -> Vec<(String, Secret)> {
    let mut walk = Walk {
        unit: e.handoff.effort.unit_name(),
        currency: e.handoff.contract.currency.as_deref(),
        fixed_price: !matches!(
            e.handoff.contract.kind,
            Some(ContractType::TimeAndMaterials | ContractType::CappedTm | ContractType::Retainer)
        ),
        out: Vec::new(),
    };
    walk.record(
        &decl::HANDOFF,
        "",
        &decl::HANDOFF,
        e.id(),
        &e.handoff.record(),
    );
    walk.items(&e.stakeholders, |s| s.display_name().to_string());
    walk.items(&e.promises, |p| p.id.value.clone());
    walk.items(&e.scope, |s| s.id.value.clone());
    walk.items(&e.gaps, |g| g.id.value.clone());
    walk.out
}

fn leaks(doc: &str, secrets: &[(String, Secret)]) -> Vec<String> {
    let mut found = Vec::new();
    for (what, secret) in secrets {
        match secret {
            Secret::Anywhere(s) => {
                if doc.contains(s.as_str()) {
                    found.push(format!("{what}: {s}"));
                }
            }
            Secret::Cell { row, word } => {
                let cell = format!("| {word} |");
                if doc
                    .lines()
                    .any(|l| l.starts_with(&format!("| {row} |")) && l.contains(&cell))
                {
                    found.push(format!("{what}: {word} in the row of {row}"));
                }
            }
        }
    }
    found
}

/// A template that prints every variable the PID context has, whatever
/// the audience: what the filter let through, not what the default
/// template chose to show.
const DUMP: &str = "{% for v in [engagement, contract, readiness, sales_owner, project_manager, \
success_criteria, scope, not_fully_covered, stakeholders, approach, business_case, team, quality, \
change_requests, risks, communication, plan, tolerances, promises, gaps, signoffs] %}{{ v }}\n{% endfor %}";

/// The leaks of a dump: values anywhere, words as `"key": "word"`.
fn dump_leaks(dump: &str, secrets: &[(String, Secret)]) -> Vec<String> {
    let mut found = leaks(dump, secrets);
    for (what, secret) in secrets {
        if let Secret::Cell { word, .. } = secret {
            let key = what.rsplit('.').next().unwrap_or_default();
            let pair = format!("\"{key}\": \"{word}\"");
            if dump.contains(&pair) {
                found.push(format!("{what}: {pair}"));
            }
        }
    }
    found
}

#[test]
fn a_template_gets_no_internal_or_private_value_for_the_customer() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("dump.md.j2");
    std::fs::write(&template, DUMP).expect("write");
    let t = template.to_string_lossy().into_owned();
    for example in EXAMPLES {
        let dir = root().join("examples").join(example);
        let secrets = secrets(&load(&dir));
        let (customer, _) = pid(&dir, &["--template", &t]);
        let found = dump_leaks(&customer, &secrets);
        assert!(
            found.is_empty(),
            "{example} leaks to a template: {found:#?}"
        );
        assert!(!customer.contains(COST_RATE), "{example}");
        let (internal, _) = pid(&dir, &["--template", &t, "--audience", "internal"]);
        assert!(
            !dump_leaks(&internal, &secrets).is_empty(),
            "{example}: blind"
        );
    }
}

#[test]
fn the_customer_pid_of_every_example_shows_no_internal_or_private_value() {
    for example in EXAMPLES {
        let dir = root().join("examples").join(example);
        let e = load(&dir);
        let secrets = secrets(&e);
        assert!(secrets.len() > 5, "{example}: too few values to look for");
        let (customer, _) = pid(&dir, &[]);
        let (internal, _) = pid(&dir, &["--audience", "internal", "--include-private"]);
        let found = leaks(&customer, &secrets);
        assert!(
            found.is_empty(),
            "{example} leaks to the customer: {found:#?}"
        );
        // The search finds them where they belong, so it is not blind.
        assert!(
            !leaks(&internal, &secrets).is_empty(),
            "{example}: the internal PID shows none of the values looked for"
        );
        // The cost rate and what comes of it.
        assert!(!customer.contains(COST_RATE), "{example}");
        for word in [
            "Margin at",
            "Target margin",
            "Margin floor",
            "at risk",
            "attitude",
            "influence",
        ] {
            assert!(
                !customer.contains(word),
                "{example}: customer PID says {word}"
            );
        }
    }
}

#[test]
fn the_margins_the_internal_pid_shows_are_not_in_the_customer_pid() {
    let dir = root().join("examples").join("nordwind-crm");
    let (customer, _) = pid(&dir, &[]);
    let (internal, _) = pid(&dir, &["--audience", "internal"]);
    let margins: Vec<&str> = internal
        .lines()
        .filter(|l| l.starts_with("| Margin at"))
        .filter_map(|l| l.split('|').nth(2))
        .map(|v| v.trim().split(", ").next().unwrap_or_default())
        .filter(|v| *v != "-")
        .collect();
    assert_eq!(margins.len(), 3, "{internal}");
    for m in margins {
        assert!(!customer.contains(m), "customer PID shows {m}");
    }
}

#[test]
fn every_pid_says_its_audience_and_the_internal_one_warns() {
    let dir = root().join("examples").join("harbour-kitchen");
    let (customer, _) = pid(&dir, &[]);
    let (internal, _) = pid(&dir, &["--audience", "internal"]);
    assert!(customer.contains("- **Audience:** customer"), "{customer}");
    assert!(!customer.contains("Internal: contains margins"));
    assert!(internal.contains("- **Audience:** internal"), "{internal}");
    assert!(
        internal.contains("> **Internal: contains margins and stakeholder assessments.**"),
        "{internal}"
    );
}

#[test]
fn effort_stays_for_time_and_materials_and_goes_for_a_fixed_price() {
    // The kitchen is capped time and materials: the customer buys hours.
    let (kitchen, _) = pid(&root().join("examples/harbour-kitchen"), &[]);
    assert!(kitchen.contains("| Effort sold | 640 hours |"), "{kitchen}");
    // The total the customer is billed against: internal work included.
    assert!(kitchen.contains("| Effort scoped, all work included | 448 hours |"));
    let (crm, _) = pid(&root().join("examples/nordwind-crm"), &[]);
    assert!(!crm.contains(" days"), "fixed price shows effort: {crm}");
}

#[test]
fn finding_messages_stay_out_of_the_customer_pid_but_the_counts_stay() {
    let dir = root().join("examples").join("acme-wms");
    let (customer, _) = pid(&dir, &[]);
    let (internal, _) = pid(&dir, &["--audience", "internal"]);
    let counts = |doc: &str| {
        doc.lines()
            .find(|l| l.starts_with("- **Readiness"))
            .map(str::to_string)
    };
    assert_eq!(counts(&customer), counts(&internal));
    assert!(customer.contains("not ready for kickoff"));
    let messages: Vec<&str> = internal
        .lines()
        .skip_while(|l| !l.contains("not ready for kickoff"))
        .take_while(|l| l.starts_with('>'))
        .filter_map(|l| l.strip_prefix("> - "))
        .collect();
    assert!(!messages.is_empty(), "{internal}");
    for m in messages {
        assert!(!customer.contains(m), "customer PID quotes: {m}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn a_gap_reaches_the_customer_only_in_its_customer_summary() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nw");
    copy_dir(&root().join("examples/nordwind-crm"), &dir);
    // The example words its gaps for the customer; start from none.
    let gaps: String = std::fs::read_to_string(dir.join("gaps.yaml"))
        .expect("read")
        .lines()
        .filter(|l| !l.trim_start().starts_with("customer_summary:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let internal = "Nordwind asked to migrate five years of contact history instead of three.";
    assert!(gaps.contains(internal));
    let worded = "Five years of contact history are migrated, as agreed in CR-001.";
    let gaps = gaps.replacen(
        &format!("summary: \"{internal}\""),
        &format!("summary: \"{internal}\"\n    customer_summary: \"{worded}\""),
        1,
    );
    std::fs::write(dir.join("gaps.yaml"), gaps).expect("write");

    let (customer, stderr) = pid(&dir, &[]);
    assert!(customer.contains(worded), "{customer}");
    assert!(!customer.contains(internal), "{customer}");
    assert!(customer.contains("| G-04 | CR-001 |"), "{customer}");
    assert!(!customer.contains("| G-01 |"), "{customer}");
    assert_eq!(
        stderr,
        "note: gaps G-01, G-02, G-03 are left out of the customer document: no `customer_summary` (the wording agreed for the customer) is written\n"
    );
    // The internal document keeps the team's own words, and says nothing.
    let (internal_doc, stderr) = pid(&dir, &["--audience", "internal"]);
    assert!(internal_doc.contains(internal));
    assert_eq!(stderr, "");
}

#[test]
fn the_note_on_gaps_left_out_names_five_and_counts_the_rest() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("nw");
    copy_dir(&root().join("examples/nordwind-crm"), &dir);
    // Twelve more gaps without a customer wording: the note stays one line.
    let mut gaps = std::fs::read_to_string(dir.join("gaps.yaml")).expect("read");
    for i in 1..=12 {
        gaps.push_str(&format!(
            "  - id: X-{i:02}\n    promise: P-01\n    kind: partial\n    summary: internal only\n    criticality: minor\n    status: open\n"
        ));
    }
    std::fs::write(dir.join("gaps.yaml"), gaps).expect("write");
    let (_, stderr) = pid(&dir, &[]);
    assert_eq!(
        stderr,
        "note: gaps X-01, X-02, X-03, X-04, X-05 and 7 more are left out of the customer document: no `customer_summary` (the wording agreed for the customer) is written\n"
    );
}

#[test]
fn the_examples_word_their_gaps_for_the_customer_and_acme_keeps_some_internal() {
    // Every gap of the kitchen and of Nordwind is worded for the customer.
    for example in ["harbour-kitchen", "nordwind-crm"] {
        let (_, stderr) = pid(&root().join("examples").join(example), &[]);
        assert_eq!(stderr, "", "{example}");
    }
    // Acme's estimate gaps and the loss it absorbed stay internal, and the
    // command says so.
    let (customer, stderr) = pid(&root().join("examples/acme-wms"), &[]);
    assert_eq!(
        stderr,
        "note: gaps G-03, G-05, G-06 are left out of the customer document: no `customer_summary` (the wording agreed for the customer) is written\n"
    );
    for shown in ["| G-01 |", "| G-02 |", "| G-04 |", "| G-07 |"] {
        assert!(customer.contains(shown), "{shown}");
    }
    for hidden in ["| G-03 |", "| G-05 |", "| G-06 |"] {
        assert!(!customer.contains(hidden), "{hidden}");
    }
}

#[test]
fn private_notes_cannot_go_into_a_customer_pid() {
    let dir = root().join("examples").join("nordwind-crm");
    let out = handoff_in(
        &dir,
        &["pid", ".", "--audience", "customer", "--include-private"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("private notes never go to the customer"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_customer_report_has_no_margins_and_says_who_it_is_for() {
    let dir = root().join("examples").join("acme-wms");
    let args = [
        "report",
        ".",
        "--today",
        "2026-03-10",
        "--cost-rate",
        COST_RATE,
    ];
    let internal = handoff_in(&dir, &args);
    let internal = text(&internal.stdout);
    assert!(internal.contains("  audience: internal"), "{internal}");
    assert!(internal.contains("  margin: "), "{internal}");
    let mut customer_args = args.to_vec();
    customer_args.extend(["--audience", "customer"]);
    let out = handoff_in(&dir, &customer_args);
    assert_eq!(out.status.code(), Some(0));
    let customer = text(&out.stdout);
    assert!(customer.contains("  audience: customer"), "{customer}");
    assert!(!customer.contains("margin"), "{customer}");
    assert!(!customer.contains("effort:"), "fixed price: {customer}");
    assert!(!customer.contains("sold (days)"), "{customer}");
    let e = load(&dir);
    // The terminal table as markdown-like rows, so cells can be matched.
    let rows: Vec<String> = customer
        .replace(['│', '┆'], "|")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let found = leaks(&rows.join("\n"), &secrets(&e));
    assert!(found.is_empty(), "{found:#?}");
    assert!(text(&out.stderr).contains("left out of the customer document"));

    customer_args.extend(["--format", "json"]);
    let out = handoff_in(&dir, &customer_args);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
}
