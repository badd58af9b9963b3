//! The quote page: the form (customer, dates, lines from the catalogue or the configurator,
//! sections and notes) whose totals follow every keystroke through `domain::quote`, the
//! actions of its state (send by e-mail, confirm, back to draft, cancel), the PDF, and the
//! quote's activities and timeline. A sales order shows read-only.

use crate::activities::ui::{RecordActivities, RecordTimeline};
use crate::contacts::ui::ContactPicker;
use crate::contacts::ContactRef;
use crate::domain::quote::{lines_totals, parse_line, LineInput, LineKind, Totals};
use crate::domain::quote_state::{QuoteAction, QuoteStatus};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_short, format_money, from_locale};
use crate::products::api::load_catalogue;
use crate::products::{Catalogue, CatalogueItem};
use crate::quotes::api::{
    act_on_quote, confirm_quote, get_quote, quote_email, save_quote, send_quote,
};
use crate::quotes::{new_line, status_label, Quote, QuoteSave};
use crate::shared::RecordKind;
use crate::ui::{
    error_text, use_go_to, use_toasts, Dialog, ErrorAlert, Icon, IconName, PageHeader, RecordPage,
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
            show={|quote: Quote, changed: RwSignal<u32>| view! { <QuoteView quote changed/> }}/>
    }
}

