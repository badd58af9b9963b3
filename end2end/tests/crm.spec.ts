import { Page, Locator } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

// Names made unique per run, so that the tests can run again on the same database.
const RUN = Date.now().toString(36);

function isoDay(offset: number): string {
  const day = new Date();
  day.setDate(day.getDate() + offset);
  const local = new Date(day.getTime() - day.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

function column(page: Page, stage: string): Locator {
  return page.locator(`section.pipeline__column[aria-label="${stage}"]`);
}

function card(page: Page, stage: string, title: string): Locator {
  return column(page, stage).locator(".pipeline-card", { hasText: title });
}

async function openBoard(page: Page) {
  await page.goto("/crm");
  await hydrated(page);
  await expect(page.getByTestId("pipeline-board")).toBeVisible();
}

/** Creates a deal in the board's "New opportunity" dialog and lands on its page. */
async function createDeal(page: Page, title: string, fields: Record<string, string>) {
  await page.locator("[data-action=new-opportunity]").click();
  const dialog = page.getByRole("dialog", { name: "New opportunity" });
  await dialog.getByLabel("Opportunity title").fill(title);
  for (const [label, value] of Object.entries(fields)) await dialog.getByLabel(label).fill(value);
  await dialog.locator("[data-action=create-opportunity]").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

/** Quick-creates a deal at the top of a column. */
async function quickCreate(page: Page, stage: string, title: string, revenue: string) {
  await column(page, stage).locator("[data-action=quick-add]").click();
  const form = column(page, stage).getByTestId("quick-create");
  await form.getByTestId("quick-title").fill(title);
  await form.getByTestId("quick-revenue").fill(revenue);
  await form.locator("[data-action=quick-create-submit]").click();
  await expect(card(page, stage, title)).toBeVisible();
}

/** Where a dragged card goes first in a column: the upper half of its first card. */
async function topOf(column: Locator): Promise<{ x: number; y: number }> {
  const first = column.locator(".pipeline-card").first();
  const box = (await first.count()) > 0 ? (await first.boundingBox())! : (await column.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + Math.min(14, box.height / 4) };
}

/** Drags with the mouse from `from` to the top of `to`. */
async function mouseDrag(page: Page, from: Locator, to: Locator) {
  await from.scrollIntoViewIfNeeded();
  const a = (await from.boundingBox())!;
  const end = await topOf(to);
  await page.mouse.move(a.x + a.width / 2, a.y + 12);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 30, a.y + 30, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 12 });
  await page.mouse.up();
}

/** Drags by touch (real touch events through the browser), holding the card's grip. */
async function touchDrag(page: Page, grip: Locator, to: Locator) {
  await grip.scrollIntoViewIfNeeded();
  const a = (await grip.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const point = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y) }];
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const end = await topOf(to);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: point(start.x, start.y) });
  for (let i = 1; i <= 12; i++) {
    const x = start.x + ((end.x - start.x) * i) / 12;
    const y = start.y + ((end.y - start.y) * i) / 12;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: point(x, y) });
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}

test("a deal is quick-created and moved across stages by mouse, touch and keyboard", async ({ page }) => {
  await signIn(page, ADMIN);
  await openBoard(page);
  const title = `Zonnepanelen ${RUN}`;
  await quickCreate(page, "New", title, "4500");
  // New cards go first in their column; a dropped card goes where it is dropped.
  await expect(column(page, "New").locator(".pipeline-card").first()).toContainText(title);
  await expect(card(page, "New", title)).toContainText("€4,500.00");

  await mouseDrag(page, card(page, "New", title), column(page, "Qualified"));
  await expect(card(page, "Qualified", title)).toBeVisible();
  await expect(card(page, "New", title)).toHaveCount(0);
  await page.waitForTimeout(400);
  await expect(card(page, "Qualified", title).getByTestId("card-grip")).toBeVisible();

  await expect(column(page, "Qualified").locator(".pipeline-card").first()).toContainText(title);

  await touchDrag(page, card(page, "Qualified", title).getByTestId("card-grip"), column(page, "Proposition"));
  await expect(card(page, "Proposition", title)).toBeVisible();
  await expect(column(page, "Proposition").locator(".pipeline-card").first()).toContainText(title);

  // Saved: after a reload the card is where it was dropped.
  await page.waitForTimeout(400);
  await page.reload();
  await hydrated(page);
  await expect(card(page, "Proposition", title)).toBeVisible();

  // Keyboard: the card's "Move to…" menu.
  await card(page, "Proposition", title).locator("[data-action=move-menu]").focus();
  await page.keyboard.press("Enter");
  await card(page, "Proposition", title).getByRole("menuitem", { name: "Qualified" }).click();
  await expect(card(page, "Qualified", title)).toBeVisible();
  // Its page tells the story on the timeline.
  await page.waitForTimeout(400);
  await card(page, "Qualified", title).getByRole("link", { name: title }).click();
  await hydrated(page);
  await expect(page.getByTestId("record-timeline")).toContainText("moved it from Proposition to Qualified");
  await expect(page.getByTestId("record-timeline")).toContainText("moved it from New to Qualified");
});

