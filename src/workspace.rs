//! The front door every command goes through: engagements read from a
//! tree (the working tree or a git commit), each with the `handoff.toml`
//! in force, found through that same tree unless the caller names one,
//! with sign-off roles validated against it, ready to evaluate.
//!
//! Config is resolved here and nowhere else.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{CONFIG_FILE, Config};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::error::Failure;
use crate::evaluate::Evaluation;
use crate::git::GitTree;
use crate::load::{self, FsTree, Loaded, Tree};
use crate::model::Engagement;
use crate::model::Sp;

/// How engagements are judged, as plain values: what the command line
/// (or any other caller) asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this config instead of the one found by walking up.
    pub config: Option<PathBuf>,
    /// Today's date; the clock's when left out.
    pub today: Option<Date>,
    /// Cost per unit of effort.
    pub cost_rate: Option<f64>,
}

/// Where files are read from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'t> {
    WorkTree,
    Commit(&'t GitTree<'t>),
}

impl<'t> Source<'t> {
    pub fn tree(self) -> &'t dyn Tree {
        match self {
            Source::WorkTree => &FsTree,
            Source::Commit(tree) => tree,
        }
    }
}

/// The front door: a source of configs, with every config file read once.
#[derive(Debug)]
pub struct Workspace<'t> {
    source: Source<'t>,
    options: Options,
    /// By config file (`None`: no file, the defaults).
    cache: HashMap<Option<PathBuf>, Config>,
    /// Problems in the config files read so far, and their text.
    failure: Failure,
    /// The folders given to search (the command line's PATHs): outside a
    /// repository, no config above them applies.
    roots: Vec<PathBuf>,
    /// Config files read with problems: engagements they govern cannot be
    /// judged (their rules may be set otherwise than the defaults).
    broken: Vec<Option<PathBuf>>,
}

/// An engagement folder that could not be read or judged, with why.
#[derive(Debug, Clone)]
pub struct Invalid {
    /// As [`load::display`] shows it.
    pub dir: String,
    /// Its problems; those of a broken config are in
    /// [`Judged::general`], and here only a pointer to them.
    pub diagnostics: Vec<Diagnostic>,
    /// The config file that governs it, as shown; `None` for the defaults.
    pub config: Option<String>,
}

/// Every engagement under the paths: those that could be judged, those
/// that could not, and problems that belong to no engagement (a path that
/// does not exist, a bad `handoff.toml`). One broken engagement never
/// blinds the others.
#[derive(Debug)]
pub struct Judged {
    pub engagements: Engagements,
    pub invalid: Vec<Invalid>,
    pub general: Vec<Diagnostic>,
    /// The text of every file with a problem, to quote it.
    pub sources: crate::diag::Sources,
}

impl Judged {
    /// Whether anything could not be read: the command exits 2 after
    /// reporting the rest.
    pub fn has_problems(&self) -> bool {
        !self.invalid.is_empty() || !self.general.is_empty()
    }

    /// Every problem at once, for the error messages; `None` when
    /// there is none.
    pub fn failure(&self) -> Option<Failure> {
        if !self.has_problems() {
            return None;
        }
        let mut diagnostics = self.general.clone();
        for invalid in &self.invalid {
            diagnostics.extend(invalid.diagnostics.iter().cloned());
        }
        Some(Failure {
            diagnostics,
            sources: self.sources.clone(),
            ..Failure::default()
        })
    }

    /// The folders that could not be judged.
    pub fn invalid_dirs(&self) -> Vec<String> {
        self.invalid.iter().map(|i| i.dir.clone()).collect()
    }
}

/// Engagements that loaded without problems, each with its config.
#[derive(Debug)]
pub struct Engagements {
    pub engagements: Vec<Engagement>,
    pub configs: Vec<Config>,
    pub today: Date,
    pub cost_rate: Option<f64>,
    /// By engagement folder: the items changed since each role's signed
    /// content, when looked up in the history (`history::describe_stale`).
    pub changed: HashMap<String, crate::signoff::ChangedItems>,
    /// By engagement folder: the fingerprint of the files, when
    /// `since::describe_stale` needed it, so that evaluating does not
    /// compute it a second time (it reads every item).
    pub fingerprints: HashMap<String, crate::fingerprint::LazyFingerprint>,
}

