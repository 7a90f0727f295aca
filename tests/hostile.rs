//! `handoff` in a repository an attacker or a careless colleague wrote to
//! (issue 10): each test plays one attack and checks that it is stopped.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{Fixture, run_in};

const TODAY: &str = "2026-03-10";

/// A file outside the repository that must never be printed.
fn secret_outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // Invalid as an engagement file, so a snippet would quote it.
    std::fs::write(
        dir.path().join("secrets.env"),
        "AWS_SECRET=TOPSECRET-1234\nstakeholders: [\n",
    )
    .unwrap();
    dir
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(unix)]
#[test]
fn an_engagement_file_linked_outside_the_repository_is_refused_unread() {
    let outside = secret_outside();
    for target in [outside.path().join("secrets.env"), "/etc/passwd".into()] {
        let f = Fixture::clean();
        f.remove("stakeholders.yaml");
        link(&target, &f.path().join("stakeholders.yaml"));
        for format in ["text", "json", "github", "sarif", "markdown"] {
            let run = f.run(&["check", ".", "--format", format, "--today", TODAY]);
            assert_eq!(run.code, 2, "{format}: {}", run.stderr);
            let all = format!("{}{}", run.stdout, run.stderr);
            assert!(!all.contains("TOPSECRET"), "{format}: {all}");
            assert!(!all.contains("root:"), "{format}: {all}");
            if format == "text" {
                assert!(
                    run.stderr.contains("stakeholders.yaml")
                        && run
                            .stderr
                            .contains("symbolic link that leads outside the repository"),
                    "{}",
                    run.stderr
                );
            }
        }
    }
}

/// A `handoff.toml` found beside the engagement is read like its files:
/// a link out of the repository is refused unread.
#[cfg(unix)]
#[test]
fn a_config_linked_outside_the_repository_is_refused_unread() {
    let outside = secret_outside();
    let f = Fixture::clean();
    f.remove("handoff.toml");
    link(
        &outside.path().join("secrets.env"),
        &f.path().join("handoff.toml"),
    );
    for format in ["text", "json"] {
        let run = f.run(&["check", ".", "--format", format, "--today", TODAY]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(!all.contains("TOPSECRET"), "{format}: {all}");
    }
    let run = f.run(&["check", "."]);
    assert!(
        run.stderr.contains(
            "cannot read config handoff.toml: it is a symbolic link that leads outside the repository, so it is not read"
        ),
        "{}",
        run.stderr
    );
}

/// A folder named on the command line (or by a shell glob) that is a link
/// out of the repository is not walked: `slash -> /` would read the disk,
/// `other -> ../elsewhere` another customer's files.
#[cfg(unix)]
#[test]
fn a_folder_named_on_the_command_line_that_links_outside_is_refused() {
    let elsewhere = Fixture::clean();
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    link(Path::new("/"), &root.path().join("slash"));
    link(elsewhere.path(), &root.path().join("other"));
    for name in ["slash", "other"] {
        let run = run_in(root.path(), &["check", name, "--today", TODAY]);
        assert_eq!(run.code, 2, "{name}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!(
                "error: {name} is a symbolic link that leads outside the repository, so it is not read"
            )),
            "{}",
            run.stderr
        );
        assert!(!run.stdout.contains("T-1"), "{}", run.stdout);
    }
    // Named through `..` on purpose, the same folder is read.
    let outside = elsewhere.path().to_string_lossy().into_owned();
    let run = run_in(root.path(), &["check", &outside, "--today", TODAY]);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn proc_environ_behind_a_link_is_not_printed() {
    let f = Fixture::clean();
    f.remove("promises.yaml");
    link(
        Path::new("/proc/self/environ"),
        &f.path().join("promises.yaml"),
    );
    let out = Command::new(common::bin())
        .args(["check", ".", "--today", TODAY])
        .current_dir(f.path())
        .env("NO_COLOR", "1")
        .env("HOSTILE_MARKER", "LEAKED-VALUE")
        .output()
        .unwrap();
    let all =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(!all.contains("LEAKED-VALUE"), "{all}");
}

