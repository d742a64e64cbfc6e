// Locates the package root, so files shipped beside the code (migrations) are found the same way
// whether this runs compiled from dist/ or as TypeScript under tsx.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "prisma"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("CertPulse package root not found");
    dir = parent;
  }
  return dir;
}

/** The package's version, as package.json states it (`--version`, the OpenAPI document). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string })
    .version;
}
