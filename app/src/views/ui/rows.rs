//! The rows of a list: a table (cards on phones) that loads page after page by keyset cursor,
//! or folded groups that load their own rows when opened.

use super::cells::{group_label, total_text, CellView};
use super::{go_to, use_list};
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_number, from_locale, is_singular};
use crate::ui::{kept_checked, EmptyState, ErrorAlert};
use crate::views::api::{count_exactly, fetch_list_page};
use crate::views::query::group_fields;
use crate::views::{Count, Cursor, Group, ListPage, ListRow};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

/// The list's first answer: its rows, or its top-level groups.
#[component]
pub fn TopRows(
    first: Resource<Result<ListPage, AppError>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match first.await {
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Ok(page) => view! { <Answer page path=Vec::new() row_href/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Groups or rows, whichever the answer holds.
#[component]
fn Answer(
    page: ListPage,
    path: Vec<Option<String>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    match page.groups.clone() {
        Some(groups) => view! { <GroupList groups path row_href/> }.into_any(),
        None => view! { <RowsBlock page path row_href/> }.into_any(),
    }
}

/// The answer for an opened group, loaded when it opens.
#[component]
fn GroupContent(path: Vec<Option<String>>, row_href: fn(Uuid) -> String) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let fetch_path = path.clone();
    let answer = Resource::new(
        move || (list.query(), list.changes.version()),
        move |(query, _)| {
            fetch_list_page(list.schema.key.to_string(), query, fetch_path.clone(), None)
        },
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || {
                let path = path.clone();
                Suspend::new(async move {
                    match answer.await {
                        Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                        Ok(page) => view! { <Answer page path row_href/> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn CountLine(count: Option<Count>, path: Vec<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let exact = Action::new(move |path: &Vec<Option<String>>| {
        count_exactly(list.schema.key.to_string(), list.query(), path.clone())
    });
    let number = move |n: i64| format_number(from_locale(i18n.get_locale()), n as f64, 0);
    let records = move |n: i64| {
        if is_singular(from_locale(i18n.get_locale()), n.unsigned_abs()) {
            t_string!(i18n, views.count_singular, count = number(n)).to_string()
        } else {
            t_string!(i18n, views.count, count = number(n)).to_string()
        }
    };
    view! {
        <p class="list-count" aria-live="polite">
            {move || match (count.unwrap_or(Count::Exact(0)), exact.value().get()) {
                (_, Some(Ok(n))) | (Count::Exact(n), _) => {
                    records(n).into_any()
                }
                (Count::AtLeast(n), _) => view! {
                    {t_string!(i18n, views.count_capped, count = number(n)).to_string()}
                    " "
                    <button type="button" class="link-button"
                        disabled=move || exact.pending().get()
                        on:click={
                            let path = path.clone();
                            move |_| { exact.dispatch(path.clone()); }
                        }>
                        {t!(i18n, views.count_exactly)}
                    </button>
                }.into_any(),
            }}
        </p>
    }
}

/// Rows of the view, or of one opened group (`path` holds the group keys), with "Load more".
#[component]
fn RowsBlock(
    page: ListPage,
    path: Vec<Option<String>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    // Pages loaded with "Load more" after the first; `None` until one is.
    let more = RwSignal::new(Vec::<ListRow>::new());
    let more_next = RwSignal::new(None::<Option<Cursor>>);
    let more_path = path.clone();
    // Later pages name the first page's columns, so the server need not look them up again.
    let columns = page.columns.clone();
    let load_more = Action::new(move |cursor: &Cursor| {
        let query = crate::views::ViewState {
            columns: Some(columns.clone()),
            ..list.state.get_untracked()
        }
        .to_query();
        fetch_list_page(
            list.schema.key.to_string(),
            query,
            more_path.clone(),
            Some(cursor.clone()),
        )
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|rows| rows.extend(page.rows));
            more_next.set(Some(page.next));
        }
    });
    let load_error = Signal::derive(move || load_more.value().get().and_then(Result::err));
    let top = path.is_empty();
    if page.rows.is_empty() {
        return view! {
            {top.then(|| view! { <CountLine count=page.count path=path.clone()/> })}
            <EmptyState text=Signal::derive(move || t_string!(i18n, views.empty).to_string())/>
        }
        .into_any();
    }
    let first_next = page.next.clone();
    let next = Signal::derive(move || more_next.get().unwrap_or_else(|| first_next.clone()));
    view! {
        {top.then(|| view! { <CountLine count=page.count path=path.clone()/> })}
        <RowsTable page more row_href/>
        <ErrorAlert error=load_error/>
        <Show when=move || next.with(Option::is_some)>
            <div class="load-more">
                <button type="button" class="button"
                    disabled=move || load_more.pending().get()
                    on:click=move |_| {
                        if let Some(cursor) = next.get() {
                            load_more.dispatch(cursor);
                        }
                    }>
                    {t!(i18n, views.load_more)}
                </button>
            </div>
        </Show>
    }
    .into_any()
}

#[component]
fn RowsTable(
    page: ListPage,
    more: RwSignal<Vec<ListRow>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let navigate = use_navigate();
    let fields: Vec<_> = page
        .columns
        .iter()
        .filter_map(|key| list.schema.field(key))
        .collect();
    let first_ids: Vec<Uuid> = page.rows.iter().map(|r| r.id).collect();
    let all_ids = move || {
        let mut ids = first_ids.clone();
        more.with(|rows| ids.extend(rows.iter().map(|r| r.id)));
        ids
    };
    let all_ids = StoredValue::new(all_ids);
    let all_selected = move || {
        let ids = all_ids.with_value(|f| f());
        !ids.is_empty() && list.selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let toggle_all = move |_| {
        let ids = all_ids.with_value(|f| f());
        if all_selected() {
            list.selected.update(|s| s.retain(|id| !ids.contains(id)));
        } else {
            list.selected.update(|s| {
                for id in ids {
                    if !s.contains(&id) {
                        s.push(id);
                    }
                }
            });
        }
    };
    let header_fields = fields.clone();
    let row_fields = fields.clone();
    let more_fields = fields.clone();
    view! {
        <div class="table-wrap">
            <table class="table table--list">
                <thead>
                    <tr>
                        <th scope="col" class="select-cell">
                            <input type="checkbox" prop:checked=kept_checked(all_selected) on:change=toggle_all
                                aria-label=move || t_string!(i18n, views.select_all)/>
                        </th>
                        {header_fields.into_iter().map(|field| {
                            let sortable = field.sort.is_some();
                            let sorted = move || list.state.with(|s| {
                                let current = s.sort.clone();
                                match current {
                                    Some(sort) if sort.field == field.key => Some(sort.descending),
                                    None if list.schema.default_order().0 == field.key => Some(list.schema.default_order().1),
                                    _ => None,
                                }
                            });
                            let aria_sort = move || match sorted() {
                                Some(true) => "descending",
                                Some(false) => "ascending",
                                None => "none",
                            };
                            let navigate = navigate.clone();
                            view! {
                                <th scope="col" aria-sort=move || sortable.then(aria_sort)>
                                    {if sortable {
                                        let href = move || list.href(&list.state.with(|s| s.sorted_by(field.key, list.schema.default_order())));
                                        view! {
                                            <a class="sort-link" href=href
                                                title=move || t_string!(i18n, views.sort_by, name = (field.label)(i18n.get_locale())).to_string()
                                                on:click=move |event| {
                                                    event.prevent_default();
                                                    go_to(&navigate, &href(), false);
                                                }>
                                                {move || (field.label)(i18n.get_locale())}
                                                <span class="sort-mark" aria-hidden="true">
                                                    {move || match sorted() { Some(true) => "↓", Some(false) => "↑", None => "" }}
                                                </span>
                                            </a>
                                        }.into_any()
                                    } else {
                                        view! { {move || (field.label)(i18n.get_locale())} }.into_any()
                                    }}
                                </th>
                            }
                        }).collect_view()}
                        {list.edit_href.map(|_| view! {
                            <th scope="col" class="actions-cell"><span class="visually-hidden">{t!(i18n, views.actions)}</span></th>
                        })}
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! { <RowView row fields=row_fields.clone() row_href/> }).collect_view()}
                    <For each=move || more.get() key=|row| row.id let:row>
                        <RowView row fields=more_fields.clone() row_href/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn RowView(
    row: ListRow,
    fields: Vec<&'static crate::views::FieldDef>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let id = row.id;
    let selected = move || list.selected.with(|s| s.contains(&id));
    let title = row
        .cells
        .first()
        .map(|c| match c {
            crate::views::Cell::Text(t) | crate::views::Cell::Link { text: t, .. } => t.clone(),
            _ => String::new(),
        })
        .unwrap_or_default();
    let title_for_edit = title.clone();
    view! {
        <tr class:row--selected=selected>
            <td class="select-cell">
                <input type="checkbox" prop:checked=kept_checked(selected)
                    aria-label=move || t_string!(i18n, views.select_row, name = title.clone()).to_string()
                    on:change=move |_| list.selected.update(|s| {
                        if let Some(i) = s.iter().position(|x| *x == id) {
                            s.remove(i);
                        } else {
                            s.push(id);
                        }
                    })/>
            </td>
            {fields.into_iter().zip(row.cells).enumerate().map(|(i, (field, cell))| {
                let label = move || (field.label)(i18n.get_locale());
                if i == 0 {
                    let cell = cell.unlinked();
                    view! {
                        <th scope="row" data-label=label>
                            <a href=row_href(id)><CellView field cell/></a>
                        </th>
                    }.into_any()
                } else {
                    let empty = matches!(cell, crate::views::Cell::Empty);
                    view! { <td data-label=label class:cell--empty=empty><CellView field cell/></td> }.into_any()
                }
            }).collect_view()}
            {list.edit_href.map(|edit| {
                let name = title_for_edit.clone();
                view! {
                    <td class="actions-cell">
                        <a class="icon-button" href=edit(id)
                            aria-label=move || t_string!(i18n, views.edit_row, name = name.clone()).to_string()
                            title=move || t_string!(i18n, views.edit).to_string()>
                            <crate::ui::Icon name=crate::ui::IconName::Edit/>
                        </a>
                    </td>
                }
            })}
        </tr>
    }
}

/// The groups under `path`, each folded until opened.
#[component]
fn GroupList(
    groups: Vec<Group>,
    path: Vec<Option<String>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    if groups.is_empty() {
        return view! {
            <EmptyState text=Signal::derive(move || t_string!(i18n, views.empty).to_string())/>
        }
        .into_any();
    }
    view! {
        <ul class="groups" class:groups--nested=!path.is_empty()>
            {groups.into_iter().map(|group| view! {
                <GroupView group parent=path.clone() row_href/>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn GroupView(
    group: Group,
    parent: Vec<Option<String>>,
    row_href: fn(Uuid) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let open = RwSignal::new(false);
    let level = parent.len();
    let fields = list
        .state
        .with_untracked(|s| group_fields(list.schema, s).unwrap_or_default());
    let field = fields.get(level).copied();
    let mut path = parent;
    path.push(group.key.clone());
    let key = group.key.clone();
    let label = move || {
        field.map_or_else(String::new, |f| {
            group_label(i18n.get_locale(), f, key.as_deref())
        })
    };
    let sums = group.sums.clone();
    view! {
        <li class="group">
            <button type="button" class="group__header" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="group__chevron" aria-hidden="true">"›"</span>
                <span class="group__label">{label}</span>
                <span class="group__count badge">{group.count}</span>
                {sums.into_iter().map(|(key, sum)| {
                    let summed = list.schema.field(&key);
                    view! {
                        <span class="group__sum">
                            {move || summed.map(|f| (f.label)(i18n.get_locale())).unwrap_or_default()}
                            " "
                            {move || total_text(from_locale(i18n.get_locale()), &sum)}
                        </span>
                    }
                }).collect_view()}
            </button>
            <Show when=move || open.get()>
                {
                    let path = path.clone();
                    move || view! { <GroupContent path=path.clone() row_href/> }.into_any()
                }
            </Show>
        </li>
    }
}
