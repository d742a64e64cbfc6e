// Reads a request body up to a limit before anything parses it, so an oversized or endless body is
// refused with a 400 instead of being buffered whole. The rest of an oversized body is still read
// (and dropped), up to a cap: a server that answers and closes while the client is still uploading
// resets the connection, and the client never reads its 400.
import type { IncomingMessage } from "node:http";

export class BodyTooLarge extends Error {}

/** How much of an oversized body is read and dropped so the client can read its answer. */
const DRAIN_BYTES = 16 * 1024 * 1024;

export async function readLimitedBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > DRAIN_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DRAIN_BYTES) break;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}
