// SSL checks: run the TLS probe for a domain, store the result as history, and copy the summary
// (grade, expiry, error, status boundaries) onto the domain row the list filters and sorts on.

import { createHash, randomUUID } from "node:crypto";
import type { AlertsService } from "../alerts/alerts.service.js";
import type { Db } from "../db/client.js";
import { type Domain, Prisma, type SslCheck } from "../db/generated/sqlite/client.js";
import { sqlTimestamp } from "../db/raw-sql.js";
import { domainWhere, probeTarget } from "../domains/domains.service.js";
import { healthSummary } from "../domains/health-summary.js";
import type { EventBus } from "../events/event-bus.js";
import { daysUntil } from "../lib/days.js";
import { badInput, notFound } from "../lib/errors.js";
import { sameJson } from "../lib/json.js";
import { type PagingInput, pagingSchema, readPage } from "../lib/paging.js";
import type { Telemetry } from "../lib/telemetry.js";
import { parseInput } from "../lib/validate.js";
import { type DecodedCsr, decodeCsr, MalformedCsr } from "../probes/tls/csr.js";
import { type Grade, gradeTls } from "../probes/tls/grade.js";
import type { ProtocolSupport, SuiteSupport } from "../probes/tls/scan/protocol-scan.js";
import type { TlsProbeResult, TlsTarget } from "../probes/tls/tls-probe.js";

export type TlsProber = (target: TlsTarget, options: { scanProtocols: boolean }) => Promise<TlsProbeResult>;

/** A probe result and its grade as an SslCheck row (also what `certpulse check --json` prints). */
export function sslCheckData(result: TlsProbeResult, { grade, reasons }: Grade) {
  return {
    checkedAt: result.checkedAt,
    error: result.error,
    address: result.address,
    addressName: result.addressName,
    addressGeo: result.addressGeo,
    http: (result.http ?? undefined) as Prisma.InputJsonObject | undefined,
    subject: result.subject,
    subjectParts: result.subjectParts ?? undefined,
    issuer: result.issuer,
    issuerParts: result.issuerParts ?? undefined,
    validFrom: result.validFrom,
    validTo: result.validTo,
    serialNumber: result.serialNumber,
    fingerprint256: result.fingerprint256,
    sans: result.sans ?? undefined,
    keyType: result.keyType,
    keySize: result.keySize,
    signatureAlgorithm: result.signatureAlgorithm,
    tlsVersion: result.tlsVersion,
    cipher: result.cipher,
    chainValid: result.chainValid,
    chainError: result.chainError,
    chainErrorCode: result.chainErrorCode,
    hostnameValid: result.hostnameValid,
    chain: result.chain?.map((c) => ({
      ...c,
      validFrom: c.validFrom.toISOString(),
      validTo: c.validTo.toISOString(),
    })),
    earliestExpiry: result.earliestExpiry,
    chainFingerprints: result.chainDer?.map(fingerprintOf),
    ocspStapled: result.ocspStapled,
    revocation: result.revocation
      ? { ...result.revocation, revokedAt: result.revocation.revokedAt?.toISOString() ?? null }
      : undefined,
    caa: (result.caa ?? undefined) as Prisma.InputJsonObject | undefined,
    hsts: result.error === null ? result.hsts !== null : null,
    hstsMaxAge: result.hsts?.maxAge ?? null,
    hstsIncludeSubdomains: result.hsts?.includeSubdomains ?? null,
    hstsPreload: result.hsts?.preload ?? null,
    protocols: result.protocols ?? undefined,
    cipherSuites: result.cipherSuites ?? undefined,
    grade,
    gradeReasons: reasons,
  } satisfies Omit<Prisma.SslCheckUncheckedCreateInput, "domainId">;
}

/** A certificate's SHA-256 fingerprint as Node writes it ("AB:CD:…"), the key it is stored under. */
export const fingerprintOf = (der: Buffer) =>
  (createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g) as string[]).join(":");

