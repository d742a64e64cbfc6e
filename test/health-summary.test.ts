// One health summary: a domain's error flag, earliest expiry and warning/critical boundaries come
// from both halves together, whichever check just ran.
import assert from "node:assert/strict";
import { test } from "node:test";
import { healthSummary } from "../src/domains/health-summary.js";
import { DAY_MS } from "../src/lib/days.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const inDays = (n: number) => new Date(NOW.getTime() + n * DAY_MS);
const healthy = {
  sslError: null,
  sslExpiresAt: null,
  whoisError: null,
  whoisExpiresAt: null,
  alertDays: null,
};

test("the earlier expiry of certificate and registration sets the boundaries", () => {
  const summary = healthSummary({ ...healthy, sslExpiresAt: inDays(40), whoisExpiresAt: inDays(90) });
  assert.deepEqual(summary, {
    hasError: false,
    expiresAt: inDays(40),
    warningAt: inDays(10),
    criticalAt: inDays(33),
  });
  assert.deepEqual(
    healthSummary({ ...healthy, sslExpiresAt: inDays(90), whoisExpiresAt: inDays(40) }).expiresAt,
    inDays(40),
  );
});

test("an error in either half is the domain's error; the other half's expiry still counts", () => {
  assert.equal(healthSummary({ ...healthy, sslError: "self-signed certificate" }).hasError, true);
  const lookupFailed = healthSummary({ ...healthy, whoisError: "timeout", sslExpiresAt: inDays(20) });
  assert.equal(lookupFailed.hasError, true);
  assert.deepEqual(lookupFailed.expiresAt, inDays(20));
});

test("a domain's alert_days move warning; critical stays at 7 days unless the largest threshold is smaller", () => {
  assert.deepEqual(
    healthSummary({ ...healthy, sslExpiresAt: inDays(60), alertDays: [45, 10] }).warningAt,
    inDays(15),
  );
  const small = healthSummary({ ...healthy, sslExpiresAt: inDays(60), alertDays: [5] });
  assert.deepEqual([small.warningAt, small.criticalAt], [inDays(55), inDays(55)]);
  assert.deepEqual(healthSummary(healthy), {
    hasError: false,
    expiresAt: null,
    warningAt: null,
    criticalAt: null,
  });
});
