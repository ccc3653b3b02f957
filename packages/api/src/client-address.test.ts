import type { IncomingMessage } from 'node:http';
import { expect, test } from 'vitest';
import { addressBucket, clientAddress } from './client-address.ts';

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

test('[A4] without TRUST_PROXY a client-written X-Forwarded-For is ignored', () => {
  expect(clientAddress(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  expect(clientAddress(request('203.0.113.9', '198.51.100.1'), 0)).toBe('203.0.113.9');
});

test('[A4] behind n trusted proxies the client is the address the outermost one saw', () => {
  // The client forged the first entry; nginx (our one proxy) appended the real address.
  expect(clientAddress(request('10.0.0.2', '6.6.6.6, 198.51.100.7'), 1)).toBe('198.51.100.7');
  // CDN -> nginx -> server: two hops.
  expect(clientAddress(request('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.9'), 2)).toBe('198.51.100.7');
  // Fewer entries than hops: the leftmost there is; no header: the peer.
  expect(clientAddress(request('10.0.0.2', '198.51.100.7'), 3)).toBe('198.51.100.7');
  expect(clientAddress(request('10.0.0.2'), 1)).toBe('10.0.0.2');
});

test('[A4] IPv4-mapped addresses count as IPv4, IPv6 per /64', () => {
  expect(addressBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
  expect(addressBucket('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
  expect(addressBucket('2001:db8:0:1:bbbb:cccc:dddd:eeee')).toBe('2001:db8:0:1::/64');
  expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(addressBucket('::1')).toBe('0:0:0:0::/64');
});
