//! Sign-offs through the binary: `handoff sign`, the sign-off rules of
//! `check`, and `handoff status`, on copies of the bundled examples.

use crate::common;

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

const TODAY: &str = "2026-03-10";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of one example in a temporary folder; commands run in the
/// folder above it and name the engagement by its relative path.
struct Case {
    root: tempfile::TempDir,
    name: &'static str,
}

impl Case {
    fn example(name: &'static str) -> Result<Case> {
        let root = tempfile::tempdir()?;
        copy_dir(
            &manifest().join("examples").join(name),
            &root.path().join(name),
        )?;
        Ok(Case { root, name })
    }

    /// An example copy without its sign-offs, and without a config that
    /// requires more of them than the defaults.
    fn unsigned(name: &'static str) -> Result<Case> {
        let case = Case::example(name)?;
        for file in ["signoffs.yaml", "handoff.toml"] {
            let path = case.path(file);
            if path.exists() {
                fs::remove_file(path)?;
            }
        }
        Ok(case)
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.path().join(self.name).join(rel)
    }

    fn read(&self, rel: &str) -> Result<String> {
        Ok(fs::read_to_string(self.path(rel))?)
    }

    fn write(&self, rel: &str, contents: &str) -> Result {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(fs::write(path, contents)?)
    }

    /// Replaces `from` (which must occur exactly once) with `to`.
    fn edit(&self, rel: &str, from: &str, to: &str) -> Result {
        let old = self.read(rel)?;
        if old.matches(from).count() != 1 {
            return Err(format!("{rel}: `{from}` does not occur exactly once").into());
        }
        self.write(rel, &old.replacen(from, to, 1))
    }

    fn handoff(&self, args: &[&str]) -> Result<Output> {
        Ok(Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(args)
            .current_dir(self.root.path())
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            // Never let git find a repository above the temporary folder.
            .env(
                "GIT_CEILING_DIRECTORIES",
                self.root.path().parent().unwrap_or(self.root.path()),
            )
            .output()?)
    }

    /// `handoff sign ROLE --by KEY NAME --date 2026-03-10 EXTRA...`
    fn sign(&self, role: &str, by: &str, extra: &[&str]) -> Result<Output> {
        let mut args = vec!["sign", role, "--by", by, self.name, "--date", TODAY];
        args.extend(extra);
        self.handoff(&args)
    }

    fn sign_ok(&self, role: &str, by: &str, extra: &[&str]) -> Result<String> {
        let out = self.sign(role, by, extra)?;
        if out.status.code() != Some(0) {
            return Err(format!("sign failed: {}", text(&out.stderr)).into());
        }
        Ok(text(&out.stdout))
    }

    /// The engagement as `check --format json` judges it.
    fn check(&self) -> Result<Value> {
        let out = self.handoff(&["check", self.name, "--format", "json", "--today", TODAY])?;
        if !matches!(out.status.code(), Some(0 | 1)) {
            return Err(format!("check could not evaluate: {}", text(&out.stderr)).into());
        }
        let doc: Value = serde_json::from_slice(&out.stdout)?;
        Ok(doc["engagements"][0].clone())
    }

    /// (code, item, message) of the sign-off findings.
    fn signoff_findings(&self) -> Result<Vec<(String, String, String)>> {
        let engagement = self.check()?;
        let findings = engagement["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        Ok(findings
            .iter()
            .filter(|f| {
                let code = f["code"].as_str().unwrap_or("");
                code.starts_with("signoff-") || code == "unreviewed-bid"
            })
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
                (s("code"), s("item"), s("message"))
            })
            .collect())
    }

    fn git(&self, args: &[&str]) -> Result {
        Ok(common::git(self.root.path(), args)?)
    }

    fn commit_all(&self) -> Result<String> {
        self.git(&["add", "-A"])?;
        self.git(&["commit", "-q", "-m", "engagement"])?;
        let out = Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(self.root.path())
            .output()?;
        Ok(text(&out.stdout).trim().to_string())
    }
}

fn codes(findings: &[(String, String, String)]) -> Vec<(&str, &str)> {
    findings
        .iter()
        .map(|(code, item, _)| (code.as_str(), item.as_str()))
        .collect()
}

