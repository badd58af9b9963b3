//! The contact form, used to create (in a dialog or on its own page) and to edit. Creating
//! warns about likely duplicates while typing; editing shows what someone else saved when a
//! save comes too late, and keeps what the user typed.

use crate::contacts::api::{
    find_duplicates, get_contact, search_companies, CreateContactAction, UpdateContactAction,
};
use crate::contacts::{Contact, DuplicateReason};
use crate::domain::{ContactInput, ContactKind};
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::ui::{form_error, use_go_to, Dialog, ErrorAlert, Field, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;
use wasm_bindgen::JsCast;

/// The values a form starts with.
#[derive(Clone, Debug, Default, PartialEq)]
struct Initial {
    input: ContactInput,
    company: String,
    owner: String,
}

#[component]
fn ContactFields(
    kind: ContactKind,
    initial: Initial,
    /// The last save's error, if any; the fields show the ones that belong to them.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    #[prop(optional)] on_change: Option<Callback<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_errors = crate::ui::use_field_errors(error);
    let v = |s: &str| {
        Signal::derive({
            let s = s.to_string();
            move || s.clone()
        })
    };
    let users = Resource::new(|| (), |_| crate::shared::api::user_options());
    let company_query = RwSignal::new(initial.company.clone());
    let companies = Resource::new(
        move || company_query.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                search_companies(q).await
            }
        },
    );
    let owner = initial.owner.clone();
    let i = initial.input;
    let text = |key: &'static str| {
        Signal::derive(move || crate::contacts::field_label(i18n.get_locale(), key))
    };
    let on_input = move |event: leptos::ev::Event| {
        let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let name = target.get_attribute("name").unwrap_or_default();
        let value = event_target_value(&event);
        if name == "company" {
            company_query.set(value.clone());
        }
        if let Some(callback) = on_change {
            callback.run((name, value));
        }
    };
    view! {
        <div class="form form--grid" on:input=on_input>
            <Field name="contact[name]" required=true autofocus=true autocomplete="off"
                label=text("name") value=v(&i.name) error=field_errors.message("name")/>
            {(kind == ContactKind::Person).then(|| view! {
                <div class="field" class:field--invalid=move || field_errors.message("company").get().is_some()>
                    <label for="field-company">{t!(i18n, contacts.company)}</label>
                    <input id="field-company" name="company" list="company-options" autocomplete="off"
                        value=initial.company.clone()/>
                    <datalist id="company-options">
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                companies.await.unwrap_or_default().into_iter()
                                    .map(|c| view! { <option value=c.name/> }).collect_view()
                            })}
                        </Transition>
                    </datalist>
                    {field_errors.line("company")}
                </div>
                <Field name="contact[job_title]" label=text("job_title") value=v(&i.job_title) error=field_errors.message("job_title")/>
            })}
            <Field name="contact[emails]" label=text("emails") value=v(&i.emails) autocomplete="off"
                help=Signal::derive(move || t_string!(i18n, contacts.emails_help).to_string()) error=field_errors.message("emails")/>
            <Field name="contact[phones]" kind="tel" label=text("phones") value=v(&i.phones) autocomplete="off"
                help=Signal::derive(move || t_string!(i18n, contacts.phones_help).to_string()) error=field_errors.message("phones")/>
            <Field name="contact[street]" label=text("street") value=v(&i.street) error=field_errors.message("street")/>
            <Field name="contact[postcode]" label=text("postcode") value=v(&i.postcode) error=field_errors.message("postcode")/>
            <Field name="contact[city]" label=text("city") value=v(&i.city) error=field_errors.message("city")/>
            <Field name="contact[country]" label=text("country") value=v(&i.country)
                help=Signal::derive(move || t_string!(i18n, contacts.country_help).to_string()) error=field_errors.message("country")/>
            <Field name="contact[vat]" label=text("vat") value=v(&i.vat) error=field_errors.message("vat")/>
            <Field name="contact[website]" label=text("website") value=v(&i.website) error=field_errors.message("website")/>
            <Field name="contact[tags]" label=text("tags") value=v(&i.tags)
                help=Signal::derive(move || t_string!(i18n, contacts.tags_help).to_string()) error=field_errors.message("tags")/>
            <div class="field">
                <label for="field-owner">{t!(i18n, contacts.owner)}</label>
                <Suspense fallback=|| ()>
                    {
                        let owner = owner.clone();
                        move || {
                            let owner = owner.clone();
                            Suspend::new(async move {
                                let options = users.await.unwrap_or_default();
                                view! {
                                    <select id="field-owner" name="owner">
                                        <option value="" selected=owner.is_empty()>{t!(i18n, contacts.no_owner)}</option>
                                        {options.into_iter().map(|u| {
                                            let id = u.id.to_string();
                                            view! { <option value=id.clone() selected=id == owner>{u.name}</option> }
                                        }).collect_view()}
                                    </select>
                                }
                            })
                        }
                    }
                </Suspense>
            </div>
            <div class="field field--wide">
                <label for="field-notes">{t!(i18n, contacts.notes)}</label>
                <textarea id="field-notes" name="contact[notes]" rows="4">{i.notes.clone()}</textarea>
                {field_errors.line("notes")}
            </div>
        </div>
    }
}

