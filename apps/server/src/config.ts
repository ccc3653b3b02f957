import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUnset, z.coerce.number().int().min(0).max(65_535).default(4000)),
  /** Unset: every interface, IPv4 and IPv6 (so `localhost` works whichever it resolves to). */
  HOST: z.preprocess(emptyAsUnset, z.string().optional()),
  DATABASE_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a postgresql:// URL' }).optional()),
  SMTP_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a URL such as smtp://127.0.0.1:2525' }).optional()),
  REDIS_URL: z.preprocess(emptyAsUnset, z.url({ error: 'must be a URL such as redis://127.0.0.1:6379' }).optional()),
});

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
