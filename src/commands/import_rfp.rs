//! `handoff import rfp MATRIX [ENGAGEMENT] --map MAP.toml`: the buyer's
//! compliance matrix becomes the engagement's promises, in one file the
//! import owns (docs/rfp.md). The map, the matrix and the engagement are
//! checked whole first; any problem and nothing is written. The file is
//! written through the surgical editor, which loads the result before it
//! replaces anything.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::import::{edit_error, sheet_diagnostic};
use super::outln;
use crate::analysis::Coverage;
use crate::cli::ImportRfpArgs;
use crate::diag::{Diagnostic, Sources};
use crate::error::{Error, Exit, Failure, Refusal};
use crate::evaluate::Evaluation;
use crate::finding::RuleCode;
use crate::load::display;
use crate::load::edit::{EditError, EditValue, Editor, Kind};
use crate::model::{Engagement, Response};
use crate::rfp::convert::{Converted, Problem, convert};
use crate::rfp::map::Map;
use crate::rfp::plan::{Action, Conflict, Plan, Value, plan};
use crate::workspace::{Source, Workspace};

pub fn run(args: &ImportRfpArgs) -> Result<Exit, Error> {
    let mut sources = Sources::default();
    let map = Map::from_file(&args.map, &mut sources).map_err(|diagnostics| {
        Error::Invalid(Failure {
            diagnostics,
            sources,
            all: false,
        })
    })?;

    let dir = args
        .engagement
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    let engagements = Workspace::new(Source::WorkTree, args.eval.options())
        .open(&[super::engagement_or(&dir)])
        .map_err(Error::Invalid)?;
    let evaluations = engagements.evaluations();
    let [before] = evaluations.as_slice() else {
        return Err(Refusal::new(format!(
            "{} holds {} engagements; import a matrix into one engagement at a time",
            display(&dir),
            evaluations.len()
        ))
        .help("give the engagement folder after the matrix")
        .into());
    };
    let engagement = before.engagement();
    let engagement_dir = PathBuf::from(&engagement.dir);
    let target = target_file(&engagement_dir, args.into.as_deref())?;
    let target_shown = display(&target);

    let book = crate::sheet::read(&args.matrix).map_err(|err| {
        Error::Invalid(Failure {
            diagnostics: vec![sheet_diagnostic(&err)],
            ..Failure::default()
        })
    })?;
    let matrix = crate::rfp::read::matrix(&book);
    // An engagement that names no unit counts in days (docs/format.md).
    let unit = engagement
        .handoff
        .effort
        .unit
        .unwrap_or(crate::model::EffortUnit::Days);
    let converted = convert(&matrix, &map, unit);
    for warning in &converted.warnings {
        crate::output::messages::warning(&problem_text(warning), warning.help.as_deref());
    }
    if !converted.errors.is_empty() {
        let n = converted.errors.len();
        let mut refusal = Refusal::new(format!(
            "{} has {n} problem{} to fix first",
            matrix.file,
            if n == 1 { "" } else { "s" }
        ));
        refusal.problems = Some(Failure {
            diagnostics: converted.errors.iter().map(diagnostic).collect(),
            ..Failure::default()
        });
        refusal.outcome = Some("nothing was written");
        return Err(refusal.into());
    }
    if converted.requirements.is_empty() {
        return Err(Refusal::new(format!(
            "{} holds no requirement under its header row",
            matrix.file
        ))
        .help("a requirement is a row with an id below the header; check the map's columns")
        .into());
    }

    let plan = plan(
        &converted,
        &map,
        &engagement.promises,
        &target_shown,
        args.remove,
    )
    .map_err(|conflicts| refuse_conflicts(&conflicts, &target_shown))?;

    let mut editor = Editor::new(&engagement_dir);
    apply(&plan, &target, &mut editor).map_err(edit_error)?;
    let after = editor.check().map_err(|failure| {
        let mut refusal = Refusal::new(format!(
            "the promises would not load after the import, so {target_shown} was not written"
        ));
        refusal.problems = Some(failure);
        refusal.help =
            Some("this is a bug in handoff: please report it with the matrix and the map".into());
        Error::from(refusal)
    })?;

    let summary = summary(&plan, &converted, &matrix.file, &target_shown, args.remove);
    if args.dry_run {
        let after_ev = Evaluation::new(
            &after,
            before.config,
            engagements.today,
            engagements.cost_rate,
        );
        let label = |text: &str| crate::diff::Revision {
            label: text.to_string(),
            commit: None,
            summary: None,
        };
        let diff = crate::diff::compare(
            label("files"),
            label("after import"),
            vec![engagement.dir.clone()],
            std::slice::from_ref(before),
            std::slice::from_ref(&after_ev),
            crate::diff::Options::default(),
        );
        super::print_out(&crate::output::diff::text::render(&diff))?;
        outln!("{summary}");
        outln!("dry run: nothing written");
        return Ok(Exit::Ok);
    }
    if editor.changes().is_empty() {
        outln!("{summary}");
        return Ok(Exit::Ok);
    }
    editor.write().map_err(edit_error)?;
    outln!("{summary}");

    // What `handoff check` now says about the promises just imported, with
    // the config in force, from the files as written.
    let engagements = Workspace::new(Source::WorkTree, args.eval.options())
        .open(&[engagement_dir])
        .map_err(Error::Invalid)?;
    if let [ev] = engagements.evaluations().as_slice() {
        let ids: HashSet<&str> = converted
            .requirements
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        outln!("{}", check_line(ev, &ids));
    }
    Ok(Exit::Ok)
}