/// A line of the form with a key that stays while lines move.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    key: u32,
    line: LineInput,
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
fn QuoteView(quote: Quote, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let go_to = use_go_to();
    let language = move || from_locale(i18n.get_locale());
    let id = quote.id;
    let editable = quote.may_edit;
    let reload = move || changed.update(|n| *n += 1);
    let timeline_changed = RwSignal::new(0u32);
    Effect::new(move |_| {
        changed.track();
        timeline_changed.update(|n| *n += 1);
    });

    // The form's state.
    let title = RwSignal::new(quote.title.clone());
    let customer = RwSignal::new(quote.customer.clone());
    let contact = RwSignal::new(quote.contact.clone());
    let salesperson = RwSignal::new(
        quote
            .salesperson
            .as_ref()
            .map(|s| s.id.to_string())
            .unwrap_or_default(),
    );
    let quote_date = RwSignal::new(quote.quote_date.to_string());
    let valid_until = RwSignal::new(quote.valid_until.map(|d| d.to_string()).unwrap_or_default());
    let currency = RwSignal::new(quote.currency.clone());
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
    let loaded = Signal::derive(move || catalogue.get().and_then(Result::ok).unwrap_or_default());

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

    let form = move || QuoteSave {
        id,
        version: version.get_untracked(),
        title: title.get_untracked(),
        customer_id: customer.get_untracked().map(|c| c.id),
        contact_id: contact.get_untracked().map(|c| c.id),
        salesperson_id: Uuid::parse_str(&salesperson.get_untracked()).ok(),
        quote_date: quote_date.get_untracked(),
        valid_until: valid_until.get_untracked(),
        currency: currency.get_untracked(),
        notes: notes.get_untracked(),
        lines: rows.with_untracked(|rows| rows.iter().map(|r| r.line.clone()).collect()),
    };
    // Saves when the form changed; `then` runs after a successful save (or at once).
    let save_then = move |then: Option<Callback<()>>| {
        if !editable || !dirty.get_untracked() {
            if let Some(then) = then {
                then.run(());
            }
            return;
        }
        busy.set(true);
        let form = form();
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
        leptos::task::spawn_local(async move {
            match act_on_quote(id, version, action).await {
                Ok(_) => reload(),
                Err(failure) => {
                    toasts.failure(i18n.get_locale_untracked(), &failure);
                    reload();
                }
            }
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
                            <input id="quote-title" value=title.get_untracked() disabled=!editable
                                on:input=move |e| title.set(event_target_value(&e))/>
                            {field_errors.line("title")}
                        </div>
                        {if editable {
                            view! {
                                <ContactPicker name="customer" id_name="customer_id" initial=customer.get_untracked()
                                    label=Signal::derive(move || t_string!(i18n, quotes.customer).to_string())
                                    error=field_errors.message("customer")
                                    on_pick=Callback::new(move |picked: Option<ContactRef>| { customer.set(picked); dirty.set(true); })/>
                                <ContactPicker name="contact" id_name="contact_id" initial=contact.get_untracked() form="contact-"
                                    label=Signal::derive(move || t_string!(i18n, quotes.contact).to_string())
                                    error=field_errors.message("contact")
                                    on_pick=Callback::new(move |picked: Option<ContactRef>| { contact.set(picked); dirty.set(true); })/>
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
                                    <p>{customer.get_untracked().map(|c| view! { <a href=format!("/contacts/{}", c.id)>{c.name}</a> })}</p></div>
                                <div class="field"><span class="field__label">{t!(i18n, quotes.contact)}</span>
                                    <p>{contact.get_untracked().map(|c| c.name)}</p></div>
                                <div class="field"><span class="field__label">{t!(i18n, quotes.salesperson)}</span>
                                    <p>{quote.salesperson.clone().map(|s| s.name)}</p></div>
                            }.into_any()
                        }}
                        <div class="field" class:field--invalid=move || field_errors.message("quote_date").get().is_some()>
                            <label for="quote-date">{t!(i18n, quotes.quote_date)}</label>
                            <input id="quote-date" type="date" value=quote_date.get_untracked() disabled=!editable
                                on:input=move |e| quote_date.set(event_target_value(&e))/>
                            {field_errors.line("quote_date")}
                        </div>
                        <div class="field" class:field--invalid=move || field_errors.message("valid_until").get().is_some()>
                            <label for="quote-valid-until">{t!(i18n, quotes.valid_until)}</label>
                            <input id="quote-valid-until" type="date" value=valid_until.get_untracked() disabled=!editable
                                on:input=move |e| valid_until.set(event_target_value(&e))/>
                            {field_errors.line("valid_until")}
                        </div>
                        <div class="field" class:field--invalid=move || field_errors.message("currency").get().is_some()>
                            <label for="quote-currency">{t!(i18n, quotes.currency)}</label>
                            <input id="quote-currency" value=currency.get_untracked() maxlength="3" disabled=!editable
                                autocomplete="off" on:input=move |e| currency.set(event_target_value(&e))/>
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
                        <textarea id="quote-notes" rows="3" disabled=!editable
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
                <RecordActivities kind=RecordKind::Quote record=id changed=timeline_changed/>
                <RecordTimeline kind=RecordKind::Quote record=id changed=timeline_changed/>
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

/// The lines: a table on wide screens, cards on phones (CSS).
#[component]
fn Lines(
    rows: RwSignal<Vec<Row>>,
    editable: bool,
    loaded: Signal<Catalogue>,
    currency: Signal<String>,
    error: RwSignal<Option<AppError>>,
    on_change: Callback<()>,
    on_configure: Callback<(u32, Uuid)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    let keys = move || rows.with(|rows| rows.iter().map(|r| r.key).collect::<Vec<_>>());
    let update = move |key: u32, change: Box<dyn Fn(&mut LineInput)>| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|r| r.key == key) {
                change(&mut row.line);
            }
        });
        on_change.run(());
    };
    let index_of = move |key: u32| rows.with(|rows| rows.iter().position(|r| r.key == key));
    let line_error = move |key: u32, field: &'static str| {
        Signal::derive(move || {
            let index = index_of(key)?;
            error
                .get()
                .filter(|e| e.field() == Some(format!("lines.{index}.{field}").as_str()))
                .map(|e| error_text(i18n.get_locale(), &e))
        })
    };
    let shift = move |key: u32, by: isize| {
        rows.update(|rows| {
            if let Some(from) = rows.iter().position(|r| r.key == key) {
                let to = from as isize + by;
                if to >= 0 && (to as usize) < rows.len() {
                    rows.swap(from, to as usize);
                }
            }
        });
        on_change.run(());
    };
    view! {
        <div class="quote-lines" role="table" aria-label=move || t_string!(i18n, quotes.lines)>
            <div class="quote-lines__head" role="row">
                <span role="columnheader">{t!(i18n, quotes.description)}</span>
                <span role="columnheader">{t!(i18n, quotes.quantity)}</span>
                <span role="columnheader">{t!(i18n, quotes.unit)}</span>
                <span role="columnheader">{t!(i18n, quotes.unit_price)}</span>
                <span role="columnheader">{t!(i18n, quotes.discount)}</span>
                <span role="columnheader">{t!(i18n, quotes.tax)}</span>
                <span role="columnheader" class="numeric">{t!(i18n, quotes.amount)}</span>
                <span role="columnheader"></span>
            </div>
            <For each=keys key=|key| *key let:key>
                {
                    let line = move || rows.with(|rows| rows.iter().find(|r| r.key == key).map(|r| r.line.clone()).unwrap_or_default());
                    let initial = line();
                    let kind = initial.kind;
                    let subtotal = move || {
                        let catalogue = loaded.get();
                        parse_line(&line(), |id| catalogue.tax(id)).ok()
                            .and_then(|l| l.priced.map(|p| p.subtotal()))
                    };
                    let product = initial.product_id;
                    let configurable = move || product.and_then(|p| loaded.with(|c| c.product(p).map(|p| p.configurable))).unwrap_or(false);
                    let tools = move || editable.then(|| view! {
                        <span class="quote-line__tools">
                            {move || configurable().then(|| view! {
                                <button type="button" class="button button--small" data-action="configure-line"
                                    on:click=move |_| if let Some(p) = product { on_configure.run((key, p)) }>
                                    {t!(i18n, quotes.configure)}
                                </button>
                            })}
                            <button type="button" class="icon-button" aria-label=move || t_string!(i18n, quotes.move_up)
                                on:click=move |_| shift(key, -1)>"↑"</button>
                            <button type="button" class="icon-button" aria-label=move || t_string!(i18n, quotes.move_down)
                                on:click=move |_| shift(key, 1)>"↓"</button>
                            <button type="button" class="icon-button" data-action="remove-line"
                                aria-label=move || t_string!(i18n, quotes.remove_line)
                                on:click=move |_| { rows.update(|rows| rows.retain(|r| r.key != key)); on_change.run(()); }>
                                <Icon name=IconName::Trash/>
                            </button>
                        </span>
                    });
                    let description_error = line_error(key, "description");
                    match kind {
                        LineKind::Section | LineKind::Note => view! {
                            <div class="quote-line" class:quote-line--section=kind == LineKind::Section
                                class:quote-line--note=kind == LineKind::Note role="row" data-kind=kind.as_str()>
                                <div class="quote-line__text" role="cell">
                                    <input aria-label=move || if kind == LineKind::Section { t_string!(i18n, quotes.section) } else { t_string!(i18n, quotes.note) }
                                        placeholder=move || if kind == LineKind::Section { t_string!(i18n, quotes.section) } else { t_string!(i18n, quotes.note) }
                                        value=initial.description.clone() disabled=!editable
                                        on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.description = v.clone())) }/>
                                    {move || description_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                </div>
                                {tools}
                            </div>
                        }.into_any(),
                        LineKind::Item => {
                            let quantity_error = line_error(key, "quantity");
                            let price_error = line_error(key, "unit_price");
                            let discount_error = line_error(key, "discount");
                            let tax_error = line_error(key, "tax");
                            let options_error = line_error(key, "options");
                            let tax_id = initial.tax_id;
                            view! {
                                <div class="quote-line" role="row" data-kind="item">
                                    <div class="quote-line__description" role="cell">
                                        <label class="quote-line__label">{t!(i18n, quotes.description)}</label>
                                        <textarea rows=initial.description.lines().count().clamp(2, 6).to_string() data-field="description" disabled=!editable
                                            aria-label=move || t_string!(i18n, quotes.description)
                                            prop:value=move || line().description
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.description = v.clone())) }>
                                            {initial.description.clone()}
                                        </textarea>
                                        {move || description_error.get().or(options_error.get()).map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell" class:field--invalid=move || quantity_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.quantity)}</label>
                                        <input inputmode="decimal" data-field="quantity" value=initial.quantity.clone() disabled=!editable
                                            aria-label=move || t_string!(i18n, quotes.quantity)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.quantity = v.clone())) }/>
                                        {move || quantity_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell">
                                        <label class="quote-line__label">{t!(i18n, quotes.unit)}</label>
                                        <input data-field="unit" value=initial.unit.clone() disabled=!editable maxlength="20"
                                            aria-label=move || t_string!(i18n, quotes.unit)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.unit = v.clone())) }/>
                                    </div>
                                    <div role="cell" class:field--invalid=move || price_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.unit_price)}</label>
                                        <input inputmode="decimal" data-field="unit_price" disabled=!editable
                                            aria-label=move || t_string!(i18n, quotes.unit_price)
                                            prop:value=move || line().unit_price
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.unit_price = v.clone())) }/>
                                        {move || price_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell" class:field--invalid=move || discount_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.discount)}</label>
                                        <input inputmode="decimal" data-field="discount" value=initial.discount.clone() disabled=!editable
                                            aria-label=move || t_string!(i18n, quotes.discount)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.discount = v.clone())) }/>
                                        {move || discount_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell">
                                        <label class="quote-line__label">{t!(i18n, quotes.tax)}</label>
                                        <select data-field="tax" disabled=!editable aria-label=move || t_string!(i18n, quotes.tax)
                                            on:change=move |e| {
                                                let v = Uuid::parse_str(&event_target_value(&e)).ok();
                                                update(key, Box::new(move |l| l.tax_id = v))
                                            }>
                                            <option value="" selected=tax_id.is_none()>{t!(i18n, quotes.no_tax)}</option>
                                            {move || loaded.get().taxes.into_iter().filter(|t| t.active || Some(t.id) == tax_id).map(|t| {
                                                view! { <option value=t.id.to_string() selected=Some(t.id) == tax_id>{t.name}</option> }
                                            }).collect_view()}
                                        </select>
                                        {move || tax_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell" class="numeric quote-line__subtotal" data-testid="line-subtotal">
                                        {move || subtotal().map(|s| format_money(language(), s, &currency.get()))}
                                    </div>
                                    {tools}
                                </div>
                            }.into_any()
                        }
                    }
                }
            </For>
        </div>
    }
}

