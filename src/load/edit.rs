//! Surgical edits of engagement files: change a value where it is written,
//! add an item in the file's own style, remove an item, withdraw a promise.
//! Every other byte (comments, key order, quoting, blank lines) stays as
//! it was, so `git diff` after an edit shows only what changed.
//!
//! # Public API (stable: add, do not change)
//!
//! - [`Editor::new`]`(dir)`: edits for the engagement folder `dir`.
//! - [`Editor::set`]`(kind, file, id, path, Some(&value))` sets a field of
//!   the item `id` of `kind` in `file`: `path` is a declared key (`title`)
//!   or a key of a nested record (`source.ref`). A value already written
//!   is replaced at its place, in its quoting style where it can be; a new
//!   key goes after the keys declared before it, indented like its
//!   neighbours. `None` removes the key (and its lines).
//! - [`Editor::append`]`(kind, file, fields)` adds an item at the end of
//!   `file`'s list, in the style of the items there (indentation, a blank
//!   line between items, flow or block lists); `fields` are (declared key
//!   or `record.key`, value), written in declaration order. A file that
//!   does not exist yet is created with the kind's top key.
//! - [`Editor::remove`]`(kind, file, id)` deletes the item and the blank
//!   line that separated it.
//! - [`Editor::withdraw`]`(file, id)` sets a promise's `status: withdrawn`.
//! - [`Editor::changes`] lists [`FileChange`] `{ path, before, after }`
//!   for every file an edit touched (`before` is `None` for a new file).
//! - [`Editor::check`] loads the engagement as it would be after the edits
//!   (nothing written) and gives it back, or every problem the loader has
//!   with the result as a [`crate::error::Failure`].
//! - [`Editor::write`] checks, then writes every changed file atomically;
//!   if any would not load, or a file changed on disk since it was read,
//!   nothing is written.
//! - [`Kind`] `Stakeholder | Promise | Scope | Gap`: the list key
//!   (`promises`), the id key (`id`, `key`) and the declaration.
//! - [`EditValue`] `Text | Number | Bool | Date | List | Record`: the value
//!   to write, independent of YAML. Text is quoted only when it must be.
//! - [`EditError`] `{ file, message, help }`, or `Invalid(Failure)` when the
//!   result would not load.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::tree::{Entry, FsTree, Tree};
use super::{Loaded, display, load_engagement};
use crate::date::Date;
use crate::error::Failure;
use crate::model::Engagement;
use crate::model::decl::{self, FieldType, KindDecl};
use crate::yaml::{self, Node, Value};

/// The kinds of item an engagement lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Stakeholder,
    Promise,
    Scope,
    Gap,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Promise, Kind::Scope, Kind::Gap, Kind::Stakeholder];

    /// The top key of its files, and the files' stem: `promises`.
    pub fn list_key(self) -> &'static str {
        match self {
            Kind::Stakeholder => "stakeholders",
            Kind::Promise => "promises",
            Kind::Scope => "scope",
            Kind::Gap => "gaps",
        }
    }

    pub fn decl(self) -> &'static KindDecl {
        match self {
            Kind::Stakeholder => &decl::STAKEHOLDER,
            Kind::Promise => &decl::PROMISE,
            Kind::Scope => &decl::SCOPE_ITEM,
            Kind::Gap => &decl::GAP,
        }
    }

    /// The key that names an item: `id`, or `key` for a stakeholder.
    pub fn id_key(self) -> &'static str {
        self.decl().id_key.unwrap_or("id")
    }
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum EditValue {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(Date),
    List(Vec<EditValue>),
    /// A nested record's keys and values, in declaration order.
    Record(Vec<(String, EditValue)>),
}

/// One file as an edit leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// `None`: the edit creates the file.
    pub before: Option<String>,
    pub after: String,
}

#[derive(Debug)]
pub enum EditError {
    /// A file cannot be read or edited as asked.
    File {
        file: String,
        message: String,
        help: Option<String>,
    },
    /// The files would not load after the edits; nothing was written.
    Invalid(Failure),
}

impl EditError {
    fn file(path: &Path, message: impl Into<String>) -> EditError {
        EditError::File {
            file: display(path),
            message: message.into(),
            help: None,
        }
    }

    fn help(self, help: impl Into<String>) -> EditError {
        match self {
            EditError::File { file, message, .. } => EditError::File {
                file,
                message,
                help: Some(help.into()),
            },
            other => other,
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::File { file, message, .. } => write!(f, "{file}: {message}"),
            EditError::Invalid(failure) => write!(
                f,
                "the files would not load after the edit ({} problems)",
                failure.diagnostics.len()
            ),
        }
    }
}

/// Edits to the files of one engagement folder, kept in memory until
/// [`Editor::write`].
#[derive(Debug)]
pub struct Editor {
    dir: PathBuf,
    /// By normalised path: the text read, and the text now (before the
    /// pending replacements of `parsed`).
    files: BTreeMap<PathBuf, (Option<String>, String)>,
    /// A file's parse, kept while edits only replace values in place, with
    /// those replacements: an import that changes a thousand values of a
    /// large file parses it once, not a thousand times.
    parsed: HashMap<PathBuf, Parsed>,
}

/// A parse of a file's text and the in-place replacements computed on it,
/// not yet applied: (byte offset, length, new text); and the items appended
/// after the parse, not yet in the text.
#[derive(Debug)]
struct Parsed {
    root: Option<Node>,
    lines: Vec<usize>,
    pending: Vec<(usize, usize, String)>,
    appending: Option<Appending>,
    /// Each kind's items by id, made on the first set of that kind: a set
    /// finds its item without walking the list, so an import that changes
    /// a value of each of thousands of items stays linear.
    ids: HashMap<Kind, HashMap<String, usize>>,
}

impl Parsed {
    /// `text` (the text parsed) with the replacements and appends applied.
    fn applied(&self, text: &str) -> String {
        let mut sorted: Vec<(usize, usize, &str)> = self
            .pending
            .iter()
            .map(|(start, len, new)| (*start, *len, new.as_str()))
            .collect();
        if let Some(appending) = &self.appending {
            sorted.push((appending.at, 0, &appending.block));
        }
        sorted.sort_by_key(|(start, _, _)| *start);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, len, new) in sorted {
            out.push_str(text.get(at..start).unwrap_or(""));
            out.push_str(new);
            at = start + len;
        }
        out.push_str(text.get(at..).unwrap_or(""));
        out
    }
}

/// Items appended to a file's list and not yet in its text. An item added
/// after the last one leaves the place and the style of the next one as
/// they were (the first items decide the style, and the new item ends the
/// list), so every append after the first renders its lines here instead
/// of parsing the whole file again: an import that adds two thousand
/// promises parses the file twice, not two thousand times.
#[derive(Debug)]
struct Appending {
    kind: Kind,
    /// Byte offset in the parsed text where the next item goes: the start
    /// of the line after the list's last item.
    at: usize,
    /// The lines of the items appended since the parse.
    block: String,
    style: Style,
}

