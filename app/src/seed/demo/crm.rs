//! The demo company's pipeline: deals in every stage for the demo customers in NL, BE, FR,
//! ES and IT, with planned activities (some overdue, some due today), notes, a won and a lost
//! deal, and tasks created from a deal. Dates are relative to the day the demo loads.

use super::{contact_id, user_id};
use crate::activities::db as activities;
use crate::activities::TimelineEvent;
use crate::crm::db::{self as crm, Links};
use crate::domain::activity::ActivityDraft;
use crate::domain::opportunity::{OpportunityAction, OpportunityDraft};
use crate::domain::{Priority, TaskAction, TaskDraft, TaskStatus};
use crate::error::AppError;
use crate::shared::RecordKind;
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

struct DemoDeal {
    title: &'static str,
    customer: &'static str,
    contact: Option<&'static str>,
    salesperson: &'static str,
    /// The built-in stage key.
    stage: &'static str,
    revenue: i64,
    probability: u8,
    closing: i64,
    stars: u8,
    tags: &'static [&'static str],
    source: &'static str,
    /// (type key, days from today, summary, assigned to)
    activities: &'static [(&'static str, i64, &'static str, &'static str)],
    note: Option<&'static str>,
    close: Option<OpportunityAction>,
}

const SAM: &str = "demo@atrium.example";
const ANNA: &str = "anna@atrium.example";
const MARC: &str = "marc@atrium.example";
const LUCIA: &str = "lucia@atrium.example";

const DEALS: &[DemoDeal] = &[
    DemoDeal {
        title: "Solar panels on the warehouse roof",
        customer: "Groothandel Van Dijk",
        contact: None,
        salesperson: ANNA,
        stage: "new",
        revenue: 64_000,
        probability: 20,
        closing: 60,
        stars: 1,
        tags: &["solar"],
        source: "Website",
        activities: &[("call", 1, "First call: roof surface and connection", ANNA)],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Office lighting retrofit",
        customer: "Agence Durand & Fils",
        contact: Some("Camille Durand"),
        salesperson: MARC,
        stage: "new",
        revenue: 12_400,
        probability: 25,
        closing: 45,
        stars: 0,
        tags: &["lighting"],
        source: "Salon Batimat",
        activities: &[],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Heat pump for a villa in Valencia",
        customer: "Reformas Núñez",
        contact: None,
        salesperson: LUCIA,
        stage: "new",
        revenue: 18_900,
        probability: 30,
        closing: 30,
        stars: 2,
        tags: &["hvac"],
        source: "Referral",
        activities: &[("email", 0, "Send the brochure and references", LUCIA)],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Bathroom renovation, three apartments",
        customer: "Bouwbedrijf De Vries BV",
        contact: Some("Sanne Bakker"),
        salesperson: ANNA,
        stage: "qualified",
        revenue: 38_500,
        probability: 50,
        closing: 21,
        stars: 2,
        tags: &["renovation"],
        source: "Existing customer",
        activities: &[("meeting", 3, "Site visit with Sanne", ANNA)],
        note: Some("Sanne wants the three bathrooms done before the tenants move in."),
        close: None,
    },
    DemoDeal {
        title: "Yearly electrical inspection contract",
        customer: "Électricité Lefèvre SARL",
        contact: None,
        salesperson: MARC,
        stage: "qualified",
        revenue: 9_600,
        probability: 60,
        closing: 14,
        stars: 1,
        tags: &["maintenance"],
        source: "Phone",
        activities: &[("call", -2, "Call back about the contract length", MARC)],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Studio extension, structural study",
        customer: "Studio Bianchi Ingegneria",
        contact: Some("Chiara Bianchi"),
        salesperson: SAM,
        stage: "qualified",
        revenue: 22_000,
        probability: 40,
        closing: 35,
        stars: 1,
        tags: &["engineering"],
        source: "Website",
        activities: &[("meeting", -1, "Review the drawings with Chiara", SAM)],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Kitchen refit for the showroom",
        customer: "Architectenbureau Peeters",
        contact: Some("Els Peeters"),
        salesperson: ANNA,
        stage: "proposition",
        revenue: 27_750,
        probability: 70,
        closing: 10,
        stars: 3,
        tags: &["renovation", "showroom"],
        source: "Referral",
        activities: &[("todo", 2, "Finish the proposal", ANNA)],
        note: Some("Els compared us with two other installers; our lead time is the argument."),
        close: None,
    },
    DemoDeal {
        title: "HVAC maintenance 2027",
        customer: "Impianti Rossi Srl",
        contact: None,
        salesperson: SAM,
        stage: "proposition",
        revenue: 15_200,
        probability: 75,
        closing: 7,
        stars: 2,
        tags: &["maintenance", "hvac"],
        source: "Existing customer",
        activities: &[
            ("call", 0, "Confirm the price per visit", SAM),
            ("document", 5, "Upload the signed maintenance plan", SAM),
        ],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Office fit-out in Madrid",
        customer: "Construcciones García SL",
        contact: Some("Javier García"),
        salesperson: LUCIA,
        stage: "proposition",
        revenue: 84_000,
        probability: 60,
        closing: 18,
        stars: 2,
        tags: &["fit-out"],
        source: "Tender",
        activities: &[("meeting", 6, "Presentation to the board", LUCIA)],
        note: None,
        close: None,
    },
    DemoDeal {
        title: "Roof insulation, production hall",
        customer: "Installatietechniek Müller",
        contact: None,
        salesperson: ANNA,
        stage: "proposition",
        revenue: 31_300,
        probability: 90,
        closing: -3,
        stars: 2,
        tags: &["insulation"],
        source: "Existing customer",
        activities: &[],
        note: Some("Signed at the meeting on site."),
        close: Some(OpportunityAction::MarkWon),
    },
    DemoDeal {
        title: "Car park lighting",
        customer: "Agence Durand & Fils",
        contact: None,
        salesperson: MARC,
        stage: "qualified",
        revenue: 7_800,
        probability: 10,
        closing: -10,
        stars: 0,
        tags: &["lighting"],
        source: "Website",
        activities: &[],
        note: None,
        close: Some(OpportunityAction::MarkLost),
    },
];

