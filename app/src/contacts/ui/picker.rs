//! Picking a contact from the directory in a form: a text field that suggests matching
//! contacts as one types. A typed or pasted name is looked up as the server resolves names
//! (trimmed, case and accents aside): the one contact so called is picked; none or several
//! are said beside the field, and the text stays. The picked id travels in a hidden field;
//! without JavaScript the server resolves the typed name by the same rule.

use crate::contacts::api::search_contacts;
use crate::contacts::{ContactRef, ContactSearch};
use crate::error::{AppError, FieldProblem};
use crate::i18n::{td_string, use_i18n, Locale};
use crate::ui::InBrowser;
use leptos::prelude::*;
use uuid::Uuid;

/// What a picker holds; its form is told of every change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickedContact {
    /// The field is empty.
    Nobody,
    Contact(ContactRef),
    /// A typed name the server is still asked about.
    Looking(String),
    /// A typed name no contact has.
    Unknown(String),
    /// A typed name several contacts have.
    Ambiguous(String),
}

impl From<Option<ContactRef>> for PickedContact {
    fn from(contact: Option<ContactRef>) -> Self {
        contact.map_or(PickedContact::Nobody, PickedContact::Contact)
    }
}

impl PickedContact {
    pub fn contact(&self) -> Option<&ContactRef> {
        match self {
            PickedContact::Contact(contact) => Some(contact),
            _ => None,
        }
    }

    pub fn id(&self) -> Option<Uuid> {
        self.contact().map(|c| c.id)
    }

    /// The typed name when no contact is picked, for a server function that resolves names
    /// itself (`shared::db::resolve_contact`); empty otherwise.
    pub fn typed_name(&self) -> &str {
        match self {
            PickedContact::Nobody | PickedContact::Contact(_) => "",
            PickedContact::Looking(text)
            | PickedContact::Unknown(text)
            | PickedContact::Ambiguous(text) => text,
        }
    }

    /// The picked contact's id, or none for an empty field. A typed name that picked nobody
    /// is refused on `field`, so that a form never saves without what the user typed.
    pub fn require(&self, locale: Locale, field: &str) -> Result<Option<Uuid>, AppError> {
        match self {
            PickedContact::Nobody => Ok(None),
            PickedContact::Contact(contact) => Ok(Some(contact.id)),
            PickedContact::Looking(_) | PickedContact::Unknown(_) => Err(unknown(locale, field)),
            PickedContact::Ambiguous(_) => Err(AppError::refused(
                field,
                FieldProblem::ContactAmbiguous,
                td_string!(locale, fields.contact_ambiguous),
            )),
        }
    }

    /// The text the field shows for this.
    fn text(&self) -> &str {
        match self {
            PickedContact::Contact(contact) => &contact.name,
            other => other.typed_name(),
        }
    }

    /// What `text` picks before the server answers: the one suggestion so called (a
    /// suggestion chosen from the list), else nothing yet.
    fn at_once(text: &str, suggestions: &[ContactRef]) -> PickedContact {
        let text = text.trim();
        if text.is_empty() {
            return PickedContact::Nobody;
        }
        let mut same = suggestions.iter().filter(|c| same_name(&c.name, text));
        match (same.next(), same.next()) {
            (Some(only), None) => PickedContact::Contact(only.clone()),
            _ => PickedContact::Looking(text.to_string()),
        }
    }

    /// What `text` picks once the server said who is called so.
    fn answered(text: &str, search: &ContactSearch) -> PickedContact {
        let text = text.trim();
        if text.is_empty() {
            return PickedContact::Nobody;
        }
        match search.named.as_slice() {
            [only] => PickedContact::Contact(only.clone()),
            [] => PickedContact::Unknown(text.to_string()),
            _ => PickedContact::Ambiguous(text.to_string()),
        }
    }
}

