//! The JSON Schemas: committed as `handoff schema` generates them, and in
//! agreement with the loader: they accept every file it accepts in the
//! examples and fixtures, and refuse what it refuses for an unknown key, a
//! word outside a vocabulary, a wrong type or a malformed date.
#![allow(clippy::panic)] // tests report failure by panicking

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, Fixture, run_in};

fn schemas_dir() -> PathBuf {
    common::repo_root().join("schemas")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The committed schema for a file name (`promises.yml` and files in a
/// `promises/` folder use the promises schema).
fn validator_for(kind: &str) -> jsonschema::Validator {
    let name = handoff::schema::schema_name(kind).unwrap_or_else(|| panic!("no schema for {kind}"));
    let schema: Value = serde_json::from_str(&read(&schemas_dir().join(name)))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    jsonschema::options()
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

fn config_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&read(&schemas_dir().join("handoff-toml.schema.json")))
            .unwrap_or_else(|e| panic!("{e}"));
    jsonschema::options()
        .build(&schema)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The schema's complaints about a YAML text, read as the loader reads it.
fn problems(kind: &str, text: &str) -> Vec<String> {
    let instance = handoff::load::yaml_as_json(text)
        .unwrap_or_else(|e| panic!("{kind} is not YAML: {e}"))
        // An empty file is fine to the loader; editors see no document.
        .unwrap_or(Value::Object(serde_json::Map::new()));
    validator_for(kind)
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn config_problems(text: &str) -> Vec<String> {
    let value: toml::Table = toml::from_str(text).unwrap_or_else(|e| panic!("{e}"));
    let instance = serde_json::to_value(value).unwrap_or_else(|e| panic!("{e}"));
    config_validator()
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_what_handoff_schema_generates() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(out.path(), &["schema", "-o", "generated"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let generated = out.path().join("generated");
    let mut names: Vec<String> = std::fs::read_dir(&generated)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut committed: Vec<String> = std::fs::read_dir(schemas_dir())
        .unwrap_or_else(|e| panic!("schemas/ is missing: {e}"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    committed.sort();
    assert_eq!(
        committed, names,
        "schemas/ must hold exactly what `handoff schema` writes"
    );
    for name in &names {
        assert!(
            read(&generated.join(name)) == read(&schemas_dir().join(name)),
            "schemas/{name} is out of date: run `cargo run -- schema` and commit the result"
        );
    }
    // A second run finds them up to date and writes nothing.
    let again = run_in(out.path(), &["schema", "-o", "generated"]);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
}

#[test]
fn schema_refuses_to_replace_a_file_it_did_not_write() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(out.path().join("s")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(out.path().join("s/gaps.schema.json"), "{}\n").unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(out.path(), &["schema", "-o", "s"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("s/gaps.schema.json was not written by handoff schema"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&out.path().join("s/gaps.schema.json")), "{}\n");
    assert!(!out.path().join("s/handoff.schema.json").exists());
    let forced = run_in(out.path(), &["schema", "-o", "s", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(read(&out.path().join("s/gaps.schema.json")).contains("\"$schema\""));
}

/// Every YAML file of an engagement folder, with the name its kind is
/// known by.
fn engagement_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() && handoff::schema::schema_name(&name).is_some() {
            for inner in std::fs::read_dir(&path)
                .unwrap_or_else(|e| panic!("{e}"))
                .filter_map(Result::ok)
            {
                out.push((name.clone(), inner.path()));
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push((name, path));
        }
    }
    out.sort();
    out
}

#[test]
fn every_example_and_valid_fixture_is_accepted() {
    let root = common::repo_root();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.join("handoff.yaml").is_file())
        .collect();
    dirs.push(root.join("tests/fixtures/diff-demo"));
    // The starter and example files `handoff init` writes, first line and all.
    let init = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run_in(init.path(), &["init", "starter"]).code, 0);
    assert_eq!(
        run_in(init.path(), &["init", "filled", "--example"]).code,
        0
    );
    dirs.push(init.path().join("starter"));
    dirs.push(init.path().join("filled"));
    let fixture = Fixture::clean();
    dirs.push(fixture.path().to_path_buf());
    let mut checked = 0;
    for dir in &dirs {
        for (kind, path) in engagement_files(dir) {
            let found = problems(&kind, &read(&path));
            assert!(
                found.is_empty(),
                "{} is refused: {found:#?}",
                path.display()
            );
            checked += 1;
        }
        let config = dir.join("handoff.toml");
        if config.is_file() {
            let found = config_problems(&read(&config));
            assert!(
                found.is_empty(),
                "{} is refused: {found:#?}",
                config.display()
            );
        }
    }
    assert!(checked > 25, "only {checked} files checked");
}

/// A file the loader refuses, and why.
struct Bad {
    file: &'static str,
    text: String,
    why: &'static str,
}

fn bad_files() -> Vec<Bad> {
    let promises = |from: &str, to: &str| common::PROMISES.replace(from, to);
    let handoff = |from: &str, to: &str| common::HANDOFF.replace(from, to);
    let scope = |extra: &str| format!("{}{extra}", common::SCOPE);
    vec![
        Bad {
            file: "scope.yaml",
            text: "scope:\n  - id: S-1\n    coverz: [P-1]\n    effort: 10\n".into(),
            why: "unknown key in an item",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff(
                "customer: { name: Test Customer }",
                "customer: { name: Test, vat: DE1 }",
            ),
            why: "unknown key in a section",
        },
        Bad {
            file: "handoff.yaml",
            text: format!("{}budget: 10\n", common::HANDOFF),
            why: "unknown key at the top",
        },
        Bad {
            file: "gaps.yaml",
            text: "gap:\n  - id: G-1\n".into(),
            why: "unknown top-level key",
        },
        Bad {
            file: "promises.yaml",
            text: promises("priority: must", "priority: high"),
            why: "word outside a vocabulary",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff("fixed_price", "fixed"),
            why: "contract type outside its vocabulary",
        },
        Bad {
            file: "stakeholders.yaml",
            text: common::STAKEHOLDERS.replace("customer_pm", "customer_manager"),
            why: "role outside the vocabulary, in a list",
        },
        Bad {
            file: "scope.yaml",
            text: "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: ten days\n".into(),
            why: "text where a number belongs",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff("sold: 10", "sold: lots"),
            why: "text where an amount belongs",
        },
        Bad {
            file: "scope.yaml",
            text: scope("    internal: maybe\n"),
            why: "text where true/false belongs",
        },
        Bad {
            file: "scope.yaml",
            text: "scope:\n  - id: S-1\n    covers: [P-1]\n    effort: -3\n".into(),
            why: "a negative amount",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff("target_margin: 0.3", "target_margin: 30"),
            why: "a fraction above 1",
        },
        Bad {
            file: "promises.yaml",
            text: promises("title: Order import", "title: [Order, import]"),
            why: "a list where text belongs",
        },
        Bad {
            file: "gaps.yaml",
            text: "gaps:\n  - id: G-1\n    due: 31/12/2026\n".into(),
            why: "a malformed date",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff("kickoff: 2026-03-01", "kickoff: 2026-02-30"),
            why: "an impossible date",
        },
        Bad {
            file: "handoff.yaml",
            text: handoff("go_live: 2026-06-01", "go_live: 2026-13-01"),
            why: "a month that does not exist",
        },
        Bad {
            file: "promises.yaml",
            text: "promises:\n  - id: P-1\n".into(),
            why: "a required key left out",
        },
        Bad {
            file: "scope.yaml",
            text: "scope:\n  - id: S-1\n    covers: [P-1]\n    effort:\n".into(),
            why: "a required key left empty",
        },
    ]
}

#[test]
fn what_the_loader_refuses_the_schema_refuses() {
    for bad in bad_files() {
        // The loader first: a case it accepts proves nothing here.
        let f = Fixture::clean();
        f.write(bad.file, &bad.text);
        let run = f.run(&["check", "."]);
        assert_eq!(
            run.code, 2,
            "the loader accepts {} ({}):\n{}",
            bad.file, bad.why, bad.text
        );
        let found = problems(bad.file, &bad.text);
        assert!(
            !found.is_empty(),
            "the schema accepts {} with {}:\n{}",
            bad.file,
            bad.why,
            bad.text
        );
    }
}

#[test]
fn files_as_people_write_them_are_accepted() {
    // A single value for a list, a number as text, an empty optional key:
    // the loader takes all of these, so the schema must too.
    let f = Fixture::clean();
    let text = "scope:\n  - id: 7\n    covers: P-1\n    effort: 10\n    acceptance: one check\n    phase:\n";
    f.write("scope.yaml", text);
    let run = f.run(&["check", "."]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(problems("scope.yaml", text), Vec::<String>::new());
}

#[test]
fn the_config_schema_knows_every_section() {
    let good = "[thresholds]\neffort_variance_warn = 0.15\nmargin_floor = 0.2\n\
                [required]\nfields = [\"contract.currency\"]\nroles = [\"executive\"]\nsignoffs = [\"sales\"]\n\
                [signoffs]\nroles = [\"sales\", \"delivery\"]\n\
                [rules]\nunsold-scope = \"error\"\nopen-gap = \"off\"\n\
                [editor]\nschema_base = \"https://example.com/schemas\"\n";
    assert_eq!(config_problems(good), Vec::<String>::new());
    let config =
        |text: &str| handoff::config::Config::parse(text, &std::sync::Arc::from("handoff.toml"));
    assert!(config(good).is_ok());
    for bad in [
        "[thresholds]\neffort_variance_wran = 0.1\n",
        "[rules]\nno-such-rule = \"off\"\n",
        "[rules]\nunsold-scope = \"fatal\"\n",
        "[required]\nfields = [\"contract.curency\"]\n",
        "[required]\nroles = [\"boss\"]\n",
        "[editor]\nschema = \"x\"\n",
    ] {
        assert!(config(bad).is_err(), "the config reader accepts {bad}");
        assert!(!config_problems(bad).is_empty(), "the schema accepts {bad}");
    }
}

#[test]
fn init_points_every_file_at_a_schema_that_exists() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "engagements/acme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let engagement = dir.path().join("engagements/acme");
    for (kind, path) in engagement_files(&engagement) {
        let text = read(&path);
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{kind}: first line is {first:?}"));
        assert!(target.starts_with("../../schemas/"), "{target}");
        assert!(
            engagement.join(target).is_file(),
            "{target} does not resolve"
        );
    }
    // The schemas written are the generated ones.
    assert_eq!(
        read(&dir.path().join("schemas/promises.schema.json")),
        read(&schemas_dir().join("promises.schema.json"))
    );
}

#[test]
fn init_uses_the_hosted_schemas_of_the_config() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("handoff.toml"),
        "[editor]\nschema_base = \"https://example.com/handoff/\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = read(&dir.path().join("acme/gaps.yaml"));
    assert!(
        first.starts_with(
            "# yaml-language-server: $schema=https://example.com/handoff/gaps.schema.json\n"
        ),
        "{first}"
    );
    assert!(
        !dir.path().join("schemas").exists(),
        "nothing written locally"
    );
}

#[test]
fn init_stops_at_a_config_with_mistakes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("handoff.toml"),
        "[editor]\nschema_bse = \"x\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = run_in(dir.path(), &["init", "acme"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("schema_bse"), "{}", run.stderr);
    assert!(!dir.path().join("acme").exists(), "nothing was written");
}

#[test]
fn docs_describe_every_config_key() {
    let format = read(&common::repo_root().join("docs/format.md"));
    for (section, decl) in handoff::config::CONFIG.sections() {
        if std::ptr::eq(decl, &handoff::config::RULE_LEVELS_DECL) {
            assert!(format.contains("| `rules.<code>` |"), "rules.<code>");
            continue;
        }
        for field in decl.fields {
            // A table keyed by sign-off role is documented per role.
            let row = match field.ty {
                handoff::model::decl::FieldType::Map(_) => {
                    format!("| `{section}.{}.<role>` |", field.key)
                }
                _ => format!("| `{section}.{}` |", field.key),
            };
            assert!(format.contains(&row), "docs/format.md has no row {row}");
        }
    }
}
