//! What changed between two versions of the engagements, in business terms.
//!
//! Engagements are matched by their `handoff.yaml` id (a moved folder is a
//! move); promises, scope items and gaps by id and stakeholders by key (a
//! promise moved to another file is no change); handoff fields by path.
//! Findings are matched by fingerprint, so a finding whose line moved is
//! still the same finding. The printers in `output/diff/` show the
//! result; nothing here prints.

pub mod fields;

use std::sync::Arc;

use serde::Serialize;

use crate::analysis::{Coverage, Figures};
use crate::config::{EffortBand, Thresholds};
use crate::evaluate::Evaluation;
use crate::finding::{Counts, Finding, Severity, Verdict};
use crate::format::capitalise;
use crate::model::{
    Commitment, Engagement, Gap, GapStatus, IdMap, IdSet, Loc, Priority, Promise, PromiseStatus,
    ScopeItem, SignOff, Stakeholder, Vocab, Written,
};
use fields::{FieldChange, Fields, is_private_stakeholder_field};

/// One side of the comparison, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    /// What the user typed, `HEAD`, or e.g. "merge-base of origin/main and HEAD".
    pub label: String,
    /// The full commit id; `None` for the working tree.
    pub commit: Option<String>,
    /// The first line of the commit message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Revision {
    pub fn working_tree() -> Revision {
        Revision {
            label: "working tree".to_string(),
            commit: None,
            summary: None,
        }
    }

    /// The commit's first 7 characters, as git shows it; `None` for the
    /// working tree.
    pub fn short_commit(&self) -> Option<String> {
        self.commit.as_deref().map(crate::git::short_id)
    }

    /// `1a2b3c4 (origin/main)` or `working tree`.
    pub fn short(&self) -> String {
        match self.short_commit() {
            Some(short) => format!("{short} ({})", self.label),
            None => self.label.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub base: Revision,
    pub head: Revision,
    /// The folders compared, as given (or `.`).
    pub paths: Vec<String>,
    pub engagements: Vec<EngagementDiff>,
}

impl Diff {
    /// Findings HEAD adds at `severity` or worse (new ones, and ones that
    /// became that severe), for `--fail-on`.
    /// Findings whose severity rose between the sides (a gap escalated).
    pub fn worse_findings(&self) -> impl Iterator<Item = &FindingRef> {
        self.engagements.iter().flat_map(|e| {
            e.findings
                .severity_changed
                .iter()
                .filter(|c| c.finding.severity < c.before)
                .map(|c| &c.finding)
        })
    }

    /// What `--fail-on` counts: new findings, and findings that rose, at
    /// `severity` or worse.
    pub fn new_findings_at_least(&self, severity: Severity) -> usize {
        self.engagements
            .iter()
            .map(|e| {
                e.findings
                    .new
                    .iter()
                    .filter(|f| f.severity <= severity)
                    .count()
                    + e.findings
                        .severity_changed
                        .iter()
                        .filter(|c| c.finding.severity <= severity && c.finding.severity < c.before)
                        .count()
            })
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Added,
    Removed,
    Changed,
    Unchanged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Removed => "removed",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EngagementDiff {
    pub id: String,
    pub name: Option<String>,
    pub status: Status,
    /// The folder moved (or was renamed) but kept its id.
    pub moved: bool,
    pub path_before: Option<String>,
    pub path_after: Option<String>,
    /// The most important changes, in plain words, most serious first.
    pub highlights: Vec<Highlight>,
    /// handoff.yaml fields, by path.
    pub handoff: Vec<FieldChange>,
    pub items: Vec<ItemChange>,
    pub findings: FindingChanges,
    /// Sign-offs in force that appeared, were renewed, changed their
    /// decision or conditions, or went, in the config's role order.
    pub signoffs: Vec<SignoffChange>,
    /// Waivers (`waivers.yaml`) added, changed and removed, matched by the
    /// finding they name; left out of JSON when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverChange>,
    pub before: Option<State>,
    pub after: Option<State>,
    /// For printing figures: `days` or `hours`, and the contract currency.
    #[serde(skip)]
    pub unit: &'static str,
    #[serde(skip)]
    pub currency: Option<String>,
    /// How many items each side holds, for added and removed engagements.
    #[serde(skip)]
    pub sizes: Sizes,
}

impl EngagementDiff {
    pub fn path(&self) -> &str {
        self.path_after
            .as_deref()
            .or(self.path_before.as_deref())
            .unwrap_or(".")
    }

    pub fn items_of(&self, kind: ItemKind) -> impl Iterator<Item = &ItemChange> {
        self.items.iter().filter(move |i| i.kind == kind)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sizes {
    pub promises: usize,
    pub scope: usize,
    pub gaps: usize,
    pub stakeholders: usize,
}

impl Sizes {
    fn of(e: &Engagement) -> Sizes {
        Sizes {
            promises: e.promises.len(),
            scope: e.scope.len(),
            gaps: e.gaps.len(),
            stakeholders: e.stakeholders.len(),
        }
    }
}

/// The verdict, finding counts and figures of one side.
#[derive(Debug, Clone, Serialize)]
pub struct State {
    pub verdict: Verdict,
    pub counts: Counts,
    #[serde(serialize_with = "rounded_figures")]
    pub figures: Figures,
}

fn rounded_figures<S: serde::Serializer>(f: &Figures, s: S) -> Result<S::Ok, S::Error> {
    f.rounded().serialize(s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Promise,
    Scope,
    Gap,
    Stakeholder,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Promise,
        ItemKind::Scope,
        ItemKind::Gap,
        ItemKind::Stakeholder,
    ];

    /// "promises", "scope items", ...
    pub fn plural(self) -> &'static str {
        match self {
            ItemKind::Promise => "promises",
            ItemKind::Scope => "scope items",
            ItemKind::Gap => "gaps",
            ItemKind::Stakeholder => "stakeholders",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemChange {
    pub kind: ItemKind,
    /// The id (a stakeholder's key).
    pub id: String,
    /// The title, gap summary or stakeholder name, on the newer side.
    pub title: Option<String>,
    pub change: Change,
    /// Field by field, for changed items.
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FindingChanges {
    /// On HEAD and not on BASE.
    pub new: Vec<FindingRef>,
    /// On BASE and gone on HEAD.
    pub resolved: Vec<FindingRef>,
    /// On both, at another severity (e.g. a gap escalated).
    pub severity_changed: Vec<SeverityChange>,
    /// On both, unchanged: counted, not listed.
    pub still_present: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingRef {
    pub code: &'static str,
    pub severity: Severity,
    pub item: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub help: Option<String>,
    pub fingerprint: String,
}

impl FindingRef {
    fn new(f: &Finding, engagement: &str) -> FindingRef {
        FindingRef {
            code: f.code.as_str(),
            severity: f.severity,
            item: f.item.clone(),
            file: f.loc.file.to_string(),
            line: f.loc.pos.line,
            column: f.loc.pos.column,
            message: f.message.clone(),
            help: f.help.clone(),
            fingerprint: f.fingerprint(engagement),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SeverityChange {
    pub before: Severity,
    /// As it is on HEAD.
    pub finding: FindingRef,
}

/// How the sign-off in force of a role changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignoffChangeKind {
    /// A role that had no sign-off in force has one.
    New,
    /// Signed again with the same decision and conditions.
    Renewed,
    DecisionChanged,
    ConditionsChanged,
    /// The role's sign-off in force is gone (the entry was deleted, or no
    /// longer counts).
    Withdrawn,
}

impl SignoffChangeKind {
    pub fn words(self) -> &'static str {
        match self {
            SignoffChangeKind::New => "new",
            SignoffChangeKind::Renewed => "renewed",
            SignoffChangeKind::DecisionChanged => "decision changed",
            SignoffChangeKind::ConditionsChanged => "conditions changed",
            SignoffChangeKind::Withdrawn => "withdrawn",
        }
    }
}

/// One sign-off as a diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignoffRef {
    /// The signer's stakeholder key.
    pub by: String,
    /// "Julia Lange (jlange)".
    #[serde(skip)]
    pub name: String,
    pub decision: &'static str,
    pub date: String,
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignoffChange {
    pub role: String,
    pub change: SignoffChangeKind,
    pub before: Option<SignoffRef>,
    pub after: Option<SignoffRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HighlightKind {
    /// An active must-have or contractual promise deleted from the files
    /// instead of being marked withdrawn.
    PromiseDeleted,
    /// A promise that was covered is now only partly covered, or not at all.
    CoverageLost,
    GapReopened,
    GapEscalated,
    /// A new promise that no scope item covers.
    NewPromiseUnscoped,
    /// A promise changed or removed after the customer agreed to a gap about it.
    AgreedPromiseChanged,
    /// Effort variance crossed a configured threshold.
    EffortThreshold,
    /// A waiver was added: someone accepted a finding.
    FindingWaived,
}

/// One waiver as a diff shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    pub reason: String,
    pub by: String,
    pub until: String,
}

/// A waiver added, changed (reason, approver or end date) or removed.
#[derive(Debug, Clone, Serialize)]
pub struct WaiverChange {
    /// The finding it names, as written.
    pub finding: String,
    pub change: Change,
    pub before: Option<WaiverRef>,
    pub after: Option<WaiverRef>,
}

fn waiver_changes(before: &Engagement, after: &Engagement) -> Vec<WaiverChange> {
    let as_ref = |w: &crate::model::Waiver| WaiverRef {
        reason: w.reason.value.clone(),
        by: w.by.value.clone(),
        until: w.until.value.to_string(),
    };
    let find = |e: &Engagement, finding: &str| {
        e.waivers
            .iter()
            .rev()
            .find(|w| w.finding.value == finding)
            .map(as_ref)
    };
    let mut names: Vec<&str> = after.waivers.iter().map(|w| w.finding.as_str()).collect();
    names.extend(before.waivers.iter().map(|w| w.finding.as_str()));
    let mut seen = IdSet::default();
    let mut out = Vec::new();
    for name in names {
        if !seen.insert(name) {
            continue;
        }
        let (b, a) = (find(before, name), find(after, name));
        let change = match (&b, &a) {
            (None, Some(_)) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(x), Some(y)) if x != y => Change::Changed,
            _ => continue,
        };
        out.push(WaiverChange {
            finding: name.to_string(),
            change,
            before: b,
            after: a,
        });
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Highlight {
    pub kind: HighlightKind,
    /// The promise or gap id, or `effort`.
    pub item: String,
    pub message: String,
}

/// What the diff may show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Show stakeholder notes (private) instead of "notes changed".
    pub show_notes: bool,
    /// Files, as items' locations name them, that are the same on both
    /// sides (equal git blob ids): their items are unchanged without
    /// comparing a single field.
    pub unchanged_files: Option<&'a IdSet<Arc<str>>>,
}

/// Compares every engagement of `base` with its namesake in `head`.
/// Thresholds come from each evaluation's config, which the caller takes
/// from HEAD for both sides.
pub fn compare(
    base_rev: Revision,
    head_rev: Revision,
    paths: Vec<String>,
    base: &[Evaluation<'_>],
    head: &[Evaluation<'_>],
    options: Options<'_>,
) -> Diff {
    let mut by_id: IdMap<&str, &Evaluation<'_>> = IdMap::default();
    for ev in base {
        by_id.entry(ev.engagement().id()).or_insert(ev);
    }
    let mut seen: IdSet<&str> = IdSet::default();
    let mut engagements = Vec::new();
    for after in head {
        let id = after.engagement().id();
        if !seen.insert(id) {
            continue;
        }
        engagements.push(engagement_diff(
            by_id.get(id).copied(),
            Some(after),
            options,
        ));
    }
    for before in base {
        let id = before.engagement().id();
        if seen.insert(id) {
            engagements.push(engagement_diff(Some(before), None, options));
        }
    }
    engagements.sort_by(|a, b| (a.path(), &a.id).cmp(&(b.path(), &b.id)));
    Diff {
        base: base_rev,
        head: head_rev,
        paths,
        engagements,
    }
}

fn state(ev: &Evaluation<'_>) -> State {
    State {
        verdict: ev.verdict,
        counts: ev.counts,
        figures: ev.analysis.figures.clone(),
    }
}

fn engagement_diff(
    before: Option<&Evaluation<'_>>,
    after: Option<&Evaluation<'_>>,
    options: Options<'_>,
) -> EngagementDiff {
    let newer = after.or(before);
    let e = newer.map(Evaluation::engagement);
    let id = e.map(|e| e.id().to_string()).unwrap_or_default();
    let path_before = before.map(|ev| ev.engagement().dir.clone());
    let path_after = after.map(|ev| ev.engagement().dir.clone());
    let mut diff = EngagementDiff {
        id: id.clone(),
        name: e.and_then(|e| e.handoff.name.clone()),
        status: Status::Unchanged,
        moved: matches!((&path_before, &path_after), (Some(b), Some(a)) if a != b),
        path_before,
        path_after,
        highlights: Vec::new(),
        handoff: Vec::new(),
        items: Vec::new(),
        findings: FindingChanges::default(),
        signoffs: Vec::new(),
        waivers: Vec::new(),
        before: before.map(state),
        after: after.map(state),
        unit: e.map_or("days", |e| e.handoff.effort.unit_name()),
        currency: e.and_then(|e| e.handoff.contract.currency.clone()),
        sizes: e.map(Sizes::of).unwrap_or_default(),
    };
    let (b, a) = match (before, after) {
        (Some(b), Some(a)) => (b, a),
        (None, Some(a)) => {
            diff.status = Status::Added;
            diff.findings.new = a.findings.iter().map(|f| FindingRef::new(f, &id)).collect();
            return diff;
        }
        // A removed engagement's findings are not "resolved": they left
        // with it. Its last state is kept in `before`.
        _ => {
            diff.status = Status::Removed;
            return diff;
        }
    };
    let (eb, ea) = (b.engagement(), a.engagement());
    diff.handoff = fields::compare(&eb.handoff.fields(), &ea.handoff.fields());
    diff.items
        .extend(items(&eb.promises, &ea.promises, options));
    diff.items.extend(items(&eb.scope, &ea.scope, options));
    diff.items.extend(items(&eb.gaps, &ea.gaps, options));
    diff.items
        .extend(items(&eb.stakeholders, &ea.stakeholders, options));
    diff.signoffs = signoff_changes(b, a);
    diff.waivers = waiver_changes(eb, ea);
    if !diff.handoff.is_empty()
        || !diff.items.is_empty()
        || !diff.signoffs.is_empty()
        || !diff.waivers.is_empty()
    {
        diff.status = Status::Changed;
    }
    diff.findings = classify(&b.findings, &a.findings, &id);
    diff.highlights = highlights(b, a, &diff.items, &a.config.thresholds);
    // Someone accepted a finding: a reviewer should know.
    for w in diff.waivers.iter().filter(|w| w.change == Change::Added) {
        if let Some(after) = &w.after {
            diff.highlights.push(Highlight {
                kind: HighlightKind::FindingWaived,
                item: w.finding.clone(),
                message: format!(
                    "Finding {} was accepted by {} until {}: {}",
                    w.finding, after.by, after.until, after.reason
                ),
            });
        }
    }
    diff.highlights.sort_by_key(|h| h.kind);
    diff
}

fn signoff_ref(e: &Engagement, s: &SignOff) -> SignoffRef {
    SignoffRef {
        by: s.by.value.clone(),
        name: crate::signoff::signer_name(e, &s.by),
        decision: s.decision.as_str(),
        date: s.date.to_string(),
        conditions: s.conditions.iter().map(|c| c.value.clone()).collect(),
    }
}

/// The sign-offs in force on each side, role by role, as each evaluation
/// worked them out.
fn signoff_changes(before: &Evaluation<'_>, after: &Evaluation<'_>) -> Vec<SignoffChange> {
    /// The entry in force, told apart from an identical one signed again
    /// by its fingerprint and how many it replaced.
    fn in_force(ev: &Evaluation<'_>, role: &str) -> Option<((String, usize), SignoffRef)> {
        let status = ev.signoffs.role(role)?;
        status.in_force.as_ref().map(|f| {
            let s = f.signoff;
            (
                (s.fingerprint.value.clone(), status.earlier),
                signoff_ref(ev.engagement(), s),
            )
        })
    }
    let mut roles: Vec<&str> = after.signoffs.roles.iter().map(|r| r.role).collect();
    for r in &before.signoffs.roles {
        if !roles.contains(&r.role) {
            roles.push(r.role);
        }
    }
    let mut out = Vec::new();
    for role in roles {
        let (b, a) = (in_force(before, role), in_force(after, role));
        let change = match (&b, &a) {
            (None, None) => continue,
            (None, Some(_)) => SignoffChangeKind::New,
            (Some(_), None) => SignoffChangeKind::Withdrawn,
            (Some((sb, rb)), Some((sa, ra))) => {
                let same_entry = rb == ra && sb == sa;
                if same_entry {
                    continue;
                } else if rb.decision != ra.decision {
                    SignoffChangeKind::DecisionChanged
                } else if rb.conditions != ra.conditions {
                    SignoffChangeKind::ConditionsChanged
                } else {
                    SignoffChangeKind::Renewed
                }
            }
        };
        out.push(SignoffChange {
            role: role.to_string(),
            change,
            before: b.map(|(_, r)| r),
            after: a.map(|(_, r)| r),
        });
    }
    out
}

/// An item matched across versions by its id.
trait Item: Fields {
    const KIND: ItemKind;
    fn id(&self) -> &str;
    /// Where the item is written.
    fn loc(&self) -> &Loc;
    /// Its text, when the load kept it.
    fn written(&self) -> Option<&Written>;
    /// The title, gap summary or stakeholder name.
    fn title(&self) -> Option<String>;
}

impl Item for Promise {
    const KIND: ItemKind = ItemKind::Promise;
    fn loc(&self) -> &Loc {
        &self.loc
    }
    fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }
    fn id(&self) -> &str {
        &self.id.value
    }
    fn title(&self) -> Option<String> {
        Some(self.title.clone())
    }
}

impl Item for ScopeItem {
    const KIND: ItemKind = ItemKind::Scope;
    fn loc(&self) -> &Loc {
        &self.loc
    }
    fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }
    fn id(&self) -> &str {
        &self.id.value
    }
    fn title(&self) -> Option<String> {
        self.title.clone()
    }
}

impl Item for Gap {
    const KIND: ItemKind = ItemKind::Gap;
    fn loc(&self) -> &Loc {
        &self.loc
    }
    fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }
    fn id(&self) -> &str {
        &self.id.value
    }
    fn title(&self) -> Option<String> {
        self.summary.clone()
    }
}

impl Item for Stakeholder {
    const KIND: ItemKind = ItemKind::Stakeholder;
    fn loc(&self) -> &Loc {
        &self.loc
    }
    fn written(&self) -> Option<&Written> {
        self.written.as_ref()
    }
    fn id(&self) -> &str {
        &self.key.value
    }
    fn title(&self) -> Option<String> {
        Some(self.display_name().to_string())
    }
}

fn items<T: Item>(before: &[T], after: &[T], options: Options<'_>) -> Vec<ItemChange> {
    let kind = T::KIND;
    let change = |item: &T, change: Change, fields: Vec<FieldChange>| ItemChange {
        kind,
        id: item.id().to_string(),
        title: item.title(),
        change,
        fields,
    };
    // The first of duplicate ids wins, as everywhere else.
    let mut old: IdMap<&str, &T> =
        IdMap::with_capacity_and_hasher(before.len(), Default::default());
    for item in before {
        old.entry(item.id()).or_insert(item);
    }
    let mut seen: IdSet<&str> = IdSet::with_capacity_and_hasher(after.len(), Default::default());
    let mut out = Vec::new();
    for item in after {
        let key = item.id();
        if !seen.insert(key) {
            continue;
        }
        match old.get(key) {
            None => out.push(change(item, Change::Added, Vec::new())),
            // Most items did not change: build field lists only for the
            // ones that did, and compare values only for items not written
            // the same.
            Some(prev)
                if same_file(prev.loc(), item.loc(), options)
                    || written_same(*prev, item)
                    || prev.same_values(item) => {}
            Some(prev) => {
                let mut changes = fields::compare(&prev.fields(), &item.fields());
                if kind == ItemKind::Stakeholder {
                    hide_private(&mut changes, options);
                }
                if !changes.is_empty() {
                    out.push(change(item, Change::Changed, changes));
                }
            }
        }
    }
    for item in before {
        let key = item.id();
        if seen.insert(key) {
            out.push(change(item, Change::Removed, Vec::new()));
        }
    }
    out
}

/// Whether both versions of an item are written the same (where the load
/// kept their text): a file with a few edits compares only those items.
fn written_same<T: Item>(before: &T, after: &T) -> bool {
    before
        .written()
        .zip(after.written())
        .is_some_and(|(a, b)| a.same(b))
}

/// Whether both versions of an item come from one file that is the same
/// on both sides, so they are the same item, written the same.
fn same_file(before: &Loc, after: &Loc, options: Options<'_>) -> bool {
    before.file == after.file
        && options
            .unchanged_files
            .is_some_and(|files| files.contains(&after.file))
}

/// Private values never leave this module unless the user asked.
fn hide_private(changes: &mut Vec<FieldChange>, options: Options<'_>) {
    let mut hidden_seen = false;
    changes.retain_mut(|c| {
        if !is_private_stakeholder_field(&c.field) {
            return true;
        }
        c.private = true;
        if options.show_notes {
            return true;
        }
        c.before = None;
        c.after = None;
        // One "notes changed" is enough when several lines differ.
        let keep = !hidden_seen;
        hidden_seen = true;
        keep
    });
}

/// New, resolved and still-present findings, matched by fingerprint.
fn classify(before: &[Finding], after: &[Finding], engagement: &str) -> FindingChanges {
    let mut pool: IdMap<String, Vec<&Finding>> = IdMap::default();
    for f in before {
        pool.entry(f.fingerprint(engagement)).or_default().push(f);
    }
    let mut out = FindingChanges::default();
    for f in after {
        let bucket = pool.entry(f.fingerprint(engagement)).or_default();
        if bucket.is_empty() {
            out.new.push(FindingRef::new(f, engagement));
            continue;
        }
        let at = bucket
            .iter()
            .position(|b| b.severity == f.severity)
            .unwrap_or(0);
        let prev = bucket.remove(at);
        if prev.severity == f.severity {
            out.still_present += 1;
        } else {
            out.severity_changed.push(SeverityChange {
                before: prev.severity,
                finding: FindingRef::new(f, engagement),
            });
        }
    }
    // In BASE's order, which is most severe first.
    for f in before {
        let fp = f.fingerprint(engagement);
        if let Some(bucket) = pool.get_mut(&fp)
            && let Some(at) = bucket.iter().position(|b| std::ptr::eq(*b, f))
        {
            bucket.remove(at);
            out.resolved.push(FindingRef::new(f, engagement));
        }
    }
    out
}

/// A title in quotes, shortened so a highlight stays one readable line.
fn quoted(text: &str) -> String {
    const MAX: usize = 80;
    let text = text.trim();
    if text.chars().count() <= MAX {
        return format!("“{text}”");
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("“{}…”", cut.trim_end())
}

fn gap_label(g: &Gap) -> String {
    match &g.summary {
        Some(s) => format!("{} {}", g.id.value, quoted(s)),
        None => g.id.value.clone(),
    }
}

/// The customer was told: they agreed to a gap about this promise.
fn customer_told(g: &Gap) -> bool {
    g.status == GapStatus::Agreed
        || (g.status == GapStatus::Closed && (g.agreed_with.is_some() || g.agreed_on.is_some()))
}

fn gap_note(ev: &Evaluation<'_>, promise: &str) -> String {
    let gaps = ev.analysis.index.gaps_for_promise(promise);
    match gaps {
        [] => " No gap records it.".to_string(),
        gaps => format!(
            " Gap {} records it.",
            gaps.iter()
                .map(|g| g.id.value.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn highlights(
    before: &Evaluation<'_>,
    after: &Evaluation<'_>,
    items: &[ItemChange],
    thresholds: &Thresholds,
) -> Vec<Highlight> {
    let mut out = Vec::new();
    let (ib, ia) = (&before.analysis.index, &after.analysis.index);

    for (p, now) in after.analysis.promises_with_coverage() {
        let id = p.id.as_str();
        let Some(old) = ib.promises.get(id) else {
            if now == Coverage::Unscoped {
                out.push(Highlight {
                    kind: HighlightKind::NewPromiseUnscoped,
                    item: id.to_string(),
                    message: format!(
                        "New {} promise {id} {} has no scope: no scope item covers it.{}",
                        p.priority().words(),
                        quoted(&p.title),
                        gap_note(after, id)
                    ),
                });
            }
            continue;
        };
        let was = ib.coverage(old);
        let lost = matches!(
            (was, now),
            (Coverage::Covered, Coverage::Partial | Coverage::Unscoped)
                | (Coverage::Partial, Coverage::Unscoped)
        );
        if lost {
            let previously = ib.covering_ids(id).join(", ");
            let was_words = if was == Coverage::Covered {
                "fully covered"
            } else {
                "partly covered"
            };
            let now_words = if now == Coverage::Unscoped {
                "lost its scope: no scope item covers it any more".to_string()
            } else {
                format!(
                    "is now only partly covered (by {})",
                    ia.covering_ids(id).join(", ")
                )
            };
            out.push(Highlight {
                kind: HighlightKind::CoverageLost,
                item: id.to_string(),
                message: format!(
                    "{} promise {id} {} {now_words}; it was {was_words} by {}.{}",
                    capitalise(p.priority().words()),
                    quoted(&p.title),
                    previously,
                    gap_note(after, id)
                ),
            });
        }
    }

    for g in &after.analysis.engagement.gaps {
        let Some(old) = ib.gaps.get(g.id.as_str()) else {
            continue;
        };
        if old.status != GapStatus::Open && g.status == GapStatus::Open {
            out.push(Highlight {
                kind: HighlightKind::GapReopened,
                item: g.id.value.clone(),
                message: format!(
                    "Gap {} was reopened: it was {}, now it is open again.",
                    gap_label(g),
                    old.status.as_str()
                ),
            });
        }
        if g.criticality() < old.criticality() {
            out.push(Highlight {
                kind: HighlightKind::GapEscalated,
                item: g.id.value.clone(),
                message: format!(
                    "Gap {} escalated from {} to {}.",
                    gap_label(g),
                    old.criticality().as_str(),
                    g.criticality().as_str()
                ),
            });
        }
    }

    // Deleting a promise erases why it was dropped; `status: withdrawn`
    // keeps the record.
    for change in items
        .iter()
        .filter(|i| i.kind == ItemKind::Promise && i.change == Change::Removed)
    {
        let Some(p) = ib.promises.get(change.id.as_str()) else {
            continue;
        };
        let must = p.priority() == Priority::Must;
        let contractual = p.commitment == Some(Commitment::Contractual);
        if p.status != PromiseStatus::Active || !(must || contractual) {
            continue;
        }
        let what = match (must, contractual) {
            (true, true) => "must-have, contractual",
            (true, false) => "must-have",
            _ => "contractual",
        };
        out.push(Highlight {
            kind: HighlightKind::PromiseDeleted,
            item: change.id.clone(),
            message: format!(
                "Promise {} {} ({what}) was deleted from the files: if it is no longer made, set `status: withdrawn` instead, so the record says it was dropped.",
                change.id,
                quoted(&p.title)
            ),
        });
    }

    for change in items.iter().filter(|i| i.kind == ItemKind::Promise) {
        if change.change == Change::Added {
            continue;
        }
        let Some(told) = ib
            .gaps_for_promise(&change.id)
            .iter()
            // An agreement with someone of ours is no agreement.
            .find(|g| customer_told(g) && !ib.agreement_not_customer(g))
        else {
            continue;
        };
        let with = match (&told.agreed_with, told.agreed_on) {
            (Some(who), Some(on)) => format!(" (with {who} on {on})"),
            (Some(who), None) => format!(" (with {who})"),
            (None, Some(on)) => format!(" (on {on})"),
            (None, None) => String::new(),
        };
        let title = change.title.as_deref().map(quoted).unwrap_or_default();
        let what = if change.change == Change::Removed {
            "was removed".to_string()
        } else {
            let mut names: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
            names.dedup();
            format!("changed ({})", names.join(", "))
        };
        out.push(Highlight {
            kind: HighlightKind::AgreedPromiseChanged,
            item: change.id.clone(),
            message: format!(
                "Promise {} {title} {what} after the customer agreed to gap {}{with}: tell the customer, or agree the change with them.",
                change.id, told.id.value
            )
            .replace("  ", " "),
        });
    }

    if let (Some(vb), Some(va)) = (
        before.analysis.figures.effort_variance,
        after.analysis.figures.effort_variance,
    ) && let Some(message) = effort_crossing(vb, va, thresholds)
    {
        out.push(Highlight {
            kind: HighlightKind::EffortThreshold,
            item: "effort".to_string(),
            message: {
                let f = &after.analysis.figures;
                let unit = after.engagement().handoff.effort.unit_name();
                // The variance is against the contract as it stands now.
                let sold = match (f.effort_contracted, f.contract_change_effort()) {
                    (Some(s), Some(_)) => {
                        format!(" against {} contracted", crate::format::number(s))
                    }
                    _ => f.effort_sold.map_or(String::new(), |s| {
                        format!(" against {} sold", crate::format::number(s))
                    }),
                };
                format!(
                    "{message}: {} → {}; now {} {unit} scoped{sold}.",
                    crate::format::signed_percent(vb),
                    crate::format::signed_percent(va),
                    crate::format::number(f.effort_scoped),
                )
            },
        });
    }
    out.sort_by_key(|h| h.kind);
    out
}

fn effort_crossing(before: f64, after: f64, t: &Thresholds) -> Option<String> {
    let pct = |x: f64| crate::format::signed_percent(x);
    let (b, a) = (t.effort_band(before), t.effort_band(after));
    let message = match (b, a) {
        _ if a == b => return None,
        (_, EffortBand::Fail) => format!(
            "Effort variance rose above the {} limit",
            pct(t.effort_variance_fail)
        ),
        (EffortBand::Fail, EffortBand::Warn) => format!(
            "Effort variance came back under the {} limit but is still above the {} warning level",
            pct(t.effort_variance_fail),
            pct(t.effort_variance_warn)
        ),
        (_, EffortBand::Warn) => format!(
            "Effort variance rose above the {} warning level",
            pct(t.effort_variance_warn)
        ),
        (_, EffortBand::Under) => format!(
            "Scoped effort fell below the {} floor (padding or missing scope)",
            pct(t.effort_variance_low)
        ),
        (EffortBand::Under, EffortBand::Within) => format!(
            "Scoped effort came back above the {} floor",
            pct(t.effort_variance_low)
        ),
        (_, EffortBand::Within) => format!(
            "Effort variance is back within the {} warning level",
            pct(t.effort_variance_warn)
        ),
    };
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effort_crossings_name_the_threshold_crossed() {
        let t = Thresholds::default();
        assert_eq!(effort_crossing(0.05, 0.08, &t), None);
        assert!(
            effort_crossing(0.05, 0.26, &t)
                .unwrap_or_default()
                .contains("+20.0% limit")
        );
        assert!(
            effort_crossing(0.26, 0.15, &t)
                .unwrap_or_default()
                .contains("still above the +10.0% warning level")
        );
        assert!(
            effort_crossing(0.15, 0.02, &t)
                .unwrap_or_default()
                .contains("back within")
        );
        assert!(
            effort_crossing(0.0, -0.3, &t)
                .unwrap_or_default()
                .contains("-20.0% floor")
        );
    }
}
