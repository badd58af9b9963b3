//! The project page's e-mails to its client. "Appointment confirmation" and "Status update"
//! open a dialog that shows who the message goes to and in which language, fills in the text
//! (the company's own or the standard one) for that recipient and appointment, lets the user
//! edit it, and sends it through the outbox.

use super::api::{prepare_project_mail, send_project_mail};
use super::{MailForm, MailRecipient, MailRequest};
use crate::domain::project_mail::{AppointmentInput, MailKind};
use crate::domain::ProjectOp;
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, from_locale};
use crate::projects::{ContactRole, ProjectPage};
use crate::ui::{
    use_clock, use_field_errors, use_toasts, Changes, DateInput, Dialog, ErrorAlert, Icon, IconName,
};
use leptos::prelude::*;
use uuid::Uuid;

/// The e-mail's name, as buttons, dialogs and the settings page say it.
pub fn kind_label(locale: Locale, kind: MailKind) -> &'static str {
    match kind {
        MailKind::Appointment => td_string!(locale, project_mail.kind_appointment),
        MailKind::Status => td_string!(locale, project_mail.kind_status),
    }
}

fn role_label(locale: Locale, role: ContactRole) -> &'static str {
    match role {
        ContactRole::Tender => td_string!(locale, projects.role_tender),
        ContactRole::Billing => td_string!(locale, projects.role_billing),
        ContactRole::Execution => td_string!(locale, projects.role_execution),
    }
}

fn action(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Appointment => "appointment-mail",
        MailKind::Status => "status-mail",
    }
}

/// The fields the dialog shows errors beside; any other error is shown above the form.
const FIELDS: [&str; 8] = [
    "contact", "to", "date", "start", "end", "address", "subject", "body",
];

/// "Appointment confirmation" and "Status update", for those who may write to the project's
/// client contacts (the server checks again). Sending reloads the page, timeline included.
#[component]
pub fn ProjectMailButtons(page: ProjectPage, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let project = page.project.id;
    let writing = RwSignal::new(None::<MailKind>);
    if !page.may(ProjectOp::ManageContacts) {
        return ().into_any();
    }
    view! {
        <div class="button-row" role="group" aria-label=move || t_string!(i18n, project_mail.send_group)>
            {MailKind::ALL.into_iter().map(|kind| view! {
                <button type="button" class="button button--small" data-action=action(kind)
                    on:click=move |_| writing.set(Some(kind))>
                    <Icon name=IconName::Mail/>
                    <span>{move || kind_label(i18n.get_locale(), kind)}</span>
                </button>
            }).collect_view()}
        </div>
        {move || writing.get().map(|kind| {
            let on_close = Callback::new(move |()| writing.set(None));
            let on_sent = Callback::new(move |()| {
                writing.set(None);
                changes.reload();
            });
            view! { <Suspense fallback=|| ()>{Suspend::new(mail_dialog(project, kind, on_close, on_sent))}</Suspense> }
        })}
    }
    .into_any()
}

