import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";
import type { Page } from "@playwright/test";

/** Follows a link inside the app, as a click on one of its own links does: the router takes
 * it, the page is not reloaded, and the route's wasm chunk is fetched if it is new. */
async function follow(page: Page, href: string) {
  await page.evaluate((target) => {
    const link = document.createElement("a");
    link.href = target;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }, href);
  // A list may add its default view to the query ("/quotes" opens "/quotes?p=mine").
  await page.waitForURL((url) => url.pathname === new URL(href, url).pathname);
  await expect(page.locator("main h1").first()).toBeVisible();
}

/** The first record link of a list page, e.g. "/contacts/<id>" (a board draws its cards once
 * the browser has loaded them). */
async function firstRecord(page: Page, list: string): Promise<string> {
  await follow(page, list);
  const records = () =>
    page
      .locator(`main a[href^="${list}/"]`)
      .evaluateAll((links) =>
        links.map((a) => a.getAttribute("href") ?? "").filter((h) => /\/[0-9a-f-]{36}$/.test(h)),
      );
  await expect.poll(async () => (await records()).length, { message: `a record link on ${list}` }).toBeGreaterThan(0);
  return (await records())[0];
}

/** A wasm module of the bundle, or a bundle of them (xtask/src/bundle.rs). */
const isWasm = (path: string) => path.startsWith("/pkg/") && (path.endsWith(".wasm") || path.endsWith(".bundle"));

test("every route loads in one session, each wasm chunk once", async ({ page }) => {
  test.setTimeout(180_000);
  const fetched = new Map<string, number>();
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (isWasm(url.pathname)) {
      fetched.set(url.pathname, (fetched.get(url.pathname) ?? 0) + 1);
    }
  });
  await signIn(page, ADMIN);
  // What this page (the dashboard, after signing in) loaded; from here on one session.
  const firstLoad = new Set(
    (
      await page.evaluate(() =>
        performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname),
      )
    ).filter(isWasm),
  );
  expect(firstLoad.size, "the first load fetches the main wasm").toBeGreaterThan(0);
  fetched.clear();

  const routes = [
    "/contacts",
    "/contacts/new",
    "/contacts/import",
    "/crm",
    "/crm/new",
    "/crm/settings",
    "/activities",
    "/quotes",
    "/invoices",
    "/invoices/settings",
    "/products",
    "/products/new",
    "/outbox",
    "/projects",
    "/projects/new",
    "/tasks",
    "/my-tasks",
    "/hours",
    "/settings/account",
    "/settings/users",
    "/settings/mail-templates",
    "/",
  ];
  for (const route of routes) await follow(page, route);
  for (const list of ["/contacts", "/crm", "/quotes", "/invoices", "/projects", "/tasks"]) {
    const record = await firstRecord(page, list);
    await follow(page, record);
    if (list === "/contacts") await follow(page, `${record}/edit`);
  }
  // Back over routes already seen: nothing is fetched again.
  const seen = new Map(fetched);
  for (const route of ["/contacts", "/crm", "/projects", "/"]) await follow(page, route);
  expect(fetched).toEqual(seen);

  for (const [path, count] of fetched) {
    expect(firstLoad.has(path), `${path} was in the first load`).toBe(false);
    expect(count, `${path} fetched once`).toBe(1);
  }
  expect(fetched.size, "pages beyond the first load come in chunks of their own").toBeGreaterThan(5);
  await hydrated(page);
});

test("a page whose chunk is gone, as after a new release, loads again whole instead of breaking", async ({ newSession }) => {
  // No service worker: the chunk must come from the network, where this test takes it away.
  const page = await newSession({ serviceWorkers: "block" });
  await signIn(page, ADMIN);
  let refused = 0;
  await page.route(/\/pkg\/.*\.(wasm|bundle)$/, (route) => {
    if (refused === 0) {
      refused += 1;
      return route.fulfill({ status: 404, body: "gone" });
    }
    return route.continue();
  });
  let loads = 0;
  page.on("load", () => (loads += 1));
  await page.evaluate(() => {
    const link = document.createElement("a");
    link.href = "/contacts";
    document.body.appendChild(link);
    link.click();
  });
  await expect.poll(() => refused, { message: "the chunk was asked for" }).toBe(1);
  await expect.poll(() => loads, { message: "the page loaded again" }).toBe(1);
  await hydrated(page);
  // Loaded again, the app works: the contacts list opens and answers.
  if (new URL(page.url()).pathname !== "/contacts") await follow(page, "/contacts");
  await expect(page.locator("main h1").first()).toBeVisible();
  await page.getByRole("searchbox").first().fill("a");
  await expect(page).toHaveURL(/q=a/);
});

test("a section's first visit downloads its bundle, not its modules one by one", async ({ newSession }) => {
  const page = await newSession({ serviceWorkers: "block" });
  await signIn(page, ADMIN);
  await hydrated(page);
  const fetched: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (isWasm(path)) fetched.push(path);
  });
  await follow(page, "/crm");
  expect(fetched).toEqual([expect.stringMatching(/^\/pkg\/crm_board_\d+\.[0-9a-f]{16}\.bundle$/)]);
  fetched.length = 0;
  // The contacts open on their list: the section's bundle and the list engine's.
  await follow(page, "/contacts");
  await expect(page.locator(".list-view")).toBeVisible();
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.length).toBeLessThanOrEqual(2);
  for (const path of fetched) expect(path).toMatch(/\.bundle$/);
});

test("a page names its bundles in its head, and the browser fetches each once", async ({ newSession }) => {
  const page = await newSession({ serviceWorkers: "block" });
  await signIn(page, ADMIN);
  const fetched = new Map<string, number>();
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (isWasm(path)) fetched.set(path, (fetched.get(path) ?? 0) + 1);
  });
  await page.goto("/contacts");
  await hydrated(page);
  const named = await page
    .locator('head link[rel="preload"][href$=".bundle"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  expect(named).toHaveLength(2);
  expect(named.some((href) => /\/contact_pages_\d+\./.test(href))).toBe(true);
  expect(named.some((href) => /\/list_engine_\d+\./.test(href))).toBe(true);
  for (const href of named) expect(fetched.get(href), `${href} fetched once`).toBe(1);
  await page.getByRole("searchbox").first().fill("a");
  await expect(page).toHaveURL(/q=a/);

  // The board shows no list: its section's bundle alone.
  await page.goto("/crm");
  await hydrated(page);
  const board = await page
    .locator('head link[rel="preload"][href$=".bundle"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  expect(board).toEqual([expect.stringMatching(/^\/pkg\/crm_board_\d+\./)]);
});
