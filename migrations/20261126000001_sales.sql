-- Sales: taxes, the product catalogue with task templates and the configurator, quotes with
-- their lines, the link from a confirmed quote (sales order) to the project it created, and
-- the transactional e-mail outbox.
--
-- Money is numeric(14, 2) with a currency code beside it; quantities numeric(12, 3). Every
-- amount a quote stores (line subtotals, totals) is computed by `domain::quote` and written by
-- the server; the database only checks signs and ranges.

-- The seller's identity printed on quotes, and the defaults of a new quote.
ALTER TABLE company_settings
    ADD COLUMN company_name        text NOT NULL DEFAULT '' CHECK (length(company_name) <= 200),
    ADD COLUMN company_address     text NOT NULL DEFAULT '' CHECK (length(company_address) <= 1000),
    ADD COLUMN company_vat         text NOT NULL DEFAULT '' CHECK (length(company_vat) <= 40),
    ADD COLUMN company_email       text NOT NULL DEFAULT '' CHECK (length(company_email) <= 254),
    ADD COLUMN quote_validity_days integer NOT NULL DEFAULT 30
                                   CHECK (quote_validity_days BETWEEN 1 AND 365),
    -- Terms printed under every quote; empty means the translated standard text.
    ADD COLUMN quote_terms         text NOT NULL DEFAULT '' CHECK (length(quote_terms) <= 5000);

