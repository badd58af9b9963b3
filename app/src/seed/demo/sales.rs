//! The demo company's sales: its letterhead, a catalogue of services (with the tasks they
//! become) and goods, a configurable bathroom renovation, and quotes in every state: a draft,
//! a sent one, an expired one, a cancelled one and two confirmed into sales orders whose
//! projects created themselves.

use crate::auth::CurrentUser;
use crate::domain::quote::{LineInput, LineKind};
use crate::domain::{Language, Role};
use crate::error::AppError;
use crate::products::{OptionGroup, Product, ProductKind, ProductOption, TaskTemplate};
use crate::quotes::{CustomerChoice, QuoteSave};
use chrono::{Duration, NaiveDate};
use sqlx::PgConnection;
use uuid::Uuid;

fn template(title: &str, hours: &str) -> TaskTemplate {
    TaskTemplate {
        title: title.into(),
        planned_hours: hours.into(),
        description: String::new(),
    }
}

fn described(title: &str, hours: &str, description: &str) -> TaskTemplate {
    TaskTemplate {
        description: description.into(),
        ..template(title, hours)
    }
}

fn option(name: &str, price: &str, templates: Vec<TaskTemplate>) -> ProductOption {
    ProductOption {
        id: None,
        name: name.into(),
        price: price.into(),
        templates,
    }
}

struct DemoProduct {
    name: &'static str,
    reference: &'static str,
    kind: ProductKind,
    unit: &'static str,
    price: &'static str,
    description: &'static str,
    templates: &'static [(&'static str, &'static str)],
}

const PRODUCTS: &[DemoProduct] = &[
    DemoProduct {
        name: "Heat pump installation",
        reference: "HP-INST",
        kind: ProductKind::Service,
        unit: "job",
        price: "2400",
        description: "Installation and commissioning of an air/water heat pump.",
        templates: &[
            ("Technical survey", "3"),
            ("Install outdoor unit", "8"),
            ("Connect indoor unit and hydraulics", "6"),
            ("Commissioning and handover", "4"),
        ],
    },
    DemoProduct {
        name: "Air/water heat pump 8 kW",
        reference: "HP-8KW",
        kind: ProductKind::Goods,
        unit: "piece",
        price: "5200",
        description: "",
        templates: &[],
    },
    DemoProduct {
        name: "Lighting installation",
        reference: "LIGHT-INST",
        kind: ProductKind::Service,
        unit: "job",
        price: "1200",
        description: "",
        templates: &[
            ("Lighting plan", "6"),
            ("Install fixtures", "16"),
            ("Measure light levels", "2"),
        ],
    },
    DemoProduct {
        name: "LED panel 60×60",
        reference: "LED-6060",
        kind: ProductKind::Goods,
        unit: "piece",
        price: "89",
        description: "",
        templates: &[],
    },
    DemoProduct {
        name: "Engineering hour",
        reference: "ENG-H",
        kind: ProductKind::Service,
        unit: "hour",
        price: "95",
        description: "",
        templates: &[("Engineering", "")],
    },
    DemoProduct {
        name: "Yearly maintenance visit",
        reference: "MAINT-Y",
        kind: ProductKind::Service,
        unit: "year",
        price: "480",
        description: "",
        templates: &[("Annual maintenance visit", "4")],
    },
];

pub(super) async fn user(conn: &mut PgConnection, email: &str) -> Result<CurrentUser, AppError> {
    let row = sqlx::query!(
        "SELECT id, email, display_name, role FROM users WHERE lower(email) = lower($1)",
        email
    )
    .fetch_one(conn)
    .await?;
    Ok(CurrentUser {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        role: Role::parse(&row.role).unwrap_or(Role::Sales),
        language: Language::En,
        utc_offset: 0,
    })
}

async fn contact(conn: &mut PgConnection, name: &str) -> Result<Option<Uuid>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM contacts WHERE name = $1 LIMIT 1", name)
            .fetch_optional(conn)
            .await?,
    )
}

async fn deal(conn: &mut PgConnection, title: &str) -> Result<Option<Uuid>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT id FROM opportunities WHERE title = $1 LIMIT 1",
        title
    )
    .fetch_optional(conn)
    .await?)
}

async fn product(conn: &mut PgConnection, reference: &str) -> Result<(Uuid, LineInput), AppError> {
    let row = sqlx::query!(
        "SELECT id, name, unit, price, tax_id FROM products WHERE reference = $1",
        reference
    )
    .fetch_one(conn)
    .await?;
    Ok((
        row.id,
        LineInput {
            kind: LineKind::Item,
            product_id: Some(row.id),
            description: row.name,
            quantity: "1".into(),
            unit: row.unit,
            unit_price: row.price.to_string(),
            tax_id: row.tax_id,
            ..LineInput::default()
        },
    ))
}

