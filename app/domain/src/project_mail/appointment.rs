//! An appointment as the send dialog gives it: a day, a start and an end time, an address.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// The appointment's fields as the send dialog sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentInput {
    /// `15-12-2026` as typed, or `2026-12-15` (see `day::parse_day`).
    #[serde(default)]
    pub date: String,
    /// `09:30`.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub address: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentError {
    #[error("no day")]
    DateRequired,
    #[error("not a day")]
    DateMalformed,
    #[error("no time")]
    TimeRequired,
    #[error("not a time")]
    TimeMalformed,
    #[error("it ends before it starts")]
    EndBeforeStart,
    #[error("the address is too long")]
    AddressTooLong,
}

/// A visit on one day, from `start` to `end` (wall-clock times of the user who sends it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appointment {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    /// One line; empty when not given.
    pub address: String,
}

impl Appointment {
    pub const MAX_ADDRESS_CHARS: usize = 300;

    /// Checks the dialog's fields; an error names the field it refuses.
    pub fn parse(
        input: &AppointmentInput,
    ) -> Result<Appointment, (AppointmentError, &'static str)> {
        let date = input.date.trim();
        if date.is_empty() {
            return Err((AppointmentError::DateRequired, "date"));
        }
        let date = crate::day::parse_day(date).ok_or((AppointmentError::DateMalformed, "date"))?;
        let start = parse_time(&input.start).map_err(|e| (e, "start"))?;
        let end = parse_time(&input.end).map_err(|e| (e, "end"))?;
        if end <= start {
            return Err((AppointmentError::EndBeforeStart, "end"));
        }
        let address = input
            .address
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if address.chars().count() > Self::MAX_ADDRESS_CHARS {
            return Err((AppointmentError::AddressTooLong, "address"));
        }
        Ok(Appointment {
            date,
            start,
            end,
            address,
        })
    }
}

/// `09:30` or `09:30:00`.
fn parse_time(text: &str) -> Result<NaiveTime, AppointmentError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppointmentError::TimeRequired);
    }
    if text.len() > 8 {
        return Err(AppointmentError::TimeMalformed);
    }
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| AppointmentError::TimeMalformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appointment_names_the_field_it_refuses() {
        let input = |date: &str, start: &str, end: &str| AppointmentInput {
            date: date.into(),
            start: start.into(),
            end: end.into(),
            address: " Keizersgracht 112\n\n1015 CW Amsterdam ".into(),
        };
        let ok = Appointment::parse(&input("2026-12-15", "09:30", "11:00:00")).unwrap();
        assert_eq!(ok.start, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(ok.end, NaiveTime::from_hms_opt(11, 0, 0).unwrap());
        assert_eq!(ok.address, "Keizersgracht 112, 1015 CW Amsterdam");
        let refused = |i: AppointmentInput| Appointment::parse(&i).unwrap_err();
        assert_eq!(
            refused(input("", "09:30", "10:00")),
            (AppointmentError::DateRequired, "date")
        );
        // The day as the app writes it is the same day as ISO.
        assert_eq!(
            Appointment::parse(&input("15-12-2026", "09:30", "11:00"))
                .unwrap()
                .date,
            NaiveDate::from_ymd_opt(2026, 12, 15).unwrap()
        );
        assert_eq!(
            refused(input("31-02-2026", "09:30", "10:00")),
            (AppointmentError::DateMalformed, "date")
        );
        assert_eq!(
            refused(input("2026-12-15", "", "10:00")),
            (AppointmentError::TimeRequired, "start")
        );
        assert_eq!(
            refused(input("2026-12-15", "09:30", "25:00")),
            (AppointmentError::TimeMalformed, "end")
        );
        assert_eq!(
            refused(input("2026-12-15", "10:00", "10:00")),
            (AppointmentError::EndBeforeStart, "end")
        );
        let far = AppointmentInput {
            address: "x".repeat(Appointment::MAX_ADDRESS_CHARS + 1),
            ..input("2026-12-15", "09:30", "10:00")
        };
        assert_eq!(refused(far), (AppointmentError::AddressTooLong, "address"));
    }
}
