//! The demo company's customers, suppliers and their people, across the countries Atrium's
//! users work in. Loaded once per database (see `demo_parts`).

use crate::contacts::db::insert;
use crate::domain::{ContactDraft, ContactInput, ContactKind};
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

struct Company {
    name: &'static str,
    street: &'static str,
    postcode: &'static str,
    city: &'static str,
    country: &'static str,
    vat: &'static str,
    website: &'static str,
    email: &'static str,
    phone: &'static str,
    tags: &'static str,
    owner: &'static str,
    people: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const COMPANIES: &[Company] = &[
    Company {
        name: "Bouwbedrijf De Vries BV",
        street: "Keizersgracht 112",
        postcode: "1015 CW",
        city: "Amsterdam",
        country: "NL",
        vat: "NL818826452B01",
        website: "devries-bouw.nl",
        email: "info@devries-bouw.nl",
        phone: "020 623 4411",
        tags: "customer, construction",
        owner: "anna@atrium.example",
        people: &[
            (
                "Pieter de Vries",
                "Director",
                "pieter@devries-bouw.nl",
                "06 1234 5678",
            ),
            (
                "Sanne Bakker",
                "Project manager",
                "sanne@devries-bouw.nl",
                "06 2345 6789",
            ),
        ],
    },
    Company {
        name: "Installatietechniek Müller",
        street: "Stationsweg 8",
        postcode: "3511 ED",
        city: "Utrecht",
        country: "NL",
        vat: "NL003456789B02",
        website: "muller-installatie.nl",
        email: "service@muller-installatie.nl",
        phone: "030 231 8800",
        tags: "customer, installer, VIP",
        owner: "demo@atrium.example",
        people: &[(
            "Jürgen Müller",
            "Owner",
            "jurgen@muller-installatie.nl",
            "06 3456 7890",
        )],
    },
    Company {
        name: "Architectenbureau Peeters",
        street: "Meir 24",
        postcode: "2000",
        city: "Antwerpen",
        country: "BE",
        vat: "BE0412345614",
        website: "peeters-architecten.be",
        email: "studio@peeters-architecten.be",
        phone: "03 226 7788",
        tags: "architect, prospect",
        owner: "tom@atrium.example",
        people: &[
            (
                "Els Peeters",
                "Architect",
                "els@peeters-architecten.be",
                "0475 12 34 56",
            ),
            (
                "Wout Janssens",
                "Draughtsman",
                "wout@peeters-architecten.be",
                "",
            ),
        ],
    },
    Company {
        name: "Électricité Lefèvre SARL",
        street: "12 rue de la République",
        postcode: "69002",
        city: "Lyon",
        country: "FR",
        vat: "FR40303265045",
        website: "lefevre-elec.fr",
        email: "contact@lefevre-elec.fr",
        phone: "04 78 42 10 10",
        tags: "customer, installer",
        owner: "marc@atrium.example",
        people: &[(
            "Hélène Lefèvre",
            "Gérante",
            "helene@lefevre-elec.fr",
            "06 12 34 56 78",
        )],
    },
    Company {
        name: "Agence Durand & Fils",
        street: "8 boulevard Haussmann",
        postcode: "75009",
        city: "Paris",
        country: "FR",
        vat: "FR83404833048",
        website: "durand-fils.fr",
        email: "bonjour@durand-fils.fr",
        phone: "01 44 55 66 77",
        tags: "agency, prospect",
        owner: "marc@atrium.example",
        people: &[("Camille Durand", "Directrice", "camille@durand-fils.fr", "")],
    },
    Company {
        name: "Construcciones García SL",
        street: "Calle de Alcalá 45",
        postcode: "28014",
        city: "Madrid",
        country: "ES",
        vat: "ESB12345678",
        website: "construcciones-garcia.es",
        email: "obras@construcciones-garcia.es",
        phone: "912 345 678",
        tags: "customer, construction",
        owner: "lucia@atrium.example",
        people: &[
            (
                "Javier García",
                "Gerente",
                "javier@construcciones-garcia.es",
                "612 345 678",
            ),
            (
                "Marta López",
                "Jefa de obra",
                "marta@construcciones-garcia.es",
                "623 456 789",
            ),
        ],
    },
    Company {
        name: "Reformas Núñez",
        street: "Avinguda Diagonal 210",
        postcode: "08018",
        city: "Barcelona",
        country: "ES",
        vat: "",
        website: "",
        email: "reformas.nunez@example.es",
        phone: "934 567 890",
        tags: "supplier",
        owner: "lucia@atrium.example",
        people: &[],
    },
    Company {
        name: "Impianti Rossi Srl",
        street: "Via Roma 15",
        postcode: "20121",
        city: "Milano",
        country: "IT",
        vat: "IT01234567897",
        website: "impianti-rossi.it",
        email: "info@impianti-rossi.it",
        phone: "02 1234 5678",
        tags: "customer, installer",
        owner: "giulia@atrium.example",
        people: &[(
            "Marco Rossi",
            "Titolare",
            "marco@impianti-rossi.it",
            "333 123 4567",
        )],
    },
    Company {
        name: "Studio Bianchi Ingegneria",
        street: "Corso Vittorio Emanuele 3",
        postcode: "10121",
        city: "Torino",
        country: "IT",
        vat: "IT07654321988",
        website: "studiobianchi.it",
        email: "studio@studiobianchi.it",
        phone: "011 765 4321",
        tags: "engineering, prospect",
        owner: "",
        people: &[("Chiara Bianchi", "Ingegnere", "chiara@studiobianchi.it", "")],
    },
    Company {
        name: "Groothandel Van Dijk",
        street: "Industrieweg 5",
        postcode: "9000",
        city: "Gent",
        country: "BE",
        vat: "BE0876543270",
        website: "vandijk-groothandel.be",
        email: "verkoop@vandijk-groothandel.be",
        phone: "09 223 4455",
        tags: "supplier",
        owner: "tom@atrium.example",
        people: &[(
            "Koen Van Dijk",
            "Sales manager",
            "koen@vandijk-groothandel.be",
            "0486 22 33 44",
        )],
    },
];

/// People without a company: private customers.
const PRIVATE: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Fatima el Amrani",
        "Rotterdam",
        "NL",
        "fatima.elamrani@example.nl",
        "06 4567 8901",
        "private customer",
    ),
    (
        "Luc Martin",
        "Bordeaux",
        "FR",
        "luc.martin@example.fr",
        "06 98 76 54 32",
        "private customer",
    ),
];

