//! Calendar dates (`YYYY-MM-DD`), without time zones or a date crate: the
//! tool only compares days.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        // Digits only: `str::parse` would also take a sign (`+026-06-05`).
        let digits = [0, 1, 2, 3, 5, 6, 8, 9];
        if bytes.len() != 10
            || bytes[4] != b'-'
            || bytes[7] != b'-'
            || digits.iter().any(|&i| !bytes[i].is_ascii_digit())
        {
            return None;
        }
        let year: i32 = text.get(0..4)?.parse().ok()?;
        let month: u8 = text.get(5..7)?.parse().ok()?;
        let day: u8 = text.get(8..10)?.parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// `YYYY-MM-DD` as [`Display`](fmt::Display) writes it, into `buf`
    /// without the formatter (the sign-off fingerprint writes every date
    /// of an engagement); `None` for a year outside 0 to 9999, which no
    /// file can hold.
    pub fn iso_in(self, buf: &mut [u8; 10]) -> Option<&str> {
        let year = u16::try_from(self.year).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u16| b'0' + (n % 10) as u8;
        *buf = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(u16::from(self.month) / 10),
            digit(u16::from(self.month)),
            b'-',
            digit(u16::from(self.day) / 10),
            digit(u16::from(self.day)),
        ];
        std::str::from_utf8(buf).ok()
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// The calendar quarter, 1 to 4.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// The UTC day of an instant given in seconds since the epoch (a
    /// commit's time).
    pub fn from_unix_seconds(secs: i64) -> Date {
        Date::from_days_since_epoch(secs.div_euclid(86_400))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm, the inverse of
        // `from_days_since_epoch`.
        let month = i64::from(self.month);
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day after.
    pub fn next_day(self) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + 1)
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is
    /// later).
    pub fn days_after(self, earlier: Date) -> i64 {
        self.days_since_epoch() - earlier.days_since_epoch()
    }

    /// Howard Hinnant's civil-from-days algorithm.
    fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formatter_free_date_reads_as_display_writes_it() {
        for text in ["0000-01-01", "0999-12-31", "2026-03-05", "9999-12-31"] {
            let date = Date::parse(text);
            assert_eq!(
                date.and_then(|d| d.iso_in(&mut [0; 10]).map(String::from))
                    .as_deref(),
                Some(text)
            );
            assert_eq!(date.map(|d| d.to_string()).as_deref(), Some(text));
        }
    }

    #[test]
    fn parses_and_prints_round_trip() {
        assert_eq!(
            Date::parse("2026-03-17").map(|d| d.to_string()),
            Some("2026-03-17".to_string())
        );
    }

    #[test]
    fn rejects_impossible_days_and_other_shapes() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-3-17",
            "17.03.2026",
            "2026-00-10",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2100-02-29").is_none());
    }

    #[test]
    fn orders_by_calendar() {
        assert!(Date::parse("2026-03-09") < Date::parse("2026-03-10"));
        assert!(Date::parse("2025-12-31") < Date::parse("2026-01-01"));
    }

    #[test]
    fn knows_its_quarter_and_reads_commit_times_in_utc() {
        let day = |year, month, day| Date { year, month, day };
        assert_eq!(day(2026, 3, 31).quarter(), 1);
        assert_eq!(day(2026, 8, 15).quarter(), 3);
        assert_eq!(day(2026, 12, 1).quarter(), 4);
        // 2026-03-17 23:59:59 UTC, and one second later.
        assert_eq!(
            Date::from_unix_seconds(1_773_791_999).to_string(),
            "2026-03-17"
        );
        assert_eq!(
            Date::from_unix_seconds(1_773_792_000).to_string(),
            "2026-03-18"
        );
    }

    #[test]
    fn converts_days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(20_529).to_string(),
            "2026-03-17"
        );
    }

    #[test]
    fn days_since_epoch_inverts_the_calendar() {
        for days in [-800_000, -1, 0, 59, 60, 20_529, 30_000, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        let (a, b) = (Date::parse("2026-01-01"), Date::parse("2026-03-01"));
        assert_eq!(b.zip(a).map(|(b, a)| b.days_after(a)), Some(59));
        assert_eq!(Date::from_unix_seconds(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn counts_days_between_dates_across_months_and_leap_years() {
        let d = |t| Date::parse(t).unwrap_or_else(|| panic!("{t}"));
        assert_eq!(d("2026-03-17").days_since_epoch(), 20_529);
        assert_eq!(d("2024-03-01").days_after(d("2024-02-28")), 2);
        assert_eq!(d("2026-02-27").days_after(d("2026-03-01")), -2);
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
    }
}