/// How the items of a file's list are written, as the next one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    /// Indentation of the `- `.
    dash: usize,
    /// Indentation of an item's keys.
    key_pad: usize,
    /// A blank line between items.
    gap: bool,
    lists: ListStyle,
    /// Whether an item already holds a list, which settles `lists`; until
    /// then the first appended list decides it.
    lists_seen: bool,
}

impl Appending {
    /// The place and style of the item appended after the last of `kind`'s
    /// list in `doc`; `None` when the list has no item yet (appending
    /// rewrites its key then) or its end is not a line's end.
    fn after(doc: &Doc<'_>, kind: Kind) -> Option<Appending> {
        doc.top(kind.list_key())?;
        let items = doc.items(kind).ok()?;
        let (_, _, end) = items.last()?;
        let at = doc.line_start(end + 1);
        let head = doc.text.get(..at)?;
        if !head.ends_with('\n') {
            return None;
        }
        Some(Appending {
            kind,
            at,
            block: String::new(),
            style: style_of(doc, kind, &items),
        })
    }

    /// Adds an item with the fields `ordered`, as [`append_to`] would.
    fn push(&mut self, ordered: &[(String, EditValue)]) {
        if self.style.gap {
            self.block.push('\n');
        }
        for line in item_lines(ordered, &self.style) {
            self.block.push_str(&line);
            self.block.push('\n');
        }
        // The first list any item holds sets the style of those after it:
        // the new item's, as it was just written.
        if !self.style.lists_seen
            && let Some((key, value)) = ordered
                .iter()
                .find(|(_, v)| matches!(v, EditValue::List(items) if !items.is_empty()))
        {
            let first = render_entry(key, value, 0, Quote::Plain, self.style.lists, true);
            self.style.lists_seen = true;
            self.style.lists = if first.first().is_some_and(|l| *l == format!("{key}:")) {
                ListStyle::Block
            } else {
                ListStyle::Flow
            };
        }
    }
}

impl Editor {
    pub fn new(dir: &Path) -> Editor {
        Editor {
            dir: normal(dir),
            files: BTreeMap::new(),
            parsed: HashMap::new(),
        }
    }

    /// The engagement folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current text of `file` (read on first use); `None` when it
    /// does not exist.
    fn text(&mut self, file: &Path) -> Result<Option<&mut String>, EditError> {
        let path = normal(file);
        self.flush(&path);
        if !self.files.contains_key(&path) {
            match std::fs::symlink_metadata(&path) {
                Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(err) => return Err(EditError::file(&path, format!("cannot read it: {err}"))),
                Ok(meta) if !meta.is_file() => {
                    return Err(EditError::file(
                        &path,
                        "is not a regular file (a folder or a symbolic link), so it is not edited",
                    ));
                }
                Ok(_) => {}
            }
            let bytes = FsTree
                .read(&path)
                .map_err(|err| EditError::file(&path, format!("cannot read it: {err}")))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| EditError::file(&path, "is not UTF-8 text"))?;
            self.files.insert(path.clone(), (Some(text.clone()), text));
        }
        Ok(self.files.get_mut(&path).map(|(_, now)| now))
    }

    /// Sets (or with `None` removes) the field `path` of item `id`.
    pub fn set(
        &mut self,
        kind: Kind,
        file: &Path,
        id: &str,
        path: &str,
        value: Option<&EditValue>,
    ) -> Result<(), EditError> {
        let shown = normal(file);
        if let Some(value) = value
            && self.set_in_place(kind, &shown, id, path, value)?
        {
            return Ok(());
        }
        let Some(text) = self.text(file)? else {
            return Err(EditError::file(&shown, "does not exist"));
        };
        let new = set_in(text, kind, id, path, value)
            .map_err(|message| EditError::file(&shown, message))?;
        *text = new;
        Ok(())
    }

    /// A value already written on one line replaced at its place, on the
    /// kept parse; `false` when the edit needs more than that.
    fn set_in_place(
        &mut self,
        kind: Kind,
        path: &Path,
        id: &str,
        field: &str,
        value: &EditValue,
    ) -> Result<bool, EditError> {
        if !self.files.contains_key(path) && self.text(path)?.is_none() {
            return Ok(false);
        }
        let Some((_, text)) = self.files.get(path) else {
            return Ok(false);
        };
        if !self.parsed.contains_key(path) {
            let Ok(doc) = Doc::parse(text) else {
                // The slow path reports it.
                return Ok(false);
            };
            self.parsed.insert(
                path.to_path_buf(),
                Parsed {
                    root: doc.root,
                    lines: doc.lines,
                    pending: Vec::new(),
                    appending: None,
                    ids: HashMap::new(),
                },
            );
        }
        let Some(parsed) = self.parsed.get_mut(path) else {
            return Ok(false);
        };
        let doc = Doc {
            text,
            root: parsed.root.take(),
            lines: std::mem::take(&mut parsed.lines),
        };
        let ids = parsed
            .ids
            .entry(kind)
            .or_insert_with(|| doc.item_index(kind));
        let found = in_place(&doc, ids, kind, id, field, value);
        parsed.root = doc.root;
        parsed.lines = doc.lines;
        let Some((start, len, new)) = found else {
            // Also an item appended since the parse: the slow path sees it.
            return Ok(false);
        };
        // The same value set twice: the later one wins.
        parsed.pending.retain(|(s, _, _)| *s != start);
        if parsed
            .pending
            .iter()
            .any(|(s, l, _)| *s < start + len && start < s + l)
            || parsed
                .appending
                .as_ref()
                .is_some_and(|a| start <= a.at && a.at < start + len.max(1))
        {
            return Ok(false);
        }
        parsed.pending.push((start, len, new));
        Ok(true)
    }

    /// Applies the pending replacements and appends of `path` and forgets
    /// its parse.
    fn flush(&mut self, path: &Path) {
        if let Some(parsed) = self.parsed.remove(path)
            && let Some((_, text)) = self.files.get_mut(path)
        {
            *text = parsed.applied(text);
        }
    }

    /// The text of `path` now, pending replacements and appends included.
    fn now(&self, path: &Path, text: &str) -> String {
        match self.parsed.get(path) {
            Some(parsed) => parsed.applied(text),
            None => text.to_string(),
        }
    }

    /// Adds an item at the end of `file`'s list.
    pub fn append(
        &mut self,
        kind: Kind,
        file: &Path,
        fields: &[(&str, EditValue)],
    ) -> Result<(), EditError> {
        let shown = normal(file);
        if let Some(appending) = self
            .parsed
            .get_mut(&shown)
            .and_then(|parsed| parsed.appending.as_mut())
            .filter(|appending| appending.kind == kind)
        {
            let ordered =
                ordered_fields(kind, fields).map_err(|message| EditError::file(&shown, message))?;
            appending.push(&ordered);
            return Ok(());
        }
        let new = match self.text(file)? {
            Some(text) => append_to(text, kind, fields),
            None => append_to("", kind, fields),
        }
        .map_err(|message| EditError::file(&shown, message))?;
        // One parse of the result gives the place and style of the items
        // appended next, and serves the in-place sets that follow.
        let parsed = Doc::parse(&new).ok().map(|doc| Parsed {
            appending: Appending::after(&doc, kind),
            root: doc.root,
            lines: doc.lines,
            pending: Vec::new(),
            ids: HashMap::new(),
        });
        match self.files.get_mut(&shown) {
            Some((_, now)) => *now = new,
            None => {
                self.files.insert(shown.clone(), (None, new));
            }
        }
        if let Some(parsed) = parsed {
            self.parsed.insert(shown, parsed);
        }
        Ok(())
    }

    /// Deletes item `id` from `file`.
    pub fn remove(&mut self, kind: Kind, file: &Path, id: &str) -> Result<(), EditError> {
        let shown = normal(file);
        let Some(text) = self.text(file)? else {
            return Err(EditError::file(&shown, "does not exist"));
        };
        let new =
            remove_from(text, kind, id).map_err(|message| EditError::file(&shown, message))?;
        *text = new;
        Ok(())
    }

    /// Sets `status: withdrawn` on promise `id`.
    pub fn withdraw(&mut self, file: &Path, id: &str) -> Result<(), EditError> {
        self.set(
            Kind::Promise,
            file,
            id,
            "status",
            Some(&EditValue::Text("withdrawn".into())),
        )
    }

    /// Every file whose text an edit changed.
    pub fn changes(&self) -> Vec<FileChange> {
        self.files
            .iter()
            .map(|(path, (before, text))| (path, before, self.now(path, text)))
            .filter(|(_, before, after)| before.as_deref() != Some(after.as_str()))
            .map(|(path, before, after)| FileChange {
                path: path.clone(),
                before: before.clone(),
                after,
            })
            .collect()
    }

    /// The engagement as it would load after the edits.
    pub fn check(&self) -> Result<Engagement, Failure> {
        let overlay = Overlay {
            files: self
                .files
                .iter()
                .map(|(path, (_, text))| (path.clone(), self.now(path, text).into_bytes()))
                .collect(),
        };
        let mut loaded = Loaded::default();
        let engagement = load_engagement(&overlay, &self.dir, &mut loaded);
        match engagement {
            Some(engagement) if loaded.diagnostics.is_empty() => Ok(engagement),
            _ => Err(Failure {
                diagnostics: loaded.diagnostics,
                sources: loaded.sources,
                all: false,
            }),
        }
    }

    /// Checks, then writes every changed file atomically. Returns the
    /// files written.
    pub fn write(&self) -> Result<Vec<PathBuf>, EditError> {
        self.check().map_err(EditError::Invalid)?;
        let changes = self.changes();
        // A file changed on disk since it was read (an editor saved it)
        // would be overwritten with an edit of its old text.
        for change in &changes {
            let now = match std::fs::read(&change.path) {
                Ok(bytes) => Some(bytes),
                Err(err) if err.kind() == io::ErrorKind::NotFound => None,
                Err(err) => {
                    return Err(EditError::file(
                        &change.path,
                        format!("cannot read it: {err}"),
                    ));
                }
            };
            if now.as_deref() != change.before.as_deref().map(str::as_bytes) {
                return Err(EditError::file(
                    &change.path,
                    "changed on disk while it was being edited, so nothing was written",
                )
                .help("run the command again"));
            }
        }
        let mut written = Vec::new();
        for change in changes {
            let result = match change.before {
                Some(_) => crate::fsutil::write_atomic(&change.path, change.after.as_bytes()),
                None => {
                    if let Some(parent) = change.path.parent()
                        && !parent.as_os_str().is_empty()
                    {
                        std::fs::create_dir_all(parent).map_err(|err| {
                            EditError::file(parent, format!("cannot create it: {err}"))
                        })?;
                    }
                    crate::fsutil::create_new(&change.path, change.after.as_bytes())
                }
            };
            result
                .map_err(|err| EditError::file(&change.path, format!("cannot write it: {err}")))?;
            written.push(change.path);
        }
        Ok(written)
    }
}