#[test]
fn the_bundled_examples_keep_their_verdicts() -> Result {
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(["check", "examples", "--format", "json", "--today", TODAY])
        .current_dir(manifest())
        .output()?;
    let doc: Value = serde_json::from_slice(&out.stdout)?;
    let verdicts: Vec<(&str, &str)> = doc["engagements"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| {
                    (
                        e["id"].as_str().unwrap_or(""),
                        e["verdict"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        verdicts,
        vec![
            ("ACME-2026-WMS", "not_ready"),
            ("HARBOUR-2026-KITCHEN", "ready_with_warnings"),
            ("NORDWIND-2026-CRM", "ready"),
        ]
    );
    Ok(())
}

#[test]
fn nordwind_is_ready_because_its_signoffs_are_fresh() -> Result {
    let case = Case::example("nordwind-crm")?;
    let e = case.check()?;
    assert_eq!(e["verdict"], "ready");
    assert_eq!(e["summary"]["errors"], 0);
    assert!(case.signoff_findings()?.is_empty());
    Ok(())
}

#[test]
fn the_init_example_comes_signed_and_ready() -> Result {
    let root = tempfile::tempdir()?;
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(args)
            .current_dir(root.path())
            .output()
    };
    assert_eq!(run(&["init", "--example", "demo"])?.status.code(), Some(0));
    let out = run(&["check", "demo", "--format", "json", "--today", TODAY])?;
    let doc: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(doc["engagements"][0]["verdict"], "ready");
    Ok(())
}

#[test]
fn an_unsigned_engagement_misses_sales_and_delivery() -> Result {
    let case = Case::unsigned("acme-wms")?;
    let findings = case.signoff_findings()?;
    assert_eq!(
        codes(&findings),
        vec![
            ("signoff-missing", "delivery"),
            ("signoff-missing", "sales"),
            ("unreviewed-bid", "presales_review"),
        ]
    );
    assert_eq!(case.check()?["verdict"], "not_ready");
    Ok(())
}

#[test]
fn signing_sales_and_delivery_makes_the_engagement_ready() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign_ok("sales", "jlange", &[])?;
    assert!(out.contains("Julia Lange (jlange) confirms: \"All promises made to the customer, including verbal ones and side deals, are listed.\""), "{out}");
    assert!(
        case.read("signoffs.yaml")?.contains(
            "statement: \"All promises made to the customer, including verbal ones and side deals, are listed.\""
        )
    );
    assert_eq!(
        codes(&case.signoff_findings()?),
        vec![
            ("signoff-missing", "delivery"),
            ("unreviewed-bid", "presales_review")
        ]
    );
    case.sign_ok("delivery", "nweber", &[])?;
    assert_eq!(
        codes(&case.signoff_findings()?),
        vec![("unreviewed-bid", "presales_review")]
    );
    // unreviewed-bid is only information: the handoff is ready.
    assert_eq!(case.check()?["verdict"], "ready");
    Ok(())
}

#[test]
fn signing_twice_the_latest_sign_off_counts() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.sign_ok(
        "delivery",
        "nweber",
        &[
            "--decision",
            "rejected",
            "--condition",
            "the SAP estimate is too low",
        ],
    )?;
    let findings = case.signoff_findings()?;
    assert_eq!(codes(&findings), vec![("signoff-rejected", "delivery")]);
    assert_eq!(
        findings[0].2,
        "Niklas Weber (nweber) rejected the handoff for delivery on 2026-03-10: the SAP estimate is too low; the files have not changed since"
    );

    case.sign_ok("delivery", "nweber", &[])?;
    assert!(case.signoff_findings()?.is_empty());
    let status = text(&case.handoff(&["status", case.name])?.stdout);
    assert!(
        status.contains("fresh (replaces 2 earlier sign-offs)"),
        "{status}"
    );
    Ok(())
}

