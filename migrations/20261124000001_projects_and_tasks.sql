-- Projects and their administration (members with a permission, client contacts by role,
-- admin documents with reminders), tasks with their history, checklist and participants,
-- time entries and running timers, and in-app notifications.
--
-- States and kinds are text with CHECK constraints, as for users: the domain enums parse them,
-- and adding a value later is a one-line constraint change.

-- Per-year counters for human numbers (P-2026-0001 now; quotes and invoices later). The row is
-- taken with `INSERT … ON CONFLICT DO UPDATE … RETURNING` inside the creating transaction, so
-- a rolled-back creation gives its number back and numbers stay gapless.
CREATE TABLE number_counters (
    series text NOT NULL,
    year   integer NOT NULL,
    last   integer NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE projects (
    id              uuid PRIMARY KEY,
    number          text NOT NULL UNIQUE,
    title           text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    -- The customer: a company or a person from the directory.
    customer_id     uuid REFERENCES contacts (id) ON DELETE RESTRICT,
    -- The project manager, answerable for it and reminded of its documents.
    manager_id      uuid REFERENCES users (id) ON DELETE SET NULL,
    state           text NOT NULL DEFAULT 'planned'
                    CHECK (state IN ('planned', 'in_progress', 'on_hold', 'completed', 'closed')),
    start_date      date,
    end_date        date,
    -- End of the tender (submission) period.
    tender_end_date date,
    budget          numeric(14, 2) CHECK (budget >= 0),
    currency        text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    -- The quote it was created from (sales issue); no foreign key until quotes exist.
    quote_id        uuid,
    -- Set when the final invoice is issued (invoicing issue); a locked project is read-only.
    locked          boolean NOT NULL DEFAULT false,
    -- Maintained by the time-entry trigger below, so lists sort and sum without a join.
    hours_spent     numeric(10, 2) NOT NULL DEFAULT 0,
    created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    sort_title      text GENERATED ALWAYS AS (atrium_fold(title)) STORED,
    search          text GENERATED ALWAYS AS (atrium_fold(number || ' ' || title)) STORED,
    CONSTRAINT projects_dates_in_order CHECK (end_date >= start_date)
);

CREATE INDEX projects_search_idx ON projects USING gin (search gin_trgm_ops);
CREATE INDEX projects_number_idx ON projects (number, id);
CREATE INDEX projects_sort_title_idx ON projects (sort_title, id);
CREATE INDEX projects_end_idx ON projects (coalesce(end_date, 'infinity'::date), id);
CREATE INDEX projects_updated_idx ON projects (updated_at, id);
CREATE INDEX projects_customer_idx ON projects (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX projects_manager_idx ON projects (manager_id);
CREATE INDEX projects_state_idx ON projects (state);

-- Who works on a project and with which permission: `limited` sees the client contacts, the
-- admin information and the admin documents; `admin` also changes them.
CREATE TABLE project_members (
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission text NOT NULL CHECK (permission IN ('limited', 'admin')),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);

-- "The projects I am on", for the list's visibility rule.
CREATE INDEX project_members_user_idx ON project_members (user_id, project_id);

-- The customer's people for this project, by role; each role may have several.
CREATE TABLE project_contacts (
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE RESTRICT,
    role       text NOT NULL CHECK (role IN ('tender', 'billing', 'execution')),
    PRIMARY KEY (project_id, role, contact_id)
);

CREATE INDEX project_contacts_contact_idx ON project_contacts (contact_id);

-- Admin documents (contract, insurance…). The bytes live in the object store under
-- `storage_key`; the row is what the application knows about them.
CREATE TABLE project_documents (
    id           uuid PRIMARY KEY,
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('contract', 'insurance', 'permit', 'certificate', 'other')),
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    storage_key  text NOT NULL UNIQUE,
    expires_on   date,
    remind_on    date,
    -- Set by the reminder job in the transaction that notifies: each reminder runs once.
    -- Changing `remind_on` clears it, so a new date reminds again.
    reminded_at  timestamptz,
    uploaded_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX project_documents_project_idx ON project_documents (project_id, created_at);
-- What the reminder job scans: due reminders not yet sent.
CREATE INDEX project_documents_due_idx ON project_documents (remind_on)
    WHERE reminded_at IS NULL AND remind_on IS NOT NULL;

CREATE TABLE tasks (
    id                      uuid PRIMARY KEY,
    -- Optional: a task may also hang on a CRM record (CRM issue).
    project_id              uuid REFERENCES projects (id) ON DELETE CASCADE,
    title                   text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    description             text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    assignee_id             uuid REFERENCES users (id) ON DELETE SET NULL,
    creator_id              uuid REFERENCES users (id) ON DELETE SET NULL,
    status                  text NOT NULL DEFAULT 'pending'
                            CHECK (status IN ('pending', 'in_progress', 'paused', 'pending_review', 'completed', 'deferred')),
    priority                text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    tags                    text[] NOT NULL DEFAULT '{}',
    start_date              date,
    due_date                date,
    planned_hours           numeric(8, 2) CHECK (planned_hours >= 0),
    -- Maintained by the time-entry trigger.
    hours_spent             numeric(10, 2) NOT NULL DEFAULT 0,
    review_on_completion    boolean NOT NULL DEFAULT false,
    assignee_may_change_due boolean NOT NULL DEFAULT true,
    -- Order within the project, chosen by hand; new tasks go last.
    position                double precision NOT NULL DEFAULT 0,
    -- Indicator times, written together with the history entry that causes them: when the
    -- assignee last opened the task, when someone else last changed it, when its deadline
    -- last changed. domain::task_indicators reads them.
    assignee_seen_at        timestamptz,
    changed_by_other_at     timestamptz,
    due_changed_at          timestamptz,
    completed_at            timestamptz,
    -- Set when the task is invoiced (invoicing issue).
    invoiced                boolean NOT NULL DEFAULT false,
    version                 integer NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    sort_title              text GENERATED ALWAYS AS (atrium_fold(title)) STORED,
    search                  text GENERATED ALWAYS AS (atrium_fold(title)) STORED,
    CONSTRAINT tasks_dates_in_order CHECK (due_date >= start_date)
);

-- A project's tasks in their order (project page, timeline, kanban).
CREATE INDEX tasks_project_idx ON tasks (project_id, position, id);
-- My tasks: open tasks by assignee and deadline.
CREATE INDEX tasks_assignee_open_idx ON tasks (assignee_id, due_date)
    WHERE status NOT IN ('completed', 'deferred');
-- Waiting for my review.
CREATE INDEX tasks_review_idx ON tasks (creator_id, due_date) WHERE status = 'pending_review';
CREATE INDEX tasks_search_idx ON tasks USING gin (search gin_trgm_ops);
CREATE INDEX tasks_sort_title_idx ON tasks (sort_title, id);
CREATE INDEX tasks_due_idx ON tasks (coalesce(due_date, 'infinity'::date), id);
CREATE INDEX tasks_updated_idx ON tasks (updated_at, id);
CREATE INDEX tasks_tags_idx ON tasks USING gin (tags);

CREATE TABLE task_participants (
    task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, user_id)
);

CREATE INDEX task_participants_user_idx ON task_participants (user_id);

CREATE TABLE task_checklist_items (
    id       uuid PRIMARY KEY,
    task_id  uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    position integer NOT NULL,
    text     text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 500),
    done     boolean NOT NULL DEFAULT false
);

