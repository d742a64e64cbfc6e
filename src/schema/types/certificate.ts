// The certificate itself: what a domain serves (Domain.certificate: its summary, the chain as
// served as PEM and ZIP, and the user's domains that serve it too), whether its issuer has revoked it
// and whether CAA lets the issuer renew it (both on each SslCheck), and decodeCsr, which reads a
// signing request for the next certificate against the current one.
import {
  chainZip,
  pemBundle,
  type ServedCertificate,
  type ServedChain,
} from "../../checks/served-certificates.service.js";
import { daysUntil } from "../../lib/days.js";
import type { CaaName, CaaVerdict } from "../../probes/caa/caa.js";
import type { Revocation } from "../../probes/revocation/revocation.js";
import type { DecodedCsr } from "../../probes/tls/csr.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { Domain } from "./domain.js";

/** Revocation as an SslCheck stores it (JSON: the time as an ISO string). */
export type StoredRevocation = Omit<Revocation, "revokedAt"> & { revokedAt: string | null };

export const RevocationType = builder.objectRef<StoredRevocation>("Revocation").implement({
  description:
    "Whether the issuer has revoked the certificate: the stapled OCSP response, else the OCSP responder its AIA names, else its CRL; each answer verified as the issuer's and current",
  fields: (t) => ({
    status: t.field({
      type: builder.enumType("RevocationStatus", {
        values: upperValues(["good", "revoked", "unknown", "unavailable"] as const),
        description:
          "GOOD / REVOKED: the issuer's current word; UNKNOWN: its responder does not know the certificate; UNAVAILABLE: no usable answer (see detail)",
      }),
      resolve: (r) => r.status,
    }),
    source: t.field({
      type: builder.enumType("RevocationSource", {
        values: upperValues(["stapled", "ocsp", "crl"] as const),
      }),
      nullable: true,
      resolve: (r) => r.source,
    }),
    url: t.exposeString("url", { nullable: true, description: "The responder or CRL asked" }),
    revokedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (r) => (r.revokedAt ? new Date(r.revokedAt) : null),
    }),
    reason: t.exposeString("reason", {
      nullable: true,
      description: "RFC 5280's reason (keyCompromise, superseded, …), when the issuer gives one",
    }),
    detail: t.exposeString("detail", {
      nullable: true,
      description: "What went wrong on the way to the answer (each source tried)",
    }),
  }),
});

const CaaNameType = builder.objectRef<CaaName>("CaaName").implement({
  description: "One name of the certificate and the CAA records that govern it",
  fields: (t) => ({
    name: t.exposeString("name"),
    foundAt: t.exposeString("foundAt", {
      nullable: true,
      description: "The name or ancestor the records were found at; null when none has any",
    }),
    issue: t.exposeStringList("issue", { description: "The issuer domains of its issue records" }),
    issuewild: t.exposeStringList("issuewild"),
    allowed: t.exposeBoolean("allowed", {
      nullable: true,
      description: "Whether the certificate's CA may issue for it; null when DNS gave no answer",
    }),
    problem: t.exposeString("problem", { nullable: true }),
  }),
});

export const CaaCheckType = builder.objectRef<CaaVerdict>("CaaCheck").implement({
  description:
    "Whether the CAA records of every name on the certificate (RFC 8659: the closest ancestor with records) let its CA issue the renewal",
  fields: (t) => ({
    status: t.field({
      type: builder.enumType("CaaStatus", {
        values: upperValues(["allowed", "refused", "unavailable"] as const),
      }),
      resolve: (c) => c.status,
    }),
    issuer: t.exposeString("issuer", { description: "The CA, as the certificate names its organization" }),
    caaDomains: t.exposeStringList("caaDomains", { description: "The CAA identities that CA answers to" }),
    names: t.field({ type: [CaaNameType], resolve: (c) => c.names }),
  }),
});

const ServedCertificateType = builder.objectRef<ServedCertificate>("ServedCertificate").implement({
  description: "One certificate of the chain as the server sent it",
  fields: (t) => ({
    subject: t.exposeString("subject"),
    issuer: t.exposeString("issuer"),
    validFrom: t.expose("validFrom", { type: "DateTime" }),
    validTo: t.expose("validTo", { type: "DateTime" }),
    fingerprint256: t.exposeString("fingerprint256"),
    pem: t.exposeString("pem"),
  }),
});

const DomainRef = builder
  .objectRef<{ id: string; number: number | null; hostname: string; port: number }>("DomainRef")
  .implement({
    fields: (t) => ({
      id: t.exposeID("id"),
      number: t.int({ resolve: (d) => d.number ?? 0 }),
      hostname: t.exposeString("hostname"),
      port: t.exposeInt("port"),
    }),
  });

