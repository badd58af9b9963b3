import { expect, Page } from "@playwright/test";

export const PASSWORD = "atrium-demo";
export const ADMIN = "demo@atrium.example";

/** Waits until the page has hydrated, so that clicks run the app's handlers. Each test's
 * fresh browser compiles the (debug) wasm bundle anew, which can take a while on a busy
 * machine, hence the longer wait. */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 30_000 });
}

/** Signs in through the form, as a person would, and waits for the next page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.locator("input[name=email]").fill(email);
  await page.locator("input[name=password]").fill(password);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
  await hydrated(page);
}
