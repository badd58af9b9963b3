//! Dates in answers read without chrono's general parser: its format machinery is several
//! kilobytes of the dashboard's first load, while an answer's dates are always written the
//! one way chrono serialises them (`2026-12-04`, `2026-12-04T09:30:00.5Z`). Fields opt in
//! with `#[serde(with = "…")]`; they are written as before.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

/// `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    let (date, time) = text.split_once('T')?;
    let (time, east_minutes) = match time.strip_suffix('Z') {
        Some(time) => (time, 0),
        None => {
            let at = time.rfind(['+', '-'])?;
            let (time, offset) = time.split_at(at);
            let (hours, minutes) = offset[1..].split_once(':')?;
            let minutes = hours.parse::<i64>().ok()? * 60 + minutes.parse::<i64>().ok()?;
            (
                time,
                if offset.starts_with('-') {
                    -minutes
                } else {
                    minutes
                },
            )
        }
    };
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock = clock.splitn(3, ':');
    let hour = clock.next()?.parse().ok()?;
    let minute = clock.next()?.parse().ok()?;
    let second = clock.next()?.parse().ok()?;
    let nanos = match fraction {
        "" => 0,
        digits if digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let local = NaiveDateTime::new(
        parse_date(date)?,
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?,
    );
    let utc = local.checked_sub_signed(TimeDelta::try_minutes(east_minutes)?)?;
    Some(utc.and_utc())
}

/// An `Option<NaiveDate>` field.
pub mod optional_date {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => parse_date(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("not a date: {text}"))),
        }
    }
}

/// A `DateTime<Utc>` field.
pub mod utc {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_utc(&text).ok_or_else(|| D::Error::custom(format!("not a time: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    #[test]
    fn dates_read_back_as_chrono_writes_them() {
        for (y, m, d) in [(2026, 12, 4), (1999, 1, 31), (2400, 2, 29), (1, 1, 1)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(parse_date(&date.to_string()), Some(date));
        }
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-12"), None);
        assert_eq!(parse_date("today"), None);
    }

    #[test]
    fn times_read_back_as_chrono_writes_them_whatever_the_offset() {
        let whole = Utc.with_ymd_and_hms(2026, 12, 4, 9, 30, 0).unwrap();
        let fraction = whole + TimeDelta::microseconds(123_456);
        for time in [whole, fraction] {
            let json = serde_json::to_string(&time).unwrap();
            assert_eq!(parse_utc(json.trim_matches('"')), Some(time));
        }
        let east = FixedOffset::east_opt(2 * 3600).unwrap();
        let written = whole.with_timezone(&east).to_rfc3339();
        assert_eq!(parse_utc(&written), Some(whole));
        let west = FixedOffset::west_opt(5 * 3600 + 1800).unwrap();
        assert_eq!(
            parse_utc(&whole.with_timezone(&west).to_rfc3339()),
            Some(whole)
        );
        assert_eq!(parse_utc("2026-12-04T25:00:00Z"), None);
        assert_eq!(parse_utc("2026-12-04T09:30:00.1234567890Z"), None);
        assert_eq!(parse_utc("2026-12-04"), None);
    }

    #[test]
    fn fields_that_opt_in_keep_their_json() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Row {
            #[serde(with = "optional_date")]
            due: Option<NaiveDate>,
            #[serde(with = "utc")]
            at: DateTime<Utc>,
        }
        let row = Row {
            due: NaiveDate::from_ymd_opt(2026, 12, 4),
            at: Utc.with_ymd_and_hms(2026, 12, 4, 9, 30, 0).unwrap(),
        };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(json, r#"{"due":"2026-12-04","at":"2026-12-04T09:30:00Z"}"#);
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        let none: Row =
            serde_json::from_str(r#"{"due":null,"at":"2026-12-04T09:30:00Z"}"#).unwrap();
        assert_eq!(none.due, None);
    }
}
