//! Telling the user what happened: translated errors, toasts, empty states.

use crate::error::{AppError, FieldProblem};
use crate::i18n::{td_string, use_i18n, Locale};
use crate::locale::{from_locale, is_singular};
use leptos::prelude::*;

/// The translated message for an error, as a user should read it.
pub fn error_text(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
        AppError::Project(denied) => {
            use crate::domain::project_access::Denied;
            match denied {
                Denied::NotMember => td_string!(locale, errors.project_not_member),
                Denied::NeedsAdmin => td_string!(locale, errors.project_needs_admin),
                Denied::Closed => td_string!(locale, errors.project_closed),
                Denied::Locked => td_string!(locale, errors.project_locked),
            }
            .to_string()
        }
        AppError::BadCredentials => td_string!(locale, errors.bad_credentials).to_string(),
        AppError::Throttled { minutes } => {
            if is_singular(from_locale(locale), minutes.unsigned_abs()) {
                td_string!(locale, errors.throttled_singular, minutes = *minutes).to_string()
            } else {
                td_string!(locale, errors.throttled, minutes = *minutes).to_string()
            }
        }
        AppError::CrossOrigin => td_string!(locale, errors.cross_origin).to_string(),
        AppError::TooLarge => td_string!(locale, errors.too_large).to_string(),
        AppError::UnsupportedMediaType => td_string!(locale, errors.unsupported_media).to_string(),
        AppError::TooManyExports => td_string!(locale, errors.too_many_exports).to_string(),
        AppError::TooManyRequests => td_string!(locale, errors.too_many_requests).to_string(),
        AppError::Busy => td_string!(locale, errors.busy).to_string(),
        AppError::Internal => td_string!(locale, errors.internal).to_string(),
        AppError::Transport(_) => td_string!(locale, errors.network).to_string(),
        AppError::Invalid { problem, .. } => field_problem_text(locale, *problem),
        AppError::InvalidView(problem) => td_string!(
            locale,
            errors.invalid_view,
            name = view_problem_subject(problem)
        )
        .to_string(),
    }
}

/// The name a refused view refers to, for the "this view cannot be shown" message.
fn view_problem_subject(problem: &crate::domain::FilterError) -> String {
    use crate::domain::FilterError;
    match problem {
        FilterError::UnknownField(name)
        | FilterError::BadValue(name)
        | FilterError::UnknownPredefined(name)
        | FilterError::NotSortable(name)
        | FilterError::NotGroupable(name) => name.clone(),
        FilterError::UnknownOperator { field, op } => format!("{field} {op}"),
        FilterError::TooMany => "…".to_string(),
    }
}

