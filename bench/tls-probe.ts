// The TLS probe's cost against local TLS servers at the configured concurrency: expiry checks per
// second, a bare tls.connect loop with Node's defaults over the same servers, the same loop building
// its trust list per connection (what the probe avoids by building its secure contexts once), and
// the full probe with the protocol scan and HSTS.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { type ConnectionOptions, connect, rootCertificates } from "node:tls";
import { probeTls, type TlsProbeOptions } from "../src/probes/tls/tls-probe.js";
import { createTrustStore } from "../src/probes/tls/trust-store.js";

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

async function rate(name: string, once: (port: number) => Promise<void>, ports: number[]) {
  const deadline = performance.now() + DURATION_MS;
  const started = performance.now();
  let done = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await once(ports[next++ % ports.length] as number);
        done += 1;
      }
    }),
  );
  const perSecond = (done / (performance.now() - started)) * 1000;
  console.log(`${name.padEnd(52)} ${perSecond.toFixed(0).padStart(7)} /s`);
  return perSecond;
}

/** A bare handshake that reads the peer certificate, with Node's defaults or extra options. */
function bareHandshake(port: number, options: ConnectionOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: "127.0.0.1",
      port,
      servername: "bench.test",
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

const servers = spawn(process.execPath, ["--import", "tsx", "bench/tls-servers.ts", "4"], {
  stdio: ["ignore", "pipe", "inherit"],
});
try {
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: servers.stdout }).once("line", (text) => resolve(text)),
  );
  const { ports, ca } = JSON.parse(line) as { ports: number[]; ca: string };
  const options: TlsProbeOptions = {
    trust: createTrustStore([ca]),
    timeoutMs: 10_000,
    allowPrivate: true,
  };
  const probe = (extra: Partial<TlsProbeOptions>) => async (port: number) => {
    const result = await probeTls(
      { host: "bench.test", port, address: "127.0.0.1" },
      { ...options, ...extra },
    );
    if (result.error) throw new Error(result.error);
  };

  console.log(`TLS probe, ${CONCURRENCY} concurrent checks, ${DURATION_MS / 1000} s each, 4 local servers\n`);
  await rate("warm-up", probe({ scanProtocols: false, checkHsts: false }), ports);
  const bare = await rate("bare tls.connect (Node's defaults)", (port) => bareHandshake(port), ports);
  const perConnection = await rate(
    "bare tls.connect, trust list given per connection",
    (port) => bareHandshake(port, { ca: [...rootCertificates, ca] }),
    ports,
  );
  const expiry = await rate(
    "probe: expiry check (no protocol scan, no HSTS)",
    probe({ scanProtocols: false, checkHsts: false }),
    ports,
  );
  const full = await rate("probe: full (protocol scan + HSTS: 6 connections)", probe({}), ports);
  console.log(`\nratio probe expiry check / bare tls.connect: ${(expiry / bare).toFixed(2)}`);
  console.log(
    `ratio per-connection trust list / probe: ${(perConnection / expiry).toFixed(2)} (what building the context once saves)`,
  );
  console.log(
    `ratio full probe / expiry check: ${(full / expiry).toFixed(2)} (why the scan runs less often)`,
  );
} finally {
  servers.kill();
}
