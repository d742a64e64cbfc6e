// How tests run the certpulse CLI: the compiled entry point in dist/ (`npm test` compiles first), as
// `npm start` and an installed package run it; through tsx every spawn would recompile the sources.
import { fileURLToPath } from "node:url";

export const CLI_ENTRY = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));

/** The arguments that run `certpulse …args` under `process.execPath`. */
export const cliArgs = (...args: string[]) => [CLI_ENTRY, ...args];
