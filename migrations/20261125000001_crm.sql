-- CRM: pipelines with their stages, opportunities (deals), activities planned on any record,
-- the record timeline, and tasks created from a deal.
--
-- Built-in rows (the default pipeline and its stages, lost reasons, activity types) carry a
-- `key` and an empty `name`: the interface shows the translation of the key in the reader's
-- language until someone renames the row. Rows people add have a name and no key.

-- Company-wide settings: one row.
CREATE TABLE company_settings (
    id                            boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- Closing a deal (won or lost) finishes its open tasks (seed 004).
    close_tasks_when_deal_closes  boolean NOT NULL DEFAULT true
);
INSERT INTO company_settings DEFAULT VALUES;

-- The user's IANA time zone: "today" for activities is the user's own day. Set from the
-- browser on sign-in.
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Amsterdam';

CREATE TABLE pipelines (
    id         uuid PRIMARY KEY,
    key        text UNIQUE,
    name       text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    position   integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pipelines_named CHECK (key IS NOT NULL OR length(btrim(name)) > 0)
);

CREATE TABLE pipeline_stages (
    id          uuid PRIMARY KEY,
    pipeline_id uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    key         text,
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    -- Column order on the board.
    position    integer NOT NULL DEFAULT 0,
    -- Folded columns show as a narrow strip with their count.
    folded      boolean NOT NULL DEFAULT false,
    -- Dragging a card here wins the deal.
    is_won      boolean NOT NULL DEFAULT false,
    CONSTRAINT pipeline_stages_named CHECK (key IS NOT NULL OR length(btrim(name)) > 0)
);
CREATE INDEX pipeline_stages_pipeline_idx ON pipeline_stages (pipeline_id, position);
-- At most one won stage per pipeline.
CREATE UNIQUE INDEX pipeline_stages_one_won ON pipeline_stages (pipeline_id) WHERE is_won;

CREATE TABLE lost_reasons (
    id       uuid PRIMARY KEY,
    key      text UNIQUE,
    name     text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    position integer NOT NULL DEFAULT 0,
    active   boolean NOT NULL DEFAULT true,
    CONSTRAINT lost_reasons_named CHECK (key IS NOT NULL OR length(btrim(name)) > 0)
);

CREATE TABLE activity_types (
    id         uuid PRIMARY KEY,
    key        text UNIQUE,
    name       text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    -- The icon on cards and lists.
    icon       text NOT NULL CHECK (icon IN ('phone', 'email', 'meeting', 'todo', 'document')),
    -- "Call in 2 days": the due date the dialog proposes.
    delay_days integer NOT NULL DEFAULT 0 CHECK (delay_days BETWEEN 0 AND 3650),
    position   integer NOT NULL DEFAULT 0,
    active     boolean NOT NULL DEFAULT true,
    CONSTRAINT activity_types_named CHECK (key IS NOT NULL OR length(btrim(name)) > 0)
);

INSERT INTO pipelines (id, key, position) VALUES ('018f0000-0000-7000-8000-000000000001', 'sales', 0);
INSERT INTO pipeline_stages (id, pipeline_id, key, position, is_won) VALUES
    ('018f0000-0000-7000-8000-000000000011', '018f0000-0000-7000-8000-000000000001', 'new', 0, false),
    ('018f0000-0000-7000-8000-000000000012', '018f0000-0000-7000-8000-000000000001', 'qualified', 1, false),
    ('018f0000-0000-7000-8000-000000000013', '018f0000-0000-7000-8000-000000000001', 'proposition', 2, false),
    ('018f0000-0000-7000-8000-000000000014', '018f0000-0000-7000-8000-000000000001', 'won', 3, true);
INSERT INTO lost_reasons (id, key, position) VALUES
    ('018f0000-0000-7000-8000-000000000021', 'too_expensive', 0),
    ('018f0000-0000-7000-8000-000000000022', 'competitor', 1),
    ('018f0000-0000-7000-8000-000000000023', 'no_budget', 2),
    ('018f0000-0000-7000-8000-000000000024', 'no_answer', 3);
INSERT INTO activity_types (id, key, icon, delay_days, position) VALUES
    ('018f0000-0000-7000-8000-000000000031', 'call', 'phone', 2, 0),
    ('018f0000-0000-7000-8000-000000000032', 'email', 'email', 0, 1),
    ('018f0000-0000-7000-8000-000000000033', 'meeting', 'meeting', 7, 2),
    ('018f0000-0000-7000-8000-000000000034', 'todo', 'todo', 5, 3),
    ('018f0000-0000-7000-8000-000000000035', 'document', 'document', 5, 4);

