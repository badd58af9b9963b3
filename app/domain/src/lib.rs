//! Pure business rules shared by the browser and the server: no I/O, no database, no
//! Leptos. A crate of its own, so the compiler keeps it that way. The browser may run them
//! for instant feedback; the server always runs them again.

pub mod activity;
pub mod catalogue;
pub mod clock;
pub mod contact;
pub mod country;
pub mod day;
pub mod display_name;
pub mod document;
pub mod email;
pub mod form;
pub mod invoice;
pub mod language;
pub mod money;
pub mod opportunity;
pub mod password;
pub mod payment_reference;
pub mod phone;
pub mod pivot;
pub mod policy;
pub mod project;
pub mod project_access;
pub mod project_mail;
pub mod project_state;
pub mod quote;
pub mod quote_state;
pub mod role;
pub mod spreadsheet;
pub mod task_state;
pub mod throttle;
pub mod vat;
pub mod view_filter;

pub use clock::Clock;
pub use contact::{ContactDraft, ContactInput, ContactKind};
pub use country::CountryCode;
pub use display_name::DisplayName;
pub use email::Email;
pub use language::Language;
pub use money::{Currency, CurrencySums, Money};
pub use password::Password;
pub use phone::Phone;
pub use project::{Priority, ProjectDraft, ProjectInput, TaskDraft, TaskInput};
pub use project_access::{Permission, ProjectOp};
pub use project_state::ProjectState;
pub use role::Role;
pub use task_state::{TaskAction, TaskStatus};
pub use vat::VatNumber;
pub use view_filter::FilterError;
