//! CRM settings (managers and administrators): pipelines and their stages (add, rename,
//! reorder, fold, the won stage), lost reasons, activity types (name, icon, default delay),
//! and whether closing a deal finishes its tasks.

use crate::activities::{ActivityType, Named, ICONS};
use crate::crm::api::{change_crm_settings, load_crm_settings, set_close_tasks, SettingsChange};
use crate::crm::{CrmSettings, LostReason, Pipeline, Stage};
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::ui::InBrowser;
use crate::ui::{use_toasts, ErrorAlert, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

fn icon_label(locale: Locale, icon: &str) -> &'static str {
    match icon {
        "phone" => td_string!(locale, activities.icon_phone),
        "email" => td_string!(locale, activities.icon_email),
        "meeting" => td_string!(locale, activities.icon_meeting),
        "todo" => td_string!(locale, activities.icon_todo),
        _ => td_string!(locale, activities.icon_document),
    }
}

#[derive(Clone, Copy)]
struct Settings {
    current: RwSignal<Option<CrmSettings>>,
}

impl Settings {
    fn apply(self, change: SettingsChange) {
        let version = self.version();
        self.save(change_crm_settings(version, change));
    }

    fn set_close_tasks(self, on: bool) {
        let version = self.version();
        self.save(set_close_tasks(on, version));
    }

    fn version(self) -> i32 {
        self.current
            .with_untracked(|c| c.as_ref().map_or(0, |c| c.version))
    }

    /// Shows the settings a change answers; after a conflict, the newer settings are loaded
    /// so that the page shows what someone else saved.
    fn save(
        self,
        saved: impl std::future::Future<Output = Result<CrmSettings, AppError>> + 'static,
    ) {
        let i18n = use_i18n();
        let toasts = use_toasts();
        let current = self.current;
        leptos::task::spawn_local(async move {
            match saved.await {
                Ok(settings) => {
                    current.set(Some(settings));
                    toasts.success(t_string!(i18n, crm.settings_saved).to_string());
                }
                Err(error) => {
                    toasts.failure(i18n.get_locale_untracked(), &error);
                    if error == AppError::Conflict {
                        if let Ok(fresh) = load_crm_settings().await {
                            current.set(Some(fresh));
                        }
                    }
                }
            }
        });
    }
}

