// How long the server's PostgreSQL queries took, for the devices benchmark's server process
// (bench only): pg's Client#query is wrapped to time every promise-returning query from
// submission (which includes waiting behind the connection's earlier queries) to its answer.
// A commit's fsync is in the time of the statement that commits (pushes and Yjs appends are
// autocommit statements). Read with `take()`, which starts the next window.
import pg from 'pg';

export interface QueryTiming {
  queries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Queries over 50 ms: how many, and the 10 slowest (wall-clock start, length, first words). */
  over50ms: number;
  /** Waits for a pooled connection (pg.Pool#connect, which pool.query goes through): p99 and max, ms. */
  poolWaitP99Ms: number;
  poolWaitMaxMs: number;
  slowest: Array<{ at: number; ms: number; sql: string }>;
}

export function timeQueries(): { take(): QueryTiming } {
  let durations: number[] = [];
  let slow: Array<{ at: number; ms: number; sql: string }> = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      const started = performance.now();
      const config = args[0];
      const done = () => {
        const ms = performance.now() - started;
        durations.push(ms);
        if (ms > 50) {
          const text = typeof config === 'string' ? config : ((config as { text?: string })?.text ?? '');
          slow.push({ at: Math.round(performance.timeOrigin + started), ms: Math.round(ms), sql: text.slice(0, 60) });
        }
      };
      (result as Promise<unknown>).then(done, done);
    }
    return result;
  };
  let waits: number[] = [];
  const poolProto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const connect = poolProto.connect;
  poolProto.connect = function timedConnect(this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const callback = args[0];
    if (typeof callback === 'function') {
      return connect.call(this, (...answer: unknown[]) => {
        waits.push(performance.now() - started);
        (callback as (...a: unknown[]) => void)(...answer);
      });
    }
    const result = connect.apply(this, args) as Promise<unknown>;
    const done = () => waits.push(performance.now() - started);
    result.then(done, done);
    return result;
  };
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    take() {
      const sorted = durations.sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
      const timing: QueryTiming = {
        queries: sorted.length,
        p50Ms: round(at(0.5)),
        p99Ms: round(at(0.99)),
        maxMs: round(sorted.at(-1) ?? 0),
        over50ms: slow.length,
        slowest: slow.sort((a, b) => b.ms - a.ms).slice(0, 10),
        poolWaitP99Ms: 0,
        poolWaitMaxMs: 0,
      };
      const sortedWaits = waits.sort((a, b) => a - b);
      timing.poolWaitP99Ms = round(
        sortedWaits[Math.min(sortedWaits.length - 1, Math.max(0, Math.ceil(0.99 * sortedWaits.length) - 1))] ?? 0,
      );
      timing.poolWaitMaxMs = round(sortedWaits.at(-1) ?? 0);
      waits = [];
      durations = [];
      slow = [];
      return timing;
    },
  };
}
