//! The sign-in page and the user's own account page.

use super::api::{ChangeLanguageAction, ChangePasswordAction, SignIn, SignInAction};
use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{from_locale, to_locale};
use crate::ui::{
    action_error, form_error, use_field_errors, use_toasts, ErrorAlert, Field, PageHeader,
    Submitted,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Works without JavaScript (a plain form post answered with a redirect) and with it (the
/// error appears in place, success loads the next page in full).
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let action = SignInAction::new();
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let email = move || query.read().get("email").unwrap_or_default();
    // An error from a no-JavaScript round trip arrives in the URL.
    let url_error = move || match query.read().get("error").as_deref() {
        Some("bad_credentials") => Some(AppError::BadCredentials),
        Some("throttled") => Some(AppError::Throttled {
            minutes: query
                .read()
                .get("minutes")
                .and_then(|m| m.parse().ok())
                .unwrap_or(15),
        }),
        Some(_) => Some(AppError::Internal),
        None => None,
    };
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(error)) => Some(error),
        Some(Ok(())) => None,
        None => url_error(),
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let target = crate::auth::safe_next(Some(&next()));
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&target);
            }
        }
    });
    view! {
        <Title text=move || t_string!(i18n, sign_in.title).to_string()/>
        <main class="centered-page" id="content">
            <div class="card card--narrow sign-in">
                <div class="brand brand--large">
                    <img src="/icons/icon.svg" alt="" width="40" height="40"/>
                    <span>{t!(i18n, app_name)}</span>
                </div>
                <h1>{t!(i18n, sign_in.title)}</h1>
                <p class="muted">{t!(i18n, sign_in.intro)}</p>
                <ErrorAlert error/>
                <form class="form" method="post" action=SignIn::url() novalidate=true
                    on:submit=move |event| {
                        let fields = Submitted::take(&event);
                        let next = Some(fields.text("next")).filter(|n| !n.is_empty());
                        action.dispatch(SignIn {
                            email: fields.text("email"),
                            password: fields.text("password"),
                            next,
                        });
                    }>
                    <input type="hidden" name="next" value=next/>
                    <Field name="email" kind="email" autocomplete="username" required=true
                        autofocus=true value=Signal::derive(email)
                        label=Signal::derive(move || t_string!(i18n, sign_in.email).to_string())/>
                    <Field name="password" kind="password" autocomplete="current-password"
                        required=true
                        label=Signal::derive(move || t_string!(i18n, sign_in.password).to_string())/>
                    <button type="submit" class="button button--primary button--wide"
                        disabled=move || action.pending().get()>
                        {move || if action.pending().get() {
                            t_string!(i18n, sign_in.submitting)
                        } else {
                            t_string!(i18n, sign_in.submit)
                        }}
                    </button>
                </form>
                <LanguagePicker/>
            </div>
        </main>
    }
}

/// Before signing in the language follows the browser; this switches it for this device.
#[component]
fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="language-picker" aria-label=move || t_string!(i18n, sign_in.language)>
            {Language::ALL.into_iter().map(|language| {
                let is_current = move || from_locale(i18n.get_locale()) == language;
                view! {
                    <button type="button" class="link-button"
                        lang=language.code()
                        aria-pressed=move || is_current().to_string()
                        on:click=move |_| {
                            i18n.set_locale(to_locale(language));
                            crate::locale::remember_language(language);
                        }>
                        {language.native_name()}
                    </button>
                }
            }).collect_view()}
        </nav>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, account.title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, account.title).to_string())/>
        <div class="stack">
            <LanguageSettings/>
            <PasswordSettings/>
        </div>
    }
}

#[component]
fn LanguageSettings() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let action = ChangeLanguageAction::new();
    // Switch the page at once; the server stores the choice for every device.
    let choose = move |language: Language| {
        i18n.set_locale(to_locale(language));
        action.dispatch(super::api::ChangeLanguage {
            language: language.code().to_string(),
        });
    };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => toasts.success(t_string!(i18n, account.language_saved)),
        Some(Err(error)) => toasts.failure(i18n.get_locale_untracked(), &error),
        None => {}
    });
    view! {
        <section class="card" aria-labelledby="language-title">
            <h2 id="language-title">{t!(i18n, account.language_title)}</h2>
            <p class="muted">{t!(i18n, account.language_help)}</p>
            // Without JavaScript each button is a form submission.
            <ActionForm action attr:class="language-choices">
                {Language::ALL.into_iter().map(|language| {
                    let is_current = move || from_locale(i18n.get_locale()) == language;
                    view! {
                        <button type="submit" name="language" value=language.code()
                            class="choice" lang=language.code()
                            class:choice--selected=is_current
                            aria-pressed=move || is_current().to_string()
                            on:click=move |event| {
                                event.prevent_default();
                                choose(language);
                            }>
                            {language.native_name()}
                        </button>
                    }
                }).collect_view()}
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSettings() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let action = ChangePasswordAction::new();
    let field_errors = use_field_errors(action_error(action));
    let form_error = form_error(action.value());
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            toasts.success(t_string!(i18n, account.password_changed));
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">{t!(i18n, account.password_title)}</h2>
            <ErrorAlert error=form_error/>
            <ActionForm action node_ref=form_ref attr:class="form form--narrow" attr:novalidate=true>
                <Field name="current" kind="password" autocomplete="current-password" required=true
                    label=Signal::derive(move || t_string!(i18n, account.current_password).to_string())
                    error=field_errors.message("current")/>
                <Field name="new" kind="password" autocomplete="new-password" required=true
                    label=Signal::derive(move || t_string!(i18n, account.new_password).to_string())
                    help=Signal::derive(move || t_string!(i18n, account.password_help).to_string())
                    error=field_errors.message("new")/>
                <Field name="confirm" kind="password" autocomplete="new-password" required=true
                    label=Signal::derive(move || t_string!(i18n, account.confirm_password).to_string())
                    error=field_errors.message("confirm")/>
                <button type="submit" class="button button--primary"
                    disabled=move || action.pending().get()>
                    {t!(i18n, account.change_password)}
                </button>
            </ActionForm>
        </section>
    }
}
