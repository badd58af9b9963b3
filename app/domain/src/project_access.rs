//! Who may do what on a project. Members hold a permission per project (Limited or Admin);
//! company admins and managers administer every project. A closed project refuses every new
//! action except reopening it. The server asks `check` in every project server function; the
//! UI asks the same function which buttons to show.

use super::{ProjectState, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Sees the client contacts, the admin information and the admin documents.
    Limited,
    /// Also changes them: contacts, documents, state, dates, budget, members.
    Admin,
}

impl Permission {
    pub const ALL: [Permission; 2] = [Permission::Limited, Permission::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Limited => "limited",
            Permission::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// What a user asks to do on one project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProjectOp {
    /// Open the project: its tasks, client contacts, admin information and documents.
    View,
    /// Title, description, customer, manager.
    EditDetails,
    ChangeState,
    /// Start, end and tender dates, estimated budget.
    EditAdminInfo,
    ManageContacts,
    ManageDocuments,
    ManageMembers,
    /// Add tasks, work on them, book time.
    WorkOnTasks,
}

impl ProjectOp {
    pub const ALL: [ProjectOp; 8] = [
        ProjectOp::View,
        ProjectOp::EditDetails,
        ProjectOp::ChangeState,
        ProjectOp::EditAdminInfo,
        ProjectOp::ManageContacts,
        ProjectOp::ManageDocuments,
        ProjectOp::ManageMembers,
        ProjectOp::WorkOnTasks,
    ];

    fn needs_admin(self) -> bool {
        !matches!(self, ProjectOp::View | ProjectOp::WorkOnTasks)
    }

    /// Allowed on a closed project: looking, and (for admins) reopening it.
    fn allowed_when_closed(self) -> bool {
        matches!(self, ProjectOp::View | ProjectOp::ChangeState)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    #[error("not a member of this project")]
    NotMember,
    #[error("needs the Admin permission on this project")]
    NeedsAdmin,
    #[error("the project is closed")]
    Closed,
    /// Completed and locked: read-only until a manager or admin unlocks it.
    #[error("the project is locked")]
    Locked,
}

/// The permission a user holds on a project: company admins and managers administer every
/// project; others have what their membership gives, if any.
pub fn effective(role: Role, membership: Option<Permission>) -> Option<Permission> {
    match role {
        Role::Admin | Role::Manager => Some(Permission::Admin),
        Role::Sales | Role::Employee => membership,
    }
}

/// Whether `op` is allowed for a user holding `permission` on a project standing as
/// `standing` (its state, and whether completing it locked it). A locked project is
/// read-only everywhere: only looking is allowed until it is unlocked.
pub fn check(
    permission: Option<Permission>,
    standing: impl Into<Standing>,
    op: ProjectOp,
) -> Result<(), Denied> {
    let standing = standing.into();
    let permission = permission.ok_or(Denied::NotMember)?;
    if op.needs_admin() && permission != Permission::Admin {
        return Err(Denied::NeedsAdmin);
    }
    if standing.locked && op != ProjectOp::View {
        return Err(Denied::Locked);
    }
    if !standing.state.accepts_actions() && !op.allowed_when_closed() {
        return Err(Denied::Closed);
    }
    Ok(())
}

/// Where a project stands: its state, and whether completing it locked it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub state: ProjectState,
    pub locked: bool,
}

impl Standing {
    /// Whether tasks, time entries, documents and contacts may be added or changed.
    pub fn accepts_actions(self) -> bool {
        self.state.accepts_actions() && !self.locked
    }

    /// Why it refuses actions, if it does.
    pub fn refusal(self) -> Option<Denied> {
        if self.locked {
            Some(Denied::Locked)
        } else if !self.state.accepts_actions() {
            Some(Denied::Closed)
        } else {
            None
        }
    }
}

impl From<ProjectState> for Standing {
    fn from(state: ProjectState) -> Standing {
        Standing {
            state,
            locked: false,
        }
    }
}

/// Who may start projects: everyone but employees, who work on them.
pub fn may_create_projects(role: Role) -> bool {
    super::policy::role_allows(role, super::policy::CompanyOp::CreateProjects)
}

/// A user's parts in one task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskParts {
    pub assignee: bool,
    pub creator: bool,
    pub participant: bool,
}

impl TaskParts {
    fn any(self) -> bool {
        self.assignee || self.creator || self.participant
    }
}

/// What a user may do with one task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskRights {
    pub view: bool,
    /// Title, description, assignee, participants, dates, hours, flags.
    pub edit: bool,
    /// The deadline: the creator and project admins always; the assignee when the task lets
    /// them.
    pub change_due: bool,
    /// Status moves, checklist, time entries, timer.
    pub work: bool,
}

