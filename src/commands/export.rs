//! `handoff export`: the engagement as a workbook (xlsx) or csv files, for
//! people who live in spreadsheets; `handoff import` brings their edits
//! back. The layout is `output::sheets`; the bytes are `sheet`'s.

use std::path::Path;

use super::outln;
use crate::cli::{AudienceArg, ExportArgs, ExportFormat};
use crate::error::{Error, Exit, Refusal};
use crate::load::display;
use crate::model::audience::{self, View};
use crate::output::messages;
use crate::output::sheets;
use crate::workspace::{Source, Workspace};

pub fn run(args: &ExportArgs) -> Result<Exit, Error> {
    if args.include_private && args.audience == AudienceArg::Customer {
        return Err(Refusal::new(
            "--include-private cannot go with --audience customer: private notes never go to the customer",
        )
        .help("leave out --include-private, or use --audience internal")
        .into());
    }
    let workspace = Workspace::new(Source::WorkTree, args.eval.options())
        .open(&[super::engagement_or(&args.engagement)])
        .map_err(Error::Invalid)?;
    let evaluations = workspace.evaluations();
    let [ev] = evaluations.as_slice() else {
        let dirs: Vec<String> = evaluations
            .iter()
            .map(|ev| ev.engagement().dir.clone())
            .collect();
        return Err(Refusal::new(format!(
            "{} holds {} engagements; a workbook holds one engagement",
            display(&args.engagement),
            dirs.len()
        ))
        .help(format!("give one of: {}", dirs.join(", ")))
        .into());
    };
    let view = View {
        reader: args.audience.reader(),
        include_private: args.include_private,
    };
    let shown = audience::filter(ev.engagement(), view, ev.analysis.cost_rate);
    messages::left_out(&shown.left_out, view.reader);
    let out = &args.output;
    match args.format {
        ExportFormat::Xlsx => {
            let name = out
                .file_name()
                .map_or_else(|| display(out), |n| n.to_string_lossy().into_owned());
            let book = sheets::workbook(ev, &shown, &name);
            let bytes =
                crate::sheet::write_xlsx(&book).map_err(|err| Refusal::new(err.to_string()))?;
            refuse_foreign_workbook(out, args.force)?;
            crate::fsutil::write_atomic(out, &bytes)
                .map_err(|err| Refusal::new(format!("cannot write {}: {err}", display(out))))?;
            outln!(
                "wrote {} ({} export of {})",
                display(out),
                view.reader.as_str(),
                ev.engagement().id()
            );
        }
        ExportFormat::Csv => {
            if out.exists() && !out.is_dir() {
                return Err(Refusal::new(format!(
                    "{} is a file; csv export writes one file per kind into a folder",
                    display(out)
                ))
                .help("give a folder with -o, or use --format xlsx")
                .into());
            }
            let files = sheets::csv_sheets(&shown);
            let mut planned = Vec::new();
            for (name, sheet) in &files {
                let path = out.join(name);
                let bytes = crate::sheet::write_csv(sheet);
                refuse_foreign_csv(&path, args.force)?;
                planned.push((path, bytes));
            }
            std::fs::create_dir_all(out)
                .map_err(|err| Refusal::new(format!("cannot create {}: {err}", display(out))))?;
            for (path, bytes) in &planned {
                crate::fsutil::write_atomic(path, bytes).map_err(|err| {
                    Refusal::new(format!("cannot write {}: {err}", display(path)))
                })?;
            }
            outln!(
                "wrote {} csv files in {} ({} export of {})",
                planned.len(),
                display(out),
                view.reader.as_str(),
                ev.engagement().id()
            );
        }
    }
    if args.include_private {
        messages::note(&format!(
            "{} contains stakeholders' private notes; keep it inside the team",
            display(out)
        ));
    }
    Ok(Exit::Ok)
}

/// A workbook is ours when it carries the `_handoff` sheet.
fn refuse_foreign_workbook(path: &Path, force: bool) -> Result<(), Error> {
    if force || path.symlink_metadata().is_err() {
        return Ok(());
    }
    let ours = crate::sheet::read(path).is_ok_and(|book| book.sheet(sheets::META_SHEET).is_some());
    if ours {
        return Ok(());
    }
    Err(Refusal::new(format!(
        "{} exists and was not written by handoff export",
        display(path)
    ))
    .help("choose another file name, or add --force to replace it")
    .into())
}

/// A csv file is ours when its header row holds only headers of the kind
/// its name says (an internal export may replace a customer one).
fn refuse_foreign_csv(path: &Path, force: bool) -> Result<(), Error> {
    if force || path.symlink_metadata().is_err() {
        return Ok(());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = sheets::KINDS
        .iter()
        .copied()
        .find(|&k| sheets::csv_name(k) == name);
    let ours = kind.is_some_and(|kind| {
        let headers: Vec<&str> = sheets::columns(kind).iter().map(|c| c.header).collect();
        crate::sheet::read(path).is_ok_and(|book| {
            book.sheets
                .first()
                .and_then(|s| s.rows.first())
                .is_some_and(|row| {
                    row.number == 1
                        && row.cells.iter().all(|c| {
                            c.value
                                .as_text()
                                .is_some_and(|h| headers.contains(&h.as_str()))
                        })
                })
        })
    });
    if ours {
        return Ok(());
    }
    Err(Refusal::new(format!(
        "{} exists and was not written by handoff export",
        display(path)
    ))
    .help("choose another folder, or add --force to replace it")
    .into())
}