/// A path without `.` components, so the loader's `dir.join(name)` and a
/// path the caller gives compare equal.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        if component != Component::CurDir {
            out.push(component);
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The file system with some files replaced or added, for loading the
/// result of the edits before writing it.
struct Overlay {
    files: HashMap<PathBuf, Vec<u8>>,
}

impl Tree for Overlay {
    fn list(&self, dir: &Path) -> io::Result<Vec<Entry>> {
        let mut entries = if dir.is_dir() {
            FsTree.list(dir)?
        } else {
            Vec::new()
        };
        let dir = normal(dir);
        for path in self.files.keys() {
            let mut parent = path.parent().map(normal);
            let mut name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let mut is_dir = false;
            // A new file in a new folder lists the folder too.
            while let (Some(p), Some(n)) = (&parent, &name) {
                if *p == dir {
                    if !entries.iter().any(|e| e.name == *n) {
                        entries.push(Entry {
                            name: n.clone(),
                            is_dir,
                        });
                    }
                    break;
                }
                name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                parent = p.parent().map(normal);
                is_dir = true;
            }
        }
        entries.sort();
        Ok(entries)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(&normal(path)) {
            Some(bytes) => Ok(bytes.clone()),
            None => FsTree.read(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normal(path)) || FsTree.is_file(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        let dir = normal(path);
        FsTree.is_dir(path) || self.files.keys().any(|f| f.starts_with(&dir) && *f != dir)
    }

    fn is_submodule(&self, path: &Path) -> bool {
        FsTree.is_submodule(path)
    }

    fn identity(&self, dir: &Path) -> Option<PathBuf> {
        FsTree.identity(dir)
    }

    fn boundary(&self, dir: &Path) -> Option<(PathBuf, &'static str)> {
        FsTree.boundary(dir)
    }
}

// ---------------------------------------------------------------------
// The text edits. Each parses the text afresh, so every position is the
// parser's own; a file is small enough for that to cost nothing.

/// A file's text with its parse and line starts.
struct Doc<'t> {
    text: &'t str,
    root: Option<Node>,
    /// Byte offset where each line starts; `lines[0]` is line 1.
    lines: Vec<usize>,
}

impl<'t> Doc<'t> {
    fn parse(text: &'t str) -> Result<Doc<'t>, String> {
        let root = yaml::parse(text).map_err(|err| {
            format!(
                "is not valid YAML (line {}: {}), so it cannot be edited",
                err.pos.line, err.message
            )
        })?;
        let mut lines = vec![0];
        lines.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Ok(Doc { text, root, lines })
    }

    /// Byte offset of the start of 1-based `line` (the text's end past it).
    fn line_start(&self, line: u32) -> usize {
        let i = (line as usize).saturating_sub(1);
        self.lines.get(i).copied().unwrap_or(self.text.len())
    }

    /// The 1-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> u32 {
        let i = match self.lines.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        u32::try_from(i + 1).unwrap_or(u32::MAX)
    }

