//! The contacts directory: companies and the people who work for them, the customers of every
//! opportunity, quote and project. One table holds both kinds.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod import;
pub mod list;
pub mod ui;

use crate::domain::{ContactInput, ContactKind};
use crate::shared::UserRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A contact field's label, as the list, the forms and the import name it.
pub fn field_label(locale: crate::i18n::Locale, key: &str) -> String {
    use crate::i18n::td_string;
    match list::CONTACTS.field(key) {
        Some(field) => (field.label)(locale).to_string(),
        None if key == "notes" => td_string!(locale, contacts.notes).to_string(),
        None => td_string!(locale, contacts.import_ignore).to_string(),
    }
}

/// A contact as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Uuid,
    pub kind: ContactKind,
    pub name: String,
    pub company: Option<ContactRef>,
    pub job_title: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub street: String,
    pub postcode: String,
    pub city: String,
    pub country: Option<String>,
    pub vat: Option<String>,
    pub website: String,
    pub tags: Vec<String>,
    pub notes: String,
    pub owner: Option<UserRef>,
    pub archived: bool,
    pub version: i32,
}

impl Contact {
    /// The contact's fields as a form shows them, for editing.
    pub fn input(&self) -> ContactInput {
        ContactInput {
            name: self.name.clone(),
            job_title: self.job_title.clone(),
            emails: self.emails.join(", "),
            phones: self.phones.join(", "),
            street: self.street.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            country: self.country.clone().unwrap_or_default(),
            vat: self.vat.clone().unwrap_or_default(),
            website: self.website.clone(),
            tags: self.tags.join(", "),
            notes: self.notes.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRef {
    pub id: Uuid,
    pub name: String,
}

/// What a contact picker learns about a typed text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSearch {
    /// Contacts whose name contains the text, those starting with it first; at most 20.
    pub suggestions: Vec<ContactRef>,
    /// The contacts called exactly the text, at most two: the rule a server function applies
    /// to a name typed without picking (`shared::db::resolve_contact`), so the picker and
    /// the save agree.
    pub named: Vec<ContactRef>,
}

/// A contact page: the contact and, for a company, its people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactPage {
    pub contact: Contact,
    pub people: Vec<PersonLine>,
    /// What the policy table lets the reader do with it: edit and archive; delete and merge.
    pub may_edit: bool,
    pub may_delete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLine {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub archived: bool,
}

/// A possible duplicate, shown while creating and offered for merging.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub id: Uuid,
    pub name: String,
    pub kind: ContactKind,
    pub city: String,
    /// Which of e-mail, VAT or name matched.
    pub reason: DuplicateReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    Email,
    Vat,
    Name,
}

/// What a bulk action did: how many rows changed, and which were left alone and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub changed: usize,
    pub refused: Vec<Refusal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub name: String,
    /// How many people still belong to this company.
    pub people: i64,
    /// How many projects have it as customer or client contact.
    pub projects: i64,
    /// How many opportunities have it as customer or contact person.
    #[serde(default)]
    pub opportunities: i64,
    /// How many quotes and sales orders have it as customer or contact person.
    #[serde(default)]
    pub quotes: i64,
}

/// A contact's links as its form sends them: the company a person works for, by its exact
/// name, and the owner (blank: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLinks {
    #[serde(default)]
    pub company: String,
    #[serde(default, deserialize_with = "crate::domain::form::blank_as_none")]
    pub owner: Option<Uuid>,
}
