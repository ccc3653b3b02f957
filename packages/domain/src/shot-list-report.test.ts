import { describe, expect, test } from 'vitest';
import { parseCsv } from './csv.ts';
import { reportBoard } from './report-boards.test-support.ts';
import { deriveSchedule } from './shooting-schedule.ts';
import { shotListCsv, shotListCsvHeader, shotListGroups } from './shot-list-report.ts';

const board = reportBoard([
  { scene: '10', heading: 'EXT. PIER - DAY', shots: ['10A'] },
  { day: 'b2', date: 'Wed 11 Mar', label: 'Stage 4' },
  { scene: '2', heading: 'INT. KITCHEN - NIGHT', shots: ['2A', { day: 'b3' }, '2B'] },
  { scene: '1', heading: 'INT. HALL - DAY', shots: [] },
]);
for (const shot of board.shots) {
  if (shot.label === '2A')
    Object.assign(shot, { size: 'WS', movement: 'Dolly', lens: '24mm', durationS: 90, done: true });
  if (shot.label === '2B') Object.assign(shot, { description: 'She says "stop", then\nleaves' });
}
const rows = reportBoard([]).rows; // (an empty board for the empty case)
const schedule = deriveSchedule(board.rows);

describe('the shot list report', () => {
  test('[SL1] by scene: script order of scene numbers, each scene’s shots across its days', () => {
    const groups = shotListGroups(schedule, 'scene');
    expect(groups.map((group) => group.title)).toEqual([
      'Scene 1 — INT. HALL - DAY',
      'Scene 2 — INT. KITCHEN - NIGHT',
      'Scene 10 — EXT. PIER - DAY',
    ]);
    expect(groups[1]?.scenes[0]?.shots.map(({ shot, day }) => [shot.label, day])).toEqual([
      ['2A', 2],
      ['2B', 3],
    ]);
    expect(groups[0]?.scenes[0]?.shots).toEqual([]);
  });

  test('[SL1] by day: shooting order, each day titled with its date and label', () => {
    const groups = shotListGroups(schedule, 'day');
    expect(groups.map((group) => group.title)).toEqual(['Day 1', 'Day 2 — Wed 11 Mar — Stage 4', 'Day 3']);
    expect(groups.map((group) => group.scenes.flatMap((scene) => scene.shots.map(({ shot }) => shot.label)))).toEqual([
      ['10A'],
      ['2A'],
      ['2B'],
    ]);
    expect(shotListGroups(deriveSchedule(rows), 'day')).toEqual([]);
  });

  test('[SL2] CSV: a header, one record per shot in the chosen order; text with commas, quotes and line breaks reads back intact', () => {
    const csv = shotListCsv(shotListGroups(schedule, 'day'));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(parseCsv(csv)).toEqual([
      [...shotListCsvHeader],
      ['1', '10', 'EXT. PIER - DAY', '10A', '', '', '', '', '', 'no'],
      ['2', '2', 'INT. KITCHEN - NIGHT', '2A', 'WS', 'Dolly', '24mm', '', '90', 'yes'],
      ['3', '2', 'INT. KITCHEN - NIGHT', '2B', '', '', '', 'She says "stop", then\nleaves', '', 'no'],
    ]);
    expect(csv).toContain('"She says ""stop"", then\nleaves"');
  });

  test('[SL1] by scene follows production order of scene numbers: A1, 1, 1A, 2, 10, then numbers typed otherwise', () => {
    const numbered = reportBoard(
      ['10A', 'x', '2', '1B', '10', 'A1', '1', '1A', 'B1'].map((number) => ({
        scene: number,
        heading: 'INT. A - DAY',
      })),
    );
    const groups = shotListGroups(deriveSchedule(numbered.rows), 'scene');
    expect(groups.map((group) => group.scenes[0]?.number)).toEqual([
      'A1',
      'B1',
      '1',
      '1A',
      '1B',
      '2',
      '10',
      '10A',
      'x',
    ]);
  });
});