/// What the picker found out about a typed name, when that name picked nobody.
fn finding_text(locale: Locale, picked: &PickedContact) -> Option<String> {
    let text = match picked {
        PickedContact::Unknown(name) => {
            td_string!(locale, contacts.picker_unknown, name = name.clone()).to_string()
        }
        PickedContact::Ambiguous(name) => {
            td_string!(locale, contacts.picker_ambiguous, name = name.clone()).to_string()
        }
        _ => return None,
    };
    Some(text)
}

/// Names compared as typed: trimmed, case aside.
fn same_name(name: &str, text: &str) -> bool {
    name.trim().to_lowercase() == text.trim().to_lowercase()
}

#[component]
pub fn ContactPicker(
    /// Form name of the typed text; the picked id goes in `id_name`.
    name: &'static str,
    id_name: &'static str,
    #[prop(into)] label: Signal<String>,
    /// A contact (`Option<ContactRef>`), or what the picker held when it was last shown.
    #[prop(into, default = PickedContact::Nobody)]
    initial: PickedContact,
    #[prop(optional, into)] error: Signal<Option<String>>,
    /// Distinguishes two pickers on one page.
    #[prop(optional)]
    form: &'static str,
    /// Told about every change: a pick, a cleared field, a name that picks nobody.
    #[prop(optional)]
    on_pick: Option<Callback<PickedContact>>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let input_id = format!("{form}field-{name}");
    let list_id = format!("{form}options-{name}");
    let error_id = format!("{input_id}-error");
    let initial_text = initial.text().to_string();
    let initial_id = initial.id().map(|id| id.to_string()).unwrap_or_default();
    // The contact a form was opened with stays picked when its name is typed again, even if
    // it is archived or shares its name.
    let opened_with = StoredValue::new(initial.contact().cloned());
    // The text to ask the server about: nothing until the user types, unless the picker
    // comes back with a name that picked nobody.
    let query = RwSignal::new(match &initial {
        PickedContact::Nobody | PickedContact::Contact(_) => None,
        unresolved => Some(unresolved.typed_name().to_string()),
    });
    let picked = RwSignal::new(initial);
    let found = RwSignal::new(Vec::<ContactRef>::new());

    let choose = move |next: PickedContact| {
        if picked.with_untracked(|now| *now != next) {
            picked.set(next.clone());
            if let Some(callback) = on_pick {
                callback.run(next);
            }
        }
    };
    let resolve = move |text: &str, search: Option<&ContactSearch>| {
        let kept =
            opened_with.with_value(|c| c.as_ref().filter(|c| same_name(&c.name, text)).cloned());
        match (kept, search) {
            (Some(contact), _) => PickedContact::Contact(contact),
            (None, Some(search)) => PickedContact::answered(text, search),
            (None, None) => found.with_untracked(|list| PickedContact::at_once(text, list)),
        }
    };

    // The server is asked in the browser only, as the user types or pastes.
    let lookup = LocalResource::new(move || {
        let text = query.get();
        async move {
            match text {
                Some(text) if !text.trim().is_empty() => search_contacts(text.clone())
                    .await
                    .map(|search| Some((text, search))),
                _ => Ok(None),
            }
        }
    });
    Effect::new(move |_| {
        let Some(Ok(answer)) = lookup.in_browser() else {
            return;
        };
        let Some((text, search)) = answer else {
            found.set(Vec::new());
            return;
        };
        // An answer about an older text waits for the one about the current text.
        if query.with_untracked(|q| q.as_deref() != Some(text.as_str())) {
            return;
        }
        choose(resolve(text.as_str(), Some(&search)));
        found.set(search.suggestions);
    });
    let on_input = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        choose(resolve(text.as_str(), None));
        query.set(Some(text));
    };

    // The picker's own finding comes first: it is about the text now in the field.
    let message = Signal::derive(move || {
        let locale = i18n.get_locale();
        picked
            .with(|p| finding_text(locale, p))
            .or_else(|| error.get())
    });
    view! {
        <div class="field" class:field--invalid=move || message.with(Option::is_some)>
            <label for=input_id.clone()>{label}</label>
            <input id=input_id.clone() name=name list=list_id.clone() autocomplete="off"
                required=required
                value=initial_text
                aria-invalid=move || message.with(Option::is_some).then_some("true")
                aria-describedby={
                    let error_id = error_id.clone();
                    move || message.with(Option::is_some).then(|| error_id.clone())
                }
                on:input=on_input/>
            <input type="hidden" name=id_name
                value=initial_id
                prop:value=move || picked.with(PickedContact::id).map(|id| id.to_string()).unwrap_or_default()/>
            <datalist id=list_id>
                <For each=move || found.get() key=|c| c.id let:contact>
                    <option value=contact.name.clone()></option>
                </For>
            </datalist>
            {move || message.get().map(|message| view! {
                <p class="field__error" id=error_id.clone() role="alert">{message}</p>
            })}
        </div>
    }
}

