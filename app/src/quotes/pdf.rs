//! Renders a quote or sales order as an A4 PDF document.
//!
//! The output uses only the standard base-14 fonts Helvetica, Helvetica-Bold
//! and Helvetica-Oblique. Every PDF reader ships them, so nothing is embedded
//! and the files stay small, and their advance widths are public (the Adobe
//! AFM metrics below), which is all we need to align and wrap text ourselves.
//! The price is the character set: simple fonts address glyphs with one byte,
//! so text is encoded as WinAnsi (Windows code page 1252), which covers the
//! Western European languages the CRM speaks. Anything outside becomes `?`.
//!
//! Rendering happens in two passes: [`Layout`] first places everything on
//! pages as a list of drawing operations, so that the page count is known
//! when the footers ("Page 1 of 3") are added; then the pages are written out.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

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
pub fn render(document: &QuoteDocument) -> Vec<u8> {
    write_pdf(document, &layout(document))
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
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.69; // 20 mm
const LEFT: f32 = MARGIN;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const CONTENT_WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// Nothing but the footer goes below this line.
const BOTTOM: f32 = MARGIN;
/// Top of the footer's first line (about 13 mm from the bottom edge).
const FOOTER_TOP: f32 = 38.0;

/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Distance from the top of a line box to the baseline, as a multiple of the
/// font size; puts Helvetica's capitals roughly in the middle of the box.
const BASELINE: f32 = 0.93;
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

const COMPANY_NAME: Style = Style::new(Font::Bold, 14.0, 0.0);
const COMPANY_LINE: Style = Style::new(Font::Regular, 8.5, 0.3);
const TITLE: Style = Style::new(Font::Bold, 22.0, 0.0);
const NUMBER: Style = Style::new(Font::Regular, 11.0, 0.3);
const CUSTOMER_NAME: Style = Style::new(Font::Bold, 10.0, 0.0);
const CUSTOMER_LINE: Style = Style::new(Font::Regular, 10.0, 0.0);
const FACT_LABEL: Style = Style::new(Font::Regular, 9.0, 0.4);
const FACT_VALUE: Style = Style::new(Font::Regular, 9.0, 0.0);
const TABLE_HEAD: Style = Style::new(Font::Bold, 8.5, 0.0);
const CELL: Style = Style::new(Font::Regular, 9.0, 0.0);
const SECTION: Style = Style::new(Font::Bold, 9.5, 0.0);
const NOTE: Style = Style::new(Font::Oblique, 9.0, 0.3);
const TOTAL: Style = Style::new(Font::Regular, 9.5, 0.0);
const TOTAL_STRONG: Style = Style::new(Font::Bold, 10.5, 0.0);
const NOTES: Style = Style::new(Font::Regular, 9.0, 0.0);
const TERMS: Style = Style::new(Font::Regular, 7.5, 0.35);
const FOOTER: Style = Style::new(Font::Regular, 7.5, 0.45);

/// The three base-14 faces in use. Oblique shares Helvetica's metrics.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Font {
    Regular,
    Bold,
    Oblique,
}

impl Font {
    const ALL: [Font; 3] = [Font::Regular, Font::Bold, Font::Oblique];

    /// Resource name used in content streams.
    fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
            Font::Oblique => Name(b"F3"),
        }
    }

    fn base_font(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"Helvetica"),
            Font::Bold => Name(b"Helvetica-Bold"),
            Font::Oblique => Name(b"Helvetica-Oblique"),
        }
    }

    fn widths(self) -> &'static [u16; 224] {
        match self {
            Font::Regular | Font::Oblique => &HELVETICA_WIDTHS,
            Font::Bold => &HELVETICA_BOLD_WIDTHS,
        }
    }
}

/// Font, size and gray level (0 = black) of a run of text.
#[derive(Clone, Copy, Debug)]
struct Style {
    font: Font,
    size: f32,
    gray: f32,
}

impl Style {
    const fn new(font: Font, size: f32, gray: f32) -> Self {
        Style { font, size, gray }
    }

    fn leading(self) -> f32 {
        self.size * LEADING
    }

    fn width(self, text: &[u8]) -> f32 {
        text_width(text, self.font, self.size)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
    Center,
}

/// The full content width, left-aligned.
const FULL_WIDTH: Span = Span::new(LEFT, RIGHT, Align::Left);

/// A horizontal extent that text is set in, and how it is aligned there.
#[derive(Clone, Copy)]
struct Span {
    left: f32,
    right: f32,
    align: Align,
}

impl Span {
    const fn new(left: f32, right: f32, align: Align) -> Self {
        Span { left, right, align }
    }

    fn width(self) -> f32 {
        self.right - self.left
    }

    /// Where a line `width` points wide starts.
    fn start(self, width: f32) -> f32 {
        match self.align {
            Align::Left => self.left,
            Align::Right => self.right - width,
            Align::Center => (self.left + self.right - width) / 2.0,
        }
    }
}

/// A drawing operation on one page; coordinates are PDF points.
enum Op {
    /// WinAnsi-encoded text with its baseline starting at (x, y).
    Text {
        style: Style,
        x: f32,
        y: f32,
        text: Vec<u8>,
    },
    /// A horizontal line.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: f32,
    },
    /// A filled rectangle; (x, y) is its bottom left corner.
    Band {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        gray: f32,
    },
}

