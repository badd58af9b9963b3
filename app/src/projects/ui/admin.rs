//! The project's client administration (admin information, client contacts by role, admin
//! documents with reminders) and its members with their permission. Limited members see it
//! all; Admins also change it. The buttons follow `ProjectPage::may`, the server checks again.

use crate::contacts::ui::{ContactPicker, PickedContact};
use crate::domain::{Permission, ProjectOp};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, format_number, from_locale};
use crate::projects::api::{
    add_member, add_project_contact, delete_document, remove_member, remove_project_contact,
    upload_document,
};
use crate::projects::{ContactPick, ContactRole, ProjectPage as Page, DOCUMENT_KINDS};
use crate::ui::{Changes, DateInput, ErrorAlert, Icon, IconName};
use crate::users::UserSelect;
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{FormData, HtmlFormElement};

fn role_label(locale: Locale, role: ContactRole) -> &'static str {
    match role {
        ContactRole::Tender => td_string!(locale, projects.role_tender),
        ContactRole::Billing => td_string!(locale, projects.role_billing),
        ContactRole::Execution => td_string!(locale, projects.role_execution),
    }
}

pub fn document_kind_label(locale: Locale, kind: &str) -> &'static str {
    match kind {
        "contract" => td_string!(locale, projects.document_contract),
        "insurance" => td_string!(locale, projects.document_insurance),
        "permit" => td_string!(locale, projects.document_permit),
        "certificate" => td_string!(locale, projects.document_certificate),
        _ => td_string!(locale, projects.document_other),
    }
}

pub fn permission_label(locale: Locale, permission: Permission) -> &'static str {
    match permission {
        Permission::Limited => td_string!(locale, projects.permission_limited),
        Permission::Admin => td_string!(locale, projects.permission_admin),
    }
}