/// Adding lines: a catalogue product (configured in a dialog when configurable), a free
/// line, a section or a note.
#[component]
fn AddLine(
    loaded: Signal<Catalogue>,
    on_product: Callback<CatalogueItem>,
    on_line: Callback<LineKind>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="quote-add">
            <select data-testid="add-product" aria-label=move || t_string!(i18n, quotes.add_product)
                on:change=move |e| {
                    let value = event_target_value(&e);
                    if let Some(product) = Uuid::parse_str(&value).ok().and_then(|id| loaded.get_untracked().product(id).cloned()) {
                        on_product.run(product);
                    }
                    if let Some(select) = e.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok()) {
                        select.set_value("");
                    }
                }>
                <option value="">{move || format!("+ {}", t_string!(i18n, quotes.add_product))}</option>
                {move || loaded.get().products.into_iter().map(|p| {
                    let label = if p.reference.is_empty() { p.name.clone() } else { format!("[{}] {}", p.reference, p.name) };
                    view! { <option value=p.id.to_string()>{label}</option> }
                }).collect_view()}
            </select>
            <button type="button" class="button" data-action="add-line" on:click=move |_| on_line.run(LineKind::Item)>
                <Icon name=IconName::Plus/><span>{t!(i18n, quotes.add_line)}</span>
            </button>
            <button type="button" class="button" data-action="add-section" on:click=move |_| on_line.run(LineKind::Section)>
                <Icon name=IconName::Plus/><span>{t!(i18n, quotes.add_section)}</span>
            </button>
            <button type="button" class="button" data-action="add-note" on:click=move |_| on_line.run(LineKind::Note)>
                <Icon name=IconName::Plus/><span>{t!(i18n, quotes.add_note)}</span>
            </button>
        </div>
    }
}

