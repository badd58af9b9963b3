//! The steps the tests' stories repeat, as a signed-in person takes them: open a quote, save
//! its lines, confirm it; start a project and give it a task; read a record's timeline.

use super::session::{Reply, Session};
use app::activities::api::LoadTimeline;
use app::domain::quote::LineInput;
use app::domain::{ProjectInput, TaskInput};
use app::projects::api::CreateProject;
use app::projects::ProjectRef;
use app::quotes::api::{ConfirmQuote, CreateQuote, GetQuote, SaveQuote};
use app::quotes::{CustomerChoice, Quote};
use app::shared::RecordKind;
use app::tasks::api::CreateTask;
use serde_json::{json, Value};
use uuid::Uuid;

impl Session {
    /// A new draft quote, standalone, for the customer the dialog chose.
    pub async fn create_quote(&self, customer: CustomerChoice) -> Uuid {
        self.call(CreateQuote {
            opportunity: None,
            customer,
        })
        .await
        .ok()
    }

    pub async fn quote(&self, id: Uuid) -> Quote {
        self.call(GetQuote { id }).await.ok()
    }

    /// The quote form as the page fills it from the quote: its header as read, no lines.
    /// Kept as JSON, field for field: the form's types need not be the page's.
    pub async fn quote_form(&self, id: Uuid) -> Value {
        let quote = self.call(GetQuote { id }).await.ok_json();
        json!({
            "id": id,
            "version": quote["version"],
            "title": quote["title"],
            "customer_id": quote["customer"]["id"],
            "contact_id": null,
            "salesperson_id": quote["salesperson"]["id"],
            "quote_date": quote["quote_date"],
            "valid_until": quote["valid_until"],
            "currency": quote["currency"],
            "notes": "",
            "lines": [],
        })
    }

    /// Saves the quote form (see `quote_form`).
    pub async fn save_quote(&self, form: Value) -> Reply<Quote> {
        let quote = serde_json::from_value(form).expect("a quote form");
        self.call(SaveQuote { quote }).await
    }

    /// Saves the quote with `lines`, keeping its header.
    pub async fn save_quote_lines(&self, id: Uuid, lines: Vec<LineInput>) -> Reply<Quote> {
        let mut form = self.quote_form(id).await;
        form["lines"] = serde_json::to_value(lines).unwrap();
        self.save_quote(form).await
    }

    /// Confirms the quote; a success names the project it made.
    pub async fn confirm_quote(&self, id: Uuid) -> Reply<Uuid> {
        self.call(ConfirmQuote { id }).await
    }

    /// A project with only a title.
    pub async fn create_project(&self, title: &str) -> ProjectRef {
        self.call(CreateProject {
            links: Default::default(),
            project: ProjectInput {
                title: title.to_string(),
                ..Default::default()
            },
        })
        .await
        .ok()
    }

    /// A task in `project` with only a title, nobody assigned.
    pub async fn create_task(&self, project: Uuid, title: &str) -> Uuid {
        self.call(CreateTask {
            project: Some(project),
            people: Default::default(),
            add_member: false,
            task: TaskInput {
                title: title.to_string(),
                ..Default::default()
            },
        })
        .await
        .ok()
    }

    /// The newest page of a record's timeline.
    pub async fn timeline(&self, kind: RecordKind, id: Uuid) -> Value {
        self.call(LoadTimeline {
            kind,
            id,
            after: None,
        })
        .await
        .ok_json()
    }
}
