//! Directory pages: the contacts list (on the generic list view), the contact page, and the
//! create and edit forms.

mod detail;
mod form;
mod picker;

pub use detail::ContactPage;
pub use form::{EditContactPage, NewContactPage};
pub use picker::{unknown as unknown_contact, ContactPicker, PickedContact};

use super::api::{archive_contacts, assign_owner, delete_contacts, tag_contacts};
use super::list::CONTACTS;
use super::{BulkReport, Refusal};
use crate::domain::ContactKind;
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use crate::ui::{use_toasts, Icon, IconName, PageHeader};
use crate::views::ui::{BulkActions, ListContext, ListView};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

fn contact_href(id: Uuid) -> String {
    format!("/contacts/{id}")
}

#[component]
pub fn ContactsPage() -> impl IntoView {
    let i18n = use_i18n();
    let creating = RwSignal::new(None::<ContactKind>);
    let bulk: BulkActions =
        Callback::new(|list: ListContext| view! { <ContactBulkActions list/> }.into_any());
    view! {
        <Title text=move || t_string!(i18n, contacts.title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, contacts.title).to_string())>
            <a class="button" href="/contacts/import">
                <Icon name=IconName::Upload/><span>{t!(i18n, contacts.import)}</span>
            </a>
            <a class="button" href="/contacts/new?kind=person"
                on:click=move |event| { event.prevent_default(); creating.set(Some(ContactKind::Person)); }>
                <Icon name=IconName::Plus/><span>{t!(i18n, contacts.new_person)}</span>
            </a>
            <a class="button button--primary" href="/contacts/new?kind=company"
                on:click=move |event| { event.prevent_default(); creating.set(Some(ContactKind::Company)); }>
                <Icon name=IconName::Plus/><span>{t!(i18n, contacts.new_company)}</span>
            </a>
        </PageHeader>
        {move || creating.get().map(|kind| view! {
            <form::NewContactDialog kind on_close=move || creating.set(None)/>
        })}
        <ListView schema=&CONTACTS base="/contacts" row_href=contact_href bulk_actions=bulk/>
    }
}

/// Why one contact was kept by a bulk delete: the first kind of record still referring to
/// it, with its count in the right form.
fn bulk_refused_text(locale: Locale, refusal: Refusal) -> String {
    let singular = |count: i64| is_singular(from_locale(locale), count.unsigned_abs());
    let name = refusal.name;
    if refusal.quotes > 0 {
        if singular(refusal.quotes) {
            td_string!(
                locale,
                contacts.bulk_refused_quotes_singular,
                name = name,
                count = refusal.quotes
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.bulk_refused_quotes,
                name = name,
                count = refusal.quotes
            )
            .to_string()
        }
    } else if refusal.opportunities > 0 {
        if singular(refusal.opportunities) {
            td_string!(
                locale,
                contacts.bulk_refused_opportunities_singular,
                name = name,
                count = refusal.opportunities
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.bulk_refused_opportunities,
                name = name,
                count = refusal.opportunities
            )
            .to_string()
        }
    } else if refusal.projects > 0 {
        if singular(refusal.projects) {
            td_string!(
                locale,
                contacts.bulk_refused_projects_singular,
                name = name,
                count = refusal.projects
            )
            .to_string()
        } else {
            td_string!(
                locale,
                contacts.bulk_refused_projects,
                name = name,
                count = refusal.projects
            )
            .to_string()
        }
    } else if singular(refusal.people) {
        td_string!(
            locale,
            contacts.bulk_refused_singular,
            name = name,
            count = refusal.people
        )
        .to_string()
    } else {
        td_string!(
            locale,
            contacts.bulk_refused,
            name = name,
            count = refusal.people
        )
        .to_string()
    }
}

