//! `handoff stats --history`: every engagement at every commit of the
//! first-parent history that changed it, read through [`crate::history`]
//! (the one history walker), and what follows from it: the gap burn-down
//! and the day each engagement first became ready.
//!
//! Only what changed is evaluated: an engagement is judged again when its
//! folder's tree id or the `handoff.toml` in force for it changed, and a
//! judgement is memoised by those two ids (with one `--today` for the
//! whole run), so a version seen before, anywhere in the history and under
//! any folder name, is never judged twice. The cost grows with the number
//! of distinct versions, not with commits × engagements.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::analysis::CoverageCounts;
use crate::config::CONFIG_FILE;
use crate::date::Date;
use crate::finding::Verdict;
use crate::git::{Change, ObjectKind, Oid, RevError};
use crate::history::{Commit, History};
use crate::load::HANDOFF_FILE;
use crate::model::GapStatus;
use crate::workspace::{Options, Source, Workspace};

use super::{ByCriticality, is_ready};

/// An engagement at one commit, as `check` would have judged it there.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub id: String,
    pub verdict: Verdict,
    pub signed_on: Option<Date>,
    pub open_gaps: ByCriticality,
    pub coverage: CoverageCounts,
    /// Against the contract as it stood then (`Figures::effort_variance`).
    pub effort_variance: Option<f64>,
    pub margin_scoped: Option<f64>,
}

/// What an engagement folder was at a commit.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Judged(Snapshot),
    /// There, but it could not be read or judged (as `check` says).
    Invalid,
    /// The folder went away (or stopped being an engagement).
    Gone,
}

impl State {
    pub fn snapshot(&self) -> Option<&Snapshot> {
        match self {
            State::Judged(s) => Some(s),
            State::Invalid | State::Gone => None,
        }
    }
}

/// A commit as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub commit: String,
    pub short: String,
    /// The committer date in UTC.
    pub date: Date,
    pub summary: String,
}

impl At {
    fn of(c: &Commit) -> At {
        At {
            commit: c.id.to_string(),
            short: c.short(),
            date: c.date,
            summary: c.summary.clone(),
        }
    }
}

/// One engagement folder: its state after every commit that changed it,
/// oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub dir: String,
    pub steps: Vec<(At, State)>,
}

impl Series {
    /// The last state it was judged in.
    pub fn latest(&self) -> Option<&Snapshot> {
        self.steps.iter().rev().find_map(|(_, s)| s.snapshot())
    }

    /// The first commit at which it was ready (or ready with warnings).
    pub fn ready(&self) -> Option<&At> {
        self.steps
            .iter()
            .find(|(_, s)| s.snapshot().is_some_and(|s| is_ready(s.verdict)))
            .map(|(at, _)| at)
    }

    /// From `contract.signed_on` (as last written) to the day it became
    /// ready.
    pub fn days_to_ready(&self) -> Option<i64> {
        let signed = self.latest()?.signed_on?;
        Some(self.ready()?.date.days_after(signed))
    }
}

/// The portfolio after a commit that changed some engagement.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub at: At,
    /// Open gaps of every engagement as it stood then.
    pub open_gaps: ByCriticality,
    /// Engagements there and judged.
    pub engagements: usize,
    pub ready: usize,
    /// Engagements there that could not be judged.
    pub invalid: usize,
}

/// The whole history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryStats {
    /// By folder.
    pub series: Vec<Series>,
    pub trend: Vec<TrendPoint>,
    /// Commits walked.
    pub commits: usize,
    /// The walk's limit cut the history short.
    pub truncated: bool,
    /// Distinct versions judged (the memo's size): the work done.
    pub judged: usize,
    pub today: Date,
}

/// What a judgement is memoised by: the folder's tree id and the blob id
/// of the config in force (`None`: the defaults).
type Key = (Oid, Option<Oid>);

