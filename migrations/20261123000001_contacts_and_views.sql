-- The contacts directory (companies and people in one table) and what the generic list view
-- remembers per user: saved views ("favorites") and list preferences.
--
-- Companies and people share one table, as they share nearly every field and either can be
-- the customer of an opportunity, quote or project: later tables reference `contacts (id)`
-- once instead of choosing between two tables.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lower-case and without accents, so that "Muller" finds "Müller". `unaccent` is only STABLE
-- (its dictionary could change); naming the dictionary makes this wrapper safe to declare
-- IMMUTABLE, which generated columns and indexes require.
CREATE FUNCTION atrium_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

-- The text a contact is found by: name, e-mail addresses, phones, city, VAT number, folded.
CREATE FUNCTION contacts_search_text(name text, emails text[], phones text[], city text, vat text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN atrium_fold(
        name || ' ' || array_to_string(emails, ' ') || ' ' || array_to_string(phones, ' ')
        || ' ' || city || ' ' || coalesce(vat, ''));

CREATE TABLE contacts (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('company', 'person')),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- The company a person works for; companies belong to no company.
    company_id  uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    job_title   text NOT NULL DEFAULT '',
    -- Lower-cased by the server, so that matching (duplicates, import) is exact.
    emails      text[] NOT NULL DEFAULT '{}',
    -- International form when the country is known (see domain::Phone).
    phones      text[] NOT NULL DEFAULT '{}',
    street      text NOT NULL DEFAULT '',
    postcode    text NOT NULL DEFAULT '',
    city        text NOT NULL DEFAULT '',
    country     text CHECK (country ~ '^[A-Z]{2}$'),
    -- Normalised by domain::VatNumber; not unique, as branches may share one.
    vat         text,
    website     text NOT NULL DEFAULT '',
    tags        text[] NOT NULL DEFAULT '{}',
    notes       text NOT NULL DEFAULT '',
    owner_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    archived    boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- Sort key for names: folded, so that "Ärzte" sorts with "Arzte" and not after "Z".
    sort_name   text GENERATED ALWAYS AS (atrium_fold(name)) STORED,
    search      text GENERATED ALWAYS AS (contacts_search_text(name, emails, phones, city, vat)) STORED,
    CONSTRAINT contacts_company_only_for_people CHECK (kind = 'person' OR company_id IS NULL),
    CONSTRAINT contacts_not_own_company CHECK (company_id <> id)
);

-- Inline search: trigram index, so that any part of a word matches ("ller" finds Müller).
CREATE INDEX contacts_search_idx ON contacts USING gin (search gin_trgm_ops);
-- Keyset pagination: one index per sort the list offers, each ending in the id tie-breaker.
CREATE INDEX contacts_sort_name_idx ON contacts (sort_name, id);
CREATE INDEX contacts_created_at_idx ON contacts (created_at, id);
CREATE INDEX contacts_updated_at_idx ON contacts (updated_at, id);
CREATE INDEX contacts_city_idx ON contacts (atrium_fold(city), id);
-- "People of this company", and the reference check before deleting a company.
CREATE INDEX contacts_company_id_idx ON contacts (company_id) WHERE company_id IS NOT NULL;
-- Duplicate detection and import matching.
CREATE INDEX contacts_emails_idx ON contacts USING gin (emails);
CREATE INDEX contacts_vat_idx ON contacts (vat) WHERE vat IS NOT NULL;
CREATE INDEX contacts_tags_idx ON contacts USING gin (tags);
CREATE INDEX contacts_owner_idx ON contacts (owner_id, sort_name, id);

-- A saved view: the URL query of a list (search, filters, grouping, columns, sort) under a
-- name. Storing the query string keeps one format for links, Back and favorites.
CREATE TABLE saved_views (
    id         uuid PRIMARY KEY,
    list_key   text NOT NULL,
    owner_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
    -- Shared views are offered to every user of the company.
    shared     boolean NOT NULL DEFAULT false,
    query      text NOT NULL CHECK (length(query) <= 4000),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT saved_views_name_key UNIQUE (list_key, owner_id, name)
);

CREATE INDEX saved_views_list_idx ON saved_views (list_key, shared);

-- What a user chose for one list: the columns shown (in order) and the view opened by default.
CREATE TABLE list_preferences (
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    list_key        text NOT NULL,
    columns         text[],
    default_view_id uuid REFERENCES saved_views (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, list_key)
);

-- Which parts of the demo company have been loaded, so that a feature added later loads its
-- demo data into an existing demo database once, and never again after users delete it.
CREATE TABLE demo_parts (
    part      text PRIMARY KEY,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

-- An uploaded CSV file between its preview and its import. Kept for a day at most: the
-- preview and the import read the same bytes, so what was checked is what is imported.
CREATE TABLE contact_imports (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name  text NOT NULL,
    content    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
