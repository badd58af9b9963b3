//! Server functions of the directory. Who may read, create, edit, delete and merge contacts
//! is the policy table's (`domain::policy`); each function parses its input through `domain`
//! and does its writes in one transaction.

use super::{BulkReport, Contact, ContactLinks, ContactPage, ContactRef, ContactSearch, Duplicate};
use crate::codec::JsonAnswer;
use crate::domain::{ContactInput, ContactKind};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::domain::policy::{role_allows, CompanyOp},
    crate::domain::ContactDraft,
    crate::error::FieldProblem,
    sqlx::PgConnection,
};

pub type CreateContactAction = ServerAction<CreateContact>;
pub type UpdateContactAction = ServerAction<UpdateContact>;

/// Parses a form into a draft and checked links (company by id or exact name, owner by id).
#[cfg(feature = "ssr")]
async fn parse_form(
    conn: &mut PgConnection,
    kind: ContactKind,
    links: &ContactLinks,
    input: &ContactInput,
) -> Result<(ContactDraft, Option<Uuid>, Option<Uuid>), AppError> {
    let draft = ContactDraft::parse(input)
        .map_err(|(error, field)| AppError::invalid(field, FieldProblem::from(error)))?;
    let company = match kind {
        ContactKind::Person => db::resolve_company(conn, &links.company).await?,
        ContactKind::Company => None,
    };
    let owner = db::resolve_owner(conn, links.owner).await?;
    Ok((draft, company, owner))
}

#[server(endpoint = "contacts/get", output = JsonAnswer)]
pub async fn get_contact(id: Uuid) -> Result<ContactPage, AppError> {
    crate::api::read_as(CompanyOp::ContactsRead, async |user, conn| {
        let contact = db::get(conn, id).await?;
        let people = match contact.kind {
            ContactKind::Company => db::people_of(conn, id).await?,
            ContactKind::Person => Vec::new(),
        };
        Ok(ContactPage {
            contact,
            people,
            may_edit: role_allows(user.role, CompanyOp::ContactsEdit),
            may_delete: role_allows(user.role, CompanyOp::ContactsDelete),
        })
    })
    .await
}

#[server(endpoint = "contacts/create", output = JsonAnswer)]
pub async fn create_contact(
    kind: ContactKind,
    #[server(flatten)] links: ContactLinks,
    contact: ContactInput,
) -> Result<ContactRef, AppError> {
    crate::api::write_as(CompanyOp::ContactsCreate, async |_user, tx| {
        let (draft, company, owner) = parse_form(tx, kind, &links, &contact).await?;
        let id = db::insert(tx, kind, &draft, company, owner).await?;
        Ok(ContactRef {
            id,
            name: draft.name,
        })
    })
    .await
}

/// Saves an edit made on `version`; a newer version in the database means someone else saved
/// first, and the save is refused with `Conflict`.
#[server(endpoint = "contacts/update", output = JsonAnswer)]
pub async fn update_contact(
    id: Uuid,
    version: i32,
    #[server(flatten)] links: ContactLinks,
    contact: ContactInput,
) -> Result<Contact, AppError> {
    crate::api::write_as(CompanyOp::ContactsEdit, async |_user, tx| {
        let kind = db::get(tx, id).await?.kind;
        let (draft, company, owner) = parse_form(tx, kind, &links, &contact).await?;
        db::update(tx, id, version, &draft, company, owner).await?;
        db::get(tx, id).await
    })
    .await
}

/// Archives (or restores) contacts; archived ones leave the default list but keep every link.
#[server(endpoint = "contacts/archive", input = Json, output = JsonAnswer)]
pub async fn archive_contacts(ids: Vec<Uuid>, archived: bool) -> Result<BulkReport, AppError> {
    crate::api::write_as(CompanyOp::ContactsEdit, async |_user, conn| {
        let changed = db::set_archived(conn, &ids, archived).await?;
        Ok(BulkReport {
            changed,
            refused: Vec::new(),
        })
    })
    .await
}

/// Deletes contacts nothing refers to, and reports the others with what refers to them.
#[server(endpoint = "contacts/delete", input = Json, output = JsonAnswer)]
pub async fn delete_contacts(ids: Vec<Uuid>) -> Result<BulkReport, AppError> {
    crate::api::write_as(CompanyOp::ContactsDelete, async |_user, tx| {
        db::delete(tx, &ids).await
    })
    .await
}

