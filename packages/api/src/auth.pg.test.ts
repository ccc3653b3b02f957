import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createClapperServer } from './http-server.ts';
import { authLimits } from './auth-service.ts';
import { sha256Hex } from './ids.ts';
import { createQuietLogger, createRecordingLogger } from '@clapper/log';
import type { AppRouter } from './router.ts';
import { createLogMailer } from './mailer.ts';
import { type TestServer, startTestServer } from './test-server.ts';
import { failureOf } from './trpc-test-errors.ts';

let server: TestServer;
/** Production sign-in limits, behind one trusted proxy: each test speaks from its own addresses. */
let proxied: TestServer;
beforeAll(async () => {
  // Production sign-in limits, except the per-address ceilings: this file signs dozens of
  // people in from 127.0.0.1 (the A4 tests below use `proxied`).
  server = await startTestServer({
    authLimits: { ...authLimits, maxCodesPerAddress: 10_000, maxWrongCodesPerAddress: 10_000 },
  });
  proxied = await startTestServer({ authLimits, trustProxy: 1, db: server.db, mailer: server.mailer });
});
afterAll(async () => {
  await proxied?.close();
  await server?.close();
});

// Sign-in limits count in fixed windows (A4): a test that straddles a window's edge would see
// its counts restart midway. Start each test at least 90 s before the current window ends.
beforeEach(async () => {
  const left = authLimits.throttleWindowMs - (Date.now() % authLimits.throttleWindowMs);
  if (left < 90_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}, 150_000);

let addressCounter = 0;
/** A fresh client address (TEST-NET-3 and beyond), as the trusted proxy reports it. */
function freshAddress(): string {
  addressCounter += 1;
  return `203.0.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
}

/** The auth procedures as sent from `address` through the trusted proxy (who appends it to X-Forwarded-For). */
function from(address: string, target: TestServer = proxied) {
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${target.url}/trpc`, headers: () => ({ 'x-forwarded-for': `6.6.6.6, ${address}` }) })],
  });
  return {
    request: (email: string) => client.auth.requestCode.mutate({ email }),
    verify: (email: string, code: string) => client.auth.verifyCode.mutate({ email, code }),
  };
}

let emailCounter = 0;
function freshEmail(): string {
  emailCounter += 1;
  return `crew${emailCounter}.${Date.now()}@example.com`;
}

function wrongCodeFor(code: string): string {
  return code === '000000' ? '000001' : '000000';
}

async function requestCode(email: string): Promise<string> {
  await server.client().auth.requestCode.mutate({ email });
  const code = server.mailer.lastCode(email);
  if (!code) throw new Error('no code mailed');
  return code;
}

test('[A1] a requested code is 6 digits, mailed to the normalized email, and stored only as a hash', async () => {
  const email = freshEmail();
  const result = await server.client().auth.requestCode.mutate({ email: `  ${email.toUpperCase()} ` });
  expect(result).toEqual({ sent: true });
  const code = server.mailer.lastCode(email);
  expect(code).toMatch(/^\d{6}$/);
  const rows = await server.db.pool.query('SELECT * FROM sign_in_codes WHERE email = $1', [email]);
  expect(rows.rowCount).toBe(1);
  const stored = JSON.stringify(rows.rows[0]);
  expect(stored).not.toContain(`"${code}"`);
  expect(rows.rows[0].code_hash).toMatch(/^[0-9a-f]{64}$/);
});

test('[A1] without SMTP the code is printed on one log line', async () => {
  const { logger, lines } = createRecordingLogger();
  const mailer = createLogMailer(logger);
  await mailer.sendSignInCode('ad@example.com', '042137');
  expect(lines.map((line) => line.msg)).toEqual(['sign-in code for ad@example.com: 042137 (valid 10 minutes)']);
});

test('[A5] the first sign-in creates the user; the next one finds the same user', async () => {
  const email = freshEmail();
  const first = await server.signIn(email);
  expect(first.user).toEqual({ id: expect.any(String), email, name: email.split('@')[0] });
  expect(first.token.length).toBeGreaterThanOrEqual(32);
  const second = await server.signIn(email.toUpperCase());
  expect(second.user.id).toBe(first.user.id);
  expect(second.token).not.toBe(first.token);
  expect(await server.client(second.token).auth.me.query()).toEqual(first.user);
});

