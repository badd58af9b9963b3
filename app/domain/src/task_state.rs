//! Task statuses as Bitrix24 has them, and the actions that move a task between them. Who
//! may act depends on their part in the task (assignee, creator); a task with "review on
//! completion" goes to its creator for acceptance instead of straight to completed.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Pending,
    InProgress,
    Paused,
    PendingReview,
    Completed,
    Deferred,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    /// The assignee starts (or resumes) work.
    Start,
    Pause,
    /// The assignee is done; with review on completion the creator decides.
    Complete,
    /// The creator accepts a task pending review.
    Accept,
    /// The creator sends a task pending review back, with a comment.
    SendBack,
    /// Put off for now.
    Defer,
    /// The creator reopens a completed or deferred task.
    Renew,
}

/// The parts a user can have in a task; one user may have both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub assignee: bool,
    pub creator: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaskTransitionError {
    #[error("{action:?} is not possible while the task is {status:?}")]
    NotFromHere {
        status: TaskStatus,
        action: TaskAction,
    },
    #[error("only the task's {0} may do this")]
    NotYours(&'static str),
    #[error("sending a task back needs a comment")]
    CommentRequired,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 6] = [
        TaskStatus::Pending,
        TaskStatus::InProgress,
        TaskStatus::Paused,
        TaskStatus::PendingReview,
        TaskStatus::Completed,
        TaskStatus::Deferred,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Paused => "paused",
            TaskStatus::PendingReview => "pending_review",
            TaskStatus::Completed => "completed",
            TaskStatus::Deferred => "deferred",
        }
    }

    pub fn parse(text: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Still to be worked on (or reviewed).
    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Completed | TaskStatus::Deferred)
    }
}

impl TaskAction {
    pub const ALL: [TaskAction; 7] = [
        TaskAction::Start,
        TaskAction::Pause,
        TaskAction::Complete,
        TaskAction::Accept,
        TaskAction::SendBack,
        TaskAction::Defer,
        TaskAction::Renew,
    ];
}

/// The status `action` leads to from `status`, for a user with `parts` in the task.
/// `review` is the task's "review on completion" flag; `comment` what the user wrote.
pub fn apply(
    status: TaskStatus,
    action: TaskAction,
    parts: Parts,
    review: bool,
    comment: &str,
) -> Result<TaskStatus, TaskTransitionError> {
    use TaskAction::*;
    use TaskStatus::*;
    let not_from_here = TaskTransitionError::NotFromHere { status, action };
    let next = match (action, status) {
        (Start, Pending | Paused | Deferred) => InProgress,
        (Pause, InProgress) => Paused,
        // Reviewing one's own work makes no sense: a creator who is also the assignee
        // completes directly.
        (Complete, Pending | InProgress | Paused) if review && !parts.creator => PendingReview,
        (Complete, Pending | InProgress | Paused) => Completed,
        (Accept, PendingReview) => Completed,
        (SendBack, PendingReview) => InProgress,
        (Defer, Pending | InProgress | Paused) => Deferred,
        (Renew, Completed | Deferred) => Pending,
        _ => return Err(not_from_here),
    };
    let allowed = match action {
        Start | Pause | Complete => parts.assignee,
        Accept | SendBack | Renew => parts.creator,
        Defer => parts.assignee || parts.creator,
    };
    if !allowed {
        return Err(TaskTransitionError::NotYours(match action {
            Start | Pause | Complete => "assignee",
            Defer => "assignee or creator",
            Accept | SendBack | Renew => "creator",
        }));
    }
    if action == SendBack && comment.trim().is_empty() {
        return Err(TaskTransitionError::CommentRequired);
    }
    Ok(next)
}

/// The actions a user with `parts` can take now, for the task's buttons.
pub fn available(status: TaskStatus, parts: Parts, review: bool) -> Vec<TaskAction> {
    TaskAction::ALL
        .into_iter()
        .filter(|a| apply(status, *a, parts, review, "comment").is_ok())
        .collect()
}

/// The action that takes a task from `status` to `to` for a user with `parts` (a card dropped
/// on a board column). Sending back needs a comment, which a drop has not, so it never is.
pub fn action_to(
    status: TaskStatus,
    to: TaskStatus,
    parts: Parts,
    review: bool,
) -> Option<TaskAction> {
    TaskAction::ALL
        .into_iter()
        .find(|a| apply(status, *a, parts, review, "") == Ok(to))
}

