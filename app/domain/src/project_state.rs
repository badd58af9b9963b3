//! The states of a project and the moves between them. A closed project takes no new action
//! (no task, time entry, document or contact change) until a project admin reopens it; the UI
//! asks `next_states` which buttons to show, the server asks `transition` before saving.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectState {
    Planned,
    InProgress,
    OnHold,
    Completed,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a project cannot go from {from:?} to {to:?}")]
pub struct ProjectTransitionError {
    pub from: ProjectState,
    pub to: ProjectState,
}

impl ProjectState {
    pub const ALL: [ProjectState; 5] = [
        ProjectState::Planned,
        ProjectState::InProgress,
        ProjectState::OnHold,
        ProjectState::Completed,
        ProjectState::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectState::Planned => "planned",
            ProjectState::InProgress => "in_progress",
            ProjectState::OnHold => "on_hold",
            ProjectState::Completed => "completed",
            ProjectState::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<ProjectState> {
        ProjectState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The states a project may move to from this one. Completing is reversible (work turned
    /// out unfinished); closing ends all activity, and only reopening leaves it.
    pub fn next_states(self) -> &'static [ProjectState] {
        use ProjectState::*;
        match self {
            Planned => &[InProgress, OnHold, Closed],
            InProgress => &[OnHold, Completed, Closed],
            OnHold => &[Planned, InProgress, Closed],
            Completed => &[InProgress, Closed],
            Closed => &[InProgress],
        }
    }

    pub fn transition(self, to: ProjectState) -> Result<ProjectState, ProjectTransitionError> {
        if self.next_states().contains(&to) {
            Ok(to)
        } else {
            Err(ProjectTransitionError { from: self, to })
        }
    }

    /// Whether tasks, time entries, documents and contacts may be added or changed.
    pub fn accepts_actions(self) -> bool {
        self != ProjectState::Closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProjectState::*;

    /// Every allowed move, written out once more, independently of `next_states`.
    const ALLOWED: &[(ProjectState, ProjectState)] = &[
        (Planned, InProgress),
        (Planned, OnHold),
        (Planned, Closed),
        (InProgress, OnHold),
        (InProgress, Completed),
        (InProgress, Closed),
        (OnHold, Planned),
        (OnHold, InProgress),
        (OnHold, Closed),
        (Completed, InProgress),
        (Completed, Closed),
        (Closed, InProgress),
    ];

    #[test]
    fn every_move_is_allowed_or_refused_as_listed() {
        for from in ProjectState::ALL {
            for to in ProjectState::ALL {
                let expected = ALLOWED.contains(&(from, to));
                assert_eq!(from.transition(to).is_ok(), expected, "{from:?} → {to:?}");
                if !expected {
                    assert_eq!(
                        from.transition(to),
                        Err(ProjectTransitionError { from, to })
                    );
                }
            }
        }
    }

    #[test]
    fn only_a_closed_project_refuses_actions() {
        for state in ProjectState::ALL {
            assert_eq!(state.accepts_actions(), state != Closed);
        }
    }

    #[test]
    fn names_survive_storage() {
        for state in ProjectState::ALL {
            assert_eq!(ProjectState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ProjectState::parse("archived"), None);
    }
}
