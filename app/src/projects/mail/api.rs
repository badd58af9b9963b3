//! Server functions of the project e-mails. Preparing and sending need the right to manage the
//! project's client contacts, so a closed or locked project refuses them like any change; the
//! texts are the company admins' to edit.

use super::{MailForm, MailRequest, PreparedMail, TemplateLine};
use crate::codec::JsonAnswer;
use crate::domain::project_mail::MailKind;
use crate::domain::Language;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use {
    super::{compose, db},
    crate::domain::policy::CompanyOp,
    crate::domain::project_mail::Template,
    crate::domain::ProjectOp,
    crate::state::app_state,
};

/// The e-mail of `request` with its placeholders filled, in its recipient's language, for
/// the send dialog to show and the user to edit.
#[server(endpoint = "projects/mail/prepare", input = Json, output = JsonAnswer)]
pub async fn prepare_project_mail(request: MailRequest) -> Result<PreparedMail, AppError> {
    crate::api::read(async |user, conn| {
        crate::projects::db::require(conn, &user, request.project, ProjectOp::ManageContacts)
            .await?;
        compose::prepare(conn, &user, &request).await
    })
    .await
}

/// Sends the e-mail as edited through the outbox (an appointment with its calendar
/// invitation) and logs it on the project's timeline.
#[server(endpoint = "projects/mail/send", input = Json, output = JsonAnswer)]
pub async fn send_project_mail(mail: MailForm) -> Result<(), AppError> {
    crate::api::signed_in(async |user| compose::send(&app_state()?, &user, &mail).await).await
}

/// Both e-mails in every language, as the settings page lists them.
#[server(endpoint = "projects/mail/templates", output = JsonAnswer)]
pub async fn load_mail_templates() -> Result<Vec<TemplateLine>, AppError> {
    crate::api::read_as(CompanyOp::EditMailTemplates, async |_user, conn| {
        db::templates(conn).await
    })
    .await
}

/// Saves the company's own text of one e-mail in one language, as edited on `version`.
#[server(endpoint = "projects/mail/templates/save", output = JsonAnswer)]
pub async fn save_mail_template(
    kind: MailKind,
    language: Language,
    version: i32,
    subject: String,
    body: String,
) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::EditMailTemplates, async |user, tx| {
        let template = Template::parse(kind, &subject, &body).map_err(compose::template_refused)?;
        db::save_template(tx, kind, language, version, &template, user.id).await
    })
    .await
}

/// Goes back to the standard text of one e-mail in one language.
#[server(endpoint = "projects/mail/templates/reset", output = JsonAnswer)]
pub async fn reset_mail_template(
    kind: MailKind,
    language: Language,
    version: i32,
) -> Result<(), AppError> {
    crate::api::write_as(CompanyOp::EditMailTemplates, async |_user, tx| {
        db::reset_template(tx, kind, language, version).await
    })
    .await
}
