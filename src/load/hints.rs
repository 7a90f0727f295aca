//! Fix hints a non-programmer can act on: the user's own value, converted
//! to what the format wants ("write 176000", "did you mean 2026-05-31?").
//!
//! Pure functions over text, so each hint is unit-tested here; the loader
//! and the rules call them where they build a diagnostic, and fall back to
//! their general advice when no hint applies (`None`).

use crate::date::Date;
use crate::model::decl::HANDOFF;

/// Help for text written where a number belongs (`€176,000`, `28%`,
/// `"231000"`, `1,5`, `8d`), or `None` when the text is no number at all.
pub fn number(written: &str) -> Option<String> {
    let text = written.trim();
    // Quoted: the parser handed over text that is a plain number.
    if let Some(n) = plain_number(text) {
        // `007` stays text in YAML (ids keep their zeros), quoted or not.
        return Some(if has_leading_zero(text) {
            format!("write {n}, without the leading zero")
        } else {
            format!("remove the quotes: write {n}")
        });
    }
    if let Some(body) = text.strip_suffix('%') {
        let n = loose_number(body.trim())?;
        let fraction = format_number(n.value / 100.0);
        return Some(format!(
            "write {fraction}: a fraction, so {text} is {fraction}"
        ));
    }
    if let Some(body) = strip_unit(text) {
        let n = loose_number(body)?;
        let value = format_number(n.value);
        return Some(format!(
            "write {value}: the unit is set once in effort.unit"
        ));
    }
    let n = loose_number(text)?;
    let value = format_number(n.value);
    Some(if n.currency || n.thousands {
        format!("write {value}: no currency sign or thousands separator")
    } else if n.decimal_comma {
        format!("use a point: {value}")
    } else {
        format!("write {value}")
    })
}

/// A number as YAML would read it unquoted: digits, one point, a sign.
fn plain_number(text: &str) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty()
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        || digits.matches('.').count() > 1
        || digits.starts_with('.')
        || digits.ends_with('.')
    {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    Some(format_number(value))
}

fn has_leading_zero(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.")
}

/// What was taken off a number to read it.
#[derive(Debug)]
struct Loose {
    value: f64,
    currency: bool,
    thousands: bool,
    decimal_comma: bool,
}

const CURRENCIES: &[&str] = &[
    "€", "$", "£", "¥", "₹", "EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CAD",
    "AUD", "Fr.", "kr",
];

/// Reads `€176,000`, `176.000,50 EUR`, `1,5`, `176 000`, `176'000`, `12k`.
fn loose_number(text: &str) -> Option<Loose> {
    let mut rest = text.trim();
    let mut currency = false;
    for code in CURRENCIES {
        if let Some(r) = strip_prefix_ci(rest, code) {
            rest = r.trim_start();
            currency = true;
        }
        if let Some(r) = strip_suffix_ci(rest, code) {
            rest = r.trim_end();
            currency = true;
        }
    }
    let (rest, factor) = match rest.strip_suffix(['k', 'K']) {
        Some(r) if currency || !r.is_empty() => (r.trim_end(), 1000.0),
        _ => (rest, 1.0),
    };
    let (negative, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if rest.is_empty()
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\'' | '_'))
        || !rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    // The last of `.` and `,` is the decimal mark when both appear; one kind
    // alone is a thousands separator when every group after it has three
    // digits (`176,000`), else a decimal mark (`1,5`).
    let last_point = rest.rfind('.');
    let last_comma = rest.rfind(',');
    let decimal = match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(p.max(c)),
        (Some(i), None) | (None, Some(i)) => {
            let mark = &rest[i..=i];
            let groups: Vec<&str> = rest.split(mark).collect();
            let grouped = groups.len() > 1
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3);
            (!grouped).then_some(i)
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if fraction.contains(|c: char| !c.is_ascii_digit()) {
        return None;
    }
    // Separators group thousands: `1.2.3` is no number.
    let groups: Vec<&str> = whole.split(|c: char| !c.is_ascii_digit()).collect();
    if groups[0].is_empty()
        || groups[0].len() > 3 && groups.len() > 1
        || groups[1..].iter().any(|g| g.len() != 3)
    {
        return None;
    }
    let digits: String = groups.concat();
    let thousands = groups.len() > 1;
    let value: f64 = if fraction.is_empty() {
        digits.parse().ok()?
    } else {
        format!("{digits}.{fraction}").parse().ok()?
    };
    let decimal_comma = decimal.is_some_and(|i| &rest[i..=i] == ",");
    Some(Loose {
        value: if negative { -value } else { value } * factor,
        currency: currency || factor != 1.0,
        thousands,
        decimal_comma,
    })
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// Words people put after an effort: days, hours, person-days (PT in
/// German, MD in French).
const UNITS: &[&str] = &[
    "person-days",
    "person days",
    "persondays",
    "man-days",
    "man days",
    "mandays",
    "days",
    "day",
    "hours",
    "hour",
    "hrs",
    "hr",
    "pt",
    "pd",
    "md",
    "mt",
    "tage",
    "std",
    "d",
    "h",
];

