// Yjs clients for the chaos suite: the app's provider (stock y-websocket underneath), each
// typing unique tokens at the start or the end of a script (so no token is ever split) and
// noting which of the other clients' tokens it has seen.
import { type CollabProvider, createCollabProvider } from '@clapper/collab/client';
import { WebSocket } from 'ws';

const tokenPattern = /<[a-z0-9]+\.\d+>/g;

export function tokensIn(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

export class Typist {
  readonly provider: CollabProvider;
  /** Every token this client typed. */
  readonly typed: string[] = [];
  /** Tokens of other clients this one has shown at some point. */
  readonly seenFromOthers = new Set<string>();
  private count = 0;

  constructor(
    readonly name: string,
    readonly docName: string,
    serverUrl: string,
    token: string,
  ) {
    this.provider = createCollabProvider({
      serverUrl,
      docName,
      token,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      maxBackoffTime: 1_000,
      offline: true,
      crossTab: false,
    });
  }

  get text(): string {
    return this.provider.doc.getText('t').toString();
  }

  type(atStart: boolean): void {
    this.count += 1;
    const token = `<${this.name}.${this.count}>`;
    const text = this.provider.doc.getText('t');
    text.insert(atStart ? 0 : text.length, token);
    this.typed.push(token);
  }

  /** Notes the other clients' tokens on screen now. */
  look(): void {
    const mine = `<${this.name}.`;
    for (const token of tokensIn(this.text)) if (!token.startsWith(mine)) this.seenFromOthers.add(token);
  }

  destroy(): void {
    this.provider.destroy();
  }
}
