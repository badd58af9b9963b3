import { test, expect } from "./fixtures";
import { ADMIN, PASSWORD } from "./helpers";

test.use({ javaScriptEnabled: false });

test("the sign-in form works without JavaScript", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail address").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Welcome, Sam Jansen" })).toBeVisible();
});

test("a wrong password without JavaScript comes back with the error", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail address").fill("giulia@atrium.example");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?error=bad_credentials/);
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or the password is not correct.");
  await expect(page.getByLabel("E-mail address")).toHaveValue("giulia@atrium.example");
});
