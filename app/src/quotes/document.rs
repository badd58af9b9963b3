//! The quote as a document: the PDF's content in the reader's language (company header,
//! customer address, lines, totals per tax rate, validity, terms), the standard e-mail that
//! sends it, and `GET /files/quotes/{id}` to download it.

use super::pdf::{render, DocumentLine, QuoteDocument};
use super::Quote;
use crate::auth::session::Authenticated;
use crate::auth::CurrentUser;
use crate::domain::opportunity::crm_rights;
use crate::domain::quote::{lines_totals, parse_line, LineKind};
use crate::domain::quote_state::QuoteState;
use crate::domain::{Language, Money};
use crate::error::AppError;
use crate::i18n::{td_string, Locale};
use crate::locale::{format_date_long, format_decimal, format_percent, to_locale};
use crate::shared::http::FileResponse;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Extension;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The seller as printed on quotes and named in e-mails.
pub struct Company {
    pub name: String,
    pub address: String,
    pub vat: String,
    pub email: String,
    pub terms: String,
}

pub async fn company(conn: &mut PgConnection) -> Result<Company, AppError> {
    let row = sqlx::query!(
        "SELECT company_name, company_address, company_vat, company_email, quote_terms
         FROM company_settings"
    )
    .fetch_one(conn)
    .await?;
    Ok(Company {
        name: if row.company_name.trim().is_empty() {
            "Atrium".into()
        } else {
            row.company_name
        },
        address: row.company_address,
        vat: row.company_vat,
        email: row.company_email,
        terms: row.quote_terms,
    })
}

/// "Quote" or "Sales order".
pub fn document_title(locale: Locale, state: QuoteState) -> &'static str {
    if state == QuoteState::Sale {
        td_string!(locale, quotes.sales_order)
    } else {
        td_string!(locale, quotes.quote)
    }
}

/// The PDF's file name: "Q-2026-0001.pdf".
pub fn file_name(quote: &Quote) -> String {
    format!("{}.pdf", quote.number)
}

/// The quote's PDF in `language`.
pub async fn pdf(
    conn: &mut PgConnection,
    quote: &Quote,
    language: Language,
) -> Result<Vec<u8>, AppError> {
    let locale = to_locale(language);
    let company = company(conn).await?;
    let customer = match quote.customer.as_ref().map(|c| c.id) {
        Some(id) => {
            let row = sqlx::query!(
                "SELECT name, street, postcode, city, country, vat FROM contacts WHERE id = $1",
                id
            )
            .fetch_one(&mut *conn)
            .await?;
            let mut lines = vec![row.name];
            if let Some(contact) = &quote.contact {
                lines.push(contact.name.clone());
            }
            lines.extend([
                row.street,
                format!("{} {}", row.postcode, row.city).trim().to_string(),
            ]);
            lines.extend(row.country);
            lines.extend(
                row.vat
                    .map(|v| format!("{} {v}", td_string!(locale, quotes.vat_number))),
            );
            lines.retain(|l| !l.trim().is_empty());
            lines
        }
        None => Vec::new(),
    };
    let money = |amount: Decimal| Money::new(amount, quote.currency).format(language);
    let mut parsed = Vec::new();
    let lines = quote
        .lines
        .iter()
        .map(|line| {
            let input = &line.input;
            match input.kind {
                LineKind::Section => DocumentLine::Section(input.description.clone()),
                LineKind::Note => DocumentLine::Note(input.description.clone()),
                LineKind::Item => {
                    if let Ok(p) = parse_line(input, |_| line.tax) {
                        parsed.push(p);
                    }
                    let discount = crate::domain::quote::parse_number(&input.discount)
                        .ok()
                        .flatten()
                        .filter(|d| !d.is_zero());
                    DocumentLine::Item {
                        description: input.description.clone(),
                        quantity: format!(
                            "{} {}",
                            crate::domain::quote::parse_number(&input.quantity)
                                .ok()
                                .flatten()
                                .map(|q| format_decimal(language, q, q.normalize().scale()))
                                .unwrap_or_default(),
                            input.unit
                        )
                        .trim()
                        .to_string(),
                        unit_price: crate::domain::quote::parse_number(&input.unit_price)
                            .ok()
                            .flatten()
                            .map(money)
                            .unwrap_or_default(),
                        discount: discount
                            .map(|d| format_percent(language, d))
                            .unwrap_or_default(),
                        tax: line
                            .tax
                            .map(|t| format_percent(language, t.rate))
                            .unwrap_or_default(),
                        amount: line.subtotal.map(money).unwrap_or_default(),
                    }
                }
            }
        })
        .collect();
    let totals = lines_totals(&parsed);
    let mut total_rows = vec![(
        td_string!(locale, quotes.untaxed).to_string(),
        money(quote.untaxed),
        false,
    )];
    for tax in &totals.taxes {
        total_rows.push((
            format!(
                "{} {} {} {}",
                td_string!(locale, quotes.tax),
                format_percent(language, tax.tax.rate),
                td_string!(locale, quotes.on_amount),
                money(tax.base)
            ),
            money(tax.amount),
            false,
        ));
    }
    total_rows.push((
        td_string!(locale, quotes.total).to_string(),
        money(quote.total),
        true,
    ));
    let mut facts = vec![(
        td_string!(locale, quotes.quote_date).to_string(),
        format_date_long(language, quote.quote_date),
    )];
    if let Some(until) = quote.valid_until {
        facts.push((
            td_string!(locale, quotes.valid_until).to_string(),
            format_date_long(language, until),
        ));
    }
    if let Some(salesperson) = &quote.salesperson {
        facts.push((
            td_string!(locale, quotes.salesperson).to_string(),
            salesperson.name.clone(),
        ));
    }
    facts.push((
        td_string!(locale, quotes.reference).to_string(),
        quote.title.clone(),
    ));
    let mut header = vec![company.name.clone()];
    header.extend(company.address.lines().map(str::to_string));
    if !company.vat.is_empty() {
        header.push(format!(
            "{} {}",
            td_string!(locale, quotes.vat_number),
            company.vat
        ));
    }
    if !company.email.is_empty() {
        header.push(company.email.clone());
    }
    let terms = if company.terms.trim().is_empty() {
        td_string!(locale, quotes.terms_default).to_string()
    } else {
        company.terms
    };
    let document = QuoteDocument {
        title: document_title(locale, quote.state).to_string(),
        number: quote.number.clone(),
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
        totals: total_rows,
        notes: quote.notes.clone(),
        terms,
        footer: format!("{} · {}", quote.number, td_string!(locale, quotes.page_of)),
    };
    render(&document).map_err(|error| {
        tracing::error!(%error, "the quote's PDF could not be written");
        AppError::Internal
    })
}

