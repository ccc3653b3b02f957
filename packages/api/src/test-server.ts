import { type TestDatabase, createTestDatabase } from '@clapper/db';
import type { Role } from '@clapper/schema';
import { type TRPCUntypedClient, createTRPCClient, createTRPCUntypedClient, httpLink } from '@trpc/client';
import type { AuthLimits, User } from './auth-service.ts';
import { type ClapperServer, type ClapperServerOptions, createClapperServer } from './http-server.ts';
import { createQuietLogger } from '@clapper/log';
import { type CapturingMailer, createCapturingMailer } from './mailer.ts';
import type { AppRouter } from './router.ts';

/** The sign-in limits of test servers: every window ceiling lifted; a code still dies after 5 wrong tries. */
export const relaxedAuthLimits: Partial<AuthLimits> = {
  maxCodesPerEmailAndAddress: 10_000,
  maxCodesPerEmail: 10_000,
  maxCodesPerAddress: 100_000,
  maxWrongCodesPerEmail: 10_000,
  maxWrongCodesPerAddress: 100_000,
};

export interface StartTestServerOptions extends Partial<Omit<ClapperServerOptions, 'databaseUrl' | 'mailer'>> {
  /** Share this database (a second instance); it is then NOT dropped by close(). */
  db?: TestDatabase;
  /** Share a mailer with another instance so codes requested on either can be read. */
  mailer?: CapturingMailer;
}

export interface TestServer {
  readonly url: string;
  /** `ws://…` base; append `/sync?ticket=…` or `/yjs/<doc>?ticket=…` (see `ticket`, `socketUrl`). */
  readonly wsUrl: string;
  readonly db: TestDatabase;
  readonly server: ClapperServer;
  readonly mailer: CapturingMailer;
  /** Signs in through the real requestCode/verifyCode procedures. */
  signIn(email: string): Promise<{ token: string; user: User }>;
  createProject(token: string, name?: string): Promise<{ id: string; name: string }>;
  addMember(ownerToken: string, projectId: string, email: string, role: Role): Promise<{ userId: string }>;
  /** A fresh single-use WebSocket ticket through the real `auth.socketTicket` procedure. */
  ticket(token: string, projectId?: string): Promise<string>;
  /** `ws://…<path>?ticket=…` with a fresh ticket, e.g. `socketUrl('/sync', token)`. */
  socketUrl(path: string, token: string, projectId?: string): Promise<string>;
  /** Untyped tRPC client (`.query(path, input)`, `.mutation(path, input)`), bearer token when given. */
  trpc(token?: string): TRPCUntypedClient<AppRouter>;
  /** Typed client for the same. */
  client(token?: string): ReturnType<typeof createTRPCClient<AppRouter>>;
  /** Closes the server; drops the database unless it was passed in. */
  close(): Promise<void>;
}

/**
 * A real Clapper server on a random port over a fresh test database, with a capturing
 * mailer. For tests across packages (sync-client, collab, web e2e) as well as api's own.
 * Differs from production in one way: the sign-in window limits (A4) are lifted unless
 * `authLimits` says otherwise.
 */
export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const { db: sharedDb, mailer: sharedMailer, ...serverOptions } = options;
  const db = sharedDb ?? (await createTestDatabase());
  const mailer = sharedMailer ?? createCapturingMailer();
  let server: ClapperServer;
  try {
    server = await createClapperServer({
      logger: createQuietLogger(),
      host: '127.0.0.1',
      poolSize: 5,
      // Tests sign the same people in again and again, all from 127.0.0.1; the throttle has its own tests.
      authLimits: relaxedAuthLimits,
      ...serverOptions,
      databaseUrl: db.url,
      mailer,
    });
  } catch (error) {
    if (!sharedDb) await db.drop();
    throw error;
  }
  const url = server.url;
  const links = (token?: string) => [
    httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
  ];
  const trpc = (token?: string) => createTRPCUntypedClient<AppRouter>({ links: links(token) });
  const client = (token?: string) => createTRPCClient<AppRouter>({ links: links(token) });
  const ticket = async (token: string, projectId?: string) =>
    (await client(token).auth.socketTicket.mutate(projectId === undefined ? {} : { projectId })).ticket;

  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    db,
    server,
    mailer,
    trpc,
    client,
    ticket,
    async socketUrl(path, token, projectId) {
      return `${url.replace(/^http/, 'ws')}${path}?ticket=${await ticket(token, projectId)}`;
    },
    async signIn(email) {
      const api = client();
      await api.auth.requestCode.mutate({ email });
      const code = mailer.lastCode(email);
      if (!code) throw new Error(`no sign-in code was mailed to ${email}`);
      return api.auth.verifyCode.mutate({ email, code });
    },
    createProject(token, name = 'Test project') {
      return client(token).projects.create.mutate({ name });
    },
    addMember(ownerToken, projectId, email, role) {
      return client(ownerToken).projects.addMember.mutate({ projectId, email, role });
    },
    async close() {
      await server.close();
      if (!sharedDb) await db.drop();
    },
  };
}
