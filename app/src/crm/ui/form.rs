//! The opportunity form: used to create a deal (dialog from the pipeline, or `/crm/new`) and
//! for a deal's details on its page, saved with the version read.

use crate::contacts::ui::ContactPicker;
use crate::contacts::ContactRef;
use crate::crm::api::{CreateOpportunityAction, UpdateOpportunityAction};
use crate::crm::Opportunity;
use crate::domain::opportunity::OpportunityInput;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::{form_error, use_go_to, Dialog, ErrorAlert, Field, PageHeader};
use crate::users::UserSelect;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

/// The fields, named for `create_opportunity` / `update_opportunity`.
#[component]
fn OpportunityFields(
    input: OpportunityInput,
    customer: Option<ContactRef>,
    contact: Option<ContactRef>,
    salesperson: Option<Uuid>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field_errors = crate::ui::use_field_errors(error);
    let value = |text: &str| {
        let text = text.to_string();
        Signal::derive(move || text.clone())
    };
    let salesperson = salesperson.map(|s| s.to_string()).unwrap_or_default();
    let priority = input.priority.clone();
    view! {
        <div class="form form--grid">
            <Field name="opportunity[title]" required=true autofocus=true autocomplete="off"
                label=Signal::derive(move || t_string!(i18n, crm.opportunity_title).to_string())
                value=value(&input.title) error=field_errors.message("title")/>
            <ContactPicker name="customer" id_name="customer_id" initial=customer
                label=Signal::derive(move || t_string!(i18n, crm.customer).to_string())
                error=field_errors.message("customer")/>
            <ContactPicker name="contact" id_name="contact_id" initial=contact form="contact-"
                label=Signal::derive(move || t_string!(i18n, crm.contact).to_string())
                error=field_errors.message("contact")/>
            <div class="field">
                <label for="field-salesperson">{t!(i18n, crm.salesperson)}</label>
                <UserSelect id="field-salesperson" name="salesperson" selected=salesperson
                    empty=Signal::derive(move || t_string!(i18n, crm.no_salesperson).to_string())/>
                {field_errors.line("salesperson")}
            </div>
            <Field name="opportunity[expected_revenue]" autocomplete="off"
                label=Signal::derive(move || t_string!(i18n, crm.expected_revenue).to_string())
                value=value(&input.expected_revenue) error=field_errors.message("expected_revenue")/>
            <Field name="opportunity[probability]" autocomplete="off"
                label=Signal::derive(move || t_string!(i18n, crm.probability).to_string())
                value=value(&input.probability) error=field_errors.message("probability")/>
            <Field name="opportunity[expected_closing]" kind="date"
                label=Signal::derive(move || t_string!(i18n, crm.expected_closing).to_string())
                value=value(&input.expected_closing) error=field_errors.message("expected_closing")/>
            <div class="field">
                <label for="field-priority">{t!(i18n, crm.priority)}</label>
                <select id="field-priority" name="opportunity[priority]">
                    {(0..=3).map(|n| {
                        let selected = priority == n.to_string() || (priority.is_empty() && n == 0);
                        view! { <option value=n.to_string() selected=selected>{"★".repeat(n) + &"☆".repeat(3 - n)}</option> }
                    }).collect_view()}
                </select>
                {field_errors.line("priority")}
            </div>
            <Field name="opportunity[tags]" autocomplete="off"
                label=Signal::derive(move || t_string!(i18n, crm.tags).to_string())
                value=value(&input.tags) error=field_errors.message("tags")/>
            <Field name="opportunity[source]" autocomplete="off"
                label=Signal::derive(move || t_string!(i18n, crm.source).to_string())
                value=value(&input.source) error=field_errors.message("source")/>
            <div class="field field--wide">
                <label for="field-opportunity-description">{t!(i18n, crm.description)}</label>
                <textarea id="field-opportunity-description" name="opportunity[description]" rows="4">{input.description.clone()}</textarea>
                {field_errors.line("description")}
            </div>
        </div>
    }
}

#[component]
fn CreateForm(
    on_done: Callback<Uuid>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let create = CreateOpportunityAction::new();
    let me = crate::ui::use_me();
    Effect::new(move |_| {
        if let Some(Ok(created)) = create.value().get() {
            toasts.success(t_string!(i18n, crm.created_toast).to_string());
            on_done.run(created.id);
        }
    });
    let result = create.value();
    view! {
        <ErrorAlert error=form_error(result)/>
        <ActionForm action=create attr:novalidate=true>
            <OpportunityFields input=OpportunityInput::default() customer=None contact=None salesperson=me
                error=Signal::derive(move || result.get().and_then(Result::err))/>
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-action="create-opportunity"
                    disabled=move || create.pending().get()>{t!(i18n, crm.new_opportunity)}</button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button" on:click=move |_| cancel.run(())>{t!(i18n, cancel)}</button>
                })}
            </div>
        </ActionForm>
    }
}

/// The new-opportunity dialog over the board, fetched (a wasm chunk of its own) the first time
/// it opens: the board is the page a salesperson opens most, the form is not.
#[component]
pub fn NewOpportunityDialog(on_close: Callback<()>) -> impl IntoView {
    view! { <Suspense fallback=|| ()>{Suspend::new(new_opportunity_dialog(on_close))}</Suspense> }
}

#[lazy]
fn new_opportunity_dialog(on_close: Callback<()>) -> AnyView {
    view! { <NewOpportunityForm on_close/> }.into_any()
}

#[component]
fn NewOpportunityForm(on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let on_done = Callback::new(move |id: Uuid| go_to(&super::opportunity_href(id)));
    view! {
        <Dialog title_id="new-opportunity-title" wide=true on_close
            title=Signal::derive(move || t_string!(i18n, crm.new_title).to_string())
            aside=view! { <a class="link-button" href="/crm/new">{t!(i18n, crm.open_full_page)}</a> }.into_any()>
            <CreateForm on_done on_cancel=on_close/>
        </Dialog>
    }
}

#[component]
pub fn NewOpportunityPage() -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let on_done = Callback::new(move |id: Uuid| go_to(&super::opportunity_href(id)));
    view! {
        <Title text=move || t_string!(i18n, crm.new_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, crm.new_title).to_string())/>
        <section class="card"><CreateForm on_done/></section>
    }
}

/// A deal's details, saved with the version it was read at.
#[component]
pub fn DetailsForm(opportunity: Opportunity, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = crate::ui::use_toasts();
    let update = UpdateOpportunityAction::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            toasts.success(t_string!(i18n, crm.saved_toast).to_string());
            on_saved.run(());
        }
    });
    let result = update.value();
    view! {
        <ErrorAlert error=form_error(result)/>
        <ActionForm action=update attr:novalidate=true>
            <input type="hidden" name="id" value=opportunity.id.to_string()/>
            <input type="hidden" name="version" value=opportunity.version.to_string()/>
            <OpportunityFields input=opportunity.input() customer=opportunity.customer.clone()
                contact=opportunity.contact.clone()
                salesperson=opportunity.salesperson.as_ref().map(|s| s.id)
                error=Signal::derive(move || result.get().and_then(Result::err))/>
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-action="save-opportunity"
                    disabled=move || update.pending().get()>{t!(i18n, crm.save_details)}</button>
            </div>
        </ActionForm>
    }
}
