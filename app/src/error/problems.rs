//! What each refused field says, in every language. The server writes it into the errors it
//! answers with; the browser reads it there (or names the one message a check of its own
//! may show), so the table never reaches the browser's first load.

use super::FieldProblem;
use crate::i18n::{td_string, Locale};

/// The message of a refused field in `locale`.
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
        FieldProblem::AmountNegative => td_string!(locale, fields.amount_negative),
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
        FieldProblem::CurrencyUnknown => td_string!(locale, fields.currency_unknown),
        FieldProblem::ReferenceTaken => td_string!(locale, fields.reference_taken),
        FieldProblem::RateOutOfRange => td_string!(locale, fields.rate_out_of_range),
        FieldProblem::QuoteExpired => td_string!(locale, fields.quote_expired),
        FieldProblem::SalesOrderReadOnly => td_string!(locale, fields.sales_order_read_only),
        FieldProblem::QuoteEmpty => td_string!(locale, fields.quote_empty),
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
        FieldProblem::TextTooLong
        | FieldProblem::AmountMalformed
        | FieldProblem::AmountTooLarge
        | FieldProblem::TextRequired
        | FieldProblem::TaxUnknown
        | FieldProblem::QuantityNegative
        | FieldProblem::PriceNegative
        | FieldProblem::DiscountOutOfRange
        | FieldProblem::ValueRequired
        | FieldProblem::OptionRequired
        | FieldProblem::OptionTooMany
        | FieldProblem::OptionUnknown
        | FieldProblem::AmountNotPositive => line_problem_text(locale, problem).unwrap_or_default(),
    };
    text.to_string()
}

/// The messages of a line's numbers, options and texts: the only ones a check the browser
/// makes itself (a quote line, a task from the catalogue) may show, so that its dialog
/// carries these few and not the whole table.
pub fn line_problem_text(locale: Locale, problem: FieldProblem) -> Option<&'static str> {
    Some(match problem {
        FieldProblem::TextTooLong => td_string!(locale, fields.text_too_long),
        FieldProblem::AmountMalformed => td_string!(locale, fields.amount_malformed),
        FieldProblem::AmountTooLarge => td_string!(locale, fields.amount_too_large),
        FieldProblem::TextRequired => td_string!(locale, fields.text_required),
        FieldProblem::TaxUnknown => td_string!(locale, fields.tax_unknown),
        FieldProblem::QuantityNegative => td_string!(locale, fields.quantity_negative),
        FieldProblem::PriceNegative => td_string!(locale, fields.price_negative),
        FieldProblem::DiscountOutOfRange => td_string!(locale, fields.discount_out_of_range),
        FieldProblem::ValueRequired => td_string!(locale, fields.value_required),
        FieldProblem::OptionRequired => td_string!(locale, fields.option_required),
        FieldProblem::OptionTooMany => td_string!(locale, fields.option_too_many),
        FieldProblem::OptionUnknown => td_string!(locale, fields.option_unknown),
        FieldProblem::AmountNotPositive => td_string!(locale, fields.amount_not_positive),
        _ => return None,
    })
}
