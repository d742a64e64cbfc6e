// The webhook formats by name, as the WebhookFormat enum holds them.
import type { WebhookFormat } from "../../db/generated/sqlite/client.js";
import { discord } from "./discord.js";
import type { Format } from "./format.js";
import { generic } from "./generic.js";
import { slack } from "./slack.js";

export const FORMATS: Record<WebhookFormat, Format> = { generic, slack, discord };
