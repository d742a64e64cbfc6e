// Whether a certificate has been revoked, the way a careful client finds out: the OCSP response the
// server stapled; failing that, the responders its AIA names; failing those, its CRL distribution
// points. Every answer must come from the issuer and be current (ocsp.ts, crl.ts). Answers are kept
// until the source's next update (at most an hour), and one CRL download serves every certificate it
// covers, so checking many domains of one CA costs the CA one request.
import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AuthorityInfoAccessSyntax,
  CRLDistributionPoints,
  id_ad_ocsp,
  id_ce_cRLDistributionPoints,
  id_pe_authorityInfoAccess,
} from "@peculiar/asn1-x509";
import { LRUCache } from "lru-cache";
import type { ProxyTarget } from "../net/proxy-tunnel.js";
import { type CrlIndex, crlAnswer, readCrl } from "./crl.js";
import { ocspRequest, readOcspResponse } from "./ocsp.js";
import { type Parsed, parsed, type RevocationAnswer, UnusableAnswer } from "./revocation-answer.js";

export type RevocationStatus = "good" | "revoked" | "unknown" | "unavailable";

export interface Revocation {
  /** good / revoked: a current answer from the issuer; unknown: its responder does not know the certificate; unavailable: no answer. */
  status: RevocationStatus;
  /** Where the answer came from. */
  source: "stapled" | "ocsp" | "crl" | null;
  /** The responder or CRL asked (null for a stapled answer). */
  url: string | null;
  revokedAt: Date | null;
  /** RFC 5280's reason name ("keyCompromise"), when the source gives one. */
  reason: string | null;
  /** What went wrong on the way to the answer, in words (every source tried); null when nothing did. */
  detail: string | null;
}

/** A domain's proxy, at the address the probe reached it on (past the address guard). */
export type Via = ProxyTarget & { address: string };

/** One HTTP exchange with a responder or a CRL server (through `via` when given): the status and the body's bytes. */
export type RevocationFetch = (
  url: string,
  request: { body?: Buffer; accept: string },
  signal: AbortSignal,
  via?: Via,
) => Promise<{ status: number; body: Buffer }>;

export interface RevocationChecker {
  /**
   * `chain`: leaf first, its issuer next (as the probe links it); `via`: the domain's proxy, which
   * the sources are asked through as the server was. Null for a certificate nothing can revoke: a
   * self-signed one.
   */
  check(
    chain: X509Certificate[],
    stapled: Buffer | null,
    signal: AbortSignal,
    now: Date,
    via?: Via,
  ): Promise<Revocation | null>;
}

/** How long an answer is reused at most: a revocation shows within the hour even if the CA's answers last a week. */
const MAX_REUSE_MS = 60 * 60_000;

function extension<T>(cert: Parsed, oid: string, type: new () => T): T | null {
  const found = cert.asn.tbsCertificate.extensions?.find((e) => e.extnID === oid);
  return found ? AsnConvert.parse(found.extnValue.buffer, type) : null;
}