/** A CSR is a few kilobytes; this allows a 16,384-bit key with hundreds of names. */
const MAX_CSR_CHARS = 32 * 1024;

/** The registration's half of a domain's summary, which an SSL check combines with its own. */
const REGISTRATION_HALF = { whoisExpiresAt: true, whoisError: true } as const;
type RegistrationHalf = Pick<Domain, "whoisExpiresAt" | "whoisError">;

export class SslChecksService {
  constructor(
    private readonly db: Db,
    private readonly probe: TlsProber,
    private readonly alerts: AlertsService,
    private readonly events: EventBus,
    private readonly options: {
      /** How long a protocol-support scan stands: it costs four handshakes and changes rarely. */
      protocolScanMs: number;
      /** The expiry policy's share of a certificate's lifetime (CERTPULSE_ALERT_LIFETIME_PERCENT). */
      lifetimePercent: number;
      /** Which SQL dialect the raw certificate insert writes dates in. */
      provider: "sqlite" | "postgresql";
      telemetry: Telemetry;
    },
  ) {}

  /**
   * Probes the domain now, stores the check and updates the domain's summary. Protocol support is
   * rescanned once per scan interval; in between, the last scan's answer is carried forward so the
   * grade stays the same until the server really changes. Alerts are raised and resolved as of `now`.
   */
  /** Probes a target that is not stored yet, protocol scan included; `run` can then store the result. */
  probeNew(target: TlsTarget): Promise<TlsProbeResult> {
    return this.probe(target, { scanProtocols: true });
  }

  /** `probed`: a result of probeNew for this (new) domain, stored instead of probing again. */
  async run(domain: Domain, now = new Date(), probed?: TlsProbeResult): Promise<SslCheck> {
    const started = performance.now();
    // One read serves both the scan's reuse and the alert rules (which compare with the last good check).
    const lastGood = await this.db.sslCheck.findFirst({
      where: { domainId: domain.id, error: null },
      orderBy: [{ checkedAt: "desc" }, { id: "desc" }],
    });
    // A scan from before suites were enumerated (no cipherSuites) is redone.
    const scannedAt = lastGood?.protocols && lastGood.cipherSuites ? lastGood.protocolsScannedAt : null;
    const reuse = scannedAt !== null && scannedAt.getTime() > now.getTime() - this.options.protocolScanMs;
    const known = reuse
      ? {
          protocols: lastGood?.protocols as ProtocolSupport,
          cipherSuites: (lastGood?.cipherSuites ?? null) as SuiteSupport | null,
        }
      : null;
    const fresh = probed ?? (await this.probe(probeTarget(domain), { scanProtocols: known === null }));
    const result = fresh.error === null && known !== null ? { ...fresh, ...known } : fresh;
    const data = {
      ...sslCheckData(result, gradeTls(result, result.checkedAt)),
      protocolsScannedAt: result.protocols === null ? null : known !== null ? scannedAt : result.checkedAt,
    };
    const failed = result.error !== null;
    // A failed probe keeps the last certificate's expiry: it is still the best knowledge of it.
    const sslExpiry = failed ? domain.sslExpiresAt : (result.earliestExpiry ?? result.validTo);
    const sslError = result.error ?? result.chainError;
    // The certificate as last seen; a failed probe keeps the last one's (and so its expiry).
    const current = failed
      ? { sslValidFrom: domain.sslValidFrom, sslValidTo: domain.sslValidTo, sslExpiresAt: sslExpiry }
      : {
          sslGrade: data.grade,
          sslValidFrom: result.validFrom,
          sslValidTo: result.validTo,
          sslExpiresAt: sslExpiry,
        };
    const id = randomUUID();
    const summary = (registration: RegistrationHalf): Prisma.DomainUncheckedUpdateInput => ({
      sslCheckedAt: result.checkedAt,
      sslError,
      failureCount: failed ? { increment: 1 } : 0,
      ...(failed ? {} : current),
      ...healthSummary({ ...domain, ...registration, ...current, sslError }, this.options.lifetimePercent),
      latestSslCheckId: id,
    });
    // The summary joins this half with the registration's as it was read; if a lookup changed that
    // meanwhile (it runs beside this check), the domain is read again and the summary recomputed.
    // The chain's DER is stored once per certificate, and only when it differs from the last good
    // check's: an unchanged certificate costs no statement.
    const served = sameJson(data.chainFingerprints, lastGood?.chainFingerprints)
      ? []
      : (result.chainDer ?? []);
    const [check, { count }] = await this.db.$transaction([
      this.db.sslCheck.create({ data: { ...data, id, domainId: domain.id } }),
      this.db.domain.updateMany({
        where: { id: domain.id, whoisExpiresAt: domain.whoisExpiresAt, whoisError: domain.whoisError },
        data: summary(domain),
      }),
      ...(served.length > 0 ? [this.storeCertificates(served)] : []),
    ]);
    if (count === 0) {
      const fresh = await this.db.domain.findUnique({ where: { id: domain.id }, select: REGISTRATION_HALF });
      if (fresh) await this.db.domain.update({ where: { id: domain.id }, data: summary(fresh) });
    }
    this.options.telemetry.checkFinished({
      kind: "ssl",
      hostname: domain.hostname,
      port: domain.port,
      outcome: failed ? "error" : "ok",
      grade: check.grade,
      days: daysUntil(check.validTo, check.checkedAt),
      error: sslError,
      ms: performance.now() - started,
    });
    await this.alerts.afterSslCheck(domain, check, now, lastGood);
    this.events.publish("checkCompleted", domain.userId, {
      domainId: domain.id,
      hostname: domain.hostname,
      kind: "ssl",
      checkedAt: check.checkedAt,
      error: check.error,
      sslCheck: check,
      whoisCheck: null,
    });
    return check;
  }

