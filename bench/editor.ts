// The screenplay editor at feature length, in Chromium, against the production build of
// the web app and a real Clapper server (the browser tests' global setup starts both):
// a generated 120-page script (5,000 blocks, ~180k characters), a typist and a second
// person in the doc.
//   - typist: Event Timing keydown durations while typing 10 keys/s at the script's end
//     (baseline: the same typing into a plain <input> in the same browser);
//   - the other window: Long Animation Frames (over 50 ms) while it receives that typing;
//   - opening the script in a new window, from the server and from the local copy;
//   - importing a 120-page Fountain file (the browser test's) into a new project's script.
//   npx tsx bench/editor.ts           (DATABASE_URL, or an embedded PostgreSQL)
//   BENCH_EDITOR_KEYS=120 BENCH_EDITOR_BLOCKS=5000 to change the load;
//   BENCH_EDITOR_TRACE=<dir> also records a CDP trace of the typing in both windows and
//   prints where the renderer's main thread spent its time.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from '@playwright/test';
// eslint-disable-next-line no-restricted-imports -- the benchmark starts the browser tests' servers and build; apps/web has no entry for its test harness
import globalSetup, { type E2eEnv } from '../apps/web/e2e/support/global-setup.ts';
// eslint-disable-next-line no-restricted-imports -- the same 120-page Fountain file the browser test imports
import { longScreenplay } from '../apps/web/e2e/support/long-screenplay.ts';
import { generateScript, toEditorStateJson } from './editor-script.ts';
import { keyPercentiles, readKeyTiming, signIn, startKeyTiming } from './browser-bench.ts';
import { type BenchRow, median, round } from './stats.ts';
import {
  type CpuProfile,
  type TraceEvent,
  summarizeCpuProfile,
  summarizeCpuProfileByScript,
  summarizeTrace,
  traceCategories,
} from './trace.ts';

const keys = Number(process.env.BENCH_EDITOR_KEYS ?? 120);
const blockCount = Number(process.env.BENCH_EDITOR_BLOCKS ?? 5_000);
const traceDir = process.env.BENCH_EDITOR_TRACE;
const opens = Number(process.env.BENCH_EDITOR_OPENS ?? 3);
const keyDelayMs = 100;
const log = (line: string) => process.stderr.write(`[editor bench] ${line}\n`);

const editorInput = (page: Page) => page.getByTestId('screenplay-editor').locator('[contenteditable]');

/** Opens the project's Script tab and resolves once the editor shows `blocks` blocks: ms from the click. */
async function openScript(env: E2eEnv, page: Page, projectId: string, blocks: number): Promise<number> {
  await page.goto(`${env.webUrl}/projects/${encodeURIComponent(projectId)}`);
  await page.getByTestId('stripboard').waitFor({ timeout: 60_000 });
  await page.evaluate(() => {
    (window as unknown as { __openAt: number }).__openAt = performance.now();
  });
  await page.getByRole('tab', { name: 'Script' }).click();
  // Polled every animation frame: the time is that of the first frame showing every block.
  const handle = await page.waitForFunction(
    (count) => {
      const root = document.querySelector('[data-testid="screenplay-editor"] [contenteditable]');
      if (!root || root.childElementCount < count || (root as HTMLElement).dataset.ready !== 'true') return false;
      return performance.now() - (window as unknown as { __openAt: number }).__openAt;
    },
    blocks,
    { polling: 'raf', timeout: 120_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function startLongFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __loaf: number[] };
    w.__loaf = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__loaf.push(entry.duration);
    }).observe({ type: 'long-animation-frame' });
  });
}

const readLongFrames = (page: Page) => page.evaluate(() => [...(window as unknown as { __loaf: number[] }).__loaf]);

/** Runs `run` under a browser-wide CDP trace when BENCH_EDITOR_TRACE is set, and prints where the time went. */
async function traced<T>(typist: Page, receiver: Page, run: () => Promise<T>): Promise<T> {
  if (!traceDir) return run();
  await mkdir(traceDir, { recursive: true });
  const cdp = await typist.context().newCDPSession(typist);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: traceCategories,
    },
  });
  // Each window's JavaScript, sampled (the trace shows how much; this shows which).
  const profilers = await Promise.all(
    [typist, receiver].map(async (page) => {
      const profiler = await page.context().newCDPSession(page);
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
      await profiler.send('Profiler.start');
      return profiler;
    }),
  );
  const result = await run();
  for (const [i, who] of ['typist', 'receiver'].entries()) {
    const { profile } = (await profilers[i]?.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    await writeFile(path.join(traceDir, `${who}.cpuprofile`), JSON.stringify(profile));
    console.log(`\n${who} JavaScript, self time by script (ms):`);
    for (const [name, ms] of summarizeCpuProfileByScript(profile)) {
      console.log(`  ${String(round(ms)).padStart(9)}  ${name}`);
    }
    console.log(`${who} JavaScript, self time by function (ms):`);
    for (const [name, ms] of summarizeCpuProfile(profile)) console.log(`  ${String(round(ms)).padStart(9)}  ${name}`);
  }
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
  await writeFile(path.join(traceDir, 'typing.json'), JSON.stringify({ traceEvents: events }));
  for (const { pid, keydowns, top } of summarizeTrace(events)) {
    if (top.length === 0) continue;
    console.log(`\nrenderer ${pid} (${keydowns} keydowns dispatched): main-thread time by event (ms)`);
    for (const { name, ms } of top) console.log(`  ${String(ms).padStart(9)}  ${name}`);
  }
  return result;
}

