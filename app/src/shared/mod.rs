//! The few pieces several features share: references to records (a user, a deal, a record
//! kind and its page), labels of states shown across features, resolving and offering those
//! references, and reading the dates of answers. Small on purpose: what belongs to one feature stays in it.

pub mod api;
pub mod dates;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod labels;
pub mod refs;

pub use labels::{quote_state_label, DeliveryFailure};
pub use refs::{OpportunityRef, RecordKind, UserRef};
