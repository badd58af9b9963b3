//! An invoice or credit note as a PDF (on the shared commercial layout) and as an e-mail:
//! what an EU invoice must carry (seller and buyer with addresses and VAT numbers, number and
//! dates, lines and totals per tax rate, payment terms, IBAN and a structured reference, the
//! reason for 0 % tax), in the customer's language.

use super::Invoice;
use crate::auth::session::Authenticated;
use crate::domain::invoice::{zero_rate_reason, InvoiceKind, ZeroRateReason};
use crate::domain::{Language, Money};
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::locale::{format_date_long, format_decimal, format_percent, to_locale};
use crate::quotes::pdf::{render, DocumentLine, QuoteDocument};
use crate::shared::http::FileResponse;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The seller as an invoice prints it.
pub struct Seller {
    pub name: String,
    pub address: String,
    pub country: String,
    pub vat: String,
    pub email: String,
    pub iban: String,
    pub bic: String,
    pub terms: String,
}

pub async fn seller(conn: &mut PgConnection) -> Result<Seller, AppError> {
    let row = sqlx::query!(
        "SELECT company_name, company_address, company_country, company_vat, company_email,
                iban, bic, invoice_terms
         FROM company_settings"
    )
    .fetch_one(conn)
    .await?;
    Ok(Seller {
        name: if row.company_name.trim().is_empty() {
            "Atrium".into()
        } else {
            row.company_name
        },
        address: row.company_address,
        country: row.company_country,
        vat: row.company_vat,
        email: row.company_email,
        iban: row.iban,
        bic: row.bic,
        terms: row.invoice_terms,
    })
}

/// The language the customer reads: the contact's own, else from the country, else the
/// user's.
pub async fn customer_language(
    conn: &mut PgConnection,
    invoice: &Invoice,
    fallback: Language,
) -> Result<Language, AppError> {
    let person = invoice.contact.as_ref().unwrap_or(&invoice.customer).id;
    language_of(conn, person, fallback).await
}

/// The language `person` reads: their own, else their country's, else `fallback`.
pub async fn language_of(
    conn: &mut PgConnection,
    person: Uuid,
    fallback: Language,
) -> Result<Language, AppError> {
    let row = sqlx::query!(
        "SELECT language, country FROM contacts WHERE id = $1",
        person
    )
    .fetch_one(conn)
    .await?;
    Ok(row
        .language
        .as_deref()
        .and_then(Language::parse)
        .or_else(|| row.country.as_deref().and_then(Language::of_country))
        .unwrap_or(fallback))
}

pub fn title(locale: Locale, invoice: &Invoice) -> &'static str {
    match (invoice.kind, invoice.number.is_some()) {
        (InvoiceKind::CreditNote, _) => td_string!(locale, invoices.credit_note),
        (InvoiceKind::Invoice, true) => td_string!(locale, invoices.invoice),
        (InvoiceKind::Invoice, false) => td_string!(locale, invoices.draft_invoice),
    }
}