    fn line_text(&self, line: u32) -> &'t str {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    fn line_count(&self) -> u32 {
        let n = self.lines.len();
        // A final newline starts no line of its own.
        let n = if self.text.ends_with('\n') { n - 1 } else { n };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Blank, or only a comment.
    fn is_filler(&self, line: u32) -> bool {
        let t = self.line_text(line).trim();
        t.is_empty() || t.starts_with('#')
    }

    /// The top-level `key:` entry: (key node, value node).
    fn top(&self, key: &str) -> Option<(&Node, &Node)> {
        let Value::Map(entries) = &self.root.as_ref()?.value else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
            .map(|(k, v)| (k, v))
    }

    /// The line after which the top-level entry starting at `key_line`
    /// ends: the line before the next top-level key, without trailing
    /// blank and comment lines.
    fn top_end(&self, key_line: u32) -> u32 {
        let next = match self.root.as_ref().map(|r| &r.value) {
            Some(Value::Map(entries)) => entries
                .iter()
                .map(|(k, _)| k.pos.line)
                .filter(|&l| l > key_line)
                .min(),
            _ => None,
        };
        let mut end = next.map_or(self.line_count(), |l| l - 1);
        while end > key_line && self.is_filler(end) {
            end -= 1;
        }
        end
    }

    /// The items of the kind's list, with each one's last line.
    fn items(&self, kind: Kind) -> Result<Vec<(&Node, u32, u32)>, String> {
        let list = kind.list_key();
        let Some((key, value)) = self.top(list) else {
            return Ok(Vec::new());
        };
        let Value::Seq(items) = &value.value else {
            return Ok(Vec::new());
        };
        let end_all = self.top_end(key.pos.line);
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let start = item.pos.line;
            let mut end = items
                .get(i + 1)
                .map_or(end_all, |next| next.pos.line.saturating_sub(1));
            while end > start && self.is_filler(end) {
                end -= 1;
            }
            out.push((item, start, end));
        }
        Ok(out)
    }

    /// Where each id is in the kind's list: the first item that has it, as
    /// [`Doc::item`] finds it.
    fn item_index(&self, kind: Kind) -> HashMap<String, usize> {
        let mut ids = HashMap::new();
        if let Some((_, list)) = self.top(kind.list_key())
            && let Value::Seq(items) = &list.value
        {
            for (i, item) in items.iter().enumerate() {
                if let Some(id) =
                    entry(item, kind.id_key()).and_then(|(_, v)| scalar_text(v, self.text))
                {
                    ids.entry(id).or_insert(i);
                }
            }
        }
        ids
    }

    /// The `i`th item of the kind's list.
    fn item_at(&self, kind: Kind, i: usize) -> Option<&Node> {
        match &self.top(kind.list_key())?.1.value {
            Value::Seq(items) => items.get(i),
            _ => None,
        }
    }

    /// The item of `kind` whose id is `id`, with its first and last line.
    fn item(&self, kind: Kind, id: &str) -> Result<(&Node, u32, u32), String> {
        let id_key = kind.id_key();
        self.items(kind)?
            .into_iter()
            .find(|(item, _, _)| {
                entry(item, id_key)
                    .is_some_and(|(_, v)| scalar_text(v, self.text).as_deref() == Some(id))
            })
            .ok_or_else(|| format!("holds no {} `{id}`", kind.decl().what))
    }
}

/// A mapping's entry by key.
fn entry<'n>(map: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
    let Value::Map(entries) = &map.value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.value, Value::Str(s) if s == key))
        .map(|(k, v)| (k, v))
}

/// A scalar as the loader reads it as text: numbers as written.
fn scalar_text(node: &Node, text: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(n) => Some(
            node.spelling(text)
                .map_or_else(|| n.to_string(), str::to_string),
        ),
        Value::Float(n) => Some(
            node.spelling(text)
                .map_or_else(|| n.to_string(), str::to_string),
        ),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Whether a mapping is written in braces (`{ kind: rfp }`).
fn is_flow(doc: &Doc<'_>, node: &Node) -> bool {
    node.span()
        .and_then(|(start, _)| doc.text.get(start..start + 1))
        .is_some_and(|c| c == "{" || c == "[")
}

/// The column (0-based indentation) of a block mapping's keys.
fn key_indent(node: &Node) -> usize {
    match &node.value {
        Value::Map(entries) => entries
            .first()
            .map_or(0, |(k, _)| (k.pos.column as usize).saturating_sub(1)),
        _ => (node.pos.column as usize).saturating_sub(1),
    }
}

/// The last line of the entry `key` in the block mapping `map` whose last
/// line is `map_end`.
fn entry_end(doc: &Doc<'_>, map: &Node, key: &Node, map_end: u32) -> u32 {
    let next = match &map.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, _)| k.pos.line)
            .filter(|&l| l > key.pos.line)
            .min(),
        _ => None,
    };
    let mut end = next.map_or(map_end, |l| l - 1);
    while end > key.pos.line && doc.is_filler(end) {
        end -= 1;
    }
    end
}

/// How a scalar was quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Plain,
    Single,
    Double,
}

fn quote_of(doc: &Doc<'_>, node: &Node) -> Quote {
    match node
        .span()
        .and_then(|(start, _)| doc.text.get(start..start + 1))
    {
        Some("'") => Quote::Single,
        Some("\"") => Quote::Double,
        _ => Quote::Plain,
    }
}

/// Whether `text` read back from `wrap(text)` as a plain scalar gives the
/// same text: the parser itself decides whether quotes are needed.
fn plain_ok(text: &str, flow: bool) -> bool {
    if text.is_empty() || text.contains(['\n', '\r', '\t']) || text != text.trim() {
        return false;
    }
    let probe = if flow {
        format!("k: [{text}]\n")
    } else {
        format!("k: {text}\n")
    };
    let Ok(Some(root)) = yaml::parse(&probe) else {
        return false;
    };
    let Some((_, value)) = entry(&root, "k") else {
        return false;
    };
    let value = if flow {
        match &value.value {
            Value::Seq(items) if items.len() == 1 => &items[0],
            _ => return false,
        }
    } else {
        value
    };
    matches!(&value.value, Value::Str(s) if s == text)
}

fn double_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn single_quoted(text: &str) -> Option<String> {
    if text.contains(['\n', '\r']) {
        return None;
    }
    Some(format!("'{}'", text.replace('\'', "''")))
}

/// A scalar's text in the style asked, or the plainest that reads back.
fn render_scalar(value: &EditValue, quote: Quote, flow: bool) -> Option<String> {
    Some(match value {
        EditValue::Text(text) => match quote {
            Quote::Double => double_quoted(text),
            Quote::Single => single_quoted(text).unwrap_or_else(|| double_quoted(text)),
            Quote::Plain if plain_ok(text, flow) => text.clone(),
            Quote::Plain => double_quoted(text),
        },
        EditValue::Number(n) => crate::sheet::number_text(*n),
        EditValue::Bool(b) => b.to_string(),
        EditValue::Date(d) => d.to_string(),
        EditValue::List(_) | EditValue::Record(_) => return None,
    })
}

