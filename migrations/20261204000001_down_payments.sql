-- Down payments on a sales order and the final invoice that deducts them (issue 16).
--
-- A line is work (a task, hours, a manual line), a down payment on the order, or the final
-- invoice's deduction of down payments invoiced before. Only a deduction has a negative
-- price: it is the one line that lowers what an invoice bills.
ALTER TABLE invoice_lines
    ADD COLUMN kind text NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'down_payment', 'deduction'));
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_unit_price_check;
ALTER TABLE invoice_lines ADD CONSTRAINT invoice_lines_price_sign
    CHECK (CASE WHEN kind = 'deduction' THEN unit_price < 0 ELSE unit_price >= 0 END);

-- Down payments are invoiced from the order; reading an order's down payments and
-- deductions goes through its invoices.
ALTER TABLE invoices DROP CONSTRAINT invoices_origin_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_origin_check
    CHECK (origin IN ('partial', 'final', 'manual', 'credit', 'down_payment'));
CREATE INDEX invoices_quote_idx ON invoices (quote_id) WHERE quote_id IS NOT NULL;

-- Lines of an order that made no task (goods, free lines) are billed by the final invoice as
-- they were sold, each once: like a task, a sold line is on one invoice at most.
ALTER TABLE invoice_lines
    ADD COLUMN quote_line_id uuid REFERENCES quote_lines (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX invoice_lines_quote_line_once_idx ON invoice_lines (quote_line_id)
    WHERE quote_line_id IS NOT NULL;