/**
 * Imports a 120-page Fountain file into a new project's empty script through the file
 * picker: ms from the input's change event to the first frame showing the import's
 * report, and the app's own figure (reading the text to the editor's commit).
 */
async function importFountain(env: E2eEnv, page: Page): Promise<{ ms: number; appMs: number; blocks: number }> {
  const script = longScreenplay(120);
  await page.goto(env.webUrl);
  await page.getByLabel('New project name').fill('Imported Feature');
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/projects\/[^/]+$/);
  const projectId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
  await openScript(env, page, projectId, 1);
  const input = page.getByTestId('screenplay-editor').getByTestId('fountain-file-input');
  await input.evaluate((element) => {
    element.addEventListener(
      'change',
      () => ((window as unknown as { __importAt: number }).__importAt = performance.now()),
      { capture: true, once: true },
    );
  });
  await input.setInputFiles({ name: 'feature.fountain', mimeType: 'text/plain', buffer: Buffer.from(script.text) });
  const handle = await page.waitForFunction(
    (scenes) => {
      const status = document.querySelector('[data-testid="screenplay-editor"] [data-testid="script-file-status"]');
      if (!status?.textContent?.includes(`${scenes} scenes`)) return false;
      return performance.now() - (window as unknown as { __importAt: number }).__importAt;
    },
    script.scenes,
    { polling: 'raf', timeout: 120_000 },
  );
  const ms = (await handle.jsonValue()) as number;
  const appMs = Number(
    await page.getByTestId('screenplay-editor').getByTestId('script-file-status').getAttribute('data-import-ms'),
  );
  const blocks = await editorInput(page).locator('[data-element]').count();
  if (blocks !== script.blocks) throw new Error(`import: ${blocks} blocks shown, ${script.blocks} expected`);
  return { ms, appMs, blocks };
}

export interface EditorBenchResult {
  rows: BenchRow[];
  json: Record<string, unknown>;
}

