//! The design system: a few consistent, accessible building blocks every page uses.

mod dialog;
mod feedback;
mod form;
mod icon;
mod layout;
mod navigation;
mod record;
mod session;

pub use dialog::Dialog;
pub use feedback::{
    error_text, field_problem_text, provide_toasts, use_toasts, EmptyState, ErrorAlert, ToastQueue,
    Toasts,
};
pub use form::{field_error, form_error, Field, SelectField};
pub use icon::{Icon, IconName};
pub use layout::{AppShell, NotFound, PageHeader};
pub use navigation::use_go_to;
pub use record::RecordPage;
pub use session::{provide_session_facts, use_clock, use_manages_users, use_me};