test("a pasted customer name is picked by the quick-add; a name nobody has is said, not dropped", async ({ page }) => {
  await signIn(page, ADMIN);
  await openBoard(page);
  await column(page, "New").locator("[data-action=quick-add]").click();
  const form = column(page, "New").getByTestId("quick-create");
  const customer = form.getByLabel("Customer");

  // Pasted in another case, with spaces around it: the one contact so called.
  const pasted = `Pasted customer ${RUN}`;
  await form.getByTestId("quick-title").fill(pasted);
  await customer.focus();
  await page.keyboard.insertText("  groothandel van dijk ");
  await form.locator("[data-action=quick-create-submit]").click();
  await expect(card(page, "New", pasted)).toContainText("Groothandel Van Dijk");

  // A name no contact has: said beside the field, the text kept, the deal not saved.
  await column(page, "New").locator("[data-action=quick-add]").click();
  const unknown = `Unknown customer ${RUN}`;
  await form.getByTestId("quick-title").fill(unknown);
  await customer.focus();
  await page.keyboard.insertText(`Nobody ${RUN} Ltd`);
  await expect(form.getByRole("alert")).toContainText(`No contact is called “Nobody ${RUN} Ltd”`);
  await form.locator("[data-action=quick-create-submit]").click();
  await expect(form.getByRole("alert")).toContainText(`No contact is called “Nobody ${RUN} Ltd”`);
  await expect(customer).toHaveValue(`Nobody ${RUN} Ltd`);
  await expect(card(page, "New", unknown)).toHaveCount(0);
});

test("an activity planned from the card's icon colours it; done and the next one is planned", async ({ page }) => {
  await signIn(page, ADMIN);
  await openBoard(page);
  const title = `Warmtepomp ${RUN}`;
  await quickCreate(page, "New", title, "9900");
  const icon = () => card(page, "New", title).locator(".pipeline-card__activity .activity-icon");
  await expect(icon()).toHaveAttribute("data-state", "none");

  await card(page, "New", title).locator("[data-action=activity-popover]").click();
  await card(page, "New", title).locator("[data-action=popover-schedule]").click();
  const dialog = page.getByRole("dialog", { name: "Schedule an activity" });
  // A new activity is the signed-in person's, and the choice shows it.
  await expect(dialog.locator("#activity-assigned option:checked")).toHaveText("Sam Jansen");
  await dialog.getByTestId("activity-kind").selectOption({ label: "Call" });
  await dialog.getByTestId("activity-due").fill(isoDay(0));
  await dialog.getByTestId("activity-summary").fill("Ask about the roof");
  await dialog.locator("[data-action=activity-save]").click();
  await expect(dialog).toHaveCount(0);
  await expect(icon()).toHaveAttribute("data-state", "today");
  await expect(icon()).toHaveAttribute("data-icon", "phone");

  // Edit it, mark it done with feedback and plan the next one in the same dialog.
  await card(page, "New", title).locator("[data-action=activity-popover]").click();
  await card(page, "New", title).locator("[data-action=activity-edit]").click();
  const edit = page.getByRole("dialog", { name: "Edit activity" });
  await edit.locator("[data-action=activity-done-next]").click();
  await edit.getByTestId("activity-feedback").fill("They want a quote by Friday");
  await edit.locator("[data-action=activity-done-confirm]").click();
  const next = page.getByRole("dialog", { name: "Schedule an activity" });
  await next.getByTestId("activity-kind").selectOption({ label: "Meeting" });
  await next.getByTestId("activity-due").fill(isoDay(3));
  await next.locator("[data-action=activity-save]").click();
  await expect(next).toHaveCount(0);
  await expect(icon()).toHaveAttribute("data-state", "planned");
  await expect(icon()).toHaveAttribute("data-icon", "meeting");

  // An overdue one turns it red.
  await card(page, "New", title).locator("[data-action=activity-popover]").click();
  await card(page, "New", title).locator("[data-action=popover-schedule]").click();
  const late = page.getByRole("dialog", { name: "Schedule an activity" });
  await late.getByTestId("activity-kind").selectOption({ label: "E-mail" });
  await late.getByTestId("activity-due").fill(isoDay(-1));
  await late.locator("[data-action=activity-save]").click();
  await expect(icon()).toHaveAttribute("data-state", "overdue");
  await expect(icon()).toHaveAttribute("data-icon", "email");

  // The deal's timeline shows the call with its feedback.
  await card(page, "New", title).getByRole("link", { name: title }).click();
  await hydrated(page);
  await expect(page.getByTestId("record-timeline")).toContainText("They want a quote by Friday");
  await expect(page.getByTestId("record-timeline")).toContainText("Ask about the roof");
  // And My activities lists the open ones.
  await page.goto("/activities");
  await hydrated(page);
  await expect(page.locator("[data-group=overdue]")).toContainText(title);
  await expect(page.locator("[data-group=upcoming]")).toContainText(title);
});

