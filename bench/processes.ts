// What the benchmarks (and test helpers) share: a free loopback port, waiting for a port to accept
// connections, and a server started in its own process and awaited until it answers.
import { type ChildProcess, spawn } from "node:child_process";
import { connect, createServer } from "node:net";

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts connections on the loopback port within 5 s (false once `child` exits). */
export async function acceptsConnections(port: number, child?: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      }).once("error", () => resolve(false));
    });
    if (up) return true;
    if (child && child.exitCode !== null) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** Resolves once `child` has printed `words` (on stdout or stderr, piped); rejects, with what it said, if it exits first. */
export function untilSaid(child: ChildProcess, words: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = "";
    const hear = (chunk: Buffer) => {
      said += chunk;
      if (said.includes(words)) resolve();
    };
    child.stdout?.on("data", hear);
    child.stderr?.on("data", hear);
    child.once("exit", () => reject(new Error(`${child.spawnargs[0]} exited:\n${said}`)));
  });
}

/** Runs `node --import tsx ARGS` and resolves once `readyUrl` answers below 500. */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(readyUrl).then(
      (res) => res.status < 500,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${args.join(" ")} did not start`);
}

/** Stops a child and waits until it has gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await gone;
}

/**
 * `certpulse serve` over `databaseUrl` on a free loopback port, API only (no checks run unasked), at
 * production settings; resolves once it is ready.
 */
export async function serveApi(databaseUrl: string): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = await startProcess(
    ["src/cli/main.ts", "serve"],
    {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      CERTPULSE_SCHEDULER_ENABLED: "false",
    },
    `${base}/readyz`,
  );
  return { base, child };
}
