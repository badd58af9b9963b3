import { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { hydrated, signIn } from "./helpers";

// A manager who works in Dutch: the whole money end of the thread, in her language.
const ANNA = "anna@atrium.example";
const CUSTOMER = "Groothandel Van Dijk";

/** A quote for the customer with one catalogue service, confirmed: lands on its project. */
async function projectFromConfirmedQuote(page: Page) {
  await page.goto("/quotes");
  await hydrated(page);
  await page.locator("[data-action=new-quote]").click();
  const dialog = page.getByTestId("new-quote-form");
  await dialog.locator("input[name=customer-choice][value=existing]").check();
  const input = dialog.locator("input[name=existing-customer]");
  await input.fill(CUSTOMER.slice(0, 8));
  await expect(dialog.locator(`datalist option[value="${CUSTOMER}"]`)).toHaveCount(1);
  await input.fill(CUSTOMER);
  await dialog.locator("[data-action=create-quote]").click();
  await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("quote-form")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("add-product").selectOption({ label: "[HP-INST] Heat pump installation" });
  await expect(page.getByTestId("total-untaxed")).toHaveText("€ 2.400,00");
  await page.locator("[data-action=confirm-quote]").click();
  await page.getByTestId("confirm-dialog").locator("[data-action=confirm-order]").click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("project-tasks").locator("tbody tr")).toHaveCount(4, { timeout: 30_000 });
}