export async function runEditorBench(): Promise<EditorBenchResult> {
  const teardown = await globalSetup();
  const env = JSON.parse(process.env.CLAPPER_E2E as string) as E2eEnv;
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  try {
    const stamp = Date.now().toString(36);
    const writer = `writer.${stamp}@bench.clapper.test`;
    const cowriter = `cowriter.${stamp}@bench.clapper.test`;

    // Baseline first, in a fresh page of the same browser: a plain <input>.
    const plain = await newPage();
    await plain.setContent('<input aria-label="plain" style="font: 16px monospace; width: 40em">');
    await plain.getByLabel('plain').click();
    await startKeyTiming(plain);
    const text = 'The ferry horn sounds twice across the water. '.repeat(Math.ceil(keys / 46)).slice(0, keys);
    await plain.keyboard.type(text, { delay: keyDelayMs });
    const baseline = keyPercentiles(await readKeyTiming(plain));
    await plain.context().close();

    // The writer makes the project, shares it, and fills the script with 120 pages.
    const a = await newPage();
    await signIn(env, a, writer);
    const b0 = await newPage();
    await signIn(env, b0, cowriter);
    await a.getByLabel('New project name').fill('Feature Length');
    await a.getByRole('button', { name: 'Create project' }).click();
    await a.waitForURL(/\/projects\/[^/]+$/);
    const projectId = decodeURIComponent(new URL(a.url()).pathname.split('/').pop() as string);
    await a.goto(env.webUrl);
    const item = a.locator(`[data-project-id="${projectId}"]`);
    await item.getByRole('button', { name: 'Invite…' }).click();
    await item.getByLabel('Invite email').fill(cowriter);
    await item.getByLabel('Invite role').selectOption('editor');
    await item.getByRole('button', { name: 'Invite', exact: true }).click();
    await item.getByRole('status').waitFor();
    await openScript(env, a, projectId, 1);
    const script = generateScript(blockCount);
    const characters = script.reduce((sum, block) => sum + block.text.length, 0);
    await editorInput(a).evaluate((root, json) => {
      const editor = (
        root as unknown as {
          __lexicalEditor: { parseEditorState(s: string): unknown; setEditorState(s: unknown): void };
        }
      ).__lexicalEditor;
      editor.setEditorState(editor.parseEditorState(json));
    }, toEditorStateJson(script));

    // Opening it in a new window, from the server: a fresh profile each time (no local copy).
    const fromServer: number[] = [];
    let b: Page = b0;
    for (let i = 0; i < opens; i += 1) {
      if (i > 0) {
        b = await newPage();
        await signIn(env, b, cowriter);
      }
      fromServer.push(await openScript(env, b, projectId, blockCount));
      log(`opened from the server in ${round(fromServer.at(-1) as number)} ms`);
    }
    // From the local copy: the same profile again, with the server's doc socket held open
    // but silent, so what shows is what IndexedDB held.
    const fromLocal: number[] = [];
    for (let i = 0; i < opens; i += 1) {
      const local = await b.context().newPage();
      await local.routeWebSocket(/\/yjs\//, () => {
        // accepted and never answered: no server state reaches this window
      });
      fromLocal.push(await openScript(env, local, projectId, blockCount));
      log(`opened from the local copy in ${round(fromLocal.at(-1) as number)} ms`);
      await local.close();
    }

    // Typing: the writer at the end of the script, the co-writer watching it arrive.
    // The typist's window in front: Chromium throttles the frames of a page opened behind another.
    await a.bringToFront();
    const lastBlock = editorInput(a).locator('[data-element]').last();
    await lastBlock.scrollIntoViewIfNeeded();
    await lastBlock.click();
    await a.keyboard.press('End');
    await a.keyboard.press('Enter');
    await startKeyTiming(a);
    await startLongFrames(b);
    log(`typing ${keys} keys at ${1000 / keyDelayMs}/s`);
    const typed = await traced(a, b, async () => {
      await a.keyboard.type(text, { delay: keyDelayMs });
      // The co-writer has all of it (as the typist's editor holds it: some blocks store capitals).
      const expected = await editorInput(a).locator('[data-element]').last().textContent();
      await b.waitForFunction(
        (want) =>
          document.querySelector('[data-testid="screenplay-editor"] [contenteditable]')?.lastElementChild
            ?.textContent === want,
        expected,
        { timeout: 120_000, polling: 100 },
      );
      return keyPercentiles(await readKeyTiming(a));
    });
    const longFrames = await readLongFrames(b);

    // Importing the 120-page Fountain file into a new project's script.
    const imported = await importFountain(env, a);
    log(`imported ${imported.blocks} blocks in ${round(imported.ms)} ms (app: ${imported.appMs} ms)`);

    const rows: BenchRow[] = [
      { name: `script: blocks / characters`, value: blockCount, unit: 'blocks', target: `${characters} characters` },
      {
        name: 'typist: keydown p75 (Event Timing)',
        value: typed.p75,
        unit: 'ms',
        target: '≤ 16',
        pass: typed.p75 <= 16,
      },
      {
        name: 'typist: keydown p99 (Event Timing)',
        value: typed.p99,
        unit: 'ms',
        target: '≤ 32',
        pass: typed.p99 <= 32,
      },
      { name: `typist: keystrokes ≥ 16 ms of ${typed.keydowns}`, value: typed.slowCount, unit: 'keys' },
      { name: 'baseline <input>: keydown p75 / p99', value: baseline.p75, unit: 'ms', target: `p99 ${baseline.p99}` },
      { name: `baseline <input>: keystrokes ≥ 16 ms of ${baseline.keydowns}`, value: baseline.slowCount, unit: 'keys' },
      {
        name: 'receiver: animation frames over 50 ms',
        value: longFrames.length,
        unit: 'frames',
        target: `0 (longest ${round(Math.max(0, ...longFrames))} ms)`,
        pass: longFrames.length === 0,
      },
      {
        name: `open from the server, median of ${opens}`,
        value: median(fromServer),
        unit: 'ms',
        target: '≤ 1500',
        pass: median(fromServer) <= 1500,
      },
      {
        name: `open from the local copy, median of ${opens}`,
        value: median(fromLocal),
        unit: 'ms',
        target: '≤ 1000',
        pass: median(fromLocal) <= 1000,
      },
      {
        name: `import a 120-page Fountain file (${imported.blocks} blocks), change → shown`,
        value: round(imported.ms),
        unit: 'ms',
        target: `≤ 2000 (app's own: ${imported.appMs} ms)`,
        pass: imported.ms <= 2000,
      },
    ];
    return {
      rows,
      json: {
        script: { blocks: blockCount, characters },
        keystrokes: keys,
        keyDelayMs,
        typist: typed,
        baselineInput: baseline,
        receiverLongAnimationFramesMs: longFrames.map((d) => round(d)),
        openFromServerMs: fromServer.map((d) => round(d)),
        openFromLocalMs: fromLocal.map((d) => round(d)),
        fountainImport: { ms: round(imported.ms), appMs: imported.appMs, blocks: imported.blocks },
      },
    };
  } finally {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser.close();
    await teardown();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { resolveDatabase } = await import('@clapper/db');
  const { printTable } = await import('./stats.ts');
  const database = await resolveDatabase();
  process.env.CLAPPER_TEST_ADMIN_URL = database.url;
  try {
    const result = await runEditorBench();
    printTable('Screenplay editor at 120 pages (Chromium)', result.rows);
    console.log(JSON.stringify(result.json));
  } finally {
    await database.stop();
  }
  process.exit(0);
}
