// One pino logger for the process; request handlers log through a child carrying the request id.
// JSON lines for log collectors; on a terminal, pino-pretty's coloured one-line-per-event form for
// the person watching. It runs in this thread (sync), not as pino's worker transport, so the last
// lines before an exit are never lost and a stop leaves no thread behind.
import { type Logger, pino } from "pino";
import { PinoPretty } from "pino-pretty";

export type { Logger };

export function createLogger(level: string, { pretty = process.stdout.isTTY === true } = {}): Logger {
  const options = { level, base: { service: "certpulse", pid: process.pid } };
  if (!pretty) return pino(options);
  return pino(
    options,
    PinoPretty({ sync: true, colorize: true, singleLine: true, ignore: "service,hostname" }),
  );
}
