//! Invoice pages: the Invoices list, an invoice or credit note, and what a project's page
//! shows of invoicing (the task ledger with "Partial invoice", the history, completing and
//! unlocking).

mod customer;
mod dialogs;
pub mod merge;
mod order;
mod page;
mod project;
mod settings;

pub use customer::CustomerMoneyView;
pub use merge::{MergeDialog, MergePreview};
pub use page::InvoicePage;
pub use project::{CompleteDialog, InvoiceHistory, PartialInvoice, UnlockDialog};
pub use settings::InvoiceSettingsPage;

use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::invoices::invoice_href;
use crate::invoices::list::INVOICES;
use crate::ui::{use_shown, IconName, PageHeader, ViewChoice, ViewSwitcher};
use crate::views::ui::{analysis_choices, ListView};
use leptos::prelude::*;
use leptos_meta::Title;

/// The Invoices list: drafts, issued, overdue, paid and credit notes; group by customer,
/// month or status with sums per currency; favorites and export.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_shown(&["list", "pivot", "graph"]);
    let choices = std::iter::once(ViewChoice::new("list", "/invoices", IconName::List, |l| {
        td_string!(l, views.as_list)
    }))
    .chain(analysis_choices(
        "/invoices",
        "pr=customer&pc=invoice_date:month&pm=total&pm=open",
        "pr=invoice_date:month&pc=status&pm=total&gs=1",
    ))
    .collect::<Vec<_>>();
    view! {
        <Title text=move || t_string!(i18n, invoices.page_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, invoices.page_title).to_string())>
            <ViewSwitcher choices shown/>
            {crate::ui::use_may(crate::domain::policy::CompanyOp::Invoice).then(|| view! {
                <a class="button" href="/invoices/settings" data-action="invoice-settings">{t!(i18n, invoices.settings_title)}</a>
            })}
        </PageHeader>
        {move || if matches!(shown.get(), "pivot" | "graph") {
            view! { <ListView schema=&INVOICES base="/invoices" row_href=invoice_href analysis=true/> }.into_any()
        } else {
            view! { <ListView schema=&INVOICES base="/invoices" row_href=invoice_href/> }.into_any()
        }}
    }
}
