//! `handoff diff [BASE] [HEAD] [-- PATH...]`: both sides read from git's
//! object store (or the working tree for HEAD), evaluated with HEAD's
//! config, compared by id.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Exit;
use crate::cli::{DiffArgs, DiffFormat, FailOn};
use crate::config::{CONFIG_FILE, Config};
use crate::date::Date;
use crate::diag::{Diagnostic, Sources};
use crate::diff::{self, Revision};
use crate::evaluate::{Evaluation, Failure};
use crate::finding::Severity;
use crate::git::{CommitRef, GitTree, PathMap, Repo, RevError};
use crate::load::{self, FsTree, Loaded, Tree};
use crate::model::Engagement;
use crate::output::{diff_json, diff_markdown, diff_text};

/// BASE and HEAD resolved; `head: None` is the working tree.
struct Range {
    base: CommitRef,
    head: Option<CommitRef>,
}

fn resolve_range(repo: &Repo, args: &DiffArgs) -> Result<Range, RevError> {
    let or_head = |s: &str| {
        if s.is_empty() {
            "HEAD".to_string()
        } else {
            s.to_string()
        }
    };
    match (&args.base, &args.head) {
        (Some(b), Some(_)) if b.contains("..") => Err(RevError {
            message: format!("`{b}` is already a range; give either `A...B` or two revisions"),
            fetch: None,
            note: None,
        }),
        (Some(b), Some(h)) => Ok(Range {
            base: repo.resolve(b, false)?,
            head: Some(repo.resolve(h, false)?),
        }),
        (Some(b), None) => {
            if let Some((l, r)) = b.split_once("...") {
                let left = repo.resolve(&or_head(l), true)?;
                let right = repo.resolve(&or_head(r), true)?;
                Ok(Range {
                    base: repo.merge_base(&left, &right)?,
                    head: Some(right),
                })
            } else if let Some((l, r)) = b.split_once("..") {
                Ok(Range {
                    base: repo.resolve(&or_head(l), false)?,
                    head: Some(repo.resolve(&or_head(r), false)?),
                })
            } else {
                Ok(Range {
                    base: repo.resolve(b, false)?,
                    head: None,
                })
            }
        }
        (None, _) => Ok(Range {
            base: repo.resolve("HEAD", false)?,
            head: None,
        }),
    }
}

fn print_rev_error(err: &RevError) {
    let mut out = anstream::stderr();
    let _ = writeln!(out, "error: {}", err.message);
    if let Some(fetch) = &err.fetch {
        let _ = writeln!(out, "help: fetch it with:\n\n    {fetch}\n");
    }
    if let Some(note) = &err.note {
        let _ = writeln!(out, "note: {note}");
    }
}

fn revision(c: &CommitRef) -> Revision {
    Revision {
        label: c.label.clone(),
        commit: Some(c.oid.to_string()),
        summary: Some(c.summary.clone()).filter(|s| !s.is_empty()),
    }
}

/// Where HEAD's files are: a commit's tree or the working tree.
enum Head<'r> {
    Commit(GitTree<'r>),
    WorkTree,
}

impl Head<'_> {
    fn tree(&self) -> &dyn Tree {
        match self {
            Head::Commit(t) => t,
            Head::WorkTree => &FsTree,
        }
    }
}

/// HEAD's config for engagement folders, read once per file.
struct Configs<'a, 'r> {
    head: &'a Head<'r>,
    map: &'a PathMap,
    explicit: Option<&'a Path>,
    cache: HashMap<Option<String>, Config>,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
}