#[component]
pub fn CrmSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(load_crm_settings);
    let settings = Settings {
        current: RwSignal::new(None),
    };
    Effect::new(move |_| {
        if let Some(Ok(s)) = loaded.in_browser() {
            settings.current.set(Some(s));
        }
    });
    view! {
        <Title text=move || t_string!(i18n, crm.settings_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, crm.settings_title).to_string())>
            <a class="button" href="/crm">{t!(i18n, crm.back_to_pipeline)}</a>
        </PageHeader>
        {move || match (loaded.in_browser(), settings.current.get()) {
            (Some(Err(error)), _) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
            (_, None) => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
            (_, Some(current)) => {
                let enabled = current.may_configure;
                view! {
                    {(!enabled).then(|| view! { <p class="notice notice--info">{t!(i18n, crm.only_managers)}</p> })}
                    <SettingsView current settings enabled/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn SettingsView(current: CrmSettings, settings: Settings, enabled: bool) -> impl IntoView {
    let i18n = use_i18n();
    let close_tasks = current.close_tasks_when_deal_closes;
    let toggle = move |event: leptos::ev::Event| {
        settings.set_close_tasks(event_target_checked(&event));
    };
    let new_pipeline = RwSignal::new(String::new());
    let new_reason = RwSignal::new(String::new());
    let new_type = RwSignal::new(String::new());
    view! {
        <fieldset class="settings" disabled=!enabled>
            <section class="card">
                <label class="checkbox">
                    <input type="checkbox" data-testid="close-tasks-setting" checked=close_tasks on:change=toggle/>
                    {t!(i18n, crm.close_tasks)}
                </label>
                <p class="muted">{t!(i18n, crm.close_tasks_help)}</p>
            </section>
            <section class="card">
                <h2>{t!(i18n, crm.pipelines)}</h2>
                {current.pipelines.into_iter().map(|pipeline| view! { <PipelineSettings pipeline settings/> }).collect_view()}
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    settings.apply(SettingsChange::AddPipeline { name: new_pipeline.get_untracked() });
                }>
                    <label for="new-pipeline">{t!(i18n, crm.pipeline_name)}</label>
                    <input id="new-pipeline" on:input=move |event| new_pipeline.set(event_target_value(&event))/>
                    <button type="submit" class="button button--small">{t!(i18n, crm.add_pipeline)}</button>
                </form>
            </section>
            <section class="card">
                <h2>{t!(i18n, crm.lost_reasons)}</h2>
                <ul class="settings-list">
                    {current.lost_reasons.into_iter().map(|reason| view! { <ReasonRow reason settings/> }).collect_view()}
                </ul>
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    settings.apply(SettingsChange::SaveLostReason { id: None, name: new_reason.get_untracked(), active: true });
                }>
                    <label for="new-reason">{t!(i18n, crm.reason_name)}</label>
                    <input id="new-reason" on:input=move |event| new_reason.set(event_target_value(&event))/>
                    <button type="submit" class="button button--small">{t!(i18n, crm.add_lost_reason)}</button>
                </form>
            </section>
            <section class="card">
                <h2>{t!(i18n, crm.activity_types)}</h2>
                <ul class="settings-list">
                    {current.activity_types.into_iter().map(|kind| view! { <TypeRow kind settings/> }).collect_view()}
                </ul>
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    settings.apply(SettingsChange::SaveActivityType {
                        id: None, name: new_type.get_untracked(), icon: "todo".into(), delay_days: 0, active: true,
                    });
                }>
                    <label for="new-type">{t!(i18n, crm.type_name)}</label>
                    <input id="new-type" on:input=move |event| new_type.set(event_target_value(&event))/>
                    <button type="submit" class="button button--small">{t!(i18n, crm.add_activity_type)}</button>
                </form>
            </section>
        </fieldset>
    }
}

fn label_of(named: &Named, locale: Locale) -> String {
    named.label(locale)
}

#[component]
fn PipelineSettings(pipeline: Pipeline, settings: Settings) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(label_of(&pipeline.named, i18n.get_locale_untracked()));
    let new_stage = RwSignal::new(String::new());
    let id = pipeline.id;
    view! {
        <div class="pipeline-settings">
            <form class="inline-form" on:submit=move |event| {
                event.prevent_default();
                settings.apply(SettingsChange::RenamePipeline { id, name: name.get_untracked() });
            }>
                <label for=format!("pipeline-{id}")>{t!(i18n, crm.pipeline_name)}</label>
                <input id=format!("pipeline-{id}") prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event))/>
                <button type="submit" class="button button--small">{t!(i18n, save)}</button>
            </form>
            <h3>{t!(i18n, crm.stages)}</h3>
            <ol class="settings-list">
                {pipeline.stages.into_iter().map(|stage| view! { <StageRow stage settings/> }).collect_view()}
            </ol>
            <form class="inline-form" on:submit=move |event| {
                event.prevent_default();
                settings.apply(SettingsChange::AddStage { pipeline: id, name: new_stage.get_untracked() });
            }>
                <label for=format!("new-stage-{id}")>{t!(i18n, crm.stage_name)}</label>
                <input id=format!("new-stage-{id}") on:input=move |event| new_stage.set(event_target_value(&event))/>
                <button type="submit" class="button button--small" data-action="add-stage">{t!(i18n, crm.add_stage)}</button>
            </form>
        </div>
    }
}

