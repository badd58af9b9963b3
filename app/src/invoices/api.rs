//! Server functions of invoices. Admins and managers invoice (`CompanyOp::Invoice`); sales
//! people also read invoices (`CompanyOp::InvoicesView`); unlocking a project is for admins
//! and managers. Each write is one transaction under the invoice's or project's row lock.

use super::{
    CompanySettings, ContactBilling, CustomerMoney, DraftSave, Invoice, InvoiceEmail, MergePreview,
    PaymentForm, ProjectBilling,
};
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{customer, db, document, draft, issue, lifecycle, merge, order, settings},
    crate::domain::email::MailDraft,
    crate::domain::policy::CompanyOp,
    crate::state::app_state,
};

#[server(endpoint = "invoices/get", output = JsonAnswer)]
pub async fn get_invoice(id: Uuid) -> Result<Invoice, AppError> {
    crate::api::read_as(CompanyOp::InvoicesView, async |user, conn| {
        db::get(conn, &user, id).await
    })
    .await
}

/// What a project's page shows of invoicing: each task's ledger and the invoice history.
#[server(endpoint = "invoices/of_project", output = JsonAnswer)]
pub async fn load_project_billing(project: Uuid) -> Result<ProjectBilling, AppError> {
    crate::api::read(async |user, conn| db::billing(conn, &user, project).await).await
}

/// "Partial invoice": a draft invoice of the ticked tasks; returns it.
#[server(endpoint = "invoices/invoice_tasks", input = leptos::server_fn::codec::Json, output = JsonAnswer)]
pub async fn invoice_tasks(project: Uuid, tasks: Vec<Uuid>) -> Result<Uuid, AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |user, tx| {
        draft::invoice_tasks(tx, &user, project, &tasks).await
    })
    .await
}

/// A draft down payment on the project's sales order: `value` is a percentage of the order
/// without tax, or an amount without tax, as typed.
#[server(endpoint = "invoices/down_payment", output = JsonAnswer)]
pub async fn invoice_down_payment(
    project: Uuid,
    by_percent: bool,
    value: String,
) -> Result<Uuid, AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |user, tx| {
        let down = super::parse_down_payment(by_percent, &value)?;
        order::down_payment(tx, &user, project, down).await
    })
    .await
}

/// A draft final invoice of the project: what remains, less the order's down payments.
#[server(endpoint = "invoices/final_invoice", output = JsonAnswer)]
pub async fn invoice_rest(project: Uuid) -> Result<Uuid, AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |user, tx| {
        order::final_invoice(tx, &user, project).await
    })
    .await
}

#[server(endpoint = "invoices/save_draft", output = JsonAnswer)]
pub async fn save_draft(draft: DraftSave) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |_user, tx| {
        db::save_draft(tx, &draft).await
    })
    .await
}

#[server(endpoint = "invoices/remove_line", output = JsonAnswer)]
pub async fn remove_line(id: Uuid, version: i32, line: Uuid) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |_user, tx| {
        db::remove_line(tx, id, version, line).await
    })
    .await
}

#[server(endpoint = "invoices/delete", output = JsonAnswer)]
pub async fn delete_draft(id: Uuid, version: i32) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |_user, tx| {
        db::delete_draft(tx, id, version).await
    })
    .await
}

/// Issues the draft: number, payment reference and the stored PDF, in one transaction.
#[server(endpoint = "invoices/issue", output = JsonAnswer)]
pub async fn issue_invoice(id: Uuid, version: i32) -> Result<Invoice, AppError> {
    crate::api::signed_in_as(CompanyOp::Invoice, async |user| {
        issue::issue(&app_state()?, &user, id, version).await
    })
    .await
}

/// A draft credit note of the issued invoice, with its lines; returns it.
#[server(endpoint = "invoices/credit", output = JsonAnswer)]
pub async fn credit_invoice(id: Uuid, version: i32) -> Result<Uuid, AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |user, tx| {
        db::credit(tx, &user, id, version).await
    })
    .await
}

#[server(endpoint = "invoices/pay", output = JsonAnswer)]
pub async fn register_payment(payment: PaymentForm) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |user, tx| {
        db::register_payment(tx, &user, &payment).await
    })
    .await
}

/// The standard e-mail of the invoice in the customer's language, for the send dialog.
#[server(endpoint = "invoices/email", output = JsonAnswer)]
pub async fn load_invoice_email(id: Uuid) -> Result<InvoiceEmail, AppError> {
    crate::api::read_as(CompanyOp::Invoice, async |user, conn| {
        let invoice = db::get(conn, &user, id).await?;
        let language = document::customer_language(conn, &invoice, user.language).await?;
        let (subject, body) = document::email(conn, &invoice, language, &user.display_name).await?;
        Ok(InvoiceEmail {
            to: invoice.email.clone().unwrap_or_default(),
            subject,
            body,
        })
    })
    .await
}