pub async fn load(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    let day = |offset: i64| today + Duration::days(offset);
    let sam = user_id(conn, SAM).await?;
    let pipeline = crm::pipelines(conn).await?;
    let Some(pipeline) = pipeline
        .into_iter()
        .find(|p| p.named.key.as_deref() == Some("sales"))
    else {
        return Ok(());
    };
    let types = activities::types(conn).await?;
    let reasons = crm::lost_reasons(conn).await?;
    for deal in DEALS {
        let Some(customer) = contact_id(conn, deal.customer).await? else {
            continue;
        };
        let contact = match deal.contact {
            Some(name) => contact_id(conn, name).await?,
            None => None,
        };
        let salesperson = user_id(conn, deal.salesperson).await?;
        let Some(stage) = pipeline
            .stages
            .iter()
            .find(|s| s.named.key.as_deref() == Some(deal.stage))
        else {
            continue;
        };
        let draft = OpportunityDraft {
            title: deal.title.to_string(),
            expected_revenue: Some(Decimal::new(deal.revenue, 0)),
            probability: Some(deal.probability),
            expected_closing: Some(day(deal.closing)),
            priority: deal.stars,
            tags: deal.tags.iter().map(|t| t.to_string()).collect(),
            source: deal.source.to_string(),
            description: String::new(),
        };
        let links = Links {
            customer: Some(customer),
            contact,
            salesperson: Some(salesperson),
        };
        let id = crm::insert(
            conn,
            &draft,
            links,
            Some(pipeline.id),
            Some(stage.id),
            salesperson,
        )
        .await?;
        for (kind, due, summary, assigned) in deal.activities {
            let Some(kind) = types.iter().find(|t| t.named.key.as_deref() == Some(*kind)) else {
                continue;
            };
            let draft = ActivityDraft {
                kind: kind.id.to_string(),
                due: day(*due),
                summary: summary.to_string(),
                note: String::new(),
            };
            let assigned = user_id(conn, assigned).await?;
            activities::schedule(
                conn,
                RecordKind::Opportunity,
                id,
                &draft,
                Some(assigned),
                salesperson,
            )
            .await?;
        }
        if let Some(note) = deal.note {
            let event = TimelineEvent::Note {
                text: note.to_string(),
            };
            activities::log(conn, RecordKind::Opportunity, id, Some(salesperson), &event).await?;
        }
        if let Some(action) = deal.close {
            let reason = reasons
                .iter()
                .find(|r| r.named.key.as_deref() == Some("too_expensive"))
                .map(|r| r.id);
            let version = crm::get(conn, id).await?.version;
            crm::act(conn, id, version, action, reason, "", salesperson).await?;
        }
        if deal.title == "Kitchen refit for the showroom" {
            deal_tasks(conn, id, sam, today).await?;
        }
    }
    Ok(())
}

/// Tasks created from the showroom deal: one in progress, one waiting to start with review.
async fn deal_tasks(
    conn: &mut PgConnection,
    deal: Uuid,
    sam: Uuid,
    today: NaiveDate,
) -> Result<(), AppError> {
    let anna = user_id(conn, ANNA).await?;
    let tom = user_id(conn, "tom@atrium.example").await?;
    let tasks = [
        (
            "Prepare the quote for the showroom kitchen",
            anna,
            2,
            false,
            true,
        ),
        ("Measure the showroom", tom, 4, true, false),
    ];
    for (title, assignee, due, review, start) in tasks {
        let draft = TaskDraft {
            title: title.to_string(),
            description: String::new(),
            start_date: None,
            due_date: Some(today + Duration::days(due)),
            planned_hours: None,
            priority: Priority::Normal,
            tags: Vec::new(),
            review_on_completion: review,
            assignee_may_change_due: true,
        };
        let task = crate::tasks::db::insert(conn, None, &draft, Some(assignee), sam).await?;
        crm::link_task(conn, deal, task, sam).await?;
        if start {
            crate::tasks::db::set_status(
                conn,
                task,
                TaskStatus::Pending,
                TaskStatus::InProgress,
                TaskAction::Start,
                "",
                assignee,
            )
            .await?;
        }
    }
    Ok(())
}