/// A list or record on one line, `[a, b]` / `{ kind: rfp, ref: x }`.
fn render_flow(value: &EditValue) -> String {
    match value {
        EditValue::List(items) => format!(
            "[{}]",
            items.iter().map(render_flow).collect::<Vec<_>>().join(", ")
        ),
        EditValue::Record(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", render_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        scalar => render_scalar(scalar, Quote::Plain, true).unwrap_or_default(),
    }
}

/// How lists are written in a file: `[a, b]` or `- a` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListStyle {
    Flow,
    Block,
}

/// `key: value` as lines at `indent`, in the styles given.
fn render_entry(
    key: &str,
    value: &EditValue,
    indent: usize,
    quote: Quote,
    lists: ListStyle,
    records_flow: bool,
) -> Vec<String> {
    let pad = " ".repeat(indent);
    match value {
        EditValue::List(items) if items.is_empty() => vec![format!("{pad}{key}: []")],
        EditValue::List(items) => {
            let flow = render_flow(value);
            let short = flow.chars().count() + indent + key.len() < 100;
            if lists == ListStyle::Flow && short
                || items.iter().any(|i| matches!(i, EditValue::List(_)))
            {
                vec![format!("{pad}{key}: {flow}")]
            } else {
                let mut lines = vec![format!("{pad}{key}:")];
                for item in items {
                    match item {
                        EditValue::Record(fields) => {
                            for (i, (k, v)) in fields.iter().enumerate() {
                                let mark = if i == 0 { "- " } else { "  " };
                                let rendered =
                                    render_entry(k, v, 0, Quote::Plain, lists, records_flow);
                                for (j, line) in rendered.into_iter().enumerate() {
                                    let lead = if j == 0 { mark } else { "  " };
                                    lines.push(format!("{pad}  {lead}{line}"));
                                }
                            }
                        }
                        scalar => lines.push(format!(
                            "{pad}  - {}",
                            render_scalar(scalar, quote, false).unwrap_or_default()
                        )),
                    }
                }
                lines
            }
        }
        EditValue::Record(fields) if records_flow => {
            vec![format!("{pad}{key}: {}", render_flow(value))]
        }
        EditValue::Record(fields) => {
            let mut lines = vec![format!("{pad}{key}:")];
            for (k, v) in fields {
                lines.extend(render_entry(k, v, indent + 2, Quote::Plain, lists, false));
            }
            lines
        }
        scalar => vec![format!(
            "{pad}{key}: {}",
            render_scalar(scalar, quote, false).unwrap_or_default()
        )],
    }
}

/// The list style the file uses: the first list value written in it.
fn list_style(doc: &Doc<'_>, kind: Kind) -> ListStyle {
    found_list_style(doc, kind).unwrap_or(ListStyle::Flow)
}

/// The style of the first list value written in the file's items; `None`
/// when no item holds a list.
fn found_list_style(doc: &Doc<'_>, kind: Kind) -> Option<ListStyle> {
    let Ok(items) = doc.items(kind) else {
        return None;
    };
    for (item, _, _) in items {
        if let Value::Map(entries) = &item.value {
            for (_, v) in entries {
                if let Value::Seq(list) = &v.value
                    && !list.is_empty()
                {
                    return Some(if is_flow(doc, v) {
                        ListStyle::Flow
                    } else {
                        ListStyle::Block
                    });
                }
            }
        }
    }
    None
}

/// Replaces lines `first..=last` (1-based) with `lines`.
fn replace_lines(doc: &Doc<'_>, first: u32, last: u32, lines: &[String]) -> String {
    let start = doc.line_start(first);
    let end = doc.line_start(last + 1);
    let mut out = String::with_capacity(doc.text.len() + 64);
    out.push_str(doc.text.get(..start).unwrap_or(""));
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    let rest = doc.text.get(end..).unwrap_or("");
    if end > doc.text.len() || (end == doc.text.len() && !doc.text.ends_with('\n')) {
        // The last line had no newline; the replacement brings one.
    }
    out.push_str(rest);
    out
}

/// Inserts `lines` after line `after` (0: at the top).
fn insert_lines(doc: &Doc<'_>, after: u32, lines: &[String]) -> String {
    let at = doc.line_start(after + 1);
    let mut out = String::with_capacity(doc.text.len() + 64);
    let head = doc.text.get(..at).unwrap_or(doc.text);
    out.push_str(head);
    if !head.is_empty() && !head.ends_with('\n') {
        out.push('\n');
    }
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(doc.text.get(at..).unwrap_or(""));
    out
}

fn set_in(
    text: &str,
    kind: Kind,
    id: &str,
    path: &str,
    value: Option<&EditValue>,
) -> Result<String, String> {
    let doc = Doc::parse(text)?;
    let (item, _, item_end) = doc.item(kind, id)?;
    let (key, sub) = match path.split_once('.') {
        Some((record, sub)) => (record, Some(sub)),
        None => (path, None),
    };
    let decl = kind.decl();
    let field = decl
        .field(key)
        .ok_or_else(|| format!("`{key}` is not a field of a {}", decl.what))?;
    if is_flow(&doc, item) {
        return Err(format!(
            "{} `{id}` is written on one line in braces, which handoff does not edit",
            decl.what
        ));
    }
    // A nested value written on its own: only its characters change.
    if let (Some(sub), Some(new_value)) = (sub, value)
        && let Some((_, record)) = entry(item, key)
        && let Some((_, old)) = entry(record, sub)
        && let Some(text) = replace_inline(&doc, old, new_value)
    {
        return Ok(text);
    }
    // Otherwise the whole record is written again with the one value
    // changed, keeping its flow or block style.
    let value = match (sub, &field.ty) {
        (Some(sub), FieldType::Record(record)) => {
            let old = entry(item, key).map(|(_, v)| v);
            let mut fields: Vec<(String, EditValue)> = Vec::new();
            for f in record.fields {
                let current = if f.key == sub {
                    value.cloned()
                } else {
                    old.and_then(|o| entry(o, f.key))
                        .and_then(|(_, v)| node_value(v, doc.text))
                };
                if let Some(v) = current {
                    fields.push((f.key.to_string(), v));
                }
            }
            if record.field(sub).is_none() {
                return Err(format!("`{path}` is not a field of a {}", decl.what));
            }
            if fields.is_empty() {
                None
            } else {
                Some(EditValue::Record(fields))
            }
        }
        (Some(_), _) => return Err(format!("`{path}` is not a field of a {}", decl.what)),
        (None, _) => value.cloned(),
    };
    let indent = key_indent(item);
    match (entry(item, key), value) {
        (None, None) => Ok(text.to_string()),
        (Some((k, v)), new) => {
            // One scalar on the key's line: only its characters change.
            if doc.line_of(v.span().map_or(0, |(start, _)| start)) == k.pos.line
                && let Some(new_value) = &new
                && let Some(text) = replace_inline(&doc, v, new_value)
            {
                return Ok(text);
            }
            let end = entry_end(&doc, item, k, item_end);
            let lines = match &new {
                None => Vec::new(),
                Some(new_value) => {
                    let lists = match &v.value {
                        Value::Seq(_) if is_flow(&doc, v) => ListStyle::Flow,
                        Value::Seq(_) => ListStyle::Block,
                        _ => list_style(&doc, kind),
                    };
                    let records_flow = !matches!(v.value, Value::Map(_)) || is_flow(&doc, v);
                    // A list written as one text (`acceptance: "..."`)
                    // stays one text while it holds one value.
                    let new_value = match (new_value, &v.value) {
                        (EditValue::List(items), Value::Str(_)) if items.len() == 1 => &items[0],
                        _ => new_value,
                    };
                    render_entry(
                        key,
                        new_value,
                        indent,
                        quote_of(&doc, v),
                        lists,
                        records_flow,
                    )
                }
            };
            Ok(replace_lines(&doc, k.pos.line, end, &lines))
        }
        (None, Some(new_value)) => {
            // After the last key declared before this one, else at the end.
            let Value::Map(entries) = &item.value else {
                return Err(format!("{} `{id}` is not a mapping", decl.what));
            };
            let position = decl.fields.iter().position(|f| f.key == key).unwrap_or(0);
            let before: Vec<&str> = decl.fields[..position].iter().map(|f| f.key).collect();
            let after = entries
                .iter()
                .filter(|(k, _)| matches!(&k.value, Value::Str(s) if before.contains(&s.as_str())))
                .max_by_key(|(k, _)| k.pos.line)
                .map_or(item_end, |(k, _)| entry_end(&doc, item, k, item_end));
            let lines = render_entry(
                key,
                &new_value,
                indent,
                Quote::Plain,
                list_style(&doc, kind),
                true,
            );
            Ok(insert_lines(&doc, after, &lines))
        }
    }
}

