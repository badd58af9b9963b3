//! "Add from catalogue" on a project's tasks: a product found by name or reference, its
//! configurator's choices, quantity, unit price (the catalogue's, editable) and discount; the
//! line's total and the tasks it becomes follow every change. "Add" creates the tasks, closes
//! the dialog and loads the page again.

use super::api::{add_catalogue_tasks, load_project_catalogue};
use super::{plan_tasks, tax_of, untaxed, CatalogueLine, ProjectCatalogue};
use crate::domain::catalogue::CatalogueItem;
use crate::domain::quote::configured_price;
use crate::domain::Money;
use crate::error::{line_problem_text, AppError, FieldProblem};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_hours, from_locale};
use crate::ui::InBrowser;
use crate::ui::{use_field_errors, use_toasts, Changes, Dialog, ErrorAlert, Icon, IconName};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

/// The fields of the dialog's one line, as the server names them.
const LINE_FIELDS: [&str; 5] = [
    "lines.0.product",
    "lines.0.options",
    "lines.0.quantity",
    "lines.0.unit_price",
    "lines.0.discount",
];

/// The button and its dialog, for those who may add tasks to the project now.
#[component]
pub fn AddFromCatalogue(project: Uuid, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <div class="button-row">
            <button type="button" class="button" data-action="add-from-catalogue"
                on:click=move |_| open.set(true)>
                <Icon name=IconName::Package/><span>{t!(i18n, catalogue_tasks.add_button)}</span>
            </button>
        </div>
        {move || open.get().then(|| {
            let on_close = Callback::new(move |()| open.set(false));
            let on_done = Callback::new(move |()| { open.set(false); changes.reload(); });
            view! { <Suspense fallback=|| ()>{Suspend::new(catalogue_task_dialog(project, on_close, on_done))}</Suspense> }
        })}
    }
}

/// The dialog is a wasm chunk of its own, fetched the first time it opens: a project's page
/// is opened far more often than tasks are added from the catalogue.
#[lazy]
fn catalogue_task_dialog(project: Uuid, on_close: Callback<()>, on_done: Callback<()>) -> AnyView {
    view! { <CatalogueTaskDialog project on_close on_done/> }.into_any()
}

/// The dialog: loads what the project may be given, then the line's form.
#[component]
fn CatalogueTaskDialog(
    project: Uuid,
    on_close: Callback<()>,
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || load_project_catalogue(project));
    view! {
        <Dialog title_id="catalogue-tasks-title"
            title=Signal::derive(move || t_string!(i18n, catalogue_tasks.title).to_string()) on_close>
            {move || match loaded.in_browser() {
                None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorAlert error=Some(error)/>
                    <div class="form__actions">
                        <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, close)}</button>
                    </div>
                }.into_any(),
                Some(Ok(catalogue)) => view! {
                    <CatalogueLineForm project catalogue on_close on_done/>
                }.into_any(),
            }}
        </Dialog>
    }
}

fn product_label(product: &CatalogueItem) -> String {
    if product.reference.is_empty() {
        product.name.clone()
    } else {
        format!("[{}] {}", product.reference, product.name)
    }
}