/// The number before a unit word (`8d`, `160 PT`), or `None`.
fn strip_unit(text: &str) -> Option<&str> {
    UNITS.iter().find_map(|unit| {
        let body = strip_suffix_ci(text, unit)?.trim_end();
        body.ends_with(|c: char| c.is_ascii_digit()).then_some(body)
    })
}

/// `0.28`, `176000`, `1.5`: no exponent, no trailing zeros.
fn format_number(value: f64) -> String {
    let text = format!("{value:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" { "0" } else { text }.to_string()
}

/// Help for text written where a date belongs, with the date converted to
/// YYYY-MM-DD when it can be read one way only.
///
/// Dotted dates are day.month.year (the only order written with dots);
/// with `/` or `-` and the year last, the order is known only when one of
/// the first two numbers is above 12: `05/06/2026` is 5 June in Europe
/// and 6 May in the US, so both readings are offered and neither chosen.
pub fn date(written: &str) -> Option<String> {
    let text = written.trim();
    // `2026-05-31T10:00` or `2026-05-31 10:00`: only the day is used.
    if let Some(day) = text.get(..10).and_then(Date::parse)
        && text.len() > 10
        && text[10..].starts_with(['T', ' '])
    {
        return Some(format!("did you mean {day}? only the day is written"));
    }
    if let Some(date) = named_month(text) {
        return Some(format!("did you mean {date}?"));
    }
    let sep = ['.', '/', '-']
        .into_iter()
        .find(|s| text.matches(*s).count() == 2)?;
    let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let [a, b, c] = n[..] else { return None };
    let ymd = |y: u32, m: u32, d: u32| Date::parse(&format!("{y:04}-{m:02}-{d:02}"));
    if parts[0].len() == 4 {
        return ymd(a, b, c).map(|d| format!("did you mean {d}?"));
    }
    // A two-digit year is this century's: nobody plans projects in 1926.
    let year = match parts[2].len() {
        4 => c,
        2 => 2000 + c,
        _ => return None,
    };
    let day_first = ymd(year, b, a);
    let month_first = ymd(year, a, b);
    let chosen = if sep == '.' || a == b {
        day_first
    } else {
        match (day_first, month_first) {
            (Some(d), None) | (None, Some(d)) => Some(d),
            (Some(d), Some(m)) => {
                return Some(format!(
                    "`{text}` can be read two ways: write {d} if the day comes first, {m} if the month does"
                ));
            }
            (None, None) => None,
        }
    };
    chosen.map(|d| format!("did you mean {d}?"))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `31 May 2026`, `May 31, 2026`, `31-May-2026`.
fn named_month(text: &str) -> Option<Date> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '.' | '/'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let [w1, w2, w3] = words.as_slice() else {
        return None;
    };
    let month = |w: &str| {
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(w)))
            .flatten()
            .map(|i| i + 1)
    };
    let (day, m) = match (month(w1), month(w2)) {
        (Some(m), None) => (w2, m),
        (None, Some(m)) => (w1, m),
        _ => return None,
    };
    let day = day.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    let day: u32 = day.parse().ok()?;
    let year: u32 = w3.parse().ok().filter(|y| (1000..=9999).contains(y))?;
    Date::parse(&format!("{year:04}-{m:02}-{day:02}"))
}

