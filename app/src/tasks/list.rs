//! The task list as the list view sees it. Finished tasks (completed, deferred) leave the
//! default list; people who are not company admins or managers see the tasks they take part
//! in and those of their projects.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    text_field as text, EnumOption, FieldDef, FieldKind, ListSchema, PredefinedFilter, SortKey,
};

pub const STATUSES: &[EnumOption] = &[
    EnumOption {
        value: "pending",
        label: |l: Locale| td_string!(l, tasks.status_pending),
    },
    EnumOption {
        value: "in_progress",
        label: |l: Locale| td_string!(l, tasks.status_in_progress),
    },
    EnumOption {
        value: "paused",
        label: |l: Locale| td_string!(l, tasks.status_paused),
    },
    EnumOption {
        value: "pending_review",
        label: |l: Locale| td_string!(l, tasks.status_pending_review),
    },
    EnumOption {
        value: "completed",
        label: |l: Locale| td_string!(l, tasks.status_completed),
    },
    EnumOption {
        value: "deferred",
        label: |l: Locale| td_string!(l, tasks.status_deferred),
    },
];

pub const PRIORITIES: &[EnumOption] = &[
    EnumOption {
        value: "low",
        label: |l: Locale| td_string!(l, tasks.priority_low),
    },
    EnumOption {
        value: "normal",
        label: |l: Locale| td_string!(l, tasks.priority_normal),
    },
    EnumOption {
        value: "high",
        label: |l: Locale| td_string!(l, tasks.priority_high),
    },
];

pub static TASKS: ListSchema = ListSchema {
    key: "tasks",
    from_sql: "tasks t LEFT JOIN projects p ON p.id = t.project_id \
               LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN users cr ON cr.id = t.creator_id \
               LEFT JOIN opportunities op ON op.id = t.opportunity_id",
    default_scope: Some("t.status NOT IN ('completed', 'deferred')"),
    visibility: Some(
        "(t.assignee_id = $me OR t.creator_id = $me \
          OR EXISTS (SELECT 1 FROM task_participants tp WHERE tp.task_id = t.id AND tp.user_id = $me) \
          OR EXISTS (SELECT 1 FROM project_members pm WHERE pm.project_id = t.project_id AND pm.user_id = $me))",
    ),
    search_sql: "t.search",
    search_hint: |l| td_string!(l, tasks.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "t.sort_title",
                cast: "text",
            }),
            ..text("title", |l| td_string!(l, tasks.task_title), "t.title")
        },
        // A task created from a deal and without a project shows the deal in its place.
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.project_id",
            group_sql: Some("p.number || ' ' || p.title"),
            link_sql: Some("coalesce('/projects/' || p.id::text, '/crm/' || op.id::text)"),
            ..text(
                "project",
                |l| td_string!(l, tasks.project),
                "coalesce(p.number || ' ' || p.title, op.title)",
            )
        },
        FieldDef {
            kind: FieldKind::Enum(STATUSES),
            group_sql: Some("t.status"),
            ..text("status", |l| td_string!(l, tasks.status), "t.status")
        },
        FieldDef {
            kind: FieldKind::Enum(PRIORITIES),
            group_sql: Some("t.priority"),
            ..text("priority", |l| td_string!(l, tasks.priority), "t.priority")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.assignee_id",
            group_sql: Some("a.display_name"),
            ..text("assignee", |l| td_string!(l, tasks.assignee), "a.display_name")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.creator_id",
            group_sql: Some("cr.display_name"),
            ..text("creator", |l| td_string!(l, tasks.creator), "cr.display_name")
        },
        FieldDef {
            kind: FieldKind::Date,
            ..text("start_date", |l| td_string!(l, tasks.start_date), "t.start_date")
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "coalesce(t.due_date, 'infinity'::date)",
                cast: "date",
            }),
            ..text("due_date", |l| td_string!(l, tasks.due_date), "t.due_date")
        },
        FieldDef {
            kind: FieldKind::Number,
            summed: true,
            ..text("planned_hours", |l| td_string!(l, tasks.planned_hours), "t.planned_hours")
        },
        FieldDef {
            kind: FieldKind::Number,
            summed: true,
            ..text("hours_spent", |l| td_string!(l, tasks.hours_spent), "t.hours_spent")
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.opportunity_id",
            group_sql: Some("op.title"),
            link_sql: Some("'/crm/' || op.id::text"),
            ..text("opportunity", |l| td_string!(l, tasks.opportunity), "op.title")
        },
        FieldDef {
            kind: FieldKind::Tags,
            ..text("tags", |l| td_string!(l, contacts.tags), "t.tags")
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.updated_at",
                cast: "timestamptz",
            }),
            ..text("updated", |l| td_string!(l, contacts.updated), "t.updated_at::date")
        },
    ],
    predefined: &[
        PredefinedFilter {
            key: "all",
            label: |l| td_string!(l, tasks.filter_all),
            sql: "TRUE",
            lifts_scope: true,
        },
        PredefinedFilter {
            key: "mine",
            label: |l| td_string!(l, tasks.filter_mine),
            sql: "t.assignee_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "created",
            label: |l| td_string!(l, tasks.filter_created),
            sql: "t.creator_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "crm",
            label: |l| td_string!(l, tasks.filter_crm),
            sql: "t.opportunity_id IS NOT NULL",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "overdue",
            label: |l| td_string!(l, tasks.indicator_overdue),
            sql: "t.due_date < $today AND t.status <> 'completed'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "finished",
            label: |l| td_string!(l, tasks.filter_finished),
            sql: "t.status IN ('completed', 'deferred')",
            lifts_scope: true,
        },
    ],
    default_columns: &["title", "project", "status", "assignee", "due_date", "planned_hours", "hours_spent"],
    default_sort: "due_date",
    default_view: None,
    currency_sql: None,
};
