// /domains/{id}/ssl: the latest SSL check of a domain; /domains/{id}/certificate: the certificate it
// serves, as JSON (its summary), PEM (the chain as served) or a ZIP of the files.

import { sslCheckJson } from "../../../checks/ssl-check-json.js";
import { badInput } from "../../../lib/errors.js";
import type { RestResponse, Route } from "../route.js";
import { SSL_CHECK_FIELDS } from "../selections.js";

type Row = Record<string, unknown>;

const NOT_YET: RestResponse = { status: 404, body: { error: "No SSL check has run for this domain yet" } };

export const sslCheckRoutes: Route[] = [
  {
    method: "GET",
    path: "/domains/:id/ssl",
    summary: "The domain's latest SSL check",
    responses: { 200: "SslCheck" },
    document: `query ($id: ID!) { domain(id: $id) { latestSslCheck { ${SSL_CHECK_FIELDS} } } }`,
    variables: ({ params }) => ({ id: params.id }),
    render: (data) => {
      const latest = (data.domain as { latestSslCheck: Row | null }).latestSslCheck;
      return latest ? { status: 200, body: sslCheckJson(latest) } : NOT_YET;
    },
  },
];

const FORMATS = ["json", "pem", "zip"] as const;
type Format = (typeof FORMATS)[number];
const formatOf = (query: URLSearchParams): Format => {
  const format = (query.get("format") ?? "json").toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw badInput("format must be json, pem or zip");
  return format as Format;
};
const NO_CERTIFICATE: RestResponse = {
  status: 404,
  body: { error: "No successful SSL check has run for this domain yet" },
};

/** A summary's JSON: the certificate, the chain as served (without the PEMs), the user's domains serving it. */
function summaryJson(c: Row) {
  return {
    status: c.status,
    checked_at: c.checkedAt,
    subject: c.subject,
    issuer: c.issuer,
    valid_from: c.validFrom,
    valid_to: c.validTo,
    days_remaining: c.daysRemaining,
    names: c.names,
    key_type: c.keyType,
    key_size: c.keySize,
    signature_algorithm: c.signatureAlgorithm,
    serial_number: c.serialNumber,
    fingerprint_sha256: c.fingerprint256,
    chain: (c.chain as Row[]).map((cert) => ({
      subject: cert.subject,
      issuer: cert.issuer,
      valid_from: cert.validFrom,
      valid_to: cert.validTo,
      fingerprint_sha256: cert.fingerprint256,
    })),
    served_by: c.servedBy,
  };
}

sslCheckRoutes.push({
  method: "GET",
  path: "/domains/:id/certificate",
  summary:
    "The certificate the domain serves, as its newest successful check saw it: format=json (the summary, default), pem (the chain as served, leaf first) or zip (the leaf, each intermediate, chain.pem and fullchain.pem)",
  responses: {
    200: {
      "application/json": "CertificateSummary",
      "application/x-pem-file": "string",
      "application/zip": "string",
    },
  },
  parameters: { format: "json (default), pem or zip" },
  document: `query ($id: ID!, $pem: Boolean!, $zip: Boolean!) { domain(id: $id) { hostname certificate {
    status checkedAt subject issuer validFrom validTo daysRemaining names keyType keySize signatureAlgorithm
    serialNumber fingerprint256 chain { subject issuer validFrom validTo fingerprint256 }
    servedBy { id number hostname port } pem @include(if: $pem) zip @include(if: $zip)
  } } }`,
  variables: ({ params, query }) => {
    const format = formatOf(query);
    return { id: params.id, pem: format === "pem", zip: format === "zip" };
  },
  render: (data, { query }) => {
    const domain = data.domain as { hostname: string; certificate: Row | null };
    const c = domain.certificate;
    if (!c) return NO_CERTIFICATE;
    const format = formatOf(query);
    if (format === "json") return { status: 200, body: summaryJson(c) };
    const file = domain.hostname.replace(/^\*\./, "star.");
    if (c.pem === null || c.zip === null)
      return { status: 404, body: { error: "This check did not keep the chain; check again" } };
    return format === "pem"
      ? {
          status: 200,
          body: null,
          text: c.pem as string,
          headers: {
            "content-type": "application/x-pem-file",
            "content-disposition": `attachment; filename="${file}.pem"`,
          },
        }
      : {
          status: 200,
          body: null,
          binary: Buffer.from(c.zip as string, "base64"),
          headers: {
            "content-type": "application/zip",
            "content-disposition": `attachment; filename="${file}.zip"`,
          },
        };
  },
});
