//! `handoff pid`: the drafted Project Initiation Document, run through the
//! binary as a PM would run it.

// A test that cannot set up its files should stop right there.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const EXAMPLES: &[(&str, &[&str])] = &[
    ("acme-wms", &["--today", "2026-03-10"]),
    ("nordwind-crm", &[]),
    ("harbour-kitchen", &[]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn handoff_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(args)
        .current_dir(dir)
        .env_remove("HANDOFF_COST_RATE")
        .env("NO_COLOR", "1")
        .output()
        .expect("the handoff binary runs")
}

fn handoff(args: &[&str]) -> Output {
    handoff_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn pid_of(example: &str, extra: &[&str]) -> String {
    let path = format!("examples/{example}");
    let mut args = vec!["pid", path.as_str()];
    args.extend_from_slice(extra);
    let out = handoff(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

/// Copies an example engagement's YAML files into a fresh folder.
fn copy_example(example: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dest = tmp.path().join(example);
    copy_dir(&root().join("examples").join(example), &dest);
    (tmp, dest)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

#[test]
fn pid_of_acme_wms_says_not_ready_and_lists_what_blocks_kickoff() {
    let doc = pid_of("acme-wms", &["--today", "2026-03-10"]);
    assert!(
        doc.contains(
            "- **Readiness (`handoff check`):** not ready, with 17 errors and 11 warnings"
        )
    );
    assert!(doc.contains("> **This engagement is not ready for kickoff.**"));
    insta::assert_snapshot!("pid_acme_wms", doc);
}

#[test]
fn pid_of_nordwind_crm_is_ready() {
    let doc = pid_of("nordwind-crm", &[]);
    assert!(doc.contains("ready, with 0 errors and 0 warnings"));
    insta::assert_snapshot!("pid_nordwind_crm", doc);
}

#[test]
fn pid_of_harbour_kitchen_is_ready_with_warnings() {
    let doc = pid_of("harbour-kitchen", &[]);
    assert!(doc.contains("ready with warnings, with 0 errors and 3 warnings"));
    insta::assert_snapshot!("pid_harbour_kitchen", doc);
}

#[test]
fn the_readiness_verdict_is_the_one_check_gives() {
    for (example, extra) in EXAMPLES {
        let path = format!("examples/{example}");
        let mut args = vec!["check", path.as_str(), "--format", "json"];
        args.extend_from_slice(extra);
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&handoff(&args))).expect("check JSON");
        let e = &json["engagements"][0];
        let words = match e["verdict"].as_str() {
            Some("ready") => "ready",
            Some("ready_with_warnings") => "ready with warnings",
            _ => "not ready",
        };
        let line = format!(
            "**Readiness (`handoff check`):** {words}, with {} error",
            e["summary"]["errors"]
        );
        assert!(pid_of(example, extra).contains(&line), "{example}: {line}");
    }
}

/// The headings, in order, and every table's column counts.
struct Shape {
    headings: Vec<(HeadingLevel, String)>,
    tables: Vec<Vec<usize>>,
    /// Headings of the sections that hold a `TODO:` blockquote.
    todo_sections: Vec<String>,
}

fn shape(markdown: &str) -> Shape {
    let mut shape = Shape {
        headings: Vec::new(),
        tables: Vec::new(),
        todo_sections: Vec::new(),
    };
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut row_cells = 0;
    let mut quote_start = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    shape.headings.push(h);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
                if quote_start && t.starts_with("TODO:") {
                    let current = shape.headings.last().map(|(_, h)| h.clone());
                    shape.todo_sections.push(current.unwrap_or_default());
                }
                quote_start = false;
            }
            Event::Start(Tag::BlockQuote(_)) => quote_start = true,
            Event::Start(Tag::Table(_)) => shape.tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => row_cells = 0,
            Event::Start(Tag::TableCell) => row_cells += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(t) = shape.tables.last_mut() {
                    t.push(row_cells);
                }
            }
            _ => {}
        }
    }
    shape
}

