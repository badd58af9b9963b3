import { Dialog, Page, Locator } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

// Names made unique per run, so that the tests can run again on the same database.
const RUN = Date.now().toString(36);
const TOM = "tom@atrium.example"; // employee
const MARC = "marc@atrium.example"; // sales

function isoDay(offset: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + offset);
  return day.toISOString().slice(0, 10);
}

/** Types a contact's name and picks the suggestion, as a person does with the datalist. */
async function pickContact(page: Page, input: Locator, name: string) {
  await input.fill(name);
  const list = await input.getAttribute("list");
  await expect(page.locator(`datalist[id="${list}"] option[value="${name}"]`)).toHaveCount(1);
  // Typing the exact name of a suggestion picks it.
  await input.press("End");
  await input.pressSequentially(" ");
  await input.press("Backspace");
}

/** Creates a project from the list's "+ New" dialog and opens it; answers its number. */
async function createProject(page: Page, title: string, customer: string): Promise<string> {
  await page.goto("/projects");
  await hydrated(page);
  await page.getByRole("link", { name: "New", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByLabel("Title").fill(title);
  await dialog.getByLabel("Customer").fill(customer);
  await dialog.getByLabel("Start date").fill(isoDay(-2));
  await dialog.getByLabel("End date", { exact: true }).fill(isoDay(60));
  await dialog.getByLabel("Estimated budget").fill("18500");
  await dialog.getByRole("button", { name: "Create project" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText(title);
  await hydrated(page);
  const text = (await heading.textContent()) ?? "";
  return text.split(" ")[0];
}

async function openTab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Project sections" }).getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`tab=${name.toLowerCase()}`));
  await hydrated(page);
}

/** Adds a task from the quick-add row; an assignee outside the project is added as a
 * member after the confirmation, which this accepts. Answers whether it was asked. */
async function addTask(page: Page, title: string, assignee: string, due: string): Promise<boolean> {
  let asked = false;
  const confirmMembership = async (dialog: Dialog) => {
    asked = dialog.message().includes("not a member of this project");
    await (asked ? dialog.accept() : dialog.dismiss());
  };
  page.on("dialog", confirmMembership);
  await page.getByLabel("New task").fill(title);
  await page.locator("#quick-task-assignee").selectOption({ label: assignee });
  await page.getByLabel("Deadline").fill(due);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
  page.off("dialog", confirmMembership);
  return asked;
}

test("a project is created for a client, shows on its contact page, and admins manage its client data", async ({ page }) => {
  await signIn(page, ADMIN);
  const number = await createProject(page, `Daken ${RUN}`, "Architectenbureau Peeters");
  expect(number).toMatch(/^P-\d{4}-\d{4}$/);
  await expect(page.getByRole("link", { name: "Architectenbureau Peeters" })).toBeVisible();
  await expect(page.getByText("€18,500.00")).toBeVisible();

  // Client contacts by role, picked from the directory.
  await openTab(page, "Client");
  await page.getByLabel("Role").selectOption({ label: "Billing contact" });
  await pickContact(page, page.getByLabel("Contact from the directory"), "Els Peeters");
  await page.getByRole("button", { name: "Add contact" }).click();
  await expect(page.locator("ul[data-role=billing]")).toContainText("Els Peeters");

  // An admin document with a reminder date.
  await page.getByLabel("Kind").selectOption({ label: "Insurance" });
  await page.getByLabel("Reminder on").fill(isoDay(7));
  await page.getByLabel("File").setInputFiles({
    name: `polis-${RUN}.pdf`,
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% test policy\n"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  const documents = page.getByTestId("documents");
  await expect(documents).toContainText(`polis-${RUN}.pdf`);
  await expect(documents).toContainText("Insurance");
  // A page is refused as a document, with a clear message.
  await page.getByLabel("File").setInputFiles({
    name: "page.html",
    mimeType: "text/html",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert")).toContainText("This kind of file is not accepted");

  // The customer's contact page lists the project.
  await page.getByRole("link", { name: "Architectenbureau Peeters" }).first().click();
  await expect(page.getByTestId("customer-projects")).toContainText(`${number} Daken ${RUN}`);
});

test("dates are typed and shown the app's way, and a day typed day first is the day saved", async ({ page }) => {
  await signIn(page, ADMIN);
  await createProject(page, `Datums ${RUN}`, "Groothandel Van Dijk");
  await openTab(page, "Settings");
  // Sam reads English: the start date, typed as ISO when the project was made, reads
  // dd/mm/yyyy like every other date of the app, in a text field that says how to type it.
  const start = page.getByLabel("Start date");
  const [y, m, d] = isoDay(-2).split("-");
  await expect(start).toHaveValue(`${d}/${m}/${y}`);
  await expect(start).toHaveAttribute("type", "text");
  await expect(start).toHaveAttribute("placeholder", "dd/mm/yyyy");
  await expect(start).toHaveAttribute("inputmode", "numeric");
  // Typed day first with single digits: the 5th of March, not the 3rd of May.
  const end = page.getByLabel("End date", { exact: true });
  await end.fill("5-3-2031");
  await expect(end).toHaveValue("5-3-2031");
  // The button opens the browser's calendar; the day picked there (given here to its date
  // input as the picker would) comes back the app's way.
  const tender = page.getByLabel("Tender end date");
  const field = tender.locator("..");
  await expect(field.getByRole("button", { name: "Choose from the calendar" })).toBeVisible();
  await field.locator("input[type=date]").evaluate((input: HTMLInputElement) => {
    input.value = "2030-12-24";
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await expect(tender).toHaveValue("24/12/2030");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Project saved.")).toBeVisible();
  // Stored as those days: the form and the client tab read them back after a reload.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("End date", { exact: true })).toHaveValue("05/03/2031");
  await expect(page.getByLabel("Tender end date")).toHaveValue("24/12/2030");
  await openTab(page, "Client");
  const facts = page.getByRole("region", { name: "Admin information" });
  await expect(facts).toContainText("05/03/2031");
  await expect(facts).toContainText("24/12/2030");
});

test("members see what their permission allows", async ({ page, newSession }) => {
  await signIn(page, ADMIN);
  const number = await createProject(page, `Rechten ${RUN}`, "Installatietechniek Müller");
  const url = page.url();
  await openTab(page, "Members");
  for (const [name, permission] of [["Tom Peeters", "Limited"], ["Marc Dubois", "Admin"]]) {
    await page.locator("#member-user").selectOption({ label: name });
    await page.locator("#member-permission").selectOption({ label: permission });
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.getByTestId("members").getByRole("row", { name: new RegExp(name) })).toContainText(permission);
  }

  // Tom (Limited, reading Dutch) sees the client data but changes nothing.
  const tom = await newSession();
  await signIn(tom, TOM);
  await tom.goto(url.split("?")[0] + "?tab=client");
  await hydrated(tom);
  await expect(tom.locator("#client-contacts-title")).toHaveText("Contactpersonen klant");
  await expect(tom.locator("#admin-info-title")).toBeVisible();
  await expect(tom.getByTestId("add-contact")).toHaveCount(0);
  await expect(tom.getByTestId("upload-document")).toHaveCount(0);
  await expect(tom.locator("a[href$='tab=settings']")).toHaveCount(0);
  await expect(tom.locator("button[data-to]")).toHaveCount(0);

  // Marc (Admin, reading French) may change them.
  const marc = await newSession();
  await signIn(marc, MARC);
  await marc.goto(url.split("?")[0] + "?tab=client");
  await hydrated(marc);
  await expect(marc.getByRole("heading", { level: 1 })).toContainText(number);
  await expect(marc.getByTestId("add-contact")).toBeVisible();
  await expect(marc.getByTestId("upload-document")).toBeVisible();
  await expect(marc.locator("a[href$='tab=settings']").first()).toBeVisible();
  await expect(marc.locator("button[data-to=in_progress]")).toBeVisible();
});

test("a client is assigned to three projects at once from the list", async ({ page }) => {
  await signIn(page, ADMIN);
  for (const n of [1, 2, 3]) {
    await createProject(page, `Bulk ${n} ${RUN}`, "Installatietechniek Müller");
  }
  await page.goto(`/projects?q=${RUN}&f=title:contains:Bulk`);
  await hydrated(page);
  const rows = page.locator(".list-rows tbody tr");
  await expect(rows).toHaveCount(3);
  for (const n of [1, 2, 3]) {
    await rows.filter({ hasText: `Bulk ${n} ${RUN}` }).getByRole("checkbox").check();
  }
  await pickContact(page, page.getByLabel("Assign client"), "Studio Bianchi Ingegneria");
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByText("Client assigned to 3 projects.")).toBeVisible();
  await expect(rows.filter({ hasText: "Studio Bianchi Ingegneria" })).toHaveCount(3);
});

test("a closed project refuses every new action", async ({ page }) => {
  await signIn(page, ADMIN);
  await createProject(page, `Sluiten ${RUN}`, "Groothandel Van Dijk");
  const id = new URL(page.url()).pathname.split("/").pop()!;
  await addTask(page, `Eindcontrole ${RUN}`, "Tom Peeters", isoDay(3));
  // Closing asks first, in the app's own dialog; cancelling leaves the project as it was.
  await page.locator("button[data-to=closed]").click();
  const asked = page.getByTestId("close-project-dialog");
  await expect(asked).toBeVisible();
  await asked.getByRole("button", { name: "Cancel" }).click();
  await expect(asked).toHaveCount(0);
  await expect(page.getByText("This project is closed")).toHaveCount(0);
  await page.locator("button[data-to=closed]").click();
  await asked.locator("[data-action=confirm-close]").click();
  await expect(page.getByText("This project is closed")).toBeVisible();
  // The buttons are gone…
  await expect(page.getByLabel("New task")).toHaveCount(0);
  await expect(page.locator("button[data-to=closed]")).toHaveCount(0);
  await expect(page.locator("button[data-to=in_progress]")).toBeVisible();
  await openTab(page, "Client");
  await expect(page.getByRole("button", { name: "Add contact" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Upload" })).toHaveCount(0);
  // …and the server refuses what a stale page or another client would still send.
  const status = await page.evaluate(async (project) => {
    const body = new URLSearchParams({ project, "task[title]": "Sneaky" });
    const response = await fetch("/api/tasks/create", { method: "POST", body, headers: { Accept: "application/json" } });
    return [response.status, await response.text()];
  }, id);
  expect(status[0]).toBe(409);
  expect(status[1]).toContain("closed");
  // It left the default list for the "Closed" filter.
  await page.goto(`/projects?q=${RUN}`);
  await hydrated(page);
  await expect(page.getByRole("link", { name: new RegExp(`Sluiten ${RUN}`) })).toHaveCount(0);
  await page.goto(`/projects?q=${RUN}&p=closed`);
  await expect(page.locator(".list-rows tbody tr").filter({ hasText: `Sluiten ${RUN}` })).toHaveCount(1);
  // Its task says why nothing can be done with it, instead of showing an empty box.
  await page.goto(`/projects/${id}`);
  await hydrated(page);
  await page.getByRole("link", { name: `Eindcontrole ${RUN}`, exact: true }).click();
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("task-no-actions")).toContainText("its project is closed");
  await expect(page.getByTestId("task-actions")).toHaveCount(0);
});

test("a task goes through its life cycle with review, timer and my tasks", async ({ page, newSession }) => {
  await signIn(page, ADMIN);
  await createProject(page, `Levenscyclus ${RUN}`, "Bouwbedrijf De Vries BV");
  const title = `Ketel plaatsen ${RUN}`;
  // Tom is not on the project yet: assigning him asks first, then makes him a member.
  expect(await addTask(page, title, "Tom Peeters", isoDay(0))).toBe(true);
  await page.getByRole("link", { name: title, exact: true }).click();
  await hydrated(page);
  await page.getByLabel("Review on completion").check();
  await page.getByLabel("Planned hours").fill("3");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Task saved.")).toBeVisible();
  const taskUrl = page.url();

  // Tom finds it among today's tasks, works on it with the timer, and completes it.
  const tom = await newSession();
  await signIn(tom, TOM);
  await expect(tom.getByTestId("nav-my-tasks-count").first()).toBeVisible();
  await tom.goto("/my-tasks");
  await hydrated(tom);
  const today = tom.locator("[data-bucket=today]");
  await expect(today.getByRole("link", { name: title })).toBeVisible();
  await expect(today.locator("[data-indicator=not_viewed]").first()).toBeVisible();
  await today.getByRole("link", { name: title }).click();
  await hydrated(tom);
  await tom.locator("button[data-action=start]").click();
  await expect(tom.locator("[data-status=in_progress]")).toBeVisible();
  await tom.locator("button[data-action=timer-start]").click();
  await expect(tom.locator("button[data-action=timer-stop]")).toBeVisible();
  await tom.waitForTimeout(1200);
  await tom.locator("button[data-action=timer-stop]").click();
  // Tom reads Dutch: "0,02 van 3 u".
  await expect(tom.getByTestId("task-hours")).toContainText("0,02");
  await tom.locator("button[data-action=complete]").click();
  await expect(tom.locator("[data-status=pending_review]")).toBeVisible();
  await expect(tom.locator("button[data-action=accept]")).toHaveCount(0);

  // Sam sees it waiting for review and sends it back with a comment.
  await page.goto("/my-tasks");
  await hydrated(page);
  const review = page.locator("[data-bucket=review]");
  await review.getByRole("link", { name: title }).click();
  await hydrated(page);
  await page.getByLabel("Why does it go back?").fill("Photos of the flue are missing");
  await page.locator("button[data-action=sendback]").click();
  await expect(page.locator("[data-status=in_progress]")).toBeVisible();
  await expect(page.getByTestId("task-history")).toContainText("Photos of the flue are missing");

  await tom.goto(taskUrl);
  await hydrated(tom);
  await expect(tom.getByTestId("task-history")).toContainText("Photos of the flue are missing");
  await tom.locator("button[data-action=complete]").click();
  await expect(tom.locator("[data-status=pending_review]")).toBeVisible();

  await page.goto(taskUrl);
  await hydrated(page);
  await page.locator("button[data-action=accept]").click();
  await expect(page.locator("[data-status=completed]")).toBeVisible();
  await expect(page.locator("button[data-action=renew]")).toBeVisible();
});

test("dragging a bar on the timeline moves the task's dates and keeps them", async ({ page }) => {
  await signIn(page, ADMIN);
  await createProject(page, `Planning ${RUN}`, "Impianti Rossi Srl");
  const title = `Sleuven ${RUN}`;
  await addTask(page, title, "Giulia Rossi", isoDay(4));
  await openTab(page, "Timeline");
  const bar = page.locator(".timeline__row", { hasText: title }).locator(".timeline__bar");
  await expect(bar).toBeVisible();
  const box = (await bar.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 56, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  const [y, m, d] = isoDay(6).split("-");
  await expect(bar).toHaveAttribute("aria-label", new RegExp(`${d}/${m}/${y}`));
  // Saved: the task page shows the new deadline after a reload.
  await page.waitForTimeout(500);
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".timeline__row", { hasText: title }).locator(".timeline__bar"))
    .toHaveAttribute("aria-label", new RegExp(`${d}/${m}/${y}`));
  // The keyboard does the same, a day at a time.
  const moved = page.locator(".timeline__row", { hasText: title }).locator(".timeline__bar");
  await moved.focus();
  await page.keyboard.press("ArrowRight");
  const [y2, m2, d2] = isoDay(7).split("-");
  await expect(moved).toHaveAttribute("aria-label", new RegExp(`${d2}/${m2}/${y2}`));
});

test("a card dragged to another column on the task board changes the task's status", async ({ page }) => {
  await signIn(page, ADMIN);
  await createProject(page, `Bord ${RUN}`, "Reformas Núñez");
  const title = `Offerte nakijken ${RUN}`;
  // Sam created the project, so he is on it: nothing to ask.
  expect(await addTask(page, title, "Sam Jansen", isoDay(2))).toBe(false);
  await openTab(page, "Board");
  const card = page.locator("[data-column=pending] .kanban-card", { hasText: title });
  await expect(card).toBeVisible();
  const from = (await card.boundingBox())!;
  const to = (await page.locator("[data-column=in_progress]").boundingBox())!;
  await page.mouse.move(from.x + 20, from.y + 10);
  await page.mouse.down();
  await page.mouse.move(from.x + 60, from.y + 30, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 10 });
  await page.mouse.up();
  await expect(page.locator("[data-column=in_progress] .kanban-card", { hasText: title })).toBeVisible();
  await expect(page.locator("[data-column=pending] .kanban-card", { hasText: title })).toHaveCount(0);
  // Saved: after a reload it is still there, and its history says how it got there.
  await page.waitForTimeout(500);
  await page.reload();
  await hydrated(page);
  await expect(page.locator("[data-column=in_progress] .kanban-card", { hasText: title })).toBeVisible();
  // A move the state machine refuses goes back where it was.
  const started = page.locator("[data-column=in_progress] .kanban-card", { hasText: title });
  const box = (await started.boundingBox())!;
  const back = (await page.locator("[data-column=pending]").boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x - 40, box.y + 30, { steps: 5 });
  await page.mouse.move(back.x + back.width / 2, back.y + 40, { steps: 10 });
  await page.mouse.up();
  await expect(page.getByText("This step is not possible in the task's current status.")).toBeVisible();
  await expect(page.locator("[data-column=in_progress] .kanban-card", { hasText: title })).toBeVisible();
  await expect(page.locator("[data-column=pending] .kanban-card", { hasText: title })).toHaveCount(0);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the project page and my tasks fit the screen", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/projects");
    await hydrated(page);
    await page.locator(".list-rows tbody tr", { hasText: "Renovatie kantoorpand" }).getByRole("link").first().click();
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Renovatie kantoorpand");
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(await overflow()).toBe(false);
    await page.screenshot({ path: "test-results/phone-project.png", fullPage: true });
    await openTab(page, "Client");
    expect(await overflow()).toBe(false);

    await page.locator("nav.bottom-nav").getByRole("link", { name: "My tasks" }).click();
    await expect(page.getByRole("heading", { name: "My tasks" })).toBeVisible();
    await expect(page.locator("[data-bucket]").first()).toBeVisible();
    expect(await overflow()).toBe(false);
    await page.screenshot({ path: "test-results/phone-my-tasks.png", fullPage: true });
  });
});
