//! The one way a file leaves the server (a document, a quote's PDF, an attachment, an
//! export, an import's error report): its name for the download, its type, and headers
//! that keep a browser from running it or keeping a copy.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};

pub struct FileResponse {
    name: String,
    content_type: String,
    body: Body,
    /// Shown by the browser (a PDF) rather than downloaded.
    inline: bool,
}

impl FileResponse {
    /// A file to download as `name`.
    pub fn attachment(name: &str, content_type: &str, body: impl Into<Body>) -> FileResponse {
        FileResponse {
            name: name.to_string(),
            content_type: content_type.to_string(),
            body: body.into(),
            inline: false,
        }
    }

    /// A file the browser may show itself (a PDF), still named for saving.
    pub fn inline(name: &str, content_type: &str, body: impl Into<Body>) -> FileResponse {
        FileResponse {
            inline: true,
            ..FileResponse::attachment(name, content_type, body)
        }
    }

    /// `Content-Disposition` with an ASCII fallback name and the exact name in UTF-8.
    fn disposition(&self) -> String {
        format!(
            "{}; filename=\"{}\"; filename*=UTF-8''{}",
            if self.inline { "inline" } else { "attachment" },
            self.name.replace(
                |c: char| !c.is_ascii() || c.is_ascii_control() || c == '"',
                "_"
            ),
            crate::auth::encode_query_value(&self.name)
        )
    }
}

impl IntoResponse for FileResponse {
    fn into_response(self) -> Response {
        let disposition = self.disposition();
        let mut response = self.body.into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&self.content_type) {
            headers.insert(header::CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox; default-src 'none'"),
        );
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_for_every_browser_and_never_run() {
        let response =
            FileResponse::attachment("Offerte \"Łódź\".pdf", "application/pdf", Vec::new())
                .into_response();
        let headers = response.headers();
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"Offerte ___d__.pdf\"; filename*=UTF-8''Offerte%20%22%C5%81%C3%B3d%C5%BA%22.pdf"
        );
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");
        let shown = FileResponse::inline("q.pdf", "application/pdf", Vec::new()).into_response();
        assert!(shown.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("inline;"));
    }
}
