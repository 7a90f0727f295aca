//! Sign-offs: who put their name to the engagement, and whether what they
//! signed is still what the files say (docs/signoffs.md).
//!
//! Each evaluation works out the [`State`] once; the sign-off rules of
//! `check` (`crate::rules`), `handoff status` and the PID read it.
//! [`append`] and [`git`] serve `handoff sign`.

pub mod append;
pub mod git;

use std::collections::BTreeMap;

use crate::config::Config;
use crate::fingerprint::LazyFingerprint;
use crate::model::{Decision, Engagement, Gap, GapStatus, SignOff, Stakeholder};

/// What the sales owner confirms by signing.
pub const SALES_STATEMENT: &str =
    "All promises made to the customer, including verbal ones and side deals, are listed.";

/// The sign-off in force for a role: the latest date wins, and of two on
/// the same day the one further down the file (appended later).
pub fn latest<'e>(e: &'e Engagement, role: &str) -> Option<&'e SignOff> {
    e.signoffs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role.as_str() == role)
        .max_by_key(|(i, s)| (s.date, *i))
        .map(|(_, s)| s)
}

/// Whether `k` may sign off for `role` under `config`.
pub fn eligible(config: &Config, role: &str, k: &Stakeholder) -> bool {
    let rule = config.eligible(role);
    rule.org.is_none_or(|org| k.org == Some(org))
        && (rule.roles.is_empty() || rule.roles.iter().any(|r| k.roles.contains(r)))
        && !rule.not_roles.iter().any(|r| k.roles.contains(r))
}

/// The stakeholders who may sign off for `role`, in file order.
pub fn eligible_signers<'e>(
    e: &'e Engagement,
    config: &Config,
    role: &str,
) -> Vec<&'e Stakeholder> {
    e.stakeholders
        .iter()
        .filter(|k| eligible(config, role, k))
        .collect()
}

/// Whether a sign-off counts: its signer may sign for its role. A signer
/// who is not a stakeholder counts here; `unknown-reference` reports them.
fn counts(e: &Engagement, config: &Config, s: &SignOff) -> bool {
    e.stakeholders
        .iter()
        .find(|k| k.key.value == s.by.value)
        .is_none_or(|k| eligible(config, &s.role, k))
}

/// The sign-off in force for a role among those that count: the latest
/// date wins, and of two on the same day the one further down the file.
fn latest_counted<'e>(e: &'e Engagement, config: &Config, role: &str) -> Option<&'e SignOff> {
    e.signoffs
        .iter()
        .enumerate()
        .filter(|(_, s)| s.role.as_str() == role && counts(e, config, s))
        .max_by_key(|(i, s)| (s.date, *i))
        .map(|(_, s)| s)
}

/// Whether a sign-off still covers the files as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    /// The kinds that changed; empty when the entry kept no per-kind
    /// fingerprints and so cannot say.
    Stale(Vec<&'static str>),
}

/// `now` is the fingerprint of `e`; the kinds are hashed only when the
/// sign-off is stale, to say what changed.
pub fn freshness(signoff: &SignOff, e: &Engagement, now: &LazyFingerprint) -> Freshness {
    if signoff.fingerprint.value == now.combined(e) {
        Freshness::Fresh
    } else if signoff.fingerprints.is_empty() {
        // An entry without per-kind fingerprints cannot say what changed:
        // not worth hashing the kinds for.
        Freshness::Stale(Vec::new())
    } else {
        Freshness::Stale(now.full(e).changed_kinds(&signoff.fingerprints))
    }
}