/// The promise file the import writes: `promises/rfp.yaml`, or `--into`
/// when it names a file the loader reads as promises.
fn target_file(dir: &Path, into: Option<&Path>) -> Result<PathBuf, Error> {
    let promises_dir = dir.join("promises");
    let Some(into) = into else {
        return Ok(promises_dir.join("rfp.yaml"));
    };
    let refuse = || -> Error {
        Refusal::new(format!(
            "--into {} is not a promise file of the engagement {}",
            display(into),
            display(dir)
        ))
        .help(format!(
            "give a .yaml file in {} (such as {}), or {}: handoff reads promises only there",
            display(&promises_dir),
            display(&promises_dir.join("rfp-2.yaml")),
            display(&dir.join("promises.yaml"))
        ))
        .into()
    };
    let Some(name) = into.file_name().and_then(|n| n.to_str()) else {
        return Err(refuse());
    };
    if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
        return Err(refuse());
    }
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&parent, &promises_dir)
        // A promises/ folder the import is about to create.
        || (!promises_dir.exists()
            && parent.file_name().is_some_and(|n| n == "promises")
            && parent.parent().is_some_and(|p| same(if p.as_os_str().is_empty() { Path::new(".") } else { p }, dir)))
    {
        return Ok(promises_dir.join(name));
    }
    if same(&parent, dir) && (name == "promises.yaml" || name == "promises.yml") {
        return Ok(dir.join(name));
    }
    Err(refuse())
}

fn apply(plan: &Plan, target: &Path, editor: &mut Editor) -> Result<(), EditError> {
    for action in &plan.actions {
        match action {
            Action::Create { fields, .. } => {
                let fields: Vec<(&str, EditValue)> =
                    fields.iter().map(|(k, v)| (*k, edit_value(v))).collect();
                editor.append(Kind::Promise, target, &fields)?;
            }
            Action::Set { id, path, value } => {
                let value = value.as_ref().map(edit_value);
                editor.set(Kind::Promise, target, id, path, value.as_ref())?;
            }
            Action::Withdraw { id } => editor.withdraw(target, id)?,
        }
    }
    Ok(())
}

/// The plan's values in the editor's terms: the one place that knows both.
fn edit_value(value: &Value) -> EditValue {
    match value {
        Value::Text(t) => EditValue::Text(t.clone()),
        Value::Number(n) => EditValue::Number(*n),
        Value::List(items) => EditValue::List(items.iter().map(edit_value).collect()),
        Value::Record(fields) => EditValue::Record(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_string(), edit_value(v)))
                .collect(),
        ),
    }
}

fn problem_text(problem: &Problem) -> String {
    match &problem.at {
        Some(at) => format!("{at}: {}", problem.message),
        None => problem.message.clone(),
    }
}

fn diagnostic(problem: &Problem) -> Diagnostic {
    let d = Diagnostic::general(problem_text(problem));
    match &problem.help {
        Some(help) => d.with_help(help.clone()),
        None => d,
    }
}

