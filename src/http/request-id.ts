// Request ids: a caller's X-Request-Id is kept when it is a sane token, otherwise one is made.
import { randomUUID } from "node:crypto";

const SAFE = /^[\w.:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && SAFE.test(header) ? header : randomUUID();
}
