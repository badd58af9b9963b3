//! Quotes in the database. Every write runs in the caller's transaction under the quote's row
//! lock; the amounts stored are those `domain::quote` computes. Confirming is in
//! `confirm.rs`.

use super::{CustomerChoice, LinkedRecord, Quote, QuoteLine, QuoteSave};
use crate::activities::{db::log, TimelineEvent};
use crate::auth::CurrentUser;
use crate::contacts::ContactRef;
use crate::domain::opportunity::crm_rights;
use crate::domain::project::{parse_date, parse_text, parse_title};
use crate::domain::quote::{lines_totals, parse_line, LineInput, LineKind, ParsedLine, Tax};
use crate::domain::quote_state::{self, QuoteAction, QuoteState};
use crate::domain::{ContactDraft, ContactInput, ContactKind, Currency};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::stored_currency;
use crate::shared::RecordKind;
use crate::shared::UserRef;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Q-2026-0001: gapless per year, taken in the creating transaction.
pub async fn next_number(conn: &mut PgConnection, year: i32) -> Result<String, AppError> {
    let sequence = sqlx::query_scalar!(
        "INSERT INTO number_counters (series, year, last) VALUES ('Q', $1, 1)
         ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + 1
         RETURNING last",
        year
    )
    .fetch_one(conn)
    .await?;
    Ok(format!("Q-{year}-{sequence:04}"))
}