pub fn field_problem_text(locale: Locale, problem: FieldProblem) -> String {
    let text = match problem {
        FieldProblem::EmailEmpty => td_string!(locale, fields.email_empty),
        FieldProblem::EmailMalformed => td_string!(locale, fields.email_malformed),
        FieldProblem::EmailTooLong => td_string!(locale, fields.email_too_long),
        FieldProblem::EmailTaken => td_string!(locale, fields.email_taken),
        FieldProblem::PasswordTooShort => td_string!(locale, fields.password_too_short),
        FieldProblem::PasswordTooLong => td_string!(locale, fields.password_too_long),
        FieldProblem::PasswordMismatch => td_string!(locale, fields.password_mismatch),
        FieldProblem::PasswordWrong => td_string!(locale, fields.password_wrong),
        FieldProblem::NameEmpty => td_string!(locale, fields.name_empty),
        FieldProblem::NameTooLong => td_string!(locale, fields.name_too_long),
        FieldProblem::RoleUnknown => td_string!(locale, fields.role_unknown),
        FieldProblem::LanguageUnknown => td_string!(locale, fields.language_unknown),
        FieldProblem::NotYourself => td_string!(locale, fields.not_yourself),
        FieldProblem::PhoneMalformed => td_string!(locale, fields.phone_malformed),
        FieldProblem::PhoneWrongLength => td_string!(locale, fields.phone_wrong_length),
        FieldProblem::CountryUnknown => td_string!(locale, fields.country_unknown),
        FieldProblem::VatNoCountryPrefix => td_string!(locale, fields.vat_no_country_prefix),
        FieldProblem::VatWrongFormat => td_string!(locale, fields.vat_wrong_format),
        FieldProblem::VatWrongCheckDigits => td_string!(locale, fields.vat_wrong_check_digits),
        FieldProblem::WebsiteMalformed => td_string!(locale, fields.website_malformed),
        FieldProblem::TagTooLong => td_string!(locale, fields.tag_too_long),
        FieldProblem::TooManyValues => td_string!(locale, fields.too_many_values),
        FieldProblem::TextTooLong => td_string!(locale, fields.text_too_long),
        FieldProblem::KindUnknown => td_string!(locale, fields.kind_unknown),
        FieldProblem::CompanyUnknown => td_string!(locale, fields.company_unknown),
        FieldProblem::CompanyAmbiguous => td_string!(locale, fields.company_ambiguous),
        FieldProblem::OwnerUnknown => td_string!(locale, fields.owner_unknown),
        FieldProblem::MergeSameRecord => td_string!(locale, fields.merge_same_record),
        FieldProblem::MergeDifferentKinds => td_string!(locale, fields.merge_different_kinds),
        FieldProblem::ImportEmpty => td_string!(locale, fields.import_empty),
        FieldProblem::ImportNotUtf8 => td_string!(locale, fields.import_not_utf8),
        FieldProblem::ImportMalformed => td_string!(locale, fields.import_malformed),
        FieldProblem::ImportTooLarge => td_string!(locale, fields.import_too_large),
        FieldProblem::ImportNoNameColumn => td_string!(locale, fields.import_no_name_column),
        FieldProblem::ImportRejected => td_string!(locale, contacts.import_blocked),
        FieldProblem::TitleEmpty => td_string!(locale, fields.title_empty),
        FieldProblem::TitleTooLong => td_string!(locale, fields.title_too_long),
        FieldProblem::DateMalformed => td_string!(locale, fields.date_malformed),
        FieldProblem::EndBeforeStart => td_string!(locale, fields.end_before_start),
        FieldProblem::AmountMalformed => td_string!(locale, fields.amount_malformed),
        FieldProblem::AmountNegative => td_string!(locale, fields.amount_negative),
        FieldProblem::AmountTooLarge => td_string!(locale, fields.amount_too_large),
        FieldProblem::HoursNotPositive => td_string!(locale, fields.hours_not_positive),
        FieldProblem::PriorityUnknown => td_string!(locale, fields.priority_unknown),
        FieldProblem::StateNotAllowed => td_string!(locale, fields.state_not_allowed),
        FieldProblem::ActionNotAllowed => td_string!(locale, fields.action_not_allowed),
        FieldProblem::ActionNotYours => td_string!(locale, fields.action_not_yours),
        FieldProblem::CommentRequired => td_string!(locale, fields.comment_required),
        FieldProblem::DeadlineNotYours => td_string!(locale, fields.deadline_not_yours),
        FieldProblem::ContactUnknown => td_string!(locale, fields.contact_unknown),
        FieldProblem::ContactAmbiguous => td_string!(locale, fields.contact_ambiguous),
        FieldProblem::UserUnknown => td_string!(locale, fields.user_unknown),
        FieldProblem::PermissionUnknown => td_string!(locale, fields.permission_unknown),
        FieldProblem::ContactRoleUnknown => td_string!(locale, fields.contact_role_unknown),
        FieldProblem::DocumentKindUnknown => td_string!(locale, fields.document_kind_unknown),
        FieldProblem::FileEmpty => td_string!(locale, fields.file_empty),
        FieldProblem::FileTooLarge => td_string!(locale, fields.file_too_large),
        FieldProblem::FileTypeRefused => td_string!(locale, fields.file_type_refused),
        FieldProblem::TimerNotRunning => td_string!(locale, fields.timer_not_running),
        FieldProblem::NotOpen => td_string!(locale, fields.not_open),
        FieldProblem::NotClosed => td_string!(locale, fields.not_closed),
        FieldProblem::LostReasonRequired => td_string!(locale, fields.lost_reason_required),
        FieldProblem::LostCannotMove => td_string!(locale, fields.lost_cannot_move),
        FieldProblem::ProbabilityOutOfRange => td_string!(locale, fields.probability_out_of_range),
        FieldProblem::StarsOutOfRange => td_string!(locale, fields.stars_out_of_range),
        FieldProblem::StageUnknown => td_string!(locale, fields.stage_unknown),
        FieldProblem::ActivityTypeRequired => td_string!(locale, fields.activity_type_required),
        FieldProblem::DueRequired => td_string!(locale, fields.due_required),
        FieldProblem::ActivityTypeUnknown => td_string!(locale, fields.activity_type_unknown),
        FieldProblem::AlreadyDone => td_string!(locale, fields.already_done),
        FieldProblem::NameRequired => td_string!(locale, fields.name_required),
        FieldProblem::TextRequired => td_string!(locale, fields.text_required),
        FieldProblem::CurrencyUnknown => td_string!(locale, fields.currency_unknown),
        FieldProblem::ReferenceTaken => td_string!(locale, fields.reference_taken),
        FieldProblem::TaxUnknown => td_string!(locale, fields.tax_unknown),
        FieldProblem::RateOutOfRange => td_string!(locale, fields.rate_out_of_range),
        FieldProblem::QuantityNegative => td_string!(locale, fields.quantity_negative),
        FieldProblem::PriceNegative => td_string!(locale, fields.price_negative),
        FieldProblem::DiscountOutOfRange => td_string!(locale, fields.discount_out_of_range),
        FieldProblem::ValueRequired => td_string!(locale, fields.value_required),
        FieldProblem::QuoteExpired => td_string!(locale, fields.quote_expired),
        FieldProblem::SalesOrderReadOnly => td_string!(locale, fields.sales_order_read_only),
        FieldProblem::QuoteEmpty => td_string!(locale, fields.quote_empty),
        FieldProblem::OptionRequired => td_string!(locale, fields.option_required),
        FieldProblem::OptionTooMany => td_string!(locale, fields.option_too_many),
        FieldProblem::OptionUnknown => td_string!(locale, fields.option_unknown),
        FieldProblem::ProductUnknown => td_string!(locale, fields.product_unknown),
        FieldProblem::CurrencyMismatch => td_string!(locale, fields.currency_mismatch),
        FieldProblem::ValidityBeforeDate => td_string!(locale, fields.validity_before_date),
        FieldProblem::AssigneeNotMember => td_string!(locale, fields.assignee_not_member),
        FieldProblem::AssigneeNeedsMembership => {
            td_string!(locale, fields.assignee_needs_membership)
        }
        FieldProblem::ImportAlreadyDone => td_string!(locale, fields.import_already_done),
        FieldProblem::CustomerRequired => td_string!(locale, fields.customer_required),
        FieldProblem::TasksRequired => td_string!(locale, fields.tasks_required),
        FieldProblem::TaskAlreadyInvoiced => td_string!(locale, fields.task_already_invoiced),
        FieldProblem::NoHourlyRate => td_string!(locale, fields.no_hourly_rate),
        FieldProblem::NothingToInvoice => td_string!(locale, fields.nothing_to_invoice),
        FieldProblem::DeductionsTooLarge => td_string!(locale, fields.deductions_too_large),
        FieldProblem::NoSalesOrder => td_string!(locale, fields.no_sales_order),
        FieldProblem::InvoiceEmpty => td_string!(locale, fields.invoice_empty),
        FieldProblem::TermsOutOfRange => td_string!(locale, fields.terms_out_of_range),
        FieldProblem::AmountNotPositive => td_string!(locale, fields.amount_not_positive),
        FieldProblem::Overpayment => td_string!(locale, fields.overpayment),
        FieldProblem::PaymentInFuture => td_string!(locale, fields.payment_in_future),
        FieldProblem::CreditTooLarge => td_string!(locale, fields.credit_too_large),
        FieldProblem::NothingToCredit => td_string!(locale, fields.nothing_to_credit),
        FieldProblem::NotLocked => td_string!(locale, fields.not_locked),
        FieldProblem::IbanInvalid => td_string!(locale, fields.iban_invalid),
        FieldProblem::BicInvalid => td_string!(locale, fields.bic_invalid),
        FieldProblem::MergeSameProject => td_string!(locale, fields.merge_same_project),
        FieldProblem::MergeLocked => td_string!(locale, fields.merge_locked),
        FieldProblem::MergeCurrency => td_string!(locale, fields.merge_currency),
        FieldProblem::MergeNotAdmin => td_string!(locale, fields.merge_not_admin),
        FieldProblem::MergeClosed => td_string!(locale, fields.merge_closed),
        FieldProblem::PlaceholderUnknown => td_string!(locale, project_mail.placeholder_unknown),
    };
    text.to_string()
}

