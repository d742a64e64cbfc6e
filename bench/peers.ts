// The reference peers the probe benchmark runs against, each in its own process: nginx serving a
// test certificate chain, and Prometheus' blackbox_exporter probing it (Debian's nginx-light and
// prometheus-blackbox-exporter). Each is null, with the reason, where it is not installed.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "./processes.js";

export interface Peer {
  port: number;
  process: ChildProcess;
}

const NGINX = "/usr/sbin/nginx";
const BLACKBOX = "/usr/bin/prometheus-blackbox-exporter";

async function until(what: string, ready: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${what} did not start`);
}

const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

/** nginx on loopback with `chain` (PEM, leaf first) and `key`; every path answers 204 with HSTS. */
export async function startNginx(dir: string, chain: string, key: string): Promise<Peer | string> {
  if (!existsSync(NGINX)) return `nginx is not installed (apt-get install nginx-light)`;
  const port = await freePort();
  writeFileSync(join(dir, "chain.pem"), chain);
  writeFileSync(join(dir, "key.pem"), key);
  writeFileSync(
    join(dir, "nginx.conf"),
    `daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/chain.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { add_header Strict-Transport-Security "max-age=31536000" always; return 204; }
  }
}
`,
  );
  const child = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: "inherit" });
  await until(
    "nginx",
    () =>
      new Promise((resolve) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        }).once("error", () => resolve(false));
      }),
    child,
  );
  return { port, process: child };
}

/** blackbox_exporter with one module: a TCP connection with TLS, verified against `caFile`. */
export async function startBlackbox(dir: string, caFile: string, serverName: string): Promise<Peer | string> {
  if (!existsSync(BLACKBOX)) {
    return "blackbox_exporter is not installed (apt-get install prometheus-blackbox-exporter): its comparison is skipped";
  }
  const port = await freePort();
  const config = join(dir, "blackbox.yml");
  writeFileSync(
    config,
    `modules:
  tls:
    prober: tcp
    timeout: 10s
    tcp:
      preferred_ip_protocol: ip4
      tls: true
      tls_config:
        ca_file: ${caFile}
        server_name: ${serverName}
`,
  );
  const child = spawn(
    BLACKBOX,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  await until("blackbox_exporter", () => answers(`http://127.0.0.1:${port}/`), child);
  return { port, process: child };
}

/** CPU seconds a process has used (user + system), from /proc (in clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
