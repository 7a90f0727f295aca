//! `handoff diff [BASE] [HEAD] [-- PATH...]`: both sides read from git's
//! object store (or the working tree for HEAD), evaluated with HEAD's
//! config, compared by id.

use std::path::PathBuf;
use std::sync::Arc;

use super::write::{Kind, deliver};
use crate::cli::{DiffArgs, DiffFormat, FailOn};
use crate::diff::{self, Revision};
use crate::error::Exit;
use crate::error::{Error, Failure, Refusal};
use crate::evaluate::Evaluation;
use crate::finding::Severity;
use crate::git::{CommitRef, GitTree, Repo, RevError};
use crate::load::{self, Loaded};
use crate::model::IdSet;
use crate::output::diff::{json, markdown, text};
use crate::since;
use crate::workspace::{Invalid, Source, Workspace};

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

fn revision(c: &CommitRef) -> Revision {
    Revision {
        label: c.label.clone(),
        commit: Some(c.oid.to_string()),
        summary: Some(c.summary.clone()).filter(|s| !s.is_empty()),
    }
}

/// Sets apart the engagements of one side that cannot be read, with
/// their problems: the others are still compared. Problems outside any
/// engagement folder are left in `loaded`, for [`unreadable`].
fn set_apart(loaded: &mut Loaded) -> Failure {
    let mut apart = Failure::default();
    let mut keep = Vec::new();
    for (i, d) in std::mem::take(&mut loaded.diagnostics)
        .into_iter()
        .enumerate()
    {
        if loaded.folders.iter().any(|f| f.problems.contains(&i)) {
            apart.diagnostics.push(d);
        } else {
            keep.push(d);
        }
    }
    loaded.diagnostics = keep;
    apart.sources = loaded.sources.clone();
    apart
}

/// The folders of one side that had problems.
fn bad_folders(loaded: &Loaded) -> Vec<String> {
    loaded
        .folders
        .iter()
        .filter(|f| !f.problems.is_empty())
        .map(|f| f.dir.clone())
        .collect()
}

/// Sets apart, like a folder that cannot be read, each engagement of one
/// side with a sign-off role its config does not know: that engagement is
/// not compared, and the others still are.
fn roles_apart(
    workspace: &mut Workspace,
    loaded: &Loaded,
    bad: &mut Vec<String>,
    apart: &mut Failure,
) {
    for (dir, problems) in workspace.signoff_role_problems(&loaded.signoff_roles) {
        if !bad.contains(&dir) {
            bad.push(dir);
        }
        apart.diagnostics.extend(problems);
    }
}

/// Leaves out of one side the engagements in `dirs`, and their sign-off
/// roles: an engagement that one side cannot read is compared on neither.
fn leave_out(loaded: &mut Loaded, dirs: &[String]) {
    loaded.engagements.retain(|e| !dirs.contains(&e.dir));
    loaded.signoff_roles.retain(|role| {
        let dir = std::path::Path::new(&*role.loc.file)
            .parent()
            .map_or_else(|| ".".to_string(), load::display);
        !dirs.contains(&dir)
    });
}

/// The problems of one side that belong to no engagement, if any: the
/// comparison stops there.
fn unreadable(side: String, loaded: &mut Loaded) -> Result<(), Error> {
    if loaded.diagnostics.is_empty() {
        return Ok(());
    }
    Err(Error::Unreadable {
        side,
        failure: Failure {
            diagnostics: std::mem::take(&mut loaded.diagnostics),
            sources: std::mem::take(&mut loaded.sources),
            ..Failure::default()
        },
    })
}

