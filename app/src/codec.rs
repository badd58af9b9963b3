//! How a server function's answer travels: JSON, read in the browser with
//! `serde_json::from_str`, the same reader a resource uses for the data the server rendered
//! into the page. With server_fn's own `Json` (which reads bytes with `from_slice`), the
//! browser build held two deserialisers for every type a page both loads and refreshes, one
//! per reader; with this one it holds one. Every server function names it:
//! `#[server(endpoint = "…", output = JsonAnswer)]`, with `use crate::codec::JsonAnswer`.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON in a `POST` answer's body.
pub type JsonAnswer = Post<JsonText>;

/// JSON, encoded as bytes and decoded from text.
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = DecodeError;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(DecodeError::Text)?;
        serde_json::from_str(text).map_err(DecodeError::Json)
    }
}

/// An answer that is not UTF-8, or not the JSON of the type asked for.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("the answer is not UTF-8: {0}")]
    Text(std::str::Utf8Error),
    #[error(transparent)]
    Json(serde_json::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_comes_back_as_it_was_sent() {
        let sent = vec![(1_u32, "één".to_string()), (2, "deux".to_string())];
        let bytes = <JsonText as Encodes<_>>::encode(&sent).expect("encodes");
        let back: Vec<(u32, String)> = JsonText::decode(bytes).expect("decodes");
        assert_eq!(back, sent);
    }

    #[test]
    fn bytes_that_are_not_text_are_refused() {
        let decoded: Result<String, _> = JsonText::decode(Bytes::from_static(b"\"\xff\""));
        assert!(matches!(decoded, Err(DecodeError::Text(_))));
    }
}
