//! The state of a list view (search, filters, grouping, sort, columns) and its one text form,
//! the URL query. Links, Back, saved views and server requests all carry that same query.

use serde::{Deserialize, Serialize};

/// At most this many filters, groupings and search words are honoured; more is refused.
pub const MAX_FILTERS: usize = 20;
pub const MAX_GROUP_LEVELS: usize = 2;
pub const MAX_VALUE_LEN: usize = 200;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewState {
    pub search: String,
    pub filters: Vec<Filter>,
    pub predefined: Vec<String>,
    pub group_by: Vec<String>,
    pub sort: Option<Sort>,
    /// `None`: the user's remembered columns (or the list's defaults).
    pub columns: Option<Vec<String>>,
}

/// `field op value`, e.g. `city contains Gent`. Operators are checked against the field's kind
/// by the filter builder; here they are just words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub field: String,
    pub op: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub field: String,
    pub descending: bool,
}

impl ViewState {
    /// Reads `q`, `f` (repeated `field:op:value`), `p` (repeated), `g` (repeated), `s`
    /// (`field` or `-field`) and `c` (comma-separated). Unknown keys are ignored, so other
    /// parameters can share the URL.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ViewState {
        let mut state = ViewState::default();
        for (key, value) in pairs {
            match key {
                "q" => state.search = value.to_string(),
                "f" => {
                    let mut parts = value.splitn(3, ':');
                    if let (Some(field), Some(op)) = (parts.next(), parts.next()) {
                        state.filters.push(Filter {
                            field: field.to_string(),
                            op: op.to_string(),
                            value: parts.next().unwrap_or("").to_string(),
                        });
                    }
                }
                "p" if !value.is_empty() => state.predefined.push(value.to_string()),
                "g" if !value.is_empty() => state.group_by.push(value.to_string()),
                "s" if !value.is_empty() => {
                    state.sort = Some(match value.strip_prefix('-') {
                        Some(field) => Sort {
                            field: field.to_string(),
                            descending: true,
                        },
                        None => Sort {
                            field: value.to_string(),
                            descending: false,
                        },
                    })
                }
                "c" => {
                    state.columns = Some(
                        value
                            .split(',')
                            .filter(|c| !c.is_empty())
                            .map(str::to_string)
                            .collect(),
                    )
                }
                _ => {}
            }
        }
        state
    }

    /// Parses a URL query (without the leading `?`).
    pub fn from_query(query: &str) -> ViewState {
        let pairs = decode_query(query);
        ViewState::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The URL query (without `?`); empty for the list's plain default view.
    pub fn to_query(&self) -> String {
        query_pairs(self)
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn is_default(&self) -> bool {
        self == &ViewState::default()
    }

    /// The same view with one filter more (no-op when it is already there).
    pub fn with_filter(&self, filter: Filter) -> ViewState {
        let mut next = self.clone();
        if !next.filters.contains(&filter) {
            next.filters.push(filter);
        }
        next
    }

    pub fn toggled_predefined(&self, key: &str) -> ViewState {
        let mut next = self.clone();
        if let Some(i) = next.predefined.iter().position(|p| p == key) {
            next.predefined.remove(i);
        } else {
            next.predefined.push(key.to_string());
        }
        next
    }

    /// Sorting by `field`: ascending first, then descending, as a column header click does.
    pub fn sorted_by(
        &self,
        field: &str,
        (default_sort, default_descending): (&str, bool),
    ) -> ViewState {
        let mut next = self.clone();
        let current = self.sort.clone().unwrap_or(Sort {
            field: default_sort.to_string(),
            descending: default_descending,
        });
        next.sort = Some(Sort {
            field: field.to_string(),
            descending: current.field == field && !current.descending,
        });
        next
    }
}

/// The view as (name, value) pairs of its URL query, in a stable order.
pub fn query_pairs(state: &ViewState) -> Vec<(&'static str, String)> {
    let mut pairs: Vec<(&'static str, String)> = Vec::new();
    if !state.search.trim().is_empty() {
        pairs.push(("q", state.search.clone()));
    }
    for p in &state.predefined {
        pairs.push(("p", p.clone()));
    }
    for f in &state.filters {
        pairs.push(("f", format!("{}:{}:{}", f.field, f.op, f.value)));
    }
    for g in &state.group_by {
        pairs.push(("g", g.clone()));
    }
    if let Some(sort) = &state.sort {
        let prefix = if sort.descending { "-" } else { "" };
        pairs.push(("s", format!("{prefix}{}", sort.field)));
    }
    if let Some(columns) = &state.columns {
        pairs.push(("c", columns.join(",")));
    }
    pairs
}

/// The (name, value) pairs of a URL query (with or without its `?`), decoded.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes `%XX` and `+`; malformed escapes are kept as they are, invalid UTF-8 is replaced.
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_every_part_of_a_query() {
        let state = ViewState::from_query(
            "q=M%C3%BCller&p=mine&f=city:contains:Gent&f=note:is:a%3Ab&g=country&s=-name&c=name,city",
        );
        assert_eq!(state.search, "Müller");
        assert_eq!(state.predefined, vec!["mine"]);
        assert_eq!(state.filters.len(), 2);
        assert_eq!(state.filters[1].value, "a:b");
        assert_eq!(state.group_by, vec!["country"]);
        assert_eq!(
            state.sort,
            Some(Sort {
                field: "name".into(),
                descending: true
            })
        );
        assert_eq!(
            state.columns,
            Some(vec!["name".to_string(), "city".to_string()])
        );
    }

    #[test]
    fn the_default_view_has_an_empty_query() {
        assert_eq!(ViewState::default().to_query(), "");
        assert!(ViewState::from_query("").is_default());
    }

    #[test]
    fn clicking_a_header_twice_sorts_descending() {
        let once = ViewState::default().sorted_by("city", ("name", false));
        assert!(!once.sort.as_ref().unwrap().descending);
        let twice = once.sorted_by("city", ("name", false));
        assert!(twice.sort.unwrap().descending);
    }

    #[test]
    fn malformed_escapes_do_not_panic() {
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("a+b"), "a b");
    }

    fn filter() -> impl Strategy<Value = Filter> {
        ("[a-z_]{1,8}", "[a-z]{1,6}", ".{0,20}").prop_map(|(field, op, value)| Filter {
            field,
            op,
            value,
        })
    }

    proptest! {
        #[test]
        fn a_state_survives_its_query(
            search in ".{0,30}",
            filters in proptest::collection::vec(filter(), 0..4),
            predefined in proptest::collection::vec("[a-z]{1,8}", 0..3),
            group_by in proptest::collection::vec("[a-z_]{1,8}", 0..2),
            sort in proptest::option::of(("[a-z_]{1,8}", any::<bool>())),
            columns in proptest::option::of(proptest::collection::vec("[a-z_]{1,8}", 1..4)),
        ) {
            let state = ViewState {
                search: if search.trim().is_empty() { String::new() } else { search },
                filters,
                predefined,
                group_by,
                sort: sort.map(|(field, descending)| Sort { field, descending }),
                columns,
            };
            prop_assert_eq!(ViewState::from_query(&state.to_query()), state);
        }

        #[test]
        fn any_text_decodes_without_panicking(text in "\\PC{0,40}") {
            let _ = ViewState::from_query(&text);
        }
    }
}
