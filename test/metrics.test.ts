// GET /metrics: who sees what, the text checked by Prometheus' own parser (promtool check metrics),
// and README's alerting rules run by promtool test rules over a real scrape: the rule on
// probe_ssl_earliest_cert_expiry fires for the domain whose certificate expires in five days.
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createUser, harness, startApp, type TestUser } from "./helpers/app.js";
import { testPki } from "./helpers/pki.js";
import { type HttpsServer, startHttpsServer } from "./helpers/tls-servers.js";

const PROMTOOL = "/usr/bin/promtool";
const noPromtool = existsSync(PROMTOOL) ? false : `${PROMTOOL} is not installed (apt-get install prometheus)`;
const TOKEN = "operator-token-0123456789";
const DAY = 86_400_000;

let t: Awaited<ReturnType<typeof harness>>;
let dir: string;
let soon: HttpsServer;
let fine: HttpsServer;
let alice: TestUser;
let bob: TestUser;
const previousExtraCa = process.env.NODE_EXTRA_CA_CERTS;

before(async () => {
  const pki = await testPki();
  dir = mkdtempSync(join(tmpdir(), "certpulse-metrics-"));
  writeFileSync(join(dir, "hosts"), "127.0.0.1 soon.example.test fine.example.test down.example.test\n");
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  process.env.NODE_EXTRA_CA_CERTS = join(dir, "ca.pem");
  const issue = async (cn: string, days: number) => {
    // Issued 85 days ago, like a 90-day certificate near its end (its expiry policy is then in days).
    const notBefore = new Date(Date.now() - 85 * DAY);
    const leaf = await pki.leaf({ cn, notBefore, notAfter: new Date(Date.now() + days * DAY) });
    return startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
  };
  soon = await issue("soon.example.test", 5);
  fine = await issue("fine.example.test", 200);
  t = await harness({
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "1500",
    CERTPULSE_METRICS_TOKEN: TOKEN,
  });
  alice = await createUser(t.app);
  bob = await createUser(t.app);
  const add = async (user: TestUser, hostname: string, port: number, tags: string[] = []) => {
    const api = t.client(user.key);
    const { id } = (await api.post("/domains", { hostname, port, tags })).body;
    assert.equal((await api.post("/check", { domain_id: id })).status, 200);
  };
  await add(alice, "soon.example.test", soon.port, ["prod", "eu"]);
  await add(alice, "fine.example.test", fine.port);
  await add(alice, "down.example.test", 9); // nothing listens: the check fails
  await add(bob, "fine.example.test", fine.port, ["bob"]);
});

after(async () => {
  await t.close();
  await soon.close();
  await fine.close();
  rmSync(dir, { recursive: true, force: true });
  process.env.NODE_EXTRA_CA_CERTS = previousExtraCa;
});

const scrape = (authorization?: string) =>
  fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Samples of the exposition text (enough of its grammar for the values this server writes). */
function samples(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
      );
      return { name: match[1] as string, labels: labels as Record<string, string>, value: Number(match[3]) };
    });
}

/** Prometheus' humanizeDuration for whole seconds of a day or more: "4d 21h 59m 58s". */
function humanizeDuration(seconds: number): string {
  const [d, h, m, s] = [
    Math.floor(seconds / 86400),
    Math.floor(seconds / 3600) % 24,
    Math.floor(seconds / 60) % 60,
    seconds % 60,
  ];
  return `${d}d ${h}h ${m}m ${s}s`;
}

const promtool = (args: string[], input?: string) =>
  spawnSync(PROMTOOL, args, { input, encoding: "utf8", cwd: dir });

test("no key, a malformed or an unknown one: 401 with a Bearer challenge", async () => {
  for (const authorization of [undefined, "Basic abc", "Bearer ssa_live_nope"]) {
    const res = await scrape(authorization);
    assert.equal(res.status, 401, authorization);
    assert.match(res.headers.get("www-authenticate") ?? "", /^Bearer/);
    assert.ok((await res.json()).error);
  }
});

