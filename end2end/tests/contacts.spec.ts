import { Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import * as fs from "fs";
import { ADMIN, hydrated, signIn } from "./helpers";

// Names made unique per run, so that the tests can run again on the same database.
const RUN = Date.now().toString(36);

async function openContacts(page: Page, query = "") {
  await page.goto(`/contacts${query}`);
  await hydrated(page);
}

async function search(page: Page, text: string) {
  await page.getByRole("searchbox", { name: "Search" }).fill(text);
  await expect(page).toHaveURL(/q=/);
}

function rows(page: Page) {
  return page.locator(".list-rows tbody tr");
}

test("a company and a person in it are created and found with or without accents", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page);
  await page.getByRole("link", { name: "New company" }).click();
  const dialog = page.getByRole("dialog", { name: "New company" });
  await dialog.getByLabel("Name").fill(`Bäckerei Schröder ${RUN}`);
  await dialog.getByLabel("E-mail addresses").fill(`info@schroeder-${RUN}.de`);
  await dialog.getByLabel("Country").fill("DE");
  await dialog.getByLabel("Phone numbers").fill("030 1234 5678");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: `Bäckerei Schröder ${RUN}` })).toBeVisible();
  await expect(page.getByRole("link", { name: "+493012345678" })).toBeVisible();

  await openContacts(page);
  await page.getByRole("link", { name: "New person" }).click();
  const person = page.getByRole("dialog", { name: "New person" });
  await person.getByLabel("Name").fill(`Jörg Schröder ${RUN}`);
  await person.getByLabel("Company").fill(`Bäckerei Schröder ${RUN}`);
  await person.getByLabel("Job title").fill("Owner");
  await person.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: `Jörg Schröder ${RUN}` })).toBeVisible();
  await page.getByRole("link", { name: `Bäckerei Schröder ${RUN}` }).click();
  await expect(page.getByRole("heading", { name: "People" })).toBeVisible();
  await expect(page.getByRole("link", { name: `Jörg Schröder ${RUN}` })).toBeVisible();

  for (const text of ["schroder", "Schröder", "SCHRÖDER"]) {
    await openContacts(page);
    await search(page, `${text} ${RUN}`);
    await expect(rows(page)).toHaveCount(2);
    await expect(page.getByText("2 records")).toBeVisible();
  }
  // The demo company has a Müller; "Muller" finds it.
  await openContacts(page, "?q=Muller");
  await expect(page.getByRole("link", { name: "Installatietechniek Müller" })).toBeVisible();
});

test("a bad field is refused with a clear message and the form keeps what was typed", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/contacts/new?kind=company");
  await hydrated(page);
  await page.getByLabel("Name").fill("Studio Verde");
  await page.getByLabel("VAT / registration number").fill("IT12345678901");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByText(/check digits are wrong/)).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("Studio Verde");
});

test("filters, grouping and a default favorite survive a reload", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page);
  await page.getByText("Filters", { exact: true }).click();
  await page.locator("#filter-field").selectOption("city");
  await page.locator("#filter-op").selectOption("contains");
  await page.locator("#filter-value").fill("gent");
  await page.locator(".filter-form").getByRole("button", { name: "Add filter" }).click();
  await expect(page.locator(".chip", { hasText: "City contains gent" })).toBeVisible();
  await expect(rows(page)).toHaveCount(2);

  // Two filters on the same field: either city.
  await page.locator("#filter-field").selectOption("city");
  await page.locator("#filter-op").selectOption("contains");
  await page.locator("#filter-value").fill("Milano");
  await page.locator(".filter-form").getByRole("button", { name: "Add filter" }).click();
  await expect(rows(page)).toHaveCount(4);
  await page.locator("summary", { hasText: "Filters" }).click();

  await page.locator("summary", { hasText: "Group by" }).click();
  await page.locator("#group-0").selectOption("country");
  await expect(page).toHaveURL(/g=country/);
  await page.locator("summary", { hasText: "Group by" }).click();
  await page.getByRole("button", { name: "IT 2" }).click();
  await expect(page.getByRole("link", { name: "Impianti Rossi Srl" })).toBeVisible();

  await page.locator("summary", { hasText: "Favorites" }).click();
  await page.locator("#favorite-name").fill(`Gent and Milano ${RUN}`);
  await page.getByLabel("Open this list with it").check();
  await page.locator(".favorite-form").getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`View "Gent and Milano ${RUN}" saved.`)).toBeVisible();

  await page.goto("/contacts");
  await hydrated(page);
  await expect(page.locator(".chip", { hasText: "City contains Milano" })).toBeVisible();
  await expect(page).toHaveURL(/g=country/);
  await expect(page.getByRole("button", { name: "BE 2" })).toBeVisible();

  // Back to the plain list for the other tests.
  await page.locator("summary", { hasText: "Favorites" }).click();
  await page.getByRole("button", { name: "Stop opening with it" }).click();
  await page.goto("/contacts");
  await hydrated(page);
  await expect(page.locator(".chip")).toHaveCount(0);
});

