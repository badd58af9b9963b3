// The pivot in the browser, over the tasks `cargo xtask bench pivot` seeded: the time from a
// click on "Pivot" to a drawn pivot of about 15,000 cells, and the frames of scrolling one of
// over 100,000 from top to bottom and from left to right, in Chromium at BASE_URL. Prints
// `TIME <label> <ms>` lines.

import { chromium } from "@playwright/test";
import { BASE, BROWSER, median, signedInContext } from "./common.mjs";

const RUNS = 3;
// With the seeded 600 projects: projects by due week (about 600 × 24 cells), and projects by
// due day with two measures (about 600 × 140 × 2).
const SMALL = "p=all&show=pivot&pr=project&pc=due_date:week&pm=count";
const LARGE = "p=all&show=pivot&pr=project&pc=due_date:day&pm=count&pm=planned_hours";
const SCROLL_STEPS = 60;

/** The cells of a layout's grid as the server answers it (rows × columns × measures), and
 * how many of them hold a figure. */
async function cells(page, query) {
  const response = await page.request.post(`${BASE}/api/views/pivot`, {
    data: { list: "tasks", query },
  });
  if (!response.ok()) throw new Error(`views/pivot answered ${response.status()}`);
  const answer = await response.json();
  const rows = new Set(answer.cells.map((cell) => JSON.stringify(cell.rows)));
  const columns = new Set(answer.cells.map((cell) => JSON.stringify(cell.columns)));
  const measures = answer.cells[0]?.values.length ?? 0;
  const figures = answer.cells.reduce((sum, cell) => sum + cell.values.length, 0);
  return { grid: rows.size * columns.size * measures, figures };
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

/** Scrolls the pivot's frame from one end to the other along `axis` ("top" or "left") in
 * even steps, a frame apart, and gives the time of each step (from the scroll to the next
 * painted frame), the longest task and the cells drawn at the end. */
async function scrollThrough(page, axis) {
  return page.evaluate(
    async ({ steps, axis }) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      let longest = 0;
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
      });
      observer.observe({ type: "longtask" });
      const scroller = document.querySelector(".pivot-scroll");
      scroller.scrollTo({ top: 0, left: 0 });
      await frame();
      const span =
        axis === "top"
          ? scroller.scrollHeight - scroller.clientHeight
          : scroller.scrollWidth - scroller.clientWidth;
      const times = [];
      for (let step = 1; step <= steps; step++) {
        const started = performance.now();
        scroller.scrollTo({ [axis]: (span * step) / steps });
        scroller.dispatchEvent(new Event("scroll"));
        await frame();
        await frame();
        times.push(performance.now() - started);
      }
      observer.disconnect();
      const drawn = document.querySelectorAll(".pivot-scroll tbody td:not(.pivot-gap)").length;
      return { times, longest, drawn };
    },
    { steps: SCROLL_STEPS, axis },
  );
}

const browser = await chromium.launch(BROWSER);
try {
  const context = await signedInContext(browser, { viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  for (const [label, query] of [["small", SMALL], ["large", LARGE]]) {
    const { grid, figures } = await cells(page, query);
    console.log(`  ${label}: ${grid} cells, ${figures} figures (${query})`);
  }

  const draws = [];
  for (let run = 1; run <= RUNS; run++) {
    await backToList(page);
    const ms = await drawPivot(page, SMALL);
    console.log(`  draw small run ${run}: ${Math.round(ms)} ms`);
    draws.push(ms);
  }
  console.log(`TIME pivot_draw_15k_cells_ms ${Math.round(median(draws))}`);

  await backToList(page);
  const drawLarge = await drawPivot(page, LARGE);
  console.log(`TIME pivot_draw_170k_cells_ms ${Math.round(drawLarge)}`);
  for (const [axis, name] of [["top", "down"], ["left", "across"]]) {
    const scroll = await scrollThrough(page, axis);
    const sorted = [...scroll.times].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    console.log(`  scrolled ${name} in ${SCROLL_STEPS} steps; ${scroll.drawn} cells drawn at the end`);
    console.log(`TIME pivot_scroll_${name}_170k_cells_step_median_ms ${Math.round(median(scroll.times))}`);
    console.log(`TIME pivot_scroll_${name}_170k_cells_step_p95_ms ${Math.round(p95)}`);
    console.log(`TIME pivot_scroll_${name}_170k_cells_longest_task_ms ${Math.round(scroll.longest)}`);
  }
  await context.close();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