/// A table cell: wrapped lines and where they go.
struct Cell {
    lines: Vec<Vec<u8>>,
    span: Span,
}

impl Cell {
    fn new(text: &str, style: Style, span: Span) -> Self {
        Cell {
            lines: wrap(&encode(text), style, span.width()),
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
    fn lines(&mut self, lines: &[Vec<u8>], style: Style, span: Span, top: f32) -> f32 {
        let page = self.pages.last_mut().expect("layout always has a page");
        set_lines(page, lines, style, span, top)
    }

    /// Wraps and sets a list of lines, the first one in `first` style and the
    /// rest in `rest` style. Returns the height used.
    fn block(&mut self, texts: &[String], first: Style, rest: Style, span: Span, top: f32) -> f32 {
        let mut y = top;
        for (i, text) in texts.iter().enumerate() {
            let style = if i == 0 { first } else { rest };
            let wrapped = wrap(&encode(text), style, span.width());
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
            .map(|(label, _)| FACT_LABEL.width(&encode(label)))
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
        let lines = wrap(&encode(text.trim()), style, CONTENT_WIDTH);
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
            let lines = wrap(&encode(&text), FOOTER, CONTENT_WIDTH);
            let span = Span::new(LEFT, RIGHT, Align::Center);
            set_lines(page, &lines, FOOTER, span, FOOTER_TOP);
        }
        self.pages
    }
}

/// Sets already wrapped lines in `span`, the first line's box starting at
/// `top`, and returns the height they take.
fn set_lines(page: &mut Vec<Op>, lines: &[Vec<u8>], style: Style, span: Span, top: f32) -> f32 {
    for (i, line) in lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
    {
        let x = span.start(style.width(line));
        let y = top - i as f32 * style.leading() - style.size * BASELINE;
        page.push(Op::Text {
            style,
            x,
            y,
            text: line.clone(),
        });
    }
    lines.len() as f32 * style.leading()
}

/// Writes the laid-out pages with the three shared font objects.
fn write_pdf(doc: &QuoteDocument, pages: &[Vec<Op>]) -> Vec<u8> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let fonts = Font::ALL.map(|font| (font, next.bump()));
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (next.bump(), next.bump())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    let title = format!("{} {}", doc.title, doc.number);
    pdf.document_info(info)
        .title(TextStr(title.trim()))
        .producer(TextStr("Atrium"));

    for (font, id) in fonts {
        pdf.type1_font(id)
            .base_font(font.base_font())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    for (ops, (page_id, content_id)) in pages.iter().zip(&page_refs) {
        let mut page = pdf.page(*page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(*content_id);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (font, id) in fonts {
            font_dict.pair(font.resource(), id);
        }
        font_dict.finish();
        resources.finish();
        page.finish();

        pdf.stream(*content_id, &content(ops));
    }
    pdf.finish()
}

/// Serializes one page's operations into a content stream.
fn content(ops: &[Op]) -> Vec<u8> {
    let mut content = Content::new();
    for op in ops {
        match op {
            Op::Text { style, x, y, text } => {
                content.set_fill_gray(style.gray);
                content.begin_text();
                content.set_font(style.font.resource(), style.size);
                content.next_line(*x, *y);
                // `Str` takes raw bytes and escapes them (or writes a hex
                // string when they are not ASCII), so WinAnsi passes as is.
                content.show(Str(text));
                content.end_text();
            }
            Op::Rule {
                x1,
                x2,
                y,
                width,
                gray,
            } => {
                content.set_stroke_gray(*gray).set_line_width(*width);
                content.move_to(*x1, *y).line_to(*x2, *y).stroke();
            }
            Op::Band {
                x,
                y,
                width,
                height,
                gray,
            } => {
                content
                    .set_fill_gray(*gray)
                    .rect(*x, *y, *width, *height)
                    .fill_nonzero();
            }
        }
    }
    content.finish().to_vec()
}

/// Encodes text as WinAnsi (CP1252) bytes for the base-14 fonts. Line breaks
/// are kept for [`wrap`], tabs become spaces, no-break spaces become 0xA0 and
/// characters the encoding lacks become `?`.
fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\n' => b'\n',
            '\t' => b' ',
            ' '..='~' => c as u8,
            '\u{00A0}' | '\u{202F}' => 0xA0,
            '\u{00A1}'..='\u{00FF}' => c as u8,
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8A,
            '‹' => 0x8B,
            'Œ' => 0x8C,
            'Ž' => 0x8E,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9A,
            '›' => 0x9B,
            'œ' => 0x9C,
            'ž' => 0x9E,
            'Ÿ' => 0x9F,
            _ => b'?',
        })
        .collect()
}

