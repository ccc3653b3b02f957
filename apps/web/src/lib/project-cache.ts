'use client';
import type { Role } from '@clapper/schema';
import { useSyncExternalStore } from 'react';

export interface CachedProject {
  id: string;
  name: string;
  role: Role;
}

/**
 * The project list and roles as last seen from the server, per user, so the app opens
 * (and knows who may edit) without the network.
 */
const keyOf = (userId: string) => `clapper.projects.${userId}`;
const listeners = new Set<() => void>();
const cache = new Map<string, { raw: string | null; projects: CachedProject[] }>();

export function readCachedProjects(userId: string): CachedProject[] {
  const raw = localStorage.getItem(keyOf(userId));
  const hit = cache.get(userId);
  if (hit && hit.raw === raw) return hit.projects;
  let projects: CachedProject[] = [];
  try {
    projects = raw ? (JSON.parse(raw) as CachedProject[]) : [];
  } catch {
    projects = [];
  }
  cache.set(userId, { raw, projects });
  return projects;
}

export function writeCachedProjects(userId: string, projects: CachedProject[]): void {
  localStorage.setItem(keyOf(userId), JSON.stringify(projects));
  for (const listener of [...listeners]) listener();
}

export function rememberProject(userId: string, project: CachedProject): void {
  const others = readCachedProjects(userId).filter((p) => p.id !== project.id);
  writeCachedProjects(userId, [...others, project]);
}

const empty: CachedProject[] = [];

export function useCachedProjects(userId: string | null): CachedProject[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => (userId ? readCachedProjects(userId) : empty),
    () => empty,
  );
}
