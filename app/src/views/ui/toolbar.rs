//! The list toolbar: search, quick and custom filters, grouping, favorites, columns, export;
//! and the bar of bulk actions over selected rows.

use super::cells::field_label;
use super::{go_to, use_list, BulkActions};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, from_locale, is_singular};
use crate::ui::InBrowser;
use crate::ui::{kept, kept_checked, use_toasts, DateInput, ErrorAlert, Icon, IconName};
use crate::views::api::{delete_view, set_columns, set_default_view};
use crate::views::filter::{date_range, operators, takes_value, BETWEEN};
use crate::views::schema::{FieldDef, FieldKind};
use crate::views::{Filter, ViewState};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

fn operator_label(locale: Locale, op: &str) -> &'static str {
    match op {
        "contains" => td_string!(locale, views.op_contains),
        "not_contains" => td_string!(locale, views.op_not_contains),
        "is" => td_string!(locale, views.op_is),
        "not" => td_string!(locale, views.op_not),
        "set" => td_string!(locale, views.op_set),
        "unset" => td_string!(locale, views.op_unset),
        "gte" => td_string!(locale, views.op_gte),
        "lte" => td_string!(locale, views.op_lte),
        "me" => td_string!(locale, views.op_me),
        "has" => td_string!(locale, views.op_has),
        "between" => td_string!(locale, views.op_between),
        _ => td_string!(locale, views.op_eq),
    }
}

