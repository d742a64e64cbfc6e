// The periodic loop: node-schedule wakes it every few seconds (and anyone may wake it sooner, e.g.
// when a domain is added); each wake claims as much due work as there are free slots and runs it,
// at most `concurrency` at a time. What "due" means and how work is claimed belong to the work, so
// this loop knows nothing of domains or databases.
import { type Job, scheduleJob } from "node-schedule";
import type { Logger } from "../lib/logger.js";

/**
 * Which due work a claim may take: `any` (most overdue first), or only `first` work — what was
 * never done yet, such as a new domain's first check — for the slots kept free for it.
 */
export type Lane = "any" | "first";

export interface Work<T> {
  /** Claims up to `limit` items due at `now`; what one instance claims no other gets. */
  claim(now: Date, limit: number, lane: Lane): Promise<T[]>;
  run(item: T, now: Date): Promise<void>;
}

export interface SchedulerOptions {
  concurrency: number;
  /**
   * Slots beyond `concurrency` that only `first` work may use: a new domain's first check starts
   * within a second even while every other slot waits on hung peers or a backlog. 0: no such lane.
   */
  firstSlots?: number;
  log: Logger;
  /** The time due work is judged by; tests move it. */
  clock?: () => Date;
}

/** node-schedule's cron rule (with seconds) for the regular wake-up: every 10 seconds. */
const WAKE_RULE = "*/10 * * * * *";

export class Scheduler<T> {
  private job: Job | null = null;
  private readonly running = new Set<Promise<void>>();
  private readonly runningFirst = new Set<Promise<void>>();
  private claiming: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = false;

  constructor(
    private readonly work: Work<T>,
    private readonly options: SchedulerOptions,
  ) {}

  /** Starts the regular wake-up and wakes once now, so overdue work runs at start-up. */
  start(): void {
    this.stopped = false;
    this.job = scheduleJob(WAKE_RULE, () => this.wake());
    this.wake();
  }

  /** Claims and starts due work in the background; wakes arriving during a claim fold into one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.wakeAgain = true;
      return;
    }
    this.claiming = this.claimAndStart()
      .catch((err) => this.options.log.error({ err }, "claiming scheduled work failed"))
      .finally(() => {
        this.claiming = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  private async claimAndStart(): Promise<void> {
    const now = this.options.clock?.() ?? new Date();
    // The reserved lane first, so a new item takes a reserved slot and leaves the others to the rest.
    await this.claimInto(
      this.runningFirst,
      (this.options.firstSlots ?? 0) - this.runningFirst.size,
      now,
      "first",
    );
    await this.claimInto(this.running, this.options.concurrency - this.running.size, now, "any");
  }

  private async claimInto(slots: Set<Promise<void>>, free: number, now: Date, lane: Lane): Promise<void> {
    if (free <= 0) return;
    const items = await this.work.claim(now, free, lane);
    for (const item of items) {
      const run: Promise<void> = this.work
        .run(item, now)
        .catch((err) => this.options.log.error({ err }, "scheduled work failed"))
        .finally(() => {
          slots.delete(run);
          // More may be due than was claimed (a full batch, or work that waited for this item to
          // finish, such as a webhook's next delivery): look again as soon as a slot frees.
          this.wake();
        });
      slots.add(run);
    }
  }

  /** Resolves once nothing is being claimed or run (new wakes included). */
  async idle(): Promise<void> {
    while (this.claiming || this.running.size > 0 || this.runningFirst.size > 0) {
      await Promise.allSettled([this.claiming, ...this.running, ...this.runningFirst]);
    }
  }

  /** Stops waking; waits for running work up to `timeoutMs` (claims left behind simply expire). */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.job?.cancel();
    this.job = null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([this.idle(), timeout]);
    clearTimeout(timer);
  }
}
