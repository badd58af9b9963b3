//! The demo company's projects: one per stage of life (planned, running, on hold, completed,
//! closed) for the demo customers, with members, client contacts by role, tasks in every
//! status (some overdue, some waiting for review) and booked hours. Dates are relative to the
//! day the demo loads, so the company looks busy whenever it is opened.

use super::{contact_id, user_id};
use crate::domain::{Permission, Priority};
use crate::domain::{ProjectDraft, ProjectState, TaskAction, TaskDraft, TaskStatus};
use crate::error::AppError;
use crate::projects::{db as projects, ContactRole};
use crate::tasks::db as tasks;
use crate::tasks::hours;
use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgConnection;

struct DemoTask {
    title: &'static str,
    assignee: &'static str,
    status: TaskStatus,
    /// Days from today.
    start: Option<i64>,
    due: Option<i64>,
    planned: i64,
    booked: &'static [(i64, i64)],
    review: bool,
}

struct DemoProject {
    title: &'static str,
    customer: &'static str,
    manager: &'static str,
    state: ProjectState,
    start: i64,
    end: i64,
    tender_end: Option<i64>,
    budget: i64,
    description: &'static str,
    members: &'static [(&'static str, Permission)],
    contacts: &'static [(ContactRole, &'static str)],
    tasks: &'static [DemoTask],
}

const fn task(
    title: &'static str,
    assignee: &'static str,
    status: TaskStatus,
    start: Option<i64>,
    due: Option<i64>,
    planned: i64,
) -> DemoTask {
    DemoTask {
        title,
        assignee,
        status,
        start,
        due,
        planned,
        booked: &[],
        review: false,
    }
}

const SAM: &str = "demo@atrium.example";
const ANNA: &str = "anna@atrium.example";
const MARC: &str = "marc@atrium.example";
const LUCIA: &str = "lucia@atrium.example";
const GIULIA: &str = "giulia@atrium.example";
const TOM: &str = "tom@atrium.example";

use TaskStatus::*;