#[test]
fn changing_a_value_makes_every_sign_off_stale_and_names_the_kind() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.edit(
        "promises.yaml",
        "title: Consent management under GDPR",
        "title: Consent management",
    )?;
    let findings = case.signoff_findings()?;
    assert_eq!(
        codes(&findings),
        // The review is not required, so its stale sign-off is a warning
        // and comes after the errors.
        vec![
            ("signoff-stale", "sales"),
            ("signoff-stale", "delivery"),
            ("signoff-stale", "presales_review"),
        ]
    );
    for (_, _, message) in &findings {
        assert!(
            message.ends_with("no longer covers the files: promises changed since"),
            "{message}"
        );
    }
    assert_eq!(case.check()?["verdict"], "not_ready");

    case.edit("scope.yaml", "effort: 14", "effort: 15")?;
    let findings = case.signoff_findings()?;
    assert!(
        findings[0].2.ends_with("promises and scope changed since"),
        "{findings:?}"
    );
    Ok(())
}

#[test]
fn stale_check_text_tells_who_signed_and_what_to_do() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.edit(
        "gaps.yaml",
        "status: agreed\n    owner: jlange\n    agreed_with: kbrandt",
        "status: agreed\n    owner: jlange\n    agreed_with: mhansen",
    )?;
    let out = case.handoff(&["check", case.name, "--today", TODAY])?;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let stale: String = stdout
        .split("\n\n")
        .filter(|block| block.starts_with("error[signoff-stale]") && block.contains("Julia Lange"))
        .collect();
    insta::assert_snapshot!(stale, @r"
    error[signoff-stale]: the sales sign-off by Julia Lange (jlange) on 2026-03-09 no longer covers the files: gaps changed since
      --> nordwind-crm/signoffs.yaml:22:18
       = help: ask Julia Lange (jlange) to review the changes and sign again with `handoff sign sales --by jlange`
    ");
    Ok(())
}

#[test]
fn comments_key_order_and_quoting_do_not_make_a_sign_off_stale() -> Result {
    let case = Case::example("nordwind-crm")?;
    // A comment, keys of a promise in another order, other quoting, a
    // number written as a decimal, a flow mapping written as a block.
    case.edit(
        "promises.yaml",
        "  - id: N-14\n    title: Consent management under GDPR\n    type: capability\n",
        "  # Reviewed with the DPO.\n  - type: capability   # what kind\n    title: 'Consent management under GDPR'\n    id: \"N-14\"\n",
    )?;
    case.edit(
        "promises.yaml",
        "    sold_effort: 6\n    tags: [compliance]",
        "    tags:\n      - compliance\n    sold_effort: 6.0",
    )?;
    case.edit(
        "promises.yaml",
        "    source: { kind: rfp, ref: \"RFP section F.2\" }\n    promised_by: ekoch\n    promised_to: ofriedrich",
        "    source:\n      ref: RFP section F.2\n      kind: rfp\n    promised_by: ekoch\n    promised_to: ofriedrich",
    )?;
    assert!(
        case.signoff_findings()?.is_empty(),
        "{:?}",
        case.signoff_findings()?
    );
    assert_eq!(case.check()?["verdict"], "ready");
    Ok(())
}

#[test]
fn moving_a_promise_to_another_file_keeps_sign_offs_fresh() -> Result {
    let case = Case::example("nordwind-crm")?;
    let promises = case.read("promises.yaml")?;
    let at = promises.find("  - id: N-14").ok_or("N-14 not found")?;
    let (kept, moved) = promises.split_at(at);
    case.write("promises.yaml", kept)?;
    case.write(
        "promises/consent.yaml",
        &format!("# moved out\npromises:\n{moved}"),
    )?;
    let e = case.check()?;
    assert_eq!(
        e["figures"]["coverage"]["covered"], 12,
        "the promise is still read"
    );
    assert!(
        case.signoff_findings()?.is_empty(),
        "{:?}",
        case.signoff_findings()?
    );
    Ok(())
}

#[test]
fn a_condition_naming_an_open_gap_holds_the_handoff() -> Result {
    let case = Case::unsigned("acme-wms")?;
    case.sign_ok("sales", "tkramer", &[])?;
    let out = case.sign_ok(
        "delivery",
        "lpeters",
        &[
            "--condition",
            "G-02 is settled with Acme before kickoff",
            "--condition",
            "G-03 stays as agreed",
        ],
    )?;
    assert!(out.contains("approved with conditions"), "{out}");
    let findings = case.signoff_findings()?;
    assert_eq!(
        codes(&findings),
        vec![
            ("signoff-condition-open", "delivery:G-02"),
            ("unreviewed-bid", "presales_review"),
        ]
    );
    assert!(
        findings[0].2.contains(
            "depends on gap G-02, which is still open: \"G-02 is settled with Acme before kickoff\""
        ),
        "{findings:?}"
    );
    Ok(())
}