-- Taxes are records: a line keeps a snapshot of rate and inclusion, so changing a tax later
-- does not change quotes already written.
CREATE TABLE taxes (
    id         uuid PRIMARY KEY,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    rate       numeric(6, 3) NOT NULL CHECK (rate >= 0 AND rate <= 100),
    -- Included: the price already contains the tax (consumer prices); otherwise it is added.
    included   boolean NOT NULL DEFAULT false,
    country    text CHECK (country ~ '^[A-Z]{2}$'),
    active     boolean NOT NULL DEFAULT true,
    position   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The standard VAT rates of the countries Atrium's customers work in.
INSERT INTO taxes (id, name, rate, country, position) VALUES
    (gen_random_uuid(), 'BTW 21%', 21, 'NL', 1),
    (gen_random_uuid(), 'BTW 9%', 9, 'NL', 2),
    (gen_random_uuid(), 'BTW 0%', 0, 'NL', 3),
    (gen_random_uuid(), 'BTW/TVA 21% (BE)', 21, 'BE', 4),
    (gen_random_uuid(), 'BTW/TVA 12% (BE)', 12, 'BE', 5),
    (gen_random_uuid(), 'BTW/TVA 6% (BE)', 6, 'BE', 6),
    (gen_random_uuid(), 'TVA 20 %', 20, 'FR', 7),
    (gen_random_uuid(), 'TVA 10 %', 10, 'FR', 8),
    (gen_random_uuid(), 'TVA 5,5 %', 5.5, 'FR', 9),
    (gen_random_uuid(), 'IVA 21%', 21, 'ES', 10),
    (gen_random_uuid(), 'IVA 10%', 10, 'ES', 11),
    (gen_random_uuid(), 'IVA 4%', 4, 'ES', 12),
    (gen_random_uuid(), 'IVA 22%', 22, 'IT', 13),
    (gen_random_uuid(), 'IVA 10% (IT)', 10, 'IT', 14),
    (gen_random_uuid(), 'IVA 4% (IT)', 4, 'IT', 15);

-- The catalogue. A service carries task templates that become project tasks when it is sold;
-- a configurable product has option groups whose options add price and task templates.
CREATE TABLE products (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    reference    text NOT NULL DEFAULT '' CHECK (length(reference) <= 64),
    kind         text NOT NULL CHECK (kind IN ('service', 'goods')),
    unit         text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    price        numeric(14, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    currency     text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    tax_id       uuid REFERENCES taxes (id) ON DELETE RESTRICT,
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    configurable boolean NOT NULL DEFAULT false,
    active       boolean NOT NULL DEFAULT true,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    search       text GENERATED ALWAYS AS (atrium_fold(name || ' ' || reference)) STORED
);
CREATE UNIQUE INDEX products_reference_idx ON products (reference) WHERE reference <> '';
CREATE INDEX products_search_idx ON products USING gin (search gin_trgm_ops);

CREATE TABLE product_option_groups (
    id         uuid PRIMARY KEY,
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- Several options may be chosen together (extras), or exactly one (a size).
    multiple   boolean NOT NULL DEFAULT false,
    required   boolean NOT NULL DEFAULT false,
    position   integer NOT NULL DEFAULT 0
);
CREATE INDEX product_option_groups_product_idx ON product_option_groups (product_id, position);

CREATE TABLE product_options (
    id       uuid PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES product_option_groups (id) ON DELETE CASCADE,
    name     text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    -- Added to the product's unit price when chosen.
    price    numeric(14, 2) NOT NULL DEFAULT 0 CHECK (price >= 0),
    position integer NOT NULL DEFAULT 0
);
CREATE INDEX product_options_group_idx ON product_options (group_id, position);

-- Tasks a sold service (or a chosen option) becomes, in `position` order.
CREATE TABLE task_templates (
    id            uuid PRIMARY KEY,
    product_id    uuid REFERENCES products (id) ON DELETE CASCADE,
    option_id     uuid REFERENCES product_options (id) ON DELETE CASCADE,
    title         text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    planned_hours numeric(8, 2) CHECK (planned_hours >= 0),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    position      integer NOT NULL DEFAULT 0,
    CONSTRAINT task_templates_one_owner CHECK ((product_id IS NULL) <> (option_id IS NULL))
);
CREATE INDEX task_templates_product_idx ON task_templates (product_id, position) WHERE product_id IS NOT NULL;
CREATE INDEX task_templates_option_idx ON task_templates (option_id, position) WHERE option_id IS NOT NULL;

-- Quotes; a confirmed quote is a sales order (state `sale`) and read-only. The number is
-- Q-<year>-NNNN from `number_counters` (series Q), taken in the creating transaction.
CREATE TABLE quotes (
    id             uuid PRIMARY KEY,
    number         text NOT NULL UNIQUE,
    title          text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    customer_id    uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    -- The person the quote is addressed to.
    contact_id     uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    salesperson_id uuid REFERENCES users (id) ON DELETE SET NULL,
    opportunity_id uuid REFERENCES opportunities (id) ON DELETE SET NULL,
    quote_date     date NOT NULL DEFAULT current_date,
    valid_until    date,
    currency       text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    notes          text NOT NULL DEFAULT '' CHECK (length(notes) <= 10000),
    state          text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'sent', 'sale', 'cancelled')),
    untaxed        numeric(14, 2) NOT NULL DEFAULT 0,
    tax            numeric(14, 2) NOT NULL DEFAULT 0,
    total          numeric(14, 2) NOT NULL DEFAULT 0,
    -- The project the confirmation created.
    project_id     uuid REFERENCES projects (id) ON DELETE SET NULL,
    sent_at        timestamptz,
    confirmed_at   timestamptz,
    confirmed_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    sort_title     text GENERATED ALWAYS AS (atrium_fold(title)) STORED,
    search         text GENERATED ALWAYS AS (atrium_fold(number || ' ' || title)) STORED,
    CONSTRAINT quotes_validity_after_date CHECK (valid_until >= quote_date),
    CONSTRAINT quotes_sale_confirmed CHECK ((state = 'sale') = (confirmed_at IS NOT NULL))
);
CREATE INDEX quotes_search_idx ON quotes USING gin (search gin_trgm_ops);
CREATE INDEX quotes_number_idx ON quotes (number, id);
CREATE INDEX quotes_date_idx ON quotes (quote_date, id);
CREATE INDEX quotes_total_idx ON quotes (total, id);
CREATE INDEX quotes_updated_idx ON quotes (updated_at, id);
CREATE INDEX quotes_salesperson_idx ON quotes (salesperson_id, quote_date);
CREATE INDEX quotes_customer_idx ON quotes (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX quotes_contact_idx ON quotes (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX quotes_opportunity_idx ON quotes (opportunity_id) WHERE opportunity_id IS NOT NULL;
CREATE INDEX quotes_state_idx ON quotes (state);

-- Lines in `position` order: items (a catalogue product or free text), section headings and
-- notes. An item keeps a snapshot of its tax and the configurator options chosen.
CREATE TABLE quote_lines (
    id           uuid PRIMARY KEY,
    quote_id     uuid NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('item', 'section', 'note')),
    product_id   uuid REFERENCES products (id) ON DELETE RESTRICT,
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    quantity     numeric(12, 3) CHECK (quantity >= 0),
    unit         text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    unit_price   numeric(14, 2) CHECK (unit_price >= 0),
    discount     numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100),
    tax_id       uuid REFERENCES taxes (id) ON DELETE RESTRICT,
    tax_rate     numeric(6, 3),
    tax_included boolean NOT NULL DEFAULT false,
    subtotal     numeric(14, 2),
    options      uuid[] NOT NULL DEFAULT '{}',
    UNIQUE (quote_id, position),
    CONSTRAINT quote_lines_item_priced CHECK (
        (kind = 'item') = (quantity IS NOT NULL AND unit_price IS NOT NULL AND subtotal IS NOT NULL)),
    CONSTRAINT quote_lines_tax_snapshot CHECK ((tax_id IS NULL) = (tax_rate IS NULL))
);
CREATE INDEX quote_lines_product_idx ON quote_lines (product_id) WHERE product_id IS NOT NULL;

