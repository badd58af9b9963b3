//! What a user may do across the whole company.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including managing users.
    Admin,
    /// Administers every project and sees every pipeline.
    Manager,
    /// Works the CRM and sales.
    Sales,
    /// Works on the tasks and projects they are part of.
    Employee,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Sales, Role::Employee];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Employee => "employee",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }

    pub fn can_manage_users(self) -> bool {
        super::policy::role_allows(self, super::policy::CompanyOp::ManageUsers)
    }
}

/// Whether a user may give their own account `new_role` and `active`: nobody demotes or
/// deactivates themselves, so a company never loses its last admin by a slip.
pub fn may_change_own_account(current: Role, new_role: Role, active: bool) -> bool {
    new_role == current && active
}

#[cfg(test)]
mod tests {
    use super::{may_change_own_account, Role};

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_admins_manage_users() {
        let managers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.can_manage_users())
            .collect();
        assert_eq!(managers, vec![Role::Admin]);
    }

    #[test]
    fn nobody_demotes_or_deactivates_themselves() {
        assert!(may_change_own_account(Role::Admin, Role::Admin, true));
        assert!(!may_change_own_account(Role::Admin, Role::Employee, true));
        assert!(!may_change_own_account(Role::Admin, Role::Admin, false));
    }
}