test('[A5] sessions store only the SHA-256 of the token, with a 30-day expiry', async () => {
  const { token, user } = await server.signIn(freshEmail());
  const rows = await server.db.pool.query('SELECT * FROM sessions WHERE user_id = $1', [user.id]);
  expect(rows.rowCount).toBe(1);
  const row = rows.rows[0];
  expect(row.token_hash).toBe(sha256Hex(token));
  expect(JSON.stringify(rows.rows)).not.toContain(token);
  const days = (Number(row.expires_at) - Number(row.created_at)) / 86_400_000;
  expect(days).toBe(30);
});

test('[A2] a code works once', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  await server.client().auth.verifyCode.mutate({ email, code });
  const again = await failureOf(server.client().auth.verifyCode.mutate({ email, code }));
  expect(again.code).toBe('UNAUTHORIZED');
  expect(again.message).toMatch(/request a new one/);
});

test('[A2] an expired code is refused', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  // Ten minutes pass.
  await server.db.pool.query('UPDATE sign_in_codes SET expires_at = $2 WHERE email = $1', [email, Date.now() - 1]);
  const failure = await failureOf(server.client().auth.verifyCode.mutate({ email, code }));
  expect(failure.code).toBe('UNAUTHORIZED');
  expect(failure.message).toMatch(/expired/);
  const users = await server.db.pool.query('SELECT 1 FROM users WHERE email = $1', [email]);
  expect(users.rowCount).toBe(0);
});

test('[A2] a code is valid for 10 minutes', async () => {
  const email = freshEmail();
  await requestCode(email);
  const row = (await server.db.pool.query('SELECT created_at, expires_at FROM sign_in_codes WHERE email = $1', [email]))
    .rows[0];
  expect(Number(row.expires_at) - Number(row.created_at)).toBe(10 * 60_000);
});

test('[A2] requesting a new code kills the earlier one', async () => {
  const email = freshEmail();
  const first = await requestCode(email);
  let second = await requestCode(email);
  // Same digits twice is possible (1 in 10^6); ask again so the test means something.
  while (second === first) second = await requestCode(email);
  expect((await failureOf(server.client().auth.verifyCode.mutate({ email, code: first }))).code).toBe('UNAUTHORIZED');
  const { user } = await server.client().auth.verifyCode.mutate({ email, code: second });
  expect(user.email).toBe(email);
});

test('[A3] four wrong tries still leave the right code usable', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  for (let i = 0; i < 4; i += 1) {
    const failure = await failureOf(server.client().auth.verifyCode.mutate({ email, code: wrongCodeFor(code) }));
    expect(failure.code).toBe('UNAUTHORIZED');
    expect(failure.message).toContain(`${4 - i}`);
  }
  const { user } = await server.client().auth.verifyCode.mutate({ email, code });
  expect(user.email).toBe(email);
});

test('[A3] after five wrong tries even the right code is dead', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  for (let i = 0; i < 5; i += 1) {
    expect((await failureOf(server.client().auth.verifyCode.mutate({ email, code: wrongCodeFor(code) }))).code).toBe(
      'UNAUTHORIZED',
    );
  }
  const failure = await failureOf(server.client().auth.verifyCode.mutate({ email, code }));
  expect(failure.code).toBe('UNAUTHORIZED');
  expect(failure.message).toMatch(/too many wrong tries/);
  const sessions = await server.db.pool.query(
    'SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1',
    [email],
  );
  expect(sessions.rowCount).toBe(0);
});

test('[A3] concurrent wrong guesses cannot exceed five tries', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  const guesses = Array.from({ length: 12 }, () =>
    server.client().auth.verifyCode.mutate({ email, code: wrongCodeFor(code) }),
  );
  const failures = await Promise.all(guesses.map((guess) => failureOf(guess)));
  expect(failures.every((f) => f.code === 'UNAUTHORIZED')).toBe(true);
  const row = (await server.db.pool.query('SELECT attempts FROM sign_in_codes WHERE email = $1', [email])).rows[0];
  expect(row.attempts).toBe(5);
  expect((await failureOf(server.client().auth.verifyCode.mutate({ email, code }))).code).toBe('UNAUTHORIZED');
});