#[test]
fn conditions_without_a_conditional_decision_are_refused() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign(
        "delivery",
        "nweber",
        &["--decision", "approved", "--condition", "x"],
    )?;
    assert_eq!(out.status.code(), Some(2));
    let out = case.sign(
        "delivery",
        "nweber",
        &["--decision", "approved_with_conditions"],
    )?;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--condition TEXT"));
    assert!(!case.path("signoffs.yaml").exists());
    Ok(())
}

#[test]
fn a_file_that_does_not_parse_is_not_signed() -> Result {
    let case = Case::example("nordwind-crm")?;
    let before = case.read("signoffs.yaml")?;
    case.edit("scope.yaml", "    covers: [N-02]\n", "    coverz: [N-02]\n")?;
    let out = case.sign("sales", "jlange", &[])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("unknown key `coverz` in scope item"),
        "{stderr}"
    );
    assert!(stderr.contains("nordwind-crm/scope.yaml:17:5"), "{stderr}");
    assert!(stderr.contains("nothing was signed"), "{stderr}");
    assert_eq!(case.read("signoffs.yaml")?, before);
    Ok(())
}

#[test]
fn someone_who_is_not_a_stakeholder_cannot_sign() -> Result {
    let case = Case::example("nordwind-crm")?;
    let before = case.read("signoffs.yaml")?;
    let out = case.sign("sales", "jlang", &[])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("`jlang` is not a stakeholder of NORDWIND-2026-CRM"),
        "{stderr}"
    );
    for key in [
        "Julia Lange (jlange)",
        "Niklas Weber (nweber)",
        "Katrin Brandt (kbrandt)",
    ] {
        assert!(stderr.contains(key), "{key} missing from: {stderr}");
    }
    assert_eq!(case.read("signoffs.yaml")?, before);
    Ok(())
}

#[test]
fn an_unknown_role_is_refused_with_the_roles() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign("salse", "jlange", &[])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("sales, delivery, presales_review, finance, customer_sponsor"),
        "{stderr}"
    );
    assert!(!case.path("signoffs.yaml").exists());
    Ok(())
}

#[test]
fn signing_keeps_every_line_and_comment_of_the_file() -> Result {
    let case = Case::example("nordwind-crm")?;
    let before = case.read("signoffs.yaml")?.replace(
        "  - role: sales\n",
        "  # Julia signed after the steering group.\n  - role: sales   # see minutes\n",
    ) + "# end of the list\n";
    case.write("signoffs.yaml", &before)?;
    case.sign_ok("customer_sponsor", "kbrandt", &[])?;
    let after = case.read("signoffs.yaml")?;
    assert!(after.starts_with(&before), "{after}");
    assert!(
        after[before.len()..].starts_with(
            "\n  - role: customer_sponsor\n    by: kbrandt\n    decision: approved\n    date: 2026-03-10\n"
        ),
        "{after}"
    );
    assert!(case.signoff_findings()?.is_empty());
    Ok(())
}

#[test]
fn a_list_written_inline_is_not_appended_to() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.write("signoffs.yaml", "signoffs: []\n")?;
    let out = case.sign("sales", "jlange", &[])?;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("signoffs: []"));
    assert_eq!(case.read("signoffs.yaml")?, "signoffs: []\n");
    Ok(())
}

