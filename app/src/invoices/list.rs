//! The Invoices list on the list engine: number, date, customer, project, due date, total,
//! open balance and status; filters for drafts, issued, overdue (by the user's day), paid and
//! credit notes; grouping by customer, month or status with sums per currency.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    currency_field, text_field as text, EnumOption, FieldDef, FieldKind, ListSchema,
    PredefinedFilter, SortKey,
};

pub const STATUSES: &[EnumOption] = &[
    EnumOption {
        value: "draft",
        label: |l: Locale| td_string!(l, invoices.status_draft),
    },
    EnumOption {
        value: "issued",
        label: |l: Locale| td_string!(l, invoices.status_issued),
    },
    EnumOption {
        value: "overdue",
        label: |l: Locale| td_string!(l, invoices.status_overdue),
    },
    EnumOption {
        value: "paid",
        label: |l: Locale| td_string!(l, invoices.status_paid),
    },
];

pub const KINDS: &[EnumOption] = &[
    EnumOption {
        value: "invoice",
        label: |l: Locale| td_string!(l, invoices.invoice),
    },
    EnumOption {
        value: "credit_note",
        label: |l: Locale| td_string!(l, invoices.credit_note),
    },
];

/// The status as shown: an issued invoice (not a credit note) with something open past its due
/// date is overdue.
const STATUS_SQL: &str =
    "CASE WHEN t.kind = 'invoice' AND t.state = 'issued' AND t.due_date < current_date \
                          AND t.total - t.paid - t.credited > 0 THEN 'overdue' ELSE t.state END";

const OPEN_SQL: &str = "(t.total - t.paid - t.credited)";

pub static INVOICES: ListSchema = ListSchema {
    key: "invoices",
    from_sql: "invoices t JOIN contacts cu ON cu.id = t.customer_id \
               LEFT JOIN projects pr ON pr.id = t.project_id",
    default_scope: None,
    // Admins and managers see every invoice; sales people too (they read invoices); the
    // view engine's rule for the rest: nothing.
    visibility: Some("EXISTS (SELECT 1 FROM users u WHERE u.id = $me AND u.role = 'sales')"),
    search_sql: "t.search",
    search_hint: |l| td_string!(l, invoices.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "coalesce(t.number, '—')",
                cast: "text",
            }),
            ..text(
                "number",
                |l| td_string!(l, invoices.number),
                "coalesce(t.number, '—')",
            )
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.invoice_date",
                cast: "date",
            }),
            ..text(
                "invoice_date",
                |l| td_string!(l, invoices.invoice_date),
                "t.invoice_date",
            )
        },
        FieldDef {
            kind: FieldKind::Record,
            filter_sql: "t.customer_id",
            group_sql: Some("cu.name"),
            ..text("customer", |l| td_string!(l, invoices.customer), "cu.name")
        },
        FieldDef {
            group_sql: Some("pr.number"),
            ..text("project", |l| td_string!(l, invoices.project), "pr.number")
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.due_date",
                cast: "date",
            }),
            ..text(
                "due_date",
                |l| td_string!(l, invoices.due_date),
                "t.due_date",
            )
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            sort: Some(SortKey {
                sql: "t.total",
                cast: "numeric",
            }),
            ..text("total", |l| td_string!(l, invoices.total), "t.total")
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text("open", |l| td_string!(l, invoices.open), OPEN_SQL)
        },
        FieldDef {
            kind: FieldKind::Enum(STATUSES),
            group_sql: Some(STATUS_SQL),
            ..text("status", |l| td_string!(l, invoices.status), STATUS_SQL)
        },
        FieldDef {
            kind: FieldKind::Enum(KINDS),
            group_sql: Some("t.kind"),
            ..text("kind", |l| td_string!(l, invoices.kind), "t.kind")
        },
        FieldDef {
            group_sql: Some("to_char(t.invoice_date, 'YYYY-MM')"),
            ..text(
                "month",
                |l| td_string!(l, invoices.month),
                "to_char(t.invoice_date, 'YYYY-MM')",
            )
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text("untaxed", |l| td_string!(l, quotes.untaxed), "t.untaxed")
        },
        FieldDef {
            kind: FieldKind::Money,
            summed: true,
            ..text("paid", |l| td_string!(l, invoices.paid), "t.paid")
        },
        currency_field("t.currency"),
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
            key: "draft",
            label: |l| td_string!(l, invoices.status_draft),
            sql: "t.state = 'draft'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "issued",
            label: |l| td_string!(l, invoices.status_issued),
            sql: "t.state = 'issued'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "overdue",
            label: |l| td_string!(l, invoices.status_overdue),
            sql: "t.kind = 'invoice' AND t.state = 'issued' AND t.due_date < $today \
                  AND t.total - t.paid - t.credited > 0",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "paid",
            label: |l| td_string!(l, invoices.status_paid),
            sql: "t.state = 'paid'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "credit_notes",
            label: |l| td_string!(l, invoices.credit_notes),
            sql: "t.kind = 'credit_note'",
            lifts_scope: false,
        },
    ],
    default_columns: &[
        "number",
        "invoice_date",
        "customer",
        "project",
        "due_date",
        "total",
        "open",
        "status",
    ],
    default_sort: "-invoice_date",
    default_view: None,
    currency_sql: Some("t.currency"),
};
