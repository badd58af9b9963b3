import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

test("the Hours list shows booked time with its sum, and a row opens its task", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/hours?d=0&g=person");
  await hydrated(page);
  // Grouped by person: each group header sums its hours.
  await expect(page.locator(".group__header .group__sum").first()).toContainText("Hours");
  await page.goto("/hours?d=0");
  await hydrated(page);
  const rows = page.locator(".list-rows table.table--list > tbody > tr");
  await expect(rows.first()).toBeVisible();
  await rows.first().locator("th a").click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.locator("main h1")).toBeVisible();
});

test("a manager's default favorite opens the Hours as a pivot of projects by week", async ({ page }) => {
  await signIn(page, "anna@atrium.example");
  await page.goto("/hours");
  await hydrated(page);
  await expect(page).toHaveURL(/show=pivot/);
  await expect(page).toHaveURL(/pc=work_date%3Aweek|pc=work_date:week/);
  const table = page.getByTestId("pivot-table");
  await expect(table.locator("tbody tr").first()).toContainText(/Totaal|Total/);
  // A figure opens exactly its hours in the list.
  await table.locator("tbody tr").nth(1).locator("td a").first().click();
  await expect(page).not.toHaveURL(/show=pivot/);
  await expect(page).toHaveURL(/f=project%3A/);
  await hydrated(page);
  await expect(page.locator(".list-rows table.table--list > tbody > tr").first()).toBeVisible();
});
