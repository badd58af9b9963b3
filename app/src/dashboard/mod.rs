//! The landing page after signing in: "how are we doing" in tiles chosen by the role (the
//! caller's sales, the team's, the money), then where to go, then my tasks.

pub mod api;
#[cfg(feature = "ssr")]
mod db;
pub mod figures;
mod tiles;

use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_long, format_decimal, from_locale, is_singular};
use crate::ui::UserResource;
use crate::users::api::count_active_users;
use crate::users::ui::role_label;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = expect_context::<UserResource>();
    let team = Resource::new(|| (), |_| count_active_users());
    let today = crate::ui::use_clock().today();
    view! {
        <Title text=move || t_string!(i18n, dashboard.title).to_string()/>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(user)) = user.await else { return ().into_any() };
                let name = user.display_name.clone();
                let role = user.role;
                let is_admin = role.can_manage_users();
                view! {
                    <header class="page-header">
                        <h1>{move || t_string!(i18n, dashboard.welcome, name = name.clone()).to_string()}</h1>
                    </header>
                    <p class="lead">
                        {move || t_string!(i18n, dashboard.today,
                            date = format_date_long(from_locale(i18n.get_locale()), today)).to_string()}
                        " "
                        {move || t_string!(i18n, dashboard.role,
                            role = role_label(i18n.get_locale(), role)).to_string()}
                    </p>
                    <div class="cards">
                        <section class="card">
                            <h2>{t!(i18n, dashboard.team_title)}</h2>
                            <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
                                {move || Suspend::new(async move {
                                    team.await.ok().map(|count| {
                                        view! { <p class="metric">{move || team_count_text(i18n.get_locale(), count)}</p> }
                                    })
                                })}
                            </Suspense>
                        </section>
                        <a class="card card--link" href="/projects">
                            <h2>{t!(i18n, nav.projects)}</h2>
                            <p class="muted">{t!(i18n, dashboard.projects_body)}</p>
                        </a>
                        <a class="card card--link" href="/settings/account">
                            <h2>{t!(i18n, dashboard.account_title)}</h2>
                            <p class="muted">{t!(i18n, dashboard.account_body)}</p>
                        </a>
                        {is_admin.then(|| view! {
                            <a class="card card--link" href="/settings/users">
                                <h2>{t!(i18n, dashboard.users_title)}</h2>
                                <p class="muted">{t!(i18n, dashboard.users_body)}</p>
                            </a>
                        })}
                    </div>
                }.into_any()
            })}
        </Suspense>
        <tiles::DashboardTiles/>
        // Outside the suspense above, so that server and browser create its resource alike.
        <section class="dashboard-tasks" aria-labelledby="dashboard-tasks-title">
            <h2 id="dashboard-tasks-title"><a href="/my-tasks">{t!(i18n, nav.my_tasks)}</a></h2>
            <crate::tasks::ui::MyTasks/>
        </section>
    }
}

/// "12 active users", in the user's language.
fn team_count_text(locale: Locale, count: i64) -> String {
    let language = from_locale(locale);
    let shown = format_decimal(language, rust_decimal::Decimal::from(count), 0);
    if is_singular(language, count.unsigned_abs()) {
        td_string!(locale, dashboard.team_count_singular, count = shown).to_string()
    } else {
        td_string!(locale, dashboard.team_count, count = shown).to_string()
    }
}
