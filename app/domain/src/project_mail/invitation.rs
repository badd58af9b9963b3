//! The calendar invitation an appointment confirmation carries: one event in an iCalendar
//! file (RFC 5545), with CRLF line ends, lines folded at 75 octets and text escaped.

use chrono::{DateTime, Utc};

/// The media type of the invitation an appointment confirmation carries.
pub const INVITATION_TYPE: &str = "text/calendar; charset=utf-8; method=REQUEST";

/// What an appointment's calendar invitation says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    /// Unique for this appointment, e.g. `<uuid>@atrium`.
    pub uid: String,
    /// When the invitation was made.
    pub stamp: DateTime<Utc>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// Name and e-mail address of the one who invites (the user who sends it).
    pub organizer: (String, String),
    /// Name and e-mail address of the one invited (the recipient).
    pub attendee: (String, String),
}

impl Invitation {
    /// The invitation as an iCalendar file: CRLF line ends, lines folded at 75 octets, text
    /// escaped, times in UTC.
    pub fn to_ics(&self) -> String {
        let time = |at: DateTime<Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".to_string(),
            "PRODID:-//Atrium//Project mail//EN".to_string(),
            "CALSCALE:GREGORIAN".to_string(),
            "METHOD:REQUEST".to_string(),
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", escape_text(&self.uid)),
            format!("DTSTAMP:{}", time(self.stamp)),
            format!("DTSTART:{}", time(self.starts)),
            format!("DTEND:{}", time(self.ends)),
            format!("SUMMARY:{}", escape_text(&self.summary)),
        ];
        if !self.location.trim().is_empty() {
            lines.push(format!("LOCATION:{}", escape_text(&self.location)));
        }
        if !self.description.trim().is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&self.description)));
        }
        lines.push(format!(
            "ORGANIZER;CN={}:mailto:{}",
            parameter(&self.organizer.0),
            address(&self.organizer.1)
        ));
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}",
            parameter(&self.attendee.0),
            address(&self.attendee.1)
        ));
        lines.extend(
            [
                "STATUS:CONFIRMED",
                "SEQUENCE:0",
                "TRANSP:OPAQUE",
                "END:VEVENT",
                "END:VCALENDAR",
            ]
            .map(str::to_string),
        );
        let mut ics = String::new();
        for line in &lines {
            fold(line, &mut ics);
        }
        ics
    }
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
/// written `\n`, other control characters left out.
fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// A parameter value (a name after `CN=`): always quoted, without the quotes and control
/// characters a quoted value may not hold.
fn parameter(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{}\"", clean.trim())
}

/// An e-mail address after `mailto:`, without anything that would break the line.
fn address(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Writes one content line, folded so that no physical line is longer than 75 octets: a
/// continuation starts with a space, and a character is never split.
fn fold(line: &str, out: &mut String) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn invitation(description: &str) -> Invitation {
        Invitation {
            uid: "0190a0a0-0000-7000-8000-000000000000@atrium".into(),
            stamp: at("2026-12-01T10:00:00Z"),
            starts: at("2026-12-15T08:30:00Z"),
            ends: at("2026-12-15T10:00:00Z"),
            summary: "Afspraak: Renovatie; kantoor, Keizersgracht".into(),
            location: "Keizersgracht 112, 1015 CW Amsterdam".into(),
            description: description.into(),
            organizer: ("Sam \"the\" Jansen".into(), "demo@atrium.example".into()),
            attendee: ("Sanne Bakker".into(), "sanne@devries-bouw.nl".into()),
        }
    }

    /// The content lines of an iCalendar text, unfolded.
    fn unfold(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn unescape(value: &str) -> String {
        let mut text = String::new();
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') | Some('N') => text.push('\n'),
                    Some(other) => text.push(other),
                    None => {}
                }
            } else {
                text.push(c);
            }
        }
        text
    }

    #[test]
    fn the_invitation_is_an_icalendar_event_in_utc() {
        let ics = invitation("Beste Sanne,\ntot dan.").to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let lines = unfold(&ics);
        for expected in [
            "METHOD:REQUEST",
            "UID:0190a0a0-0000-7000-8000-000000000000@atrium",
            "DTSTAMP:20261201T100000Z",
            "DTSTART:20261215T083000Z",
            "DTEND:20261215T100000Z",
            "SUMMARY:Afspraak: Renovatie\\; kantoor\\, Keizersgracht",
            "LOCATION:Keizersgracht 112\\, 1015 CW Amsterdam",
            "DESCRIPTION:Beste Sanne\\,\\ntot dan.",
            "ORGANIZER;CN=\"Sam the Jansen\":mailto:demo@atrium.example",
        ] {
            assert!(lines.iter().any(|l| l == expected), "{expected} in\n{ics}");
        }
        assert!(lines
            .iter()
            .any(|l| l.starts_with("ATTENDEE;CN=\"Sanne Bakker\";")
                && l.ends_with(":mailto:sanne@devries-bouw.nl")));
        // Every line ends with CRLF: no bare line feed, no bare carriage return.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
        assert_eq!(ics.matches('\r').count(), ics.matches("\r\n").count());
    }

    #[test]
    fn text_is_escaped_and_control_characters_left_out() {
        assert_eq!(
            escape_text("a\\b;c,d\r\ne\rf\u{7}g\th"),
            "a\\\\b\\;c\\,d\\ne\\nfg\th"
        );
        assert_eq!(parameter(" Sam \"S\" Jansen\n"), "\"Sam S Jansen\"");
        assert_eq!(address(" a@b.nl\r\n"), "a@b.nl");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let description = format!("{} {} {}", "a".repeat(100), "é".repeat(80), "😀".repeat(30));
        let ics = invitation(&description).to_ics();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = unfold(&ics);
        let line = unfolded
            .iter()
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        assert_eq!(line, &format!("DESCRIPTION:{description}"));
        // A line of exactly 75 octets is not folded; one more octet is.
        let mut out = String::new();
        fold(&"x".repeat(75), &mut out);
        assert_eq!(out, format!("{}\r\n", "x".repeat(75)));
        let mut out = String::new();
        fold(&"x".repeat(76), &mut out);
        assert_eq!(out, format!("{}\r\n x\r\n", "x".repeat(75)));
    }

    proptest! {
        #[test]
        fn any_description_comes_back_from_the_file(text in "(\\PC|\n|;|,|\\\\){0,300}") {
            let ics = invitation(&text).to_ics();
            for line in ics.split("\r\n") {
                prop_assert!(line.len() <= 75);
            }
            let described = unfold(&ics)
                .into_iter()
                .find_map(|l| l.strip_prefix("DESCRIPTION:").map(unescape));
            if text.trim().is_empty() {
                prop_assert_eq!(described, None);
            } else {
                prop_assert_eq!(described, Some(text));
            }
        }
    }
}