#[test]
fn a_clean_repository_records_the_commit() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.git(&["init", "-q"])?;
    let head = case.commit_all()?;
    let out = case.sign_ok("sales", "jlange", &[])?;
    assert!(
        out.contains(&format!(
            "commit: {head} (the engagement's files are unchanged from this commit)"
        )),
        "{out}"
    );
    // The new, uncommitted signoffs.yaml is not part of what is signed.
    let out = case.sign_ok("delivery", "nweber", &[])?;
    assert!(out.contains(&format!("commit: {head} ")), "{out}");
    let file = case.read("signoffs.yaml")?;
    assert_eq!(
        file.matches(&format!("commit: \"{head}\"")).count()
            + file.matches(&format!("commit: {head}")).count(),
        2,
        "{file}"
    );

    // A stale sign-off with a commit points at `handoff diff`.
    case.edit("scope.yaml", "effort: 14", "effort: 15")?;
    let findings = case.signoff_findings()?;
    let out = case.handoff(&["check", case.name, "--format", "json", "--today", TODAY])?;
    let doc: Value = serde_json::from_slice(&out.stdout)?;
    let help = doc["engagements"][0]["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == "signoff-stale"))
        .and_then(|f| f["help"].as_str())
        .unwrap_or("")
        .to_string();
    assert!(
        help.starts_with(&format!("see what changed with `handoff diff {head}`")),
        "{help}"
    );
    assert_eq!(findings.len(), 3, "{findings:?}");
    Ok(())
}

#[test]
fn uncommitted_changes_record_no_commit() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.git(&["init", "-q"])?;
    case.commit_all()?;
    case.edit("scope.yaml", "effort: 14", "effort: 15")?;
    let out = case.sign_ok("sales", "jlange", &[])?;
    assert!(out.contains("commit: none recorded: nordwind-crm/scope.yaml is not committed, so this sign-off covers the files as they are now, not a commit"), "{out}");
    assert!(!case.read("signoffs.yaml")?.contains("commit:"));
    // What was signed is the changed file: the sign-off is fresh.
    assert_eq!(
        codes(&case.signoff_findings()?),
        vec![
            ("signoff-missing", "delivery"),
            ("unreviewed-bid", "presales_review")
        ]
    );
    Ok(())
}

#[test]
fn outside_a_repository_no_commit_is_recorded() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign_ok("sales", "jlange", &[])?;
    assert!(
        out.contains("commit: none recorded: the folder is not in a git repository"),
        "{out}"
    );
    assert!(!case.read("signoffs.yaml")?.contains("commit:"));
    Ok(())
}

#[test]
fn a_hand_written_entry_with_mistakes_stops_the_check() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.write(
        "signoffs.yaml",
        "signoffs:\n  - role: sale\n    by: jlange\n    decision: ok\n    date: 2026-03-10\n    fingerprint: abc\n    signed: yes\n",
    )?;
    let out = case.handoff(&["check", case.name, "--today", TODAY])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for expected in [
        "`sale` is not a valid sign-off role",
        "did you mean `sales`?",
        "`ok` is not a valid decision",
        "`abc` is not a fingerprint",
        "unknown key `signed` in sign-off",
        "nordwind-crm/signoffs.yaml:2:11",
    ] {
        assert!(
            stderr.contains(expected),
            "{expected} missing from: {stderr}"
        );
    }
    Ok(())
}

#[test]
fn a_sign_off_by_an_unknown_key_is_reported() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.edit("signoffs.yaml", "by: tyilmaz", "by: tyilmax")?;
    let e = case.check()?;
    let finding = e["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["code"] == "unknown-reference"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        finding["message"],
        "the presales review sign-off of 2026-02-05 is by tyilmax, who is not in stakeholders.yaml"
    );
    Ok(())
}

