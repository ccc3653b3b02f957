// The production image must never contain the host's installs, builds, databases, version
// control or secrets (issue 13, deliverable 9). There is no Docker engine in CI, so this
// checks the inputs: .dockerignore (with Docker's matching rules) against what is on disk
// and tracked, and the Dockerfile's stages and user.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Rule {
  negate: boolean;
  regex: RegExp;
}

/**
 * Docker's .dockerignore rules (moby/patternmatcher): patterns are relative to the context
 * root, `*` and `?` stay within one path segment, `**` spans any number of segments, a
 * pattern that matches a directory excludes everything under it, `!` re-includes, and the
 * last matching line wins.
 */
function parseDockerignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    line = path.posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    let source = '';
    for (let i = 0; i < line.length; i += 1) {
      const char = line[i];
      if (line.startsWith('**/', i)) {
        source += '(?:.*/)?';
        i += 2;
      } else if (line.startsWith('**', i)) {
        source += '.*';
        i += 1;
      } else if (char === '*') source += '[^/]*';
      else if (char === '?') source += '[^/]';
      else source += (char ?? '').replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    rules.push({ negate, regex: new RegExp(`^${source}$`) });
  }
  return rules;
}

function isExcluded(rules: Rule[], file: string): boolean {
  const parts = file.replace(/\/+$/, '').split('/');
  // A file is out when it or one of its parent directories is matched (last rule wins).
  let excluded = false;
  for (const rule of rules) {
    for (let n = 1; n <= parts.length; n += 1) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) {
        excluded = !rule.negate;
        break;
      }
    }
  }
  return excluded;
}

const rules = parseDockerignore(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter(Boolean);

describe('.dockerignore', () => {
  test('the matcher follows Docker: directories exclude their contents, ** spans segments, ! re-includes', () => {
    const sample = parseDockerignore('**/node_modules\n.data\n*.md\n!README.md\n');
    expect(isExcluded(sample, 'node_modules/zod/index.js')).toBe(true);
    expect(isExcluded(sample, 'apps/web/node_modules/.bin/next')).toBe(true);
    expect(isExcluded(sample, '.data/pg/PG_VERSION')).toBe(true);
    expect(isExcluded(sample, 'packages/db/.data/x')).toBe(false);
    expect(isExcluded(sample, 'CHANGES.md')).toBe(true);
    expect(isExcluded(sample, 'docs/web.md')).toBe(false);
    expect(isExcluded(sample, 'README.md')).toBe(false);
  });

  test('host installs, builds, embedded databases, .git, env files and test output never enter the image', () => {
    const mustStayOut = [
      'node_modules/yjs/package.json',
      'apps/web/node_modules/.bin/next',
      'packages/db/node_modules/pg/package.json',
      'apps/web/.next/BUILD_ID',
      'apps/web/.next-e2e/BUILD_ID',
      '.data/postgres/PG_VERSION',
      '.data/test-postgres/base/1/112',
      'apps/server/.data/pg/postmaster.pid',
      '.git/HEAD',
      '.git/config',
      '.env',
      '.env.production',
      'apps/server/.env',
      'apps/web/.env.local',
      '.npmrc',
      'apps/web/test-results/shot.png',
      'apps/web/playwright-report/index.html',
      'bench/results/sync.json',
      'packages/db/src/generated/prisma/client.ts',
      '.turbo/cookies/1.cookie',
      'server.log',
      'certs/server.key',
    ];
    expect(mustStayOut.filter((file) => !isExcluded(rules, file))).toEqual([]);
  });

  test('everything git ignores in this checkout stays out of the image too', () => {
    // Whatever a developer's or CI's checkout has accumulated (.data/, .next/, results...).
    const ignored = git('ls-files', '--others', '--ignored', '--exclude-standard', '--directory');
    expect(ignored.length).toBeGreaterThan(0); // node_modules at least
    expect(ignored.filter((entry) => !isExcluded(rules, entry))).toEqual([]);
  });

  test('every tracked file the build and the server need is in the context', () => {
    const needed = git('ls-files').filter(
      (file) =>
        /^(apps|packages|prisma|scripts)\//.test(file) ||
        [
          'package.json',
          'package-lock.json',
          'tsconfig.json',
          'tsconfig.base.json',
          'prisma.config.ts',
          'turbo.json',
        ].includes(file),
    );
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter((file) => isExcluded(rules, file))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(root, '.docker', 'Dockerfile'), 'utf8');
  const lines = dockerfile.split('\n').map((line) => line.trim());
  const stages = lines.filter((line) => /^FROM\s/i.test(line));
  const finalStage = lines.slice(lines.lastIndexOf(stages.at(-1) ?? ''));

  test('builds in stages and the runtime stage runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const users = finalStage.filter((line) => /^USER\s/i.test(line));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(\s|:|$)/i);
    // The runtime stage starts from a clean base, not from the build stage with its caches.
    expect(stages.at(-1)).toMatch(/^FROM\s+node:/i);
  });

  test('the runtime stage preloads jemalloc, installed in that stage, at the path it links', () => {
    const run = finalStage
      .slice(
        0,
        finalStage.findIndex((line) => /^ENV\s+LD_PRELOAD=/i.test(line)),
      )
      .join('\n');
    const preload = finalStage.find((line) => /^ENV\s+LD_PRELOAD=/i.test(line));
    expect(preload).toBe('ENV LD_PRELOAD=/usr/local/lib/libjemalloc.so.2');
    // Installed and linked before the ENV line (so every later RUN and the server get it), and checked there.
    expect(run).toMatch(/apt-get install -y --no-install-recommends libjemalloc2/);
    expect(run).toMatch(
      /ln -s "\$\(find \/usr\/lib -name libjemalloc\.so\.2 -print -quit\)" \/usr\/local\/lib\/libjemalloc\.so\.2/,
    );
    expect(run).toMatch(/LD_PRELOAD=\/usr\/local\/lib\/libjemalloc\.so\.2 node -e .*libjemalloc/);
  });

  test('the install stage copies the manifest of every workspace (npm ci needs them all)', () => {
    const workspaces = ['apps', 'packages'].flatMap((group) =>
      readdirSync(path.join(root, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${group}/${entry.name}/package.json`),
    );
    const copied = lines.filter((line) => /^COPY\s/i.test(line)).map((line) => line.split(/\s+/)[1]);
    expect(workspaces.filter((manifest) => !copied.includes(manifest))).toEqual([]);
  });

  test('docker-compose gives the server replicas a health check on /health', () => {
    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const server = compose.slice(compose.indexOf('\n  server:'), compose.indexOf('\n  lb:'));
    expect(server).toMatch(/healthcheck:\s*\n\s+test:.*\/health/);
    expect(compose.slice(compose.indexOf('\n  lb:'))).toMatch(/server: \{ condition: service_healthy \}/);
  });
});
