import { test, expect } from "./fixtures";
import { hydrated, signIn } from "./helpers";

test("a sales user's dashboard: own pipeline, quotes, activities, wins and the money", async ({ page }) => {
  await signIn(page, "marc@atrium.example");
  const tiles = page.getByTestId("dashboard-tiles");
  for (const name of ["my-pipeline", "awaiting", "activities", "won", "invoiced", "overdue"]) {
    await expect(tiles.locator(`[data-tile=${name}]`)).toBeVisible();
  }
  await expect(tiles.locator("[data-tile=team-pipeline]")).toHaveCount(0);
  await hydrated(page);
  await tiles.locator("[data-tile=awaiting] h2 a").click();
  await expect(page).toHaveURL(/\/quotes\?p=mine&f=status/);
  // Marc reads Atrium in French: the chips of "mine" and of the status, whatever they say.
  await hydrated(page);
  await expect(page.locator(".chip")).toHaveCount(2);
});

test("a manager's dashboard adds the team and opens its pipeline as a pivot", async ({ page }) => {
  await signIn(page, "anna@atrium.example");
  const tiles = page.getByTestId("dashboard-tiles");
  for (const name of ["team-pipeline", "team-won", "at-risk", "hours"]) {
    await expect(tiles.locator(`[data-tile=${name}]`)).toBeVisible();
  }
  await expect(tiles.locator("[data-tile=team-pipeline] .tile-bars li").first()).toBeVisible();
  await hydrated(page);
  await tiles.locator("[data-tile=team-pipeline] h2 a").click();
  await expect(page).toHaveURL(/\/crm\?show=pivot/);
  await expect(page.getByTestId("pivot-table")).toBeVisible();
});
