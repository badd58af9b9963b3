-- Project e-mails: the appointment confirmation (with a calendar invitation) and the status
-- update a project page sends one of its client contacts, the texts admins made their own,
-- and the link from such a message to its project.

-- A company's own text of a standard e-mail, per kind and language. Only texts that differ
-- from the standard are stored: the standard ones live in the code (domain::project_mail),
-- so a company that kept them gets every improvement. The same code checks the placeholders
-- of a text before it is saved; the lengths here are its limits, in characters.
CREATE TABLE mail_templates (
    kind       text NOT NULL CHECK (kind IN ('appointment', 'status')),
    language   text NOT NULL CHECK (language IN ('en', 'nl', 'fr', 'es', 'it')),
    subject    text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 200),
    body       text NOT NULL CHECK (length(btrim(body)) >= 1 AND length(body) <= 5000),
    updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Saved as read: two admins editing the same text cannot undo each other unseen.
    version    integer NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, language)
);

-- The project's timeline tells which e-mails went to its client, and to whom.
ALTER TABLE timeline_entries DROP CONSTRAINT timeline_entries_kind_check;
ALTER TABLE timeline_entries ADD CONSTRAINT timeline_entries_kind_check
    CHECK (kind IN ('created', 'note', 'activity_done', 'stage', 'won', 'lost', 'reopened',
                    'field', 'task_created', 'quote_created', 'quote_sent', 'quote_state',
                    'quote_confirmed', 'send_failed', 'invoice_created', 'invoice_issued',
                    'invoice_sent', 'payment', 'credit_note', 'project_locked',
                    'project_unlocked', 'appointment_sent', 'status_sent'));

-- A project e-mail's message links back to its project (as a quote's and an invoice's do),
-- newest first per project.
ALTER TABLE outbox_messages ADD COLUMN project_id uuid REFERENCES projects (id) ON DELETE SET NULL;
CREATE INDEX outbox_messages_project_idx ON outbox_messages (project_id, created_at DESC) WHERE project_id IS NOT NULL;