pub fn run(args: &DiffArgs) -> Result<Exit, Error> {
    if let Some(role) = &args.since_signoff {
        return since_signoff(args, role);
    }
    let repo = Repo::discover()?;
    let range = resolve_range(&repo, args)?;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if repo.map().to_root(path).is_none() {
            return Err(Refusal::new(format!(
                "{} is outside the repository; give folders inside it",
                load::display(path)
            ))
            .into());
        }
    }

    let base_tree = repo.tree(&range.base)?;
    let head_tree = match &range.head {
        Some(commit) => Some(repo.tree(commit)?),
        None => None,
    };
    let base = Source::Commit(&base_tree);
    let head = head_tree.as_ref().map_or(Source::WorkTree, Source::Commit);
    let base_rev = revision(&range.base);
    let head_rev = range
        .head
        .as_ref()
        .map_or_else(Revision::working_tree, revision);

    for path in &paths {
        if !base.tree().is_dir(path) && !head.tree().is_dir(path) {
            return Err(Refusal::new(format!(
                "{} is not a folder at {} nor at {}",
                load::display(path),
                base_rev.short(),
                head_rev.short()
            ))
            .help(
                "give engagement folders, or folders that hold some, as they are in the repository",
            )
            .into());
        }
    }
    // HEAD's config says which folders are left out, on both sides.
    let mut workspace = Workspace::new(head, args.eval.options());
    let excluder = workspace.excluder(&paths);
    let skip = |root: &std::path::Path, dir: &std::path::Path| excluder.skips(root, dir);
    // Most files are the same at both commits: each such file is read and
    // parsed once, and its items handed to the other side. The working tree
    // names no content, so a comparison with it reads both sides. Either
    // way the items keep their text, so those written the same are not
    // compared field by field.
    let memo = match &head_tree {
        Some(head) => load::Memo::new(|path| base_tree.same_file(head, path)),
        None => load::Memo::new(|_| false),
    };
    let load_side = |tree: &dyn load::Tree| load::load_present_memo(tree, &paths, &skip, &memo);
    let mut base_loaded = load_side(base.tree());
    let mut base_bad = bad_folders(&base_loaded);
    let mut base_apart = set_apart(&mut base_loaded);
    roles_apart(&mut workspace, &base_loaded, &mut base_bad, &mut base_apart);
    unreadable(base_rev.short(), &mut base_loaded)?;
    let mut head_loaded = load_side(head.tree());
    // What the head did not ask for (an engagement gone at HEAD) is freed.
    drop(memo);
    let mut head_bad = bad_folders(&head_loaded);
    let mut head_apart = set_apart(&mut head_loaded);
    roles_apart(&mut workspace, &head_loaded, &mut head_bad, &mut head_apart);
    unreadable(head_rev.short(), &mut head_loaded)?;
    // One engagement that cannot be read on either side never stops the
    // comparison of the others.
    let mut not_compared: Vec<(String, Invalid)> = Vec::new();
    for (side, bad, apart) in [
        (base_rev.short(), &base_bad, &base_apart),
        (head_rev.short(), &head_bad, &head_apart),
    ] {
        for dir in bad {
            let in_dir = |file: &str| {
                std::path::Path::new(file)
                    .parent()
                    .is_some_and(|p| load::display(p) == *dir || p.starts_with(dir))
            };
            not_compared.push((
                side.clone(),
                Invalid {
                    dir: dir.clone(),
                    diagnostics: apart
                        .diagnostics
                        .iter()
                        .filter(|d| d.loc.as_ref().is_none_or(|l| in_dir(&l.file)))
                        .cloned()
                        .collect(),
                    config: None,
                },
            ));
        }
    }
    let (base_side_name, head_side_name) = (base_rev.short(), head_rev.short());
    let all_bad: Vec<String> = base_bad.iter().chain(&head_bad).cloned().collect();
    leave_out(&mut base_loaded, &all_bad);
    leave_out(&mut head_loaded, &all_bad);
    // Nothing left to compare: the side that cannot be read is the answer.
    if base_loaded.engagements.is_empty() && head_loaded.engagements.is_empty() {
        for (side, failure) in [
            (base_rev.short(), &base_apart),
            (head_rev.short(), &head_apart),
        ] {
            if !failure.is_empty() {
                return Err(Error::Unreadable {
                    side,
                    failure: Failure {
                        diagnostics: failure.diagnostics.clone(),
                        sources: failure.sources.clone(),
                        ..Failure::default()
                    },
                });
            }
        }
    }
    if base_loaded.engagements.is_empty()
        && head_loaded.engagements.is_empty()
        && all_bad.is_empty()
    {
        return Err(Refusal::new(format!(
            "no engagement found in {} at {} or {}",
            paths
                .iter()
                .map(|p| load::display(p))
                .collect::<Vec<_>>()
                .join(", "),
            base_rev.short(),
            head_rev.short()
        ))
        .help("an engagement is a folder that contains handoff.yaml")
        .into());
    }

    // HEAD's config judges both sides, so a finding is new because the
    // engagement changed, never because the rules did.
    let base_side = workspace
        .judge(base_loaded)
        .map_err(|failure| Error::Unreadable {
            side: base_rev.short(),
            failure,
        })?;
    let head_side = workspace
        .judge(head_loaded)
        .map_err(|failure| Error::Unreadable {
            side: head_rev.short(),
            failure,
        })?;
    if let Some(failure) = workspace.take_config_failure() {
        return Err(Error::Invalid(failure));
    }

    let base_evals = base_side.evaluations();
    let head_evals = head_side.evaluations();
    let unchanged = head_tree
        .as_ref()
        .map(|head| unchanged_files(&base_tree, head, &base_evals));
    let diff = diff::compare(
        base_rev,
        head_rev,
        paths.iter().map(|p| load::display(p)).collect(),
        &base_evals,
        &head_evals,
        diff::Options {
            show_notes: args.show_notes,
            unchanged_files: unchanged.as_ref(),
        },
    );
    let (mut out, kind) = match args.format {
        DiffFormat::Text => (text::render(&diff), Kind::Text),
        DiffFormat::Markdown => (markdown::render(&diff), Kind::Markdown),
        DiffFormat::Json => (json::render_with(&diff, &not_compared), Kind::Json),
    };
    // The engagements that could not be compared close the document (the
    // JSON one carries them already).
    if !not_compared.is_empty() {
        match args.format {
            DiffFormat::Text => out.push_str(&text::render_not_compared(&not_compared)),
            DiffFormat::Markdown => out.push_str(&markdown::render_not_compared(&not_compared)),
            DiffFormat::Json => {}
        }
    }
    deliver(&args.out, "handoff diff", "the comparison", kind, &out)?;
    if !not_compared.is_empty() {
        return Err(Error::NotCompared {
            sides: [(base_side_name, base_apart), (head_side_name, head_apart)]
                .into_iter()
                .filter(|(_, f)| !f.is_empty())
                .collect(),
            compared: diff.engagements.len(),
        });
    }
    let failing = match args.fail_on {
        None => 0,
        Some(FailOn::NewErrors) => diff.new_findings_at_least(Severity::Error),
        Some(FailOn::NewWarnings) => diff.new_findings_at_least(Severity::Warning),
    };
    super::discard((diff, out, unchanged));
    super::discard((base_evals, head_evals));
    super::discard((base_side, head_side));
    Ok(if failing > 0 {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// `handoff diff --since-signoff ROLE [-- PATH...]`: per engagement, the
/// content ROLE's sign-off covers (found in the history) against the
/// working tree.
fn since_signoff(args: &DiffArgs, role: &str) -> Result<Exit, Error> {
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut judged = Workspace::new(Source::WorkTree, args.eval.options()).open_each(&paths);
    since::describe_stale(&mut judged.engagements);
    let evaluations = judged.engagements.evaluations();
    let known = evaluations
        .iter()
        .any(|ev| ev.config.signoff_roles.iter().any(|r| r == role));
    if !known && !evaluations.is_empty() {
        let roles = evaluations
            .first()
            .map(|ev| ev.config.signoff_roles.join(", "))
            .unwrap_or_default();
        return Err(Refusal::new(format!("`{role}` is not a sign-off role"))
            .help(format!("sign-off roles: {roles}"))
            .into());
    }
    let repo = evaluations
        .first()
        .and_then(|ev| since::repo_for(&ev.engagement().dir));
    let Some(repo) = repo else {
        if evaluations.is_empty() {
            return super::finish(&judged, Exit::Ok);
        }
        return Err(Refusal::new(
            "this folder is not inside a git repository with commits, so there is no signed content to compare with",
        )
        .help("commit the engagement files; `handoff status` shows which kinds changed since each sign-off")
        .into());
    };
    let history = since::history(&repo);
    let judging = since::Judging::of(&judged.engagements);
    let found: Vec<(String, Option<since::SinceSigned>)> = evaluations
        .iter()
        .map(|ev| {
            let one = since::since_signed(history.as_ref(), ev, Some(role), judging)
                .into_iter()
                .next();
            (ev.engagement().dir.clone(), one)
        })
        .collect();
    let (out, kind) = match args.format {
        DiffFormat::Text => (since_text(role, &found, false), Kind::Text),
        DiffFormat::Markdown => (since_text(role, &found, true), Kind::Markdown),
        DiffFormat::Json => (json::render_since(role, &found), Kind::Json),
    };
    deliver(&args.out, "handoff diff", "the comparison", kind, &out)?;
    let failing = match args.fail_on {
        None => 0,
        Some(level) => {
            let severity = match level {
                FailOn::NewErrors => Severity::Error,
                FailOn::NewWarnings => Severity::Warning,
            };
            found
                .iter()
                .filter_map(|(_, s)| s.as_ref()?.diff.as_ref())
                .map(|d| d.new_findings_at_least(severity))
                .sum()
        }
    };
    super::finish(
        &judged,
        if failing > 0 {
            Exit::Findings
        } else {
            Exit::Ok
        },
    )
}

/// Plainly, for a role whose signed content cannot be compared: not
/// signed, or not in the history (with what can be said).
fn since_missing(role: &str, dir: &str, since: Option<&since::SinceSigned>) -> Option<String> {
    let Some(s) = since else {
        return Some(format!("{dir}: nobody has signed for {role}\n"));
    };
    if !s.changed {
        let old = s
            .stale
            .as_ref()
            .map_or(String::new(), |why| format!(" (but it is stale: {why})"));
        return Some(format!(
            "{dir}: nothing changed since {} signed for {role} on {}{old}\n",
            s.signer, s.signoff.date
        ));
    }
    if s.diff.is_some() {
        return None;
    }
    let why = match &s.signed {
        crate::history::Signed::NotFound { searched: 0, .. } => {
            "there is no git history to search".to_string()
        }
        crate::history::Signed::NotFound {
            searched,
            cut: true,
            ..
        } => format!(
            "it is not in the last {} of the history (the search stops there)",
            crate::output::plural(*searched, "commit")
        ),
        crate::history::Signed::NotFound { searched, .. } => format!(
            "it is not in the history ({} searched)",
            crate::output::plural(*searched, "commit")
        ),
        _ => "it could not be read".to_string(),
    };
    Some(format!(
        "{dir}: the content {} signed for {role} on {} cannot be shown: {why}; what can be said: {} since\n",
        s.signer,
        s.signoff.date,
        crate::signoff::changed_words(&s.kinds)
    ))
}

fn since_text(
    role: &str,
    found: &[(String, Option<since::SinceSigned>)],
    markdown_out: bool,
) -> String {
    let mut out = String::new();
    for (dir, s) in found {
        if let Some(line) = since_missing(role, dir, s.as_ref()) {
            out.push_str(&line);
            continue;
        }
        let Some(diff) = s.as_ref().and_then(|s| s.diff.as_ref()) else {
            continue;
        };
        let Some(s) = s else { continue };
        if markdown_out {
            out.push_str(&markdown::render(diff));
        } else {
            out.push_str(&format!(
                "Since {} signed for {role} on {}:\n",
                s.signer, s.signoff.date
            ));
            out.push_str(&text::render(diff));
        }
        out.push('\n');
    }
    out
}

/// The files the base side's items come from that are the same at both
/// commits: a pull request usually touches a few files of many, and the
/// items of the others need no comparing.
fn unchanged_files(
    base: &GitTree<'_>,
    head: &GitTree<'_>,
    evals: &[Evaluation<'_>],
) -> IdSet<Arc<str>> {
    let mut files: IdSet<Arc<str>> = IdSet::default();
    for ev in evals {
        let e = ev.engagement();
        let locs = e
            .promises
            .iter()
            .map(|i| &i.loc)
            .chain(e.scope.iter().map(|i| &i.loc))
            .chain(e.gaps.iter().map(|i| &i.loc))
            .chain(e.stakeholders.iter().map(|i| &i.loc));
        files.extend(locs.map(|loc| Arc::clone(&loc.file)));
    }
    files.retain(|file| base.same_file(head, std::path::Path::new(&**file)));
    files
}