/// Freshness for a role whose sign-off covers only some kinds of files
/// (`[signoffs.covers]`): a change elsewhere does not make it stale. An
/// entry that kept no per-kind fingerprints cannot tell, so any change
/// counts.
pub fn freshness_covering(
    signoff: &SignOff,
    e: &Engagement,
    now: &LazyFingerprint,
    covers: Option<&[&str]>,
) -> Freshness {
    let plain = freshness(signoff, e, now);
    match (plain, covers) {
        (Freshness::Stale(kinds), Some(covers)) if !signoff.fingerprints.is_empty() => {
            let kinds: Vec<&'static str> =
                kinds.into_iter().filter(|k| covers.contains(k)).collect();
            if kinds.is_empty() {
                Freshness::Fresh
            } else {
                Freshness::Stale(kinds)
            }
        }
        (plain, _) => plain,
    }
}

/// A sign-off role for people: "presales_review" → "presales review".
pub fn role_words(role: &str) -> String {
    role.replace('_', " ")
}

/// "promises and scope changed", or "the files changed" when unknown.
pub fn changed_words(kinds: &[&str]) -> String {
    let names: Vec<String> = kinds.iter().map(|k| kind_words(k).to_string()).collect();
    match names.as_slice() {
        [] => "the files changed".to_string(),
        [one] => format!("{one} changed"),
        [init @ .., last] => format!("{} and {last} changed", init.join(", ")),
    }
}

fn kind_words(kind: &str) -> &str {
    match kind {
        "handoff" => "handoff.yaml",
        other => other,
    }
}

/// The sign-off in force for a role, and whether it still covers the files.
#[derive(Debug, Clone)]
pub struct InForce<'e> {
    pub signoff: &'e SignOff,
    pub freshness: Freshness,
    /// The maximum age in days (`[signoffs] max_age_days`) this sign-off
    /// has passed, judged on today's date: it is stale even if nothing
    /// changed. `None`: not too old, or no maximum.
    pub expired: Option<u32>,
    /// The items changed since the signed content, as the stale message
    /// names them ("P-07 effort"), when the signed content was found in
    /// the history; `None` when it was not looked up or not found.
    pub changed_items: Option<Vec<String>>,
}

impl InForce<'_> {
    /// Whether it no longer counts as covering the files: changed since,
    /// or too old.
    pub fn is_stale(&self) -> bool {
        matches!(self.freshness, Freshness::Stale(_)) || self.expired.is_some()
    }

    /// Why it is stale, in a few words, naming the kinds of files that
    /// changed: "older than 90 days", "scope changed", "older than 90
    /// days, and scope changed"; `None` when it is not. For tables.
    pub fn stale_words(&self) -> Option<String> {
        self.why_stale(false)
    }

    /// [`InForce::stale_words`], naming the first items that changed when
    /// they are known: "P-07 effort, G-03 status, 2 more changed". For
    /// the `signoff-stale` message.
    pub fn stale_items_words(&self) -> Option<String> {
        self.why_stale(true)
    }

    fn why_stale(&self, items: bool) -> Option<String> {
        let changed = match (&self.freshness, &self.changed_items) {
            (Freshness::Fresh, _) => None,
            (Freshness::Stale(_), Some(found)) if items && !found.is_empty() => {
                Some(format!("{} changed", items_words(found, 3)))
            }
            (Freshness::Stale(kinds), _) => Some(changed_words(kinds)),
        };
        let old = self.expired.map(|days| format!("older than {days} days"));
        match (old, changed) {
            (None, None) => None,
            (Some(old), None) => Some(old),
            (None, Some(changed)) => Some(changed),
            (Some(old), Some(changed)) => Some(format!("{old}, and {changed}")),
        }
    }
}

/// The first `shown` items, then how many more: "P-07 effort, G-03
/// status, 2 more".
pub fn items_words(items: &[String], shown: usize) -> String {
    let mut words: Vec<String> = items.iter().take(shown).cloned().collect();
    if items.len() > shown {
        words.push(format!("{} more", items.len() - shown));
    }
    words.join(", ")
}

/// Per engagement and role, the items changed since the signed content
/// (see [`InForce::changed_items`]).
pub type ChangedItems = BTreeMap<String, Vec<String>>;

