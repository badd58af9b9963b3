import { test, expect } from "./fixtures";
import { ADMIN, PASSWORD, hydrated, signIn } from "./helpers";

test("a visitor is sent to the sign-in page and comes back after signing in", async ({ page }) => {
  await page.goto("/settings/account");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Faccount|\/sign-in\?next=\/settings\/account/);
  await expect(page.getByRole("heading", { name: "Sign in to Atrium" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("E-mail address").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
});

test("signing in shows the dashboard of the demo company", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByRole("heading", { name: "Welcome, Sam Jansen" })).toBeVisible();
  await expect(page.getByText("6 active users")).toBeVisible();
});

test("what is typed before the app has loaded is kept when it comes alive", async ({ page }) => {
  // Hold the browser code back until both fields are filled in.
  let release: () => void = () => {};
  const typed = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/*.wasm", async (route) => {
    await typed;
    await route.continue();
  });
  await page.goto("/sign-in");
  await page.getByLabel("E-mail address").fill(ADMIN);
  await page.getByLabel("Password").fill(PASSWORD);
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  release();
  await hydrated(page);
  await expect(page.getByLabel("E-mail address")).toHaveValue(ADMIN);
  await expect(page.getByLabel("Password")).toHaveValue(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Sam Jansen" })).toBeVisible();
});

test("a wrong password shows a clear error and keeps the e-mail address", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("E-mail address").fill("marc@atrium.example");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The e-mail address or the password is not correct.");
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByLabel("E-mail address")).toHaveValue("marc@atrium.example");
});

test("signing out ends the session on the server", async ({ page, context }) => {
  await signIn(page, ADMIN);
  const session = (await context.cookies()).find((c) => c.name === "atrium_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Replaying the old cookie gets nowhere: the session is gone, not just forgotten.
  await context.addCookies([{ ...session!, value: session!.value }]);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("repeated failures are throttled with a clear message", async ({ page }) => {
  await page.goto("/sign-in");
  await hydrated(page);
  const email = page.getByLabel("E-mail address");
  const password = page.getByLabel("Password");
  const submit = page.getByRole("button", { name: "Sign in" });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await email.fill("tom@atrium.example");
    await password.fill(`wrong-${attempt}`);
    await submit.click();
    await expect(page.getByRole("alert")).toHaveText(/not correct/);
  }
  await password.fill(PASSWORD);
  await submit.click();
  // Locked: even the right password is refused for now.
  await expect(page.getByRole("alert")).toHaveText(/Too many failed sign-ins\. Try again in 1[45] minutes\./);
});

test("unknown pages answer 404 with a way back", async ({ page }) => {
  await signIn(page, ADMIN);
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to the dashboard" })).toBeVisible();
});
