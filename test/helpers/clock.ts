// A scheduler over a running app's services whose clock the test moves: `await at(days(17))` runs
// everything due 17 days from now, as the app's own scheduler would then.

import type { App } from "../../src/app/app.js";
import { DAY_MS } from "../../src/lib/days.js";
import { createLogger } from "../../src/lib/logger.js";
import { Scheduler, type Work } from "../../src/scheduler/scheduler.js";

export const days = (n: number) => new Date(Date.now() + n * DAY_MS);

/** Scheduled checks by default; pass `app.services.webhookDeliveries` to drive deliveries. */
export function clockedScheduler(
  app: App,
  concurrency = 20,
  work: Work<unknown> = app.services.scheduledChecks as Work<unknown>,
) {
  let now = new Date();
  const scheduler = new Scheduler(work, {
    concurrency,
    log: createLogger(process.env.TEST_LOG ?? "silent"),
    clock: () => now,
  });
  return {
    scheduler,
    /** Moves the clock to `when` and runs all the work then due. */
    async at(when: Date): Promise<void> {
      now = when;
      scheduler.wake();
      await scheduler.idle();
    },
  };
}
