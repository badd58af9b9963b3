-- Invoicing and the project life cycle: invoices and credit notes with their lines and
-- payments, the tasks they bill, the seller's bank details and terms, a customer's payment
-- terms and language, a project's hourly rate, its lock and what it was merged into.

-- The seller as an invoice must print it, and the company's default payment terms.
ALTER TABLE company_settings
    ADD COLUMN company_country    text NOT NULL DEFAULT 'NL' CHECK (company_country ~ '^[A-Z]{2}$'),
    ADD COLUMN iban               text NOT NULL DEFAULT '' CHECK (length(iban) <= 34),
    ADD COLUMN bic                text NOT NULL DEFAULT '' CHECK (length(bic) <= 11),
    ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    ADD COLUMN invoice_terms      text NOT NULL DEFAULT '' CHECK (length(invoice_terms) <= 5000);

-- A customer's own payment terms override the company's; the language standard e-mails are
-- written in (none: from the country).
ALTER TABLE contacts
    ADD COLUMN payment_terms_days integer CHECK (payment_terms_days BETWEEN 0 AND 365),
    ADD COLUMN language           text CHECK (language IN ('en', 'nl', 'fr', 'es', 'it'));

-- Hours of a task without a quoted amount are invoiced at the project's rate. A merged
-- project is closed and points at the project that took its work.
ALTER TABLE projects
    ADD COLUMN hourly_rate numeric(14, 2) CHECK (hourly_rate >= 0),
    ADD COLUMN merged_into uuid REFERENCES projects (id) ON DELETE SET NULL;

-- Invoices and credit notes. A draft has no number; issuing takes the next number of its
-- series and year from `number_counters` (INV, CN) in the issuing transaction, so numbers
-- are gapless, and stores the PDF. An issued invoice is never edited or deleted: a credit
-- note (which may be partial) corrects it. `paid` and `credited` are kept by the
-- transactions that register a payment or issue a credit note, so lists read them directly.
CREATE TABLE invoices (
    id                  uuid PRIMARY KEY,
    kind                text NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
    number              text UNIQUE,
    state               text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'issued', 'paid')),
    customer_id         uuid NOT NULL REFERENCES contacts (id) ON DELETE RESTRICT,
    -- The person it is addressed to: the project's billing contact when there is one.
    contact_id          uuid REFERENCES contacts (id) ON DELETE SET NULL,
    project_id          uuid REFERENCES projects (id) ON DELETE RESTRICT,
    -- The sales order it bills.
    quote_id            uuid REFERENCES quotes (id) ON DELETE SET NULL,
    -- For a credit note: the invoice it corrects.
    credits_id          uuid REFERENCES invoices (id) ON DELETE RESTRICT,
    -- How it was made: ticked tasks, the rest at completion, by hand, or as a credit note.
    origin              text NOT NULL CHECK (origin IN ('partial', 'final', 'manual', 'credit')),
    invoice_date        date NOT NULL,
    payment_terms_days  integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    due_date            date NOT NULL,
    currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    untaxed             numeric(14, 2) NOT NULL DEFAULT 0,
    tax                 numeric(14, 2) NOT NULL DEFAULT 0,
    total               numeric(14, 2) NOT NULL DEFAULT 0,
    paid                numeric(14, 2) NOT NULL DEFAULT 0,
    credited            numeric(14, 2) NOT NULL DEFAULT 0,
    notes               text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    -- Set when issued: the structured payment reference and the stored PDF.
    payment_reference   text,
    document_key        text,
    issued_at           timestamptz,
    issued_by           uuid REFERENCES users (id) ON DELETE SET NULL,
    -- The last time it was e-mailed, and to whom.
    sent_at             timestamptz,
    sent_to             text,
    created_by          uuid REFERENCES users (id) ON DELETE SET NULL,
    version             integer NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    search              text GENERATED ALWAYS AS (atrium_fold(coalesce(number, '') || ' ' || notes)) STORED,
    CONSTRAINT invoices_numbered_when_issued CHECK ((state = 'draft') = (number IS NULL)),
    CONSTRAINT invoices_issued_with_document CHECK ((state = 'draft') = (issued_at IS NULL)),
    CONSTRAINT invoices_credit_note_credits CHECK ((kind = 'credit_note') = (credits_id IS NOT NULL)),
    CONSTRAINT invoices_due_after_date CHECK (due_date >= invoice_date)
);
CREATE INDEX invoices_search_idx ON invoices USING gin (search gin_trgm_ops);
CREATE INDEX invoices_number_idx ON invoices (number, id);
CREATE INDEX invoices_date_idx ON invoices (invoice_date, id);
CREATE INDEX invoices_total_idx ON invoices (total, id);
CREATE INDEX invoices_updated_idx ON invoices (updated_at, id);
CREATE INDEX invoices_customer_idx ON invoices (customer_id, invoice_date);
CREATE INDEX invoices_project_idx ON invoices (project_id, created_at) WHERE project_id IS NOT NULL;
CREATE INDEX invoices_credits_idx ON invoices (credits_id) WHERE credits_id IS NOT NULL;
-- Open invoices by due date: the overdue filter.
CREATE INDEX invoices_open_due_idx ON invoices (due_date) WHERE state = 'issued';

