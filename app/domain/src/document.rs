//! Which uploaded files Atrium keeps, judged by their bytes and their extension together (the
//! browser's content type is not trusted), and the content type they are served with. HTML,
//! SVG and scripts are refused: served back, they would run in Atrium's origin.

/// Upload limit of one document.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit")]
    TooLarge,
    #[error("this kind of file is not accepted")]
    TypeRefused,
}

/// The content type of an accepted file, from its name and its first bytes.
pub fn classify(file_name: &str, bytes: &[u8]) -> Result<&'static str, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentError::TooLarge);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let zip = starts(b"PK\x03\x04");
    let ole = starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let content_type = match extension.as_str() {
        "pdf" if starts(b"%PDF-") => "application/pdf",
        "png" if starts(b"\x89PNG\r\n\x1a\n") => "image/png",
        "jpg" | "jpeg" if starts(&[0xFF, 0xD8, 0xFF]) => "image/jpeg",
        "webp" if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") => "image/webp",
        "docx" if zip => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" if zip => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" if zip => {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        "odt" if zip => "application/vnd.oasis.opendocument.text",
        "ods" if zip => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" if zip => "application/zip",
        "doc" if ole => "application/msword",
        "xls" if ole => "application/vnd.ms-excel",
        "txt" | "csv" if is_plain_text(bytes) => {
            if extension == "csv" {
                "text/csv; charset=utf-8"
            } else {
                "text/plain; charset=utf-8"
            }
        }
        _ => return Err(DocumentError::TypeRefused),
    };
    Ok(content_type)
}

/// UTF-8 without NUL bytes and without markup a browser would sniff as HTML.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let start = text
        .trim_start()
        .get(..64)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    !text.contains('\0')
        && !start.starts_with("<!doctype")
        && !start.starts_with("<html")
        && !start.starts_with("<svg")
        && !start.starts_with("<?xml")
        && !start.starts_with("<script")
}

/// A file name safe to store and to put in a header: no path, no control characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "document".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_judged_by_name_and_bytes() {
        assert_eq!(
            classify("contract.pdf", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert_eq!(
            classify("Polis.PDF", b"%PDF-1.4"),
            Ok("application/pdf"),
            "extensions in capitals"
        );
        assert_eq!(
            classify("fake.pdf", b"<html>"),
            Err(DocumentError::TypeRefused)
        );
        assert_eq!(
            classify("page.html", b"<html></html>"),
            Err(DocumentError::TypeRefused)
        );
        assert_eq!(
            classify("logo.svg", b"<svg/>"),
            Err(DocumentError::TypeRefused)
        );
        assert_eq!(
            classify("notes.txt", b"<!DOCTYPE html><p>x"),
            Err(DocumentError::TypeRefused)
        );
        assert_eq!(
            classify("notes.txt", b"Call the insurer"),
            Ok("text/plain; charset=utf-8")
        );
        assert_eq!(
            classify("x.docx", b"PK\x03\x04rest").map(|t| t.contains("word")),
            Ok(true)
        );
        assert_eq!(classify("empty.pdf", b""), Err(DocumentError::Empty));
        assert_eq!(classify("noext", b"%PDF-"), Err(DocumentError::TypeRefused));
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("C:\\docs\\polis.pdf"), "polis.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_file_name(".."), "document");
    }
}
