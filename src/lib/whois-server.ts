// A WHOIS server as configuration and referrals name it: host and port, written and read back.
export interface WhoisServer {
  host: string;
  port: number;
}

export const formatServer = ({ host, port }: WhoisServer) =>
  `${host.includes(":") ? `[${host}]` : host}${port === 43 ? "" : `:${port}`}`;

/** "whois.example", "whois.example:4343", "whois://whois.example", "[::1]:43" → host and port. */
export function parseServer(text: string): WhoisServer | null {
  const match = /^(?:r?whois:\/\/)?(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?\/?$/i.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3] ?? 43);
  if (!host || port < 1 || port > 65535) return null;
  return { host: host.toLowerCase(), port };
}
