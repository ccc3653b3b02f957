// Child process for bench/devices.ts: a share of the devices, each as the app's own client
// would be: a /sync device is the sync client's NudgeSocket (a fresh ticket from
// auth.socketTicket per connection, subscribe, reconnect with backoff) and, when active,
// pushes shot edits through tRPC `sync.push`; a /yjs device is the app's collab provider
// (stock y-websocket with a ticket per connection) and, when active, types.
import { createCollabProvider, type CollabProvider } from '@clapper/collab/client';
import type { NudgeServerMessage } from '@clapper/schema';
import { NudgeSocket, type WebSocketConstructor } from '@clapper/sync-client';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import WebSocket from 'ws';
import { type LoopStalls, watchLoopStalls } from './loop-stalls.ts';
import { windowProfiler } from './window-profile.ts';
import { observeRelayLatency, typist, wallNow } from './yjs-typing.ts';

export type DeviceSpec =
  | { kind: 'sync'; index: number; token: string; projectId: string; shotId: string | null }
  | { kind: 'yjs'; index: number; token: string; docName: string; types: boolean };

export interface DevicesWorkerData {
  url: string;
  devices: DeviceSpec[];
  charsPerSecond: number;
  pushIntervalMs: number;
}

export type ToDevicesWorker =
  | { type: 'connect'; kind: 'sync' | 'yjs' }
  | { type: 'start' }
  | { type: 'collect' }
  | { type: 'churn'; count: number }
  /** Starts a CPU profile of this process; with `file`, stops it and writes it there. */
  | { type: 'profile'; file?: string }
  | { type: 'close' };

export interface Collected {
  /** Push sent -> its changes received in a nudge, at every subscriber of the project. */
  syncMs: Float64Array;
  /** Keystroke sent -> received by another client in the doc. */
  yjsMs: Float64Array;
  /** When each of `syncMs` / `yjsMs` was sent (wallNow, comparable across processes). */
  syncSentAt: Float64Array;
  yjsSentAt: Float64Array;
  /** Push sent -> acknowledged (the pusher's own round trip). */
  pushAckMs: Float64Array;
  pushes: number;
  pushErrors: number;
  keystrokes: number;
  /** Nudges without changes (a device would pull): not in syncMs. */
  bareNudges: number;
  reconnects: number;
  /** /sync connection attempts that failed and backed off. */
  failedAttempts: number;
  /** This process's own event loop over the window (the load generator's share of a tail). */
  stalls: LoopStalls;
}

export type FromDevicesWorker =
  | { type: 'ready' }
  | { type: 'connected'; kind: 'sync' | 'yjs'; ms: number; failedAttempts: number }
  | ({ type: 'collected' } & Collected)
  | { type: 'churned' }
  | { type: 'profile'; path: string }
  | { type: 'closed' };

const data = JSON.parse(process.env.BENCH_DEVICES_CONFIG ?? 'null') as DevicesWorkerData;
if (!data || !process.send) throw new Error('devices-clients is forked by bench/devices.ts with BENCH_DEVICES_CONFIG');

// y-websocket adds a process 'exit' listener per provider.
process.setMaxListeners(0);

const labelPrefix = 'bench ';
// A writer's typing, each character its own send time (bench/yjs-typing.ts); `1`: the
// letters plus a `lat:` stamp per keystroke, as the runs before 2026-12-02 04:30 typed.
const stamps = process.env.BENCH_DEVICES_STAMPS === '1';
let syncMs: number[] = [];
let yjsMs: number[] = [];
let syncSentAt: number[] = [];
let yjsSentAt: number[] = [];
let pushAckMs: number[] = [];
const counts = { pushes: 0, pushErrors: 0, keystrokes: 0, bareNudges: 0, reconnects: 0, failedAttempts: 0 };
const timers: NodeJS.Timeout[] = [];
const loop = watchLoopStalls();
let profiler: ReturnType<typeof windowProfiler> | undefined;

interface SyncDevice {
  spec: Extract<DeviceSpec, { kind: 'sync' }>;
  socket: NudgeSocket;
}
interface YjsDevice {
  spec: Extract<DeviceSpec, { kind: 'yjs' }>;
  provider: CollabProvider;
}
const syncDevices: SyncDevice[] = [];
const yjsDevices: YjsDevice[] = [];

function onNudge(message: NudgeServerMessage): void {
  if (message.type !== 'changed') return;
  if (!message.changes) {
    counts.bareNudges += 1;
    return;
  }
  const received = wallNow();
  // Every pushed label carries its send time; a nudge may carry several commits' edits.
  for (const row of message.changes.shots?.updated ?? []) {
    const label = (row as { label?: unknown }).label;
    if (typeof label === 'string' && label.startsWith(labelPrefix)) {
      const sentAt = Number(label.slice(6));
      syncMs.push(received - sentAt);
      syncSentAt.push(sentAt);
    }
  }
}

/** Opens the device's /sync socket; resolves once the server confirmed the subscription. */
function openSync(spec: Extract<DeviceSpec, { kind: 'sync' }>): Promise<SyncDevice> {
  const socket = new NudgeSocket({
    serverUrl: data.url,
    getToken: () => spec.token,
    webSocket: WebSocket as unknown as WebSocketConstructor,
    backoff: { maxMs: 2_000 },
  });
  // Failed attempts (ticket or upgrade refused), each followed by a backoff.
  socket.onStateChange(() => {
    if (socket.getState().reconnectAttempt > 0) counts.failedAttempts += 1;
  });
  return new Promise((resolve) => {
    socket.subscribe(spec.projectId, (message) => {
      if (message.type === 'subscribed') resolve({ spec, socket });
      else onNudge(message);
    });
  });
}