-- Lines in `position` order, with the quote's arithmetic (a snapshot of the tax). A line
-- that bills a task names it: a task is on one invoice at most, and the unique index is
-- what makes the second of two people invoicing it at once fail.
CREATE TABLE invoice_lines (
    id           uuid PRIMARY KEY,
    invoice_id   uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    description  text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 5000),
    quantity     numeric(12, 3) NOT NULL CHECK (quantity >= 0),
    unit         text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    unit_price   numeric(14, 2) NOT NULL CHECK (unit_price >= 0),
    discount     numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100),
    tax_id       uuid REFERENCES taxes (id) ON DELETE RESTRICT,
    tax_rate     numeric(6, 3),
    tax_included boolean NOT NULL DEFAULT false,
    subtotal     numeric(14, 2) NOT NULL,
    task_id      uuid REFERENCES tasks (id) ON DELETE SET NULL,
    UNIQUE (invoice_id, position),
    CONSTRAINT invoice_lines_tax_snapshot CHECK ((tax_id IS NULL) = (tax_rate IS NULL))
);
CREATE UNIQUE INDEX invoice_lines_task_once_idx ON invoice_lines (task_id) WHERE task_id IS NOT NULL;

-- Payments received; the open balance is total − paid − credited.
CREATE TABLE invoice_payments (
    id         uuid PRIMARY KEY,
    invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    paid_on    date NOT NULL,
    amount     numeric(14, 2) NOT NULL CHECK (amount > 0),
    method     text NOT NULL CHECK (method IN ('bank_transfer', 'card', 'cash', 'direct_debit', 'other')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX invoice_payments_invoice_idx ON invoice_payments (invoice_id, paid_on);

-- Invoices have activities and a timeline; the project's timeline tells its life cycle.
ALTER TABLE activities DROP CONSTRAINT activities_record_kind_check;
ALTER TABLE activities ADD CONSTRAINT activities_record_kind_check
    CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task', 'quote', 'invoice'));
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_record_kind_check;
ALTER TABLE timeline_entries ADD CONSTRAINT timeline_entries_record_kind_check
    CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task', 'quote', 'invoice'));
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_kind_check;
ALTER TABLE timeline_entries ADD CONSTRAINT timeline_entries_kind_check
    CHECK (kind IN ('created', 'note', 'activity_done', 'stage', 'won', 'lost', 'reopened',
                    'field', 'task_created', 'quote_created', 'quote_sent', 'quote_state',
                    'quote_confirmed', 'send_failed', 'invoice_created', 'invoice_issued',
                    'invoice_sent', 'payment', 'credit_note', 'project_locked',
                    'project_unlocked'));

-- An e-mailed invoice's message links back to it.
ALTER TABLE outbox_messages ADD COLUMN invoice_id uuid REFERENCES invoices (id) ON DELETE SET NULL;
CREATE INDEX outbox_messages_invoice_idx ON outbox_messages (invoice_id, created_at DESC) WHERE invoice_id IS NOT NULL;

-- Hours of tasks without a quoted amount are invoiced with the company's default tax.
ALTER TABLE company_settings ADD COLUMN default_tax_id uuid REFERENCES taxes (id) ON DELETE SET NULL;
UPDATE company_settings SET default_tax_id =
    (SELECT id FROM taxes WHERE country = 'NL' AND rate = 21 ORDER BY position LIMIT 1);

-- The seller's details are saved as read: two admins editing them at once cannot undo
-- each other unseen.
ALTER TABLE company_settings ADD COLUMN invoicing_version integer NOT NULL DEFAULT 1;