/// A form-level error box; shows nothing for `None`. An ended session (the user was
/// signed out elsewhere or deactivated) leads to the sign-in page.
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        if error.get() == Some(AppError::Unauthorized) {
            go_to_sign_in();
        }
    });
    move || {
        error.get().map(|error| {
            let text = error_text(i18n.get_locale(), &error);
            view! {
                <div class="alert alert--error" role="alert">
                    <super::Icon name=super::IconName::Alert/>
                    <span>{text}</span>
                </div>
            }
        })
    }
}

fn go_to_sign_in() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign("/sign-in");
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    id: u64,
    text: String,
    is_error: bool,
}

/// How long a toast stays up.
const TOAST_SHOWN_FOR: std::time::Duration = std::time::Duration::from_secs(6);
/// A page change this soon after a toast is the one its action made ("created", then the new
/// record opens): the toast goes along. A later one takes it away.
const TOAST_CARRIED_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// Short-lived messages after an action ("User created."), announced politely. One at a
/// time, so that they never pile up over a form: a new message replaces the one shown, and
/// going to another page takes it away.
#[derive(Clone, Copy)]
pub struct ToastQueue {
    current: RwSignal<Option<Toast>>,
    next_id: StoredValue<u64>,
    /// The shown toast has outlived `TOAST_CARRIED_FOR`: the next page change dismisses it.
    settled: StoredValue<bool>,
}

