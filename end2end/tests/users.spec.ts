import { test, expect } from "./fixtures";
import { ADMIN, PASSWORD, hydrated, signIn } from "./helpers";

test("a deactivated user is thrown out at once and cannot sign in", async ({ newSession }) => {
  const adminPage = await newSession();
  const userPage = await newSession();
  await signIn(userPage, "lucia@atrium.example");
  await expect(userPage.getByRole("heading", { name: /Bienvenido, Lucía García/ })).toBeVisible();

  await signIn(adminPage, ADMIN);
  await adminPage.goto("/settings/users");
  await hydrated(adminPage);
  const row = adminPage.getByRole("row", { name: /Lucía García/ });
  await row.getByRole("button", { name: /Deactivate/ }).click();
  await expect(adminPage.getByText("User Lucía García updated.")).toBeVisible();
  await expect(row.getByText("Deactivated")).toBeVisible();

  await userPage.reload();
  await expect(userPage).toHaveURL(/\/sign-in/);
  await hydrated(userPage);
  await userPage.getByLabel(/Correo electrónico/).fill("lucia@atrium.example");
  await userPage.getByLabel(/Contraseña/).fill(PASSWORD);
  await userPage.locator("form button[type=submit]").click();
  await expect(userPage.getByRole("alert")).toBeVisible();
  await expect(userPage).toHaveURL(/\/sign-in/);

  await row.getByRole("button", { name: /Reactivate/ }).click();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
});

test("an admin creates a user, with clear errors for bad input", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/settings/users");
  await hydrated(page);
  await page.getByRole("button", { name: "New user" }).click();
  const form = page.locator("#new-user");
  await form.getByLabel("Name").fill("Eva Janssens");
  await form.getByLabel("E-mail address").fill("eva@");
  await form.getByLabel("Role").selectOption("sales");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText(/not a valid e-mail address/)).toBeVisible();
  // What was typed is still there.
  await expect(form.getByLabel("Name")).toHaveValue("Eva Janssens");
  await form.getByLabel("E-mail address").fill("anna@atrium.example");
  await form.getByLabel("Initial password").fill("a-long-enough-password");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByText("Another user already has this e-mail address.")).toBeVisible();
  await form.getByLabel("E-mail address").fill("eva@atrium.example");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("User Eva Janssens created.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Eva Janssens/ })).toContainText("Sales");
});

test("only admins see and reach the user administration", async ({ page }) => {
  await signIn(page, "giulia@atrium.example");
  await expect(page.getByRole("link", { name: "Utenti" })).toHaveCount(0);
  await page.goto("/settings/users");
  await expect(page.getByRole("alert")).toHaveText("Non hai il permesso di farlo.");
});
