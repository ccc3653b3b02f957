// Structured-sync devices for the chaos suite: stock WatermelonDB (LokiJS in memory, no
// web worker, no autosave) synced by the app's own engine, and a ledger of every push as it
// went out and as the server answered it.
import type { Database } from '@nozbe/watermelondb';
import watermelonLoggerModule from '@nozbe/watermelondb/utils/common/logger';
import type { RecordOf } from '@clapper/schema';
import { type SyncEngine, createProjectDatabase, createSyncEngine } from '@clapper/sync-client';
import WebSocket from 'ws';

// A device pulling a record it never had as `updated` is normal here (a first pull after others pushed).
// CommonJS with `__esModule`: tsx hands over the module object, Vitest its default export.
const watermelonLogger: typeof watermelonLoggerModule =
  (watermelonLoggerModule as unknown as { default?: typeof watermelonLoggerModule }).default ?? watermelonLoggerModule;
watermelonLogger.silence();

export type RawRecord = Record<string, unknown> & { id: string };
export type TableChanges = Record<string, { created: RawRecord[]; updated: RawRecord[]; deleted: string[] }>;

/** Every push any device sent, by push id; `acked` only once the server's answer was read. */
export interface PushLedger {
  sent: Map<string, { changes: TableChanges; attempts: number }>;
  acked: Map<string, number>;
  /** Pushes acknowledged over each way (sync-client C23: the socket when open, else HTTP). */
  ackedOver: { http: number; socket: number };
}

export function createLedger(): PushLedger {
  return { sent: new Map(), acked: new Map(), ackedOver: { http: 0, socket: 0 } };
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.toString();
  return input.url;
}

function recordSent(ledger: PushLedger, push: { pushId: string; changes: TableChanges }): void {
  const entry = ledger.sent.get(push.pushId) ?? { changes: push.changes, attempts: 0 };
  entry.attempts += 1;
  ledger.sent.set(push.pushId, entry);
}

/**
 * A fetch that writes pushes into the ledger: the body when the request leaves, the
 * timestamp only from a 200 answer whose body was read in full. A push whose connection
 * died is "sent", never "acknowledged", whatever the server did with it.
 */
function ledgerFetch(ledger: PushLedger): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input);
    if (!url.includes('/trpc/sync.push') || typeof init?.body !== 'string') return fetch(input, init);
    const request = JSON.parse(init.body) as { pushId: string; changes: TableChanges };
    recordSent(ledger, request);
    const response = await fetch(input, init);
    const text = await response.text();
    if (response.status === 200) {
      const timestamp = (JSON.parse(text) as { result?: { data?: { timestamp?: unknown } } }).result?.data?.timestamp;
      if (typeof timestamp === 'number') {
        ledger.acked.set(request.pushId, timestamp);
        ledger.ackedOver.http += 1;
      }
    }
    return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * The `/sync` socket's class, writing the pushes sent over it (sync-client C23) into the
 * ledger as `ledgerFetch` does those over HTTP: the push when it leaves, the timestamp only
 * from a `pushed` answer the device received. A socket that closes first left it "sent".
 */
