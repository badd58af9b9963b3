//! The catalogue page (products and taxes) and the product editor with its task templates
//! and configurator (option groups, options with price and task templates).

use super::api::{get_product, load_catalogue_page, save_product, save_tax};
use super::{OptionGroup, Product, ProductKind, ProductOption, TaskTemplate, TaxRate};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::from_locale;
use crate::ui::{
    error_text, kept, kept_checked, use_changes, use_toasts, Changes, ErrorAlert, Icon, IconName,
    PageHeader,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

pub fn product_href(id: Uuid) -> String {
    format!("/products/{id}")
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let page = Resource::new(move || changes.version(), |_| load_catalogue_page());
    let language = move || from_locale(i18n.get_locale());
    view! {
        <Title text=move || t_string!(i18n, products.page_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, products.page_title).to_string())>
            <a class="button" href="/quotes">{t!(i18n, quotes.page_title)}</a>
            <a class="button button--primary" href="/products/new" data-action="new-product">
                <Icon name=IconName::Plus/><span>{t!(i18n, products.new_product)}</span>
            </a>
        </PageHeader>
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Ok(page) => view! {
                        <div class="catalogue">
                        <section class="card">
                            <div class="table-wrap">
                                <table class="table" data-testid="products">
                                    <thead><tr>
                                        <th>{t!(i18n, products.name)}</th>
                                        <th>{t!(i18n, products.reference)}</th>
                                        <th>{t!(i18n, products.kind)}</th>
                                        <th class="numeric">{t!(i18n, products.price)}</th>
                                        <th>{t!(i18n, quotes.tax)}</th>
                                        <th>{t!(i18n, products.templates)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.products.into_iter().map(|p| {
                                            let price = p.price;
                                            let kind = p.kind;
                                            view! {
                                                <tr class:muted=!p.active>
                                                    <td><a href=product_href(p.id)>{p.name.clone()}</a>
                                                        {p.configurable.then(|| view! { " " <span class="tag">{t!(i18n, products.configurable)}</span> })}
                                                        {(!p.active).then(|| view! { " " <span class="tag">{t!(i18n, products.inactive)}</span> })}
                                                    </td>
                                                    <td>{p.reference.clone()}</td>
                                                    <td>{move || kind_label(i18n.get_locale(), kind)}</td>
                                                    <td class="numeric">{move || price.format(language())} {(!p.unit.is_empty()).then(|| format!(" / {}", p.unit))}</td>
                                                    <td>{p.tax.clone()}</td>
                                                    <td>{(p.templates > 0).then_some(p.templates)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                        <Taxes taxes=page.taxes may_edit=page.may_edit changes/>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn kind_label(locale: crate::i18n::Locale, kind: ProductKind) -> &'static str {
    match kind {
        ProductKind::Service => crate::i18n::td_string!(locale, products.service),
        ProductKind::Goods => crate::i18n::td_string!(locale, products.goods),
    }
}

/// The taxes: rate, included or added, country; managers and admins change them.
#[component]
fn Taxes(taxes: Vec<TaxRate>, may_edit: bool, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let error = RwSignal::new(None::<AppError>);
    let save = move |id: Option<(Uuid, i32)>,
                     name: String,
                     rate: String,
                     included: bool,
                     country: String,
                     active: bool| {
        leptos::task::spawn_local(async move {
            let (id, version) = (id.map(|(id, _)| id), id.map_or(0, |(_, v)| v));
            match save_tax(id, version, name, rate, included, country, active).await {
                Ok(_) => {
                    error.set(None);
                    toasts.success(t_string!(i18n, products.tax_saved).to_string());
                    changes.reload();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let row = move |tax: Option<TaxRate>| {
        let id = tax.as_ref().map(|t| (t.id, t.version));
        let name = RwSignal::new(tax.as_ref().map(|t| t.name.clone()).unwrap_or_default());
        let rate = RwSignal::new(
            tax.as_ref()
                .map(|t| t.rate.normalize().to_string())
                .unwrap_or_default(),
        );
        let included = RwSignal::new(tax.as_ref().is_some_and(|t| t.included));
        let country = RwSignal::new(
            tax.as_ref()
                .and_then(|t| t.country.clone())
                .unwrap_or_default(),
        );
        let active = RwSignal::new(tax.as_ref().is_none_or(|t| t.active));
        view! {
            <tr>
                <td><input aria-label=move || t_string!(i18n, products.name) prop:value=kept(name) disabled=!may_edit on:input=move |e| name.set(event_target_value(&e))/></td>
                <td><input class="input--narrow" inputmode="decimal" aria-label=move || t_string!(i18n, products.rate) prop:value=kept(rate) disabled=!may_edit on:input=move |e| rate.set(event_target_value(&e))/></td>
                <td><input type="checkbox" aria-label=move || t_string!(i18n, products.included) prop:checked=kept_checked(included) disabled=!may_edit on:change=move |e| included.set(event_target_checked(&e))/></td>
                <td><input class="input--narrow" maxlength="2" aria-label=move || t_string!(i18n, products.country) prop:value=kept(country) disabled=!may_edit on:input=move |e| country.set(event_target_value(&e))/></td>
                <td><input type="checkbox" aria-label=move || t_string!(i18n, products.active) prop:checked=kept_checked(active) disabled=!may_edit on:change=move |e| active.set(event_target_checked(&e))/></td>
                <td>{may_edit.then(|| view! {
                    <button type="button" class="button button--small" on:click=move |_| save(id, name.get_untracked(), rate.get_untracked(), included.get_untracked(), country.get_untracked(), active.get_untracked())>
                        {move || if id.is_some() { t_string!(i18n, save) } else { t_string!(i18n, products.add_tax) }}
                    </button>
                })}</td>
            </tr>
        }
    };
    view! {
        <section class="card taxes" data-testid="taxes">
            <h2>{t!(i18n, products.taxes)}</h2>
            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{error_text(i18n.get_locale(), &e)}</p> })}
            <div class="table-wrap">
                <table class="table table--compact">
                    <thead><tr>
                        <th>{t!(i18n, products.name)}</th><th>{t!(i18n, products.rate)}</th>
                        <th>{t!(i18n, products.included)}</th><th>{t!(i18n, products.country)}</th>
                        <th>{t!(i18n, products.active)}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {taxes.into_iter().map(|t| row(Some(t))).collect_view()}
                        {may_edit.then(|| row(None))}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// `/products/new` and `/products/{id}`.
#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let product = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_product(id).await,
            None => Ok(Product {
                active: true,
                currency: "EUR".into(),
                ..Product::default()
            }),
        }
    });
    let taxes = Resource::new(|| (), |_| load_catalogue_page());
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match (product.await, taxes.await) {
                    (Ok(product), Ok(page)) => view! { <ProductEditor product taxes=page.taxes may_edit=page.may_edit/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Task templates as editable rows.
#[component]
fn Templates(
    templates: RwSignal<Vec<TaskTemplate>>,
    may_edit: bool,
    testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="templates" data-testid=testid>
            {move || {
                let list = templates.get();
                let last = list.len().saturating_sub(1);
                list.into_iter().enumerate().map(move |(i, template)| view! {
                <div class="template-row">
                    <input aria-label=move || t_string!(i18n, products.task_title) placeholder=move || t_string!(i18n, products.task_title)
                        value=template.title.clone() disabled=!may_edit
                        on:change=move |e| templates.update(|list| list[i].title = event_target_value(&e))/>
                    <input class="input--narrow" inputmode="decimal" aria-label=move || t_string!(i18n, products.planned_hours)
                        placeholder=move || t_string!(i18n, products.hours_short)
                        value=template.planned_hours.clone() disabled=!may_edit
                        on:change=move |e| templates.update(|list| list[i].planned_hours = event_target_value(&e))/>
                    {may_edit.then(|| view! {
                        <button type="button" class="icon-button" aria-label=move || t_string!(i18n, quotes.move_up)
                            disabled=i == 0
                            on:click=move |_| templates.update(|list| if i > 0 { list.swap(i - 1, i) })>"↑"</button>
                        <button type="button" class="icon-button" aria-label=move || t_string!(i18n, quotes.move_down)
                            disabled=i == last
                            on:click=move |_| templates.update(|list| if i + 1 < list.len() { list.swap(i, i + 1) })>"↓"</button>
                        <button type="button" class="icon-button" aria-label=move || t_string!(i18n, quotes.remove_line)
                            on:click=move |_| templates.update(|list| { list.remove(i); })>
                            <Icon name=IconName::Trash/>
                        </button>
                    })}
                </div>
                <textarea class="template-description" rows="2" data-field="template-description"
                    aria-label=move || t_string!(i18n, products.task_description)
                    placeholder=move || t_string!(i18n, products.task_description)
                    disabled=!may_edit
                    on:change=move |e| templates.update(|list| list[i].description = event_target_value(&e))>
                    {template.description.clone()}
                </textarea>
            }).collect_view()
            }}
            {may_edit.then(|| view! {
                <button type="button" class="button button--small" data-action="add-template"
                    on:click=move |_| templates.update(|list| list.push(TaskTemplate::default()))>
                    <Icon name=IconName::Plus/><span>{t!(i18n, products.add_template)}</span>
                </button>
            })}
        </div>
    }
}

/// An option in the editor: id, name, extra price (as typed) and its task templates.
type OptionRow = (
    Option<Uuid>,
    RwSignal<String>,
    RwSignal<String>,
    RwSignal<Vec<TaskTemplate>>,
);
/// An option group in the editor: id, name, several options allowed, required, options.
type GroupRow = (
    Option<Uuid>,
    RwSignal<String>,
    RwSignal<bool>,
    RwSignal<bool>,
    RwSignal<Vec<OptionRow>>,
);

#[component]
fn ProductEditor(product: Product, taxes: Vec<TaxRate>, may_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = product.id;
    let version = product.version;
    let name = RwSignal::new(product.name.clone());
    let reference = RwSignal::new(product.reference.clone());
    let kind = RwSignal::new(product.kind);
    let unit = RwSignal::new(product.unit.clone());
    let price = RwSignal::new(product.price.clone());
    let currency = RwSignal::new(product.currency.clone());
    let tax = RwSignal::new(product.tax_id);
    let description = RwSignal::new(product.description.clone());
    let configurable = RwSignal::new(product.configurable);
    let active = RwSignal::new(product.active);
    let templates = RwSignal::new(product.templates.clone());
    // Each group's options and each option's templates are signals of their own.
    let groups: RwSignal<Vec<GroupRow>> = RwSignal::new(
        product
            .groups
            .iter()
            .map(|g| {
                let options: RwSignal<Vec<OptionRow>> = RwSignal::new(
                    g.options
                        .iter()
                        .map(|o| {
                            (
                                o.id,
                                RwSignal::new(o.name.clone()),
                                RwSignal::new(o.price.clone()),
                                RwSignal::new(o.templates.clone()),
                            )
                        })
                        .collect(),
                );
                (
                    g.id,
                    RwSignal::new(g.name.clone()),
                    RwSignal::new(g.multiple),
                    RwSignal::new(g.required),
                    options,
                )
            })
            .collect(),
    );
    let error = RwSignal::new(None::<AppError>);
    let field_errors = crate::ui::use_field_errors(error);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let product = Product {
            id,
            name: name.get_untracked(),
            reference: reference.get_untracked(),
            kind: kind.get_untracked(),
            unit: unit.get_untracked(),
            price: price.get_untracked(),
            currency: currency.get_untracked(),
            tax_id: tax.get_untracked(),
            description: description.get_untracked(),
            configurable: configurable.get_untracked(),
            active: active.get_untracked(),
            templates: templates.get_untracked(),
            groups: groups
                .get_untracked()
                .into_iter()
                .map(|(id, name, multiple, required, options)| OptionGroup {
                    id,
                    name: name.get_untracked(),
                    multiple: multiple.get_untracked(),
                    required: required.get_untracked(),
                    options: options
                        .get_untracked()
                        .into_iter()
                        .map(|(id, name, price, templates)| ProductOption {
                            id,
                            name: name.get_untracked(),
                            price: price.get_untracked(),
                            templates: templates.get_untracked(),
                        })
                        .collect(),
                })
                .collect(),
            version,
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save_product(product).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, products.saved).to_string());
                    navigate("/products", Default::default());
                }
                Err(failure) => {
                    if failure.field().is_none() || failure.field().is_some_and(|f| f.contains('.'))
                    {
                        toasts.failure(i18n.get_locale_untracked(), &failure);
                    }
                    error.set(Some(failure));
                }
            }
        });
    };
    let title = if product.name.is_empty() {
        None
    } else {
        Some(product.name.clone())
    };
    view! {
        <Title text=move || title.clone().unwrap_or_else(|| t_string!(i18n, products.new_product).to_string())/>
        <PageHeader title=Signal::derive(move || if name.get().trim().is_empty() { t_string!(i18n, products.new_product).to_string() } else { name.get() })>
            <a class="button" href="/products">{t!(i18n, products.page_title)}</a>
        </PageHeader>
        <form class="card form" data-testid="product-form" on:submit=submit>
            <div class="form form--grid">
                <div class="field">
                    <label for="product-name">{t!(i18n, products.name)}</label>
                    <input id="product-name" required=true prop:value=kept(name) disabled=!may_edit on:input=move |e| name.set(event_target_value(&e))/>
                    {field_errors.line("name")}
                </div>
                <div class="field">
                    <label for="product-reference">{t!(i18n, products.reference)}</label>
                    <input id="product-reference" prop:value=kept(reference) disabled=!may_edit on:input=move |e| reference.set(event_target_value(&e))/>
                    {field_errors.line("reference")}
                </div>
                <div class="field">
                    <label for="product-kind">{t!(i18n, products.kind)}</label>
                    <select id="product-kind" disabled=!may_edit prop:value=kept(move || kind.get().as_str().to_string()) on:change=move |e| kind.set(ProductKind::parse(&event_target_value(&e)).unwrap_or_default())>
                        {[ProductKind::Service, ProductKind::Goods].into_iter().map(|k| view! {
                            <option value=k.as_str() selected=kind.get_untracked() == k>{move || kind_label(i18n.get_locale(), k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="product-unit">{t!(i18n, quotes.unit)}</label>
                    <input id="product-unit" maxlength="20" prop:value=kept(unit) disabled=!may_edit on:input=move |e| unit.set(event_target_value(&e))/>
                    {field_errors.line("unit")}
                </div>
                <div class="field">
                    <label for="product-price">{t!(i18n, products.price)}</label>
                    <input id="product-price" inputmode="decimal" prop:value=kept(price) disabled=!may_edit on:input=move |e| price.set(event_target_value(&e))/>
                    {field_errors.line("price")}
                </div>
                <div class="field">
                    <label for="product-currency">{t!(i18n, quotes.currency)}</label>
                    <input id="product-currency" maxlength="3" prop:value=kept(currency) disabled=!may_edit on:input=move |e| currency.set(event_target_value(&e))/>
                    {field_errors.line("currency")}
                </div>
                <div class="field">
                    <label for="product-tax">{t!(i18n, quotes.tax)}</label>
                    <select id="product-tax" disabled=!may_edit on:change=move |e| tax.set(Uuid::parse_str(&event_target_value(&e)).ok())>
                        <option value="">{t!(i18n, quotes.no_tax)}</option>
                        {taxes.into_iter().filter(|t| t.active).map(|t| view! {
                            <option value=t.id.to_string() selected=tax.get_untracked() == Some(t.id)>{t.name}</option>
                        }).collect_view()}
                    </select>
                    {field_errors.line("tax")}
                </div>
                <label class="checkbox"><input type="checkbox" prop:checked=kept_checked(active) disabled=!may_edit on:change=move |e| active.set(event_target_checked(&e))/>
                    <span>{t!(i18n, products.active)}</span></label>
            </div>
            <div class="field">
                <label for="product-description">{t!(i18n, quotes.description)}</label>
                <textarea id="product-description" rows="3" disabled=!may_edit prop:value=kept(description) on:input=move |e| description.set(event_target_value(&e))>{product.description.clone()}</textarea>
                {field_errors.line("description")}
            </div>
            <fieldset class="card-section">
                <legend>{t!(i18n, products.task_templates)}</legend>
                <p class="muted">{t!(i18n, products.templates_help)}</p>
                <Templates templates may_edit testid="product-templates".to_string()/>
            </fieldset>
            <fieldset class="card-section">
                <legend>{t!(i18n, products.configurator)}</legend>
                <label class="checkbox"><input type="checkbox" data-testid="configurable" prop:checked=kept_checked(configurable) disabled=!may_edit
                    on:change=move |e| configurable.set(event_target_checked(&e))/>
                    <span>{t!(i18n, products.configurable_help)}</span></label>
                {move || configurable.get().then(|| view! {
                    <div class="option-groups">
                        {move || groups.get().into_iter().enumerate().map(|(g, (_, group_name, multiple, required, options))| view! {
                            <div class="option-group" data-testid="option-group">
                                <div class="option-group__head">
                                    <input aria-label=move || t_string!(i18n, products.group_name) placeholder=move || t_string!(i18n, products.group_name)
                                        prop:value=kept(group_name) disabled=!may_edit on:input=move |e| group_name.set(event_target_value(&e))/>
                                    <label class="checkbox"><input type="checkbox" prop:checked=kept_checked(multiple) disabled=!may_edit on:change=move |e| multiple.set(event_target_checked(&e))/>
                                        <span>{t!(i18n, products.multiple)}</span></label>
                                    <label class="checkbox"><input type="checkbox" prop:checked=kept_checked(required) disabled=!may_edit on:change=move |e| required.set(event_target_checked(&e))/>
                                        <span>{t!(i18n, products.required)}</span></label>
                                    {may_edit.then(|| view! {
                                        <button type="button" class="icon-button" aria-label=move || t_string!(i18n, products.remove_group)
                                            on:click=move |_| groups.update(|list| { list.remove(g); })><Icon name=IconName::Trash/></button>
                                    })}
                                </div>
                                {move || options.get().into_iter().enumerate().map(|(o, (_, option_name, option_price, option_templates))| view! {
                                    <div class="option-row">
                                        <div class="option-row__head">
                                            <input aria-label=move || t_string!(i18n, products.option_name) placeholder=move || t_string!(i18n, products.option_name)
                                                prop:value=kept(option_name) disabled=!may_edit on:input=move |e| option_name.set(event_target_value(&e))/>
                                            <input class="input--narrow" inputmode="decimal" aria-label=move || t_string!(i18n, products.option_price)
                                                placeholder=move || t_string!(i18n, products.option_price)
                                                prop:value=kept(option_price) disabled=!may_edit on:input=move |e| option_price.set(event_target_value(&e))/>
                                            {may_edit.then(|| view! {
                                                <button type="button" class="icon-button" aria-label=move || t_string!(i18n, products.remove_option)
                                                    on:click=move |_| options.update(|list| { list.remove(o); })><Icon name=IconName::Trash/></button>
                                            })}
                                        </div>
                                        <Templates templates=option_templates may_edit testid=format!("option-templates-{g}-{o}")/>
                                    </div>
                                }).collect_view()}
                                {may_edit.then(|| view! {
                                    <button type="button" class="button button--small" data-action="add-option"
                                        on:click=move |_| options.update(|list| list.push((None, RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(Vec::new()))))>
                                        <Icon name=IconName::Plus/><span>{t!(i18n, products.add_option)}</span>
                                    </button>
                                })}
                            </div>
                        }).collect_view()}
                        {may_edit.then(|| view! {
                            <button type="button" class="button" data-action="add-group"
                                on:click=move |_| groups.update(|list| list.push((None, RwSignal::new(String::new()), RwSignal::new(false), RwSignal::new(false), RwSignal::new(Vec::new()))))>
                                <Icon name=IconName::Plus/><span>{t!(i18n, products.add_group)}</span>
                            </button>
                        })}
                    </div>
                })}
            </fieldset>
            {move || error.get().filter(|e| e.field().is_some_and(|f| f.contains('.'))).map(|e| view! {
                <p class="field__error" role="alert">{error_text(i18n.get_locale(), &e)}</p>
            })}
            {may_edit.then(|| view! {
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="save-product">{t!(i18n, save)}</button>
                </div>
            })}
        </form>
    }
}