pub(super) fn may_edit(user: &CurrentUser) -> Result<(), AppError> {
    if crm_rights(user.role).edit {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A new draft quote, from a deal or standalone, with the customer the dialog chose.
/// Title, contact person, salesperson and currency come from the deal when there is one.
pub async fn create(
    conn: &mut PgConnection,
    user: &CurrentUser,
    opportunity: Option<Uuid>,
    choice: &CustomerChoice,
) -> Result<Uuid, AppError> {
    may_edit(user)?;
    let deal = match opportunity {
        Some(id) => Some(
            sqlx::query!(
                "SELECT title, customer_id, contact_id, salesperson_id, currency
                 FROM opportunities WHERE id = $1",
                id
            )
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let customer = match choice {
        CustomerChoice::None => None,
        CustomerChoice::Existing { id } => Some(
            sqlx::query_scalar!("SELECT id FROM contacts WHERE id = $1", id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| AppError::invalid("customer", FieldProblem::ContactUnknown))?,
        ),
        CustomerChoice::Create { name, email } => {
            let input = ContactInput {
                name: name.clone(),
                emails: email.clone(),
                ..ContactInput::default()
            };
            let draft = ContactDraft::parse(&input)
                .map_err(|(error, field)| AppError::invalid(field, error.into()))?;
            let id = crate::contacts::db::insert(
                conn,
                ContactKind::Company,
                &draft,
                None,
                Some(user.id),
            )
            .await?;
            Some(id)
        }
    };
    // A deal without a customer takes the one its quote was made for.
    if let (Some(deal), Some(customer)) = (opportunity, customer) {
        sqlx::query!(
            "UPDATE opportunities SET customer_id = $2, version = version + 1, updated_at = now()
             WHERE id = $1 AND customer_id IS NULL",
            deal,
            customer
        )
        .execute(&mut *conn)
        .await?;
    }
    // A deal's contact person belongs on its quote when the customer is the deal's.
    let contact = deal
        .as_ref()
        .filter(|d| d.customer_id.is_some() && d.customer_id == customer)
        .and_then(|d| d.contact_id);
    let today = user.today();
    let validity = sqlx::query_scalar!("SELECT quote_validity_days FROM company_settings")
        .fetch_one(&mut *conn)
        .await?;
    let number = next_number(conn, today.year()).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO quotes (id, number, title, customer_id, contact_id, salesperson_id,
                             opportunity_id, quote_date, valid_until, currency, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        id,
        number,
        deal.as_ref()
            .map(|d| d.title.clone())
            .unwrap_or_else(|| number.clone()),
        customer,
        contact,
        deal.as_ref()
            .and_then(|d| d.salesperson_id)
            .or(Some(user.id)),
        opportunity,
        today,
        today + chrono::Days::new(validity as u64),
        deal.as_ref()
            .map(|d| d.currency.clone())
            .unwrap_or_else(|| "EUR".into()),
        user.id
    )
    .execute(&mut *conn)
    .await?;
    let event = TimelineEvent::QuoteCreated {
        quote_id: id,
        number,
    };
    log(conn, RecordKind::Quote, id, Some(user.id), &event).await?;
    if let Some(deal) = opportunity {
        log(conn, RecordKind::Opportunity, deal, Some(user.id), &event).await?;
    }
    Ok(id)
}

pub async fn get(conn: &mut PgConnection, id: Uuid, user: &CurrentUser) -> Result<Quote, AppError> {
    let row = sqlx::query!(
        r#"SELECT q.id, q.number, q.title, q.customer_id, cu.name AS "customer_name?",
                  q.contact_id, co.name AS "contact_name?",
                  q.salesperson_id, sp.display_name AS "salesperson_name?",
                  q.opportunity_id, o.title AS "opportunity_title?",
                  q.project_id, p.number AS "project_number?", p.title AS "project_title?",
                  q.quote_date, q.valid_until, q.currency, q.notes, q.state, q.untaxed, q.tax,
                  q.total, q.sent_at, q.confirmed_at, q.version,
                  coalesce(co.emails[1], cu.emails[1], '') AS "recipient!",
                  (SELECT m.last_error FROM outbox_messages m
                    WHERE m.quote_id = q.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
                    AS "last_error?"
           FROM quotes q
           LEFT JOIN contacts cu ON cu.id = q.customer_id
           LEFT JOIN contacts co ON co.id = q.contact_id
           LEFT JOIN users sp ON sp.id = q.salesperson_id
           LEFT JOIN opportunities o ON o.id = q.opportunity_id
           LEFT JOIN projects p ON p.id = q.project_id
           WHERE q.id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let lines = sqlx::query!(
        "SELECT kind, product_id, description, quantity, unit, unit_price, discount, tax_id,
                tax_rate, tax_included, subtotal, options
         FROM quote_lines WHERE quote_id = $1 ORDER BY position",
        id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|l| QuoteLine {
        input: LineInput {
            kind: LineKind::parse(&l.kind).unwrap_or_default(),
            product_id: l.product_id,
            description: l.description,
            quantity: l
                .quantity
                .map(|q| q.normalize().to_string())
                .unwrap_or_default(),
            unit: l.unit,
            unit_price: l.unit_price.map(|p| p.to_string()).unwrap_or_default(),
            discount: if l.discount.is_zero() {
                String::new()
            } else {
                l.discount.normalize().to_string()
            },
            tax_id: l.tax_id,
            options: l.options,
        },
        tax: l.tax_rate.map(|rate| Tax {
            rate,
            included: l.tax_included,
        }),
        subtotal: l.subtotal,
    })
    .collect();
    let state = QuoteState::parse(&row.state).unwrap_or(QuoteState::Draft);
    let today = user.today();
    let editor = crm_rights(user.role).edit;
    Ok(Quote {
        id: row.id,
        number: row.number,
        title: row.title,
        customer: row
            .customer_id
            .zip(row.customer_name)
            .map(|(id, name)| ContactRef { id, name }),
        contact: row
            .contact_id
            .zip(row.contact_name)
            .map(|(id, name)| ContactRef { id, name }),
        salesperson: row
            .salesperson_id
            .zip(row.salesperson_name)
            .map(|(id, name)| UserRef { id, name }),
        opportunity: row
            .opportunity_id
            .zip(row.opportunity_title)
            .map(|(id, label)| LinkedRecord { id, label }),
        project: row
            .project_id
            .zip(row.project_number.zip(row.project_title))
            .map(|(id, (number, title))| LinkedRecord {
                id,
                label: format!("{number} {title}"),
            }),
        quote_date: row.quote_date,
        valid_until: row.valid_until,
        currency: stored_currency(&row.currency)?,
        notes: row.notes,
        state,
        status: quote_state::status(state, row.valid_until, today),
        untaxed: row.untaxed,
        tax: row.tax,
        total: row.total,
        lines,
        sent_at: row.sent_at,
        confirmed_at: row.confirmed_at,
        send_failure: row.last_error,
        recipient: row.recipient,
        version: row.version,
        may_edit: editor && state.editable(),
        actions: if editor {
            quote_state::available(state).to_vec()
        } else {
            Vec::new()
        },
    })
}

/// What a locked quote's row says of the quote.
pub(super) struct Locked {
    pub(super) state: QuoteState,
    pub(super) valid_until: Option<NaiveDate>,
    pub(super) has_lines: bool,
}

/// Locks the quote's row; with `version`, refuses a stale one.
/// Locks the quote for this transaction when it is still at `version`; `Conflict` when
/// someone changed it since.
pub async fn lock_version(conn: &mut PgConnection, id: Uuid, version: i32) -> Result<(), AppError> {
    lock(conn, id, Some(version)).await.map(|_| ())
}

pub(super) async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
    version: Option<i32>,
) -> Result<Locked, AppError> {
    let row = sqlx::query!(
        r#"SELECT state, valid_until, version,
                  EXISTS (SELECT 1 FROM quote_lines l WHERE l.quote_id = q.id AND l.kind = 'item')
                    AS "has_lines!"
           FROM quotes q WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != row.version) {
        return Err(AppError::Conflict);
    }
    Ok(Locked {
        state: QuoteState::parse(&row.state).unwrap_or(QuoteState::Draft),
        valid_until: row.valid_until,
        has_lines: row.has_lines,
    })
}

/// The taxes a quote's lines may use, by id: the active ones, and a retired one that the
/// quote's stored lines already carry, so an older quote can still be saved.
async fn taxes(conn: &mut PgConnection, quote: Uuid) -> Result<HashMap<Uuid, Tax>, AppError> {
    let used = sqlx::query_scalar!(
        r#"SELECT DISTINCT tax_id AS "id!" FROM quote_lines
           WHERE quote_id = $1 AND tax_id IS NOT NULL"#,
        quote
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(crate::products::db::taxes(conn)
        .await?
        .into_iter()
        .filter(|t| t.active || used.contains(&t.id))
        .map(|t| (t.id, t.tax()))
        .collect())
}

/// Checks every line; the field of an error is `lines.<index>.<field>`.
pub fn parse_lines(
    lines: &[LineInput],
    taxes: &HashMap<Uuid, Tax>,
) -> Result<Vec<ParsedLine>, AppError> {
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            parse_line(line, |id| taxes.get(&id).copied()).map_err(|(error, field)| {
                AppError::invalid(&format!("lines.{i}.{field}"), error.into())
            })
        })
        .collect()
}

/// Saves the form: header and all lines, with the totals computed here.
pub async fn save(
    conn: &mut PgConnection,
    user: &CurrentUser,
    form: &QuoteSave,
) -> Result<(), AppError> {
    may_edit(user)?;
    let locked = lock(conn, form.id, Some(form.version)).await?;
    if !locked.state.editable() {
        return Err(AppError::invalid("state", FieldProblem::SalesOrderReadOnly));
    }
    let title = parse_title(&form.title).map_err(|e| AppError::invalid("title", e.into()))?;
    let quote_date = parse_date(&form.quote_date)
        .map_err(|e| AppError::invalid("quote_date", e.into()))?
        .ok_or_else(|| AppError::invalid("quote_date", FieldProblem::ValueRequired))?;
    let valid_until =
        parse_date(&form.valid_until).map_err(|e| AppError::invalid("valid_until", e.into()))?;
    if valid_until.is_some_and(|until| until < quote_date) {
        return Err(AppError::invalid(
            "valid_until",
            FieldProblem::ValidityBeforeDate,
        ));
    }
    let currency = Currency::parse(&form.currency)
        .map_err(|_| AppError::invalid("currency", FieldProblem::CurrencyUnknown))?;
    let notes =
        parse_text(&form.notes, 10_000).map_err(|e| AppError::invalid("notes", e.into()))?;
    for (id, field) in [(form.customer_id, "customer"), (form.contact_id, "contact")] {
        if let Some(id) = id {
            sqlx::query_scalar!("SELECT id FROM contacts WHERE id = $1", id)
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| AppError::invalid(field, FieldProblem::ContactUnknown))?;
        }
    }
    if let Some(id) = form.salesperson_id {
        crate::shared::db::resolve_user(conn, Some(id), "salesperson").await?;
    }
    let taxes = taxes(conn, form.id).await?;
    let lines = parse_lines(&form.lines, &taxes)?;
    check_products(conn, &form.lines, currency).await?;
    let totals = lines_totals(&lines);
    sqlx::query!(
        "UPDATE quotes SET title = $2, customer_id = $3, contact_id = $4, salesperson_id = $5,
                quote_date = $6, valid_until = $7, currency = $8, notes = $9, untaxed = $10,
                tax = $11, total = $12, version = version + 1, updated_at = now()
         WHERE id = $1",
        form.id,
        title,
        form.customer_id,
        form.contact_id,
        form.salesperson_id,
        quote_date,
        valid_until,
        currency.code(),
        notes,
        totals.untaxed,
        totals.tax,
        totals.total
    )
    .execute(&mut *conn)
    .await?;
    write_lines(conn, form.id, &lines, &taxes).await
}

/// Products must exist, be priced in the quote's currency, and be configured properly.
async fn check_products(
    conn: &mut PgConnection,
    lines: &[LineInput],
    currency: Currency,
) -> Result<(), AppError> {
    let wanted: Vec<Uuid> = lines.iter().filter_map(|l| l.product_id).collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let catalogue = crate::products::db::catalogue(conn).await?;
    let known: Vec<Uuid> =
        sqlx::query_scalar!("SELECT id FROM products WHERE id = ANY($1)", &wanted)
            .fetch_all(&mut *conn)
            .await?;
    for (i, line) in lines.iter().enumerate() {
        let Some(product) = line.product_id else {
            continue;
        };
        if !known.contains(&product) {
            return Err(AppError::invalid(
                &format!("lines.{i}.product"),
                FieldProblem::ProductUnknown,
            ));
        }
        // An inactive product stays valid on lines written before it was retired.
        let Some(item) = catalogue.iter().find(|p| p.id == product) else {
            continue;
        };
        if item.currency != currency {
            return Err(AppError::invalid(
                &format!("lines.{i}.product"),
                FieldProblem::CurrencyMismatch,
            ));
        }
        if item.configurable {
            item.configure(&line.options)
                .map_err(|e| AppError::invalid(&format!("lines.{i}.options"), e.into()))?;
        } else if !line.options.is_empty() {
            return Err(AppError::invalid(
                &format!("lines.{i}.options"),
                FieldProblem::OptionUnknown,
            ));
        }
    }
    Ok(())
}

/// Replaces the quote's lines with one statement.
async fn write_lines(
    conn: &mut PgConnection,
    quote: Uuid,
    lines: &[ParsedLine],
    taxes: &HashMap<Uuid, Tax>,
) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM quote_lines WHERE quote_id = $1", quote)
        .execute(&mut *conn)
        .await?;
    let mut ids = Vec::new();
    let mut kinds = Vec::new();
    let mut products = Vec::new();
    let mut descriptions = Vec::new();
    let mut quantities = Vec::new();
    let mut units = Vec::new();
    let mut prices = Vec::new();
    let mut discounts = Vec::new();
    let mut tax_ids = Vec::new();
    let mut rates = Vec::new();
    let mut included = Vec::new();
    let mut subtotals = Vec::new();
    let mut options = Vec::new();
    for line in lines {
        ids.push(Uuid::now_v7());
        kinds.push(line.kind.as_str().to_string());
        products.push(line.product_id);
        descriptions.push(line.description.clone());
        units.push(line.unit.clone());
        let priced = line.priced.as_ref();
        quantities.push(priced.map(|p| p.quantity));
        prices.push(priced.map(|p| p.unit_price));
        discounts.push(priced.map(|p| p.discount).unwrap_or_default());
        subtotals.push(priced.map(|p| p.subtotal()));
        let tax = line.tax_id.and_then(|id| taxes.get(&id).map(|t| (id, *t)));
        tax_ids.push(tax.map(|(id, _)| id));
        rates.push(tax.map(|(_, t)| t.rate));
        included.push(tax.is_some_and(|(_, t)| t.included));
        // Postgres arrays cannot be ragged: the options travel as a comma-separated text.
        options.push(
            line.options
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    sqlx::query!(
        "INSERT INTO quote_lines (id, quote_id, position, kind, product_id, description, quantity,
                                  unit, unit_price, discount, tax_id, tax_rate, tax_included,
                                  subtotal, options)
         SELECT l.id, $1, l.position::integer, l.kind, l.product_id, l.description, l.quantity,
                l.unit, l.unit_price, l.discount, l.tax_id, l.tax_rate, l.tax_included,
                l.subtotal, coalesce(string_to_array(nullif(l.options, ''), ',')::uuid[], '{}')
         FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::numeric[], $7::text[],
                     $8::numeric[], $9::numeric[], $10::uuid[], $11::numeric[], $12::boolean[],
                     $13::numeric[], $14::text[])
              WITH ORDINALITY AS l(id, kind, product_id, description, quantity, unit, unit_price,
                                   discount, tax_id, tax_rate, tax_included, subtotal, options,
                                   position)",
        quote,
        &ids,
        &kinds,
        &products as &[Option<Uuid>],
        &descriptions,
        &quantities as &[Option<Decimal>],
        &units,
        &prices as &[Option<Decimal>],
        &discounts,
        &tax_ids as &[Option<Uuid>],
        &rates as &[Option<Decimal>],
        &included,
        &subtotals as &[Option<Decimal>],
        &options
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Back to draft, or cancel; logged on the timeline.
pub async fn act(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    version: i32,
    action: QuoteAction,
) -> Result<(), AppError> {
    may_edit(user)?;
    if matches!(action, QuoteAction::Confirm | QuoteAction::Send) {
        return Err(AppError::invalid("state", FieldProblem::ActionNotAllowed));
    }
    let locked = lock(conn, id, Some(version)).await?;
    let expired = quote_state::is_expired(locked.state, locked.valid_until, user.today());
    let next = quote_state::apply(locked.state, action, expired, locked.has_lines)
        .map_err(|e| AppError::invalid("state", e.into()))?;
    set_state(conn, id, next).await?;
    log(
        conn,
        RecordKind::Quote,
        id,
        Some(user.id),
        &TimelineEvent::QuoteState { state: next },
    )
    .await
}

async fn set_state(conn: &mut PgConnection, id: Uuid, state: QuoteState) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE quotes SET state = $2, version = version + 1, updated_at = now(),
                sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
         WHERE id = $1",
        id,
        state.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the sending (the message is already in the outbox): a draft becomes sent.
pub async fn mark_sent(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    to: &str,
) -> Result<(), AppError> {
    let locked = lock(conn, id, None).await?;
    let next = quote_state::apply(locked.state, QuoteAction::Send, false, locked.has_lines)
        .map_err(|e| AppError::invalid("state", e.into()))?;
    set_state(conn, id, next).await?;
    let event = TimelineEvent::QuoteSent { to: to.to_string() };
    log(conn, RecordKind::Quote, id, Some(user.id), &event).await
}
