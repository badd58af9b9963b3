//! Bridges our `Language` to the generated translations, and formats dates and numbers the
//! way each language writes them.

use crate::domain::Language;
use crate::i18n::Locale;
use chrono::{Datelike, NaiveDate};

/// The cookie leptos_i18n reads to choose the language of a server render.
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";

pub fn to_locale(language: Language) -> Locale {
    match language {
        Language::En => Locale::en,
        Language::Nl => Locale::nl,
        Language::Fr => Locale::fr,
        Language::Es => Locale::es,
        Language::It => Locale::it,
    }
}

pub fn from_locale(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::nl => Language::Nl,
        Locale::fr => Language::Fr,
        Locale::es => Language::Es,
        Locale::it => Language::It,
    }
}

pub fn language_cookie(language: Language) -> String {
    format!(
        "{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        language.code()
    )
}

/// Remembers a language chosen in this browser for the server's next render. The server
/// sets the cookie itself for a signed-in user; this serves the sign-in page.
pub fn remember_language(language: Language) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(document) = leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = document.set_cookie(&language_cookie(language));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = language;
}

/// Whether a count takes the singular form of its noun ("1 record", "0 enregistrement"): one
/// in English, Dutch, Spanish and Italian, zero and one in French. Messages with a count have
/// a `_singular` key beside the plural one.
pub fn is_singular(language: Language, count: u64) -> bool {
    match language {
        Language::Fr => count <= 1,
        Language::En | Language::Nl | Language::Es | Language::It => count == 1,
    }
}

const MONTHS: [[&str; 12]; 5] = [
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
];

fn index(language: Language) -> usize {
    Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0)
}

/// "22 November 2026", "22 november 2026", "22 de noviembre de 2026", …
pub fn format_date_long(language: Language, date: NaiveDate) -> String {
    let month = MONTHS[index(language)][date.month0() as usize];
    let (day, year) = (date.day(), date.year());
    match language {
        Language::Es => format!("{day} de {month} de {year}"),
        Language::Fr if day == 1 => format!("1er {month} {year}"),
        _ => format!("{day} {month} {year}"),
    }
}

/// "November 2026", "november 2026", "noviembre de 2026", …
pub fn format_month_year(language: Language, date: NaiveDate) -> String {
    let month = MONTHS[index(language)][date.month0() as usize];
    match language {
        Language::Es => format!("{month} de {}", date.year()),
        _ => format!("{month} {}", date.year()),
    }
}

/// Short weekday names from Monday, per language.
const WEEKDAYS: [[&str; 7]; 5] = [
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ["ma", "di", "wo", "do", "vr", "za", "zo"],
    ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."],
    ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
    ["lun", "mar", "mer", "gio", "ven", "sab", "dom"],
];

/// "Mon", "ma", "lun.", … for the date's weekday.
pub fn format_weekday(language: Language, date: NaiveDate) -> &'static str {
    WEEKDAYS[index(language)][date.weekday().num_days_from_monday() as usize]
}

/// "22/11/2026" (en, fr, es, it) or "22-11-2026" (nl).
pub fn format_date_short(language: Language, date: NaiveDate) -> String {
    let separator = if language == Language::Nl { '-' } else { '/' };
    format!(
        "{:02}{separator}{:02}{separator}{}",
        date.day(),
        date.month(),
        date.year()
    )
}

pub use crate::domain::money::format_decimal;

/// A rate or a discount: "21 %", "5,5 %".
pub fn format_percent(language: Language, rate: rust_decimal::Decimal) -> String {
    let decimals = if rate.fract().is_zero() { 0 } else { 1 };
    format!("{} %", format_decimal(language, rate, decimals))
}

/// A measure that is not money (a count, a size in KB) with the language's separators;
/// amounts go through `format_decimal` and `format_money`, never through floating point.
pub fn format_number(language: Language, value: f64, decimals: usize) -> String {
    let value = rust_decimal::Decimal::from_f64_retain(value).unwrap_or_default();
    format_decimal(language, value, decimals as u32)
}

/// An amount with its currency as the language writes it: €1,250.00 (en), € 1.250,00 (nl),
/// 1 250,00 € (fr, es, it). A code that is not a currency is written after the number.
pub fn format_money(language: Language, amount: rust_decimal::Decimal, currency: &str) -> String {
    use crate::domain::{Currency, Money};
    match Currency::parse(currency) {
        Ok(currency) => Money::new(amount, currency).format(language),
        Err(_) => format!("{} {currency}", format_decimal(language, amount, 2)),
    }
}

/// Sums in several currencies, one amount per currency: "€1,250.00 · $300.00".
pub fn format_sums(language: Language, sums: &crate::domain::CurrencySums) -> String {
    sums.iter()
        .map(|sum| sum.format(language))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Hours with at most two decimals and no trailing zeros: 7.5, 12, 0.25.
pub fn format_hours(language: Language, hours: rust_decimal::Decimal) -> String {
    let hours = hours.round_dp(2).normalize();
    format_decimal(language, hours, hours.scale())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_hours_read_per_language() {
        let amount = rust_decimal::Decimal::new(125050, 2);
        assert_eq!(format_money(Language::En, amount, "EUR"), "€1,250.50");
        assert_eq!(format_money(Language::Nl, amount, "EUR"), "€\u{a0}1.250,50");
        assert_eq!(
            format_money(Language::Fr, amount, "EUR"),
            "1\u{202f}250,50\u{a0}€"
        );
        assert_eq!(
            format_hours(Language::Nl, rust_decimal::Decimal::new(750, 2)),
            "7,5"
        );
        assert_eq!(
            format_hours(Language::En, rust_decimal::Decimal::new(12, 0)),
            "12"
        );
    }

    #[test]
    fn long_dates_read_naturally() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(format_date_long(Language::En, date), "22 November 2026");
        assert_eq!(format_date_long(Language::Nl, date), "22 november 2026");
        assert_eq!(
            format_date_long(Language::Es, date),
            "22 de noviembre de 2026"
        );
        let first = NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        assert_eq!(format_date_long(Language::Fr, first), "1er août 2026");
        assert_eq!(format_date_short(Language::Nl, first), "01-08-2026");
        assert_eq!(format_date_short(Language::It, first), "01/08/2026");
    }

    #[test]
    fn numbers_group_per_language() {
        assert_eq!(format_number(Language::En, 1234567.891, 2), "1,234,567.89");
        assert_eq!(format_number(Language::Nl, 1234.5, 2), "1.234,50");
        assert_eq!(format_number(Language::Fr, 1234.5, 2), "1\u{202f}234,50");
        assert_eq!(format_number(Language::It, -987.0, 0), "-987");
        assert_eq!(format_number(Language::Es, 0.0, 0), "0");
        assert_eq!(format_number(Language::En, -0.001, 2), "0.00");
    }

    #[test]
    fn counts_of_one_are_singular_and_french_zero_too() {
        assert!(is_singular(Language::En, 1));
        assert!(!is_singular(Language::En, 0));
        assert!(!is_singular(Language::Nl, 9));
        assert!(is_singular(Language::Fr, 0));
        assert!(is_singular(Language::Fr, 1));
        assert!(!is_singular(Language::Fr, 2));
        assert!(!is_singular(Language::Es, 0));
        assert!(!is_singular(Language::It, 1000));
    }

    #[test]
    fn every_language_maps_to_a_locale_and_back() {
        for language in Language::ALL {
            assert_eq!(from_locale(to_locale(language)), language);
        }
    }
}
