import { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

// Names made unique per run, so that the tests can run again on the same database.
const RUN = Date.now().toString(36);

/** Creates a deal from the board's "New" column and opens its page. */
async function newDeal(page: Page, title: string) {
  await page.goto("/crm");
  await hydrated(page);
  const column = page.locator('section.pipeline__column[aria-label="New"]');
  await column.locator("[data-action=quick-add]").click();
  const form = column.getByTestId("quick-create");
  await form.getByTestId("quick-title").fill(title);
  await form.getByTestId("quick-revenue").fill("15000");
  await form.locator("[data-action=quick-create-submit]").click();
  const card = column.locator(".pipeline-card", { hasText: title });
  await expect(card).toBeVisible();
  await card.getByRole("link", { name: title }).click();
  await page.waitForURL(/\/crm\/[0-9a-f-]{36}$/);
  await hydrated(page);
}

/** "New quote" on the deal page with one of the three customer choices; lands on the quote. */
async function newQuote(page: Page, choice: "create" | "existing" | "none", customer?: string) {
  await page.locator("[data-action=new-quote]").click();
  const dialog = page.getByTestId("new-quote-form");
  await dialog.locator(`input[name=customer-choice][value=${choice}]`).check();
  if (choice === "create") {
    await dialog.locator("#new-customer-name").fill(customer!);
    await dialog.locator("#new-customer-email").fill(`office@${RUN}.example`);
  } else if (choice === "existing") {
    const input = dialog.locator("input[name=existing-customer]");
    await input.fill(customer!.slice(0, 8));
    await expect(dialog.locator(`datalist option[value="${customer}"]`)).toHaveCount(1);
    await input.fill(customer!);
  }
  await dialog.locator("[data-action=create-quote]").click();
  await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("quote-form")).toBeVisible({ timeout: 30_000 });
}

test("a quote from a deal: customer choices, catalogue and configured lines, e-mail, outbox, confirmation into a project", async ({ page }) => {
  await signIn(page, ADMIN);
  const deal = `Wellness floor ${RUN}`;
  await newDeal(page, deal);
  const dealUrl = page.url();

  // Each of the three customer choices.
  await newQuote(page, "create", `Hotel Zonneweide ${RUN}`);
  await expect(page.locator("input[name=customer]")).toHaveValue(`Hotel Zonneweide ${RUN}`);
  await page.goto(dealUrl);
  await hydrated(page);
  await newQuote(page, "none");
  await expect(page.locator("input[name=customer]")).toHaveValue("");
  await page.goto(dealUrl);
  await hydrated(page);
  await expect(page.getByTestId("record-quotes").locator("tbody tr")).toHaveCount(2);
  await newQuote(page, "existing", "Groothandel Van Dijk");
  await expect(page.locator("input[name=customer]")).toHaveValue("Groothandel Van Dijk");

  // A catalogue line, then a configured product: totals follow at once.
  await page.getByTestId("add-product").selectOption({ label: "[HP-INST] Heat pump installation" });
  await expect(page.getByTestId("total-untaxed")).toHaveText("€2,400.00");
  await expect(page.getByTestId("total-total")).toHaveText("€2,904.00");
  await page.getByTestId("add-product").selectOption({ label: "[BATH-RENO] Bathroom renovation" });
  const configure = page.getByTestId("configure-form");
  await configure.getByLabel("M (5–8 m²)").check();
  await configure.getByLabel("Underfloor heating").check();
  await expect(configure.getByTestId("configured-price")).toHaveText("€9,850.00");
  await configure.locator("[data-action=apply-configuration]").click();
  const lines = page.locator(".quote-line[data-kind=item]");
  await expect(lines.nth(1).locator("textarea")).toHaveValue(/Size: M \(5–8 m²\)\nExtras: Underfloor heating/);
  await expect(page.getByTestId("total-untaxed")).toHaveText("€12,250.00");

  // Typing changes the totals before anything is saved.
  await lines.nth(0).locator("[data-field=quantity]").fill("2");
  await expect(lines.nth(0).getByTestId("line-subtotal")).toHaveText("€4,800.00");
  await expect(page.getByTestId("total-untaxed")).toHaveText("€14,650.00");
  await lines.nth(1).locator("[data-field=discount]").fill("10");
  await expect(page.getByTestId("total-untaxed")).toHaveText("€13,665.00");
  await expect(page.getByTestId("total-total")).toHaveText("€16,534.65");
  await expect(page.getByTestId("unsaved")).toBeVisible();

  // Send by e-mail: the form is saved, the text can be changed, the quote is sent.
  await page.locator("[data-action=send-quote]").click();
  const send = page.getByTestId("send-form");
  await expect(send.locator("#send-subject")).toHaveValue(/Q-\d{4}-\d{4}/);
  const number = (await send.locator("#send-subject").inputValue()).match(/Q-\d{4}-\d{4}/)![0];
  await send.locator("#send-to").fill(`inkoop@vandijk-${RUN}.example`);
  await send.locator("#send-body").fill(`Dear Mr Van Dijk,\n\nHere is our quote ${number}.`);
  await send.locator("[data-action=send-email]").click();
  await expect(page.getByTestId("quote-status")).toHaveText("Quotation sent");
  const quoteUrl = page.url();

  // The outbox keeps it (no mail server in tests), with its PDF.
  await page.goto("/outbox");
  await hydrated(page);
  const message = page.locator(".outbox__message", { hasText: `inkoop@vandijk-${RUN}.example` });
  await expect(message).toBeVisible();
  await expect(message.getByTestId("outbox-attachment")).toHaveText(`${number}.pdf`);
  const href = await message.getByTestId("outbox-attachment").getAttribute("href");
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // Confirm: a sales order, and the project with its tasks in line order.
  await page.goto(quoteUrl);
  await hydrated(page);
  await page.locator("[data-action=confirm-quote]").click();
  await page.getByTestId("confirm-dialog").locator("[data-action=confirm-order]").click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("created-from-quote")).toContainText(number, { timeout: 30_000 });
  const titles = page.getByTestId("project-tasks").locator("tbody th[scope=row] a");
  await expect(titles).toHaveText([
    "Technical survey",
    "Install outdoor unit",
    "Connect indoor unit and hydraulics",
    "Commissioning and handover",
    "Site survey",
    "Demolition and removal",
    "Install sanitary ware (M)",
    "Lay underfloor heating",
  ]);
  // Each task carries its share of the line, by planned hours: 3 of 21 hours of €4,800.
  await titles.first().click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("task-quoted")).toContainText("€685.71");

  // The deal is won, and the order is read-only.
  await page.goto(dealUrl);
  await hydrated(page);
  await expect(page.getByTestId("opportunity-status")).toHaveText("Won");
  await page.goto(quoteUrl);
  await hydrated(page);
  await expect(page.getByTestId("quote-status")).toHaveText("Sales order");
  await expect(page.getByTestId("quote-project")).toBeVisible();
  await expect(page.locator("[data-action=save-quote]")).toHaveCount(0);
  await expect(page.locator(".quote-line[data-kind=item] [data-field=quantity]").first()).toBeDisabled();
});

