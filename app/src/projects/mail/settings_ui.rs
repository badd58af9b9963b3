//! The settings page of the project e-mails: both kinds in every language, each the company's
//! own text or the standard one. Admins edit a text (it may use only the placeholders of its
//! kind: checked as they type, and again by the server) or put the standard text back.

use super::api::{load_mail_templates, reset_mail_template, save_mail_template};
use super::ui::kind_label;
use super::TemplateLine;
use crate::domain::project_mail::{MailKind, Placeholder, Template, TemplateError};
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, from_locale};
use crate::ui::{
    use_changes, use_clock, use_field_errors, use_toasts, Dialog, ErrorAlert, PageHeader,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// What a placeholder is filled with, beside it in the editor.
fn placeholder_help(locale: Locale, placeholder: Placeholder) -> &'static str {
    match placeholder {
        Placeholder::Contact => td_string!(locale, project_mail.ph_contact),
        Placeholder::Customer => td_string!(locale, project_mail.ph_customer),
        Placeholder::Project => td_string!(locale, project_mail.ph_project),
        Placeholder::ProjectNumber => td_string!(locale, project_mail.ph_project_number),
        Placeholder::Date => td_string!(locale, project_mail.ph_date),
        Placeholder::Time => td_string!(locale, project_mail.ph_time),
        Placeholder::EndTime => td_string!(locale, project_mail.ph_end_time),
        Placeholder::Address => td_string!(locale, project_mail.ph_address),
        Placeholder::State => td_string!(locale, project_mail.ph_state),
        Placeholder::TasksDone => td_string!(locale, project_mail.ph_tasks_done),
        Placeholder::TasksTotal => td_string!(locale, project_mail.ph_tasks_total),
        Placeholder::NextTasks => td_string!(locale, project_mail.ph_next_tasks),
        Placeholder::Sender => td_string!(locale, project_mail.ph_sender),
        Placeholder::Company => td_string!(locale, project_mail.ph_company),
    }
}

#[component]
pub fn MailTemplatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let loaded = Resource::new(move || changes.version(), |_| load_mail_templates());
    let editing = RwSignal::new(None::<TemplateLine>);
    view! {
        <Title text=move || t_string!(i18n, project_mail.settings_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, project_mail.settings_title).to_string())/>
        <p class="muted">{t!(i18n, project_mail.settings_intro)}</p>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(lines) => view! { <TemplateTables lines editing/> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
        {move || editing.get().map(|line| view! {
            <TemplateDialog line
                on_close=Callback::new(move |()| editing.set(None))
                on_saved=Callback::new(move |()| {
                    editing.set(None);
                    changes.reload();
                })/>
        })}
    }
}