const CertificateSummary = builder.objectRef<ServedChain>("CertificateSummary").implement({
  description: "The certificate a domain serves, as its newest successful check saw it",
  fields: (t) => ({
    status: t.string({
      description:
        "valid, expired, not_yet_valid, or what is wrong with the chain (self_signed, incomplete_chain…)",
      resolve: (s) => s.status,
    }),
    checkedAt: t.field({ type: "DateTime", resolve: (s) => s.check.checkedAt }),
    subject: t.string({ nullable: true, resolve: (s) => s.check.subject }),
    issuer: t.string({ nullable: true, resolve: (s) => s.check.issuer }),
    validFrom: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.check.validFrom }),
    validTo: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.check.validTo }),
    daysRemaining: t.int({ nullable: true, resolve: (s) => daysUntil(s.check.validTo, new Date()) }),
    names: t.stringList({
      description: "Every name it covers",
      resolve: (s) => (s.check.sans as string[] | null) ?? [],
    }),
    keyType: t.string({ nullable: true, resolve: (s) => s.check.keyType }),
    keySize: t.int({ nullable: true, resolve: (s) => s.check.keySize }),
    signatureAlgorithm: t.string({ nullable: true, resolve: (s) => s.check.signatureAlgorithm }),
    serialNumber: t.string({ nullable: true, resolve: (s) => s.check.serialNumber }),
    fingerprint256: t.string({ nullable: true, resolve: (s) => s.check.fingerprint256 }),
    chain: t.field({
      type: [ServedCertificateType],
      description: "As served, leaf first; empty for a check made before chains were kept",
      resolve: (s) => s.chain,
    }),
    pem: t.string({
      nullable: true,
      description: "The chain as one PEM file, leaf first",
      resolve: (s) => (s.chain.length > 0 ? pemBundle(s.chain) : null),
    }),
    zip: t.string({
      nullable: true,
      description: "Base64 of a ZIP: the leaf, each intermediate, chain.pem and fullchain.pem",
      resolve: (s) => (s.chain.length > 0 ? Buffer.from(chainZip(s)).toString("base64") : null),
    }),
    servedBy: t.field({
      type: [DomainRef],
      description: "Your domains whose newest check saw this same certificate",
      resolve: (s, _args, { services, auth }) =>
        auth ? services.servedCertificates.servedBy(auth.userId, s.check.fingerprint256) : [],
    }),
  }),
});

builder.prismaObjectFields(Domain, (t) => ({
  certificate: t.field({
    type: CertificateSummary,
    nullable: true,
    // Two reads per domain (the check, its certificates): in a list it costs as a page would.
    complexity: 10,
    description:
      "The certificate it serves, as the newest successful check saw it; null before one succeeded",
    // The parent is a domain the caller's key has read: its own.
    resolve: (domain, _args, { services }) => services.servedCertificates.of(domain),
  }),
}));

const DecodedCsrType = builder.objectRef<DecodedCsr>("DecodedCsr").implement({
  description: "What a certificate signing request asks for, and what a CA or you would object to",
  fields: (t) => ({
    subject: t.exposeString("subject"),
    subjectParts: t.field({ type: "JSONObject", resolve: (c) => c.subjectParts }),
    names: t.exposeStringList("names", {
      description: "The DNS names and IP addresses it asks for: its subjectAltName's, else its CN",
    }),
    hasSubjectAltName: t.exposeBoolean("hasSubjectAltName"),
    keyType: t.exposeString("keyType", { description: "RSA, EC, Ed25519…" }),
    keySize: t.exposeInt("keySize", { nullable: true }),
    signatureAlgorithm: t.exposeString("signatureAlgorithm", { nullable: true }),
    signatureValid: t.exposeBoolean("signatureValid", {
      description: "The request's signature verifies with its own key",
    }),
    problems: t.exposeStringList("problems", {
      description:
        "A weak key, SHA-1, no subjectAltName, a bad signature; with a domain, names it adds or drops against the current certificate",
    }),
  }),
});

const DecodeCsrInput = builder.inputType("DecodeCsrInput", {
  fields: (t) => ({
    csr: t.string({ description: "-----BEGIN CERTIFICATE REQUEST----- …" }),
    domainId: t.id({ required: false, description: "The UUID or number of the domain it is for" }),
  }),
});

builder.queryField("decodeCsr", (t) =>
  t.withAuth({ read: true }).field({
    type: DecodedCsrType,
    description:
      "Reads a PEM CSR before a reissue; with domainId, compares its names with that domain's current certificate",
    args: { input: t.arg({ type: DecodeCsrInput }) },
    resolve: (_root, { input }, { services, auth }) =>
      services.sslChecks.decodeCsr(
        auth.userId,
        input.csr,
        input.domainId == null ? null : String(input.domainId),
      ),
  }),
);