/// Walks `history` oldest first and judges each engagement under `roots`
/// whenever it changed. `options.today` must be set: one date for the
/// whole run is what makes a version's judgement reusable. `progress` is
/// told (done, of) after each commit.
pub fn compute(
    history: &History<'_>,
    roots: &[PathBuf],
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<HistoryStats, RevError> {
    let today = options.today.unwrap_or_else(Date::today);
    let options = Options {
        today: Some(today),
        ..options.clone()
    };
    let commits: Vec<&Commit> = history.commits().iter().rev().collect();
    let repo = history.repo();
    let mut memo: HashMap<Key, State> = HashMap::new();
    let mut last_key: BTreeMap<String, Option<Key>> = BTreeMap::new();
    let mut current: BTreeMap<String, State> = BTreeMap::new();
    let mut series: BTreeMap<String, Vec<(At, State)>> = BTreeMap::new();
    let mut trend = Vec::new();
    // Where the roots are in the repository; `None` (one is not in it):
    // every commit is read whole.
    let roots_at: Option<Vec<PathBuf>> = roots.iter().map(|r| repo.map().to_root(r)).collect();
    // The folders found, by their path in the repository; `None` when one
    // could not be placed there.
    let mut placed: Option<HashMap<PathBuf, String>> = None;
    let mut previous: Option<&Commit> = None;
    for (done, commit) in commits.iter().enumerate() {
        // What differs from the commit before (its first parent), read
        // only where trees differ: a commit that changed one engagement
        // costs one engagement, however many there are.
        let changes = previous.and_then(|p| repo.changed_paths(p.tree, commit.tree));
        previous = Some(commit);
        let plan = match (&changes, &roots_at, &placed) {
            (Some(changes), Some(roots_at), Some(placed)) => plan(changes, placed, roots_at),
            _ => Plan::Everything,
        };
        let (check, went) = match plan {
            Plan::Only(changed) => (changed.into_iter().collect::<Vec<_>>(), Vec::new()),
            Plan::Everything => {
                let dirs = engagement_dirs(history, commit, roots, &options)?;
                placed = dirs
                    .iter()
                    .map(|d| Some((repo.map().to_root(Path::new(d))?, d.clone())))
                    .collect();
                let present: HashSet<&str> = dirs.iter().map(String::as_str).collect();
                // Folders seen before and not found now went away.
                let went: Vec<String> = last_key
                    .iter()
                    .filter(|(dir, key)| key.is_some() && !present.contains(dir.as_str()))
                    .map(|(dir, _)| dir.clone())
                    .collect();
                (dirs, went)
            }
        };
        let mut changed = false;
        let gone = went.iter().map(|dir| (dir, None));
        let there = check.iter().map(|dir| (dir, history.key_at(commit, dir)));
        for (dir, key) in there.chain(gone) {
            if last_key.get(dir) == Some(&key) {
                continue;
            }
            let state = match key {
                None => State::Gone,
                Some(key) => memo
                    .entry(key)
                    .or_insert_with(|| judge(history, commit, dir, &options))
                    .clone(),
            };
            last_key.insert(dir.clone(), key);
            current.insert(dir.clone(), state.clone());
            series
                .entry(dir.clone())
                .or_default()
                .push((At::of(commit), state));
            changed = true;
        }
        if changed {
            trend.push(portfolio(At::of(commit), current.values()));
        }
        progress(done + 1, commits.len());
    }
    Ok(HistoryStats {
        series: series
            .into_iter()
            .map(|(dir, steps)| Series { dir, steps })
            .collect(),
        trend,
        commits: commits.len(),
        truncated: history.truncated(),
        judged: memo.len(),
        today,
    })
}

/// Which engagement folders a commit may have changed.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    /// Find the engagements again and look at each.
    Everything,
    /// Only these folders (by their name on the command line) changed.
    Only(BTreeSet<String>),
}