test("partial invoice, issue, send, payment; complete and lock, unlock, merge; the customer's money", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ANNA);
  await projectFromConfirmedQuote(page);
  const projectUrl = page.url();

  // Tick two tasks: "Deelfactuur maken" makes a draft of exactly those.
  const boxes = page.locator("[data-action=select-task]");
  await expect(boxes.first()).toBeEnabled();
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await expect(page.locator("[data-action=partial-invoice]")).toContainText("(2)");
  await page.locator("[data-action=partial-invoice]").click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("invoice-status")).toHaveAttribute("data-status", "draft");
  await expect(page.getByTestId("invoice-lines").locator("tbody tr")).toHaveCount(2);
  const invoiceUrl = page.url();

  // Issue: a number, a payment reference, the stored PDF.
  await page.locator("[data-action=issue-invoice]").click();
  await expect(page.getByTestId("invoice-status")).toHaveAttribute("data-status", "issued");
  await expect(page.locator("h1")).toContainText(/INV-\d{4}-\d{4}/);
  const number = (await page.locator("h1").textContent())!.match(/INV-\d{4}-\d{4}/)![0];
  await expect(page.getByTestId("payment-reference")).toContainText(/^RF\d{2}/);
  const pdf = await page.request.get(invoiceUrl.replace("/invoices/", "/files/invoices/"));
  expect(pdf.status()).toBe(200);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // Send by e-mail in the customer's language (Belgium → Dutch), through the outbox.
  await page.locator("[data-action=send-invoice]").click();
  const send = page.getByTestId("send-form");
  await expect(send.locator("#send-subject")).toHaveValue(new RegExp(`Factuur ${number}`));
  await send.locator("#send-to").fill("boekhouding@vandijk.example");
  await send.locator("[data-action=send-email]").click();
  await expect(page.getByTestId("invoice-sent")).toContainText("boekhouding@vandijk.example");
  await page.goto("/outbox");
  await hydrated(page);
  const message = page.locator(".outbox__message", { hasText: `${number}.pdf` });
  await expect(message.getByTestId("outbox-attachment")).toHaveText(`${number}.pdf`);

  // A part-payment: the open balance follows.
  await page.goto(invoiceUrl);
  await hydrated(page);
  await page.locator("[data-action=register-payment]").click();
  const payment = page.getByTestId("payment-form");
  await payment.locator("#pay-amount").fill("100");
  await payment.locator("[data-action=save-payment]").click();
  await expect(page.getByTestId("invoice-status")).toHaveAttribute("data-status", "partly_paid");
  await expect(page.getByTestId("payments")).toContainText("€ 100,00");

  // The invoiced tasks cannot be ticked again.
  await page.goto(projectUrl);
  await hydrated(page);
  await expect(page.locator("[data-action=select-task]").nth(0)).toBeDisabled();
  await expect(page.getByTestId("task-ledger").nth(0)).toContainText(number);

  // A down payment of 10 % on the sales order, issued: the final invoice will deduct it.
  await page.goto(`${projectUrl}?tab=invoices`);
  await hydrated(page);
  const order = page.getByTestId("order-panel");
  await expect(order).toContainText("€ 2.400,00");
  await order.locator("[data-action=down-payment]").click();
  const down = page.getByTestId("down-payment-form");
  await down.locator("#down-payment-value").fill("10");
  await down.locator("[data-action=make-down-payment]").click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("invoice-lines")).toContainText("Aanbetaling van 10 %");
  await page.locator("[data-action=issue-invoice]").click();
  await expect(page.getByTestId("invoice-status")).toHaveAttribute("data-status", "issued");
  await page.goto(`${projectUrl}?tab=invoices`);
  await hydrated(page);
  await expect(page.getByTestId("to-deduct")).toHaveText("€ 240,00");
  await page.goto(projectUrl);
  await hydrated(page);

  // Complete → "invoice the rest?" → yes: the final draft (the two other tasks less the down
  // payment), and the project is locked.
  await page.locator("[data-to=in_progress]").click();
  await expect(page.locator("[data-state=in_progress]")).toBeVisible();
  await page.locator("[data-to=completed]").click();
  await page.getByTestId("complete-dialog").locator("[data-action=complete-and-invoice]").click();
  await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("invoice-lines").locator("tbody tr")).toHaveCount(3);
  await expect(page.getByTestId("invoice-lines")).toContainText("gefactureerde aanbetalingen");
  await page.goto(projectUrl);
  await hydrated(page);
  await expect(page.getByTestId("locked-notice")).toBeVisible();
  await expect(page.locator(".quick-add")).toHaveCount(0);
  const projectId = projectUrl.split("/").pop()!;
  const refused = await page.request.post("/api/tasks/create", {
    form: { project: projectId, "task[title]": "Nog een taak" },
    headers: { Accept: "application/json" },
  });
  expect(refused.status()).toBe(409);

  // Unlock, with a reason: the draft made at completion is gone, the issued invoices stay.
  await page.locator("[data-action=unlock]").click();
  const unlock = page.getByTestId("unlock-form");
  await unlock.locator("#unlock-reason").fill("Klant wil nog een extra buitenunit");
  await unlock.locator("[data-action=unlock-project]").click();
  await expect(page.getByTestId("locked-notice")).toHaveCount(0);
  await expect(page.locator(".quick-add")).toBeVisible();
  await page.goto(`${projectUrl}?tab=invoices`);
  await hydrated(page);
  const history = page.getByTestId("invoice-history").locator("tbody tr");
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText(number);

  // Merge this project into another: its work and invoices move, it is closed.
  await page.goto(projectUrl);
  await hydrated(page);
  await page.locator("[data-action=merge]").click();
  const merge = page.getByTestId("merge-dialog");
  const target = merge.locator("#merge-target");
  await expect(target.locator("option")).not.toHaveCount(1);
  await target.selectOption({ index: 1 });
  await expect(merge).toContainText("4");
  await merge.locator("[data-action=merge-project]").click();
  await page.waitForURL((url) => !url.pathname.endsWith(projectId));
  await hydrated(page);
  await page.goto(projectUrl);
  await hydrated(page);
  await expect(page.locator("[data-state=closed]")).toBeVisible();

  // The customer's page: invoiced, paid and open, in euros.
  await page.goto("/contacts");
  await hydrated(page);
  await page.getByRole("link", { name: CUSTOMER }).first().click();
  await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const money = page.getByTestId("customer-money");
  await expect(money).toBeVisible();
  await expect(money.locator("tr[data-currency=EUR]")).toContainText("€ 100,00");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the invoices list and an invoice fit the screen, and a payment is registered", async ({ page }) => {
    await signIn(page, ANNA);
    await page.goto("/invoices?p=issued");
    await hydrated(page);
    const first = page.locator("main a[href^='/invoices/0']").first();
    await expect(first).toBeVisible();
    await first.click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await hydrated(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.locator("[data-action=register-payment]").click();
    const payment = page.getByTestId("payment-form");
    await payment.locator("#pay-amount").fill("1");
    await payment.locator("[data-action=save-payment]").click();
    await expect(page.getByTestId("payments")).toContainText("€ 1,00");
  });
});