CREATE INDEX task_checklist_items_task_idx ON task_checklist_items (task_id, position);

-- Everything that happened to a task, in order: creation, status moves (with the review
-- comment), edits of fields, deadline changes. The indicators and the task page read it.
CREATE TABLE task_history (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id   uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text NOT NULL CHECK (kind IN ('created', 'status', 'edited', 'deadline', 'assigned', 'checklist')),
    action    text,
    old_value text,
    new_value text,
    comment   text NOT NULL DEFAULT ''
);

CREATE INDEX task_history_task_idx ON task_history (task_id, id);

CREATE TABLE time_entries (
    id         uuid PRIMARY KEY,
    task_id    uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    -- Copied from the task so project sums need no join; tasks do not change project.
    project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
    user_id    uuid REFERENCES users (id) ON DELETE SET NULL,
    work_date  date NOT NULL,
    hours      numeric(6, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
    note       text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    billable   boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX time_entries_task_idx ON time_entries (task_id, work_date);
CREATE INDEX time_entries_project_idx ON time_entries (project_id);

-- Keeps `hours_spent` of the task and its project equal to the sum of their time entries.
CREATE FUNCTION time_entries_sum() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE tasks SET hours_spent = hours_spent + NEW.hours WHERE id = NEW.task_id;
        UPDATE projects SET hours_spent = hours_spent + NEW.hours WHERE id = NEW.project_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE tasks SET hours_spent = hours_spent - OLD.hours WHERE id = OLD.task_id;
        UPDATE projects SET hours_spent = hours_spent - OLD.hours WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER time_entries_sum AFTER INSERT OR UPDATE OR DELETE ON time_entries
    FOR EACH ROW EXECUTE FUNCTION time_entries_sum();

-- A running timer: at most one per user. Stopping it writes a time entry.
CREATE TABLE task_timers (
    user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    task_id    uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL DEFAULT now()
);

-- In-app notifications (document reminders now; more kinds later). What they say is built
-- from `kind` and the linked rows in the reader's language.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('document_reminder')),
    project_id  uuid REFERENCES projects (id) ON DELETE CASCADE,
    document_id uuid REFERENCES project_documents (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    -- A reminder reaches each user once, even if two jobs raced past the lock.
    CONSTRAINT notifications_once UNIQUE (user_id, kind, document_id)
);

CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at) WHERE read_at IS NULL;
