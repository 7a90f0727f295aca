//! The pipeline every reading command shares: load the engagements, find
//! each one's config, analyse, and run the rules.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::cli::EvalArgs;
use crate::config::Config;
use crate::date::Date;
use crate::diag::{self, Diagnostic, Sources};
use crate::finding::{Counts, Finding, Verdict};
use crate::load::{self, Loaded};
use crate::model::Engagement;
use crate::rules::{self, Ctx};

/// Engagements loaded without problems, each with the config in force.
#[derive(Debug)]
pub struct Workspace {
    pub engagements: Vec<Engagement>,
    pub configs: Vec<Config>,
    pub today: Date,
    pub cost_rate: Option<f64>,
}

/// Why nothing could be evaluated; printed as diagnostics, exit 2.
#[derive(Debug)]
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Failure {
    /// Prints every diagnostic to stderr.
    pub fn print(&self) {
        let mut diagnostics = self.diagnostics.clone();
        // File order, then position: the order a person fixes them in.
        diagnostics.sort_by(|a, b| a.loc.cmp(&b.loc));
        let text = diag::render(&diagnostics, &self.sources, true);
        let mut err = anstream::stderr();
        let _ = write!(err, "{text}");
        let n = self.diagnostics.len();
        let _ = writeln!(
            err,
            "error: could not evaluate: {n} problem{} to fix first",
            if n == 1 { "" } else { "s" }
        );
    }
}

impl Workspace {
    /// Loads everything under `paths` from the working tree.
    pub fn open(paths: &[PathBuf], eval: &EvalArgs) -> Result<Workspace, Failure> {
        let loaded = load::load_all(&load::FsTree, paths);
        Workspace::from_loaded(loaded, eval, |dir| Config::discover(Path::new(dir)))
    }

    /// Builds a workspace from engagements read from any tree; `find_config`
    /// says which config file applies to an engagement folder.
    pub fn from_loaded(
        loaded: Loaded,
        eval: &EvalArgs,
        find_config: impl Fn(&str) -> Option<PathBuf>,
    ) -> Result<Workspace, Failure> {
        let Loaded {
            engagements,
            mut diagnostics,
            mut sources,
            signoff_roles,
        } = loaded;
        let mut cache: HashMap<Option<PathBuf>, Config> = HashMap::new();
        let mut config_for =
            |dir: &str, diagnostics: &mut Vec<Diagnostic>, sources: &mut Sources| {
                let path = eval.config.clone().or_else(|| find_config(dir));
                cache
                    .entry(path.clone())
                    .or_insert_with(|| match &path {
                        Some(p) => Config::from_file(p, sources).unwrap_or_else(|errs| {
                            diagnostics.extend(errs);
                            Config::default()
                        }),
                        None => Config::default(),
                    })
                    .clone()
            };
        let configs: Vec<Config> = engagements
            .iter()
            .map(|e| config_for(&e.dir, &mut diagnostics, &mut sources))
            .collect();
        // Roles are checked for every engagement read, loaded or not, so one
        // run reports every problem.
        for role in &signoff_roles {
            let dir = Path::new(&*role.loc.file)
                .parent()
                .map_or_else(|| ".".to_string(), load::display);
            let config = config_for(&dir, &mut diagnostics, &mut sources);
            diagnostics.extend(config.check_signoff_roles([role]));
        }
        if let Some(path) = &eval.config
            && engagements.is_empty()
            && diagnostics.is_empty()
            && let Err(errs) = Config::from_file(path, &mut sources)
        {
            diagnostics.extend(errs);
        }
        if !diagnostics.is_empty() {
            return Err(Failure {
                diagnostics,
                sources,
            });
        }
        Ok(Workspace {
            engagements,
            configs,
            today: eval.today.unwrap_or_else(Date::today),
            cost_rate: eval.cost_rate,
        })
    }

    pub fn evaluations(&self) -> Vec<Evaluation<'_>> {
        self.engagements
            .iter()
            .zip(&self.configs)
            .map(|(e, config)| Evaluation::new(e, config, self.today, self.cost_rate))
            .collect()
    }
}

/// One engagement judged.
#[derive(Debug)]
pub struct Evaluation<'e> {
    pub analysis: Analysis<'e>,
    pub config: &'e Config,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    pub verdict: Verdict,
}

impl<'e> Evaluation<'e> {
    pub fn new(
        e: &'e Engagement,
        config: &'e Config,
        today: Date,
        cost_rate: Option<f64>,
    ) -> Evaluation<'e> {
        let analysis = Analysis::new(e, cost_rate);
        let findings = rules::check(&Ctx::new(&analysis, config, today));
        let counts = Counts::of(&findings);
        Evaluation {
            verdict: counts.verdict(),
            analysis,
            config,
            findings,
            counts,
        }
    }

    pub fn engagement(&self) -> &'e Engagement {
        self.analysis.engagement
    }
}
