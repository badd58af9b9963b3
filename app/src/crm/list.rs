//! Opportunities as the list view (and the pipeline board's filters) see them. Lost deals
//! leave the default list for the "Lost" filter.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    currency_field, text_field as text, EnumOption, FieldDef, FieldKind, ListSchema,
    PredefinedFilter, SortKey,
};

pub const STATUSES: &[EnumOption] = &[
    EnumOption {
        value: "open",
        label: |l: Locale| td_string!(l, crm.status_open),
    },
    EnumOption {
        value: "won",
        label: |l: Locale| td_string!(l, crm.status_won),
    },
    EnumOption {
        value: "lost",
        label: |l: Locale| td_string!(l, crm.status_lost),
    },
];

/// The built-in stages, translated in lists, group headers and exports; a renamed or added
/// stage shows its name.
pub const STAGES: &[EnumOption] = &[
    EnumOption {
        value: "new",
        label: |l: Locale| td_string!(l, crm.builtin.stage_new),
    },
    EnumOption {
        value: "qualified",
        label: |l: Locale| td_string!(l, crm.builtin.qualified),
    },
    EnumOption {
        value: "proposition",
        label: |l: Locale| td_string!(l, crm.builtin.proposition),
    },
    EnumOption {
        value: "won",
        label: |l: Locale| td_string!(l, crm.builtin.won),
    },
];

/// The stage as the list reads it: its name, or its built-in key.
pub const STAGE_SQL: &str = "coalesce(nullif(s.name, ''), s.key)";

pub static OPPORTUNITIES: ListSchema = ListSchema {
    key: "opportunities",
    from_sql: "opportunities t JOIN pipeline_stages s ON s.id = t.stage_id \
               LEFT JOIN contacts cu ON cu.id = t.customer_id \
               LEFT JOIN users sp ON sp.id = t.salesperson_id",
    default_scope: Some("t.status <> 'lost'"),
    visibility: None,
    search_sql: "t.search",
    search_hint: |l| td_string!(l, crm.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "t.sort_title",
                cast: "text",
            }),
            ..text("title", |l| td_string!(l, crm.title), "t.title")
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.customer_id",
            group_sql: Some("cu.name"),
            ..text("customer", |l| td_string!(l, crm.customer), "cu.name")
        },
        FieldDef {
            kind: FieldKind::Enum(STAGES),
            group_sql: Some(STAGE_SQL),
            ..text("stage", |l| td_string!(l, crm.stage), STAGE_SQL)
        },
        FieldDef {
            kind: FieldKind::Enum(STATUSES),
            group_sql: Some("t.status"),
            ..text("status", |l| td_string!(l, crm.status), "t.status")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.salesperson_id",
            group_sql: Some("sp.display_name"),
            ..text(
                "salesperson",
                |l| td_string!(l, crm.salesperson),
                "sp.display_name",
            )
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            sort: Some(SortKey {
                sql: "coalesce(t.expected_revenue, 0)",
                cast: "numeric",
            }),
            ..text(
                "expected_revenue",
                |l| td_string!(l, crm.expected_revenue),
                "t.expected_revenue",
            )
        },
        currency_field("t.currency"),
        FieldDef {
            kind: FieldKind::Number,
            ..text(
                "probability",
                |l| td_string!(l, crm.probability),
                "t.probability",
            )
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "coalesce(t.expected_closing, 'infinity'::date)",
                cast: "date",
            }),
            ..text(
                "expected_closing",
                |l| td_string!(l, crm.expected_closing),
                "t.expected_closing",
            )
        },
        FieldDef {
            kind: FieldKind::Number,
            ..text("priority", |l| td_string!(l, crm.priority), "t.priority")
        },
        FieldDef {
            kind: FieldKind::Tags,
            ..text("tags", |l| td_string!(l, crm.tags), "t.tags")
        },
        FieldDef {
            group_sql: Some("t.source"),
            ..text("source", |l| td_string!(l, crm.source), "t.source")
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
            label: |l| td_string!(l, crm.filter_mine),
            sql: "t.salesperson_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "unassigned",
            label: |l| td_string!(l, crm.filter_unassigned),
            sql: "t.salesperson_id IS NULL",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "open",
            label: |l| td_string!(l, crm.status_open),
            sql: "t.status = 'open'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "won_this_month",
            label: |l| td_string!(l, crm.filter_won_this_month),
            sql: "t.status = 'won' AND t.closed_at >= date_trunc('month', now())",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "lost",
            label: |l| td_string!(l, crm.status_lost),
            sql: "t.status = 'lost'",
            lifts_scope: true,
        },
    ],
    default_columns: &[
        "title",
        "customer",
        "stage",
        "salesperson",
        "expected_revenue",
        "expected_closing",
        "status",
    ],
    default_sort: "expected_closing",
    default_view: None,
    currency_sql: Some("t.currency"),
};
