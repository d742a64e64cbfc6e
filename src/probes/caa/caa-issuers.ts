// Which CAA identities ("letsencrypt.org") a certificate's issuer answers to. A certificate does not
// say; the CAs publish theirs (in their CP/CPS, collected in the CCADB). This table holds the CAs
// that issue most of the Web's certificates, matched on the issuer's organization (O=); an operator
// adds others, a private CA for instance, with CERTPULSE_CAA_ISSUERS. No maintained package carries
// this mapping, hence the table.
const PUBLIC_CAS: [RegExp, string[]][] = [
  [/^Let's Encrypt$/i, ["letsencrypt.org"]],
  [/^Google Trust Services/i, ["pki.goog", "google.com"]],
  [
    /^DigiCert|^GeoTrust|^Thawte|^RapidSSL|^Symantec/i,
    [
      "digicert.com",
      "www.digicert.com",
      "digicert.ne.jp",
      "thawte.com",
      "geotrust.com",
      "rapidssl.com",
      "symantec.com",
    ],
  ],
  [/^QuoVadis/i, ["quovadisglobal.com", "digicert.com"]],
  [
    /^Sectigo|^COMODO|^The USERTRUST|^ZeroSSL/i,
    ["sectigo.com", "comodoca.com", "comodo.com", "usertrust.com", "trust-provider.com"],
  ],
  [/^Amazon/i, ["amazon.com", "amazontrust.com", "awstrust.com", "amazonaws.com"]],
  [/^GlobalSign/i, ["globalsign.com"]],
  [/^GoDaddy/i, ["godaddy.com"]],
  [/^Starfield/i, ["starfieldtech.com"]],
  [/^Entrust/i, ["entrust.net", "affirmtrust.com"]],
  [/^Microsoft/i, ["microsoft.com"]],
  [/^Buypass/i, ["buypass.com", "buypass.no"]],
  [/^SSL Corporation/i, ["ssl.com"]],
  [/^Asseco Data Systems|^Unizeto|^Certum/i, ["certum.pl", "certum.eu"]],
  [/^Actalis/i, ["actalis.it"]],
  [/^IdenTrust/i, ["identrust.com"]],
  [/^Hellenic Academic and Research Institutions/i, ["harica.gr"]],
  [/^SwissSign/i, ["swisssign.com"]],
  [/^Certainly/i, ["certainly.com"]],
  [/^TrustAsia/i, ["trustasia.com"]],
  [/^Telia/i, ["telia.com"]],
];

/** The issuer's organization (its CN when it names none) and its CAA domains; null for a CA not known. */
export function caaDomainsOf(
  issuerParts: Record<string, string>,
  extra: Record<string, string[]> = {},
): { issuer: string; domains: string[] } | null {
  const issuer = issuerParts.O ?? issuerParts.CN;
  if (!issuer) return null;
  const configured = extra[issuer.toLowerCase()];
  if (configured) return { issuer, domains: configured };
  const found = PUBLIC_CAS.find(([pattern]) => pattern.test(issuer));
  return found ? { issuer, domains: found[1] } : null;
}
