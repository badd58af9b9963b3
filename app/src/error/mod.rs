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

/// Declares `FieldProblem` with each variant's name on the wire (serde's snake case of it):
/// a table of names instead of a match per variant, so that reading any of them costs the
/// browser's first load a few hundred bytes rather than kilobytes of generated code.
macro_rules! field_problems {
    ($($(#[$meta:meta])* $variant:ident = $name:literal,)*) => {
        /// Why a field was refused; each is a translated message, named on the wire and in
        /// logs by its snake-case name (`email_empty`).
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub enum FieldProblem {
            $($(#[$meta])* $variant,)*
        }

        impl FieldProblem {
            const ALL: &[FieldProblem] = &[$(FieldProblem::$variant,)*];
            const NAMES: &[&str] = &[$($name,)*];
        }
    };
}

field_problems! {
    EmailEmpty = "email_empty",
    EmailMalformed = "email_malformed",
    EmailTooLong = "email_too_long",
    EmailTaken = "email_taken",
    PasswordTooShort = "password_too_short",
    PasswordTooLong = "password_too_long",
    PasswordMismatch = "password_mismatch",
    PasswordWrong = "password_wrong",
    NameEmpty = "name_empty",
    NameTooLong = "name_too_long",
    RoleUnknown = "role_unknown",
    LanguageUnknown = "language_unknown",
    NotYourself = "not_yourself",
    PhoneMalformed = "phone_malformed",
    PhoneWrongLength = "phone_wrong_length",
    CountryUnknown = "country_unknown",
    VatNoCountryPrefix = "vat_no_country_prefix",
    VatWrongFormat = "vat_wrong_format",
    VatWrongCheckDigits = "vat_wrong_check_digits",
    WebsiteMalformed = "website_malformed",
    TagTooLong = "tag_too_long",
    TooManyValues = "too_many_values",
    TextTooLong = "text_too_long",
    KindUnknown = "kind_unknown",
    CompanyUnknown = "company_unknown",
    CompanyAmbiguous = "company_ambiguous",
    OwnerUnknown = "owner_unknown",
    MergeSameRecord = "merge_same_record",
    MergeDifferentKinds = "merge_different_kinds",
    ImportEmpty = "import_empty",
    ImportNotUtf8 = "import_not_utf8",
    ImportMalformed = "import_malformed",
    ImportTooLarge = "import_too_large",
    ImportNoNameColumn = "import_no_name_column",
    ImportRejected = "import_rejected",
    TitleEmpty = "title_empty",
    TitleTooLong = "title_too_long",
    DateMalformed = "date_malformed",
    EndBeforeStart = "end_before_start",
    AmountMalformed = "amount_malformed",
    AmountNegative = "amount_negative",
    AmountTooLarge = "amount_too_large",
    HoursNotPositive = "hours_not_positive",
    PriorityUnknown = "priority_unknown",
    StateNotAllowed = "state_not_allowed",
    ActionNotAllowed = "action_not_allowed",
    ActionNotYours = "action_not_yours",
    CommentRequired = "comment_required",
    DeadlineNotYours = "deadline_not_yours",
    ContactUnknown = "contact_unknown",
    ContactAmbiguous = "contact_ambiguous",
    UserUnknown = "user_unknown",
    PermissionUnknown = "permission_unknown",
    ContactRoleUnknown = "contact_role_unknown",
    DocumentKindUnknown = "document_kind_unknown",
    FileEmpty = "file_empty",
    FileTooLarge = "file_too_large",
    FileTypeRefused = "file_type_refused",
    TimerNotRunning = "timer_not_running",
    NotOpen = "not_open",
    NotClosed = "not_closed",
    LostReasonRequired = "lost_reason_required",
    LostCannotMove = "lost_cannot_move",
    ProbabilityOutOfRange = "probability_out_of_range",
    StarsOutOfRange = "stars_out_of_range",
    StageUnknown = "stage_unknown",
    ActivityTypeRequired = "activity_type_required",
    DueRequired = "due_required",
    ActivityTypeUnknown = "activity_type_unknown",
    AlreadyDone = "already_done",
    NameRequired = "name_required",
    TextRequired = "text_required",
    CurrencyUnknown = "currency_unknown",
    ReferenceTaken = "reference_taken",
    TaxUnknown = "tax_unknown",
    RateOutOfRange = "rate_out_of_range",
    QuantityNegative = "quantity_negative",
    PriceNegative = "price_negative",
    DiscountOutOfRange = "discount_out_of_range",
    ValueRequired = "value_required",
    QuoteExpired = "quote_expired",
    SalesOrderReadOnly = "sales_order_read_only",
    QuoteEmpty = "quote_empty",
    OptionRequired = "option_required",
    OptionTooMany = "option_too_many",
    OptionUnknown = "option_unknown",
    ProductUnknown = "product_unknown",
    CurrencyMismatch = "currency_mismatch",
    ValidityBeforeDate = "validity_before_date",
    /// The assignee is not a project member, and the caller may not add members.
    AssigneeNotMember = "assignee_not_member",
    /// The assignee is not a project member; the caller may add them after confirming.
    AssigneeNeedsMembership = "assignee_needs_membership",
    ImportAlreadyDone = "import_already_done",
    CustomerRequired = "customer_required",
    TasksRequired = "tasks_required",
    TaskAlreadyInvoiced = "task_already_invoiced",
    NoHourlyRate = "no_hourly_rate",
    NothingToInvoice = "nothing_to_invoice",
    DeductionsTooLarge = "deductions_too_large",
    NoSalesOrder = "no_sales_order",
    InvoiceEmpty = "invoice_empty",
    TermsOutOfRange = "terms_out_of_range",
    AmountNotPositive = "amount_not_positive",
    Overpayment = "overpayment",
    PaymentInFuture = "payment_in_future",
    CreditTooLarge = "credit_too_large",
    NothingToCredit = "nothing_to_credit",
    NotLocked = "not_locked",
    IbanInvalid = "iban_invalid",
    BicInvalid = "bic_invalid",
    MergeSameProject = "merge_same_project",
    MergeLocked = "merge_locked",
    MergeCurrency = "merge_currency",
    MergeNotAdmin = "merge_not_admin",
    MergeClosed = "merge_closed",
    /// A mail template uses a placeholder its kind of e-mail does not know.
    PlaceholderUnknown = "placeholder_unknown",
}

impl FieldProblem {
    /// The name it goes by in JSON, in logs and in `Display`.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl Serialize for FieldProblem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for FieldProblem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Self::NAMES
            .iter()
            .position(|known| *known == name)
            .map(|at| Self::ALL[at])
            .ok_or_else(|| serde::de::Error::unknown_variant(&name, Self::NAMES))
    }
}

impl std::fmt::Debug for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
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
    fn every_field_problem_goes_by_its_own_name_and_comes_back() {
        let mut names = std::collections::HashSet::new();
        for (at, problem) in FieldProblem::ALL.iter().enumerate() {
            assert_eq!(*problem as usize, at);
            assert!(names.insert(problem.name()), "{problem} named twice");
            let json = serde_json::to_string(problem).unwrap();
            assert_eq!(json, format!("\"{}\"", problem.name()));
            assert_eq!(
                serde_json::from_str::<FieldProblem>(&json).unwrap(),
                *problem
            );
        }
        assert_eq!(
            FieldProblem::VatNoCountryPrefix.name(),
            "vat_no_country_prefix"
        );
        assert_eq!(FieldProblem::ImportNotUtf8.to_string(), "import_not_utf8");
        assert!(serde_json::from_str::<FieldProblem>("\"no_such_problem\"").is_err());
    }

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