async fn user_id(conn: &mut PgConnection, email: &str) -> Result<Option<Uuid>, AppError> {
    if email.is_empty() {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", email)
            .fetch_optional(conn)
            .await?,
    )
}

fn draft(input: ContactInput) -> Result<ContactDraft, AppError> {
    ContactDraft::parse(&input).map_err(|(error, field)| {
        tracing::error!(%error, field, name = input.name, "demo contact does not parse");
        AppError::Internal
    })
}

pub async fn load(conn: &mut PgConnection) -> Result<(), AppError> {
    for company in COMPANIES {
        let owner = user_id(conn, company.owner).await?;
        let company_draft = draft(ContactInput {
            name: company.name.into(),
            emails: company.email.into(),
            phones: company.phone.into(),
            street: company.street.into(),
            postcode: company.postcode.into(),
            city: company.city.into(),
            country: company.country.into(),
            vat: company.vat.into(),
            website: company.website.into(),
            tags: company.tags.into(),
            ..ContactInput::default()
        })?;
        let company_id = insert(conn, ContactKind::Company, &company_draft, None, owner).await?;
        for (name, job, email, phone) in company.people {
            let person = draft(ContactInput {
                name: (*name).into(),
                job_title: (*job).into(),
                emails: (*email).into(),
                phones: (*phone).into(),
                city: company.city.into(),
                country: company.country.into(),
                ..ContactInput::default()
            })?;
            insert(conn, ContactKind::Person, &person, Some(company_id), owner).await?;
        }
    }
    let owner = user_id(conn, "demo@atrium.example").await?;
    for (name, city, country, email, phone, tags) in PRIVATE {
        let person = draft(ContactInput {
            name: (*name).into(),
            city: (*city).into(),
            country: (*country).into(),
            emails: (*email).into(),
            phones: (*phone).into(),
            tags: (*tags).into(),
            ..ContactInput::default()
        })?;
        insert(conn, ContactKind::Person, &person, None, owner).await?;
    }
    Ok(())
}
