import { test as base, expect } from "@playwright/test";

/** Every test's page records what the browser logs as an error and every uncaught exception
 * (a panic in the wasm among them); a test that fails prints them, so that a failure in CI
 * says what the browser saw. A page whose server render and browser render differ (a
 * hydration error) fails the test that opened it. */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
      await use(errors);
      const hydration = errors.filter((e) => /hydration error/i.test(e));
      expect(hydration, `hydration errors in "${testInfo.title}"`).toEqual([]);
      if (errors.length > 0 && testInfo.status !== testInfo.expectedStatus) {
        console.log(`browser errors in "${testInfo.title}":\n${errors.join("\n")}`);
      }
    },
    { auto: true },
  ],
});

export { expect };
