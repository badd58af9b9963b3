//! "My quotes" as the list view sees them (seed 001): number, creation date, customer,
//! salesperson, activities, total and status by default; more columns in the chooser. It opens
//! on the signed-in user's quotes (the "My quotes" filter), which they can remove.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    currency_field, text_field as text, EnumOption, FieldDef, FieldKind, ListSchema,
    PredefinedFilter, SortKey,
};

pub const STATUSES: &[EnumOption] = &[
    EnumOption {
        value: "draft",
        label: |l: Locale| td_string!(l, quotes.status_draft),
    },
    EnumOption {
        value: "sent",
        label: |l: Locale| td_string!(l, quotes.status_sent),
    },
    EnumOption {
        value: "expired",
        label: |l: Locale| td_string!(l, quotes.status_expired),
    },
    EnumOption {
        value: "sale",
        label: |l: Locale| td_string!(l, quotes.status_sale),
    },
    EnumOption {
        value: "cancelled",
        label: |l: Locale| td_string!(l, quotes.status_cancelled),
    },
];

/// The status as shown: an open quote past its validity date reads "expired".
const STATUS_SQL: &str = "CASE WHEN t.state IN ('draft', 'sent') AND t.valid_until < current_date \
                          THEN 'expired' ELSE t.state END";

/// The next planned activity's due date.
const ACTIVITY_SQL: &str = "(SELECT min(a.due_date) FROM activities a \
                            WHERE a.record_kind = 'quote' AND a.record_id = t.id AND a.done_at IS NULL)";

pub static QUOTES: ListSchema = ListSchema {
    key: "quotes",
    from_sql: "quotes t LEFT JOIN contacts cu ON cu.id = t.customer_id \
               LEFT JOIN users sp ON sp.id = t.salesperson_id \
               LEFT JOIN opportunities op ON op.id = t.opportunity_id \
               LEFT JOIN projects pr ON pr.id = t.project_id",
    default_scope: Some("t.state <> 'cancelled'"),
    visibility: None,
    search_sql: "t.search",
    search_hint: |l| td_string!(l, quotes.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "t.number",
                cast: "text",
            }),
            ..text("number", |l| td_string!(l, quotes.number), "t.number")
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.quote_date",
                cast: "date",
            }),
            ..text(
                "quote_date",
                |l| td_string!(l, quotes.quote_date),
                "t.quote_date",
            )
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.customer_id",
            group_sql: Some("cu.name"),
            ..text("customer", |l| td_string!(l, quotes.customer), "cu.name")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.salesperson_id",
            group_sql: Some("sp.display_name"),
            ..text(
                "salesperson",
                |l| td_string!(l, quotes.salesperson),
                "sp.display_name",
            )
        },
        FieldDef {
            kind: FieldKind::Date,
            ..text(
                "activity",
                |l| td_string!(l, quotes.next_activity),
                ACTIVITY_SQL,
            )
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            sort: Some(SortKey {
                sql: "t.total",
                cast: "numeric",
            }),
            ..text("total", |l| td_string!(l, quotes.total), "t.total")
        },
        FieldDef {
            kind: FieldKind::Enum(STATUSES),
            group_sql: Some(STATUS_SQL),
            ..text("status", |l| td_string!(l, quotes.status), STATUS_SQL)
        },
        FieldDef {
            sort: Some(SortKey {
                sql: "t.sort_title",
                cast: "text",
            }),
            ..text("title", |l| td_string!(l, quotes.title), "t.title")
        },
        FieldDef {
            kind: FieldKind::Date,
            ..text(
                "valid_until",
                |l| td_string!(l, quotes.valid_until),
                "t.valid_until",
            )
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text("untaxed", |l| td_string!(l, quotes.untaxed), "t.untaxed")
        },
        currency_field("t.currency"),
        FieldDef {
            group_sql: Some("op.title"),
            ..text(
                "opportunity",
                |l| td_string!(l, quotes.opportunity),
                "op.title",
            )
        },
        FieldDef {
            ..text("project", |l| td_string!(l, quotes.project), "pr.number")
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.updated_at",
                cast: "timestamptz",
            }),
            ..text(
                "updated",
                |l| td_string!(l, contacts.updated),
                "t.updated_at::date",
            )
        },
    ],
    predefined: &[
        PredefinedFilter {
            key: "mine",
            label: |l| td_string!(l, quotes.filter_mine),
            sql: "t.salesperson_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "quotations",
            label: |l| td_string!(l, quotes.filter_quotations),
            sql: "t.state IN ('draft', 'sent')",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "orders",
            label: |l| td_string!(l, quotes.filter_orders),
            sql: "t.state = 'sale'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "expired",
            label: |l| td_string!(l, quotes.status_expired),
            sql: "t.state IN ('draft', 'sent') AND t.valid_until < $today",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "cancelled",
            label: |l| td_string!(l, quotes.status_cancelled),
            sql: "t.state = 'cancelled'",
            lifts_scope: true,
        },
    ],
    default_columns: &[
        "number",
        "quote_date",
        "customer",
        "salesperson",
        "activity",
        "total",
        "status",
    ],
    default_sort: "-number",
    default_view: Some("p=mine"),
    currency_sql: Some("t.currency"),
};
