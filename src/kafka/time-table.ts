/**
 * CREATE SOURCE ... FROM TIME TABLE (PERIOD 'interval' [, START TIME 'timestamptz']): one row
 * (timestamp timestamptz, tick bigint) per period, Deephaven's timeTable.
 *
 * Tick n is due at start + n * period, and its timestamp is exactly that instant: the schedule
 * is computed from the start, never by adding up timer delays, so it does not drift however late
 * the event loop runs a timer. A late timer (or a START TIME in the past) emits every tick that
 * became due meanwhile, in bounded batches with a turn of the event loop between them, so that a
 * long catch-up neither blocks queries nor builds one giant change batch.
 */
import { SqlError, SQLSTATE } from '../errors.js';
import type { Row } from '../engine/batch.js';
import type { SourceRuntime } from '../catalog/relation.js';
import { formatInterval } from '../types/datetime-text.js';
import type { Interval } from '../types/types.js';
import type { TimeTablePush, TimeTableSourceSpec } from './source-spec.js';

const MICROS_PER_DAY = 86_400_000_000;
/** PostgreSQL compares intervals with 30-day months (interval_cmp_value); a period does too. */
const DAYS_PER_MONTH = 30;
/** Rows per push while catching up: big enough to be cheap, small enough to keep cycles short. */
const CATCH_UP_BATCH = 10_000;

/** The period as a fixed number of microseconds; refuses periods that are not positive. */
export function periodMicros(period: Interval): number {
  const micros = (period.months * DAYS_PER_MONTH + period.days) * MICROS_PER_DAY + period.micros;
  if (!(micros > 0)) {
    throw new SqlError(SQLSTATE.invalidParameterValue, `time table PERIOD must be positive, not '${formatInterval(period)}'`);
  }
  return micros;
}

/** Now, in microseconds since the epoch (timestamptz's representation). */
const clock = () => Date.now() * 1000;

/** Starts emitting ticks into `push`; the rows are (timestamp timestamptz, tick bigint). */
export function startTimeTable(spec: TimeTableSourceSpec, push: TimeTablePush): SourceRuntime {
  const period = periodMicros(spec.period);
  const start = spec.startTime ?? clock();
  let nextTick = 0;
  let stopped = false;
  /** Cancels the pending timer or immediate, if one is pending. */
  let cancelPending: (() => void) | null = null;

  const dueAt = (tick: number) => start + tick * period;
  /** How many ticks are due by now (ticks 0 .. n-1). */
  const dueCount = () => Math.max(0, Math.floor((clock() - start) / period) + 1);

  const emit = () => {
    cancelPending = null;
    if (stopped) return;
    const due = dueCount();
    const end = Math.min(due, nextTick + CATCH_UP_BATCH);
    if (end > nextTick) {
      const rows: Row[] = [];
      for (let tick = nextTick; tick < end; tick++) rows.push([dueAt(tick), BigInt(tick)]);
      nextTick = end;
      push(rows);
    }
    if (nextTick < due) {
      // Still behind: let the update cycle (queued by the push) and queries run, then go on.
      const immediate = setImmediate(emit);
      cancelPending = () => clearImmediate(immediate);
    } else {
      const waitMs = Math.max(0, Math.ceil((dueAt(nextTick) - clock()) / 1000));
      const timeout = setTimeout(emit, waitMs);
      cancelPending = () => clearTimeout(timeout);
    }
  };
  emit();

  return {
    status: () => ({
      type: 'time table',
      topic: null,
      status: stopped ? 'stopped' : 'running',
      messages: nextTick,
      errors: 0,
      // Ticks already due but not yet emitted: non-zero only while catching up.
      lag: stopped ? null : Math.max(0, dueCount() - nextTick),
    }),
    async stop() {
      stopped = true;
      cancelPending?.();
      cancelPending = null;
    },
  };
}
