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
  /** Of the queries, the Yjs appends (one INSERT that commits, per project batch since Y6's shared writes): count, p50 / p99 / max, ms. */
  yjsAppends: number;
  yjsAppendP50Ms: number;
  yjsAppendP99Ms: number;
  yjsAppendMaxMs: number;
  connectMaxMs: number;
  slowest: Array<{ at: number; ms: number; sql: string }>;
  /** Waits by what the pool had at the call: an idle client, room for a new one, or neither (queued behind held clients). */
  waitsIdle: number;
  waitsNew: number;
  waitsQueued: number;
  /** Queued waits: p99 and max, ms. */
  queuedWaitP99Ms: number;
  queuedWaitMaxMs: number;
  /** The 5 longest waits over 50 ms: what the pool held when the waiter came, and how much of the wait the loop was stalled. */
  slowWaits: SlowWait[];
}

export interface SlowWait {
  at: number;
  ms: number;
  kind: 'idle' | 'new' | 'queued';
  /** Of the wait, ms the server's loop was stalled (a 10 ms timer late by over 20 ms). */
  stalledMs: number;
  total: number;
  idle: number;
  waiting: number;
  /** Clients checked out when the waiter came: held for how long, by whom (first frames of our code), running what. */
  holders: Array<{ heldMs: number; by: string; sql: string; queryMs: number }>;
}

interface Held {
  since: number;
  by: Error;
  sql: string;
  queryStarted: number;
}
const heldKey = Symbol('held');
/** The first frames of the checkout's stack in our code (packages/, apps/), without node_modules and this file. */
function whoHolds(error: Error): string {
  const frames = (error.stack ?? '').split('\n').slice(1);
  const ours = frames
    .filter((f) => /packages\/|apps\//.test(f) && !f.includes('node_modules') && !f.includes('query-timing'))
    .map((f) =>
      f
        .trim()
        .replace(/^at /, '')
        .replace(/\(?\S*\/(packages|apps)\//, '($1/')
        .replace(/:\d+\)?$/, ')'),
    );
  return ours.slice(0, 3).join(' < ') || 'unknown';
}

const yjsAppendName = 'clapper-yjs-append';

export function timeQueries(): { take(): QueryTiming } {
  let durations: number[] = [];
  /** The collab server's appends (DocStore.append's INSERTs: named when one row): the write on the /yjs relay path. */
  let appends: number[] = [];
  let slow: Array<{ at: number; ms: number; sql: string }> = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const config = args[0];
    const held = (this as { [heldKey]?: Held })[heldKey];
    if (held) {
      held.sql = (typeof config === 'string' ? config : ((config as { text?: string })?.text ?? '')).slice(0, 50);
      held.queryStarted = started;
    }
    const done = () => {
      if (held) held.queryStarted = 0;
      const ms = performance.now() - started;
      durations.push(ms);
      if (
        (config as { name?: string } | null)?.name === yjsAppendName ||
        (config as { text?: string } | null)?.text?.startsWith('INSERT INTO yjs_updates')
      )
        appends.push(ms);
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
  let queuedWaits: number[] = [];
  let kinds = { idle: 0, new: 0, queued: 0 };
  let slowWaits: Array<SlowWait & { span: { start: number; end: number } }> = [];
  // Loop stalls (a 10 ms timer late by over 20 ms), kept for a minute, to tell a wait that was the loop's.
  let stalls: Array<{ start: number; end: number }> = [];
  let lastTick = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - lastTick - 10 > 20) stalls.push({ start: lastTick + 10, end: now });
    lastTick = now;
    if (stalls.length > 0 && stalls[0]!.end < now - 120_000) stalls = stalls.filter((x) => x.end >= now - 120_000);
  }, 10).unref();
  const stalledDuring = (start: number, end: number) =>
    stalls.reduce((sum, x) => sum + Math.max(0, Math.min(end, x.end) - Math.max(start, x.start)), 0);
  const watched = new WeakSet<object>();
  type PoolView = pg.Pool & { options?: { max?: number } };
  /** Clients checked out (bench: one pool per server process). */
  const checkedOut = new Set<object>();
  const poolProto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
  const connect = poolProto.connect;
  poolProto.connect = function timedConnect(this: PoolView, ...args: unknown[]) {
    const started = performance.now();
    if (!watched.has(this)) {
      watched.add(this);
      this.on('release', (_error: unknown, client: unknown) => {
        const held = (client as { [heldKey]?: Held })[heldKey];
        if (held) held.since = 0;
        checkedOut.delete(client as object);
      });
    }
    const by = new Error('checkout');
    const max = this.options?.max ?? 10;
    const kind: SlowWait['kind'] = this.idleCount > 0 ? 'idle' : this.totalCount < max ? 'new' : 'queued';
    kinds[kind] += 1;
    const state = { total: this.totalCount, idle: this.idleCount, waiting: this.waitingCount };
    const holders =
      kind === 'queued'
        ? [...checkedOut].flatMap((client) => {
            const held = (client as { [heldKey]?: Held })[heldKey];
            if (!held || held.since === 0) return [];
            return [
              {
                heldMs: Math.round(started - held.since),
                by: whoHolds(held.by),
                sql: held.queryStarted ? held.sql : `(between queries; last: ${held.sql})`,
                queryMs: held.queryStarted ? Math.round(started - held.queryStarted) : 0,
              },
            ];
          })
        : [];
    const acquired = (client: unknown) => {
      const ms = performance.now() - started;
      waits.push(ms);
      if (kind === 'queued') queuedWaits.push(ms);
      if (client && typeof client === 'object') {
        (client as { [heldKey]?: Held })[heldKey] = { since: performance.now(), by, sql: '', queryStarted: 0 };
        checkedOut.add(client);
      }
      if (ms > 50) {
        slowWaits.push({
          at: Math.round(performance.timeOrigin + started),
          ms: Math.round(ms),
          kind,
          // Filled in by take(): a stall that ends as this wait does is recorded only when the timer runs next.
          stalledMs: 0,
          span: { start: started, end: performance.now() },
          ...state,
          holders,
        });
      }
    };
    const callback = args[0];
    if (typeof callback === 'function') {
      return connect.call(this, (...answer: unknown[]) => {
        acquired(answer[1]);
        (callback as (...a: unknown[]) => void)(...answer);
      });
    }
    const result = connect.apply(this, args) as Promise<unknown>;
    result.then(acquired, () => acquired(undefined));
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
        waitsIdle: kinds.idle,
        waitsNew: kinds.new,
        waitsQueued: kinds.queued,
        queuedWaitP99Ms: at(queuedWaits, 99),
        queuedWaitMaxMs: max(queuedWaits),
        slowWaits: slowWaits
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5)
          .map(({ span, ...wait }) => ({ ...wait, stalledMs: Math.round(stalledDuring(span.start, span.end)) })),
      };
      queuedWaits = [];
      kinds = { idle: 0, new: 0, queued: 0 };
      slowWaits = [];
      appends = [];
      opened = [];
      waits = [];
      durations = [];
      slow = [];
      return timing;
    },
  };
}