const httpOnly = (urls: (string | undefined)[]) =>
  urls.filter((url): url is string => url !== undefined && /^https?:\/\//i.test(url));

/** The OCSP responders the certificate's AIA names (http only: RFC 6960 speaks HTTP). */
export function ocspUrls(cert: Parsed): string[] {
  const aia = extension(cert, id_pe_authorityInfoAccess, AuthorityInfoAccessSyntax) ?? [];
  return httpOnly(
    aia.filter((d) => d.accessMethod === id_ad_ocsp).map((d) => d.accessLocation.uniformResourceIdentifier),
  );
}

/** The CRLs its distribution points name (http only: LDAP ones are skipped). */
export function crlUrls(cert: Parsed): string[] {
  const points = extension(cert, id_ce_cRLDistributionPoints, CRLDistributionPoints) ?? [];
  return httpOnly(
    points.flatMap((p) => p.distributionPoint?.fullName?.map((n) => n.uniformResourceIdentifier) ?? []),
  );
}

const reuseFor = (answer: { nextUpdate: Date | null }, now: Date) =>
  Math.min(MAX_REUSE_MS, (answer.nextUpdate?.getTime() ?? now.getTime()) - now.getTime());

export function revocationChecker({
  fetch,
  cacheSize = 5000,
}: {
  fetch: RevocationFetch;
  cacheSize?: number;
}): RevocationChecker {
  const answers = new LRUCache<string, RevocationAnswer & { url: string }>({ max: cacheSize });
  // Concurrent checks of one CA's certificates share one download (fetch dedupes what is in flight);
  // a caller whose deadline passes stops waiting, and the download still fills the cache for the next.
  const crls = new LRUCache<string, CrlIndex, { url: string; issuer: Parsed; now: Date; via?: Via }>({
    max: 64,
    // Counted in entries, so a few huge CRLs cannot hold hundreds of megabytes between them.
    maxSize: 2_000_000,
    sizeCalculation: (index) => index.revoked.size + 1,
    ignoreFetchAbort: true,
    fetchMethod: async (_key, _stale, { signal, options, context }) => {
      const answer = await fetch(context.url, { accept: "application/pkix-crl" }, signal, context.via);
      if (answer.status !== 200) throw new UnusableAnswer(`${context.url} answered HTTP ${answer.status}`);
      const index = readCrl(answer.body, context.issuer, context.now);
      const ttl = reuseFor(index, context.now);
      if (ttl > 0) options.ttl = ttl;
      else options.noUpdateTTL = true;
      return index;
    },
  });

  async function askResponder(
    url: string,
    leaf: Parsed,
    issuer: Parsed,
    signal: AbortSignal,
    now: Date,
    via?: Via,
  ) {
    const key = `${issuer.x509.fingerprint256} ${leaf.x509.serialNumber}`;
    const known = answers.get(key);
    if (known) return known;
    const reply = await fetch(
      url,
      { body: ocspRequest(leaf, issuer), accept: "application/ocsp-response" },
      signal,
      via,
    );
    if (reply.status !== 200) throw new UnusableAnswer(`${url} answered HTTP ${reply.status}`);
    const answer = { ...readOcspResponse(reply.body, leaf, issuer, now), url };
    const ttl = reuseFor(answer, now);
    if (ttl > 0) answers.set(key, answer, { ttl });
    return answer;
  }

  return {
    async check(chain, stapled, signal, now, via) {
      const [leafCert, issuerCert] = chain;
      if (!leafCert || leafCert.checkIssued(leafCert)) return null;
      const result = (
        answer: RevocationAnswer,
        source: Revocation["source"],
        url: string | null,
        detail: string[],
      ) => ({
        status: answer.status,
        source,
        url,
        revokedAt: answer.revokedAt,
        reason: answer.reason,
        detail: detail.length > 0 ? detail.join("; ") : null,
      });
      const unavailable = (detail: string[]): Revocation => ({
        status: "unavailable",
        source: null,
        url: null,
        revokedAt: null,
        reason: null,
        detail: detail.join("; "),
      });
      if (!issuerCert || !leafCert.checkIssued(issuerCert)) {
        return unavailable(["the issuer's certificate is not known, so no answer about it can be verified"]);
      }
      const leaf = parsed(leafCert);
      const issuer = parsed(issuerCert);
      const problems: string[] = [];
      const failed = (where: string, error: unknown) =>
        problems.push(`${where}: ${error instanceof UnusableAnswer ? error.message : describe(error)}`);
      let unknown: Revocation | null = null;

      if (stapled) {
        try {
          const answer = readOcspResponse(stapled, leaf, issuer, now);
          if (answer.status !== "unknown") return result(answer, "stapled", null, problems);
          unknown = result(answer, "stapled", null, []);
        } catch (error) {
          failed("the stapled OCSP response", error);
        }
      }
      const responders = ocspUrls(leaf);
      for (const url of responders) {
        try {
          const answer = await askResponder(url, leaf, issuer, signal, now, via);
          if (answer.status !== "unknown") return result(answer, "ocsp", url, problems);
          unknown ??= result(answer, "ocsp", url, []);
        } catch (error) {
          failed(url, error);
        }
        if (signal.aborted) break;
      }
      const lists = crlUrls(leaf);
      for (const url of lists) {
        if (signal.aborted) break;
        try {
          const index = await crls.fetch(`${url} ${issuer.x509.fingerprint256}`, {
            context: { url, issuer, now, via },
            signal,
          });
          if (index) return result(crlAnswer(index, leaf), "crl", url, problems);
        } catch (error) {
          failed(url, error);
        }
      }
      if (unknown)
        return {
          ...unknown,
          detail: [`the responder does not know the certificate`, ...problems].join("; "),
        };
      if (responders.length === 0 && lists.length === 0 && !stapled) {
        return unavailable(["the certificate names no OCSP responder or CRL, and none was stapled"]);
      }
      return unavailable(problems);
    },
  };
}

function describe(error: unknown): string {
  if ((error as Error)?.name === "AbortError" || (error as Error)?.name === "TimeoutError") {
    return "no answer before the probe's deadline";
  }
  return (error as Error)?.message ?? String(error);
}
