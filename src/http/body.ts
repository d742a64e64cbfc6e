// Reads a request body up to a limit before anything parses it, so an oversized or endless body is
// refused with a 400 instead of being buffered whole.
import type { IncomingMessage } from "node:http";

export class BodyTooLarge extends Error {}

export async function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
