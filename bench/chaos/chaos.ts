// The chaos suite: devices push and type while server instances are SIGKILLed and
// restarted and PostgreSQL and Redis are stopped and started; then everything comes back,
// and the checks run (checks.ts). `npm run chaos` runs the full configuration,
// chaos.test.ts a short one inside `npm test`.
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
import { type Cluster as ClusterType, Cluster } from './cluster.ts';
import { type ChaosFindings, checkRecords, checkTypists, readStored, sameRecord } from './checks.ts';
import { ChaosDevice, type RawRecord, createLedger } from './devices.ts';
import { Typist } from './typists.ts';

export interface ChaosConfig {
  /** How long devices and typists work while things break. */
  durationMs: number;
  devices: number;
  docs: number;
  /** Pause between two breakages. */
  gapMs: [number, number];
  /** How long Redis or PostgreSQL stays away, and a killed server stays dead. */
  downMs: [number, number];
  /** How long the clients get to converge by themselves (nudges) once everything is back... */
  nudgeWaitMs: number;
  /** ...and after one explicit sync of every device. */
  convergeTimeoutMs: number;
  seed: number;
  /** Progress lines (the full run prints them; the test stays quiet). */
  log?: (line: string) => void;
}

export const shortConfig: Omit<ChaosConfig, 'seed'> = {
  durationMs: 25_000,
  devices: 3,
  docs: 2,
  gapMs: [1_000, 2_500],
  downMs: [1_500, 3_000],
  nudgeWaitMs: 30_000,
  convergeTimeoutMs: 120_000,
};

export const fullConfig: Omit<ChaosConfig, 'seed'> = {
  durationMs: 180_000,
  devices: 6,
  docs: 3,
  gapMs: [3_000, 8_000],
  downMs: [1_500, 5_000],
  nudgeWaitMs: 60_000,
  convergeTimeoutMs: 120_000,
};

export interface ChaosFigures {
  seed: number;
  durationMs: number;
  serverKills: number;
  serverRestarts: number;
  postgresOutages: number;
  redisOutages: number;
  pushesSent: number;
  pushesAcknowledged: number;
  /** Acknowledgements over HTTP and over the `/sync` socket (a retry acknowledged again counts again). */
  acknowledgedOver: { http: number; socket: number };
  pushesRetried: number;
  /** Pushes whose answer never arrived (a killed server, an outage) that the server had applied all the same. */
  pushesAppliedUnanswered: number;
  records: number;
  yjsEdits: number;
  yjsEditsSeenByOthers: number;
  /** From everything being back until every device and Yjs client agreed with the server. */
  convergenceMs: number;
  /** Nudges alone did not bring every device up to date: a nudge was missed (see the README). */
  explicitSyncNeeded: boolean;
}

export interface ChaosResult {
  figures: ChaosFigures;
  findings: ChaosFindings;
}

/** Deterministic randomness, so a run that found something can be replayed with its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`chaos: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function api(url: string, token?: string) {
  return createTRPCUntypedClient({
    links: [httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });
}

/** Signs in through the real procedures; the code comes from the server's log (no SMTP). */
async function signIn(cluster: ClusterType, email: string): Promise<string> {
  const server = cluster.servers[0]!;
  await api(server.url).mutation('auth.requestCode', { email });
  let code: string | undefined;
  await waitUntil(`the sign-in code of ${email}`, () => (code = server.codeFor(email)) !== undefined, 120_000);
  const { token } = (await api(server.url).mutation('auth.verifyCode', { email, code })) as { token: string };
  return token;
}

export async function fullPull(url: string, token: string, projectId: string) {
  const response = (await api(url, token).query('sync.pull', { projectId, lastPulledAt: null })) as {
    changes: Record<string, { created: RawRecord[] }>;
  };
  const tables = new Map<string, Map<string, RawRecord>>();
  for (const [table, changes] of Object.entries(response.changes)) {
    tables.set(table, new Map(changes.created.map((raw) => [raw.id, raw])));
  }
  return tables;
}

function settled(device: ChaosDevice): boolean {
  const status = device.engine.getStatus();
  return status.pending === 0 && !status.syncing && status.error === null && device.engine.isIdle();
}

