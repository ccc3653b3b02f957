// The stripboard at feature size, in Chromium, against the production build of the web
// app and a real Clapper server (the browser tests' global setup starts both). A feature
// film's board (150 scenes, 1,500 shots, 30 day breaks) is pushed through the real
// `sync.push`, then, each against its target from issue 12:
//   - first open of the project in a fresh profile (download into IndexedDB, board shown);
//   - reopen from the local copy (the same profile, a new tab);
//   - reload while offline (the network off: the app from its service worker, the board
//     from the local copy);
//   - an edit in one window shown in another (Enter in A → the value painted in B), the two
//     windows in two browsers, so that neither is a window behind the other;
//   - typing into a shot's Description: Event Timing keydown durations (baseline: a plain
//     <input> in the same browser);
//   - the board on a tablet (820×1180, touch): first open, and whether every control of
//     the board can be reached by a finger (e2e/support/reachability.ts);
//   - a 10,000-shot board: first open, and a scroll to the bottom until the last row shows.
//   npx tsx bench/board.ts   or   npm run bench board   (DATABASE_URL, or an embedded PostgreSQL)
//   BENCH_BOARD_RUNS=3 BENCH_BOARD_EDITS=30 BENCH_BOARD_KEYS=60 to change the load;
//   BENCH_BOARD_ONLY=edit runs only the two devices' first opens and the cross-window edit;
//   BENCH_BOARD_ONLY=typing only the baseline <input>, one device's first open and the typing;
//   BENCH_BOARD_TRACE=<dir> also records a CDP trace and CPU profile of the first open,
//   the reopen, the cross-window edit and the typing, and prints where the time went;
//   BENCH_BOARD_SCRIPT=<blocks> also gives the project a script of that many blocks (5000:
//   the editor benchmark's ~120 pages), written in its editor by the owner before the opens,
//   so each open also loads it for the board's page eighths (from the server, then from the
//   local copy). Without it the project has no script.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { keysBetween } from '@clapper/domain';
import { type Browser, type BrowserContext, type BrowserContextOptions, type Page, chromium } from '@playwright/test';
import { createTRPCUntypedClient, httpLink } from '@trpc/client';
// eslint-disable-next-line no-restricted-imports -- the benchmark starts the browser tests' servers and build; apps/web has no entry for its test harness
import globalSetup, { type E2eEnv } from '../apps/web/e2e/support/global-setup.ts';
// eslint-disable-next-line no-restricted-imports -- the browser tests' Chromium switches, so both measure the same browser
import { chromiumArgs, chromiumExecutable } from '../apps/web/e2e/support/chromium.ts';
// eslint-disable-next-line no-restricted-imports -- the tablet figure checks reachability as the browser tests do
import { unreachableControls } from '../apps/web/e2e/support/reachability.ts';
import { control, keyPercentiles, readKeyTiming, signIn, startKeyTiming } from './browser-bench.ts';
import { generateScript, toEditorStateJson } from './editor-script.ts';
import { type BenchRow, median, percentile, round } from './stats.ts';
import {
  type CpuProfile,
  type TraceEvent,
  summarizeCpuProfile,
  summarizeCpuProfileByScript,
  summarizeTrace,
  traceCategories,
} from './trace.ts';

/** Fresh profiles per board (at least 2: the cross-window edit needs two windows). */
const runs = Math.max(2, Number(process.env.BENCH_BOARD_RUNS ?? 3));
const edits = Number(process.env.BENCH_BOARD_EDITS ?? 30);
const keys = Number(process.env.BENCH_BOARD_KEYS ?? 60);
const traceDir = process.env.BENCH_BOARD_TRACE;
/** Blocks of the project's script (BENCH_BOARD_SCRIPT); 0: no script. */
const scriptBlocks = Number(process.env.BENCH_BOARD_SCRIPT ?? 0);
/**
 * `edit`: only the two devices' first opens and the cross-window edit (profiling that edit);
 * `opens`: only the first opens, reopens and offline reloads (the rest of the run skipped);
 * `typing`: only the baseline <input>, one device's first open and the typing into its board.
 */
const only = process.env.BENCH_BOARD_ONLY;
if (only !== undefined && only !== 'edit' && only !== 'opens' && only !== 'typing') {
  throw new Error(`BENCH_BOARD_ONLY=${only}: only "edit", "opens" and "typing" are known`);
}
const editOnly = only === 'edit';
const typingOnly = only === 'typing';
const keyDelayMs = 100;
const desktop: BrowserContextOptions = { viewport: { width: 1440, height: 900 } };
const tablet: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true };
const log = (line: string) => process.stderr.write(`[board bench] ${line}\n`);

// ---------------------------------------------------------------------------------------
// The board

interface BoardShape {
  scenes: number;
  shotsPerScene: number;
  /** A day break before every nth scene (the first included). */
  scenesPerDay: number;
}

const featureFilm: BoardShape = { scenes: 150, shotsPerScene: 10, scenesPerDay: 5 };
const bigBoard: BoardShape = { scenes: 1_000, shotsPerScene: 10, scenesPerDay: 5 };

