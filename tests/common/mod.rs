//! A throwaway engagement folder that starts clean (ready, no findings) and
//! that each test bends to make one thing happen.
#![allow(dead_code, clippy::panic)] // shared by several test crates; failures panic

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod git;

pub const HANDOFF: &str = "\
id: T-1
name: Test engagement
customer: { name: Test Customer }
contract: { type: fixed_price, currency: EUR, services_value: 10000 }
dates: { kickoff: 2026-03-01, go_live: 2026-06-01 }
effort: { unit: days, sold: 10, cost_rate: 500, target_margin: 0.3 }
success_criteria: [ { id: SC-1, text: It works, validated_by_customer: true } ]
";

pub const STAKEHOLDERS: &str = "\
stakeholders:
  - key: cexec
    name: Carla Exec
    org: customer
    roles: [executive, customer_pm]
    influence: high
    attitude: supportive
    notes: SECRET-NOTE do not print
  - key: spm
    name: Sam PM
    org: supplier
    roles: [sales_owner, project_manager]
";

pub const PROMISES: &str = "\
promises:
  - id: P-1
    title: Order import
    priority: must
    response: standard
    commitment: contractual
    acceptance: 100 test orders import without errors
";

pub const SCOPE: &str = "\
scope:
  - id: S-1
    title: Configure order import
    covers: [P-1]
    effort: 10
";

/// Sign-offs are tested in tests/signoffs.rs; here they would only add the
/// same findings to every test.
const BASE_CONFIG: [(&str, &str); 2] = [
    ("[required]", "signoffs = []"),
    ("[rules]", "unreviewed-bid = \"off\""),
];

#[derive(Debug)]
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// (code, severity, item, file name within the engagement, line)
pub type Row = (String, String, String, String, u64);

impl Fixture {
    /// A ready engagement with no findings at all.
    pub fn clean() -> Fixture {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        // Stop the config search here, whatever is above the temp folder.
        std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
        let f = Fixture { dir };
        f.write("handoff.yaml", HANDOFF);
        f.write("stakeholders.yaml", STAKEHOLDERS);
        f.write("promises.yaml", PROMISES);
        f.write("scope.yaml", SCOPE);
        f.config("");
        f
    }

    /// Writes handoff.toml: `extra` plus the fixture's base settings,
    /// merged into the same sections.
    pub fn config(&self, extra: &str) {
        let mut text = extra.to_string();
        for (section, line) in BASE_CONFIG {
            if text.contains(section) {
                text = text.replacen(section, &format!("{section}\n{line}"), 1);
            } else {
                text.push_str(&format!("\n{section}\n{line}\n"));
            }
        }
        self.write("handoff.toml", &text);
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.dir.path().join(name)).unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs handoff with the engagement folder as the current directory.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// `handoff check --format json`, findings as rows.
    pub fn findings(&self, extra: &[&str]) -> Vec<Row> {
        let mut args = vec!["check", ".", "--format", "json", "--today", "2026-03-10"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "check failed: {}\n{}",
            run.code,
            run.stderr
        );
        rows(&run.stdout)
    }

    /// `handoff check .` on files it must refuse: exit 2, nothing judged
    /// on stdout, no panic; returns stderr, the problems as people see them.
    pub fn refused(&self) -> String {
        let run = self.run(&["check", ".", "--today", "2026-03-10"]);
        assert_eq!(
            run.code, 2,
            "stdout: {}\nstderr: {}",
            run.stdout, run.stderr
        );
        assert!(run.stdout.is_empty(), "nothing is judged: {}", run.stdout);
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
            "{}",
            run.stderr
        );
        run.stderr
    }

    pub fn codes(&self) -> Vec<String> {
        self.findings(&[]).into_iter().map(|r| r.0).collect()
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_handoff"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("HANDOFF_COST_RATE")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run handoff: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn rows(json: &str) -> Vec<Row> {
    let doc: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON: {e}\n{json}"));
    let mut out = Vec::new();
    for e in doc["engagements"].as_array().into_iter().flatten() {
        for f in e["findings"].as_array().into_iter().flatten() {
            let file = f["file"].as_str().unwrap_or_default();
            let name = file.rsplit_once("/").map_or(file, |(_, n)| n);
            out.push((
                f["code"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["item"].as_str().unwrap_or_default().to_string(),
                name.to_string(),
                f["line"].as_u64().unwrap_or_default(),
            ));
        }
    }
    out
}

pub fn has(rows: &[Row], code: &str, severity: &str, item: &str) -> bool {
    rows.iter()
        .any(|r| r.0 == code && r.1 == severity && r.2 == item)
}

/// Runs git in `dir` with a throwaway identity and none of the caller's
/// signing or branch settings, so commits work on any machine.
pub fn git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .map_err(|e| format!("git {args:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}