#[cfg(unix)]
#[test]
fn without_a_repository_links_may_not_leave_the_engagement_folder() {
    let outside = secret_outside();
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("eng");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("handoff.yaml"), common::HANDOFF).unwrap();
    std::fs::write(parent.path().join("shared.yaml"), common::PROMISES).unwrap();
    link(
        &parent.path().join("shared.yaml"),
        &dir.join("promises.yaml"),
    );
    link(&outside.path().join("secrets.env"), &dir.join("scope.yaml"));
    let run = Command::new(common::bin())
        .args(["check", "eng", "--today", TODAY])
        .current_dir(parent.path())
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", parent.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    // No `.git` above a temporary folder is assumed; if there is one, the
    // boundary is that repository and this test says nothing.
    if parent.path().ancestors().any(|a| a.join(".git").exists()) {
        return;
    }
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("TOPSECRET"), "{stderr}");
    assert!(
        stderr.contains("eng/promises.yaml") && stderr.contains("outside the engagement folder"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_is_read_and_reported_at_the_link() {
    let f = Fixture::clean();
    f.remove("promises.yaml");
    f.write(
        "shared/promises.yaml",
        &common::PROMISES.replace("priority:", "prority:"),
    );
    link(
        Path::new("shared/promises.yaml"),
        &f.path().join("promises.yaml"),
    );
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--> promises.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("prority"), "{}", run.stderr);

    // Fixed through the link, it is read as its target.
    f.write("shared/promises.yaml", common::PROMISES);
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn discovery_never_leaves_the_searched_root_nor_visits_a_folder_twice() {
    let elsewhere = Fixture::clean();
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(".git")).unwrap();
    let acme = root.path().join("customers/acme");
    std::fs::create_dir_all(&acme).unwrap();
    for (name, text) in [
        ("handoff.yaml", common::HANDOFF),
        ("stakeholders.yaml", common::STAKEHOLDERS),
        ("promises.yaml", common::PROMISES),
        ("scope.yaml", common::SCOPE),
    ] {
        std::fs::write(acme.join(name), text).unwrap();
    }
    let customers = root.path().join("customers");
    link(Path::new("/"), &customers.join("slash"));
    link(elsewhere.path(), &customers.join("other"));
    link(Path::new("."), &customers.join("again"));
    link(Path::new("acme"), &customers.join("acme-too"));
    let start = std::time::Instant::now();
    let run = run_in(
        root.path(),
        &["check", "customers", "--format", "json", "--today", TODAY],
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "walked too far"
    );
    let doc: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let dirs: Vec<&str> = doc["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(dirs, ["customers/acme"], "{}", run.stderr);
}

/// A stakeholders file whose second entry carries `notes_line`.
fn with_note(notes_line: &str) -> String {
    format!(
        "{}  - key: extra\n    name: Extra Person\n    org: customer\n    roles: [user]\n{notes_line}",
        common::STAKEHOLDERS
    )
}

#[test]
fn private_notes_never_reach_a_snippet() {
    let cases = [
        // A colon inside the note: a syntax error with no tree to ask.
        "    notes: PRIVATE: PRIVATE-TEXT about the customer\n",
        // A misspelt key the reader does not know.
        "    note: PRIVATE-TEXT about the customer\n",
        "    notez: PRIVATE-TEXT about the customer\n",
        // A note written as a list, and one continued over lines.
        "    notes:\n      - PRIVATE-TEXT one\n      - PRIVATE-TEXT two\n",
        "    notes:\n    - PRIVATE-TEXT one\n    - [PRIVATE-TEXT: two\n",
        "    notes: first line\n      PRIVATE-TEXT: second\n",
        // A broken line right after a note: may be its continuation.
        "    notes: fine\n  PRIVATE-TEXT: [oops\n",
    ];
    for case in cases {
        let f = Fixture::clean();
        f.write("stakeholders.yaml", &with_note(case));
        for args in [
            vec!["check", ".", "--today", TODAY],
            vec!["check", ".", "--format", "json", "--today", TODAY],
            vec!["check", ".", "--format", "github", "--today", TODAY],
            vec!["report", ".", "--today", TODAY],
            vec!["status", "."],
            vec!["pid", "."],
            vec!["sign", "sales", "--by", "spm", "--today", TODAY],
        ] {
            let run = f.run(&args);
            let all = format!("{}{}", run.stdout, run.stderr);
            assert_eq!(run.code, 2, "{args:?} {case:?}: {all}");
            assert!(!all.contains("PRIVATE-TEXT"), "{args:?} {case:?}:\n{all}");
            assert!(
                all.contains("stakeholders.yaml:"),
                "{args:?}: the position is still given:\n{all}"
            );
        }
    }
}

#[test]
fn a_syntax_error_on_a_plain_stakeholder_line_still_shows_its_snippet() {
    let f = Fixture::clean();
    f.write(
        "stakeholders.yaml",
        &common::STAKEHOLDERS.replace("influence: high", "influence: high: very"),
    );
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("|     influence: high: very"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRET-NOTE"), "{}", run.stderr);
}

fn git(dir: &Path, args: &[&str]) {
    common::git(dir, args).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn diff_of_a_committed_revision_does_not_quote_private_notes() {
    let f = Fixture::clean();
    std::fs::remove_dir(f.path().join(".git")).unwrap();
    git(f.path(), &["init", "-q"]);
    git(f.path(), &["add", "-A"]);
    git(f.path(), &["commit", "-qm", "clean"]);
    f.write(
        "stakeholders.yaml",
        &with_note("    notes: PRIVATE: PRIVATE-TEXT\n"),
    );
    git(f.path(), &["commit", "-qam", "leak"]);
    let run = Command::new(common::bin())
        .args(["diff", "HEAD~1", "HEAD", "--today", TODAY])
        .current_dir(f.path())
        .env("NO_COLOR", "1")
        .env("GIT_CEILING_DIRECTORIES", f.path().parent().unwrap())
        .output()
        .unwrap();
    let all =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(2), "{all}");
    assert!(!all.contains("PRIVATE-TEXT"), "{all}");
}

#[cfg(unix)]
#[test]
fn writes_refuse_a_target_that_is_a_link_and_keep_the_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let victim = tempfile::tempdir().unwrap();
    let victim_file = victim.path().join("important.txt");
    std::fs::write(&victim_file, "keep me").unwrap();

    // pid -o through a planted link.
    let f = Fixture::clean();
    link(&victim_file, &f.path().join("PID.md"));
    let run = f.run(&["pid", ".", "-o", "PID.md"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim_file).unwrap(), "keep me");

    // sign into a signoffs.yaml that is a link out of the repository.
    let f = Fixture::clean();
    link(&victim_file, &f.path().join("signoffs.yaml"));
    let run = f.run(&["sign", "sales", "--by", "spm", "--today", TODAY]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim_file).unwrap(), "keep me");

    // init over a link.
    let empty = tempfile::tempdir().unwrap();
    link(&victim_file, &empty.path().join("handoff.yaml"));
    let run = run_in(empty.path(), &["init", "."]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim_file).unwrap(), "keep me");

    // A sign-off keeps the file's mode.
    let f = Fixture::clean();
    f.write("signoffs.yaml", "signoffs:\n");
    let path = f.path().join("signoffs.yaml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = f.run(&["sign", "sales", "--by", "spm", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    // No temporary file is left at a guessable name.
    let names: Vec<String> = std::fs::read_dir(f.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("handoff-tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn parallel_signs_each_write_their_entry_or_say_they_did_not() {
    let f = Fixture::clean();
    let children: Vec<_> = (0..24)
        .map(|i| {
            let role = if i % 2 == 0 { "sales" } else { "delivery" };
            let condition = format!("condition number {i}");
            Command::new(common::bin())
                .args(["sign", role, "--by", "spm", "--today", TODAY])
                .args(["--condition", &condition])
                .current_dir(f.path())
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut succeeded = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => succeeded.push(i),
            Some(2) => assert!(
                String::from_utf8_lossy(&out.stderr).contains("nothing was signed"),
                "a failure says so"
            ),
            other => panic!("exit {other:?}"),
        }
    }
    let text = std::fs::read_to_string(f.path().join("signoffs.yaml")).unwrap();
    assert!(!succeeded.is_empty());
    for i in &succeeded {
        assert!(
            text.contains(&format!("\"condition number {i}\"")),
            "sign {i} reported success but is not in the file:\n{text}"
        );
    }
    assert_eq!(text.matches("- role:").count(), succeeded.len(), "{text}");
}

#[test]
fn a_sign_off_dated_after_today_is_refused() {
    let f = Fixture::clean();
    let run = f.run(&[
        "sign",
        "sales",
        "--by",
        "spm",
        "--date",
        "9999-12-31",
        "--today",
        TODAY,
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the sign-off date 9999-12-31 is after today (2026-03-10)"),
        "{}",
        run.stderr
    );
    assert!(!f.path().join("signoffs.yaml").exists());
    // Without --today, the real date is today.
    let run = f.run(&["sign", "sales", "--by", "spm", "--date", "9999-12-31"]);
    assert_eq!(run.code, 2);
    let run = f.run(&[
        "sign", "sales", "--by", "spm", "--date", TODAY, "--today", TODAY,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn hostile_pid_templates_end_with_a_template_error() {
    let cases = [
        (
            format!("{{{{ 1{} }}}}", " + 1".repeat(200_000)),
            "a tag is longer than 10000 characters",
        ),
        (
            "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}"
                .to_string(),
            "the template does too much work",
        ),
        (
            "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}".to_string(),
            "nest more than 100 deep",
        ),
    ];
    for (template, expected) in cases {
        let f = Fixture::clean();
        f.write("t.j2", &template);
        let run = f.run(&["pid", ".", "--template", "t.j2"]);
        assert_eq!(run.code, 2, "{expected}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{}", run.stderr);
    }
}

/// Each `~` doubles the string: within a few instructions it asks for
/// more memory than the machine has. The renderer's memory is capped, so
/// the run ends with a template error and writes nothing.
#[cfg(unix)]
#[test]
fn a_template_that_doubles_a_string_stops_at_the_memory_cap() {
    let f = Fixture::clean();
    let mut template = String::from("{% set s = \"x\" * 1000 %}\n");
    template.push_str(&"{% set s = s ~ s %}\n".repeat(40));
    template.push_str("{{ s | length }}\n");
    f.write("doubling.md.j2", &template);
    let run = f.run(&["pid", ".", "--template", "doubling.md.j2", "-o", "PID.md"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: cannot render the PID: doubling.md.j2 used more than 2 GiB of memory"
        ),
        "{}",
        run.stderr
    );
    assert!(!f.path().join("PID.md").exists());
}

#[test]
fn thousands_of_problems_print_the_first_200_and_a_count() {
    let f = Fixture::clean();
    let mut promises = String::from("promises:\n");
    for i in 0..8000 {
        promises.push_str(&format!(
            "  - id: P-{i}\n    title: Item {i}\n    priority: must\n    response: standard\n    commitment: contractual\n    acceptance: ok\n    colour: red\n"
        ));
    }
    f.write("promises.yaml", &promises);
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.matches("unknown key `colour`").count(),
        200,
        "{}",
        &run.stderr[..2000]
    );
    assert!(
        run.stderr.contains("... and 7800 more problems not shown"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(500)..]
    );
}

#[test]
fn an_enormous_line_is_refused_with_a_clear_message() {
    let f = Fixture::clean();
    let long = "x".repeat(2 * 1024 * 1024);
    f.write(
        "promises.yaml",
        &format!("{}    notes2: {long}\n", common::PROMISES),
    );
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("promises.yaml: line 8 is longer than 1024 KB"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(run.stderr.len() < 10_000, "the line is not quoted");
}

/// A title just under the line limit is read; the report's table shows
/// its first thousand characters and says how many more there are.
#[test]
fn a_very_long_title_is_cut_in_the_report_table() {
    let f = Fixture::clean();
    // 500,000 characters of words, then the fixture's own title.
    let title = "word ".repeat(100_000);
    f.write(
        "promises.yaml",
        &common::PROMISES.replacen("title: ", &format!("title: {title}"), 1),
    );
    let run = f.run(&["report", ".", "--today", TODAY]);
    assert!(run.code < 2, "{}", run.stderr);
    // The cell wraps over many lines (words may break): read its letters
    // in order.
    let letters: String = run
        .stdout
        .chars()
        .filter(|c| !c.is_whitespace() && !['│', '┆'].contains(c))
        .collect();
    assert!(
        letters.contains("word…(499012morecharacters;--formatjsonhasthemall)"),
        "{}",
        &run.stdout[..run.stdout.len().min(3000)]
    );
    assert_eq!(run.stdout.matches("word").count(), 200);
}

#[test]
fn an_enormous_file_is_refused_unread() {
    let f = Fixture::clean();
    let mut text = String::from("promises:\n");
    let line = format!("# {}\n", "x".repeat(1000));
    while text.len() <= 51 * 1024 * 1024 {
        text.push_str(&line);
    }
    f.write("promises.yaml", &text);
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read promises.yaml: it is larger than 50 MB"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_config_that_is_not_utf8_gets_a_position() {
    let f = Fixture::clean();
    std::fs::write(f.path().join("handoff.toml"), b"[rules]\nab = \"\xff\"\n").unwrap();
    let run = f.run(&["check", ".", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("handoff.toml:2:7"), "{}", run.stderr);
}
