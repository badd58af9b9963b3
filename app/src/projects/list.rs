//! The projects list as the list view sees it: its fields and the SQL behind each. Closed
//! projects leave the default list for the "Closed" filter; people who are not company admins
//! or managers see the projects they are members of.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    currency_field, text_field as text, EnumOption, FieldDef, FieldKind, ListSchema,
    PredefinedFilter, SortKey,
};

pub const STATES: &[EnumOption] = &[
    EnumOption {
        value: "planned",
        label: |l: Locale| td_string!(l, projects.state_planned),
    },
    EnumOption {
        value: "in_progress",
        label: |l: Locale| td_string!(l, projects.state_in_progress),
    },
    EnumOption {
        value: "on_hold",
        label: |l: Locale| td_string!(l, projects.state_on_hold),
    },
    EnumOption {
        value: "completed",
        label: |l: Locale| td_string!(l, projects.state_completed),
    },
    EnumOption {
        value: "closed",
        label: |l: Locale| td_string!(l, projects.state_closed),
    },
];

const fn date(key: &'static str, label: fn(Locale) -> &'static str, sql: &'static str) -> FieldDef {
    FieldDef {
        kind: FieldKind::Date,
        ..text(key, label, sql)
    }
}

pub static PROJECTS: ListSchema = ListSchema {
    key: "projects",
    from_sql: "projects t LEFT JOIN contacts c ON c.id = t.customer_id \
               LEFT JOIN users m ON m.id = t.manager_id",
    default_scope: Some("t.state <> 'closed'"),
    visibility: Some(
        "EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = t.id AND pm.user_id = $me)",
    ),
    search_sql: "t.search",
    search_hint: |l| td_string!(l, projects.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "t.number",
                cast: "text",
            }),
            ..text("number", |l| td_string!(l, projects.number), "t.number")
        },
        FieldDef {
            sort: Some(SortKey {
                sql: "t.sort_title",
                cast: "text",
            }),
            ..text(
                "title",
                |l| td_string!(l, projects.project_title),
                "t.title",
            )
        },
        FieldDef {
            group_sql: Some("c.name"),
            ..text("customer", |l| td_string!(l, projects.customer), "c.name")
        },
        FieldDef {
            kind: FieldKind::Enum(STATES),
            group_sql: Some("t.state"),
            ..text("state", |l| td_string!(l, projects.state), "t.state")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.manager_id",
            group_sql: Some("m.display_name"),
            ..text(
                "manager",
                |l| td_string!(l, projects.manager),
                "m.display_name",
            )
        },
        date(
            "start_date",
            |l| td_string!(l, projects.start_date),
            "t.start_date",
        ),
        FieldDef {
            sort: Some(SortKey {
                sql: "coalesce(t.end_date, 'infinity'::date)",
                cast: "date",
            }),
            ..date(
                "end_date",
                |l| td_string!(l, projects.end_date),
                "t.end_date",
            )
        },
        date(
            "tender_end_date",
            |l| td_string!(l, projects.tender_end_date),
            "t.tender_end_date",
        ),
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text("budget", |l| td_string!(l, projects.budget), "t.budget")
        },
        currency_field("t.currency"),
        FieldDef {
            kind: FieldKind::Number,
            summed: true,
            ..text(
                "hours_spent",
                |l| td_string!(l, projects.hours_spent),
                "t.hours_spent",
            )
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
            key: "all",
            label: |l| td_string!(l, projects.filter_all),
            sql: "TRUE",
            lifts_scope: true,
        },
        PredefinedFilter {
            key: "mine",
            label: |l| td_string!(l, projects.filter_mine),
            sql: "t.manager_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "in_progress",
            label: |l| td_string!(l, projects.state_in_progress),
            sql: "t.state = 'in_progress'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "closed",
            label: |l| td_string!(l, projects.filter_closed),
            sql: "t.state = 'closed'",
            lifts_scope: true,
        },
    ],
    default_columns: &[
        "number",
        "title",
        "customer",
        "state",
        "manager",
        "end_date",
        "budget",
        "hours_spent",
    ],
    default_sort: "number",
    default_view: None,
    currency_sql: Some("t.currency"),
};
