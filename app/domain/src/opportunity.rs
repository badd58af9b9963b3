//! Opportunities (deals) in the pipeline: the form parsed into a draft, and the moves between
//! open, won and lost. A lost deal says why; a won or lost deal can be reopened; dragging a
//! card into the pipeline's "won" stage wins it, and dragging a won card out reopens it.

use super::project::{parse_amount, parse_date, parse_text, parse_title, WorkError};
use super::Role;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Open,
    Won,
    Lost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityAction {
    MarkWon,
    MarkLost,
    Reopen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpportunityError {
    #[error("only an open opportunity can be won or lost")]
    NotOpen,
    #[error("only a won or lost opportunity can be reopened")]
    NotClosed,
    #[error("a lost opportunity needs a reason")]
    LostReasonRequired,
    #[error("a lost opportunity is reopened before it moves")]
    LostCannotMove,
    #[error("the probability is a percentage from 0 to 100")]
    ProbabilityOutOfRange,
    #[error("the priority is 0 to 3 stars")]
    PriorityOutOfRange,
    #[error("{0}")]
    Field(WorkError),
}

impl OpportunityStatus {
    pub const ALL: [OpportunityStatus; 3] = [
        OpportunityStatus::Open,
        OpportunityStatus::Won,
        OpportunityStatus::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityStatus::Open => "open",
            OpportunityStatus::Won => "won",
            OpportunityStatus::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<OpportunityStatus> {
        OpportunityStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// The status `action` leads to. `lost_reason` is the chosen reason when marking lost.
pub fn apply(
    status: OpportunityStatus,
    action: OpportunityAction,
    lost_reason: Option<&str>,
) -> Result<OpportunityStatus, OpportunityError> {
    use OpportunityAction::*;
    use OpportunityStatus::*;
    match (action, status) {
        (MarkWon, Open) => Ok(Won),
        (MarkLost, Open) => match lost_reason.map(str::trim) {
            Some(reason) if !reason.is_empty() => Ok(Lost),
            _ => Err(OpportunityError::LostReasonRequired),
        },
        (MarkWon | MarkLost, Won | Lost) => Err(OpportunityError::NotOpen),
        (Reopen, Won | Lost) => Ok(Open),
        (Reopen, Open) => Err(OpportunityError::NotClosed),
    }
}

/// The buttons an opportunity shows now.
pub fn available(status: OpportunityStatus) -> &'static [OpportunityAction] {
    match status {
        OpportunityStatus::Open => &[OpportunityAction::MarkWon, OpportunityAction::MarkLost],
        OpportunityStatus::Won | OpportunityStatus::Lost => &[OpportunityAction::Reopen],
    }
}

/// The status after dragging a card to a stage: the pipeline's won stage wins the deal, any
/// other stage keeps it (or makes it again) open. Lost deals are reopened first, on purpose.
pub fn move_to_stage(
    status: OpportunityStatus,
    target_is_won_stage: bool,
) -> Result<OpportunityStatus, OpportunityError> {
    match (status, target_is_won_stage) {
        (OpportunityStatus::Lost, _) => Err(OpportunityError::LostCannotMove),
        (_, true) => Ok(OpportunityStatus::Won),
        (_, false) => Ok(OpportunityStatus::Open),
    }
}

/// What a role may do in the CRM. Sales people, managers and admins work every deal (small
/// teams hand deals over all the time); employees see deals and plan or log activities and
/// notes on them, but do not change the deals themselves. Pipelines, stages, lost reasons
/// and activity types are configured by managers and admins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmRights {
    pub view: bool,
    pub edit: bool,
    pub configure: bool,
}

/// The CRM rows of the policy table, for the UI's buttons and the server's checks.
pub fn crm_rights(role: Role) -> CrmRights {
    use super::policy::{role_allows, CompanyOp};
    CrmRights {
        view: role_allows(role, CompanyOp::CrmView),
        edit: role_allows(role, CompanyOp::CrmEdit),
        configure: role_allows(role, CompanyOp::CrmConfigure),
    }
}

/// The raw text of the opportunity form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpportunityInput {
    pub title: String,
    pub expected_revenue: String,
    pub probability: String,
    pub expected_closing: String,
    /// 0 to 3 stars.
    pub priority: String,
    /// Comma-separated.
    pub tags: String,
    pub source: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpportunityDraft {
    pub title: String,
    pub expected_revenue: Option<Decimal>,
    pub probability: Option<u8>,
    pub expected_closing: Option<NaiveDate>,
    pub priority: u8,
    pub tags: Vec<String>,
    pub source: String,
    pub description: String,
}

fn small_number(
    text: &str,
    max: u8,
    error: OpportunityError,
) -> Result<Option<u8>, OpportunityError> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i64>() {
        Ok(n) if (0..=i64::from(max)).contains(&n) => Ok(Some(n as u8)),
        _ => Err(error),
    }
}

impl OpportunityDraft {
    /// Parses every field; the first refused one comes back with its field name.
    pub fn parse(
        input: &OpportunityInput,
    ) -> Result<OpportunityDraft, (OpportunityError, &'static str)> {
        let field = |name: &'static str| move |e: WorkError| (OpportunityError::Field(e), name);
        let mut tags = Vec::new();
        for tag in input.tags.split(',').filter(|t| !t.trim().is_empty()) {
            let tag = super::contact::parse_tag(tag)
                .map_err(|_| (OpportunityError::Field(WorkError::TextTooLong), "tags"))?;
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(OpportunityDraft {
            title: parse_title(&input.title).map_err(field("title"))?,
            expected_revenue: parse_amount(
                &input.expected_revenue,
                Decimal::new(999_999_999_999, 0),
            )
            .map_err(field("expected_revenue"))?,
            probability: small_number(
                &input.probability,
                100,
                OpportunityError::ProbabilityOutOfRange,
            )
            .map_err(|e| (e, "probability"))?,
            expected_closing: parse_date(&input.expected_closing)
                .map_err(field("expected_closing"))?,
            priority: small_number(&input.priority, 3, OpportunityError::PriorityOutOfRange)
                .map_err(|e| (e, "priority"))?
                .unwrap_or(0),
            tags,
            source: parse_text(&input.source, 100).map_err(field("source"))?,
            description: parse_text(&input.description, 20_000).map_err(field("description"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OpportunityAction::*;
    use OpportunityStatus::*;

    #[test]
    fn only_managers_and_admins_configure_and_employees_only_look() {
        assert!(crm_rights(Role::Admin).configure && crm_rights(Role::Manager).configure);
        let sales = crm_rights(Role::Sales);
        assert!(sales.view && sales.edit && !sales.configure);
        let employee = crm_rights(Role::Employee);
        assert!(employee.view && !employee.edit && !employee.configure);
    }

    #[test]
    fn every_status_action_pair_is_decided() {
        let expected = |status, action| match (status, action) {
            (Open, MarkWon) => Ok(Won),
            (Open, MarkLost) => Ok(Lost),
            (Won | Lost, Reopen) => Ok(Open),
            (Open, Reopen) => Err(OpportunityError::NotClosed),
            _ => Err(OpportunityError::NotOpen),
        };
        for status in OpportunityStatus::ALL {
            for action in [MarkWon, MarkLost, Reopen] {
                assert_eq!(
                    apply(status, action, Some("Too expensive")),
                    expected(status, action),
                    "{status:?} {action:?}"
                );
                let shown = available(status).contains(&action);
                assert_eq!(
                    shown,
                    expected(status, action).is_ok(),
                    "{status:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn losing_needs_a_reason() {
        assert_eq!(
            apply(Open, MarkLost, None),
            Err(OpportunityError::LostReasonRequired)
        );
        assert_eq!(
            apply(Open, MarkLost, Some("  ")),
            Err(OpportunityError::LostReasonRequired)
        );
    }

    #[test]
    fn the_won_stage_wins_and_leaving_it_reopens() {
        assert_eq!(move_to_stage(Open, true), Ok(Won));
        assert_eq!(move_to_stage(Open, false), Ok(Open));
        assert_eq!(move_to_stage(Won, false), Ok(Open));
        assert_eq!(move_to_stage(Won, true), Ok(Won));
        assert_eq!(
            move_to_stage(Lost, false),
            Err(OpportunityError::LostCannotMove)
        );
        assert_eq!(
            move_to_stage(Lost, true),
            Err(OpportunityError::LostCannotMove)
        );
    }

    #[test]
    fn the_form_is_parsed_field_by_field() {
        let draft = OpportunityDraft::parse(&OpportunityInput {
            title: " Heat pump for Müller ".into(),
            expected_revenue: "24500,50".into(),
            probability: "60%".into(),
            expected_closing: "2026-12-15".into(),
            priority: "2".into(),
            tags: "heat pump, heat pump, VIP".into(),
            ..OpportunityInput::default()
        })
        .unwrap();
        assert_eq!(draft.title, "Heat pump for Müller");
        assert_eq!(draft.expected_revenue, Some(Decimal::new(2_450_050, 2)));
        assert_eq!(draft.probability, Some(60));
        assert_eq!(draft.priority, 2);
        assert_eq!(draft.tags, vec!["heat pump", "VIP"]);

        let refused = |input: OpportunityInput| OpportunityDraft::parse(&input).unwrap_err();
        let base = || OpportunityInput {
            title: "Deal".into(),
            ..OpportunityInput::default()
        };
        assert_eq!(
            refused(OpportunityInput {
                expected_revenue: "-5".into(),
                ..base()
            }),
            (
                OpportunityError::Field(WorkError::Negative),
                "expected_revenue"
            )
        );
        for probability in ["101", "-1", "half"] {
            assert_eq!(
                refused(OpportunityInput {
                    probability: probability.into(),
                    ..base()
                }),
                (OpportunityError::ProbabilityOutOfRange, "probability")
            );
        }
        assert_eq!(
            refused(OpportunityInput {
                priority: "4".into(),
                ..base()
            }),
            (OpportunityError::PriorityOutOfRange, "priority")
        );
        assert_eq!(
            refused(OpportunityInput::default()),
            (OpportunityError::Field(WorkError::TitleEmpty), "title")
        );
    }
}
