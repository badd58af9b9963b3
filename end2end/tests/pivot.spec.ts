import * as fs from "fs";
import * as zlib from "zlib";
import { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

const LAYOUT = "pr=salesperson&pc=quote_date:month&pm=count&pm=total";

/** The grand total of the first measure: the total row, the total column. */
async function grandCount(page: Page): Promise<string> {
  const table = page.getByTestId("pivot-table");
  const totalRow = table.locator("tbody tr").first();
  // The total column is the last column group; its first figure is the count.
  const slots = await table.locator("thead tr").nth(1).locator("th").count();
  const columns = await table.locator("thead tr").first().locator("th").count();
  const perColumn = slots / columns;
  return (await totalRow.locator("td").nth(slots - perColumn).innerText()).trim();
}

/** One file of a zip archive (an XLSX), found through the archive's central directory. */
function zipEntry(bytes: Buffer, name: string): string {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    if (bytes.toString("utf8", at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + size);
      return (method === 8 ? zlib.inflateRawSync(data) : data).toString("utf8");
    }
    at += 46 + skip;
  }
  throw new Error(`${name} is not in the archive`);
}

async function pivotShown(page: Page) {
  await expect(page.getByTestId("pivot-table")).toBeVisible();
  await expect(page.getByTestId("pivot-table").locator("tbody tr").first()).toContainText("Total");
}

test("My quotes as a pivot: salesperson × month, a second level opened, flipped, a figure drilled into the list", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/quotes");
  await hydrated(page);
  await page.locator("[data-action=show-pivot]").click();
  await expect(page).toHaveURL(/show=pivot/);
  await pivotShown(page);

  // Everyone's quotes, by salesperson and month.
  await page.goto(`/quotes?d=0&show=pivot&${LAYOUT}`);
  await hydrated(page);
  await pivotShown(page);
  const table = page.getByTestId("pivot-table");
  const total = await grandCount(page);
  expect(Number(total.replace(/\D/g, ""))).toBeGreaterThan(0);
  const salespeople = await table.locator("tbody tr").count();
  expect(salespeople).toBeGreaterThan(1);

  // A second level below the salesperson, opened for one of them.
  await page.locator("[data-action=pivot-add-rows]").click();
  await page.locator('.pivot-bar__axis[data-axis=rows] a[data-level="status"]').click();
  await expect(page).toHaveURL(/pr=status/);
  await pivotShown(page);
  const toggle = table.locator("tbody .pivot-toggle").first();
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(page).toHaveURL(/px=/);
  await expect(table.locator("tbody .pivot-toggle").first()).toHaveAttribute("aria-expanded", "true");
  expect(await table.locator("tbody tr").count()).toBeGreaterThan(salespeople);
  expect(await grandCount(page)).toBe(total);

  // Flipped: the months are the rows, the totals stay.
  await page.locator("[data-action=pivot-flip]").click();
  await expect(page).toHaveURL(/pf=1/);
  await pivotShown(page);
  expect(await grandCount(page)).toBe(total);
  await page.locator("[data-action=pivot-flip]").click();
  await expect(page).not.toHaveURL(/pf=1/);

  // "% of total": the grand total is all of it.
  await page.locator("[data-percentage=total]").click();
  await expect(page).toHaveURL(/pp=total/);
  await expect.poll(() => grandCount(page)).toBe("100.0 %");
  await page.locator("[data-percentage=none]").click();
  await expect.poll(() => grandCount(page)).toBe(total);

  // The spreadsheet holds the grid as shown: its first row of figures is the total.
  const [xlsx] = await Promise.all([
    page.waitForEvent("download"),
    page.locator("[data-action=pivot-xlsx]").click(),
  ]);
  const sheet = zipEntry(fs.readFileSync((await xlsx.path())!), "xl/worksheets/sheet1.xml");
  const totalRow = sheet.match(/<row r="3"[^>]*>(.*?)<\/row>/)![1];
  expect(totalRow).toContain(`<v>${total.replace(/\D/g, "")}</v>`);

  // A salesperson's count of one month opens as the list of exactly those quotes.
  const row = table.locator("tbody tr").nth(1);
  const figure = row.locator("td a").first();
  const count = (await figure.innerText()).trim();
  await figure.click();
  await expect(page).toHaveURL(/f=salesperson%3Ais%3A/);
  await expect(page).toHaveURL(/f=quote_date%3Abetween%3A/);
  await expect(page).not.toHaveURL(/show=pivot/);
  await hydrated(page);
  const records = Number(count);
  await expect(page.locator(".list-count")).toContainText(`${records} record`);
  await expect(page.locator(".list-rows table.table--list > tbody > tr")).toHaveCount(Math.min(records, 50));

  // Saved as the favorite the list opens with: "My quotes" opens as this pivot.
  await page.goBack();
  await expect(page).toHaveURL(/show=pivot/);
  await hydrated(page);
  await pivotShown(page);
  const name = `Pivot ${Date.now().toString(36)}`;
  await page.locator("summary", { hasText: "Favorites" }).click();
  await page.locator("#favorite-name").fill(name);
  await page.getByLabel("Open this list with it").check();
  await page.locator(".favorite-form").getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`View "${name}" saved.`)).toBeVisible();
  await page.goto("/quotes");
  await hydrated(page);
  await expect(page).toHaveURL(/show=pivot/);
  await expect(page).toHaveURL(/pr=status/);
  await pivotShown(page);
  await expect.poll(() => grandCount(page)).toBe(total);
  // The list opens as before for the other tests.
  await page.locator("summary", { hasText: "Favorites" }).click();
  await page.getByRole("button", { name: "Stop opening with it" }).click();
  await expect(page.getByRole("button", { name: "Stop opening with it" })).toHaveCount(0);
  await page.goto("/quotes");
  await hydrated(page);
  await expect(page).not.toHaveURL(/show=pivot/);
});

