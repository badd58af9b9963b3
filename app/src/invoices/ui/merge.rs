//! "Merge into another project": the user picks a project they administer, sees what would
//! move (or why it may not), and confirms. The server checks everything again under a lock.

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{merge_projects, merge_targets, preview_merge};
use crate::ui::InBrowser;
use crate::ui::{use_toasts, Dialog, ErrorAlert};
use leptos::prelude::*;
use uuid::Uuid;

/// What merging a project into another moves: counted for the preview, and again by the
/// merge itself under its lock.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MergePreview {
    /// "P-2026-0003 Title" of the project that is merged and closed.
    pub source: String,
    /// "P-2026-0007 Title" of the project that takes its work.
    pub target: String,
    pub tasks: i64,
    pub time_entries: i64,
    pub documents: i64,
    pub contacts: i64,
    pub members: i64,
    pub activities: i64,
    pub timeline: i64,
    pub invoices: i64,
}

/// "Merge into another project": pick the target (a project the user may administer, by
/// number or title), see what moves, confirm.
#[component]
pub fn MergeDialog(
    project: Uuid,
    on_close: Callback<()>,
    on_done: Callback<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let targets = LocalResource::new(move || merge_targets(project));
    let target = RwSignal::new(None::<Uuid>);
    // Tagged with the target it was counted for: while the next one loads, the last one
    // is not shown as if it were the new one's.
    let preview = LocalResource::new(move || {
        let chosen = target.get();
        async move {
            match chosen {
                Some(chosen) => Some((chosen, preview_merge(project, chosen).await)),
                None => None,
            }
        }
    });
    let shown = move || {
        preview
            .in_browser()
            .flatten()
            .filter(|(counted_for, _)| Some(*counted_for) == target.get())
            .map(|(_, loaded)| loaded)
    };
    let ready = move || matches!(shown(), Some(Ok(_)));
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(chosen) = target.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match merge_projects(project, chosen).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, invoices.merged_toast).to_string());
                    on_done.run(chosen);
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <Dialog title_id="merge-title" title=Signal::derive(move || t_string!(i18n, invoices.merge_title).to_string()) on_close>
            <form class="form" data-testid="merge-dialog" on:submit=submit>
                <p>{t!(i18n, invoices.merge_text)}</p>
                {move || error.get().map(|e| view! { <ErrorAlert error=Some(e)/> })}
                {move || match targets.in_browser() {
                    None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                    Some(Err(failure)) => view! { <ErrorAlert error=Some(failure)/> }.into_any(),
                    Some(Ok(options)) => view! {
                        <div class="field">
                            <label for="merge-target">{t!(i18n, invoices.merge_target)}</label>
                            <select id="merge-target" required=true disabled=move || busy.get() on:change=move |event| {
                                error.set(None);
                                target.set(Uuid::parse_str(&event_target_value(&event)).ok());
                            }>
                                <option value="">{t!(i18n, invoices.merge_choose)}</option>
                                {options.into_iter().map(|(id, label)| view! {
                                    <option value=id.to_string()>{label}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                }}
                {move || shown().map(|loaded| match loaded {
                    Err(refusal) => view! { <ErrorAlert error=Some(refusal)/> }.into_any(),
                    Ok(moves) => view! {
                        <section data-testid="merge-preview">
                            <h3>{t!(i18n, invoices.merge_moves)}</h3>
                            <p class="muted">{moves.source} " → " {moves.target}</p>
                            <dl class="facts">
                                <div><dt>{t!(i18n, invoices.merge_tasks)}</dt><dd data-count="tasks">{moves.tasks.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_time_entries)}</dt><dd data-count="time_entries">{moves.time_entries.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_documents)}</dt><dd data-count="documents">{moves.documents.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_contacts)}</dt><dd data-count="contacts">{moves.contacts.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_members)}</dt><dd data-count="members">{moves.members.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_activities)}</dt><dd data-count="activities">{moves.activities.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_timeline)}</dt><dd data-count="timeline">{moves.timeline.to_string()}</dd></div>
                                <div><dt>{t!(i18n, invoices.merge_invoices)}</dt><dd data-count="invoices">{moves.invoices.to_string()}</dd></div>
                            </dl>
                        </section>
                    }.into_any(),
                })}
                <div class="form__actions">
                    <button type="submit" class="button button--danger" data-action="merge-project"
                        disabled=move || busy.get() || !ready()>
                        {t!(i18n, invoices.merge_confirm)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
