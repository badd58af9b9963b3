//! The frame around every signed-in page (sidebar on wide screens, a bottom bar on phones),
//! with the navigation and its counters. It composes features, so it sits above them all.

use crate::i18n::{t, t_string, use_i18n};
use crate::ui::{Icon, IconName, UserResource};
use crate::users::account::api::SignOutAction;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

/// The frame of signed-in pages. The page itself (`Outlet`) sits outside any suspense, so
/// that the server renders it once and its resources line up with the browser's; only the
/// parts that show who is signed in wait for the user.
#[component]
pub fn AppShell() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<UserResource>();
    sync_time_zone();
    crate::ui::use_menu_behaviour();
    let sign_out = SignOutAction::new();
    // Known from the first render on both sides: no waiting, nothing to hydrate differently.
    let manages_users = crate::ui::use_manages_users();
    let links = move || {
        view! {
            <A href="/" exact=true attr:class="nav-link">
                <Icon name=IconName::Dashboard/><span>{t!(i18n, nav.dashboard)}</span>
            </A>
            <A href="/my-tasks" attr:class="nav-link">
                <Icon name=IconName::Tasks/><span>{t!(i18n, nav.my_tasks)}</span>
                <crate::tasks::ui::NavCounter/>
            </A>
            <A href="/activities" attr:class="nav-link nav-link--secondary">
                <Icon name=IconName::Clock/><span>{t!(i18n, nav.my_activities)}</span>
                <crate::activities::ui::ActivityNavCounter/>
            </A>
            <A href="/crm" attr:class="nav-link">
                <Icon name=IconName::Board/><span>{t!(i18n, nav.crm)}</span>
            </A>
            <A href="/quotes" attr:class="nav-link">
                <Icon name=IconName::File/><span>{t!(i18n, nav.quotes)}</span>
            </A>
            {crate::ui::use_may(crate::domain::policy::CompanyOp::InvoicesView).then(|| view! {
                <A href="/invoices" attr:class="nav-link nav-link--secondary">
                    <Icon name=IconName::File/><span>{t!(i18n, nav.invoices)}</span>
                </A>
            })}
            <A href="/contacts" attr:class="nav-link">
                <Icon name=IconName::Contacts/><span>{t!(i18n, nav.contacts)}</span>
            </A>
            <A href="/projects" attr:class="nav-link">
                <Icon name=IconName::Projects/><span>{t!(i18n, nav.projects)}</span>
            </A>
            <A href="/tasks" exact=true attr:class="nav-link nav-link--secondary">
                <Icon name=IconName::List/><span>{t!(i18n, nav.tasks)}</span>
            </A>
            <A href="/products" attr:class="nav-link nav-link--secondary">
                <Icon name=IconName::Package/><span>{t!(i18n, nav.products)}</span>
            </A>
            <A href="/outbox" attr:class="nav-link nav-link--secondary">
                <Icon name=IconName::Mail/><span>{t!(i18n, nav.outbox)}</span>
            </A>
            <p class="nav-group" aria-hidden="true">{t!(i18n, nav.settings)}</p>
            <A href="/settings/account" attr:class="nav-link">
                <Icon name=IconName::User/><span>{t!(i18n, nav.account)}</span>
            </A>
            {manages_users.then(|| view! {
                <A href="/settings/users" attr:class="nav-link nav-link--secondary">
                    <Icon name=IconName::Users/><span>{t!(i18n, nav.users)}</span>
                </A>
            })}
            {crate::ui::use_may(crate::domain::policy::CompanyOp::EditMailTemplates).then(|| view! {
                <A href=crate::projects::mail::TEMPLATES_HREF attr:class="nav-link nav-link--secondary">
                    <Icon name=IconName::Mail/><span>{t!(i18n, project_mail.nav_templates)}</span>
                </A>
            })}
        }
    };
    let sign_out_form = move || {
        view! {
            <ActionForm action=sign_out attr:class="sign-out">
                <button type="submit" class="nav-link nav-link--button">
                    <Icon name=IconName::SignOut/><span>{t!(i18n, nav.sign_out)}</span>
                </button>
            </ActionForm>
        }
    };
    view! {
        <a class="skip-link" href="#content">{t!(i18n, skip_to_content)}</a>
        <div class="shell">
            <aside class="sidebar">
                <a class="brand" href="/">
                    <img src="/icons/icon.svg" alt="" width="28" height="28"/>
                    <span>{t!(i18n, app_name)}</span>
                </a>
                <nav class="sidebar__nav" aria-label=move || t_string!(i18n, nav.main)>
                    {links}
                </nav>
                <div class="sidebar__user">
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            match user.await {
                                Ok(Some(user)) => {
                                    let name = user.display_name.clone();
                                    view! {
                                        <p class="sidebar__name" title=move || t_string!(i18n, nav.signed_in_as, name = name.clone())>
                                            {user.display_name.clone()}
                                        </p>
                                    }.into_any()
                                }
                                // The session ended while the app was open.
                                Ok(None) | Err(crate::error::AppError::Unauthorized) => {
                                    view! { <Redirect path="/sign-in"/> }.into_any()
                                }
                                Err(_) => ().into_any(),
                            }
                        })}
                    </Suspense>
                    {sign_out_form}
                </div>
            </aside>
            <main id="content" class="content" tabindex="-1">
                <Outlet/>
            </main>
            <nav class="bottom-nav" aria-label=move || t_string!(i18n, nav.main)>
                {links}
                {sign_out_form}
            </nav>
        </div>
        <crate::ui::Toasts/>
    }
}

/// Tells the server the browser's time zone once per change, so that "today" for the user's
/// activities is their own day.
fn sync_time_zone() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let zone =
                js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                    .resolved_options();
            let zone = js_sys::Reflect::get(&zone, &"timeZone".into())
                .ok()
                .and_then(|z| z.as_string());
            let storage = window().local_storage().ok().flatten();
            let sent = storage
                .as_ref()
                .and_then(|s| s.get_item("atrium.time_zone").ok().flatten());
            if let Some(zone) = zone.filter(|z| sent.as_deref() != Some(z.as_str())) {
                leptos::task::spawn_local(async move {
                    if crate::users::account::api::set_time_zone(zone.clone())
                        .await
                        .is_ok()
                    {
                        if let Some(storage) = storage {
                            let _ = storage.set_item("atrium.time_zone", &zone);
                        }
                    }
                });
            }
        }
    });
}
