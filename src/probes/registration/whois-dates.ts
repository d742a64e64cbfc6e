// Dates as WHOIS servers write them. There is no standard, and date libraries either guess (Date.parse
// reads "01/02/2027" as US month-first) or need the format named, so the formats real registries use
// are listed here, each with a registry that writes it. Dates without a zone are taken as UTC.
//
// A numeric date with the year last ("01/03/2022") is day-first at most registries and month-first
// at some (Dot TK); the order is the caller's to give (`DayOrder`, from the registry's convention or
// the answer's other dates). Without one, a date that reads two ways is refused, never guessed.

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
  text
    ? text
        .toUpperCase()
        .replace(/^([+-]\d{2})(\d{2})$/, "$1:$2")
        .replace(/^([+-]\d{2})$/, "$1:00")
    : zone;

/** How a numeric date with the year last orders day and month; null when it is not known. */
export type DayOrder = "day-first" | "month-first" | null;

type Format = [RegExp, (m: string[], zone: string, order: DayOrder) => Date | null];

/** "a/b/yyyy" in the given order; when none is given, only where both readings agree or one is impossible. */
function yearLast(a: string, b: string, y: string, time: string | undefined, zone: string, order: DayOrder) {
  const dayFirst = () => build(y, Number(b), a, time, zone);
  const monthFirst = () => build(y, Number(a), b, time, zone);
  if (order === "day-first") return dayFirst();
  if (order === "month-first") return monthFirst();
  if (a === b || Number(b) > 12) return monthFirst();
  if (Number(a) > 12) return dayFirst();
  return null;
}

const TIME = String.raw`(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?`;

const FORMATS: Format[] = [
  // 2027-03-15T00:00:00Z, 2025-06-12T10:11:12+02:00 (gTLDs, AFNIC, DENIC)
  [/^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/i, (m) => new Date(m[0] as string)],
  // 2027-03-15, 2027/01/31 01:05:05, 2027.03.15 10:00:00+0100, 2018-02-05 22:59:12.55172 (JPRS,
  // NASK, MONIC, many ccTLDs); "2020. 05. 19." (KISA, .kr); "2011-07-21 18:03:50+03" (Hostmaster, .ua)
  [
    new RegExp(
      String.raw`^(\d{4})(?:[-/]|\.\s?)(\d{1,2})(?:[-/]|\.\s?)(\d{1,2})\.?(?:[ T]${TIME})?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$`,
      "i",
    ),
    (m, zone) => build(m[1]!, Number(m[2]), m[3]!, m[4], offset(m[5], zone)),
  ],
  // 15-Mar-2027, 15-mar-2027 12:00:00 (Nominet, .ie, older gTLD registrars)
  [
    /^(\d{1,2})[- ]([a-z]{3})[a-z]*[- ](\d{4})(?:\s+(\d{2}:\d{2}(?::\d{2})?))?$/i,
    (m, zone) => build(m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, m[1]!, m[4], zone),
  ],
  // 31 May 1999, Wed Mar 15 2027 (SWITCH; some registrars)
  [
    new RegExp(String.raw`^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?\s+(\d{4})(?:\s+${TIME})?$`, "i"),
    (m, zone) => build(m[3]!, MONTHS.indexOf(m[2]!.toLowerCase()) + 1, m[1]!, m[4], zone),
  ],
  // 15.03.2027, 15/03/2027, 31-03-2020 (.ru, .cz, .fi, HKIRC); 12/18/2001 (Dot TK): see DayOrder
  [
    new RegExp(String.raw`^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s+${TIME})?$`),
    (m, zone, order) => yearLast(m[1]!, m[2]!, m[3]!, m[4], zone, order),
  ],
  // 20270315 (registro.br)
  [/^(\d{4})(\d{2})(\d{2})$/, (m, zone) => build(m[1]!, Number(m[2]), m[3]!, undefined, zone)],
];

/** A zone written as "(UTC+8)", "(GMT+0:00)", "UTC+08:00", as an ISO offset. */
function utcOffset(sign: string, hours: string, minutes = "00") {
  return `${sign}${hours.padStart(2, "0")}:${minutes.padStart(2, "0")}`;
}

export function parseWhoisDate(text: string | undefined, order: DayOrder = null): Date | null {
  if (!text) return null;
  let value = text
    .trim()
    .replace(/\s+#\d+$/, "") // registro.br: "20200315 #12345"
    .replace(/\s*\((?:yyyy|dd|mm)[-/.\w]*\)$/i, "") // TWNIC: "2020-10-31 (YYYY-MM-DD)"
    .replace(/\b(\d{1,2})(?:st|nd|rd|th)\b/i, "$1") // CIDR: "30th April 2003 at 00:00:00.000"
    .replace(/\s+at\s+(?=\d)/i, " ");
  let zone = "Z";
  const utc = /\s*\(?(?:UTC|GMT)\s*([+-])(\d{1,2})(?::?(\d{2}))?\)?$/i.exec(value);
  if (utc) {
    zone = utcOffset(utc[1]!, utc[2]!, utc[3]);
    value = value.slice(0, utc.index).trim();
  }
  const named = /\s*\(?\b([A-Z]{1,4})\)?$/.exec(value);
  if (named?.[1] && ZONES[named[1]] && !/^\d/.test(named[1])) {
    zone = ZONES[named[1]] as string;
    value = value.slice(0, named.index).trim();
  }
  for (const [pattern, read] of FORMATS) {
    const match = pattern.exec(value);
    if (match) {
      const date = read(match, zone, order);
      return date && !Number.isNaN(date.getTime()) ? date : null;
    }
  }
  return null;
}

const YEAR_LAST = /^(\d{1,2})[./-](\d{1,2})[./-]\d{4}\b/;

/**
 * The order an answer's year-last dates use, from the dates themselves: one with a first part above
 * 12 is day-first, one with a second part above 12 is month-first. Else the registry's convention
 * (`fallback`); null when neither tells, and then an ambiguous date is refused.
 */
export function dayOrderOf(texts: string[], fallback: DayOrder = null): DayOrder {
  for (const text of texts) {
    const match = YEAR_LAST.exec(text.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) return "day-first";
    if (Number(match[2]) > 12) return "month-first";
  }
  return fallback;
}
