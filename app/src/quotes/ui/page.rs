//! The quote page: the form (customer, dates, lines from the catalogue or the configurator,
//! sections and notes) whose totals follow every keystroke through `domain::quote`, the
//! actions of its state (send by e-mail, confirm, back to draft, cancel), the PDF, and the
//! quote's activities and timeline. A sales order shows read-only.

use super::dialogs::{ConfirmDialog, SendDialog};
use super::lines::{AddLine, ConfigureDialog, Lines, Row, TotalsView};
use crate::activities::ui::{RecordActivities, RecordTimeline};
use crate::contacts::ui::{ContactPicker, PickedContact};
use crate::domain::quote::{lines_totals, parse_line, LineInput, LineKind};
use crate::domain::quote_state::{QuoteAction, QuoteStatus};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_short, from_locale};
use crate::products::api::load_catalogue;
use crate::products::CatalogueItem;
use crate::quotes::api::{act_on_quote, get_quote, save_quote};
use crate::quotes::{new_line, status_label, Quote, QuoteSave};
use crate::shared::RecordKind;
use crate::ui::InBrowser;
use crate::ui::{
    kept, use_changes, use_go_to, use_toasts, Changes, DateInput, ErrorAlert, Icon, IconName,
    PageHeader, RecordPage,
};
use crate::users::UserSelect;
use leptos::prelude::*;
use leptos_meta::Title;
use rust_decimal::Decimal;
use uuid::Uuid;

#[component]
pub fn QuotePage() -> impl IntoView {
    view! {
        <RecordPage load=get_quote
            show={|quote: Quote, changes: Changes| view! { <QuoteView quote changes/> }}/>
    }
}

/// Which dialog is open.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Nothing,
    Configure { key: u32, product: Uuid },
    Send,
    Confirm,
}

