//! What changed since each role signed: the business-terms diff between
//! the content a sign-off covers, found in the history ([`crate::history`]),
//! and the working tree. Serves `status --changes`, `diff --since-signoff`
//! and the `signoff-stale` message (docs/signoffs.md).

use std::collections::HashMap;
use std::path::Path;

use crate::diff::{self, Change, Diff, EngagementDiff, Revision};
use crate::evaluate::Evaluation;
use crate::git::Repo;
use crate::history::{History, SEARCH_LIMIT, Signed, Walk};
use crate::model::SignOff;
use crate::signoff::{self, ChangedItems, Freshness, State};
use crate::workspace::Engagements;

/// The repository holding the engagements, found from the current folder
/// or else from `dir`; `None` outside any repository (or one with no
/// commit), where no history can be searched.
pub fn repo_for(dir: &str) -> Option<Repo> {
    Repo::discover()
        .ok()
        .filter(|r| r.holds(Path::new(dir)))
        .or_else(|| Repo::discover_at(Path::new(dir)).ok())
}

/// The history searched for signed content: at most [`SEARCH_LIMIT`]
/// commits of HEAD's first-parent chain.
pub fn history(repo: &Repo) -> Option<History<'_>> {
    History::walk(
        repo,
        &Walk {
            limit: SEARCH_LIMIT,
            since: None,
        },
    )
    .ok()
}

/// What changed since one role signed.
#[derive(Debug)]
pub struct SinceSigned {
    pub role: String,
    /// The sign-off in force.
    pub signoff: SignOff,
    pub signer: String,
    /// Where the signed content is.
    pub signed: Signed,
    /// The comparison of the signed content with the working tree, when
    /// it was found.
    pub diff: Option<Diff>,
    /// Whether the content changed since it was signed (the fingerprints
    /// differ); when not, there is no diff.
    pub changed: bool,
    /// The kinds of files that changed, from the per-kind fingerprints:
    /// what can be said when the content is not found (empty when the
    /// entry kept none).
    pub kinds: Vec<&'static str>,
    /// Stale by content or age, as `check` judges it.
    pub stale: Option<String>,
}

/// The comparison of the signed content of `signoff` with `now`, judged
/// with the working tree's config, as `handoff diff` judges both sides
/// with HEAD's.
fn compare(
    history: &History<'_>,
    now: &Evaluation<'_>,
    signed: &Signed,
    judged: Judging,
) -> Option<Diff> {
    let commit = signed.commit()?;
    let e = now.engagement();
    // The sign-offs are not part of what was signed: the signed content
    // is judged with today's sign-offs, so only what was signed differs.
    let mut before = (*history.engagement_at(commit, &e.dir)?).clone();
    before.signoffs.clone_from(&e.signoffs);
    let base = Evaluation::new(&before, now.config, judged.today, judged.cost_rate);
    let mut base_rev = commit.revision();
    base_rev.label = "signed content".to_string();
    Some(diff::compare(
        base_rev,
        Revision::working_tree(),
        vec![e.dir.clone()],
        std::slice::from_ref(&base),
        std::slice::from_ref(now),
        diff::Options::default(),
    ))
}

/// The date and cost rate the working tree was judged with, to judge the
/// signed content alike.
#[derive(Debug, Clone, Copy)]
pub struct Judging {
    pub today: crate::date::Date,
    pub cost_rate: Option<f64>,
}

impl Judging {
    pub fn of(engagements: &Engagements) -> Judging {
        Judging {
            today: engagements.today,
            cost_rate: engagements.cost_rate,
        }
    }
}