#[component]
fn TotalsView(totals: Signal<Totals>, currency: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let money = move |amount: Decimal| {
        format_money(from_locale(i18n.get_locale()), amount, &currency.get())
    };
    view! {
        <dl class="quote-totals" data-testid="quote-totals">
            <div><dt>{t!(i18n, quotes.untaxed)}</dt><dd data-testid="total-untaxed">{move || money(totals.get().untaxed)}</dd></div>
            {move || totals.get().taxes.into_iter().map(|line| {
                let rate = line.tax.rate.normalize();
                view! {
                    <div class="quote-totals__tax">
                        <dt>{move || format!("{} {rate} % {} {}", t_string!(i18n, quotes.tax), t_string!(i18n, quotes.on_amount), money(line.base))}</dt>
                        <dd>{move || money(line.amount)}</dd>
                    </div>
                }
            }).collect_view()}
            <div class="quote-totals__total"><dt>{t!(i18n, quotes.total)}</dt><dd data-testid="total-total">{move || money(totals.get().total)}</dd></div>
        </dl>
    }
}

/// The configurator: one choice per single-choice group, any per multiple-choice group; the
/// price follows the choices.
#[component]
fn ConfigureDialog(
    product: CatalogueItem,
    chosen: Vec<Uuid>,
    on_close: Callback<()>,
    on_done: Callback<(Vec<Uuid>, Decimal, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let picked = RwSignal::new(chosen);
    let problem = RwSignal::new(None::<String>);
    let name = product.name.clone();
    let stored = StoredValue::new(product.clone());
    let price = move || {
        stored.with_value(|p| {
            picked.with(|chosen| {
                let extra: Decimal = p
                    .groups
                    .iter()
                    .flat_map(|g| g.options.iter())
                    .filter(|o| chosen.contains(&o.id))
                    .map(|o| o.price)
                    .sum();
                p.price + extra
            })
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = picked.get_untracked();
        match stored.with_value(|p| p.configured_line(&chosen)) {
            Ok((price, description)) => on_done.run((chosen, price, description)),
            Err(error) => problem.set(Some(crate::ui::field_problem_text(
                i18n.get_locale_untracked(),
                error.into(),
            ))),
        }
    };
    view! {
        <Dialog title_id="configure-title" title=Signal::derive(move || format!("{} — {}", t_string!(i18n, quotes.configure), name)) on_close>
            <form class="form" data-testid="configure-form" on:submit=submit>
                {product.groups.into_iter().enumerate().map(|(g, group)| {
                    let multiple = group.multiple;
                    view! {
                        <fieldset class="configure-group">
                            <legend>{group.name.clone()}{group.required.then_some(" *")}</legend>
                            {group.options.into_iter().map(|option| {
                                let id = option.id;
                                let price = option.price;
                                view! {
                                    <label class="checkbox">
                                        <input type=if multiple { "checkbox" } else { "radio" } name=format!("group-{g}")
                                            checked=picked.get_untracked().contains(&id)
                                            on:change=move |e| {
                                                let on = event_target_checked(&e);
                                                let group_ids = stored.with_value(|p| p.groups[g].options.iter().map(|o| o.id).collect::<Vec<_>>());
                                                picked.update(|chosen| {
                                                    if !multiple {
                                                        chosen.retain(|c| !group_ids.contains(c));
                                                    }
                                                    chosen.retain(|c| *c != id);
                                                    if on {
                                                        chosen.push(id);
                                                    }
                                                });
                                            }/>
                                        <span>{option.name.clone()}</span>
                                        {(!price.is_zero()).then(|| view! {
                                            <span class="muted">{move || format!("+ {}", format_money(from_locale(i18n.get_locale()), price, &stored.with_value(|p| p.currency.clone())))}</span>
                                        })}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                }).collect_view()}
                <p class="configure-price">{t!(i18n, quotes.unit_price)} ": "
                    <strong data-testid="configured-price">{move || format_money(from_locale(i18n.get_locale()), price(), &stored.with_value(|p| p.currency.clone()))}</strong></p>
                {move || problem.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="apply-configuration">{t!(i18n, quotes.apply)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Send by e-mail: the standard text, editable, with the PDF attached (seed 001).
#[component]
fn SendDialog(
    id: Uuid,
    /// The quote as it was read: a second submit of the same dialog finds it sent and
    /// changed, and mails nobody twice.
    version: i32,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let draft = LocalResource::new(move || quote_email(id));
    let to = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let sending = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(d)) = draft.get() {
            to.set(d.to);
            subject.set(d.subject);
            body.set(d.body);
        }
    });
    let field_errors = crate::ui::use_field_errors(error);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        sending.set(true);
        let (t, s, b) = (
            to.get_untracked(),
            subject.get_untracked(),
            body.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            match send_quote(id, version, t, s, b).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, quotes.sent_toast).to_string());
                    on_sent.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            sending.set(false);
        });
    };
    view! {
        <Dialog title_id="send-title" title=Signal::derive(move || t_string!(i18n, quotes.send_by_email).to_string()) on_close wide=true>
            <form class="form" data-testid="send-form" on:submit=submit>
                {move || error.get().filter(|e| !matches!(e.field(), Some("to" | "subject" | "body"))).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="send-to">{t!(i18n, quotes.mail_to)}</label>
                    <input id="send-to" type="email" required=true prop:value=to on:input=move |e| to.set(event_target_value(&e))/>
                    {field_errors.line("to")}
                </div>
                <div class="field">
                    <label for="send-subject">{t!(i18n, quotes.mail_subject)}</label>
                    <input id="send-subject" required=true prop:value=subject on:input=move |e| subject.set(event_target_value(&e))/>
                    {field_errors.line("subject")}
                </div>
                <div class="field">
                    <label for="send-body">{t!(i18n, quotes.mail_body)}</label>
                    <textarea id="send-body" rows="10" prop:value=body on:input=move |e| body.set(event_target_value(&e))></textarea>
                    {field_errors.line("body")}
                </div>
                <p class="attachment">
                    <Icon name=IconName::File/>
                    <a href=format!("/files/quotes/{id}") target="_blank" rel="noopener">
                        {move || draft.get().and_then(Result::ok).map(|d| d.attachment)}
                    </a>
                </p>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="send-email" disabled=move || sending.get()>
                        {t!(i18n, quotes.send)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// "Confirm this quote?": turns it into a sales order and creates the project.
#[component]
fn ConfirmDialog(
    id: Uuid,
    total: Decimal,
    currency: String,
    on_close: Callback<()>,
    on_confirmed: Callback<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let error = RwSignal::new(None::<AppError>);
    let confirming = RwSignal::new(false);
    let confirm = move |_| {
        if confirming.get_untracked() {
            return;
        }
        confirming.set(true);
        leptos::task::spawn_local(async move {
            match confirm_quote(id).await {
                Ok(project) => {
                    toasts.success(t_string!(i18n, quotes.confirmed_toast).to_string());
                    on_confirmed.run(project);
                }
                Err(failure) => {
                    error.set(Some(failure));
                    confirming.set(false);
                }
            }
        });
    };
    let amount = move || format_money(from_locale(i18n.get_locale()), total, &currency);
    view! {
        <Dialog title_id="confirm-title" title=Signal::derive(move || t_string!(i18n, quotes.confirm_title).to_string()) on_close>
            <div class="form" data-testid="confirm-dialog">
                <p>{move || t_string!(i18n, quotes.confirm_text, total = amount()).to_string()}</p>
                {move || error.get().map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="form__actions">
                    <button type="button" class="button button--primary" data-action="confirm-order"
                        disabled=move || confirming.get() on:click=confirm>{t!(i18n, quotes.confirm)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </div>
        </Dialog>
    }
}