type RawRecord = Record<string, string | number | boolean | null>;

interface GeneratedBoard {
  scenes: RawRecord[];
  shots: RawRecord[];
  banners: RawRecord[];
  /** The label of the board's last row (a shot of the last scene). */
  lastShotLabel: string;
}

const shotLetters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const sizes = ['WS', 'MS', 'MCU', 'CU', 'OTS', 'INS'];
const movements = ['Static', 'Pan', 'Dolly', 'Handheld'];

/** Scenes with their shots, a day break before every `scenesPerDay`th scene: records as a push sends them. */
function generateBoard({ scenes: sceneCount, shotsPerScene, scenesPerDay }: BoardShape): GeneratedBoard {
  const dayCount = Math.ceil(sceneCount / scenesPerDay);
  const topKeys = keysBetween(null, null, sceneCount + dayCount);
  const shotKeys = keysBetween(null, null, shotsPerScene);
  const scenes: RawRecord[] = [];
  const shots: RawRecord[] = [];
  const banners: RawRecord[] = [];
  let top = 0;
  for (let n = 0; n < sceneCount; n += 1) {
    if (n % scenesPerDay === 0) {
      const day = n / scenesPerDay;
      banners.push({
        id: `day${day}`,
        scene_id: null,
        sort_key: topKeys[top++]!,
        date: new Date(Date.UTC(2027, 2, 1 + day)).toISOString().slice(0, 10),
        label: day % 6 === 5 ? 'Company move' : '',
      });
    }
    const number = String(n + 1);
    scenes.push({
      id: `scene${n}`,
      number,
      heading: `${n % 3 === 0 ? 'EXT' : 'INT'}. LOCATION ${n % 40} - ${n % 4 === 0 ? 'NIGHT' : 'DAY'}`,
      location: `Location ${n % 40}`,
      time_of_day: n % 4 === 0 ? 'NIGHT' : 'DAY',
      synopsis: `The crew reaches the ${n}th set-up before the light goes.`,
      page_eighths: 3 + (n % 13),
      sort_key: topKeys[top++]!,
      number_locked: false,
    });
    for (let s = 0; s < shotsPerScene; s += 1) {
      shots.push({
        id: `shot${n}x${s}`,
        scene_id: `scene${n}`,
        sort_key: shotKeys[s]!,
        label: `${number}${shotLetters[s % 26]!}${s >= 26 ? String(Math.floor(s / 26)) : ''}`,
        size: sizes[(n + s) % sizes.length]!,
        movement: movements[(n * 7 + s) % movements.length]!,
        lens: `${[24, 35, 50, 85][s % 4]}mm`,
        description: `Coverage ${s + 1} of scene ${number}: the eyeline from across the room.`,
        duration_s: 4 + ((n + s) % 20),
        done: (n + s) % 7 === 0,
      });
    }
  }
  return { scenes, shots, banners, lastShotLabel: shots.at(-1)!.label as string };
}

// ---------------------------------------------------------------------------------------
// The server: seeding through the real API

function api(env: E2eEnv, token: string) {
  return createTRPCUntypedClient({
    links: [httpLink({ url: `${env.apiUrl}/trpc`, headers: { authorization: `Bearer ${token}` } })],
  });
}

/** A project owned by `ownerToken`, holding `board` (pushed like a device would), shared with `members` as editors. */
async function seedProject(
  env: E2eEnv,
  ownerToken: string,
  name: string,
  board: GeneratedBoard,
  members: readonly string[],
): Promise<string> {
  const client = api(env, ownerToken);
  const { id: projectId } = (await client.mutation('projects.create', { name })) as { id: string };
  for (const email of members) await client.mutation('projects.addMember', { projectId, email, role: 'editor' });
  const empty = { created: [], updated: [], deleted: [] };
  const push = (pushId: string, created: Record<string, RawRecord[]>) =>
    client.mutation('sync.push', {
      projectId,
      pushId,
      lastPulledAt: null,
      changes: Object.fromEntries(
        Object.entries(created).map(([table, records]) => [table, { ...empty, created: records }]),
      ),
    });
  await push(`${name}-scenes`, { scenes: board.scenes, day_banners: board.banners });
  // A push holds at most 10,000 records.
  for (let i = 0; i < board.shots.length; i += 5_000) {
    await push(`${name}-shots-${i}`, { shots: board.shots.slice(i, i + 5_000) });
  }
  return projectId;
}

// ---------------------------------------------------------------------------------------
// The browser

/**
 * Records in the page the epoch time (ms) of each `sync.push`/`sync.pull` request sent and
 * answered (a push over HTTP or over the `/sync` socket) and of each `/sync` nudge
 * received: where an edit's time goes between windows.
 */