/// Likely duplicates of what is being typed, checked as the user types.
#[component]
fn DuplicateWarning(kind: ContactKind, typed: RwSignal<(String, String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let duplicates = Resource::new(
        move || typed.get(),
        move |(name, emails, vat)| async move {
            if name.trim().len() < 3 && emails.trim().is_empty() && vat.trim().is_empty() {
                return Ok(Vec::new());
            }
            find_duplicates(kind, name, emails, vat, None).await
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let found = duplicates.await.unwrap_or_default();
                (!found.is_empty()).then(|| view! {
                    <section class="notice notice--warning" role="status" aria-live="polite">
                        <h3>{t!(i18n, contacts.duplicates_title)}</h3>
                        <p>{t!(i18n, contacts.duplicates_intro)}</p>
                        <ul>
                            {found.into_iter().map(|d| {
                                let reason = move || match d.reason {
                                    DuplicateReason::Email => t_string!(i18n, contacts.duplicate_email),
                                    DuplicateReason::Vat => t_string!(i18n, contacts.duplicate_vat),
                                    DuplicateReason::Name => t_string!(i18n, contacts.duplicate_name),
                                };
                                view! {
                                    <li><a href=format!("/contacts/{}", d.id)>{d.name.clone()}</a>
                                        {(!d.city.is_empty()).then(|| format!(", {}", d.city))}
                                        " (" {reason} ")"</li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

/// The create form; `on_done` receives the new contact's id.
#[component]
fn CreateForm(
    kind: ContactKind,
    initial: Initial,
    on_done: Callback<Uuid>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let create = CreateContactAction::new();
    // New contacts belong to whoever creates them, unless they choose someone else.
    let me = crate::ui::use_me().map(|id| id.to_string());
    let initial = Initial {
        owner: me.unwrap_or_default(),
        ..initial
    };
    let typed = RwSignal::new((String::new(), String::new(), String::new()));
    let typing = StoredValue::new(None::<TimeoutHandle>);
    let on_change = Callback::new(move |(name, value): (String, String)| {
        let (mut n, mut e, mut v) = typed.get_untracked();
        match name.as_str() {
            "contact[name]" => n = value,
            "contact[emails]" => e = value,
            "contact[vat]" => v = value,
            _ => return,
        }
        if let Some(handle) = typing.get_value() {
            handle.clear();
        }
        typing.set_value(
            set_timeout_with_handle(
                move || typed.set((n, e, v)),
                std::time::Duration::from_millis(350),
            )
            .ok(),
        );
    });
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            toasts.success(
                t_string!(i18n, contacts.created_toast, name = created.name.clone()).to_string(),
            );
            on_done.run(created.id);
        }
    });
    let result = create.value();
    view! {
        <ErrorAlert error=form_error(result)/>
        <ActionForm action=create attr:novalidate=true>
            <input type="hidden" name="kind" value=kind.as_str()/>
            <ContactFields kind initial error=Signal::derive(move || result.get().and_then(Result::err)) on_change/>
            <DuplicateWarning kind typed/>
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>
                    {t!(i18n, contacts.create)}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, cancel)}</button>
                })}
            </div>
        </ActionForm>
    }
}

fn kind_title(locale: crate::i18n::Locale, kind: ContactKind) -> String {
    match kind {
        ContactKind::Company => td_string!(locale, contacts.new_company_title).to_string(),
        ContactKind::Person => td_string!(locale, contacts.new_person_title).to_string(),
    }
}

/// Creating from the list without leaving it.
#[component]
pub fn NewContactDialog(
    kind: ContactKind,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let on_done = Callback::new(move |id: Uuid| go_to(&format!("/contacts/{id}")));
    let on_close = Callback::new(move |_| on_close());
    view! {
        <Dialog title_id="new-contact-title" on_close
            title=Signal::derive(move || kind_title(i18n.get_locale(), kind))
            aside=view! {
                <a class="link-button" href=format!("/contacts/new?kind={}", kind.as_str())>{t!(i18n, contacts.open_full_page)}</a>
            }.into_any()>
            <CreateForm kind initial=Initial::default() on_done on_cancel=on_close/>
        </Dialog>
    }
}

#[component]
pub fn NewContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let go_to = use_go_to();
    let kind = query
        .with_untracked(|q| q.get("kind").and_then(|k| ContactKind::parse(&k)))
        .unwrap_or(ContactKind::Company);
    let company = query
        .with_untracked(|q| q.get("company"))
        .unwrap_or_default();
    let on_done = Callback::new(move |id: Uuid| go_to(&format!("/contacts/{id}")));
    view! {
        <Title text=move || kind_title(i18n.get_locale(), kind)/>
        <PageHeader title=Signal::derive(move || kind_title(i18n.get_locale(), kind))/>
        <section class="card">
            <CreateForm kind initial=Initial { company, ..Initial::default() } on_done/>
        </section>
    }
}

#[component]
pub fn EditContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let contact = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_contact(id).await.map(|page| page.contact),
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match contact.await {
                    Ok(contact) => view! { <EditForm contact/> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForm(contact: Contact) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let go_to = use_go_to();
    let update = UpdateContactAction::new();
    let version = RwSignal::new(contact.version);
    // What someone else saved, when our save came too late.
    let newer = RwSignal::new(None::<Contact>);
    let id = contact.id;
    let title = contact.name.clone();
    Effect::new(move |_| match update.value().get() {
        Some(Ok(saved)) => {
            toasts.success(
                t_string!(i18n, contacts.saved_toast, name = saved.name.clone()).to_string(),
            );
            go_to(&format!("/contacts/{}", saved.id));
        }
        Some(Err(AppError::Conflict)) => {
            leptos::task::spawn_local(async move {
                if let Ok(page) = get_contact(id).await {
                    version.set(page.contact.version);
                    newer.set(Some(page.contact));
                }
            });
        }
        _ => {}
    });
    let initial = Initial {
        input: contact.input(),
        company: contact
            .company
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        owner: contact
            .owner
            .as_ref()
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
    };
    let original = contact.clone();
    let result = update.value();
    view! {
        <Title text=move || t_string!(i18n, contacts.edit_title, name = title.clone()).to_string()/>
        <PageHeader title=Signal::derive({ let name = contact.name.clone(); move || t_string!(i18n, contacts.edit_title, name = name.clone()).to_string() })/>
        {move || newer.get().map(|newer| view! { <ConflictPanel mine=original.clone() theirs=newer/> })}
        <section class="card">
            <ErrorAlert error=form_error(result)/>
            <ActionForm action=update attr:novalidate=true>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="version" prop:value=move || version.get().to_string() value=contact.version.to_string()/>
                <ContactFields kind=contact.kind initial error=Signal::derive(move || result.get().and_then(Result::err))/>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" disabled=move || update.pending().get()>{t!(i18n, save)}</button>
                    <a class="button" href=format!("/contacts/{id}")>{t!(i18n, cancel)}</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// The fields someone else changed since this form was opened, with their saved values.
#[component]
fn ConflictPanel(mine: Contact, theirs: Contact) -> impl IntoView {
    let i18n = use_i18n();
    let (mine, theirs) = (mine.input(), theirs.input());
    let changed: Vec<(String, String)> = mine
        .fields()
        .into_iter()
        .zip(theirs.fields())
        .filter(|((_, a), (_, b))| a != b)
        .map(|((key, _), (_, b))| {
            (
                crate::contacts::field_label(i18n.get_locale_untracked(), key),
                b.to_string(),
            )
        })
        .collect();
    view! {
        <section class="notice notice--warning conflict" role="alert">
            <h2>{t!(i18n, contacts.conflict_title)}</h2>
            <p>{t!(i18n, contacts.conflict_intro)}</p>
            <dl class="conflict__fields">
                {changed.into_iter().map(|(label, theirs)| view! {
                    <dt>{label}</dt>
                    <dd>{theirs}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}
