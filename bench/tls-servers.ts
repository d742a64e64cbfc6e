// Local TLS servers for the probe benchmark, in their own process: prints {"ports": […], "ca": PEM}
// on one line, then serves until killed.
import { testPki } from "../test/helpers/pki.js";
import { startHttpsServer } from "../test/helpers/tls-servers.js";

const count = Number(process.argv[2] ?? 4);
const pki = await testPki();
const ports: number[] = [];
for (let i = 0; i < count; i++) {
  const leaf = await pki.leaf({ cn: "bench.test", sans: ["bench.test", "*.bench.test"], rsaBits: 2048 });
  ports.push((await startHttpsServer({ chain: [leaf.cert, pki.intermediate.cert], key: leaf.key })).port);
}
console.log(JSON.stringify({ ports, ca: pki.root.cert }));
