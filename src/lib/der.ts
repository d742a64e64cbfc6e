// A minimal DER reader: an element's tag and extent, the elements inside one, an OID. The probes
// read a few fields of certificates and walk CRLs with it, where a general ASN.1 parser (asn1js
// through @peculiar/asn1-schema) costs far more: it builds an object for every node, about a second
// for a 10,000-entry CRL, and caps a parse at 10,000 nodes besides.

/** A DER element at `at`: where its content starts and ends, and its tag. */
export interface Element {
  tag: number;
  /** Where the element itself (its tag) starts. */
  at: number;
  start: number;
  end: number;
}

export function element(der: Buffer, at: number): Element {
  const tag = der[at];
  const first = der[at + 1];
  if (tag === undefined || first === undefined) throw new RangeError("truncated DER");
  let start = at + 2;
  let length = first;
  if (first >= 0x80) {
    const bytes = first & 0x7f;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[at + 2 + i] ?? 0);
    start += bytes;
  }
  if (start + length > der.length) throw new RangeError("truncated DER");
  return { tag, at, start, end: start + length };
}

/** The elements directly inside a constructed element. */
export function children(der: Buffer, parent: Element): Element[] {
  const out: Element[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]?.end ?? parent.end) {
    out.push(element(der, at));
  }
  return out;
}

const OID = 0x06;

export function oid(der: Buffer, el: Element | undefined): string | null {
  if (el?.tag !== OID) return null;
  const parts: number[] = [];
  let value = 0;
  for (let i = el.start; i < el.end; i++) {
    const byte = der[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) {
      parts.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = parts;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join(".");
}
