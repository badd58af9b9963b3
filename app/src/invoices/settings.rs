//! The seller's details invoices print (name, address, country, VAT number, e-mail, IBAN and
//! BIC) and the invoicing defaults (payment terms, terms text), each parsed before it is
//! stored and saved on the version the form read.

use super::CompanySettings;
use crate::domain::invoice::PaymentTerms;
use crate::domain::payment_reference::is_valid_iban;
use crate::domain::{CountryCode, Email, VatNumber};
use crate::error::{AppError, FieldProblem};
use sqlx::PgConnection;

pub async fn get(conn: &mut PgConnection) -> Result<CompanySettings, AppError> {
    let r = sqlx::query!(
        "SELECT company_name, company_address, company_country, company_vat, company_email,
                iban, bic, payment_terms_days, invoice_terms, invoicing_version
         FROM company_settings"
    )
    .fetch_one(conn)
    .await?;
    Ok(CompanySettings {
        name: r.company_name,
        address: r.company_address,
        country: r.company_country,
        vat: r.company_vat,
        email: r.company_email,
        iban: r.iban,
        bic: r.bic,
        payment_terms_days: r.payment_terms_days.to_string(),
        invoice_terms: r.invoice_terms,
        version: r.invoicing_version,
    })
}

fn bounded(text: &str, field: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(AppError::invalid(field, FieldProblem::TextTooLong));
    }
    Ok(text.to_string())
}

/// Groups an IBAN in fours, as it is printed: "NL91 ABNA 0417 1643 00".
fn grouped_iban(text: &str) -> String {
    let compact: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    compact
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

pub async fn save(conn: &mut PgConnection, form: &CompanySettings) -> Result<(), AppError> {
    let name = bounded(&form.name, "name", 200)?;
    if name.is_empty() {
        return Err(AppError::invalid("name", FieldProblem::NameEmpty));
    }
    let address = bounded(&form.address, "address", 1000)?;
    let country = CountryCode::parse(&form.country)
        .map_err(|_| AppError::invalid("country", FieldProblem::CountryUnknown))?;
    let vat = match form.vat.trim() {
        "" => String::new(),
        text => VatNumber::parse(text)
            .map_err(|e| AppError::invalid("vat", e.into()))?
            .to_string(),
    };
    let email = match form.email.trim() {
        "" => String::new(),
        text => Email::parse(text)
            .map_err(|e| AppError::invalid("email", e.into()))?
            .to_string(),
    };
    let iban = match form.iban.trim() {
        "" => String::new(),
        text if is_valid_iban(text) => grouped_iban(text),
        _ => return Err(AppError::invalid("iban", FieldProblem::IbanInvalid)),
    };
    let bic = form.bic.trim().to_ascii_uppercase();
    if !bic.is_empty()
        && (!matches!(bic.len(), 8 | 11) || !bic.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return Err(AppError::invalid("bic", FieldProblem::BicInvalid));
    }
    let days: i64 = form
        .payment_terms_days
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange))?;
    let terms = PaymentTerms::new(days)
        .map_err(|_| AppError::invalid("payment_terms_days", FieldProblem::TermsOutOfRange))?;
    let invoice_terms = bounded(&form.invoice_terms, "invoice_terms", 5000)?;
    let saved = sqlx::query!(
        "UPDATE company_settings SET company_name = $2, company_address = $3, company_country = $4,
                company_vat = $5, company_email = $6, iban = $7, bic = $8, payment_terms_days = $9,
                invoice_terms = $10, invoicing_version = invoicing_version + 1
         WHERE invoicing_version = $1",
        form.version,
        name,
        address,
        country.as_str(),
        vat,
        email,
        iban,
        bic,
        i32::from(terms.days()),
        invoice_terms
    )
    .execute(conn)
    .await?;
    AppError::one_row_or_conflict(saved.rows_affected())
}