impl Configs<'_, '_> {
    /// The config file that applies to `dir` on HEAD, and its text when
    /// it comes from a commit.
    /// The config file for `dir`, and for a commit its text (or why it
    /// cannot be read: a bad config at HEAD is reported, never skipped).
    fn locate(&self, dir: &str) -> Option<(String, Option<Result<String, String>>)> {
        if let Some(path) = self.explicit {
            return Some((load::display(path), None));
        }
        match self.head {
            Head::WorkTree => {
                // A folder removed on HEAD: start from what is left of it.
                let mut start = PathBuf::from(dir);
                while !start.as_os_str().is_empty() && !start.is_dir() {
                    start.pop();
                }
                if start.as_os_str().is_empty() {
                    start.push(".");
                }
                Config::discover(&start).map(|p| (load::display(&p), None))
            }
            Head::Commit(tree) => {
                let rel = self.map.to_root(Path::new(dir))?;
                rel.ancestors().find_map(|folder| {
                    let shown = self.map.from_root(&folder.join(CONFIG_FILE));
                    if !tree.exists(&shown) {
                        return None;
                    }
                    let text = tree
                        .read(&shown)
                        .map_err(|err| err.to_string())
                        .and_then(|bytes| {
                            String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
                        });
                    Some((load::display(&shown), Some(text)))
                })
            }
        }
    }

    fn for_dir(&mut self, dir: &str) -> Config {
        let found = self.locate(dir);
        let key = found.as_ref().map(|(path, _)| path.clone());
        if let Some(config) = self.cache.get(&key) {
            return config.clone();
        }
        let parsed = match found {
            None => Ok(Config::default()),
            Some((path, Some(Ok(text)))) => {
                let file: Arc<str> = Arc::from(path.as_str());
                self.sources.insert(&file, &text);
                Config::parse(&text, &file)
            }
            Some((path, Some(Err(why)))) => Err(vec![Diagnostic::general(format!(
                "cannot read config {path} at the compared revision: {why}"
            ))]),
            Some((path, None)) => Config::from_file(Path::new(&path), &mut self.sources),
        };
        let config = parsed.unwrap_or_else(|errs| {
            self.diagnostics.extend(errs);
            Config::default()
        });
        self.cache.insert(key, config.clone());
        config
    }
}

fn could_not_read(side: &str, loaded: Loaded) -> Exit {
    let _ = writeln!(
        anstream::stderr(),
        "error: cannot compare: the engagement files at {side} have problems"
    );
    Failure {
        diagnostics: loaded.diagnostics,
        sources: loaded.sources,
    }
    .print();
    Exit::CouldNotEvaluate
}

fn evaluate<'e>(
    engagements: &'e [Engagement],
    configs: &'e [Config],
    today: Date,
    cost_rate: Option<f64>,
) -> Vec<Evaluation<'e>> {
    engagements
        .iter()
        .zip(configs)
        .map(|(e, c)| Evaluation::new(e, c, today, cost_rate))
        .collect()
}

