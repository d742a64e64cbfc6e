// A domain's status, derived from its latest check summary and the current time. The summary keeps
// the moments the status changes (warningAt <= criticalAt <= expiresAt) rather than day counts, so
// the status and the list filter stay right as days pass without rewriting rows.
// Precedence: expired > error > critical > warning > valid > pending.
import type { Prisma } from "../db/generated/sqlite/client.js";

export const DOMAIN_STATUSES = ["expired", "error", "critical", "warning", "valid", "pending"] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

export interface StatusFields {
  hasError: boolean;
  expiresAt: Date | null;
  criticalAt: Date | null;
  warningAt: Date | null;
  sslCheckedAt: Date | null;
  whoisCheckedAt: Date | null;
}

/** The columns domainStatus reads, to select with any row whose status is shown. */
export const STATUS_COLUMNS = {
  hasError: true,
  expiresAt: true,
  criticalAt: true,
  warningAt: true,
  sslCheckedAt: true,
  whoisCheckedAt: true,
} as const;

const reached = (at: Date | null, now: Date) => at !== null && at <= now;

export function domainStatus(domain: StatusFields, now: Date): DomainStatus {
  if (reached(domain.expiresAt, now)) return "expired";
  if (domain.hasError) return "error";
  if (reached(domain.criticalAt, now)) return "critical";
  if (reached(domain.warningAt, now)) return "warning";
  if (domain.sslCheckedAt || domain.whoisCheckedAt) return "valid";
  return "pending";
}

const notYet = (field: "expiresAt" | "criticalAt" | "warningAt", now: Date): Prisma.DomainWhereInput => ({
  OR: [{ [field]: null }, { [field]: { gt: now } }],
});

/** The same rules as domainStatus, as a where clause over indexed columns. */
export function statusWhere(status: DomainStatus, now: Date): Prisma.DomainWhereInput {
  switch (status) {
    case "expired":
      return { expiresAt: { lte: now } };
    case "error":
      return { hasError: true, AND: [notYet("expiresAt", now)] };
    case "critical":
      return { hasError: false, criticalAt: { lte: now }, AND: [notYet("expiresAt", now)] };
    case "warning":
      return {
        hasError: false,
        warningAt: { lte: now },
        AND: [notYet("criticalAt", now), notYet("expiresAt", now)],
      };
    case "valid":
      return {
        hasError: false,
        OR: [{ sslCheckedAt: { not: null } }, { whoisCheckedAt: { not: null } }],
        AND: [notYet("warningAt", now), notYet("criticalAt", now), notYet("expiresAt", now)],
      };
    case "pending":
      return { hasError: false, sslCheckedAt: null, whoisCheckedAt: null };
  }
}