function ledgerWebSocket(ledger: PushLedger): typeof WebSocket {
  // ws's constructor overloads don't carry over to a subclass's rest parameters: cast back.
  return class LedgerWebSocket extends WebSocket {
    /** This connection's pushes in flight: requestId -> pushId. */
    private readonly inFlight = new Map<string, string>();

    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      this.on('message', (data: WebSocket.RawData) => {
        const message = JSON.parse(data.toString()) as { type?: string; requestId?: string; timestamp?: unknown };
        const pushId = message.requestId === undefined ? undefined : this.inFlight.get(message.requestId);
        if (pushId === undefined) return;
        this.inFlight.delete(message.requestId!);
        if (message.type === 'pushed' && typeof message.timestamp === 'number') {
          ledger.acked.set(pushId, message.timestamp);
          ledger.ackedOver.socket += 1;
        }
      });
    }

    override send(data: unknown, ...rest: unknown[]): void {
      if (typeof data === 'string' && data.startsWith('{"type":"push"')) {
        const { requestId, push } = JSON.parse(data) as {
          requestId: string;
          push: { pushId: string; changes: TableChanges };
        };
        recordSent(ledger, push);
        this.inFlight.set(requestId, push.pushId);
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  } as unknown as typeof WebSocket;
}

export class ChaosDevice {
  readonly database: Database;
  readonly engine: SyncEngine;
  /** Shots this device created and has not deleted: only it updates or deletes them. */
  private readonly ownShots: string[] = [];
  private sequence = 0;
  private sceneId: string | null = null;

  constructor(
    readonly name: string,
    serverUrl: string,
    projectId: string,
    token: string,
    ledger: PushLedger,
  ) {
    this.database = createProjectDatabase({ projectId });
    this.engine = createSyncEngine({
      database: this.database,
      projectId,
      serverUrl,
      getToken: () => token,
      webSocket: ledgerWebSocket(ledger),
      debounceMs: 20,
      backoff: { minMs: 100, maxMs: 1_000 },
      fetch: ledgerFetch(ledger),
      // Both ways a push can go (C23): the socket while it is open, HTTP otherwise.
      pushOverSocket: true,
    });
  }

  /** A scene of its own to hang shots on. */
  async createScene(): Promise<string> {
    const scene = await this.database.write(() =>
      this.database.get<RecordOf<'scenes'>>('scenes').create((record) => {
        record.number = this.name;
        record.heading = `INT. ${this.name.toUpperCase()} - DAY`;
        record.location = this.name;
        record.timeOfDay = 'DAY';
        record.synopsis = '';
        record.pageEighths = 8;
        record.sortKey = `a${this.name}`;
      }),
    );
    this.sceneId = scene.id;
    return scene.id;
  }

  /** A shot of its own, or (with `sharedSceneId`) one every device edits and nobody deletes. */
  async createShot(sharedSceneId?: string): Promise<string> {
    const sceneId = sharedSceneId ?? this.sceneId;
    if (!sceneId) throw new Error(`${this.name} has no scene`);
    const label = this.nextLabel();
    const shot = await this.database.write(() =>
      this.database.get<RecordOf<'shots'>>('shots').create((record) => {
        record.sceneId = sceneId;
        record.sortKey = label;
        record.label = label;
        record.size = 'WIDE';
        record.movement = 'STATIC';
        record.lens = '35mm';
        record.description = '';
        record.durationS = this.sequence;
        record.done = false;
      }),
    );
    if (sharedSceneId === undefined) this.ownShots.push(shot.id);
    return shot.id;
  }

  /** Sets a new label (and lens) on a shot, this device's or a shared one. */
  async relabel(shotId: string): Promise<void> {
    const label = this.nextLabel();
    await this.database.write(async () => {
      const shot = await this.database.get<RecordOf<'shots'>>('shots').find(shotId);
      await shot.update((record) => {
        record.label = label;
        record.lens = `${this.sequence % 100}mm`;
      });
    });
  }

  async randomOperation(sharedShots: string[], random: () => number): Promise<void> {
    const roll = random();
    const own = this.ownShots;
    if (roll < 0.4 || own.length < 3) await this.createShot();
    else if (roll < 0.7) await this.relabel(sharedShots[Math.floor(random() * sharedShots.length)] as string);
    else if (roll < 0.92) await this.relabel(own[Math.floor(random() * own.length)] as string);
    else {
      const [id] = own.splice(Math.floor(random() * own.length), 1);
      await this.database.write(async () => {
        await (await this.database.get('shots').find(id as string)).markAsDeleted();
      });
    }
  }

  /** Every live record, as the server would send it (local bookkeeping columns left out). */
  async records(table: 'scenes' | 'shots'): Promise<Map<string, RawRecord>> {
    const rows = await this.database.get(table).query().fetch();
    const records = new Map<string, RawRecord>();
    for (const row of rows) {
      const raw = { ...(row._raw as unknown as RawRecord) };
      delete raw._status;
      delete raw._changed;
      records.set(raw.id, raw);
    }
    return records;
  }

  private nextLabel(): string {
    this.sequence += 1;
    return `${this.name}-${this.sequence}`;
  }
}
