// Registry answers in the layouts and languages real registries use, read field by field: WHOIS
// (JPRS's Japanese labels, blocks, continuation lines, repeated labels, IDNs) and RDAP (vCard org
// without fn, event names other than RFC 9083's).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRdapDomain } from "../src/probes/registration/rdap-parse.js";
import { readWhoisAnswer } from "../src/probes/registration/whois-parse.js";

function registration(domain: string, text: string) {
  const answer = readWhoisAnswer(domain, text);
  assert.equal(answer.kind, "registration", JSON.stringify(answer));
  return answer.kind === "registration" ? answer.data : assert.fail();
}
const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;

test("JPRS's default Japanese labels", () => {
  const data = registration(
    "example.jp",
    `[ JPRS database provides information on network administration. Its use is    ]
[ restricted to network administration purposes.                               ]

Domain Information: [ドメイン情報]
[ドメイン名]                    EXAMPLE.JP

[登録者名]                      株式会社エグザンプル
[Registrant]                    Example K.K.

[ネームサーバ]                  ns1.example-dns.jp
[ネームサーバ]                  ns2.example-dns.jp
[署名鍵]                        

[登録年月日]                    2001/01/11
[有効期限]                      2027/01/31
[状態]                          Active
[最終更新]                      2026/02/01 01:05:05 (JST)
`,
  );
  assert.equal(day(data.createdDate), "2001-01-11");
  assert.equal(day(data.expiryDate), "2027-01-31");
  assert.equal(data.updatedDate?.toISOString(), "2026-01-31T16:05:05.000Z");
  assert.deepEqual(data.nameservers, ["ns1.example-dns.jp", "ns2.example-dns.jp"]);
  assert.equal(data.dnssec, false, "an empty signing key: the zone is unsigned");
});

test("JPRS's .co.jp answer: the expiry is in the state", () => {
  const data = registration(
    "example.co.jp",
    `Domain Information: [ドメイン情報]
a. [ドメイン名]                 EXAMPLE.CO.JP
g. [組織名]                     株式会社エグザンプル
p. [ネームサーバ]               ns1.example.co.jp
s. [署名鍵]                     

[状態]                          Connected (2027/03/31)
[登録年月日]                    2001/03/22
[接続年月日]                    2001/03/22
[最終更新]                      2026/04/01 01:05:57 (JST)
`,
  );
  assert.equal(day(data.expiryDate), "2027-03-31");
  assert.equal(day(data.createdDate), "2001-03-22");
  assert.deepEqual(data.nameservers, ["ns1.example.co.jp"]);
});

test("blocks, continuation lines and a contact's repeated label", () => {
  // EDUCAUSE: a label alone, its values indented below.
  const edu = registration(
    "example.edu",
    `Domain Name: EXAMPLE.EDU

Registrant:
	Example University
	US

Name Servers:
	NS1.EXAMPLE.EDU
	NS2.EXAMPLE.EDU

Domain record activated:    15-Jul-1985
Domain record last updated: 12-Jun-2024
Domain expires:             31-Jul-2027
`,
  );
  assert.deepEqual(edu.nameservers, ["ns1.example.edu", "ns2.example.edu"]);
  assert.equal(day(edu.createdDate), "1985-07-15");
  assert.equal(day(edu.expiryDate), "2027-07-31");

  // NASK (.pl): continuation lines; the registrar is the block's first line.
  const pl = registration(
    "example.pl",
    `DOMAIN NAME:           example.pl
nameservers:           ns1.example.net.pl. [192.0.2.10]
                       ns2.example.net.pl. [192.0.2.11]
created:               2008.03.16 01:08:04
renewal date:          2032.03.16 01:08:04
option expiration date:       2023.12.11 10:04:23
dnssec:                Signed

REGISTRAR:
Example Registrar Ltd
tel.+357.22761649
`,
  );
  assert.deepEqual(pl.nameservers, ["ns1.example.net.pl", "ns2.example.net.pl"]);
  assert.equal(day(pl.expiryDate), "2032-03-16", "the renewal date, not the option's expiry");
  assert.equal(pl.registrar, "Example Registrar Ltd");
  assert.equal(pl.dnssec, true);

  // SK-NIC: "Created:" again under each contact; the domain's is the first. The registrar is a
  // handle whose block names it.
  const sk = registration(
    "example.sk",
    `Domain:                       example.sk
Created:                      2003-07-24
Valid Until:                  2027-07-24
Nameserver:                   ns1.example.com

Domain registrant:            mmr-170347
Created:                      2019-06-07

Registrar:                    MARK-0292
Name:                         MarkMonitor International Limited
Created:                      2018-06-27
`,
  );
  assert.equal(day(sk.createdDate), "2003-07-24");
  assert.equal(day(sk.expiryDate), "2027-07-24");
  assert.equal(sk.registrar, "MarkMonitor International Limited");
});

test("an IDN named in Unicode, and Dot TK's month-first dates", () => {
  const idn = registration(
    "xn--fl-fka.se",
    `state:            active
domain:           föl.se
created:          2021-12-29
expires:          2027-12-29
nserver:          ns1.example.com
dnssec:           unsigned delegation
registrar:        Example AB
`,
  );
  assert.equal(day(idn.expiryDate), "2027-12-29");
  assert.equal(idn.dnssec, false);

  const tk = registration(
    "example.tk",
    `   Domain name:
      EXAMPLE.TK

   Domain Nameservers:
      NS01.EXAMPLE.COM
      NS02.EXAMPLE.COM

   Domain registered: 11/29/2016
   Record will expire on: 01/03/2027
`,
  );
  assert.equal(day(tk.createdDate), "2016-11-29");
  assert.equal(day(tk.expiryDate), "2027-01-03", "month-first, as the creation date shows");
  assert.deepEqual(tk.nameservers, ["ns01.example.com", "ns02.example.com"]);
});

test("RDAP: the registrar's vCard org when it has no fn, and real servers' event names", () => {
  const data = parseRdapDomain({
    objectClassName: "domain",
    ldhName: "example.com",
    events: [
      { eventAction: "registration", eventDate: "2001-01-11T00:00:00Z" },
      { eventAction: "registrar expiration", eventDate: "2027-01-31T00:00:00Z" },
      { eventAction: "lastChanged", eventDate: "2026-02-01T00:00:00Z" },
      { eventAction: "last update of RDAP database", eventDate: "2026-11-30T00:00:00Z" },
    ],
    entities: [
      {
        roles: ["registrar"],
        vcardArray: [
          "vcard",
          [
            ["version", {}, "text", "4.0"],
            ["org", {}, "text", "Example Registrar SAS"],
          ],
        ],
      },
    ],
  });
  assert.equal(data.registrar, "Example Registrar SAS");
  assert.equal(day(data.expiryDate), "2027-01-31");
  assert.equal(day(data.updatedDate), "2026-02-01", "not the database's own update time");
  assert.equal(day(data.createdDate), "2001-01-11");
});