/// "City contains Gent", as a chip reads; a day reads the user's way.
fn filter_text(locale: Locale, field: Option<&FieldDef>, filter: &Filter) -> String {
    let Some(field) = field else {
        return filter.field.clone();
    };
    let day = if field.kind == FieldKind::Date {
        crate::domain::day::parse_day(&filter.value)
    } else {
        None
    };
    let range = if field.kind == FieldKind::Date && filter.op == BETWEEN {
        date_range(&filter.value)
    } else {
        None
    };
    let value = if !takes_value(&filter.op) {
        String::new()
    } else if let Some((from, to)) = range {
        let language = from_locale(locale);
        format!(
            "{} – {}",
            format_date_short(language, from),
            format_date_short(language, to)
        )
    } else if let Some(day) = day {
        format_date_short(from_locale(locale), day)
    } else {
        field.value_label(locale, &filter.value)
    };
    format!(
        "{} {} {value}",
        field_label(locale, field),
        operator_label(locale, &filter.op)
    )
    .trim_end()
    .to_string()
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let navigate = use_navigate();
    let started_with = list.state.with_untracked(|s| s.search.clone());
    let search = RwSignal::new(started_with.clone());
    // The box follows the view when it changes by navigation (Back, a favorite); not when the
    // page comes alive on the view it started with, when it may hold what was typed before
    // (see `kept`).
    Effect::new(move |seen: Option<()>| {
        let current = list.state.with(|s| s.search.clone());
        let alive_on_same_view = seen.is_none() && current == started_with;
        if !alive_on_same_view && search.get_untracked() != current {
            search.set(current);
        }
    });
    let submit_search = {
        let navigate = navigate.clone();
        move |replace: bool| {
            let next = ViewState {
                search: search.get_untracked(),
                ..list.state.get_untracked()
            };
            go_to(&navigate, &list.href(&next), replace);
        }
    };
    let typing = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let on_input = {
        let submit_search = submit_search.clone();
        move |event: leptos::ev::Event| {
            search.set(event_target_value(&event));
            if let Some(handle) = typing.get_value() {
                handle.clear();
            }
            let submit = submit_search.clone();
            typing.set_value(
                set_timeout_with_handle(
                    move || submit(true),
                    std::time::Duration::from_millis(300),
                )
                .ok(),
            );
        }
    };
    let chips_navigate = navigate.clone();
    let export = move |format: &'static str| {
        let query = list.query();
        format!("/export/{}.{format}?{query}", list.schema.key)
    };

    view! {
        <div class="list-toolbar">
            <form class="list-search" role="search" method="get" action=list.base
                on:submit={
                    let submit_search = submit_search.clone();
                    move |event| { event.prevent_default(); submit_search(false); }
                }>
                <label class="visually-hidden" for="list-search">{t!(i18n, views.search)}</label>
                <Icon name=IconName::Search/>
                <input id="list-search" type="search" name="q" autocomplete="off"
                    placeholder=move || (list.schema.search_hint)(i18n.get_locale())
                    prop:value=kept(search) value=move || search.get() on:input=on_input/>
                // Without JavaScript the search form keeps the rest of the view.
                {move || list.state.with(|s| {
                    let kept = ViewState { search: String::new(), ..s.clone() };
                    crate::views::state::query_pairs(&kept)
                        .into_iter()
                        .map(|(k, v)| view! { <input type="hidden" name=k value=v/> })
                        .collect_view()
                })}
            </form>
            <FilterMenu/>
            <GroupMenu/>
            <FavoritesMenu/>
            <ColumnsMenu/>
            <details class="menu">
                <summary class="button"><Icon name=IconName::Download/><span>{t!(i18n, views.export)}</span></summary>
                <div class="menu__panel">
                    <super::export_link::ExportLink csv=true href=Signal::derive(move || export("csv"))
                        file_name=Signal::derive(move || format!("{}.csv", list.schema.key))>
                        {t!(i18n, views.export_csv)}
                    </super::export_link::ExportLink>
                    <super::export_link::ExportLink csv=false href=Signal::derive(move || export("xlsx"))
                        file_name=Signal::derive(move || format!("{}.xlsx", list.schema.key))>
                        {t!(i18n, views.export_xlsx)}
                    </super::export_link::ExportLink>
                </div>
            </details>
        </div>
        <ul class="chips" aria-label=move || t_string!(i18n, views.filters)>
            {move || {
                let state = list.state.get();
                let navigate = chips_navigate.clone();
                let mut chips = Vec::new();
                for key in &state.predefined {
                    if let Some(p) = list.schema.predefined_filter(key) {
                        let next = state.toggled_predefined(key);
                        chips.push(((p.label)(i18n.get_locale()).to_string(), list.href(&next)));
                    }
                }
                for (i, filter) in state.filters.iter().enumerate() {
                    let mut next = state.clone();
                    next.filters.remove(i);
                    chips.push((filter_text(i18n.get_locale(), list.schema.field(&filter.field), filter), list.href(&next)));
                }
                let clear_href = (!chips.is_empty()).then(|| list.href(&ViewState {
                    filters: Vec::new(),
                    predefined: Vec::new(),
                    search: String::new(),
                    ..state.clone()
                }));
                let mut items: Vec<AnyView> = chips.into_iter().map(|(text, href)| {
                    let navigate = navigate.clone();
                    let remove = t_string!(i18n, views.filter_remove, name = text.clone()).to_string();
                    view! {
                        <li class="chip">
                            <span>{text}</span>
                            <a class="chip__remove" href=href.clone() aria-label=remove
                                on:click=move |event| { event.prevent_default(); go_to(&navigate, &href, false); }>"×"</a>
                        </li>
                    }.into_any()
                }).collect();
                if let Some(href) = clear_href {
                    items.push(view! {
                        <li><a class="link-button" href=href.clone()
                            on:click=move |event| { event.prevent_default(); go_to(&navigate, &href, false); }>
                            {t!(i18n, views.filters_clear)}</a></li>
                    }.into_any());
                }
                items
            }}
        </ul>
    }
}

