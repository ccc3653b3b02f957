import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { board as randomBoard } from './random-boards.test-support.ts';
import { reportBoard } from './report-boards.test-support.ts';
import { deriveDayTotals } from './day-totals.ts';
import { deriveShootingDays, flattenStripboard } from './shooting-days.ts';
import { deriveSchedule } from './shooting-schedule.ts';

/** Each day as `number: scene ids (part/parts) = eighths`, for readable expectations. */
function outline(schedule: ReturnType<typeof deriveSchedule>): string[] {
  return schedule.map(
    (day) =>
      `${day.number}${day.banner ? `@${day.banner.id}` : ''}: ${day.scenes
        .map((s) => `${s.scene.id}${s.parts > 1 ? `(${s.part}/${s.parts})` : ''}=${s.eighths ?? '-'}`)
        .join(' ')} | ${day.eighths}`,
  );
}

describe('the shooting schedule of a board', () => {
  test('[RP1] scenes before the first day break are Day 1; each break starts the next day', () => {
    const { rows } = reportBoard([
      { scene: '1', heading: 'INT. KITCHEN - DAY', eighths: 11 },
      { scene: '2', heading: 'EXT. PIER - NIGHT', eighths: 3 },
      { day: 'b1', date: 'Tue 10 Mar' },
      { scene: '3', heading: 'INT. CAR - DAY', eighths: 8 },
      { day: 'b2' },
      { scene: '4', heading: 'EXT. ROAD - DUSK', eighths: null },
    ]);
    expect(outline(deriveSchedule(rows))).toEqual([
      '1: scene-1=11 scene-2=3 | 14',
      '2@b1: scene-3=8 | 8',
      '3@b2: scene-4=- | 0',
    ]);
  });

  test('[RP1] a break at the very top of the board starts Day 1 itself', () => {
    const { rows } = reportBoard([
      { day: 'b1' },
      { scene: '1', heading: 'INT. KITCHEN - DAY', eighths: 4 },
      { day: 'b2' },
    ]);
    expect(outline(deriveSchedule(rows))).toEqual(['1@b1: scene-1=4 | 4', '2@b2:  | 0']);
  });

  test('[RP1] an empty board has no days; a board of scenes alone is one day', () => {
    expect(deriveSchedule(reportBoard([]).rows)).toEqual([]);
    expect(outline(deriveSchedule(reportBoard([{ scene: '1', heading: 'INT. A - DAY' }]).rows))).toEqual([
      '1: scene-1=8 | 8',
    ]);
  });

  test('[RP2] a break inside a scene splits it; its pages are shared by the parts’ shots (largest remainder) and add up to the whole', () => {
    const { rows } = reportBoard([
      { scene: '1', heading: 'INT. KITCHEN - DAY', eighths: 11, shots: ['1A', { day: 'b1' }, '1B', '1C'] },
      { scene: '2', heading: 'EXT. PIER - NIGHT', eighths: 2 },
    ]);
    const schedule = deriveSchedule(rows);
    // 11 eighths over 3 shots: 1 shot -> round(11/3)=4, the other 2 -> 7.
    expect(outline(schedule)).toEqual(['1: scene-1(1/2)=4 | 4', '2@b1: scene-1(2/2)=7 scene-2=2 | 9']);
    expect(schedule[0]?.scenes[0]?.shots.map((shot) => shot.id)).toEqual(['shot-1A']);
    expect(schedule[1]?.scenes[0]?.shots.map((shot) => shot.id)).toEqual(['shot-1B', 'shot-1C']);
  });

  test('[RP2] a break above a scene’s first shot moves the whole scene to the new day', () => {
    const { rows } = reportBoard([
      { day: 'b1' },
      { scene: '1', heading: 'INT. KITCHEN - DAY', eighths: 5, shots: [{ day: 'b2' }, '1A'] },
    ]);
    expect(outline(deriveSchedule(rows))).toEqual(['1@b1:  | 0', '2@b2: scene-1=5 | 5']);
  });

  test('[RP1][RP2] properties: every shot once, every scene on some day, parts add up, days agree with the board', () => {
    fc.assert(
      fc.property(
        randomBoard,
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 6, maxLength: 6 }),
        (b, pages) => {
          const scenes = b.scenes.map((scene, i) => ({ ...scene, pageEighths: pages[i] ?? 0 }));
          const rows = flattenStripboard(scenes, b.shots, b.banners);
          const schedule = deriveSchedule(rows);
          const shotIds = schedule.flatMap((day) => day.scenes.flatMap((part) => part.shots.map((shot) => shot.id)));
          expect(shotIds.sort()).toEqual(
            rows
              .filter((row) => row.kind === 'shot')
              .map((row) => row.id)
              .sort(),
          );
          for (const scene of scenes) {
            const parts = schedule.flatMap((day) => day.scenes.filter((part) => part.scene.id === scene.id));
            expect(parts.length).toBeGreaterThan(0);
            expect(parts.map((part) => part.part)).toEqual(parts.map((_, i) => i + 1));
            expect(parts.reduce((sum, part) => sum + (part.eighths ?? 0), 0)).toBe(scene.pageEighths);
          }
          schedule.forEach((day, i) => {
            expect(day.number).toBe(i + 1);
            expect(day.eighths).toBe(day.scenes.reduce((sum, part) => sum + (part.eighths ?? 0), 0));
          });
          // Against the board's own days and totals: a shot's day break and a day's pages are the same.
          const days = deriveShootingDays(rows);
          const eighthsOf = (id: string) => scenes.find((scene) => scene.id === id)?.pageEighths ?? null;
          expect(schedule.map((day) => day.eighths)).toEqual(
            deriveDayTotals(rows, days, eighthsOf).map((total) => total.eighths),
          );
          for (const day of schedule)
            for (const part of day.scenes)
              for (const shot of part.shots)
                expect(days.dayOfShot.get(shot.id)?.bannerId ?? null).toBe(day.banner?.id ?? null);
        },
      ),
    );
  });
});
