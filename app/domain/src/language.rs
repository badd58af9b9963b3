//! The languages Atrium speaks, and choosing one from a browser's Accept-Language.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Nl,
    Fr,
    Es,
    It,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::Nl,
        Language::Fr,
        Language::Es,
        Language::It,
    ];

    /// ISO 639-1 code, as stored and as used in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
            Language::Fr => "fr",
            Language::Es => "es",
            Language::It => "it",
        }
    }

    /// The language's name in itself, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Nl => "Nederlands",
            Language::Fr => "Français",
            Language::Es => "Español",
            Language::It => "Italiano",
        }
    }

    /// Accepts "nl", "NL", "nl-BE", "nl_NL".
    pub fn parse(text: &str) -> Option<Language> {
        let primary = text
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The language a contact in `country` (ISO code) most likely reads, among ours:
    /// Belgium and Switzerland have several, so they get the first of their languages here
    /// and a contact's own language setting says better.
    pub fn of_country(country: &str) -> Option<Language> {
        match country.trim().to_ascii_uppercase().as_str() {
            "NL" | "BE" | "SR" => Some(Language::Nl),
            "FR" | "LU" | "MC" => Some(Language::Fr),
            "ES" | "MX" | "AR" | "CO" | "CL" | "PE" => Some(Language::Es),
            "IT" | "SM" | "VA" | "CH" => Some(Language::It),
            "GB" | "IE" | "US" | "CA" | "AU" | "NZ" | "MT" => Some(Language::En),
            _ => None,
        }
    }

    /// The best supported language of an `Accept-Language` header, by its q-values.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(f32, Language)> = None;
        for part in accept_language.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(language) = Language::parse(tag) {
                if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                    best = Some((quality, language));
                }
            }
        }
        best.map(|(_, language)| language)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_country_suggests_a_language() {
        assert_eq!(Language::of_country("be"), Some(Language::Nl));
        assert_eq!(Language::of_country("FR"), Some(Language::Fr));
        assert_eq!(Language::of_country("IT"), Some(Language::It));
        assert_eq!(Language::of_country("DE"), None);
    }

    use super::Language;

    #[test]
    fn parses_regional_tags() {
        assert_eq!(Language::parse("nl-BE"), Some(Language::Nl));
        assert_eq!(Language::parse("FR_fr"), Some(Language::Fr));
        assert_eq!(Language::parse("de"), None);
        assert_eq!(Language::parse(""), None);
    }

    #[test]
    fn negotiation_follows_quality_values() {
        assert_eq!(
            Language::negotiate("de-DE,de;q=0.9,it;q=0.8,en;q=0.7"),
            Some(Language::It)
        );
        assert_eq!(Language::negotiate("en;q=0.5, es-ES"), Some(Language::Es));
        assert_eq!(Language::negotiate("de, pl"), None);
        assert_eq!(Language::negotiate("nl;q=0"), None);
    }
}
