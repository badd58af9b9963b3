//! The contact page: details, a company's people, and the actions on one contact (edit,
//! archive or restore, delete, merge with a duplicate).

use crate::contacts::api::{archive_contacts, delete_contacts, get_contact, merge_contacts};
use crate::contacts::{Contact, ContactPage as Page, PersonLine, Refusal};
use crate::domain::ContactKind;
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use crate::registry::contact_page;
use crate::ui::{
    use_changes, use_go_to, use_toasts, Changes, ErrorAlert, Icon, IconName, PageHeader,
};
use crate::views::api::fetch_list_page;
use crate::views::{Cell, ViewState};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// Why a contact could not be deleted: the first kind of record still referring to it, with
/// its count in the right form.
fn delete_refused_text(locale: Locale, name: String, refusal: Option<&Refusal>) -> String {
    let (people, projects, opportunities, quotes) = refusal.map_or((0, 0, 0, 0), |r| {
        (r.people, r.projects, r.opportunities, r.quotes)
    });
    let singular = |count: i64| is_singular(from_locale(locale), count.unsigned_abs());
    if quotes > 0 {
        if singular(quotes) {
            td_string!(
                locale,
                contacts.delete_refused_quotes_singular,
                name = name,
                count = quotes
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.delete_refused_quotes,
                name = name,
                count = quotes
            )
            .to_string()
        }
    } else if opportunities > 0 {
        if singular(opportunities) {
            td_string!(
                locale,
                contacts.delete_refused_opportunities_singular,
                name = name,
                count = opportunities
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.delete_refused_opportunities,
                name = name,
                count = opportunities
            )
            .to_string()
        }
    } else if projects > 0 {
        if singular(projects) {
            td_string!(
                locale,
                contacts.delete_refused_projects_singular,
                name = name,
                count = projects
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.delete_refused_projects,
                name = name,
                count = projects
            )
            .to_string()
        }
    } else if singular(people) {
        td_string!(
            locale,
            contacts.delete_refused_singular,
            name = name,
            count = people
        )
        .to_string()
    } else {
        td_string!(locale, contacts.delete_refused, name = name, count = people).to_string()
    }
}

