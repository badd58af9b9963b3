//! Structured payment references, which let a bank statement line be matched to its invoice
//! without reading the free text: the Belgian structured communication (+++123/4567/89012+++)
//! and the international ISO 11649 creditor reference (RF18 5390 0754 7034).

use crate::invoice::InvoiceKind;

/// The Belgian number is 10 digits (then 2 check digits).
const BELGIAN_BASE: u64 = 10_000_000_000;
/// An RF body holds at most 21 characters (25 with "RF" and the check digits).
const RF_BODY_MAX: usize = 21;

/// The remainder mod 97 of text read as ISO 7064 reads it: digits as themselves, letters as
/// 10 (A) to 35 (Z). Folded one character at a time, so any length fits; `None` when a
/// character is neither.
fn mod97(text: &str) -> Option<u32> {
    text.chars().try_fold(0u32, |rest, c| {
        let value = c.to_digit(36)?;
        let shift = if value < 10 { 10 } else { 100 };
        Some((rest * shift + value) % 97)
    })
}

/// Belgian check digits: the number mod 97, with 97 for a remainder of zero.
fn belgian_check(number: u64) -> u64 {
    match number % 97 {
        0 => 97,
        rest => rest,
    }
}

/// Belgian structured communication "+++123/4567/89012+++" for `base` (reduced mod 10^10).
pub fn belgian(base: u64) -> String {
    let number = base % BELGIAN_BASE;
    let digits = format!("{number:010}{:02}", belgian_check(number));
    format!("+++{}/{}/{}+++", &digits[..3], &digits[3..7], &digits[7..])
}

/// Whether `text` is a Belgian structured communication, written with or without its plus
/// signs (or the asterisks some banks print instead), slashes and spaces.
pub fn is_valid_belgian(text: &str) -> bool {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '+' | '*' | '/') && !c.is_whitespace())
        .collect();
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match (digits[..10].parse::<u64>(), digits[10..].parse::<u64>()) {
        (Ok(number), Ok(check)) => belgian_check(number) == check,
        _ => false,
    }
}

/// RF check digits for a checked body: "RF00" moved to the end, 98 − the remainder.
fn rf_compact(body: &str) -> Option<String> {
    let rest = mod97(&format!("{body}RF00"))?;
    Some(format!("RF{:02}{body}", 98 - rest))
}

/// ISO 11649 creditor reference for `body`, compact ("RF18539007547034"; `format_rf` prints
/// it). Spaces and dashes in the body are ignored and letters upper-cased; `None` for a body
/// that is empty, longer than 21 characters or not only letters and digits.
pub fn rf(body: &str) -> Option<String> {
    let body: String = body
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let fits = (1..=RF_BODY_MAX).contains(&body.len());
    if !fits || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    rf_compact(&body)
}

/// Whether `text` is a creditor reference (spaces ignored, any case). Check digits outside
/// 02–98 are refused although they may pass mod 97 ("RF99" ≡ "RF02"): only the form `rf`
/// makes is valid, as for IBANs.
pub fn is_valid_rf(text: &str) -> bool {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !compact.is_ascii() || !(5..=RF_BODY_MAX + 4).contains(&compact.len()) {
        return false;
    }
    let (head, body) = compact.split_at(4);
    let check_ok = head.starts_with("RF")
        && head[2..].bytes().all(|b| b.is_ascii_digit())
        && head[2..]
            .parse::<u8>()
            .is_ok_and(|check| (2..=98).contains(&check));
    check_ok
        && body.bytes().all(|b| b.is_ascii_alphanumeric())
        && mod97(&format!("{body}{head}")) == Some(1)
}

/// A creditor reference in groups of four, as it is printed: "RF18 5390 0754 7034".
pub fn format_rf(compact: &str) -> String {
    let chars: Vec<char> = compact
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The last ten digits of the number the digits of `text` make.
fn digits_mod_belgian_base(text: &str) -> u64 {
    text.chars()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |rest, digit| {
            (rest * 10 + u64::from(digit)) % BELGIAN_BASE
        })
}

/// The 10-digit Belgian base of an invoice number "SERIES-YEAR-SEQUENCE": the series' digit
/// (1 invoice, 2 credit note), the year's four digits, the sequence's five. Unique per number
/// up to 99,999 numbers a year in a series. Another shape of number falls back to its last
/// ten digits.
fn belgian_base(invoice_number: &str) -> u64 {
    let parts: Vec<&str> = invoice_number.trim().split('-').collect();
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if let [series, year, sequence] = parts[..] {
        let series_digit = InvoiceKind::ALL
            .iter()
            .position(|kind| kind.series().eq_ignore_ascii_case(series));
        if let (Some(position), true, true) = (series_digit, all_digits(year), all_digits(sequence))
        {
            let series_digit = position as u64 + 1;
            let year = digits_mod_belgian_base(year) % 10_000;
            let sequence = digits_mod_belgian_base(sequence) % 100_000;
            return series_digit * 1_000_000_000 + year * 100_000 + sequence;
        }
    }
    digits_mod_belgian_base(invoice_number)
}