/// Help for a reference to an id that does not exist: `p-09` for `P-09`,
/// or `P-03, P-04` written as one text where a list belongs.
pub fn unknown_reference<'a>(
    written: &str,
    known: impl IntoIterator<Item = &'a str>,
    list_field: Option<&str>,
) -> Option<String> {
    let known: Vec<&str> = known.into_iter().collect();
    if let Some(field) = list_field
        && written.contains(',')
    {
        let items: Vec<&str> = written
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.len() > 1 {
            return Some(format!("write a list: {field}: [{}]", items.join(", ")));
        }
    }
    similar_id(written, &known).map(|id| format!("did you mean {id}?"))
}

/// The one existing id that differs from `written` only in case, or in
/// separators and leading zeros (`p9` for `P-09`).
fn similar_id<'a>(written: &str, known: &[&'a str]) -> Option<&'a str> {
    let unique = |same: &dyn Fn(&str) -> bool| {
        let mut found: Vec<&'a str> = known.iter().copied().filter(|k| same(k)).collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    };
    unique(&|k| k.eq_ignore_ascii_case(written)).or_else(|| {
        let key = loose_id(written);
        unique(&|k| loose_id(k) == key)
    })
}

/// `P-09` → `p9`: case, separators and leading zeros of numbers dropped.
fn loose_id(id: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in id.chars().filter(|c| c.is_alphanumeric()) {
        if c == '0' && !in_number {
            continue;
        }
        in_number = c.is_ascii_digit();
        out.extend(c.to_lowercase());
    }
    out
}

/// A file whose top level must be `key:` (promises, scope, gaps,
/// stakeholders, signoffs) but starts with the list itself.
pub fn missing_top_key(key: &str) -> (String, String) {
    (
        format!("the {key} file starts with a list, but its first line must be `{key}:`"),
        format!("start the file with `{key}:` and indent the list under it"),
    )
}

/// A file in a folder that was meant as handoff.yaml (`handoff.yml`,
/// `Handoff.yaml`, `handoff.yaml.txt`): the folder is not found as an
/// engagement without it.
pub fn misnamed_handoff<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    names.into_iter().find(|name| {
        let lower = name.to_lowercase();
        let lower = lower.strip_suffix(".txt").unwrap_or(&lower);
        let stem = lower
            .strip_suffix(".yaml")
            .or_else(|| lower.strip_suffix(".yml"));
        *name != super::HANDOFF_FILE
            && stem.is_some_and(|s| matches!(s, "handoff" | "hand-off" | "hand_off" | "handover"))
    })
}

/// For an unknown key in handoff.yaml or one of its sections, where the
/// key does belong: `day_rate` under `contract` is `effort.day_rate`.
/// `what` is the place as the loader names it ("handoff.yaml", "the
/// `contract` section").
pub fn key_elsewhere(key: &str, what: &str) -> Option<String> {
    let here = if what == super::HANDOFF_FILE {
        ""
    } else {
        what.strip_prefix("the `")?.strip_suffix("` section")?
    };
    let mut places: Vec<&str> = HANDOFF
        .sections()
        .filter(|(_, decl)| decl.field(key).is_some())
        .map(|(section, _)| section)
        .collect();
    if HANDOFF.field(key).is_some() {
        places.push("");
    }
    match places.as_slice() {
        [place] if *place != here && place.is_empty() => Some(format!(
            "did you mean `{key}` at the top level, not indented under `{here}`?"
        )),
        [place] if *place != here => Some(format!("did you mean `{place}.{key}`?")),
        _ => None,
    }
}