/// One table per kind: a row per language with its subject and whose text it is.
#[component]
fn TemplateTables(
    lines: Vec<TemplateLine>,
    editing: RwSignal<Option<TemplateLine>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_clock();
    MailKind::ALL
        .into_iter()
        .map(|kind| {
            let rows: Vec<TemplateLine> = lines.iter().filter(|l| l.kind == kind).cloned().collect();
            view! {
                <section class="card" data-testid="mail-templates" data-kind=kind.as_str()>
                    <h2>{move || kind_label(i18n.get_locale(), kind)}</h2>
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th>{t!(i18n, project_mail.language)}</th>
                                    <th>{t!(i18n, quotes.mail_subject)}</th>
                                    <th>{t!(i18n, project_mail.source)}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows.into_iter().map(|line| {
                                    let language = line.language;
                                    let custom = line.custom;
                                    let subject = line.subject.clone();
                                    let changed = line
                                        .updated_by
                                        .clone()
                                        .zip(line.updated_at.map(|at| clock.local(at).date()));
                                    view! {
                                        <tr data-language=language.code() data-custom=custom.to_string()>
                                            <th scope="row">{language.native_name()}</th>
                                            <td>{subject}</td>
                                            <td>
                                                {move || if custom {
                                                    t_string!(i18n, project_mail.custom)
                                                } else {
                                                    t_string!(i18n, project_mail.standard)
                                                }}
                                                {changed.map(|(by, day)| view! {
                                                    <span class="muted">" · " {move || t_string!(i18n, project_mail.changed_by,
                                                        name = by.clone(),
                                                        day = format_date_short(from_locale(i18n.get_locale()), day)).to_string()}</span>
                                                })}
                                            </td>
                                            <td>
                                                <button type="button" class="button button--small" data-action="edit-template"
                                                    on:click=move |_| editing.set(Some(line.clone()))>
                                                    {t!(i18n, project_mail.edit)}
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
            }
        })
        .collect_view()
}

/// Edits one text: subject, body and the placeholders it may use; "Reset to standard" when
/// it is the company's own.
#[component]
fn TemplateDialog(
    line: TemplateLine,
    on_close: Callback<()>,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (kind, language, version, custom) = (line.kind, line.language, line.version, line.custom);
    let subject = RwSignal::new(line.subject);
    let body = RwSignal::new(line.body);
    let error = RwSignal::new(None::<AppError>);
    let field_errors = use_field_errors(error);
    let busy = RwSignal::new(false);
    // The domain's rules run as the admin types, so an unknown placeholder is named at once.
    let unknown = move || match Template::parse(kind, &subject.get(), &body.get()) {
        Err(TemplateError::UnknownPlaceholder { name, .. }) => Some(name),
        _ => None,
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (written_subject, written_body) = (subject.get_untracked(), body.get_untracked());
        leptos::task::spawn_local(async move {
            match save_mail_template(kind, language, version, written_subject, written_body).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, project_mail.saved_toast).to_string());
                    on_saved.run(());
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    let reset = move |_: leptos::ev::MouseEvent| {
        let question = t_string!(i18n, project_mail.reset_confirm).to_string();
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match reset_mail_template(kind, language, version).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, project_mail.reset_toast).to_string());
                    on_saved.run(());
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    let title = move || {
        format!(
            "{} · {}",
            kind_label(i18n.get_locale(), kind),
            language.native_name()
        )
    };
    view! {
        <Dialog title_id="template-title" title=Signal::derive(title) on_close wide=true>
            <form class="form" data-testid="template-form" data-kind=kind.as_str() data-language=language.code()
                on:submit=save>
                {move || field_errors.general().get().map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="template-subject">{t!(i18n, quotes.mail_subject)}</label>
                    <input id="template-subject" required=true autocomplete="off" prop:value=subject
                        on:input=move |e| subject.set(event_target_value(&e))/>
                    {field_errors.line("subject")}
                </div>
                <div class="field">
                    <label for="template-body">{t!(i18n, quotes.mail_body)}</label>
                    <textarea id="template-body" rows="16" prop:value=body
                        on:input=move |e| body.set(event_target_value(&e))></textarea>
                    {field_errors.line("body")}
                </div>
                {move || unknown().map(|name| view! {
                    <p class="field__error" role="alert" data-testid="template-unknown">
                        {move || t_string!(i18n, project_mail.unknown_named, name = format!("{{{name}}}")).to_string()}
                    </p>
                })}
                <section>
                    <h3 class="subheading">{t!(i18n, project_mail.placeholders)}</h3>
                    <ul>
                        {kind.placeholders().iter().map(|placeholder| {
                            let placeholder = *placeholder;
                            view! {
                                <li><code>{placeholder.token()}</code> " — "
                                    {move || placeholder_help(i18n.get_locale(), placeholder)}</li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="save-template"
                        disabled=move || busy.get()>{t!(i18n, save)}</button>
                    {custom.then(|| view! {
                        <button type="button" class="button button--danger" data-action="reset-template"
                            disabled=move || busy.get() on:click=reset>{t!(i18n, project_mail.reset)}</button>
                    })}
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
