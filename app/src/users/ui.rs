//! The user administration page: the team as a table, a form for a new user, and per-row
//! role and status changes with optimistic locking.

use super::api::{list_users, CreateUserAction, UpdateUser, UpdateUserAction};
use super::UserRow;
use crate::domain::{Language, Role};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use crate::ui::{
    action_error, form_error, use_field_errors, use_toasts, EmptyState, ErrorAlert, Field,
    PageHeader, SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;

pub fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, roles.admin),
        Role::Manager => td_string!(locale, roles.manager),
        Role::Sales => td_string!(locale, roles.sales),
        Role::Employee => td_string!(locale, roles.employee),
    }
}

/// "12 users", in the user's language.
fn users_count_text(locale: Locale, count: usize) -> String {
    if is_singular(from_locale(locale), count as u64) {
        td_string!(locale, users.count_singular, count = count).to_string()
    } else {
        td_string!(locale, users.count, count = count).to_string()
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let create = CreateUserAction::new();
    let update = UpdateUserAction::new();
    let users = Resource::new(
        move || (create.version().get(), update.version().get()),
        |_| list_users(),
    );
    let me = crate::ui::use_me();
    let my_id = Signal::derive(move || me);
    let show_form = RwSignal::new(false);

    Effect::new(move |_| match update.value().get() {
        Some(Ok(row)) => toasts
            .success(t_string!(i18n, users.updated, name = row.display_name.clone()).to_string()),
        Some(Err(error)) => toasts.failure(i18n.get_locale_untracked(), &error),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(row)) = create.value().get() {
            toasts.success(
                t_string!(i18n, users.created, name = row.display_name.clone()).to_string(),
            );
            show_form.set(false);
        }
    });

    view! {
        <Title text=move || t_string!(i18n, users.title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, users.title).to_string())>
            <button type="button" class="button button--primary"
                aria-expanded=move || show_form.get().to_string()
                aria-controls="new-user"
                on:click=move |_| show_form.update(|open| *open = !*open)>
                <crate::ui::Icon name=crate::ui::IconName::Plus/>
                <span>{t!(i18n, users.new_user)}</span>
            </button>
        </PageHeader>
        <Show when=move || show_form.get()>
            <NewUserForm action=create on_cancel=move || show_form.set(false)/>
        </Show>
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <EmptyState text=Signal::derive(move || users_count_text(i18n.get_locale(), 0))/>
                    }.into_any(),
                    Ok(rows) => view! { <UsersTable rows update my_id/> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UsersTable(
    rows: Vec<UserRow>,
    update: UpdateUserAction,
    my_id: Signal<Option<uuid::Uuid>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{move || users_count_text(i18n.get_locale(), count)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, users.name)}</th>
                        <th scope="col">{t!(i18n, users.email)}</th>
                        <th scope="col">{t!(i18n, users.role)}</th>
                        <th scope="col">{t!(i18n, users.language)}</th>
                        <th scope="col">{t!(i18n, users.status)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, users.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <UserRowView row update my_id/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn UserRowView(
    row: UserRow,
    update: UpdateUserAction,
    my_id: Signal<Option<uuid::Uuid>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_me = move || my_id.get() == Some(row.id);
    let role_id = format!("role-{}", row.id);
    let send = {
        let row = row.clone();
        move |role: String, active: bool| {
            let Some(role) = Role::parse(&role) else {
                return;
            };
            update.dispatch(UpdateUser {
                id: row.id,
                version: row.version,
                role,
                active,
            });
        }
    };
    let on_role = {
        let active = row.active;
        move |event: leptos::ev::Event| send(event_target_value(&event), active)
    };
    let toggle = {
        let role = row.role.as_str().to_string();
        let active = row.active;
        move |_| send(role.clone(), !active)
    };
    let name = row.display_name.clone();
    view! {
        <tr class:row--inactive=!row.active>
            <th scope="row" data-label=move || t_string!(i18n, users.name)>
                {row.display_name.clone()}
                {move || is_me().then(|| view! { <span class="badge">{t!(i18n, users.you)}</span> })}
            </th>
            <td data-label=move || t_string!(i18n, users.email)>{row.email.clone()}</td>
            <td data-label=move || t_string!(i18n, users.role)>
                <label class="visually-hidden" for=role_id.clone()>
                    {move || format!("{} {}", t_string!(i18n, users.role), name)}
                </label>
                <select id=role_id.clone() class="select--compact" on:change=on_role
                    disabled=move || is_me() || update.pending().get()>
                    {Role::ALL.into_iter().map(|role| view! {
                        <option value=role.as_str() selected={role == row.role}>
                            {move || role_label(i18n.get_locale(), role)}
                        </option>
                    }).collect_view()}
                </select>
            </td>
            <td data-label=move || t_string!(i18n, users.language)>{row.language.native_name()}</td>
            <td data-label=move || t_string!(i18n, users.status)>
                {if row.active {
                    view! { <span class="status status--ok">{t!(i18n, users.active)}</span> }.into_any()
                } else {
                    view! { <span class="status status--off">{t!(i18n, users.inactive)}</span> }.into_any()
                }}
            </td>
            <td>
                <Show when=move || !is_me()>
                    <button type="button" class="button button--small"
                        class:button--danger=row.active
                        disabled=move || update.pending().get()
                        on:click=toggle.clone()>
                        {if row.active {
                            view! { {t!(i18n, users.deactivate)} }.into_any()
                        } else {
                            view! { {t!(i18n, users.reactivate)} }.into_any()
                        }}
                        <span class="visually-hidden">{format!(" {}", row.display_name)}</span>
                    </button>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn NewUserForm(
    action: CreateUserAction,
    on_cancel: impl Fn() + 'static + Send + Sync,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_errors = use_field_errors(action_error(action));
    let form_error = form_error(action.value());
    let roles = Signal::derive(move || {
        Role::ALL
            .into_iter()
            .map(|r| {
                (
                    r.as_str().to_string(),
                    role_label(i18n.get_locale(), r).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let languages = Signal::derive(|| {
        Language::ALL
            .into_iter()
            .map(|l| (l.code().to_string(), l.native_name().to_string()))
            .collect::<Vec<_>>()
    });
    let default_language =
        Signal::derive(move || from_locale(i18n.get_locale()).code().to_string());
    view! {
        <section class="card" id="new-user" aria-labelledby="new-user-title">
            <h2 id="new-user-title">{t!(i18n, users.new_user)}</h2>
            <ErrorAlert error=form_error/>
            <ActionForm action attr:class="form form--grid" attr:novalidate=true>
                <Field form="new-" name="user[display_name]" required=true autocomplete="off"
                    label=Signal::derive(move || t_string!(i18n, users.name).to_string())
                    error=field_errors.message("display_name")/>
                <Field form="new-" name="user[email]" kind="email" required=true autocomplete="off"
                    label=Signal::derive(move || t_string!(i18n, users.email).to_string())
                    error=field_errors.message("email")/>
                <SelectField form="new-" name="user[role]" options=roles
                    selected=Signal::derive(|| Role::Employee.as_str().to_string())
                    label=Signal::derive(move || t_string!(i18n, users.role).to_string())
                    error=field_errors.message("role")/>
                <SelectField form="new-" name="user[language]" options=languages
                    selected=default_language
                    label=Signal::derive(move || t_string!(i18n, users.language).to_string())
                    error=field_errors.message("language")/>
                <Field form="new-" name="user[password]" kind="password" required=true
                    autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, users.initial_password).to_string())
                    help=Signal::derive(move || t_string!(i18n, fields.password_too_short).to_string())
                    error=field_errors.message("password")/>
                <div class="form__actions">
                    <button type="submit" class="button button--primary"
                        disabled=move || action.pending().get()>
                        {t!(i18n, users.create)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_cancel()>
                        {t!(i18n, cancel)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}