#[component]
pub fn ClientAdmin(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let project = page.project.clone();
    let language = move || from_locale(i18n.get_locale());
    let date = move |d: Option<chrono::NaiveDate>| {
        d.map(|d| format_date_short(language(), d))
            .unwrap_or_else(|| "—".to_string())
    };
    let may_edit = page.may(ProjectOp::EditAdminInfo);
    let budget = project.budget;
    view! {
        <div class="admin-grid">
            <section class="card" aria-labelledby="admin-info-title">
                <header class="card__header">
                    <h2 id="admin-info-title">{t!(i18n, projects.admin_information)}</h2>
                    {may_edit.then(|| view! {
                        <a class="button button--small" href=format!("/projects/{}?tab=settings", project.id)>
                            <Icon name=IconName::Edit/><span>{t!(i18n, views.edit)}</span>
                        </a>
                    })}
                </header>
                <dl class="facts facts--stacked">
                    <div><dt>{t!(i18n, projects.customer)}</dt><dd>{project.customer.clone().map(|c| c.name).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>{t!(i18n, projects.tender_end_date)}</dt><dd>{move || date(project.tender_end_date)}</dd></div>
                    <div><dt>{t!(i18n, projects.start_date)}</dt><dd>{move || date(project.start_date)}</dd></div>
                    <div><dt>{t!(i18n, projects.end_date)}</dt><dd>{move || date(project.end_date)}</dd></div>
                    <div><dt>{t!(i18n, projects.state)}</dt><dd>{move || super::page::state_label(i18n.get_locale(), project.state)}</dd></div>
                    <div><dt>{t!(i18n, projects.budget)}</dt><dd>{move || budget.map(|b| b.format(language())).unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
            </section>
            <ClientContacts page=page.clone() changes/>
            <Documents page changes/>
        </div>
    }
}

#[component]
fn ClientContacts(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.project.id;
    let may_manage = page.may(ProjectOp::ManageContacts);
    let add = Action::new(move |(role, contact): &(ContactRole, Uuid)| {
        let pick = ContactPick {
            contact_id: Some(*contact),
            contact: String::new(),
        };
        add_project_contact(id, *role, pick)
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            changes.reload();
        }
    });
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let role = RwSignal::new(ContactRole::Tender);
    let picked = RwSignal::new(PickedContact::Nobody);
    view! {
        <section class="card" aria-labelledby="client-contacts-title">
            <h2 id="client-contacts-title">{t!(i18n, projects.client_contacts)}</h2>
            {ContactRole::ALL.into_iter().map(|r| {
                let contacts: Vec<_> = page.contacts.iter().filter(|c| c.role == r).cloned().collect();
                view! {
                    <h3 class="subheading">{move || role_label(i18n.get_locale(), r)}</h3>
                    {if contacts.is_empty() {
                        view! { <p class="muted">{t!(i18n, projects.no_contact_in_role)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list" data-role=r.as_str()>
                                {contacts.into_iter().map(|c| {
                                    let contact_id = c.contact.id;
                                    view! {
                                        <li>
                                            <a href=format!("/contacts/{contact_id}")>{c.contact.name.clone()}</a>
                                            {c.email.map(|e| view! { " · " <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                            {c.phone.map(|p| view! { " · " <a href=format!("tel:{p}")>{p.clone()}</a> })}
                                            {may_manage.then(|| view! {
                                                <button type="button" class="link-button link-button--danger"
                                                    on:click=move |_| changes.run(remove_project_contact(id, r, contact_id))>
                                                    {t!(i18n, projects.remove)}
                                                </button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }
            }).collect_view()}
            {may_manage.then(|| view! {
                <form class="inline-form" data-testid="add-contact" on:submit=move |event| {
                    event.prevent_default();
                    if let Some(contact) = picked.with_untracked(PickedContact::id) {
                        add.dispatch((role.get_untracked(), contact));
                    }
                }>
                    <div class="field">
                        <label for="contact-role">{t!(i18n, projects.contact_role)}</label>
                        <select id="contact-role" on:change=move |e| {
                            if let Some(r) = ContactRole::parse(&event_target_value(&e)) { role.set(r) }
                        }>
                            {ContactRole::ALL.into_iter().map(|r| view! {
                                <option value=r.as_str()>{move || role_label(i18n.get_locale(), r)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <ContactPicker name="contact" id_name="contact_id" form="role-"
                        label=Signal::derive(move || t_string!(i18n, projects.contact_from_directory).to_string())
                        on_pick=Callback::new(move |c| picked.set(c))/>
                    <button type="submit" class="button" disabled=move || add.pending().get() || picked.with(|p| p.id().is_none())>
                        {t!(i18n, projects.add_contact)}
                    </button>
                </form>
                <ErrorAlert error=add_error/>
            })}
        </section>
    }
}

#[component]
fn Documents(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.project.id;
    let may_manage = page.may(ProjectOp::ManageDocuments);
    let language = move || from_locale(i18n.get_locale());
    let upload = Action::new_local(|data: &FormData| upload_document(data.clone().into()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = upload.value().get() {
            changes.reload();
        }
    });
    let upload_error = Signal::derive(move || upload.value().get().and_then(Result::err));
    let documents = page.documents.clone();
    view! {
        <section class="card admin-grid__wide" aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, projects.documents)}</h2>
            {if documents.is_empty() {
                view! { <p class="muted">{t!(i18n, projects.no_documents)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="documents">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, projects.document_file)}</th>
                                    <th scope="col">{t!(i18n, projects.document_kind)}</th>
                                    <th scope="col">{t!(i18n, projects.expires_on)}</th>
                                    <th scope="col">{t!(i18n, projects.remind_on)}</th>
                                    <th scope="col">{t!(i18n, projects.uploaded)}</th>
                                    {may_manage.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, views.actions)}</span></th> })}
                                </tr>
                            </thead>
                            <tbody>
                                {documents.into_iter().map(|d| {
                                    let document = d.id;
                                    let kind = d.kind.clone();
                                    let size_kb = (d.size_bytes as f64 / 1024.0).max(0.1);
                                    view! {
                                        <tr>
                                            <th scope="row" data-label=move || t_string!(i18n, projects.document_file)>
                                                <a href=format!("/files/documents/{document}") rel="noopener">{d.file_name.clone()}</a>
                                                <span class="muted">{move || format!(" ({} KB)", format_number(language(), size_kb, 1))}</span>
                                            </th>
                                            <td data-label=move || t_string!(i18n, projects.document_kind)>{move || document_kind_label(i18n.get_locale(), &kind)}</td>
                                            <td data-label=move || t_string!(i18n, projects.expires_on)>{move || d.expires_on.map(|x| format_date_short(language(), x)).unwrap_or_default()}</td>
                                            <td data-label=move || t_string!(i18n, projects.remind_on)>{move || d.remind_on.map(|x| format_date_short(language(), x)).unwrap_or_default()}</td>
                                            <td data-label=move || t_string!(i18n, projects.uploaded)>
                                                {d.uploaded_by.clone().unwrap_or_default()} " · "
                                                {move || format_date_short(language(), d.uploaded_at.date_naive())}
                                            </td>
                                            {may_manage.then(|| view! {
                                                <td>
                                                    <button type="button" class="link-button link-button--danger"
                                                        on:click=move |_| {
                                                            let question = t_string!(i18n, projects.delete_document_confirm).to_string();
                                                            if window().confirm_with_message(&question).unwrap_or(false) {
                                                                changes.run(delete_document(document));
                                                            }
                                                        }>
                                                        {t!(i18n, projects.remove)}
                                                    </button>
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {may_manage.then(|| view! {
                <form class="inline-form" data-testid="upload-document" on:submit=move |event: leptos::ev::SubmitEvent| {
                    event.prevent_default();
                    let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
                    if let Ok(data) = FormData::new_with_form(&form) {
                        upload.dispatch_local(data);
                        form.reset();
                    }
                }>
                    <input type="hidden" name="project" value=id.to_string()/>
                    <div class="field">
                        <label for="document-kind">{t!(i18n, projects.document_kind)}</label>
                        <select id="document-kind" name="kind">
                            {DOCUMENT_KINDS.into_iter().map(|k| view! {
                                <option value=k>{move || document_kind_label(i18n.get_locale(), k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="document-expires">{t!(i18n, projects.expires_on)}</label>
                        <DateInput id="document-expires" name="expires_on"/>
                    </div>
                    <div class="field">
                        <label for="document-remind">{t!(i18n, projects.remind_on)}</label>
                        <DateInput id="document-remind" name="remind_on"/>
                    </div>
                    <div class="field">
                        <label for="document-file">{t!(i18n, projects.document_file)}</label>
                        <input id="document-file" type="file" name="file" required=true
                            accept=".pdf,.png,.jpg,.jpeg,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.txt,.csv,.zip"/>
                        <p class="field__help">{t!(i18n, projects.upload_help)}</p>
                    </div>
                    <button type="submit" class="button button--primary" disabled=move || upload.pending().get()>
                        <Icon name=IconName::Upload/><span>{t!(i18n, projects.upload)}</span>
                    </button>
                </form>
                <ErrorAlert error=upload_error/>
            })}
        </section>
    }
}

#[component]
pub fn Members(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.project.id;
    let may_manage = page.may(ProjectOp::ManageMembers);
    let user = RwSignal::new(String::new());
    let permission = RwSignal::new(Permission::Limited);
    let add = Action::new(move |(user, permission): &(Uuid, Permission)| {
        add_member(id, *user, *permission, None)
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = add.value().get() {
            changes.reload();
        }
    });
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="members-title">
            <h2 id="members-title">{t!(i18n, projects.members)}</h2>
            <p class="muted">{t!(i18n, projects.members_intro)}</p>
            <div class="table-wrap">
                <table class="table" data-testid="members">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, projects.member)}</th>
                            <th scope="col">{t!(i18n, projects.permission)}</th>
                            {may_manage.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, views.actions)}</span></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {page.members.into_iter().map(|m| {
                            let (member, version) = (m.user.id, m.version);
                            let other = match m.permission { Permission::Admin => Permission::Limited, Permission::Limited => Permission::Admin };
                            view! {
                                <tr>
                                    <th scope="row">{m.user.name.clone()}</th>
                                    <td>{move || permission_label(i18n.get_locale(), m.permission)}</td>
                                    {may_manage.then(|| view! {
                                        <td class="button-row">
                                            <button type="button" class="link-button"
                                                on:click=move |_| changes.run(add_member(id, member, other, Some(version)))>
                                                {move || t_string!(i18n, projects.make, permission = permission_label(i18n.get_locale(), other)).to_string()}
                                            </button>
                                            <button type="button" class="link-button link-button--danger"
                                                on:click=move |_| changes.run(remove_member(id, member, version))>
                                                {t!(i18n, projects.remove)}
                                            </button>
                                        </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {may_manage.then(|| view! {
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    if let Ok(user) = Uuid::parse_str(&user.get_untracked()) {
                        add.dispatch((user, permission.get_untracked()));
                    }
                }>
                    <div class="field">
                        <label for="member-user">{t!(i18n, projects.member)}</label>
                        <UserSelect id="member-user"
                            empty=Signal::derive(move || t_string!(i18n, projects.pick_user).to_string())
                            on_change=Callback::new(move |value| user.set(value))/>
                    </div>
                    <div class="field">
                        <label for="member-permission">{t!(i18n, projects.permission)}</label>
                        <select id="member-permission" on:change=move |e| {
                            if let Some(p) = Permission::parse(&event_target_value(&e)) { permission.set(p) }
                        }>
                            {Permission::ALL.into_iter().map(|p| view! {
                                <option value=p.as_str()>{move || permission_label(i18n.get_locale(), p)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button" disabled=move || add.pending().get() || user.with(String::is_empty)>
                        {t!(i18n, projects.add_member)}
                    </button>
                </form>
                <ErrorAlert error=add_error/>
            })}
        </section>
    }
}