impl ToastQueue {
    pub fn success(&self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    /// Shows a failed action's error; an ended session leads to the sign-in page.
    pub fn failure(&self, locale: Locale, error: &AppError) {
        if *error == AppError::Unauthorized {
            go_to_sign_in();
        }
        self.push(error_text(locale, error), true);
    }

    fn push(&self, text: String, is_error: bool) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.settled.set_value(false);
        self.current.set(Some(Toast { id, text, is_error }));
        let queue = *self;
        set_timeout(
            move || {
                if queue.shows(id) {
                    queue.settled.set_value(true);
                }
            },
            TOAST_CARRIED_FOR,
        );
        set_timeout(move || queue.dismiss(id), TOAST_SHOWN_FOR);
    }

    fn shows(&self, id: u64) -> bool {
        self.current
            .with_untracked(|toast| toast.as_ref().is_some_and(|toast| toast.id == id))
    }

    pub fn dismiss(&self, id: u64) {
        if self.shows(id) {
            self.current.set(None);
        }
    }

    /// The user went to another page: what was said about the previous one is over.
    fn leave_page(&self) {
        if self.settled.get_value() && self.current.with_untracked(Option::is_some) {
            self.current.set(None);
        }
    }
}

pub fn provide_toasts() {
    provide_context(ToastQueue {
        current: RwSignal::new(None),
        next_id: StoredValue::new(0),
        settled: StoredValue::new(false),
    });
}

pub fn use_toasts() -> ToastQueue {
    expect_context::<ToastQueue>()
}

/// The toast on screen, if any; it goes when the user goes to another page.
#[component]
pub fn Toasts() -> impl IntoView {
    let queue = use_toasts();
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    Effect::watch(
        move || location.pathname.get(),
        move |_, _, _| queue.leave_page(),
        false,
    );
    view! {
        <div class="toasts" role="status" aria-live="polite">
            {move || queue.current.get().map(|Toast { id, text, is_error }| view! {
                <div class="toast" class:toast--error=is_error>
                    <span>{text}</span>
                    <button type="button" class="button button--ghost button--small"
                        on:click=move |_| queue.dismiss(id)>
                        {move || crate::i18n::t_string!(i18n, close)}
                    </button>
                </div>
            })}
        </div>
    }
}

#[component]
pub fn EmptyState(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! { <p class="empty-state">{text}</p> }
}
