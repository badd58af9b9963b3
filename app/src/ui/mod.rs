//! The design system: a few consistent, accessible building blocks every page uses.

mod browser;
mod changes;
mod date;
mod dialog;
mod drag;
mod errors;
mod feedback;
mod form;
mod icon;
mod keep_typed;
mod layout;
mod menu;
mod navigation;
mod record;
mod session;
mod view_switcher;

pub use browser::InBrowser;
pub use changes::{use_changes, Changes};
pub use date::{shown_date, DateInput};
pub use dialog::Dialog;
pub use drag::{use_pointer_drag, Dragging, PointerDrag};
pub use errors::{action_error, use_field_errors, FieldErrors};
pub use feedback::{
    error_text, provide_toasts, use_toasts, EmptyState, ErrorAlert, ToastQueue, Toasts,
};
pub use form::{form_error, Field, SelectField, Submitted};
pub use icon::{Icon, IconName};
pub use keep_typed::{kept, kept_checked, Kept};
pub use layout::{NotFound, PageHeader};
pub use menu::use_menu_behaviour;
pub use navigation::use_go_to;
pub use record::RecordPage;
pub use session::{
    provide_session_facts, use_clock, use_manages_users, use_may, use_me, UserResource,
};
pub use view_switcher::{use_shown, ViewChoice, ViewSwitcher};
