// The WHOIS reader over real registries' answers (the shared corpus of a few hundred, beside the
// repository; skipped where it is absent). test/fixtures/whois-corpus.json holds what each answer
// states: whois-parser's reading of it, and where the answer says otherwise the answer's own word
// (each such entry says why), with DNSSEC as each answer words it.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readWhoisAnswer } from "../src/probes/registration/whois-parse.js";

const here = dirname(fileURLToPath(import.meta.url));
const CORPUS = join(here, "../../shared/corpora/whois");
const absent = !existsSync(CORPUS) && `no WHOIS corpus at ${CORPUS}: the figures are not measured`;

interface Truth {
  expiry?: string;
  created?: string;
  registrar?: string;
  nameservers?: string[];
  dnssec?: boolean;
}

/** Each field's share of agreement this reader must reach over the answers that state the field. */
const GOALS = { expiry: 0.97, created: 0.95, registrar: 0.95, nameservers: 0.95, dnssec: 0.95 };

/** The answer's file name minus the TLD prefix and whois-parser's ".pre" suffix is the domain. */
const domainOf = (file: string) => file.slice(file.indexOf("_") + 1).replace(/\.pre$/, "");
const day = (date: Date | null) => date?.toISOString().slice(0, 10) ?? null;
// "Markmonitor, Inc." and "MarkMonitor Inc." are one registrar.
const simple = (name: string | null | undefined) => (name ?? "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

test("real registries' WHOIS answers are read right", { skip: absent }, () => {
  const truth: Record<string, Truth> = JSON.parse(
    readFileSync(join(here, "fixtures/whois-corpus.json"), "utf8"),
  );
  const tally = Object.fromEntries(Object.keys(GOALS).map((field) => [field, { agree: 0, stated: 0 }]));
  const wrong: string[] = [];
  const count = (field: keyof typeof GOALS, file: string, agrees: boolean, got: unknown) => {
    const entry = tally[field] as { agree: number; stated: number };
    entry.stated++;
    if (agrees) entry.agree++;
    else wrong.push(`${file} ${field}: ${JSON.stringify(got)}`);
  };
  const registered = readdirSync(join(CORPUS, "registered")).filter((file) => !file.endsWith(".json"));
  let read = 0;
  for (const file of registered) {
    const answer = readWhoisAnswer(domainOf(file), readFileSync(join(CORPUS, "registered", file), "utf8"));
    if (answer.kind === "registration") read++;
    else wrong.push(`${file}: ${answer.kind}`);
    const data = answer.kind === "registration" ? answer.data : null;
    const want = truth[file] ?? {};
    if (want.expiry)
      count("expiry", file, day(data?.expiryDate ?? null) === want.expiry, day(data?.expiryDate ?? null));
    if (want.created)
      count("created", file, day(data?.createdDate ?? null) === want.created, day(data?.createdDate ?? null));
    if (want.registrar) {
      const [got, name] = [simple(data?.registrar), simple(want.registrar)];
      count("registrar", file, got !== "" && (got.startsWith(name) || name.startsWith(got)), data?.registrar);
    }
    if (want.nameservers) {
      const got = [...(data?.nameservers ?? [])].sort();
      count("nameservers", file, JSON.stringify(got) === JSON.stringify(want.nameservers), got);
    }
    if (want.dnssec !== undefined) count("dnssec", file, data?.dnssec === want.dnssec, data?.dnssec);
  }
  const free = readdirSync(join(CORPUS, "not-found"));
  const missed = free.filter(
    (file) =>
      readWhoisAnswer(domainOf(file), readFileSync(join(CORPUS, "not-found", file), "utf8")).kind !==
      "not_registered",
  );

  const lines = Object.entries(tally).map(
    ([field, { agree, stated }]) =>
      `  ${field.padEnd(12)} ${agree}/${stated} ${((100 * agree) / stated).toFixed(1)} % (goal ${100 * GOALS[field as keyof typeof GOALS]} %)`,
  );
  console.log(
    [
      `WHOIS corpus: ${read}/${registered.length} registered answers read as registrations, ` +
        `${free.length - missed.length}/${free.length} not-found answers as not registered`,
      ...lines,
      ...wrong.map((line) => `  differs: ${line}`),
    ].join("\n"),
  );
  assert.deepEqual(missed, [], "every not-found answer is read as not registered");
  assert.equal(read, registered.length, "every registered answer is read as a registration");
  for (const [field, { agree, stated }] of Object.entries(tally)) {
    assert.ok(stated > 0, `the corpus states ${field}`);
    assert.ok(agree / stated >= GOALS[field as keyof typeof GOALS], `${field}: ${agree}/${stated}`);
  }
});
