//! The import wizard: upload, map columns, check (what will be created, updated or rejected
//! and why), then import all or nothing.

use super::api::{preview_import, run_import, upload_import};
use super::{reject_text, ImportPlan, PlannedAction, UploadedFile, FIELDS};
use crate::contacts::field_label;
use crate::domain::ContactKind;
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use crate::ui::{ErrorAlert, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;
use wasm_bindgen::JsCast;
use web_sys::{FormData, HtmlFormElement};

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let upload = Action::new_local(|data: &FormData| upload_import(data.clone().into()));
    let file = RwSignal::new(None::<UploadedFile>);
    Effect::new(move |_| {
        if let Some(Ok(uploaded)) = upload.value().get() {
            file.set(Some(uploaded));
        }
    });
    let upload_error = Signal::derive(move || upload.value().get().and_then(Result::err));
    view! {
        <Title text=move || t_string!(i18n, contacts.import_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, contacts.import_title).to_string())>
            <a class="button" href="/contacts">{t!(i18n, contacts.title)}</a>
        </PageHeader>
        <section class="card import-step">
            <p>{t!(i18n, contacts.import_intro)}</p>
            <form class="import-upload" on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
                if let Ok(data) = FormData::new_with_form(&form) {
                    file.set(None);
                    upload.dispatch_local(data);
                }
            }>
                <label for="import-file">{t!(i18n, contacts.import_file)}</label>
                <input id="import-file" type="file" name="file" accept=".csv,text/csv" required=true/>
                <button type="submit" class="button button--primary" disabled=move || upload.pending().get()>
                    {t!(i18n, contacts.import_upload)}
                </button>
            </form>
            <ErrorAlert error=upload_error/>
        </section>
        {move || file.get().map(|uploaded| view! { <MappingStep uploaded/> })}
    }
}