#[component]
fn FilterMenu() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let navigate = use_navigate();
    // Links to other records are filtered from their pages (a project's tasks), not by
    // typing an id.
    let filterable: Vec<&'static FieldDef> = list
        .schema
        .fields
        .iter()
        .filter(|f| f.kind != FieldKind::Record)
        .collect();
    let field_key = RwSignal::new(filterable[0].key.to_string());
    let field = Memo::new(move |_| list.schema.field(&field_key.get()));
    let op = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    // A new field starts with its first operator and no value. When the page comes alive, only
    // an operator is chosen if none is: what was picked and typed before stays (see `kept`).
    Effect::new(move |seen: Option<()>| {
        if let Some(f) = field.get() {
            if seen.is_some() || op.with_untracked(String::is_empty) {
                op.set(operators(f.kind)[0].to_string());
            }
            if seen.is_some() {
                value.set(String::new());
            }
        }
    });
    let add = {
        let navigate = navigate.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let Some(f) = field.get_untracked() else {
                return;
            };
            let mut v = value.get_untracked().trim().to_string();
            if !takes_value(&op.get_untracked()) {
                v.clear();
            } else if v.is_empty() {
                return;
            }
            // A day is kept the way URLs write it, whatever way it was typed.
            if f.kind == FieldKind::Date {
                if let Some(day) = crate::domain::day::parse_day(&v) {
                    v = day.to_string();
                }
            }
            let next = list.state.get_untracked().with_filter(Filter {
                field: f.key.to_string(),
                op: op.get_untracked(),
                value: v,
            });
            value.set(String::new());
            go_to(&navigate, &list.href(&next), false);
        }
    };
    let predefined_navigate = navigate.clone();
    view! {
        <details class="menu menu--sheet">
            <summary class="button"><Icon name=IconName::Filter/><span>{t!(i18n, views.filters)}</span></summary>
            <div class="menu__panel">
                <p class="menu__title">{t!(i18n, views.predefined)}</p>
                {list.schema.predefined.iter().map(|p| {
                    let active = move || list.state.with(|s| s.predefined.iter().any(|k| k == p.key));
                    let href = move || list.href(&list.state.with(|s| s.toggled_predefined(p.key)));
                    let navigate = predefined_navigate.clone();
                    view! {
                        <a class="menu__item" class:menu__item--active=active href=href
                            aria-pressed=move || active().to_string()
                            on:click=move |event| { event.prevent_default(); go_to(&navigate, &href(), false); }>
                            {move || (p.label)(i18n.get_locale())}
                        </a>
                    }
                }).collect_view()}
                <form class="filter-form" on:submit=add>
                    <p class="menu__title">{t!(i18n, views.filter_add)}</p>
                    <label class="visually-hidden" for="filter-field">{t!(i18n, views.filter_field)}</label>
                    <select id="filter-field" on:change=move |e| field_key.set(event_target_value(&e))>
                        {filterable.iter().map(|f| {
                            let f = *f;
                            view! { <option value=f.key>{move || (f.label)(i18n.get_locale())}</option> }
                        }).collect_view()}
                    </select>
                    <label class="visually-hidden" for="filter-op">{t!(i18n, views.filter_operator)}</label>
                    <select id="filter-op" prop:value=kept(op) on:change=move |e| op.set(event_target_value(&e))>
                        {move || field.get().map(|f| operators(f.kind).iter().map(|o| {
                            view! { <option value=*o selected=move || op.get() == *o>{move || operator_label(i18n.get_locale(), o)}</option> }
                        }).collect_view())}
                    </select>
                    <Show when=move || takes_value(&op.get())>
                        <FilterValue field value/>
                    </Show>
                    <button type="submit" class="button button--primary">{t!(i18n, views.filter_add)}</button>
                </form>
            </div>
        </details>
    }
}

