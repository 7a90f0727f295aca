//! `handoff init`: a new engagement folder with commented starter files.

use std::path::{Component, Path, PathBuf};

use super::outln;
use crate::cli::InitArgs;
use crate::config::Config;
use crate::diag::Sources;
use crate::error::Exit;
use crate::error::{Error, Failure, Refusal};
use crate::{fsutil, load, schema};

/// (file name, starter text, example text)
const FILES: &[(&str, &str, &str)] = &[
    (
        "handoff.yaml",
        include_str!("starter/handoff.yaml"),
        include_str!("../../examples/nordwind-crm/handoff.yaml"),
    ),
    (
        "stakeholders.yaml",
        include_str!("starter/stakeholders.yaml"),
        include_str!("../../examples/nordwind-crm/stakeholders.yaml"),
    ),
    (
        "promises.yaml",
        include_str!("starter/promises.yaml"),
        include_str!("../../examples/nordwind-crm/promises.yaml"),
    ),
    (
        "scope.yaml",
        include_str!("starter/scope.yaml"),
        include_str!("../../examples/nordwind-crm/scope.yaml"),
    ),
    (
        "gaps.yaml",
        include_str!("starter/gaps.yaml"),
        include_str!("../../examples/nordwind-crm/gaps.yaml"),
    ),
    (
        "signoffs.yaml",
        include_str!("starter/signoffs.yaml"),
        include_str!("../../examples/nordwind-crm/signoffs.yaml"),
    ),
];

pub fn run(args: &InitArgs) -> Result<Exit, Error> {
    let dir = &args.dir;
    let existing: Vec<String> = FILES
        .iter()
        .map(|(name, _, _)| dir.join(name))
        // A broken link counts: writing through it would put the file elsewhere.
        .filter(|p| p.symlink_metadata().is_ok())
        .map(|p| load::display(&p))
        .collect();
    if !existing.is_empty() {
        return Err(Refusal::new(format!(
            "{} already exist{}; nothing was written",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .help("handoff init never overwrites files; choose an empty folder or move these away")
        .into());
    }
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::new(format!(
            "{} is a file, not a folder; nothing was written",
            load::display(dir)
        ))
        .help("give the folder to create the engagement in")
        .into());
    }
    // The config that will apply to the engagement, for `[editor] schema_base`.
    let mut sources = Sources::default();
    // Outside a repository no config above the folder given applies, as
    // for every command.
    let start = existing_ancestor(dir);
    let schema_base = match Config::discover(&start, &start) {
        Some(path) => match Config::from_file(&path, &mut sources) {
            Ok(config) => config.schema_base,
            Err(diagnostics) => {
                return Err(Refusal {
                    problems: Some(Failure {
                        diagnostics,
                        sources,
                        all: false,
                    }),
                    ..Refusal::new(format!(
                        "{} has problems; nothing was written",
                        load::display(&path)
                    ))
                }
                .into());
            }
        },
        None => None,
    };
    if let Err(err) = std::fs::create_dir_all(dir) {
        return Err(Refusal::new(format!(
            "cannot create folder {}: {err}",
            load::display(dir)
        ))
        .help("check that the parent folder exists and can be written")
        .into());
    }
    let schemas = match schema_base {
        Some(base) => Schemas::Hosted(base),
        None => match local_schemas(dir) {
            Ok(local) => local,
            Err(err) => {
                return Err(Refusal::new(err)
                    .help("set `[editor] schema_base` in handoff.toml to use hosted schemas")
                    .into());
            }
        },
    };
    let mut written = Vec::new();
    for (name, starter, example) in FILES {
        let path = dir.join(name);
        let body = if args.example { example } else { starter };
        let text = format!("{}\n{body}", schemas.first_line(name));
        if let Err(err) = fsutil::create_new(&path, text.as_bytes()) {
            let mut refusal =
                Refusal::new(format!("cannot create {}: {err}", load::display(&path)));
            if !written.is_empty() {
                refusal = refusal.note(format!("already created: {}", written.join(", ")));
            }
            return Err(refusal.into());
        }
        written.push(load::display(&path));
    }
    let shown = load::display(Path::new(dir));
    outln!("created {} files in {shown}:", written.len());
    for w in &written {
        outln!("  {w}");
    }
    if let Schemas::Local { dir, written, .. } = &schemas
        && *written > 0
    {
        outln!(
            "wrote the JSON Schemas editors use to {} (docs/editors.md)",
            load::display(dir)
        );
    }
    if args.example {
        outln!("next: handoff check {shown}");
    } else {
        outln!(
            "next: fill in handoff.yaml, then list promises, scope and gaps; run `handoff check {shown}` as you go"
        );
    }
    Ok(Exit::Ok)
}

/// Where the files' first line points editors for their schema.
enum Schemas {
    /// `[editor] schema_base`: a URL the team hosts them at.
    Hosted(String),
    /// A folder on disk, by its path relative to the engagement.
    Local {
        dir: PathBuf,
        relative: String,
        /// How many schema files were missing there and written.
        written: usize,
    },
}

impl Schemas {
    /// `# yaml-language-server: $schema=…` for one engagement file.
    fn first_line(&self, file: &str) -> String {
        let name = schema::schema_name(file).unwrap_or_default();
        let target = match self {
            Schemas::Hosted(base) => format!("{}/{name}", base.trim_end_matches('/')),
            Schemas::Local { relative, .. } => format!("{relative}/{name}"),
        };
        format!("# yaml-language-server: $schema={target}")
    }
}

/// The repository's `schemas/` folder (beside the engagement outside a
/// repository), with every schema written there that is missing, so that
/// the first line always resolves. Schemas already there are left alone:
/// `handoff schema` updates them.
fn local_schemas(engagement: &Path) -> Result<Schemas, String> {
    let engagement = std::fs::canonicalize(engagement)
        .map_err(|err| format!("cannot resolve {}: {err}", load::display(engagement)))?;
    let root = engagement
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .or_else(|| engagement.parent())
        .unwrap_or(&engagement)
        .to_path_buf();
    let dir = root.join("schemas");
    // A planted `schemas -> /elsewhere` would have init write there.
    if dir
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(format!(
            "{} is a symbolic link, so no schema is written through it; replace it with a folder",
            load::display(&dir)
        ));
    }
    let missing: Vec<schema::SchemaFile> = schema::all()
        .into_iter()
        .filter(|f| dir.join(f.name).symlink_metadata().is_err())
        .collect();
    let written = super::schema::write_all(&dir, &missing)?;
    Ok(Schemas::Local {
        relative: relative_path(&engagement, &dir),
        dir: shown_path(&dir),
        written,
    })
}

/// `to` as seen from the folder `from`, with forward slashes; both
/// absolute.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// An absolute path as users see it: relative to the current folder when
/// below it.
fn shown_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(cwd).ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The nearest folder of `dir` or above it that exists, where the config
/// search starts before `dir` is created.
fn existing_ancestor(dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .ancestors()
        .find(|a| a.is_dir())
        .unwrap_or(&absolute)
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        assert_eq!(
            relative_path(Path::new("/r/engagements/acme"), Path::new("/r/schemas")),
            "../../schemas"
        );
        assert_eq!(
            relative_path(Path::new("/r/acme"), Path::new("/r/schemas")),
            "../schemas"
        );
    }
}