/// Archive, restore, tag, assign owner and delete over the selected contacts; each reports
/// what it did.
#[component]
fn ContactBulkActions(list: ListContext) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let report = move |result: Result<BulkReport, AppError>, deleting: bool| match result {
        Ok(report) => {
            let locale = i18n.get_locale_untracked();
            let count = report.changed;
            let singular = is_singular(from_locale(locale), count as u64);
            let done = match (deleting, singular) {
                (true, true) => {
                    crate::i18n::td_string!(locale, contacts.bulk_deleted_singular, count = count)
                        .to_string()
                }
                (true, false) => {
                    crate::i18n::td_string!(locale, contacts.bulk_deleted, count = count)
                        .to_string()
                }
                (false, true) => {
                    crate::i18n::td_string!(locale, contacts.bulk_done_singular, count = count)
                        .to_string()
                }
                (false, false) => {
                    crate::i18n::td_string!(locale, contacts.bulk_done, count = count).to_string()
                }
            };
            // One toast says it all: what was done, then what was kept and why.
            let refusals = report
                .refused
                .into_iter()
                .map(|refusal| bulk_refused_text(locale, refusal));
            toasts.success(
                std::iter::once(done)
                    .chain(refusals)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            list.selected.set(Vec::new());
            list.changes.reload();
        }
        Err(error) => toasts.failure(i18n.get_locale_untracked(), &error),
    };
    let archive = Action::new(move |archived: &bool| {
        archive_contacts(list.selected.get_untracked(), *archived)
    });
    let delete = Action::new(move |_: &()| delete_contacts(list.selected.get_untracked()));
    let tag =
        Action::new(move |tag: &String| tag_contacts(list.selected.get_untracked(), tag.clone()));
    let owner = Action::new(move |owner: &Option<Uuid>| {
        assign_owner(list.selected.get_untracked(), *owner)
    });
    Effect::new(move |_| {
        if let Some(r) = archive.value().get() {
            report(r, false)
        }
    });
    Effect::new(move |_| {
        if let Some(r) = delete.value().get() {
            report(r, true)
        }
    });
    Effect::new(move |_| {
        if let Some(r) = tag.value().get() {
            report(r, false)
        }
    });
    Effect::new(move |_| {
        if let Some(r) = owner.value().get() {
            report(r, false)
        }
    });
    let users = Resource::new(|| (), |_| crate::shared::api::user_options());
    let new_tag = RwSignal::new(String::new());
    let busy = move || {
        archive.pending().get()
            || delete.pending().get()
            || tag.pending().get()
            || owner.pending().get()
    };
    let archived_view = move || {
        list.state
            .with(|s| s.predefined.iter().any(|p| p == "archived"))
    };
    view! {
        {move || if archived_view() {
            view! { <button type="button" class="button button--small" disabled=busy on:click=move |_| { archive.dispatch(false); }>{t!(i18n, contacts.bulk_restore)}</button> }.into_any()
        } else {
            view! { <button type="button" class="button button--small" disabled=busy on:click=move |_| { archive.dispatch(true); }>{t!(i18n, contacts.bulk_archive)}</button> }.into_any()
        }}
        <form class="bulk-bar__form" on:submit=move |event| {
            event.prevent_default();
            let value = new_tag.get_untracked();
            if !value.trim().is_empty() { tag.dispatch(value); new_tag.set(String::new()); }
        }>
            <input type="text" class="input--compact" aria-label=move || t_string!(i18n, contacts.bulk_tag_placeholder)
                placeholder=move || t_string!(i18n, contacts.bulk_tag_placeholder)
                prop:value=new_tag on:input=move |e| new_tag.set(event_target_value(&e))/>
            <button type="submit" class="button button--small" disabled=busy>{t!(i18n, contacts.bulk_tag)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let options = users.await.unwrap_or_default();
                view! {
                    <select class="select--compact" aria-label=move || t_string!(i18n, contacts.bulk_owner)
                        on:change=move |e| {
                            let value = event_target_value(&e);
                            if value.is_empty() { return; }
                            owner.dispatch(Uuid::parse_str(&value).ok());
                        }>
                        <option value="" selected=true>{t!(i18n, contacts.bulk_owner)}</option>
                        <option value="none">{t!(i18n, contacts.no_owner)}</option>
                        {options.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                    </select>
                }
            })}
        </Suspense>
        <button type="button" class="button button--small button--danger" disabled=busy
            on:click=move |_| {
                let count = list.selected.with_untracked(Vec::len);
                let question = if is_singular(from_locale(i18n.get_locale_untracked()), count as u64) {
                    t_string!(i18n, contacts.bulk_delete_confirm_singular, count = count).to_string()
                } else {
                    t_string!(i18n, contacts.bulk_delete_confirm, count = count).to_string()
                };
                if window().confirm_with_message(&question).unwrap_or(false) {
                    delete.dispatch(());
                }
            }>
            {t!(i18n, contacts.bulk_delete)}
        </button>
    }
}
