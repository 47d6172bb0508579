//! Times as news facts give them: ISO 8601 with reduced precision (`2024`,
//! `2024-12`, `2025-10-19`, `2025-10-19T08:00Z`), an interval
//! (`2025-06-20/2025-06-30`), or an interval open at one end (`2003/..`,
//! since 2003; `../2019`, until 2019).
//!
//! A time keeps its precision (it becomes an `xsd:gYear`, `xsd:gYearMonth`,
//! `xsd:date` or `xsd:dateTime` literal) and also yields the first and last
//! day it can mean, because SPARQL cannot compare a `gYearMonth` with a
//! `date`: range filters use those bounds.

use std::fmt;

use oxigraph::model::{vocab::xsd, Literal};

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// The first day an interval open at its start can mean.
    pub const FIRST: Day = Day {
        year: 1,
        month: 1,
        day: 1,
    };
    /// The last day an interval open at its end can mean.
    pub const LAST: Day = Day {
        year: 9999,
        month: 12,
        day: 31,
    };

    pub fn literal(self) -> Literal {
        Literal::new_typed_literal(self.to_string(), xsd::DATE)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One point in time at the precision the source gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TimePoint {
    Year(i32),
    YearMonth(i32, u8),
    Date(Day),
    /// A date and a time of day; `lexical` is a valid `xsd:dateTime`
    /// (seconds added when the input left them out).
    DateTime {
        day: Day,
        lexical: String,
    },
}

/// A fact's time: a point or an interval of two points.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TimeSpec {
    Point(TimePoint),
    Interval(TimePoint, TimePoint),
    /// From a point on, still so (`2003/..`).
    Since(TimePoint),
    /// Until a point, from whenever (`../2019`).
    Until(TimePoint),
}

/// Why a time string was refused; the message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TimeError {
    message: String,
    /// Not a time at all (rather than a month 13 or a 30 February): an
    /// interval's error then quotes the whole interval.
    malformed: bool,
}

impl TimeError {
    fn new(message: String) -> TimeError {
        TimeError {
            message,
            malformed: false,
        }
    }
}

pub const EXPECTED_TIME: &str =
    "an ISO 8601 time such as 2025, 2025-10, 2025-10-19, 2025-10-19T08:00Z, or an interval: 2025-06-20/2025-06-30, 2003/.. (since), ../2019 (until)";

impl TimePoint {
    pub fn earliest(&self) -> Day {
        match self {
            TimePoint::Year(y) => Day {
                year: *y,
                month: 1,
                day: 1,
            },
            TimePoint::YearMonth(y, m) => Day {
                year: *y,
                month: *m,
                day: 1,
            },
            TimePoint::Date(d) | TimePoint::DateTime { day: d, .. } => *d,
        }
    }

    pub fn latest(&self) -> Day {
        match self {
            TimePoint::Year(y) => Day {
                year: *y,
                month: 12,
                day: 31,
            },
            TimePoint::YearMonth(y, m) => Day {
                year: *y,
                month: *m,
                day: days_in_month(*y, *m),
            },
            TimePoint::Date(d) | TimePoint::DateTime { day: d, .. } => *d,
        }
    }

    /// The literal with the XSD datatype of this precision.
    pub fn literal(&self) -> Literal {
        match self {
            TimePoint::Year(_) => Literal::new_typed_literal(self.to_string(), xsd::G_YEAR),
            TimePoint::YearMonth(..) => {
                Literal::new_typed_literal(self.to_string(), xsd::G_YEAR_MONTH)
            }
            TimePoint::Date(d) => d.literal(),
            TimePoint::DateTime { lexical, .. } => {
                Literal::new_typed_literal(lexical.clone(), xsd::DATE_TIME)
            }
        }
    }

    /// Reads a point back from a stored literal (the inverse of `literal`).
    pub fn from_lexical(lexical: &str) -> Option<TimePoint> {
        parse_point(lexical).ok()
    }
}

impl fmt::Display for TimePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimePoint::Year(y) => write!(f, "{y:04}"),
            TimePoint::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            TimePoint::Date(d) => d.fmt(f),
            TimePoint::DateTime { lexical, .. } => f.write_str(lexical),
        }
    }
}