impl Engagements {
    pub fn evaluations(&self) -> Vec<Evaluation<'_>> {
        self.engagements
            .iter()
            .zip(&self.configs)
            .map(|(e, config)| {
                Evaluation::with_changes(
                    e,
                    config,
                    self.today,
                    self.cost_rate,
                    self.changed.get(&e.dir),
                    self.fingerprints.get(&e.dir),
                )
            })
            .collect()
    }
}

/// The `[discovery] exclude` of the config that governs each searched
/// root; it applies to folders found below the root, never to the root.
#[derive(Debug, Default)]
pub struct Excluder {
    /// Per root: the folder of its config file (absolute) and the config.
    roots: Vec<(PathBuf, PathBuf, Config)>,
}

impl Excluder {
    /// Whether `dir`, found by searching below `root`, is left out.
    pub fn skips(&self, root: &Path, dir: &Path) -> bool {
        self.roots.iter().any(|(r, base, config)| {
            r == root
                && absolute(dir)
                    .strip_prefix(base)
                    .is_ok_and(|rel| config.excludes(rel))
        })
    }
}

/// `path` from the current folder, with `.` and `..` worked out by
/// name: both trees (working tree and commit) name paths from there.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path));
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Adds problems to the invalid folder `dir`, setting it apart if new.
fn problems_of(invalid: &mut Vec<Invalid>, dir: &str, diags: Vec<Diagnostic>) {
    if diags.is_empty() {
        return;
    }
    match invalid.iter_mut().find(|i| i.dir == dir) {
        Some(found) => found.diagnostics.extend(diags),
        None => invalid.push(Invalid {
            dir: dir.to_string(),
            diagnostics: diags,
            config: None,
        }),
    }
}

