import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Board, board, distinctBoard, rowsOf } from './random-boards.test-support.ts';
import {
  type StripMove,
  type StripRow,
  applyMove,
  currentSlot,
  deriveShootingDays,
  findOrphans,
  flattenStripboard,
  planMove,
  planStep,
  rowsWithout,
} from './shooting-days.ts';

/** Independent oracle: each item's position as a tuple (top-level key, id, inner key, id). */
function positionOf(b: Board, kind: 'shot' | 'banner', id: string): string[] {
  const scene = (sceneId: string) => b.scenes.find((s) => s.id === sceneId)!;
  if (kind === 'shot') {
    const shot = b.shots.find((s) => s.id === id)!;
    const s = scene(shot.sceneId);
    return [s.sortKey, s.id, shot.sortKey, shot.id];
  }
  const banner = b.banners.find((x) => x.id === id)!;
  if (banner.sceneId === null) return [banner.sortKey, banner.id];
  const s = scene(banner.sceneId);
  return [s.sortKey, s.id, banner.sortKey, banner.id];
}

function tupleLess(a: string[], b: string[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return true;
    if (y === undefined) return false;
    return x < y;
  }
  return false;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function applyToBoard(b: Board, move: StripMove): Board {
  return {
    scenes: b.scenes.map((s) => (move.table === 'scenes' && s.id === move.id ? { ...s, sortKey: move.sortKey } : s)),
    shots: b.shots.map((s) =>
      move.table === 'shots' && s.id === move.id ? { ...s, sceneId: move.sceneId, sortKey: move.sortKey } : s,
    ),
    banners: b.banners.map((x) =>
      move.table === 'day_banners' && x.id === move.id ? { ...x, sceneId: move.sceneId, sortKey: move.sortKey } : x,
    ),
  };
}

const dayNumbers = (rows: StripRow[]) => {
  const derived = deriveShootingDays(rows);
  return {
    shots: Object.fromEntries([...derived.dayOfShot].map(([id, day]) => [id, day?.bannerId ?? null])),
    scenes: Object.fromEntries(
      [...derived.daysOfScene].map(([id, days]) => [id, days.map((d) => d?.bannerId ?? null)]),
    ),
  };
};

describe('stripboard and shooting days', () => {
  test('[S1][S2] a two-day board: a banner inside a scene splits it', () => {
    const scenes = [
      { id: 's1', sortKey: 'a1' },
      { id: 's2', sortKey: 'a2' },
    ];
    const shots = [
      { id: '1A', sceneId: 's1', sortKey: 'a0' },
      { id: '2A', sceneId: 's2', sortKey: 'a0' },
      { id: '2B', sceneId: 's2', sortKey: 'a1' },
    ];
    const banners = [
      { id: 'day1', sceneId: null, sortKey: 'a0' },
      { id: 'day2', sceneId: 's2', sortKey: 'a0V' },
    ];
    const rows = flattenStripboard(scenes, shots, banners);
    expect(rows.map((r) => r.id)).toEqual(['day1', 's1', '1A', 's2', '2A', 'day2', '2B']);
    const days = deriveShootingDays(rows);
    expect(days.days.map((d) => [d.bannerId, d.number])).toEqual([
      ['day1', 1],
      ['day2', 2],
    ]);
    expect(days.dayOfShot.get('1A')?.bannerId).toBe('day1');
    expect(days.dayOfShot.get('2B')?.bannerId).toBe('day2');
    expect(days.daysOfScene.get('s2')?.map((d) => d?.number)).toEqual([1, 2]);
    expect(days.daysOfScene.get('s1')?.map((d) => d?.number)).toEqual([1]);
  });

  test('[S2] work above the first day break is Day 1, and the day breaks number on from 2', () => {
    const scenes = [
      { id: 's1', sortKey: 'a0' },
      { id: 's2', sortKey: 'a2' },
    ];
    const shots = [{ id: '2A', sceneId: 's2', sortKey: 'a0' }];
    const rows = flattenStripboard(scenes, shots, [{ id: 'b', sceneId: null, sortKey: 'a1' }]);
    const days = deriveShootingDays(rows);
    expect(days.days).toEqual([
      { bannerId: null, number: 1 },
      { bannerId: 'b', number: 2 },
    ]);
    expect(days.daysOfScene.get('s1')?.map((d) => d.number)).toEqual([1]);
    expect(days.dayOfShot.get('2A')?.number).toBe(2);
    // No day break at all: one day. A board opening with a day break has no extra day.
    expect(deriveShootingDays(flattenStripboard(scenes, shots, [])).days).toEqual([{ bannerId: null, number: 1 }]);
    const opening = deriveShootingDays(flattenStripboard(scenes, shots, [{ id: 'b', sceneId: null, sortKey: 'Zz' }]));
    expect(opening.days).toEqual([{ bannerId: 'b', number: 1 }]);
    // A day break at the top of the first scene's shots moves that whole scene: no empty Day 1.
    const split = flattenStripboard(scenes.slice(1), shots, [{ id: 'b', sceneId: 's2', sortKey: 'Zz' }]);
    expect(deriveShootingDays(split).days).toEqual([{ bannerId: 'b', number: 1 }]);
    expect(deriveShootingDays([]).days).toEqual([]);
  });

  test('[S7] rows whose scene was deleted are left off the board but listed as orphans', () => {
    const scenes = [{ id: 's1', sortKey: 'a0' }];
    const shots = [
      { id: 'x', sceneId: 'gone', sortKey: 'a0' },
      { id: 'kept', sceneId: 's1', sortKey: 'a0' },
    ];
    const banners = [
      { id: 'b', sceneId: 'gone', sortKey: 'a0' },
      { id: 'top', sceneId: null, sortKey: 'a1' },
    ];
    const rows = flattenStripboard(scenes, shots, banners);
    expect(rows.map((r) => r.id)).toEqual(['s1', 'kept', 'top']);
    const orphans = findOrphans(scenes, shots, banners);
    expect(orphans.shots.map((s) => s.id)).toEqual(['x']);
    expect(orphans.banners.map((b) => b.id)).toEqual(['b']);
  });

  test('[S7] every record is either on the board or an orphan, never both, never neither', () => {
    fc.assert(
      fc.property(board, fc.nat(), (b, drop) => {
        const scenes = b.scenes.filter((_, i) => i !== drop % Math.max(1, b.scenes.length));
        const rows = flattenStripboard(scenes, b.shots, b.banners);
        const orphans = findOrphans(scenes, b.shots, b.banners);
        const onBoard = new Set(rows.map((r) => r.id));
        for (const record of [...b.shots, ...b.banners]) {
          const orphaned =
            orphans.shots.some((s) => s.id === record.id) || orphans.banners.some((x) => x.id === record.id);
          expect(onBoard.has(record.id) !== orphaned).toBe(true);
        }
      }),
    );
  });

  test('[S1][S2] day derivation is a pure function of order: shuffling the records changes nothing', () => {
    fc.assert(
      fc.property(board, fc.integer({ min: 1, max: 1_000_000 }), (b, seed) => {
        const rows = rowsOf(b);
        const again = flattenStripboard(
          shuffled(b.scenes, seed),
          shuffled(b.shots, seed + 1),
          shuffled(b.banners, seed + 2),
        );
        expect(again.map((r) => r.id)).toEqual(rows.map((r) => r.id));
        expect(dayNumbers(again)).toEqual(dayNumbers(rows));
      }),
    );
  });

  test('[S2] every shot gets exactly the banner that precedes it (Day 1, with no banner, before the first)', () => {
    fc.assert(
      fc.property(board, (b) => {
        const days = deriveShootingDays(rowsOf(b));
        for (const shot of b.shots) {
          const at = positionOf(b, 'shot', shot.id);
          let expected: { id: string; pos: string[] } | null = null;
          for (const banner of b.banners) {
            if (banner.sceneId !== null && !b.scenes.some((s) => s.id === banner.sceneId)) continue;
            const pos = positionOf(b, 'banner', banner.id);
            if (tupleLess(pos, at) && (expected === null || tupleLess(expected.pos, pos)))
              expected = { id: banner.id, pos };
          }
          expect(days.dayOfShot.get(shot.id)?.bannerId ?? null).toBe(expected?.id ?? null);
        }
      }),
    );
  });

  test('[S3] dropping a banner anywhere is one record change and lands exactly in the chosen slot', () => {
    fc.assert(
      fc.property(
        distinctBoard.filter((b) => b.banners.length > 0),
        fc.nat(),
        fc.nat(),
        (b, which, slotPick) => {
          const rows = rowsOf(b);
          const banner = b.banners[which % b.banners.length]!;
          const rest = rowsWithout(rows, banner.id);
          const slot = slotPick % (rest.length + 1);
          const move = planMove(rows, banner.id, slot);
          expect(move).not.toBeNull();
          const after = rowsOf(applyToBoard(b, move!));
          const changed = [...b.scenes, ...b.shots, ...b.banners].filter((r, i) => {
            const n = [
              ...applyToBoard(b, move!).scenes,
              ...applyToBoard(b, move!).shots,
              ...applyToBoard(b, move!).banners,
            ][i];
            return JSON.stringify(r) !== JSON.stringify(n);
          });
          expect(changed.length).toBeLessThanOrEqual(1);
          // Order of everything else is untouched, and the banner sits at the slot.
          expect(rowsWithout(after, banner.id).map((r) => r.id)).toEqual(rest.map((r) => r.id));
          expect(currentSlot(after, banner.id)).toBe(slot);
        },
      ),
    );
  });

  test('[S3] dragging a shot to any slot below a scene heading lands it there with one write', () => {
    fc.assert(
      fc.property(
        distinctBoard.filter((b) => b.shots.length > 0),
        fc.nat(),
        fc.nat(),
        (b, which, slotPick) => {
          const rows = rowsOf(b);
          const shot = rows.filter((r) => r.kind === 'shot')[which % b.shots.length];
          if (!shot) return;
          const rest = rowsWithout(rows, shot.id);
          const slot = slotPick % (rest.length + 1);
          const move = planMove(rows, shot.id, slot);
          const above = rest[slot - 1];
          const below = rest[slot];
          if (above === undefined || above.sceneId === null) {
            if (below?.kind !== 'scene') {
              expect(move).toBeNull();
              return;
            }
          }
          expect(move?.table).toBe('shots');
          const after = rowsOf(applyToBoard(b, move!));
          expect(rowsWithout(after, shot.id).map((r) => r.id)).toEqual(rest.map((r) => r.id));
          // Dropped just above a scene heading (below a banner), it becomes that scene's first shot.
          const aboveHeading = (above === undefined || above.sceneId === null) && below?.kind === 'scene';
          expect(currentSlot(after, shot.id)).toBe(aboveHeading ? slot + 1 : slot);
        },
      ),
    );
  });

  test('[S3] a scene dragged to another place carries its shots and inner banners with one write', () => {
    fc.assert(
      fc.property(
        distinctBoard.filter((b) => b.scenes.length > 1),
        fc.nat(),
        fc.nat(),
        (b, which, slotPick) => {
          const rows = rowsOf(b);
          const scene = b.scenes[which % b.scenes.length]!;
          const rest = rowsWithout(rows, scene.id);
          const tops = rest.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === 'scene' || r.sceneId === null);
          const boundaries = [...tops.map(({ i }) => i), rest.length];
          const slot = boundaries[slotPick % boundaries.length]!;
          const move = planMove(rows, scene.id, slot);
          expect(move?.table).toBe('scenes');
          const after = rowsOf(applyToBoard(b, move!));
          const block = rows.filter((r) => r.sceneId === scene.id).map((r) => r.id);
          expect(after.slice(slot, slot + block.length).map((r) => r.id)).toEqual(block);
          expect(rowsWithout(after, scene.id).map((r) => r.id)).toEqual(rest.map((r) => r.id));
        },
      ),
    );
  });

  test('[S4] after concurrent inserts left equal keys, any drop still writes one valid key and keeps the rest in order', () => {
    fc.assert(
      fc.property(board, fc.nat(), fc.nat(), (b, which, slotPick) => {
        const rows = rowsOf(b);
        if (rows.length === 0) return;
        const row = rows[which % rows.length]!;
        const rest = rowsWithout(rows, row.id);
        const move = planMove(rows, row.id, slotPick % (rest.length + 1));
        if (move === null) return;
        expect(move.id).toBe(row.id);
        const after = applyMove(rows, move);
        expect(rowsWithout(after, row.id).map((r) => r.id)).toEqual(rest.map((r) => r.id));
      }),
    );
  });

  test('[S4] Alt+Up on a shot among equal keys (concurrent inserts) still moves it up, never down', () => {
    const scenes = [{ id: 'sc0', sortKey: 'a3' }];
    const shots = [
      { id: 'sh0', sceneId: 'sc0', sortKey: 'a0' },
      { id: 'sh1', sceneId: 'sc0', sortKey: 'a4' },
      { id: 'sh2', sceneId: 'sc0', sortKey: 'a0' },
      { id: 'sh3', sceneId: 'sc0', sortKey: 'a0' },
      { id: 'sh4', sceneId: 'sc0', sortKey: 'a0' },
    ];
    const rows = flattenStripboard(scenes, shots, []);
    expect(rows.map((r) => r.id)).toEqual(['sc0', 'sh0', 'sh2', 'sh3', 'sh4', 'sh1']);
    const after = applyMove(rows, planStep(rows, 'sh3', -1)!);
    expect(currentSlot(after, 'sh3')).toBeLessThan(3);
  });

  test('[S3] keyboard steps move a shot one row at a time and stop at the ends', () => {
    fc.assert(
      fc.property(
        board.filter((b) => b.shots.length > 0),
        fc.nat(),
        fc.constantFrom(-1 as const, 1 as const),
        (b, which, direction) => {
          const rows = rowsOf(b);
          const shot = rows.filter((r) => r.kind === 'shot')[which % b.shots.length]!;
          const move = planStep(rows, shot.id, direction);
          const before = currentSlot(rows, shot.id);
          if (move === null) return;
          const after = applyMove(rows, move);
          const moved = currentSlot(after, shot.id);
          expect(Math.sign(moved - before)).toBe(direction);
          expect(rowsWithout(after, shot.id).map((r) => r.id)).toEqual(rowsWithout(rows, shot.id).map((r) => r.id));
        },
      ),
    );
  });

  test('[S3] keyboard steps move a scene past one neighbouring scene or day break, carrying its shots', () => {
    fc.assert(
      fc.property(
        distinctBoard.filter((b) => b.scenes.length > 0),
        fc.nat(),
        fc.constantFrom(-1 as const, 1 as const),
        (b, which, direction) => {
          const rows = rowsOf(b);
          const scene = b.scenes[which % b.scenes.length]!;
          const tops = (rs: StripRow[]) => rs.filter((r) => r.kind === 'scene' || r.sceneId === null).map((r) => r.id);
          const before = tops(rows);
          const at = before.indexOf(scene.id);
          const move = planStep(rows, scene.id, direction);
          if (at + direction < 0 || at + direction >= before.length) {
            expect(move).toBeNull();
            return;
          }
          const after = applyMove(rows, move!);
          const expected = [...before];
          expected.splice(at, 1);
          expected.splice(at + direction, 0, scene.id);
          expect(tops(after)).toEqual(expected);
          expect(after.filter((r) => r.sceneId === scene.id).map((r) => r.id)).toEqual(
            rows.filter((r) => r.sceneId === scene.id).map((r) => r.id),
          );
        },
      ),
    );
  });

  test('[S3] keyboard steps move a day break one row, entering and leaving scenes', () => {
    fc.assert(
      fc.property(
        distinctBoard.filter((b) => b.banners.length > 0),
        fc.nat(),
        fc.constantFrom(-1 as const, 1 as const),
        (b, which, direction) => {
          const rows = rowsOf(b);
          const banner = b.banners[which % b.banners.length]!;
          const from = currentSlot(rows, banner.id);
          const move = planStep(rows, banner.id, direction);
          if (move === null) {
            expect(from + direction < 0 || from + direction > rows.length - 1).toBe(true);
            return;
          }
          const after = applyMove(rows, move);
          expect(currentSlot(after, banner.id)).toBe(from + direction);
          expect(rowsWithout(after, banner.id).map((r) => r.id)).toEqual(rowsWithout(rows, banner.id).map((r) => r.id));
        },
      ),
    );
  });

  test('[S8] two assistants moving banners at once converge, whichever write the server applies last', () => {
    fc.assert(
      fc.property(
        board.filter((b) => b.banners.length > 0),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (b, w1, w2, s1, s2) => {
          const rows = rowsOf(b);
          const plan = (which: number, slotPick: number) => {
            const id = b.banners[which % b.banners.length]!.id;
            return planMove(rows, id, slotPick % (rowsWithout(rows, id).length + 1))!;
          };
          const moveA = plan(w1, s1);
          const moveB = plan(w2, s2);
          // Server arrival order decides per record; both devices end up with the server's records.
          const serverAB = applyToBoard(applyToBoard(b, moveA), moveB);
          const deviceA = applyToBoard(applyToBoard(applyToBoard(b, moveA), moveB), moveB);
          const deviceB = applyToBoard(applyToBoard(b, moveB), moveA);
          const deviceBAfterPull = moveA.id === moveB.id ? applyToBoard(deviceB, moveB) : deviceB;
          expect(dayNumbers(rowsOf(deviceA))).toEqual(dayNumbers(rowsOf(serverAB)));
          expect(dayNumbers(rowsOf(deviceBAfterPull))).toEqual(dayNumbers(rowsOf(serverAB)));
          expect(rowsOf(deviceBAfterPull).map((r) => r.id)).toEqual(rowsOf(deviceA).map((r) => r.id));
        },
      ),
    );
  });
});