impl TimeSpec {
    pub fn parse(text: &str) -> Result<TimeSpec, TimeError> {
        let text = text.trim();
        let Some((start, end)) = text.split_once('/') else {
            return Ok(TimeSpec::Point(parse_point(text)?));
        };
        // A part that is no time at all: quote what the user wrote, whole.
        let whole = |e: TimeError| {
            if e.malformed {
                TimeError {
                    message: format!("\"{text}\" is not {EXPECTED_TIME}"),
                    malformed: true,
                }
            } else {
                e
            }
        };
        match (start, end) {
            ("..", "..") => Err(whole(TimeError {
                message: String::new(),
                malformed: true,
            })),
            (start, "..") => Ok(TimeSpec::Since(parse_point(start).map_err(whole)?)),
            ("..", end) => Ok(TimeSpec::Until(parse_point(end).map_err(whole)?)),
            (start, end) => {
                let start = parse_point(start).map_err(whole)?;
                let end = parse_point(end).map_err(whole)?;
                if end.latest() < start.earliest() {
                    return Err(TimeError::new(format!(
                        "the interval \"{text}\" ends before it starts"
                    )));
                }
                Ok(TimeSpec::Interval(start, end))
            }
        }
    }

    pub fn earliest(&self) -> Day {
        match self {
            TimeSpec::Point(p) | TimeSpec::Interval(p, _) | TimeSpec::Since(p) => p.earliest(),
            TimeSpec::Until(_) => Day::FIRST,
        }
    }

    pub fn latest(&self) -> Day {
        match self {
            TimeSpec::Point(p) | TimeSpec::Interval(_, p) | TimeSpec::Until(p) => p.latest(),
            TimeSpec::Since(_) => Day::LAST,
        }
    }
}

impl fmt::Display for TimeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeSpec::Point(p) => p.fmt(f),
            TimeSpec::Interval(a, b) => write!(f, "{a}/{b}"),
            TimeSpec::Since(a) => write!(f, "{a}/.."),
            TimeSpec::Until(b) => write!(f, "../{b}"),
        }
    }
}

fn parse_point(text: &str) -> Result<TimePoint, TimeError> {
    let bad = || TimeError {
        message: format!("\"{text}\" is not {EXPECTED_TIME}"),
        malformed: true,
    };
    let (date_part, time_part) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let fields: Vec<&str> = date_part.split('-').collect();
    let number = |s: &str, len: usize| -> Result<u32, TimeError> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let year = number(fields.first().ok_or_else(bad)?, 4)? as i32;
    // Found by fuzzing: "../0000" ended before the calendar's first day.
    if year == 0 {
        return Err(TimeError::new(format!(
            "\"{text}\" has year 0000; years run 0001 to 9999"
        )));
    }
    let month = match fields.get(1) {
        Some(m) => {
            let m = number(m, 2)? as u8;
            if !(1..=12).contains(&m) {
                return Err(TimeError::new(format!(
                    "\"{text}\" has month {m:02}; months run 01 to 12"
                )));
            }
            Some(m)
        }
        None => None,
    };
    let day = match fields.get(2) {
        Some(d) => {
            let d = number(d, 2)? as u8;
            let month = month.ok_or_else(bad)?;
            let last = days_in_month(year, month);
            if d == 0 || d > last {
                return Err(TimeError::new(format!(
                    "\"{text}\" has day {d:02}, but {year:04}-{month:02} has {last} days"
                )));
            }
            Some(d)
        }
        None => None,
    };
    if fields.len() > 3 {
        return Err(bad());
    }
    match (month, day, time_part) {
        (None, None, None) => Ok(TimePoint::Year(year)),
        (Some(m), None, None) => Ok(TimePoint::YearMonth(year, m)),
        (Some(month), Some(d), None) => Ok(TimePoint::Date(Day {
            year,
            month,
            day: d,
        })),
        (Some(month), Some(d), Some(clock)) => {
            let day = Day {
                year,
                month,
                day: d,
            };
            let lexical = format!("{day}T{}", normalise_clock(clock).ok_or_else(bad)?);
            Ok(TimePoint::DateTime { day, lexical })
        }
        _ => Err(bad()),
    }
}

