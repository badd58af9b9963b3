//! The frame around every signed-in page (sidebar on wide screens, a bottom bar on phones),
//! with the navigation and its counters. It composes features, so it sits above them all.

use crate::domain::policy::CompanyOp;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::ui::{Icon, IconName, UserResource};
use crate::users::account::api::{SignOut, SignOutAction};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_location;

/// A place the navigation leads to. The sidebar lists every place the user may go; a phone's
/// bottom bar keeps the daily ones and puts the rest behind "More".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Dashboard,
    MyTasks,
    Activities,
    Crm,
    Quotes,
    Invoices,
    Contacts,
    Projects,
    Tasks,
    Hours,
    Products,
    Outbox,
    Account,
    Users,
    MailTemplates,
}

impl Place {
    /// The places of the work, in the sidebar's order.
    const WORK: [Place; 12] = [
        Place::Dashboard,
        Place::MyTasks,
        Place::Activities,
        Place::Crm,
        Place::Quotes,
        Place::Invoices,
        Place::Contacts,
        Place::Projects,
        Place::Tasks,
        Place::Hours,
        Place::Products,
        Place::Outbox,
    ];
    /// The places under the "Settings" heading.
    const SETTINGS: [Place; 3] = [Place::Account, Place::Users, Place::MailTemplates];
    /// What a site worker opens every day: one tap away on a phone. Four, with "More", is
    /// what fits a 390 px wide bar with readable labels.
    const ON_BAR: [Place; 4] = [
        Place::Dashboard,
        Place::MyTasks,
        Place::Projects,
        Place::Contacts,
    ];

    fn href(self) -> &'static str {
        match self {
            Place::Dashboard => "/",
            Place::MyTasks => "/my-tasks",
            Place::Activities => "/activities",
            Place::Crm => "/crm",
            Place::Quotes => "/quotes",
            Place::Invoices => "/invoices",
            Place::Contacts => "/contacts",
            Place::Projects => "/projects",
            Place::Tasks => "/tasks",
            Place::Hours => "/hours",
            Place::Products => "/products",
            Place::Outbox => "/outbox",
            Place::Account => "/settings/account",
            Place::Users => "/settings/users",
            Place::MailTemplates => crate::projects::mail::TEMPLATES_HREF,
        }
    }

    /// The dashboard and the task list own only their own address: a task's page is not the
    /// list of tasks.
    fn exact(self) -> bool {
        matches!(self, Place::Dashboard | Place::Tasks)
    }

    /// Whether the page at `path` belongs to this place, as the link's `aria-current` says.
    fn holds(self, path: &str) -> bool {
        let href = self.href();
        path == href
            || (!self.exact()
                && path
                    .strip_prefix(href)
                    .is_some_and(|rest| rest.starts_with('/')))
    }

    fn icon(self) -> IconName {
        match self {
            Place::Dashboard => IconName::Dashboard,
            Place::MyTasks => IconName::Tasks,
            Place::Activities | Place::Hours => IconName::Clock,
            Place::Crm => IconName::Board,
            Place::Quotes | Place::Invoices => IconName::File,
            Place::Contacts => IconName::Contacts,
            Place::Projects => IconName::Projects,
            Place::Tasks => IconName::List,
            Place::Products => IconName::Package,
            Place::Outbox | Place::MailTemplates => IconName::Mail,
            Place::Account => IconName::User,
            Place::Users => IconName::Users,
        }
    }

    fn label(self, locale: Locale) -> &'static str {
        match self {
            Place::Dashboard => td_string!(locale, nav.dashboard),
            Place::MyTasks => td_string!(locale, nav.my_tasks),
            Place::Activities => td_string!(locale, nav.my_activities),
            Place::Crm => td_string!(locale, nav.crm),
            Place::Quotes => td_string!(locale, nav.quotes),
            Place::Invoices => td_string!(locale, nav.invoices),
            Place::Contacts => td_string!(locale, nav.contacts),
            Place::Projects => td_string!(locale, nav.projects),
            Place::Tasks => td_string!(locale, nav.tasks),
            Place::Hours => td_string!(locale, nav.hours),
            Place::Products => td_string!(locale, nav.products),
            Place::Outbox => td_string!(locale, nav.outbox),
            Place::Account => td_string!(locale, nav.account),
            Place::Users => td_string!(locale, nav.users),
            Place::MailTemplates => td_string!(locale, project_mail.nav_templates),
        }
    }
}

/// One place in the navigation, with its counter where it has one.
#[component]
fn PlaceLink(place: Place) -> impl IntoView {
    let i18n = use_i18n();
    let counter = match place {
        Place::MyTasks => Some(view! { <crate::tasks::ui::NavCounter/> }.into_any()),
        Place::Activities => {
            Some(view! { <crate::activities::ui::ActivityNavCounter/> }.into_any())
        }
        _ => None,
    };
    view! {
        <A href=place.href() exact=place.exact() attr:class="nav-link">
            <Icon name=place.icon()/><span>{move || place.label(i18n.get_locale())}</span>
            {counter}
        </A>
    }
}

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
    let may_see_invoices = crate::ui::use_may(CompanyOp::InvoicesView);
    let may_edit_templates = crate::ui::use_may(CompanyOp::EditMailTemplates);
    let manages_users = crate::ui::use_manages_users();
    let may_go = move |place: &Place| match place {
        Place::Invoices => may_see_invoices,
        Place::Users => manages_users,
        Place::MailTemplates => may_edit_templates,
        _ => true,
    };
    let links = move |places: &[Place], skip: &[Place]| {
        places
            .iter()
            .copied()
            .filter(|place| may_go(place) && !skip.contains(place))
            .map(|place| view! { <PlaceLink place/> })
            .collect_view()
    };
    // "More" is marked as the current entry when the page is one of the places behind it.
    let location = use_location();
    let behind_more = move || {
        location
            .pathname
            .with(|path| !Place::ON_BAR.iter().any(|place| place.holds(path)))
    };
    let sign_out_form = move || {
        view! {
            <form class="sign-out" method="post" action=SignOut::url()
                on:submit=move |event| {
                    event.prevent_default();
                    sign_out.dispatch(SignOut {});
                }>
                <button type="submit" class="nav-link nav-link--button">
                    <Icon name=IconName::SignOut/><span>{t!(i18n, nav.sign_out)}</span>
                </button>
            </form>
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
                    {links(&Place::WORK, &[])}
                    <p class="nav-group" aria-hidden="true">{t!(i18n, nav.settings)}</p>
                    {links(&Place::SETTINGS, &[])}
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
                    {sign_out_form()}
                </div>
            </aside>
            <main id="content" class="content" tabindex="-1">
                <Outlet/>
            </main>
            <nav class="bottom-nav" aria-label=move || t_string!(i18n, nav.main)>
                {links(&Place::ON_BAR, &[])}
                // A sheet like the toolbar menus: `use_menu_behaviour` closes it on a choice,
                // on its backdrop, on Escape and on navigation.
                <details class="menu menu--bottom-sheet bottom-nav__more">
                    <summary class="nav-link" class:nav-link--current=behind_more data-testid="nav-more">
                        <Icon name=IconName::Menu/><span>{t!(i18n, nav.more)}</span>
                    </summary>
                    <div class="menu__panel">
                        {links(&Place::WORK, &Place::ON_BAR)}
                        <p class="menu__title" aria-hidden="true">{t!(i18n, nav.settings)}</p>
                        {links(&Place::SETTINGS, &[])}
                        {sign_out_form()}
                    </div>
                </details>
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
