import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { SocketTicketError, requestSocketTicket } from './socket-ticket.ts';

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

test('[A8] the ticket request calls fetch as a browser requires (on globalThis, never unbound) and reads the tRPC answer', async () => {
  const seen: Array<{ url: string; auth: string | undefined; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const ok = req.headers.authorization === 'Bearer good';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok
            ? { result: { data: { ticket: 't1', expiresAt: 1 } } }
            : { error: { message: 'invalid session token; sign in again' } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    // Like a browser's: throws "Illegal invocation" unless called with this === globalThis.
    globalThis.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== globalThis && this !== undefined) throw new TypeError('Illegal invocation');
      if (this === undefined) throw new TypeError('Illegal invocation');
      return realFetch(input, init);
    } as typeof fetch;
    expect(await requestSocketTicket({ serverUrl: `ws://127.0.0.1:${port}/yjs`, token: 'good', projectId: 'p1' })).toBe(
      't1',
    );
    expect(seen[0]).toEqual({ url: '/trpc/auth.socketTicket', auth: 'Bearer good', body: '{"projectId":"p1"}' });
    const refused = await requestSocketTicket({ serverUrl: `http://127.0.0.1:${port}`, token: 'bad' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SocketTicketError);
    expect(refused).toMatchObject({ status: 401, message: 'invalid session token; sign in again' });
    const unreachable = await requestSocketTicket({ serverUrl: 'http://127.0.0.1:1', token: 'good' }).catch(
      (error: unknown) => error,
    );
    expect(unreachable).toMatchObject({ status: null });
  } finally {
    server.close();
  }
});
