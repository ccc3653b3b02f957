// What ran in a process's long tasks, from a V8 CPU profile (`--cpu-prof`, e.g. the devices
// benchmark's BENCH_SERVER_CPU_PROF=1): a task is a run of consecutive samples that are not
// `(idle)`; those longer than the threshold are listed with the functions that took their
// time (self time, and the callers they ran under), then the whole profile's shares.
//   npx tsx bench/cpuprofile-stalls.ts <file.cpuprofile> [thresholdMs=50] [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, thresholdArg, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-stalls.ts <file.cpuprofile> [thresholdMs] [top]');
const thresholdMs = Number(thresholdArg ?? 50);
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, '~/')
    .replace(/.*\/packages\//, 'packages/')
    .replace(/.*\/bench\//, 'bench/');
const label = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : ''}`.trim();

/** The frames of a sample, leaf first. */
function stack(id: number): ProfileNode[] {
  const frames: ProfileNode[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!);
  return frames;
}

/** Innermost frame of ours (packages/ or bench/) or of a named library, for "under what". */
function ownerOf(frames: ProfileNode[]): string {
  for (const f of frames) {
    const url = f.callFrame.url;
    if (url.includes('/packages/') && !url.includes('node_modules')) return label(f);
  }
  for (const f of frames) if (f.callFrame.url.includes('node_modules')) return label(f);
  return label(frames[0]!);
}

const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
type Task = { start: number; ms: number; samples: Array<{ id: number; ms: number }> };
const tasks: Task[] = [];
let t = profile.startTime;
let current: Task | null = null;
const total = new Map<string, number>();
const totalOwner = new Map<string, number>();
let busyMs = 0;
let allMs = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const delta = (profile.timeDeltas[i] ?? 0) / 1000;
  t += delta * 1000;
  const id = profile.samples[i]!;
  // A sample stands for the time until the next one.
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  allMs += ms;
  if (idle.has(id)) {
    if (current) tasks.push(current);
    current = null;
    continue;
  }
  busyMs += ms;
  const frames = stack(id);
  total.set(label(frames[0]!), (total.get(label(frames[0]!)) ?? 0) + ms);
  totalOwner.set(ownerOf(frames), (totalOwner.get(ownerOf(frames)) ?? 0) + ms);
  current ??= { start: t / 1000, ms: 0, samples: [] };
  current.ms += ms;
  current.samples.push({ id, ms });
}
if (current) tasks.push(current);

const long = tasks.filter((task) => task.ms >= thresholdMs).sort((a, b) => b.ms - a.ms);
const pct = (ms: number, of: number) => `${((ms / of) * 100).toFixed(1)}%`;
console.log(
  `${file}: ${(allMs / 1000).toFixed(1)} s profiled, busy ${pct(busyMs, allMs)}; ${tasks.length} tasks, ${long.length} of ${thresholdMs} ms or more (${long.reduce((s, x) => s + x.ms, 0).toFixed(0)} ms in all)`,
);

function printTop(title: string, map: Map<string, number>, of: number): void {
  console.log(`\n${title}`);
  for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms.toFixed(1).padStart(9)} ms  ${pct(ms, of).padStart(6)}  ${name}`);
}

const longSelf = new Map<string, number>();
const longOwner = new Map<string, number>();
let longMs = 0;
for (const task of long) {
  for (const { id, ms } of task.samples) {
    const frames = stack(id);
    longSelf.set(label(frames[0]!), (longSelf.get(label(frames[0]!)) ?? 0) + ms);
    longOwner.set(ownerOf(frames), (longOwner.get(ownerOf(frames)) ?? 0) + ms);
    longMs += ms;
  }
}
console.log(
  `\nThe ${Math.min(10, long.length)} longest tasks (ms after the profile's start: length, top self frames):`,
);
for (const task of long.slice(0, 10)) {
  const self = new Map<string, number>();
  for (const { id, ms } of task.samples) {
    const frames = stack(id);
    const key = `${label(frames[0]!)} <- ${ownerOf(frames)}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
  const parts = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, ms]) => `${ms.toFixed(0)} ms ${name}`);
  console.log(
    `  +${((task.start - profile.startTime / 1000) / 1000).toFixed(1)} s: ${task.ms.toFixed(0)} ms: ${parts.join('; ')}`,
  );
}
if (longMs > 0) {
  printTop(`In the long tasks, self time by function (of ${longMs.toFixed(0)} ms):`, longSelf, longMs);
  printTop('In the long tasks, by the innermost frame of ours (or the library) it ran under:', longOwner, longMs);
}
printTop(`Whole profile, self time by function (of ${busyMs.toFixed(0)} ms busy):`, total, busyMs);
printTop('Whole profile, by the innermost frame of ours (or the library):', totalOwner, busyMs);
