// One pino logger for the process; request handlers log through a child carrying the request id.
import { type Logger, pino } from "pino";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "certpulse" } });
}