fn text(kind: LineKind, description: &str) -> LineInput {
    LineInput {
        kind,
        description: description.into(),
        ..LineInput::default()
    }
}

/// What happens to a demo quote after it is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    Keep,
    Send,
    Confirm,
    Cancel,
    /// Dated two months back, never answered.
    Expire,
}

/// Who writes a demo quote, for which deal and customer, with which lines, and what then.
type Plan<'a> = (
    &'a CurrentUser,
    Option<&'a str>,
    &'a str,
    Vec<LineInput>,
    Then,
);

pub async fn load(conn: &mut PgConnection, today: NaiveDate) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE company_settings SET company_name = 'Atrium Demo Installaties B.V.',
                company_address = E'Keizersgracht 100\\n1015 AA Amsterdam\\nNederland',
                company_vat = 'NL001234567B01', company_email = 'sales@atrium.example'"
    )
    .execute(&mut *conn)
    .await?;
    let vat21 = sqlx::query_scalar!("SELECT id FROM taxes WHERE country = 'NL' AND rate = 21")
        .fetch_one(&mut *conn)
        .await?;
    for p in PRODUCTS {
        let product = Product {
            name: p.name.into(),
            reference: p.reference.into(),
            kind: p.kind,
            unit: p.unit.into(),
            price: p.price.into(),
            currency: "EUR".into(),
            tax_id: Some(vat21),
            description: p.description.into(),
            active: true,
            templates: p.templates.iter().map(|(t, h)| template(t, h)).collect(),
            ..Product::default()
        };
        crate::products::db::save(conn, &product).await?;
    }
    let bathroom = Product {
        name: "Bathroom renovation".into(),
        reference: "BATH-RENO".into(),
        kind: ProductKind::Service,
        unit: "job".into(),
        price: "6500".into(),
        currency: "EUR".into(),
        tax_id: Some(vat21),
        description: String::new(),
        configurable: true,
        active: true,
        templates: vec![
            described(
                "Site survey",
                "4",
                "Measure the room, check drains, water and power supply, and photograph the \
                 existing situation.",
            ),
            described(
                "Demolition and removal",
                "16",
                "Remove sanitary ware, tiles and screed, protect the stairwell and take the \
                 rubble away.",
            ),
        ],
        groups: vec![
            OptionGroup {
                id: None,
                name: "Size".into(),
                multiple: false,
                required: true,
                options: vec![
                    option(
                        "S (up to 5 m²)",
                        "0",
                        vec![template("Install sanitary ware (S)", "16")],
                    ),
                    option(
                        "M (5–8 m²)",
                        "1500",
                        vec![template("Install sanitary ware (M)", "24")],
                    ),
                    option(
                        "L (over 8 m²)",
                        "3200",
                        vec![template("Install sanitary ware (L)", "36")],
                    ),
                ],
            },
            OptionGroup {
                id: None,
                name: "Extras".into(),
                multiple: true,
                required: false,
                options: vec![
                    option(
                        "Underfloor heating",
                        "1850",
                        vec![described(
                            "Lay underfloor heating",
                            "12",
                            "Heating mat on insulation boards, connected to the thermostat and \
                             tested before the screed is poured.",
                        )],
                    ),
                    option(
                        "Tiling walls and floor",
                        "2400",
                        vec![template("Tiling", "24")],
                    ),
                ],
            },
        ],
        version: 1,
        id: None,
    };
    let bathroom_id = crate::products::db::save(conn, &bathroom).await?;
    let options: Vec<(String, Uuid)> = sqlx::query!(
        "SELECT o.name, o.id FROM product_options o JOIN product_option_groups g ON g.id = o.group_id
         WHERE g.product_id = $1",
        bathroom_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.name, r.id))
    .collect();
    let chosen = |names: &[&str]| -> Vec<Uuid> {
        options
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, id)| *id)
            .collect()
    };
    let catalogue = crate::products::db::catalogue(conn).await?;
    let configured = |names: &[&str]| -> Result<LineInput, AppError> {
        let item = catalogue
            .iter()
            .find(|p| p.id == bathroom_id)
            .ok_or(AppError::Internal)?;
        let picked = chosen(names);
        let (price, description) = item
            .configured_line(&picked)
            .map_err(|_| AppError::Internal)?;
        Ok(LineInput {
            kind: LineKind::Item,
            product_id: Some(bathroom_id),
            description,
            quantity: "1".into(),
            unit: item.unit.clone(),
            unit_price: price.to_string(),
            tax_id: item.tax_id,
            options: picked,
            ..LineInput::default()
        })
    };

    let anna = user(conn, "anna@atrium.example").await?;
    let marc = user(conn, "marc@atrium.example").await?;
    let lucia = user(conn, "lucia@atrium.example").await?;
    let sam = user(conn, "demo@atrium.example").await?;

    let quantity = |mut line: LineInput, quantity: &str, discount: &str| {
        line.quantity = quantity.into();
        line.discount = discount.into();
        line
    };
    let plans: Vec<Plan> = vec![
        (
            &anna,
            Some("Bathroom renovation, three apartments"),
            "Bouwbedrijf De Vries BV",
            vec![
                text(LineKind::Section, "Apartment 1 and 2"),
                quantity(
                    configured(&["M (5–8 m²)", "Tiling walls and floor"])?,
                    "2",
                    "5",
                ),
                text(LineKind::Section, "Apartment 3"),
                configured(&[
                    "L (over 8 m²)",
                    "Underfloor heating",
                    "Tiling walls and floor",
                ])?,
                text(
                    LineKind::Note,
                    "Work in occupied buildings: daytime only, dust screens included.",
                ),
            ],
            Then::Confirm,
        ),
        (
            &marc,
            Some("Office lighting retrofit"),
            "Agence Durand & Fils",
            vec![
                product(conn, "LIGHT-INST").await?.1,
                quantity(product(conn, "LED-6060").await?.1, "48", "10"),
            ],
            Then::Keep,
        ),
        (
            &lucia,
            Some("Heat pump for a villa in Valencia"),
            "Reformas Núñez",
            vec![
                product(conn, "HP-8KW").await?.1,
                product(conn, "HP-INST").await?.1,
                quantity(product(conn, "ENG-H").await?.1, "6", ""),
            ],
            Then::Send,
        ),
        (
            &sam,
            Some("HVAC maintenance 2027"),
            "Impianti Rossi Srl",
            vec![quantity(product(conn, "MAINT-Y").await?.1, "3", "")],
            Then::Expire,
        ),
        (
            &anna,
            Some("Kitchen refit for the showroom"),
            "Architectenbureau Peeters",
            vec![quantity(product(conn, "ENG-H").await?.1, "12", "")],
            Then::Cancel,
        ),
        (
            &anna,
            None,
            "Installatietechniek Müller",
            vec![
                product(conn, "HP-8KW").await?.1,
                product(conn, "HP-INST").await?.1,
            ],
            Then::Confirm,
        ),
    ];
    for (who, deal_title, customer, lines, then) in plans {
        let opportunity = match deal_title {
            Some(title) => deal(conn, title).await?,
            None => None,
        };
        let choice = match contact(conn, customer).await? {
            Some(id) => CustomerChoice::Existing { id },
            None => CustomerChoice::None,
        };
        let id = crate::quotes::db::create(conn, who, opportunity, &choice).await?;
        let quote = crate::quotes::db::get(conn, id, who).await?;
        let (quote_date, valid_until) = match then {
            Then::Expire => (today - Duration::days(60), today - Duration::days(30)),
            _ => (today, today + Duration::days(30)),
        };
        let title = match deal_title {
            Some(title) => title.to_string(),
            None => "Heat pump, production hall".to_string(),
        };
        let save = QuoteSave {
            id,
            version: quote.version,
            title,
            customer_id: quote.customer.as_ref().map(|c| c.id),
            contact_id: quote.contact.as_ref().map(|c| c.id),
            salesperson_id: Some(who.id),
            quote_date: quote_date.to_string(),
            valid_until: valid_until.to_string(),
            currency: "EUR".into(),
            notes: String::new(),
            lines,
        };
        crate::quotes::db::save(conn, who, &save).await?;
        match then {
            Then::Keep => {}
            Then::Send | Then::Expire => {
                let to = if quote.recipient.is_empty() {
                    "info@example.com".to_string()
                } else {
                    quote.recipient.clone()
                };
                crate::quotes::db::mark_sent(conn, who, id, &to).await?;
            }
            Then::Confirm => {
                crate::quotes::confirm::confirm(conn, who, id).await?;
            }
            Then::Cancel => {
                let version = crate::quotes::db::get(conn, id, who).await?.version;
                crate::quotes::db::act(
                    conn,
                    who,
                    id,
                    version,
                    crate::domain::quote_state::QuoteAction::Cancel,
                )
                .await?;
            }
        }
    }
    Ok(())
}