test("sorting and columns follow the user, and Back returns to the previous view", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page, "?p=companies&f=country:is:NL");
  await page.getByRole("columnheader", { name: /City/ }).getByRole("link").click();
  await expect(page).toHaveURL(/s=city/);
  await expect(rows(page).first()).toContainText("Amsterdam");
  await page.getByRole("columnheader", { name: /City/ }).getByRole("link").click();
  await expect(rows(page).first()).toContainText("Utrecht");
  await page.goBack();
  await expect(rows(page).first()).toContainText("Amsterdam");

  await page.locator("summary", { hasText: "Columns" }).click();
  await page.getByRole("button", { name: "Default columns" }).click();
  await expect(page.locator(".list-rows thead")).not.toContainText("Country");
  await page.locator(".column-chooser__item", { hasText: "Country" }).getByRole("checkbox").click();
  await expect(page.locator(".list-rows thead")).toContainText("Country");
  await page.goto("/contacts");
  await hydrated(page);
  await expect(page.locator(".list-rows thead")).toContainText("Country");
  await page.locator("summary", { hasText: "Columns" }).click();
  await page.locator(".column-chooser__item", { hasText: "Country" }).getByRole("checkbox").click();
  await expect(page.locator(".list-rows thead")).not.toContainText("Country");
});

test("the export holds every row of the view", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page, "?p=people");
  const count = Number((await page.locator(".list-count").innerText()).match(/\d+/)![0]);
  await page.locator("summary", { hasText: "Export" }).click();
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "CSV" }).click(),
  ]);
  const text = fs.readFileSync(await csv.path()!, "utf8");
  const lines = text.replace(/^\uFEFF/, "").trim().split("\n");
  expect(lines[0]).toContain("Name");
  expect(lines.length).toBe(count + 1);
  expect(text).toContain("Jürgen Müller");

  const [xlsx] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Excel (XLSX)" }).click(),
  ]);
  const bytes = fs.readFileSync(await xlsx.path()!);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
});

test("an import with one bad row imports nothing and says why", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/contacts/import");
  await hydrated(page);
  const csv = [
    "Naam;E-mail;Plaats;Land",
    `Tegelzetter ${RUN};info@tegel-${RUN}.nl;Haarlem;NL`,
    `Dakdekker ${RUN};not-an-address;Leiden;NL`,
    `Schilder ${RUN};info@smit-${RUN}.nl;Delft;NL`,
  ].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "contacts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Read the file" }).click();
  await expect(page.locator("#map-0")).toHaveValue("name");
  await expect(page.locator("#map-1")).toHaveValue("emails");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByText("2 to create, 0 to update (matched by e-mail or VAT number), 1 rejected.")).toBeVisible();
  await expect(page.locator(".import-preview").getByRole("row", { name: new RegExp(`Dakdekker ${RUN}`) })).toContainText(/not a valid e-mail address/);
  await expect(page.getByRole("button", { name: /Import \d+ contacts/ })).toHaveCount(0);
  const [report] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download the error report" }).click(),
  ]);
  const text = fs.readFileSync(await report.path()!, "utf8");
  expect(text).toContain(`Dakdekker ${RUN}`);
  expect(text.trim().split("\n")).toHaveLength(2);

  await openContacts(page, `?q=Tegelzetter+${RUN}`);
  await expect(page.getByText("Nothing matches this view.")).toBeVisible();

  // Corrected, the same file imports completely.
  await page.goto("/contacts/import");
  await hydrated(page);
  await page.getByLabel("CSV file").setInputFiles({
    name: "contacts.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv.replace("not-an-address", `info@bos-${RUN}.nl`)),
  });
  await page.getByRole("button", { name: "Read the file" }).click();
  await page.getByRole("button", { name: "Check" }).click();
  await page.getByRole("button", { name: "Import 3 contacts" }).click();
  await expect(page.getByText("3 contacts created and 0 updated.")).toBeVisible();
  await openContacts(page, `?q=Tegelzetter+${RUN}`);
  await expect(rows(page)).toHaveCount(1);
});

test("a malformed file changes nothing and says what is wrong", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/contacts/import");
  await hydrated(page);
  await page.getByLabel("CSV file").setInputFiles({
    name: "garbage.csv",
    mimeType: "text/csv",
    buffer: Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x00, 0x42, 0x0a, 0x00, 0x43]),
  });
  await page.getByRole("button", { name: "Read the file" }).click();
  await expect(page.getByText(/not UTF-8 text/)).toBeVisible();
});

