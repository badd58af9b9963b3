//! The one door from a lower room to a higher one. Features depend on each other in one
//! direction (see README); what a lower feature needs from a higher one is listed here, by
//! the app, so that the lower feature names no higher feature: the lists the view engine
//! serves, the access rule of each record kind, and the sections that pages of lower
//! features show for higher ones.

#[cfg(feature = "ssr")]
pub mod access;

use crate::views::ListSchema;

/// Every list, by its key: URLs, saved views and exports name lists by key.
pub fn list_schema(key: &str) -> Option<&'static ListSchema> {
    [
        &crate::contacts::list::CONTACTS,
        &crate::projects::list::PROJECTS,
        &crate::tasks::list::TASKS,
        &crate::crm::list::OPPORTUNITIES,
        &crate::quotes::list::QUOTES,
        &crate::invoices::list::INVOICES,
        &crate::tasks::time_list::TIME_ENTRIES,
    ]
    .into_iter()
    .find(|s| s.key == key)
}

/// What a contact's page shows of projects, quotes and activities.
pub mod contact_page {
    pub use crate::activities::ui::RecordActivity;
    pub use crate::invoices::ui::CustomerMoneyView;
    pub use crate::projects::api::customer_projects;
    pub use crate::projects::ui::{CustomerProjects, CustomerProjectsResource};
    pub use crate::quotes::ui::QuoteList;
}

/// What a deal's page shows of quotes: its quotes, and the dialog that starts one.
pub mod deal_page {
    pub use crate::quotes::ui::{NewQuoteDialog, QuoteList};
}

/// What a project's page shows of invoicing: the task ledger and "Partial invoice", the
/// invoice history tab, completing (with the final invoice) and unlocking, and adding tasks
/// from the catalogue or the configurator.
pub mod project_page {
    pub use crate::invoices::api::load_project_billing;
    pub use crate::invoices::ui::{
        CompleteDialog, InvoiceHistory, MergeDialog, PartialInvoice, UnlockDialog,
    };
    pub use crate::invoices::{ProjectBilling, TaskLedger};
    pub use crate::products::project_tasks::ui::AddFromCatalogue;
}