/// The PDF bytes of `invoice` in `language`.
pub async fn pdf(
    conn: &mut PgConnection,
    invoice: &Invoice,
    language: Language,
) -> Result<Vec<u8>, AppError> {
    let locale = to_locale(language);
    let seller = seller(conn).await?;
    let buyer = sqlx::query!(
        "SELECT name, street, postcode, city, country, vat FROM contacts WHERE id = $1",
        invoice.customer.id
    )
    .fetch_one(&mut *conn)
    .await?;
    let vat_label = td_string!(locale, quotes.vat_number);
    let mut customer = vec![buyer.name.clone()];
    if let Some(contact) = &invoice.contact {
        customer.push(contact.name.clone());
    }
    customer.push(buyer.street.clone());
    customer.push(
        format!("{} {}", buyer.postcode, buyer.city)
            .trim()
            .to_string(),
    );
    customer.extend(buyer.country.clone());
    customer.extend(buyer.vat.as_ref().map(|v| format!("{vat_label} {v}")));
    customer.retain(|l| !l.trim().is_empty());

    let money = |amount: Decimal| Money::new(amount, invoice.currency).format(language);
    let lines = invoice
        .lines
        .iter()
        .map(|line| DocumentLine::Item {
            description: line.description.clone(),
            quantity: format!(
                "{} {}",
                format_decimal(language, line.quantity, line.quantity.normalize().scale()),
                line.unit
            )
            .trim()
            .to_string(),
            unit_price: money(line.unit_price),
            discount: if line.discount.is_zero() {
                String::new()
            } else {
                format_percent(language, line.discount)
            },
            tax: line
                .tax
                .map(|t| format_percent(language, t.rate))
                .unwrap_or_default(),
            amount: money(line.subtotal),
        })
        .collect();
    let mut totals = vec![(
        td_string!(locale, quotes.untaxed).to_string(),
        money(invoice.untaxed.amount),
        false,
    )];
    for (tax, base, amount) in &invoice.taxes {
        totals.push((
            format!(
                "{} {} {} {}",
                td_string!(locale, quotes.tax),
                format_percent(language, tax.rate),
                td_string!(locale, quotes.on_amount),
                money(*base)
            ),
            money(*amount),
            false,
        ));
    }
    totals.push((
        td_string!(locale, quotes.total).to_string(),
        money(invoice.total.amount),
        true,
    ));

    let mut facts = vec![
        (
            td_string!(locale, invoices.invoice_date).to_string(),
            format_date_long(language, invoice.invoice_date),
        ),
        (
            td_string!(locale, invoices.due_date).to_string(),
            format_date_long(language, invoice.due_date),
        ),
    ];
    if let Some(credited) = &invoice.credits {
        facts.push((
            td_string!(locale, invoices.credits).to_string(),
            credited.label.clone(),
        ));
    }
    if let Some(order) = &invoice.order {
        facts.push((
            td_string!(locale, invoices.order).to_string(),
            order.label.clone(),
        ));
    }
    if let Some(project) = &invoice.project {
        facts.push((
            td_string!(locale, invoices.project).to_string(),
            project.label.clone(),
        ));
    }

    let mut header = vec![seller.name.clone()];
    header.extend(seller.address.lines().map(str::to_string));
    if !seller.vat.is_empty() {
        header.push(format!("{vat_label} {}", seller.vat));
    }
    if !seller.email.is_empty() {
        header.push(seller.email.clone());
    }

    // Why a line carries no tax: the law asks the invoice to say so.
    let mut notes = invoice.notes.clone();
    let zero_rated = invoice
        .lines
        .iter()
        .any(|l| l.tax.is_some_and(|t| t.rate.is_zero()));
    if zero_rated {
        let reason = zero_rate_reason(
            &seller.country,
            buyer.country.as_deref(),
            buyer.vat.is_some(),
        );
        let text = match reason {
            ZeroRateReason::ReverseCharge => td_string!(locale, invoices.reason_reverse_charge),
            ZeroRateReason::Export => td_string!(locale, invoices.reason_export),
            ZeroRateReason::Exempt => td_string!(locale, invoices.reason_exempt),
        };
        notes = format!("{text}\n\n{notes}").trim().to_string();
    }

    let terms = payment_text(locale, language, invoice, &seller);
    let document = QuoteDocument {
        title: title(locale, invoice).to_string(),
        number: invoice.number.clone().unwrap_or_default(),
        company: header,
        customer,
        facts,
        columns: [
            td_string!(locale, quotes.description).to_string(),
            td_string!(locale, quotes.quantity).to_string(),
            td_string!(locale, quotes.unit_price).to_string(),
            td_string!(locale, quotes.discount).to_string(),
            td_string!(locale, quotes.tax).to_string(),
            td_string!(locale, quotes.amount).to_string(),
        ],
        lines,
        totals,
        notes,
        terms,
        footer: format!(
            "{} · {}",
            invoice.number.as_deref().unwrap_or_default(),
            td_string!(locale, quotes.page_of)
        ),
    };
    render(&document).map_err(|error| {
        tracing::error!(%error, "the invoice's PDF could not be written");
        AppError::Internal
    })
}

