import type { Database } from '@nozbe/watermelondb';
import logger from '@nozbe/watermelondb/utils/common/logger';
import { type RawRecord, type RecordOf, type TableName, schemaVersion } from '@clapper/schema';
import WebSocket from 'ws';
import { createProjectDatabase } from '../project-database.ts';
import { type SyncEngine, type SyncEngineOptions, createSyncEngine } from '../sync-engine.ts';

logger.silence();

/** The part of @clapper/api's TestServer these helpers use (tests pass the real one). */
export interface SyncTestServer {
  readonly url: string;
  trpc(token?: string): { query(path: string, input?: unknown): Promise<unknown> };
}

/** What one device's network layer saw; tests assert on it instead of on engine internals. */
export interface Traffic {
  pulls: number;
  pushes: number;
  pushIds: string[];
}

export interface Device {
  name: string;
  database: Database;
  engine: SyncEngine;
  traffic: Traffic;
}

export type FetchHook = (input: string, init: RequestInit | undefined, real: typeof fetch) => Promise<Response>;

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.toString();
  return input.url;
}

/** A fetch that counts sync traffic and lets a test interfere with it. */
export function trafficFetch(traffic: Traffic, hook?: FetchHook): typeof fetch {
  return async (input, init) => {
    const url = urlOf(input);
    if (url.includes('sync.pull')) traffic.pulls += 1;
    if (url.includes('sync.push')) {
      traffic.pushes += 1;
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { pushId?: string }) : {};
      if (body.pushId) traffic.pushIds.push(body.pushId);
    }
    return hook ? hook(url, init, fetch) : fetch(input, init);
  };
}

export function createDevice(
  name: string,
  options: { server: { url: string }; projectId: string; token: string; hook?: FetchHook } & Partial<SyncEngineOptions>,
): Device {
  const { server, projectId, token, hook, ...rest } = options;
  const database = rest.database ?? createProjectDatabase({ projectId });
  const traffic: Traffic = { pulls: 0, pushes: 0, pushIds: [] };
  const engine = createSyncEngine({
    projectId,
    serverUrl: server.url,
    getToken: () => token,
    webSocket: WebSocket,
    debounceMs: 10,
    backoff: { minMs: 50, maxMs: 800 },
    fetch: trafficFetch(traffic, hook),
    // The tests that count and interfere with pushes do it over HTTP; the socket's pushes
    // (C23) have their own tests (socket-push.pg.test.ts).
    pushOverSocket: false,
    ...rest,
    database,
  });
  return { name, database, engine, traffic };
}

/** Polls until `check` passes (or throws its last failure after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== null && result !== undefined) return result as NonNullable<T>;
      lastError = new Error(`${what} did not happen within ${timeoutMs} ms`);
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the engine has synced and nothing is pending, in flight or failing. */
export function settled(device: Device, timeoutMs = 10_000): Promise<true> {
  return waitFor(
    () => {
      const status = device.engine.getStatus();
      return (
        status.lastSyncedAt !== null &&
        !status.syncing &&
        status.pending === 0 &&
        status.error === null &&
        status.online &&
        device.engine.isIdle()
      );
    },
    timeoutMs,
    `${device.name} settled`,
  ) as Promise<true>;
}

export async function localRecord(
  device: Device,
  table: TableName,
  id: string,
): Promise<Record<string, unknown> | null> {
  const found = await device.database.get(table).query().fetch();
  const record = found.find((candidate) => candidate.id === id);
  return record ? { ...(record._raw as unknown as Record<string, unknown>) } : null;
}

/** The server's view, through a real first pull. */
export async function serverRecord(
  server: SyncTestServer,
  token: string,
  projectId: string,
  table: TableName,
  id: string,
): Promise<RawRecord | null> {
  const response = (await server
    .trpc(token)
    .query('sync.pull', { projectId, lastPulledAt: null, schemaVersion, migration: null })) as {
    changes: Record<string, { created: RawRecord[]; updated: RawRecord[] }>;
  };
  const tableChanges = response.changes[table];
  const all = [...(tableChanges?.created ?? []), ...(tableChanges?.updated ?? [])];
  return all.find((raw) => raw.id === id) ?? null;
}

export async function createShot(device: Device, fields: { label: string; lens?: string }): Promise<string> {
  const shot = await device.database.write(async () => {
    const scene = await device.database.get<RecordOf<'scenes'>>('scenes').create((record) => {
      record.number = '1';
      record.heading = 'INT. KITCHEN - DAY';
      record.location = 'Kitchen';
      record.timeOfDay = 'DAY';
      record.synopsis = '';
      record.pageEighths = 8;
      record.sortKey = 'a0';
    });
    return device.database.get<RecordOf<'shots'>>('shots').create((record) => {
      record.sceneId = scene.id;
      record.sortKey = 'a0';
      record.label = fields.label;
      record.size = 'WIDE';
      record.movement = 'STATIC';
      record.lens = fields.lens ?? '35mm';
      record.description = '';
      record.durationS = 4;
      record.done = false;
    });
  });
  return shot.id;
}

export async function updateShot(
  device: Device,
  id: string,
  patch: Partial<{ label: string; lens: string }>,
): Promise<void> {
  await device.database.write(async () => {
    const shot = await device.database.get<RecordOf<'shots'>>('shots').find(id);
    await shot.update((record) => {
      if (patch.label !== undefined) record.label = patch.label;
      if (patch.lens !== undefined) record.lens = patch.lens;
    });
  });
}

export async function deleteShot(device: Device, id: string): Promise<void> {
  await device.database.write(async () => {
    const shot = await device.database.get('shots').find(id);
    await shot.markAsDeleted();
  });
}
