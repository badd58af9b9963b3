//! Atrium: the application shared by the server (`ssr`) and the browser (`hydrate`).
//! Organised by feature; `domain` holds the pure rules both sides run.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod activities;
#[cfg(feature = "ssr")]
pub mod api;
pub mod auth;
pub mod codec;
pub mod contacts;
pub mod crm;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod documents;
pub use domain;
pub mod error;
pub mod invoices;
pub mod locale;
pub mod outbox;
mod pages;
pub mod products;
pub mod projects;
pub mod quotes;
pub mod registry;
#[cfg(feature = "ssr")]
pub mod seed;
pub mod shared;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod state;
pub mod tasks;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod upload;
pub mod users;
pub mod views;

use i18n::I18nContextProvider;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    paused_before_teardown(move || html_document(options))
}

/// Renders `view` in an owner whose effects are paused before the request's owner is torn down.
///
/// On the server, `Suspense` boundaries and the language context run isomorphic effects, each in
/// a task of its own. When a browser leaves mid-page, the request's owner is disposed, and a task
/// that runs after that would read disposed signals and panic. The owners of a request are
/// cleaned up in the order they were made, so a sentinel made first pauses the whole tree before
/// anything in it is disposed; the late tasks then see a paused owner and do nothing.
fn paused_before_teardown<V: IntoView>(view: impl FnOnce() -> V) -> impl IntoView {
    use leptos::tachys::reactive_graph::OwnedView;
    let sentinel = Owner::new();
    let tree = Owner::new();
    let paused = tree.clone();
    sentinel.with(|| on_cleanup(move || paused.pause()));
    // The request's owner keeps the sentinel (and so the tree) until it is torn down.
    on_cleanup(move || drop(sentinel));
    OwnedView::new_with_owner(tree.with(view), tree)
}

fn html_document(options: LeptosOptions) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="theme-color" content="#1f4e79"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <pages::PagePreloads options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <script src="/pwa.js" defer=true nonce=nonce></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    ui::provide_toasts();
    ui::provide_session_facts();
    let user: ui::UserResource =
        Resource::new_blocking(|| (), |_| users::account::api::signed_in_user());
    provide_context(user);
    view! {
        <I18nContextProvider>
            <Title formatter=|title: String| if title.is_empty() { "Atrium".to_string() } else { format!("{title} · Atrium") }/>
            <Meta name="description" content="Atrium: CRM and project management"/>
            <Router>
                <Routes fallback=ui::NotFound>
                    // In-order streaming: every page arrives complete and in order, so it
                    // reads and works before (or without) the wasm.
                    <Route path=path!("/sign-in") view=users::account::ui::SignInPage ssr=SsrMode::InOrder/>
                    <ParentRoute path=path!("") view=shell::AppShell ssr=SsrMode::InOrder>
                        <Route path=path!("") view={Lazy::<pages::DashboardRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("contacts") view={Lazy::<pages::ContactsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("contacts/import") view={Lazy::<pages::ImportRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("contacts/new") view={Lazy::<pages::NewContactRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("contacts/:id") view={Lazy::<pages::ContactRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("contacts/:id/edit") view={Lazy::<pages::EditContactRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("crm") view={Lazy::<pages::CrmRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("crm/new") view={Lazy::<pages::NewOpportunityRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("crm/settings") view={Lazy::<pages::CrmSettingsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("crm/:id") view={Lazy::<pages::OpportunityRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("activities") view={Lazy::<pages::MyActivitiesRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("quotes") view={Lazy::<pages::QuotesRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("quotes/:id") view={Lazy::<pages::QuoteRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("invoices") view={Lazy::<pages::InvoicesRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("invoices/settings") view={Lazy::<pages::InvoiceSettingsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("invoices/:id") view={Lazy::<pages::InvoiceRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("products") view={Lazy::<pages::CatalogueRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("products/new") view={Lazy::<pages::ProductRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("products/:id") view={Lazy::<pages::ProductRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("outbox") view={Lazy::<pages::OutboxRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("projects") view={Lazy::<pages::ProjectsRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("projects/new") view={Lazy::<pages::NewProjectRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("projects/:id") view={Lazy::<pages::ProjectRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("tasks") view={Lazy::<pages::TasksRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("tasks/:id") view={Lazy::<pages::TaskRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("my-tasks") view={Lazy::<pages::MyTasksRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("hours") view={Lazy::<pages::HoursRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("hours/:id") view={Lazy::<pages::TimeEntryRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("settings/account") view={Lazy::<pages::AccountRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("settings/users") view={Lazy::<pages::UsersRoute>::new()} ssr=SsrMode::InOrder/>
                        <Route path=path!("settings/mail-templates") view={Lazy::<pages::MailTemplatesRoute>::new()} ssr=SsrMode::InOrder/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}
