//! Who may do what: the whole authorisation policy as data.
//!
//! Every server function and file route is listed in [`ENDPOINTS`] with the [`Operation`] it
//! performs. A company-wide operation is decided by the caller's role alone ([`ROLES`]); a
//! project operation by the role and the caller's permission on that project
//! (`project_access`); a record operation by the record's own rules (a task's assignee, the
//! record an activity is on). The HTTP layer refuses what the role alone forbids before a
//! server function runs, and every server function asks the same table again. An endpoint
//! missing here is refused, and a test walks every endpoint as every role.

use super::project_access::{self, Permission, ProjectOp};
use super::{ProjectState, Role};

/// What a request does, as far as permission goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Open to visitors: signing in, and asking whether one is signed in.
    Public,
    /// Anything a signed-in user does with their own things (account, saved views, their
    /// own tasks and activities) or may look up (user names, the catalogue).
    SignedIn,
    /// Decided per record by its own rules (a task, an activity and the record it is on,
    /// an outbox message), after the caller is known to be signed in.
    Record,
    Company(CompanyOp),
    /// On one project: the role and the caller's permission on it decide.
    Project(ProjectOp),
}

/// The company-wide operations, each decided by the role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompanyOp {
    ContactsRead,
    ContactsCreate,
    /// Edit, archive, tag, assign an owner, import (which updates matched contacts).
    ContactsEdit,
    /// Delete and merge: a contact may be the customer of a confirmed sales order.
    ContactsDelete,
    CrmView,
    CrmEdit,
    /// Pipelines, stages, lost reasons, activity types; the catalogue and taxes.
    CrmConfigure,
    CreateProjects,
    ManageUsers,
    /// Read invoices, credit notes and payments.
    InvoicesView,
    /// Make, issue, send and credit invoices; register payments.
    Invoice,
    /// Unlock a completed project (which deletes the draft invoice made at completion).
    UnlockProjects,
    /// Edit the standard texts of the project e-mails (appointment confirmation, status update).
    EditMailTemplates,
}

use CompanyOp::*;

/// Role × company operation → allowed, in the order Admin, Manager, Sales, Employee.
pub const ROLES: &[(CompanyOp, [bool; 4])] = &[
    //                  Admin  Manager Sales  Employee
    (ContactsRead, [true, true, true, true]),
    (ContactsCreate, [true, true, true, true]),
    (ContactsEdit, [true, true, true, false]),
    (ContactsDelete, [true, true, false, false]),
    (CrmView, [true, true, true, true]),
    (CrmEdit, [true, true, true, false]),
    (CrmConfigure, [true, true, false, false]),
    (CreateProjects, [true, true, true, false]),
    (ManageUsers, [true, false, false, false]),
    (InvoicesView, [true, true, true, false]),
    (Invoice, [true, true, false, false]),
    (UnlockProjects, [true, true, false, false]),
    (EditMailTemplates, [true, false, false, false]),
];

fn column(role: Role) -> usize {
    match role {
        Role::Admin => 0,
        Role::Manager => 1,
        Role::Sales => 2,
        Role::Employee => 3,
    }
}

/// Whether `role` may do the company-wide `op`.
pub fn role_allows(role: Role, op: CompanyOp) -> bool {
    ROLES
        .iter()
        .find(|(row, _)| *row == op)
        .is_some_and(|(_, allowed)| allowed[column(role)])
}

/// The answer of the table for a signed-in caller (`None` for a visitor). For a project
/// operation, `membership` is the caller's permission on the project and `state` its state.
pub fn allows(
    role: Option<Role>,
    membership: Option<Permission>,
    state: ProjectState,
    op: Operation,
) -> bool {
    match (op, role) {
        (Operation::Public, _) => true,
        (_, None) => false,
        (Operation::SignedIn | Operation::Record, Some(_)) => true,
        (Operation::Company(op), Some(role)) => role_allows(role, op),
        (Operation::Project(op), Some(role)) => {
            project_access::check(project_access::effective(role, membership), state, op).is_ok()
        }
    }
}

