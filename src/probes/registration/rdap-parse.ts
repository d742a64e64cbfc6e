// Reads an RDAP domain object (RFC 9083) into registration data: the registration, expiration and
// last-changed events, the registrar entity (vCard name, IANA id), name servers, secureDNS and
// statuses. Anything malformed is ignored field by field; an answer that is not a domain object
// at all is refused.
import { z } from "zod";
import {
  EMPTY_REGISTRATION,
  LookupFailure,
  normalizeNameserver,
  type RegistrationData,
} from "./registration.js";

const event = z.object({ eventAction: z.string(), eventDate: z.string() });
const entity = z.object({
  roles: z.array(z.string()).catch([]),
  publicIds: z.array(z.object({ type: z.string(), identifier: z.string() })).catch([]),
  vcardArray: z
    .tuple([z.literal("vcard"), z.array(z.array(z.unknown()))])
    .optional()
    .catch(undefined),
});
const link = z.object({ rel: z.string().optional(), href: z.string(), type: z.string().optional() });
const domainObject = z.object({
  objectClassName: z.literal("domain"),
  ldhName: z.string().optional(),
  events: z.array(event.nullable().catch(null)).catch([]),
  entities: z.array(entity.nullable().catch(null)).catch([]),
  nameservers: z.array(z.object({ ldhName: z.string() }).nullable().catch(null)).catch([]),
  secureDNS: z.object({ delegationSigned: z.boolean().optional() }).optional().catch(undefined),
  status: z.array(z.string()).catch([]),
  links: z.array(link.nullable().catch(null)).catch([]),
});

export interface RdapDomain extends RegistrationData {
  /** The registrar's own RDAP URL for this domain, when the registry links to it. */
  registrarLink: string | null;
}

function date(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The "fn" (formatted name) of a jCard: ["vcard", [["fn", {}, "text", "Gandi SAS"], …]]. */
function vcardName(vcard: [string, unknown[][]] | undefined): string | null {
  const fn = vcard?.[1].find((property) => property[0] === "fn");
  return typeof fn?.[3] === "string" && fn[3].trim() !== "" ? fn[3].trim() : null;
}

export function parseRdapDomain(json: unknown): RdapDomain {
  const parsed = domainObject.safeParse(json);
  if (!parsed.success) throw new LookupFailure("invalid_response", "the RDAP answer is not a domain object");
  const answer = parsed.data;
  const eventDate = (action: string) =>
    date(answer.events.find((e) => e?.eventAction.toLowerCase() === action)?.eventDate);
  const registrar = answer.entities.find((e) => e?.roles.includes("registrar")) ?? null;
  const ianaId = registrar?.publicIds.find((id) => id.type.toLowerCase() === "iana registrar id");
  // RFC 9083 §4.2: a "related" link of type application/rdap+json points at the registrar's answer.
  const related = answer.links.find(
    (l) => l?.rel === "related" && (l.type ?? "").startsWith("application/rdap+json"),
  );
  return {
    ...EMPTY_REGISTRATION,
    registrar: vcardName(registrar?.vcardArray),
    registrarIanaId: ianaId?.identifier ?? null,
    createdDate: eventDate("registration"),
    expiryDate: eventDate("expiration"),
    updatedDate: eventDate("last changed"),
    dnssec: answer.secureDNS?.delegationSigned ?? null,
    nameservers: answer.nameservers.flatMap((ns) => (ns ? [normalizeNameserver(ns.ldhName)] : [])),
    statuses: answer.status,
    registrarLink: related?.href ?? null,
  };
}
