/**
 * Decides when update cycles run: as soon as input is waiting (on the next turn of the event
 * loop, so everything pushed meanwhile is coalesced into one cycle), and at the times operators
 * asked for (temporal filters). Reads between cycles see one consistent state.
 */
import type { Dataflow } from './dataflow.js';

export interface SchedulerOptions {
  /** Called with anything runCycle throws (a bug: user errors fail their nodes instead). */
  onError?: (err: unknown) => void;
}

export class Scheduler {
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly flow: Dataflow, private readonly options: SchedulerOptions = {}) {
    this.unsubscribe = flow.onWake(() => this.schedule());
    if (flow.hasPendingInput()) this.schedule();
  }

  /** Requests a cycle soon (pushes call this through the Dataflow). */
  schedule(): void {
    if (this.stopped || this.immediate !== null) return;
    this.immediate = setImmediate(() => this.run());
  }

  /** Resolves once no input is waiting and no cycle is scheduled (the graph has caught up). */
  idle(): Promise<void> {
    if (this.immediate === null && !this.flow.hasPendingInput()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops scheduling cycles (server shutdown). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
    this.releaseIdle();
  }

  private run(): void {
    this.immediate = null;
    if (this.stopped) return;
    // Someone may have run the cycle synchronously since this one was requested (DML does):
    // an empty cycle would only age stream inputs early.
    const wakeup = this.flow.nextWakeup();
    const due = wakeup !== null && wakeup <= Date.now();
    if (!due && !this.flow.hasPendingInput()) {
      this.releaseIdle();
      this.armTimer();
      return;
    }
    try {
      this.flow.runCycle();
    } catch (err) {
      if (this.options.onError) this.options.onError(err);
      else throw err;
    }
    if (this.flow.hasPendingInput()) this.schedule();
    else this.releaseIdle();
    this.armTimer();
  }

  /** Arms a timer for the earliest time an operator wants a cycle without new input. */
  private armTimer(): void {
    const at = this.flow.nextWakeup();
    if (at === null || (this.timer !== null && this.timerAt <= at)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private releaseIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
