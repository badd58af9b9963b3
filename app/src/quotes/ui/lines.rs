//! The quote form's lines: the table (cards on phones) with products from the catalogue,
//! sections and notes, the configurator dialog, and the totals that follow every keystroke.

use crate::domain::quote::{parse_line, LineInput, LineKind, Totals};
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_money, from_locale};
use crate::products::{Catalogue, CatalogueItem};
use crate::ui::{error_text, kept, Dialog, Icon, IconName};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

/// A line of the form with a key that stays while lines move.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Row {
    pub(super) key: u32,
    pub(super) line: LineInput,
}

/// The lines: a table on wide screens, cards on phones (CSS).
#[component]
pub(super) fn Lines(
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
                                        prop:value=kept(move || line().description)
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
                                            prop:value=kept(move || line().description)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.description = v.clone())) }>
                                            {initial.description.clone()}
                                        </textarea>
                                        {move || description_error.get().or(options_error.get()).map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell" class:field--invalid=move || quantity_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.quantity)}</label>
                                        <input inputmode="decimal" data-field="quantity" value=initial.quantity.clone() disabled=!editable
                                            prop:value=kept(move || line().quantity)
                                            aria-label=move || t_string!(i18n, quotes.quantity)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.quantity = v.clone())) }/>
                                        {move || quantity_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell">
                                        <label class="quote-line__label">{t!(i18n, quotes.unit)}</label>
                                        <input data-field="unit" value=initial.unit.clone() disabled=!editable maxlength="20"
                                            prop:value=kept(move || line().unit)
                                            aria-label=move || t_string!(i18n, quotes.unit)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.unit = v.clone())) }/>
                                    </div>
                                    <div role="cell" class:field--invalid=move || price_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.unit_price)}</label>
                                        <input inputmode="decimal" data-field="unit_price" disabled=!editable
                                            aria-label=move || t_string!(i18n, quotes.unit_price)
                                            prop:value=kept(move || line().unit_price)
                                            on:input=move |e| { let v = event_target_value(&e); update(key, Box::new(move |l| l.unit_price = v.clone())) }/>
                                        {move || price_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                                    </div>
                                    <div role="cell" class:field--invalid=move || discount_error.get().is_some()>
                                        <label class="quote-line__label">{t!(i18n, quotes.discount)}</label>
                                        <input inputmode="decimal" data-field="discount" value=initial.discount.clone() disabled=!editable
                                            prop:value=kept(move || line().discount)
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
pub(super) fn AddLine(
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
pub(super) fn TotalsView(totals: Signal<Totals>, currency: Signal<String>) -> impl IntoView {
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
pub(super) fn ConfigureDialog(
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
            Err(error) => problem.set(
                crate::error::line_problem_text(i18n.get_locale_untracked(), error.into())
                    .map(str::to_string),
            ),
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
                                            <span class="muted">{move || format!("+ {}", Money::new(price, stored.with_value(|p| p.currency)).format(from_locale(i18n.get_locale())))}</span>
                                        })}
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }
                }).collect_view()}
                <p class="configure-price">{t!(i18n, quotes.unit_price)} ": "
                    <strong data-testid="configured-price">{move || Money::new(price(), stored.with_value(|p| p.currency)).format(from_locale(i18n.get_locale()))}</strong></p>
                {move || problem.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="apply-configuration">{t!(i18n, quotes.apply)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
