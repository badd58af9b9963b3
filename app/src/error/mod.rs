//! The one error type of server functions: it says what happened in terms the user interface
//! can translate, maps to an HTTP status, and never carries database text to the browser.

mod problems;

pub use problems::{field_problem_text, line_problem_text};

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field failed its parser; `problem` names the message (a `fields.*` translation key).
    /// `message` is that message in the caller's language: the server writes it into every
    /// error it answers with (`respond`), so that the browser's first load needs none of
    /// the hundreds of field messages in five languages.
    #[error("invalid {field}: {problem}")]
    Invalid {
        field: String,
        problem: FieldProblem,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        message: String,
    },
    /// A list view names a field, operator or value its list does not offer.
    #[error("invalid view: {0}")]
    InvalidView(crate::domain::FilterError),
    /// An update stated a version that is no longer current.
    #[error("changed by someone else")]
    Conflict,
    /// A project refused the action: not a member, not an admin of it, or closed.
    #[error("project: {0}")]
    Project(crate::domain::project_access::Denied),
    #[error("bad credentials")]
    BadCredentials,
    #[error("throttled for {minutes} minutes")]
    Throttled { minutes: i64 },
    #[error("cross-origin request refused")]
    CrossOrigin,
    /// A request body (or one of its fields) is over its limit.
    #[error("request too large")]
    TooLarge,
    /// An upload endpoint got a body that is not `multipart/form-data`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The caller already runs as many downloads as are allowed at once.
    #[error("too many exports at once")]
    TooManyExports,
    /// One session sent more requests than it may; `Retry-After` says when to try again.
    #[error("too many requests")]
    TooManyRequests,
    /// The database is out of reach or every connection is taken; logged on the server.
    #[error("busy")]
    Busy,
    /// Logged on the server with its cause; the user sees a generic message.
    #[error("internal error")]
    Internal,
    /// The call never got a proper answer (network down, server restarting).
    #[error("transport: {0}")]
    Transport(String),
}