/// What the paths that differ from the parent commit mean for the
/// engagements found there (`placed`, by path in the repository) under
/// `roots` (paths in the repository). Finding the engagements again is
/// needed only when something outside every engagement changed under a
/// root (a folder added or gone, a file that could make one) or a config,
/// or when an engagement's `handoff.yaml` appeared, went or stopped being
/// a file: engagements do not nest, so nothing else inside one decides
/// what is an engagement.
fn plan(changes: &[Change], placed: &HashMap<PathBuf, String>, roots: &[PathBuf]) -> Plan {
    let mut only = BTreeSet::new();
    // The repository's root folder is no entry of a tree: an engagement
    // there changed whenever anything did.
    if let (false, Some(dir)) = (changes.is_empty(), placed.get(Path::new(""))) {
        only.insert(dir.clone());
    }
    for c in changes {
        if let Some(dir) = placed.get(&c.path) {
            if !c.is_folder() {
                // It went, or is not a folder any more.
                return Plan::Everything;
            }
            only.insert(dir.clone());
            continue;
        }
        if c.is_folder() {
            // What changed inside it is listed on its own.
            continue;
        }
        let name = c.path.file_name().and_then(|n| n.to_str());
        let inside = c.path.ancestors().skip(1).any(|a| placed.contains_key(a));
        if inside {
            // The folder itself is listed as changed; its `handoff.yaml`
            // only matters if it is no longer (or newly) a file.
            let both_files = c.old == Some(ObjectKind::Blob) && c.new == Some(ObjectKind::Blob);
            if name == Some(HANDOFF_FILE) && !both_files {
                return Plan::Everything;
            }
            continue;
        }
        let under_a_root = roots
            .iter()
            .any(|r| c.path.starts_with(r) || r.starts_with(&c.path));
        if under_a_root || name == Some(CONFIG_FILE) {
            return Plan::Everything;
        }
    }
    Plan::Only(only)
}

/// The engagement folders at `commit`, with the `[discovery] exclude` of
/// that commit's config.
fn engagement_dirs(
    history: &History<'_>,
    commit: &Commit,
    roots: &[PathBuf],
    options: &Options,
) -> Result<Vec<String>, RevError> {
    let tree = history.repo().tree(&commit.commit_ref())?;
    let excluder = Workspace::new(Source::Commit(&tree), options.clone()).excluder(roots);
    history.engagement_dirs_at(commit, roots, &|root, dir| excluder.skips(root, dir))
}

/// The engagement in `dir` judged at `commit`.
fn judge(history: &History<'_>, commit: &Commit, dir: &str, options: &Options) -> State {
    let Ok(judged) = history.judge_at(commit, dir, options) else {
        return State::Invalid;
    };
    let evaluations = judged.evaluations();
    // The folder itself; an engagement nested below it has its own series.
    let Some(ev) = evaluations
        .iter()
        .find(|ev| ev.engagement().dir == dir)
        .or(evaluations.first())
    else {
        return State::Gone;
    };
    let e = ev.engagement();
    let mut open_gaps = ByCriticality::default();
    for g in e.gaps.iter().filter(|g| g.status == GapStatus::Open) {
        open_gaps.add(g.criticality());
    }
    let f = &ev.analysis.figures;
    State::Judged(Snapshot {
        id: e.id().to_string(),
        verdict: ev.verdict,
        signed_on: e.handoff.contract.signed_on,
        open_gaps,
        coverage: f.coverage,
        effort_variance: f.effort_variance,
        margin_scoped: f.margin_scoped,
    })
}

fn portfolio<'s>(at: At, states: impl Iterator<Item = &'s State>) -> TrendPoint {
    let mut point = TrendPoint {
        at,
        open_gaps: ByCriticality::default(),
        engagements: 0,
        ready: 0,
        invalid: 0,
    };
    for state in states {
        match state {
            State::Judged(s) => {
                point.engagements += 1;
                point.ready += usize::from(is_ready(s.verdict));
                point.open_gaps.blocker += s.open_gaps.blocker;
                point.open_gaps.critical += s.open_gaps.critical;
                point.open_gaps.major += s.open_gaps.major;
                point.open_gaps.minor += s.open_gaps.minor;
            }
            State::Invalid => point.invalid += 1,
            State::Gone => {}
        }
    }
    point
}
