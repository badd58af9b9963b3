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
  const bundle = (name: string) => new RegExp(`^/pkg/${name}_\\d+\\.[0-9a-f]{16}\\.bundle$`);
  // Its own bundle, and the shared ones (xtask/src/bundle_plan.rs) if it is one of the large.
  expect(fetched.filter((path) => bundle("crm_board").test(path))).toHaveLength(1);
  for (const path of fetched) expect(path).toMatch(/^\/pkg\/(crm_board|shared)_\d+\./);
  fetched.length = 0;
  // The contacts open on their list: the section's bundle, the list engine's, and the shared
  // ones that hold the code the two have in common, each once.
  await follow(page, "/contacts");
  await expect(page.locator(".list-view")).toBeVisible();
  expect(fetched.filter((path) => bundle("contact_pages").test(path))).toHaveLength(1);
  expect(fetched.filter((path) => bundle("list_engine").test(path))).toHaveLength(1);
  expect(new Set(fetched).size).toBe(fetched.length);
  const bundles = fetched.filter((path) => path.endsWith(".bundle"));
  for (const path of bundles) expect(path).toMatch(/^\/pkg\/(contact_pages|list_engine|shared)_\d+\./);
  // A module comes on its own only where its bundle would bring fewer than four (the board
  // brought the others): bundle_loader.js, __BUNDLE_FROM.
  const index: Record<string, string[]> = await (await page.request.get("/pkg/bundles.json")).json();
  const files = new Set(
    Object.entries(index)
      .filter(([key]) => /^(contact_pages|list_engine)_\d+$/.test(key))
      .flatMap(([, list]) => list),
  );
  const alone = fetched.filter((path) => path.endsWith(".wasm"));
  expect(alone.length, `modules one by one: ${alone.join(", ")}`).toBeLessThan(4 * files.size);
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
  // The section's and the list engine's, then the shared ones holding what they need of each
  // other's (both are past a page's 200 KB on their own: xtask/src/bundle_plan.rs).
  expect(named.filter((href) => /\/contact_pages_\d+\./.test(href))).toHaveLength(1);
  expect(named.filter((href) => /\/list_engine_\d+\./.test(href))).toHaveLength(1);
  expect(named.filter((href) => /\/shared_\d+\./.test(href)).length).toBeGreaterThan(0);
  expect(named).toHaveLength(new Set(named).size);
  for (const href of named) expect(fetched.get(href), `${href} fetched once`).toBe(1);
  await page.getByRole("searchbox").first().fill("a");
  await expect(page).toHaveURL(/q=a/);

  // The board shows no list: its section's bundle (and the shared ones, if it is large).
  await page.goto("/crm");
  await hydrated(page);
  const board = await page
    .locator('head link[rel="preload"][href$=".bundle"]')
    .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  expect(board.filter((href) => /^\/pkg\/crm_board_\d+\./.test(href))).toHaveLength(1);
  for (const href of board) expect(href).toMatch(/^\/pkg\/(crm_board|shared)_\d+\./);
});