test("the calendar of expected closings opens on its own and from the board", async ({ page }) => {
  await signIn(page, ADMIN);
  await openBoard(page);
  // The new-deal dialog and the calendar are chunks of their own, fetched when first shown.
  const title = `Dakkapel ${RUN}`;
  await createDeal(page, title, { "Expected closing": isoDay(0) });

  // Opened on the calendar, as the server renders it: hydrated without a mismatch, the deal
  // on its day, and the toolbar answers.
  await page.goto("/crm?show=calendar");
  await hydrated(page);
  const calendar = page.locator(".closing-calendar");
  await expect(calendar.getByRole("link", { name: title })).toBeVisible();
  const month = await calendar.getByTestId("calendar-title").textContent();
  await calendar.locator("[data-action=calendar-next]").click();
  await expect(calendar.getByTestId("calendar-title")).not.toHaveText(month ?? "");
  await expect(calendar.getByRole("link", { name: title })).toHaveCount(0);
  await calendar.locator("[data-action=calendar-previous]").click();
  await expect(calendar.getByRole("link", { name: title })).toBeVisible();

  // From the board, without a reload.
  await openBoard(page);
  await page.locator("[data-action=show-calendar]").click();
  await expect(page).toHaveURL(/show=calendar/);
  await expect(page.locator(".closing-calendar").getByRole("link", { name: title })).toBeVisible();
});

test("won, lost with a reason, and a task from the deal finished when it closes", async ({ page }) => {
  await signIn(page, ADMIN);
  await openBoard(page);
  const title = `Badkamer ${RUN}`;
  await createDeal(page, title, { "Expected revenue": "21000" });
  await hydrated(page);

  // A task from the deal: linked back, tagged CRM, on the timeline.
  await page.locator("[data-action=new-deal-task]").click();
  const taskTitle = `Offerte opstellen ${RUN}`;
  await page.getByTestId("deal-task-title").fill(taskTitle);
  await page.locator("#deal-task-assignee").selectOption({ label: "Sam Jansen" });
  await page.getByTestId("deal-task-due").fill(isoDay(5));
  await page.locator("[data-action=create-deal-task]").click();
  const task = page.getByTestId("deal-tasks").locator("li", { hasText: taskTitle });
  await expect(task.locator("[data-task-status]")).toHaveAttribute("data-task-status", "pending");
  await expect(page.getByTestId("record-timeline")).toContainText(`created a task: ${taskTitle}`);

  // In My tasks, the deal stands where a project would, linked.
  await page.goto("/my-tasks");
  await hydrated(page);
  const line = page.locator(".task-line", { hasText: taskTitle });
  await expect(line.getByTestId("task-deal")).toHaveText(title);
  await expect(line.getByTestId("task-deal")).toHaveAttribute("href", /^\/crm\/[0-9a-f-]{36}$/);
  await page.goBack();
  await hydrated(page);

  // In Tasks with the CRM filter, the deal in the project column.
  await page.goto("/tasks?p=crm");
  await hydrated(page);
  await expect(page.getByRole("link", { name: taskTitle, exact: true })).toBeVisible();
  const row = page.locator(".list-rows tbody tr", { hasText: taskTitle });
  await expect(row.getByRole("link", { name: title, exact: true })).toHaveAttribute("href", /^\/crm\/[0-9a-f-]{36}$/);
  await page.getByRole("link", { name: taskTitle, exact: true }).click();
  await hydrated(page);
  await expect(page.getByTestId("task-opportunity").getByRole("link", { name: title })).toBeVisible();
  await page.goBack();
  await page.goBack();
  await hydrated(page);

  // Won: the open task is finished.
  await page.locator("[data-action=mark-won]").click();
  await expect(page.getByTestId("opportunity-status")).toHaveAttribute("data-status", "won");
  await expect(task.locator("[data-task-status]")).toHaveAttribute("data-task-status", "completed");
  await expect(page.getByTestId("record-timeline")).toContainText("marked it won");

  // Reopen, then lost with a reason.
  await page.locator("[data-action=reopen]").click();
  await expect(page.getByTestId("opportunity-status")).toHaveAttribute("data-status", "open");
  await expect(task.locator("[data-task-status]")).toHaveAttribute("data-task-status", "completed");
  await page.locator("[data-action=mark-lost]").click();
  const lost = page.getByRole("dialog", { name: "Why was it lost?" });
  await lost.locator("[data-action=confirm-lost]").click();
  await expect(lost.getByText("Choose why the opportunity was lost.")).toBeVisible();
  await lost.getByTestId("lost-reason").selectOption({ label: "Too expensive" });
  await lost.locator("[data-action=confirm-lost]").click();
  await expect(page.getByTestId("opportunity-status")).toHaveAttribute("data-status", "lost");
  await expect(page.getByText("Lost: Too expensive", { exact: true })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the board's columns scroll sideways and the page does not", async ({ page }) => {
    await signIn(page, ADMIN);
    await openBoard(page);
    const board = page.getByTestId("pipeline-board");
    const sizes = await board.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: "test-results/phone-pipeline.png" });
    await board.evaluate((el) => el.scrollBy({ left: el.clientWidth }));
    await expect(column(page, "Qualified")).toBeInViewport();
  });
});
