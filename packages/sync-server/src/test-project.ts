/** Test fixtures: projects made directly in SQL, record builders, the service behind its parsers, a bounded wait. */
import { randomBytes } from 'node:crypto';
import type { Pool } from '@clapper/db';
import type { PullResponse, PushResponse, RawRecord } from '@clapper/schema';
import { parsePullRequest, parsePushRequest } from './sync-request.ts';
import type { SyncService } from './sync-service.ts';

export function newId(prefix = ''): string {
  return `${prefix}${randomBytes(8).toString('hex')}`;
}

export async function createProject(pool: Pool, id = newId('p')): Promise<string> {
  await pool.query('INSERT INTO projects (id, name, clock, created_at) VALUES ($1, $2, 0, $3)', [
    id,
    `Project ${id}`,
    Date.now(),
  ]);
  return id;
}

export function sceneRaw(id: string, columns: Record<string, unknown> = {}): RawRecord {
  return {
    id,
    number: '1',
    heading: 'INT. KITCHEN - DAY',
    location: 'Kitchen',
    time_of_day: 'DAY',
    synopsis: '',
    page_eighths: 8,
    sort_key: 'a0',
    ...columns,
  };
}

export function shotRaw(id: string, sceneId: string, columns: Record<string, unknown> = {}): RawRecord {
  return {
    id,
    scene_id: sceneId,
    sort_key: 'a0',
    label: '1A',
    size: 'WIDE',
    movement: 'STATIC',
    lens: '35mm',
    description: '',
    duration_s: 4.5,
    done: false,
    ...columns,
  };
}

export function changesOf(
  tables: Record<string, { created?: RawRecord[]; updated?: RawRecord[]; deleted?: string[] }>,
) {
  return Object.fromEntries(
    Object.entries(tables).map(([t, c]) => [
      t,
      { created: c.created ?? [], updated: c.updated ?? [], deleted: c.deleted ?? [] },
    ]),
  );
}

/** A promise with its resolver, to hold a transaction open until the test lets go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Polls until `check` is true, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A service as the api calls it: each request goes through its parser first (a parse failure is a rejection). */
export interface ParsingSyncService {
  pull(raw: unknown): Promise<PullResponse>;
  push(raw: unknown): Promise<PushResponse>;
  close(): Promise<void>;
}

export function parsing(service: SyncService): ParsingSyncService {
  return {
    pull: async (raw) => service.pull(parsePullRequest(raw)),
    push: async (raw) => service.push(parsePushRequest(raw)),
    close: () => service.close(),
  };
}