/// Where the one-line scalar `old` is and what replaces it: `new` in
/// `old`'s quoting; `None` when `old` is not such a scalar or `new` not a
/// scalar.
fn inline_span(doc: &Doc<'_>, old: &Node, new: &EditValue) -> Option<(usize, usize, String)> {
    if matches!(old.value, Value::Seq(_) | Value::Map(_) | Value::Null) {
        return None;
    }
    let (start, len) = old.span()?;
    let written = doc.text.get(start..start + len)?;
    if written.contains('\n') {
        return None;
    }
    // Inside braces or brackets, a plain value may not hold `,` and the like.
    let flow = doc.line_text(doc.line_of(start)).contains(['{', '[']);
    let rendered = render_scalar(new, quote_of(doc, old), flow)?;
    Some((start, len, rendered))
}

/// The text with the one-line scalar `old` replaced by `new`.
fn replace_inline(doc: &Doc<'_>, old: &Node, new: &EditValue) -> Option<String> {
    let (start, len, rendered) = inline_span(doc, old, new)?;
    let mut out = String::with_capacity(doc.text.len() + rendered.len());
    out.push_str(doc.text.get(..start)?);
    out.push_str(&rendered);
    out.push_str(doc.text.get(start + len..)?);
    Some(out)
}

/// The in-place replacement that sets `path` of item `id` to `value`, when
/// the value is already written on one line; `None` otherwise.
fn in_place(
    doc: &Doc<'_>,
    ids: &HashMap<String, usize>,
    kind: Kind,
    id: &str,
    path: &str,
    value: &EditValue,
) -> Option<(usize, usize, String)> {
    let item = doc.item_at(kind, *ids.get(id)?)?;
    if is_flow(doc, item) {
        return None;
    }
    match path.split_once('.') {
        Some((record, sub)) => {
            let (_, record) = entry(item, record)?;
            let (_, old) = entry(record, sub)?;
            inline_span(doc, old, value)
        }
        None => {
            kind.decl().field(path)?;
            let (key, old) = entry(item, path)?;
            if doc.line_of(old.span()?.0) != key.pos.line {
                return None;
            }
            inline_span(doc, old, value)
        }
    }
}

/// A node as a value to write again (nested records keep their values
/// when one of their fields changes).
fn node_value(node: &Node, text: &str) -> Option<EditValue> {
    match &node.value {
        Value::Null => None,
        Value::Bool(b) => Some(EditValue::Bool(*b)),
        Value::Int(_) | Value::Float(_) => {
            let n = match node.value {
                Value::Int(n) => n as f64,
                Value::Float(n) => n,
                _ => 0.0,
            };
            // Spelling kept: `3.10` must not become `3.1`.
            match node.spelling(text) {
                Some(s) if s != crate::sheet::number_text(n) => Some(EditValue::Text(s.into())),
                _ => Some(EditValue::Number(n)),
            }
        }
        Value::Str(s) => Some(EditValue::Text(s.clone())),
        Value::Seq(items) => Some(EditValue::List(
            items.iter().filter_map(|n| node_value(n, text)).collect(),
        )),
        Value::Map(entries) => Some(EditValue::Record(
            entries
                .iter()
                .filter_map(|(k, v)| Some((scalar_text(k, text)?, node_value(v, text)?)))
                .collect(),
        )),
    }
}

/// The fields of an item to append in declaration order, records' keys
/// grouped under the record; an error names a key that is not a field.
fn ordered_fields(
    kind: Kind,
    fields: &[(&str, EditValue)],
) -> Result<Vec<(String, EditValue)>, String> {
    let decl = kind.decl();
    // Declaration order, records' keys grouped under the record.
    let mut ordered: Vec<(String, EditValue)> = Vec::new();
    for f in decl.fields {
        if let FieldType::Record(record) = f.ty {
            let mut sub = Vec::new();
            for r in record.fields {
                let path = format!("{}.{}", f.key, r.key);
                if let Some((_, v)) = fields.iter().find(|(k, _)| *k == path) {
                    sub.push((r.key.to_string(), v.clone()));
                }
            }
            if let Some((_, v)) = fields.iter().find(|(k, _)| *k == f.key) {
                ordered.push((f.key.to_string(), v.clone()));
            } else if !sub.is_empty() {
                ordered.push((f.key.to_string(), EditValue::Record(sub)));
            }
        } else if let Some((_, v)) = fields.iter().find(|(k, _)| *k == f.key) {
            ordered.push((f.key.to_string(), v.clone()));
        }
    }
    for (k, _) in fields {
        let top = k.split('.').next().unwrap_or(k);
        if decl.field(top).is_none() {
            return Err(format!("`{k}` is not a field of a {}", decl.what));
        }
    }
    Ok(ordered)
}

