// Cipher suites as the rating guide judges them: key exchange (forward secrecy), encryption and its
// strength, AEAD or not, export grade. Built from the IANA rows in cipher-suite-table.ts.
import { SUITE_ROWS } from "./cipher-suite-table.js";

export type KeyExchange = "RSA" | "DHE" | "ECDHE" | "DH_anon" | "ECDH_anon" | "TLS13";

export interface CipherSuite {
  id: number;
  /** The IANA name, as RFCs and SSL Labs write it: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256. */
  name: string;
  /** OpenSSL's name, as `openssl s_client -cipher` takes it. */
  openssl: string;
  keyExchange: KeyExchange;
  /** The cipher family: AESGCM, AES, CHACHA20/POLY1305, 3DES, RC4, DES, None… */
  cipher: string;
  bits: number;
  aead: boolean;
  forwardSecrecy: boolean;
  /** 40- and 56-bit export suites, broken by design. */
  export: boolean;
  /** Only in TLS 1.3 (and only there). */
  tls13: boolean;
}

function keyExchangeOf(kx: string, auth: string): KeyExchange {
  if (kx === "any") return "TLS13";
  if (kx === "RSA") return "RSA";
  if (kx === "DH") return auth === "None" ? "DH_anon" : "DHE";
  return auth === "None" ? "ECDH_anon" : "ECDHE";
}

function suiteOf([id, name, openssl, kx, auth, enc, mac]: readonly string[] | readonly (string | number)[]) {
  const [, cipher = String(enc), bits = "0"] = /^(.*?)\((\d+)\)$/.exec(String(enc)) ?? [];
  const keyExchange = keyExchangeOf(String(kx), String(auth));
  return {
    id: Number(id),
    name: String(name),
    openssl: String(openssl),
    keyExchange,
    cipher,
    bits: Number(bits),
    aead: mac === "AEAD",
    forwardSecrecy: keyExchange === "DHE" || keyExchange === "ECDHE" || keyExchange === "TLS13",
    export: String(name).includes("EXPORT"),
    tls13: keyExchange === "TLS13",
  } satisfies CipherSuite;
}

export const SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  SUITE_ROWS.map((row) => [row[0], suiteOf(row)] as const),
);

const BY_NAME: ReadonlyMap<string, CipherSuite> = new Map(
  [...SUITES.values()].flatMap((suite) => [[suite.name, suite] as const, [suite.openssl, suite] as const]),
);

/** A suite by its IANA name or OpenSSL's (Node reports the latter); null for one the table lacks. */
export const suiteNamed = (name: string | null) => (name === null ? null : (BY_NAME.get(name) ?? null));

/** What the scan offers for TLS 1.2 and below, and for TLS 1.3. */
export const LEGACY_SUITE_IDS = [...SUITES.values()].filter((s) => !s.tls13).map((s) => s.id);
export const TLS13_SUITE_IDS = [...SUITES.values()].filter((s) => s.tls13).map((s) => s.id);

/** A suite id as a name: the IANA name when known, else its hex code (0x00ff). */
export const suiteName = (id: number) => SUITES.get(id)?.name ?? `0x${id.toString(16).padStart(4, "0")}`;
