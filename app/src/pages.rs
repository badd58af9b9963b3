//! The pages the browser loads on first visit, each in a chunk of its own (`cargo leptos
//! build --split`): the first load carries the shell, sign-in and the dashboard only. On the
//! server a lazy page renders at once, as any other.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// A route type per page component, whose view is split off into its own chunk.
macro_rules! lazy_pages {
    ($($route:ident => $page:path,)*) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    ContactsRoute => crate::contacts::ui::ContactsPage,
    ImportRoute => crate::contacts::import::ui::ImportPage,
    NewContactRoute => crate::contacts::ui::NewContactPage,
    ContactRoute => crate::contacts::ui::ContactPage,
    EditContactRoute => crate::contacts::ui::EditContactPage,
    CrmRoute => crate::crm::ui::CrmPage,
    NewOpportunityRoute => crate::crm::ui::NewOpportunityPage,
    CrmSettingsRoute => crate::crm::ui::CrmSettingsPage,
    OpportunityRoute => crate::crm::ui::OpportunityPage,
    MyActivitiesRoute => crate::activities::ui::MyActivitiesPage,
    QuotesRoute => crate::quotes::ui::QuotesPage,
    QuoteRoute => crate::quotes::ui::QuotePage,
    InvoicesRoute => crate::invoices::ui::InvoicesPage,
    InvoiceSettingsRoute => crate::invoices::ui::InvoiceSettingsPage,
    InvoiceRoute => crate::invoices::ui::InvoicePage,
    CatalogueRoute => crate::products::ui::CataloguePage,
    ProductRoute => crate::products::ui::ProductPage,
    OutboxRoute => crate::outbox::ui::OutboxPage,
    ProjectsRoute => crate::projects::ui::ProjectsPage,
    NewProjectRoute => crate::projects::ui::NewProjectPage,
    ProjectRoute => crate::projects::ui::ProjectPage,
    TasksRoute => crate::tasks::ui::TasksPage,
    TaskRoute => crate::tasks::ui::TaskPage,
    MyTasksRoute => crate::tasks::ui::MyTasksPage,
    AccountRoute => crate::users::account::ui::AccountPage,
    UsersRoute => crate::users::ui::UsersPage,
    MailTemplatesRoute => crate::projects::mail::settings_ui::MailTemplatesPage,
}
