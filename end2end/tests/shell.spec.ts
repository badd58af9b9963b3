import { test, expect } from "./fixtures";
import { ADMIN, signIn } from "./helpers";

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test("the shell has a bottom navigation instead of the sidebar", async ({ page }) => {
    await signIn(page, ADMIN);
    const bottom = page.locator("nav.bottom-nav");
    await expect(bottom).toBeVisible();
    await expect(page.locator("aside.sidebar")).toBeHidden();
    // The bar holds what fits; every other place, signing out included, is behind "More".
    const bar = await bottom.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(bar.scroll).toBeLessThanOrEqual(bar.client);
    const more = bottom.getByTestId("nav-more");
    const sheet = bottom.locator(".menu__panel");
    await more.click();
    await expect(sheet).toBeVisible();
    for (const name of ["Tasks", "Products", "Outbox", "Your account"]) {
      await expect(sheet.getByRole("link", { name, exact: true })).toBeInViewport();
    }
    await expect(sheet.getByRole("button", { name: "Sign out" })).toBeInViewport();
    // It closes from its backdrop, with Escape, and once a place is chosen.
    await page.mouse.click(195, 20);
    await expect(sheet).toBeHidden();
    await more.click();
    await expect(sheet).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await more.click();
    await sheet.getByRole("link", { name: "Your account" }).click();
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(sheet).toBeHidden();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: "test-results/phone-account.png", fullPage: true });
  });
});

test("the wide shell has a sidebar and every control has a name", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ADMIN);
  await expect(page.locator("aside.sidebar")).toBeVisible();
  await expect(page.locator("nav.bottom-nav")).toBeHidden();
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("button, a[href], input, select")].filter((el) => {
      const e = el as HTMLElement;
      if (e.offsetParent === null) return false;
      const labelled = (e as HTMLInputElement).labels?.length || e.getAttribute("aria-label");
      return !labelled && !(e.textContent ?? "").trim() && e.getAttribute("type") !== "hidden";
    }).length,
  );
  expect(unnamed).toBe(0);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.screenshot({ path: "test-results/desktop-dashboard.png" });
});

test("pages carry a strict Content-Security-Policy whose nonce is on the scripts", async ({ page }) => {
  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const policy = headers["content-security-policy"];
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("unsafe-inline");
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  // Every script that runs anything (has a source or code) carries the nonce.
  const scripts = await page.locator("script").evaluateAll((els) =>
    (els as HTMLScriptElement[]).filter((e) => e.src || e.textContent!.trim()).map((e) => e.nonce),
  );
  expect(scripts.length).toBeGreaterThan(0);
  for (const scriptNonce of scripts) expect(scriptNonce).toBe(nonce);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBeTruthy();
});

test("a cross-site form post to a server function is refused", async ({ request }) => {
  const response = await request.post("/api/auth/sign_in", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "email=demo%40atrium.example&password=atrium-demo",
  });
  expect(response.status()).toBe(403);
});
