// Where a process's event loop was away, for the devices benchmark's server and client
// processes: perf_hooks' event-loop delay histogram, the stalls themselves (a 10 ms timer
// that fired late by more than 50 ms: when, and for how long), and the GC pauses V8 reported
// (PerformanceObserver 'gc'). Read with `take()`, which starts the next window.
import { type IntervalHistogram, PerformanceObserver, constants, monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopStalls {
  /** Event-loop delay over the window (perf_hooks, 10 ms resolution), ms. */
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Stalls over 50 ms: how many, their total and the longest, ms. */
  stalls: number;
  stalledMs: number;
  longestStallMs: number;
  /** The 20 longest stalls of the window: wall-clock start (ms since epoch) and length. */
  worst: Array<{ at: number; ms: number }>;
  /** GC pauses: count and total by kind, the longest, and how many took over 20 ms. */
  gc: { scavenges: number; scavengeMs: number; majors: number; majorMs: number; maxMs: number; over20ms: number };
}

const stallThresholdMs = 50;
const tickMs = 10;

const gcKinds = constants as unknown as Record<string, number>;

export function watchLoopStalls(): { take(): LoopStalls; stop(): void } {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let stalls: Array<{ at: number; ms: number }> = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - tickMs;
    if (late > stallThresholdMs) stalls.push({ at: performance.timeOrigin + last, ms: late });
    last = now;
  }, tickMs);
  timer.unref();
  const gc = { scavenges: 0, scavengeMs: 0, majors: 0, majorMs: 0, maxMs: 0, over20ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === gcKinds.NODE_PERFORMANCE_GC_MINOR) {
        gc.scavenges += 1;
        gc.scavengeMs += entry.duration;
      } else {
        gc.majors += 1;
        gc.majorMs += entry.duration;
      }
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if (entry.duration > 20) gc.over20ms += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    take() {
      const result: LoopStalls = {
        delayP50Ms: ms(histogram.percentile(50)),
        delayP99Ms: ms(histogram.percentile(99)),
        delayMaxMs: ms(histogram.max),
        stalls: stalls.length,
        stalledMs: Math.round(stalls.reduce((sum, s) => sum + s.ms, 0)),
        longestStallMs: Math.round(Math.max(0, ...stalls.map((s) => s.ms))),
        worst: [...stalls]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 20)
          .map((s) => ({ at: Math.round(s.at), ms: Math.round(s.ms) })),
        gc: {
          ...gc,
          scavengeMs: Math.round(gc.scavengeMs),
          majorMs: Math.round(gc.majorMs),
          maxMs: Math.round(gc.maxMs),
        },
      };
      histogram.reset();
      stalls = [];
      for (const key of Object.keys(gc) as Array<keyof typeof gc>) gc[key] = 0;
      return result;
    },
    stop() {
      clearInterval(timer);
      histogram.disable();
      observer.disconnect();
    },
  };
}

export function describeStalls(who: string, s: LoopStalls): string {
  return `${who}: loop delay p50/p99/max ${s.delayP50Ms}/${s.delayP99Ms}/${s.delayMaxMs} ms; ${s.stalls} stalls > 50 ms (${s.stalledMs} ms, longest ${s.longestStallMs}); GC ${s.gc.scavenges} scavenges ${s.gc.scavengeMs} ms, ${s.gc.majors} major ${s.gc.majorMs} ms, max ${s.gc.maxMs} ms, ${s.gc.over20ms} over 20 ms`;
}
