//! The layout of a quote or sales order on A4 pages: the header with the seller and the
//! title, the customer and the facts, the lines table (its header repeated on every page,
//! rows split only when taller than a page), the totals, notes and terms, and a footer
//! with the page count. The typesetter in `crate::documents` measures, wraps and writes.

use crate::documents::{
    set_lines, wrap, write_pdf, Align, Face, Op, Span, Style, BOTTOM, CONTENT_WIDTH, FOOTER_TOP,
    FULL_WIDTH, LEFT, RIGHT, TOP,
};

/// Everything printed on a quote or sales order, already formatted and
/// translated by the caller.
pub struct QuoteDocument {
    /// "Quote" / "Sales order", translated.
    pub title: String,
    /// "Q-2026-0001"
    pub number: String,
    /// The seller's header lines: name first (bold), then address lines, VAT number, e-mail…
    pub company: Vec<String>,
    /// The customer's address block lines (may be empty).
    pub customer: Vec<String>,
    /// Label/value pairs under the title: date, valid until, salesperson, reference…
    pub facts: Vec<(String, String)>,
    /// Column headings: description, quantity, unit price, discount, tax, amount.
    pub columns: [String; 6],
    pub lines: Vec<DocumentLine>,
    /// Totals block, top to bottom: (label, amount text, strong). e.g. Untaxed, "VAT 21 % on € 1.000,00", Total (strong).
    pub totals: Vec<(String, String, bool)>,
    /// Free notes of the quote (may be multi-line, may be empty).
    pub notes: String,
    /// Terms and conditions paragraph (may be empty).
    pub terms: String,
    /// Small text in every page footer, e.g. "Q-2026-0001 · Page {page} of {pages}" — the caller passes a template containing the literal placeholders `{page}` and `{pages}`, which you substitute.
    pub footer: String,
}

/// One row of the lines table.
pub enum DocumentLine {
    /// A priced line; every field is display text.
    Item {
        description: String,
        quantity: String,
        unit_price: String,
        discount: String,
        tax: String,
        amount: String,
    },
    /// A heading that groups the lines below it.
    Section(String),
    /// A free comment between the lines.
    Note(String),
}

/// Renders the document as PDF bytes (A4 portrait).
pub fn render(document: &QuoteDocument) -> Result<Vec<u8>, String> {
    let title = format!("{} {}", document.title, document.number);
    write_pdf(&title, &layout(document))
}

/// The layout pass: every page as a list of drawing operations, footers included.
fn layout(document: &QuoteDocument) -> Vec<Vec<Op>> {
    let mut layout = Layout::new(document);
    layout.header();
    layout.table();
    layout.totals();
    layout.paragraph(&document.notes, NOTES, 20.0);
    layout.paragraph(&document.terms, TERMS, 14.0);
    layout.finish()
}

// Page geometry, in points (1/72 inch), origin at the bottom left.

/// Horizontal space between table columns.
const GUTTER: f32 = 8.0;
/// Vertical padding above and below the text of a table row.
const CELL_PAD: f32 = 3.5;
/// Widths of quantity, unit price, discount, tax and amount; the description
/// column takes the rest of the line.
const NUMERIC_COLUMNS: [f32; 5] = [46.0, 66.0, 48.0, 42.0, 76.0];
/// Width of the totals block at the right margin, and of its amount column.
const TOTALS_WIDTH: f32 = 240.0;
const TOTALS_AMOUNT_WIDTH: f32 = 90.0;

/// Space above a section band.
const SECTION_SPACE: f32 = 4.0;
/// Paragraphs up to this many lines are not split across pages.
const KEEP_TOGETHER_LINES: usize = 5;

const RULE_GRAY: f32 = 0.82;
const BAND_GRAY: f32 = 0.93;