  /**
   * Reads a CSR before a reissue; with a domain, also what it changes against the names the domain's
   * current certificate covers. A CSR that cannot be read is BAD_USER_INPUT with the reason.
   */
  async decodeCsr(userId: string, pem: string, domainId?: string | null): Promise<DecodedCsr> {
    if (pem.length > MAX_CSR_CHARS) throw badInput("csr: a CSR is at most 32 KiB");
    let current: { hostname: string; names: string[] | null } | undefined;
    if (domainId) {
      const domain = await this.db.domain.findFirst({
        where: { ...domainWhere(domainId), userId },
        select: { hostname: true, latestSslCheck: { select: { sans: true, error: true } } },
      });
      if (!domain) throw notFound("Domain not found");
      const check = domain.latestSslCheck;
      current = {
        hostname: domain.hostname,
        names: check && !check.error ? (check.sans as string[] | null) : null,
      };
    }
    try {
      return decodeCsr(pem, current);
    } catch (error) {
      if (error instanceof MalformedCsr) throw badInput(`csr: ${error.message}`);
      throw error;
    }
  }

  /** One INSERT of the certificates not yet stored (both providers skip a fingerprint already there). */
  private storeCertificates(chain: Buffer[]) {
    const at = sqlTimestamp(this.options.provider, new Date());
    const rows = chain.map((der) => Prisma.sql`(${fingerprintOf(der)}, ${der}, ${at})`);
    return this.db.$executeRaw`
      INSERT INTO "Certificate" ("fingerprint256", "der", "createdAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("fingerprint256") DO NOTHING`;
  }

  async pageFor(domainId: string, input: PagingInput) {
    const where = { domainId };
    return readPage(
      parseInput(pagingSchema, input),
      (window) =>
        this.db.sslCheck.findMany({ ...window, where, orderBy: [{ checkedAt: "desc" }, { id: "desc" }] }),
      () => this.db.sslCheck.count({ where }),
    );
  }
}