#[server(endpoint = "contacts/tag", input = Json, output = JsonAnswer)]
pub async fn tag_contacts(ids: Vec<Uuid>, tag: String) -> Result<BulkReport, AppError> {
    crate::api::write_as(CompanyOp::ContactsEdit, async |_user, conn| {
        let tag = crate::domain::contact::parse_tag(&tag)
            .map_err(|e| AppError::invalid("tag", FieldProblem::from(e)))?;
        let changed = db::add_tag(conn, &ids, &tag).await?;
        Ok(BulkReport {
            changed,
            refused: Vec::new(),
        })
    })
    .await
}

#[server(endpoint = "contacts/assign_owner", input = Json, output = JsonAnswer)]
pub async fn assign_owner(ids: Vec<Uuid>, owner: Option<Uuid>) -> Result<BulkReport, AppError> {
    crate::api::write_as(CompanyOp::ContactsEdit, async |_user, conn| {
        let owner = db::resolve_owner(conn, owner).await?;
        let changed = db::assign_owner(conn, &ids, owner).await?;
        Ok(BulkReport {
            changed,
            refused: Vec::new(),
        })
    })
    .await
}

/// Contacts that may be the one being typed, for the warning on the create form.
#[server(endpoint = "contacts/duplicates", output = JsonAnswer)]
pub async fn find_duplicates(
    kind: ContactKind,
    name: String,
    #[server(default)] emails: String,
    #[server(default)] vat: String,
    #[server(default)] except: Option<Uuid>,
) -> Result<Vec<Duplicate>, AppError> {
    crate::api::read_as(CompanyOp::ContactsRead, async |_user, conn| {
        // Bounded by the form's own limits before any query: a name longer than a
        // contact may have is no duplicate of anything.
        if name.chars().count() > crate::domain::contact::MAX_LINE {
            return Err(AppError::invalid("name", FieldProblem::NameTooLong));
        }
        if emails.len() > 4096 || vat.len() > 64 {
            return Err(AppError::invalid("emails", FieldProblem::TooManyValues));
        }
        // Only what parses is compared; the form reports the rest on save.
        let emails: Vec<String> = emails
            .split([',', ';', '\n'])
            .take(10)
            .filter_map(|e| crate::domain::Email::parse(&e.to_lowercase()).ok())
            .map(|e| e.as_str().to_string())
            .collect();
        let vat = crate::domain::VatNumber::parse(&vat).ok();
        db::duplicates(
            conn,
            kind,
            &name,
            &emails,
            vat.as_ref().map(|v| v.as_str()),
            except,
        )
        .await
    })
    .await
}

/// Merges `other` into `keep` in one transaction; `other` is gone afterwards.
#[server(endpoint = "contacts/merge", output = JsonAnswer)]
pub async fn merge_contacts(keep: Uuid, other: Uuid) -> Result<ContactRef, AppError> {
    crate::api::write_as(CompanyOp::ContactsDelete, async |_user, tx| {
        db::merge(tx, keep, other).await?;
        let kept = db::get(tx, keep).await?;
        Ok(ContactRef {
            id: kept.id,
            name: kept.name,
        })
    })
    .await
}

/// Companies whose name contains `query`, for the company field of a person.
#[server(endpoint = "contacts/companies", output = JsonAnswer)]
pub async fn search_companies(query: String) -> Result<Vec<ContactRef>, AppError> {
    crate::api::read_as(CompanyOp::ContactsRead, async |_user, conn| {
        db::search(conn, &query, true).await
    })
    .await
}

/// Contacts of any kind whose name contains `query`, and those called exactly `query`, for
/// customer and contact pickers.
#[server(endpoint = "contacts/search", output = JsonAnswer)]
pub async fn search_contacts(query: String) -> Result<ContactSearch, AppError> {
    crate::api::read_as(CompanyOp::ContactsRead, async |_user, conn| {
        let suggestions = db::search(conn, &query, false).await?;
        // Exact names sort first among the suggestions, so their names come from there; one
        // that did not fit is named as typed.
        let named = crate::shared::db::contacts_named(conn, &query)
            .await?
            .into_iter()
            .map(|id| {
                suggestions
                    .iter()
                    .find(|c| c.id == id)
                    .cloned()
                    .unwrap_or_else(|| ContactRef {
                        id,
                        name: query.trim().to_string(),
                    })
            })
            .collect();
        Ok(ContactSearch { suggestions, named })
    })
    .await
}