/// The line: one product of the project's currency, configured when it is configurable.
#[component]
fn CatalogueLineForm(
    project: Uuid,
    catalogue: ProjectCatalogue,
    on_close: Callback<()>,
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let language = move || from_locale(i18n.get_locale());
    let currency = catalogue.currency;
    let money = move |amount: Decimal| Money::new(amount, currency).format(language());
    let empty = catalogue.products.is_empty();
    let stored = StoredValue::new(catalogue);
    let search = RwSignal::new(String::new());
    let picked = RwSignal::new(None::<Uuid>);
    let chosen = RwSignal::new(Vec::<Uuid>::new());
    let quantity = RwSignal::new("1".to_string());
    let price = RwSignal::new(String::new());
    let discount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let field_errors = use_field_errors(error);
    let busy = RwSignal::new(false);

    let product_of =
        move |id: Option<Uuid>| id.and_then(|id| stored.with_value(|c| c.product(id).cloned()));
    let product = move || product_of(picked.get());
    let tax = move || product().and_then(|p| stored.with_value(|c| tax_of(&c.taxes, &p).cloned()));
    // Priced by the server's own rules; `None` while a number is not (yet) acceptable.
    let priced = move || {
        product()?;
        let line = CatalogueLine {
            quantity: quantity.get(),
            unit_price: price.get(),
            discount: discount.get(),
            ..CatalogueLine::default()
        };
        line.priced(tax().map(|t| t.tax())).ok()
    };
    let planned = move || {
        let product = product()?;
        let amount = priced().map(|line| untaxed(&line));
        let tasks = chosen.with(|chosen| {
            stored.with_value(|c| {
                plan_tasks(&product, chosen, &c.templates, amount.unwrap_or_default())
            })
        });
        Some((tasks, amount.is_some()))
    };
    let matches = move |current: Option<Uuid>| {
        let query = search.get().trim().to_lowercase();
        stored.with_value(|c| {
            c.products
                .iter()
                .filter(|p| {
                    Some(p.id) == current
                        || query.is_empty()
                        || p.name.to_lowercase().contains(&query)
                        || p.reference.to_lowercase().contains(&query)
                })
                .map(|p| (p.id, product_label(p), p.price))
                .collect::<Vec<_>>()
        })
    };
    let pick = move |id: Option<Uuid>| {
        picked.set(id);
        chosen.set(Vec::new());
        error.set(None);
        let base = product_of(id).map(|p| p.price.to_string());
        price.set(base.unwrap_or_default());
    };
    // One option per single-choice group, any number in the others; the unit price follows
    // the choices (the product's price with the chosen options').
    let toggle = move |group: &[Uuid], multiple: bool, option: Uuid, on: bool| {
        chosen.update(|chosen| {
            if !multiple {
                chosen.retain(|c| !group.contains(c));
            }
            chosen.retain(|c| *c != option);
            if on {
                chosen.push(option);
            }
        });
        if let Some(p) = product_of(picked.get_untracked()) {
            let extras: Vec<Decimal> = chosen.with_untracked(|chosen| {
                p.groups
                    .iter()
                    .flat_map(|g| g.options.iter())
                    .filter(|o| chosen.contains(&o.id))
                    .map(|o| o.price)
                    .collect()
            });
            price.set(configured_price(p.price, &extras).to_string());
        }
    };
    let general = move || {
        error
            .get()
            .filter(|e| e.field().is_none_or(|field| !LINE_FIELDS.contains(&field)))
    };
    // What the dialog's own checks refuse, on its field and with its message.
    let refused = move |field: &str, problem: FieldProblem| {
        let text = line_problem_text(i18n.get_locale_untracked(), problem).unwrap_or_default();
        AppError::refused(field, problem, text)
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(product) = product_of(picked.get_untracked()) else {
            error.set(Some(refused(
                "lines.0.product",
                FieldProblem::ValueRequired,
            )));
            return;
        };
        let line = CatalogueLine {
            product_id: product.id,
            options: chosen.get_untracked(),
            quantity: quantity.get_untracked(),
            unit_price: price.get_untracked(),
            discount: discount.get_untracked(),
        };
        // The server's checks, before the round trip: a slip is shown at once.
        if let Err(problem) = product.configure(&line.options) {
            error.set(Some(refused("lines.0.options", problem.into())));
            return;
        }
        if let Err((problem, field)) = line.priced(None) {
            error.set(Some(refused(&format!("lines.0.{field}"), problem)));
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match add_catalogue_tasks(project, vec![line]).await {
                Ok(tasks) => {
                    toasts.success(
                        t_string!(i18n, catalogue_tasks.added_toast, count = tasks.len())
                            .to_string(),
                    );
                    on_done.run(());
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    let configurator = move || {
        product().filter(|p| p.configurable && !p.groups.is_empty()).map(|p| {
            let option_currency = p.currency;
            p.groups.into_iter().enumerate().map(|(g, group)| {
                let multiple = group.multiple;
                let ids: Vec<Uuid> = group.options.iter().map(|o| o.id).collect();
                view! {
                    <fieldset class="configure-group" data-testid="catalogue-choices">
                        <legend>{group.name.clone()}{group.required.then_some(" *")}</legend>
                        {group.options.into_iter().map(|option| {
                            let id = option.id;
                            let extra = option.price;
                            let ids = ids.clone();
                            view! {
                                <label class="checkbox">
                                    <input type=if multiple { "checkbox" } else { "radio" }
                                        name=format!("catalogue-group-{g}")
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |e| toggle(&ids, multiple, id, event_target_checked(&e))/>
                                    <span>{option.name.clone()}</span>
                                    {(!extra.is_zero()).then(|| view! {
                                        <span class="muted">{move || format!("+ {}", Money::new(extra, option_currency).format(language()))}</span>
                                    })}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()
        })
    };
    view! {
        <form class="form" data-testid="catalogue-task-form" on:submit=submit>
            <p class="muted">{t!(i18n, catalogue_tasks.intro)}</p>
            {move || general().map(|e| view! { <ErrorAlert error=Some(e)/> })}
            {empty.then(|| view! {
                <p class="notice notice--info" role="status">{t!(i18n, catalogue_tasks.no_products)}</p>
            })}
            <div class="field">
                <label for="catalogue-search">{t!(i18n, catalogue_tasks.search)}</label>
                <input id="catalogue-search" type="search" autocomplete="off" maxlength="100"
                    placeholder=move || t_string!(i18n, catalogue_tasks.search_placeholder)
                    prop:value=search on:input=move |e| search.set(event_target_value(&e))/>
            </div>
            <div class="field">
                <label for="catalogue-product">{t!(i18n, catalogue_tasks.product)}</label>
                <select id="catalogue-product" required=true data-field="product"
                    on:change=move |e| pick(Uuid::parse_str(&event_target_value(&e)).ok())>
                    <option value="">{t!(i18n, catalogue_tasks.choose_product)}</option>
                    {move || {
                        let current = picked.get();
                        matches(current).into_iter().map(|(id, text, base)| view! {
                            <option value=id.to_string() selected=Some(id) == current>
                                {move || format!("{text} · {}", money(base))}
                            </option>
                        }).collect_view()
                    }}
                </select>
                {move || product().filter(|p| !p.description.is_empty()).map(|p| view! {
                    <p class="field__help">{p.description}</p>
                })}
                {field_errors.line("lines.0.product")}
            </div>
            {configurator}
            {field_errors.line("lines.0.options")}
            <div class="form form--grid">
                <div class="field">
                    <label for="catalogue-quantity">{t!(i18n, catalogue_tasks.quantity)}</label>
                    <input id="catalogue-quantity" inputmode="decimal" autocomplete="off" maxlength="32"
                        required=true data-field="quantity"
                        prop:value=quantity on:input=move |e| quantity.set(event_target_value(&e))/>
                    {move || product().filter(|p| !p.unit.is_empty()).map(|p| view! {
                        <p class="field__help">{p.unit}</p>
                    })}
                    {field_errors.line("lines.0.quantity")}
                </div>
                <div class="field">
                    <label for="catalogue-price">{t!(i18n, catalogue_tasks.unit_price)}</label>
                    <input id="catalogue-price" inputmode="decimal" autocomplete="off" maxlength="32"
                        required=true data-field="unit_price"
                        prop:value=price on:input=move |e| price.set(event_target_value(&e))/>
                    {field_errors.line("lines.0.unit_price")}
                </div>
                <div class="field">
                    <label for="catalogue-discount">{t!(i18n, catalogue_tasks.discount)}</label>
                    <input id="catalogue-discount" inputmode="decimal" autocomplete="off" maxlength="32"
                        data-field="discount"
                        prop:value=discount on:input=move |e| discount.set(event_target_value(&e))/>
                    {field_errors.line("lines.0.discount")}
                </div>
            </div>
            <dl class="facts" data-testid="catalogue-line">
                <div>
                    <dt>{t!(i18n, catalogue_tasks.line_total)}</dt>
                    <dd data-testid="catalogue-line-total">
                        {move || priced().map(|line| money(line.subtotal())).unwrap_or_else(|| "—".to_string())}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, catalogue_tasks.tax)}</dt>
                    <dd>{move || match (product(), tax()) {
                        (None, _) => "—".to_string(),
                        (Some(_), None) => t_string!(i18n, catalogue_tasks.no_tax).to_string(),
                        (Some(_), Some(t)) if t.included => {
                            format!("{} · {}", t.name, t_string!(i18n, catalogue_tasks.tax_included))
                        }
                        (Some(_), Some(t)) => t.name,
                    }}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, catalogue_tasks.untaxed)}</dt>
                    <dd data-testid="catalogue-line-untaxed">
                        {move || priced().map(|line| money(untaxed(&line))).unwrap_or_else(|| "—".to_string())}
                    </dd>
                </div>
            </dl>
            {move || planned().map(|(tasks, with_amounts)| view! {
                <section data-testid="catalogue-task-preview">
                    <h3 class="subheading">{t!(i18n, catalogue_tasks.becomes)}</h3>
                    <ul class="plain-list">
                        {tasks.into_iter().map(|task| {
                            let hours = task.planned_hours.map(|h| format!("{} h", format_hours(language(), h)));
                            let amount = with_amounts.then(|| money(task.amount));
                            view! {
                                <li>
                                    <span>{task.title}</span>
                                    {hours.map(|h| view! { <span class="muted">{h}</span> })}
                                    {amount.map(|a| view! { <span class="muted">{a}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-action="add-catalogue-tasks"
                    disabled=move || busy.get() || picked.with(Option::is_none)>
                    {t!(i18n, catalogue_tasks.add)}
                </button>
                <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
            </div>
        </form>
    }
}