const PROJECTS: &[DemoProject] = &[
    DemoProject {
        title: "Renovatie kantoorpand Keizersgracht",
        customer: "Bouwbedrijf De Vries BV",
        manager: ANNA,
        state: ProjectState::InProgress,
        start: -30,
        end: 45,
        tender_end: Some(-40),
        budget: 185_000,
        description:
            "Complete renovation of the canal-side office: electrical, plumbing and finishing.",
        members: &[
            (SAM, Permission::Admin),
            (MARC, Permission::Admin),
            (GIULIA, Permission::Limited),
            (TOM, Permission::Limited),
        ],
        contacts: &[
            (ContactRole::Tender, "Pieter de Vries"),
            (ContactRole::Billing, "Pieter de Vries"),
            (ContactRole::Execution, "Sanne Bakker"),
        ],
        tasks: &[
            DemoTask {
                booked: &[(-27, 4), (-26, 3)],
                ..task(
                    "Site survey and measurements",
                    TOM,
                    Completed,
                    Some(-28),
                    Some(-25),
                    8,
                )
            },
            DemoTask {
                booked: &[(-20, 6)],
                ..task(
                    "Demolition plan",
                    GIULIA,
                    Completed,
                    Some(-24),
                    Some(-18),
                    6,
                )
            },
            DemoTask {
                booked: &[(-4, 6), (-3, 7)],
                ..task(
                    "Electrical rewiring ground floor",
                    TOM,
                    InProgress,
                    Some(-5),
                    Some(10),
                    40,
                )
            },
            DemoTask {
                review: true,
                booked: &[(-2, 3)],
                ..task(
                    "Order sanitary materials",
                    GIULIA,
                    PendingReview,
                    Some(-6),
                    Some(-1),
                    4,
                )
            },
            task(
                "Plumbing first floor",
                GIULIA,
                Pending,
                Some(5),
                Some(20),
                32,
            ),
            task(
                "Check the electrical drawings",
                SAM,
                InProgress,
                Some(-3),
                Some(-1),
                3,
            ),
            task(
                "Plan the final inspection with the client",
                SAM,
                Pending,
                None,
                Some(0),
                1,
            ),
            DemoTask {
                review: true,
                ..task("Final inspection", SAM, Pending, Some(40), Some(45), 6)
            },
        ],
    },
    DemoProject {
        title: "Warmtepomp installatie Utrecht",
        customer: "Installatietechniek Müller",
        manager: SAM,
        state: ProjectState::Planned,
        start: 7,
        end: 30,
        tender_end: Some(3),
        budget: 24_500,
        description: "Air-to-water heat pump with buffer tank and underfloor heating manifold.",
        members: &[(TOM, Permission::Limited)],
        contacts: &[
            (ContactRole::Tender, "Jürgen Müller"),
            (ContactRole::Billing, "Jürgen Müller"),
        ],
        tasks: &[
            task("Intake visit", TOM, Pending, Some(2), Some(3), 3),
            task(
                "Final design and quote check",
                SAM,
                Pending,
                Some(1),
                Some(4),
                5,
            ),
            task("Installation", TOM, Pending, Some(7), Some(20), 48),
            task(
                "Commissioning and handover",
                SAM,
                Pending,
                Some(25),
                Some(30),
                4,
            ),
        ],
    },
    DemoProject {
        title: "Nouvelle agence Lyon – électricité",
        customer: "Électricité Lefèvre SARL",
        manager: MARC,
        state: ProjectState::InProgress,
        start: -14,
        end: 21,
        tender_end: None,
        budget: 62_000,
        description: "Électricité et éclairage de la nouvelle agence, rue de la République.",
        members: &[(GIULIA, Permission::Limited)],
        contacts: &[
            (ContactRole::Execution, "Hélène Lefèvre"),
            (ContactRole::Billing, "Hélène Lefèvre"),
        ],
        tasks: &[
            DemoTask {
                booked: &[(-10, 8), (-9, 8)],
                ..task(
                    "Tableau électrique",
                    GIULIA,
                    Completed,
                    Some(-12),
                    Some(-8),
                    16,
                )
            },
            task(
                "Éclairage LED open space",
                GIULIA,
                Paused,
                Some(-6),
                Some(9),
                24,
            ),
            task(
                "Réception des travaux",
                MARC,
                Pending,
                Some(18),
                Some(21),
                2,
            ),
        ],
    },
    DemoProject {
        title: "Reforma oficinas Madrid",
        customer: "Construcciones García SL",
        manager: LUCIA,
        state: ProjectState::OnHold,
        start: -60,
        end: 60,
        tender_end: Some(-70),
        budget: 98_000,
        description: "Reforma integral de oficinas; en espera del permiso municipal.",
        members: &[(SAM, Permission::Limited)],
        contacts: &[(ContactRole::Tender, "Javier García")],
        tasks: &[
            task(
                "Solicitud de licencia de obra",
                LUCIA,
                Paused,
                Some(-50),
                Some(-5),
                6,
            ),
            task("Revisión del presupuesto", SAM, Pending, None, Some(12), 2),
        ],
    },
    DemoProject {
        title: "Impianto fotovoltaico Verona",
        customer: "Studio Bianchi Ingegneria",
        manager: ANNA,
        state: ProjectState::Completed,
        start: -90,
        end: -20,
        tender_end: Some(-100),
        budget: 41_000,
        description: "Impianto da 60 kWp sul tetto del capannone, con monitoraggio.",
        members: &[(GIULIA, Permission::Admin)],
        contacts: &[
            (ContactRole::Execution, "Chiara Bianchi"),
            (ContactRole::Billing, "Chiara Bianchi"),
        ],
        tasks: &[
            DemoTask {
                booked: &[(-80, 8), (-79, 8), (-78, 6)],
                ..task(
                    "Montaggio strutture",
                    GIULIA,
                    Completed,
                    Some(-82),
                    Some(-70),
                    24,
                )
            },
            DemoTask {
                booked: &[(-40, 7)],
                ..task("Collaudo", GIULIA, Completed, Some(-42), Some(-38), 8)
            },
        ],
    },
    DemoProject {
        title: "Showroom Antwerpen",
        customer: "Architectenbureau Peeters",
        manager: ANNA,
        state: ProjectState::Closed,
        start: -200,
        end: -120,
        tender_end: Some(-210),
        budget: 33_500,
        description: "Verlichting en elektriciteit van de nieuwe showroom.",
        members: &[(TOM, Permission::Limited)],
        contacts: &[(ContactRole::Execution, "Els Peeters")],
        tasks: &[DemoTask {
            booked: &[(-150, 8), (-149, 8)],
            ..task(
                "Verlichtingsplan uitvoeren",
                TOM,
                Completed,
                Some(-160),
                Some(-140),
                16,
            )
        }],
    },
];