/// The standard e-mail of a quote: subject and text in `language`, editable before sending.
pub async fn email(
    conn: &mut PgConnection,
    quote: &Quote,
    language: Language,
    sender: &str,
) -> Result<(String, String), AppError> {
    let locale = to_locale(language);
    let company = company(conn).await?;
    let title = document_title(locale, quote.state);
    let subject = format!("{title} {} — {}", quote.number, company.name);
    let greeting = match &quote.contact {
        Some(contact) => format!("{} {},", td_string!(locale, quotes.mail_dear), contact.name),
        None => format!("{},", td_string!(locale, quotes.mail_hello)),
    };
    let body_key = if quote.state == QuoteState::Sale {
        td_string!(locale, quotes.mail_body_order)
    } else {
        td_string!(locale, quotes.mail_body_quote)
    };
    let body = body_key
        .replace("{number}", &quote.number)
        .replace(
            "{total}",
            &Money::new(quote.total, quote.currency).format(language),
        )
        .replace(
            "{valid_until}",
            &quote
                .valid_until
                .map(|d| format_date_long(language, d))
                .unwrap_or_default(),
        );
    let text = format!(
        "{greeting}\n\n{body}\n\n{}\n{sender}\n{}",
        td_string!(locale, quotes.mail_regards),
        company.name
    );
    Ok((subject, text))
}

/// `GET /files/quotes/{id}`: the quote's PDF, shown in the browser.
pub async fn download(
    State(state): State<AppState>,
    Extension(Authenticated(user)): Extension<Authenticated>,
    Path(id): Path<Uuid>,
) -> Response {
    let Some(user) = user else {
        return AppError::Unauthorized.into_response();
    };
    let made = async {
        if !crm_rights(user.role).view {
            return Err(AppError::Forbidden);
        }
        let mut conn = state.pool.acquire().await?;
        let quote = super::db::get(&mut conn, id, &user).await?;
        let bytes = pdf(&mut conn, &quote, user.language).await?;
        Ok::<_, AppError>((file_name(&quote), bytes))
    }
    .await;
    match made {
        Ok((name, bytes)) => FileResponse::inline(&name, "application/pdf", bytes).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Who the quote's e-mail is from, as its signature says.
pub fn signature(user: &CurrentUser) -> String {
    user.display_name.clone()
}
