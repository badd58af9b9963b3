import { test, expect } from "./fixtures";
import { hydrated, signIn } from "./helpers";

test("switching to Dutch re-renders at once and persists on the server", async ({ page, newSession }) => {
  await signIn(page, "marc@atrium.example");
  // Marc's stored language is French: the server render is French, with no English first.
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { name: "Bienvenue, Marc Dubois" })).toBeVisible();
  await page.goto("/settings/account");
  await hydrated(page);
  await page.getByRole("button", { name: "Nederlands" }).click();
  await expect(page.getByRole("heading", { name: "Je account" })).toBeVisible();
  await expect(page.getByText("Taal opgeslagen.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Je account" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "nl");
  // Another browser, no cookies: the stored language follows the user.
  const other = await newSession();
  await signIn(other, "marc@atrium.example");
  await expect(other.getByRole("heading", { name: "Welkom, Marc Dubois" })).toBeVisible();
  await expect(other.getByText(/Het is vandaag \d+ \w+ \d{4}\./)).toBeVisible();
});

test("a language picked on the sign-in page stays after a reload", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByRole("button", { name: "Italiano" }).click();
  await expect(page.getByRole("heading", { name: "Accedi ad Atrium" })).toBeVisible();
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "it");
  await expect(page.getByRole("heading", { name: "Accedi ad Atrium" })).toBeVisible();
  // Back to English for the tests after this one.
  await hydrated(page);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Atrium" })).toBeVisible();
});
