import { chromium } from "playwright";
const BASE = process.env.BASE_URL || "http://127.0.0.1:3999";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
async function run(width, height, tag) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log(tag, "console", m.type(), m.text().slice(0, 200)); });
  await page.goto(BASE + "/sign-in");
  await page.waitForTimeout(3000);
  await page.fill("input[type=email]", "demo@atrium.example");
  await page.fill("input[type=password]", "atrium-demo");
  await page.click("button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  // The project with a down payment: find it through the invoices table.
  const id = process.env.PROJECT;
  await page.goto(`${BASE}/projects/${id}?tab=invoices`);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `/tmp/shots/${tag}-invoices-tab.png`, fullPage: true });
  await page.locator("[data-action=down-payment]").click();
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shots/${tag}-down-payment.png` });
  await page.locator(".dialog button", { hasText: /Cancel|Close/ }).last().click().catch(() => {}); await page.waitForTimeout(500);
  await page.goto(`${BASE}/projects/${id}`);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `/tmp/shots/${tag}-project.png`, fullPage: true });
  const add = page.locator("[data-action=add-from-catalogue]");
  if (await add.count()) { await add.first().click(); await page.waitForTimeout(1500); await page.screenshot({ path: `/tmp/shots/${tag}-catalogue.png` }); await page.locator(".dialog button", { hasText: /Cancel|Close/ }).last().click().catch(() => {}); await page.waitForTimeout(500); }
  const mail = page.locator("[data-action=appointment-mail]");
  if (await mail.count()) { await mail.first().click(); await page.waitForTimeout(2000); await page.screenshot({ path: `/tmp/shots/${tag}-mail.png` }); await page.locator(".dialog button", { hasText: /Cancel|Close/ }).last().click().catch(() => {}); await page.waitForTimeout(500); }
  await page.goto(`${BASE}/settings/mail-templates`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `/tmp/shots/${tag}-templates.png`, fullPage: true });
  await ctx.close();
}
await run(1366, 800, "wide");
await run(390, 844, "phone");
await browser.close();
