// First paint and time to interactive of three pages in Chromium throttled to a slow phone,
// each load cold: a fresh browser context (empty cache, service worker blocked), signed in
// through the API beforehand so that only the page itself is measured. Run by
// `cargo xtask bench wasm` against the release server at BASE_URL.

import { chromium } from "@playwright/test";
import { BASE, BROWSER, median, signedInContext } from "./common.mjs";

const RUNS = 3;
const TIMEOUT_MS = 180_000;

// A slow phone on a slow mobile link: 150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up,
// and a processor four times slower than this machine's.
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

/** Runs in the page before its own scripts: the app marks `<body data-hydrated="true">` once
 * hydration has finished (`App` in app/src/lib.rs), and this notes when, on the page's clock,
 * whose zero is the start of the navigation. */
function noteHydration() {
  new MutationObserver((_, observer) => {
    if (document.body?.getAttribute("data-hydrated") === "true") {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated"] });
}

/** The first project the projects list links to. */
async function firstProjectPath(browser) {
  const context = await signedInContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${BASE}/projects`, { waitUntil: "domcontentloaded" });
    const hrefs = await page.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    const path = hrefs.find((href) => /^\/projects\/[0-9a-f-]{36}$/.test(href ?? ""));
    if (!path) throw new Error("the projects list links to no project");
    return path;
  } finally {
    await context.close();
  }
}

/** Evaluates `read` in the page every 100 ms until it gives a value. */
async function poll(page, read, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    const value = await page.evaluate(read);
    if (value !== undefined && value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${page.url()}: no ${what} within ${TIMEOUT_MS / 1000} s`);
}

/** One cold load of `path`: milliseconds from the start of the navigation to the first
 * contentful paint and to the end of hydration. */
async function loadOnce(browser, path) {
  const context = await signedInContext(browser);
  try {
    await context.addInitScript(noteHydration);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", NETWORK);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.goto(`${BASE}${path}`, { waitUntil: "commit", timeout: TIMEOUT_MS });
    const paint = await poll(
      page,
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      "first contentful paint",
    );
    const interactive = await poll(page, () => window.__hydratedAt, "hydration");
    // A lost session would have measured the sign-in page instead.
    const landed = new URL(page.url()).pathname;
    if (landed !== path) throw new Error(`${path} led to ${landed}`);
    return { paint, interactive };
  } finally {
    await context.close();
  }
}

async function measure(browser, name, path) {
  const loads = [];
  for (let run = 1; run <= RUNS; run++) {
    const load = await loadOnce(browser, path);
    console.log(`  ${name} run ${run}: paint ${Math.round(load.paint)} ms, interactive ${Math.round(load.interactive)} ms`);
    loads.push(load);
  }
  const paint = median(loads.map((l) => l.paint));
  const interactive = median(loads.map((l) => l.interactive));
  console.log(`RATIO interactive_over_paint_${name} ${(interactive / paint).toFixed(2)}`);
  console.log(`TIME ${name} paint ${Math.round(paint)} ms, interactive ${Math.round(interactive)} ms`);
}

const browser = await chromium.launch(BROWSER);
try {
  const pages = [
    ["dashboard", "/"],
    ["crm_board", "/crm"],
    ["project", await firstProjectPath(browser)],
  ];
  for (const [name, path] of pages) await measure(browser, name, path);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
