import { test as base, expect, BrowserContext, BrowserContextOptions, Page } from "@playwright/test";

/** Records what a page logs as an error and every uncaught exception (a panic in the wasm
 * among them). */
function watch(page: Page, errors: string[]) {
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
}

/** Every time a test opens another person's session its time limit grows by this much: each
 * new browser context downloads and compiles the (debug) wasm anew, which takes tens of seconds
 * when the machine is busy. */
const PER_SESSION = 60_000;

/** Every test's pages record their browser errors; a test that fails prints them, so that a
 * failure in CI says what the browser saw. A page whose server render and browser render
 * differ (a hydration error) fails the test that opened it.
 *
 * `newSession` opens a second (third, …) browser for another person in the same test; it is
 * watched the same way and closed at the end. */
export const test = base.extend<{
  browserErrors: string[];
  newSession: (options?: BrowserContextOptions) => Promise<Page>;
}>({
  browserErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      watch(page, errors);
      await use(errors);
      const hydration = errors.filter((e) => /hydration error/i.test(e));
      expect(hydration, `hydration errors in "${testInfo.title}"`).toEqual([]);
      if (errors.length > 0 && testInfo.status !== testInfo.expectedStatus) {
        console.log(`browser errors in "${testInfo.title}":\n${errors.join("\n")}`);
      }
    },
    { auto: true },
  ],
  newSession: async ({ browser, browserErrors }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    await use(async (options) => {
      testInfo.setTimeout(testInfo.timeout + PER_SESSION);
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      watch(page, browserErrors);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };
