import { keysBetween } from '@clapper/domain';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { type BoardModel, nextBoard } from './board-model.ts';
import type { BannerRecord, SceneRecord, ShotRecord } from './records.ts';

interface Tables {
  scenes: SceneRecord[];
  shots: ShotRecord[];
  banners: BannerRecord[];
}

const scene = (i: number, sortKey: string, locked = false): SceneRecord => ({
  id: `sc${i}`,
  number: locked ? String(i + 1) : '',
  heading: `INT. ROOM ${i} - DAY`,
  location: `ROOM ${i}`,
  timeOfDay: 'DAY',
  synopsis: '',
  pageEighths: 3 + i,
  sortKey,
  numberLocked: locked,
});

const shot = (i: number, sceneId: string, sortKey: string): ShotRecord => ({
  id: `sh${i}`,
  sceneId,
  sortKey,
  label: '',
  size: 'WS',
  movement: 'Static',
  lens: '',
  description: `Shot ${i}`,
  durationS: null,
  done: false,
});

const banner = (i: number, sceneId: string | null, sortKey: string): BannerRecord => ({
  id: `b${i}`,
  sceneId,
  sortKey,
  date: '',
  label: '',
});

/** A board like the bench's: `sceneCount` scenes of `shotsPerScene` shots, a day break before every third scene. */
function featureBoard(sceneCount: number, shotsPerScene: number): Tables {
  const dayCount = Math.ceil(sceneCount / 3);
  const top = keysBetween(null, null, sceneCount + dayCount);
  const inner = keysBetween(null, null, shotsPerScene);
  const tables: Tables = { scenes: [], shots: [], banners: [] };
  let t = 0;
  for (let n = 0; n < sceneCount; n++) {
    if (n % 3 === 0) tables.banners.push(banner(n / 3, null, top[t++]!));
    tables.scenes.push(scene(n, top[t++]!));
    for (let s = 0; s < shotsPerScene; s++) tables.shots.push(shot(n * shotsPerScene + s, `sc${n}`, inner[s]!));
  }
  return tables;
}

const fromScratch = ({ scenes, shots, banners }: Tables) => nextBoard(null, scenes, shots, banners);
const next = (previous: BoardModel, { scenes, shots, banners }: Tables) => nextBoard(previous, scenes, shots, banners);

/** What the board shows, without the identities: compared with a board derived from scratch. */
const shown = (board: BoardModel) => ({
  rows: board.numbered.rows,
  numbers: [...board.numbered.numbers],
  stateOf: [...board.numbered.stateOf],
  stored: board.numbered.stored,
  layout: board.layout.rows.map((row) => [row.kind, row.id, row.sceneId]),
});

test("a shot's text edited (from another window's nudge) replaces that shot's row: every other row, the layout and the numbering stay the same objects", () => {
  const before = featureBoard(150, 10);
  const board = fromScratch(before);
  const edited = { ...before.shots[437]!, description: 'Edit from the other window' };
  const after = { ...before, shots: before.shots.map((s, i) => (i === 437 ? edited : s)) };
  const updated = next(board, after);

  const index = updated.numbered.rows.findIndex((row) => row.id === edited.id);
  expect(updated.numbered.rows[index]).toEqual({ kind: 'shot', id: edited.id, sceneId: edited.sceneId, shot: edited });
  updated.numbered.rows.forEach((row, i) => {
    if (i !== index) expect(row).toBe(board.numbered.rows[i]);
  });
  expect(updated.layout).toBe(board.layout);
  expect(updated.numbered.numbers).toBe(board.numbered.numbers);
  expect(updated.numbered.stateOf).toBe(board.numbered.stateOf);
  expect(shown(updated)).toEqual(shown(fromScratch(after)));
});

test("a scene's synopsis and a day break's label edited keep the layout; a shot moved or a scene renumbered derive it again", () => {
  const before = featureBoard(12, 4);
  const board = fromScratch(before);
  const scenes = before.scenes.map((s, i) => (i === 5 ? { ...s, synopsis: 'They argue.' } : s));
  const banners = before.banners.map((b, i) => (i === 1 ? { ...b, label: 'Company move' } : b));
  const edited = next(board, { ...before, scenes, banners });
  expect(edited.layout).toBe(board.layout);
  expect(shown(edited)).toEqual(shown(fromScratch({ ...before, scenes, banners })));

  const moved = { ...before, shots: before.shots.map((s, i) => (i === 2 ? { ...s, sortKey: 'zzz' } : s)) };
  expect(next(edited, moved).layout).not.toBe(board.layout);
  expect(shown(next(edited, moved))).toEqual(shown(fromScratch(moved)));
  const locked = {
    ...before,
    scenes: before.scenes.map((s, i) => (i === 3 ? { ...s, number: '4', numberLocked: true } : s)),
  };
  expect(shown(next(edited, locked))).toEqual(shown(fromScratch(locked)));
});

test('whatever changes, the board derived from the one before shows what a board derived from scratch shows', () => {
  const edit = fc.record({
    table: fc.constantFrom('scenes', 'shots', 'banners'),
    at: fc.nat(),
    kind: fc.constantFrom('text', 'text', 'text', 'move', 'reparent', 'delete', 'add', 'lock'),
    key: fc.nat({ max: 40 }),
  });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 4 }),
      fc.array(edit, { maxLength: 8 }),
      (sceneCount, shotsPerScene, edits) => {
        const keys = keysBetween(null, null, 41);
        let tables = featureBoard(sceneCount, shotsPerScene);
        let board = fromScratch(tables);
        for (const [step, { table, at, kind, key }] of edits.entries()) {
          const records = tables[table] as { id: string }[];
          const i = records.length === 0 ? -1 : at % records.length;
          const sceneId = tables.scenes.length === 0 ? null : tables.scenes[at % tables.scenes.length]!.id;
          let changed: { id: string }[] = records;
          if (kind === 'add') {
            const added =
              table === 'scenes'
                ? scene(100 + step, keys[key]!)
                : table === 'shots'
                  ? sceneId && shot(100 + step, sceneId, keys[key]!)
                  : banner(100 + step, at % 2 ? null : sceneId, keys[key]!);
            if (added) changed = [...records, added];
          } else if (i >= 0) {
            const record = records[i] as Record<string, unknown> & { id: string };
            const patch: Record<string, unknown> =
              kind === 'text'
                ? table === 'scenes'
                  ? { synopsis: `s${step}`, pageEighths: step + 1 }
                  : table === 'shots'
                    ? { description: `d${step}`, done: true }
                    : { label: `l${step}` }
                : kind === 'move'
                  ? { sortKey: keys[key] }
                  : kind === 'reparent' && table !== 'scenes'
                    ? { sceneId: table === 'banners' && at % 2 ? null : (sceneId ?? 'gone') }
                    : kind === 'lock' && table === 'scenes'
                      ? { number: String(key % 5), numberLocked: key % 3 !== 0 }
                      : {};
            changed =
              kind === 'delete'
                ? records.filter((_, j) => j !== i)
                : records.map((r, j) => (j === i ? { ...record, ...patch } : r));
          }
          tables = { ...tables, [table]: changed };
          board = next(board, tables);
          expect(shown(board)).toEqual(shown(fromScratch(tables)));
        }
      },
    ),
    { numRuns: 300 },
  );
});