/// Sends the issued invoice with its stored PDF through the outbox, and logs it.
#[server(endpoint = "invoices/send", output = JsonAnswer)]
pub async fn send_invoice(id: Uuid, version: i32, email: InvoiceEmail) -> Result<(), AppError> {
    crate::api::signed_in_as(CompanyOp::Invoice, async |user| {
        let mail = MailDraft::parse(&email.to, &email.subject, &email.body)?;
        let state = app_state()?;
        let mut tx = crate::state::begin(&state.pool).await?;
        let stored = issue::store_document(&state, &mut tx, &user, id).await?;
        let sent = async {
            db::send(&mut tx, &user, id, version, &mail).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let (Err(_), Some(path)) = (&sent, stored) {
            let _ = state.files.delete(&path).await;
        }
        sent
    })
    .await
}

/// Completes the project (which locks it) and, when asked, makes the final draft invoice of
/// what remains; returns that invoice.
#[server(endpoint = "invoices/complete_project", output = JsonAnswer)]
pub async fn complete_project(
    project: Uuid,
    version: i32,
    invoice_rest: bool,
) -> Result<Option<Uuid>, AppError> {
    crate::api::write(async |user, tx| {
        lifecycle::complete(tx, &user, project, version, invoice_rest).await
    })
    .await
}

/// Unlocks a completed project, with a reason; the draft made at completion is deleted.
#[server(endpoint = "invoices/unlock_project", output = JsonAnswer)]
pub async fn unlock_project(project: Uuid, reason: String) -> Result<u64, AppError> {
    crate::api::write_as(CompanyOp::UnlockProjects, async |user, tx| {
        lifecycle::unlock(tx, &user, project, &reason).await
    })
    .await
}

/// The customer's money on a contact's page: per currency, then per project. Empty for
/// those who do not read invoices.
#[server(endpoint = "invoices/of_customer", output = JsonAnswer)]
pub async fn load_customer_money(customer: Uuid) -> Result<CustomerMoney, AppError> {
    crate::api::read(async |user, conn| {
        if !crate::domain::policy::role_allows(user.role, CompanyOp::InvoicesView) {
            return Ok(CustomerMoney::default());
        }
        customer::of_customer(conn, &user, customer).await
    })
    .await
}

/// The seller's details and the invoicing defaults, for the settings page.
#[server(endpoint = "invoices/settings", output = JsonAnswer)]
pub async fn invoicing_settings() -> Result<CompanySettings, AppError> {
    crate::api::read_as(CompanyOp::Invoice, async |_user, conn| {
        settings::get(conn).await
    })
    .await
}

#[server(endpoint = "invoices/settings/save", output = JsonAnswer)]
pub async fn save_invoicing_settings(settings: CompanySettings) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |_user, tx| {
        settings::save(tx, &settings).await
    })
    .await
}

/// How a customer is invoiced (language, payment terms), on its contact page.
#[server(endpoint = "invoices/contact_billing", output = JsonAnswer)]
pub async fn load_contact_billing(contact: Uuid) -> Result<ContactBilling, AppError> {
    crate::api::read_as(CompanyOp::InvoicesView, async |_user, conn| {
        customer::billing(conn, contact).await
    })
    .await
}

#[server(endpoint = "invoices/contact_billing/save", output = JsonAnswer)]
pub async fn save_contact_billing(billing: ContactBilling) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::Invoice, async |_user, tx| {
        customer::save_billing(tx, &billing).await
    })
    .await
}

/// The projects this one may be merged into (open, unlocked, same currency, Admin on them).
#[server(endpoint = "invoices/merge_targets", output = JsonAnswer)]
pub async fn merge_targets(project: Uuid) -> Result<Vec<(Uuid, String)>, AppError> {
    crate::api::read(async |user, conn| merge::targets(conn, &user, project).await).await
}

/// What merging `source` into `target` would move, or why it is refused.
#[server(endpoint = "invoices/merge_preview", output = JsonAnswer)]
pub async fn preview_merge(source: Uuid, target: Uuid) -> Result<MergePreview, AppError> {
    crate::api::read(async |user, conn| merge::preview(conn, &user, source, target).await).await
}

/// Merges `source` into `target` in one transaction; `source` is closed with a link.
#[server(endpoint = "invoices/merge", output = JsonAnswer)]
pub async fn merge_projects(source: Uuid, target: Uuid) -> Result<MergePreview, AppError> {
    crate::api::write(async |user, tx| merge::merge(tx, &user, source, target).await).await
}