/// Where one sign-off role stands.
#[derive(Debug, Clone)]
pub struct RoleStatus<'e> {
    pub role: &'e str,
    pub required: bool,
    /// The latest sign-off of the role, if any.
    pub in_force: Option<InForce<'e>>,
    /// Sign-offs of this role that the one in force replaced.
    pub earlier: usize,
    /// The latest sign-off of the role when its signer may not sign for
    /// it: it does not count, and `signoff-ineligible` reports it.
    pub ineligible: Option<&'e SignOff>,
}

/// The sign-offs of one engagement as they stand, worked out once per
/// evaluation: the rules of `check`, `handoff status` and the PID all read
/// this, so the engagement is fingerprinted once, not once per reader.
#[derive(Debug, Clone)]
pub struct State<'e> {
    engagement: &'e Engagement,
    /// The fingerprint of the files now; taken the first time it is
    /// needed, which is never for an engagement nobody signed that no one
    /// asks about.
    now: LazyFingerprint,
    /// Every sign-off role of the config, in its order.
    pub roles: Vec<RoleStatus<'e>>,
}

impl<'e> State<'e> {
    /// The sign-offs without a date to judge their age by: none expires.
    pub fn new(e: &'e Engagement, config: &'e Config) -> State<'e> {
        State::judged(e, config, None, None, None)
    }

    /// The sign-offs on `today` (a sign-off older than its role's maximum
    /// age is stale), with the items changed since each role's signed
    /// content when they were looked up in the history.
    pub fn judged(
        e: &'e Engagement,
        config: &'e Config,
        today: Option<crate::date::Date>,
        changed: Option<&ChangedItems>,
        fingerprint: Option<&LazyFingerprint>,
    ) -> State<'e> {
        let now = fingerprint.cloned().unwrap_or_default();
        let roles = config
            .signoff_roles
            .iter()
            .map(|role| {
                let count = e
                    .signoffs
                    .iter()
                    .filter(|s| s.role.as_str() == role.as_str() && counts(e, config, s))
                    .count();
                let ineligible = latest(e, role).filter(|s| !counts(e, config, s));
                let covers = config.covers.get(role.as_str()).map(Vec::as_slice);
                let in_force = latest_counted(e, config, role).map(|signoff| InForce {
                    freshness: freshness_covering(signoff, e, &now, covers),
                    expired: config.max_age(role).filter(|max| {
                        today.is_some_and(|t| t.days_after(signoff.date) > i64::from(*max))
                    }),
                    changed_items: changed.and_then(|c| c.get(role.as_str())).cloned(),
                    signoff,
                });
                RoleStatus {
                    role,
                    required: config.required_signoffs.iter().any(|r| r == role),
                    in_force,
                    earlier: count.saturating_sub(1),
                    ineligible,
                }
            })
            .collect();
        State {
            engagement: e,
            now,
            roles,
        }
    }

    /// The fingerprint of the files as they are, if something needed it.
    pub fn computed(&self) -> Option<&LazyFingerprint> {
        Some(&self.now).filter(|now| now.is_known())
    }

    /// The combined fingerprint of the files as they are.
    pub fn combined_now(&self) -> &str {
        self.now.combined(self.engagement)
    }

    /// The sign-off in force of every role that has one, in the config's
    /// role order.
    pub fn in_force(&self) -> impl Iterator<Item = &InForce<'e>> {
        self.roles.iter().filter_map(|r| r.in_force.as_ref())
    }

    /// Where `role` stands; `None` for a role the config does not list
    /// (nobody can have signed for it).
    pub fn role(&self, role: &str) -> Option<&RoleStatus<'e>> {
        self.roles.iter().find(|r| r.role == role)
    }
}

/// The gaps a condition names: an id counts when it stands as a word of its
/// own ("until G-03 is agreed"), not inside a longer id ("G-031").
pub fn gaps_named<'e>(condition: &str, gaps: &'e [Gap]) -> Vec<&'e Gap> {
    gaps.iter().filter(|g| names_id(condition, &g.id)).collect()
}

