// What the commands share: the examples block of their help, and the --email option that names
// whose data a command works on.
import { Option } from "commander";

export const examples = (...lines: string[]) =>
  `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;

/** `--email EMAIL`, required: the user a command works for (`what` says how, in the help). */
export const emailOption = (what: string) => new Option("--email <email>", what).makeOptionMandatory();