/// The rights of a user with `role` and `parts` in a task. `project` is the user's
/// permission on the task's project and its state, for a task that has a project.
pub fn task_rights(
    role: Role,
    project: Option<(Option<Permission>, Standing)>,
    parts: TaskParts,
    assignee_may_change_due: bool,
) -> TaskRights {
    let company_admin = matches!(role, Role::Admin | Role::Manager);
    let (member, project_admin, open) = match project {
        Some((permission, standing)) => (
            permission.is_some(),
            permission == Some(Permission::Admin),
            standing.accepts_actions(),
        ),
        None => (company_admin, company_admin, true),
    };
    let view = member || parts.any();
    let edit = open && (project_admin || parts.creator || parts.assignee);
    TaskRights {
        view,
        edit,
        change_due: edit
            && (project_admin || parts.creator || (parts.assignee && assignee_may_change_due)),
        work: open && view,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_rights_follow_parts_permission_and_state() {
        let assignee = TaskParts {
            assignee: true,
            ..TaskParts::default()
        };
        let open = Standing::from(ProjectState::InProgress);
        let limited = Some((Some(Permission::Limited), open));
        let rights = task_rights(Role::Employee, limited, assignee, false);
        assert!(rights.view && rights.edit && rights.work && !rights.change_due);
        assert!(task_rights(Role::Employee, limited, assignee, true).change_due);

        let onlooker = task_rights(Role::Employee, limited, TaskParts::default(), false);
        assert!(onlooker.view && onlooker.work && !onlooker.edit);

        let outsider = task_rights(Role::Sales, Some((None, open)), TaskParts::default(), true);
        assert_eq!(outsider, TaskRights::default());

        let admin = task_rights(
            Role::Sales,
            Some((Some(Permission::Admin), open)),
            TaskParts::default(),
            false,
        );
        assert!(admin.edit && admin.change_due);

        let closed = Some((Some(Permission::Admin), ProjectState::Closed.into()));
        let frozen = task_rights(Role::Admin, closed, assignee, true);
        assert!(frozen.view && !frozen.edit && !frozen.work && !frozen.change_due);

        let locked = Standing {
            state: ProjectState::Completed,
            locked: true,
        };
        let read_only = task_rights(
            Role::Admin,
            Some((Some(Permission::Admin), locked)),
            assignee,
            true,
        );
        assert!(read_only.view && !read_only.edit && !read_only.work && !read_only.change_due);
        for op in ProjectOp::ALL {
            let allowed = check(Some(Permission::Admin), locked, op);
            if op == ProjectOp::View {
                assert_eq!(allowed, Ok(()));
            } else {
                assert_eq!(allowed, Err(Denied::Locked), "{op:?}");
            }
        }

        let private = task_rights(Role::Employee, None, TaskParts::default(), true);
        assert!(!private.view);
        assert!(task_rights(Role::Manager, None, TaskParts::default(), true).edit);
    }

    #[test]
    fn company_admins_and_managers_administer_every_project() {
        for membership in [None, Some(Permission::Limited), Some(Permission::Admin)] {
            assert_eq!(effective(Role::Admin, membership), Some(Permission::Admin));
            assert_eq!(
                effective(Role::Manager, membership),
                Some(Permission::Admin)
            );
            assert_eq!(effective(Role::Sales, membership), membership);
            assert_eq!(effective(Role::Employee, membership), membership);
        }
    }

    #[test]
    fn limited_members_view_and_work_but_change_no_admin_data() {
        let limited = Some(Permission::Limited);
        for op in ProjectOp::ALL {
            let expected = match op {
                ProjectOp::View | ProjectOp::WorkOnTasks => Ok(()),
                _ => Err(Denied::NeedsAdmin),
            };
            assert_eq!(
                check(limited, ProjectState::InProgress, op),
                expected,
                "{op:?}"
            );
        }
    }

    #[test]
    fn admins_may_do_everything_on_an_open_project() {
        for state in ProjectState::ALL
            .into_iter()
            .filter(|s| s.accepts_actions())
        {
            for op in ProjectOp::ALL {
                assert_eq!(check(Some(Permission::Admin), state, op), Ok(()));
            }
        }
    }

    #[test]
    fn outsiders_may_do_nothing() {
        for state in ProjectState::ALL {
            for op in ProjectOp::ALL {
                assert_eq!(check(None, state, op), Err(Denied::NotMember));
            }
        }
    }

    #[test]
    fn a_closed_project_only_opens_and_reopens() {
        for op in ProjectOp::ALL {
            let expected = match op {
                ProjectOp::View | ProjectOp::ChangeState => Ok(()),
                _ => Err(Denied::Closed),
            };
            assert_eq!(
                check(Some(Permission::Admin), ProjectState::Closed, op),
                expected,
                "{op:?}"
            );
        }
        assert_eq!(
            check(
                Some(Permission::Limited),
                ProjectState::Closed,
                ProjectOp::ChangeState
            ),
            Err(Denied::NeedsAdmin)
        );
    }

    #[test]
    fn employees_do_not_start_projects() {
        assert!(may_create_projects(Role::Admin));
        assert!(may_create_projects(Role::Manager));
        assert!(may_create_projects(Role::Sales));
        assert!(!may_create_projects(Role::Employee));
    }
}
