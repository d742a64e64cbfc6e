// whoiser ships no types for its parser module; this is the one function CertPulse calls.
declare module "whoiser/src/parsers.js" {
  const parsers: {
    /** Labels normalised across registries ("Expiry Date", "Name Server", …); values as written. */
    parseDomainWhois(
      domain: string,
      whois: string,
      ignorePrivacy?: boolean,
    ): Record<string, string | string[]>;
  };
  export default parsers;
}