test("a wide pivot draws only the columns near the screen, and the rest as it scrolls sideways", async ({ page }) => {
  await signIn(page, ADMIN);
  // Every project's tasks by day, with three measures: far wider than a screen.
  await page.goto("/tasks?p=all&show=pivot&pr=assignee&pc=project&pc=due_date:day&py=*&pm=count&pm=planned_hours&pm=hours_spent");
  await hydrated(page);
  await pivotShown(page);
  const table = page.getByTestId("pivot-table");
  await expect(table).toHaveClass(/pivot-table--wide/);
  const groups = table.locator("thead tr").first().locator("th[scope=colgroup]");
  // Drawn: the first columns, and a gap standing in for the others.
  await expect(table.locator("thead th.pivot-gap")).toHaveCount(1);
  const figures = await table.locator("tbody tr:not(.pivot-spacer)").first().locator("td:not(.pivot-gap)").count();
  expect(figures).toBeLessThanOrEqual(60);
  await expect(groups.last()).not.toContainText("Total");
  // Scrolled to the far right: the total column is drawn, a gap stands in for the first ones.
  const frame = page.locator(".pivot-scroll");
  await frame.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await expect(groups.last()).toContainText("Total");
  await expect(table.locator("thead th.pivot-gap")).toHaveCount(1);
  const lastFigure = table.locator("tbody tr:not(.pivot-spacer)").first().locator("td:not(.pivot-gap)").last();
  await expect(lastFigure).toBeVisible();
  // Back to the left: the first columns again.
  await frame.evaluate((el) => el.scrollTo({ left: 0 }));
  await expect(groups.last()).not.toContainText("Total");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    await page.evaluate(() => window.innerWidth),
  );
});

test("the graph of the same quotes: chart types, a legend that hides a series, a bar drilled into the list", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/quotes?d=0&show=graph&pr=salesperson&pc=status&pm=count");
  await hydrated(page);
  const svg = page.getByTestId("graph-svg");
  const bars = page.locator(".graph__bars rect");
  await expect(bars.first()).toBeVisible();
  const shown = await bars.count();

  await page.locator("[data-action=graph-stacked]").click();
  await expect(page).toHaveURL(/gs=1/);
  await expect(bars).toHaveCount(shown);
  await page.locator("[data-chart=line]").click();
  await expect(page).toHaveURL(/gt=line/);
  await expect(svg.locator(".graph__points a").first()).toBeVisible();
  expect(await svg.locator("polyline").count()).toBeGreaterThan(0);
  await page.locator("[data-action=graph-cumulative]").click();
  await expect(page).toHaveURL(/gc=1/);
  await page.locator("[data-chart=pie]").click();
  await expect(page).toHaveURL(/gt=pie/);
  await expect(svg.locator(".graph__slices a").first()).toBeVisible();
  await page.locator("[data-chart=bar]").click();
  await expect(page).not.toHaveURL(/gt=/);

  // The legend hides a series and shows it again.
  const series = page.locator(".graph__legend-item").first();
  await expect(bars.first()).toBeVisible();
  const all = await bars.count();
  await series.click();
  await expect(series).toHaveAttribute("aria-pressed", "false");
  expect(await bars.count()).toBeLessThan(all);
  await series.click();
  await expect(bars).toHaveCount(all);
  // The same figures as a table, for screen readers.
  expect(await page.getByTestId("graph-table").locator("tbody tr").count()).toBeGreaterThan(0);

  // A bar opens the list of exactly its quotes.
  const mark = svg.locator("a.graph__mark").first();
  const label = (await mark.getAttribute("aria-label"))!;
  const records = Number(label.split(": ").pop()!.replace(/\D/g, ""));
  await mark.click();
  await expect(page).toHaveURL(/f=salesperson%3A/);
  await expect(page).not.toHaveURL(/show=graph/);
  await hydrated(page);
  await expect(page.locator(".list-count")).toContainText(`${records} record`);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the pivot scrolls inside its frame and keeps the page's width", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto(`/quotes?d=0&show=pivot&${LAYOUT}&py=*`);
    await hydrated(page);
    await pivotShown(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    const frame = page.locator(".pivot-scroll");
    const scrolls = await frame.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect(scrolls).toBe(true);
  });

  test("a graph fits the screen and a first touch names a bar before opening it", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/quotes?d=0&show=graph&pr=quote_date:month&pm=count");
    await hydrated(page);
    const mark = page.locator("a.graph__mark").first();
    await expect(mark).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await mark.tap();
    await expect(page.locator(".graph__tip")).toContainText(": ");
    await expect(page).toHaveURL(/show=graph/);
    await page.locator(".graph__tip a").tap();
    await expect(page).toHaveURL(/f=quote_date%3Abetween%3A/);
  });
});
