//! Server functions of quotes. Sales people, managers and admins create, edit, send and
//! confirm quotes; employees read them (`domain::opportunity::crm_rights`). Each write is one
//! transaction under the quote's row lock.

use super::{CustomerChoice, Quote, QuoteCard, QuoteColumn, QuoteSave};
use crate::codec::JsonAnswer;
use crate::domain::quote_state::QuoteAction;
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{cards, db, document},
    crate::auth::CurrentUser,
    crate::domain::email::MailDraft,
    crate::domain::opportunity::crm_rights,
    crate::domain::policy::CompanyOp,
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
fn require_view(user: &CurrentUser) -> Result<(), AppError> {
    if crm_rights(user.role).view {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A new draft quote (from a deal, or standalone) with the customer the dialog chose.
#[server(endpoint = "quotes/create", input = leptos::server_fn::codec::Json, output = JsonAnswer)]
pub async fn create_quote(
    opportunity: Option<Uuid>,
    customer: CustomerChoice,
) -> Result<Uuid, AppError> {
    crate::api::write(async |user, tx| db::create(tx, &user, opportunity, &customer).await).await
}

#[server(endpoint = "quotes/get", output = JsonAnswer)]
pub async fn get_quote(id: Uuid) -> Result<Quote, AppError> {
    crate::api::read(async |user, conn| {
        require_view(&user)?;
        db::get(conn, id, &user).await
    })
    .await
}

/// Saves the quote form; returns the quote as stored (amounts computed by the server).
#[server(endpoint = "quotes/save", input = leptos::server_fn::codec::Json, output = JsonAnswer)]
pub async fn save_quote(quote: QuoteSave) -> Result<Quote, AppError> {
    crate::api::write(async |user, tx| {
        db::save(tx, &user, &quote).await?;
        db::get(tx, quote.id, &user).await
    })
    .await
}

/// Back to draft, or cancel.
#[server(endpoint = "quotes/act", output = JsonAnswer)]
pub async fn act_on_quote(id: Uuid, version: i32, action: QuoteAction) -> Result<Quote, AppError> {
    crate::api::write(async |user, tx| {
        db::act(tx, &user, id, version, action).await?;
        db::get(tx, id, &user).await
    })
    .await
}

/// Confirms the quote into a sales order and returns the project it created. Repeating the
/// call (double click, second tab, retried request) returns the same project.
#[server(endpoint = "quotes/confirm", output = JsonAnswer)]
pub async fn confirm_quote(id: Uuid) -> Result<Uuid, AppError> {
    crate::api::write(async |user, tx| {
        let confirmed = super::confirm::confirm(tx, &user, id).await?;
        Ok(confirmed.project)
    })
    .await
}

/// The standard e-mail of a quote, for the send dialog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailDraft {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment: String,
}

#[server(endpoint = "quotes/email", output = JsonAnswer)]
pub async fn quote_email(id: Uuid) -> Result<EmailDraft, AppError> {
    crate::api::read(async |user, conn| {
        require_view(&user)?;
        let quote = db::get(conn, id, &user).await?;
        let (subject, body) =
            document::email(conn, &quote, user.language, &document::signature(&user)).await?;
        Ok(EmailDraft {
            to: quote.recipient.clone(),
            subject,
            body,
            attachment: document::file_name(&quote),
        })
    })
    .await
}

/// Sends the quote by e-mail with its PDF: the message goes into the outbox in the same
/// transaction that marks the quote sent; the PDF is stored first and removed again if the
/// transaction fails.
#[server(endpoint = "quotes/send", output = JsonAnswer)]
pub async fn send_quote(
    id: Uuid,
    version: i32,
    to: String,
    subject: String,
    body: String,
) -> Result<Quote, AppError> {
    crate::api::signed_in_as(CompanyOp::CrmEdit, async |user| {
        let mail = MailDraft::parse(&to, &subject, &body)?;
        let state = app_state()?;
        let mut tx = crate::state::begin(&state.pool).await?;
        // Sending states the version it read and holds the quote until it is marked
        // sent: a double submit waits, then finds a newer version (409), and the
        // customer gets one e-mail.
        db::lock_version(&mut tx, id, version).await?;
        let quote = db::get(&mut tx, id, &user).await?;
        let pdf = document::pdf(&mut tx, &quote, user.language).await?;
        let key = format!("outbox/{}.pdf", Uuid::now_v7());
        let path = object_store::path::Path::from(key.as_str());
        state.files.put(&path, pdf.into()).await.map_err(|error| {
            tracing::error!(%error, "quote PDF not stored");
            AppError::Internal
        })?;
        let sent = async {
            crate::outbox::db::enqueue(
                &mut tx,
                &crate::outbox::db::NewMessage {
                    to: mail.to.as_str(),
                    subject: &mail.subject,
                    body: &mail.body,
                    reply_to: Some(&user.email),
                    attachment: Some((&key, &document::file_name(&quote), "application/pdf")),
                    quote: Some(id),
                    invoice: None,
                    by: user.id,
                },
            )
            .await?;
            db::mark_sent(&mut tx, &user, id, mail.to.as_str()).await?;
            let quote = db::get(&mut tx, id, &user).await?;
            tx.commit().await?;
            Ok::<_, AppError>(quote)
        }
        .await;
        if sent.is_err() {
            let _ = state.files.delete(&path).await;
        }
        sent
    })
    .await
}

/// "My quotes" as a kanban by status.
#[server(endpoint = "quotes/kanban", output = JsonAnswer)]
pub async fn quote_kanban(
    #[server(default)] mine: bool,
    #[server(default)] search: String,
) -> Result<Vec<QuoteColumn>, AppError> {
    crate::api::read(async |user, conn| {
        require_view(&user)?;
        cards::kanban(conn, &user, mine, &search).await
    })
    .await
}

/// Quotes dated in `[from, to)`, for the calendar.
#[server(endpoint = "quotes/between", output = JsonAnswer)]
pub async fn quotes_between(
    from: NaiveDate,
    to: NaiveDate,
    #[server(default)] mine: bool,
) -> Result<Vec<QuoteCard>, AppError> {
    crate::api::read(async |user, conn| {
        require_view(&user)?;
        cards::between(conn, &user, from, to, mine).await
    })
    .await
}

/// The quotes and sales orders of a contact, or of a deal.
#[server(endpoint = "quotes/of", output = JsonAnswer)]
pub async fn quotes_of(
    #[server(default)] contact: Option<Uuid>,
    #[server(default)] opportunity: Option<Uuid>,
) -> Result<Vec<QuoteCard>, AppError> {
    crate::api::read(async |user, conn| {
        if !crm_rights(user.role).view {
            return Ok(Vec::new());
        }
        match (contact, opportunity) {
            (Some(contact), _) => cards::of_contact(conn, contact, user.today()).await,
            (None, Some(deal)) => cards::of_opportunity(conn, deal, user.today()).await,
            (None, None) => Ok(Vec::new()),
        }
    })
    .await
}
