//! `handoff site`: a static HTML site of every engagement under the paths,
//! written into a folder: the portfolio pages ([`site::PAGES`]) and one
//! page per engagement under `engagements/`. An engagement that cannot be
//! read is listed as "cannot be evaluated" with its first problem and does
//! not stop the others.
//!
//! The folder holds a marker file listing what the last run wrote. A
//! folder with other files is refused unless `--force` (and even then its
//! files are left alone); files a previous run wrote for an engagement
//! that is gone are removed. Each file is written atomically.

use std::collections::{BTreeSet, HashSet};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::outln;
use crate::cli::{AudienceArg, SiteArgs};
use crate::date::Date;
use crate::error::{Error, Exit, Refusal};
use crate::evaluate::Evaluation;
use crate::fsutil;
use crate::git::Repo;
use crate::load::display;
use crate::model::audience::{Reader, Shown, View};
use crate::model::decl::PROMISE;
use crate::model::{Criticality, Engagement, GapStatus, PromiseStatus, Response};
use crate::output::html::page::{self, Made};
use crate::output::html::site::{self, Portfolio, Row};
use crate::output::html::stats::{Burndown, StatsPage};
use crate::output::report::Report;
use crate::signoff::Freshness;
use crate::signoff::git::{self, CommitState};
use crate::stats::history::HistoryStats;
use crate::stats::{self, By};
use crate::workspace::{Invalid, Options, Source, Workspace};

/// The marker file: which files of the folder `handoff site` wrote.
pub const MARKER: &str = ".handoff-site";
const MARKER_HEAD: &str =
    "# written by handoff site: the files below are its own; run it again rather than edit them\n";
/// The folder of the engagements' pages.
const ENGAGEMENTS: &str = "engagements";

/// Where and when a page is made: the date, and the commit when the
/// engagement's files are exactly as committed.
pub(crate) fn made(e: &Engagement, today: Date) -> Made {
    made_from(git::state(Path::new(&e.dir)), today)
}

fn made_from(state: CommitState, today: Date) -> Made {
    let commit = match state {
        CommitState::Clean(commit) => Some(commit.chars().take(12).collect()),
        CommitState::Uncommitted(_) | CommitState::Unavailable(_) => None,
    };
    Made { on: today, commit }
}

pub fn run(args: &SiteArgs) -> Result<Exit, Error> {
    if args.include_private && args.audience == AudienceArg::Customer {
        return Err(Refusal::new(
            "--include-private cannot go with --audience customer: private notes never go to the customer",
        )
        .help("leave out --include-private, or use --audience internal")
        .into());
    }
    let dir = &args.output;
    let shown_dir = display(dir);
    if dir.exists() && !dir.is_dir() {
        return Err(Refusal::new(format!(
            "{shown_dir} is a file, not a folder; nothing was written"
        ))
        .help("give the folder to write the site in with -o")
        .into());
    }
    let previous = previous_files(dir).map_err(|err| {
        Refusal::new(format!(
            "cannot read {shown_dir}: {err}; nothing was written"
        ))
    })?;
    if !args.force && !previous.foreign.is_empty() {
        let mut named: Vec<&str> = previous
            .foreign
            .iter()
            .take(5)
            .map(String::as_str)
            .collect();
        let more = previous.foreign.len().saturating_sub(named.len());
        let more_words = format!("and {more} more");
        if more > 0 {
            named.push(&more_words);
        }
        return Err(Refusal::new(format!(
            "{shown_dir} holds files handoff site did not write ({}); nothing was written",
            named.join(", ")
        ))
        .help("choose another folder with -o, or add --force to write beside them (they are left as they are)")
        .into());
    }

    let paths: Vec<PathBuf> = args.paths.iter().map(|p| super::engagement_or(p)).collect();
    let read = Workspace::new(Source::WorkTree, args.eval.options()).open_each(&paths);
    let view = View {
        reader: args.audience.reader(),
        include_private: args.include_private,
    };
    // The burn-down counts every gap as committed, internal ones too: the
    // customer's copy has none (docs/html.md).
    let history = (view.reader == Reader::Internal).then(|| {
        let mut options = args.eval.options();
        options.today = Some(read.engagements.today);
        history(&paths, options)
    });
    let burndown = match &history {
        None => Burndown::NotShown,
        Some(Ok(found)) => Burndown::Drawn(found),
        Some(Err(why)) => Burndown::Unavailable(why.clone()),
    };
    let files = build(
        &read.engagements.evaluations(),
        &read.invalid,
        view,
        read.engagements.today,
        burndown,
    );

    let written = write_site(dir, &files, &previous.ours).map_err(Refusal::new)?;
    let pages = files.len();
    outln!(
        "{} {shown_dir}: {pages} pages, {} engagements{}",
        if written == 0 { "up to date:" } else { "wrote" },
        read.engagements.engagements.len(),
        if read.invalid.is_empty() {
            String::new()
        } else {
            format!(", {} that cannot be evaluated", read.invalid.len())
        }
    );
    super::finish(&read, Exit::Ok)
}

