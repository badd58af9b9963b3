//! Why a list view a user asked for could not be built: the one error of the view engine's
//! filter builder, shown to the user with the offending name.

use serde::{Deserialize, Serialize};

/// Why a view could not be turned into SQL. Shown to the user as "this view is not valid"
/// with the offending name; never a database error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum FilterError {
    #[error("unknown field {0}")]
    UnknownField(String),
    #[error("operator {op} does not apply to {field}")]
    UnknownOperator { field: String, op: String },
    #[error("value not valid for {0}")]
    BadValue(String),
    #[error("unknown predefined filter {0}")]
    UnknownPredefined(String),
    #[error("cannot sort by {0}")]
    NotSortable(String),
    #[error("cannot group by {0}")]
    NotGroupable(String),
    #[error("too many filters or groupings")]
    TooMany,
}
