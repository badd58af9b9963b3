//! How the fields of a form arrive: as text, where a field left blank means "none". Request
//! types use these so that a picked record is an `Option<Uuid>`, never an id as `String`.

use serde::{Deserialize, Deserializer, Serializer};
use std::str::FromStr;

/// A field that is blank (or absent) is `None`; otherwise it must parse as `T`.
pub fn blank_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: std::fmt::Display,
{
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// A list of values sent as one field separated by commas ("a,b,c"), or as a list.
pub fn comma_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: std::fmt::Display,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        One(String),
        Many(Vec<String>),
    }
    let texts = match Option::<Sent>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(Sent::One(text)) => text.split(',').map(str::to_string).collect(),
        Some(Sent::Many(texts)) => texts,
    };
    texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().map_err(serde::de::Error::custom))
        .collect()
}

/// Writes a list as `comma_list` reads it, so a request travels the same from a form and
/// from code.
pub fn to_comma_list<S, T>(values: &[T], serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: std::fmt::Display,
{
    let text: Vec<String> = values.iter().map(T::to_string).collect();
    serializer.serialize_str(&text.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use uuid::Uuid;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Form {
        #[serde(default, deserialize_with = "blank_as_none")]
        picked: Option<Uuid>,
        #[serde(default, deserialize_with = "comma_list")]
        people: Vec<Uuid>,
    }

    fn parse(json: &str) -> Result<Form, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn blank_and_absent_are_none_and_an_id_is_parsed() {
        let id = Uuid::from_u128(7);
        assert_eq!(parse(r#"{"picked": ""}"#).unwrap().picked, None);
        assert_eq!(parse(r#"{"picked": "  "}"#).unwrap().picked, None);
        assert_eq!(parse("{}").unwrap().picked, None);
        assert_eq!(
            parse(&format!(r#"{{"picked": " {id} "}}"#)).unwrap().picked,
            Some(id)
        );
        assert!(parse(r#"{"picked": "not an id"}"#).is_err());
    }

    #[test]
    fn a_list_comes_as_commas_or_as_a_list() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let want = vec![a, b];
        assert_eq!(
            parse(&format!(r#"{{"people": "{a}, {b},"}}"#))
                .unwrap()
                .people,
            want
        );
        assert_eq!(
            parse(&format!(r#"{{"people": ["{a}", "{b}"]}}"#))
                .unwrap()
                .people,
            want
        );
        assert!(parse(r#"{"people": ""}"#).unwrap().people.is_empty());
        assert!(parse(r#"{"people": "x"}"#).is_err());
    }
}