/// What the role alone says before the record is known: a company operation is decided;
/// any other operation needs a signed-in caller, and its record decides the rest.
pub fn gate(role: Option<Role>, op: Operation) -> Gate {
    match (op, role) {
        (Operation::Public, _) => Gate::Open,
        (_, None) => Gate::SignIn,
        (Operation::Company(op), Some(role)) if !role_allows(role, op) => Gate::Refused,
        _ => Gate::Open,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// 401: sign in first.
    SignIn,
    /// 403: this role may not.
    Refused,
}

use Operation::{Company, Project, Public, Record, SignedIn};

/// Every server function (by endpoint, below `/api/`) and file route (by its first path
/// segments), with what it does.
pub const ENDPOINTS: &[(&str, Operation)] = &[
    ("auth/sign_in", Public),
    ("auth/current_user", Public),
    ("auth/sign_out", Public),
    ("account/change_language", SignedIn),
    ("account/change_password", SignedIn),
    ("account/time_zone", SignedIn),
    ("users/list", Company(ManageUsers)),
    ("users/create", Company(ManageUsers)),
    ("users/update", Company(ManageUsers)),
    ("users/count_active", SignedIn),
    ("users/options", SignedIn),
    ("dashboard/load", SignedIn),
    ("views/count", SignedIn),
    ("views/page", SignedIn),
    ("views/pivot", SignedIn),
    ("views/save", SignedIn),
    ("views/delete", SignedIn),
    ("views/preferences", SignedIn),
    ("views/set_columns", SignedIn),
    ("views/set_default", SignedIn),
    ("contacts/get", Company(ContactsRead)),
    ("contacts/companies", Company(ContactsRead)),
    ("contacts/search", Company(ContactsRead)),
    ("contacts/duplicates", Company(ContactsRead)),
    ("contacts/create", Company(ContactsCreate)),
    ("contacts/update", Company(ContactsEdit)),
    ("contacts/archive", Company(ContactsEdit)),
    ("contacts/tag", Company(ContactsEdit)),
    ("contacts/assign_owner", Company(ContactsEdit)),
    ("contacts/import/upload", Company(ContactsEdit)),
    ("contacts/import/preview", Company(ContactsEdit)),
    ("contacts/import/run", Company(ContactsEdit)),
    ("contacts/delete", Company(ContactsDelete)),
    ("contacts/merge", Company(ContactsDelete)),
    ("activities/types", SignedIn),
    ("activities/mine", SignedIn),
    ("activities/between", SignedIn),
    ("activities/counts", SignedIn),
    ("activities/of_record", Record),
    ("activities/schedule", Record),
    ("activities/update", Record),
    ("activities/done", Record),
    ("activities/cancel", Record),
    ("timeline/page", Record),
    ("timeline/note", Record),
    ("outbox/page", Record),
    ("outbox/retry", Record),
    ("projects/create", Company(CreateProjects)),
    ("projects/of_customer", SignedIn),
    ("projects/get", Project(ProjectOp::View)),
    ("projects/update", Project(ProjectOp::EditDetails)),
    ("projects/assign_customer", Project(ProjectOp::EditDetails)),
    ("projects/set_state", Project(ProjectOp::ChangeState)),
    ("projects/add_member", Project(ProjectOp::ManageMembers)),
    ("projects/remove_member", Project(ProjectOp::ManageMembers)),
    ("projects/add_contact", Project(ProjectOp::ManageContacts)),
    (
        "projects/remove_contact",
        Project(ProjectOp::ManageContacts),
    ),
    (
        "projects/documents/upload",
        Project(ProjectOp::ManageDocuments),
    ),
    (
        "projects/documents/delete",
        Project(ProjectOp::ManageDocuments),
    ),
    (
        "projects/documents/set_dates",
        Project(ProjectOp::ManageDocuments),
    ),
    ("projects/mail/prepare", Project(ProjectOp::ManageContacts)),
    ("projects/mail/send", Project(ProjectOp::ManageContacts)),
    ("projects/mail/templates", Company(EditMailTemplates)),
    ("projects/mail/templates/save", Company(EditMailTemplates)),
    ("projects/mail/templates/reset", Company(EditMailTemplates)),
    ("tasks/create", Record),
    ("tasks/get", Record),
    ("tasks/update", Record),
    ("tasks/set_dates", Record),
    ("tasks/act", Record),
    ("tasks/move_to_status", Record),
    ("tasks/reorder", Project(ProjectOp::WorkOnTasks)),
    ("tasks/checklist", Record),
    ("tasks/log_time", Record),
    ("tasks/delete_time", Record),
    ("tasks/time_entry_task", Record),
    ("tasks/timer_start", Record),
    ("tasks/timer_stop", Record),
    ("tasks/dismiss_reminder", Record),
    ("tasks/mine", SignedIn),
    ("tasks/counts", SignedIn),
    ("crm/board", Company(CrmView)),
    ("crm/column", Company(CrmView)),
    ("crm/get", Company(CrmView)),
    ("crm/card", Company(CrmView)),
    ("crm/closing", Company(CrmView)),
    ("crm/choices", Company(CrmView)),
    ("crm/settings", Company(CrmView)),
    ("crm/create", Company(CrmEdit)),
    ("crm/update", Company(CrmEdit)),
    ("crm/move", Company(CrmEdit)),
    ("crm/act", Company(CrmEdit)),
    ("crm/create_task", Company(CrmEdit)),
    ("crm/settings/change", Company(CrmConfigure)),
    ("crm/settings/close_tasks", Company(CrmConfigure)),
    ("products/catalogue", SignedIn),
    ("products/page", SignedIn),
    ("products/get", SignedIn),
    ("products/save", Company(CrmConfigure)),
    ("products/tax", Company(CrmConfigure)),
    ("products/for_project", Project(ProjectOp::WorkOnTasks)),
    ("products/add_to_project", Project(ProjectOp::WorkOnTasks)),
    ("quotes/get", Company(CrmView)),
    ("quotes/email", Company(CrmView)),
    ("quotes/kanban", Company(CrmView)),
    ("quotes/between", Company(CrmView)),
    ("quotes/of", Company(CrmView)),
    ("quotes/create", Company(CrmEdit)),
    ("quotes/save", Company(CrmEdit)),
    ("quotes/act", Company(CrmEdit)),
    ("quotes/send", Company(CrmEdit)),
    ("quotes/confirm", Company(CrmEdit)),
    ("invoices/get", Company(InvoicesView)),
    ("invoices/of_project", Project(ProjectOp::View)),
    ("invoices/of_customer", SignedIn),
    ("invoices/settings", Company(Invoice)),
    ("invoices/contact_billing", Company(InvoicesView)),
    ("invoices/contact_billing/save", Company(Invoice)),
    ("invoices/settings/save", Company(Invoice)),
    ("invoices/invoice_tasks", Company(Invoice)),
    ("invoices/down_payment", Company(Invoice)),
    ("invoices/final_invoice", Company(Invoice)),
    ("invoices/save_draft", Company(Invoice)),
    ("invoices/remove_line", Company(Invoice)),
    ("invoices/delete", Company(Invoice)),
    ("invoices/issue", Company(Invoice)),
    ("invoices/credit", Company(Invoice)),
    ("invoices/pay", Company(Invoice)),
    ("invoices/email", Company(Invoice)),
    ("invoices/send", Company(Invoice)),
    ("invoices/complete_project", Project(ProjectOp::ChangeState)),
    ("invoices/unlock_project", Company(UnlockProjects)),
    ("invoices/merge_targets", Project(ProjectOp::ManageMembers)),
    ("invoices/merge_preview", Project(ProjectOp::ManageMembers)),
    ("invoices/merge", Project(ProjectOp::ManageMembers)),
    // File routes.
    ("export", SignedIn),
    ("export/import-errors", Company(ContactsEdit)),
    ("files/documents", Project(ProjectOp::View)),
    ("files/outbox", Record),
    ("files/quotes", Company(CrmView)),
    ("files/invoices", Company(InvoicesView)),
];

/// The operation of a server function endpoint or file route, `None` when it is not in the
/// table (and so refused).
pub fn operation_of(endpoint: &str) -> Option<Operation> {
    ENDPOINTS
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, op)| *op)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_company_operation_has_one_row() {
        let all = [
            ContactsRead,
            ContactsCreate,
            ContactsEdit,
            ContactsDelete,
            CrmView,
            CrmEdit,
            CrmConfigure,
            CreateProjects,
            ManageUsers,
            InvoicesView,
            Invoice,
            UnlockProjects,
            EditMailTemplates,
        ];
        for op in all {
            assert_eq!(
                ROLES.iter().filter(|(row, _)| *row == op).count(),
                1,
                "{op:?}"
            );
        }
        assert_eq!(ROLES.len(), all.len());
    }

    #[test]
    fn endpoints_are_listed_once() {
        let mut names: Vec<&str> = ENDPOINTS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before);
    }

    #[test]
    fn contacts_are_read_by_all_and_deleted_by_managers() {
        assert!(role_allows(Role::Employee, ContactsRead));
        assert!(role_allows(Role::Employee, ContactsCreate));
        assert!(!role_allows(Role::Employee, ContactsEdit));
        assert!(role_allows(Role::Sales, ContactsEdit));
        assert!(!role_allows(Role::Sales, ContactsDelete));
        assert!(role_allows(Role::Manager, ContactsDelete));
        assert!(role_allows(Role::Admin, ContactsDelete));
    }

    #[test]
    fn visitors_get_only_public_operations() {
        for (name, op) in ENDPOINTS {
            let open = allows(None, None, ProjectState::InProgress, *op);
            assert_eq!(open, *op == Public, "{name}");
            assert_eq!(gate(None, *op) == Gate::SignIn, *op != Public, "{name}");
        }
    }

    #[test]
    fn project_operations_follow_the_membership() {
        let view = Project(ProjectOp::View);
        let members = Project(ProjectOp::ManageMembers);
        let open = ProjectState::InProgress;
        assert!(!allows(Some(Role::Employee), None, open, view));
        assert!(allows(
            Some(Role::Employee),
            Some(Permission::Limited),
            open,
            view
        ));
        assert!(!allows(
            Some(Role::Employee),
            Some(Permission::Limited),
            open,
            members
        ));
        assert!(allows(
            Some(Role::Employee),
            Some(Permission::Admin),
            open,
            members
        ));
        assert!(allows(Some(Role::Manager), None, open, members));
    }
}