#[component]
fn QuoteView(quote: Quote, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let go_to = use_go_to();
    let language = move || from_locale(i18n.get_locale());
    let id = quote.id;
    let editable = quote.may_edit;
    let reload = move || changes.reload();
    // The activities and the timeline reload on their own changes, and with the page.
    let timeline = use_changes();

    // The form's state.
    let title = RwSignal::new(quote.title.clone());
    let customer = RwSignal::new(PickedContact::from(quote.customer.clone()));
    let contact = RwSignal::new(PickedContact::from(quote.contact.clone()));
    let salesperson = RwSignal::new(
        quote
            .salesperson
            .as_ref()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
    );
    let shown_day = move |day: chrono::NaiveDate| {
        format_date_short(from_locale(i18n.get_locale_untracked()), day)
    };
    let quote_date = RwSignal::new(shown_day(quote.quote_date));
    let valid_until = RwSignal::new(quote.valid_until.map(shown_day).unwrap_or_default());
    let currency = RwSignal::new(quote.currency.to_string());
    let notes = RwSignal::new(quote.notes.clone());
    let next_key = StoredValue::new(quote.lines.len() as u32);
    let rows = RwSignal::new(
        quote
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| Row {
                key: i as u32,
                line: l.input.clone(),
            })
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<AppError>);
    // The version the next save states: each save returns the stored quote's new one.
    let version = RwSignal::new(quote.version);
    let dirty = RwSignal::new(false);
    let open = RwSignal::new(Open::Nothing);
    let busy = RwSignal::new(false);

    let catalogue = LocalResource::new(load_catalogue);
    let loaded = Signal::derive(move || {
        catalogue
            .in_browser()
            .and_then(Result::ok)
            .unwrap_or_default()
    });

    // Totals while typing: the same arithmetic the server stores. A draft takes today's
    // rates, as its next save will; a quote that can no longer change keeps its stored ones.
    let stored_taxes = StoredValue::new(quote.stored_taxes());
    let totals = Memo::new(move |_| {
        let catalogue = loaded.get();
        let tax = |id: Uuid| match editable {
            true => catalogue.tax(id),
            false => stored_taxes.with_value(|taxes| taxes.get(&id).copied()),
        };
        rows.with(|rows| {
            let parsed: Vec<_> = rows
                .iter()
                .filter_map(|r| parse_line(&r.line, tax).ok())
                .collect();
            lines_totals(&parsed)
        })
    });

    // A name typed in a picker that picked nobody is refused here: saving would drop it.
    let form = move || -> Result<QuoteSave, AppError> {
        Ok(QuoteSave {
            id,
            version: version.get_untracked(),
            title: title.get_untracked(),
            customer_id: customer
                .with_untracked(|c| c.require(i18n.get_locale_untracked(), "customer"))?,
            contact_id: contact
                .with_untracked(|c| c.require(i18n.get_locale_untracked(), "contact"))?,
            salesperson_id: Uuid::parse_str(&salesperson.get_untracked()).ok(),
            quote_date: quote_date.get_untracked(),
            valid_until: valid_until.get_untracked(),
            currency: currency.get_untracked(),
            notes: notes.get_untracked(),
            lines: rows.with_untracked(|rows| rows.iter().map(|r| r.line.clone()).collect()),
        })
    };
    // Saves when the form changed; `then` runs after a successful save (or at once).
    let save_then = move |then: Option<Callback<()>>| {
        if !editable || !dirty.get_untracked() {
            if let Some(then) = then {
                then.run(());
            }
            return;
        }
        let form = match form() {
            Ok(form) => form,
            Err(refused) => {
                error.set(Some(refused));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_quote(form).await {
                Ok(saved) => {
                    version.set(saved.version);
                    error.set(None);
                    dirty.set(false);
                    match then {
                        Some(then) => then.run(()),
                        None => {
                            toasts.success(t_string!(i18n, quotes.saved).to_string());
                            reload();
                        }
                    }
                }
                Err(failure) => {
                    if !failure.field().is_some_and(shown_on_form) {
                        toasts.failure(i18n.get_locale_untracked(), &failure);
                    }
                    error.set(Some(failure));
                }
            }
            busy.set(false);
        });
    };
    let field_errors = crate::ui::use_field_errors(error);
    let act = move |action: QuoteAction| {
        let version = version.get_untracked();
        // Refused or not, the page shows the quote as it now is.
        leptos::task::spawn_local(async move {
            if let Err(failure) = act_on_quote(id, version, action).await {
                changes.fail(&failure);
            }
            reload();
        });
    };
    let add = move |line: LineInput| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rows| rows.push(Row { key, line }));
        dirty.set(true);
        key
    };
    let add_product = move |product: CatalogueItem| {
        let line = LineInput {
            product_id: Some(product.id),
            description: if product.description.is_empty() {
                product.name.clone()
            } else {
                format!("{}\n{}", product.name, product.description)
            },
            unit: product.unit.clone(),
            unit_price: product.price.to_string(),
            tax_id: product.tax_id,
            ..new_line(LineKind::Item)
        };
        let key = add(line);
        if product.configurable {
            open.set(Open::Configure {
                key,
                product: product.id,
            });
        }
    };

    let status = quote.status;
    let number = quote.number.clone();
    let page_title = format!("{} {}", quote.number, quote.title);
    let actions = quote.actions.clone();
    let opportunity = quote.opportunity.clone();
    let project = quote.project.clone();
    let failure = quote.send_failure.clone();
    let pdf_href = format!("/files/quotes/{id}");
    let on_confirmed = Callback::new(move |project: Uuid| go_to(&format!("/projects/{project}")));

    view! {
        <Title text=page_title/>
        <PageHeader title=Signal::derive(move || {
            format!("{} {}", if status == QuoteStatus::Sale { t_string!(i18n, quotes.sales_order) } else { t_string!(i18n, quotes.quote) }, number.clone())
        })>
            <a class="button" href="/quotes">{t!(i18n, quotes.back_to_quotes)}</a>
            <a class="button" href=pdf_href.clone() target="_blank" rel="noopener" data-action="quote-pdf">
                <Icon name=IconName::File/><span>"PDF"</span>
            </a>
            {editable.then(|| view! {
                <button type="button" class="button" data-action="save-quote"
                    disabled=move || busy.get() || !dirty.get()
                    on:click=move |_| save_then(None)>{t!(i18n, save)}</button>
            })}
            {actions.iter().copied().map(|action| {
                let (key, primary) = match action {
                    QuoteAction::Send => ("send-quote", false),
                    QuoteAction::Confirm => ("confirm-quote", true),
                    QuoteAction::BackToDraft => ("quote-to-draft", false),
                    QuoteAction::Cancel => ("cancel-quote", false),
                };
                view! {
                    <button type="button" class="button" class:button--primary=primary data-action=key
                        disabled=move || busy.get()
                        on:click=move |_| match action {
                            QuoteAction::Send => save_then(Some(Callback::new(move |()| open.set(Open::Send)))),
                            QuoteAction::Confirm => save_then(Some(Callback::new(move |()| open.set(Open::Confirm)))),
                            other => act(other),
                        }>
                        {move || match action {
                            QuoteAction::Send => t_string!(i18n, quotes.send_by_email),
                            QuoteAction::Confirm => t_string!(i18n, quotes.confirm),
                            QuoteAction::BackToDraft => t_string!(i18n, quotes.back_to_draft),
                            QuoteAction::Cancel => t_string!(i18n, quotes.cancel_quote),
                        }}
                    </button>
                }
            }).collect_view()}
        </PageHeader>
        <div class="opportunity-status">
            <span class="status-badge" data-status=status.as_str() data-testid="quote-status">
                {move || status_label(i18n.get_locale(), status)}
            </span>
            {opportunity.map(|o| view! {
                <span class="muted">{t!(i18n, quotes.opportunity)} ": " <a href=format!("/crm/{}", o.id)>{o.label}</a></span>
            })}
            {project.map(|p| view! {
                <span class="muted" data-testid="quote-project">{t!(i18n, quotes.project)} ": " <a href=format!("/projects/{}", p.id)>{p.label}</a></span>
            })}
            {quote.sent_at.map(|at| view! {
                <span class="muted">{move || t_string!(i18n, quotes.sent_on, date = format_date_short(language(), at.date_naive())).to_string()}</span>
            })}
        </div>
        {failure.map(|failure| view! {
            <p class="alert alert--error" role="alert" data-testid="send-failure">
                {t!(i18n, quotes.send_failed)} " "
                {move || crate::shared::DeliveryFailure::from_stored(&failure).text(i18n.get_locale())}
                " " <a href="/outbox">{t!(i18n, outbox.page_title)}</a>
            </p>
        })}
        <div class="quote-layout">
            <div class="quote-layout__main">
                <section class="card quote-form" data-testid="quote-form" on:input=move |_| dirty.set(true)>
                    {move || error.get().filter(|e| !e.field().is_some_and(shown_on_form)).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                    <div class="form form--grid">
                        <div class="field" class:field--invalid=move || field_errors.message("title").get().is_some()>
                            <label for="quote-title">{t!(i18n, quotes.title)}</label>
                            <input id="quote-title" value=title.get_untracked() disabled=!editable prop:value=kept(title)
                                on:input=move |e| title.set(event_target_value(&e))/>
                            {field_errors.line("title")}
                        </div>
                        {if editable {
                            view! {
                                <ContactPicker name="customer" id_name="customer_id" initial=customer.get_untracked()
                                    label=Signal::derive(move || t_string!(i18n, quotes.customer).to_string())
                                    error=field_errors.message("customer")
                                    on_pick=Callback::new(move |picked: PickedContact| { customer.set(picked); dirty.set(true); })/>
                                <ContactPicker name="contact" id_name="contact_id" initial=contact.get_untracked() form="contact-"
                                    label=Signal::derive(move || t_string!(i18n, quotes.contact).to_string())
                                    error=field_errors.message("contact")
                                    on_pick=Callback::new(move |picked: PickedContact| { contact.set(picked); dirty.set(true); })/>
                                <div class="field">
                                    <label for="quote-salesperson">{t!(i18n, quotes.salesperson)}</label>
                                    <UserSelect id="quote-salesperson" selected=salesperson.get_untracked()
                                        empty=Signal::derive(move || t_string!(i18n, crm.no_salesperson).to_string())
                                        on_change=Callback::new(move |value: String| { salesperson.set(value); dirty.set(true); })/>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <div class="field"><span class="field__label">{t!(i18n, quotes.customer)}</span>
                                    <p>{customer.with_untracked(|c| c.contact().cloned()).map(|c| view! { <a href=format!("/contacts/{}", c.id)>{c.name}</a> })}</p></div>
                                <div class="field"><span class="field__label">{t!(i18n, quotes.contact)}</span>
                                    <p>{contact.with_untracked(|c| c.contact().map(|c| c.name.clone()))}</p></div>
                                <div class="field"><span class="field__label">{t!(i18n, quotes.salesperson)}</span>
                                    <p>{quote.salesperson.clone().map(|s| s.name)}</p></div>
                            }.into_any()
                        }}
                        <div class="field" class:field--invalid=move || field_errors.message("quote_date").get().is_some()>
                            <label for="quote-date">{t!(i18n, quotes.quote_date)}</label>
                            <DateInput id="quote-date" value=quote_date.get_untracked() disabled=!editable
                                on_input=Callback::new(move |value| quote_date.set(value))/>
                            {field_errors.line("quote_date")}
                        </div>
                        <div class="field" class:field--invalid=move || field_errors.message("valid_until").get().is_some()>
                            <label for="quote-valid-until">{t!(i18n, quotes.valid_until)}</label>
                            <DateInput id="quote-valid-until" value=valid_until.get_untracked() disabled=!editable
                                on_input=Callback::new(move |value| valid_until.set(value))/>
                            {field_errors.line("valid_until")}
                        </div>
                        <div class="field" class:field--invalid=move || field_errors.message("currency").get().is_some()>
                            <label for="quote-currency">{t!(i18n, quotes.currency)}</label>
                            <input id="quote-currency" value=currency.get_untracked() maxlength="3" disabled=!editable
                                autocomplete="off" prop:value=kept(currency) on:input=move |e| currency.set(event_target_value(&e))/>
                            {field_errors.line("currency")}
                        </div>
                    </div>
                    <Lines rows editable loaded currency=currency.into() error
                        on_change=Callback::new(move |()| dirty.set(true))
                        on_configure=Callback::new(move |(key, product)| open.set(Open::Configure { key, product }))/>
                    {editable.then(|| view! {
                        <AddLine loaded
                            on_product=Callback::new(add_product)
                            on_line=Callback::new(move |kind: LineKind| { add(new_line(kind)); })/>
                    })}
                    <TotalsView totals=totals.into() currency=currency.into()/>
                    <div class="field">
                        <label for="quote-notes">{t!(i18n, quotes.notes)}</label>
                        <textarea id="quote-notes" rows="3" disabled=!editable prop:value=kept(notes)
                            on:input=move |e| notes.set(event_target_value(&e))>{notes.get_untracked()}</textarea>
                    </div>
                    {editable.then(|| view! {
                        <div class="form__actions">
                            <button type="button" class="button button--primary" data-action="save-quote-bottom"
                                disabled=move || busy.get() || !dirty.get()
                                on:click=move |_| save_then(None)>{t!(i18n, save)}</button>
                            {move || dirty.get().then(|| view! { <span class="muted" data-testid="unsaved">{t!(i18n, quotes.unsaved)}</span> })}
                        </div>
                    })}
                </section>
            </div>
            <div class="quote-layout__side">
                <RecordActivities kind=RecordKind::Quote record=id changes=timeline/>
                <RecordTimeline kind=RecordKind::Quote record=id changes=timeline/>
            </div>
        </div>
        {move || match open.get() {
            Open::Nothing => ().into_any(),
            Open::Configure { key, product } => {
                let item = loaded.get_untracked().product(product).cloned();
                let chosen = rows.with_untracked(|rows| rows.iter().find(|r| r.key == key).map(|r| r.line.options.clone()).unwrap_or_default());
                match item {
                    Some(item) => view! {
                        <ConfigureDialog product=item chosen
                            on_close=Callback::new(move |()| open.set(Open::Nothing))
                            on_done=Callback::new(move |(options, price, description): (Vec<Uuid>, Decimal, String)| {
                                rows.update(|rows| if let Some(row) = rows.iter_mut().find(|r| r.key == key) {
                                    row.line.options = options.clone();
                                    row.line.unit_price = price.to_string();
                                    row.line.description = description.clone();
                                });
                                dirty.set(true);
                                open.set(Open::Nothing);
                            })/>
                    }.into_any(),
                    None => ().into_any(),
                }
            }
            Open::Send => view! {
                <SendDialog id version=version.get_untracked() on_close=Callback::new(move |()| open.set(Open::Nothing))
                    on_sent=Callback::new(move |()| { open.set(Open::Nothing); reload(); })/>
            }.into_any(),
            Open::Confirm => view! {
                <ConfirmDialog id total=totals.get_untracked().total currency=currency.get_untracked()
                    on_close=Callback::new(move |()| open.set(Open::Nothing))
                    on_confirmed=on_confirmed/>
            }.into_any(),
        }}
    }
}

/// Whether the form shows an error on this field next to its input; any other error (a
/// line's product, the state, the salesperson) is shown above the form instead.
fn shown_on_form(field: &str) -> bool {
    const LINE_FIELDS: [&str; 6] = [
        "description",
        "quantity",
        "unit_price",
        "discount",
        "tax",
        "options",
    ];
    match field.strip_prefix("lines.") {
        Some(rest) => rest.split_once('.').is_some_and(|(index, name)| {
            index.parse::<usize>().is_ok() && LINE_FIELDS.contains(&name)
        }),
        None => matches!(
            field,
            "title" | "customer" | "contact" | "quote_date" | "valid_until" | "currency"
        ),
    }
}
