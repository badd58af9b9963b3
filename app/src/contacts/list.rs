//! The contacts list as the list view sees it: which fields it offers and the SQL behind each.

use crate::i18n::{td_string, Locale};
use crate::views::schema::{
    text_field as text, EnumOption, FieldDef, FieldKind, ListSchema, PredefinedFilter, SortKey,
};

pub const KINDS: &[EnumOption] = &[
    EnumOption {
        value: "company",
        label: |l: Locale| td_string!(l, contacts.kind_company),
    },
    EnumOption {
        value: "person",
        label: |l: Locale| td_string!(l, contacts.kind_person),
    },
];

pub static CONTACTS: ListSchema = ListSchema {
    key: "contacts",
    from_sql: "contacts t LEFT JOIN users o ON o.id = t.owner_id \
               LEFT JOIN contacts co ON co.id = t.company_id",
    default_scope: Some("NOT t.archived"),
    visibility: None,
    search_sql: "t.search",
    search_hint: |l| td_string!(l, views.search_placeholder),
    fields: &[
        FieldDef {
            sort: Some(SortKey {
                sql: "t.sort_name",
                cast: "text",
            }),
            ..text("name", |l| td_string!(l, contacts.name), "t.name")
        },
        FieldDef {
            kind: FieldKind::Enum(KINDS),
            group_sql: Some("t.kind"),
            ..text("kind", |l| td_string!(l, contacts.kind), "t.kind")
        },
        FieldDef {
            group_sql: Some("co.name"),
            ..text("company", |l| td_string!(l, contacts.company), "co.name")
        },
        text(
            "job_title",
            |l| td_string!(l, contacts.job_title),
            "t.job_title",
        ),
        text(
            "emails",
            |l| td_string!(l, contacts.emails),
            "array_to_string(t.emails, ', ')",
        ),
        text(
            "phones",
            |l| td_string!(l, contacts.phones),
            "array_to_string(t.phones, ', ')",
        ),
        text("street", |l| td_string!(l, contacts.street), "t.street"),
        text(
            "postcode",
            |l| td_string!(l, contacts.postcode),
            "t.postcode",
        ),
        FieldDef {
            sort: Some(SortKey {
                sql: "atrium_fold(t.city)",
                cast: "text",
            }),
            group_sql: Some("nullif(t.city, '')"),
            ..text("city", |l| td_string!(l, contacts.city), "t.city")
        },
        FieldDef {
            group_sql: Some("t.country"),
            ..text("country", |l| td_string!(l, contacts.country), "t.country")
        },
        text("vat", |l| td_string!(l, contacts.vat), "t.vat"),
        text("website", |l| td_string!(l, contacts.website), "t.website"),
        FieldDef {
            kind: FieldKind::Tags,
            ..text("tags", |l| td_string!(l, contacts.tags), "t.tags")
        },
        FieldDef {
            kind: FieldKind::User,
            filter_sql: "t.owner_id",
            group_sql: Some("o.display_name"),
            ..text("owner", |l| td_string!(l, contacts.owner), "o.display_name")
        },
        FieldDef {
            kind: FieldKind::Boolean,
            ..text(
                "archived",
                |l| td_string!(l, contacts.archived),
                "t.archived",
            )
        },
        FieldDef {
            kind: FieldKind::Date,
            sort: Some(SortKey {
                sql: "t.created_at",
                cast: "timestamptz",
            }),
            group_sql: Some("to_char(t.created_at, 'YYYY-MM')"),
            ..text(
                "created",
                |l| td_string!(l, contacts.created),
                "t.created_at::date",
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
            key: "mine",
            label: |l| td_string!(l, contacts.filter_mine),
            sql: "t.owner_id = $me",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "companies",
            label: |l| td_string!(l, contacts.filter_companies),
            sql: "t.kind = 'company'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "people",
            label: |l| td_string!(l, contacts.filter_people),
            sql: "t.kind = 'person'",
            lifts_scope: false,
        },
        PredefinedFilter {
            key: "archived",
            label: |l| td_string!(l, contacts.filter_archived),
            sql: "t.archived",
            lifts_scope: true,
        },
    ],
    default_columns: &["name", "company", "emails", "phones", "city", "owner"],
    default_sort: "name",
    default_view: None,
    currency_sql: None,
};
