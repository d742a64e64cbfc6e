// What every resolver receives: the services, the caller's identity (null when no key was sent) and
// the request id that ties log lines to a response.
import type { Auth } from "../services/api-keys.service.js";
import type { Services } from "../services/index.js";

export interface Context {
  services: Services;
  auth: Auth | null;
  requestId: string;
}
