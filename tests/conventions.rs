//! The conventions of a well-kept CLI: completions, man pages, `rules
//! --format json`, `explain`, `--color`, `-q` and `-o`.
#![allow(clippy::panic)] // tests report failure by panicking

use std::path::Path;
use std::process::Command;

use handoff::finding::RuleCode;

use crate::common::{Fixture, bin, repo_root, run_in};

const TODAY: &str = "2026-03-10";

/// The subcommands as `handoff --help` lists them, without `help`.
fn subcommands() -> Vec<String> {
    use clap::CommandFactory as _;
    handoff::cli::Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|n| n != "help")
        .collect()
}

fn has_program(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = run_in(&repo_root(), &["completions", shell, "-q"]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{shell}: {}", run.stderr);
        for sub in subcommands() {
            assert!(run.stdout.contains(&sub), "{shell} completes no `{sub}`");
        }
        assert!(
            run.stdout.contains("format"),
            "{shell} completes no --format"
        );
    }
}

#[test]
fn the_bash_completion_script_is_valid_bash() {
    if !has_program("bash") {
        return; // nothing to check it with on this machine
    }
    let run = run_in(&repo_root(), &["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script = dir.path().join("handoff.bash");
    std::fs::write(&script, &run.stdout).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"));
    assert!(
        out.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The roff requests a man page may use: those clap_mangen writes and the
/// `man` macro package defines. Anything else is a typo roff would ignore.
const ROFF_REQUESTS: &[&str] = &[
    "TH", "SH", "SS", "TP", "PP", "LP", "P", "IP", "RS", "RE", "br", "B", "I", "BR", "IR", "RB",
    "RI", "ie", "el", "ds", "nf", "fi", "sp", "in", "ti", "HP", "TQ", "UR", "UE", "EX", "EE",
];

fn assert_roff(name: &str, text: &str) {
    assert!(text.contains("\n.TH "), "{name} has no .TH");
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"] {
        assert!(
            text.contains(&format!(".SH {section}")),
            "{name} has no {section} section"
        );
    }
    for line in text.lines().filter(|l| l.starts_with('.')) {
        let request = line[1..].split_whitespace().next().unwrap_or("");
        assert!(
            ROFF_REQUESTS.contains(&request),
            "{name}: unknown roff request `.{request}` in {line:?}"
        );
    }
}

/// `groff` renders the page with every warning on; it says nothing about
/// a well-formed one.
fn assert_renders(page: &Path) {
    if !has_program("groff") {
        return; // the roff parse above still ran
    }
    let out = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .arg(page)
        .output()
        .unwrap_or_else(|e| panic!("cannot run groff: {e}"));
    assert!(out.status.success(), "groff failed on {}", page.display());
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.is_empty(), "{}: {warnings}", page.display());
}

#[test]
fn man_writes_a_page_per_command_that_renders() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("man1");
    let shown = "man1";
    let run = run_in(dir.path(), &["man", "-o", shown]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = 1 + subcommands().len();
    assert_eq!(
        run.stdout.trim(),
        format!("wrote {pages} man pages to {shown}")
    );
    let mut names = vec!["handoff".to_string()];
    names.extend(subcommands().iter().map(|s| format!("handoff-{s}")));
    for name in names {
        let page = out.join(format!("{name}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert_roff(&name, &text);
        assert!(text.contains(&format!(".TH {name} 1")), "{name}: title");
        assert_renders(&page);
    }
    // The check page knows the options every command has.
    let check = std::fs::read_to_string(out.join("handoff-check.1")).unwrap_or_default();
    for option in ["\\-\\-color", "\\-\\-quiet", "\\-\\-output", "\\-\\-strict"] {
        assert!(check.contains(option), "handoff-check.1 lacks {option}");
    }
    // Again: the pages are replaced, since they are generated.
    let again = run_in(dir.path(), &["man", "-o", shown, "-q"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "{}",
        again.stderr
    );
}

#[test]
fn man_without_a_folder_prints_the_main_page() {
    let run = run_in(&repo_root(), &["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_roff("handoff", &run.stdout);
    assert!(run.stdout.contains(".TH handoff 1"));
}

#[test]
fn rules_as_json_lists_every_rule_with_its_documentation() {
    let run = run_in(&repo_root(), &["rules", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout));
    assert_eq!(doc["schema"], "handoff-rules/1");
    let rules = doc["rules"].as_array().cloned().unwrap_or_default();
    let codes: Vec<&str> = rules.iter().filter_map(|r| r["code"].as_str()).collect();
    let all: Vec<&str> = RuleCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(codes, all);
    let page = std::fs::read_to_string(repo_root().join("docs/rules.md"))
        .unwrap_or_else(|e| panic!("{e}"));
    for rule in &rules {
        let code = rule["code"].as_str().unwrap_or_default();
        assert_eq!(rule["docs"], format!("docs/rules.md#{code}"));
        assert!(
            page.contains(&format!("\n### {code}\n")),
            "no anchor for {code}"
        );
        assert!(!rule["summary"].as_str().unwrap_or_default().is_empty());
        assert!(
            !rule["default_severity"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
}

#[test]
fn explain_prints_the_documented_explanation_of_every_rule() {
    for code in RuleCode::ALL {
        let run = run_in(&repo_root(), &["explain", code.as_str()]);
        assert_eq!(run.code, 0, "{code}: {}", run.stderr);
        assert!(run.stdout.starts_with(&format!("### {code}\n")), "{code}");
        assert!(run.stdout.contains("**Example") || run.stdout.contains("```"));
        assert!(run.stdout.contains("**Fix:**"), "{code}");
    }
    // As pasted from a finding.
    let run = run_in(&repo_root(), &["explain", "warning[open-gap]"]);
    assert!(run.stdout.starts_with("### open-gap\n"), "{}", run.stdout);
}

#[test]
fn explain_refuses_an_unknown_code_and_suggests_close_ones() {
    let run = run_in(&repo_root(), &["explain", "gap"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("`gap` is not a rule code") && run.stderr.contains("open-gap"),
        "{}",
        run.stderr
    );
}

/// Runs with the given environment on top of the usual one (NO_COLOR set).
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)], remove: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env_remove("HANDOFF_COST_RATE");
    for name in remove {
        cmd.env_remove(name);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn not_ready() -> Fixture {
    let f = Fixture::clean();
    f.write(
        "gaps.yaml",
        "gaps:\n  - id: G-1\n    promise: P-1\n    criticality: critical\n    status: open\n    summary: nobody decided\n",
    );
    f
}

#[test]
fn color_follows_the_option_then_the_environment() {
    let f = not_ready();
    let check = ["check", ".", "--today", TODAY];
    let with = |extra: &[&str], env: &[(&str, &str)], remove: &[&str]| {
        let args: Vec<&str> = check.iter().chain(extra).copied().collect();
        run_env(f.path(), &args, env, remove).1
    };
    let esc = |s: &str| s.contains('\u{1b}');
    // Piped, by default: plain.
    assert!(!esc(&with(&[], &[], &["NO_COLOR", "CLICOLOR_FORCE"])));
    // CLICOLOR_FORCE colours a pipe; NO_COLOR is still respected.
    assert!(esc(&with(&[], &[("CLICOLOR_FORCE", "1")], &["NO_COLOR"])));
    assert!(!esc(&with(&[], &[("NO_COLOR", "1")], &["CLICOLOR_FORCE"])));
    // The option wins over both.
    assert!(esc(&with(
        &["--color", "always"],
        &[("NO_COLOR", "1")],
        &[]
    )));
    assert!(!esc(&with(
        &["--color=never"],
        &[("CLICOLOR_FORCE", "1")],
        &["NO_COLOR"]
    )));
    // Before the command name too.
    let (_, out) = run_env(
        f.path(),
        &["--color", "always", "check", ".", "--today", TODAY],
        &[],
        &[],
    );
    assert!(esc(&out));
}

#[test]
fn quiet_check_prints_only_the_verdict() {
    let f = not_ready();
    for format in ["text", "json", "sarif", "markdown", "github"] {
        let run = f.run(&["check", ".", "--today", TODAY, "-q", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_eq!(run.stdout.lines().count(), 1, "{format}: {}", run.stdout);
        assert!(run.stdout.contains(": not ready ("), "{}", run.stdout);
        assert!(run.stderr.is_empty(), "{}", run.stderr);
    }
    let clean = Fixture::clean();
    let run = clean.run(&["--quiet", "check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .ends_with(": ready (0 errors, 0 warnings, 0 infos)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn quiet_prints_nothing_for_other_commands_that_succeed() {
    let f = Fixture::clean();
    for args in [
        &["report", ".", "-q"][..],
        &["status", ".", "-q"],
        &["pid", ".", "--today", TODAY, "-q"],
        &["report", ".", "-q", "-o", "report.txt"],
    ] {
        let run = f.run(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr, "", "{args:?}");
    }
    assert!(f.path().join("report.txt").is_file());
    // Errors are still said.
    let run = f.run(&["report", "missing", "-q"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.is_empty());
}

fn read(f: &Fixture, name: &str) -> String {
    std::fs::read_to_string(f.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn output_writes_the_document_with_a_marker_and_keeps_the_exit_code() {
    let f = not_ready();
    let run = f.run(&[
        "check",
        ".",
        "--today",
        TODAY,
        "-o",
        "check.txt",
        "--color",
        "always",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote check.txt\n");
    let text = read(&f, "check.txt");
    assert!(text.starts_with("# generated by handoff check; "), "{text}");
    assert!(text.contains("error[open-gap]"));
    assert!(!text.contains('\u{1b}'), "a file gets no terminal styles");
    let printed = f.run(&["check", ".", "--today", TODAY]).stdout;
    assert!(text.ends_with(&printed), "the file holds what is printed");

    let again = f.run(&["check", ".", "--today", TODAY, "-o", "check.txt"]);
    assert_eq!(again.stdout, "check.txt is already up to date\n");
    // Another format of the same command replaces it.
    let json = f.run(&[
        "check",
        ".",
        "--today",
        TODAY,
        "-o",
        "check.txt",
        "--format",
        "json",
    ]);
    assert_eq!(
        (json.code, json.stdout.as_str()),
        (1, "updated check.txt\n")
    );
    let doc: serde_json::Value =
        serde_json::from_str(&read(&f, "check.txt")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["schema"], "handoff-check/2");
    let sarif = f.run(&[
        "check",
        ".",
        "--today",
        TODAY,
        "-o",
        "check.txt",
        "--format",
        "sarif",
    ]);
    assert_eq!(sarif.code, 1, "{}", sarif.stderr);
    let back = f.run(&["check", ".", "--today", TODAY, "-o", "check.txt"]);
    assert_eq!(back.code, 1, "{}", back.stderr);
}

#[test]
fn output_refuses_a_file_it_did_not_write_unless_forced() {
    let f = Fixture::clean();
    f.write("notes.md", "# my notes\n");
    for args in [
        &["report", ".", "-o", "notes.md", "--format", "markdown"][..],
        &["check", ".", "-o", "notes.md", "--today", TODAY],
    ] {
        let run = f.run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(
            run.stderr
                .contains("notes.md already exists and was not generated by handoff"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--force"), "{}", run.stderr);
        assert_eq!(read(&f, "notes.md"), "# my notes\n");
    }
    // Nor the output of another command.
    let run = f.run(&["report", ".", "-o", "out.json", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = f.run(&[
        "check", ".", "-o", "out.json", "--format", "json", "--today", TODAY,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not generated by handoff check"),
        "{}",
        run.stderr
    );
    // --force replaces it.
    let run = f.run(&[
        "report", ".", "-o", "notes.md", "--format", "markdown", "--force",
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "updated notes.md\n"));
    assert!(read(&f, "notes.md").starts_with("<!-- generated by handoff report; "));
    // A missing folder is said, not created.
    let run = f.run(&["report", ".", "-o", "no/such/report.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the folder no/such does not exist"),
        "{}",
        run.stderr
    );
    // --force means nothing without -o.
    assert_eq!(f.run(&["report", ".", "--force"]).code, 2);
}

/// `report` run on a terminal of COLUMNS columns (a pseudo-terminal from
/// util-linux `script`), or `None` where there is no `script`.
fn report_on_a_terminal(columns: &str) -> Option<String> {
    if !has_program("script") {
        return None;
    }
    let command = format!(
        "'{}' report examples/acme-wms --today {TODAY}",
        bin().display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(repo_root())
        .env("COLUMNS", columns)
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run script: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

fn widest_table_line(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(['│', '┌', '└', '╞']))
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn the_report_fits_the_terminal_width() {
    for (columns, want) in [("80", 80), ("100", 100), ("120", 120)] {
        let Some(text) = report_on_a_terminal(columns) else {
            return; // no pseudo-terminal to run it on
        };
        assert_eq!(widest_table_line(&text), want, "COLUMNS={columns}\n{text}");
        // Words stay whole in the short columns: the ids are all there.
        for id in ["P-01", "P-20", "G-02", "S-15"] {
            assert!(text.contains(id), "COLUMNS={columns}: no {id}\n{text}");
        }
    }
    let narrow = report_on_a_terminal("80").unwrap_or_default();
    assert!(
        narrow.contains("(not shown at this width: response"),
        "{narrow}"
    );
}

#[test]
fn the_report_keeps_its_full_width_in_a_pipe_or_file() {
    let args = ["report", "examples/acme-wms", "--today", TODAY];
    let (code, piped) = run_env(&repo_root(), &args, &[("COLUMNS", "80")], &[]);
    assert_eq!(code, 0);
    let (_, plain) = run_env(&repo_root(), &args, &[], &["COLUMNS"]);
    assert_eq!(piped, plain, "COLUMNS does not narrow a pipe");
    assert!(widest_table_line(&piped) > 120, "{piped}");
    assert!(!piped.contains("not shown at this width"));
}

/// Every command has its section in docs/commands.md and its row in the
/// README's command table, and every long option of a command is named in
/// docs/commands.md or the page it links for that command.
#[test]
fn every_command_and_option_is_documented() {
    use clap::CommandFactory as _;
    let read = |rel: &str| {
        std::fs::read_to_string(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let commands = read("docs/commands.md");
    let readme = read("README.md");
    let cli = handoff::cli::Cli::command();
    // Hidden commands are the tool's own plumbing, not for people.
    for sub in cli
        .get_subcommands()
        .filter(|s| s.get_name() != "help" && !s.is_hide_set())
    {
        let name = sub.get_name();
        assert!(
            commands.contains(&format!("\n## handoff {name}\n")),
            "docs/commands.md has no section for handoff {name}"
        );
        assert!(
            readme.contains(&format!("| `handoff {name}")),
            "the README's command table has no row for handoff {name}"
        );
        // The section, and the page it sends the reader to for details.
        let section = commands
            .split(&format!("\n## handoff {name}\n"))
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .unwrap_or_default();
        let mut text = section.to_string();
        for page in ["pid.md", "signoffs.md", "diff.md"] {
            if section.contains(&format!("]({page}")) {
                text.push_str(&read(&format!("docs/{page}")));
            }
        }
        // Options every command shares are in the shared table.
        text.push_str(commands.split("\n## handoff ").next().unwrap_or_default());
        for arg in sub.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" {
                continue;
            }
            assert!(
                text.contains(&format!("--{long}")),
                "docs/commands.md does not describe handoff {name} --{long}"
            );
        }
    }
}

#[test]
fn a_date_option_written_day_first_is_refused_with_the_date_converted() {
    let f = Fixture::clean();
    let run = f.run(&["check", ".", "--today", "31.05.2026"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`31.05.2026` is not a date")
            && run.stderr.contains("did you mean 2026-05-31?"),
        "{}",
        run.stderr
    );
    // A date that reads two ways is not chosen for the user.
    let run = f.run(&["check", ".", "--today", "05/06/2026"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("can be read two ways") && !run.stderr.contains("did you mean"),
        "{}",
        run.stderr
    );
}
