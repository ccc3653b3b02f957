// A V8 CPU profile of one window of a benchmark process (the devices benchmark's measured
// window), taken with the inspector from inside the process: `--cpu-prof` writes only at
// exit, and not at all when the process is ended from outside.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export interface WindowProfiler {
  start(): Promise<void>;
  /** Stops and writes the profile; resolves to its path. */
  stop(file: string): Promise<string>;
}

export function windowProfiler(intervalMicros = 500): WindowProfiler {
  const session = new Session();
  session.connect();
  return {
    async start() {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
      await session.post('Profiler.start');
    },
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      await session.post('Profiler.disable');
      return file;
    },
  };
}