#[component]
pub fn ContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let changes = use_changes();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let page = Resource::new(
        move || (id(), changes.version()),
        |(id, _)| async move {
            match id {
                Some(id) => get_contact(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Created with the page, not inside its suspense, so server and browser read the same.
    let projects = Resource::new(
        move || (id(), changes.version()),
        |(id, _)| async move {
            match id {
                Some(id) => contact_page::customer_projects(id).await,
                None => Ok(Vec::new()),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ContactView page changes projects/> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ContactView(
    page: Page,
    changes: Changes,
    projects: contact_page::CustomerProjectsResource,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let go_to = use_go_to();
    let contact = page.contact.clone();
    let id = contact.id;
    let name = contact.name.clone();
    let archived = contact.archived;
    let archive = Action::new(move |archived: &bool| archive_contacts(vec![id], *archived));
    let delete = Action::new(move |_: &()| delete_contacts(vec![id]));
    let merging = RwSignal::new(false);
    Effect::new({
        let name = name.clone();
        move |_| match archive.value().get() {
            Some(Ok(_)) => {
                let text = if archived {
                    t_string!(i18n, contacts.restored_toast, name = name.clone()).to_string()
                } else {
                    t_string!(i18n, contacts.archived_toast, name = name.clone()).to_string()
                };
                toasts.success(text);
                changes.reload();
            }
            Some(Err(error)) => changes.fail(&error),
            None => {}
        }
    });
    let refusal = RwSignal::new(None::<String>);
    Effect::new({
        let name = name.clone();
        let go_to = go_to.clone();
        move |_| match delete.value().get() {
            Some(Ok(report)) if report.changed == 1 => {
                toasts.success(
                    t_string!(i18n, contacts.deleted_toast, name = name.clone()).to_string(),
                );
                go_to("/contacts");
            }
            Some(Ok(report)) => {
                refusal.set(Some(delete_refused_text(
                    i18n.get_locale(),
                    name.clone(),
                    report.refused.first(),
                )));
            }
            Some(Err(error)) => changes.fail(&error),
            None => {}
        }
    });
    let kind_label = move || match contact.kind {
        ContactKind::Company => t_string!(i18n, contacts.kind_company),
        ContactKind::Person => t_string!(i18n, contacts.kind_person),
    };
    let confirm_name = name.clone();
    let merge_target = page.contact.clone();
    let (may_edit, may_delete) = (page.may_edit, page.may_delete);
    view! {
        <Title text=name.clone()/>
        <PageHeader title=Signal::derive({ let name = name.clone(); move || name.clone() })>
            // The buttons are those the policy table gives this reader; the server asks it again.
            {may_edit.then(|| view! {
                <a class="button button--primary" href=format!("/contacts/{id}/edit")>{t!(i18n, contacts.edit)}</a>
                <button type="button" class="button" disabled=move || archive.pending().get()
                    on:click=move |_| { archive.dispatch(!archived); }>
                    {move || if archived { t_string!(i18n, contacts.restore) } else { t_string!(i18n, contacts.archive) }}
                </button>
            })}
            {may_delete.then(|| view! {
                <button type="button" class="button" aria-expanded=move || merging.get().to_string()
                    on:click=move |_| merging.update(|m| *m = !*m)>
                    {t!(i18n, contacts.merge)}
                </button>
                <button type="button" class="button button--danger" disabled=move || delete.pending().get()
                    on:click=move |_| {
                        let question = t_string!(i18n, contacts.delete_confirm, name = confirm_name.clone()).to_string();
                        if window().confirm_with_message(&question).unwrap_or(false) {
                            delete.dispatch(());
                        }
                    }>
                    {t!(i18n, contacts.delete)}
                </button>
            })}
        </PageHeader>
        <p class="contact-kind">
            <span class="badge">{kind_label}</span>
            {archived.then(|| view! { <span class="badge badge--muted">{t!(i18n, contacts.archived_badge)}</span> })}
        </p>
        {move || refusal.get().map(|text| view! { <p class="notice notice--warning" role="alert">{text}</p> })}
        <Show when=move || merging.get()>
            <MergePanel keep=merge_target.clone() changes/>
        </Show>
        <div class="contact-layout">
            <Details contact=page.contact.clone()/>
            {(contact.kind == ContactKind::Company).then(|| view! { <People company=name.clone() people=page.people.clone()/> })}
            <contact_page::CustomerProjects customer=crate::contacts::ContactRef { id, name: name.clone() } projects/>
        </div>
        <contact_page::CustomerMoneyView customer=id/>
        <contact_page::QuoteList contact=id/>
        <contact_page::RecordActivity kind=crate::shared::RecordKind::Contact record=id/>
    }
}

#[component]
fn Details(contact: Contact) -> impl IntoView {
    let i18n = use_i18n();
    let address = [
        contact.street.clone(),
        format!("{} {}", contact.postcode, contact.city)
            .trim()
            .to_string(),
        contact.country.clone().unwrap_or_default(),
    ]
    .into_iter()
    .filter(|line| !line.is_empty())
    .collect::<Vec<_>>();
    // A contact with nothing but a name has no details card: it would be empty.
    let filled = contact.company.is_some()
        || !contact.emails.is_empty()
        || !contact.phones.is_empty()
        || !address.is_empty()
        || contact.vat.is_some()
        || !contact.website.is_empty()
        || !contact.tags.is_empty()
        || !contact.notes.is_empty()
        || contact.owner.is_some();
    if !filled {
        return ().into_any();
    }
    view! {
        <section class="card contact-details" aria-labelledby="details-title">
            <h2 id="details-title">{t!(i18n, contacts.details)}</h2>
            <dl class="details">
                {contact.company.clone().map(|company| view! {
                    <dt>{t!(i18n, contacts.company)}</dt>
                    <dd><a href=format!("/contacts/{}", company.id)>{company.name}</a>
                        {(!contact.job_title.is_empty()).then(|| format!(" · {}", contact.job_title))}</dd>
                })}
                {(!contact.emails.is_empty()).then(|| view! {
                    <dt>{t!(i18n, contacts.emails)}</dt>
                    <dd>{contact.emails.iter().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a><br/> }).collect_view()}</dd>
                })}
                {(!contact.phones.is_empty()).then(|| view! {
                    <dt>{t!(i18n, contacts.phones)}</dt>
                    <dd>{contact.phones.iter().map(|p| view! { <a href=format!("tel:{p}")>{p.clone()}</a><br/> }).collect_view()}</dd>
                })}
                {(!address.is_empty()).then(|| view! {
                    <dt>{t!(i18n, contacts.address)}</dt>
                    <dd>{address.into_iter().map(|line| view! { {line}<br/> }).collect_view()}</dd>
                })}
                {contact.vat.clone().map(|vat| view! { <dt>{t!(i18n, contacts.vat)}</dt><dd>{vat}</dd> })}
                {(!contact.website.is_empty()).then(|| view! {
                    <dt>{t!(i18n, contacts.website)}</dt>
                    <dd><a href=contact.website.clone() rel="noopener noreferrer" target="_blank">{contact.website.clone()}</a></dd>
                })}
                {(!contact.tags.is_empty()).then(|| view! {
                    <dt>{t!(i18n, contacts.tags)}</dt>
                    <dd class="tags">{contact.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</dd>
                })}
                <dt>{t!(i18n, contacts.owner)}</dt>
                <dd>{match contact.owner.clone() {
                    Some(owner) => owner.name.into_any(),
                    None => view! { {t!(i18n, contacts.no_owner)} }.into_any(),
                }}</dd>
            </dl>
            {(!contact.notes.is_empty()).then(|| view! {
                <h3>{t!(i18n, contacts.notes)}</h3>
                <p class="notes">{contact.notes.clone()}</p>
            })}
        </section>
    }
    .into_any()
}

#[component]
fn People(company: String, people: Vec<PersonLine>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="people-title">
            <header class="card__header">
                <h2 id="people-title">{t!(i18n, contacts.people)}</h2>
                <a class="button button--small" href=format!("/contacts/new?kind=person&company={}", crate::views::state::encode(&company))>
                    <Icon name=IconName::Plus/><span>{t!(i18n, contacts.add_person)}</span>
                </a>
            </header>
            {if people.is_empty() {
                view! { <p class="muted">{t!(i18n, contacts.no_people)}</p> }.into_any()
            } else {
                view! {
                    <ul class="people">
                        {people.into_iter().map(|p| view! {
                            <li class="person" class:row--inactive=p.archived>
                                <a href=format!("/contacts/{}", p.id)>{p.name}</a>
                                {(!p.job_title.is_empty()).then(|| view! { <span class="muted">{p.job_title}</span> })}
                                {p.email.map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                                {p.phone.map(|ph| view! { <a href=format!("tel:{ph}")>{ph.clone()}</a> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Finds another contact of the same kind (through the contacts list itself) and merges it
/// into this one.
#[component]
fn MergePanel(keep: Contact, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let query = RwSignal::new(String::new());
    let kind_filter = match keep.kind {
        ContactKind::Company => "companies",
        ContactKind::Person => "people",
    };
    let keep_id = keep.id;
    let candidates = Resource::new(
        move || query.get(),
        move |text| async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let state = ViewState {
                search: text,
                predefined: vec![kind_filter.to_string()],
                columns: Some(vec!["name".into(), "city".into()]),
                ..ViewState::default()
            };
            let page =
                fetch_list_page("contacts".into(), state.to_query(), Vec::new(), None).await?;
            Ok::<_, AppError>(
                page.rows
                    .into_iter()
                    .filter(|r| r.id != keep_id)
                    .map(|r| {
                        let text = |c: Option<&Cell>| match c {
                            Some(Cell::Text(t)) => t.clone(),
                            _ => String::new(),
                        };
                        (r.id, text(r.cells.first()), text(r.cells.get(1)))
                    })
                    .collect::<Vec<_>>(),
            )
        },
    );
    let merge = Action::new(move |other: &Uuid| merge_contacts(keep_id, *other));
    Effect::new(move |_| match merge.value().get() {
        Some(Ok(kept)) => {
            toasts.success(
                t_string!(i18n, contacts.merged_toast, name = kept.name.clone()).to_string(),
            );
            changes.reload();
        }
        Some(Err(error)) => changes.fail(&error),
        None => {}
    });
    let name = keep.name.clone();
    view! {
        <section class="card merge" aria-labelledby="merge-title">
            <h2 id="merge-title">{move || t_string!(i18n, contacts.merge_title, name = name.clone()).to_string()}</h2>
            <p>{t!(i18n, contacts.merge_intro)}</p>
            <label for="merge-search">{t!(i18n, contacts.merge_search)}</label>
            <input id="merge-search" type="search" autocomplete="off" prop:value=query
                on:input=move |e| query.set(event_target_value(&e))/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match candidates.await {
                        Ok(found) => view! {
                            <ul class="merge__candidates">
                                {found.into_iter().map(|(id, name, city)| view! {
                                    <li>
                                        <a href=format!("/contacts/{id}")>{name}</a>
                                        {(!city.is_empty()).then(|| format!(", {city}"))}
                                        <button type="button" class="button button--small"
                                            disabled=move || merge.pending().get()
                                            on:click=move |_| { merge.dispatch(id); }>
                                            {t!(i18n, contacts.merge_with)}
                                        </button>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