/// The style of the items already in the list (`items`, from
/// [`Doc::items`]), which the next one follows.
fn style_of(doc: &Doc<'_>, kind: Kind, items: &[(&Node, u32, u32)]) -> Style {
    let (dash, gap) = match items.first() {
        Some((item, start, _)) => {
            let line = doc.line_text(*start);
            let dash = line.len() - line.trim_start().len();
            let gap = items.len() > 1 && {
                let (_, _, end0) = items[0];
                let (_, start1, _) = items[1];
                (end0 + 1..start1).any(|l| doc.line_text(l).trim().is_empty())
            };
            let _ = item;
            (dash, gap)
        }
        None => (2, false),
    };
    let key_pad = items
        .first()
        .map_or(dash + 2, |(item, _, _)| key_indent(item));
    let found = found_list_style(doc, kind);
    Style {
        dash,
        key_pad,
        gap,
        lists: found.unwrap_or(ListStyle::Flow),
        lists_seen: found.is_some(),
    }
}

/// The lines of an item with the fields `ordered`, in `style`.
fn item_lines(ordered: &[(String, EditValue)], style: &Style) -> Vec<String> {
    let Style {
        dash,
        key_pad,
        lists,
        ..
    } = *style;
    let mut lines = Vec::new();
    for (i, (k, v)) in ordered.iter().enumerate() {
        for (j, line) in render_entry(k, v, 0, Quote::Plain, lists, true)
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 && j == 0 {
                format!(
                    "{}- {}",
                    " ".repeat(dash),
                    " ".repeat(key_pad.saturating_sub(dash + 2))
                )
            } else {
                " ".repeat(key_pad)
            };
            lines.push(format!("{lead}{line}"));
        }
    }
    lines
}

fn append_to(text: &str, kind: Kind, fields: &[(&str, EditValue)]) -> Result<String, String> {
    let list = kind.list_key();
    let ordered = ordered_fields(kind, fields)?;
    let doc = Doc::parse(text)?;
    let items = doc.items(kind)?;
    // The style of the items already there.
    let style = style_of(&doc, kind, &items);
    let lines = item_lines(&ordered, &style);
    match (doc.top(list), items.last()) {
        (Some(_), Some((_, _, end))) => {
            let mut block = Vec::new();
            if style.gap {
                block.push(String::new());
            }
            block.extend(lines);
            Ok(insert_lines(&doc, *end, &block))
        }
        (Some((key, _)), None) => {
            // `promises:` with nothing, or `promises: []`.
            let end = doc.top_end(key.pos.line);
            let mut block = vec![format!("{list}:")];
            block.extend(lines);
            Ok(replace_lines(&doc, key.pos.line, end, &block))
        }
        (None, _) => {
            if doc
                .root
                .as_ref()
                .is_some_and(|r| !matches!(r.value, Value::Map(_)))
            {
                return Err(format!("does not start with `{list}:`"));
            }
            let mut block = Vec::new();
            if !text.trim().is_empty() {
                block.push(String::new());
            }
            block.push(format!("{list}:"));
            block.extend(lines);
            Ok(insert_lines(&doc, doc.line_count(), &block))
        }
    }
}