/// `08:00Z` -> `08:00:00Z`, `08:00:30.5+03:00` unchanged; `None` if invalid.
fn normalise_clock(clock: &str) -> Option<String> {
    let zone_at = clock.find(['Z', '+', '-']).unwrap_or(clock.len());
    let (hms, zone) = clock.split_at(zone_at);
    let zone_ok = zone.is_empty()
        || zone == "Z"
        || (zone.len() == 6
            && zone.is_ascii()
            && zone[1..3].bytes().all(|b| b.is_ascii_digit())
            && &zone[3..4] == ":"
            && zone[4..6].bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    if !hms.is_ascii() {
        return None;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let ok = match parts.as_slice() {
        [h, m] => two(h, 23) && two(m, 59),
        [h, m, s] => {
            let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
            two(h, 23)
                && two(m, 59)
                && two(whole, 59)
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if !ok {
        return None;
    }
    let seconds = if parts.len() == 2 { ":00" } else { "" };
    Some(format!("{hms}{seconds}{zone}"))
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(text: &str) -> (String, String) {
        let t = TimeSpec::parse(text).unwrap();
        (t.earliest().to_string(), t.latest().to_string())
    }

    #[test]
    fn precision_is_kept_and_bounds_cover_the_period() {
        assert_eq!(bounds("2024"), ("2024-01-01".into(), "2024-12-31".into()));
        assert_eq!(
            bounds("2024-02"),
            ("2024-02-01".into(), "2024-02-29".into())
        );
        assert_eq!(
            bounds("2023-02"),
            ("2023-02-01".into(), "2023-02-28".into())
        );
        assert_eq!(
            bounds("2025-10-19"),
            ("2025-10-19".into(), "2025-10-19".into())
        );
        assert_eq!(
            bounds("2025-06-20/2025-06-30"),
            ("2025-06-20".into(), "2025-06-30".into())
        );
        let t = TimeSpec::parse("2024-12").unwrap();
        let TimeSpec::Point(p) = &t else { panic!() };
        assert_eq!(p.literal().datatype(), xsd::G_YEAR_MONTH);
        assert_eq!(t.to_string(), "2024-12");
    }

    #[test]
    fn date_times_get_seconds_and_keep_their_zone() {
        let t = TimeSpec::parse("2025-10-19T08:00Z").unwrap();
        assert_eq!(t.to_string(), "2025-10-19T08:00:00Z");
        let t = TimeSpec::parse("2025-10-19T08:00:30.5+03:00").unwrap();
        assert_eq!(t.to_string(), "2025-10-19T08:00:30.5+03:00");
        assert_eq!(t.earliest().to_string(), "2025-10-19");
    }

    #[test]
    fn bad_times_say_what_was_expected() {
        for bad in [
            "",
            "19-10-2025",
            "2025-13",
            "2025-02-30",
            "2025-1-5",
            "2025-10-19T25:00Z",
            "2025-10-19T08:00+3",
            "yesterday",
            "2025-10-19/2025-10-01",
            "2025-10-19-01",
        ] {
            assert!(TimeSpec::parse(bad).is_err(), "{bad:?} was accepted");
        }
        // Non-ASCII where digits belong never panics on a char boundary.
        for odd in [
            "2025-10-19T08:00+0é00",
            "2025-10-19T0é:00Z",
            "٢٠٢٥",
            "2025-١٠",
            "2025-10-19Té",
        ] {
            assert!(TimeSpec::parse(odd).is_err(), "{odd:?} was accepted");
        }
        let err = TimeSpec::parse("2025-02-30").unwrap_err().to_string();
        assert!(err.contains("2025-02 has 28 days"), "{err}");
    }

    #[test]
    fn open_intervals_reach_the_ends_of_the_calendar() {
        assert_eq!(
            bounds("2003/.."),
            ("2003-01-01".into(), "9999-12-31".into())
        );
        assert_eq!(
            bounds("../2019"),
            ("0001-01-01".into(), "2019-12-31".into())
        );
        assert_eq!(TimeSpec::parse("2003/..").unwrap().to_string(), "2003/..");
        assert_eq!(
            TimeSpec::parse("../2019-05").unwrap().to_string(),
            "../2019-05"
        );
        assert!(TimeSpec::parse("../..").is_err());
        // Fuzzing regression: no interval ends before the calendar starts.
        let err = TimeSpec::parse("../0000").unwrap_err().to_string();
        assert!(err.contains("years run 0001 to 9999"), "{err}");
    }

    #[test]
    fn a_bad_interval_is_quoted_whole() {
        let err = TimeSpec::parse("01/07/2025").unwrap_err().to_string();
        assert!(
            err.starts_with("\"01/07/2025\" is not an ISO 8601 time"),
            "{err}"
        );
        let err = TimeSpec::parse("2025-13/2025-14").unwrap_err().to_string();
        assert!(err.contains("has month 13"), "{err}");
    }
}
