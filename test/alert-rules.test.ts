// The alert rules as pure functions: which thresholds a domain has, which alert a crossing raises,
// and the severity rule the README writes down.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expiryAlerts } from "../src/alerts/rules/thresholds.js";
import { nextSslCheckAt } from "../src/checks/check-policy.js";
import { thresholdsFor } from "../src/domains/expiry-policy.js";
import { DAY_MS } from "../src/lib/days.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const inDays = (n: number) => new Date(NOW.getTime() + n * DAY_MS);
const facts = (expiresAt: Date, alertDays: number[] | null = null) => ({
  type: "ssl_expiry" as const,
  keyPrefix: "d1:ssl_expiry:fp",
  expiresAt,
  thresholds: thresholdsFor(alertDays),
  subject: "SSL certificate",
  what: "The SSL certificate for example.com",
});

test("the default thresholds are 30, 14, 7, 3 and 1 days, and a domain's alert_days replace them", () => {
  assert.deepEqual(
    thresholdsFor(null).map((t) => t.days),
    [30, 14, 7, 3, 1],
  );
  assert.deepEqual(
    thresholdsFor([5, 60]).map((t) => t.days),
    [60, 5],
  );
});

test("a share of a short certificate's lifetime replaces the day thresholds before it", () => {
  // 47 days: a third is 15.5 days, so 30 gives way to it and 14, 7, 3, 1 stay.
  const short = thresholdsFor(null, { ms: 47 * DAY_MS, percent: 33 });
  assert.deepEqual(
    short.map((t) => [t.days, t.percent]),
    [
      [15, 33],
      [14, undefined],
      [7, undefined],
      [3, undefined],
      [1, undefined],
    ],
  );
  // A year-long certificate keeps the day thresholds; 0 % turns the share off.
  assert.equal(thresholdsFor(null, { ms: 398 * DAY_MS, percent: 33 }).length, 5);
  assert.deepEqual(
    thresholdsFor(null, { ms: 47 * DAY_MS, percent: 0 }).map((t) => t.days),
    [30, 14, 7, 3, 1],
  );
});

test("only the tightest threshold crossed is raised; every crossed one holds", () => {
  const evaluation = expiryAlerts(facts(inDays(5.5)), NOW);
  assert.equal(evaluation.raise.length, 1);
  const [alert] = evaluation.raise;
  assert.equal(alert?.thresholdDays, 7);
  assert.equal(alert?.severity, "critical");
  assert.equal(alert?.title, "SSL certificate expires in 5 days");
  assert.equal(
    alert?.message,
    "The SSL certificate for example.com expires on 2026-11-29. 5 days remaining.",
  );
  assert.equal(evaluation.holds.length, 3);
});

test("days remaining are whole days, as the API shows them: 30.9 days left crosses 30", () => {
  const at30 = expiryAlerts(facts(inDays(30.9)), NOW).raise[0];
  assert.equal(at30?.thresholdDays, 30);
  assert.equal(at30?.severity, "warning");
  assert.equal(at30?.title, "SSL certificate expires in 30 days");
  assert.deepEqual(expiryAlerts(facts(inDays(31.01)), NOW).raise, []);
  assert.equal(expiryAlerts(facts(inDays(1.5)), NOW).raise[0]?.title, "SSL certificate expires in 1 day");
});

test("an expired certificate raises one critical alert at threshold 0", () => {
  const [expired] = expiryAlerts(facts(inDays(-2)), NOW).raise;
  assert.equal(expired?.thresholdDays, 0);
  assert.equal(expired?.severity, "critical");
  assert.equal(expired?.title, "SSL certificate has expired");
  assert.equal(expired?.message, "The SSL certificate for example.com expired on 2026-11-21.");
});

test("a failing domain backs off exponentially from 5 minutes to four intervals; a healthy one waits one", () => {
  const interval = 6 * 3_600_000;
  const delay = (failures: number) =>
    nextSslCheckAt(failures, interval, NOW, () => 0.5).getTime() - NOW.getTime();
  assert.equal(delay(0), interval);
  assert.deepEqual(
    [1, 2, 3, 4].map(delay),
    [5, 10, 20, 40].map((m) => m * 60_000),
  );
  assert.equal(delay(20), 4 * interval);
  // Jitter spreads checks ±10 %.
  assert.equal(nextSslCheckAt(0, interval, NOW, () => 0).getTime() - NOW.getTime(), interval * 0.9);
  assert.equal(
    nextSslCheckAt(0, interval, NOW, () => 1).getTime() - NOW.getTime(),
    Math.round(interval * 1.1),
  );
});