/// The value input of a new filter, typed by the field's kind.
#[component]
fn FilterValue(field: Memo<Option<&'static FieldDef>>, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let Some(f) = field.get() else {
            return ().into_any();
        };
        let label = move || t_string!(i18n, views.filter_value);
        let input = move |kind: &'static str| {
            view! {
                <input id="filter-value" type=kind aria-label=label prop:value=kept(value)
                    on:input=move |e| value.set(event_target_value(&e))/>
            }
        };
        match f.kind {
            FieldKind::Enum(options) => {
                if value.get_untracked().is_empty() {
                    value.set(options[0].value.to_string());
                }
                view! {
                    <select id="filter-value" aria-label=label on:change=move |e| value.set(event_target_value(&e))>
                        {options.iter().map(|o| view! {
                            <option value=o.value>{move || (o.label)(i18n.get_locale())}</option>
                        }).collect_view()}
                    </select>
                }.into_any()
            }
            FieldKind::Boolean => {
                if value.get_untracked().is_empty() {
                    value.set("true".to_string());
                }
                view! {
                    <select id="filter-value" aria-label=label on:change=move |e| value.set(event_target_value(&e))>
                        <option value="true">{t!(i18n, views.yes)}</option>
                        <option value="false">{t!(i18n, views.no)}</option>
                    </select>
                }.into_any()
            }
            FieldKind::User => {
                // Loaded when a user filter is being built, not with every list.
                let users = LocalResource::new(crate::shared::api::user_options);
                view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = users.in_browser_later().await?.unwrap_or_default();
                        if value.get_untracked().is_empty() {
                            if let Some(first) = options.first() {
                                value.set(first.id.to_string());
                            }
                        }
                        Some(view! {
                            <select id="filter-value" aria-label=label on:change=move |e| value.set(event_target_value(&e))>
                                {options.into_iter().map(|u| view! { <option value=u.id.to_string()>{u.name}</option> }).collect_view()}
                            </select>
                        })
                    })}
                </Suspense>
            }.into_any()
            }
            FieldKind::Date => view! {
                <DateInput id="filter-value" value=value
                    aria_label=Signal::derive(move || label().to_string())
                    on_input=Callback::new(move |text| value.set(text))/>
            }
            .into_any(),
            FieldKind::Number | FieldKind::Money => input("number").into_any(),
            FieldKind::Text | FieldKind::Tags | FieldKind::Record => input("text").into_any(),
        }
    }
}

#[component]
fn GroupMenu() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let navigate = use_navigate();
    let groupable: Vec<&'static FieldDef> = list.schema.groupable().collect();
    let choose = move |level: usize, key: String| {
        let mut next = list.state.get_untracked();
        next.group_by.truncate(level);
        if !key.is_empty() {
            next.group_by.push(key);
        }
        go_to(&navigate, &list.href(&next), false);
    };
    let level_select = move |level: usize| {
        let choose = choose.clone();
        let groupable = groupable.clone();
        let current = move || {
            list.state
                .with(|s| s.group_by.get(level).cloned().unwrap_or_default())
        };
        view! {
            <select class="select--compact" id=format!("group-{level}")
                aria-label=move || if level == 0 { t_string!(i18n, views.group_by) } else { t_string!(i18n, views.group_then) }
                on:change=move |e| choose(level, event_target_value(&e))>
                <option value="" selected=move || current().is_empty()>{t!(i18n, views.group_none)}</option>
                {groupable.iter().map(|f| {
                    let f = *f;
                    view! { <option value=f.key selected=move || current() == f.key>{move || (f.label)(i18n.get_locale())}</option> }
                }).collect_view()}
            </select>
        }
    };
    let second = level_select.clone();
    view! {
        <details class="menu">
            <summary class="button"><Icon name=IconName::Group/><span>{t!(i18n, views.group_by)}</span></summary>
            <div class="menu__panel">
                <p class="menu__title">{t!(i18n, views.group_by)}</p>
                {level_select(0)}
                <Show when=move || list.state.with(|s| !s.group_by.is_empty())>
                    <p class="menu__title">{t!(i18n, views.group_then)}</p>
                    {second(1)}
                </Show>
            </div>
        </details>
    }
}