fn refuse_conflicts(conflicts: &[Conflict], target: &str) -> Error {
    let mut by_hand = Vec::new();
    let mut elsewhere = Vec::new();
    for conflict in conflicts {
        match conflict {
            Conflict::NotImported { id, .. } => by_hand.push(id.as_str()),
            Conflict::IdElsewhere { id, at } => elsewhere.push(format!("{id} ({at})")),
        }
    }
    let refusal = if by_hand.is_empty() {
        Refusal::new(format!(
            "the matrix has requirements whose ids are promises in other files: {}",
            elsewhere.join(", ")
        ))
        .help("the import would make duplicates: renumber or remove those promises, or import into the file that holds them with --into")
    } else {
        Refusal::new(format!(
            "{target} holds promises that were not imported from a matrix ({}), so the import does not write to it",
            by_hand.join(", ")
        ))
        .help("import into a file of its own with --into, e.g. --into promises/rfp-matrix.yaml; hand-written promises are never touched")
        .note("an imported promise has `source: {kind: rfp, ref: \"<file> › <sheet> › <id>\"}`")
    };
    let mut refusal = refusal;
    refusal.outcome = Some("nothing was written");
    refusal.into()
}

/// What was (or would be) done, in one line; the gone requirements on a
/// line of their own.
fn summary(plan: &Plan, converted: &Converted, file: &str, target: &str, remove: bool) -> String {
    let n = converted.requirements.len();
    let sheets = if converted.sheets.is_empty() {
        String::new()
    } else {
        format!(" ({})", converted.sheets.join(", "))
    };
    let mut parts = vec![
        format!("{} new", plan.created),
        format!("{} updated", plan.updated),
        format!("{} unchanged", plan.unchanged + plan.renamed),
    ];
    if remove && !plan.gone.is_empty() {
        parts.push(format!("{} withdrawn", plan.gone.len()));
    }
    let mut out = format!(
        "{n} requirement{} from {file}{sheets} into {target}: {}",
        if n == 1 { "" } else { "s" },
        parts.join(", ")
    );
    if plan.new_source > 0 {
        out.push_str(&format!(
            "; the source of {} now names {file}",
            if plan.new_source == 1 {
                "1 promise".to_string()
            } else {
                format!("{} promises", plan.new_source)
            }
        ));
    }
    if !plan.gone.is_empty() {
        out.push_str(&format!(
            "\nno longer in the matrix: {}{}",
            plan.gone.join(", "),
            if remove {
                " (set to status: withdrawn)"
            } else {
                " (kept; --remove sets them to status: withdrawn)"
            }
        ));
    }
    if !plan.still_withdrawn.is_empty() {
        out.push_str(&format!(
            "\nin the matrix again but withdrawn in {target}, left so: {}",
            plan.still_withdrawn.join(", ")
        ));
    }
    out
}

/// `handoff check` on the imported promises: how many nobody scoped, and
/// which roadmap or custom answers no gap records.
fn check_line(ev: &Evaluation<'_>, ids: &HashSet<&str>) -> String {
    let e: &Engagement = ev.engagement();
    let index = &ev.analysis.index;
    let unscoped = ev
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::UnscopedPromise && ids.contains(f.item.as_str()))
        .count();
    let not_in_scope = ev
        .analysis
        .promises_with_coverage()
        .filter(|(p, c)| ids.contains(p.id.value.as_str()) && *c == Coverage::Unscoped)
        .count();
    let unrecorded: Vec<&str> = e
        .promises
        .iter()
        .filter(|p| ids.contains(p.id.value.as_str()))
        .filter(|p| matches!(p.response, Some(Response::Roadmap | Response::Custom)))
        .filter(|p| index.gaps_for_promise(&p.id).is_empty())
        .map(|p| p.id.value.as_str())
        .collect();
    let recorded = not_in_scope - unscoped.min(not_in_scope);
    let mut line = format!(
        "check: of the {} imported promises, {not_in_scope} {} unscoped{}; {} roadmap or custom answer{} no gap records{}",
        ids.len(),
        if not_in_scope == 1 { "is" } else { "are" },
        if recorded > 0 {
            format!(" ({recorded} of them recorded by a gap)")
        } else {
            String::new()
        },
        unrecorded.len(),
        if unrecorded.len() == 1 { "" } else { "s" },
        if unrecorded.is_empty() {
            String::new()
        } else {
            format!(" ({})", unrecorded.join(", "))
        },
    );
    line.push_str(&format!(
        "\n{} is {}: `handoff check {}` lists every finding",
        e.id(),
        ev.verdict.words(),
        e.dir
    ));
    line
}
