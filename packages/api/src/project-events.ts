import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export type ProjectChangedListener = (event: { projectId: string; timestamp: number }) => void;
export type AccessChangedListener = (event: { projectId: string; userId: string }) => void;

/**
 * "Project X committed a push at T" fan-out: to local subscribers at once and, when a
 * Redis URL is given, to every other server instance through Redis pub/sub (one
 * channel per project, subscribed only while someone on this instance listens).
 * Also "user U's role in project X changed", on one channel every instance listens to,
 * so each can forget what it cached about that member (R7).
 */
export interface ProjectEvents {
  publish(projectId: string, timestamp: number): void;
  publishAccessChanged(projectId: string, userId: string): void;
  /** Every access change, from this instance and from the others. */
  onAccessChanged(listener: AccessChangedListener): void;
  /** Resolves once the subscription is live everywhere (Redis acked), with an unsubscribe function. */
  subscribe(projectId: string, listener: ProjectChangedListener): Promise<() => void>;
  close(): Promise<void>;
}

const channelPrefix = 'clapper:project-changed:';
const accessChannel = 'clapper:access-changed';
// Waiting longer than this for Redis would stall local subscribers; ioredis resubscribes on reconnect.
const subscribeTimeoutMs = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createProjectEvents({ redisUrl, logger }: { redisUrl?: string | undefined; logger: Logger }): ProjectEvents {
  const listeners = new Map<string, Set<ProjectChangedListener>>();
  const accessListeners = new Set<AccessChangedListener>();
  const instanceId = randomUUID();
  let closed = false;

  function deliver(projectId: string, timestamp: number): void {
    for (const listener of listeners.get(projectId) ?? []) {
      try {
        listener({ projectId, timestamp });
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

  function receiveAccessChange(message: string): void {
    try {
      const parsed = JSON.parse(message) as { origin?: unknown; projectId?: unknown; userId?: unknown };
      if (parsed.origin === instanceId || typeof parsed.projectId !== 'string' || typeof parsed.userId !== 'string') return;
      deliverAccessChange(parsed.projectId, parsed.userId);
    } catch (error) {
      logger.warn('ignored malformed access change from redis', { error: (error as Error).message });
    }
  }

  let publisher: Redis | undefined;
  let subscriber: Redis | undefined;
  const channelReady = new Map<string, Promise<unknown>>();
  if (redisUrl) {
    publisher = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
    subscriber = new Redis(redisUrl, { lazyConnect: false });
    for (const [role, client] of [['publisher', publisher], ['subscriber', subscriber]] as const) {
      // ioredis reconnects by itself; an unhandled 'error' event would crash the process.
      client.on('error', (error: Error) => logger.warn('redis error', { role, error: error.message }));
    }
    subscriber.subscribe(accessChannel).catch((error: Error) => logger.warn('redis subscribe failed', { channel: accessChannel, error: error.message }));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === accessChannel) return receiveAccessChange(message);
      if (!channel.startsWith(channelPrefix)) return;
      try {
        const parsed = JSON.parse(message) as { origin?: unknown; timestamp?: unknown };
        if (parsed.origin === instanceId || typeof parsed.timestamp !== 'number') return;
        deliver(channel.slice(channelPrefix.length), parsed.timestamp);
      } catch (error) {
        logger.warn('ignored malformed project event from redis', { channel, error: (error as Error).message });
      }
    });
  }

  return {
    publish(projectId, timestamp) {
      if (closed) return;
      deliver(projectId, timestamp);
      publisher
        ?.publish(channelPrefix + projectId, JSON.stringify({ origin: instanceId, timestamp }))
        .catch((error: Error) => logger.warn('redis publish failed', { project: projectId, error: error.message }));
    },

    publishAccessChanged(projectId, userId) {
      if (closed) return;
      deliverAccessChange(projectId, userId);
      publisher
        ?.publish(accessChannel, JSON.stringify({ origin: instanceId, projectId, userId }))
        .catch((error: Error) => logger.warn('redis publish failed', { project: projectId, error: error.message }));
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
      if (subscriber) {
        let ready = channelReady.get(projectId);
        if (!ready) {
          ready = subscriber.subscribe(channelPrefix + projectId).catch((error: Error) => {
            logger.warn('redis subscribe failed', { project: projectId, error: error.message });
          });
          channelReady.set(projectId, ready);
        }
        await withTimeout(ready, subscribeTimeoutMs);
      }
      return () => {
        const current = listeners.get(projectId);
        if (!current) return;
        current.delete(listener);
        if (current.size > 0) return;
        listeners.delete(projectId);
        channelReady.delete(projectId);
        if (subscriber && !closed) {
          subscriber.unsubscribe(channelPrefix + projectId).catch(() => undefined);
        }
      };
    },

    async close() {
      closed = true;
      listeners.clear();
      accessListeners.clear();
      await Promise.all(
        [publisher, subscriber].map(async (client) => {
          if (!client) return;
          const quit = client.quit().catch(() => undefined);
          if ((await withTimeout(quit, 1_000)) === undefined) client.disconnect();
        }),
      );
    },
  };
}
