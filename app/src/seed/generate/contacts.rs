//! A deterministic generator of companies and people, to fill a database for benchmarks and
//! manual testing at scale: the same seed gives the same rows (ids included).

use super::Rng;
use crate::error::AppError;
use sqlx::PgConnection;
use uuid::Uuid;

const FIRST: &[&str] = &[
    "Anna",
    "Pieter",
    "Sanne",
    "Jan",
    "Els",
    "Wout",
    "Hélène",
    "Luc",
    "Camille",
    "Marc",
    "Javier",
    "Marta",
    "Lucía",
    "Giulia",
    "Marco",
    "Chiara",
    "Jürgen",
    "Fatima",
    "Koen",
    "Noor",
    "Ömer",
    "Zoë",
    "François",
    "Inès",
    "Björn",
    "Léa",
    "Matteo",
    "Sofía",
    "Daan",
    "Emma",
];
const LAST: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Peeters",
    "Janssens",
    "Müller",
    "Lefèvre",
    "Durand",
    "García",
    "López",
    "Núñez",
    "Rossi",
    "Bianchi",
    "Ferrari",
    "Visser",
    "Smit",
    "Mertens",
    "Dubois",
    "Moreau",
    "Romano",
    "Fernández",
    "Schröder",
    "Van Dijk",
    "Claes",
    "Martin",
];
const TRADE: &[&str] = &[
    "Bouwbedrijf",
    "Installatietechniek",
    "Schilders",
    "Dakwerken",
    "Architectenbureau",
    "Électricité",
    "Plomberie",
    "Construcciones",
    "Reformas",
    "Impianti",
    "Studio",
    "Agence",
    "Ingenieursbureau",
    "Tuinarchitectuur",
    "Elektro",
    "Sanitair",
];
const SUFFIX: &[&str] = &[
    "BV", "NV", "SARL", "SAS", "SL", "Srl", "GmbH", "& Zonen", "& Fils", "",
];
const CITIES: &[(&str, &str)] = &[
    ("Amsterdam", "NL"),
    ("Utrecht", "NL"),
    ("Rotterdam", "NL"),
    ("Den Haag", "NL"),
    ("Eindhoven", "NL"),
    ("Antwerpen", "BE"),
    ("Gent", "BE"),
    ("Brussel", "BE"),
    ("Liège", "BE"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Marseille", "FR"),
    ("Bordeaux", "FR"),
    ("Madrid", "ES"),
    ("Barcelona", "ES"),
    ("Valencia", "ES"),
    ("Sevilla", "ES"),
    ("Milano", "IT"),
    ("Torino", "IT"),
    ("Roma", "IT"),
    ("Bologna", "IT"),
    ("Köln", "DE"),
];
const TAGS: &[&str] = &[
    "customer",
    "prospect",
    "supplier",
    "installer",
    "architect",
    "VIP",
];
const JOBS: &[&str] = &[
    "Director",
    "Project manager",
    "Buyer",
    "Site manager",
    "Architect",
    "Owner",
];

fn slug(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'é' | 'è' | 'ê' | 'É' => Some('e'),
            'ü' | 'ú' => Some('u'),
            'ö' | 'ó' | 'Ö' => Some('o'),
            'í' | 'ï' => Some('i'),
            'á' | 'à' => Some('a'),
            'ñ' => Some('n'),
            'ç' => Some('c'),
            'ë' => Some('e'),
            _ => None,
        })
        .collect()
}

/// Rows are written in batches of this many, one statement each.
const BATCH: usize = 5_000;

#[derive(Default)]
struct Batch {
    ids: Vec<Uuid>,
    kinds: Vec<String>,
    names: Vec<String>,
    companies: Vec<Option<Uuid>>,
    jobs: Vec<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    cities: Vec<String>,
    countries: Vec<String>,
    tags: Vec<String>,
    owners: Vec<Option<Uuid>>,
    archived: Vec<bool>,
}

impl Batch {
    async fn write(&mut self, conn: &mut PgConnection) -> Result<(), AppError> {
        if self.ids.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO contacts (id, kind, name, company_id, job_title, emails, phones, city,
                                   country, tags, owner_id, archived)
             SELECT id, kind, name, company, job, ARRAY[email], ARRAY[phone], city, country,
                    string_to_array(tags, ','), owner, archived
             FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::bool[])
                  AS r(id, kind, name, company, job, email, phone, city, country, tags, owner, archived)",
        )
        .bind(&self.ids)
        .bind(&self.kinds)
        .bind(&self.names)
        .bind(&self.companies)
        .bind(&self.jobs)
        .bind(&self.emails)
        .bind(&self.phones)
        .bind(&self.cities)
        .bind(&self.countries)
        .bind(&self.tags)
        .bind(&self.owners)
        .bind(&self.archived)
        .execute(&mut *conn)
        .await?;
        *self = Batch::default();
        Ok(())
    }
}

/// Adds `companies` companies and `people` people (most of them working for one of the new
/// companies), owned by the existing users, deterministically from `seed`.
pub async fn generate(
    conn: &mut PgConnection,
    companies: usize,
    people: usize,
    seed: u64,
) -> Result<(), AppError> {
    let users: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM users ORDER BY email")
        .fetch_all(&mut *conn)
        .await?;
    let mut rng = Rng::new(seed);
    let mut company_ids = Vec::with_capacity(companies);
    let mut batch = Batch::default();
    for n in 0..companies + people {
        let is_company = n < companies;
        let (city, country) = CITIES[rng.below(CITIES.len() as u64) as usize];
        let id = rng.uuid();
        let (name, company, job, email) = if is_company {
            let name = format!(
                "{} {} {}",
                rng.pick(TRADE),
                rng.pick(LAST),
                rng.pick(SUFFIX)
            )
            .trim()
            .to_string();
            company_ids.push(id);
            let email = format!("info{n}@{}.example", slug(&name));
            (name, None, String::new(), email)
        } else {
            let first = rng.pick(FIRST);
            let last = rng.pick(LAST);
            let company = (!company_ids.is_empty() && rng.below(10) < 8)
                .then(|| company_ids[rng.below(company_ids.len() as u64) as usize]);
            let email = format!("{}.{}{n}@example.com", slug(first), slug(last));
            (
                format!("{first} {last}"),
                company,
                rng.pick(JOBS).to_string(),
                email,
            )
        };
        batch.ids.push(id);
        batch
            .kinds
            .push(if is_company { "company" } else { "person" }.to_string());
        batch.names.push(name);
        batch.companies.push(company);
        batch.jobs.push(job);
        batch.emails.push(email);
        batch
            .phones
            .push(format!("+31{:09}", 100_000_000 + rng.below(899_999_999)));
        batch.cities.push(city.to_string());
        batch.countries.push(country.to_string());
        batch.tags.push(rng.pick(TAGS).to_string());
        batch.owners.push(
            (!users.is_empty() && rng.below(10) < 9)
                .then(|| users[rng.below(users.len() as u64) as usize]),
        );
        batch.archived.push(rng.below(20) == 0);
        if batch.ids.len() == BATCH {
            batch.write(conn).await?;
        }
    }
    batch.write(conn).await?;
    sqlx::query("ANALYZE contacts").execute(&mut *conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        let first: Vec<Uuid> = (0..5).map(|_| a.uuid()).collect();
        let second: Vec<Uuid> = (0..5).map(|_| b.uuid()).collect();
        assert_eq!(first, second);
        assert_ne!(Rng::new(8).uuid(), first[0]);
        assert_eq!(slug("Müller & Fils"), "mullerfils");
    }
}
