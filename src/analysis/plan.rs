//! The engagement's dates as one timeline: what a plan shows, in order,
//! each date once.

use crate::date::Date;
use crate::model::Dates;

/// What happens on a date of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    Kickoff,
    Milestone,
    GoLive,
    HardDeadline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<'e> {
    pub date: Date,
    pub kind: EventKind,
    /// The milestone's name, or why the deadline is hard.
    pub text: Option<&'e str>,
}

/// Kickoff, milestones, go-live and hard deadlines by date; on one date,
/// in that order, then in file order. A go-live that a milestone of that
/// day already names (a milestone called "go-live") is shown once.
pub fn timeline(d: &Dates) -> Vec<Event<'_>> {
    let mut events = Vec::new();
    if let Some(date) = d.kickoff {
        events.push(Event {
            date,
            kind: EventKind::Kickoff,
            text: None,
        });
    }
    for m in &d.milestones {
        if let Some(date) = m.date {
            events.push(Event {
                date,
                kind: EventKind::Milestone,
                text: Some(m.name.as_str()),
            });
        }
    }
    if let Some(date) = d.go_live {
        let shown = d.milestones.iter().any(|m| {
            let name = m.name.to_lowercase();
            m.date == Some(date) && (name.contains("go-live") || name.contains("go live"))
        });
        if !shown {
            events.push(Event {
                date,
                kind: EventKind::GoLive,
                text: None,
            });
        }
    }
    for h in &d.hard_deadlines {
        events.push(Event {
            date: h.date,
            kind: EventKind::HardDeadline,
            text: h.why.as_deref(),
        });
    }
    // Stable, so file order holds within a date and kind.
    events.sort_by_key(|ev| (ev.date, ev.kind));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Milestone;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(Date::today)
    }

    #[test]
    fn a_go_live_milestone_on_the_go_live_date_is_shown_once() {
        let dates = Dates {
            kickoff: Some(date("2026-03-02")),
            go_live: Some(date("2026-06-01")),
            milestones: vec![
                Milestone {
                    name: "Go live".to_string(),
                    date: Some(date("2026-06-01")),
                },
                Milestone {
                    name: "Pilot".to_string(),
                    date: Some(date("2026-03-02")),
                },
            ],
            ..Dates::default()
        };
        let kinds: Vec<(EventKind, Option<&str>)> = timeline(&dates)
            .iter()
            .map(|ev| (ev.kind, ev.text))
            .collect();
        assert_eq!(
            kinds,
            [
                (EventKind::Kickoff, None),
                (EventKind::Milestone, Some("Pilot")),
                (EventKind::Milestone, Some("Go live")),
            ]
        );
    }

    #[test]
    fn a_go_live_no_milestone_of_that_day_names_is_its_own_event() {
        let dates = Dates {
            go_live: Some(date("2026-06-01")),
            milestones: vec![Milestone {
                name: "Go live".to_string(),
                date: Some(date("2026-05-01")),
            }],
            ..Dates::default()
        };
        let last = timeline(&dates).last().map(|ev| ev.kind);
        assert_eq!(last, Some(EventKind::GoLive));
    }
}
