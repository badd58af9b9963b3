//! The pages the browser loads on first visit (`cargo leptos build --split`): the first load
//! carries sign-in and the shell; each section below (the dashboard, the contact pages, the
//! CRM pages, …) is one wasm chunk, fetched the first time one of its pages opens. A chunk per
//! section rather than per page: the code pages of a section share stays in their chunk, and a
//! visit fetches a few files, not hundreds. On the server every page renders at once.

mod preload;

use leptos::prelude::*;
use leptos_router::LazyRoute;

pub use preload::PagePreloads;

/// A section: an enum of its pages, the one lazily loaded function that renders them (with
/// the preloader `#[lazy]` makes for it in the browser), and a route type per page for
/// `Lazy::<…>::new()` in the router. Taking over a server-rendered page, the router preloads
/// the chunk first (with the list engine's, when the page shows a list, and those `also`
/// names), so the page's view is ready when its part of the document is hydrated.
macro_rules! section {
    ($load:ident, $preload:ident, $pages:ident { $($route:ident => $page:path,)* }) => {
        section!($load, $preload, $pages { $($route => $page,)* } also nothing_else);
    };
    ($load:ident, $preload:ident, $pages:ident { $($route:ident => $page:path,)* }
        also $also:path) => {
        #[derive(Clone, Copy)]
        #[allow(clippy::enum_variant_names)] // named after the route types, all "…Route"
        pub enum $pages {
            $($route,)*
        }

        #[lazy]
        fn $load(page: $pages) -> AnyView {
            match page {
                $($pages::$route => $page().into_any(),)*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $load($pages::$route).await
                }

                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    futures_util::future::join3(
                        $preload(),
                        crate::views::ui::preload_shown_list(),
                        $also(),
                    )
                    .await;
                }
            }
        )*
    };
}

/// What a section preloads `also` when it names nothing.
#[cfg(target_arch = "wasm32")]
async fn nothing_else() {}

// The dashboard apart from the first load, which every page needs: the page a phone opens
// most after it is the board, and that one need not carry the dashboard's tiles. A first
// visit to the dashboard fetches its bundle alongside the main module (preload.rs).
section!(dashboard, __preload_dashboard, DashboardPages {
    DashboardRoute => crate::dashboard::DashboardPage,
});

section!(contact_pages, __preload_contact_pages, ContactPages {
    ContactsRoute => crate::contacts::ui::ContactsPage,
    ImportRoute => crate::contacts::import::ui::ImportPage,
    NewContactRoute => crate::contacts::ui::NewContactPage,
    ContactRoute => crate::contacts::ui::ContactPage,
    EditContactRoute => crate::contacts::ui::EditContactPage,
});

// The board apart from the CRM's other pages: it is the page a salesperson opens most, often
// on a phone, and the opportunity page and the settings are most of the section's code.
section!(crm_board, __preload_crm_board, CrmBoardPages {
    CrmRoute => crate::crm::ui::CrmPage,
} also crate::crm::ui::preload_shown_calendar);

section!(crm_pages, __preload_crm_pages, CrmPages {
    NewOpportunityRoute => crate::crm::ui::NewOpportunityPage,
    OpportunityRoute => crate::crm::ui::OpportunityPage,
});

section!(activity_pages, __preload_activity_pages, ActivityPages {
    MyActivitiesRoute => crate::activities::ui::MyActivitiesPage,
});

section!(quote_pages, __preload_quote_pages, QuotePages {
    QuotesRoute => crate::quotes::ui::QuotesPage,
    QuoteRoute => crate::quotes::ui::QuotePage,
});

section!(invoice_pages, __preload_invoice_pages, InvoicePages {
    InvoicesRoute => crate::invoices::ui::InvoicesPage,
    InvoiceSettingsRoute => crate::invoices::ui::InvoiceSettingsPage,
    InvoiceRoute => crate::invoices::ui::InvoicePage,
});

section!(product_pages, __preload_product_pages, ProductPages {
    CatalogueRoute => crate::products::ui::CataloguePage,
    ProductRoute => crate::products::ui::ProductPage,
});

section!(outbox_pages, __preload_outbox_pages, OutboxPages {
    OutboxRoute => crate::outbox::ui::OutboxPage,
});

// The projects' list and board apart from a project's page: a site worker opens a project
// from a link or the dashboard, and the list is for the office.
section!(project_list, __preload_project_list, ProjectListPages {
    ProjectsRoute => crate::projects::ui::ProjectsPage,
});

section!(project_pages, __preload_project_pages, ProjectPages {
    NewProjectRoute => crate::projects::ui::NewProjectPage,
    ProjectRoute => crate::projects::ui::ProjectPage,
});

section!(task_pages, __preload_task_pages, TaskPages {
    TasksRoute => crate::tasks::ui::TasksPage,
    TaskRoute => crate::tasks::ui::TaskPage,
    MyTasksRoute => crate::tasks::ui::MyTasksPage,
    HoursRoute => crate::tasks::ui::HoursPage,
    TimeEntryRoute => crate::tasks::ui::TimeEntryPage,
});

// The settings of every room together, away from the pages used every day: a deal's page
// does not carry the pipeline's settings, nor a project's page the e-mail templates.
section!(settings_pages, __preload_settings_pages, SettingsPages {
    AccountRoute => crate::users::account::ui::AccountPage,
    UsersRoute => crate::users::ui::UsersPage,
    CrmSettingsRoute => crate::crm::ui::CrmSettingsPage,
    MailTemplatesRoute => crate::projects::mail::settings_ui::MailTemplatesPage,
});
