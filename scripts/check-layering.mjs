// Checks the package layering written down in the README, in the manifests and in the
// source:
// - a workspace's package.json `dependencies` name only @clapper packages below it;
//   `devDependencies` may also name the test-only ones (`testAllowed`), and the graph of
//   both together has no cycle (turbo and npm see devDependencies too);
// - source files import only the @clapper packages below them, only through their public
//   entry, and only packages their package.json declares (tests and type-only imports:
//   dependencies or devDependencies; everything else: dependencies).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const allowed = {
  '@clapper/schema': [],
  '@clapper/domain': [],
  '@clapper/log': [],
  '@clapper/db': ['@clapper/schema', '@clapper/log'],
  '@clapper/pubsub': ['@clapper/log'],
  '@clapper/sync-server': ['@clapper/schema', '@clapper/db', '@clapper/log'],
  '@clapper/sync-client': ['@clapper/schema'],
  '@clapper/collab': ['@clapper/schema', '@clapper/domain', '@clapper/db', '@clapper/log', '@clapper/pubsub'],
  '@clapper/api': [
    '@clapper/schema',
    '@clapper/db',
    '@clapper/log',
    '@clapper/pubsub',
    '@clapper/sync-server',
    '@clapper/collab',
  ],
  '@clapper/server': ['@clapper/api', '@clapper/db', '@clapper/log', '@clapper/schema'],
  '@clapper/web': ['@clapper/schema', '@clapper/domain', '@clapper/sync-client', '@clapper/collab', '@clapper/api'],
};
// Tests may reach up for real parts (a client package's tests start the real server and
// a test database), as devDependencies, as long as that closes no cycle: a package the
// api depends on tests the api's use of it in packages/api instead.
const testAllowed = ['@clapper/api', '@clapper/db'];
// Public entries besides the package root: @clapper/collab/client, and
// @clapper/sync-client/preload (the page's first chunk reads the local copy without WatermelonDB).
const allowedSubpaths = ['/client', '/preload'];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.next' || entry === 'generated' || entry.startsWith('.next')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mjs|js)$/.test(entry)) yield full;
  }
}

function clapperNames(record) {
  return Object.keys(record ?? {}).filter((name) => name.startsWith('@clapper/'));
}

/** name -> {dir, deps, devDeps} for every workspace. */
const workspaces = new Map();
for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(path.join(root, group))) {
    const pkgFile = path.join(root, group, dir, 'package.json');
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(pkgFile, 'utf8'));
    } catch {
      continue;
    }
    workspaces.set(manifest.name, {
      dir: path.join(root, group, dir),
      manifest: path.relative(root, pkgFile),
      deps: clapperNames(manifest.dependencies),
      devDeps: clapperNames(manifest.devDependencies),
    });
  }
}

// Manifests: each dependency allowed by the table.
for (const [name, ws] of workspaces) {
  const may = allowed[name];
  if (!may) {
    problems.push(`${name}: not in the layering table (scripts/check-layering.mjs)`);
    continue;
  }
  for (const dep of ws.deps) {
    if (!may.includes(dep)) problems.push(`${ws.manifest}: ${name} may not depend on ${dep} (dependencies)`);
  }
  for (const dep of ws.devDeps) {
    if (dep !== name && !may.includes(dep) && !testAllowed.includes(dep)) {
      problems.push(`${ws.manifest}: ${name} may not depend on ${dep} (devDependencies)`);
    }
  }
}

// Manifests: no cycle through dependencies and devDependencies together.
const state = new Map(); // name -> 'visiting' | 'done'
function visit(name, trail) {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'visiting') {
    const cycle = [...trail.slice(trail.indexOf(name)), name];
    problems.push(`circular package dependency (dependencies + devDependencies): ${cycle.join(' -> ')}`);
    return;
  }
  state.set(name, 'visiting');
  const ws = workspaces.get(name);
  for (const dep of ws ? [...ws.deps, ...ws.devDeps] : []) {
    if (dep !== name && workspaces.has(dep)) visit(dep, [...trail, name]);
  }
  state.set(name, 'done');
}
for (const name of workspaces.keys()) visit(name, []);

// Source: imports allowed by the table, through public entries, and declared.
for (const [name, ws] of workspaces) {
  const may = allowed[name];
  if (!may) continue;
  for (const file of sourceFiles(ws.dir)) {
    const isTest = /\.(test|spec)\.tsx?$|\/e2e\/|\.test-support\.tsx?$|\/testing\//.test(file);
    const source = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const match of source.matchAll(
      /(import\s+type\b[^'"]*?from\s*|from\s*|import\s*\(?\s*)['"](@clapper\/[\w-]+)(\/[^'"]*)?['"]/g,
    )) {
      const [, how, target, subpath] = match;
      // Types are erased at build time, so a type-only import may come from a devDependency.
      const typeOnly = /^import\s+type\b/.test(how);
      if (target === name) continue;
      if (subpath && !allowedSubpaths.includes(subpath))
        problems.push(`${rel}: deep import ${target}${subpath}; use the package entry`);
      if (!may.includes(target) && !(isTest && testAllowed.includes(target))) {
        problems.push(`${rel}: ${name} may not import ${target}`);
      } else if (!ws.deps.includes(target) && !((isTest || typeOnly) && ws.devDeps.includes(target))) {
        const where = isTest || typeOnly ? 'dependencies or devDependencies' : 'dependencies';
        problems.push(`${rel}: imports ${target}, which ${ws.manifest} does not declare in ${where}`);
      }
    }
  }
}

if (problems.length) {
  console.error(`Layering check failed:\n  ${[...new Set(problems)].join('\n  ')}`);
  process.exit(1);
}
console.log('layering ok');
