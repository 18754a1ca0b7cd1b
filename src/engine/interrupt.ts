/**
 * Cooperative interruption of a long synchronous evaluation (an ad-hoc SELECT's one-shot cycle).
 * JavaScript cannot preempt a running computation, and no timer fires while it runs, so the
 * places that produce rows call interruptPoint(); every few thousand calls it runs the check the
 * evaluation was started with, which throws (57014 when statement_timeout has passed) to abandon
 * the throwaway dataflow. Outside such an evaluation (the shared dataflow's cycles) it does
 * nothing, so a maintained view is never interrupted halfway.
 */

/** Rows produced between two checks: a check costs a clock read, a row a few hundred ns. */
const CHECK_EVERY = 4096;

let currentCheck: (() => void) | null = null;
let countdown = CHECK_EVERY;

/** Runs `body` with `check` called every CHECK_EVERY interrupt points. */
export function interruptible<T>(check: (() => void) | undefined, body: () => T): T {
  if (check === undefined) return body();
  const outer = currentCheck;
  currentCheck = check;
  countdown = CHECK_EVERY;
  try {
    return body();
  } finally {
    currentCheck = outer;
  }
}

/** Called once per row produced; cheap when no evaluation is interruptible. */
export function interruptPoint(): void {
  if (currentCheck !== null && --countdown <= 0) {
    countdown = CHECK_EVERY;
    currentCheck();
  }
}
