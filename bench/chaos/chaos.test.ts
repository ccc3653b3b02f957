// The short chaos run inside `npm test` (the full one: `npm run chaos`). Its own PostgreSQL
// and Redis, two real server processes; it cleans up everything it started, pass or fail.
import { expect, test } from 'vitest';
import { runChaos, shortConfig } from './chaos.ts';

test('[chaos] devices pushing and typing through SIGKILLed servers and PostgreSQL and Redis outages lose nothing acknowledged and converge', async () => {
  const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
  const { figures, findings } = await runChaos({ ...shortConfig, seed });
  // The run is only worth something if the breakage and the traffic happened.
  expect(figures.serverKills).toBeGreaterThanOrEqual(1);
  expect(figures.redisOutages).toBeGreaterThanOrEqual(1);
  expect(figures.postgresOutages).toBeGreaterThanOrEqual(1);
  expect(figures.pushesAcknowledged).toBeGreaterThan(0);
  // Both ways a push goes (sync-client C23): over the /sync socket while it is open, HTTP otherwise.
  expect(figures.acknowledgedOver.socket).toBeGreaterThan(0);
  expect(figures.yjsEdits).toBeGreaterThan(0);
  expect(findings, `seed ${seed}`).toEqual([]);
}, 600_000);
