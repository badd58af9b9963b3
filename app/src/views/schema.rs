//! What a list offers: its fields (each with the one SQL expression it may use), predefined
//! filters, sorts and groupings. A schema is the whitelist the filter builder obeys: nothing a
//! request names reaches SQL unless a schema lists it.

use crate::i18n::{td_string, Locale};

/// How a field is filtered, sorted, shown and exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Number,
    Money,
    Date,
    /// One of a fixed set of values; `EnumOption::label` translates each.
    Enum(&'static [EnumOption]),
    /// A user; filtered by id, shown by name.
    User,
    /// Another record (e.g. a task's project); filtered by id, shown by its label.
    Record,
    Tags,
    Boolean,
}

#[derive(Clone, Copy, Debug)]
pub struct EnumOption {
    pub value: &'static str,
    pub label: fn(Locale) -> &'static str,
}

/// Options are the same when their values are: labels are translations of the value.
impl PartialEq for EnumOption {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Eq for EnumOption {}

/// One field of a list.
#[derive(Clone, Copy, Debug)]
pub struct FieldDef {
    pub key: &'static str,
    pub kind: FieldKind,
    pub label: fn(Locale) -> &'static str,
    /// What a cell shows (a user field shows the name).
    pub select_sql: &'static str,
    /// What filters compare against (a user field compares ids).
    pub filter_sql: &'static str,
    /// How the list sorts by this field, if it does.
    pub sort: Option<SortKey>,
    /// A text expression to group by, if the list groups by this field.
    pub group_sql: Option<&'static str>,
    /// Summed per group and shown in group headers (numbers and money only).
    pub summed: bool,
    /// Where a cell links to, if it does: a text expression giving the page of the record
    /// the cell names (NULL for no link), read beside the cell.
    pub link_sql: Option<&'static str>,
}

/// Fields are the same when their keys are: a schema has one field per key.
impl PartialEq for FieldDef {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

/// A never-NULL expression with an index `(expr, t.id)`, and the SQL type its text form is
/// cast back to when a page cursor resumes after it.
#[derive(Clone, Copy, Debug)]
pub struct SortKey {
    pub sql: &'static str,
    pub cast: &'static str,
}

/// A named filter users pick with one click ("My contacts", "Archived").
#[derive(Clone, Copy, Debug)]
pub struct PredefinedFilter {
    pub key: &'static str,
    pub label: fn(Locale) -> &'static str,
    /// A condition; `$me` stands for the signed-in user's id and is bound, never pasted.
    pub sql: &'static str,
    /// Lifts the list's default scope (e.g. "Archived" shows what is hidden by default).
    pub lifts_scope: bool,
}

#[derive(Debug)]
pub struct ListSchema {
    /// Stable name: URLs, saved views and preferences refer to it.
    pub key: &'static str,
    /// `FROM` clause with the joins the expressions need; the main table's alias is `t`.
    pub from_sql: &'static str,
    /// Applied unless a predefined filter lifts it (e.g. hide archived records).
    pub default_scope: Option<&'static str>,
    /// Who sees which rows, unless they see all (company admins and managers): a condition
    /// with `$me`, e.g. "a member of the project".
    pub visibility: Option<&'static str>,
    /// Folded text the inline search looks in (trigram-indexed).
    pub search_sql: &'static str,
    /// What the search box says it searches.
    pub search_hint: fn(Locale) -> &'static str,
    pub fields: &'static [FieldDef],
    pub predefined: &'static [PredefinedFilter],
    pub default_columns: &'static [&'static str],
    /// The field sorted by when the view names none; a leading `-` sorts it descending.
    pub default_sort: &'static str,
    /// The view (a URL query, e.g. `p=mine`) the list opens with when the user has no default
    /// view of their own; `None` opens the plain list. `?d=0` always shows the plain list.
    pub default_view: Option<&'static str>,
    /// The currency of each row's money fields, when rows may differ in currency: money cells
    /// then show it, and group sums keep one amount per currency.
    pub currency_sql: Option<&'static str>,
}

impl ListSchema {
    /// The default sort field and whether it is descending.
    pub fn default_order(&self) -> (&'static str, bool) {
        match self.default_sort.strip_prefix('-') {
            Some(field) => (field, true),
            None => (self.default_sort, false),
        }
    }
}

impl FieldDef {
    /// A stored value as people read it: an option's label, yes or no, or the value itself.
    pub fn value_label(&self, locale: Locale, value: &str) -> String {
        match (self.kind, value) {
            (FieldKind::Enum(options), _) => EnumOption::find(options, value)
                .map_or_else(|| value.to_string(), |o| (o.label)(locale).to_string()),
            (FieldKind::Boolean, "true" | "false") => yes_no(locale, value == "true"),
            _ => value.to_string(),
        }
    }
}

/// A field shown, filtered and exported through one text expression, neither sorted nor
/// grouped; lists start from it and set what differs (`..text_field(…)`).
pub const fn text_field(
    key: &'static str,
    label: fn(Locale) -> &'static str,
    sql: &'static str,
) -> FieldDef {
    FieldDef {
        key,
        kind: FieldKind::Text,
        label,
        select_sql: sql,
        filter_sql: sql,
        sort: None,
        group_sql: None,
        summed: false,
        link_sql: None,
    }
}

fn currency_label(locale: Locale) -> &'static str {
    td_string!(locale, views.currency)
}

/// The currency code of a list whose rows may differ in currency: shown, filtered, grouped
/// and exported beside the amounts.
pub const fn currency_field(sql: &'static str) -> FieldDef {
    FieldDef {
        group_sql: Some(sql),
        ..text_field("currency", currency_label, sql)
    }
}

/// A boolean as people read it.
pub fn yes_no(locale: Locale, value: bool) -> String {
    if value {
        td_string!(locale, views.yes).to_string()
    } else {
        td_string!(locale, views.no).to_string()
    }
}

impl ListSchema {
    /// The currency expression read beside `field`: for money fields of lists with currencies.
    pub fn currency_of(&self, field: &FieldDef) -> Option<&'static str> {
        match field.kind {
            FieldKind::Money => self.currency_sql,
            _ => None,
        }
    }

    pub fn field(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn predefined_filter(&self, key: &str) -> Option<&'static PredefinedFilter> {
        self.predefined.iter().find(|p| p.key == key)
    }

    pub fn sortable(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.sort.is_some())
    }

    pub fn groupable(&self) -> impl Iterator<Item = &'static FieldDef> {
        self.fields.iter().filter(|f| f.group_sql.is_some())
    }
}

impl EnumOption {
    pub fn find(options: &'static [EnumOption], value: &str) -> Option<&'static EnumOption> {
        options.iter().find(|o| o.value == value)
    }
}
