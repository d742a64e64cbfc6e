// One health summary: a domain's error flag, earliest expiry and warning/critical boundaries come
// from both halves together, whichever check just ran, at the moments the expiry policy's thresholds
// (the ones alerts are raised at) are reached.
import assert from "node:assert/strict";
import { test } from "node:test";
import { healthSummary } from "../src/domains/health-summary.js";
import { DAY_MS } from "../src/lib/days.js";

const NOW = new Date("2026-12-01T00:00:00Z");
const inDays = (n: number) => new Date(NOW.getTime() + n * DAY_MS);
/** "N days" is reached with less than N + 1 days left: the moment N + 1 days (less 1 ms) before. */
const reached = (expiry: number, days: number) => new Date(inDays(expiry - days - 1).getTime() + 1);
const healthy = {
  sslError: null,
  sslExpiresAt: null,
  sslValidFrom: null,
  sslValidTo: null,
  whoisError: null,
  whoisExpiresAt: null,
  alertDays: null,
};
const PERCENT = 33;

test("the earlier expiry of certificate and registration sets the boundaries", () => {
  const summary = healthSummary(
    { ...healthy, sslExpiresAt: inDays(40), whoisExpiresAt: inDays(90) },
    PERCENT,
  );
  assert.deepEqual(summary, {
    hasError: false,
    expiresAt: inDays(40),
    warningAt: reached(40, 30),
    criticalAt: reached(40, 7),
  });
  const whoisFirst = healthSummary(
    { ...healthy, sslExpiresAt: inDays(90), whoisExpiresAt: inDays(40) },
    PERCENT,
  );
  assert.deepEqual([whoisFirst.expiresAt, whoisFirst.criticalAt], [inDays(40), reached(40, 7)]);
});

test("an error in either half is the domain's error; the other half's expiry still counts", () => {
  assert.equal(healthSummary({ ...healthy, sslError: "self-signed certificate" }, PERCENT).hasError, true);
  const gone = healthSummary(
    { ...healthy, whoisError: "the domain is not registered", sslExpiresAt: inDays(20) },
    PERCENT,
  );
  assert.equal(gone.hasError, true);
  assert.deepEqual(gone.expiresAt, inDays(20));
});

test("a domain's alert_days move both boundaries; with no threshold of 7 days or less it is never critical", () => {
  const custom = healthSummary({ ...healthy, sslExpiresAt: inDays(60), alertDays: [45, 10, 5] }, PERCENT);
  assert.deepEqual([custom.warningAt, custom.criticalAt], [reached(60, 45), reached(60, 5)]);
  const far = healthSummary({ ...healthy, sslExpiresAt: inDays(60), alertDays: [30, 14] }, PERCENT);
  assert.deepEqual([far.warningAt, far.criticalAt], [reached(60, 30), null]);
  assert.deepEqual(healthSummary(healthy, PERCENT), {
    hasError: false,
    expiresAt: null,
    warningAt: null,
    criticalAt: null,
  });
});

test("a short-lived certificate's boundaries scale with its lifetime, as its alerts do", () => {
  // A 5-day certificate: a third of its life is 1.65 days, so the 30/14/7/3-day thresholds give way
  // to one at that share (critical); it is not critical from the day it is issued.
  const issued = inDays(0);
  const short = healthSummary(
    { ...healthy, sslValidFrom: issued, sslValidTo: inDays(5), sslExpiresAt: inDays(5) },
    PERCENT,
  );
  const share = new Date(inDays(5).getTime() - 5 * DAY_MS * 0.33);
  assert.deepEqual([short.warningAt, short.criticalAt], [share, share]);
  // A 47-day certificate warns at a third of its life (15.5 days) and is critical at 7 days.
  const monthly = healthSummary(
    { ...healthy, sslValidFrom: issued, sslValidTo: inDays(47), sslExpiresAt: inDays(47) },
    PERCENT,
  );
  assert.deepEqual(
    [monthly.warningAt, monthly.criticalAt],
    [new Date(inDays(47).getTime() - 47 * DAY_MS * 0.33), reached(47, 7)],
  );
});
