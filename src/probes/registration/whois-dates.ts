// Dates as WHOIS servers write them. There is no standard, and date libraries either guess (Date.parse
// reads "01/02/2027" as US month-first) or need the format named, so the formats real registries use
// are listed here, each with a registry that writes it. Dates without a zone are taken as UTC.

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** Zone names some registries append, e.g. JPRS's "(JST)". */
const ZONES: Record<string, string> = {
  UTC: "Z",
  GMT: "Z",
  Z: "Z",
  JST: "+09:00",
  KST: "+09:00",
  CET: "+01:00",
  CEST: "+02:00",
};

function build(y: string, month: number, d: string, time: string | undefined, zone: string): Date | null {
  const hms = time === undefined ? "00:00:00" : time.length === 5 ? `${time}:00` : time;
  // Date.UTC(2027, 1, 30) rolls over to March: a day that does not exist is no date.
  if (
    month < 1 ||
    month > 12 ||
    new Date(Date.UTC(Number(y), month - 1, Number(d))).getUTCDate() !== Number(d)
  ) {
    return null;
  }
  return new Date(`${y}-${String(month).padStart(2, "0")}-${d.padStart(2, "0")}T${hms}${zone}`);
}

const offset = (text: string | undefined, zone: string) =>
  text ? text.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, "$1:$2") : zone;

type Format = [RegExp, (m: string[], zone: string) => Date | null];

const FORMATS: Format[] = [
  // 2027-03-15T00:00:00Z, 2025-06-12T10:11:12+02:00 (gTLDs, AFNIC, DENIC)
  [/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/i, (m) => new Date(m[0] as string)],
  // 2027-03-15, 2027/01/31 01:05:05, 2027.03.15 10:00:00+0100 (JPRS, .pl, .kr, many ccTLDs)
  [
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i,
    (m, zone) => build(m[1]!, Number(m[2]), m[3]!, m[4], offset(m[5], zone)),
  ],
  // 15-Mar-2027, 15-mar-2027 12:00:00 (Nominet, .ie, older gTLD registrars)
  [
    /^(\d{1,2})[- ]([a-z]{3})[a-z]*[- ](\d{4})(?:\s+(\d{2}:\d{2}(?::\d{2})?))?$/i,
    (m, zone) => build(m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, m[1]!, m[4], zone),
  ],
  // 15.03.2027, 15/03/2027: day first, as the registries writing these mean it (.ru, .cz, .tr)
  [
    /^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:\s+(\d{2}:\d{2}(?::\d{2})?))?$/,
    (m, zone) => build(m[3]!, Number(m[2]), m[1]!, m[4], zone),
  ],
  // 20270315 (registro.br)
  [/^(\d{4})(\d{2})(\d{2})$/, (m, zone) => build(m[1]!, Number(m[2]), m[3]!, undefined, zone)],
];

export function parseWhoisDate(text: string | undefined): Date | null {
  if (!text) return null;
  let value = text.trim().replace(/\s+#\d+$/, ""); // registro.br: "20200315 #12345"
  let zone = "Z";
  const named = /\s*\(?\b([A-Z]{1,4})\)?$/.exec(value);
  if (named?.[1] && ZONES[named[1]] && !/^\d/.test(named[1])) {
    zone = ZONES[named[1]] as string;
    value = value.slice(0, named.index).trim();
  }
  for (const [pattern, read] of FORMATS) {
    const match = pattern.exec(value);
    if (match) {
      const date = read(match, zone);
      return date && !Number.isNaN(date.getTime()) ? date : null;
    }
  }
  return null;
}
