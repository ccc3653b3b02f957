import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const fanoutKind = { update: 0, awareness: 1 } as const;
export type FanoutKind = (typeof fanoutKind)[keyof typeof fanoutKind];

const idLength = 16;

/**
 * Yjs traffic between server instances over Redis pub/sub, one channel per doc. A message
 * is `[kind][instance id (16 bytes)][payload]`; an instance ignores its own. Redis is only
 * a fast path: updates are stored before they are published, and a doc loading on another
 * instance reads them from PostgreSQL (Y10).
 */
export class RedisFanout {
  private readonly instanceId = randomBytes(idLength);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    redisUrl: string,
    private readonly onMessage: (docName: string, kind: FanoutKind, payload: Uint8Array) => void,
  ) {
    const options = { lazyConnect: false, maxRetriesPerRequest: 3 };
    this.publisher = new Redis(redisUrl, options);
    this.subscriber = new Redis(redisUrl, options);
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) => console.error('[collab] redis:', error.message));
    }
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      if (message.length < 1 + idLength || message.subarray(1, 1 + idLength).equals(this.instanceId)) return;
      const kind = message[0];
      if (kind !== fanoutKind.update && kind !== fanoutKind.awareness) return;
      this.onMessage(docNameOf(channel.toString()), kind, new Uint8Array(message.subarray(1 + idLength)));
    });
  }

  async subscribe(docName: string): Promise<void> {
    await this.subscriber.subscribe(channelOf(docName));
  }

  async unsubscribe(docName: string): Promise<void> {
    await this.subscriber.unsubscribe(channelOf(docName));
  }

  publish(docName: string, kind: FanoutKind, payload: Uint8Array): void {
    const message = Buffer.concat([Buffer.from([kind]), this.instanceId, payload]);
    this.publisher.publish(channelOf(docName), message).catch((error: Error) => {
      console.error(`[collab] redis publish ${docName}:`, error.message);
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.publisher.quit().catch(() => undefined), this.subscriber.quit().catch(() => undefined)]);
  }
}

const prefix = 'clapper:yjs:';
function channelOf(docName: string): string {
  return prefix + docName;
}
function docNameOf(channel: string): string {
  return channel.slice(prefix.length);
}
