//! "New quote": the customer dialog of seed 001 — create a new customer, link to an existing
//! one, or do not link — then the quote form.

use crate::contacts::ui::{ContactPicker, PickedContact};
use crate::contacts::ContactRef;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::quotes::api::create_quote;
use crate::quotes::{quote_href, CustomerChoice};
use crate::ui::{use_go_to, Dialog, ErrorAlert};
use leptos::prelude::*;
use uuid::Uuid;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Create,
    Existing,
    Nobody,
}

/// "New quote" over the quotes' list or a deal's page, fetched (a wasm chunk of its own) the
/// first time it opens: both pages are read far more often than a quote is started.
#[component]
pub fn NewQuoteDialog(
    /// The deal the quote is for, if any.
    #[prop(optional)]
    opportunity: Option<Uuid>,
    /// The deal's customer, proposed as the existing one.
    #[prop(default = None)]
    customer: Option<ContactRef>,
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(new_quote_dialog(opportunity, customer.clone(), on_close))}
        </Suspense>
    }
}

#[lazy]
fn new_quote_dialog(
    opportunity: Option<Uuid>,
    customer: Option<ContactRef>,
    on_close: Callback<()>,
) -> AnyView {
    view! { <NewQuoteForm opportunity customer on_close/> }.into_any()
}

#[component]
fn NewQuoteForm(
    opportunity: Option<Uuid>,
    customer: Option<ContactRef>,
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let choice = RwSignal::new(if customer.is_some() {
        Choice::Existing
    } else {
        Choice::Create
    });
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let existing = RwSignal::new(PickedContact::from(customer.clone()));
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let locale = i18n.get_locale_untracked();
        let picked = match choice.get_untracked() {
            Choice::Create => CustomerChoice::Create {
                name: name.get_untracked(),
                email: email.get_untracked(),
            },
            Choice::Existing => match existing.with_untracked(|c| c.require(locale, "customer")) {
                Ok(Some(id)) => CustomerChoice::Existing { id },
                Ok(None) => {
                    error.set(Some(crate::contacts::ui::unknown_contact(
                        locale, "customer",
                    )));
                    return;
                }
                Err(refused) => {
                    error.set(Some(refused));
                    return;
                }
            },
            Choice::Nobody => CustomerChoice::None,
        };
        busy.set(true);
        let go_to = go_to.clone();
        leptos::task::spawn_local(async move {
            match create_quote(opportunity, picked).await {
                Ok(id) => go_to(&quote_href(id)),
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    let field_errors = crate::ui::use_field_errors(error);
    let option = move |value: Choice,
                       key: &'static str,
                       label: fn(crate::i18n::Locale) -> &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="customer-choice" value=key checked=choice.get_untracked() == value
                    on:change=move |_| choice.set(value)/>
                <span>{move || label(i18n.get_locale())}</span>
            </label>
        }
    };
    view! {
        <Dialog title_id="new-quote-title" title=Signal::derive(move || t_string!(i18n, quotes.new_quote).to_string()) on_close>
            <form class="form" data-testid="new-quote-form" on:submit=submit>
                {move || error.get().filter(|e| !matches!(e.field(), Some("customer" | "name" | "emails"))).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <fieldset class="choices">
                    <legend>{t!(i18n, quotes.customer)}</legend>
                    {option(Choice::Create, "create", |l| crate::i18n::td_string!(l, quotes.choice_create))}
                    {option(Choice::Existing, "existing", |l| crate::i18n::td_string!(l, quotes.choice_existing))}
                    {option(Choice::Nobody, "none", |l| crate::i18n::td_string!(l, quotes.choice_none))}
                </fieldset>
                {move || match choice.get() {
                    Choice::Create => view! {
                        <div class="field" class:field--invalid=move || field_errors.message("name").get().is_some()>
                            <label for="new-customer-name">{t!(i18n, quotes.customer_name)}</label>
                            <input id="new-customer-name" required=true autocomplete="off" prop:value=name
                                on:input=move |e| name.set(event_target_value(&e))/>
                            {field_errors.line("name")}
                        </div>
                        <div class="field" class:field--invalid=move || field_errors.message("emails").get().is_some()>
                            <label for="new-customer-email">{t!(i18n, quotes.customer_email)}</label>
                            <input id="new-customer-email" type="email" autocomplete="off" prop:value=email
                                on:input=move |e| email.set(event_target_value(&e))/>
                            {field_errors.line("emails")}
                        </div>
                    }.into_any(),
                    Choice::Existing => view! {
                        <ContactPicker name="existing-customer" id_name="existing_customer_id" initial=existing.get_untracked()
                            label=Signal::derive(move || t_string!(i18n, quotes.customer).to_string())
                            error=field_errors.message("customer")
                            on_pick=Callback::new(move |picked: PickedContact| existing.set(picked))/>
                    }.into_any(),
                    Choice::Nobody => view! { <p class="muted">{t!(i18n, quotes.choice_none_help)}</p> }.into_any(),
                }}
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="create-quote" disabled=move || busy.get()>
                        {t!(i18n, quotes.confirm_choice)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