-- One project per quote: the unique index is the last guard of an idempotent confirmation.
ALTER TABLE projects
    ADD CONSTRAINT projects_quote_fk FOREIGN KEY (quote_id) REFERENCES quotes (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX projects_quote_idx ON projects (quote_id) WHERE quote_id IS NOT NULL;

-- Tasks created from a sold line carry its share of the quoted amount.
ALTER TABLE tasks
    ADD COLUMN quote_line_id uuid REFERENCES quote_lines (id) ON DELETE SET NULL,
    ADD COLUMN quoted_amount numeric(14, 2) CHECK (quoted_amount >= 0);

-- Quotes have activities and a timeline like deals.
ALTER TABLE activities DROP CONSTRAINT activities_record_kind_check;
ALTER TABLE activities ADD CONSTRAINT activities_record_kind_check
    CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task', 'quote'));
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_record_kind_check;
ALTER TABLE timeline_entries ADD CONSTRAINT timeline_entries_record_kind_check
    CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task', 'quote'));
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_kind_check;
ALTER TABLE timeline_entries ADD CONSTRAINT timeline_entries_kind_check
    CHECK (kind IN ('created', 'note', 'activity_done', 'stage', 'won', 'lost', 'reopened',
                    'field', 'task_created', 'quote_created', 'quote_sent', 'quote_state',
                    'quote_confirmed', 'send_failed'));

-- Outgoing e-mail, written in the transaction that decides to send it and delivered by the
-- background sender (SMTP when configured). Without a mail server the messages stay here as
-- `pending` and the Outbox page shows them, so nothing is lost. A failed attempt is retried
-- with backoff; after the last attempt the message is `failed` and its quote shows it.
CREATE TABLE outbox_messages (
    id              uuid PRIMARY KEY,
    to_address      text NOT NULL CHECK (length(to_address) BETWEEN 3 AND 254),
    subject         text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 300),
    body            text NOT NULL CHECK (length(body) <= 20000),
    reply_to        text,
    -- The attached file in the file store, with its name and media type.
    attachment_key  text,
    attachment_name text,
    attachment_type text,
    quote_id        uuid REFERENCES quotes (id) ON DELETE SET NULL,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text
);
CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_messages_created_idx ON outbox_messages (created_at DESC, id DESC);
CREATE INDEX outbox_messages_quote_idx ON outbox_messages (quote_id, created_at DESC) WHERE quote_id IS NOT NULL;
