// Each domain's state as Prometheus metrics, read at scrape time from the latest checks. Where
// blackbox_exporter or ssl_exporter have a metric that means the same, it has their name, so
// existing dashboards and alert rules work unchanged: probe_success, probe_ssl_earliest_cert_expiry,
// probe_tls_version_info (blackbox) and ssl_cert_not_after per chain position (ssl_exporter).
import { Gauge, Registry } from "prom-client";
import type { Db } from "../db/client.js";
import type { Prisma } from "../db/generated/sqlite/client.js";
import { domainStatus, STATUS_COLUMNS } from "./domain-status.js";

/** Whose domains a scrape sees: one user's, or everyone's (the operator's token, with an owner label). */
export type MetricsScope = { userId: string } | { all: true };

/** Read in pages of this many, so a scrape of 100,000 domains never holds them all at once. */
const BATCH = 1000;

const SELECT = {
  id: true,
  hostname: true,
  port: true,
  tags: true,
  sslGrade: true,
  sslValidTo: true,
  whoisExpiresAt: true,
  ...STATUS_COLUMNS,
  user: { select: { email: true } },
  latestSslCheck: {
    select: {
      error: true,
      chainValid: true,
      tlsVersion: true,
      earliestExpiry: true,
      validTo: true,
      serialNumber: true,
      chain: true,
    },
  },
} satisfies Prisma.DomainSelect;

/** "TLSv1.3" → "TLS 1.3", "TLSv1" → "TLS 1.0", as blackbox_exporter labels versions. */
const versionLabel = (version: string) =>
  version.replace(
    /^(TLS|SSL)v(\d)(?:\.(\d))?$/,
    (_, kind: string, major: string, minor?: string) => `${kind} ${major}.${minor ?? "0"}`,
  );

/** The CN of a distinguished name as the probe writes it ("CN=example.com, O=Example"). */
const commonName = (dn: string | undefined) => /(?:^|, )CN=([^,]*)/.exec(dn ?? "")?.[1] ?? "";

/** Tags as one label, comma-fenced (",prod,eu,"), so a rule can match one with tags=~".*,prod,.*". */
const tagsLabel = (tags: unknown) => (Array.isArray(tags) && tags.length > 0 ? `,${tags.join(",")},` : "");

const seconds = (date: Date) => date.getTime() / 1000;

interface ChainEntry {
  subject?: string;
  issuer?: string;
  validTo?: string;
}

export async function domainMetrics(db: Db, scope: MetricsScope, now = new Date()): Promise<string> {
  const registry = new Registry();
  const owner = "all" in scope;
  const base = ["hostname", "port", "domain_id", "tags", ...(owner ? ["owner"] : [])];
  const gauge = (name: string, help: string, extra: string[] = []) =>
    new Gauge({ name, help, labelNames: [...base, ...extra], registers: [registry] });
  const success = gauge("probe_success", "1 when the last TLS check read a certificate with a trusted chain");
  const earliest = gauge(
    "probe_ssl_earliest_cert_expiry",
    "Unix time the first certificate of the served chain expires",
  );
  const version = gauge("probe_tls_version_info", "The TLS version the last check negotiated", ["version"]);
  const notAfter = gauge("ssl_cert_not_after", "Unix time each certificate of the chain expires", [
    "position",
    "cn",
    "issuer_cn",
    "serial_no",
  ]);
  const grade = gauge("certpulse_ssl_grade_info", "The domain's grade (SSL Labs rating guide)", ["grade"]);
  // Seconds, not days: Prometheus' base unit (promtool's lint refuses a metric named in days).
  const remaining = gauge("certpulse_ssl_remaining_seconds", "Seconds until the certificate expires");
  const registration = gauge(
    "certpulse_registration_expiry_timestamp_seconds",
    "Unix time the domain's registration expires",
  );
  const status = gauge("certpulse_domain_status", "1 for the domain's current status", ["status"]);
  const alerts = gauge("certpulse_open_alerts", "Unresolved alerts of the domain by severity", ["severity"]);

  const where: Prisma.DomainWhereInput = "userId" in scope ? { userId: scope.userId } : {};
  let cursor: string | undefined;
  for (;;) {
    const page = await db.domain.findMany({
      where,
      select: SELECT,
      orderBy: { id: "asc" },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (page.length === 0) break;
    cursor = page[page.length - 1]?.id;
    const open = await db.alert.groupBy({
      by: ["domainId", "severity"],
      where: { domainId: { in: page.map((d) => d.id) }, resolvedAt: null },
      _count: { _all: true },
    });
    const openOf = new Map(open.map((row) => [`${row.domainId} ${row.severity}`, row._count._all]));
    for (const d of page) {
      const labels: Record<string, string | number> = {
        hostname: d.hostname,
        port: d.port,
        domain_id: d.id,
        tags: tagsLabel(d.tags),
        ...(owner ? { owner: d.user.email } : {}),
      };
      status.set({ ...labels, status: domainStatus(d, now) }, 1);
      for (const severity of ["info", "warning", "critical"]) {
        alerts.set({ ...labels, severity }, openOf.get(`${d.id} ${severity}`) ?? 0);
      }
      if (d.whoisExpiresAt) registration.set(labels, seconds(d.whoisExpiresAt));
      const check = d.latestSslCheck;
      if (!check) continue;
      success.set(labels, check.error === null && check.chainValid === true ? 1 : 0);
      if (d.sslGrade) grade.set({ ...labels, grade: d.sslGrade }, 1);
      if (d.sslValidTo) remaining.set(labels, Math.round((d.sslValidTo.getTime() - now.getTime()) / 1000));
      if (check.error !== null) continue;
      const expiry = check.earliestExpiry ?? check.validTo;
      if (expiry) earliest.set(labels, seconds(expiry));
      if (check.tlsVersion) version.set({ ...labels, version: versionLabel(check.tlsVersion) }, 1);
      const chain = (Array.isArray(check.chain) ? check.chain : []) as ChainEntry[];
      chain.forEach((cert, position) => {
        if (!cert.validTo) return;
        notAfter.set(
          {
            ...labels,
            position,
            cn: commonName(cert.subject),
            issuer_cn: commonName(cert.issuer),
            serial_no: position === 0 ? (check.serialNumber ?? "") : "",
          },
          seconds(new Date(cert.validTo)),
        );
      });
    }
    if (page.length < BATCH) break;
  }
  return registry.metrics();
}
