//! The board's parts that open on demand, each a wasm chunk of its own fetched the first
//! time it opens: the quick-add form at the top of a column (with its contact picker) and a
//! card's activities popover. The board itself, the page a salesperson opens most, loads
//! without them.

use super::BoardCtx;
use crate::activities::ui::ActivityLine;
use crate::activities::{api::record_activities, Activity};
use crate::contacts::ui::{ContactPicker, PickedContact};
use crate::crm::api::create_opportunity;
use crate::crm::DealLinks;
use crate::domain::opportunity::OpportunityInput;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::shared::RecordKind;
use crate::ui::{use_toasts, ErrorAlert, InBrowser};
use leptos::prelude::*;
use uuid::Uuid;

#[lazy]
pub(super) fn quick_create(ctx: BoardCtx, stage: Uuid, on_done: Callback<()>) -> AnyView {
    view! { <QuickCreate ctx stage on_done/> }.into_any()
}

#[lazy]
pub(super) fn activity_popover(ctx: BoardCtx, id: Uuid) -> AnyView {
    view! { <ActivityPopover ctx id/> }.into_any()
}

/// A new card at the top of a column: title, customer, expected revenue.
#[component]
fn QuickCreate(ctx: BoardCtx, stage: Uuid, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let title = RwSignal::new(String::new());
    let revenue = RwSignal::new(String::new());
    let customer = RwSignal::new(PickedContact::Nobody);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        let input = OpportunityInput {
            title: title.get_untracked(),
            expected_revenue: revenue.get_untracked(),
            ..OpportunityInput::default()
        };
        // A name that picked nobody goes as typed: the server resolves it by the picker's
        // rule and refuses it on the customer field rather than save the deal without it.
        let picked = customer.get_untracked();
        leptos::task::spawn_local(async move {
            let links = DealLinks {
                customer_id: picked.id(),
                customer: picked.typed_name().to_string(),
                ..DealLinks::default()
            };
            let result = create_opportunity(input, links, Some(ctx.pipeline), Some(stage)).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(t_string!(i18n, crm.created_toast).to_string());
                    on_done.run(());
                    ctx.changes.reload();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let field_errors = crate::ui::use_field_errors(error);
    view! {
        <form class="quick-create" data-testid="quick-create" on:submit=submit>
            <label class="visually-hidden" for=format!("quick-title-{stage}")>{t!(i18n, crm.quick_title)}</label>
            <input id=format!("quick-title-{stage}") name="title" autocomplete="off" autofocus=true required=true
                data-testid="quick-title"
                placeholder=move || t_string!(i18n, crm.quick_title)
                on:input=move |event| title.set(event_target_value(&event))/>
            {field_errors.line("title")}
            <ContactPicker name="quick_customer" id_name="quick_customer_id"
                form="quick-"
                label=Signal::derive(move || t_string!(i18n, crm.customer).to_string())
                error=field_errors.message("customer")
                on_pick=Callback::new(move |picked: PickedContact| customer.set(picked))/>
            <label class="visually-hidden" for=format!("quick-revenue-{stage}")>{t!(i18n, crm.expected_revenue)}</label>
            <input id=format!("quick-revenue-{stage}") name="expected_revenue" inputmode="decimal" autocomplete="off"
                data-testid="quick-revenue"
                placeholder=move || t_string!(i18n, crm.expected_revenue)
                on:input=move |event| revenue.set(event_target_value(&event))/>
            {field_errors.line("expected_revenue")}
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
            <div class="quick-create__actions">
                <button type="submit" class="button button--small button--primary" data-action="quick-create-submit"
                    disabled=move || busy.get()>{t!(i18n, crm.quick_create)}</button>
                <button type="button" class="button button--small button--ghost" on:click=move |_| on_done.run(())>{t!(i18n, cancel)}</button>
            </div>
        </form>
    }
}

/// The planned activities of a card's deal, each with Mark done, and "Schedule an activity".
#[component]
fn ActivityPopover(ctx: BoardCtx, id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let activities = LocalResource::new(move || {
        ctx.activity_changes.version();
        record_activities(RecordKind::Opportunity, id)
    });
    let changed = Callback::new(move |()| ctx.refresh_card(id));
    // The dialog takes over from the popover.
    let edit = Callback::new(move |activity: Activity| {
        ctx.popover.set(None);
        ctx.dialog.set(Some((id, Some(activity))));
    });
    view! {
        <div class="popover activity-popover" role="dialog" data-testid="activity-popover"
            aria-label=move || t_string!(i18n, crm.activities_popover)
            on:pointerdown=|event| event.stop_propagation()
            on:keydown=move |event| if event.key() == "Escape" { ctx.popover.set(None) }>
            <p class="popover__title">{t!(i18n, crm.activities_popover)}</p>
            {move || match activities.in_browser() {
                None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{t!(i18n, activities.none)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="activity-list activity-list--compact">
                        {list.into_iter().map(|activity| view! { <ActivityLine activity on_edit=edit changes=ctx.activity_changes on_changed=changed/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <button type="button" class="button button--small" data-action="popover-schedule"
                on:click=move |_| {
                    ctx.popover.set(None);
                    ctx.dialog.set(Some((id, None)));
                }>{t!(i18n, crm.schedule_activity)}</button>
        </div>
    }
}