CREATE TABLE opportunities (
    id               uuid PRIMARY KEY,
    title            text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    pipeline_id      uuid NOT NULL REFERENCES pipelines (id) ON DELETE RESTRICT,
    stage_id         uuid NOT NULL REFERENCES pipeline_stages (id) ON DELETE RESTRICT,
    -- The customer (company or person) and the contact person; both optional.
    customer_id      uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    contact_id       uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    salesperson_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    expected_revenue numeric(14, 2) CHECK (expected_revenue >= 0),
    currency         text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    probability      smallint CHECK (probability BETWEEN 0 AND 100),
    expected_closing date,
    priority         smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 3),
    tags             text[] NOT NULL DEFAULT '{}',
    source           text NOT NULL DEFAULT '' CHECK (length(source) <= 100),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    lost_reason_id   uuid REFERENCES lost_reasons (id) ON DELETE RESTRICT,
    lost_note        text NOT NULL DEFAULT '' CHECK (length(lost_note) <= 2000),
    closed_at        timestamptz,
    -- Order within the stage, chosen by dragging; new cards go first.
    position         double precision NOT NULL DEFAULT 0,
    created_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    sort_title       text GENERATED ALWAYS AS (atrium_fold(title)) STORED,
    search           text GENERATED ALWAYS AS (atrium_fold(title || ' ' || source)) STORED,
    CONSTRAINT opportunities_lost_has_reason CHECK (status <> 'lost' OR lost_reason_id IS NOT NULL)
);

-- A board column: the stage's cards in their order (lost deals leave the board).
CREATE INDEX opportunities_stage_idx ON opportunities (stage_id, position, id) WHERE status <> 'lost';
-- Column sums and counts over open deals.
CREATE INDEX opportunities_open_idx ON opportunities (pipeline_id, stage_id) INCLUDE (expected_revenue)
    WHERE status = 'open';
CREATE INDEX opportunities_search_idx ON opportunities USING gin (search gin_trgm_ops);
CREATE INDEX opportunities_sort_title_idx ON opportunities (sort_title, id);
CREATE INDEX opportunities_closing_idx ON opportunities (coalesce(expected_closing, 'infinity'::date), id);
CREATE INDEX opportunities_revenue_idx ON opportunities (coalesce(expected_revenue, 0), id);
CREATE INDEX opportunities_updated_idx ON opportunities (updated_at, id);
CREATE INDEX opportunities_salesperson_idx ON opportunities (salesperson_id, status);
CREATE INDEX opportunities_customer_idx ON opportunities (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX opportunities_contact_idx ON opportunities (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX opportunities_tags_idx ON opportunities USING gin (tags);

-- A planned activity on any record. `record_kind`/`record_id` name the record (opportunity,
-- contact, project, task; quotes and invoices later); `opportunity_id` repeats the id for
-- deals as a real foreign key, so that board cards find their next activity by index and an
-- activity goes with its deal.
CREATE TABLE activities (
    id             uuid PRIMARY KEY,
    record_kind    text NOT NULL CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task')),
    record_id      uuid NOT NULL,
    opportunity_id uuid REFERENCES opportunities (id) ON DELETE CASCADE,
    type_id        uuid NOT NULL REFERENCES activity_types (id) ON DELETE RESTRICT,
    due_date       date NOT NULL,
    summary        text NOT NULL DEFAULT '' CHECK (length(summary) <= 200),
    note           text NOT NULL DEFAULT '' CHECK (length(note) <= 10000),
    assigned_to    uuid REFERENCES users (id) ON DELETE SET NULL,
    created_by     uuid REFERENCES users (id) ON DELETE SET NULL,
    done_at        timestamptz,
    done_by        uuid REFERENCES users (id) ON DELETE SET NULL,
    feedback       text NOT NULL DEFAULT '' CHECK (length(feedback) <= 10000),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT activities_opportunity_matches CHECK (
        (record_kind = 'opportunity') = (opportunity_id IS NOT NULL)
        AND (opportunity_id IS NULL OR opportunity_id = record_id))
);
-- A card's next activity.
CREATE INDEX activities_opportunity_open_idx ON activities (opportunity_id, due_date)
    WHERE done_at IS NULL AND opportunity_id IS NOT NULL;
-- My activities, and the navigation counter.
CREATE INDEX activities_assigned_open_idx ON activities (assigned_to, due_date) WHERE done_at IS NULL;
CREATE INDEX activities_record_idx ON activities (record_kind, record_id, due_date);

-- The record timeline: notes, activities done, stage moves, won/lost, field changes, tasks
-- created. Append-only.
CREATE TABLE timeline_entries (
    id          uuid PRIMARY KEY,
    record_kind text NOT NULL CHECK (record_kind IN ('opportunity', 'contact', 'project', 'task')),
    record_id   uuid NOT NULL,
    user_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL CHECK (kind IN ('created', 'note', 'activity_done', 'stage', 'won',
                                              'lost', 'reopened', 'field', 'task_created')),
    -- What the entry says, by kind: the note's text, the activity and its feedback, the
    -- stages, the field with its old and new value, the task.
    payload     jsonb NOT NULL DEFAULT '{}'
);
-- Newest first, paged by (at, id).
CREATE INDEX timeline_entries_record_idx ON timeline_entries (record_kind, record_id, at DESC, id DESC);

-- Tasks created from a deal link back to it; the "linked to CRM" filter uses the link.
ALTER TABLE tasks ADD COLUMN opportunity_id uuid REFERENCES opportunities (id) ON DELETE SET NULL;
-- The deal's tasks, most recently updated first (the card shows that one's state).
CREATE INDEX tasks_opportunity_idx ON tasks (opportunity_id, updated_at DESC) WHERE opportunity_id IS NOT NULL;
