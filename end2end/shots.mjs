import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3999";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"] });
async function session(width, height, email) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "en-GB" });
  const page = await context.newPage();
  page.on("console", m => { if (m.type() === "error" || m.type() === "warning") console.log("console:", m.text().slice(0, 200)); });
  await page.goto(base + "/sign-in");
  await page.locator("body[data-hydrated=true]").waitFor({ timeout: 30000 });
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", "atrium-demo");
  await page.click("button[type=submit]");
  await page.waitForURL(u => !u.pathname.startsWith("/sign-in"));
  return page;
}
const [,, email, ...paths] = process.argv;
for (const [w, h, tag] of [[1280, 900, "wide"], [390, 844, "phone"]]) {
  const page = await session(w, h, email);
  for (const path of paths) {
    await page.goto(base + path);
    await page.locator("body[data-hydrated=true]").waitFor({ timeout: 30000 });
    await page.waitForTimeout(1200);
    const name = path.replace(/[^a-z0-9]+/gi, "_");
    await page.screenshot({ path: `/tmp/shots/${tag}${name}.png`, fullPage: true });
    console.log("shot", tag, path);
  }
}
await browser.close();
