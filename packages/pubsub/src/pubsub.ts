import { randomBytes } from 'node:crypto';
import type { Logger } from '@clapper/log';
import { Redis } from 'ioredis';

export type MessageListener = (payload: Uint8Array) => void;

/**
 * Messages between server instances: one Redis connection publishes, one subscribes, for
 * every kind of traffic on the instance (project nudges, access changes, Yjs updates and
 * awareness). Redis pub/sub delivers at most once and only to those subscribed at the
 * time; what must not be lost is stored first, and a listener of `onResubscribed` reads
 * back what an outage may have cost (SPEC Y10, R8).
 *
 * Wire format, the one for every channel: `[origin: 16 bytes][payload]`. The origin is the
 * publishing instance's random id; an instance drops its own messages (it delivered them
 * locally already). The payload belongs to the channel's owner: the channel name says
 * what it holds (`clapper:<topic>:<key>`).
 */
export interface PubSub {
  /** Fire and forget: a failure (Redis down) is logged, never thrown. */
  publish(channel: string, payload: Uint8Array): void;
  /**
   * Adds a listener for `channel`. Resolves, with the function that removes it, once
   * Redis confirmed the subscription, or after `subscribeTimeoutMs` (Redis down): the
   * channel is subscribed again, and `onResubscribed` listeners called, when Redis is back.
   */
  subscribe(channel: string, listener: MessageListener): Promise<() => void>;
  /**
   * Called each time the subscriptions are live again after they may have missed
   * messages (a lost connection, a failed subscribe): the moment to catch up from storage.
   */
  onResubscribed(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface PubSubOptions {
  redisUrl: string;
  logger: Logger;
  /** How long `subscribe` waits for Redis before going on without it (default 2 s). */
  subscribeTimeoutMs?: number;
}

const originLength = 16;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createRedisPubSub(options: PubSubOptions): PubSub {
  const logger = options.logger.child({ component: 'pubsub' });
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 2_000;
  const origin = randomBytes(originLength);
  const listeners = new Map<string, Set<MessageListener>>();
  /** Per channel: its SUBSCRIBE, true once Redis acknowledged it. */
  const ready = new Map<string, Promise<boolean>>();
  const resubscribedListeners = new Set<() => void>();
  // Commands wait (queued) for a reconnect only this many times, then fail: a publish
  // during an outage is dropped, not held in memory; catching up covers it.
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
  let closed = false;
  // Set when messages may have been missed: the subscriber lost its connection, or a
  // subscribe failed. The next 'ready' resubscribes everything and tells the listeners.
  let missed = false;

  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    // ioredis reconnects by itself; an unhandled 'error' event would crash the process.
    client.on('error', (error: Error) => logger.warn('redis error', { role, error: error.message }));
  }
  subscriber.on('close', () => {
    if (!closed) missed = true;
  });
  subscriber.on('ready', () => {
    if (!missed || closed) return;
    missed = false;
    void resubscribe();
  });

  async function resubscribe(): Promise<void> {
    const channels = [...listeners.keys()];
    try {
      if (channels.length > 0) await subscriber.subscribe(...channels);
    } catch (error) {
      missed = true;
      logger.warn('redis resubscribe failed', { channels: channels.length, error: (error as Error).message });
      return;
    }
    logger.info('redis subscriptions restored', { channels: channels.length });
    for (const listener of resubscribedListeners) {
      try {
        listener();
      } catch (error) {
        logger.error('resubscribed listener failed', { error });
      }
    }
  }

  subscriber.on('messageBuffer', (channelBuffer: Buffer, message: Buffer) => {
    if (message.length < originLength || message.subarray(0, originLength).equals(origin)) return;
    const channel = channelBuffer.toString();
    const set = listeners.get(channel);
    if (!set) return;
    const payload = new Uint8Array(message.buffer, message.byteOffset + originLength, message.length - originLength);
    for (const listener of set) {
      try {
        listener(payload);
      } catch (error) {
        logger.error('pubsub listener failed', { channel, error });
      }
    }
  });

  return {
    publish(channel, payload) {
      if (closed) return;
      const message = Buffer.allocUnsafe(originLength + payload.length);
      origin.copy(message, 0);
      message.set(payload, originLength);
      publisher.publish(channel, message).catch((error: Error) => {
        logger.warn('redis publish failed', { channel, error: error.message });
      });
    },

    async subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        ready.set(
          channel,
          subscriber.subscribe(channel).then(
            () => true,
            (error: Error) => {
              missed = true;
              logger.warn('redis subscribe failed', { channel, error: error.message });
              return false;
            },
          ),
        );
      }
      set.add(listener);
      // Every listener waits for the channel's one SUBSCRIBE, not only the first.
      const subscribed = ready.get(channel);
      if (subscribed && !closed && (await withTimeout(subscribed, subscribeTimeoutMs)) !== true) missed = true;
      return () => {
        const current = listeners.get(channel);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(channel);
        ready.delete(channel);
        if (!closed) subscriber.unsubscribe(channel).catch(() => undefined);
      };
    },

    onResubscribed(listener) {
      resubscribedListeners.add(listener);
      return () => resubscribedListeners.delete(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      ready.clear();
      resubscribedListeners.clear();
      await Promise.all(
        [publisher, subscriber].map(async (client) => {
          const quit = client.quit().catch(() => undefined);
          if ((await withTimeout(quit, 1_000)) === undefined) client.disconnect();
        }),
      );
    },
  };
}