const HEADINGS: &[(HeadingLevel, &str)] = &[
    (HeadingLevel::H2, "1. Project definition"),
    (HeadingLevel::H3, "1.1 Background"),
    (HeadingLevel::H3, "1.2 Objectives and desired outcomes"),
    (HeadingLevel::H3, "1.3 Scope and exclusions"),
    (HeadingLevel::H3, "1.4 Constraints and assumptions"),
    (HeadingLevel::H3, "1.5 Users and other interested parties"),
    (HeadingLevel::H3, "1.6 Interfaces"),
    (HeadingLevel::H2, "2. Project approach"),
    (HeadingLevel::H2, "3. Business case (supplier view)"),
    (HeadingLevel::H2, "4. Project management team structure"),
    (HeadingLevel::H2, "5. Role descriptions"),
    (HeadingLevel::H2, "6. Quality management approach"),
    (HeadingLevel::H2, "7. Change control approach"),
    (HeadingLevel::H2, "8. Risk management approach"),
    (HeadingLevel::H2, "9. Communication management approach"),
    (HeadingLevel::H2, "10. Project plan"),
    (HeadingLevel::H2, "11. Project controls"),
    (HeadingLevel::H2, "12. Tailoring"),
    (HeadingLevel::H2, "Appendix A: Promise and gap registers"),
    (HeadingLevel::H3, "A.1 Promise register"),
    (HeadingLevel::H3, "A.2 Gap register"),
    (HeadingLevel::H2, "Appendix B: Sign-offs"),
];

fn assert_structure(name: &str, doc: &str) -> Shape {
    let s = shape(doc);
    let (first, rest) = s.headings.split_first().expect("a title heading");
    assert_eq!(first.0, HeadingLevel::H1, "{name}");
    assert!(
        first.1.starts_with("Project Initiation Document: "),
        "{name}: {}",
        first.1
    );
    let got: Vec<(HeadingLevel, &str)> = rest.iter().map(|(l, t)| (*l, t.as_str())).collect();
    assert_eq!(got, HEADINGS, "{name}: heading sequence");
    assert!(!s.tables.is_empty(), "{name}: no tables found");
    for (i, rows) in s.tables.iter().enumerate() {
        let head = rows.first().copied().unwrap_or(0);
        assert!(head >= 2, "{name}: table {i} has {head} columns");
        assert!(
            rows.iter().all(|n| *n == head),
            "{name}: table {i} rows have differing column counts {rows:?}"
        );
    }
    s
}

#[test]
fn every_pid_follows_the_prince2_headings_and_its_tables_are_well_formed() {
    for (example, extra) in EXAMPLES {
        assert_structure(example, &pid_of(example, extra));
    }
}