/// The e-mail dialog is a wasm chunk of its own, fetched the first time one is written.
#[lazy]
fn mail_dialog(
    project: Uuid,
    kind: MailKind,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> AnyView {
    view! { <ProjectMailDialog project kind on_close on_sent/> }.into_any()
}

/// Writes one e-mail: the recipient (the default one of its kind first), for an appointment
/// its day, times and address, then the text filled in for them. Changing a detail fills the
/// text in again, unless the user has edited it: then the dialog offers to.
#[component]
fn ProjectMailDialog(
    project: Uuid,
    kind: MailKind,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let today = use_clock().today();
    let tomorrow = today.succ_opt().unwrap_or(today);
    let recipients = RwSignal::new(Vec::<MailRecipient>::new());
    let contact = RwSignal::new(None::<Uuid>);
    let date = RwSignal::new(format_date_short(
        from_locale(i18n.get_locale_untracked()),
        tomorrow,
    ));
    let start = RwSignal::new("09:00".to_string());
    let end = RwSignal::new("10:00".to_string());
    let address = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let filled = RwSignal::new(false);
    let edited = RwSignal::new(false);
    let stale = RwSignal::new(false);
    let filling = RwSignal::new(false);
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let field_errors = use_field_errors(error);
    // Each fill takes a ticket; only the answer to the latest one is shown.
    let ticket = StoredValue::new(0u32);

    let request = move || MailRequest {
        project,
        kind,
        contact: contact.get_untracked(),
        appointment: match kind {
            MailKind::Appointment => AppointmentInput {
                date: date.get_untracked(),
                start: start.get_untracked(),
                end: end.get_untracked(),
                address: address.get_untracked(),
            },
            MailKind::Status => AppointmentInput::default(),
        },
    };
    let fill = move || {
        let asked = request();
        let mine = ticket.get_value() + 1;
        ticket.set_value(mine);
        filling.set(true);
        leptos::task::spawn_local(async move {
            let answer = prepare_project_mail(asked).await;
            // A later fill is on its way, or the dialog was closed meanwhile.
            if ticket.try_get_value() != Some(mine) {
                return;
            }
            filling.set(false);
            match answer {
                Ok(prepared) => {
                    recipients.set(prepared.recipients);
                    contact.set(prepared.contact);
                    address.set(prepared.address);
                    subject.set(prepared.subject);
                    body.set(prepared.body);
                    filled.set(true);
                    edited.set(false);
                    stale.set(false);
                    error.set(None);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let details_changed = move || {
        if edited.get_untracked() {
            stale.set(true);
        } else {
            fill();
        }
    };
    Effect::new(move |_| fill());

    let chosen = move || {
        let id = contact.get()?;
        recipients.with(|list| list.iter().find(|r| r.contact.id == id).cloned())
    };
    let nobody = move || filled.get() && recipients.with(Vec::is_empty);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        error.set(None);
        let form = MailForm {
            request: request(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match send_project_mail(form).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, project_mail.sent_toast).to_string());
                    on_sent.run(());
                }
                Err(failure) => {
                    error.set(Some(failure));
                    sending.set(false);
                }
            }
        });
    };
    let title = move || {
        match kind {
            MailKind::Appointment => t_string!(i18n, project_mail.appointment_title),
            MailKind::Status => t_string!(i18n, project_mail.status_title),
        }
        .to_string()
    };
    let appointment_fields = (kind == MailKind::Appointment).then(|| {
        view! {
            <fieldset class="form__section">
                <legend>{t!(i18n, project_mail.appointment)}</legend>
                <div class="form form--grid">
                    <div class="field">
                        <label for="project-mail-date">{t!(i18n, project_mail.date)}</label>
                        <DateInput id="project-mail-date" required=true value=date
                            on_input=Callback::new(move |value| date.set(value))
                            on_change=Callback::new(move |_| details_changed())/>
                        {field_errors.line("date")}
                    </div>
                    <div class="field">
                        <label for="project-mail-start">{t!(i18n, project_mail.start)}</label>
                        <input id="project-mail-start" type="time" required=true prop:value=start
                            on:input=move |e| start.set(event_target_value(&e))
                            on:change=move |_| details_changed()/>
                        {field_errors.line("start")}
                    </div>
                    <div class="field">
                        <label for="project-mail-end">{t!(i18n, project_mail.end)}</label>
                        <input id="project-mail-end" type="time" required=true prop:value=end
                            on:input=move |e| end.set(event_target_value(&e))
                            on:change=move |_| details_changed()/>
                        {field_errors.line("end")}
                    </div>
                    <div class="field field--wide">
                        <label for="project-mail-address">{t!(i18n, project_mail.address)}</label>
                        <input id="project-mail-address" autocomplete="off" prop:value=address
                            on:input=move |e| address.set(event_target_value(&e))
                            on:change=move |_| details_changed()/>
                        {field_errors.line("address")}
                    </div>
                </div>
            </fieldset>
        }
    });
    view! {
        <Dialog title_id="project-mail-title" title=Signal::derive(title) on_close wide=true>
            <form class="form" data-testid="project-mail-form" data-kind=kind.as_str() on:submit=submit>
                {move || error.get()
                    .filter(|e| !matches!(e.field(), Some(field) if FIELDS.contains(&field)))
                    .map(|e| view! { <ErrorAlert error=Some(e)/> })}
                {move || nobody().then(|| view! {
                    <p class="notice notice--warning" data-testid="project-mail-nobody">{t!(i18n, project_mail.no_recipients)}</p>
                })}
                <div class="field">
                    <label for="project-mail-contact">{t!(i18n, project_mail.recipient)}</label>
                    <select id="project-mail-contact" disabled=move || sending.get() || nobody()
                        on:change=move |event| {
                            contact.set(Uuid::parse_str(&event_target_value(&event)).ok());
                            details_changed();
                        }>
                        {move || recipients.get().into_iter().map(|r| {
                            let id = r.contact.id;
                            view! {
                                <option value=id.to_string() prop:selected=move || contact.get() == Some(id)>
                                    {format!("{} <{}>", r.contact.name, r.email)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    {field_errors.line("contact")}
                    {field_errors.line("to")}
                    {move || chosen().map(|r| {
                        let locale = i18n.get_locale();
                        let roles = r.roles.iter().map(|role| role_label(locale, *role)).collect::<Vec<_>>().join(", ");
                        view! {
                            <p class="field__help" data-testid="project-mail-recipient" data-language=r.language.code()>
                                <strong>{r.contact.name.clone()}</strong> " · " {r.email.clone()} " · " {roles} " · "
                                {td_string!(locale, project_mail.written_in)} " " {r.language.native_name()}
                            </p>
                        }
                    })}
                </div>
                {appointment_fields}
                {move || stale.get().then(|| view! {
                    <div class="notice notice--info" role="status">
                        <span>{t!(i18n, project_mail.stale)}</span>
                        <button type="button" class="button button--small" data-action="refill-mail"
                            on:click=move |_| fill()>{t!(i18n, project_mail.refill)}</button>
                    </div>
                })}
                {move || filling.get().then(|| view! { <p class="muted" role="status">{t!(i18n, project_mail.filling)}</p> })}
                <div class="field">
                    <label for="project-mail-subject">{t!(i18n, quotes.mail_subject)}</label>
                    <input id="project-mail-subject" required=true prop:value=subject
                        on:input=move |e| {
                            subject.set(event_target_value(&e));
                            edited.set(true);
                        }/>
                    {field_errors.line("subject")}
                </div>
                <div class="field">
                    <label for="project-mail-body">{t!(i18n, quotes.mail_body)}</label>
                    <textarea id="project-mail-body" rows="14" prop:value=body
                        on:input=move |e| {
                            body.set(event_target_value(&e));
                            edited.set(true);
                        }></textarea>
                    {field_errors.line("body")}
                </div>
                {(kind == MailKind::Appointment).then(|| view! {
                    <p class="attachment" data-testid="project-mail-invitation">
                        <Icon name=IconName::File/><span>{t!(i18n, project_mail.invitation_attached)}</span>
                    </p>
                })}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="send-project-mail"
                        disabled=move || sending.get() || filling.get() || !filled.get() || nobody()>
                        {t!(i18n, quotes.send)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
