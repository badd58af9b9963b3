-- Hardening: what a security review asked of the schema.

-- An upload is claimed by the import that uses it: the row stays, marked, until the daily
-- clean-up, so that a second (double-clicked) import finds it taken and can say so instead
-- of importing every row again.
ALTER TABLE contact_imports ADD COLUMN imported_at timestamptz;
CREATE INDEX contact_imports_user_idx ON contact_imports (user_id, created_at DESC);

-- The duplicate warning compares names by trigram similarity (`sort_name % $name`): with
-- this index it reads the few similar names instead of every contact.
CREATE INDEX contacts_sort_name_trgm_idx ON contacts USING gin (sort_name gin_trgm_ops);

-- Optimistic locking for what two people may edit at once: a tax, and a document's dates.
-- A save states the version it read; a newer one means someone else saved first (409).
ALTER TABLE taxes ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE project_documents ADD COLUMN version integer NOT NULL DEFAULT 1;
-- A membership is changed or removed as it was read: a stale page cannot bring back a member
-- someone removed, or undo a permission someone changed.
ALTER TABLE project_members ADD COLUMN version integer NOT NULL DEFAULT 1;
-- The CRM settings page saves each change as made on the settings it showed: one version
-- for all of them, so two managers editing at once cannot undo each other unseen.
ALTER TABLE company_settings ADD COLUMN crm_settings_version integer NOT NULL DEFAULT 1;