/// Words people write for a vocabulary word (`oral` for `verbal`), each
/// offered only where the word is allowed.
const SYNONYMS: &[(&str, &str)] = &[
    // commitment
    ("oral", "verbal"),
    ("spoken", "verbal"),
    ("verbally", "verbal"),
    ("handshake", "side_deal"),
    ("contract", "contractual"),
    ("contracted", "contractual"),
    ("offer", "proposal"),
    ("quote", "proposal"),
    // roles
    ("sponsor", "executive"),
    ("ceo", "executive"),
    ("decision_maker", "executive"),
    ("buyer", "economic_buyer"),
    ("purchasing", "procurement"),
    ("account_manager", "sales_owner"),
    ("account_executive", "sales_owner"),
    ("pm", "project_manager"),
    ("architect", "technical_lead"),
    ("tech_lead", "technical_lead"),
    ("cfo", "finance"),
    ("controller", "finance"),
    // org
    ("us", "supplier"),
    ("we", "supplier"),
    ("our", "supplier"),
    ("internal", "supplier"),
    ("vendor", "supplier"),
    ("client", "customer"),
    ("them", "customer"),
    ("subcontractor", "partner"),
    ("reseller", "partner"),
    // priority
    ("mandatory", "must"),
    ("required", "must"),
    ("must_have", "must"),
    ("should_have", "should"),
    ("nice_to_have", "could"),
    ("optional", "could"),
    ("could_have", "could"),
    ("wont_have", "wont"),
    // contract type
    ("t&m", "time_and_materials"),
    ("tm", "time_and_materials"),
    ("subscription", "retainer"),
    // effort unit
    ("d", "days"),
    ("pd", "days"),
    ("pt", "days"),
    ("md", "days"),
    ("person_days", "days"),
    ("man_days", "days"),
    ("h", "hours"),
    ("hrs", "hours"),
    // attitude
    ("positive", "supportive"),
    ("supporter", "supportive"),
    ("negative", "resistant"),
    ("hostile", "resistant"),
    ("against", "resistant"),
    // decision
    ("approve", "approved"),
    ("accepted", "approved"),
    ("reject", "rejected"),
    ("declined", "rejected"),
    ("conditional", "approved_with_conditions"),
    // gap status
    ("resolved", "closed"),
    ("done", "closed"),
];

