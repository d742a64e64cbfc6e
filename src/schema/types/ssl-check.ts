// SslCheck: one stored run of the TLS probe, and the domain's latest check and check history.
import type { Prisma } from "../../db/generated/sqlite/client.js";
import { daysUntil } from "../../lib/days.js";
import type { CaaVerdict } from "../../probes/caa/caa.js";
import { CHAIN_VERDICTS, type ChainVerdict } from "../../probes/tls/chain-verdict.js";
import type { HttpAnswer, HttpHeader, HttpRedirect } from "../../probes/tls/http-answer.js";
import {
  describeSuites,
  type ProtocolSupport,
  protocolList,
  type SuiteSupport,
} from "../../probes/tls/scan/protocol-scan.js";
import type { TlsVersion } from "../../probes/tls/trust-store.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { pageComplexity, pageOf } from "../page.js";
import { CaaCheckType, RevocationType, type StoredRevocation } from "./certificate.js";
import { Domain } from "./domain.js";

interface StoredChainCertificate {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

const ChainCertificate = builder.objectRef<StoredChainCertificate>("ChainCertificate").implement({
  fields: (t) => ({
    subject: t.exposeString("subject"),
    issuer: t.exposeString("issuer"),
    validFrom: t.field({ type: "DateTime", resolve: (c) => new Date(c.validFrom) }),
    validTo: t.field({ type: "DateTime", resolve: (c) => new Date(c.validTo) }),
  }),
});

type DescribedSuite = ReturnType<typeof describeSuites>[number]["suites"][number];

const AcceptedSuiteType = builder.objectRef<DescribedSuite>("AcceptedCipherSuite").implement({
  description: "A cipher suite the server accepts, as the rating guide judges it",
  fields: (t) => ({
    name: t.exposeString("name", { description: "IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" }),
    opensslName: t.exposeString("opensslName", { nullable: true }),
    keyExchange: t.exposeString("keyExchange", {
      nullable: true,
      description: "RSA, DHE, ECDHE, DH_anon, ECDH_anon or TLS13",
    }),
    bits: t.exposeInt("bits", { nullable: true }),
    forwardSecrecy: t.exposeBoolean("forwardSecrecy", { nullable: true }),
    aead: t.exposeBoolean("aead", { nullable: true }),
    group: t.exposeString("group", {
      nullable: true,
      description: "The key-exchange group: x25519, secp256r1… or ffdhe (finite-field DHE)",
    }),
    groupBits: t.exposeInt("groupBits", {
      nullable: true,
      description: "The DHE prime's bits, or the curve's",
    }),
  }),
});

const ProtocolSuitesType = builder
  .objectRef<ReturnType<typeof describeSuites>[number]>("ProtocolCipherSuites")
  .implement({
    description: "The cipher suites the server accepts at one protocol version, in its order of preference",
    fields: (t) => ({
      protocol: t.exposeString("protocol", { description: "SSLv3, TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3" }),
      secureRenegotiation: t.exposeBoolean("secureRenegotiation", {
        nullable: true,
        description: "Whether the server supports secure renegotiation (RFC 5746); null for TLS 1.3",
      }),
      suites: t.field({ type: [AcceptedSuiteType], resolve: (p) => p.suites }),
    }),
  });

const ProtocolSupportType = builder
  .objectRef<{ version: TlsVersion; accepted: boolean }>("ProtocolSupport")
  .implement({
    description: "Whether the server accepts one TLS version",
    fields: (t) => ({
      version: t.exposeString("version", { description: "TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3" }),
      accepted: t.exposeBoolean("accepted"),
    }),
  });

const HttpHeaderType = builder.objectRef<HttpHeader>("HttpHeader").implement({
  fields: (t) => ({
    name: t.string({ resolve: (h) => h.n }),
    value: t.string({ resolve: (h) => h.v }),
  }),
});

const HttpRedirectType = builder.objectRef<HttpRedirect>("HttpRedirect").implement({
  description: "A same-origin redirect the check followed",
  fields: (t) => ({
    path: t.exposeString("path", { description: "The path that answered with the redirect" }),
    status: t.exposeInt("status"),
    location: t.exposeString("location", { description: "The path it led to" }),
  }),
});

const HttpAnswerType = builder.objectRef<HttpAnswer>("HttpAnswer").implement({
  description:
    "What the site answered the check's GET (over the check's own TLS connection; redirects are reported, and followed within the same origin only when CERTPULSE_HTTP_REDIRECTS allows)",
  fields: (t) => ({
    path: t.exposeString("path", { description: "The path this answer is for" }),
    redirects: t.field({
      type: [HttpRedirectType],
      description: "The redirects followed to reach this answer, in order",
      resolve: (a) => a.redirects ?? [],
    }),
    status: t.exposeInt("status", {
      nullable: true,
      description: "Null when no HTTP answer came (see error)",
    }),
    size: t.exposeInt("size", {
      nullable: true,
      description: "Body bytes: the declared Content-Length, else counted up to CERTPULSE_HTTP_MAX_BYTES",
    }),
    truncated: t.exposeBoolean("truncated", {
      description: "The body ran past the size cap; size is the cap",
    }),
    headers: t.field({ type: [HttpHeaderType], resolve: (a) => a.headers }),
    title: t.exposeString("title", { nullable: true, description: "The HTML page's <title>" }),
    metaDescription: t.exposeString("description", { nullable: true }),
    metaKeywords: t.exposeString("keywords", { nullable: true }),
    error: t.exposeString("error", { nullable: true }),
  }),
});

const ChainVerdictType = builder.enumType("ChainVerdict", { values: upperValues(CHAIN_VERDICTS) });

const json = <T>(value: Prisma.JsonValue | null): T | null => (value === null ? null : (value as T));

export const SslCheck = builder.prismaObject("SslCheck", {
  fields: (t) => ({
    id: t.exposeID("id"),
    domainId: t.exposeID("domainId"),
    checkedAt: t.expose("checkedAt", { type: "DateTime" }),
    error: t.exposeString("error", {
      nullable: true,
      description: "Why the probe could not read a certificate",
    }),
    address: t.exposeString("address", {
      nullable: true,
      description: "The address the probe connected to; null through a proxy, which resolves the name",
    }),
    addressName: t.exposeString("addressName", {
      nullable: true,
      description: "The address's reverse-DNS name",
    }),
    addressGeo: t.exposeString("addressGeo", {
      nullable: true,
      description:
        "The address's country (ISO 3166 alpha-2) from DB-IP's offline database; null for private addresses",
    }),
    http: t.field({
      type: HttpAnswerType,
      nullable: true,
      description: "Null when no HTTP request was sent (a non-HTTP port, or no certificate)",
      resolve: (c) => json<HttpAnswer>(c.http),
    }),
    subject: t.exposeString("subject", { nullable: true }),
    subjectParts: t.field({ type: "JSONObject", nullable: true, resolve: (c) => json(c.subjectParts) }),
    issuer: t.exposeString("issuer", { nullable: true }),
    issuerParts: t.field({ type: "JSONObject", nullable: true, resolve: (c) => json(c.issuerParts) }),
    validFrom: t.expose("validFrom", { type: "DateTime", nullable: true }),
    validTo: t.expose("validTo", { type: "DateTime", nullable: true }),
    daysRemaining: t.int({ nullable: true, resolve: (c) => daysUntil(c.validTo, new Date()) }),
    serialNumber: t.exposeString("serialNumber", { nullable: true }),
    fingerprint256: t.exposeString("fingerprint256", { nullable: true }),
    sans: t.stringList({ nullable: true, resolve: (c) => json<string[]>(c.sans) }),
    keyType: t.exposeString("keyType", { nullable: true }),
    keySize: t.exposeInt("keySize", { nullable: true }),
    signatureAlgorithm: t.exposeString("signatureAlgorithm", { nullable: true }),
    tlsVersion: t.exposeString("tlsVersion", { nullable: true }),
    cipher: t.exposeString("cipher", { nullable: true }),
    chainValid: t.exposeBoolean("chainValid", {
      nullable: true,
      description: "A trusted chain that matches the hostname",
    }),
    chainError: t.exposeString("chainError", { nullable: true }),
    chainErrorCode: t.field({
      type: ChainVerdictType,
      nullable: true,
      description: "What chainError says, as a code that stays the same when the words change",
      resolve: (c) => c.chainErrorCode as ChainVerdict | null,
    }),
    hostnameValid: t.exposeBoolean("hostnameValid", { nullable: true }),
    chain: t.field({
      type: [ChainCertificate],
      nullable: true,
      resolve: (c) => json<StoredChainCertificate[]>(c.chain),
    }),
    earliestExpiry: t.expose("earliestExpiry", { type: "DateTime", nullable: true }),
    ocspStapled: t.exposeBoolean("ocspStapled", { nullable: true }),
    revocation: t.field({
      type: RevocationType,
      nullable: true,
      description:
        "Null when not asked (CERTPULSE_REVOCATION_CHECK off) or nothing can revoke it (self-signed)",
      resolve: (c) => json<StoredRevocation>(c.revocation),
    }),
    caa: t.field({
      type: CaaCheckType,
      nullable: true,
      description:
        "Null when not looked up: a CA whose CAA identity CertPulse does not know (see CERTPULSE_CAA_ISSUERS), or CERTPULSE_CAA_CHECK off",
      resolve: (c) => json<CaaVerdict>(c.caa),
    }),
    hsts: t.exposeBoolean("hsts", { nullable: true }),
    hstsMaxAge: t.exposeInt("hstsMaxAge", { nullable: true }),
    hstsIncludeSubdomains: t.exposeBoolean("hstsIncludeSubdomains", { nullable: true }),
    hstsPreload: t.exposeBoolean("hstsPreload", { nullable: true }),
    protocols: t.field({
      type: [ProtocolSupportType],
      nullable: true,
      description: "Null when this check did not scan protocol support",
      resolve: (c) => {
        const support = json<ProtocolSupport>(c.protocols);
        return support && protocolList(support);
      },
    }),
    cipherSuites: t.field({
      type: [ProtocolSuitesType],
      nullable: true,
      description:
        "Per accepted version, the suites accepted; scanned with protocols (null when not scanned)",
      resolve: (c) => {
        const support = json<SuiteSupport>(c.cipherSuites);
        return support && describeSuites(support);
      },
    }),
    grade: t.exposeString("grade", {
      nullable: true,
      description: "A+ to F, T (not trusted) or M (name mismatch)",
    }),
    gradeReasons: t.stringList({ resolve: (c) => json<string[]>(c.gradeReasons) ?? [] }),
  }),
});

const SslCheckPage = pageOf("SslCheckPage", SslCheck);

builder.prismaObjectFields(Domain, (t) => ({
  // A relation to the check the summary came from: a page of domains loads all of theirs at once.
  latestSslCheck: t.relation("latestSslCheck", { nullable: true }),
  sslChecks: t.field({
    type: SslCheckPage,
    complexity: pageComplexity,
    description: "Check history, newest first",
    args: {
      page: t.arg.int({ required: false, defaultValue: 1 }),
      perPage: t.arg.int({ required: false, defaultValue: 20 }),
    },
    resolve: (domain, args, { services }) => services.sslChecks.pageFor(domain.id, args),
  }),
}));
