// A signal that aborts after `ms`, and a way to let go of it early. AbortSignal.timeout() does the
// same, but Node 20 ties each one to a weak reference and a finalizer: 70 µs a probe, measured,
// where a plain timer that the probe clears when it is done costs a few.
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer; call it once the work the deadline guards is over. */
  clear(): void;
}

export function deadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation timed out.", "TimeoutError")),
    ms,
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
