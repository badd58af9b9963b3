// Screenshots for a review of the hardening issue; not part of the test suite.
import { chromium } from "playwright-core";
const base = "http://127.0.0.1:3398";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
async function session(email, viewport) {
  const context = await browser.newContext({ viewport, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(base + "/sign-in");
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", "atrium-demo");
  await page.click("button[type=submit]");
  await page.waitForURL(base + "/");
  return page;
}
const hydrated = async (page) => page.waitForFunction(() => document.body.dataset.hydrated === "true" || !!window.__hydrated || true);
for (const [label, viewport] of [["wide", { width: 1280, height: 860 }], ["phone", { width: 390, height: 844 }]]) {
  if (process.env.ONLY_CONTACTS) { const tom = await session("tom@atrium.example", viewport);
  await tom.goto(base + "/contacts?q=Bouwbedrijf");
  const href = await tom.locator("a[href^='/contacts/0']").first().getAttribute("href");
  await tom.goto(base + href);
  await tom.locator("h1").waitFor();
  await tom.waitForTimeout(3000);
  await tom.screenshot({ path: `/tmp/shots/contact-employee-${label}.png` }); continue; }
  const sam = await session("demo@atrium.example", viewport);
  // A project without Tom, a task on it, and Tom picked as assignee on the task page.
  const project = await sam.evaluate(async (title) => {
    const body = new URLSearchParams({ "project[title]": title });
    const r = await fetch("/api/projects/create", { method: "POST", body, headers: { Accept: "application/json" } });
    return (await r.json()).id;
  }, `Kantoor ${label}`);
  const id = await sam.evaluate(async (project) => {
    const body = new URLSearchParams({ project, "task[title]": "Plafond afwerken" });
    const r = await fetch("/api/tasks/create", { method: "POST", body, headers: { Accept: "application/json" } });
    return r.json();
  }, project);
  await sam.goto(`${base}/tasks/${id}`);
  await sam.waitForTimeout(2500);
  await sam.locator("#task-assignee").selectOption({ label: "Tom Peeters" });
  await sam.getByRole("button", { name: "Save" }).click();
  await sam.getByTestId("add-assignee-to-project").waitFor();
  await sam.locator("#task-assignee").scrollIntoViewIfNeeded();
  await sam.screenshot({ path: `/tmp/shots/task-assignee-${label}.png` });
  await sam.getByTestId("add-assignee-to-project").check();
  await sam.getByRole("button", { name: "Save" }).click();
  await sam.getByText("Task saved.").waitFor();
  await sam.screenshot({ path: `/tmp/shots/task-assignee-saved-${label}.png` });
  // Tom, an employee, on a contact: no edit, archive, merge or delete.
  const tom = await session("tom@atrium.example", viewport);
  await tom.goto(base + "/contacts?q=Bouwbedrijf");
  const href = await tom.locator("a[href^='/contacts/0']").first().getAttribute("href");
  await tom.goto(base + href);
  await tom.locator("h1").waitFor();
  await tom.waitForTimeout(3000);
  await tom.screenshot({ path: `/tmp/shots/contact-employee-${label}.png` });
}
await browser.close();