/// The actions that bring a new task to `status`, as its assignee and creator would take them.
fn path_to(status: TaskStatus) -> &'static [TaskAction] {
    match status {
        Pending => &[],
        InProgress => &[TaskAction::Start],
        Paused => &[TaskAction::Start, TaskAction::Pause],
        PendingReview => &[TaskAction::Start, TaskAction::Complete],
        Completed => &[TaskAction::Start, TaskAction::Complete],
        Deferred => &[TaskAction::Defer],
    }
}

pub async fn load(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    let day = |offset: i64| today + Duration::days(offset);
    let sam = user_id(conn, SAM).await?;
    for demo in PROJECTS {
        let Some(customer) = contact_id(conn, demo.customer).await? else {
            // The customer was deleted from this demo database: leave the project out.
            continue;
        };
        let manager = user_id(conn, demo.manager).await?;
        let draft = ProjectDraft {
            title: demo.title.to_string(),
            description: demo.description.to_string(),
            start_date: Some(day(demo.start)),
            end_date: Some(day(demo.end)),
            tender_end_date: demo.tender_end.map(day),
            budget: Some(Decimal::new(demo.budget, 0)),
            hourly_rate: Some(Decimal::new(65, 0)),
        };
        let year = chrono::Datelike::year(&day(demo.start));
        let project =
            projects::insert(conn, &draft, Some(customer), Some(manager), sam, year).await?;
        for (email, permission) in demo.members {
            let user = user_id(conn, email).await?;
            projects::add_member(conn, project.id, user, *permission).await?;
        }
        for (role, name) in demo.contacts {
            if let Some(contact) = contact_id(conn, name).await? {
                projects::add_contact(conn, project.id, contact, *role).await?;
            }
        }
        for demo_task in demo.tasks {
            let assignee = user_id(conn, demo_task.assignee).await?;
            let draft = TaskDraft {
                title: demo_task.title.to_string(),
                description: String::new(),
                start_date: demo_task.start.map(day),
                due_date: demo_task.due.map(day),
                planned_hours: Some(Decimal::new(demo_task.planned, 0)),
                priority: if demo_task.due.is_some_and(|d| d <= 0) {
                    Priority::High
                } else {
                    Priority::Normal
                },
                tags: Vec::new(),
                review_on_completion: demo_task.review,
                assignee_may_change_due: true,
            };
            let id = tasks::insert(conn, Some(project.id), &draft, Some(assignee), sam).await?;
            let mut status = Pending;
            for action in path_to(demo_task.status) {
                let by = match action {
                    TaskAction::Accept | TaskAction::Renew => sam,
                    _ => assignee,
                };
                let parts = crate::domain::task_state::Parts {
                    assignee: by == assignee,
                    creator: by == sam,
                };
                let next =
                    crate::domain::task_state::apply(status, *action, parts, demo_task.review, "")
                        .map_err(|_| AppError::Internal)?;
                tasks::set_status(conn, id, status, next, *action, "", by).await?;
                status = next;
            }
            if status == PendingReview && demo_task.status == Completed {
                tasks::set_status(conn, id, status, Completed, TaskAction::Accept, "", sam).await?;
            }
            for (offset, hours) in demo_task.booked {
                let entry = hours::NewTimeEntry {
                    task: id,
                    project: Some(project.id),
                    user: assignee,
                    work_date: day(*offset),
                    hours: Decimal::new(*hours, 0),
                    note: "",
                    billable: true,
                };
                hours::add_time_entry(conn, entry).await?;
            }
            // The assignee has seen their tasks, except the newest ones.
            if demo_task.start.is_some_and(|s| s < 0) {
                tasks::mark_seen(conn, id, assignee).await?;
            }
        }
        if demo.state != ProjectState::Planned {
            sqlx::query!(
                "UPDATE projects SET state = $2 WHERE id = $1",
                project.id,
                demo.state.as_str()
            )
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}