/// How to pay: amount, due date, IBAN and the structured reference; then the seller's terms.
fn payment_text(locale: Locale, language: Language, invoice: &Invoice, seller: &Seller) -> String {
    let mut text = String::new();
    if invoice.kind == InvoiceKind::Invoice {
        text.push_str(
            &td_string!(locale, invoices.pay_before)
                .replace("{amount}", &invoice.total.format(language))
                .replace("{date}", &format_date_long(language, invoice.due_date))
                .replace("{days}", &invoice.payment_terms_days.to_string()),
        );
        if !seller.iban.is_empty() {
            text.push_str(&format!("\nIBAN {}", seller.iban));
            if !seller.bic.is_empty() {
                text.push_str(&format!(" · BIC {}", seller.bic));
            }
        }
        if let Some(reference) = &invoice.payment_reference {
            text.push_str(&format!(
                "\n{} {reference}",
                td_string!(locale, invoices.payment_reference)
            ));
        }
    }
    if !seller.terms.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(seller.terms.trim());
    }
    text.trim().to_string()
}

/// The standard e-mail of an issued invoice in the customer's language.
pub async fn email(
    conn: &mut PgConnection,
    invoice: &Invoice,
    language: Language,
    sender: &str,
) -> Result<(String, String), AppError> {
    let locale = to_locale(language);
    let seller = seller(conn).await?;
    let number = invoice.number.clone().unwrap_or_default();
    let subject = format!("{} {number} — {}", title(locale, invoice), seller.name);
    let greeting = match &invoice.contact {
        Some(contact) => format!("{} {},", td_string!(locale, quotes.mail_dear), contact.name),
        None => format!("{},", td_string!(locale, quotes.mail_hello)),
    };
    let body = match invoice.kind {
        InvoiceKind::Invoice => td_string!(locale, invoices.mail_body),
        InvoiceKind::CreditNote => td_string!(locale, invoices.mail_body_credit),
    }
    .replace("{number}", &number)
    .replace("{total}", &invoice.total.format(language))
    .replace("{due}", &format_date_long(language, invoice.due_date))
    .replace(
        "{reference}",
        invoice.payment_reference.as_deref().unwrap_or(&number),
    );
    let text = format!(
        "{greeting}\n\n{body}\n\n{}\n{sender}\n{}",
        td_string!(locale, quotes.mail_regards),
        seller.name
    );
    Ok((subject, text))
}

/// `GET /files/invoices/{id}`: the PDF stored when the invoice was issued; a draft is
/// rendered as it stands.
pub async fn download(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(id): Path<Uuid>,
) -> Response {
    let Some(user) = user else {
        return AppError::Unauthorized.into_response();
    };
    let made = async {
        if !crate::domain::policy::role_allows(
            user.role,
            crate::domain::policy::CompanyOp::InvoicesView,
        ) {
            return Err(AppError::Forbidden);
        }
        let mut conn = state.pool.acquire().await?;
        let invoice = super::db::get(&mut conn, &user, id).await?;
        let key = sqlx::query_scalar!("SELECT document_key FROM invoices WHERE id = $1", id)
            .fetch_one(&mut *conn)
            .await?;
        let bytes = match key {
            Some(key) => {
                drop(conn);
                let path = object_store::path::Path::from(key.as_str());
                let stored = state.files.get(&path).await.map_err(|error| {
                    tracing::error!(%error, "an issued invoice's PDF is missing");
                    AppError::Internal
                })?;
                stored
                    .bytes()
                    .await
                    .map_err(|_| AppError::Internal)?
                    .to_vec()
            }
            None => pdf(&mut conn, &invoice, user.language).await?,
        };
        Ok::<_, AppError>((invoice.file_name(), bytes))
    }
    .await;
    match made {
        Ok((name, bytes)) => FileResponse::inline(&name, "application/pdf", bytes).into_response(),
        Err(error) => error.into_response(),
    }
}
