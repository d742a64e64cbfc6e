// Dates as registries write them in WHOIS answers, each read to the instant it means.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dayOrderOf, parseWhoisDate } from "../src/probes/registration/whois-dates.js";

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
  ["31-03-2020", "2020-03-31T00:00:00.000Z"], // HKIRC
  ["15.12.2020 09:37:54", "2020-12-15T09:37:54.000Z"], // Traficom
  ["12/18/2001", "2001-12-18T00:00:00.000Z"], // Dot TK: month first, as 18 cannot be a month
  ["05/05/2020", "2020-05-05T00:00:00.000Z"], // reads one way in either order
  ["01/02/2027", null], // day or month first: refused without the registry's order
  ["2020. 05. 19.", "2020-05-19T00:00:00.000Z"], // KISA
  ["2021-11-09 00:00:00 (UTC+8)", "2021-11-08T16:00:00.000Z"], // TWNIC
  ["2020-10-31 (YYYY-MM-DD)", "2020-10-31T00:00:00.000Z"],
  ["2003-08-18 11:20:09 (GMT+0:00)", "2003-08-18T11:20:09.000Z"], // KazNIC
  ["2011-07-21 18:03:50+03", "2011-07-21T15:03:50.000Z"], // Hostmaster (.ua)
  ["2018-02-05 22:59:12.55172", "2018-02-05T22:59:12.000Z"], // MONIC
  ["31 May 1999", "1999-05-31T00:00:00.000Z"], // SWITCH
  ["30th April 2003 at 00:00:00.000", "2003-04-30T00:00:00.000Z"], // CIDR (.gg)
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

test("a year-last date that reads two ways takes the order the answer or the registry gives", () => {
  assert.equal(parseWhoisDate("01/02/2027", "day-first")?.toISOString(), "2027-02-01T00:00:00.000Z");
  assert.equal(parseWhoisDate("01/02/2027", "month-first")?.toISOString(), "2027-01-02T00:00:00.000Z");
  // Dot TK's expiry "01/03/2022" beside its creation "11/29/2016": the answer is month-first.
  assert.equal(dayOrderOf(["11/29/2016", "01/03/2022"], "day-first"), "month-first");
  assert.equal(dayOrderOf(["01/03/2022", "15.12.2015"]), "day-first");
  assert.equal(dayOrderOf(["01/03/2022"], "day-first"), "day-first", "else the registry's convention");
  assert.equal(dayOrderOf(["01/03/2022"]), null);
  assert.equal(dayOrderOf(["2022-01-03"]), null, "ISO dates say nothing about the order");
});
