//! Labels of states that pages of several features show: a quote's state (on timelines,
//! deals and quotes) and why a message was not delivered (outbox, quotes, timelines).

use crate::domain::quote_state::QuoteState;
use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// A quote's state, as users read it.
pub fn quote_state_label(locale: Locale, state: QuoteState) -> &'static str {
    match state {
        QuoteState::Draft => td_string!(locale, quotes.status_draft),
        QuoteState::Sent => td_string!(locale, quotes.status_sent),
        QuoteState::Sale => td_string!(locale, quotes.status_sale),
        QuoteState::Cancelled => td_string!(locale, quotes.status_cancelled),
    }
}

/// Why a message was not delivered, as users are told. The mail server's own words (which
/// may name hosts, paths or accounts) stay in the server log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryFailure {
    Recipient,
    Server,
    Attachment,
    Message,
}

impl DeliveryFailure {
    pub const ALL: [DeliveryFailure; 4] = [
        DeliveryFailure::Recipient,
        DeliveryFailure::Server,
        DeliveryFailure::Attachment,
        DeliveryFailure::Message,
    ];

    /// What is stored in `last_error`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryFailure::Recipient => "recipient",
            DeliveryFailure::Server => "server",
            DeliveryFailure::Attachment => "attachment",
            DeliveryFailure::Message => "message",
        }
    }

    /// A stored failure; text stored before failures had codes reads as a server failure.
    pub fn from_stored(text: &str) -> DeliveryFailure {
        DeliveryFailure::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .unwrap_or(DeliveryFailure::Server)
    }

    pub fn text(self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            DeliveryFailure::Recipient => td_string!(locale, outbox.failure_recipient),
            DeliveryFailure::Server => td_string!(locale, outbox.failure_server),
            DeliveryFailure::Attachment => td_string!(locale, outbox.failure_attachment),
            DeliveryFailure::Message => td_string!(locale, outbox.failure_message),
        }
        .to_string()
    }
}
