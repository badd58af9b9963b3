import { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

// Pages arrive from the server and can be typed into before the browser code takes them over
// ("hydration"). What was typed by then must stay in the field, and be used.

// Names made unique per run, so that the tests can run again on the same database.
const RUN = Date.now().toString(36);

// The service worker would serve the browser code from its cache, past the hold below.
test.use({ serviceWorkers: "block" });

function isoDay(offset: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + offset);
  return day.toISOString().slice(0, 10);
}

/** Opens `url` with the browser code held back: the server's page is there to read and type
 * into, but it does not come alive until the answered function is called. */
async function openHeld(page: Page, url: string): Promise<() => void> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(url, { waitUntil: "domcontentloaded" });
  return release;
}

/** Lets the browser code in (checking that the page was not alive yet) and waits for it. */
async function comeAlive(page: Page, release: () => void) {
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  release();
  await hydrated(page);
}

test("a list's search typed before the page comes alive stays in the box and is searched for", async ({ page }) => {
  await signIn(page, ADMIN);
  const release = await openHeld(page, "/contacts");
  const search = page.getByRole("searchbox", { name: "Search" });
  await search.fill("Muller");
  await comeAlive(page, release);
  await expect(search).toHaveValue("Muller");
  // The search box's own handler takes it in: the list is searched, as after typing.
  await expect(page).toHaveURL(/q=Muller/);
  await expect(page.getByRole("link", { name: "Installatietechniek Müller" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Architectenbureau Peeters" })).toHaveCount(0);
  await expect(search).toHaveValue("Muller");
});

test("the deal board's search typed before the page comes alive stays and applies", async ({ page }) => {
  await signIn(page, ADMIN);
  const release = await openHeld(page, "/crm");
  const search = page.getByTestId("board-search");
  await search.fill("warehouse");
  await comeAlive(page, release);
  await expect(search).toHaveValue("warehouse");
  await search.press("Enter");
  await expect(page).toHaveURL(/q=warehouse/);
  const cards = page.locator(".pipeline-card");
  await expect(cards.filter({ hasText: "Solar panels on the warehouse roof" })).toBeVisible();
  await expect(cards.filter({ hasText: "Office lighting retrofit" })).toHaveCount(0);
  await expect(search).toHaveValue("warehouse");
});

test("a task typed into a project's quick add before the page comes alive is kept and added", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/projects");
  await hydrated(page);
  await page.locator(".list-rows tbody tr", { hasText: "Renovatie kantoorpand" }).getByRole("link").first().click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectUrl = page.url();

  const release = await openHeld(page, projectUrl);
  const title = `Typed before it came alive ${RUN}`;
  const due = isoDay(14);
  await page.getByLabel("New task").fill(title);
  await page.getByLabel("Deadline").fill(due);
  await comeAlive(page, release);
  await expect(page.getByLabel("New task")).toHaveValue(title);
  await expect(page.getByLabel("Deadline")).toHaveValue(due);

  // Added with what was typed, then the row is empty for the next one.
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();
  await expect(page.getByLabel("New task")).toHaveValue("");
});