#[test]
fn sections_with_data_show_no_prompt_and_the_others_do() {
    let s = shape(&pid_of("nordwind-crm", &[]));
    // Only what files cannot say: the delivery method, role descriptions, tailoring.
    assert_eq!(
        s.todo_sections,
        vec![
            "2. Project approach",
            "5. Role descriptions",
            "12. Tailoring"
        ]
    );

    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("handoff.yaml"), "id: BARE-1\nname: Bare\n").expect("write");
    let out = handoff_in(tmp.path(), &["pid", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = stdout(&out);
    let s = assert_structure("bare engagement", &doc);
    for section in [
        "1.1 Background",
        "1.2 Objectives and desired outcomes",
        "1.3 Scope and exclusions",
        "1.4 Constraints and assumptions",
        "1.5 Users and other interested parties",
        "1.6 Interfaces",
        "4. Project management team structure",
        "6. Quality management approach",
        "7. Change control approach",
        "8. Risk management approach",
        "9. Communication management approach",
        "10. Project plan",
        "A.1 Promise register",
    ] {
        assert!(
            s.todo_sections.iter().any(|t| t == section),
            "no prompt in {section}: {:?}",
            s.todo_sections
        );
    }
    assert!(doc.contains("not ready"), "{doc}");
}

#[test]
fn the_committed_example_pid_is_up_to_date() {
    let out = handoff(&[
        "pid",
        "examples/nordwind-crm",
        "--check",
        "examples/nordwind-crm/PID.md",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "examples/nordwind-crm/PID.md is stale; regenerate it with `handoff pid examples/nordwind-crm -o examples/nordwind-crm/PID.md`\n{}",
        stdout(&out)
    );
}

#[test]
fn check_names_the_sections_that_are_out_of_date() {
    let (_tmp, dir) = copy_example("nordwind-crm");
    let pid = dir.join("PID.md");
    let dir_s = dir.to_string_lossy().into_owned();
    let pid_s = pid.to_string_lossy().into_owned();
    let out = handoff(&["pid", &dir_s, "-o", &pid_s]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        handoff(&["pid", &dir_s, "--check", &pid_s]).status.code(),
        Some(0)
    );

    let handoff_yaml = dir.join("handoff.yaml");
    let text = std::fs::read_to_string(&handoff_yaml).expect("read");
    let changed = text.replace(
        "Portal load in the meter-reading campaign exceeds the tested volume",
        "Portal load in the meter-reading campaign is twice the tested volume",
    );
    assert_ne!(text, changed);
    std::fs::write(&handoff_yaml, changed).expect("write");

    let out = handoff(&["pid", &dir_s, "--check", &pid_s]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    // The edit also makes the sign-offs stale, so the title block's verdict
    // and Appendix B change with it.
    assert!(text.contains("3 sections differ"), "{text}");
    assert!(
        text.contains("  - 8. Risk management approach (changed)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("handoff pid {dir_s} -o {pid_s}")),
        "{text}"
    );
    // Checking never writes.
    assert!(
        !std::fs::read_to_string(&pid)
            .expect("read")
            .contains("twice the tested")
    );
}

#[test]
fn check_fails_with_exit_2_when_the_file_is_missing() {
    let out = handoff(&["pid", "examples/nordwind-crm", "--check", "no/such/PID.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read no/such/PID.md"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn output_refuses_to_overwrite_a_file_handoff_did_not_write() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("PID.md");
    std::fs::write(&file, "# Our hand-written PID\n").expect("write");
    let f = file.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/nordwind-crm", "-o", &f]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was not generated by handoff pid"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "# Our hand-written PID\n"
    );

    let out = handoff(&["pid", "examples/nordwind-crm", "-o", &f, "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        pid_of("nordwind-crm", &[])
    );
}

#[test]
fn output_overwrites_a_pid_it_generated_earlier() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("PID.md");
    let f = file.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/harbour-kitchen", "-o", &f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("wrote"));

    let out = handoff(&["pid", "examples/nordwind-crm", "-o", &f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("updated"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        pid_of("nordwind-crm", &[])
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "temporary files left behind: {leftovers:?}"
    );
}

fn private_notes(example: &str) -> Vec<String> {
    let text = std::fs::read_to_string(
        root()
            .join("examples")
            .join(example)
            .join("stakeholders.yaml"),
    )
    .expect("read stakeholders");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("notes: "))
        .map(|n| n.trim_matches('"').to_string())
        .collect()
}

#[test]
fn private_notes_never_appear_without_the_flag() {
    for (example, extra) in EXAMPLES {
        let notes = private_notes(example);
        assert!(!notes.is_empty(), "{example} has notes to protect");
        let doc = pid_of(example, extra);
        for note in &notes {
            assert!(!doc.contains(note.as_str()), "{example} leaked: {note}");
        }
        assert!(!doc.contains("PRIVATE"), "{example}");
    }
}

#[test]
fn private_notes_appear_with_include_private() {
    for (example, extra) in EXAMPLES {
        let mut args = extra.to_vec();
        args.push("--include-private");
        let doc = pid_of(example, &args);
        for note in private_notes(example) {
            assert!(doc.contains(&note), "{example} misses: {note}");
        }
        assert!(doc.contains("| private notes |"));
        assert_structure(example, &doc);
    }
}

#[test]
fn a_custom_template_cannot_reach_private_notes_without_the_flag() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("notes.md.j2");
    std::fs::write(
        &template,
        "{% for s in stakeholders %}{{ s.name }}: {{ s.notes }}\n{% endfor %}",
    )
    .expect("write");
    let t = template.to_string_lossy().into_owned();
    let doc = pid_of("nordwind-crm", &["--template", &t]);
    assert!(doc.contains("Katrin Brandt: None"), "{doc}");
    assert!(!doc.contains("PRIVATE"), "{doc}");
}

#[test]
fn a_custom_template_renders_with_the_marker_on_top() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("ours.md.j2");
    std::fs::write(
        &template,
        "# PID {{ engagement.id }}\n\nCustomer: {{ engagement.customer }}\nVerdict: {{ readiness.words }}\n{% for p in promises if p.coverage != \"covered\" %}\n- {{ p.id }} {{ p.coverage }}\n{% endfor %}\n",
    )
    .expect("write");
    let t = template.to_string_lossy().into_owned();
    let doc = pid_of("nordwind-crm", &["--template", &t]);
    insta::assert_snapshot!("pid_custom_template", doc);
}

#[test]
fn an_unknown_template_variable_is_an_error_naming_it_and_its_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("typo.md.j2");
    std::fs::write(
        &template,
        "# PID\n\nCustomer: {{ engagement.customer }}\nName: {{ engagement.nme }}\n",
    )
    .expect("write");
    let t = template.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/nordwind-crm", "--template", &t]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("`engagement.nme`"), "{err}");
    assert!(err.contains(&t), "{err}");
}

#[test]
fn an_unknown_variable_inside_a_filter_is_an_error_not_a_blank() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("typo.md.j2");
    std::fs::write(&template, "# PID\n\n| {{ engagement.nmae | cell }} |\n").expect("write");
    let t = template.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/nordwind-crm", "--template", &t]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("filter `cell`"), "{err}");
}

#[test]
fn a_template_syntax_error_is_reported_with_its_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let template = tmp.path().join("broken.md.j2");
    std::fs::write(&template, "# PID\n{% for p in promises %}\n{{ p.id }}\n").expect("write");
    let t = template.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/nordwind-crm", "--template", &t]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line "), "{}", stderr(&out));
}