test("two duplicates are merged into one that keeps both e-mail addresses", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/contacts/new?kind=company");
  await hydrated(page);
  await page.getByLabel("Name").fill(`Loodgieter Visser ${RUN}`);
  await page.getByLabel("E-mail addresses").fill(`info@visser-${RUN}.nl`);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: `Loodgieter Visser ${RUN}` })).toBeVisible();

  await page.goto("/contacts/new?kind=company");
  await hydrated(page);
  await page.getByLabel("Name").fill(`Loodgietersbedrijf Visser ${RUN}`);
  await page.getByLabel("E-mail addresses").fill(`info@visser-${RUN}.nl, spoed@visser-${RUN}.nl`);
  await expect(page.getByText("Possible duplicates")).toBeVisible();
  await expect(page.getByText(/same e-mail address/)).toBeVisible();
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { name: `Loodgietersbedrijf Visser ${RUN}` })).toBeVisible();

  await page.getByRole("button", { name: "Merge…" }).click();
  await page.getByLabel("Find the other contact").fill(`Loodgieter Visser ${RUN}`);
  const candidate = page.locator(".merge__candidates li", { hasText: /^Loodgieter Visser/ });
  await candidate.getByRole("button", { name: "Merge into this one" }).click();
  await expect(page.getByText(`Loodgietersbedrijf Visser ${RUN} now holds both contacts.`)).toBeVisible();
  await expect(page.getByRole("link", { name: `spoed@visser-${RUN}.nl` })).toBeVisible();
  await openContacts(page, `?q=visser-${RUN}`);
  await expect(rows(page)).toHaveCount(1);
});

test("selected rows are tagged in bulk and the action reports what it did", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page, "?q=Rossi");
  await expect(rows(page)).toHaveCount(2);
  await page.getByRole("checkbox", { name: "Select all shown" }).check();
  await expect(page.getByText("2 selected")).toBeVisible();
  await page.getByPlaceholder("Tag").fill(`fair-${RUN}`);
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByText("2 contacts changed.")).toBeVisible();
  await openContacts(page, `?f=tags:has:fair-${RUN}`);
  await expect(rows(page)).toHaveCount(2);
});

test("on a phone the list is cards and the filters open as a sheet", async ({ newSession }) => {
  const page = await newSession({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await signIn(page, ADMIN);
  await openContacts(page, "?p=companies");
  await expect(page.locator(".list-rows thead")).toBeHidden();
  const card = rows(page).first();
  const box = await card.boundingBox();
  expect(box!.width).toBeGreaterThan(300);
  await expect(card.locator("th[scope=row] a")).toBeVisible();
  await page.locator("summary", { hasText: "Filters" }).click();
  const sheet = page.locator(".menu[open] .menu__panel");
  await expect(sheet).toBeVisible();
  const sheetBox = await sheet.boundingBox();
  expect(sheetBox!.y + sheetBox!.height).toBeGreaterThan(800);
  // A sheet closes from its backdrop, from its own button (which the backdrop covers), with
  // Escape, and once a choice is made; the bottom navigation is reachable again.
  const filters = page.locator("summary", { hasText: "Filters" });
  const button = (await filters.boundingBox())!;
  await page.mouse.click(195, 120);
  await expect(sheet).toBeHidden();
  await filters.click();
  await expect(sheet).toBeVisible();
  await page.mouse.click(button.x + button.width / 2, button.y + button.height / 2);
  await expect(sheet).toBeHidden();
  await filters.click();
  await expect(sheet).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  await filters.click();
  await sheet.getByRole("link", { name: "My contacts" }).click();
  await expect(page).toHaveURL(/p=mine/);
  await expect(sheet).toBeHidden();
  await page.locator(".bottom-nav").getByRole("link", { name: "Projects" }).click();
  await expect(page).toHaveURL(/\/projects/);
});

test("one toolbar menu is open at a time, and a click outside or Escape closes it", async ({ page }) => {
  await signIn(page, ADMIN);
  await openContacts(page, "");
  const open = page.locator("details.menu[open]");
  await page.locator("summary", { hasText: "Filters" }).click();
  await expect(open).toHaveCount(1);
  await page.locator("summary", { hasText: "Group by" }).click();
  await expect(open).toHaveCount(1);
  await expect(open.locator("summary")).toContainText("Group by");
  await page.locator("h1").click();
  await expect(open).toHaveCount(0);
  await page.locator("summary", { hasText: "Columns" }).click();
  await expect(open).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(open).toHaveCount(0);
  await expect(page.locator("summary", { hasText: "Columns" })).toBeFocused();
});

test("a save that comes too late shows the newer values and overwrites nothing", async ({ newSession }) => {
  const first = await newSession();
  const second = await newSession();
  await signIn(first, ADMIN);
  await signIn(second, "anna@atrium.example");
  await first.goto("/contacts/new?kind=company");
  await hydrated(first);
  await first.getByLabel("Name").fill(`Glazenwasser ${RUN}`);
  await first.getByRole("button", { name: "Create" }).click();
  await expect(first.getByRole("heading", { name: `Glazenwasser ${RUN}` })).toBeVisible();
  const edit = first.url() + "/edit";

  await first.goto(edit);
  await hydrated(first);
  await second.goto(edit);
  await hydrated(second);
  await first.getByLabel("City").fill("Zwolle");
  await first.getByRole("button", { name: "Save" }).click();
  await expect(first.getByRole("heading", { name: `Glazenwasser ${RUN}` })).toBeVisible();

  await second.locator("input[name='contact[city]']").fill("Deventer");
  await second.locator("main form button[type=submit]").click();
  const conflict = second.locator(".conflict");
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText("Zwolle");
  await expect(second.locator("input[name='contact[city]']")).toHaveValue("Deventer");

  await first.reload();
  await expect(first.getByText("Zwolle")).toBeVisible();
});