#[component]
fn StageRow(stage: Stage, settings: Settings) -> impl IntoView {
    let i18n = use_i18n();
    let id = stage.id;
    let name = RwSignal::new(label_of(&stage.named, i18n.get_locale_untracked()));
    let folded = RwSignal::new(stage.folded);
    let is_won = RwSignal::new(stage.is_won);
    view! {
        <li class="settings-row" data-stage=id.to_string()>
            <form class="inline-form" on:submit=move |event| {
                event.prevent_default();
                settings.apply(SettingsChange::SaveStage { id, name: name.get_untracked(), folded: folded.get_untracked(), is_won: is_won.get_untracked() });
            }>
                <label class="visually-hidden" for=format!("stage-{id}")>{t!(i18n, crm.stage_name)}</label>
                <input id=format!("stage-{id}") prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event))/>
                <label class="checkbox"><input type="checkbox" prop:checked=move || folded.get()
                    on:change=move |event| folded.set(event_target_checked(&event))/>{t!(i18n, crm.folded)}</label>
                <label class="checkbox"><input type="checkbox" prop:checked=move || is_won.get()
                    on:change=move |event| is_won.set(event_target_checked(&event))/>{t!(i18n, crm.won_stage)}</label>
                <button type="submit" class="button button--small">{t!(i18n, save)}</button>
                <button type="button" class="icon-button" aria-label=move || t_string!(i18n, crm.move_left)
                    on:click=move |_| settings.apply(SettingsChange::MoveStage { id, earlier: true })>"←"</button>
                <button type="button" class="icon-button" aria-label=move || t_string!(i18n, crm.move_right)
                    on:click=move |_| settings.apply(SettingsChange::MoveStage { id, earlier: false })>"→"</button>
            </form>
        </li>
    }
}

#[component]
fn ReasonRow(reason: LostReason, settings: Settings) -> impl IntoView {
    let i18n = use_i18n();
    let id = reason.id;
    let name = RwSignal::new(label_of(&reason.named, i18n.get_locale_untracked()));
    let active = RwSignal::new(reason.active);
    view! {
        <li class="settings-row">
            <form class="inline-form" on:submit=move |event| {
                event.prevent_default();
                settings.apply(SettingsChange::SaveLostReason { id: Some(id), name: name.get_untracked(), active: active.get_untracked() });
            }>
                <label class="visually-hidden" for=format!("reason-{id}")>{t!(i18n, crm.reason_name)}</label>
                <input id=format!("reason-{id}") prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event))/>
                <label class="checkbox"><input type="checkbox" prop:checked=move || active.get()
                    on:change=move |event| active.set(event_target_checked(&event))/>{t!(i18n, crm.active)}</label>
                <button type="submit" class="button button--small">{t!(i18n, save)}</button>
            </form>
        </li>
    }
}

#[component]
fn TypeRow(kind: ActivityType, settings: Settings) -> impl IntoView {
    let i18n = use_i18n();
    let id = kind.id;
    let name = RwSignal::new(label_of(&kind.named, i18n.get_locale_untracked()));
    let icon = RwSignal::new(kind.icon.clone());
    let delay = RwSignal::new(kind.delay_days.to_string());
    let active = RwSignal::new(kind.active);
    view! {
        <li class="settings-row">
            <form class="inline-form" on:submit=move |event| {
                event.prevent_default();
                settings.apply(SettingsChange::SaveActivityType {
                    id: Some(id), name: name.get_untracked(), icon: icon.get_untracked(),
                    delay_days: delay.get_untracked().trim().parse().unwrap_or(-1), active: active.get_untracked(),
                });
            }>
                <label class="visually-hidden" for=format!("type-{id}")>{t!(i18n, crm.type_name)}</label>
                <input id=format!("type-{id}") prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event))/>
                <label class="visually-hidden" for=format!("type-icon-{id}")>{t!(i18n, crm.icon)}</label>
                <select id=format!("type-icon-{id}") on:change=move |event| icon.set(event_target_value(&event))>
                    {ICONS.iter().map(|value| {
                        let value = *value;
                        view! { <option value=value selected=move || icon.get() == value>
                            {move || icon_label(i18n.get_locale(), value)}</option> }
                    }).collect_view()}
                </select>
                <label for=format!("type-delay-{id}")>{t!(i18n, crm.delay_days)}</label>
                <input id=format!("type-delay-{id}") type="number" min="0" max="3650" class="input--narrow"
                    prop:value=move || delay.get() on:input=move |event| delay.set(event_target_value(&event))/>
                <label class="checkbox"><input type="checkbox" prop:checked=move || active.get()
                    on:change=move |event| active.set(event_target_checked(&event))/>{t!(i18n, crm.active)}</label>
                <button type="submit" class="button button--small">{t!(i18n, save)}</button>
            </form>
        </li>
    }
}