test("My quotes opens on the signed-in user's own quotes, and that filter can come off", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/quotes");
  await hydrated(page);
  await expect(page).toHaveURL(/\/quotes\?p=mine$/);
  const rows = page.locator(".list-rows tbody tr");
  await expect(rows.first()).toBeVisible();
  const salespeople = await rows.locator("td[data-label=Salesperson]").allTextContents();
  expect(new Set(salespeople)).toEqual(new Set(["Sam Jansen"]));

  // Marc's quote shows once the filter is removed.
  await page.locator("#list-search").fill("Office lighting retrofit");
  await expect(page).toHaveURL(/q=Office/);
  await expect(rows.filter({ hasText: "Marc Dubois" })).toHaveCount(0);
  await page.getByRole("link", { name: "Remove filter My quotes" }).click();
  await expect(page).not.toHaveURL(/p=mine/);
  await expect(rows.filter({ hasText: "Marc Dubois" }).first()).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the quote form fits the screen and totals follow typing", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/quotes");
    await hydrated(page);
    await page.locator("[data-action=new-quote]").click();
    const dialog = page.getByTestId("new-quote-form");
    await dialog.locator("input[name=customer-choice][value=none]").check();
    await dialog.locator("[data-action=create-quote]").click();
    await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
    await hydrated(page);
    await page.locator("[data-action=add-line]").click();
    const line = page.locator(".quote-line[data-kind=item]").first();
    await line.locator("[data-field=description]").fill("Inspection visit");
    await line.locator("[data-field=unit_price]").fill("125");
    await line.locator("[data-field=quantity]").fill("3");
    await expect(page.getByTestId("total-untaxed")).toHaveText("€375.00");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.locator("[data-action=save-quote-bottom]").click();
    await expect(page.getByTestId("unsaved")).toHaveCount(0);
    await page.screenshot({ path: "test-results/quote-phone.png", fullPage: true });
  });
});
