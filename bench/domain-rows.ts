// Seeded domains for the benchmarks: checked, with expiry dates spread over two years so every
// status and sort has rows, and registrable domains shared `registrables` ways.
import { DAY_MS } from "../src/lib/days.js";

export function checkedDomain(
  userId: string,
  i: number,
  total: number,
  registrables: number,
  now = Date.now(),
) {
  const sslValidTo = new Date(now + ((i * 7) % 400) * DAY_MS - 30 * DAY_MS);
  const whoisExpiresAt = new Date(now + ((i * 13) % 700) * DAY_MS);
  const expiresAt = sslValidTo < whoisExpiresAt ? sslValidTo : whoisExpiresAt;
  return {
    userId,
    hostname: `host${i}.example${i % registrables}.com`,
    registrableDomain: `example${i % registrables}.com`,
    tags: i % 3 === 0 ? ["production"] : [],
    createdAt: new Date(now - (total - i) * 1000),
    sslGrade: "A",
    sslValidTo,
    sslCheckedAt: new Date(now),
    whoisExpiresAt,
    whoisCheckedAt: new Date(now),
    expiresAt,
    criticalAt: new Date(expiresAt.getTime() - 7 * DAY_MS),
    warningAt: new Date(expiresAt.getTime() - 30 * DAY_MS),
  };
}