pub fn run(args: &DiffArgs) -> anyhow::Result<Exit> {
    let repo = match Repo::discover() {
        Ok(repo) => repo,
        Err(err) => {
            print_rev_error(&err);
            return Ok(Exit::CouldNotEvaluate);
        }
    };
    let range = match resolve_range(&repo, args) {
        Ok(range) => range,
        Err(err) => {
            print_rev_error(&err);
            return Ok(Exit::CouldNotEvaluate);
        }
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if repo.map().to_root(path).is_none() {
            eprintln!(
                "error: {} is outside the repository; give folders inside it",
                load::display(path)
            );
            return Ok(Exit::CouldNotEvaluate);
        }
    }

    let base_tree = match repo.tree(&range.base) {
        Ok(tree) => tree,
        Err(err) => {
            print_rev_error(&err);
            return Ok(Exit::CouldNotEvaluate);
        }
    };
    let head = match &range.head {
        Some(commit) => match repo.tree(commit) {
            Ok(tree) => Head::Commit(tree),
            Err(err) => {
                print_rev_error(&err);
                return Ok(Exit::CouldNotEvaluate);
            }
        },
        None => Head::WorkTree,
    };
    let base_rev = revision(&range.base);
    let head_rev = range
        .head
        .as_ref()
        .map_or_else(Revision::working_tree, revision);

    for path in &paths {
        if !base_tree.is_dir(path) && !head.tree().is_dir(path) {
            eprintln!(
                "error: {} is not a folder at {} nor at {}",
                load::display(path),
                base_rev.short(),
                head_rev.short()
            );
            eprintln!(
                "help: give engagement folders, or folders that hold some, as they are in the repository"
            );
            return Ok(Exit::CouldNotEvaluate);
        }
    }
    let mut base_loaded = load::load_present(&base_tree, &paths);
    if !base_loaded.diagnostics.is_empty() {
        return Ok(could_not_read(&base_rev.short(), base_loaded));
    }
    let mut head_loaded = load::load_present(head.tree(), &paths);
    if !head_loaded.diagnostics.is_empty() {
        return Ok(could_not_read(&head_rev.short(), head_loaded));
    }
    if base_loaded.engagements.is_empty() && head_loaded.engagements.is_empty() {
        eprintln!(
            "error: no engagement found in {} at {} or {}",
            paths
                .iter()
                .map(|p| load::display(p))
                .collect::<Vec<_>>()
                .join(", "),
            base_rev.short(),
            head_rev.short()
        );
        eprintln!("help: an engagement is a folder that contains handoff.yaml");
        return Ok(Exit::CouldNotEvaluate);
    }

    // HEAD's config judges both sides, so a finding is new because the
    // engagement changed, never because the rules did.
    let mut configs = Configs {
        head: &head,
        map: repo.map(),
        explicit: args.eval.config.as_deref(),
        cache: HashMap::new(),
        sources: Sources::default(),
        diagnostics: Vec::new(),
    };
    let base_configs: Vec<Config> = base_loaded
        .engagements
        .iter()
        .map(|e| configs.for_dir(&e.dir))
        .collect();
    let head_configs: Vec<Config> = head_loaded
        .engagements
        .iter()
        .map(|e| configs.for_dir(&e.dir))
        .collect();
    // Sign-off roles the config does not know make a side unreadable, as
    // they do for `check`.
    for (side, loaded) in [
        (base_rev.short(), &mut base_loaded),
        (head_rev.short(), &mut head_loaded),
    ] {
        let roles = std::mem::take(&mut loaded.signoff_roles);
        for role in &roles {
            let dir = Path::new(&*role.loc.file)
                .parent()
                .map_or_else(|| ".".to_string(), load::display);
            let config = configs.for_dir(&dir);
            loaded
                .diagnostics
                .extend(config.check_signoff_roles([role]));
        }
        if !loaded.diagnostics.is_empty() {
            return Ok(could_not_read(&side, std::mem::take(loaded)));
        }
    }
    if !configs.diagnostics.is_empty() {
        Failure {
            diagnostics: std::mem::take(&mut configs.diagnostics),
            sources: std::mem::take(&mut configs.sources),
        }
        .print();
        return Ok(Exit::CouldNotEvaluate);
    }

    let today = args.eval.today.unwrap_or_else(Date::today);
    let cost_rate = args.eval.cost_rate;
    let base_engagements = std::mem::take(&mut base_loaded.engagements);
    let head_engagements = std::mem::take(&mut head_loaded.engagements);
    let base_evals = evaluate(&base_engagements, &base_configs, today, cost_rate);
    let head_evals = evaluate(&head_engagements, &head_configs, today, cost_rate);

    let diff = diff::compare(
        base_rev,
        head_rev,
        paths.iter().map(|p| load::display(p)).collect(),
        &base_evals,
        &head_evals,
        diff::Options {
            show_notes: args.show_notes,
        },
    );
    let text = match args.format {
        DiffFormat::Text => diff_text::render(&diff),
        DiffFormat::Markdown => diff_markdown::render(&diff),
        DiffFormat::Json => diff_json::render(&diff),
    };
    super::print_out(&text)?;
    let failing = match args.fail_on {
        None => 0,
        Some(FailOn::NewErrors) => diff.new_findings_at_least(Severity::Error),
        Some(FailOn::NewWarnings) => diff.new_findings_at_least(Severity::Warning),
    };
    Ok(if failing > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}
