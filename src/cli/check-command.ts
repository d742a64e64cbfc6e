// `certpulse check HOST[:PORT]`: the TLS and registration probes from the command line, with no
// database. A readable report, or with --json {"ssl": …, "whois": …} holding the fields of
// GET /domains/{id}/ssl and /whois, as POST /check pairs them. Exit status: 0 when the certificate is
// valid and the domain registered, 1 when either is not, 2 when the TLS probe failed.
import { isIP } from "node:net";
import { registrationProbeOptions, tlsProbeOptions } from "../app/probe-options.js";
import { sslCheckJson } from "../checks/ssl-check-json.js";
import { sslCheckData } from "../checks/ssl-checks.service.js";
import type { Config } from "../config.js";
import { hasPublicRegistration, registrableDomain } from "../domains/hostname.js";
import { isoDay } from "../lib/days.js";
import { probeRegistration } from "../probes/registration/registration-probe.js";
import { STARTTLS_PROTOCOLS, type StartTlsProtocol, startTlsFor } from "../probes/starttls/starttls.js";
import { gradeTls } from "../probes/tls/grade.js";
import { describeSuites, protocolList } from "../probes/tls/scan/protocol-scan.js";
import { probeTls, type TlsProbeResult } from "../probes/tls/tls-probe.js";
import { TLS_VERSIONS } from "../probes/tls/trust-store.js";
import { registrationBad, registrationJson, registrationReport } from "./registration-report.js";

/** "example.com", "example.com:8443", "[2001:db8::1]:443" → host and port. */
export function parseTarget(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3] ?? 443);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`expected HOST or HOST:PORT with a port from 1 to 65535, got "${text}"`);
  }
  return { host: host.toLowerCase(), port };
}

