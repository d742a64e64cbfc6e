// The certificate a domain serves, as its last successful check saw it: the summary an owner feeds
// into dashboards (status, validity, names, issuer, key), the chain as served (the DER each check
// stored once per fingerprint) as PEM or as a ZIP of the leaf, each intermediate and the full chain,
// and which of the user's domains serve the same certificate.
import { X509Certificate } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import type { Db } from "../db/client.js";
import type { SslCheck } from "../db/generated/sqlite/client.js";
import { chainEntry } from "../probes/tls/certificate-info.js";

export interface ServedCertificate {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  fingerprint256: string;
  pem: string;
}

export interface ServedChain {
  domain: { id: string; hostname: string; port: number };
  /** The successful check this is from. */
  check: SslCheck;
  /** valid, expired, not_yet_valid, or what is wrong with the chain (its verdict code, lower case). */
  status: string;
  /** As served, leaf first; empty for a check made before chains were kept. */
  chain: ServedCertificate[];
}

/** A stored certificate as a chain listing shows it (the probe's own words), with its PEM. */
function served(der: Buffer): ServedCertificate {
  const cert = new X509Certificate(der);
  return { ...chainEntry(cert), fingerprint256: cert.fingerprint256, pem: cert.toString() };
}

function statusOf(check: SslCheck, now: Date): string {
  if (check.validTo && check.validTo <= now) return "expired";
  if (check.validFrom && check.validFrom > now) return "not_yet_valid";
  if (check.chainValid) return "valid";
  return check.chainErrorCode?.toLowerCase() ?? "untrusted";
}

/** The chain as one PEM file, leaf first: what a server's certificate file holds. */
export const pemBundle = (chain: ServedCertificate[]) => chain.map((cert) => cert.pem).join("");

/** A file name from a hostname: `*.example.com` becomes `star.example.com`. */
const fileName = (hostname: string) => hostname.replace(/^\*\./, "star.").replace(/[^a-z0-9.-]/gi, "_");

/**
 * The ZIP an owner installs from: the leaf (`<host>.crt`), each intermediate (`intermediate-N.crt`),
 * the intermediates alone (`chain.pem`) and everything (`fullchain.pem`), dated as the check saw them.
 */
export function chainZip(served: ServedChain): Uint8Array {
  const [leaf, ...intermediates] = served.chain;
  const mtime = served.check.checkedAt;
  const files: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const add = (name: string, text: string) => {
    files[name] = [strToU8(text), { mtime }];
  };
  if (leaf) add(`${fileName(served.domain.hostname)}.crt`, leaf.pem);
  for (const [i, cert] of intermediates.entries()) add(`intermediate-${i + 1}.crt`, cert.pem);
  if (intermediates.length > 0) add("chain.pem", pemBundle(intermediates));
  add("fullchain.pem", pemBundle(served.chain));
  return zipSync(files, { level: 6 });
}

export class ServedCertificatesService {
  constructor(private readonly db: Db) {}

  /**
   * The certificate of a domain the caller has already read as its own, as its newest successful
   * check saw it; null before any succeeded.
   */
  async of(domain: ServedChain["domain"], now = new Date()): Promise<ServedChain | null> {
    const check = await this.db.sslCheck.findFirst({
      where: { domainId: domain.id, error: null },
      orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
    });
    if (!check) return null;
    const fingerprints = (check.chainFingerprints as string[] | null) ?? [];
    const rows = await this.db.certificate.findMany({ where: { fingerprint256: { in: fingerprints } } });
    const byPrint = new Map(rows.map((row) => [row.fingerprint256, row.der]));
    const chain = fingerprints.flatMap((print) => {
      const der = byPrint.get(print);
      return der ? [served(Buffer.from(der))] : [];
    });
    return { domain, check, status: statusOf(check, now), chain };
  }

  /** The user's domains whose newest check saw this leaf certificate. */
  servedBy(userId: string, fingerprint256: string | null) {
    if (!fingerprint256) return Promise.resolve([]);
    return this.db.domain.findMany({
      where: { userId, latestSslCheck: { fingerprint256, error: null } },
      orderBy: [{ hostname: "asc" }, { port: "asc" }],
      select: { id: true, number: true, hostname: true, port: true },
    });
  }
}
