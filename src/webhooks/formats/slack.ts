// Slack incoming webhooks: `text` is required (and is what notifications show); a section block
// renders it with the title in bold.
import { type Format, headline } from "./format.js";

export const slack: Format = (event) => {
  const { title, text } = headline(event);
  return {
    text: `${title}\n${text}`,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${title}*\n${text}` } }],
  };
};