#[test]
fn the_printed_template_renders_the_same_pid_as_the_built_in_one() {
    let out = handoff(&["pid", "--print-template"]);
    assert_eq!(out.status.code(), Some(0));
    let template = stdout(&out);
    assert!(template.contains("## 1. Project definition"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("pid.md.j2");
    std::fs::write(&file, &template).expect("write");
    let f = file.to_string_lossy().into_owned();
    assert_eq!(
        pid_of("acme-wms", &["--today", "2026-03-10", "--template", &f]),
        pid_of("acme-wms", &["--today", "2026-03-10"])
    );
}

#[test]
fn a_clean_engagement_gives_the_same_pid_whatever_the_date() {
    assert_eq!(
        pid_of("nordwind-crm", &["--today", "2020-01-01"]),
        pid_of("nordwind-crm", &["--today", "2031-12-31"])
    );
}

#[test]
fn the_pid_does_not_depend_on_the_folder_it_is_run_from() {
    let from_root = pid_of("acme-wms", &["--today", "2026-03-10"]);
    let out = handoff_in(
        &root().join("examples/acme-wms"),
        &["pid", "--today", "2026-03-10"],
    );
    assert_eq!(stdout(&out), from_root);
}

#[test]
fn a_folder_of_many_engagements_is_refused() {
    let out = handoff(&["pid", "examples"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("holds 3 engagements"), "{err}");
    assert!(err.contains("examples/nordwind-crm"), "{err}");
}

#[test]
fn check_accepts_a_pid_whose_line_endings_a_checkout_changed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("PID.md");
    std::fs::write(&file, pid_of("nordwind-crm", &[]).replace('\n', "\r\n")).expect("write");
    let f = file.to_string_lossy().into_owned();
    let out = handoff(&["pid", "examples/nordwind-crm", "--check", &f]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn output_and_check_agree_on_a_pid_with_crlf_and_a_byte_order_mark() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("PID.md");
    let written = format!(
        "\u{feff}{}",
        pid_of("nordwind-crm", &[]).replace('\n', "\r\n")
    );
    std::fs::write(&file, &written).expect("write");
    let f = file.to_string_lossy().into_owned();
    let check = handoff(&["pid", "examples/nordwind-crm", "--check", &f]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let out = handoff(&["pid", "examples/nordwind-crm", "-o", &f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("already up to date"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        written,
        "left as it was"
    );
}

/// `[discovery] exclude` leaves a folder out below a PATH for every
/// command that searches, not only `check`: `pid .` found the excluded
/// draft too and refused ("holds 2 engagements").
#[test]
fn a_folder_left_out_by_discovery_exclude_is_not_searched_by_pid() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(tmp.path().join(".git")).expect("git marker");
    std::fs::write(
        tmp.path().join("handoff.toml"),
        "[discovery]\nexclude = [\"drafts\"]\n",
    )
    .expect("config");
    for dir in ["live", "drafts/old"] {
        let dir = tmp.path().join(dir);
        std::fs::create_dir_all(&dir).expect("folder");
        for (name, text) in [
            ("handoff.yaml", crate::common::HANDOFF),
            ("stakeholders.yaml", crate::common::STAKEHOLDERS),
            ("promises.yaml", crate::common::PROMISES),
            ("scope.yaml", crate::common::SCOPE),
        ] {
            std::fs::write(dir.join(name), text).expect("file");
        }
    }
    let out = handoff_in(tmp.path(), &["pid", ".", "--today", "2026-03-10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Test engagement"), "{}", stdout(&out));
}

/// The written-out tables (`tables.*`, `phase.table`) and loops over the
/// lists they show, in one custom template: docs/pid.md promises that a
/// template wanting other columns can loop over the lists and start from
/// the same cells. The engagement has what the cells must get right: pipes,
/// `<`, backslashes and padding in text, empty values, a partial scope item,
/// a withdrawn promise, a promise with two decisions and one with none.
#[test]
fn the_written_out_tables_are_what_loops_over_the_lists_give() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("e");
    std::fs::create_dir(&dir).expect("mkdir");
    let files = [
        (
            "handoff.yaml",
            "id: T-1\nname: Tables\ncustomer: { name: C }\ncontract: { type: fixed_price, currency: EUR, services_value: 9000 }\neffort: { unit: days, sold: 10, day_rate: 900, cost_rate: 500 }\n",
        ),
        (
            "stakeholders.yaml",
            "stakeholders:\n  - { key: tom, name: Tom, org: supplier, roles: [sales_owner, project_manager] }\n  - { key: ann, name: Ann, org: customer, roles: [executive] }\n",
        ),
        (
            "promises.yaml",
            "promises:\n  - { id: P-1, title: \"Receive | goods <fast>\", acceptance: [\"a | b\", \"  c  \"] }\n  - { id: P-2, title: \"  padded \\\\ back  \", type: commercial, response: custom }\n  - { id: P-3, title: Nobody decided }\n  - { id: P-4, title: Gone, status: withdrawn }\n",
        ),
        (
            "scope.yaml",
            "scope:\n  - { id: S-1, title: \"A | b\", covers: [P-1], coverage: partial, effort: 2, acceptance: [\"x < y\"], phase: Build }\n  - { id: S-2, covers: [P-1], effort: 1 }\n  - { id: S-3, title: Management, internal: true, effort: 1, phase: Run }\n",
        ),
        (
            "gaps.yaml",
            "gaps:\n  - { id: G-1, promise: P-2, kind: unscoped, criticality: major, resolution: workaround, status: decided, owner: tom, summary: \"Use | the <old> tool\", customer_summary: Use the old tool }\n  - { id: G-2, promise: P-2, kind: commercial, criticality: minor, resolution: concession, status: agreed, owner: tom, agreed_with: ann, agreed_on: 2026-02-01, summary: Free training }\n  - { id: G-3, promise: P-1, kind: partial, criticality: minor, status: open }\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    let template = tmp.path().join("tables.md.j2");
    std::fs::write(
        &template,
        r#"{% for phase in scope.phases %}
{{ phase.table }}
~~~
| scope item | title | covers | approach |{% if shows_effort %} effort |{% endif %} owner | due |
|---|---|---|---|{% if shows_effort %}---|{% endif %}---|---|
{% for s in phase.items %}
| {{ s.id | cell }} | {{ s.title | cell }}{% if s.coverage == "partial" %} (partial){% endif %} | {{ s.covers_text | cell }} | {{ s.approach | cell }} |{% if shows_effort %} {{ s.effort | cell }} |{% endif %} {{ s.owner | cell }} | {{ s.due | cell }} |
{% endfor %}
=====
{% endfor %}
{{ tables.not_fully_covered }}
~~~
| promise | title | priority | coverage | scope | what was decided |
|---|---|---|---|---|---|
{% for p in not_fully_covered %}
| {{ p.id | cell }} | {{ p.title | cell }} | {{ p.priority }} | {{ p.coverage }} | {{ p.scope | join(", ") | cell }} | {% if p.decisions %}{% for d in p.decisions %}{{ d.gap }}: {{ d.text | cell }}{% if not loop.last %}; {% endif %}{% endfor %}{% elif audience == "customer" %}no decision shared yet{% else %}**no gap recorded: nothing has been decided**{% endif %} |
{% endfor %}
=====
{{ tables.quality }}
~~~
| promise | title | priority | acceptance criteria | checked by |
|---|---|---|---|---|
{% for q in quality %}
| {{ q.id | cell }} | {{ q.title | cell }} | {{ q.priority }} | {% if q.acceptance %}{{ q.acceptance | join("; ") | cell }}{% else %}**none written**{% endif %} | {{ q.scope_checks | join("; ") | cell }} |
{% endfor %}
=====
{{ tables.promise_register }}
~~~
| promise | title | type | priority |{% if audience == "internal" %} commitment |{% endif %} response | coverage | scope | gaps |
|---|---|---|---|{% if audience == "internal" %}---|{% endif %}---|---|---|---|
{% for p in promises %}
| {{ p.id | cell }} | {{ p.title | cell }} | {{ p.type | cell }} | {{ p.priority }} |{% if audience == "internal" %} {{ p.commitment | cell }} |{% endif %} {{ p.response | cell }} | {{ p.coverage }}{% if p.status != "active" %} ({{ p.status }}){% endif %} | {{ p.scope | join(", ") | cell }} | {{ p.gaps | join(", ") | cell }} |
{% endfor %}
=====
{{ tables.gap_register }}
~~~
| gap | about | kind | criticality |{% if audience == "internal" %} customer view |{% endif %} status | resolution | owner | due | agreed with | summary |
|---|---|---|---|{% if audience == "internal" %}---|{% endif %}---|---|---|---|---|---|
{% for g in gaps %}
| {{ g.id | cell }} | {{ g.about | cell }} | {{ g.kind | cell }} | {{ g.criticality }} |{% if audience == "internal" %} {{ g.customer_view | cell }} |{% endif %} {{ g.status }} | {{ g.resolution | cell }} | {{ g.owner | cell }} | {{ g.due | cell }} | {{ g.agreed_with | cell }} | {{ g.summary | cell }} |
{% endfor %}
=====
"#,
    )
    .expect("write");
    let t = template.to_string_lossy().into_owned();
    for audience in ["internal", "customer"] {
        let out = handoff_in(
            tmp.path(),
            &["pid", "e", "--template", &t, "--audience", audience],
        );
        let doc = stdout(&out);
        assert_eq!(out.status.code(), Some(0), "{doc}{}", stderr(&out));
        // Below the marker line.
        let body = doc.split_once("-->").map_or(doc.as_str(), |(_, body)| body);
        let pairs: Vec<&str> = body
            .split("=====")
            .filter(|part| part.contains("~~~"))
            .collect();
        // The phases (Build, the item without one, and for the supplier's
        // team Run, which holds only internal work), then the four tables.
        let phases = if audience == "internal" { 3 } else { 2 };
        assert_eq!(pairs.len(), phases + 4, "{doc}");
        for pair in pairs {
            let (written, looped) = pair.split_once("~~~").unwrap_or_default();
            assert_eq!(written.trim(), looped.trim(), "{audience}:\n{pair}");
        }
        for shown in [
            "Receive \\| goods &lt;fast&gt;",
            "(partial)",
            "n_a (withdrawn)",
        ] {
            assert!(doc.contains(shown), "{audience}: {shown}\n{doc}");
        }
    }
}
