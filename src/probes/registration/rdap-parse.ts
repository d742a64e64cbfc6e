// Reads an RDAP domain object (RFC 9083) into registration data: the registration, expiration and
// last-changed events (by the names real servers give them), the registrar entity (vCard name or
// organisation, IANA id), name servers, secureDNS and
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

/** A jCard property's text: "Gandi SAS", or a structured value's first part (["Gandi SAS", "DNS"]). */
function vcardText(vcard: [string, unknown[][]] | undefined, name: string): string | null {
  const value = vcard?.[1].find((property) => property[0] === name)?.[3];
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === "string" && text.trim() !== "" ? text.trim() : null;
}

/**
 * The registrar's name from its jCard: the formatted name ("fn"), else the organisation ("org"),
 * which some registries fill instead.
 */
const vcardName = (vcard: [string, unknown[][]] | undefined) =>
  vcardText(vcard, "fn") ?? vcardText(vcard, "org");

/**
 * RFC 9083's event actions and the names real servers use for the same events. ("last update of
 * RDAP database" is about the server, not the domain.)
 */
const EVENT_ACTIONS = {
  registration: ["registration", "created", "creation"],
  expiration: ["expiration", "registrar expiration", "registry expiration", "expiry", "expires"],
  lastChanged: ["last changed", "last change", "last updated", "last update", "modified"],
} as const;

const eventName = (action: string) =>
  action
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[-_]/g, " ")
    .replace(/\s+/g, " ")
    .trim();

export function parseRdapDomain(json: unknown): RdapDomain {
  const parsed = domainObject.safeParse(json);
  if (!parsed.success) throw new LookupFailure("invalid_response", "the RDAP answer is not a domain object");
  const answer = parsed.data;
  // In the order of the list: "expiration" wins over a registrar's own "registrar expiration".
  const eventDate = (kind: keyof typeof EVENT_ACTIONS) => {
    for (const action of EVENT_ACTIONS[kind]) {
      const found = answer.events.find((e) => e && eventName(e.eventAction) === action);
      if (found) return date(found.eventDate);
    }
    return null;
  };
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
    updatedDate: eventDate("lastChanged"),
    dnssec: answer.secureDNS?.delegationSigned ?? null,
    nameservers: answer.nameservers.flatMap((ns) => (ns ? [normalizeNameserver(ns.ldhName)] : [])),
    statuses: answer.status,
    registrarLink: related?.href ?? null,
  };
}