test('[A4] the sixth code request within 10 minutes is throttled and mails nothing', async () => {
  const email = freshEmail();
  for (let i = 0; i < 5; i += 1) await requestCode(email);
  const mailed = server.mailer.sent.length;
  const failure = await failureOf(server.client().auth.requestCode.mutate({ email }));
  expect(failure.code).toBe('TOO_MANY_REQUESTS');
  expect(failure.httpStatus).toBe(429);
  expect(failure.message).toContain(email);
  expect(server.mailer.sent.length).toBe(mailed);
  // Another address is not affected.
  await requestCode(freshEmail());
});

test('[A4] concurrent requests cannot slip past the throttle', async () => {
  const email = freshEmail();
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, () => server.client().auth.requestCode.mutate({ email })),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  const rows = await server.db.pool.query('SELECT count(*)::int AS n FROM sign_in_codes WHERE email = $1', [email]);
  expect(rows.rows[0].n).toBe(5);
});

test('[A6] a call without a token, with an unknown token or a malformed header is UNAUTHORIZED', async () => {
  expect((await failureOf(server.client().auth.me.query())).code).toBe('UNAUTHORIZED');
  expect((await failureOf(server.client('not-a-real-token').auth.me.query())).code).toBe('UNAUTHORIZED');
  expect((await failureOf(server.client().projects.list.query())).code).toBe('UNAUTHORIZED');
  const { token } = await server.signIn(freshEmail());
  const basic = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Basic ${token}` } });
  expect(basic.status).toBe(401);
  const bearer = await fetch(`${server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
  expect(bearer.status).toBe(200);
});

test('[A6] an expired session is UNAUTHORIZED', async () => {
  const { token, user } = await server.signIn(freshEmail());
  await server.db.pool.query('UPDATE sessions SET expires_at = $2 WHERE user_id = $1', [user.id, Date.now() - 1]);
  const failure = await failureOf(server.client(token).auth.me.query());
  expect(failure.code).toBe('UNAUTHORIZED');
  expect(failure.message).toMatch(/expired/);
});

test('[A6] a wrong code is UNAUTHORIZED and creates no user', async () => {
  const email = freshEmail();
  const code = await requestCode(email);
  expect((await failureOf(server.client().auth.verifyCode.mutate({ email, code: wrongCodeFor(code) }))).code).toBe(
    'UNAUTHORIZED',
  );
  const users = await server.db.pool.query('SELECT 1 FROM users WHERE email = $1', [email]);
  expect(users.rowCount).toBe(0);
});

test('[E1] a malformed email or code is BAD_REQUEST naming the field', async () => {
  const badEmail = await failureOf(server.client().auth.requestCode.mutate({ email: 'not an email' }));
  expect(badEmail.code).toBe('BAD_REQUEST');
  expect(badEmail.message).toMatch(/email: must be an email address/);
  const badCode = await failureOf(server.client().auth.verifyCode.mutate({ email: freshEmail(), code: '12ab' }));
  expect(badCode.code).toBe('BAD_REQUEST');
  expect(badCode.message).toMatch(/code: must be 6 digits/);
});

test('[A1] a mail server failure is SERVICE_UNAVAILABLE with a message, not a 500', async () => {
  const broken = await createClapperServer({
    databaseUrl: server.db.url,
    logger: createQuietLogger(),
    authLimits: { ...authLimits, maxCodesPerAddress: 10_000 },
    mailer: {
      async sendSignInCode() {
        throw new Error('connect ECONNREFUSED 127.0.0.1:25');
      },
    },
  });
  try {
    const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${broken.url}/trpc` })] });
    const failure = await failureOf(client.auth.requestCode.mutate({ email: freshEmail() }));
    expect(failure.code).toBe('SERVICE_UNAVAILABLE');
    expect(failure.httpStatus).toBe(503);
    expect(failure.message).toMatch(/could not send the sign-in email/);
  } finally {
    await broken.close();
  }
});

test("[A4] a stranger's code requests and wrong guesses don't lock the owner of the email out", async () => {
  const email = freshEmail();
  const owner = from(freshAddress());
  const stranger = from(freshAddress());
  const guesser = from(freshAddress());
  for (let i = 0; i < 5; i += 1) await stranger.request(email);
  const sixth = await failureOf(stranger.request(email));
  expect(sixth).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
  expect(sixth.message).toMatch(/too many sign-in codes requested for .*; try again in \d+ minutes?/);

  await owner.request(email);
  const code = server.mailer.lastCode(email) as string;
  // The stranger asks again (refused), and another one burns five wrong guesses on the owner's code.
  expect((await failureOf(stranger.request(email))).code).toBe('TOO_MANY_REQUESTS');
  for (let i = 0; i < 5; i += 1)
    expect((await failureOf(guesser.verify(email, wrongCodeFor(code)))).code).toBe('UNAUTHORIZED');
  const dead = await failureOf(guesser.verify(email, code));
  expect(dead.message).toMatch(/too many wrong tries for this sign-in code/);
  // The owner's code still works from the owner's address.
  const { user } = await owner.verify(email, code);
  expect(user.email).toBe(email);
});

test('[A4] one address gets at most 30 codes per 10 minutes, whatever the emails', async () => {
  const address = from(freshAddress());
  for (let i = 0; i < 30; i += 1) await address.request(freshEmail());
  const failure = await failureOf(address.request(freshEmail()));
  expect(failure).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
  expect(failure.message).toMatch(/from your network/);
  // Someone else is unaffected.
  await from(freshAddress()).request(freshEmail());
});

test(
  '[A4] 300 wrong codes for 60 emails from one address hit 429 after 30; the owners still sign in',
  { timeout: 120_000 },
  async () => {
    const victims = Array.from({ length: 60 }, () => ({ email: freshEmail(), at: from(freshAddress()) }));
    for (let i = 0; i < victims.length; i += 10)
      await Promise.all(victims.slice(i, i + 10).map((victim) => victim.at.request(victim.email)));
    const attacker = from(freshAddress());
    const outcomes: string[] = [];
    // Each victim's five guesses at once: the counts are taken atomically, so concurrency buys nothing.
    for (const victim of victims) {
      const round = await Promise.all(
        Array.from({ length: 5 }, () => failureOf(attacker.verify(victim.email, '000000'))),
      );
      outcomes.push(...round.map((failure) => failure.code));
    }
    expect(outcomes.filter((code) => code === 'UNAUTHORIZED')).toHaveLength(30);
    expect(outcomes.slice(30).every((code) => code === 'TOO_MANY_REQUESTS')).toBe(true);
    for (const victim of victims.slice(0, 8)) {
      const code = server.mailer.lastCode(victim.email) as string;
      expect((await victim.at.verify(victim.email, code)).user.email).toBe(victim.email);
    }
  },
);

test('[A4] the per-email ceiling: only wrong codes from many addresses reach it', async () => {
  const email = freshEmail();
  const owner = from(freshAddress());
  await owner.request(email);
  const code = server.mailer.lastCode(email) as string;
  // Six addresses, five wrong guesses each: 30, the email's ceiling.
  for (let a = 0; a < 6; a += 1) {
    const guesser = from(freshAddress());
    for (let i = 0; i < 5; i += 1)
      expect((await failureOf(guesser.verify(email, wrongCodeFor(code)))).code).toBe('UNAUTHORIZED');
  }
  const next = await failureOf(from(freshAddress()).verify(email, wrongCodeFor(code)));
  expect(next.code).toBe('TOO_MANY_REQUESTS');
  expect(next.message).toMatch(/too many wrong sign-in codes for/);
});

test('[A4] without TRUST_PROXY a forged X-Forwarded-For buys no fresh address', async () => {
  const email = freshEmail();
  for (let i = 0; i < 5; i += 1) await from(freshAddress(), server).request(email);
  expect((await failureOf(from(freshAddress(), server).request(email))).code).toBe('TOO_MANY_REQUESTS');
});

test('[A4] test servers lift the throttle (the same person signs in again and again); production keeps it', async () => {
  const relaxed = await startTestServer({ db: server.db });
  try {
    const email = freshEmail();
    for (let i = 0; i < 7; i += 1) await relaxed.signIn(email);
  } finally {
    await relaxed.close();
  }
});
