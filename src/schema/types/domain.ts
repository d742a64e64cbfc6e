// Domain: the type, its list and lookup queries, and its mutations.
import { queryFromInfo } from "@pothos/plugin-prisma";
import { DOMAIN_STATUSES, domainStatus } from "../../domains/domain-status.js";
import { DOMAIN_SORTS } from "../../domains/domains.service.js";
import { hasPublicRegistration } from "../../domains/hostname.js";
import { daysUntil } from "../../lib/days.js";
import { STARTTLS_PROTOCOLS, type StartTlsProtocol } from "../../probes/starttls/starttls.js";
import { builder } from "../builder.js";
import { upperValues } from "../enum-values.js";
import { pageComplexity, pageOf } from "../page.js";

const DomainStatus = builder.enumType("DomainStatus", { values: upperValues(DOMAIN_STATUSES) });
const DomainStatusFilter = builder.enumType("DomainStatusFilter", {
  values: upperValues(["all", ...DOMAIN_STATUSES] as const),
});
const DomainSort = builder.enumType("DomainSort", { values: upperValues(DOMAIN_SORTS) });
const StartTlsMode = builder.enumType("StartTlsMode", {
  description: "The plain-text preamble a check speaks before TLS; TLS: none, TLS from the first byte",
  values: upperValues([...STARTTLS_PROTOCOLS, "tls"] as const),
});
export const SortOrder = builder.enumType("SortOrder", { values: upperValues(["asc", "desc"] as const) });

/**
 * The columns every Domain a query loads reads: those a list row shows (the REST list, a dashboard)
 * and the ones its status and day counts come from. Fields of these columns are plain resolvers.
 * In select mode an exposed field (t.expose*) carries its own selection, which Pothos looks up again
 * for every row it resolves; on a flat page of 20 domains that was a third of the request's CPU. So
 * only the fields a list rarely shows (notes, address, alert days) are exposed and read on demand,
 * and relations (latest checks, alerts) select what they read themselves.
 */
const LIST_COLUMNS = {
  id: true,
  hostname: true,
  port: true,
  isActive: true,
  tags: true,
  sslGrade: true,
  sslValidTo: true,
  sslCheckedAt: true,
  whoisExpiresAt: true,
  whoisCheckedAt: true,
  expiresAt: true,
  criticalAt: true,
  warningAt: true,
  hasError: true,
  createdAt: true,
} as const;

const DomainProxy = builder
  .objectRef<{ host: string; port: number; username: string | null; hasPassword: boolean }>("DomainProxy")
  .implement({
    fields: (t) => ({
      host: t.exposeString("host"),
      port: t.exposeInt("port"),
      username: t.exposeString("username", { nullable: true }),
      hasPassword: t.exposeBoolean("hasPassword"),
    }),
  });

const ProxyInput = builder.inputType("ProxyInput", {
  description: "An HTTP CONNECT proxy (Basic authentication when a username is given)",
  fields: (t) => ({
    host: t.string(),
    port: t.int(),
    username: t.string({ required: false }),
    password: t.string({ required: false }),
  }),
});

/** What a domain to check is reached by: set on create and update alike. */
const TARGET_DESCRIPTIONS = {
  url: "https://host[:port][/path]: sets hostname, port and httpPath at once",
  httpPath: "The path the check's HTTP request asks for (default /)",
  proxy: "Check through this HTTP CONNECT proxy; null removes it",
  startTls: "The STARTTLS preamble to speak first; null: the port's default",
};

