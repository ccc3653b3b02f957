// Child process for bench/collab.ts: a share of the typists, each a stock y-websocket
// client. Spreading them over processes keeps the client side from being the bottleneck.
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { observeRelayLatency, typist } from './yjs-typing.ts';

export interface ClientsWorkerData {
  url: string;
  docName: string;
  tokens: string[];
  /** Index of this worker's first typist among all typists (names their `lat:<i>` arrays). */
  firstIndex: number;
  totalClients: number;
  charsPerSecond: number;
  /** Every `observeEvery`-th typist also measures what it receives (decoding costs client CPU). */
  observeEvery: number;
}

export type ToWorker =
  { type: 'type' } | { type: 'measure'; on: boolean } | { type: 'stop' } | { type: 'texts' } | { type: 'close' };
export type FromWorker =
  | { type: 'synced' }
  | { type: 'measured'; latencies: Float64Array; keystrokes: number }
  | { type: 'texts'; texts: string[]; stateBytes: number }
  | { type: 'closed' };

const data = JSON.parse(process.env.BENCH_CLIENTS_CONFIG ?? 'null') as ClientsWorkerData;
if (!data || !process.send) throw new Error('collab-clients is forked by bench/collab.ts with BENCH_CLIENTS_CONFIG');

const providers = data.tokens.map(
  (token) =>
    new WebsocketProvider(`${data.url}/yjs`, data.docName, new Y.Doc(), {
      // bench/collab-server.ts authorizes the credential it is handed directly (it measures
      // the relay; the ticket exchange is one HTTP request per connection, not per keystroke).
      params: { ticket: token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    }),
);
let measuring = false;
let latencies: number[] = [];
let keystrokes = 0;
const timers: NodeJS.Timeout[] = [];

providers.forEach((provider, offset) => {
  provider.awareness.setLocalStateField('user', { name: `typist ${data.firstIndex + offset}`, color: '#888' });
  // Every n-th typist also measures what it receives (decoding costs client CPU).
  if ((data.firstIndex + offset) % data.observeEvery !== 0) return;
  observeRelayLatency(provider.doc, provider, (ms) => {
    if (measuring) latencies.push(ms);
  });
});

function send(message: FromWorker): void {
  process.send?.(message);
}

void Promise.all(
  providers.map((provider) =>
    provider.synced ? Promise.resolve() : new Promise<void>((resolve) => provider.once('sync', () => resolve())),
  ),
).then(() => send({ type: 'synced' }));

process.on('message', (message: ToWorker) => {
  if (message.type === 'type') {
    const intervalMs = 1000 / data.charsPerSecond;
    providers.forEach((_, offset) => {
      const type = typist((providers[offset] as WebsocketProvider).doc, data.firstIndex + offset);
      const keystroke = () => {
        type();
        if (measuring) keystrokes += 1;
      };
      // Staggered so the typists don't fire in lockstep.
      const delay = ((data.firstIndex + offset) * intervalMs) / data.totalClients;
      timers.push(setTimeout(() => timers.push(setInterval(keystroke, intervalMs)), delay));
    });
  } else if (message.type === 'measure') {
    measuring = message.on;
    if (!message.on) {
      send({ type: 'measured', latencies: Float64Array.from(latencies), keystrokes });
      latencies = [];
    }
  } else if (message.type === 'stop') {
    for (const timer of timers) clearInterval(timer);
  } else if (message.type === 'texts') {
    send({
      type: 'texts',
      texts: providers.map((p) => p.doc.getText('script').toString()),
      // What Yjs itself needs for this history: the floor for any compacted store.
      stateBytes: Y.encodeStateAsUpdate((providers[0] as WebsocketProvider).doc).length,
    });
  } else if (message.type === 'close') {
    for (const provider of providers) provider.destroy();
    send({ type: 'closed' });
    process.disconnect();
  }
});
// The bench process died: don't linger.
process.on('disconnect', () => process.exit(0));
