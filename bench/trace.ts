// Where a renderer's main thread spent its time, from what Chromium's DevTools protocol
// records: a trace (time per event name: layout, paint, JavaScript, …) and a V8 CPU
// profile (self time per JavaScript function). Shared by the browser benchmarks.
import { round } from './stats.ts';

export interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: { type?: string } };
}

/** The trace categories the summaries below read. */
export const traceCategories = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'v8.execute',
  'blink.user_timing',
  'loading',
];

/**
 * Time per event name on each renderer main thread of a trace (ms; nested events are
 * counted in their parents too), the renderer labelled by the keydowns it dispatched.
 */
export function summarizeTrace(
  events: TraceEvent[],
): { pid: number; keydowns: number; top: { name: string; ms: number }[] }[] {
  const mainThreads = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const byPid = new Map<number, { keydowns: number; totals: Map<string, number> }>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !mainThreads.has(`${e.pid}:${e.tid}`)) continue;
    const entry = byPid.get(e.pid) ?? { keydowns: 0, totals: new Map<string, number>() };
    byPid.set(e.pid, entry);
    if (e.name === 'EventDispatch' && e.args?.data?.type === 'keydown') entry.keydowns += 1;
    entry.totals.set(e.name, (entry.totals.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...byPid.entries()].map(([pid, { keydowns, totals }]) => ({
    pid,
    keydowns,
    top: [...totals.entries()]
      .map(([name, ms]) => ({ name, ms: round(ms) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 25),
  }));
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per JavaScript function of a V8 CPU profile (ms), most first. */
export function summarizeCpuProfile(profile: CpuProfile, count = 30): [string, number][] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

/** Self time per script file of a V8 CPU profile (ms), most first: which bundle chunk, or the engine's own entries. */
export function summarizeCpuProfileByScript(profile: CpuProfile, count = 12): [string, number][] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const key = frame.url ? (frame.url.split('/').pop() ?? frame.url) : frame.functionName || '(native)';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}