pub fn names_id(text: &str, id: &str) -> bool {
    if id.is_empty() {
        return false;
    }
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(part_of_id) && !after.is_some_and(part_of_id)
    })
}

/// The gaps of an engagement by id, to find those a condition names
/// without comparing every condition with every gap (conditions × gaps is
/// quadratic when both run to thousands).
#[derive(Debug)]
pub struct GapNames<'e> {
    gaps: &'e [Gap],
    /// Ids written only with letters, digits, `-` and `_` (the usual
    /// kind): such an id is named exactly when it is one of the words a
    /// condition splits into, so it is found by looking the word up.
    by_word: std::collections::HashMap<&'e str, Vec<usize>>,
    /// Any other id, compared with each condition as [`names_id`] does.
    other: Vec<usize>,
}

impl<'e> GapNames<'e> {
    pub fn new(gaps: &'e [Gap]) -> GapNames<'e> {
        let mut by_word: std::collections::HashMap<&str, Vec<usize>> =
            std::collections::HashMap::new();
        let mut other = Vec::new();
        for (i, g) in gaps.iter().enumerate() {
            if g.id.is_empty() {
                continue;
            }
            if g.id.chars().all(part_of_id) {
                by_word.entry(g.id.as_str()).or_default().push(i);
            } else {
                other.push(i);
            }
        }
        GapNames {
            gaps,
            by_word,
            other,
        }
    }

    /// The gaps `condition` names, in file order, as [`gaps_named`] finds
    /// them.
    pub fn named(&self, condition: &str) -> Vec<&'e Gap> {
        let mut found: Vec<usize> = condition
            .split(|c: char| !part_of_id(c))
            .filter_map(|word| self.by_word.get(word))
            .flatten()
            .copied()
            .collect();
        found.extend(self.other.iter().copied().filter(|i| {
            self.gaps
                .get(*i)
                .is_some_and(|g| names_id(condition, &g.id))
        }));
        found.sort_unstable();
        found.dedup();
        found.into_iter().filter_map(|i| self.gaps.get(i)).collect()
    }
}

/// A character that may be part of an id: one next to an id in a text
/// makes it part of a longer word, not the id.
fn part_of_id(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The open gaps a conditional approval is waiting for, with the condition
/// that names each.
pub fn open_conditions<'e>(
    signoff: &'e SignOff,
    gaps: &'e [Gap],
) -> Vec<(&'e crate::model::Sp<String>, &'e Gap)> {
    if signoff.decision != Decision::ApprovedWithConditions {
        return Vec::new();
    }
    let names = GapNames::new(gaps);
    signoff
        .conditions
        .iter()
        .flat_map(|c| {
            names
                .named(c)
                .into_iter()
                .filter(|g| g.status == GapStatus::Open)
                .map(move |g| (c, g))
        })
        .collect()
}

