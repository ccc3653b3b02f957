// Compares V8 heap snapshots (from `BENCH_HEAP_SNAPSHOTS=1 npm run bench -- soak`, or any
// .heapsnapshot): live objects counted by constructor (or node type for arrays, strings,
// code, closures' function names), with their self size; prints the groups that grew most
// between the first snapshot and each later one.
//   npx tsx bench/heap-compare.ts start.heapsnapshot mid.heapsnapshot after-leave.heapsnapshot [--top 40]
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Group {
  count: number;
  bytes: number;
}

/** Counts by "type:name" over every node of the snapshot (a snapshot holds only what is reachable). */
export function groupHeapSnapshot(file: string): Map<string, Group> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, Group>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!] ?? '?';
    // Strings and numbers by type alone: their "name" is their content.
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number'
        ? ''
        : (strings[nodes[i + nameAt]!] ?? '').slice(0, 60);
    const key = `${type}:${name}`;
    const group = groups.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += nodes[i + sizeAt]!;
    groups.set(key, group);
  }
  return groups;
}

function compare(before: Map<string, Group>, after: Map<string, Group>, top: number): string[] {
  const rows: Array<{ key: string; count: number; bytes: number; before: Group }> = [];
  for (const [key, group] of after) {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, count: group.count - was.count, bytes: group.bytes - was.bytes, before: was });
  }
  for (const [key, was] of before)
    if (!after.has(key)) rows.push({ key, count: -was.count, bytes: -was.bytes, before: was });
  rows.sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes));
  return rows
    .slice(0, top)
    .map(
      (r) =>
        `${(r.bytes >= 0 ? '+' : '') + (r.bytes / 1024).toFixed(1).padStart(9)} KB ${(r.count >= 0 ? '+' : '') + String(r.count).padStart(7)} objects (was ${String(r.before.count).padStart(7)})  ${r.key}`,
    );
}

const total = (groups: Map<string, Group>) => [...groups.values()].reduce((sum, g) => sum + g.bytes, 0);

if (process.argv[1] && path.resolve(process.argv[1]).endsWith('heap-compare.ts')) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
  const files = args.filter((a, i) => !a.startsWith('--') && (topAt < 0 || i !== topAt + 1));
  if (files.length < 2)
    throw new Error('usage: heap-compare.ts <first.heapsnapshot> <later.heapsnapshot>... [--top n]');
  const first = groupHeapSnapshot(files[0]!);
  console.log(
    `${files[0]}: ${(total(first) / 1024 / 1024).toFixed(1)} MB in ${[...first.values()].reduce((s, g) => s + g.count, 0)} objects`,
  );
  for (const file of files.slice(1)) {
    const later = groupHeapSnapshot(file);
    console.log(
      `\n${file}: ${(total(later) / 1024 / 1024).toFixed(1)} MB; largest changes against ${path.basename(files[0]!)}:`,
    );
    for (const line of compare(first, later, top)) console.log(line);
  }
}