/// The allowed word `written` is a common synonym of, if any.
pub fn synonym<'a>(written: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let word = written.trim().to_lowercase().replace(['-', ' '], "_");
    SYNONYMS
        .iter()
        .filter(|(synonym, _)| *synonym == word)
        .find_map(|(_, meant)| allowed.iter().find(|a| *a == meant).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_people_write_are_converted() {
        let hint = |s: &str| number(s).unwrap_or_default();
        assert_eq!(
            hint("€176,000"),
            "write 176000: no currency sign or thousands separator"
        );
        assert_eq!(
            hint("176.000,50 EUR"),
            "write 176000.5: no currency sign or thousands separator"
        );
        assert_eq!(
            hint("176 000"),
            "write 176000: no currency sign or thousands separator"
        );
        assert_eq!(
            hint("$12k"),
            "write 12000: no currency sign or thousands separator"
        );
        assert_eq!(hint("28%"), "write 0.28: a fraction, so 28% is 0.28");
        assert_eq!(
            hint("12.5 %"),
            "write 0.125: a fraction, so 12.5 % is 0.125"
        );
        assert_eq!(hint("231000"), "remove the quotes: write 231000");
        assert_eq!(hint("010"), "write 10, without the leading zero");
        assert_eq!(hint("1,5"), "use a point: 1.5");
        assert_eq!(hint("8d"), "write 8: the unit is set once in effort.unit");
        assert_eq!(
            hint("160 PT"),
            "write 160: the unit is set once in effort.unit"
        );
        assert_eq!(
            hint("2,5 days"),
            "write 2.5: the unit is set once in effort.unit"
        );
        assert_eq!(number("ten days"), None);
        assert_eq!(number("lots"), None);
        assert_eq!(number("TBD"), None);
        assert_eq!(number("1.2.3.4"), None);
    }

    #[test]
    fn dates_are_converted_when_they_read_one_way() {
        let hint = |s: &str| date(s).unwrap_or_default();
        assert_eq!(hint("31.05.2026"), "did you mean 2026-05-31?");
        assert_eq!(hint("1.6.2026"), "did you mean 2026-06-01?");
        assert_eq!(hint("31.05.26"), "did you mean 2026-05-31?");
        assert_eq!(hint("31/05/2026"), "did you mean 2026-05-31?");
        assert_eq!(hint("05/31/2026"), "did you mean 2026-05-31?");
        assert_eq!(hint("2026/5/31"), "did you mean 2026-05-31?");
        assert_eq!(hint("2026-5-1"), "did you mean 2026-05-01?");
        assert_eq!(hint("06/06/2026"), "did you mean 2026-06-06?");
        assert_eq!(
            hint("05/06/2026"),
            "`05/06/2026` can be read two ways: write 2026-06-05 if the day comes first, 2026-05-06 if the month does"
        );
        assert_eq!(hint("31 May 2026"), "did you mean 2026-05-31?");
        assert_eq!(hint("May 31st, 2026"), "did you mean 2026-05-31?");
        assert_eq!(
            hint("2026-05-31T10:00"),
            "did you mean 2026-05-31? only the day is written"
        );
        assert_eq!(date("31.02.2026"), None);
        assert_eq!(date("next week"), None);
        assert_eq!(date("Q3"), None);
    }

    #[test]
    fn references_find_the_id_meant() {
        let known = ["P-09", "P-10", "S-1"];
        let hint = |s: &str, list: Option<&str>| {
            unknown_reference(s, known.iter().copied(), list).unwrap_or_default()
        };
        assert_eq!(hint("p-09", None), "did you mean P-09?");
        assert_eq!(hint("P9", None), "did you mean P-09?");
        assert_eq!(
            hint("P-03, P-04", Some("covers")),
            "write a list: covers: [P-03, P-04]"
        );
        assert_eq!(unknown_reference("P-11", known.iter().copied(), None), None);
        // Two ids fit: naming one would be a guess.
        assert_eq!(unknown_reference("p1", ["P-1", "P-01"], None), None);
    }

    #[test]
    fn keys_are_found_in_their_section() {
        assert_eq!(
            key_elsewhere("day_rate", "the `contract` section").as_deref(),
            Some("did you mean `effort.day_rate`?")
        );
        assert_eq!(
            key_elsewhere("go_live", "handoff.yaml").as_deref(),
            Some("did you mean `dates.go_live`?")
        );
        assert_eq!(
            key_elsewhere("risks", "the `dates` section").as_deref(),
            Some("did you mean `risks` at the top level, not indented under `dates`?")
        );
        // `name` is at the top and in `customer`: no single answer.
        assert_eq!(key_elsewhere("name", "the `contract` section"), None);
        assert_eq!(key_elsewhere("day_rate", "scope item"), None);
    }

    #[test]
    fn synonyms_only_where_the_word_is_allowed() {
        assert_eq!(
            synonym("oral", &["contractual", "proposal", "verbal", "side_deal"]),
            Some("verbal")
        );
        assert_eq!(
            synonym("Sponsor", &["executive", "other"]),
            Some("executive")
        );
        assert_eq!(
            synonym("us", &["customer", "supplier", "partner"]),
            Some("supplier")
        );
        assert_eq!(synonym("us", &["days", "hours"]), None);
        assert_eq!(synonym("banana", &["customer"]), None);
    }

    #[test]
    fn misnamed_handoff_files_are_spotted() {
        assert_eq!(
            misnamed_handoff(["scope.yaml", "handoff.yml"]),
            Some("handoff.yml")
        );
        assert_eq!(misnamed_handoff(["Handoff.YAML"]), Some("Handoff.YAML"));
        assert_eq!(misnamed_handoff(["handoff.toml", "notes.yaml"]), None);
    }
}