#[test]
fn status_shows_each_role_and_what_changed() -> Result {
    let case = Case::example("harbour-kitchen")?;
    case.edit("handoff.yaml", "go_live: 2026-06-26", "go_live: 2026-06-25")?;
    let out = case.handoff(&["status", case.name])?;
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let stdout = stdout
        .lines()
        .filter(|l| !l.contains("fingerprint now:"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(stdout, @r"
    HARBOUR-2026-KITCHEN (harbour-kitchen)
      role              decision                  by                       date        commit  state
      sales             approved                  Gareth Harris (gharris)  2026-05-07  -       stale: handoff.yaml changed
      delivery          approved_with_conditions  Beth Collins (bcollins)  2026-05-07  -       stale: handoff.yaml changed
      presales_review   approved                  Kieran Walsh (kwalsh)    2026-04-14  -       stale: handoff.yaml changed
      finance           -                         -                        -           -       not signed
      customer_sponsor  -                         -                        -           -       not signed
      conditions:
        delivery (condition): G-01: strip-out of the floor area starts on the day the restaurant closes (gap G-01 is agreed)
    ");
    Ok(())
}

#[test]
fn status_of_the_examples() -> Result {
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(["status", "examples"])
        .current_dir(manifest())
        .output()?;
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(text(&out.stdout));
    Ok(())
}

#[test]
fn the_sign_receipt_says_what_was_signed() -> Result {
    let case = Case::unsigned("harbour-kitchen")?;
    let out = case.sign_ok(
        "delivery",
        "bcollins",
        &[
            "--condition",
            "G-01: strip-out of the floor area starts first",
        ],
    )?;
    insta::assert_snapshot!(out);
    Ok(())
}

#[test]
fn an_organisation_can_add_its_own_sign_off_roles() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.write(
        "handoff.toml",
        "[signoffs]\nroles = [\"sales\", \"delivery\", \"legal\"]\n\n[required]\nsignoffs = [\"sales\", \"delivery\", \"legal\"]\n",
    )?;
    case.sign_ok("sales", "jlange", &[])?;
    case.sign_ok("delivery", "nweber", &[])?;
    assert_eq!(
        codes(&case.signoff_findings()?),
        vec![("signoff-missing", "legal")],
        "presales_review is not a role here, so unreviewed-bid stays quiet"
    );
    case.sign_ok("legal", "nweber", &[])?;
    assert!(case.signoff_findings()?.is_empty());
    Ok(())
}

#[test]
fn a_role_the_config_does_not_know_is_refused_with_the_roles_it_knows() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign("legal", "jlange", &[])?;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("`legal` is not a sign-off role"), "{err}");
    assert!(
        err.contains("sales, delivery, presales_review, finance, customer_sponsor"),
        "{err}"
    );
    assert!(!case.path("signoffs.yaml").exists(), "nothing was written");

    case.write(
        "signoffs.yaml",
        "signoffs:\n  - role: legal\n    by: jlange\n    decision: approved\n    date: 2026-03-10\n    fingerprint: sha256:0000000000000000000000000000000000000000000000000000000000000000\n",
    )?;
    let out = case.handoff(&["check", case.name])?;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("`legal` is not a valid sign-off role"),
        "{err}"
    );
    assert!(err.contains("nordwind-crm/signoffs.yaml:2:11"), "{err}");
    Ok(())
}

#[test]
fn an_empty_condition_is_refused() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let out = case.sign("sales", "jlange", &["--condition", "  "])?;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a condition is empty"));
    Ok(())
}

// Only the right people can sign (docs/signoffs.md, "Who may sign").

/// (code, severity, item) of the sign-off findings.
fn severities(case: &Case) -> Result<Vec<(String, String, String)>> {
    let engagement = case.check()?;
    let findings = engagement["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    Ok(findings
        .iter()
        .filter(|f| f["code"].as_str().unwrap_or("").starts_with("signoff-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("code"), s("severity"), s("item"))
        })
        .collect())
}

#[test]
fn sign_refuses_an_ineligible_signer_and_names_who_is_eligible() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    // The customer's executive cannot sign for our sales team.
    let out = case.sign("sales", "kbrandt", &[])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "Katrin Brandt (kbrandt) cannot sign off for sales: it needs a supplier-side stakeholder with the role sales_owner"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("eligible: Julia Lange (jlange)"),
        "{stderr}"
    );
    assert!(!case.path("signoffs.yaml").exists());
    // A bid review by the person who sold the deal is a self-review.
    case.edit(
        "stakeholders.yaml",
        "roles: [presales, senior_supplier]",
        "roles: [presales, senior_supplier, sales_owner]",
    )?;
    let out = case.sign("presales_review", "ekoch", &[])?;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("who is not a sales_owner"));
    case.sign_ok("presales_review", "tyilmaz", &[])?;
    Ok(())
}

#[test]
fn an_ineligible_sign_off_is_reported_and_does_not_count() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    case.sign_ok("sales", "jlange", &[])?;
    case.sign_ok("delivery", "nweber", &[])?;
    assert!(severities(&case)?.is_empty(), "eligible signers: quiet");

    // The organisation says only an executive of ours signs for sales.
    case.write(
        "handoff.toml",
        "[signoffs.eligible]\nsales = { org = \"supplier\", roles = [\"executive\"] }\n",
    )?;
    let findings = case.signoff_findings()?;
    assert_eq!(
        codes(&findings),
        vec![
            ("signoff-missing", "sales"),
            ("signoff-ineligible", "sales"),
            ("unreviewed-bid", "presales_review")
        ]
    );
    assert_eq!(
        findings[1].2,
        "the sales sign-off of 2026-03-10 by Julia Lange (jlange) does not count: it needs a supplier-side stakeholder with the role executive"
    );
    let status = text(&case.handoff(&["status", case.name])?.stdout);
    assert!(
        status.contains(
            "not signed (required); approved by Julia Lange (jlange) on 2026-03-10 does not count: not eligible"
        ),
        "{status}"
    );
    Ok(())
}

