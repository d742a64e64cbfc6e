// POST /check: both checks of a domain now, with the summaries the spec shows (extras after).

import { lower } from "../../../lib/json.js";
import { camelKeys, type Route } from "../route.js";

type Row = Record<string, unknown>;

export const manualCheckRoutes: Route[] = [
  {
    method: "POST",
    path: "/check",
    summary: "Check a domain now: certificate and registration",
    responses: { 200: "ManualCheck" },
    document: `mutation ($input: CheckDomainInput!) { checkDomain(input: $input) {
      ssl { subject issuer validTo daysRemaining grade tlsVersion chainValid checkedAt error }
      whois { registrar expiryDate daysRemaining checkedAt outcome error }
    } }`,
    variables: ({ body }) => ({ input: camelKeys(body) }),
    render: ({ checkDomain }) => {
      const { ssl, whois } = checkDomain as { ssl: Row; whois: Row | null };
      return {
        status: 200,
        body: {
          ssl: {
            subject: ssl.subject,
            issuer: ssl.issuer,
            valid_to: ssl.validTo,
            days_remaining: ssl.daysRemaining,
            grade: ssl.grade,
            tls_version: ssl.tlsVersion,
            chain_valid: ssl.chainValid,
            checked_at: ssl.checkedAt,
            error: ssl.error,
          },
          whois: whois && {
            registrar: whois.registrar,
            expiry_date: whois.expiryDate,
            days_remaining: whois.daysRemaining,
            checked_at: whois.checkedAt,
            outcome: lower(whois.outcome),
            error: whois.error,
          },
        },
      };
    },
  },
];
