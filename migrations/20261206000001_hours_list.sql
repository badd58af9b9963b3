-- The Hours list: time entries newest first (its sort and keyset cursor), and one person's
-- hours by date.
CREATE INDEX time_entries_date_idx ON time_entries (work_date, id);
CREATE INDEX time_entries_user_date_idx ON time_entries (user_id, work_date);
