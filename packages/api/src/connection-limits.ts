import { readFileSync } from 'node:fs';

/** Defaults of protocol.md ("Limits"); apps/server reads overrides from its environment. */
export const connectionLimitDefaults = {
  /** Open /sync + /yjs sockets of one user on one instance (tabs × docs open in each). */
  maxSocketsPerUser: 50,
  /** Open /sync + /yjs sockets from one client address on one instance (an office behind one NAT). */
  maxSocketsPerAddress: 500,
  /** Used when the descriptor limit can't be read. */
  maxConnectionsFallback: 10_000,
  /** Descriptors kept for everything that is not a client connection (pool, Redis, files, workers). */
  reservedDescriptors: 100,
} as const;

export interface ConnectionLimitsOptions {
  maxSocketsPerUser: number;
  maxSocketsPerAddress: number;
}

export interface SocketLease {
  release(): void;
}

export type Admission = { ok: true; lease: SocketLease } | { ok: false; reason: string };

/** The soft RLIMIT_NOFILE of this process (Linux), or null where it can't be read. */
export function descriptorLimit(): number | null {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match?.[1] ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * How many client connections (HTTP and WebSocket) the instance takes before it sheds
 * new ones: 80% of what the descriptor limit leaves after the pool and the reserve, so a
 * flood of sockets can't take the descriptors pushes need (a 1,024 limit gives 659).
 */
export function defaultMaxConnections(poolSize: number, limit = descriptorLimit()): number {
  if (limit === null) return connectionLimitDefaults.maxConnectionsFallback;
  return Math.max(16, Math.floor((limit - poolSize - connectionLimitDefaults.reservedDescriptors) * 0.8));
}

/**
 * Per-user and per-address caps on open WebSockets (both paths together), per instance:
 * what protects an instance's descriptors is what that instance holds. A lease is taken
 * when a socket is accepted and released when it closes.
 */
export class SocketLimits {
  private readonly byUser = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionLimitsOptions) {}

  /** Cheap check before authentication, so a flood from one address costs no database work. */
  addressFull(address: string): boolean {
    return (this.byAddress.get(address) ?? 0) >= this.options.maxSocketsPerAddress;
  }

  admit(userId: string, address: string): Admission {
    if (this.addressFull(address)) {
      return {
        ok: false,
        reason: `too many open sockets from this address (at most ${this.options.maxSocketsPerAddress}); close some and retry`,
      };
    }
    if ((this.byUser.get(userId) ?? 0) >= this.options.maxSocketsPerUser) {
      return {
        ok: false,
        reason: `too many open sockets for this user (at most ${this.options.maxSocketsPerUser}); close some tabs and retry`,
      };
    }
    bump(this.byUser, userId, 1);
    bump(this.byAddress, address, 1);
    let released = false;
    return {
      ok: true,
      lease: {
        release: () => {
          if (released) return;
          released = true;
          bump(this.byUser, userId, -1);
          bump(this.byAddress, address, -1);
        },
      },
    };
  }

  counts(): { users: number; addresses: number; sockets: number } {
    let sockets = 0;
    for (const n of this.byUser.values()) sockets += n;
    return { users: this.byUser.size, addresses: this.byAddress.size, sockets };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}