const COMPANY_NAME: Style = Style::new(Face::Bold, 14.0, 0.0);
const COMPANY_LINE: Style = Style::new(Face::Regular, 8.5, 0.3);
const TITLE: Style = Style::new(Face::Bold, 22.0, 0.0);
const NUMBER: Style = Style::new(Face::Regular, 11.0, 0.3);
const CUSTOMER_NAME: Style = Style::new(Face::Bold, 10.0, 0.0);
const CUSTOMER_LINE: Style = Style::new(Face::Regular, 10.0, 0.0);
const FACT_LABEL: Style = Style::new(Face::Regular, 9.0, 0.4);
const FACT_VALUE: Style = Style::new(Face::Regular, 9.0, 0.0);
const TABLE_HEAD: Style = Style::new(Face::Bold, 8.5, 0.0);
const CELL: Style = Style::new(Face::Regular, 9.0, 0.0);
const SECTION: Style = Style::new(Face::Bold, 9.5, 0.0);
const NOTE: Style = Style::new(Face::Oblique, 9.0, 0.3);
const TOTAL: Style = Style::new(Face::Regular, 9.5, 0.0);
const TOTAL_STRONG: Style = Style::new(Face::Bold, 10.5, 0.0);
const NOTES: Style = Style::new(Face::Regular, 9.0, 0.0);
const TERMS: Style = Style::new(Face::Regular, 7.5, 0.35);
const FOOTER: Style = Style::new(Face::Regular, 7.5, 0.45);

/// A table cell: wrapped lines and where they go.
struct Cell {
    lines: Vec<String>,
    span: Span,
}

impl Cell {
    fn new(text: &str, style: Style, span: Span) -> Self {
        Cell {
            lines: wrap(text, style, span.width()),
            span,
        }
    }
}

/// The layout pass: places content top to bottom with a cursor, starting a
/// new page whenever the next piece does not fit.
struct Layout<'a> {
    doc: &'a QuoteDocument,
    pages: Vec<Vec<Op>>,
    /// Top of the next piece of content.
    y: f32,
    /// Whether the lines table is being laid out, so that a page break must
    /// repeat the table header.
    in_table: bool,
}

impl<'a> Layout<'a> {
    fn new(doc: &'a QuoteDocument) -> Self {
        Layout {
            doc,
            pages: vec![Vec::new()],
            y: TOP,
            in_table: false,
        }
    }

    fn push(&mut self, op: Op) {
        self.pages
            .last_mut()
            .expect("layout always has a page")
            .push(op);
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        if self.in_table {
            self.table_header();
        }
    }

