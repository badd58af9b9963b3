//! The life of a quote: draft → sent → sales order (confirmed), or cancelled. A sent quote can
//! go back to draft; a cancelled one can be taken up again as a draft. A sales order is
//! read-only. "Expired" is not a stored state: a draft or sent quote whose validity date has
//! passed shows as expired and can no longer be confirmed (extend the validity first).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteState {
    Draft,
    Sent,
    /// Confirmed: a sales order.
    Sale,
    Cancelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    /// Sending it by e-mail (or marking it sent).
    Send,
    BackToDraft,
    Confirm,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum QuoteStateError {
    #[error("this step is not possible in the quote's state")]
    NotAllowed,
    #[error("the quote has expired")]
    Expired,
    #[error("a sales order cannot be changed")]
    ReadOnly,
    #[error("a quote without lines cannot be sent or confirmed")]
    Empty,
}

impl QuoteState {
    pub const ALL: [QuoteState; 4] = [
        QuoteState::Draft,
        QuoteState::Sent,
        QuoteState::Sale,
        QuoteState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuoteState::Draft => "draft",
            QuoteState::Sent => "sent",
            QuoteState::Sale => "sale",
            QuoteState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<QuoteState> {
        QuoteState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Lines, customer and dates may be changed.
    pub fn editable(self) -> bool {
        matches!(self, QuoteState::Draft | QuoteState::Sent)
    }
}

/// What a quote shows as its status: its state, or "expired" for an open quote past its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    Draft,
    Sent,
    Expired,
    Sale,
    Cancelled,
}

impl QuoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Expired => "expired",
            QuoteStatus::Sale => "sale",
            QuoteStatus::Cancelled => "cancelled",
        }
    }
}

/// An open quote whose validity date is before `today` has expired.
pub fn is_expired(state: QuoteState, valid_until: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(state, QuoteState::Draft | QuoteState::Sent)
        && valid_until.is_some_and(|until| until < today)
}

pub fn status(state: QuoteState, valid_until: Option<NaiveDate>, today: NaiveDate) -> QuoteStatus {
    if is_expired(state, valid_until, today) {
        return QuoteStatus::Expired;
    }
    match state {
        QuoteState::Draft => QuoteStatus::Draft,
        QuoteState::Sent => QuoteStatus::Sent,
        QuoteState::Sale => QuoteStatus::Sale,
        QuoteState::Cancelled => QuoteStatus::Cancelled,
    }
}

/// The state after `action`. `expired` is `is_expired` for today; `has_lines` whether the
/// quote has at least one priced line.
pub fn apply(
    state: QuoteState,
    action: QuoteAction,
    expired: bool,
    has_lines: bool,
) -> Result<QuoteState, QuoteStateError> {
    use QuoteAction::*;
    use QuoteState::*;
    match (state, action) {
        // The order confirmation may be e-mailed; the order stays an order.
        (Sale, Send) => Ok(Sale),
        (Sale, _) => Err(QuoteStateError::ReadOnly),
        (Draft | Sent, Send | Confirm) if !has_lines => Err(QuoteStateError::Empty),
        (Draft | Sent, Confirm) if expired => Err(QuoteStateError::Expired),
        (Draft | Sent, Send) => Ok(Sent),
        (Draft | Sent, Confirm) => Ok(Sale),
        (Draft | Sent, Cancel) => Ok(Cancelled),
        (Sent | Cancelled, BackToDraft) => Ok(Draft),
        (Draft, BackToDraft) | (Cancelled, Send | Confirm | Cancel) => {
            Err(QuoteStateError::NotAllowed)
        }
    }
}

/// The actions the quote page offers in this state (confirming an expired quote is offered
/// and refused with its reason, so the user learns why).
pub fn available(state: QuoteState) -> &'static [QuoteAction] {
    use QuoteAction::*;
    match state {
        QuoteState::Draft => &[Send, Confirm, Cancel],
        QuoteState::Sent => &[Send, Confirm, BackToDraft, Cancel],
        QuoteState::Sale => &[Send],
        QuoteState::Cancelled => &[BackToDraft],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [QuoteAction; 4] = [
        QuoteAction::Send,
        QuoteAction::BackToDraft,
        QuoteAction::Confirm,
        QuoteAction::Cancel,
    ];

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn the_happy_path_ends_in_a_read_only_sales_order() {
        let sent = apply(QuoteState::Draft, QuoteAction::Send, false, true).unwrap();
        assert_eq!(sent, QuoteState::Sent);
        let order = apply(sent, QuoteAction::Confirm, false, true).unwrap();
        assert_eq!(order, QuoteState::Sale);
        assert!(!order.editable());
        for action in [
            QuoteAction::BackToDraft,
            QuoteAction::Confirm,
            QuoteAction::Cancel,
        ] {
            assert_eq!(
                apply(order, action, false, true),
                Err(QuoteStateError::ReadOnly)
            );
        }
        assert_eq!(
            apply(order, QuoteAction::Send, false, true),
            Ok(QuoteState::Sale)
        );
    }

    #[test]
    fn a_sent_or_cancelled_quote_goes_back_to_draft() {
        for from in [QuoteState::Sent, QuoteState::Cancelled] {
            assert_eq!(
                apply(from, QuoteAction::BackToDraft, false, true),
                Ok(QuoteState::Draft)
            );
        }
        assert_eq!(
            apply(QuoteState::Draft, QuoteAction::BackToDraft, false, true),
            Err(QuoteStateError::NotAllowed)
        );
    }

    #[test]
    fn expired_and_empty_quotes_are_not_confirmed() {
        for from in [QuoteState::Draft, QuoteState::Sent] {
            assert_eq!(
                apply(from, QuoteAction::Confirm, true, true),
                Err(QuoteStateError::Expired)
            );
            assert_eq!(
                apply(from, QuoteAction::Confirm, false, false),
                Err(QuoteStateError::Empty)
            );
            assert_eq!(
                apply(from, QuoteAction::Send, false, false),
                Err(QuoteStateError::Empty)
            );
            // An expired quote may still be cancelled, or sent again with a new date.
            assert_eq!(
                apply(from, QuoteAction::Cancel, true, true),
                Ok(QuoteState::Cancelled)
            );
        }
        assert_eq!(
            apply(QuoteState::Cancelled, QuoteAction::Confirm, false, true),
            Err(QuoteStateError::NotAllowed)
        );
    }

    #[test]
    fn every_offered_action_is_allowed_and_every_other_refused() {
        for state in QuoteState::ALL {
            for action in ACTIONS {
                let offered = available(state).contains(&action);
                assert_eq!(
                    apply(state, action, false, true).is_ok(),
                    offered,
                    "{state:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn expiry_counts_from_the_day_after_the_validity_date() {
        assert!(!is_expired(QuoteState::Sent, Some(day(20)), day(20)));
        assert!(is_expired(QuoteState::Sent, Some(day(20)), day(21)));
        assert!(!is_expired(QuoteState::Sale, Some(day(1)), day(21)));
        assert!(!is_expired(QuoteState::Draft, None, day(21)));
        assert_eq!(
            status(QuoteState::Draft, Some(day(1)), day(2)),
            QuoteStatus::Expired
        );
        assert_eq!(
            status(QuoteState::Cancelled, Some(day(1)), day(2)),
            QuoteStatus::Cancelled
        );
        for state in QuoteState::ALL {
            assert_eq!(QuoteState::parse(state.as_str()), Some(state));
        }
    }
}
