//! Countries as ISO 3166-1 alpha-2 codes ("NL", "BE", …).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Every officially assigned ISO 3166-1 alpha-2 code.
const CODES: &str =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU \
GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY \
MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU \
RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO \
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CountryCode([u8; 2]);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountryCodeError {
    #[error("unknown country code")]
    Unknown,
}

impl CountryCode {
    /// Accepts any case and surrounding spaces; "uk" is taken as "GB", as people write it.
    pub fn parse(text: &str) -> Result<CountryCode, CountryCodeError> {
        let code = text.trim().to_ascii_uppercase();
        let code = if code == "UK" { "GB".to_string() } else { code };
        let bytes = code.as_bytes();
        if bytes.len() == 2 && CODES.split(' ').any(|known| known == code) {
            Ok(CountryCode([bytes[0], bytes[1]]))
        } else {
            Err(CountryCodeError::Unknown)
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII letters of CODES.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{CountryCode, CountryCodeError};
    use proptest::prelude::*;

    #[test]
    fn accepts_codes_in_any_case() {
        assert_eq!(CountryCode::parse(" nl ").unwrap().as_str(), "NL");
        assert_eq!(CountryCode::parse("uk").unwrap().as_str(), "GB");
        assert_eq!(CountryCode::parse("XX"), Err(CountryCodeError::Unknown));
        assert_eq!(CountryCode::parse("NLD"), Err(CountryCodeError::Unknown));
        assert_eq!(CountryCode::parse(""), Err(CountryCodeError::Unknown));
    }

    #[test]
    fn the_list_is_well_formed() {
        let codes: Vec<&str> = super::CODES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.iter().all(|c| c.len() == 2));
        assert!(
            codes.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_round_trips(text in "\\PC{0,6}") {
            if let Ok(code) = CountryCode::parse(&text) {
                prop_assert_eq!(CountryCode::parse(code.as_str()), Ok(code));
            }
        }
    }
}
