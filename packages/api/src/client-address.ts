import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The address sign-in limits count a request against (A4). `trustProxy` is how many proxies
 * this server sits behind (TRUST_PROXY, default 0). With 0, `X-Forwarded-For` is ignored:
 * anyone can write that header, and trusting it would let one client pose as many. With n,
 * the client is the address the nth proxy saw: the n-th entry of `X-Forwarded-For` counted
 * from the right (each proxy appends the address it received from), or the leftmost when
 * there are fewer.
 *
 * IPv6 clients are counted per /64, the block one subscriber usually holds, so rotating
 * through a prefix's addresses doesn't reset the count.
 */
export function clientAddress(req: IncomingMessage, trustProxy = 0): string {
  const direct = req.socket.remoteAddress ?? 'unknown';
  let address = direct;
  if (trustProxy > 0) {
    const header = req.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
    // chain[0] is our peer (the nearest proxy); chain[k] is what proxy k saw.
    const chain = [direct, ...forwarded.reverse()];
    address = chain[Math.min(trustProxy, chain.length - 1)] ?? direct;
  }
  return addressBucket(address);
}

/** `::ffff:1.2.3.4` -> `1.2.3.4`; an IPv6 address -> its /64 (`2001:db8:0:1::/64`); anything else as is. */
export function addressBucket(address: string): string {
  const trimmed = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(trimmed)) return trimmed;
  const withoutZone = trimmed.split('%')[0] ?? trimmed;
  if (!isIPv6(withoutZone)) return trimmed.slice(0, 100);
  const [head = '', tail = ''] = withoutZone.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = withoutZone.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = withoutZone.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
