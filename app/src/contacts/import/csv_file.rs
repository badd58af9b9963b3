//! Reading an uploaded CSV file: UTF-8 (with or without byte-order mark), comma or semicolon
//! separated, a header row, every row as wide as the header. Anything else is refused with a
//! reason before a single row is looked at.

use super::{MAX_BYTES, MAX_ROWS};
use crate::domain::ContactInput;
use crate::error::FieldProblem;

/// The header and the rows of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn read(bytes: &[u8]) -> Result<CsvTable, FieldProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(FieldProblem::ImportTooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| FieldProblem::ImportNotUtf8)?;
    if text.trim().is_empty() {
        return Err(FieldProblem::ImportEmpty);
    }
    // Spreadsheets in most of Europe write semicolons; the header line tells which it is.
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| FieldProblem::ImportMalformed)?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(FieldProblem::ImportMalformed);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| FieldProblem::ImportMalformed)?;
        if rows.len() == MAX_ROWS {
            return Err(FieldProblem::ImportTooLarge);
        }
        // A control character other than tab or line break means this is not a text table.
        if record.iter().any(|f| {
            f.chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            return Err(FieldProblem::ImportMalformed);
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // An error report (or any export) of ours wrote `'=…` for a cell starting with `=`:
        // the apostrophe only kept spreadsheets from running it.
        rows.push(
            record
                .iter()
                .map(|cell| crate::domain::spreadsheet::restore_formula(cell).to_string())
                .collect(),
        );
    }
    if rows.is_empty() {
        return Err(FieldProblem::ImportEmpty);
    }
    Ok(CsvTable { headers, rows })
}

/// Lower case, letters and digits only, accents dropped: "E-mail adres" → "emailadres".
fn simplify(header: &str) -> String {
    header
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'Ó' | 'Ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The field a column header most likely means, in any of Atrium's languages.
pub fn suggest(header: &str) -> &'static str {
    let h = simplify(header);
    let is = |words: &[&str]| words.iter().any(|w| h == *w);
    let starts = |words: &[&str]| words.iter().any(|w| h.starts_with(w));
    if is(&[
        "name",
        "naam",
        "nom",
        "nombre",
        "nome",
        "companyname",
        "bedrijfsnaam",
        "fullname",
        "ragionesociale",
        "razonsocial",
        "raisonsociale",
    ]) {
        "name"
    } else if is(&[
        "company",
        "bedrijf",
        "organisatie",
        "organization",
        "organisation",
        "entreprise",
        "societe",
        "empresa",
        "azienda",
        "societa",
    ]) {
        "company"
    } else if starts(&["email", "mail", "courriel", "correo", "posta"]) {
        "emails"
    } else if starts(&[
        "phone",
        "tel",
        "mobile",
        "mobiel",
        "gsm",
        "movil",
        "cellulare",
        "portable",
    ]) {
        "phones"
    } else if starts(&[
        "street",
        "straat",
        "adres",
        "address",
        "adresse",
        "rue",
        "calle",
        "direccion",
        "via",
        "indirizzo",
    ]) {
        "street"
    } else if starts(&[
        "postcode",
        "postalcode",
        "zip",
        "codepostal",
        "codigopostal",
        "cap",
        "postal",
    ]) {
        "postcode"
    } else if is(&[
        "city",
        "plaats",
        "stad",
        "woonplaats",
        "ville",
        "ciudad",
        "citta",
        "localidad",
        "comune",
        "gemeente",
    ]) {
        "city"
    } else if is(&[
        "country",
        "land",
        "pays",
        "pais",
        "paese",
        "nazione",
        "countrycode",
    ]) {
        "country"
    } else if starts(&[
        "vat",
        "btw",
        "tva",
        "iva",
        "nif",
        "cif",
        "piva",
        "partitaiva",
        "kvk",
        "siret",
        "registration",
    ]) {
        "vat"
    } else if starts(&["website", "web", "site", "url", "sitio", "sito"]) {
        "website"
    } else if is(&[
        "tags",
        "tag",
        "labels",
        "label",
        "etiquettes",
        "etiquetas",
        "etichette",
    ]) {
        "tags"
    } else if starts(&[
        "job",
        "functie",
        "function",
        "fonction",
        "title",
        "cargo",
        "puesto",
        "ruolo",
        "qualifica",
        "poste",
    ]) {
        "job_title"
    } else if starts(&[
        "note",
        "notes",
        "notities",
        "opmerking",
        "remarque",
        "notas",
        "note",
    ]) {
        "notes"
    } else {
        ""
    }
}

/// A row as contact input, by mapping (several columns for one field are joined).
pub fn row_input(row: &[String], mapping: &[String]) -> (ContactInput, String) {
    let mut input = ContactInput::default();
    let mut company = String::new();
    for (value, field) in row.iter().zip(mapping) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let target = match field.as_str() {
            "name" => &mut input.name,
            "company" => &mut company,
            "job_title" => &mut input.job_title,
            "emails" => &mut input.emails,
            "phones" => &mut input.phones,
            "street" => &mut input.street,
            "postcode" => &mut input.postcode,
            "city" => &mut input.city,
            "country" => &mut input.country,
            "vat" => &mut input.vat,
            "website" => &mut input.website,
            "tags" => &mut input.tags,
            "notes" => &mut input.notes,
            _ => continue,
        };
        if !target.is_empty() {
            let separator = if field == "name" { " " } else { ", " };
            target.push_str(separator);
        }
        target.push_str(value);
    }
    (input, company)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_bom_and_quotes_are_read() {
        let table = read(
            "\u{feff}Naam;E-mail;Plaats\n\"De Vries; BV\";info@devries.nl;Amsterdam\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(table.headers, vec!["Naam", "E-mail", "Plaats"]);
        assert_eq!(table.rows[0][0], "De Vries; BV");
        let mapping: Vec<String> = table
            .headers
            .iter()
            .map(|h| suggest(h).to_string())
            .collect();
        assert_eq!(mapping, vec!["name", "emails", "city"]);
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        assert_eq!(read(b""), Err(FieldProblem::ImportEmpty));
        assert_eq!(read(b"name\n"), Err(FieldProblem::ImportEmpty));
        assert_eq!(
            read(b"name,city\n\xff\xfe broken\n"),
            Err(FieldProblem::ImportNotUtf8)
        );
        assert_eq!(
            read(b"name,city\na,b,c\n"),
            Err(FieldProblem::ImportMalformed)
        );
        assert_eq!(
            read(b"name,city\n\"a,b\n"),
            Err(FieldProblem::ImportMalformed)
        );
        assert_eq!(
            read(b"name,city\na\x01b,c\n"),
            Err(FieldProblem::ImportMalformed)
        );
        let huge = vec![b'x'; MAX_BYTES + 1];
        assert_eq!(read(&huge), Err(FieldProblem::ImportTooLarge));
    }

    #[test]
    fn columns_fill_fields_and_join() {
        let mapping: Vec<String> = ["name", "name", "emails", "", "company"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let row: Vec<String> = ["Anna", "Jansen", "anna@x.nl", "ignored", "De Vries BV"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let (input, company) = row_input(&row, &mapping);
        assert_eq!(input.name, "Anna Jansen");
        assert_eq!(input.emails, "anna@x.nl");
        assert_eq!(company, "De Vries BV");
    }
}