fn remove_from(text: &str, kind: Kind, id: &str) -> Result<String, String> {
    let doc = Doc::parse(text)?;
    let items = doc.items(kind)?;
    let (item, start, end) = doc.item(kind, id)?;
    if items.len() == 1 {
        let Some((key, _)) = doc.top(kind.list_key()) else {
            return Err(format!("holds no {} `{id}`", kind.decl().what));
        };
        let last = doc.top_end(key.pos.line);
        return Ok(replace_lines(
            &doc,
            key.pos.line,
            last,
            &[format!("{}: []", kind.list_key())],
        ));
    }
    let _ = item;
    // Comments right above the item belong to it; one blank line that
    // separated it from the item before goes with it.
    let mut first = start;
    while first > 1 && doc.line_text(first - 1).trim().starts_with('#') {
        first -= 1;
    }
    let mut last = end;
    if first > 1 && doc.line_text(first - 1).trim().is_empty() {
        first -= 1;
    } else if last < doc.line_count() && doc.line_text(last + 1).trim().is_empty() {
        last += 1;
    }
    Ok(replace_lines(&doc, first, last, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Promises.\n\npromises:\n  - id: P-1\n    title: \"First\"\n    source: { kind: rfp, ref: \"3.1\" }\n    acceptance: [works]\n\n  # the second\n  - id: P-2\n    title: Second\n    priority: must\n";

    fn text(value: &str) -> EditValue {
        EditValue::Text(value.into())
    }

    #[test]
    fn a_value_changes_at_its_place_in_its_quotes() {
        let out = set_in(
            FILE,
            Kind::Promise,
            "P-1",
            "title",
            Some(&text("Erste: neu")),
        )
        .unwrap();
        assert_eq!(out, FILE.replace("\"First\"", "\"Erste: neu\""));
        let out = set_in(FILE, Kind::Promise, "P-2", "title", Some(&text("a: b"))).unwrap();
        assert_eq!(out, FILE.replace("title: Second", "title: \"a: b\""));
    }

    #[test]
    fn a_new_key_goes_after_the_keys_declared_before_it() {
        let out = set_in(FILE, Kind::Promise, "P-2", "type", Some(&text("service"))).unwrap();
        assert_eq!(
            out,
            FILE.replace("title: Second\n", "title: Second\n    type: service\n")
        );
        let out = set_in(
            FILE,
            Kind::Promise,
            "P-2",
            "tags",
            Some(&EditValue::List(vec![text("a"), text("b")])),
        )
        .unwrap();
        assert!(
            out.ends_with("    priority: must\n    tags: [a, b]\n"),
            "{out}"
        );
    }

    #[test]
    fn a_nested_value_keeps_the_record_on_its_line() {
        let out = set_in(FILE, Kind::Promise, "P-1", "source.ref", Some(&text("4.2"))).unwrap();
        assert_eq!(out, FILE.replace("ref: \"3.1\" }", "ref: \"4.2\" }"));
        let out = set_in(
            FILE,
            Kind::Promise,
            "P-1",
            "source.kind",
            Some(&text("email")),
        )
        .unwrap();
        assert_eq!(
            out,
            FILE.replace(
                "{ kind: rfp, ref: \"3.1\" }",
                "{ kind: email, ref: \"3.1\" }"
            )
        );
    }

    #[test]
    fn a_key_is_removed_with_its_line() {
        let out = set_in(FILE, Kind::Promise, "P-1", "acceptance", None).unwrap();
        assert_eq!(out, FILE.replace("    acceptance: [works]\n", ""));
    }

    #[test]
    fn an_item_is_appended_in_the_files_style() {
        let out = append_to(
            FILE,
            Kind::Promise,
            &[
                ("title", text("Third")),
                ("id", text("P-3")),
                ("source.kind", text("email")),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            format!("{FILE}\n  - id: P-3\n    title: Third\n    source: {{ kind: email }}\n")
        );
        let out = append_to("", Kind::Gap, &[("id", text("G-1"))]).unwrap();
        assert_eq!(out, "gaps:\n  - id: G-1\n");
    }

    #[test]
    fn an_item_is_removed_with_its_comment_and_separator() {
        let out = remove_from(FILE, Kind::Promise, "P-2").unwrap();
        assert_eq!(
            out,
            "# Promises.\n\npromises:\n  - id: P-1\n    title: \"First\"\n    source: { kind: rfp, ref: \"3.1\" }\n    acceptance: [works]\n"
        );
        let out = remove_from(FILE, Kind::Promise, "P-1").unwrap();
        assert_eq!(
            out,
            "# Promises.\n\npromises:\n  # the second\n  - id: P-2\n    title: Second\n    priority: must\n"
        );
    }

    #[test]
    fn edits_kept_in_place_then_a_structural_one_give_the_sequential_result() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("promises.yaml");
        std::fs::write(&file, FILE).unwrap();
        let mut editor = Editor::new(dir.path());
        let p = Kind::Promise;
        editor
            .set(p, &file, "P-1", "title", Some(&text("One")))
            .unwrap();
        editor
            .set(p, &file, "P-2", "title", Some(&text("Two: 2")))
            .unwrap();
        editor
            .set(p, &file, "P-1", "source.ref", Some(&text("9.10")))
            .unwrap();
        editor
            .set(p, &file, "P-1", "title", Some(&text("Uno")))
            .unwrap();
        editor
            .set(p, &file, "P-2", "type", Some(&text("data")))
            .unwrap();
        editor.withdraw(&file, "P-1").unwrap();
        let mut expected = FILE.to_string();
        for (path, id, value) in [
            ("title", "P-1", Some(text("Uno"))),
            ("title", "P-2", Some(text("Two: 2"))),
            ("source.ref", "P-1", Some(text("9.10"))),
            ("type", "P-2", Some(text("data"))),
            ("status", "P-1", Some(text("withdrawn"))),
        ] {
            expected = set_in(&expected, p, id, path, value.as_ref()).unwrap();
        }
        let changes = editor.changes();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].after, expected);
        assert!(expected.contains("title: \"Uno\"") && expected.contains("title: \"Two: 2\""));
    }

    /// An edit, for the editor and for the text functions one at a time.
    enum Op {
        Append(Kind, Vec<(&'static str, EditValue)>),
        Set(&'static str, &'static str, EditValue),
        Remove(Kind, &'static str),
    }

    /// The file after `ops` through one editor, and after each op applied
    /// to the text on its own (a parse of the whole file every time).
    fn editor_and_sequential(start: Option<&str>, ops: &[Op]) -> (String, String) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("promises.yaml");
        if let Some(start) = start {
            std::fs::write(&file, start).unwrap();
        }
        let mut editor = Editor::new(dir.path());
        let mut expected = start.unwrap_or("").to_string();
        for op in ops {
            match op {
                Op::Append(kind, fields) => {
                    editor.append(*kind, &file, fields).unwrap();
                    expected = append_to(&expected, *kind, fields).unwrap();
                }
                Op::Set(id, path, value) => {
                    editor
                        .set(Kind::Promise, &file, id, path, Some(value))
                        .unwrap();
                    expected = set_in(&expected, Kind::Promise, id, path, Some(value)).unwrap();
                }
                Op::Remove(kind, id) => {
                    editor.remove(*kind, &file, id).unwrap();
                    expected = remove_from(&expected, *kind, id).unwrap();
                }
            }
        }
        let changes = editor.changes();
        assert_eq!(changes.len(), 1);
        (changes[0].after.clone(), expected)
    }

    fn promise(id: &str, extra: Vec<(&'static str, EditValue)>) -> Op {
        let mut fields = vec![("id", text(id)), ("title", text(&format!("Promise {id}")))];
        fields.extend(extra);
        Op::Append(Kind::Promise, fields)
    }

    #[test]
    fn many_appends_to_one_file_give_the_bytes_of_appending_them_one_at_a_time() {
        let long: Vec<EditValue> = (0..12)
            .map(|i| text(&format!("criterion number {i}")))
            .collect();
        let short = || EditValue::List(vec![text("a"), text("b: c")]);
        let starts = [
            None,
            Some(""),
            Some("# nothing yet\n"),
            Some("promises: []\n"),
            Some("promises:\n\n# trailing comment\n"),
            Some(FILE),
            Some("promises:\n    - id: P-1\n      title: One\n      tags:\n        - x\n"),
            Some(
                "promises:\n- id: P-1\n  title: One\n- id: P-2\n  title: Two\nscope:\n  - id: S-1\n",
            ),
            Some("promises:\n  - id: P-1\n    title: no newline at the end"),
        ];
        for start in starts {
            // The first list written sets the style of the lists after it:
            // a long one goes in block style, and so do the short ones then.
            let ops = vec![
                promise("N-1", vec![]),
                promise("N-2", vec![("acceptance", EditValue::List(long.clone()))]),
                promise("N-3", vec![("tags", short()), ("source.kind", text("rfp"))]),
                promise("N-4", vec![("acceptance", EditValue::List(vec![]))]),
                promise("N-5", vec![("title", text("# not a comment: \"quoted\""))]),
            ];
            let (got, expected) = editor_and_sequential(start, &ops);
            assert_eq!(got, expected, "from {start:?}");
            let ops = vec![
                promise("N-1", vec![("tags", short())]),
                promise("N-2", vec![("acceptance", EditValue::List(long.clone()))]),
                promise("N-3", vec![]),
            ];
            let (got, expected) = editor_and_sequential(start, &ops);
            assert_eq!(got, expected, "from {start:?}");
        }
    }

    #[test]
    fn appends_mixed_with_sets_and_removes_give_the_sequential_result() {
        let ops = vec![
            promise("P-3", vec![]),
            Op::Set("P-1", "title", text("One again")),
            promise("P-4", vec![("tags", EditValue::List(vec![text("x")]))]),
            // An item appended in this edit, changed in place.
            Op::Set("P-3", "title", text("Three: changed")),
            Op::Set("P-2", "priority", text("should")),
            promise("P-5", vec![]),
            // A new key on an appended item, then on an old one.
            Op::Set("P-4", "type", text("service")),
            Op::Set("P-2", "type", text("data")),
            promise("P-6", vec![]),
            Op::Remove(Kind::Promise, "P-5"),
            promise("P-7", vec![]),
            Op::Append(Kind::Scope, vec![("id", text("S-1"))]),
            promise("P-8", vec![]),
        ];
        let (got, expected) = editor_and_sequential(Some(FILE), &ops);
        assert_eq!(got, expected);
        assert!(
            got.contains("  - id: P-8\n") && !got.contains("P-5"),
            "{got}"
        );
    }

    #[test]
    fn text_is_quoted_only_when_it_must_be() {
        for (value, expected) in [
            ("plain words", "plain words"),
            ("3.10", "\"3.10\""),
            ("true", "\"true\""),
            ("a: b", "\"a: b\""),
            ("# no", "\"# no\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("- dash", "\"- dash\""),
        ] {
            assert_eq!(
                render_scalar(&text(value), Quote::Plain, false).unwrap(),
                expected
            );
        }
    }
}
