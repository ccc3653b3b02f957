import type { Logger } from '@clapper/log';
import type { PubSub } from '@clapper/pubsub';

export const fanoutKind = { update: 0, awareness: 1 } as const;

export interface DocFanoutHandlers {
  /** A stored update another instance committed. */
  update(docName: string, update: Uint8Array): void;
  /** An awareness change another instance's clients made. */
  awareness(docName: string, update: Uint8Array): void;
  /** Messages may have been lost (Redis came back after an outage): loaded docs catch up from storage. */
  missed(): void;
}

/**
 * A loaded doc's traffic to and from the other instances, over the server's pub/sub: one
 * channel per doc (`clapper:yjs:<docName>`), subscribed while the doc is loaded here. The
 * payload is `[kind (1 byte)][Yjs update or awareness update]`. Redis is only a fast
 * path: updates are stored before they are published, a doc loading on another instance
 * reads them from PostgreSQL, and so does a loaded doc once Redis is back after an outage
 * (`missed`) or when an update arrives that builds on one it never received (Y10).
 */
export interface DocFanout {
  /** Resolves once subscribed (or Redis gave up: the doc is served without fan-out). */
  subscribe(docName: string): Promise<void>;
  unsubscribe(docName: string): void;
  publishUpdate(docName: string, update: Uint8Array): void;
  publishAwareness(docName: string, update: Uint8Array): void;
  /** Drops every subscription; the pub/sub itself is the server's to close. */
  close(): void;
}

const channelPrefix = 'clapper:yjs:';

function frame(kind: number, body: Uint8Array): Uint8Array {
  const payload = new Uint8Array(1 + body.length);
  payload[0] = kind;
  payload.set(body, 1);
  return payload;
}

export function createDocFanout(pubsub: PubSub, logger: Logger, handlers: DocFanoutHandlers): DocFanout {
  const subscriptions = new Map<string, Promise<() => void>>();
  const stopListening = pubsub.onResubscribed(() => handlers.missed());

  function receive(docName: string, payload: Uint8Array): void {
    const body = payload.subarray(1);
    if (payload[0] === fanoutKind.update) handlers.update(docName, body);
    else if (payload[0] === fanoutKind.awareness) handlers.awareness(docName, body);
    else logger.warn('ignored fan-out message of unknown kind', { doc: docName, kind: payload[0] });
  }

  return {
    async subscribe(docName) {
      let subscription = subscriptions.get(docName);
      if (!subscription) {
        subscription = pubsub.subscribe(channelPrefix + docName, (payload) => receive(docName, payload));
        subscriptions.set(docName, subscription);
      }
      await subscription;
    },
    unsubscribe(docName) {
      const subscription = subscriptions.get(docName);
      subscriptions.delete(docName);
      void subscription?.then((stop) => stop());
    },
    publishUpdate(docName, update) {
      pubsub.publish(channelPrefix + docName, frame(fanoutKind.update, update));
    },
    publishAwareness(docName, update) {
      pubsub.publish(channelPrefix + docName, frame(fanoutKind.awareness, update));
    },
    close() {
      stopListening();
      for (const docName of [...subscriptions.keys()]) this.unsubscribe(docName);
    },
  };
}