#[test]
fn a_bad_eligibility_config_is_refused() -> Result {
    config_is_refused(
        "[signoffs.eligible]\nlegal = { org = \"us\" }\nsales = { org = \"ours\", roles = [\"boss\"] }\n",
        &[
            "`legal` is not a sign-off role",
            "`ours` is not a side for `sales`",
            "`boss` is not a stakeholder role",
        ],
    )
}

/// `check` of nordwind-crm with this `handoff.toml` exits 2 naming every
/// one of `problems`.
fn config_is_refused(toml: &str, problems: &[&str]) -> Result {
    let case = Case::example("nordwind-crm")?;
    case.write("handoff.toml", toml)?;
    let out = case.handoff(&["check", case.name])?;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for problem in problems {
        assert!(stderr.contains(problem), "{problem} missing from: {stderr}");
    }
    Ok(())
}

#[test]
fn a_stale_sign_off_of_a_role_not_required_is_a_warning() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.edit(
        "promises.yaml",
        "title: Consent management under GDPR",
        "title: Consent management",
    )?;
    let found = severities(&case)?;
    let of = |role: &str| {
        found
            .iter()
            .find(|(code, _, item)| code == "signoff-stale" && item == role)
            .map(|(_, severity, _)| severity.as_str())
    };
    assert_eq!(of("presales_review"), Some("warning"), "{found:?}");
    assert_eq!(of("sales"), Some("error"), "{found:?}");
    assert_eq!(of("delivery"), Some("error"), "{found:?}");
    Ok(())
}

#[test]
fn a_sign_off_covering_some_kinds_stays_fresh_when_others_change() -> Result {
    let case = Case::example("nordwind-crm")?;
    case.write(
        "handoff.toml",
        "[signoffs.covers]\nsales = [\"handoff\", \"stakeholders\", \"promises\"]\n",
    )?;
    // Delivery re-estimates a scope item: sales did not sign the estimate.
    case.edit("scope.yaml", "effort: 14", "effort: 15")?;
    assert_eq!(
        codes(&case.signoff_findings()?),
        vec![
            ("signoff-stale", "delivery"),
            ("signoff-stale", "presales_review")
        ]
    );
    // A promise is what sales signed for.
    case.edit(
        "promises.yaml",
        "title: Consent management under GDPR",
        "title: Consent management",
    )?;
    let stale: Vec<String> = case
        .signoff_findings()?
        .into_iter()
        .map(|(_, item, _)| item)
        .collect();
    assert!(stale.contains(&"sales".to_string()), "{stale:?}");
    Ok(())
}

#[test]
fn covers_must_name_roles_and_kinds_that_exist() -> Result {
    config_is_refused(
        "[signoffs.covers]\nsales = [\"scopes\"]\nlegal = [\"gaps\"]\ndelivery = []\n",
        &[
            "`scopes` is not a kind of file",
            "`legal` is not a sign-off role",
            "the sign-off of `delivery` covers nothing",
        ],
    )
}

#[cfg(unix)]
#[test]
fn a_lock_file_planted_as_a_link_is_refused_and_nothing_is_written_through_it() -> Result {
    let case = Case::unsigned("nordwind-crm")?;
    let elsewhere = case.root.path().join("elsewhere");
    std::os::unix::fs::symlink(&elsewhere, case.path(".signoffs.yaml.lock"))?;
    let out = case.sign("sales", "jlange", &[])?;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(".signoffs.yaml.lock: it is a symbolic link"),
        "{stderr}"
    );
    assert!(!elsewhere.exists(), "the lock was created through the link");
    assert!(!case.path("signoffs.yaml").exists());
    Ok(())
}