/// Advance width of WinAnsi text in points.
fn text_width(text: &[u8], font: Font, size: f32) -> f32 {
    let widths = font.widths();
    let units: u32 = text
        .iter()
        .filter(|&&b| b >= 32)
        .map(|&b| u32::from(widths[usize::from(b - 32)]))
        .sum();
    units as f32 * size / 1000.0
}

/// Breaks WinAnsi text into lines no wider than `max_width`: at `\n`, then
/// at spaces (runs of spaces collapse; 0xA0 does not break), and inside
/// words that are wider than a line on their own. Always returns at least one
/// (possibly empty) line per paragraph.
fn wrap(text: &[u8], style: Style, max_width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text.split(|&b| b == b'\n') {
        let mut line: Vec<u8> = Vec::new();
        for word in paragraph
            .split(|&b| b == b' ')
            .filter(|word| !word.is_empty())
        {
            if !line.is_empty() {
                let joined = [line.as_slice(), b" ", word].concat();
                if style.width(&joined) <= max_width {
                    line = joined;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if style.width(word) <= max_width {
                line = word.to_vec();
                continue;
            }
            // An overlong word is cut wherever the line is full.
            for &byte in word {
                line.push(byte);
                if line.len() > 1 && style.width(&line) > max_width {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, vec![byte]));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Helvetica (and Helvetica-Oblique) advance widths in 1/1000 em for the
/// WinAnsi codes 32..=255, from Adobe's AFM metrics. Codes the encoding
/// leaves undefined get the bullet width; [`encode`] never produces them.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    // 0x20
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    // 0x30
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    // 0x40
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    // 0x50
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    // 0x60
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    // 0x70
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
    // 0x80
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    // 0x90
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    // 0xA0
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 0xB0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 0xC0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 0xD0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 0xE0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    // 0xF0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold advance widths, laid out like [`HELVETICA_WIDTHS`].
#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    // 0x20
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    // 0x30
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    // 0x40
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    // 0x50
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    // 0x60
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    // 0x70
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
    // 0x80
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    // 0x90
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    // 0xA0
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    // 0xB0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    // 0xC0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    // 0xD0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    // 0xE0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    // 0xF0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

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

    /// Counts page objects: `/Type /Page` not followed by `s` (which would be `/Pages`).
    fn page_count(pdf: &[u8]) -> usize {
        let needle = b"/Type /Page";
        pdf.windows(needle.len() + 1)
            .filter(|w| w.starts_with(needle) && w[needle.len()] != b's')
            .count()
    }

    #[test]
    fn output_is_a_complete_pdf() {
        let pdf = render(&document(vec![item(1)]));
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("/BaseFont /Helvetica-Bold"));
        assert!(text.contains("/Encoding /WinAnsiEncoding"));
        assert!(text.contains("(Atrium)"));
    }

    #[test]
    fn encodes_cp1252() {
        assert_eq!(encode("Café €5 – ok"), b"Caf\xE9 \x805 \x96 ok");
        assert_eq!(encode("a\u{202F}b\u{00A0}c"), b"a\xA0b\xA0c");
        assert_eq!(encode("„Œuvre“ ‰ ™ Ÿ"), b"\x84\x8Cuvre\x93 \x89 \x99 \x9F");
        assert_eq!(encode("日本 ≠"), b"?? ?");
    }

    #[test]
    fn measures_with_afm_widths() {
        // Six digits at 556, a period and a comma at 278.
        let expected = (6.0 * 556.0 + 2.0 * 278.0) * 10.0 / 1000.0;
        assert_eq!(
            text_width(&encode("1.000,00"), Font::Regular, 10.0),
            expected
        );
        assert_eq!(text_width(b"A", Font::Bold, 1000.0), 722.0);
        assert_eq!(text_width(&encode("€"), Font::Oblique, 1000.0), 556.0);
    }

    #[test]
    fn wrapped_lines_fit_the_column() {
        let width = Layout::columns()[0].width();
        let text = "A rather long description of the delivered goods, with a \
                    Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetrieb \
                    and a\nsecond paragraph.";
        let lines = wrap(&encode(text), CELL, width);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|line| CELL.width(line) <= width));
        assert_eq!(lines.last().unwrap(), b"second paragraph.");
        assert_eq!(wrap(b"", CELL, width), vec![Vec::<u8>::new()]);
    }

    #[test]
    fn many_lines_make_more_pages() {
        let few = render(&document((0..5).map(item).collect()));
        let mut lines: Vec<_> = (0..200).map(item).collect();
        lines.insert(50, DocumentLine::Section("Hardware".into()));
        lines.insert(100, DocumentLine::Note("Installed on site.".into()));
        let doc = document(lines);
        let many = render(&doc);
        assert_eq!(page_count(&few), 1);
        let count = page_count(&many);
        assert!(count > 5, "{count} pages");

        let pages = layout(&doc);
        assert_eq!(pages.len(), count);
        let expected = encode(&format!("Q-2026-0001 · Page {count} of {count}"));
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
        let pdf = render(&doc);
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(page_count(&pdf), 1);
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
        assert!(page_count(&render(&doc)) > 1);
    }
}
