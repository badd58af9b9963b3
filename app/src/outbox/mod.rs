//! The e-mail outbox: messages are written in the transaction that decides to send them and
//! delivered by a background sender (SMTP when configured), retried with backoff. Without a
//! mail server they stay pending, and the Outbox page shows them with their attachment, so
//! nothing is lost in development.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod ui;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Attempts before a message is given up as failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// Minutes to wait after the `attempts`-th failure: 1, 2, 4, 8, 16… (capped at a day).
pub fn backoff_minutes(attempts: i32) -> i64 {
    let exponent = attempts.clamp(1, 11) - 1;
    (1i64 << exponent).min(24 * 60)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Sent,
    Failed,
}

impl OutboxStatus {
    pub fn parse(text: &str) -> OutboxStatus {
        match text {
            "sent" => OutboxStatus::Sent,
            "failed" => OutboxStatus::Failed,
            _ => OutboxStatus::Pending,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: Option<String>,
    pub quote: Option<(Uuid, String)>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The Outbox page: recent messages, and whether a mail server is configured at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub messages: Vec<OutboxMessage>,
    pub delivering: bool,
}

pub fn attachment_href(id: Uuid) -> String {
    format!("/files/outbox/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let waits: Vec<i64> = (1..=6).map(backoff_minutes).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32]);
        assert_eq!(backoff_minutes(40), 1024);
        assert!(backoff_minutes(40) <= 24 * 60);
    }
}
