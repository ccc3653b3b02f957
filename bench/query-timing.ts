// How long the server's PostgreSQL queries took, for the devices benchmark's server process
// (bench only): pg's Client#query is wrapped to time every query (promise or callback: pg.Pool#query, which the Yjs appends use, passes a callback) from
// submission (which includes waiting behind the connection's earlier queries) to its answer.
// A commit's fsync is in the time of the statement that commits (pushes and Yjs appends are
// autocommit statements). Read with `take()`, which starts the next window.
import pg from 'pg';
import { percentile } from './stats.ts';

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
  /** Connections the pool opened in the window (each a new backend: its statements are prepared again), and the longest open, ms. */
  connectionsOpened: number;
  /** Of the queries, the Yjs appends (one INSERT that commits, per doc batch): count, p50 / p99 / max, ms. */
  yjsAppends: number;
  yjsAppendP50Ms: number;
  yjsAppendP99Ms: number;
  yjsAppendMaxMs: number;
  connectMaxMs: number;
  slowest: Array<{ at: number; ms: number; sql: string }>;
}

const yjsAppendName = 'clapper-yjs-append';

export function timeQueries(): { take(): QueryTiming } {
  let durations: number[] = [];
  /** The collab server's appends (DocStore.append's named INSERT): the write on the /yjs relay path. */
  let appends: number[] = [];
  let slow: Array<{ at: number; ms: number; sql: string }> = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const config = args[0];
    const done = () => {
      const ms = performance.now() - started;
      durations.push(ms);
      if ((config as { name?: string } | null)?.name === yjsAppendName) appends.push(ms);
      if (ms > 50) {
        const text = typeof config === 'string' ? config : ((config as { text?: string })?.text ?? '');
        slow.push({ at: Math.round(performance.timeOrigin + started), ms: Math.round(ms), sql: text.slice(0, 60) });
      }
    };
    // pg.Pool#query (the Yjs appends) calls with a callback last; the rest use the promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...answer: unknown[]) => {
        done();
        (callback as (...a: unknown[]) => void)(...answer);
      };
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(done, done);
    return result;
  };
  let opened: number[] = [];
  const clientProto = pg.Client.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const clientConnect = clientProto.connect;
  clientProto.connect = function timedClientConnect(this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const callback = args[0];
    if (typeof callback === 'function') {
      return clientConnect.call(this, (...answer: unknown[]) => {
        opened.push(performance.now() - started);
        (callback as (...a: unknown[]) => void)(...answer);
      });
    }
    const result = clientConnect.apply(this, args) as Promise<unknown>;
    const done = () => opened.push(performance.now() - started);
    result.then(done, done);
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
  // Nearest rank (stats.ts), 0 for a window without any.
  const at = (values: number[], p: number) => round(values.length === 0 ? 0 : percentile(values, p));
  const max = (values: number[]) => round(values.reduce((most, v) => Math.max(most, v), 0));
  return {
    take() {
      const timing: QueryTiming = {
        queries: durations.length,
        p50Ms: at(durations, 50),
        p99Ms: at(durations, 99),
        maxMs: max(durations),
        over50ms: slow.length,
        slowest: slow.sort((a, b) => b.ms - a.ms).slice(0, 10),
        poolWaitP99Ms: at(waits, 99),
        poolWaitMaxMs: max(waits),
        connectionsOpened: opened.length,
        connectMaxMs: max(opened),
        yjsAppends: appends.length,
        yjsAppendP50Ms: at(appends, 50),
        yjsAppendP99Ms: at(appends, 99),
        yjsAppendMaxMs: max(appends),
      };
      appends = [];
      opened = [];
      waits = [];
      durations = [];
      slow = [];
      return timing;
    },
  };
}
