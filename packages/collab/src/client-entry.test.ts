import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverOnly = [/^node:/, /^ws$/, /^pg$/, /^ioredis$/, /^@clapper\/db$/, /^@clapper\/api$/];

async function importsOf(file: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = await readFile(file, 'utf8');
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);
  const bare: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) bare.push(...(await importsOf(path.resolve(path.dirname(file), specifier), seen)));
    else bare.push(specifier);
  }
  return bare;
}

test('[C1] @clapper/collab/client pulls in nothing server-only (no pg, ws, Redis, node: modules)', async () => {
  const imports = await importsOf(path.join(here, 'client.ts'));
  expect(imports).toContain('y-websocket');
  expect(imports).toContain('yjs');
  const offending = imports.filter((specifier) => serverOnly.some((pattern) => pattern.test(specifier)));
  expect(offending).toEqual([]);
  const manifest = JSON.parse(await readFile(path.join(here, '..', 'package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  expect(manifest.exports['./client']).toBe('./src/client.ts');
});
