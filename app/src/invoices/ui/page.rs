//! The invoice page: header facts, lines and totals per tax rate, the open balance and
//! payments, and the actions of its state (issue or delete a draft, send, register a payment,
//! credit), with the invoice's activities and timeline.

use super::dialogs::{PaymentDialog, SendDialog};
use crate::activities::ui::{RecordActivities, RecordTimeline};
use crate::domain::invoice::{InvoiceAction, InvoiceKind};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{
    credit_invoice, delete_draft, get_invoice, issue_invoice, remove_line, save_draft,
};
use crate::invoices::{invoice_href, kind_label, method_label, status_label, DraftSave, Invoice};
use crate::locale::{format_date_short, format_decimal, format_percent, from_locale};
use crate::shared::RecordKind;
use crate::ui::{
    kept, use_changes, use_go_to, Changes, DateInput, ErrorAlert, Icon, IconName, PageHeader,
    RecordPage,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InvoicePage() -> impl IntoView {
    view! {
        <RecordPage load=get_invoice
            show={|invoice: Invoice, changes: Changes| view! { <InvoiceView invoice changes/> }}/>
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Open {
    Nothing,
    Send,
    Pay,
}

#[component]
fn InvoiceView(invoice: Invoice, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let language = move || from_locale(i18n.get_locale());
    let id = invoice.id;
    let version = invoice.version;
    let open = RwSignal::new(Open::Nothing);
    let timeline = use_changes();
    let editable = invoice.allows(InvoiceAction::Edit);
    let title = {
        let kind = invoice.kind;
        let number = invoice.number.clone();
        move || {
            let locale = i18n.get_locale();
            match &number {
                Some(number) => format!("{} {number}", kind_label(locale, kind)),
                None => match kind {
                    InvoiceKind::Invoice => t_string!(i18n, invoices.draft_invoice).to_string(),
                    InvoiceKind::CreditNote => {
                        t_string!(i18n, invoices.draft_credit_note).to_string()
                    }
                },
            }
        }
    };
    let page_title = title.clone();

    // The draft's header form.
    let invoice_date = RwSignal::new(format_date_short(
        from_locale(i18n.get_locale_untracked()),
        invoice.invoice_date,
    ));
    let terms = RwSignal::new(invoice.payment_terms_days.to_string());
    let notes = RwSignal::new(invoice.notes.clone());
    let error = RwSignal::new(None::<AppError>);
    let field_errors = crate::ui::use_field_errors(error);
    let save = move |_| {
        let draft = DraftSave {
            id,
            version,
            invoice_date: invoice_date.get_untracked(),
            payment_terms_days: terms.get_untracked(),
            notes: notes.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_draft(draft).await {
                Ok(()) => changes.reload(),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let issue = move |_| changes.run(issue_invoice(id, version));
    let after_delete = match invoice.project.as_ref() {
        Some(project) => format!("/projects/{}?tab=invoices", project.id),
        None => "/invoices".to_string(),
    };
    let delete = {
        let go_to = go_to.clone();
        move |_| {
            let question = t_string!(i18n, invoices.delete_confirm).to_string();
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return;
            }
            let go_to = go_to.clone();
            let after = after_delete.clone();
            changes.run_then(delete_draft(id, version), move |()| go_to(&after));
        }
    };
    let credit = {
        let go_to = go_to.clone();
        move |_| {
            let go_to = go_to.clone();
            changes.run_then(credit_invoice(id, version), move |note| {
                go_to(&invoice_href(note))
            })
        }
    };
    let actions = [
        InvoiceAction::Issue,
        InvoiceAction::Send,
        InvoiceAction::RegisterPayment,
        InvoiceAction::Credit,
        InvoiceAction::Delete,
    ]
    .into_iter()
    .filter(|a| invoice.allows(*a))
    .collect::<Vec<_>>();
    let status = invoice.status;
    let currency = invoice.currency;
    let money = move |amount: rust_decimal::Decimal| {
        crate::domain::Money::new(amount, currency).format(language())
    };
    let lines = invoice.lines.clone();
    let taxes = invoice.taxes.clone();
    let payments = invoice.payments.clone();
    let (untaxed, total, paid, credited, open_balance) = (
        invoice.untaxed,
        invoice.total,
        invoice.paid,
        invoice.credited,
        invoice.open,
    );

    view! {
        <Title text=page_title/>
        <PageHeader title=Signal::derive(title)>
            <a class="button" href="/invoices">{t!(i18n, invoices.back_to_invoices)}</a>
            <a class="button" href=format!("/files/invoices/{id}") target="_blank" rel="noopener" data-action="invoice-pdf">
                <Icon name=IconName::File/><span>"PDF"</span>
            </a>
            {actions.into_iter().map(|action| {
                let credit = credit.clone();
                let delete = delete.clone();
                let (key, primary) = match action {
                    InvoiceAction::Issue => ("issue-invoice", true),
                    InvoiceAction::Send => ("send-invoice", false),
                    InvoiceAction::RegisterPayment => ("register-payment", true),
                    InvoiceAction::Credit => ("credit-invoice", false),
                    _ => ("delete-invoice", false),
                };
                view! {
                    <button type="button" class="button" class:button--primary=primary
                        class:button--danger=action == InvoiceAction::Delete data-action=key
                        on:click=move |event| match action {
                            InvoiceAction::Issue => issue(event),
                            InvoiceAction::Send => open.set(Open::Send),
                            InvoiceAction::RegisterPayment => open.set(Open::Pay),
                            InvoiceAction::Credit => credit(event),
                            _ => delete(event),
                        }>
                        {move || match action {
                            InvoiceAction::Issue => t_string!(i18n, invoices.issue),
                            InvoiceAction::Send => t_string!(i18n, invoices.send_by_email),
                            InvoiceAction::RegisterPayment => t_string!(i18n, invoices.register_payment),
                            InvoiceAction::Credit => t_string!(i18n, invoices.make_credit_note),
                            _ => t_string!(i18n, invoices.delete_draft),
                        }}
                    </button>
                }
            }).collect_view()}
        </PageHeader>
        <div class="opportunity-status">
            <span class="status-badge" data-status=status.as_str() data-testid="invoice-status">
                {move || status_label(i18n.get_locale(), status)}
            </span>
            {invoice.project.clone().map(|p| view! {
                <span class="muted">{t!(i18n, invoices.project)} ": " <a href=RecordKind::Project.href(p.id)>{p.label}</a></span>
            })}
            {invoice.order.clone().map(|o| view! {
                <span class="muted">{t!(i18n, invoices.order)} ": " <a href=RecordKind::Quote.href(o.id)>{o.label}</a></span>
            })}
            {invoice.credits.clone().map(|c| view! {
                <span class="muted">{t!(i18n, invoices.credits)} ": " <a href=invoice_href(c.id)>{c.label}</a></span>
            })}
            {invoice.credit_notes.clone().into_iter().map(|c| view! {
                <span class="muted">{t!(i18n, invoices.credit_note)} ": " <a href=invoice_href(c.id)>{c.label}</a></span>
            }).collect_view()}
            {invoice.sent_to.clone().zip(invoice.sent_at).map(|(to, at)| view! {
                <span class="muted" data-testid="invoice-sent">
                    {t!(i18n, invoices.sent_to)} " " {to} " · " {move || format_date_short(language(), at.date_naive())}
                </span>
            })}
        </div>
        <div class="quote-layout">
            <div class="quote-layout__main">
                <section class="card">
                    <dl class="facts">
                        <div><dt>{t!(i18n, invoices.customer)}</dt><dd><a href=RecordKind::Contact.href(invoice.customer.id)>{invoice.customer.name.clone()}</a></dd></div>
                        {invoice.contact.clone().map(|c| view! {
                            <div><dt>{t!(i18n, invoices.billing_contact)}</dt><dd><a href=RecordKind::Contact.href(c.id)>{c.name}</a></dd></div>
                        })}
                        {(!editable).then(|| view! {
                            <div><dt>{t!(i18n, invoices.invoice_date)}</dt><dd>{move || format_date_short(language(), invoice.invoice_date)}</dd></div>
                            <div><dt>{t!(i18n, invoices.due_date)}</dt><dd>{move || format_date_short(language(), invoice.due_date)}</dd></div>
                        })}
                        {invoice.payment_reference.clone().map(|r| view! {
                            <div><dt>{t!(i18n, invoices.payment_reference)}</dt><dd data-testid="payment-reference">{r}</dd></div>
                        })}
                    </dl>
                    {editable.then(|| view! {
                        <form class="form form--grid" data-testid="draft-form" on:submit=move |e| { e.prevent_default(); save(()); }>
                            <div class="field">
                                <label for="invoice-date">{t!(i18n, invoices.invoice_date)}</label>
                                <DateInput id="invoice-date" value=invoice_date on_input=Callback::new(move |value| invoice_date.set(value))/>
                                {field_errors.line("invoice_date")}
                            </div>
                            <div class="field">
                                <label for="invoice-terms">{t!(i18n, invoices.payment_terms)}</label>
                                <input id="invoice-terms" type="number" min="0" max="365" inputmode="numeric"
                                    prop:value=kept(terms) on:input=move |e| terms.set(event_target_value(&e))/>
                                {field_errors.line("payment_terms_days")}
                            </div>
                            <div class="field field--wide">
                                <label for="invoice-notes">{t!(i18n, invoices.notes)}</label>
                                <textarea id="invoice-notes" rows="3" prop:value=kept(notes) on:input=move |e| notes.set(event_target_value(&e))>{notes.get_untracked()}</textarea>
                                {field_errors.line("notes")}
                            </div>
                            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                            <div class="form__actions">
                                <button type="submit" class="button" data-action="save-invoice">{t!(i18n, save)}</button>
                            </div>
                        </form>
                    })}
                    {(!editable && !invoice.notes.is_empty()).then(|| view! { <p class="prewrap">{invoice.notes.clone()}</p> })}
                </section>
                <section class="card">
                    <div class="table-wrap">
                        <table class="table" data-testid="invoice-lines">
                            <thead><tr>
                                <th scope="col">{t!(i18n, quotes.description)}</th>
                                <th scope="col" class="numeric">{t!(i18n, quotes.quantity)}</th>
                                <th scope="col" class="numeric">{t!(i18n, quotes.unit_price)}</th>
                                <th scope="col" class="numeric">{t!(i18n, quotes.tax)}</th>
                                <th scope="col" class="numeric">{t!(i18n, quotes.amount)}</th>
                                {editable.then(|| view! { <th scope="col"><span class="visually-hidden">{t!(i18n, views.actions)}</span></th> })}
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|line| {
                                    let line_id = line.id;
                                    view! {
                                        <tr>
                                            <th scope="row" data-label=move || t_string!(i18n, quotes.description)>
                                                {match line.task {
                                                    Some(task) => view! { <a href=RecordKind::Task.href(task)>{line.description.clone()}</a> }.into_any(),
                                                    None => view! { <span>{line.description.clone()}</span> }.into_any(),
                                                }}
                                            </th>
                                            <td class="numeric" data-label=move || t_string!(i18n, quotes.quantity)>
                                                {move || format!("{} {}", format_decimal(language(), line.quantity, line.quantity.normalize().scale()), line.unit).trim().to_string()}
                                            </td>
                                            <td class="numeric" data-label=move || t_string!(i18n, quotes.unit_price)>{move || money(line.unit_price)}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, quotes.tax)>{move || line.tax.map(|t| format_percent(language(), t.rate)).unwrap_or_default()}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, quotes.amount)>{move || money(line.subtotal)}</td>
                                            {editable.then(|| view! {
                                                <td class="actions-cell">
                                                    <button type="button" class="icon-button" data-action="remove-line"
                                                        aria-label=move || t_string!(i18n, invoices.remove_line).to_string()
                                                        on:click=move |_| changes.run(remove_line(id, version, line_id))>
                                                        <Icon name=IconName::Trash/>
                                                    </button>
                                                </td>
                                            })}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <dl class="quote-totals" data-testid="invoice-totals">
                        <div><dt>{t!(i18n, quotes.untaxed)}</dt><dd>{move || untaxed.format(language())}</dd></div>
                        {taxes.into_iter().map(|(tax, base, amount)| view! {
                            <div><dt>{move || format!("{} {} {} {}", t_string!(i18n, quotes.tax), format_percent(language(), tax.rate), t_string!(i18n, quotes.on_amount), money(base))}</dt>
                                <dd>{move || money(amount)}</dd></div>
                        }).collect_view()}
                        <div class="quote-totals__total"><dt>{t!(i18n, quotes.total)}</dt><dd>{move || total.format(language())}</dd></div>
                        {(!credited.amount.is_zero()).then(|| view! {
                            <div><dt>{t!(i18n, invoices.credited)}</dt><dd>{move || credited.format(language())}</dd></div>
                        })}
                        {(!paid.amount.is_zero()).then(|| view! {
                            <div><dt>{t!(i18n, invoices.paid)}</dt><dd>{move || paid.format(language())}</dd></div>
                        })}
                        {(invoice.kind == InvoiceKind::Invoice && invoice.number.is_some()).then(|| view! {
                            <div class="quote-totals__total"><dt>{t!(i18n, invoices.open)}</dt><dd data-testid="open-balance">{move || open_balance.format(language())}</dd></div>
                        })}
                    </dl>
                </section>
                {(!payments.is_empty()).then(|| view! {
                    <section class="card">
                        <h2 class="subheading">{t!(i18n, invoices.payments)}</h2>
                        <ul class="plain-list" data-testid="payments">
                            {payments.into_iter().map(|p| view! {
                                <li>
                                    {move || format_date_short(language(), p.paid_on)} " · "
                                    <strong>{move || p.amount.format(language())}</strong> " · "
                                    {move || method_label(i18n.get_locale(), p.method)}
                                    {p.by.clone().map(|u| view! { <span class="muted">" · " {u.name}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            </div>
            <div class="quote-layout__side">
                <RecordActivities kind=RecordKind::Invoice record=id changes=timeline/>
                <RecordTimeline kind=RecordKind::Invoice record=id changes=timeline/>
            </div>
        </div>
        {move || match open.get() {
            Open::Nothing => ().into_any(),
            Open::Send => view! {
                <SendDialog id version on_close=Callback::new(move |()| open.set(Open::Nothing))
                    on_sent=Callback::new(move |()| { open.set(Open::Nothing); changes.reload(); })/>
            }.into_any(),
            Open::Pay => view! {
                <PaymentDialog id version open=open_balance on_close=Callback::new(move |()| open.set(Open::Nothing))
                    on_paid=Callback::new(move |()| { open.set(Open::Nothing); changes.reload(); })/>
            }.into_any(),
        }}
    }
}
