// Dates as registries write them in WHOIS answers, each read to the instant it means.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseWhoisDate } from "../src/probes/registration/whois-dates.js";

const CASES: [string, string | null][] = [
  ["2027-03-15T00:00:00Z", "2027-03-15T00:00:00.000Z"], // gTLD
  ["2027-03-15T00:00:00.0Z", "2027-03-15T00:00:00.000Z"],
  ["2025-06-12T10:11:12+02:00", "2025-06-12T08:11:12.000Z"], // DENIC
  ["2027-03-15", "2027-03-15T00:00:00.000Z"],
  ["2027-03-15 10:00:00 UTC", "2027-03-15T10:00:00.000Z"],
  ["2027/01/31", "2027-01-31T00:00:00.000Z"], // JPRS
  ["2026/02/01 01:05:05 (JST)", "2026-01-31T16:05:05.000Z"],
  ["2027.03.15 10:00:00+0100", "2027-03-15T09:00:00.000Z"], // .pl style with an offset
  ["04-Jul-2027", "2027-07-04T00:00:00.000Z"], // Nominet
  ["04-jul-2027 12:30", "2027-07-04T12:30:00.000Z"],
  ["15.03.2027", "2027-03-15T00:00:00.000Z"], // .ru, .cz: day first
  ["01/02/2027", "2027-02-01T00:00:00.000Z"], // day first, never US month-first
  ["20270315", "2027-03-15T00:00:00.000Z"], // registro.br
  ["20200315 #12345", "2020-03-15T00:00:00.000Z"],
  ["2027-02-30", null], // no such day
  ["31-Foo-2027", null],
  ["before the end of next year", null],
  ["", null],
];

test("WHOIS dates in the formats registries write", () => {
  for (const [text, expected] of CASES) {
    assert.equal(parseWhoisDate(text)?.toISOString() ?? null, expected, text);
  }
});