/// Overdue: the deadline has passed and the task is not completed.
pub fn is_overdue(
    status: TaskStatus,
    deadline: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> bool {
    status != TaskStatus::Completed && deadline.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskAction::*;
    use TaskStatus::*;

    const ASSIGNEE: Parts = Parts {
        assignee: true,
        creator: false,
    };
    const CREATOR: Parts = Parts {
        assignee: false,
        creator: true,
    };
    const BOTH: Parts = Parts {
        assignee: true,
        creator: true,
    };
    const NEITHER: Parts = Parts {
        assignee: false,
        creator: false,
    };

    #[test]
    fn a_drop_on_a_column_is_the_one_action_leading_there() {
        assert_eq!(action_to(Pending, InProgress, ASSIGNEE, false), Some(Start));
        assert_eq!(
            action_to(InProgress, Completed, ASSIGNEE, false),
            Some(Complete)
        );
        assert_eq!(
            action_to(InProgress, PendingReview, ASSIGNEE, true),
            Some(Complete)
        );
        assert_eq!(
            action_to(PendingReview, Completed, CREATOR, true),
            Some(Accept)
        );
        // Back to in progress from review needs a comment: not by dropping.
        assert_eq!(action_to(PendingReview, InProgress, CREATOR, true), None);
        assert_eq!(action_to(InProgress, Pending, BOTH, false), None);
        assert_eq!(action_to(Pending, InProgress, NEITHER, false), None);
    }

    /// Every status reachable by each action, for its rightful actor (without review).
    const MOVES: &[(TaskAction, TaskStatus, TaskStatus)] = &[
        (Start, Pending, InProgress),
        (Start, Paused, InProgress),
        (Start, Deferred, InProgress),
        (Pause, InProgress, Paused),
        (Complete, Pending, Completed),
        (Complete, InProgress, Completed),
        (Complete, Paused, Completed),
        (Accept, PendingReview, Completed),
        (SendBack, PendingReview, InProgress),
        (Defer, Pending, Deferred),
        (Defer, InProgress, Deferred),
        (Defer, Paused, Deferred),
        (Renew, Completed, Pending),
        (Renew, Deferred, Pending),
    ];

    fn actor(action: TaskAction) -> Parts {
        match action {
            Start | Pause | Complete | Defer => ASSIGNEE,
            Accept | SendBack | Renew => CREATOR,
        }
    }

    #[test]
    fn every_action_from_every_status_is_allowed_or_refused_as_listed() {
        for action in TaskAction::ALL {
            for status in TaskStatus::ALL {
                let expected = MOVES
                    .iter()
                    .find(|(a, from, _)| *a == action && *from == status)
                    .map(|(_, _, to)| *to);
                let result = apply(status, action, actor(action), false, "because");
                match expected {
                    Some(to) => assert_eq!(result, Ok(to), "{action:?} from {status:?}"),
                    None => assert_eq!(
                        result,
                        Err(TaskTransitionError::NotFromHere { status, action }),
                        "{action:?} from {status:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn review_on_completion_goes_to_the_creator() {
        assert_eq!(
            apply(InProgress, Complete, ASSIGNEE, true, ""),
            Ok(PendingReview)
        );
        assert_eq!(
            apply(PendingReview, Accept, CREATOR, true, ""),
            Ok(Completed)
        );
        assert_eq!(
            apply(PendingReview, SendBack, CREATOR, true, "  "),
            Err(TaskTransitionError::CommentRequired)
        );
        assert_eq!(
            apply(
                PendingReview,
                SendBack,
                CREATOR,
                true,
                "The photos are missing."
            ),
            Ok(InProgress)
        );
        // Nobody reviews their own work.
        assert_eq!(apply(InProgress, Complete, BOTH, true, ""), Ok(Completed));
    }

    #[test]
    fn only_the_rightful_part_may_act() {
        for (action, from, _) in MOVES {
            let wrong = match (actor(*action), action) {
                (_, Defer) => NEITHER,
                (p, _) if p == ASSIGNEE => CREATOR,
                _ => ASSIGNEE,
            };
            assert!(
                matches!(
                    apply(*from, *action, wrong, false, "x"),
                    Err(TaskTransitionError::NotYours(_))
                ),
                "{action:?} by {wrong:?}"
            );
            assert!(apply(*from, *action, BOTH, false, "x").is_ok());
        }
        assert_eq!(apply(InProgress, Defer, CREATOR, false, ""), Ok(Deferred));
    }

    #[test]
    fn buttons_follow_the_machine() {
        assert_eq!(
            available(Pending, ASSIGNEE, false),
            vec![Start, Complete, Defer]
        );
        assert_eq!(
            available(PendingReview, CREATOR, true),
            vec![Accept, SendBack]
        );
        assert_eq!(
            available(PendingReview, ASSIGNEE, true),
            Vec::<TaskAction>::new()
        );
        assert_eq!(available(Completed, CREATOR, false), vec![Renew]);
    }

    #[test]
    fn overdue_means_a_passed_deadline_on_an_unfinished_task() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert!(is_overdue(InProgress, Some(day(20)), day(23)));
        assert!(is_overdue(Deferred, Some(day(20)), day(23)));
        assert!(!is_overdue(Completed, Some(day(20)), day(23)));
        assert!(!is_overdue(Pending, Some(day(23)), day(23)));
        assert!(!is_overdue(Pending, None, day(23)));
    }

    #[test]
    fn names_survive_storage() {
        for status in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(status.as_str()), Some(status));
        }
        assert!(Pending.is_open() && PendingReview.is_open() && !Completed.is_open());
    }
}