/// Why a field was refused; each is a translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldProblem {
    EmailEmpty,
    EmailMalformed,
    EmailTooLong,
    EmailTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordMismatch,
    PasswordWrong,
    NameEmpty,
    NameTooLong,
    RoleUnknown,
    LanguageUnknown,
    NotYourself,
    PhoneMalformed,
    PhoneWrongLength,
    CountryUnknown,
    VatNoCountryPrefix,
    VatWrongFormat,
    VatWrongCheckDigits,
    WebsiteMalformed,
    TagTooLong,
    TooManyValues,
    TextTooLong,
    KindUnknown,
    CompanyUnknown,
    CompanyAmbiguous,
    OwnerUnknown,
    MergeSameRecord,
    MergeDifferentKinds,
    ImportEmpty,
    ImportNotUtf8,
    ImportMalformed,
    ImportTooLarge,
    ImportNoNameColumn,
    ImportRejected,
    TitleEmpty,
    TitleTooLong,
    DateMalformed,
    EndBeforeStart,
    AmountMalformed,
    AmountNegative,
    AmountTooLarge,
    HoursNotPositive,
    PriorityUnknown,
    StateNotAllowed,
    ActionNotAllowed,
    ActionNotYours,
    CommentRequired,
    DeadlineNotYours,
    ContactUnknown,
    ContactAmbiguous,
    UserUnknown,
    PermissionUnknown,
    ContactRoleUnknown,
    DocumentKindUnknown,
    FileEmpty,
    FileTooLarge,
    FileTypeRefused,
    TimerNotRunning,
    NotOpen,
    NotClosed,
    LostReasonRequired,
    LostCannotMove,
    ProbabilityOutOfRange,
    StarsOutOfRange,
    StageUnknown,
    ActivityTypeRequired,
    DueRequired,
    ActivityTypeUnknown,
    AlreadyDone,
    NameRequired,
    TextRequired,
    CurrencyUnknown,
    ReferenceTaken,
    TaxUnknown,
    RateOutOfRange,
    QuantityNegative,
    PriceNegative,
    DiscountOutOfRange,
    ValueRequired,
    QuoteExpired,
    SalesOrderReadOnly,
    QuoteEmpty,
    OptionRequired,
    OptionTooMany,
    OptionUnknown,
    ProductUnknown,
    CurrencyMismatch,
    ValidityBeforeDate,
    /// The assignee is not a project member, and the caller may not add members.
    AssigneeNotMember,
    /// The assignee is not a project member; the caller may add them after confirming.
    AssigneeNeedsMembership,
    ImportAlreadyDone,
    CustomerRequired,
    TasksRequired,
    TaskAlreadyInvoiced,
    NoHourlyRate,
    NothingToInvoice,
    DeductionsTooLarge,
    NoSalesOrder,
    InvoiceEmpty,
    TermsOutOfRange,
    AmountNotPositive,
    Overpayment,
    PaymentInFuture,
    CreditTooLarge,
    NothingToCredit,
    NotLocked,
    IbanInvalid,
    BicInvalid,
    MergeSameProject,
    MergeLocked,
    MergeCurrency,
    MergeNotAdmin,
    MergeClosed,
    /// A mail template uses a placeholder its kind of e-mail does not know.
    PlaceholderUnknown,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl AppError {
    pub fn invalid(field: &str, problem: FieldProblem) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            problem,
            message: String::new(),
        }
    }

    /// The same refusal with its message already translated: for a check made in the
    /// browser, which names the one message it may show.
    pub fn refused(field: &str, problem: FieldProblem, message: &str) -> AppError {
        AppError::Invalid {
            field: field.to_string(),
            problem,
            message: message.to_string(),
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::CrossOrigin => 403,
            AppError::NotFound => 404,
            AppError::Conflict => 409,
            AppError::Project(denied) => match denied {
                crate::domain::project_access::Denied::Closed
                | crate::domain::project_access::Denied::Locked => 409,
                _ => 403,
            },
            // Someone else invoiced the task first: the same conflict as a stale version.
            AppError::Invalid {
                problem: FieldProblem::TaskAlreadyInvoiced,
                ..
            } => 409,
            AppError::Invalid { .. } | AppError::InvalidView(_) => 422,
            AppError::Throttled { .. } | AppError::TooManyExports | AppError::TooManyRequests => {
                429
            }
            AppError::TooLarge => 413,
            AppError::UnsupportedMediaType => 415,
            AppError::Busy => 503,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The outcome of a write that stated the version it read: one row, or `Conflict` when
    /// someone else changed (or removed) the row first.
    pub fn one_row_or_conflict(rows: u64) -> Result<(), AppError> {
        if rows == 1 {
            Ok(())
        } else {
            Err(AppError::Conflict)
        }
    }

    /// A refusal with its message written in `locale`, unless it has one already.
    pub fn translated(self, locale: crate::i18n::Locale) -> AppError {
        match self {
            AppError::Invalid {
                field,
                problem,
                message,
            } if message.is_empty() => AppError::Invalid {
                field,
                problem,
                message: field_problem_text(locale, problem),
            },
            other => other,
        }
    }

    /// The field a form should mark, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    // Read as text, as answers are (crate::codec): one deserialiser for errors, not two.
    type Encoder = crate::codec::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

impl From<crate::domain::FilterError> for AppError {
    fn from(error: crate::domain::FilterError) -> Self {
        AppError::InvalidView(error)
    }
}

impl From<crate::domain::contact::ContactError> for FieldProblem {
    fn from(error: crate::domain::contact::ContactError) -> Self {
        use crate::domain::contact::ContactError;
        use crate::domain::phone::PhoneError;
        match error {
            ContactError::NameEmpty => FieldProblem::NameEmpty,
            ContactError::NameTooLong => FieldProblem::NameTooLong,
            ContactError::Email(e) => e.into(),
            ContactError::Phone(PhoneError::WrongLength) => FieldProblem::PhoneWrongLength,
            ContactError::Phone(_) => FieldProblem::PhoneMalformed,
            ContactError::Country(_) => FieldProblem::CountryUnknown,
            ContactError::Vat(error) => error.into(),
            ContactError::Website => FieldProblem::WebsiteMalformed,
            ContactError::TagTooLong => FieldProblem::TagTooLong,
            ContactError::TooMany => FieldProblem::TooManyValues,
            ContactError::TooLong => FieldProblem::TextTooLong,
        }
    }
}

impl From<crate::domain::quote::QuoteError> for FieldProblem {
    fn from(error: crate::domain::quote::QuoteError) -> Self {
        use crate::domain::quote::QuoteError;
        match error {
            QuoteError::Malformed => FieldProblem::AmountMalformed,
            QuoteError::NegativeQuantity => FieldProblem::QuantityNegative,
            QuoteError::NegativePrice => FieldProblem::PriceNegative,
            QuoteError::DiscountOutOfRange => FieldProblem::DiscountOutOfRange,
            QuoteError::TooLarge => FieldProblem::AmountTooLarge,
            QuoteError::Required => FieldProblem::ValueRequired,
            QuoteError::TextRequired => FieldProblem::TextRequired,
            QuoteError::TextTooLong => FieldProblem::TextTooLong,
            QuoteError::TaxUnknown => FieldProblem::TaxUnknown,
        }
    }
}

impl From<crate::domain::quote_state::QuoteStateError> for FieldProblem {
    fn from(error: crate::domain::quote_state::QuoteStateError) -> Self {
        use crate::domain::quote_state::QuoteStateError;
        match error {
            QuoteStateError::NotAllowed => FieldProblem::ActionNotAllowed,
            QuoteStateError::Expired => FieldProblem::QuoteExpired,
            QuoteStateError::ReadOnly => FieldProblem::SalesOrderReadOnly,
            QuoteStateError::Empty => FieldProblem::QuoteEmpty,
        }
    }
}

impl From<crate::domain::catalogue::ConfigurationError> for FieldProblem {
    fn from(error: crate::domain::catalogue::ConfigurationError) -> Self {
        use crate::domain::catalogue::ConfigurationError;
        match error {
            ConfigurationError::Missing => FieldProblem::OptionRequired,
            ConfigurationError::TooMany => FieldProblem::OptionTooMany,
            ConfigurationError::Unknown => FieldProblem::OptionUnknown,
        }
    }
}

impl From<crate::domain::invoice::InvoiceError> for FieldProblem {
    fn from(error: crate::domain::invoice::InvoiceError) -> Self {
        use crate::domain::invoice::InvoiceError;
        match error {
            InvoiceError::NotAllowed => FieldProblem::ActionNotAllowed,
            InvoiceError::InvalidTerms => FieldProblem::TermsOutOfRange,
            InvoiceError::AmountRequired => FieldProblem::ValueRequired,
            InvoiceError::AmountNotPositive => FieldProblem::AmountNotPositive,
            InvoiceError::Overpayment => FieldProblem::Overpayment,
            InvoiceError::PaymentInFuture => FieldProblem::PaymentInFuture,
            InvoiceError::DateInvalid => FieldProblem::DateMalformed,
            InvoiceError::CreditTooLarge => FieldProblem::CreditTooLarge,
            InvoiceError::NothingToCredit => FieldProblem::NothingToCredit,
            InvoiceError::NoHourlyRate => FieldProblem::NoHourlyRate,
            InvoiceError::NothingToInvoice => FieldProblem::NothingToInvoice,
            InvoiceError::AlreadyInvoiced(_) => FieldProblem::TaskAlreadyInvoiced,
            InvoiceError::PercentOutOfRange => FieldProblem::RateOutOfRange,
            InvoiceError::DownPaymentTooLarge => FieldProblem::AmountTooLarge,
            InvoiceError::DeductionsTooLarge => FieldProblem::DeductionsTooLarge,
            InvoiceError::Malformed => FieldProblem::AmountMalformed,
        }
    }
}

impl From<crate::domain::project_access::Denied> for AppError {
    fn from(denied: crate::domain::project_access::Denied) -> Self {
        AppError::Project(denied)
    }
}

impl From<crate::domain::project::WorkError> for FieldProblem {
    fn from(error: crate::domain::project::WorkError) -> Self {
        use crate::domain::project::WorkError;
        match error {
            WorkError::TitleEmpty => FieldProblem::TitleEmpty,
            WorkError::TitleTooLong => FieldProblem::TitleTooLong,
            WorkError::DateMalformed => FieldProblem::DateMalformed,
            WorkError::EndBeforeStart => FieldProblem::EndBeforeStart,
            WorkError::AmountMalformed => FieldProblem::AmountMalformed,
            WorkError::Negative => FieldProblem::AmountNegative,
            WorkError::TooLarge => FieldProblem::AmountTooLarge,
            WorkError::HoursNotPositive => FieldProblem::HoursNotPositive,
            WorkError::TextTooLong => FieldProblem::TextTooLong,
            WorkError::PriorityUnknown => FieldProblem::PriorityUnknown,
        }
    }
}

impl From<crate::domain::opportunity::OpportunityError> for FieldProblem {
    fn from(error: crate::domain::opportunity::OpportunityError) -> Self {
        use crate::domain::opportunity::OpportunityError;
        match error {
            OpportunityError::NotOpen => FieldProblem::NotOpen,
            OpportunityError::NotClosed => FieldProblem::NotClosed,
            OpportunityError::LostReasonRequired => FieldProblem::LostReasonRequired,
            OpportunityError::LostCannotMove => FieldProblem::LostCannotMove,
            OpportunityError::ProbabilityOutOfRange => FieldProblem::ProbabilityOutOfRange,
            OpportunityError::PriorityOutOfRange => FieldProblem::StarsOutOfRange,
            OpportunityError::Field(error) => error.into(),
        }
    }
}

impl From<crate::domain::activity::ActivityError> for FieldProblem {
    fn from(error: crate::domain::activity::ActivityError) -> Self {
        use crate::domain::activity::ActivityError;
        match error {
            ActivityError::TypeRequired => FieldProblem::ActivityTypeRequired,
            ActivityError::DueRequired => FieldProblem::DueRequired,
            ActivityError::Field(error) => error.into(),
        }
    }
}

impl From<crate::domain::task_state::TaskTransitionError> for FieldProblem {
    fn from(error: crate::domain::task_state::TaskTransitionError) -> Self {
        use crate::domain::task_state::TaskTransitionError;
        match error {
            TaskTransitionError::NotFromHere { .. } => FieldProblem::ActionNotAllowed,
            TaskTransitionError::NotYours(_) => FieldProblem::ActionNotYours,
            TaskTransitionError::CommentRequired => FieldProblem::CommentRequired,
        }
    }
}

impl From<crate::domain::document::DocumentError> for FieldProblem {
    fn from(error: crate::domain::document::DocumentError) -> Self {
        use crate::domain::document::DocumentError;
        match error {
            DocumentError::Empty => FieldProblem::FileEmpty,
            DocumentError::TooLarge => FieldProblem::FileTooLarge,
            DocumentError::TypeRefused => FieldProblem::FileTypeRefused,
        }
    }
}

impl From<crate::domain::vat::VatError> for FieldProblem {
    fn from(error: crate::domain::vat::VatError) -> Self {
        use crate::domain::vat::VatError;
        match error {
            VatError::NoCountryPrefix | VatError::Empty => FieldProblem::VatNoCountryPrefix,
            VatError::WrongFormat => FieldProblem::VatWrongFormat,
            VatError::WrongCheckDigits => FieldProblem::VatWrongCheckDigits,
        }
    }
}

impl From<crate::domain::email::EmailError> for FieldProblem {
    fn from(error: crate::domain::email::EmailError) -> Self {
        use crate::domain::email::EmailError;
        match error {
            EmailError::Empty => FieldProblem::EmailEmpty,
            EmailError::Malformed => FieldProblem::EmailMalformed,
            EmailError::TooLong => FieldProblem::EmailTooLong,
        }
    }
}

impl From<crate::domain::email::MailError> for AppError {
    fn from(error: crate::domain::email::MailError) -> Self {
        use crate::domain::email::MailError;
        match error {
            MailError::To(e) => AppError::invalid("to", e.into()),
            MailError::SubjectRequired => AppError::invalid("subject", FieldProblem::TextRequired),
            MailError::SubjectTooLong => AppError::invalid("subject", FieldProblem::TextTooLong),
            MailError::BodyTooLong => AppError::invalid("body", FieldProblem::TextTooLong),
        }
    }
}

impl From<crate::domain::display_name::DisplayNameError> for FieldProblem {
    fn from(error: crate::domain::display_name::DisplayNameError) -> Self {
        use crate::domain::display_name::DisplayNameError;
        match error {
            DisplayNameError::Empty => FieldProblem::NameEmpty,
            DisplayNameError::TooLong => FieldProblem::NameTooLong,
        }
    }
}

impl From<crate::domain::password::PasswordError> for FieldProblem {
    fn from(error: crate::domain::password::PasswordError) -> Self {
        use crate::domain::password::PasswordError;
        match error {
            PasswordError::TooShort => FieldProblem::PasswordTooShort,
            PasswordError::TooLong => FieldProblem::PasswordTooLong,
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }

    /// Turns a constraint violation into a user error, leaving other errors as they are.
    pub trait OnConstraint<T> {
        fn on_constraint(self, name: &str, error: impl FnOnce() -> AppError)
            -> Result<T, AppError>;
    }

    impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
        fn on_constraint(
            self,
            name: &str,
            error: impl FnOnce() -> AppError,
        ) -> Result<T, AppError> {
            self.map_err(|e| match &e {
                sqlx::Error::Database(db) if db.constraint() == Some(name) => error(),
                _ => AppError::from(e),
            })
        }
    }

    /// File, export and middleware answers: the same JSON body a server function sends, so
    /// the browser shows the translated message, with the error's status.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = http::StatusCode::from_u16(self.status_code())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (status, axum::Json(self)).into_response()
        }
    }

    /// Sets the response status for a failed server function, so that HTTP clients and
    /// tests see 401/403/422… and not a generic 500; and writes a refusal's message in the
    /// caller's language (the language cookie, else the browser's), which the browser shows.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        result.map_err(|error| {
            if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
                    response.set_status(status);
                }
            }
            error.translated(caller_locale())
        })
    }

    /// The language of the request being answered: its language cookie (which the server
    /// sets for a signed-in user), else the browser's languages, else English.
    pub fn caller_locale() -> crate::i18n::Locale {
        leptos_i18n::locale::resolve_locale::<crate::i18n::Locale>()
    }
}

#[cfg(feature = "ssr")]
pub use server::{caller_locale, respond, OnConstraint};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_survive_the_trip_to_the_browser() {
        let error = AppError::invalid("email", FieldProblem::EmailTaken);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        assert_eq!(error.status_code(), 422);
        assert_eq!(error.field(), Some("email"));
    }

    #[test]
    fn a_refusal_carries_its_message_in_the_callers_language() {
        use crate::i18n::Locale;
        let error = AppError::invalid("email", FieldProblem::EmailTaken).translated(Locale::nl);
        let AppError::Invalid { message, .. } = &error else {
            panic!("still a refusal")
        };
        assert_eq!(
            *message,
            field_problem_text(Locale::nl, FieldProblem::EmailTaken)
        );
        assert_ne!(
            *message,
            field_problem_text(Locale::en, FieldProblem::EmailTaken)
        );
        // Written once: a message already there stays, and it reaches the browser.
        assert_eq!(error.clone().translated(Locale::en), error);
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        // Other errors carry no text.
        assert_eq!(
            AppError::Conflict.translated(Locale::nl),
            AppError::Conflict
        );
    }
}
