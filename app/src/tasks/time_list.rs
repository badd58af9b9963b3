//! Booked hours as the list view sees them: one row per time entry, with its person, task,
//! project and customer, so that a pivot answers "hours per project and person per week".
//! People who are not company admins or managers see their own hours and those of their
//! projects.

use crate::i18n::td_string;
use crate::views::schema::{
    text_field as text, FieldDef, FieldKind, ListSchema, PredefinedFilter, SortKey,
};

pub static TIME_ENTRIES: ListSchema = ListSchema {
    key: "hours",
    from_sql: "time_entries t JOIN tasks tk ON tk.id = t.task_id \
               LEFT JOIN projects p ON p.id = t.project_id \
               LEFT JOIN contacts c ON c.id = p.customer_id \
               LEFT JOIN users u ON u.id = t.user_id",
    default_scope: None,
    visibility: Some(
        "(t.user_id = $me \
          OR EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = t.project_id AND pm.user_id = $me))",
    ),
    search_sql: "(tk.search || ' ' || atrium_fold(t.note))",
    search_hint: |l| td_string!(l, hours.search_placeholder),
    fields: &[
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.work_date",
                cast: "date",
            }),
            ..text("work_date", |l| td_string!(l, hours.work_date), "t.work_date")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.user_id",
            group_sql: Some("u.display_name"),
            ..text("person", |l| td_string!(l, hours.person), "u.display_name")
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.task_id",
            group_sql: Some("tk.title"),
            link_sql: Some("'/tasks/' || tk.id::text"),
            ..text("task", |l| td_string!(l, hours.task), "tk.title")
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.project_id",
            group_sql: Some("p.number || ' ' || p.title"),
            link_sql: Some("'/projects/' || p.id::text"),
            ..text("project", |l| td_string!(l, tasks.project), "p.number || ' ' || p.title")
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "p.customer_id",
            group_sql: Some("c.name"),
            link_sql: Some("'/contacts/' || c.id::text"),
            ..text("customer", |l| td_string!(l, projects.customer), "c.name")
        },
        FieldDef {
            kind: FieldKind::Number,
            summed: true,
            ..text("hours", |l| td_string!(l, tasks.hours), "t.hours")
        },
        FieldDef {
            kind: FieldKind::Boolean,
            ..text("billable", |l| td_string!(l, tasks.billable), "t.billable")
        },
        text("note", |l| td_string!(l, hours.note), "t.note"),
    ],
    predefined: &[
        PredefinedFilter {
            key: "mine",
            label: |l| td_string!(l, hours.filter_mine),
            sql: "t.user_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "this_week",
            label: |l| td_string!(l, hours.filter_this_week),
            sql: "t.work_date >= date_trunc('week', $today)::date",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "this_month",
            label: |l| td_string!(l, hours.filter_this_month),
            sql: "t.work_date >= date_trunc('month', $today)::date",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "billable",
            label: |l| td_string!(l, tasks.billable),
            sql: "t.billable",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "not_billable",
            label: |l| td_string!(l, tasks.not_billable),
            sql: "NOT t.billable",
            lifts_scope: false,
        },
    ],
    default_columns: &["work_date", "person", "task", "project", "hours", "billable", "note"],
    default_sort: "-work_date",
    default_view: None,
    currency_sql: None,
};