/// Per role in force (or only `only`), what changed since it was signed.
pub fn since_signed(
    history: Option<&History<'_>>,
    now: &Evaluation<'_>,
    only: Option<&str>,
    judged: Judging,
) -> Vec<SinceSigned> {
    let e = now.engagement();
    let mut memo: HashMap<String, Option<Diff>> = HashMap::new();
    let mut out = Vec::new();
    for status in &now.signoffs.roles {
        if only.is_some_and(|r| r != status.role) {
            continue;
        }
        let Some(in_force) = &status.in_force else {
            continue;
        };
        let s = in_force.signoff;
        let signed = match history {
            Some(h) => h.signed_content(&e.dir, s, SEARCH_LIMIT),
            None => Signed::NotFound {
                searched: 0,
                cut: false,
                recorded: None,
            },
        };
        let changed = matches!(in_force.freshness, Freshness::Stale(_));
        let diff = match (history, signed.commit()) {
            (Some(h), Some(commit)) if changed => memo
                .entry(commit.id.to_string())
                .or_insert_with(|| compare(h, now, &signed, judged))
                .clone(),
            _ => None,
        };
        let kinds = match &in_force.freshness {
            Freshness::Stale(kinds) => kinds.clone(),
            Freshness::Fresh => Vec::new(),
        };
        out.push(SinceSigned {
            role: status.role.to_string(),
            signoff: s.clone(),
            signer: signoff::signer_name(e, &s.by),
            signed,
            diff,
            changed,
            kinds,
            stale: in_force.stale_words(),
        });
    }
    out
}

/// The items an engagement diff names, highlights' items first: "P-07
/// effort", "G-03 status (+1 field)", "P-09 added", "effort.sold".
pub fn item_words(d: &EngagementDiff) -> Vec<String> {
    let mut words: Vec<(bool, String)> = Vec::new();
    let highlighted = |id: &str| d.highlights.iter().any(|h| h.item == id);
    for item in &d.items {
        let what = match item.change {
            Change::Added => "added".to_string(),
            Change::Removed => "removed".to_string(),
            Change::Changed => {
                let mut names: Vec<&str> = Vec::new();
                for f in &item.fields {
                    if !names.contains(&f.field.as_str()) {
                        names.push(&f.field);
                    }
                }
                match names.as_slice() {
                    [] => "changed".to_string(),
                    [one] => (*one).to_string(),
                    [a, rest @ ..] => {
                        format!("{a} (+{})", crate::output::plural(rest.len(), "field"))
                    }
                }
            }
        };
        words.push((highlighted(&item.id), format!("{} {what}", item.id)));
    }
    for field in &d.handoff {
        let name = field.field.clone();
        if !words.iter().any(|(_, w)| *w == name) {
            words.push((false, name));
        }
    }
    // Stable: highlighted items first, each group in the diff's order.
    words.sort_by_key(|(high, _)| !*high);
    words.into_iter().map(|(_, w)| w).collect()
}

/// Looks up, once per run and engagement, the items changed since each
/// stale sign-off's content (by recorded commit, or by fingerprint in at
/// most [`SEARCH_LIMIT`] commits), so `signoff-stale` names them. Does
/// nothing outside a repository, or when no sign-off is stale.
pub fn describe_stale(engagements: &mut Engagements) {
    let mut stale: Vec<usize> = Vec::new();
    let mut fingerprints = HashMap::new();
    for (i, (e, config)) in engagements
        .engagements
        .iter()
        .zip(&engagements.configs)
        .enumerate()
    {
        let state = State::new(e, config);
        if state
            .in_force()
            .any(|f| matches!(f.freshness, Freshness::Stale(_)))
        {
            stale.push(i);
        }
        // Computed for a sign-off: kept for the evaluation.
        if let Some(fingerprint) = state.computed() {
            fingerprints.insert(e.dir.clone(), fingerprint.clone());
        }
    }
    engagements.fingerprints.extend(fingerprints);
    let Some(first) = stale.first() else { return };
    let Some(repo) = repo_for(&engagements.engagements[*first].dir) else {
        return;
    };
    let Some(history) = history(&repo) else {
        return;
    };
    let mut found: HashMap<String, ChangedItems> = HashMap::new();
    for i in stale {
        let e = &engagements.engagements[i];
        let config = &engagements.configs[i];
        let now = Evaluation::with_changes(
            e,
            config,
            engagements.today,
            engagements.cost_rate,
            None,
            engagements.fingerprints.get(&e.dir),
        );
        let mut items = ChangedItems::new();
        for since in since_signed(Some(&history), &now, None, Judging::of(engagements)) {
            if !since.changed {
                continue;
            }
            if let Some(d) = since.diff.as_ref().and_then(|d| d.engagements.first()) {
                items.insert(since.role, item_words(d));
            }
        }
        if !items.is_empty() {
            found.insert(e.dir.clone(), items);
        }
    }
    engagements.changed.extend(found);
}