function openYjs(spec: Extract<DeviceSpec, { kind: 'yjs' }>): Promise<YjsDevice> {
  const provider = createCollabProvider({
    serverUrl: data.url,
    docName: spec.docName,
    token: spec.token,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    offline: true,
    crossTab: false,
    maxBackoffTime: 2_000,
    user: { name: `device ${spec.index}`, color: '#888' },
  });
  // From the first sync on: the state it loads holds every typist's last keystroke times.
  return provider.whenSynced().then(() => {
    observeRelayLatency(provider.doc, provider.websocket, (ms, sentAt) => {
      yjsMs.push(ms);
      yjsSentAt.push(sentAt);
    });
    return { spec, provider };
  });
}

/** One push at a time, as the sync engine pushes: a push due while one is in flight waits for its answer. */
function pusher(spec: Extract<DeviceSpec, { kind: 'sync' }>): () => void {
  const client = createTRPCUntypedClient({
    links: [httpLink({ url: `${data.url}/trpc`, headers: { authorization: `Bearer ${spec.token}` } })],
  });
  let n = 0;
  let inFlight = false;
  const run = `${process.pid}-${Date.now()}`;
  return () => {
    if (inFlight) return;
    inFlight = true;
    const sentAt = wallNow();
    const pushId = `dv-${run}-${spec.index}-${n++}`;
    client
      .mutation('sync.push', {
        projectId: spec.projectId,
        pushId,
        lastPulledAt: null,
        changes: {
          shots: {
            created: [],
            updated: [{ id: spec.shotId, label: `${labelPrefix}${sentAt}`, _status: 'updated', _changed: 'label' }],
            deleted: [],
          },
        },
      })
      .then(
        () => {
          counts.pushes += 1;
          pushAckMs.push(wallNow() - sentAt);
        },
        () => {
          counts.pushErrors += 1;
        },
      )
      .finally(() => {
        inFlight = false;
      });
  };
}

function send(message: FromDevicesWorker): void {
  process.send?.(message);
}

let churnNext = 0;
/** Passive devices leave and new ones take their place: a tab reloaded, a laptop woken. */
async function churn(count: number): Promise<void> {
  const passiveSync = syncDevices.filter((d) => d.spec.shotId === null);
  const passiveYjs = yjsDevices.filter((d) => !d.spec.types);
  const work: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const k = churnNext++;
    const s = passiveSync.length > 0 ? passiveSync[k % passiveSync.length] : undefined;
    if (s) {
      s.socket.close();
      work.push(openSync(s.spec).then((fresh) => void (s.socket = fresh.socket)));
    }
    const y = passiveYjs.length > 0 ? passiveYjs[k % passiveYjs.length] : undefined;
    if (y) {
      // A new Y.Doc (a new client id), as a reloaded tab has.
      y.provider.destroy();
      work.push(openYjs(y.spec).then((fresh) => void (y.provider = fresh.provider)));
    }
    counts.reconnects += (s ? 1 : 0) + (y ? 1 : 0);
  }
  await Promise.all(work);
}

process.on('message', (message: ToDevicesWorker) => {
  if (message.type === 'connect') {
    const started = performance.now();
    const specs = data.devices.filter((d) => d.kind === message.kind);
    const opened =
      message.kind === 'sync'
        ? Promise.all(
            specs.map((s) => openSync(s as Extract<DeviceSpec, { kind: 'sync' }>).then((d) => syncDevices.push(d))),
          )
        : Promise.all(
            specs.map((s) => openYjs(s as Extract<DeviceSpec, { kind: 'yjs' }>).then((d) => yjsDevices.push(d))),
          );
    void opened.then(() =>
      send({
        type: 'connected',
        kind: message.kind,
        ms: performance.now() - started,
        failedAttempts: counts.failedAttempts,
      }),
    );
  } else if (message.type === 'start') {
    const actives = [
      ...syncDevices
        .filter((d) => d.spec.shotId !== null)
        .map((d) => ({ act: pusher(d.spec), every: data.pushIntervalMs })),
      ...yjsDevices
        .filter((d) => d.spec.types)
        .map((d) => {
          const type = typist(d.provider.doc, d.spec.index, { stamps });
          return {
            act: () => {
              type();
              counts.keystrokes += 1;
            },
            every: 1000 / data.charsPerSecond,
          };
        }),
    ];
    // Staggered so the devices don't fire in lockstep.
    actives.forEach(({ act, every }, i) => {
      timers.push(setTimeout(() => timers.push(setInterval(act, every)), (i * every) / actives.length));
    });
  } else if (message.type === 'collect') {
    send({
      type: 'collected',
      syncMs: Float64Array.from(syncMs),
      yjsMs: Float64Array.from(yjsMs),
      syncSentAt: Float64Array.from(syncSentAt),
      yjsSentAt: Float64Array.from(yjsSentAt),
      pushAckMs: Float64Array.from(pushAckMs),
      ...counts,
      stalls: loop.take(),
    });
    syncMs = [];
    yjsMs = [];
    syncSentAt = [];
    yjsSentAt = [];
    pushAckMs = [];
    for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] = 0;
  } else if (message.type === 'profile') {
    profiler ??= windowProfiler();
    const done = message.file ? profiler.stop(message.file) : profiler.start().then(() => '');
    void done.then((path) => send({ type: 'profile', path }));
  } else if (message.type === 'churn') {
    void churn(message.count).then(() => send({ type: 'churned' }));
  } else if (message.type === 'close') {
    for (const timer of timers) clearInterval(timer);
    for (const d of syncDevices) d.socket.close();
    for (const d of yjsDevices) d.provider.destroy();
    send({ type: 'closed' });
    process.disconnect();
  }
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
