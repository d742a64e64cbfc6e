// A WHOIS answer as labelled values. There is no WHOIS format, only habits, and every registry has
// its own; these are the layouts the answers of real registries use (each with one that writes it):
//
//   Registry Expiry Date: 2027-03-15T00:00:00Z      gTLDs: "label: value"
//   expires............: 15.12.2020 09:37:54         Traficom (.fi), KazNIC: dotted leaders
//   [有効期限]                      2027/03/31       JPRS: bracketed labels, also "a. [Domain Name]"
//   Domain name<TAB>google.ch                        SWITCH: tab-separated
//   Record expires on 2021-11-09 (YYYY-MM-DD)        TWNIC, MONIC: "… on <date>"
//   Name servers:                                    EDUCAUSE, HKIRC, Nominet, Dot TK, DK Hostmaster:
//       ns1.example.com                              a label alone, its values on the lines after
//   nameservers:  ns1.dropped.net.pl.                NASK (.pl): continuation lines
//                 ns2.dropped.net.pl.
//
// Written here because no maintained library reads them all: whoiser's parser, used until issue 16,
// read the gTLD layout and many ccTLDs' labels but missed the layouts above (a quarter of the expiry
// dates in a corpus of 210 real answers). whois-parse.ts maps the labels to facts.

export interface WhoisField {
  /** Lower case, spaces collapsed, without leaders or the trailing colon: "registry expiry date". */
  label: string;
  value: string;
  /** The label of the block this line is in ("name servers", "registrar"), or null at the top. A
   * block's heading is itself a field with an empty value. */
  section: string | null;
}

const COMMENT = /^\s*(%|#|>>>|;|\[ )/;
const BRACKETED = /^\s*(?:[a-z]\.\s*)?\[([^\]]{1,40})\]\s*(.*)$/;
// "label: value" and "label.....: value"; the label may not hold "//" (a URL is a value).
const COLON = /^\s*([^:\t]{1,60}?)\s*(?:\.{2,}\s*)?:(?!\/\/)\s*(.*)$/;
const TAB = /^\s*([^\t:]{1,60}?)\t+\s*(.*)$/;
// "Record expires on 2021-11-09", "Registered on 30th April 2003 at 00:00:00.000" (CIDR, .gg)
const ON_DATE = /^\s*([a-z][\w ]{2,40}?\s(?:on|until))\s+(\d.*)$/i;

// InternetNZ writes "registrar_name", "ns_name_01": underscores are spaces, a trailing index goes.
const normalize = (label: string) =>
  label
    .toLowerCase()
    .replace(/\.+$/, "")
    .replace(/[_\s]+/g, " ")
    .replace(/ \d+$/, "")
    .trim();

/** One line read as a label and its value, or null for a line that is only a value. */
function labelled(line: string): { label: string; value: string } | null {
  const match = BRACKETED.exec(line) ?? ON_DATE.exec(line) ?? COLON.exec(line) ?? TAB.exec(line);
  if (!match) return null;
  const label = normalize(match[1] as string);
  // A value line that happens to hold a colon ("tel.+357.22761649", an IPv6 address) is not a label.
  // Nor is a host name before its address ("ns2.switch.ch<TAB>130.59.31.29", SWITCH).
  if (!/^\p{L}/u.test(label) || /\d{3,}/.test(label) || /^\S+\.\S+$/.test(label)) {
    return null;
  }
  return { label, value: (match[2] as string).trim() };
}

export function readWhoisFields(text: string): WhoisField[] {
  const fields: WhoisField[] = [];
  let section: string | null = null;
  /** The label whose value lines may follow: a block heading, or a label with a value (NASK). */
  let open: { label: string; indent: number; heading: boolean } | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (line.trim() === "") {
      // A blank line ends a block (the headings' blocks are paragraphs) and any continuation, but
      // not a heading that has no value yet (HKIRC: "Name Servers Information:", a blank, the list).
      if (open?.heading && fields.at(-1)?.section === open.label) {
        section = null;
        open = null;
      } else if (!open?.heading) {
        section = null;
        open = null;
      }
      continue;
    }
    if (COMMENT.test(line)) continue;
    const indent = /^\s*/.exec(line)?.[0].replace(/\t/g, "    ").length ?? 0;
    const pair = labelled(line);
    if (pair) {
      if (pair.value === "") {
        // A heading is a field too: JPRS's empty "[Signing Key]" says the zone is unsigned.
        fields.push({ label: pair.label, value: "", section });
        section = pair.label;
        open = { label: pair.label, indent, heading: true };
      } else {
        // A handle opens its object's block: "Registrar: MARK-0292" then "Name: MarkMonitor…" (SK-NIC).
        if (/^[a-z0-9]+(?:-[a-z0-9]+)+$/i.test(pair.value) && /\d/.test(pair.value)) section = pair.label;
        fields.push({ label: pair.label, value: pair.value, section });
        open = { label: pair.label, indent, heading: false };
      }
      continue;
    }
    const value = line.trim();
    if (open?.heading) fields.push({ label: open.label, value, section: open.label });
    else if (open && indent > open.indent) fields.push({ label: open.label, value, section });
    else if (/^[A-Za-z][\w ]{1,40}$/.test(value) && !/\./.test(value)) {
      // A heading without a colon ("Nameservers", "Name servers" in SWITCH's answers).
      section = normalize(value);
      open = { label: section, indent, heading: true };
    } else open = null;
  }
  return fields;
}