/// "No contact has this name", on `field`.
pub fn unknown(locale: Locale, field: &str) -> AppError {
    AppError::refused(
        field,
        FieldProblem::ContactUnknown,
        td_string!(locale, fields.contact_unknown),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str) -> ContactRef {
        ContactRef {
            id: Uuid::new_v4(),
            name: name.to_string(),
        }
    }

    #[test]
    fn a_suggestion_typed_in_another_case_is_picked_at_once() {
        let acme = contact("Acme Trading");
        let picked = PickedContact::at_once("  acme trading ", &[contact("Acme"), acme.clone()]);
        assert_eq!(picked, PickedContact::Contact(acme));
    }

    #[test]
    fn a_name_no_suggestion_has_waits_for_the_server() {
        let picked = PickedContact::at_once("Acme Trading", &[]);
        assert_eq!(picked, PickedContact::Looking("Acme Trading".to_string()));
        assert_eq!(picked.typed_name(), "Acme Trading");
    }

    #[test]
    fn the_server_answer_picks_one_and_names_none_or_several() {
        let acme = contact("Acme");
        let one = ContactSearch {
            suggestions: vec![acme.clone()],
            named: vec![acme.clone()],
        };
        let several = ContactSearch {
            suggestions: vec![acme.clone(), contact("Acme")],
            named: vec![acme.clone(), contact("Acme")],
        };
        assert_eq!(
            PickedContact::answered(" ACME", &one),
            PickedContact::Contact(acme)
        );
        assert_eq!(
            PickedContact::answered("Acme ", &ContactSearch::default()),
            PickedContact::Unknown("Acme".to_string())
        );
        assert_eq!(
            PickedContact::answered("Acme", &several),
            PickedContact::Ambiguous("Acme".to_string())
        );
        assert_eq!(PickedContact::answered("   ", &one), PickedContact::Nobody);
    }

    #[test]
    fn a_name_that_picked_nobody_is_refused_not_dropped() {
        let refused = |picked: PickedContact| picked.require(Locale::nl, "customer").err();
        let said = |problem| Some(AppError::invalid("customer", problem).translated(Locale::nl));
        assert_eq!(
            refused(PickedContact::Unknown("Acme".to_string())),
            said(FieldProblem::ContactUnknown)
        );
        assert_eq!(
            refused(PickedContact::Looking("Acme".to_string())),
            said(FieldProblem::ContactUnknown)
        );
        assert_eq!(
            refused(PickedContact::Ambiguous("Acme".to_string())),
            said(FieldProblem::ContactAmbiguous)
        );
        assert_eq!(
            PickedContact::Nobody.require(Locale::nl, "customer"),
            Ok(None)
        );
        let acme = contact("Acme");
        assert_eq!(
            PickedContact::Contact(acme.clone()).require(Locale::nl, "customer"),
            Ok(Some(acme.id))
        );
    }
}