function report(result: TlsProbeResult, grade: string | null, reasons: string[]): string {
  const lines = [`${result.host}:${result.port}${result.address ? ` (${result.address})` : ""}`];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(10)}${value}`);
  if (result.error !== null) {
    row("Error", result.error);
    return lines.join("\n");
  }
  row("Grade", grade ?? "none");
  for (const reason of reasons) row("", `- ${reason}`);
  row("Subject", result.subject ?? "");
  row("Issuer", result.issuer ?? "");
  row(
    "Valid",
    `${isoDay(result.validFrom)} to ${isoDay(result.validTo)} (${result.daysRemaining} days left)`,
  );
  if (result.earliestExpiry && result.validTo && result.earliestExpiry < result.validTo) {
    row("", `the chain expires first, on ${isoDay(result.earliestExpiry)}`);
  }
  row("SANs", (result.sans ?? []).join(", "));
  row("Key", `${result.keyType} ${result.keySize} bits, signed ${result.signatureAlgorithm}`);
  row("Serial", result.serialNumber ?? "");
  row("SHA-256", result.fingerprint256 ?? "");
  const accepted = result.protocols
    ? TLS_VERSIONS.filter((v) => result.protocols?.[v]).join(", ")
    : "not scanned";
  row("TLS", `${result.tlsVersion}, ${result.cipher}; accepts ${accepted}`);
  for (const { protocol, suites } of result.cipherSuites ?? []) {
    row(protocol, "");
    for (const suite of suites) {
      const group = suite.group
        ? ` (${suite.group === "ffdhe" ? `DH ${suite.groupBits} bits` : suite.group})`
        : "";
      lines.push(`    ${suite.name}${group}`);
    }
  }
  row("Trust", result.chainValid ? "valid" : `NOT VALID: ${result.chainError}`);
  const hsts = result.hsts;
  row(
    "HSTS",
    hsts
      ? `max-age=${hsts.maxAge}${hsts.includeSubdomains ? "; includeSubDomains" : ""}${hsts.preload ? "; preload" : ""}`
      : "none",
  );
  row("OCSP", result.ocspStapled ? "stapled" : "not stapled");
  const revocation = result.revocation;
  if (revocation) {
    const source = revocation.source
      ? ` (${[revocation.source, revocation.url].filter(Boolean).join(" ")})`
      : "";
    const verdict = {
      good: "no",
      revoked: `YES${revocation.revokedAt ? `, on ${revocation.revokedAt.toISOString()}` : ""}${revocation.reason ? `, ${revocation.reason}` : ""}`,
      unknown: "unknown to the issuer's responder",
      unavailable: "could not be told",
    }[revocation.status];
    row("Revoked", `${verdict}${source}${revocation.detail ? `: ${revocation.detail}` : ""}`);
  }
  const caa = result.caa;
  if (caa) {
    const verdict = { allowed: "allows", refused: "REFUSES", unavailable: "could not be read for" }[
      caa.status
    ];
    row("CAA", `${verdict} ${caa.issuer} (${caa.caaDomains.join(", ")})`);
    for (const name of caa.names) {
      const records = name.foundAt
        ? `at ${name.foundAt}: issue ${name.issue.join(", ") || "-"}`
        : "no records";
      lines.push(`    ${name.name}: ${name.problem ?? records}`);
    }
  }
  const http = result.http;
  if (http) {
    const title = http.title ? ` "${http.title}"` : "";
    row(
      "HTTP",
      http.status === null ? `no answer: ${http.error}` : `${http.status} for ${http.path}${title}`,
    );
  }
  if (result.addressName || result.addressGeo) {
    row("Address", [result.address, result.addressName, result.addressGeo].filter(Boolean).join(", "));
  }
  row("Chain", "");
  for (const [i, cert] of (result.chain ?? []).entries()) {
    lines.push(`    ${i + 1}. ${cert.subject}  (issuer ${cert.issuer}; until ${isoDay(cert.validTo)})`);
  }
  return lines.join("\n");
}

export async function checkCommand(
  config: Config,
  target: string,
  flags: { json?: boolean; address?: string; "ssl-only"?: boolean; starttls?: string },
): Promise<number> {
  const { host, port } = parseTarget(target);
  const setting = flags.starttls?.toLowerCase();
  if (
    setting !== undefined &&
    setting !== "tls" &&
    !(STARTTLS_PROTOCOLS as readonly string[]).includes(setting)
  ) {
    throw new Error(
      `--starttls must be tls or one of ${STARTTLS_PROTOCOLS.join(", ")}, got "${flags.starttls}"`,
    );
  }
  const startTls = startTlsFor(port, setting as StartTlsProtocol | "tls" | undefined);
  // A name no registry holds (app.internal, *.test, app.github.io) has no registration to look up.
  const applies = isIP(host) === 0 && hasPublicRegistration(host);
  const lookUp = !flags["ssl-only"] && applies;
  const registration = lookUp ? registrationProbeOptions(config) : null;
  const tls = tlsProbeOptions(config);
  const [result, whois] = await Promise.all([
    probeTls({ host, port, address: flags.address, startTls }, tls),
    registration && probeRegistration(registrableDomain(host), registration),
  ]);
  await Promise.all([registration?.http.close(), tls.close()]);
  const { grade, reasons } = gradeTls(result, result.checkedAt);
  if (flags.json) {
    const data = sslCheckData(result, { grade, reasons });
    const {
      id: _id,
      domain_id: _domainId,
      ...fields
    } = sslCheckJson({
      ...data,
      daysRemaining: result.daysRemaining,
      protocols: result.protocols && protocolList(result.protocols),
      cipherSuites: result.cipherSuites && describeSuites(result.cipherSuites),
    });
    console.log(JSON.stringify({ ssl: fields, whois: whois && registrationJson(whois) }, null, 2));
  } else {
    console.log(report(result, grade, reasons));
    if (whois) console.log(`\n${registrationReport(whois)}`);
    else if (!flags["ssl-only"] && !applies) {
      console.log(`\nRegistration: not applicable (no public registry holds ${host})`);
    }
  }
  if (result.error !== null) return 2;
  const current = result.validTo !== null && result.validTo > result.checkedAt;
  return result.chainValid && current && !(whois && registrationBad(whois)) ? 0 : 1;
}
