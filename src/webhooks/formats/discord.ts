// Discord webhooks: one embed, coloured by severity; Discord caps an embed title at 256 characters
// and its description at 4096.
import { type Format, headline } from "./format.js";

const COLOURS: Record<string, number> = { info: 0x3498db, warning: 0xf1c40f, critical: 0xe74c3c };

export const discord: Format = (event) => {
  const { title, text, severity } = headline(event);
  return {
    username: "CertPulse",
    embeds: [
      {
        title: title.slice(0, 256),
        description: text.slice(0, 4096),
        color: COLOURS[severity],
        timestamp: event.timestamp,
      },
    ],
  };
};