test("a read key sees its own domains only, in text Prometheus' parser accepts", async () => {
  const res = await scrape(`Bearer ${alice.readKey}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  if (!noPromtool) {
    const lint = promtool(["check", "metrics"], text);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  }
  const all = samples(text);
  const of = (name: string, hostname: string) =>
    all.filter((s) => s.name === name && s.labels.hostname === hostname);
  assert.deepEqual([...new Set(all.map((s) => s.labels.hostname))].sort(), [
    "down.example.test",
    "fine.example.test",
    "soon.example.test",
  ]);
  assert.ok(all.every((s) => s.labels.owner === undefined));
  assert.ok(!all.some((s) => s.labels.tags === ",bob,"), "bob's domain is not alice's");
  assert.ok(!all.some((s) => s.name.startsWith("certpulse_checks")), "service metrics are the operator's");

  const [earliest] = of("probe_ssl_earliest_cert_expiry", "soon.example.test");
  assert.equal(earliest?.labels.tags, ",prod,eu,");
  assert.equal(earliest?.labels.port, String(soon.port));
  // The chain's first expiry, against what openssl reads off the served leaf.
  // Asynchronously: the server answering openssl runs in this process.
  const served = await new Promise<string>((resolve, reject) => {
    const child = execFile("openssl", ["s_client", "-connect", `127.0.0.1:${soon.port}`], (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end();
  });
  const notAfter = execFileSync("openssl", ["x509", "-noout", "-enddate"], { input: served }).toString();
  const expected = Date.parse(notAfter.replace("notAfter=", "").trim()) / 1000;
  assert.equal(earliest?.value, expected);
  const chain = of("ssl_cert_not_after", "soon.example.test").sort(
    (a, b) => Number(a.labels.position) - Number(b.labels.position),
  );
  assert.deepEqual(
    chain.map((s) => [s.labels.position, s.labels.cn]),
    [
      ["0", "soon.example.test"],
      ["1", chain[1]?.labels.cn ?? "?"],
    ],
  );
  assert.equal(chain[0]?.value, expected);
  assert.equal(chain[0]?.labels.issuer_cn, chain[1]?.labels.cn);
  assert.equal(of("probe_success", "soon.example.test")[0]?.value, 1);
  assert.equal(of("probe_success", "down.example.test")[0]?.value, 0);
  assert.deepEqual(
    of("probe_tls_version_info", "soon.example.test").map((s) => [s.labels.version, s.value]),
    [["TLS 1.3", 1]],
  );
  const remaining = of("certpulse_ssl_remaining_seconds", "soon.example.test")[0]?.value ?? 0;
  assert.ok(Math.abs(remaining - (expected - Date.now() / 1000)) < 60, String(remaining));
  const status = (host: string) => of("certpulse_domain_status", host).map((s) => s.labels.status);
  assert.deepEqual(status("soon.example.test"), ["critical"]);
  assert.deepEqual(status("down.example.test"), ["error"]);
  const open = of("certpulse_open_alerts", "soon.example.test");
  assert.ok((open.find((s) => s.labels.severity === "critical")?.value ?? 0) >= 1, JSON.stringify(open));
});

test("the operator's token sees every user's domains, with owners, and the service's own metrics", async () => {
  const res = await scrape(`Bearer ${TOKEN}`);
  assert.equal(res.status, 200);
  const text = await res.text();
  if (!noPromtool) {
    const lint = promtool(["check", "metrics"], text);
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  }
  const all = samples(text);
  const owners = new Set(all.filter((s) => s.name === "probe_success").map((s) => s.labels.owner));
  assert.deepEqual([...owners].sort(), [alice.email, bob.email].sort());
  const value = (name: string, labels: Record<string, string>) =>
    all.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  assert.equal(value("certpulse_checks_total", { kind: "ssl", outcome: "ok" }), 3);
  assert.equal(value("certpulse_checks_total", { kind: "ssl", outcome: "error" }), 1);
  assert.equal(value("certpulse_check_duration_seconds_count", { kind: "ssl" }), 4);
  assert.ok((value("certpulse_alerts_raised_total", { type: "ssl_expiry", severity: "critical" }) ?? 0) >= 1);
  assert.equal(
    value("certpulse_http_request_duration_seconds_count", { route: "/api/v1/check", status: "200" }),
    4,
  );
  assert.ok(
    (value("certpulse_graphql_operation_duration_seconds_count", { operation: "mutation" }) ?? 0) >= 8,
  );
  // The scheduler is off in this test: all four domains are due since they were added.
  assert.equal(value("certpulse_scheduler_backlog", { kind: "ssl" }), 4);
  const lag = value("certpulse_scheduler_lag_seconds", { kind: "ssl" }) ?? -1;
  assert.ok(lag > 0 && lag < 120, String(lag));
  assert.equal(value("certpulse_scheduler_backlog", { kind: "registration" }), 0);
  // A random path is one series, "other", however many are asked for.
  for (const path of ["/a", "/b", "/c"]) await fetch(`${t.url}${path}`);
  const again = samples(await (await scrape(`Bearer ${TOKEN}`)).text());
  const other = again.filter(
    (s) => s.name === "certpulse_http_request_duration_seconds_count" && s.labels.route === "other",
  );
  assert.equal(other.length, 1);
  assert.equal(other[0]?.value, 3);
});

test("README's alerting rules, run by promtool over this scrape, fire for the expiring and the failing domain", {
  skip: noPromtool,
}, async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const rules = /```yaml\n(groups:[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(rules, "README shows the rules");
  writeFileSync(join(dir, "rules.yml"), rules);
  const check = promtool(["check", "rules", "rules.yml"]);
  assert.equal(check.status, 0, check.stdout + check.stderr);

  const now = Date.now() / 1000;
  const scraped = samples(await (await scrape(`Bearer ${alice.readKey}`)).text()).filter((s) =>
    ["probe_ssl_earliest_cert_expiry", "probe_success"].includes(s.name),
  );
  /** Seconds from the scrape until the domain's chain first expires. */
  const left = (hostname: string) => {
    const s = scraped.find(
      (x) => x.name === "probe_ssl_earliest_cert_expiry" && x.labels.hostname === hostname,
    );
    return Math.round((s?.value ?? Number.NaN) - now);
  };
  // promtool's clock starts at 0: timestamps are shifted so that 0 is the moment of the scrape.
  const series = scraped.map((s) => {
    const labels = Object.entries(s.labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(",");
    const value = s.name === "probe_success" ? s.value : left(s.labels.hostname ?? "");
    return { series: `${s.name}{${labels}}`, values: `${value}x180` };
  });
  const alert = (name: string, hostname: string) => {
    const s = scraped.find((x) => x.name === name && x.labels.hostname === hostname);
    assert.ok(s, `${name} for ${hostname}`);
    // Prometheus drops labels whose value is empty (an untagged domain's tags).
    return Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ""));
  };
  const tests = {
    rule_files: ["rules.yml"],
    evaluation_interval: "1m",
    tests: [
      {
        interval: "1m",
        input_series: series,
        alert_rule_test: [
          {
            eval_time: "2h",
            alertname: "CertificateExpiresSoon",
            exp_alerts: [
              {
                exp_labels: {
                  ...alert("probe_ssl_earliest_cert_expiry", "soon.example.test"),
                  severity: "warning",
                },
                exp_annotations: {
                  summary: `soon.example.test:${soon.port}: a certificate of its chain expires in ${humanizeDuration(left("soon.example.test") - 7200)}`,
                },
              },
            ],
          },
          {
            eval_time: "2h",
            alertname: "CertificateCheckFailing",
            exp_alerts: [
              {
                exp_labels: { ...alert("probe_success", "down.example.test"), severity: "critical" },
                exp_annotations: { summary: "down.example.test:9: no trusted certificate could be read" },
              },
            ],
          },
        ],
      },
    ],
  };
  // JSON is YAML: promtool reads the test file as either.
  writeFileSync(join(dir, "rules.test.yml"), JSON.stringify(tests));
  const run = promtool(["test", "rules", "rules.test.yml"]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test("checks run by the check thread are counted: the scrape sums both threads' metrics", async () => {
  const second = await startApp(t.database.url, {
    CERTPULSE_HOSTS_FILE: join(dir, "hosts"),
    CERTPULSE_ALLOW_PRIVATE_TARGETS: "true",
    CERTPULSE_PROBE_TIMEOUT_MS: "1500",
    CERTPULSE_METRICS_TOKEN: TOKEN,
    CERTPULSE_SCHEDULER_ENABLED: "true",
  });
  try {
    const counted = async () => {
      const res = await fetch(`${second.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return samples(await res.text())
        .filter((s) => s.name === "certpulse_checks_total" && s.labels.kind === "ssl")
        .reduce((sum, s) => sum + s.value, 0);
    };
    // The four domains are due; this instance's check thread takes them.
    const deadline = Date.now() + 20_000;
    while ((await counted()) < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await counted(), 4);
  } finally {
    await second.stop();
  }
});