    /// Breaks the page unless `height` more points fit above the bottom margin.
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, gray: f32) {
        self.push(Op::Rule {
            x1,
            x2,
            y,
            width,
            gray,
        });
    }

    /// Sets lines on the current page; see [`set_lines`]. Does not break pages.
    fn lines(&mut self, lines: &[String], style: Style, span: Span, top: f32) -> f32 {
        let page = self.pages.last_mut().expect("layout always has a page");
        set_lines(page, lines, style, span, top)
    }

    /// Wraps and sets a list of lines, the first one in `first` style and the
    /// rest in `rest` style. Returns the height used.
    fn block(&mut self, texts: &[String], first: Style, rest: Style, span: Span, top: f32) -> f32 {
        let mut y = top;
        for (i, text) in texts.iter().enumerate() {
            let style = if i == 0 { first } else { rest };
            let wrapped = wrap(text, style, span.width());
            y -= self.lines(&wrapped, style, span, y);
        }
        top - y
    }

    /// Company and title side by side, then customer address and facts.
    /// These blocks are assumed to fit on the first page.
    fn header(&mut self) {
        let doc = self.doc;
        let split = LEFT + CONTENT_WIDTH * 0.55;
        let top = self.y;
        let left = Span::new(LEFT, split, Align::Left);
        let right = Span::new(split + GUTTER, RIGHT, Align::Right);
        let company = self.block(&doc.company, COMPANY_NAME, COMPANY_LINE, left, top);
        let heading = [doc.title.clone(), doc.number.clone()];
        let title = self.block(&heading, TITLE, NUMBER, right, top);
        self.y = top - company.max(title) - 12.0;
        self.rule(LEFT, RIGHT, self.y, 0.5, RULE_GRAY);
        self.y -= 18.0;

        let top = self.y;
        let customer = self.block(&doc.customer, CUSTOMER_NAME, CUSTOMER_LINE, left, top);
        let facts = self.facts(right.left, top);
        self.y = top - customer.max(facts) - 26.0;
    }

    /// Label/value pairs between `left` and the right margin: labels in a
    /// column as wide as the widest label (at most half), values right-aligned.
    fn facts(&mut self, left: f32, top: f32) -> f32 {
        let facts = &self.doc.facts;
        let widest = facts
            .iter()
            .map(|(label, _)| FACT_LABEL.width(label))
            .fold(0.0, f32::max);
        let label_right = left + widest.min((RIGHT - left) / 2.0);
        let labels = Span::new(left, label_right, Align::Left);
        let values = Span::new(label_right + GUTTER, RIGHT, Align::Right);
        let mut y = top;
        for (label, value) in facts {
            let label = Cell::new(label, FACT_LABEL, labels);
            let value = Cell::new(value, FACT_VALUE, values);
            let label_height = self.lines(&label.lines, FACT_LABEL, labels, y);
            let value_height = self.lines(&value.lines, FACT_VALUE, values, y);
            y -= label_height.max(value_height) + 2.0;
        }
        top - y
    }

    /// Text extents of the six table columns: the description left-aligned,
    /// the numbers right-aligned with the gutter on their left, so that the
    /// amount column ends at the right margin.
    fn columns() -> [Span; 6] {
        let mut x = RIGHT - NUMERIC_COLUMNS.iter().sum::<f32>();
        let mut columns = [Span::new(LEFT, x, Align::Left); 6];
        for (column, width) in columns[1..].iter_mut().zip(NUMERIC_COLUMNS) {
            *column = Span::new(x + GUTTER, x + width, Align::Right);
            x += width;
        }
        columns
    }

    /// Wraps one text per column.
    fn cells(texts: [&str; 6], style: Style) -> Vec<Cell> {
        texts
            .iter()
            .zip(Self::columns())
            .map(|(text, span)| Cell::new(text, style, span))
            .collect()
    }

    /// A cell spanning the whole table width, inset a little for the band.
    fn wide_cell(text: &str, style: Style) -> Vec<Cell> {
        let inset = 4.0;
        vec![Cell::new(
            text,
            style,
            Span::new(LEFT + inset, RIGHT - inset, Align::Left),
        )]
    }

    fn row_height(line_count: usize, style: Style) -> f32 {
        line_count as f32 * style.leading() + 2.0 * CELL_PAD
    }

    fn table_header(&mut self) {
        let cells = Self::cells(self.doc.columns.each_ref().map(String::as_str), TABLE_HEAD);
        let count = cells.iter().map(|cell| cell.lines.len()).max().unwrap_or(1);
        for cell in &cells {
            self.lines(&cell.lines, TABLE_HEAD, cell.span, self.y - CELL_PAD);
        }
        self.y -= Self::row_height(count, TABLE_HEAD);
        self.rule(LEFT, RIGHT, self.y, 0.8, 0.35);
    }

    fn table(&mut self) {
        self.table_header();
        self.in_table = true;
        for line in &self.doc.lines {
            match line {
                DocumentLine::Item {
                    description,
                    quantity,
                    unit_price,
                    discount,
                    tax,
                    amount,
                } => {
                    let cells = Self::cells(
                        [description, quantity, unit_price, discount, tax, amount],
                        CELL,
                    );
                    self.row(&cells, CELL, false);
                    self.rule(LEFT, RIGHT, self.y, 0.4, RULE_GRAY);
                }
                DocumentLine::Section(title) => {
                    let cells = Self::wide_cell(title, SECTION);
                    // Keep a section heading together with its first line.
                    let height = Self::row_height(cells[0].lines.len(), SECTION);
                    self.ensure(SECTION_SPACE + height + Self::row_height(1, CELL));
                    self.y -= SECTION_SPACE;
                    self.row(&cells, SECTION, true);
                }
                DocumentLine::Note(text) => {
                    self.row(&Self::wide_cell(text, NOTE), NOTE, false);
                }
            }
        }
        self.in_table = false;
    }

    /// Lays out one table row, moving it to a new page when it does not fit.
    /// A row taller than a whole page is split between its lines instead.
    fn row(&mut self, cells: &[Cell], style: Style, band: bool) {
        let count = cells
            .iter()
            .map(|cell| cell.lines.len())
            .max()
            .unwrap_or(0)
            .max(1);
        if self.y - Self::row_height(count, style) < BOTTOM {
            self.new_page();
        }
        let mut start = 0;
        while start < count {
            let room = ((self.y - BOTTOM - 2.0 * CELL_PAD) / style.leading()).floor();
            if room < 1.0 {
                self.new_page();
                continue;
            }
            let end = count.min(start + room as usize);
            let height = Self::row_height(end - start, style);
            if band {
                self.push(Op::Band {
                    x: LEFT,
                    y: self.y - height,
                    width: CONTENT_WIDTH,
                    height,
                    gray: BAND_GRAY,
                });
            }
            for cell in cells {
                let lines = cell
                    .lines
                    .get(start..end.min(cell.lines.len()))
                    .unwrap_or(&[]);
                self.lines(lines, style, cell.span, self.y - CELL_PAD);
            }
            self.y -= height;
            start = end;
            if start < count {
                self.new_page();
            }
        }
    }

    /// The totals block at the right margin, kept together on one page; a
    /// rule sets off every strong row (normally just the grand total).
    fn totals(&mut self) {
        let labels = Span::new(
            RIGHT - TOTALS_WIDTH,
            RIGHT - TOTALS_AMOUNT_WIDTH - GUTTER,
            Align::Left,
        );
        let amounts = Span::new(RIGHT - TOTALS_AMOUNT_WIDTH, RIGHT, Align::Right);
        let rows: Vec<_> = self
            .doc
            .totals
            .iter()
            .map(|(label, amount, strong)| {
                let style = if *strong { TOTAL_STRONG } else { TOTAL };
                let label = Cell::new(label, style, labels);
                let amount = Cell::new(amount, style, amounts);
                let height = Self::row_height(label.lines.len().max(amount.lines.len()), style);
                (style, height, label, amount, *strong)
            })
            .collect();
        if rows.is_empty() {
            return;
        }
        self.y -= 10.0;
        self.ensure(rows.iter().map(|row| row.1 + 2.0).sum());
        for (style, height, label, amount, strong) in rows {
            if strong {
                self.y -= 2.0;
                self.rule(labels.left, RIGHT, self.y, 0.8, 0.2);
            }
            for cell in [label, amount] {
                self.lines(&cell.lines, style, cell.span, self.y - CELL_PAD);
            }
            self.y -= height;
        }
    }

    /// A full-width paragraph after `space` points. Short paragraphs are kept
    /// on one page; longer ones continue on the next page line by line.
    fn paragraph(&mut self, text: &str, style: Style, space: f32) {
        if text.trim().is_empty() {
            return;
        }
        self.y -= space;
        let lines = wrap(text.trim(), style, CONTENT_WIDTH);
        let keep_together = lines.len().min(KEEP_TOGETHER_LINES);
        self.ensure(keep_together as f32 * style.leading());
        for line in lines {
            self.ensure(style.leading());
            self.y -= self.lines(&[line], style, FULL_WIDTH, self.y);
        }
    }

    /// Adds the footers, now that the page count is known, and returns the pages.
    fn finish(mut self) -> Vec<Vec<Op>> {
        let total = self.pages.len().to_string();
        for (index, page) in self.pages.iter_mut().enumerate() {
            let text = self
                .doc
                .footer
                .replace("{pages}", &total)
                .replace("{page}", &(index + 1).to_string());
            let lines = wrap(&text, FOOTER, CONTENT_WIDTH);
            let span = Span::new(LEFT, RIGHT, Align::Center);
            set_lines(page, &lines, FOOTER, span, FOOTER_TOP);
        }
        self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: usize) -> DocumentLine {
        DocumentLine::Item {
            description: format!(
                "Consultancy day {n}: analysis, workshop and written advice for the project team"
            ),
            quantity: "1,00".into(),
            unit_price: "€ 950,00".into(),
            discount: "10 %".into(),
            tax: "21 %".into(),
            amount: "€ 855,00".into(),
        }
    }

    fn document(lines: Vec<DocumentLine>) -> QuoteDocument {
        QuoteDocument {
            title: "Quote".into(),
            number: "Q-2026-0001".into(),
            company: vec![
                "Atrium BV".into(),
                "Keizersgracht 1".into(),
                "1015 AA Amsterdam".into(),
            ],
            customer: vec!["Café Zuid".into(), "Hoofdstraat 5".into()],
            facts: vec![
                ("Date".into(), "1 March 2026".into()),
                ("Valid until".into(), "31 March 2026".into()),
            ],
            columns: ["Description", "Qty", "Unit price", "Disc.", "Tax", "Amount"]
                .map(String::from),
            lines,
            totals: vec![
                ("Untaxed".into(), "€ 855,00".into(), false),
                ("VAT 21 % on € 855,00".into(), "€ 179,55".into(), false),
                ("Total".into(), "€ 1.034,55".into(), true),
            ],
            notes: "Delivery within two weeks.\nPrices in euro.".into(),
            terms: "Payment within 30 days of the invoice date.".into(),
            footer: "Q-2026-0001 · Page {page} of {pages}".into(),
        }
    }

    fn page_count(doc: &QuoteDocument) -> usize {
        assert!(render(doc).unwrap().starts_with(b"%PDF-"));
        layout(doc).len()
    }

    #[test]
    fn output_is_a_complete_pdf() {
        let mut doc = document(vec![item(1)]);
        doc.customer = vec!["Łukasz Wróbel".into(), "Šťastná 12, Brno".into()];
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("DejaVuSans"), "the font is embedded");
        let texts: Vec<String> = layout(&doc)
            .into_iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text),
                _ => None,
            })
            .collect();
        assert!(texts.iter().any(|t| t == "Łukasz Wróbel"), "set as typed");
        assert!(!texts.iter().any(|t| t.contains('?')));
    }

    #[test]
    fn wrapped_lines_fit_the_column() {
        let width = Layout::columns()[0].width();
        let text = "A rather long description of the delivered goods, with a \
                    Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetrieb \
                    and a\nsecond paragraph.";
        let lines = wrap(text, CELL, width);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|line| CELL.width(line) <= width));
        assert_eq!(lines.last().unwrap(), "second paragraph.");
    }

    #[test]
    fn many_lines_make_more_pages() {
        let few = document((0..5).map(item).collect());
        let mut lines: Vec<_> = (0..200).map(item).collect();
        lines.insert(50, DocumentLine::Section("Hardware".into()));
        lines.insert(100, DocumentLine::Note("Installed on site.".into()));
        let doc = document(lines);
        assert_eq!(page_count(&few), 1);
        let count = page_count(&doc);
        assert!(count > 5, "{count} pages");

        let pages = layout(&doc);
        assert_eq!(pages.len(), count);
        let expected = format!("Q-2026-0001 · Page {count} of {count}");
        assert!(
            matches!(pages[count - 1].last(), Some(Op::Text { text, .. }) if *text == expected)
        );
    }

    #[test]
    fn no_text_below_the_bottom_margin() {
        let pages = layout(&document((0..120).map(item).collect()));
        assert!(pages.len() > 2);
        for page in &pages {
            // The last text on each page is the footer.
            let (footer, body) = page.split_last().unwrap();
            assert!(matches!(footer, Op::Text { y, .. } if *y < BOTTOM));
            for op in body {
                if let Op::Text { y, style, .. } = op {
                    assert!(*y - style.size * 0.25 >= BOTTOM && *y <= TOP, "text at {y}");
                }
            }
        }
    }

    #[test]
    fn renders_without_customer_notes_or_terms() {
        let mut doc = document(vec![item(1), DocumentLine::Note(String::new())]);
        doc.customer.clear();
        doc.facts.clear();
        doc.notes.clear();
        doc.terms.clear();
        assert_eq!(page_count(&doc), 1);
    }

    #[test]
    fn splits_a_row_taller_than_a_page() {
        let description = "word ".repeat(3000);
        let doc = document(vec![DocumentLine::Item {
            description,
            quantity: "1".into(),
            unit_price: "1".into(),
            discount: String::new(),
            tax: String::new(),
            amount: "1".into(),
        }]);
        assert!(page_count(&doc) > 1);
    }
}
