import { logLevels } from '@clapper/log';
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65_535).default(4000)),
  /** Unset: every interface, IPv4 and IPv6 (so `localhost` works whichever it resolves to). */
  HOST: z.preprocess(emptyAsUnset, z.string().optional()),
  DATABASE_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a postgresql:// URL' }).optional()),
  /** With DATABASE_URL unset: the embedded PostgreSQL's port (default 54329) and data dir (default .data/postgres). */
  EMBEDDED_PG_PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(1).max(65_535).optional()),
  EMBEDDED_PG_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
  SMTP_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a URL such as smtp://127.0.0.1:2525' }).optional()),
  REDIS_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a URL such as redis://127.0.0.1:6379' }).optional()),
  /**
   * How many proxies (load balancers) stand in front of the server. 0 (default): the peer's
   * address is the client's and X-Forwarded-For is ignored; n: the nth proxy's entry counts.
   */
  TRUST_PROXY: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: 'must be a number of proxy hops (0-10)' })
      .int('must be a whole number of proxy hops')
      .min(0)
      .max(10)
      .default(0),
  ),
  /** Lowest level printed (JSON lines on stdout); `info` has one line per pull and push. */
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  ),
  // Limits (protocol.md "Limits"); unset: the defaults stated there.
  /** Open /sync + /yjs sockets per user on one instance (default 50). */
  WS_MAX_PER_USER: count('a number of sockets, at least 1'),
  /** Open /sync + /yjs sockets per client address on one instance (default 500). */
  WS_MAX_PER_ADDRESS: count('a number of sockets, at least 1'),
  /** Client connections before new ones are shed with 503 / 1013 (default: from the descriptor limit). */
  MAX_CONNECTIONS: count('a number of connections, at least 1'),
  /** Largest Yjs update (WebSocket message) on /yjs, in bytes (default 2 MiB). */
  YJS_MAX_UPDATE_BYTES: count('a number of bytes, at least 1'),
  /** Largest Yjs doc (stored bytes) (default 8 MiB). */
  YJS_MAX_DOC_BYTES: count('a number of bytes, at least 1'),
});

function count(what: string) {
  return z.preprocess(
    emptyAsUnset,
    z.coerce
      .number({ error: `must be ${what}` })
      .int(`must be ${what}`)
      .min(1, `must be ${what}`)
      .optional(),
  );
}

export type ServerConfig = z.infer<typeof envSchema>;

/** Reads the environment once; a bad value stops the process with a message naming it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n  ');
    throw new Error(`invalid server configuration:\n  ${problems}`);
  }
  return parsed.data;
}
