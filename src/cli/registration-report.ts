// The registration part of `certpulse check`: a readable block, or the fields of
// GET /domains/{id}/whois for --json.

import { whoisCheckJson } from "../checks/whois-check-json.js";
import { whoisCheckData } from "../checks/whois-checks.service.js";
import { daysUntil, isoDay } from "../lib/days.js";
import type { RegistrationResult } from "../probes/registration/registration.js";

export function registrationReport(result: RegistrationResult): string {
  const lines = [
    `Registration of ${result.domain}${result.source ? ` (${result.source.toUpperCase()}, ${result.server ?? "no answer"})` : ""}`,
  ];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(10)}${value}`);
  if (result.outcome !== "registered") {
    row("Outcome", result.outcome.replace("_", " "));
    row("Error", result.error ?? "");
    if (result.retryAfter) row("Retry", `after ${result.retryAfter.toISOString()}`);
    return lines.join("\n");
  }
  row(
    "Registrar",
    `${result.registrar ?? "not named"}${result.registrarIanaId ? ` (IANA ${result.registrarIanaId})` : ""}`,
  );
  row("Created", isoDay(result.createdDate));
  row(
    "Expires",
    result.expiryDate
      ? `${isoDay(result.expiryDate)} (${daysUntil(result.expiryDate, result.checkedAt)} days left)`
      : `unknown: ${result.expiryNote}`,
  );
  row("DNSSEC", result.dnssec === null ? "not stated" : result.dnssec ? "signed" : "unsigned");
  row("NS", result.nameservers.join(", "));
  row("Status", result.statuses.join(", "));
  return lines.join("\n");
}

export function registrationJson(result: RegistrationResult) {
  const {
    id: _id,
    domain_id: _domainId,
    ...fields
  } = whoisCheckJson({
    ...whoisCheckData(result),
    daysRemaining: daysUntil(result.expiryDate, result.checkedAt),
  });
  return fields;
}

/** Whether the registration itself is a problem (a failed lookup is not: it says nothing). */
export const registrationBad = (result: RegistrationResult) =>
  result.outcome === "not_registered" ||
  (result.expiryDate !== null && result.expiryDate <= result.checkedAt);