/// "Jan Vos (jlange)", or the key alone for someone not in stakeholders.
pub fn signer_name(e: &Engagement, key: &str) -> String {
    match e.stakeholders.iter().find(|s| s.key.as_str() == key) {
        Some(s) if s.name.is_some() => format!("{} ({key})", s.display_name()),
        _ => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_named_only_as_a_whole_word() {
        assert!(names_id("until G-03 is agreed", "G-03"));
        assert!(names_id("G-03.", "G-03"));
        assert!(names_id("(G-03)", "G-03"));
        assert!(!names_id("G-031 first", "G-03"));
        assert!(!names_id("XG-03", "G-03"));
        assert!(!names_id("nothing here", "G-03"));
        assert!(names_id("G-031 and G-03", "G-03"));
    }

    #[test]
    fn looking_ids_up_finds_what_comparing_finds() {
        let text = "gaps:\n  - { id: G-03, summary: a }\n  - { id: G-031, summary: b }\n  - { id: G.7, summary: c }\n  - { id: G-03, summary: dup }\n  - { id: Ü-1, summary: d }\n";
        let dir = tempfile::tempdir().ok();
        let loaded = dir.as_ref().and_then(|d| {
            std::fs::write(d.path().join("handoff.yaml"), "id: X\nname: X\n").ok()?;
            std::fs::write(d.path().join("gaps.yaml"), text).ok()?;
            crate::load::load_all(&crate::load::FsTree, &[d.path().to_path_buf()])
                .engagements
                .into_iter()
                .next()
        });
        let gaps = loaded.map(|e| e.gaps).unwrap_or_default();
        assert_eq!(gaps.len(), 5);
        let names = GapNames::new(&gaps);
        for condition in [
            "until G-03 is agreed",
            "G-031 first, then G-03.",
            "(G.7) and Ü-1",
            "G.70 XG-03 G-03x",
            "",
        ] {
            let looked_up: Vec<&str> = names
                .named(condition)
                .iter()
                .map(|g| g.id.as_str())
                .collect();
            let compared: Vec<&str> = gaps_named(condition, &gaps)
                .iter()
                .map(|g| g.id.as_str())
                .collect();
            assert_eq!(looked_up, compared, "{condition}");
        }
        assert_eq!(names.named("G-031 first, then G-03.").len(), 3);
    }

    /// An engagement of one promise titled `title`, signed as `signoffs`
    /// says.
    fn signed(title: &str, signoffs: &str) -> Option<Engagement> {
        let dir = tempfile::tempdir().ok()?;
        let files = [
            ("handoff.yaml", "id: X\nname: X\n".to_string()),
            (
                "promises.yaml",
                format!("promises:\n  - id: P-1\n    title: {title}\n"),
            ),
            ("signoffs.yaml", signoffs.to_string()),
        ];
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).ok()?;
        }
        let loaded = crate::load::load_all(&crate::load::FsTree, &[dir.path().to_path_buf()]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        loaded.engagements.into_iter().next()
    }

    #[test]
    fn a_fresh_sign_off_hashes_the_files_once_and_a_stale_one_says_what_changed() {
        let fp = signed("A", "signoffs: []\n").map(|e| crate::fingerprint::Fingerprint::of(&e));
        let Some(fp) = fp else {
            panic!("the engagement does not load");
        };
        let entry = |kinds: bool| {
            let mut text = format!(
                "signoffs:\n  - role: sales\n    by: ann\n    decision: approved\n    date: 2026-01-01\n    statement: \"{SALES_STATEMENT}\"\n    fingerprint: {}\n",
                fp.combined
            );
            if kinds {
                text.push_str("    fingerprints:\n");
                for (kind, hash) in &fp.kinds {
                    text.push_str(&format!("      {kind}: {hash}\n"));
                }
            }
            text
        };
        let judge = |e: Option<Engagement>| {
            let now = LazyFingerprint::default();
            let freshness = e
                .as_ref()
                .and_then(|e| Some(freshness(e.signoffs.first()?, e, &now)));
            (freshness, now.has_kinds())
        };
        // Fresh: the combined hash alone.
        assert_eq!(
            judge(signed("A", &entry(true))),
            (Some(Freshness::Fresh), false)
        );
        // Stale: the kinds too, to name what changed.
        assert_eq!(
            judge(signed("B", &entry(true))),
            (Some(Freshness::Stale(vec!["promises"])), true)
        );
        // Stale, but the entry kept no kinds to compare with.
        assert_eq!(
            judge(signed("B", &entry(false))),
            (Some(Freshness::Stale(Vec::new())), false)
        );
    }

    #[test]
    fn changed_kinds_read_as_a_sentence() {
        assert_eq!(changed_words(&[]), "the files changed");
        assert_eq!(changed_words(&["scope"]), "scope changed");
        assert_eq!(
            changed_words(&["handoff", "promises", "gaps"]),
            "handoff.yaml, promises and gaps changed"
        );
    }
}
