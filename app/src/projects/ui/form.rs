//! The project form: "basic information" (title, customer, manager) and the admin information
//! (dates, estimated budget), used to create a project and in its settings.

use crate::contacts::ui::ContactPicker;
use crate::contacts::ContactRef;
use crate::domain::ProjectInput;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::projects::api::{CreateProjectAction, UpdateProjectAction};
use crate::projects::Project;
use crate::ui::{form_error, use_go_to, Dialog, ErrorAlert, Field, PageHeader};
use crate::users::UserSelect;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

/// The fields, named for `create_project` / `update_project` (`project[title]`, …).
#[component]
fn ProjectFields(
    input: ProjectInput,
    customer: Option<ContactRef>,
    manager: Option<Uuid>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_errors = crate::ui::use_field_errors(error);
    let value = |text: &str| {
        let text = text.to_string();
        Signal::derive(move || text.clone())
    };
    let manager = manager.map(|m| m.to_string()).unwrap_or_default();
    view! {
        <div class="form form--grid">
            <fieldset class="form__section field--wide">
                <legend>{t!(i18n, projects.basic_information)}</legend>
                <div class="form--grid">
                    <Field name="project[title]" required=true autofocus=true autocomplete="off"
                        label=Signal::derive(move || t_string!(i18n, projects.project_title).to_string())
                        value=value(&input.title) error=field_errors.message("title")/>
                    <ContactPicker name="customer" id_name="customer_id" initial=customer
                        label=Signal::derive(move || t_string!(i18n, projects.customer).to_string())
                        error=field_errors.message("customer")/>
                    <div class="field">
                        <label for="field-manager">{t!(i18n, projects.manager)}</label>
                        <UserSelect id="field-manager" name="manager" selected=manager
                            empty=Signal::derive(move || t_string!(i18n, projects.no_manager).to_string())/>
                        {field_errors.line("manager")}
                    </div>
                </div>
            </fieldset>
            <fieldset class="form__section field--wide">
                <legend>{t!(i18n, projects.admin_information)}</legend>
                <div class="form--grid">
                    <Field name="project[start_date]" kind="date"
                        label=Signal::derive(move || t_string!(i18n, projects.start_date).to_string())
                        value=value(&input.start_date) error=field_errors.message("start_date")/>
                    <Field name="project[end_date]" kind="date"
                        label=Signal::derive(move || t_string!(i18n, projects.end_date).to_string())
                        value=value(&input.end_date) error=field_errors.message("end_date")/>
                    <Field name="project[tender_end_date]" kind="date"
                        label=Signal::derive(move || t_string!(i18n, projects.tender_end_date).to_string())
                        value=value(&input.tender_end_date) error=field_errors.message("tender_end_date")/>
                    <Field name="project[budget]" autocomplete="off"
                        label=Signal::derive(move || t_string!(i18n, projects.budget).to_string())
                        help=Signal::derive(move || t_string!(i18n, projects.budget_help).to_string())
                        value=value(&input.budget) error=field_errors.message("budget")/>
                    <Field name="project[hourly_rate]" autocomplete="off"
                        label=Signal::derive(move || t_string!(i18n, projects.hourly_rate).to_string())
                        help=Signal::derive(move || t_string!(i18n, projects.hourly_rate_help).to_string())
                        value=value(&input.hourly_rate) error=field_errors.message("hourly_rate")/>
                </div>
            </fieldset>
            <div class="field field--wide">
                <label for="field-project-description">{t!(i18n, projects.description)}</label>
                <textarea id="field-project-description" name="project[description]" rows="4">{input.description.clone()}</textarea>
                {field_errors.line("description")}
            </div>
        </div>
    }
}

/// The create form; `on_done` receives the new project's id.
#[component]
fn CreateForm(
    customer: Option<ContactRef>,
    on_done: Callback<Uuid>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let create = CreateProjectAction::new();
    let me = crate::ui::use_me();
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            toasts.success(
                t_string!(
                    i18n,
                    projects.created_toast,
                    number = created.number.clone()
                )
                .to_string(),
            );
            on_done.run(created.id);
        }
    });
    let result = create.value();
    view! {
        <ErrorAlert error=form_error(result)/>
        <ActionForm action=create attr:novalidate=true>
            <ProjectFields input=ProjectInput::default() customer manager=me
                error=Signal::derive(move || result.get().and_then(Result::err))/>
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>
                    {t!(i18n, projects.create)}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, cancel)}</button>
                })}
            </div>
        </ActionForm>
    }
}

/// Creating from the list without leaving it.
#[component]
pub fn NewProjectDialog(on_close: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let on_done = Callback::new(move |id: Uuid| go_to(&crate::projects::project_href(id)));
    let on_close = Callback::new(move |_| on_close());
    view! {
        <Dialog title_id="new-project-title" wide=true on_close
            title=Signal::derive(move || t_string!(i18n, projects.new_project).to_string())
            aside=view! { <a class="link-button" href="/projects/new">{t!(i18n, contacts.open_full_page)}</a> }.into_any()>
            <CreateForm customer=None on_done on_cancel=on_close/>
        </Dialog>
    }
}

/// `/projects/new`, optionally `?customer=<id>&customer_name=…` from a contact page.
#[component]
pub fn NewProjectPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let go_to = use_go_to();
    let customer = query.with_untracked(|q| {
        let id = q.get("customer").and_then(|id| Uuid::parse_str(&id).ok())?;
        Some(ContactRef {
            id,
            name: q.get("customer_name").unwrap_or_default(),
        })
    });
    let on_done = Callback::new(move |id: Uuid| go_to(&crate::projects::project_href(id)));
    view! {
        <Title text=move || t_string!(i18n, projects.new_project).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, projects.new_project).to_string())/>
        <section class="card">
            <CreateForm customer on_done/>
        </section>
    }
}

/// The project's settings: the same fields, saved with optimistic locking.
#[component]
pub fn SettingsForm(project: Project, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let update = UpdateProjectAction::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            toasts.success(t_string!(i18n, projects.saved_toast).to_string());
            on_saved.run(());
        }
    });
    let result = update.value();
    let conflict = move || matches!(result.get(), Some(Err(AppError::Conflict)));
    view! {
        <ErrorAlert error=form_error(result)/>
        {move || conflict().then(|| view! {
            <p class="notice notice--warning">
                <a href="" on:click=move |event| { event.prevent_default(); on_saved.run(()); }>{t!(i18n, projects.reload)}</a>
            </p>
        })}
        <ActionForm action=update attr:novalidate=true>
            <input type="hidden" name="id" value=project.id.to_string()/>
            <input type="hidden" name="version" value=project.version.to_string()/>
            <ProjectFields input=project.input() customer=project.customer.clone()
                manager=project.manager.as_ref().map(|m| m.id)
                error=Signal::derive(move || result.get().and_then(Result::err))/>
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled=move || update.pending().get()>
                    {t!(i18n, save)}
                </button>
            </div>
        </ActionForm>
    }
}
