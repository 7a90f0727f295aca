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
}

/// Engagements that loaded without problems, each with its config.
#[derive(Debug)]
pub struct Engagements {
    pub engagements: Vec<Engagement>,
    pub configs: Vec<Config>,
    pub today: Date,
    pub cost_rate: Option<f64>,
}

impl Engagements {
    pub fn evaluations(&self) -> Vec<Evaluation<'_>> {
        self.engagements
            .iter()
            .zip(&self.configs)
            .map(|(e, config)| Evaluation::new(e, config, self.today, self.cost_rate))
            .collect()
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
        }
    }

    /// Loads every engagement under `paths` from this workspace's source,
    /// and judges them: load, config and sign-off role problems are
    /// reported together.
    pub fn open(mut self, paths: &[PathBuf]) -> Result<Engagements, Failure> {
        let loaded = load::load_all(self.source.tree(), paths);
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
        } = loaded;
        let configs: Vec<Config> = engagements
            .iter()
            .map(|e| self.config_for(&e.dir))
            .collect();
        for role in &signoff_roles {
            let dir = Path::new(&*role.loc.file)
                .parent()
                .map_or_else(|| ".".to_string(), load::display);
            diagnostics.extend(self.config_for(&dir).check_signoff_roles([role]));
        }
        if !diagnostics.is_empty() {
            return Err(Failure {
                diagnostics,
                sources,
            });
        }
        Ok(Engagements {
            engagements,
            configs,
            today: self.options.today.unwrap_or_else(Date::today),
            cost_rate: self.options.cost_rate,
        })
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
            Source::WorkTree => Config::discover(Path::new(dir)),
            Source::Commit(tree) => tree.find_up(Path::new(dir), CONFIG_FILE),
        }
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
