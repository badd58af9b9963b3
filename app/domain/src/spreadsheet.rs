//! Text cells written for spreadsheet programs. A cell that starts with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is read as a formula by Excel, LibreOffice and Google Sheets,
//! so a contact named `=HYPERLINK(…)` would run when the export is opened. As OWASP
//! recommends, such a cell gets a leading apostrophe; the import takes it off again, so a
//! corrected error report imports the original text.

use std::borrow::Cow;

/// A spreadsheet a user imports is at most this large.
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

fn starts_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Apostrophes already in front of a formula start get one more, so that the import's
/// removal of one gives back exactly what was there.
fn needs_apostrophe(text: &str) -> bool {
    starts_a_formula(text.trim_start_matches('\''))
}

/// The text as a spreadsheet shows it without evaluating it.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if needs_apostrophe(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The original text of a cell that [`neutralise_formula`] wrote.
pub fn restore_formula(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_apostrophe(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for (text, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+31 20 123", "'+31 20 123"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
        ] {
            assert_eq!(neutralise_formula(text), written);
        }
        assert_eq!(neutralise_formula("'=x"), "''=x");
        for plain in ["Bakkerij De Vries", "", "'quoted", "a=b", "5"] {
            assert_eq!(neutralise_formula(plain), plain);
        }
    }

    proptest! {
        #[test]
        fn restoring_gives_back_the_text(text in ".{0,20}") {
            let written = neutralise_formula(&text);
            prop_assert_eq!(restore_formula(&written), text.as_str());
        }

        #[test]
        fn nothing_written_starts_a_formula(text in ".{0,20}") {
            prop_assert!(!starts_a_formula(&neutralise_formula(&text)));
        }
    }
}
