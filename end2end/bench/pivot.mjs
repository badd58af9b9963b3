// The pivot in the browser, over the tasks `cargo xtask bench pivot` seeded: the time from a
// click on "Pivot" to a drawn 10,000-cell pivot, and the frames of scrolling a 100,000-cell one
// from top to bottom, in Chromium at BASE_URL. Prints `TIME <label> <ms>` lines.

import { chromium } from "@playwright/test";
import { BASE, BROWSER, median, signedInContext } from "./common.mjs";

const RUNS = 3;
// Projects by due month, and by due week with three measures: with the seeded 600 projects,
// about 10,000 and over 100,000 figures.
const SMALL = "p=all&show=pivot&pr=project&pc=due_date:month&pm=count";
const LARGE =
  "p=all&show=pivot&pr=project&pc=due_date:week&pm=count&pm=planned_hours&pm=hours_spent";
const SCROLL_STEPS = 60;

/** The figures a layout shows, as the server answers them: a figure per measure per cell. */
async function figures(page, query) {
  const response = await page.request.post(`${BASE}/api/views/pivot`, {
    data: { list: "tasks", query },
  });
  if (!response.ok()) throw new Error(`views/pivot answered ${response.status()}`);
  const answer = await response.json();
  return answer.cells.reduce((sum, cell) => sum + cell.values.length, 0);
}

/** Follows an in-app link to the pivot of `query` and returns the milliseconds until its
 * table is drawn and painted. */
async function drawPivot(page, query) {
  return page.evaluate(async (href) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const started = performance.now();
    const link = document.createElement("a");
    link.href = href;
    document.body.appendChild(link);
    link.click();
    link.remove();
    while (!document.querySelector(".pivot-scroll tbody tr:not(.pivot-spacer) td")) {
      if (performance.now() - started > 120_000) throw new Error("no pivot within 120 s");
      await frame();
    }
    await frame();
    return performance.now() - started;
  }, `/tasks?${query}`);
}

async function backToList(page) {
  await page.goto(`${BASE}/tasks?p=all`);
  await page.locator("body[data-hydrated=true]").waitFor({ timeout: 60_000 });
}

/** Scrolls the pivot's frame from top to bottom in even steps, a frame apart, and gives the
 * time of each step (from the scroll to the next painted frame) and the longest task. */
async function scrollThrough(page) {
  return page.evaluate(async (steps) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: "longtask" });
    const scroller = document.querySelector(".pivot-scroll");
    const height = scroller.scrollHeight - scroller.clientHeight;
    const times = [];
    for (let step = 1; step <= steps; step++) {
      const started = performance.now();
      scroller.scrollTop = (height * step) / steps;
      scroller.dispatchEvent(new Event("scroll"));
      await frame();
      await frame();
      times.push(performance.now() - started);
    }
    observer.disconnect();
    const drawn = document.querySelectorAll(".pivot-scroll tbody td").length;
    return { times, longest, drawn, rows: Math.round(scroller.scrollHeight / 36) };
  }, SCROLL_STEPS);
}

const browser = await chromium.launch(BROWSER);
try {
  const context = await signedInContext(browser, { viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  for (const [label, query] of [["10k", SMALL], ["100k", LARGE]]) {
    console.log(`  ${label}: ${await figures(page, query)} figures (${query})`);
  }

  const draws = [];
  for (let run = 1; run <= RUNS; run++) {
    await backToList(page);
    const ms = await drawPivot(page, SMALL);
    console.log(`  draw 10k run ${run}: ${Math.round(ms)} ms`);
    draws.push(ms);
  }
  console.log(`TIME pivot_draw_10k_cells_ms ${Math.round(median(draws))}`);

  await backToList(page);
  const drawLarge = await drawPivot(page, LARGE);
  console.log(`TIME pivot_draw_100k_cells_ms ${Math.round(drawLarge)}`);
  const scroll = await scrollThrough(page);
  const sorted = [...scroll.times].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)];
  console.log(`  scrolled ${SCROLL_STEPS} steps over ~${scroll.rows} rows; ${scroll.drawn} cells drawn at the end`);
  console.log(`TIME pivot_scroll_100k_cells_step_median_ms ${Math.round(median(scroll.times))}`);
  console.log(`TIME pivot_scroll_100k_cells_step_p95_ms ${Math.round(p95)}`);
  console.log(`TIME pivot_scroll_100k_cells_longest_task_ms ${Math.round(scroll.longest)}`);
  await context.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