const syncTimelineScript = `(() => {
  const log = (globalThis.__syncLog = []);
  const now = () => performance.timeOrigin + performance.now();
  const originalFetch = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    const kind = url.includes('sync.push') ? 'push' : url.includes('sync.pull') ? 'pull' : null;
    if (!kind) return originalFetch.call(this, input, init);
    log.push([kind + ' sent', now()]);
    return originalFetch.call(this, input, init).then((response) => {
      log.push([kind + ' answered', now()]);
      return response;
    });
  };
  // A push may go over the /sync socket instead (sync-client C23): sent as "push", answered "pushed".
  const OriginalWebSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends OriginalWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string') return;
        if (event.data.includes('"changed"')) log.push(['nudge', now()]);
        else if (event.data.startsWith('{"type":"pushed"')) log.push(['push answered', now()]);
      });
    }
    send(data) {
      if (typeof data === 'string' && data.startsWith('{"type":"push"')) log.push(['push sent', now()]);
      return super.send(data);
    }
  };
})();`;

type SyncLog = [string, number][];
const readSyncLog = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __syncLog?: SyncLog }).__syncLog?.splice(0) ?? []);
/** The first entry named `name` at or after `from`. */
const entryAfter = (log: SyncLog, name: string, from: number) => log.find(([n, at]) => n === name && at >= from)?.[1];

/** tsx compiles this file keeping function names (`__name(fn, "fn")`), also inside the functions sent to the page. */
const keepNamesShim = 'globalThis.__name = (fn) => fn;';

/**
 * Navigates to the project and resolves with ms from the navigation's start to the first
 * frame painted after the board showed: its toolbar counting every shot, and a shot row.
 */
async function openBoard(env: E2eEnv, page: Page, projectId: string, shots: number): Promise<number> {
  await page.goto(`${env.webUrl}/projects/${encodeURIComponent(projectId)}`, { waitUntil: 'commit' });
  return boardShown(page, shots);
}

/** Ms from the current navigation's start to the first frame painted after the board showed (see openBoard). */
async function boardShown(page: Page, shots: number): Promise<number> {
  const handle = await page.waitForFunction(
    (count) => {
      const w = window as unknown as { __boardSeen?: boolean; __boardShownAt?: number };
      if (w.__boardShownAt !== undefined) return w.__boardShownAt;
      const board = document.querySelector('[data-testid="stripboard"]');
      const counted = board?.querySelector('.strip-toolbar-title')?.textContent?.includes(` ${count} shots`);
      if (!w.__boardSeen && counted && board?.querySelector('[data-testid="shot-row"]')) {
        w.__boardSeen = true;
        // Seen before this frame's layout and paint: the next frame starts after them.
        requestAnimationFrame(() => (w.__boardShownAt = performance.now()));
      }
      return false;
    },
    shots,
    { polling: 'raf', timeout: 180_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Where an open's time went, ms from the navigation's start (Navigation and Paint Timing and
 * the app's marks): the page's response (from the service worker), the framework's scripts
 * run (DOMContentLoaded), the first paint, the workspace's code in, the board's rows
 * rendered (`clapper:view-shown`), the frame after them (the figure measured).
 */
interface OpenPhases {
  response: number;
  domContentLoaded: number;
  firstPaint: number;
  workspaceCode: number;
  boardRendered: number;
  shown: number;
}

async function openPhases(page: Page, shown: number): Promise<OpenPhases> {
  const timing = await page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const at = (name: string) => performance.getEntriesByName(name).at(-1)?.startTime ?? Number.NaN;
    return {
      response: navigation?.responseEnd ?? Number.NaN,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? Number.NaN,
      firstPaint: at('first-contentful-paint'),
      workspaceCode: at('clapper:workspace-code'),
      boardRendered: at('clapper:view-shown'),
    };
  });
  return { ...timing, shown };
}

const formatPhases = (phases: OpenPhases) =>
  Object.entries(phases)
    .map(([name, ms]) => `${name} ${round(ms)}`)
    .join(', ');

const medianPhases = (all: OpenPhases[]) =>
  Object.fromEntries(
    (Object.keys(all[0] ?? {}) as (keyof OpenPhases)[]).map((key) => [key, round(median(all.map((p) => p[key])))]),
  );

/** Until every change is pushed, and LokiJS has had time to write its IndexedDB (autosave). */
async function settle(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="sync-status"][data-pending="0"][data-online="true"]', {
    timeout: 120_000,
  });
  await page.waitForTimeout(1_500);
}

/**
 * The owner, in a page of their own, opens the project's Script tab (which makes the
 * project's script) and writes `blocks` generated blocks into its editor; resolves once the
 * script record is pushed and the editor has been synced with the server for a while.
 */
async function seedScript(env: E2eEnv, page: Page, projectId: string, blocks: number): Promise<void> {
  await page.goto(`${env.webUrl}/projects/${encodeURIComponent(projectId)}`);
  await page.getByTestId('stripboard').waitFor({ timeout: 120_000 });
  await page.getByRole('tab', { name: 'Script' }).click();
  const editor = page.getByTestId('screenplay-editor');
  await editor.locator('[contenteditable="true"][data-ready="true"]').waitFor({ timeout: 120_000 });
  await editor.locator('[contenteditable]').evaluate(
    (root, json) => {
      const lexical = (
        root as unknown as {
          __lexicalEditor: { parseEditorState(s: string): unknown; setEditorState(s: unknown): void };
        }
      ).__lexicalEditor;
      lexical.setEditorState(lexical.parseEditorState(json));
    },
    toEditorStateJson(generateScript(blocks)),
  );
  await page.waitForSelector('[data-testid="screenplay-editor"][data-status="synced"]', { timeout: 120_000 });
  await settle(page);
  // y-websocket sends as it goes; a few seconds for the server to take in ~0.4 MB.
  await page.waitForTimeout(5_000);
}