#[component]
fn MappingStep(uploaded: UploadedFile) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new("company".to_string());
    let mapping = RwSignal::new(uploaded.mapping.clone());
    let id = uploaded.id;
    let preview = Action::new(move |_: &()| {
        preview_import(
            id,
            import_kind(&kind.get_untracked()),
            mapping.get_untracked(),
        )
    });
    // Changing the kind or the mapping makes an earlier check stale.
    let checked = RwSignal::new(None::<Result<ImportPlan, AppError>>);
    Effect::new(move |_| checked.set(preview.value().get()));
    Effect::new(move |_| {
        kind.track();
        mapping.track();
        checked.set(None);
    });
    let preview_error = Signal::derive(move || checked.get().and_then(Result::err));
    let columns: Vec<(usize, String, Vec<String>)> = uploaded
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let samples = uploaded
                .sample
                .iter()
                .filter_map(|r| r.get(i).cloned())
                .filter(|s| !s.is_empty())
                .collect();
            (i, h.clone(), samples)
        })
        .collect();
    view! {
        <section class="card import-step" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{t!(i18n, contacts.import_mapping)}</h2>
            <p class="muted">{uploaded.file_name.clone()}" · "{uploaded.rows}</p>
            <div class="field">
                <label for="import-kind">{t!(i18n, contacts.import_kind)}</label>
                <select id="import-kind" class="select--compact" on:change=move |e| kind.set(event_target_value(&e))>
                    <option value="company">{t!(i18n, contacts.filter_companies)}</option>
                    <option value="person">{t!(i18n, contacts.filter_people)}</option>
                </select>
            </div>
            <p>{t!(i18n, contacts.import_mapping_intro)}</p>
            <div class="table-wrap">
                <table class="table import-mapping">
                    <tbody>
                        {columns.into_iter().map(|(i, header, samples)| {
                            let select_id = format!("map-{i}");
                            let current = move || mapping.with(|m| m.get(i).cloned().unwrap_or_default());
                            view! {
                                <tr>
                                    <th scope="row"><label for=select_id.clone()>{header}</label></th>
                                    <td class="muted">{samples.join(" · ")}</td>
                                    <td>
                                        <select id=select_id class="select--compact"
                                            on:change=move |e| {
                                                let value = event_target_value(&e);
                                                mapping.update(|m| if let Some(slot) = m.get_mut(i) { *slot = value });
                                            }>
                                            <option value="" selected=move || current().is_empty()>{t!(i18n, contacts.import_ignore)}</option>
                                            {FIELDS.iter().map(|field| view! {
                                                <option value=*field selected=move || current() == *field>
                                                    {move || field_label(i18n.get_locale(), field)}
                                                </option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="form__actions">
                <button type="button" class="button button--primary" disabled=move || preview.pending().get()
                    on:click=move |_| { preview.dispatch(()); }>
                    {t!(i18n, contacts.import_preview)}
                </button>
            </div>
            <ErrorAlert error=preview_error/>
        </section>
        {move || checked.get().and_then(Result::ok).map(|plan| view! { <PreviewStep plan id kind mapping/> })}
    }
}

#[component]
fn PreviewStep(
    plan: ImportPlan,
    id: uuid::Uuid,
    kind: RwSignal<String>,
    mapping: RwSignal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let run = Action::new(move |_: &()| {
        run_import(
            id,
            import_kind(&kind.get_untracked()),
            mapping.get_untracked(),
        )
    });
    let run_error = Signal::derive(move || run.value().get().and_then(Result::err));
    let report = move || {
        format!(
            "/export/import-errors/{id}.csv?kind={}&map={}",
            kind.get(),
            crate::views::state::encode(&mapping.get().join(","))
        )
    };
    let total = plan.created + plan.updated;
    let blocked = plan.rejected > 0;
    view! {
        <section class="card import-step" aria-labelledby="preview-title" aria-live="polite">
            <h2 id="preview-title">{t!(i18n, contacts.import_preview)}</h2>
            <p class="import-summary">
                {move || import_summary_text(i18n.get_locale(), plan.created, plan.updated, plan.rejected)}
            </p>
            {blocked.then(|| view! {
                <div class="notice notice--warning" role="alert">
                    <p>{t!(i18n, contacts.import_blocked)}</p>
                    <a class="button" href=report download="">{t!(i18n, contacts.import_error_report)}</a>
                </div>
            })}
            <div class="table-wrap">
                <table class="table import-preview">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, contacts.import_row)}</th>
                            <th scope="col">{t!(i18n, contacts.name)}</th>
                            <th scope="col">{t!(i18n, contacts.import_action)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {plan.rows.into_iter().map(|row| {
                            let rejected = matches!(row.action, PlannedAction::Reject(_));
                            let action = row.action.clone();
                            view! {
                                <tr class:row--rejected=rejected>
                                    <td data-label=move || t_string!(i18n, contacts.import_row)>{row.line}</td>
                                    <th scope="row" data-label=move || t_string!(i18n, contacts.name)>{row.name}</th>
                                    <td data-label=move || t_string!(i18n, contacts.import_action)>
                                        {move || match &action {
                                            PlannedAction::Create => t_string!(i18n, contacts.import_will_create).to_string(),
                                            PlannedAction::Update { name, .. } => t_string!(i18n, contacts.import_will_update, name = name.clone()).to_string(),
                                            PlannedAction::Reject(reason) => format!("{}: {}", t_string!(i18n, contacts.import_rejected), reject_text(i18n.get_locale(), reason)),
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(!blocked).then(|| view! {
                <div class="form__actions">
                    <button type="button" class="button button--primary" disabled=move || run.pending().get() || run.value().with(|v| matches!(v, Some(Ok(_))))
                        on:click=move |_| { run.dispatch(()); }>
                        {move || import_run_text(i18n.get_locale(), total)}
                    </button>
                </div>
            })}
            <ErrorAlert error=run_error/>
            {move || run.value().get().and_then(Result::ok).map(|done| view! {
                <div class="notice" role="status">
                    <p>{import_done_text(i18n.get_locale(), done.created, done.updated)}</p>
                    <a class="button button--primary" href="/contacts?d=0&s=-created">{t!(i18n, contacts.title)}</a>
                    " "
                    <a class="button" href="/contacts/import" rel="external">{t!(i18n, contacts.import_another)}</a>
                </div>
            })}
        </section>
    }
}

/// "2 to create, 0 to update (matched by e-mail or VAT number), 1 rejected.", each count with
/// the form of the words that follow it.
fn import_summary_text(locale: Locale, created: usize, updated: usize, rejected: usize) -> String {
    let singular = |count: usize| is_singular(from_locale(locale), count as u64);
    let created = if singular(created) {
        td_string!(
            locale,
            contacts.import_summary_created_singular,
            count = created
        )
        .to_string()
    } else {
        td_string!(locale, contacts.import_summary_created, count = created).to_string()
    };
    let updated = if singular(updated) {
        td_string!(
            locale,
            contacts.import_summary_updated_singular,
            count = updated
        )
        .to_string()
    } else {
        td_string!(locale, contacts.import_summary_updated, count = updated).to_string()
    };
    let rejected = if singular(rejected) {
        td_string!(
            locale,
            contacts.import_summary_rejected_singular,
            count = rejected
        )
        .to_string()
    } else {
        td_string!(locale, contacts.import_summary_rejected, count = rejected).to_string()
    };
    td_string!(
        locale,
        contacts.import_summary,
        created = created,
        updated = updated,
        rejected = rejected
    )
    .to_string()
}

/// "Import 3 contacts", "Import 1 contact".
fn import_run_text(locale: Locale, count: usize) -> String {
    if is_singular(from_locale(locale), count as u64) {
        td_string!(locale, contacts.import_run_singular, count = count).to_string()
    } else {
        td_string!(locale, contacts.import_run, count = count).to_string()
    }
}

/// "3 contacts created and 1 updated.", each count with the form of the words that follow it.
fn import_done_text(locale: Locale, created: usize, updated: usize) -> String {
    let singular = |count: usize| is_singular(from_locale(locale), count as u64);
    let created = if singular(created) {
        td_string!(
            locale,
            contacts.import_done_created_singular,
            count = created
        )
        .to_string()
    } else {
        td_string!(locale, contacts.import_done_created, count = created).to_string()
    };
    let updated = if singular(updated) {
        td_string!(
            locale,
            contacts.import_done_updated_singular,
            count = updated
        )
        .to_string()
    } else {
        td_string!(locale, contacts.import_done_updated, count = updated).to_string()
    };
    td_string!(
        locale,
        contacts.import_done,
        created = created,
        updated = updated
    )
    .to_string()
}

/// The kind the form's select names; it offers only the two.
fn import_kind(value: &str) -> ContactKind {
    ContactKind::parse(value).unwrap_or(ContactKind::Company)
}
