//! The sales order on a project's Invoices tab: what it sold, the down payments invoiced and
//! what the final invoice will deduct; a down payment (percentage or amount) and the final
//! invoice, each made as a draft whose page opens next.

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{invoice_down_payment, invoice_rest};
use crate::invoices::{invoice_href, OrderSummary, DOWN_PAYMENT_TEXT_MAX};
use crate::locale::from_locale;
use crate::shared::RecordKind;
use crate::ui::{use_go_to, Changes, Dialog, ErrorAlert, Icon, IconName};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn OrderPanel(
    project: Uuid,
    order: OrderSummary,
    may_invoice: bool,
    changes: Changes,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    let go_to = use_go_to();
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let final_invoice = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let go_to = go_to.clone();
        leptos::task::spawn_local(async move {
            match invoice_rest(project).await {
                Ok(invoice) => go_to(&invoice_href(invoice)),
                Err(error) => {
                    changes.fail(&error);
                    busy.set(false);
                }
            }
        });
    };
    let OrderSummary {
        quote,
        number,
        untaxed,
        down_payments,
        to_deduct,
    } = order;
    view! {
        <section class="order-panel" data-testid="order-panel" aria-labelledby="order-panel-title">
            <h3 id="order-panel-title" class="order-panel__title">
                {t!(i18n, invoices.sales_order)} " "
                <a href=RecordKind::Quote.href(quote)>{number}</a>
            </h3>
            <dl class="order-panel__figures">
                <div><dt>{t!(i18n, invoices.order_untaxed)}</dt><dd class="numeric">{move || untaxed.format(language())}</dd></div>
                <div><dt>{t!(i18n, invoices.down_payments_invoiced)}</dt><dd class="numeric" data-testid="down-payments">{move || down_payments.format(language())}</dd></div>
                <div><dt>{t!(i18n, invoices.to_deduct)}</dt><dd class="numeric" data-testid="to-deduct">{move || to_deduct.format(language())}</dd></div>
            </dl>
            {may_invoice.then(|| view! {
                <div class="order-panel__actions">
                    <button type="button" class="button" data-action="down-payment" on:click=move |_| asking.set(true)>
                        <Icon name=IconName::Plus/>
                        <span>{t!(i18n, invoices.down_payment)}</span>
                    </button>
                    <button type="button" class="button" data-action="final-invoice"
                        disabled=move || busy.get() on:click=final_invoice.clone()>
                        <Icon name=IconName::File/>
                        <span>{t!(i18n, invoices.final_invoice)}</span>
                    </button>
                </div>
            })}
            <Show when=move || asking.get()>
                <DownPaymentDialog project on_close=Callback::new(move |()| asking.set(false))/>
            </Show>
        </section>
    }
}

/// A down payment on the order: a percentage of it or an amount, both without tax.
#[component]
fn DownPaymentDialog(project: Uuid, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let by_percent = RwSignal::new(true);
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let field_errors = crate::ui::use_field_errors(error);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let go_to = go_to.clone();
        let (percent, text) = (by_percent.get_untracked(), value.get_untracked());
        leptos::task::spawn_local(async move {
            match invoice_down_payment(project, percent, text).await {
                Ok(invoice) => {
                    on_close.run(());
                    go_to(&invoice_href(invoice));
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <Dialog title_id="down-payment-title" title=Signal::derive(move || t_string!(i18n, invoices.down_payment).to_string()) on_close>
            <form class="form" data-testid="down-payment-form" on:submit=submit>
                {move || error.get().filter(|e| e.field() != Some("amount")).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <fieldset class="choices">
                    <legend>{t!(i18n, invoices.down_payment_as)}</legend>
                    <label class="choice">
                        <input type="radio" name="down-payment-kind" prop:checked=move || by_percent.get()
                            on:change=move |_| by_percent.set(true)/>
                        <span>{t!(i18n, invoices.down_payment_percent)}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="down-payment-kind" prop:checked=move || !by_percent.get()
                            on:change=move |_| by_percent.set(false)/>
                        <span>{t!(i18n, invoices.down_payment_amount)}</span>
                    </label>
                </fieldset>
                <div class="field">
                    <label for="down-payment-value">
                        {move || if by_percent.get() { t_string!(i18n, invoices.down_payment_percent_label) } else { t_string!(i18n, invoices.down_payment_amount_label) }}
                    </label>
                    <input id="down-payment-value" inputmode="decimal" required=true maxlength=DOWN_PAYMENT_TEXT_MAX.to_string()
                        prop:value=value on:input=move |e| value.set(event_target_value(&e))/>
                    {field_errors.line("amount")}
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="make-down-payment" disabled=move || busy.get()>
                        {t!(i18n, invoices.make_down_payment)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