#[component]
fn FavoritesMenu() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let save = super::super::api::SaveViewAction::new();
    let remove = Action::new(move |id: &uuid::Uuid| delete_view(*id));
    let make_default = Action::new(move |id: &Option<uuid::Uuid>| {
        set_default_view(list.schema.key.to_string(), *id)
    });
    Effect::new(move |_| {
        let done = save
            .value()
            .get()
            .map(|r| r.map(|v| v.name))
            .or_else(|| remove.value().get().map(|r| r.map(|_| String::new())))
            .or_else(|| make_default.value().get().map(|r| r.map(|_| String::new())));
        match done {
            Some(Ok(name)) => {
                if !name.is_empty() {
                    toasts.success(t_string!(i18n, views.favorite_saved, name = name).to_string());
                }
                list.preference_changes.reload();
            }
            Some(Err(error)) => toasts.failure(i18n.get_locale_untracked(), &error),
            None => {}
        }
    });
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    view! {
        <details class="menu">
            <summary class="button"><Icon name=IconName::Star/><span>{t!(i18n, views.favorites)}</span></summary>
            <div class="menu__panel menu__panel--wide">
                <div class="favorites-list">
                    // The list view has loaded the preferences before rendering the toolbar.
                    {move || {
                        let navigate = navigate.clone();
                        {
                            let preferences = list
                                .preferences
                                .get()
                                .and_then(Result::ok)
                                .unwrap_or_default();
                            if preferences.saved.is_empty() {
                                return view! { <p class="muted">{t!(i18n, views.favorites_none)}</p> }.into_any();
                            }
                            let default = preferences.default_view;
                            view! {
                                <ul class="favorites">
                                    {preferences.saved.into_iter().map(|saved| {
                                        let href = format!("{}?{}", list.base, if saved.query.is_empty() { "d=0".to_string() } else { saved.query.clone() });
                                        let is_default = default == Some(saved.id);
                                        let id = saved.id;
                                        let navigate = navigate.clone();
                                        let name = saved.name.clone();
                                        view! {
                                            <li class="favorite">
                                                <a class="menu__item" href=href.clone()
                                                    on:click=move |event| { event.prevent_default(); go_to(&navigate, &href, false); }>
                                                    {saved.name.clone()}
                                                </a>
                                                {saved.shared.then(|| view! { <span class="badge">{t!(i18n, views.favorite_shared_badge)}</span> })}
                                                {is_default.then(|| view! { <span class="badge badge--accent">{t!(i18n, views.favorite_is_default)}</span> })}
                                                <button type="button" class="link-button"
                                                    on:click=move |_| { make_default.dispatch(if is_default { None } else { Some(id) }); }>
                                                    {move || if is_default { t_string!(i18n, views.favorite_clear_default) } else { t_string!(i18n, views.favorite_make_default) }}
                                                </button>
                                                {saved.mine.then(|| view! {
                                                    <button type="button" class="link-button link-button--danger"
                                                        aria-label=move || t_string!(i18n, views.favorite_delete, name = name.clone()).to_string()
                                                        on:click=move |_| { remove.dispatch(id); }>"×"</button>
                                                })}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
                <ActionForm action=save attr:class="form favorite-form">
                    <p class="menu__title">{t!(i18n, views.favorite_save)}</p>
                    <input type="hidden" name="list" value=list.schema.key/>
                    <input type="hidden" name="query" prop:value=move || {
                        // A pivot's favorite keeps its layout beside the view.
                        let keep = list.keep.get();
                        let query = list.query();
                        if keep.is_empty() { query } else { format!("{query}&{keep}") }
                    }/>
                    <label for="favorite-name">{t!(i18n, views.favorite_name)}</label>
                    <input id="favorite-name" name="name" required=true maxlength="80"/>
                    <label class="checkbox"><input type="checkbox" name="shared" value="true"/>{t!(i18n, views.favorite_shared)}</label>
                    <label class="checkbox"><input type="checkbox" name="make_default" value="true"/>{t!(i18n, views.favorite_default)}</label>
                    <ErrorAlert error=save_error/>
                    <button type="submit" class="button button--primary" disabled=move || save.pending().get()>{t!(i18n, save)}</button>
                </ActionForm>
            </div>
        </details>
    }
}

#[component]
fn ColumnsMenu() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let navigate = use_navigate();
    let toasts = use_toasts();
    let remember = Action::new(move |columns: &Vec<String>| {
        set_columns(list.schema.key.to_string(), columns.clone())
    });
    Effect::new(move |_| {
        if let Some(Err(error)) = remember.value().get() {
            toasts.failure(i18n.get_locale_untracked(), &error);
        }
    });
    // The columns shown now: the view's, the remembered ones, or the defaults.
    let current = Memo::new(move |_| {
        let remembered = list.preferences.with(|p| {
            p.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|p| p.columns.clone())
        });
        list.state.with(|s| {
            crate::views::query::visible_columns(list.schema, s, remembered.as_deref())
                .unwrap_or_default()
                .iter()
                .map(|f| f.key.to_string())
                .collect::<Vec<_>>()
        })
    });
    // Back to the defaults: remembered first, then the list reloads without `c`.
    let resetting = RwSignal::new(false);
    let reset = move |columns: Vec<String>| {
        resetting.set(true);
        remember.dispatch(columns);
    };
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if let Some(Ok(())) = remember.value().get() {
                if resetting.get_untracked() {
                    resetting.set(false);
                    list.preference_changes.reload();
                    list.changes.reload();
                    let next = ViewState {
                        columns: None,
                        ..list.state.get_untracked()
                    };
                    go_to(&navigate, &list.href(&next), true);
                }
            }
        });
    }
    let apply = move |columns: Vec<String>| {
        if columns.is_empty() {
            return;
        }
        remember.dispatch(columns.clone());
        let next = ViewState {
            columns: Some(columns),
            ..list.state.get_untracked()
        };
        go_to(&navigate, &list.href(&next), true);
    };
    view! {
        <details class="menu">
            <summary class="button"><Icon name=IconName::Columns/><span>{t!(i18n, views.columns)}</span></summary>
            <div class="menu__panel">
                <p class="muted">{t!(i18n, views.columns_intro)}</p>
                <ul class="column-chooser">
                    {move || {
                        let shown = current.get();
                        let mut ordered: Vec<&'static FieldDef> = shown.iter().filter_map(|k| list.schema.field(k)).collect();
                        ordered.extend(list.schema.fields.iter().filter(|f| !shown.iter().any(|k| k == f.key)));
                        ordered.into_iter().map(|field| {
                            let key = field.key.to_string();
                            let visible = shown.contains(&key);
                            let position = shown.iter().position(|k| *k == key);
                            let toggle = {
                                let (shown, key, apply) = (shown.clone(), key.clone(), apply.clone());
                                move |_| {
                                    let mut next = shown.clone();
                                    if visible { next.retain(|k| *k != key) } else { next.push(key.clone()) }
                                    apply(next);
                                }
                            };
                            let mover = |delta: isize| {
                                let (shown, apply) = (shown.clone(), apply.clone());
                                move |_| {
                                    if let Some(i) = position {
                                        let j = i as isize + delta;
                                        if j >= 0 && (j as usize) < shown.len() {
                                            let mut next = shown.clone();
                                            next.swap(i, j as usize);
                                            apply(next);
                                        }
                                    }
                                }
                            };
                            let name = move || field_label(i18n.get_locale(), field);
                            view! {
                                <li class="column-chooser__item">
                                    <label class="checkbox">
                                        <input type="checkbox" prop:checked=kept_checked(visible) on:change=toggle/>
                                        {name}
                                    </label>
                                    {visible.then(|| view! {
                                        <button type="button" class="icon-button" on:click=mover(-1)
                                            aria-label=move || t_string!(i18n, views.column_up, name = name()).to_string()>"↑"</button>
                                        <button type="button" class="icon-button" on:click=mover(1)
                                            aria-label=move || t_string!(i18n, views.column_down, name = name()).to_string()>"↓"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()
                    }}
                </ul>
                <button type="button" class="link-button" on:click=move |_| {
                    reset(list.schema.default_columns.iter().map(|c| c.to_string()).collect())
                }>
                    {t!(i18n, views.columns_reset)}
                </button>
            </div>
        </details>
    }
}

/// "3 selected", in the user's language.
fn selected_text(locale: Locale, count: usize) -> String {
    if is_singular(from_locale(locale), count as u64) {
        td_string!(locale, views.selected_singular, count = count).to_string()
    } else {
        td_string!(locale, views.selected, count = count).to_string()
    }
}

/// Shown while rows are selected: the list's own bulk actions and a way to clear.
#[component]
pub fn BulkBar(actions: BulkActions) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    view! {
        <Show when=move || list.selected.with(|s| !s.is_empty())>
            <div class="bulk-bar" role="region" aria-label=move || selected_text(i18n.get_locale(), list.selected.with(Vec::len))>
                <span class="bulk-bar__count">{move || selected_text(i18n.get_locale(), list.selected.with(Vec::len))}</span>
                {move || actions.run(list)}
                <button type="button" class="link-button" on:click=move |_| list.selected.set(Vec::new())>
                    {t!(i18n, views.selection_clear)}
                </button>
            </div>
        </Show>
    }
}
