// Checks the package layering written down in the README: each workspace may import
// only the @clapper packages below it, and only through their public entry.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const allowed = {
  '@clapper/schema': [],
  '@clapper/domain': [],
  '@clapper/db': ['@clapper/schema'],
  '@clapper/sync-server': ['@clapper/schema', '@clapper/db'],
  '@clapper/sync-client': ['@clapper/schema'],
  '@clapper/collab': ['@clapper/schema', '@clapper/domain', '@clapper/db'],
  '@clapper/api': ['@clapper/schema', '@clapper/db', '@clapper/sync-server', '@clapper/collab'],
  '@clapper/server': ['@clapper/api', '@clapper/db', '@clapper/schema'],
  '@clapper/web': ['@clapper/schema', '@clapper/domain', '@clapper/sync-client', '@clapper/collab', '@clapper/api'],
};
// Tests may reach up for real parts (e.g. a client package's tests start the real server).
const testAllowed = ['@clapper/api', '@clapper/db'];

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === '.next' || entry === 'generated') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx|mjs|js)$/.test(entry)) yield full;
  }
}

for (const group of ['packages', 'apps']) {
  for (const dir of readdirSync(path.join(root, group))) {
    const pkgFile = path.join(root, group, dir, 'package.json');
    let name;
    try {
      name = JSON.parse(readFileSync(pkgFile, 'utf8')).name;
    } catch {
      continue;
    }
    const may = allowed[name];
    if (!may) {
      problems.push(`${name}: not in the layering table (scripts/check-layering.mjs)`);
      continue;
    }
    for (const file of sourceFiles(path.join(root, group, dir))) {
      const isTest = /\.(test|spec)\.tsx?$|\/e2e\//.test(file);
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from|import)\s*\(?\s*['"](@clapper\/[\w-]+)(\/[^'"]*)?['"]/g)) {
        const [, target, subpath] = match;
        const rel = path.relative(root, file);
        if (target === name) continue;
        if (subpath && subpath !== '/client') problems.push(`${rel}: deep import ${target}${subpath}; use the package entry`);
        if (!may.includes(target) && !(isTest && testAllowed.includes(target))) {
          problems.push(`${rel}: ${name} may not import ${target}`);
        }
      }
    }
  }
}

if (problems.length) {
  console.error(`Layering check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layering ok');