impl<'t> Workspace<'t> {
    /// Configs are found through `source`.
    pub fn new(source: Source<'t>, options: Options) -> Workspace<'t> {
        Workspace {
            source,
            options,
            cache: HashMap::new(),
            failure: Failure::default(),
            broken: Vec::new(),
            roots: Vec::new(),
        }
    }

    /// Loads every engagement under `paths` and judges each on its own:
    /// an engagement with problems (in its files, its sign-off roles or its
    /// config) is set apart as invalid, and the others are judged as usual.
    pub fn open_each(mut self, paths: &[PathBuf]) -> Judged {
        self.roots = paths.to_vec();
        let excluder = self.excluder(paths);
        let Loaded {
            engagements,
            diagnostics,
            sources,
            signoff_roles,
            folders,
        } = load::load_all_skipping(self.source.tree(), paths, &|root, dir| {
            excluder.skips(root, dir)
        });
        let mut sources = sources;
        // Problems met outside any engagement folder: a missing path, a
        // folder with no engagement.
        let mut general: Vec<Diagnostic> = diagnostics
            .iter()
            .enumerate()
            .filter(|(i, _)| !folders.iter().any(|f| f.problems.contains(i)))
            .map(|(_, d)| d.clone())
            .collect();
        let mut invalid: Vec<Invalid> = Vec::new();
        for folder in &folders {
            problems_of(
                &mut invalid,
                &folder.dir,
                diagnostics[folder.problems.clone()].to_vec(),
            );
        }
        for (dir, found) in self.signoff_role_problems(&signoff_roles) {
            problems_of(&mut invalid, &dir, found);
        }
        let mut judged = Vec::new();
        let mut configs = Vec::new();
        for engagement in engagements {
            let path = self.config_file_for(&engagement.dir);
            let config = self.config_at(path.clone());
            if self.broken.contains(&path) {
                let shown = path.as_deref().map_or_else(String::new, load::display);
                problems_of(
                    &mut invalid,
                    &engagement.dir,
                    vec![Diagnostic::general(format!(
                        "{} cannot be judged: its config {shown} has problems",
                        engagement.dir
                    ))],
                );
            }
            if invalid.iter().any(|i| i.dir == engagement.dir) {
                continue;
            }
            judged.push(engagement);
            configs.push(config);
        }
        // A config named on the command line is read even when there is
        // nothing to judge, so a broken one is never silently ignored.
        if let Some(path) = self.options.config.clone() {
            self.config_at(Some(path));
        }
        general.append(&mut self.failure.diagnostics);
        sources.extend(std::mem::take(&mut self.failure.sources));
        invalid.sort_by(|a, b| a.dir.cmp(&b.dir));
        for i in &mut invalid {
            i.config = self
                .config_file_for(&i.dir)
                .map(|path| load::display(&path));
        }
        Judged {
            engagements: Engagements {
                engagements: judged,
                configs,
                today: self.options.today.unwrap_or_else(Date::today),
                cost_rate: self.options.cost_rate,
                changed: HashMap::new(),
                fingerprints: HashMap::new(),
            },
            invalid,
            general,
            sources,
        }
    }

    /// Loads every engagement under `paths` from this workspace's source,
    /// and judges them: load, config and sign-off role problems are
    /// reported together.
    pub fn open(mut self, paths: &[PathBuf]) -> Result<Engagements, Failure> {
        self.roots = paths.to_vec();
        // The same search as `open_each`: `[discovery] exclude` leaves
        // folders out below every PATH, whichever command searches.
        let excluder = self.excluder(paths);
        let loaded = load::load_all_skipping(self.source.tree(), paths, &|root, dir| {
            excluder.skips(root, dir)
        });
        let nothing_loaded = loaded.engagements.is_empty();
        let judged = self.judge(loaded);
        // A config named on the command line is read even when there is
        // nothing to judge, so a broken one is never silently ignored.
        if nothing_loaded
            && judged.is_ok()
            && self.failure.is_empty()
            && let Some(path) = self.options.config.clone()
        {
            self.config_at(Some(path));
        }
        let mut failure = match judged {
            Ok(judged) if self.failure.is_empty() => return Ok(judged),
            Ok(_) => Failure::default(),
            Err(failure) => failure,
        };
        failure.diagnostics.append(&mut self.failure.diagnostics);
        failure
            .sources
            .extend(std::mem::take(&mut self.failure.sources));
        Err(failure)
    }

    /// The `[discovery] exclude` in force for each of `roots`: that of the
    /// config governing the root itself.
    pub fn excluder(&mut self, roots: &[PathBuf]) -> Excluder {
        self.roots = roots.to_vec();
        let mut excluder = Excluder::default();
        for root in roots {
            let path = self.config_file_for(&load::display(root));
            let Some(file) = &path else { continue };
            let config = self.config_at(path.clone());
            if config.exclude.is_empty() {
                continue;
            }
            let base = absolute(file.parent().unwrap_or(Path::new("")));
            excluder.roots.push((root.clone(), base, config));
        }
        excluder
    }

    /// Gives each engagement read its config, and checks every sign-off
    /// role read (loaded engagement or not, so one run reports every
    /// problem) against the config of its folder. The failure holds the
    /// problems of `loaded` and of its roles; those of the config files
    /// stay in [`Workspace::take_config_failure`].
    pub fn judge(&mut self, loaded: Loaded) -> Result<Engagements, Failure> {
        let Loaded {
            engagements,
            mut diagnostics,
            sources,
            signoff_roles,
            folders: _,
        } = loaded;
        let configs: Vec<Config> = engagements
            .iter()
            .map(|e| self.config_for(&e.dir))
            .collect();
        for (_, found) in self.signoff_role_problems(&signoff_roles) {
            diagnostics.extend(found);
        }
        if !diagnostics.is_empty() {
            return Err(Failure {
                diagnostics,
                sources,
                ..Failure::default()
            });
        }
        Ok(Engagements {
            engagements,
            configs,
            today: self.options.today.unwrap_or_else(Date::today),
            cost_rate: self.options.cost_rate,
            changed: HashMap::new(),
            fingerprints: HashMap::new(),
        })
    }

    /// The sign-off roles that the config of their engagement does not
    /// know, grouped by engagement folder (as [`load::display`] shows it),
    /// in the order read: each engagement is told apart on its own.
    pub fn signoff_role_problems(
        &mut self,
        roles: &[Sp<String>],
    ) -> Vec<(String, Vec<Diagnostic>)> {
        let mut by_dir: Vec<(String, Vec<Diagnostic>)> = Vec::new();
        for role in roles {
            let dir = Path::new(&*role.loc.file)
                .parent()
                .map_or_else(|| ".".to_string(), load::display);
            let found = self.config_for(&dir).check_signoff_roles([role]);
            if found.is_empty() {
                continue;
            }
            match by_dir.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, list)) => list.extend(found),
                None => by_dir.push((dir, found)),
            }
        }
        by_dir
    }

    /// Problems met in config files so far, if any; taken, so each is
    /// reported once.
    pub fn take_config_failure(&mut self) -> Option<Failure> {
        (!self.failure.is_empty()).then(|| std::mem::take(&mut self.failure))
    }

    /// The config in force for an engagement folder: the one named in the
    /// options, else the nearest `handoff.toml` above the folder in the
    /// source, else the defaults. A config with problems counts as the
    /// defaults; its problems wait in [`Workspace::take_config_failure`].
    pub fn config_for(&mut self, dir: &str) -> Config {
        let path = self.config_file_for(dir);
        self.config_at(path)
    }

    /// The config file in force for an engagement folder, if any.
    pub fn config_file_for(&self, dir: &str) -> Option<PathBuf> {
        if let Some(path) = &self.options.config {
            return Some(path.clone());
        }
        match self.source {
            Source::WorkTree => Config::discover(Path::new(dir), &self.ceiling(dir)),
            Source::Commit(tree) => tree.find_up(Path::new(dir), CONFIG_FILE),
        }
    }

    /// Where the search for a config stops outside a repository: the
    /// given folder that holds `dir` (the nearest), else `dir` itself.
    fn ceiling(&self, dir: &str) -> PathBuf {
        let at = absolute(Path::new(dir));
        self.roots
            .iter()
            .filter(|root| at.starts_with(absolute(root)))
            .max_by_key(|root| absolute(root).components().count())
            .cloned()
            .unwrap_or_else(|| PathBuf::from(dir))
    }

    fn config_at(&mut self, path: Option<PathBuf>) -> Config {
        if let Some(config) = self.cache.get(&path) {
            return config.clone();
        }
        let parsed = match (&path, self.source) {
            (None, _) => Ok(Config::default()),
            // A config named on the command line is always a file here.
            (Some(path), Source::WorkTree) => Config::from_file(path, &mut self.failure.sources),
            (Some(path), Source::Commit(_)) if self.options.config.is_some() => {
                Config::from_file(path, &mut self.failure.sources)
            }
            (Some(path), Source::Commit(tree)) => self.parse_from(tree, path),
        };
        let config = parsed.unwrap_or_else(|errs| {
            self.broken.push(path.clone());
            self.failure.diagnostics.extend(errs);
            Config::default()
        });
        self.cache.insert(path, config.clone());
        config
    }

    /// A config file as a commit has it: a bad config there is reported,
    /// never skipped.
    fn parse_from(&mut self, tree: &GitTree<'_>, path: &Path) -> Result<Config, Vec<Diagnostic>> {
        let shown = load::display(path);
        let text = tree
            .read(path)
            .map_err(|err| err.to_string())
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
            })
            .map_err(|why| {
                vec![Diagnostic::general(format!(
                    "cannot read config {shown} at the compared revision: {why}"
                ))]
            })?;
        let file: Arc<str> = Arc::from(shown.as_str());
        self.failure.sources.insert(&file, &text);
        Config::parse(&text, &file)
    }
}