export async function runChaos(config: ChaosConfig): Promise<ChaosResult> {
  const log = config.log ?? (() => undefined);
  const random = seededRandom(config.seed);
  const between = ([min, max]: [number, number]) => min + random() * (max - min);
  const figures: ChaosFigures = {
    seed: config.seed,
    durationMs: config.durationMs,
    serverKills: 0,
    serverRestarts: 0,
    postgresOutages: 0,
    redisOutages: 0,
    pushesSent: 0,
    pushesAcknowledged: 0,
    acknowledgedOver: { http: 0, socket: 0 },
    pushesRetried: 0,
    pushesAppliedUnanswered: 0,
    records: 0,
    yjsEdits: 0,
    yjsEditsSeenByOthers: 0,
    convergenceMs: 0,
    explicitSyncNeeded: false,
  };

  log('starting PostgreSQL, Redis and 2 server instances');
  const cluster = await Cluster.start(2);
  const [first, second] = cluster.servers as [ClusterType['servers'][number], ClusterType['servers'][number]];
  const ledger = createLedger();
  const devices: ChaosDevice[] = [];
  const typists: Typist[] = [];
  try {
    const ownerToken = await signIn(cluster, 'director@chaos.test');
    const { id: projectId } = (await api(first.url, ownerToken).mutation('projects.create', {
      name: 'Chaos',
    })) as { id: string };
    const people = config.devices + config.docs * 2;
    const tokens: string[] = [];
    for (let i = 0; i < people; i += 1) {
      const email = `crew${i}@chaos.test`;
      await api(first.url, ownerToken).mutation('projects.addMember', { projectId, email, role: 'editor' });
      tokens.push(await signIn(cluster, email));
    }

    // Devices alternate between the instances; device 0 creates the shots everyone edits.
    for (let i = 0; i < config.devices; i += 1) {
      const server = cluster.servers[i % cluster.servers.length]!;
      devices.push(new ChaosDevice(`d${i}`, server.url, projectId, tokens[i]!, ledger));
    }
    const sharedShots: string[] = [];
    const sharedScene = await devices[0]!.createScene();
    for (let i = 0; i < 4; i += 1) sharedShots.push(await devices[0]!.createShot(sharedScene));
    for (const device of devices.slice(1)) await device.createScene();
    await waitUntil(
      'every device to see the shared shots',
      async () => {
        for (const device of devices) {
          const shots = await device.records('shots');
          if (!sharedShots.every((id) => shots.has(id)) || !settled(device)) return false;
        }
        return true;
      },
      120_000,
    );
    // Each doc has a client on each instance.
    for (let d = 0; d < config.docs; d += 1) {
      const docName = `project/${projectId}/script/chaos-${d}`;
      for (const [s, server] of cluster.servers.entries()) {
        typists.push(new Typist(`t${d}x${s}`, docName, server.url, tokens[config.devices + d * 2 + s]!));
      }
    }
    let synced = 0;
    for (const typist of typists) void typist.provider.whenSynced().then(() => (synced += 1));
    await waitUntil('the Yjs clients to sync', () => synced === typists.length, 120_000);

    log(`chaos for ${Math.round(config.durationMs / 1000)} s (seed ${config.seed})`);
    let working = true;
    const operationErrors: string[] = [];
    const actors = [
      ...devices.map(async (device) => {
        while (working) {
          // A local write failing is the suite's own fault (or WatermelonDB's): reported, not thrown.
          await device.randomOperation(sharedShots, random).catch((error: unknown) => {
            operationErrors.push(`${device.name}: ${(error as Error).message}`);
          });
          await sleep(between([100, 300]));
        }
      }),
      ...typists.map(async (typist) => {
        while (working) {
          typist.type(random() < 0.5);
          typist.look();
          await sleep(between([80, 250]));
        }
      }),
    ];

    const kinds = ['kill', 'postgres', 'kill', 'redis'] as const;
    const chaosEnds = Date.now() + config.durationMs;
    // Every kind of breakage at least once, however slowly this machine restarts things.
    for (let n = 0; Date.now() < chaosEnds || n < kinds.length; n += 1) {
      await sleep(between(config.gapMs));
      const kind = kinds[n % kinds.length]!;
      const down = between(config.downMs);
      if (kind === 'kill') {
        const victim = cluster.servers[Math.floor(n / 2) % cluster.servers.length]!;
        log(`SIGKILL ${victim.name}, restart after ${Math.round(down)} ms`);
        await victim.kill();
        figures.serverKills += 1;
        await sleep(down);
        await victim.start();
        figures.serverRestarts += 1;
      } else if (kind === 'redis') {
        log(`Redis down for ${Math.round(down)} ms`);
        await cluster.redis.kill();
        figures.redisOutages += 1;
        await sleep(down);
        await cluster.redis.start();
      } else {
        log(`PostgreSQL down for ${Math.round(down)} ms`);
        await cluster.postgres.down();
        figures.postgresOutages += 1;
        await sleep(down);
        await cluster.postgres.up();
      }
    }
    working = false;
    await Promise.all(actors);
    for (const typist of typists) typist.look();

    // A server that crashed by itself is a finding; it is started again so the checks can run.
    for (const server of cluster.servers) if (!server.running) await server.start();
    log('everything is back; waiting for the clients to converge');
    const backAt = Date.now();
    /** Who is not there yet (empty once converged). */
    const behind = async (): Promise<string[]> => {
      const late = devices.filter((device) => !settled(device)).map((device) => `${device.name} (syncing)`);
      if (late.length > 0) return late;
      const server = await fullPull(first.url, ownerToken, projectId);
      for (const device of devices) {
        for (const table of ['scenes', 'shots'] as const) {
          const local = await device.records(table);
          const remote = server.get(table) ?? new Map();
          const same = local.size === remote.size && [...remote].every(([id, raw]) => sameRecord(local.get(id), raw));
          if (!same) late.push(`${device.name}'s ${table}`);
        }
      }
      // Every client shows the doc as PostgreSQL holds it.
      const { docs } = await readStored(cluster.postgres.url, projectId);
      for (const typist of typists) if (typist.text !== docs.get(typist.docName)) late.push(typist.name);
      return late;
    };
    let lastBehind: string[] = [];
    const converged = async () => (lastBehind = await behind()).length === 0;
    // First on their own (nudges); then each device syncs once more, as the app does when
    // it comes to the foreground: a device still behind after that pulled wrongly, not late.
    const nudgesSufficed = await waitUntil('convergence through nudges', converged, config.nudgeWaitMs).then(
      () => true,
      () => false,
    );
    if (!nudgesSufficed) {
      log(`not converged through nudges alone (behind: ${lastBehind.join(', ')}); every device syncs once more`);
      figures.explicitSyncNeeded = true;
      await Promise.all(devices.map((device) => device.engine.syncNow().catch(() => undefined)));
      await waitUntil('the devices and Yjs clients to converge', converged, config.convergeTimeoutMs).catch(
        (error: unknown) => log(String(error)),
      );
    }
    figures.convergenceMs = Date.now() - backAt;

    const server = await fullPull(second.url, ownerToken, projectId);
    const stored = await readStored(cluster.postgres.url, projectId);
    const findings: ChaosFindings = [
      ...cluster.servers.flatMap((server) => server.crashes),
      ...operationErrors.map((error) => `a device's local write failed: ${error}`),
      // A device whose sync never ends or keeps failing shows stale data for that reason, not a wrong pull.
      ...devices
        .filter((device) => !settled(device))
        .map((device) => {
          const { syncing, pending, error, retryAttempt } = device.engine.getStatus();
          return `${device.name} never settled: ${JSON.stringify({ syncing, pending, retryAttempt, error: error?.message ?? null, idle: device.engine.isIdle() })}`;
        }),
      ...(await checkRecords({ ledger, server, devices, appliedPushes: stored.appliedPushes })),
      ...checkTypists(typists, stored.docs),
      ...[...stored.gaps]
        .filter(([, gap]) => gap !== '')
        .map(([docName, gap]) => `the stored ${docName} builds on edits no stored row holds: ${gap}`),
    ];
    figures.pushesSent = ledger.sent.size;
    figures.pushesAcknowledged = ledger.acked.size;
    figures.acknowledgedOver = { ...ledger.ackedOver };
    figures.pushesRetried = [...ledger.sent.values()].filter((push) => push.attempts > 1).length;
    figures.pushesAppliedUnanswered = [...ledger.sent.keys()].filter(
      (pushId) => !ledger.acked.has(pushId) && stored.appliedPushes.has(pushId),
    ).length;
    figures.records = [...server.values()].reduce((sum, table) => sum + table.size, 0);
    figures.yjsEdits = typists.reduce((sum, typist) => sum + typist.typed.length, 0);
    figures.yjsEditsSeenByOthers = new Set(typists.flatMap((typist) => [...typist.seenFromOthers])).size;
    return { figures, findings };
  } finally {
    for (const typist of typists) typist.destroy();
    await Promise.all(devices.map((device) => device.engine.stop().catch(() => undefined)));
    await cluster.stop();
  }
}
