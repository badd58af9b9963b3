-- Tasks added to an existing project from the catalogue or the configurator (issue 16).
--
-- Such a task carries its share of the line's amount without tax, as a task made by
-- confirming a quote does, but it has no quote line to read its tax from. It keeps the tax
-- of its product instead: which tax, and its rate at the moment the task was added (a later
-- change of the tax's rate does not change what was agreed). Invoicing reads the quote
-- line's tax first and this one otherwise; the amount never includes the tax, so no
-- "included" flag is kept. A tax cannot be deleted while a task names it.
ALTER TABLE tasks
    ADD COLUMN quoted_tax_id   uuid REFERENCES taxes (id) ON DELETE RESTRICT,
    ADD COLUMN quoted_tax_rate numeric(6, 3) CHECK (quoted_tax_rate >= 0 AND quoted_tax_rate <= 100),
    -- Both or neither: a rate without its tax (or the reverse) could not be invoiced.
    ADD CONSTRAINT tasks_quoted_tax_pair CHECK ((quoted_tax_id IS NULL) = (quoted_tax_rate IS NULL)),
    -- A tax is kept only beside the amount it applies to.
    ADD CONSTRAINT tasks_quoted_tax_amount CHECK (quoted_tax_id IS NULL OR quoted_amount IS NOT NULL);