export const Domain = builder.prismaObject("Domain", {
  select: LIST_COLUMNS,
  fields: (t) => ({
    id: t.id({ resolve: (domain) => domain.id }),
    number: t.int({
      select: { number: true },
      description:
        "A small integer id beside the UUID, counted per user; wherever a domain's id is asked, this number serves too",
      // Every domain is numbered when stored (and the migration numbered those before it).
      resolve: (domain) => domain.number ?? 0,
    }),
    hostname: t.string({
      description: "Lower-case ASCII; IDNs as punycode",
      resolve: (domain) => domain.hostname,
    }),
    port: t.int({ resolve: (domain) => domain.port }),
    address: t.exposeString("address", {
      nullable: true,
      description: "Pinned IP address to connect to; SNI stays the hostname",
    }),
    isActive: t.boolean({ resolve: (domain) => domain.isActive }),
    notes: t.exposeString("notes", { nullable: true }),
    tags: t.stringList({ resolve: (domain) => domain.tags as string[] }),
    alertDays: t.intList({
      select: { alertDays: true },
      nullable: true,
      description: "Days before expiry that raise an alert; null means the defaults",
      resolve: (domain) => domain.alertDays as number[] | null,
    }),
    registrableDomain: t.exposeString("registrableDomain"),
    httpPath: t.exposeString("httpPath", { description: "The path the check's HTTP request asks for" }),
    startTls: t.field({
      type: StartTlsMode,
      nullable: true,
      select: { startTls: true },
      description:
        "The STARTTLS preamble its checks speak; null: its port's (25 and 587 SMTP, 143 IMAP, 110 POP3, 21 FTP, 5222 XMPP, 389 LDAP, 5432 PostgreSQL, 3306 MySQL), else TLS",
      resolve: (domain) => domain.startTls as StartTlsProtocol | "tls" | null,
    }),
    proxy: t.field({
      type: DomainProxy,
      nullable: true,
      description: "The HTTP CONNECT proxy the checks go through; its password is never returned",
      select: { proxyHost: true, proxyPort: true, proxyUsername: true, proxyPassword: true },
      resolve: (domain) =>
        domain.proxyHost === null || domain.proxyPort === null
          ? null
          : {
              host: domain.proxyHost,
              port: domain.proxyPort,
              username: domain.proxyUsername,
              hasPassword: domain.proxyPassword !== null,
            },
    }),
    serviceId: t.exposeString("serviceId", {
      nullable: true,
      description: "A service in another system this domain belongs to (free text)",
    }),
    notificationChannels: t.idList({
      description: "The webhooks this domain's alerts go to; empty: every matching webhook of yours",
      select: { channels: { select: { webhookId: true } } },
      resolve: (domain) => domain.channels.map((channel) => channel.webhookId),
    }),
    registrationApplies: t.boolean({
      description:
        "Whether a public registry holds this name; false (no registration check) for special-use names (.test, .local, .internal), TLDs the root does not delegate and names under a private suffix",
      resolve: (domain) => hasPublicRegistration(domain.hostname),
    }),
    status: t.field({ type: DomainStatus, resolve: (domain) => domainStatus(domain, new Date()) }),
    sslGrade: t.string({ nullable: true, resolve: (domain) => domain.sslGrade }),
    sslValidTo: t.field({ type: "DateTime", nullable: true, resolve: (domain) => domain.sslValidTo }),
    sslDaysRemaining: t.int({
      nullable: true,
      resolve: (domain) => daysUntil(domain.sslValidTo, new Date()),
    }),
    whoisExpiresAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (domain) => domain.whoisExpiresAt,
    }),
    whoisDaysRemaining: t.int({
      nullable: true,
      resolve: (domain) => daysUntil(domain.whoisExpiresAt, new Date()),
    }),
    createdAt: t.field({ type: "DateTime", resolve: (domain) => domain.createdAt }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const DomainPage = pageOf("DomainPage", Domain);

const IntFilter = builder.inputType("IntFilter", {
  description:
    "Integers to match: any of in, none of notIn, within the bounds given (all that are given hold)",
  fields: (t) => ({
    in: t.intList({ required: false }),
    notIn: t.intList({ required: false }),
    gt: t.int({ required: false }),
    gte: t.int({ required: false }),
    lt: t.int({ required: false }),
    lte: t.int({ required: false }),
  }),
});

builder.queryFields((t) => ({
  domains: t.withAuth({ read: true }).field({
    type: DomainPage,
    complexity: pageComplexity,
    args: {
      page: t.arg.int({ required: false, defaultValue: 1 }),
      perPage: t.arg.int({ required: false, defaultValue: 20, description: "1-100" }),
      status: t.arg({ type: DomainStatusFilter, required: false, defaultValue: "all" }),
      search: t.arg.string({ required: false, description: "Part of the hostname" }),
      hostPattern: t.arg.string({
        required: false,
        description: "The hostname with * for any characters: *.example.com, api.*",
      }),
      port: t.arg({ type: IntFilter, required: false }),
      sslValid: t.arg.boolean({
        required: false,
        description:
          "Whether the certificate is valid now: checked, trusted, matching, reachable, not expired",
      }),
      sslDaysRemaining: t.arg({ type: IntFilter, required: false }),
      sort: t.arg({ type: DomainSort, required: false, defaultValue: "created_at" }),
      order: t.arg({ type: SortOrder, required: false, defaultValue: "desc" }),
    },
    // The relations the request reads under data (latest check, alerts) load with the page.
    resolve: (_root, args, context, info) =>
      context.services.domains.list(
        context.auth.userId,
        args,
        queryFromInfo({ context, info, path: ["data"] }),
      ),
  }),
  domain: t.withAuth({ read: true }).prismaField({
    type: Domain,
    args: { id: t.arg.id({ description: "The UUID or the domain's number" }) },
    resolve: (query, _root, { id }, { services, auth }) =>
      services.domains.get(auth.userId, String(id), query),
  }),
}));

const CreateDomainInput = builder.inputType("CreateDomainInput", {
  fields: (t) => ({
    hostname: t.string({ required: false, description: "Required unless url is given" }),
    url: t.string({ required: false, description: TARGET_DESCRIPTIONS.url }),
    port: t.int({ required: false }),
    httpPath: t.string({ required: false, description: TARGET_DESCRIPTIONS.httpPath }),
    proxy: t.field({ type: ProxyInput, required: false, description: TARGET_DESCRIPTIONS.proxy }),
    startTls: t.field({ type: StartTlsMode, required: false, description: TARGET_DESCRIPTIONS.startTls }),
    address: t.string({ required: false }),
    notes: t.string({ required: false }),
    tags: t.stringList({ required: false }),
    alertDays: t.intList({ required: false }),
    serviceId: t.string({ required: false }),
    notificationChannels: t.idList({
      required: false,
      description: "Webhook ids (yours) the domain's alerts go to; empty or null: every matching webhook",
    }),
  }),
});

const UpdateDomainInput = builder.inputType("UpdateDomainInput", {
  fields: (t) => ({
    hostname: t.string({ required: false }),
    url: t.string({ required: false, description: TARGET_DESCRIPTIONS.url }),
    port: t.int({ required: false }),
    httpPath: t.string({ required: false, description: TARGET_DESCRIPTIONS.httpPath }),
    proxy: t.field({ type: ProxyInput, required: false, description: TARGET_DESCRIPTIONS.proxy }),
    startTls: t.field({ type: StartTlsMode, required: false, description: TARGET_DESCRIPTIONS.startTls }),
    address: t.string({ required: false }),
    isActive: t.boolean({ required: false }),
    notes: t.string({ required: false }),
    tags: t.stringList({ required: false }),
    alertDays: t.intList({ required: false }),
    serviceId: t.string({ required: false }),
    notificationChannels: t.idList({
      required: false,
      description: "Webhook ids (yours) the domain's alerts go to; empty or null: every matching webhook",
    }),
  }),
});

builder.mutationFields((t) => ({
  createDomain: t.withAuth({ write: true }).prismaField({
    type: Domain,
    args: { input: t.arg({ type: CreateDomainInput }) },
    resolve: (query, _root, { input }, { services, auth }) =>
      services.domains.create(auth.userId, input, query),
  }),
  updateDomain: t.withAuth({ write: true }).prismaField({
    type: Domain,
    args: { id: t.arg.id(), input: t.arg({ type: UpdateDomainInput }) },
    resolve: (query, _root, { id, input }, { services, auth }) =>
      services.domains.update(auth.userId, String(id), input, query),
  }),
  createCheckedDomain: t.withAuth({ write: true }).prismaField({
    type: Domain,
    description:
      "Adds a domain once its certificate has been read: the first SSL check runs before the answer (latestSslCheck). A name that does not resolve is BAD_USER_INPUT, a server that yields no certificate UNPROCESSABLE; then nothing is kept",
    args: { input: t.arg({ type: CreateDomainInput }) },
    resolve: (query, _root, { input }, { services, auth }) =>
      services.manualChecks.createChecked(auth.userId, input, query),
  }),
  deleteDomain: t.withAuth({ write: true }).id({
    description: "Deletes the domain with its checks and alerts; returns its id",
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, { services, auth }) => {
      await services.domains.delete(auth.userId, String(id));
      return id;
    },
  }),
}));
