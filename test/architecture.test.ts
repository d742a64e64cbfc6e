// The layers ARCHITECTURE.md draws, held by the imports themselves: every import runs from an outer
// layer to an inner one (or within a layer), no import cycle, no folder past ten files, and the pure
// alert rules reach no database or network code, however indirectly.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve(import.meta.dirname, "../src");

/** Outermost first; a module may import its own layer and those after it. */
const LAYERS: string[][] = [
  ["cli"],
  ["app"],
  ["http"],
  ["schema"],
  ["domains", "checks", "alerts", "webhooks", "access"],
  ["probes", "scheduler", "events"],
  ["db", "lib", "config.ts", "types"],
];
const layerOf = (file: string) => {
  const top = relative(SRC, file).split("/")[0] ?? "";
  const index = LAYERS.findIndex((names) => names.includes(top));
  assert.notEqual(index, -1, `${relative(SRC, file)} is in no layer`);
  return index;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated") return [];
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

interface Import {
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
function importsOf(file: string): Import[] {
  const found: Import[] = [];
  for (const [, , type, spec] of readFileSync(file, "utf8").matchAll(IMPORT)) {
    if (!spec) continue;
    const to = spec.startsWith(".") ? resolve(dirname(file), spec.replace(/\.js$/, ".ts")) : spec;
    found.push({ to, typeOnly: type !== undefined });
  }
  return found;
}

const files = sources(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const local = (to: string) => to.startsWith(SRC) && !to.includes("/generated/");

test("every import runs from an outer layer to an inner one", () => {
  const upward: string[] = [];
  for (const [file, imports] of graph) {
    for (const { to } of imports.filter((i) => local(i.to))) {
      if (layerOf(to) < layerOf(file)) upward.push(`${relative(SRC, file)} → ${relative(SRC, to)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test("no import cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(" → "));
      return;
    }
    state.set(file, "open");
    for (const { to } of graph.get(file) ?? []) if (graph.has(to)) visit(to, [...path, file]);
    state.set(file, "done");
  };
  for (const file of files) visit(file, []);
  assert.deepEqual(cycles, []);
});

test("no folder holds more than ten files", () => {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1);
  const crowded = [...counts].filter(([, n]) => n > 10).map(([dir, n]) => `${relative(SRC, dir)}: ${n}`);
  assert.deepEqual(crowded, []);
});

test("the pure alert rules reach no database or network code", () => {
  const IMPURE =
    /^(node:(net|tls|http|https|dns|dgram|child_process)|undici|ioredis|pg|better-sqlite3|@prisma\/)/;
  const rules = files.filter((file) => file.startsWith(join(SRC, "alerts/rules/")));
  assert.ok(rules.length >= 3);
  const reached: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, path: string[]) => {
    for (const { to, typeOnly } of graph.get(file) ?? []) {
      if (typeOnly || seen.has(to)) continue;
      seen.add(to);
      if (IMPURE.test(to) || to.endsWith("/db/client.ts")) {
        reached.push(
          [...path, file]
            .map((f) => relative(SRC, f))
            .concat(to)
            .join(" → "),
        );
      } else if (graph.has(to)) walk(to, [...path, file]);
    }
  };
  for (const rule of rules) walk(rule, []);
  assert.deepEqual(reached, []);
});
