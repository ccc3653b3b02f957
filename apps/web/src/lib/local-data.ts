'use client';
// What this browser keeps for a signed-in user, and how it goes away on sign-out.
//
// Every local store is named for its user: the WatermelonDB database of a project is
// `clapper:<userId>:<projectId>` (@clapper/sync-client projectDatabaseName), the y-indexeddb
// copy of a doc `clapper:<userId>:<docName>`. A second person signing in on the same browser
// opens only their own stores, so they can neither see nor push the first one's data.
//
// Sign-out wipes the user's stores at once (works offline). A database another tab still
// holds open can't go yet: the wipe stays scheduled and runs again on the next page load,
// before anything opens a store.
import { useSyncExternalStore } from 'react';
import { getSession } from './session-store.ts';

const storesKey = (userId: string) => `clapper.local-stores.${userId}`;
const syncedStoresKey = (userId: string) => `clapper.synced-stores.${userId}`;
const unsyncedDocsKey = (userId: string) => `clapper.unsynced-docs.${userId}`;
const projectsKey = (userId: string) => `clapper.projects.${userId}`;
const wipeKey = 'clapper.wipe-users';

function readList(key: string): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function addTo(key: string, value: string): void {
  const list = readList(key);
  if (!list.includes(value)) localStorage.setItem(key, JSON.stringify([...list, value]));
}

function removeFrom(key: string, value: string): void {
  const list = readList(key);
  if (list.includes(value)) localStorage.setItem(key, JSON.stringify(list.filter((item) => item !== value)));
}

/** The prefix of every IndexedDB database this user's data lives in. */
export function localStorePrefix(userId: string): string {
  return `clapper:${userId}:`;
}

/** The y-indexeddb name of a doc's local copy for this user (registered for the wipe). */
export function localDocStoreName(userId: string, docName: string): string {
  const name = `${localStorePrefix(userId)}${docName}`;
  addTo(storesKey(userId), name);
  return name;
}

/**
 * The y-indexeddb name for a doc opened with `token`, when that token is the signed-in
 * session's; otherwise none (the doc then lives in memory only: never in someone else's copy).
 */
export function localDocStoreNameFor(token: string, docName: string): string | undefined {
  const session = getSession();
  return session && session.token === token ? localDocStoreName(session.user.id, docName) : undefined;
}

/** Registers a WatermelonDB store name for the wipe (browsers without `indexedDB.databases()`). */
export function registerLocalStore(userId: string, name: string): void {
  addTo(storesKey(userId), name);
}

/** A project's local database has synced with the server (on this page load or an earlier one). */
export function markStoreSynced(userId: string, name: string): void {
  addTo(syncedStoresKey(userId), name);
}

export function storeWasSynced(userId: string, name: string): boolean {
  return readList(syncedStoresKey(userId)).includes(name);
}

/** A doc was edited on this device: unsynced until a server round trip confirms it (see yjs-pending.ts). */
export function markDocUnsynced(userId: string, docName: string): void {
  addTo(unsyncedDocsKey(userId), docName);
}

export function markDocSynced(userId: string, docName: string): void {
  removeFrom(unsyncedDocsKey(userId), docName);
}

export function unsyncedDocs(userId: string): string[] {
  return readList(unsyncedDocsKey(userId));
}

/** Sign-out: the user's stores go on the next page load (before any opens). */
export function scheduleWipe(userId: string): void {
  addTo(wipeKey, userId);
}

/** The user's stores are to be wiped (a sign-out not yet done): nothing may open them. */
export function wipeScheduled(userId: string): boolean {
  return readList(wipeKey).includes(userId);
}

/** Deletes one database; false when another connection (another tab) holds it open for now. */
function deleteDatabase(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
    // LokiJS and y-indexeddb close their connections when asked (versionchange); one that
    // doesn't (another tab) blocks: the delete completes when it lets go.
    request.onblocked = () => resolve(false);
  });
}

/**
 * Deletes every local store of the user now (open connections in this tab close on the
 * delete's versionchange). Stays scheduled for the next page load if anything was blocked.
 */
export async function wipeLocalData(userId: string): Promise<void> {
  scheduleWipe(userId);
  await wipe(userId);
}

async function wipe(userId: string): Promise<void> {
  const names = new Set(readList(storesKey(userId)));
  try {
    for (const project of JSON.parse(localStorage.getItem(projectsKey(userId)) ?? '[]') as Array<{ id?: unknown }>) {
      if (typeof project.id === 'string') names.add(`${localStorePrefix(userId)}${project.id}`);
    }
  } catch {
    // An unreadable cache names nothing.
  }
  const listing = (indexedDB as IDBFactory & { databases?: () => Promise<IDBDatabaseInfo[]> }).databases;
  if (typeof listing === 'function') {
    for (const info of await listing.call(indexedDB).catch(() => [])) {
      if (info.name?.startsWith(localStorePrefix(userId))) names.add(info.name);
    }
  }
  const deleted = await Promise.all([...names].map((name) => deleteDatabase(name)));
  for (const key of [storesKey(userId), syncedStoresKey(userId), unsyncedDocsKey(userId), projectsKey(userId)])
    localStorage.removeItem(key);
  if (deleted.every(Boolean)) removeFrom(wipeKey, userId);
}

let ready = typeof window === 'undefined';
const listeners = new Set<() => void>();
let running: Promise<void> | null = null;

/** Runs the scheduled wipes once per page load; resolves when they are done. */
export function runScheduledWipes(): Promise<void> {
  if (typeof window === 'undefined') return Promise.resolve();
  if (typeof indexedDB === 'undefined') {
    ready = true;
    return Promise.resolve();
  }
  running ??= (async () => {
    for (const userId of readList(wipeKey)) await wipe(userId);
  })().finally(() => {
    ready = true;
    for (const listener of [...listeners]) listener();
  });
  return running;
}

/** False until this page load's wipes are done: nothing may open a local store before. */
export function useLocalDataReady(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      void runScheduledWipes();
      return () => listeners.delete(listener);
    },
    () => ready,
    () => false,
  );
}
