// The TLS probe's cost on one nginx at the configured concurrency, side by side with Prometheus'
// blackbox_exporter (its tcp prober with TLS, what `probe_ssl_earliest_cert_expiry` comes from)
// and with a bare tls.connect loop; then the full probe (protocol scan + HSTS). Rounds interleave
// the contenders so both see the same machine; each ratio is printed as min / median / max.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConnectionOptions, connect } from "node:tls";
import { probeTls, type TlsProbeOptions } from "../src/probes/tls/tls-probe.js";
import { createTrustStore } from "../src/probes/tls/trust-store.js";
import { testPki } from "../test/helpers/pki.js";
import { startHttpsServer } from "../test/helpers/tls-servers.js";
import { cpuSeconds, startBlackbox, startNginx } from "./peers.js";

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SERVER_NAME = "bench.test";

interface Rate {
  perSecond: number;
  /** CPU milliseconds per probe in the process that probes. */
  cpuMs: number;
}

/** `once` repeated by CONCURRENCY callers for DURATION_MS; `cpu` reads the prober's CPU seconds. */
async function rate(once: () => Promise<void>, cpu: () => number): Promise<Rate> {
  const deadline = performance.now() + DURATION_MS;
  const [started, cpu0] = [performance.now(), cpu()];
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await once();
        done += 1;
      }
    }),
  );
  return { perSecond: (done / (performance.now() - started)) * 1000, cpuMs: ((cpu() - cpu0) * 1000) / done };
}

const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** A bare handshake that reads the peer certificate, with Node's defaults. */
function bareHandshake(port: number, options: ConnectionOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: "127.0.0.1",
      port,
      servername: SERVER_NAME,
      rejectUnauthorized: false,
      ...options,
    });
    socket.once("secureConnect", () => {
      socket.getPeerX509Certificate();
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
}

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${sorted[0]?.toFixed(2)} / ${sorted[Math.floor(sorted.length / 2)]?.toFixed(2)} / ${sorted.at(-1)?.toFixed(2)}`;
};

const dir = mkdtempSync(join(tmpdir(), "certpulse-tls-bench-"));
const stops: (() => void)[] = [];
try {
  const pki = await testPki();
  const leaf = await pki.leaf({ cn: SERVER_NAME, rsaBits: 2048 });
  writeFileSync(join(dir, "ca.pem"), pki.root.cert);
  const chain = `${leaf.cert}\n${pki.intermediate.cert}`;
  const nginx = await startNginx(dir, chain, leaf.key);
  let port: number;
  if (typeof nginx === "string") {
    console.log(`${nginx}: probing a Node https server instead`);
    const server = await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key });
    stops.push(() => server.close());
    port = server.port;
  } else {
    stops.push(() => nginx.process.kill());
    port = nginx.port;
  }
  const blackbox =
    typeof nginx === "string"
      ? "no nginx: blackbox_exporter skipped"
      : await startBlackbox(dir, join(dir, "ca.pem"), SERVER_NAME);
  if (typeof blackbox !== "string") stops.push(() => blackbox.process.kill());

  const options: TlsProbeOptions = {
    trust: createTrustStore([pki.root.cert]),
    timeoutMs: 10_000,
    allowPrivate: true,
  };
  const probe = (extra: Partial<TlsProbeOptions>) => async () => {
    const result = await probeTls(
      { host: SERVER_NAME, port, address: "127.0.0.1" },
      { ...options, ...extra },
    );
    if (result.error) throw new Error(result.error);
  };
  const expiry = probe({ scanProtocols: false, checkHttp: false });
  const blackboxProbe = async () => {
    if (typeof blackbox === "string") return;
    const res = await fetch(`http://127.0.0.1:${blackbox.port}/probe?module=tls&target=127.0.0.1:${port}`);
    const body = await res.text();
    if (!body.includes("\nprobe_success 1")) throw new Error(`blackbox_exporter: ${body.slice(0, 200)}`);
  };

  console.log(
    `TLS probe against ${typeof nginx === "string" ? "a Node https server" : "nginx"}, ${CONCURRENCY} concurrent, ${ROUNDS} rounds of ${DURATION_MS / 1000} s\n`,
  );
  await rate(expiry, ownCpu); // warm-up
  const rows: Record<string, Rate[]> = {};
  const record = (name: string, r: Rate) => {
    rows[name] ??= [];
    rows[name].push(r);
  };
  for (let round = 0; round < ROUNDS; round++) {
    if (typeof blackbox !== "string") {
      record(
        "blackbox_exporter (tcp + TLS)",
        await rate(blackboxProbe, () => cpuSeconds(blackbox.process.pid as number)),
      );
    }
    record("probe: expiry check (no protocol scan, no HSTS)", await rate(expiry, ownCpu));
    record("bare tls.connect (Node's defaults)", await rate(() => bareHandshake(port), ownCpu));
    record("probe: expiry check + HSTS", await rate(probe({ scanProtocols: false }), ownCpu));
    record("probe: full (protocol scan + HSTS)", await rate(probe({}), ownCpu));
  }
  const median = (rs: Rate[], key: keyof Rate) =>
    [...rs].sort((a, b) => a[key] - b[key])[Math.floor(rs.length / 2)]?.[key] ?? Number.NaN;
  console.log(`${"".padEnd(50)} ${"probes/s".padStart(9)} ${"CPU ms/probe".padStart(13)}`);
  for (const [name, rs] of Object.entries(rows)) {
    console.log(
      `${name.padEnd(50)} ${median(rs, "perSecond").toFixed(0).padStart(9)} ${median(rs, "cpuMs").toFixed(2).padStart(13)}`,
    );
  }
  const ratio = (a: string, b: string, key: keyof Rate = "perSecond") =>
    spread((rows[a] ?? []).map((r, i) => r[key] / ((rows[b] ?? [])[i]?.[key] ?? Number.NaN)));
  console.log("\nratios, per round (min / median / max):");
  if (typeof blackbox === "string") console.log(`  ${blackbox}`);
  else {
    console.log(
      `  expiry probe / blackbox_exporter, rate: ${ratio("probe: expiry check (no protocol scan, no HSTS)", "blackbox_exporter (tcp + TLS)")} (goal >= 1.0)`,
    );
    console.log(
      `  expiry probe / blackbox_exporter, CPU per probe: ${ratio("probe: expiry check (no protocol scan, no HSTS)", "blackbox_exporter (tcp + TLS)", "cpuMs")}`,
    );
  }
  console.log(
    `  expiry probe / bare tls.connect: ${ratio("probe: expiry check (no protocol scan, no HSTS)", "bare tls.connect (Node's defaults)")}`,
  );
  console.log(
    `  expiry + HSTS / expiry: ${ratio("probe: expiry check + HSTS", "probe: expiry check (no protocol scan, no HSTS)")} (HSTS rides the same connection)`,
  );
  console.log(
    `  full / expiry: ${ratio("probe: full (protocol scan + HSTS)", "probe: expiry check (no protocol scan, no HSTS)")} (why the scan runs less often)`,
  );
} finally {
  for (const stop of stops) stop();
  rmSync(dir, { recursive: true, force: true });
}