/// The payment reference of an invoice or credit note: Belgian (printed form) when the seller
/// is in Belgium, RF (compact; print it with `format_rf`) elsewhere. Built from the number
/// alone, so it is the same whenever it is asked for, and different for every number: the RF
/// body is the number's letters and digits ("INV-2026-0042" → "INV20260042"), the Belgian
/// number encodes series, year and sequence (see `belgian_base`).
pub fn for_invoice(seller_country: &str, invoice_number: &str) -> String {
    if seller_country.trim().eq_ignore_ascii_case("BE") {
        return belgian(belgian_base(invoice_number));
    }
    let body: String = invoice_number
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    // The end of a long number is where numbers differ (the sequence).
    let body = &body[body.len().saturating_sub(RF_BODY_MAX)..];
    let body = if body.is_empty() { "0" } else { body };
    // The body is checked above (ASCII letters and digits, 1–21 of them), so this is always
    // a reference; the Belgian fallback only keeps the function total.
    rf_compact(body).unwrap_or_else(|| belgian(belgian_base(invoice_number)))
}

/// An IBAN as typed or printed (spaces allowed): two letters, two check digits and up to 30
/// letters and digits, whose ISO 7064 remainder, read from the fifth character on and then
/// the first four, is 1 (ISO 13616).
pub fn is_valid_iban(text: &str) -> bool {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let well_formed = (15..=34).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact[..2].chars().all(|c| c.is_ascii_alphabetic())
        && compact[2..4].chars().all(|c| c.is_ascii_digit());
    well_formed && mod97(&format!("{}{}", &compact[4..], &compact[..4])) == Some(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ibans_are_checked_by_their_digits() {
        assert!(super::is_valid_iban("NL91 ABNA 0417 1643 00"));
        assert!(super::is_valid_iban("BE68539007547034"));
        assert!(!super::is_valid_iban("NL91 ABNA 0417 1643 01"));
        assert!(!super::is_valid_iban("NL91"));
        assert!(!super::is_valid_iban("NL91 ABNA 0417 1643 0é"));
    }

    use super::*;
    use crate::invoice::invoice_number;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn a_known_belgian_communication() {
        // Computed here rather than trusted: 0909337554 mod 97 = 93.
        assert_eq!(909_337_554u64 % 97, 93);
        assert_eq!(belgian(909_337_554), "+++090/9337/55493+++");
        assert!(is_valid_belgian("+++090/9337/55493+++"));
        assert!(is_valid_belgian("090933755493"));
        assert!(is_valid_belgian("***090/9337/55493***"));
        assert!(is_valid_belgian(" 090 9337 55493 "));
        assert!(!is_valid_belgian("+++090/9337/55494+++"));
        assert!(!is_valid_belgian("+++090/9337/5549+++"));
        assert!(!is_valid_belgian("+++090/9337/55493a+++"));
        assert!(!is_valid_belgian(""));
    }

    #[test]
    fn a_remainder_of_zero_is_written_97() {
        assert_eq!(belgian(97), "+++000/0000/09797+++");
        assert_eq!(belgian(0), "+++000/0000/00097+++");
        assert!(is_valid_belgian(&belgian(0)));
        assert!(!is_valid_belgian("+++000/0000/00000+++"));
        // The base is reduced to ten digits.
        assert_eq!(belgian(12_345_678_901), belgian(2_345_678_901));
    }

    #[test]
    fn a_known_creditor_reference() {
        assert!(is_valid_rf("RF18539007547034"));
        assert!(is_valid_rf("RF18 5390 0754 7034"));
        assert!(is_valid_rf("rf18 5390 0754 7034"));
        assert_eq!(rf("539007547034").as_deref(), Some("RF18539007547034"));
        assert_eq!(rf("5390-0754 7034").as_deref(), Some("RF18539007547034"));
        assert_eq!(format_rf("RF18539007547034"), "RF18 5390 0754 7034");
        assert_eq!(format_rf("RF18 5390 0754 7034"), "RF18 5390 0754 7034");
        assert!(!is_valid_rf("RF19539007547034"));
        assert!(!is_valid_rf("RF18"));
        assert!(!is_valid_rf("RX18539007547034"));
        assert!(!is_valid_rf("RF18539007547034-"));
        assert!(!is_valid_rf(""));
    }

    #[test]
    fn only_the_canonical_check_digits_are_valid() {
        // 02 and 99, 97 and 00, 98 and 01 leave the same remainder; only the first of each
        // pair is what `rf` writes.
        let mut twins = 0;
        for body in (0..500).map(|n| n.to_string()) {
            let Some(reference) = rf(&body) else {
                panic!("{body} has a reference");
            };
            let check: u32 = reference[2..4].parse().unwrap();
            assert!((2..=98).contains(&check));
            let twin = match check {
                2 => 99,
                97 | 98 => check - 97,
                _ => continue,
            };
            assert!(!is_valid_rf(&format!("RF{twin:02}{body}")), "{reference}");
            twins += 1;
        }
        assert!(twins > 0);
    }

    #[test]
    fn bad_bodies_have_no_reference() {
        assert_eq!(rf(""), None);
        assert_eq!(rf(" - "), None);
        assert_eq!(rf(&"1".repeat(22)), None);
        assert!(rf(&"1".repeat(21)).is_some());
        assert_eq!(rf("AB_C"), None);
        assert_eq!(rf("café"), None);
        assert_eq!(rf("inv42"), rf("INV42"));
    }

    #[test]
    fn invoices_get_the_reference_of_their_sellers_country() {
        let belgian_one = for_invoice("BE", "INV-2026-0042");
        // Series 1 (invoice), year 2026, sequence 00042.
        assert_eq!(belgian_one, belgian(1_202_600_042));
        assert!(is_valid_belgian(&belgian_one));
        assert_eq!(for_invoice(" be ", "INV-2026-0042"), belgian_one);
        assert_ne!(for_invoice("BE", "CN-2026-0042"), belgian_one);
        let rf_one = for_invoice("NL", "INV-2026-0042");
        assert_eq!(Some(rf_one.clone()), rf("INV20260042"));
        assert!(is_valid_rf(&rf_one));
        assert_ne!(for_invoice("NL", "CN-2026-0042"), rf_one);
        // Other shapes of number still get a valid reference.
        for odd in ["", "---", "2026/17", "INV-2026-0042-B", &"9".repeat(40)] {
            assert!(is_valid_belgian(&for_invoice("BE", odd)), "{odd}");
            assert!(is_valid_rf(&for_invoice("FR", odd)), "{odd}");
        }
    }

    #[test]
    fn every_number_of_a_year_has_its_own_reference() {
        let mut belgian_refs = HashSet::new();
        let mut rf_refs = HashSet::new();
        let mut count = 0;
        for kind in InvoiceKind::ALL {
            for year in [2026, 2027] {
                for sequence in (1..=3_000).chain(99_990..=99_999) {
                    let number = invoice_number(kind, year, sequence);
                    belgian_refs.insert(for_invoice("BE", &number));
                    rf_refs.insert(for_invoice("NL", &number));
                    count += 1;
                }
            }
        }
        assert_eq!(belgian_refs.len(), count);
        assert_eq!(rf_refs.len(), count);
    }

    /// Every single-digit change of `reference`'s digits (from `from` on).
    fn digit_changes(reference: &str, from: usize) -> Vec<String> {
        let chars: Vec<char> = reference.chars().collect();
        let mut changed = Vec::new();
        for (index, c) in chars.iter().enumerate().skip(from) {
            let Some(digit) = c.to_digit(10) else {
                continue;
            };
            for other in (0..10).filter(|other| *other != digit) {
                let mut copy = chars.clone();
                copy[index] = char::from_digit(other, 10).unwrap_or('0');
                changed.push(copy.into_iter().collect());
            }
        }
        changed
    }

    proptest! {
        #[test]
        fn belgian_references_check_and_catch_a_changed_digit(base in any::<u64>()) {
            let reference = belgian(base);
            prop_assert!(is_valid_belgian(&reference));
            let changes = digit_changes(&reference, 0);
            prop_assert_eq!(changes.len(), 12 * 9);
            for changed in changes {
                prop_assert!(!is_valid_belgian(&changed), "{}", changed);
            }
        }

        #[test]
        fn creditor_references_check_and_catch_a_changed_digit(body in "[0-9A-Za-z]{1,21}") {
            let reference = rf(&body);
            prop_assert!(reference.is_some());
            let reference = reference.unwrap_or_default();
            prop_assert!(is_valid_rf(&reference));
            prop_assert!(is_valid_rf(&format_rf(&reference)));
            prop_assert_eq!(&reference[4..], body.to_ascii_uppercase());
            // The "RF" letters have no digit; the check digits and the body's do.
            for changed in digit_changes(&reference, 2) {
                prop_assert!(!is_valid_rf(&changed), "{}", changed);
            }
        }

        #[test]
        fn checking_never_panics(text in "\\PC{0,30}") {
            let _ = is_valid_belgian(&text);
            let _ = is_valid_rf(&text);
            let _ = format_rf(&text);
            if let Some(reference) = rf(&text) {
                prop_assert!(is_valid_rf(&reference));
            }
            prop_assert!(is_valid_belgian(&for_invoice("BE", &text)));
            prop_assert!(is_valid_rf(&for_invoice("NL", &text)));
        }
    }
}