/// The history the burn-down draws (`handoff stats --history` over the
/// same folders), or why there is none, in a sentence for the page: the
/// site is made all the same.
fn history(paths: &[PathBuf], options: Options) -> Result<HistoryStats, String> {
    let first = paths.first().map_or(Path::new("."), PathBuf::as_path);
    let Ok(repo) = Repo::discover_at(first) else {
        return Err(
            "These engagements are not in a git repository, so there is no history to draw."
                .to_string(),
        );
    };
    if !repo.has_commits() {
        return Err(
            "The git repository has no commits yet, so there is no history to draw.".to_string(),
        );
    }
    super::stats::read_history(&repo, paths, None, options).map_err(|err| {
        let why = match err {
            Error::Revision(e) => e.message,
            Error::Refused(r) => r.message,
            _ => "it cannot be read".to_string(),
        };
        format!("There is no history to draw: {why}.")
    })
}

/// Every file of the site, as (path relative to the folder, contents).
fn build(
    evaluations: &[Evaluation<'_>],
    invalid: &[Invalid],
    view: View,
    today: Date,
    burndown: Burndown<'_>,
) -> Vec<(String, String)> {
    let shown = super::shown_to(evaluations, view);
    let mut files = Vec::with_capacity(evaluations.len() + site::PAGES.len());
    let mut rows = Vec::with_capacity(evaluations.len() + invalid.len());
    let mut slugs = HashSet::new();
    let nav = site::nav_links(view.reader, 1);
    // One status walk per repository, not one per engagement.
    let dirs: Vec<&Path> = evaluations
        .iter()
        .map(|ev| Path::new(ev.engagement().dir.as_str()))
        .collect();
    let mut commits = git::states(&dirs).into_iter();
    // Judged on what the audience may see: every page, the statistics
    // included, is made from these.
    let judged: Vec<Evaluation<'_>> = evaluations
        .iter()
        .zip(&shown)
        .map(|(ev, s)| ev.shown(s))
        .collect();
    for (ev, s) in judged.iter().zip(&shown) {
        let report = Report::new(ev, s);
        let file = format!(
            "{ENGAGEMENTS}/{}.html",
            slug(ev.engagement().id(), &mut slugs)
        );
        let state = commits
            .next()
            .unwrap_or_else(|| CommitState::Unavailable(String::new()));
        let made = made_from(state, today);
        files.push((file.clone(), page::render(&report, s, &made, &nav)));
        rows.push(row(ev, s, file, today));
    }
    for i in invalid {
        rows.push(Row {
            dir: i.dir.clone(),
            problem: i.diagnostics.first().map(|d| match &d.loc {
                Some(loc) => format!("{loc}: {}", d.message),
                None => d.message.clone(),
            }),
            ..Row::default()
        });
    }
    // The groupings of `handoff stats` the PMO asked to see drawn.
    let groupings = [By::SalesOwner, By::Quarter].map(|by| stats::compute(&judged, Some(by)));
    let not_counted = rows
        .iter()
        .filter(|r| r.verdict.is_none())
        .map(|r| {
            (
                r.dir.as_str(),
                r.problem.as_deref().unwrap_or("it could not be read"),
            )
        })
        .collect();
    let portfolio = Portfolio {
        reader: view.reader,
        made: today,
        rows: &rows,
        stats: StatsPage {
            groupings: &groupings,
            not_counted,
            burndown,
        },
    };
    for p in site::pages_for(view.reader) {
        files.push((p.file.to_string(), site::render(p, &portfolio)));
    }
    files
}

/// One engagement's row of the portfolio, from what the audience may see.
fn row(ev: &Evaluation<'_>, shown: &Shown, page: String, today: Date) -> Row {
    let e = &shown.engagement;
    let f = &ev.analysis.figures;
    let internal = shown.view.reader == Reader::Internal;
    let open_of = |c: Criticality| {
        e.gaps
            .iter()
            .filter(|g| g.status == GapStatus::Open && g.criticality() == c)
            .count()
    };
    let kickoff = e.handoff.dates.kickoff;
    let roles = &ev.signoffs.roles;
    let signed = roles.iter().filter(|r| r.in_force.is_some()).count();
    let stale = roles
        .iter()
        .filter_map(|r| r.in_force.as_ref())
        .filter(|i| matches!(i.freshness, Freshness::Stale(_)))
        .count();
    let signoffs = if roles.is_empty() {
        "none required".to_string()
    } else if stale > 0 {
        format!("{signed} of {} signed, {stale} stale", roles.len())
    } else {
        format!("{signed} of {} signed", roles.len())
    };
    Row {
        dir: e.dir.clone(),
        id: Some(e.id().to_string()),
        name: e.handoff.name.clone(),
        page: Some(page),
        customer: e.handoff.customer_name.clone(),
        verdict: Some(ev.verdict),
        kickoff,
        days_to_kickoff: kickoff.map(|k| k.days_after(today)),
        open_blockers: open_of(Criticality::Blocker),
        open_critical: open_of(Criticality::Critical),
        margin_scoped: f.margin_scoped.filter(|_| internal),
        at_risk: f.margin_at_risk.filter(|_| internal),
        currency: e.handoff.contract.currency.clone(),
        roadmap_promises: shown.shows(&PROMISE, "response").then(|| {
            e.promises
                .iter()
                .filter(|p| {
                    p.status == PromiseStatus::Active && p.response == Some(Response::Roadmap)
                })
                .count()
        }),
        signoffs,
        problem: None,
    }
}

/// A file name for an engagement id: lower-case letters, digits, `-` and
/// `_` (the same on every file system and in every URL), unique in the
/// site even when two ids differ only in case or punctuation.
fn slug(id: &str, taken: &mut HashSet<String>) -> String {
    let mut base: String = id
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    base = base.trim_matches('-').to_string();
    if base.is_empty() {
        base = "engagement".into();
    }
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// Whether `path` (relative, as the marker lists it) is a name this
/// command writes: a marker that lists anything else (`../x`) is not
/// believed, so a planted marker cannot make a run delete other files.
fn is_site_name(path: &str) -> bool {
    if site::PAGES.iter().any(|p| p.file == path) {
        return true;
    }
    path.strip_prefix(ENGAGEMENTS)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|name| name.strip_suffix(".html"))
        .is_some_and(|stem| {
            !stem.is_empty()
                && stem
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

/// What the folder holds: the files a previous run wrote (by its marker),
/// and every other file.
#[derive(Debug, Default)]
struct Previous {
    ours: BTreeSet<String>,
    foreign: Vec<String>,
}

fn previous_files(dir: &Path) -> std::io::Result<Previous> {
    let mut previous = Previous::default();
    if !dir.exists() {
        return Ok(previous);
    }
    let marker = dir.join(MARKER);
    let marked = match fsutil::read_regular(&marker) {
        Ok(bytes) => String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| !l.starts_with('#') && is_site_name(l))
            .map(str::to_string)
            .collect(),
        Err(err) if err.kind() == ErrorKind::NotFound => BTreeSet::new(),
        Err(err) => return Err(err),
    };
    let mut found = Vec::new();
    list(dir, "", 0, &mut found)?;
    for rel in found {
        if rel == MARKER {
            continue;
        }
        if marked.contains(&rel) {
            previous.ours.insert(rel);
        } else {
            previous.foreign.push(rel);
        }
    }
    previous.foreign.sort();
    Ok(previous)
}

/// Every file and link below `dir`, as relative paths; links are listed,
/// not followed. Depth is bounded: the site has one level of folders.
fn list(dir: &Path, prefix: &str, depth: usize, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type()?;
        if kind.is_dir() && depth < 2 {
            list(&entry.path(), &rel, depth + 1, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// Writes every file that differs (atomically, each), removes the files a
/// previous run wrote that this one does not, then the marker; the number
/// of files written.
fn write_site(
    dir: &Path,
    files: &[(String, String)],
    previous: &BTreeSet<String>,
) -> Result<usize, String> {
    let engagements = dir.join(ENGAGEMENTS);
    if engagements
        .symlink_metadata()
        .is_ok_and(|m| !m.file_type().is_dir())
    {
        return Err(format!(
            "{} is not a folder (a link or a file); nothing was written",
            display(&engagements)
        ));
    }
    std::fs::create_dir_all(&engagements)
        .map_err(|err| format!("cannot create folder {}: {err}", display(&engagements)))?;
    let mut written = 0;
    for (rel, text) in files {
        let path = dir.join(rel);
        if fsutil::read_regular(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        fsutil::write_atomic(&path, text.as_bytes())
            .map_err(|err| format!("cannot write {}: {err}", display(&path)))?;
        written += 1;
    }
    let now: BTreeSet<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    for gone in previous.iter().filter(|rel| !now.contains(rel.as_str())) {
        let path = dir.join(gone);
        // Only a regular file: never a link or folder put in its place.
        if path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_file())
        {
            std::fs::remove_file(&path)
                .map_err(|err| format!("cannot remove {}: {err}", display(&path)))?;
            written += 1;
        }
    }
    let mut marker = MARKER_HEAD.to_string();
    for rel in &now {
        marker.push_str(rel);
        marker.push('\n');
    }
    let marker_path = dir.join(MARKER);
    if !fsutil::read_regular(&marker_path).is_ok_and(|old| old == marker.as_bytes()) {
        fsutil::write_atomic(&marker_path, marker.as_bytes())
            .map_err(|err| format!("cannot write {}: {err}", display(&marker_path)))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(slug("NW-2026-014", &mut taken), "nw-2026-014");
        assert_eq!(slug("nw-2026-014", &mut taken), "nw-2026-014-2");
        assert_eq!(slug("../../etc", &mut taken), "etc");
        assert_eq!(slug("<script>", &mut taken), "script");
        assert_eq!(slug("…", &mut taken), "engagement");
    }

    #[test]
    fn a_marker_names_only_what_the_site_writes() {
        assert!(is_site_name("index.html"));
        assert!(is_site_name("engagements/nw-1.html"));
        assert!(!is_site_name("engagements/../x.html"));
        assert!(!is_site_name("../index.html"));
        assert!(!is_site_name("notes.txt"));
    }
}