/** Bytes of the script's local copy (y-indexeddb's `updates` store) in `page`'s profile. */
function localScriptBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let total = 0;
    for (const { name } of await indexedDB.databases()) {
      if (!name?.includes('/script/')) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (db.objectStoreNames.contains('updates')) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction('updates').objectStore('updates').getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
          request.onerror = () => reject(request.error);
        });
        for (const update of all) total += (update as Uint8Array).byteLength;
      }
      db.close();
    }
    return total;
  });
}

/** Scrolls the board to its end, each frame, until `label`'s row is in view; ms to the frame painted after it. */
function scrollToEnd(page: Page, label: string): Promise<number> {
  return page.evaluate(
    (last) =>
      new Promise<number>((resolve) => {
        const first = document.querySelector('[data-testid="shot-row"]');
        let scroller: Element | null = first?.parentElement ?? null;
        while (
          scroller &&
          !(scroller.scrollHeight > scroller.clientHeight && /auto|scroll/.test(getComputedStyle(scroller).overflowY))
        )
          scroller = scroller.parentElement;
        const target = scroller ?? document.scrollingElement ?? document.documentElement;
        const start = performance.now();
        const step = () => {
          target.scrollTop = target.scrollHeight;
          const row = document.querySelector(`[data-testid="shot-row"][data-label="${last}"]`);
          const box = row?.getBoundingClientRect();
          if (box && box.bottom > 0 && box.top < innerHeight)
            requestAnimationFrame(() => resolve(performance.now() - start));
          else requestAnimationFrame(step);
        };
        step();
      }),
    label,
  );
}

const descriptionSelector = (label: string) =>
  `[data-testid="shot-row"][data-label="${label}"] input[aria-label="Description"]`;

/**
 * In `page`: resolves with the epoch times (ms, sub-ms) of the frame (its animation frame
 * callbacks) in which the shot's Description first reads `value`, and of the next frame:
 * the first frame painted after it (`shownAt`, the figure).
 */
function whenShown(page: Page, label: string, value: string): Promise<{ seenAt: number; shownAt: number }> {
  return page.evaluate(
    ({ selector, want }) =>
      new Promise<{ seenAt: number; shownAt: number }>((resolve) => {
        const check = () => {
          const input = document.querySelector(selector) as HTMLInputElement | null;
          if (input?.value === want) {
            const seenAt = performance.timeOrigin + performance.now();
            requestAnimationFrame(() => resolve({ seenAt, shownAt: performance.timeOrigin + performance.now() }));
          } else requestAnimationFrame(check);
        };
        check();
      }),
    { selector: descriptionSelector(label), want: value },
  );
}

/**
 * Runs `run` under a browser-wide CDP trace and a CPU profile of each of `pages` when
 * BENCH_BOARD_TRACE is set; writes them as `<name>.json` / `<name>-<i>.cpuprofile` and
 * prints where the main threads' time went.
 */
