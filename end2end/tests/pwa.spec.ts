import { test, expect } from "./fixtures";

test("the manifest makes Atrium installable", async ({ request }) => {
  const response = await request.get("/manifest.webmanifest");
  expect(response.ok()).toBe(true);
  const manifest = await response.json();
  expect(manifest.name).toBe("Atrium");
  expect(manifest.display).toBe("standalone");
  expect(manifest.start_url).toBe("/");
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toContain("192x192");
  expect(sizes).toContain("512x512");
  expect(manifest.icons.some((i: { purpose: string }) => i.purpose === "maskable")).toBe(true);
  for (const icon of manifest.icons) {
    const file = await request.get(icon.src);
    expect(file.ok(), icon.src).toBe(true);
  }
});

test("the service worker installs, caches this build and serves the offline page", async ({ page, context }) => {
  const script = await (await page.request.get("/sw.js")).text();
  expect(script).toMatch(/const CACHE = "atrium-[0-9a-f]{16}"/);
  expect(script).toMatch(/\/pkg\/atrium\.[^"]+\.wasm/);
  await page.goto("/sign-in");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cacheNames = await page.evaluate(() => caches.keys());
  expect(cacheNames.some((n) => n.startsWith("atrium-"))).toBe(true);
  await context.setOffline(true);
  await page.goto("/sign-in").catch(() => {});
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await context.setOffline(false);
});
