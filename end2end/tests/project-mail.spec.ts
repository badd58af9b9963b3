import { test, expect } from "./fixtures";
import { ADMIN, hydrated, signIn } from "./helpers";

// Made unique per run, so that the test can run again on the same database.
const RUN = Date.now().toString(36);

test("an appointment confirmation in the contact's language, edited, leaves through the outbox with its invitation and lands on the timeline", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/projects");
  await hydrated(page);
  await page.locator(".list-rows tbody tr", { hasText: "Renovatie kantoorpand" }).getByRole("link").first().click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const projectUrl = page.url();

  // Written for the execution contact, in Dutch, whatever language the sender reads.
  await page.locator("[data-action=appointment-mail]").click();
  const form = page.getByTestId("project-mail-form");
  const recipient = form.getByTestId("project-mail-recipient");
  await expect(recipient).toContainText("Sanne Bakker");
  await expect(recipient).toHaveAttribute("data-language", "nl");
  const subject = form.locator("#project-mail-subject");
  const body = form.locator("#project-mail-body");
  await expect(subject).toHaveValue(/^Afspraakbevestiging: Renovatie kantoorpand/);

  // Other times fill the text in again, until the user edits it.
  await form.locator("#project-mail-end").fill("15:30");
  await form.locator("#project-mail-start").fill("14:00");
  await expect(body).toHaveValue(/Tijd: 14:00 – 15:30/);
  await subject.fill(`Afspraak ${RUN}`);
  await body.fill(`Beste Sanne,\n\nTot dan, om 14:00 op de Keizersgracht.\n\n${RUN}`);
  await form.locator("[data-action=send-project-mail]").click();
  await expect(form).toHaveCount(0);

  // The outbox keeps it (no mail server in tests), with the calendar invitation.
  await page.goto("/outbox");
  await hydrated(page);
  const message = page.locator(".outbox__message", { hasText: `Afspraak ${RUN}` });
  await expect(message.getByTestId("outbox-to")).toHaveText("sanne@devries-bouw.nl");
  const attachment = message.getByTestId("outbox-attachment");
  await expect(attachment).toHaveText(/\.ics$/);
  const ics = await page.request.get((await attachment.getAttribute("href"))!);
  expect(ics.status()).toBe(200);
  const calendar = await ics.text();
  expect(calendar).toContain("BEGIN:VEVENT\r\n");
  // Long lines are folded: a line break and a space, taken out again to read them.
  expect(calendar.replace(/\r\n /g, "")).toContain("mailto:sanne@devries-bouw.nl");

  // The project's timeline says who got what.
  await page.goto(`${projectUrl}?tab=activity`);
  await hydrated(page);
  const entry = page.locator(".timeline__entry[data-kind=appointment_sent]", { hasText: `Afspraak ${RUN}` });
  await expect(entry).toContainText("sanne@devries-bouw.nl");
});