async function traced<T>(name: string, pages: readonly Page[], run: () => Promise<T>): Promise<T> {
  if (!traceDir || pages.length === 0) return run();
  await mkdir(traceDir, { recursive: true });
  // One browser-wide trace per browser the pages are in (the cross-window edit spans two).
  const tracers = await Promise.all(
    [...new Map(pages.map((page) => [page.context().browser(), page])).values()].map(async (page) => {
      const cdp = await page.context().newCDPSession(page);
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: { includedCategories: traceCategories },
      });
      return { cdp, events };
    }),
  );
  const profilers = await Promise.all(
    pages.map(async (page) => {
      const profiler = await page.context().newCDPSession(page);
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
      return profiler;
    }),
  );
  const result = await run();
  for (const [i, profiler] of profilers.entries()) {
    const { profile } = (await profiler.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await writeFile(path.join(traceDir, `${name}-${i}.cpuprofile`), JSON.stringify(profile));
    console.log(`\n${name}, window ${i}: JavaScript self time by function (ms):`);
    for (const [fn, ms] of summarizeCpuProfile(profile)) console.log(`  ${String(round(ms)).padStart(9)}  ${fn}`);
    console.log(`${name}, window ${i}: by script (ms):`);
    for (const [script, ms] of summarizeCpuProfileByScript(profile)) {
      console.log(`  ${String(round(ms)).padStart(9)}  ${script}`);
    }
  }
  for (const [b, { cdp, events }] of tracers.entries()) {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    await writeFile(
      path.join(traceDir, `${name}${b === 0 ? '' : `-browser${b}`}.json`),
      JSON.stringify({ traceEvents: events }),
    );
    for (const { pid, keydowns, top } of summarizeTrace(events)) {
      if (top.length === 0) continue;
      console.log(
        `\n${name}, browser ${b}, renderer ${pid} (${keydowns} keydowns dispatched): main-thread time by event (ms)`,
      );
      for (const { name: event, ms } of top) console.log(`  ${String(ms).padStart(9)}  ${event}`);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------

export interface BoardBenchResult {
  rows: BenchRow[];
  json: Record<string, unknown>;
}

const target = (value: number, limit: number) => ({ target: `≤ ${limit}`, pass: value <= limit });

const phaseRows = (phases: Record<string, number[]>): BenchRow[] =>
  Object.entries(phases).map(([phase, values]) => ({
    name: `  edit phase ${phase}, median`,
    value: median(values),
    unit: 'ms',
    target: 'report',
  }));

const editJson = (editLatency: number[], phases: Record<string, number[]>, receiverPulls: number) => ({
  crossWindowEditMs: editLatency.map((d) => round(d)),
  crossWindowEditPhasesMedianMs: Object.fromEntries(
    Object.entries(phases).map(([phase, values]) => [phase, round(median(values))]),
  ),
  crossWindowEditPhasesTimed: phases.pushRoundTrip?.length ?? 0,
  crossWindowEditReceiverPulls: receiverPulls,
});

/** The cross-window edit's rows: p50 with its target, p99, and each phase's median. */
function editRows(edits: number, editLatency: number[], phases: Parameters<typeof phaseRows>[0]): BenchRow[] {
  return [
    {
      name: `edit shown in another window, p50 of ${edits}`,
      value: median(editLatency),
      unit: 'ms',
      ...target(median(editLatency), 50),
    },
    {
      name: `edit shown in another window, p99 of ${edits}`,
      value: percentile(editLatency, 99),
      unit: 'ms',
      target: 'report',
    },
    ...phaseRows(phases),
  ];
}

/** The opens' rows, each median of `count` runs with its target. */
function openRows(count: number, firstOpen: number[], reopen: number[], offlineReload: number[]): BenchRow[] {
  return [
    {
      name: `first open, median of ${count}`,
      value: median(firstOpen),
      unit: 'ms',
      ...target(median(firstOpen), 1000),
    },
    {
      name: `reopen (local copy), median of ${count}`,
      value: median(reopen),
      unit: 'ms',
      ...target(median(reopen), 500),
    },
    {
      name: `reload while offline (local copy), median of ${count}`,
      value: median(offlineReload),
      unit: 'ms',
      ...target(median(offlineReload), 500),
    },
  ];
}

type KeyTiming = ReturnType<typeof keyPercentiles>;

const boardRow = (board: GeneratedBoard): BenchRow => ({
  name: 'board',
  value: board.shots.length,
  unit: 'shots',
  target: `${board.scenes.length} scenes, ${board.banners.length} days`,
});

/**
 * Types `text` into the Description of shot `label` in `page`, the window in front (Chromium
 * throttles the frames of a page behind another, and Event Timing waits for a frame), and
 * abandons the edit (Escape): the keydowns' Event Timing durations.
 */
async function typeIntoShot(page: Page, label: string, text: string): Promise<KeyTiming> {
  await page.bringToFront();
  await page.locator(descriptionSelector(label)).click();
  await page.keyboard.press('ControlOrMeta+A');
  // The select-all's own Event Timing entry arrives after its paint: not one of the keys measured.
  await page.waitForTimeout(500);
  await startKeyTiming(page);
  const typed = await traced('typing', [page], async () => {
    await page.keyboard.type(text, { delay: keyDelayMs });
    return keyPercentiles(await readKeyTiming(page));
  });
  await page.keyboard.press('Escape');
  log(`typing p99 ${typed.p99} ms (${typed.slowCount} of ${typed.keydowns} keys ≥ 16 ms)`);
  return typed;
}

const typingRows = (typed: KeyTiming, baseline: KeyTiming): BenchRow[] => [
  { name: 'typing: keydown p99 (Event Timing)', value: typed.p99, unit: 'ms', ...target(typed.p99, 24) },
  {
    name: `typing: keystrokes ≥ 16 ms of ${typed.keydowns}`,
    value: typed.slowCount,
    unit: 'keys',
    target: 'report',
  },
  { name: 'baseline <input>: keydown p99', value: baseline.p99, unit: 'ms', target: 'baseline' },
  {
    name: `baseline <input>: keystrokes ≥ 16 ms of ${baseline.keydowns}`,
    value: baseline.slowCount,
    unit: 'keys',
    target: 'baseline',
  },
];

/** The result of a run cut short after the opens (BENCH_BOARD_ONLY=opens). */
function opensOnly(
  count: number,
  firstOpen: number[],
  reopen: number[],
  offlineReload: number[],
  openPhasesMedianMs: unknown,
): BoardBenchResult {
  return {
    rows: openRows(count, firstOpen, reopen, offlineReload),
    json: {
      only: 'opens',
      firstOpenMs: firstOpen.map((d) => round(d)),
      reopenMs: reopen.map((d) => round(d)),
      offlineReloadMs: offlineReload.map((d) => round(d)),
      openPhasesMedianMs,
    },
  };
}

export async function runBoardBench(): Promise<BoardBenchResult> {
  const teardown = await globalSetup();
  const env = JSON.parse(process.env.CLAPPER_E2E as string) as E2eEnv;
  const launch = () =>
    chromium.launch({
      executablePath: chromiumExecutable,
      args: [...chromiumArgs],
    });
  // Two browsers: the cross-window edit's two windows each in one of them, each the window
  // in front of its browser. In one browser the window opened first sits behind the other,
  // and Chromium throttles its frames (the receiver's redraw waited for them).
  const browsers: Browser[] = [await launch(), await launch()];
  const browser = browsers[0]!;
  const contexts: BrowserContext[] = [];
  /** A fresh profile (own IndexedDB: another device), signed in as `email`; in `on` (default: the first browser). */
  const newDevice = async (email: string, on: Browser = browser, options: BrowserContextOptions = desktop) => {
    const context = await on.newContext(options);
    contexts.push(context);
    await context.addInitScript(keepNamesShim);
    await context.addInitScript(syncTimelineScript);
    const page = await context.newPage();
    await signIn(env, page, email);
    return page;
  };
  try {
    const stamp = Date.now().toString(36);
    const crew = (i: number) => `crew${i}.${stamp}@bench.clapper.test`;
    const big = (i: number) => `big${i}.${stamp}@bench.clapper.test`;
    const tabletUser = (i: number) => `tablet${i}.${stamp}@bench.clapper.test`;
    const { token } = (await control(
      env,
      `/sign-in?email=${encodeURIComponent(`ad.${stamp}@bench.clapper.test`)}`,
      'POST',
    )) as {
      token: string;
    };

    // Baseline first, in a fresh page of the same browser: a plain <input>.
    const text = 'Slow push in on the ferry as the horn sounds. '.repeat(Math.ceil(keys / 46)).slice(0, keys);
    const plainContext = await browser.newContext();
    await plainContext.addInitScript(keepNamesShim);
    const plain = await plainContext.newPage();
    await plain.setContent('<input aria-label="plain" style="font: 14px sans-serif; width: 40em">');
    await plain.getByLabel('plain').click();
    await startKeyTiming(plain);
    await plain.keyboard.type(text, { delay: keyDelayMs });
    const baseline = keyPercentiles(await readKeyTiming(plain));
    await plainContext.close();

    const feature = generateBoard(featureFilm);
    const seedStarted = performance.now();
    const projectId = await seedProject(env, token, 'Feature Film', feature, [
      ...Array.from({ length: runs }, (_, i) => crew(i)),
      ...Array.from({ length: runs }, (_, i) => tabletUser(i)),
    ]);
    log(
      `seeded ${feature.scenes.length} scenes, ${feature.shots.length} shots, ${feature.banners.length} days in ${round(performance.now() - seedStarted)} ms`,
    );

    if (scriptBlocks > 0) {
      const owner = await newDevice(`ad.${stamp}@bench.clapper.test`);
      const started = performance.now();
      await seedScript(env, owner, projectId, scriptBlocks);
      log(`wrote a script of ${scriptBlocks} blocks in ${round(performance.now() - started)} ms`);
      await owner.context().close();
    }

    // First open, each in a fresh profile; then reopen from that profile's local copy.
    const firstOpen: number[] = [];
    const reopen: number[] = [];
    const offlineReload: number[] = [];
    const openLog: Record<'firstOpen' | 'reopen' | 'offlineReload', OpenPhases[]> = {
      firstOpen: [],
      reopen: [],
      offlineReload: [],
    };
    const devices: Page[] = [];
    for (let i = 0; i < runs; i += 1) {
      // Alternating browsers: devices 0 and 1 (the cross-window edit's) are in different ones.
      let page = await newDevice(crew(i), browsers[i % 2]);
      firstOpen.push(
        await traced(`first-open-${i}`, i === 0 ? [page] : [], () =>
          openBoard(env, page, projectId, feature.shots.length),
        ),
      );
      openLog.firstOpen.push(await openPhases(page, firstOpen.at(-1)!));
      log(`first open ${round(firstOpen.at(-1)!)} ms (${formatPhases(openLog.firstOpen.at(-1)!)})`);
      await settle(page);
      if (scriptBlocks > 0) {
        // The board's reader stores the script it got from the server: the reopen loads it from there.
        let bytes = await localScriptBytes(page);
        for (let waited = 0; bytes < 100_000 && waited < 60_000; waited += 500) {
          await page.waitForTimeout(500);
          bytes = await localScriptBytes(page);
        }
        log(`the script's local copy: ${bytes} bytes`);
      }
      if (typingOnly) {
        devices.push(page);
        break;
      }
      if (editOnly) {
        devices.push(page);
        if (devices.length === 2) break;
        continue;
      }
      const context = page.context();
      await page.close();
      page = await context.newPage();
      reopen.push(
        await traced(`reopen-${i}`, i === 0 ? [page] : [], () => openBoard(env, page, projectId, feature.shots.length)),
      );
      openLog.reopen.push(await openPhases(page, reopen.at(-1)!));
      log(`reopen ${round(reopen.at(-1)!)} ms (${formatPhases(openLog.reopen.at(-1)!)})`);
      await settle(page);
      // The network off (the web server too, to the page): the app from its service worker, the board from IndexedDB.
      await context.setOffline(true);
      await page.reload({ waitUntil: 'commit' });
      offlineReload.push(await boardShown(page, feature.shots.length));
      openLog.offlineReload.push(await openPhases(page, offlineReload.at(-1)!));
      log(`reload while offline ${round(offlineReload.at(-1)!)} ms (${formatPhases(openLog.offlineReload.at(-1)!)})`);
      await context.setOffline(false);
      await settle(page);
      devices.push(page);
    }

    const openPhasesMedianMs = {
      firstOpen: medianPhases(openLog.firstOpen),
      reopen: medianPhases(openLog.reopen),
      offlineReload: medianPhases(openLog.offlineReload),
    };
    if (only === 'opens') return opensOnly(runs, firstOpen, reopen, offlineReload, openPhasesMedianMs);
    if (typingOnly) {
      // The first open's window, its board settled: the same shot as the full run types into.
      const typed = await typeIntoShot(devices[0]!, feature.shots[3]!.label as string, text);
      await devices[0]!.context().close();
      return {
        rows: [
          boardRow(feature),
          { name: 'first open', value: firstOpen[0]!, unit: 'ms', target: 'report' },
          ...typingRows(typed, baseline),
        ],
        json: {
          only: 'typing',
          firstOpenMs: firstOpen.map((d) => round(d)),
          keystrokes: keys,
          keyDelayMs,
          typing: typed,
          baselineInput: baseline,
        },
      };
    }

    // An edit in window A shown in window B: Enter in A's Description → B paints the text.
    const [a, b] = devices as [Page, Page];
    await a.bringToFront();
    await b.bringToFront();
    const labels = feature.shots.slice(0, 20).map((shot) => shot.label as string);
    const editLatency: number[] = [];
    /**
     * Per edit, ms: Enter → A's first sync request; A's pull before its push (WatermelonDB
     * pulls first; 0 when it didn't); A's push round trip; A's push answered → B's nudge
     * (negative when the nudge came first); B's nudge → B shows the text (applying the
     * nudge's changes, or pulling: `receiverPulls` counts those); of that, B's nudge → the
     * frame in which B's field first reads the text (the figure ends at the frame after it).
     */
    const phases = {
      enterToFirstRequest: [] as number[],
      senderPull: [] as number[],
      pushRoundTrip: [] as number[],
      pushAnsweredToNudge: [] as number[],
      nudgeToShown: [] as number[],
      nudgeToSeen: [] as number[],
    };
    let receiverPulls = 0;
    await traced('cross-window-edit', [a, b], async () => {
      for (let i = 0; i < edits; i += 1) {
        const label = labels[i % labels.length]!;
        const value = `Edit ${i} from the other window (${stamp})`;
        const shown = whenShown(b, label, value);
        shown.catch(() => undefined); // awaited below; a failure before then must not crash the run
        const input = a.locator(descriptionSelector(label));
        await input.fill(value);
        await a.evaluate(() => {
          const w = window as unknown as { __enterAt?: number };
          addEventListener(
            'keydown',
            (event) => event.key === 'Enter' && (w.__enterAt = performance.timeOrigin + performance.now()),
            {
              capture: true,
              once: true,
            },
          );
        });
        await input.press('Enter');
        const { seenAt, shownAt } = await shown;
        const enterAt = await a.evaluate(() => (window as unknown as { __enterAt: number }).__enterAt);
        editLatency.push(shownAt - enterAt);
        const [sent, received] = [await readSyncLog(a), await readSyncLog(b)];
        const firstRequest = sent.find(([, at]) => at >= enterAt)?.[1];
        const pushSent = entryAfter(sent, 'push sent', enterAt);
        const pullSent = entryAfter(sent, 'pull sent', enterAt);
        const pullAnswered = pullSent !== undefined ? entryAfter(sent, 'pull answered', pullSent) : undefined;
        const pushAnswered = pushSent !== undefined ? entryAfter(sent, 'push answered', pushSent) : undefined;
        const nudge = pushSent !== undefined ? entryAfter(received, 'nudge', pushSent) : undefined;
        if (firstRequest !== undefined && pushSent !== undefined && pushAnswered !== undefined && nudge !== undefined) {
          phases.enterToFirstRequest.push(firstRequest - enterAt);
          phases.senderPull.push(
            pullSent !== undefined && pullAnswered !== undefined && pullSent < pushSent ? pullAnswered - pullSent : 0,
          );
          phases.pushRoundTrip.push(pushAnswered - pushSent);
          phases.pushAnsweredToNudge.push(nudge - pushAnswered);
          phases.nudgeToShown.push(shownAt - nudge);
          phases.nudgeToSeen.push(seenAt - nudge);
          if (entryAfter(received, 'pull sent', nudge) !== undefined) receiverPulls += 1;
        }
        await a.waitForTimeout(200);
      }
    });
    log(`cross-window edit p50 ${round(median(editLatency))} ms, p99 ${round(percentile(editLatency, 99))} ms`);

    if (editOnly) {
      for (const page of devices) await page.context().close();
      return {
        rows: [...editRows(edits, editLatency, phases)],
        json: editJson(editLatency, phases, receiverPulls),
      };
    }

    const typed = await typeIntoShot(a, labels[3]!, text);
    for (const page of devices) await page.context().close();

    // The tablet: first open at 820×1180 with touch, then every control of the board (the
    // rows rendered at the top of it) checked for reach the way the browser tests do.
    const tabletOpen: number[] = [];
    let tabletReach = { checked: 0, problems: [] as string[] };
    for (let i = 0; i < runs; i += 1) {
      const page = await newDevice(tabletUser(i), browser, tablet);
      tabletOpen.push(await openBoard(env, page, projectId, feature.shots.length));
      if (i === 0) {
        await settle(page);
        const { checked, problems } = await unreachableControls(page.locator('[data-testid="stripboard"]'));
        tabletReach = { checked: checked.length, problems };
      }
      log(`tablet: open ${round(tabletOpen.at(-1)!)} ms`);
      await page.context().close();
    }
    log(`tablet: ${tabletReach.checked} controls checked, ${tabletReach.problems.length} out of reach`);
    for (const problem of tabletReach.problems.slice(0, 10)) log(`  ${problem}`);

    // The 10,000-shot board: first open in a fresh profile, then a scroll to its end.
    const large = generateBoard(bigBoard);
    const bigProject = await seedProject(
      env,
      token,
      'Long Series',
      large,
      Array.from({ length: runs }, (_, i) => big(i)),
    );
    const bigOpen: number[] = [];
    const bigScroll: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const page = await newDevice(big(i));
      bigOpen.push(await openBoard(env, page, bigProject, large.shots.length));
      await page.waitForTimeout(500);
      bigScroll.push(await scrollToEnd(page, large.lastShotLabel));
      log(`10k board: open ${round(bigOpen.at(-1)!)} ms, scroll to the end ${round(bigScroll.at(-1)!)} ms`);
      await page.context().close();
    }

    const rows: BenchRow[] = [
      boardRow(feature),
      ...openRows(runs, firstOpen, reopen, offlineReload),
      ...editRows(edits, editLatency, phases),
      ...typingRows(typed, baseline),
      {
        name: `tablet 820×1180: first open, median of ${runs}`,
        value: median(tabletOpen),
        unit: 'ms',
        ...target(median(tabletOpen), 1000),
      },
      {
        name: `tablet 820×1180: board controls out of reach, of ${tabletReach.checked}`,
        value: tabletReach.problems.length,
        unit: 'controls',
        ...target(tabletReach.problems.length, 0),
      },
      {
        name: `${large.shots.length} shots: first open, median of ${runs}`,
        value: median(bigOpen),
        unit: 'ms',
        target: 'report',
      },
      {
        name: `${large.shots.length} shots: scroll to the end, median of ${runs}`,
        value: median(bigScroll),
        unit: 'ms',
        target: 'report',
      },
    ];
    return {
      rows,
      json: {
        board: { scenes: feature.scenes.length, shots: feature.shots.length, days: feature.banners.length },
        firstOpenMs: firstOpen.map((d) => round(d)),
        reopenMs: reopen.map((d) => round(d)),
        offlineReloadMs: offlineReload.map((d) => round(d)),
        openPhasesMedianMs,
        tablet: {
          firstOpenMs: tabletOpen.map((d) => round(d)),
          controlsChecked: tabletReach.checked,
          unreachable: tabletReach.problems,
        },
        ...editJson(editLatency, phases, receiverPulls),
        keystrokes: keys,
        keyDelayMs,
        typing: typed,
        baselineInput: baseline,
        bigBoard: {
          scenes: large.scenes.length,
          shots: large.shots.length,
          days: large.banners.length,
          firstOpenMs: bigOpen.map((d) => round(d)),
          scrollToEndMs: bigScroll.map((d) => round(d)),
        },
      },
    };
  } finally {
    for (const context of contexts) await context.close().catch(() => undefined);
    for (const each of browsers) await each.close();
    await teardown();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { resolveDatabase } = await import('@clapper/db');
  const { printTable } = await import('./stats.ts');
  const database = await resolveDatabase();
  process.env.CLAPPER_TEST_ADMIN_URL = database.url;
  try {
    const result = await runBoardBench();
    printTable('The board at feature size (Chromium)', result.rows);
    console.log(JSON.stringify(result.json));
  } finally {
    await database.stop();
  }
  process.exit(0);
}
