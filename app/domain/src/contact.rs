//! A company or person as typed into a form or an import file, parsed field by field into a
//! `ContactDraft` that can only exist valid. The first refused field is reported by name.

use super::{CountryCode, Email, Phone, VatNumber};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Company,
    Person,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Company => "company",
            ContactKind::Person => "person",
        }
    }

    pub fn parse(text: &str) -> Option<ContactKind> {
        match text.trim() {
            "company" => Some(ContactKind::Company),
            "person" => Some(ContactKind::Person),
            _ => None,
        }
    }
}

/// Why a contact field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("name is empty")]
    NameEmpty,
    #[error("name is too long")]
    NameTooLong,
    #[error("e-mail address: {0}")]
    Email(#[from] super::email::EmailError),
    #[error("phone: {0}")]
    Phone(#[from] super::phone::PhoneError),
    #[error("country: {0}")]
    Country(#[from] super::country::CountryCodeError),
    #[error("VAT number: {0}")]
    Vat(#[from] super::vat::VatError),
    #[error("website is not a web address")]
    Website,
    #[error("a tag is too long")]
    TagTooLong,
    #[error("too many values")]
    TooMany,
    #[error("text too long")]
    TooLong,
}

/// The raw text of a contact form or import row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub name: String,
    pub job_title: String,
    /// Several addresses separated by commas, semicolons or line breaks.
    pub emails: String,
    pub phones: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub vat: String,
    pub website: String,
    /// Comma-separated.
    pub tags: String,
    pub notes: String,
}

impl ContactInput {
    /// Every field by its name, in form order.
    pub fn fields(&self) -> [(&'static str, &str); 12] {
        [
            ("name", &self.name),
            ("job_title", &self.job_title),
            ("emails", &self.emails),
            ("phones", &self.phones),
            ("street", &self.street),
            ("postcode", &self.postcode),
            ("city", &self.city),
            ("country", &self.country),
            ("vat", &self.vat),
            ("website", &self.website),
            ("tags", &self.tags),
            ("notes", &self.notes),
        ]
    }
}

/// A contact's own fields, every one parsed. Links (company, owner) are checked against the
/// database by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactDraft {
    pub name: String,
    pub job_title: String,
    pub emails: Vec<Email>,
    pub phones: Vec<Phone>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: Option<CountryCode>,
    pub vat: Option<VatNumber>,
    pub website: String,
    pub tags: Vec<String>,
    pub notes: String,
}

const MAX_VALUES: usize = 10;
/// The longest one-line field (a name, a street, a city).
pub const MAX_LINE: usize = 200;
const MAX_NOTES: usize = 20_000;

/// The field name a `ContactError` belongs to, as the form names it.
pub fn field_of(error: ContactError) -> &'static str {
    match error {
        ContactError::NameEmpty | ContactError::NameTooLong => "name",
        ContactError::Email(_) => "emails",
        ContactError::Phone(_) => "phones",
        ContactError::Country(_) => "country",
        ContactError::Vat(_) => "vat",
        ContactError::Website => "website",
        ContactError::TagTooLong => "tags",
        ContactError::TooMany | ContactError::TooLong => "notes",
    }
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn line(text: &str, field: &'static str) -> Result<String, (ContactError, &'static str)> {
    let text = text.trim();
    if text.chars().count() > MAX_LINE {
        Err((ContactError::TooLong, field))
    } else {
        Ok(text.to_string())
    }
}

impl ContactDraft {
    /// Parses every field; on failure, the error and the field it belongs to.
    pub fn parse(input: &ContactInput) -> Result<ContactDraft, (ContactError, &'static str)> {
        let with_field = |e: ContactError| (e, field_of(e));
        let name = input.name.trim();
        if name.is_empty() {
            return Err(with_field(ContactError::NameEmpty));
        }
        if name.chars().count() > MAX_LINE {
            return Err(with_field(ContactError::NameTooLong));
        }
        let country = match input.country.trim() {
            "" => None,
            text => Some(CountryCode::parse(text).map_err(|e| with_field(e.into()))?),
        };
        let mut emails: Vec<Email> = Vec::new();
        for text in split_list(&input.emails) {
            let email = Email::parse(&text.to_lowercase()).map_err(|e| with_field(e.into()))?;
            if !emails.contains(&email) {
                emails.push(email);
            }
        }
        let mut phones: Vec<Phone> = Vec::new();
        // Phone numbers may contain commas only as separators; semicolons and lines also work.
        for text in split_list(&input.phones) {
            let phone = Phone::parse(text, country).map_err(|e| with_field(e.into()))?;
            if !phones.contains(&phone) {
                phones.push(phone);
            }
        }
        if emails.len() > MAX_VALUES || phones.len() > MAX_VALUES {
            return Err((
                ContactError::TooMany,
                if emails.len() > MAX_VALUES {
                    "emails"
                } else {
                    "phones"
                },
            ));
        }
        let vat = match input.vat.trim() {
            "" => None,
            text => Some(VatNumber::parse(text).map_err(|e| with_field(e.into()))?),
        };
        let website = parse_website(&input.website).map_err(with_field)?;
        let mut tags: Vec<String> = Vec::new();
        for text in input.tags.split(',').filter(|t| !t.trim().is_empty()) {
            let tag = parse_tag(text).map_err(with_field)?;
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                tags.push(tag);
            }
        }
        if tags.len() > 20 {
            return Err((ContactError::TooMany, "tags"));
        }
        if input.notes.chars().count() > MAX_NOTES {
            return Err((ContactError::TooLong, "notes"));
        }
        Ok(ContactDraft {
            name: name.to_string(),
            job_title: line(&input.job_title, "job_title")?,
            emails,
            phones,
            street: line(&input.street, "street")?,
            postcode: line(&input.postcode, "postcode")?,
            city: line(&input.city, "city")?,
            country,
            vat,
            website,
            tags,
            notes: input.notes.trim().to_string(),
        })
    }
}

/// A tag: trimmed, 1 to 40 characters, no comma (commas separate tags in forms and files).
pub fn parse_tag(text: &str) -> Result<String, ContactError> {
    let tag = text.trim();
    if tag.is_empty() || tag.chars().count() > 40 || tag.contains(',') {
        return Err(ContactError::TagTooLong);
    }
    Ok(tag.to_string())
}

/// "example.com" becomes "https://example.com"; anything with spaces or without a dot in the
/// host is refused.
pub fn parse_website(text: &str) -> Result<String, ContactError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    let url = if text.starts_with("http://") || text.starts_with("https://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok || url.chars().any(char::is_whitespace) || url.len() > MAX_LINE {
        return Err(ContactError::Website);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(name: &str) -> ContactInput {
        ContactInput {
            name: name.into(),
            ..ContactInput::default()
        }
    }

    #[test]
    fn a_full_company_parses_and_normalises() {
        let draft = ContactDraft::parse(&ContactInput {
            name: "  Bouwbedrijf De Vries BV ".into(),
            emails: "Info@DeVries.nl; info@devries.nl, offerte@devries.nl".into(),
            phones: "020 123 4567\n+31 6 1234 5678".into(),
            country: "nl".into(),
            vat: "NL 8188.26.452 B01".into(),
            website: "devries.nl".into(),
            tags: "installer, VIP, vip".into(),
            ..ContactInput::default()
        })
        .unwrap();
        assert_eq!(draft.name, "Bouwbedrijf De Vries BV");
        assert_eq!(draft.emails.len(), 2);
        assert_eq!(draft.emails[0].as_str(), "info@devries.nl");
        assert_eq!(draft.phones[0].as_str(), "+31201234567");
        assert_eq!(draft.vat.unwrap().as_str(), "NL818826452B01");
        assert_eq!(draft.website, "https://devries.nl");
        assert_eq!(draft.tags, vec!["installer", "VIP"]);
    }

    #[test]
    fn tags_are_short_and_have_no_comma() {
        assert_eq!(parse_tag("  VIP "), Ok("VIP".to_string()));
        assert_eq!(parse_tag(""), Err(ContactError::TagTooLong));
        assert_eq!(parse_tag("a,b"), Err(ContactError::TagTooLong));
        assert_eq!(parse_tag(&"x".repeat(41)), Err(ContactError::TagTooLong));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (input(""), "name"),
            (
                ContactInput {
                    emails: "not-an-address".into(),
                    ..input("A")
                },
                "emails",
            ),
            (
                ContactInput {
                    phones: "call me".into(),
                    ..input("A")
                },
                "phones",
            ),
            (
                ContactInput {
                    country: "XX".into(),
                    ..input("A")
                },
                "country",
            ),
            (
                ContactInput {
                    vat: "12".into(),
                    ..input("A")
                },
                "vat",
            ),
            (
                ContactInput {
                    website: "not a site".into(),
                    ..input("A")
                },
                "website",
            ),
            (
                ContactInput {
                    tags: "x".repeat(41),
                    ..input("A")
                },
                "tags",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                ContactDraft::parse(&input).unwrap_err().1,
                field,
                "{input:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_input_parses_or_names_a_field(
            name in "\\PC{0,250}", emails in "\\PC{0,60}", phones in "\\PC{0,40}",
            vat in "\\PC{0,20}", website in "\\PC{0,40}", tags in "\\PC{0,60}",
        ) {
            let input = ContactInput { name, emails, phones, vat, website, tags, ..ContactInput::default() };
            match ContactDraft::parse(&input) {
                Ok(draft) => prop_assert!(!draft.name.is_empty()),
                Err((_, field)) => prop_assert!(!field.is_empty()),
            }
        }
    }
}
