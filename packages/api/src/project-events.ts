import type { Logger } from '@clapper/log';
import type { PubSub } from '@clapper/pubsub';
import { z } from 'zod';

/** A commit's changes, when small enough to ride its nudge (`nudgeChangesLimits`). */
export interface PulledChanges {
  /** The project's clock before the commit: a pull from it answers `{changes, timestamp}`. */
  readonly since: number;
  /** The schema version of `changes` (the server's): a client at another version pulls. */
  readonly schemaVersion: number;
  /** `changes` of that pull as JSON text, serialized once for every socket and Redis. */
  readonly changesJson: string;
}

export interface ProjectChanged {
  readonly projectId: string;
  readonly timestamp: number;
  readonly pulled?: PulledChanges;
}

/** Every listener of one event gets the same object (the socket server serializes it once). */
export type ProjectChangedListener = (event: ProjectChanged) => void;
export type AccessChangedListener = (event: { projectId: string; userId: string }) => void;

/**
 * "Project X committed a push at T" fan-out: to local subscribers at once and, through the
 * instance's pub/sub (Redis) when there is one, to every other server instance (one
 * channel per project, subscribed only while someone on this instance listens).
 * Also "user U's role in project X changed", on one channel every instance listens to,
 * so each can forget what it cached about that member (R7).
 */
export interface ProjectEvents {
  publish(projectId: string, timestamp: number, pulled?: PulledChanges): void;
  /** Tells this instance's listeners only: a re-nudge after a pub/sub outage, which every instance makes itself. */
  deliverLocally(projectId: string, timestamp: number): void;
  publishAccessChanged(projectId: string, userId: string): void;
  /** Every access change, from this instance and from the others. */
  onAccessChanged(listener: AccessChangedListener): void;
  /** Resolves once the subscription is live everywhere (Redis acked), with an unsubscribe function. */
  subscribe(projectId: string, listener: ProjectChangedListener): Promise<() => void>;
  /** Someone on this instance listens to the project. */
  listens(projectId: string): boolean;
  /** Projects someone on this instance listens to. */
  subscribedProjects(): string[];
  close(): Promise<void>;
}

const projectChannelPrefix = 'clapper:project-changed:';
const accessChannel = 'clapper:access-changed';
// Payloads (inside the pub/sub envelope) are JSON text.
const projectChangedPayload = z.object({
  timestamp: z.number(),
  since: z.number().optional(),
  schemaVersion: z.number().optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});
const accessChangedPayload = z.object({ projectId: z.string(), userId: z.string() });

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decode<T>(schema: z.ZodType<T>, payload: Uint8Array): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(decoder.decode(payload)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createProjectEvents({ pubsub, logger }: { pubsub?: PubSub | null; logger: Logger }): ProjectEvents {
  const listeners = new Map<string, Set<ProjectChangedListener>>();
  const remoteStops = new Map<string, Promise<() => void>>();
  const accessListeners = new Set<AccessChangedListener>();
  let closed = false;

  function deliver(event: ProjectChanged): void {
    const { projectId } = event;
    for (const listener of listeners.get(projectId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        logger.error('project event listener failed', { project: projectId, error });
      }
    }
  }

  function deliverAccessChange(projectId: string, userId: string): void {
    for (const listener of accessListeners) {
      try {
        listener({ projectId, userId });
      } catch (error) {
        logger.error('access change listener failed', { project: projectId, error });
      }
    }
  }

  const accessSubscription = pubsub?.subscribe(accessChannel, (payload) => {
    const event = decode(accessChangedPayload, payload);
    if (event) deliverAccessChange(event.projectId, event.userId);
    else logger.warn('ignored malformed access change from pub/sub');
  });

  return {
    publish(projectId, timestamp, pulled) {
      if (closed) return;
      deliver(pulled ? { projectId, timestamp, pulled } : { projectId, timestamp });
      // The changes are already JSON (and within nudgeChangesLimits.maxBytes): spliced in, not re-serialized.
      const payload = pulled
        ? `{"timestamp":${timestamp},"since":${pulled.since},"schemaVersion":${pulled.schemaVersion},"changes":${pulled.changesJson}}`
        : `{"timestamp":${timestamp}}`;
      pubsub?.publish(projectChannelPrefix + projectId, encoder.encode(payload));
    },

    deliverLocally(projectId, timestamp) {
      if (!closed) deliver({ projectId, timestamp });
    },

    publishAccessChanged(projectId, userId) {
      if (closed) return;
      deliverAccessChange(projectId, userId);
      pubsub?.publish(accessChannel, encoder.encode(JSON.stringify({ projectId, userId })));
    },

    onAccessChanged(listener) {
      accessListeners.add(listener);
    },

    async subscribe(projectId, listener) {
      let set = listeners.get(projectId);
      if (!set) {
        set = new Set();
        listeners.set(projectId, set);
      }
      set.add(listener);
      let remote = remoteStops.get(projectId);
      if (pubsub && !remote) {
        remote = pubsub.subscribe(projectChannelPrefix + projectId, (payload) => {
          const event = decode(projectChangedPayload, payload);
          if (!event) logger.warn('ignored malformed project event from pub/sub', { project: projectId });
          else if (event.since !== undefined && event.schemaVersion !== undefined && event.changes !== undefined) {
            const { since, schemaVersion } = event;
            const pulled = { since, schemaVersion, changesJson: JSON.stringify(event.changes) };
            deliver({ projectId, timestamp: event.timestamp, pulled });
          } else deliver({ projectId, timestamp: event.timestamp });
        });
        remoteStops.set(projectId, remote);
      }
      await remote;
      return () => {
        const current = listeners.get(projectId);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(projectId);
        const stop = remoteStops.get(projectId);
        remoteStops.delete(projectId);
        void stop?.then((unsubscribe) => unsubscribe());
      };
    },

    listens(projectId) {
      return listeners.has(projectId);
    },

    subscribedProjects() {
      return [...listeners.keys()];
    },

    async close() {
      closed = true;
      listeners.clear();
      accessListeners.clear();
      for (const stop of [...remoteStops.values(), ...(accessSubscription ? [accessSubscription] : [])]) {
        (await stop)();
      }
      remoteStops.clear();
    },
  };
}
