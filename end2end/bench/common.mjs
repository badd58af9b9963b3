// What the browser benches share: the server, the demo sign-in and Debian's Chromium.

export const BASE = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const EMAIL = "demo@atrium.example";
const PASSWORD = "atrium-demo";

export const BROWSER = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

/** A fresh context (empty cache, service worker blocked), signed in through the API so that
 * only the pages themselves are measured. */
export async function signedInContext(browser, options = {}) {
  const context = await browser.newContext({ serviceWorkers: "block", locale: "en-GB", ...options });
  // The session cookie it sets is kept by the context, for its pages.
  const response = await context.request.post(`${BASE}/api/auth/sign_in`, {
    form: { email: EMAIL, password: PASSWORD },
  });
  if (!response.ok()) {
    await context.close();
    throw new Error(`sign-in answered ${response.status()}: ${await response.text()}`);
  }
  return context;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
