// GraphiQL in a real browser with no network but loopback: the page, its scripts, styles and
// workers all come from the server; the headers pane carries the key; a query runs and answers.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { createUser, harness } from "./helpers/app.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;

let t: Awaited<ReturnType<typeof harness>>;
let browser: Browser;

before(async () => {
  if (skip) return;
  t = await harness();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Anything not on loopback would go to a closed port: the page must need nothing outside.
    proxy: { server: "http://127.0.0.1:9", bypass: "127.0.0.1" },
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  await t?.close();
});

test("GraphiQL loads from the server alone, sends the key from the headers pane and shows the answer", {
  skip,
}, async () => {
  const user = await createUser(t.app);
  await t.client(user.key).post("/domains", { hostname: "graphiql.example.com" });

  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const outside: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["blob:", "data:"].includes(url.protocol) && url.hostname !== "127.0.0.1")
      outside.push(request.url());
  });
  const failed: string[] = [];
  page.on("requestfailed", (request) => failed.push(request.url()));

  await page.goto(`${t.url}/graphql`);
  await page.locator(".graphiql-execute-button").waitFor({ timeout: 30_000 });
  assert.equal(await page.title(), "CertPulse GraphQL");

  // The headers pane is open at start; its text is replaced by the key, as a person would paste it.
  const headers = page.locator(".graphiql-editor-tool .graphiql-editor:visible");
  await headers.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  // Pasted, not typed: the editor closes brackets and quotes as they are typed.
  await page.evaluate(
    (text) => navigator.clipboard.writeText(text),
    `{"Authorization": "Bearer ${user.key}"}`,
  );
  await page.keyboard.press("Control+V");

  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${t.url}/graphql` && r.request().method() === "POST"),
    page.locator(".graphiql-execute-button").click(),
  ]);
  assert.equal(answer.request().headers().authorization, `Bearer ${user.key}`);
  const body = await answer.json();
  assert.equal(body.data.domains.pagination.total, 1);
  // …and the page shows it.
  await page.locator(".graphiql-response").getByText('"graphiql.example.com"').waitFor({ timeout: 15_000 });
  assert.deepEqual(outside, [], "requests outside loopback");
  assert.deepEqual(failed, [], "failed requests");
  await context.close();
});

test("without the key the same page shows the API's own authentication error", { skip }, async () => {
  const page = await browser.newPage();
  await page.goto(`${t.url}/graphql`);
  await page.locator(".graphiql-execute-button").click({ timeout: 30_000 });
  await page.locator(".graphiql-response").getByText("UNAUTHENTICATED").waitFor({ timeout: 15_000 });
  await page.close();
});
