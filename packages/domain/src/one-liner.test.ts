import { expect, test } from 'vitest';
import { deriveOneLiner, endOfDayText } from './one-liner.ts';
import { castOfScenes, reportBoard } from './report-boards.test-support.ts';
import { formatPageLength } from './board-entry.ts';
import { castIdsText, sceneNumberText } from './scene-line.ts';
import { deriveSchedule } from './shooting-schedule.ts';

const board = reportBoard([
  {
    scene: '1',
    heading: 'INT. LIGHTHOUSE - NIGHT',
    eighths: 11,
    synopsis: 'Maya climbs',
    shots: ['1A', { day: 'b2', date: 'Tue 10 Mar' }, '1B'],
  },
  { scene: '2', heading: 'EXT. PIER - DAY', eighths: 8 },
  { day: 'b3' },
]);
const people = [
  { id: 'p1', name: 'Ana', castNumber: 1 },
  { id: 'p2', name: 'Ben', castNumber: 2 },
];
const cast = castOfScenes(
  new Map([
    ['scene-1', ['MAYA', 'TOM']],
    ['scene-2', ['TOM']],
  ]),
  [
    { personId: 'p1', character: 'MAYA' },
    { personId: 'p2', character: 'TOM' },
  ],
  people,
);

test('[OL1] one line per scene (or part) grouped by day, each day with its total; the whole counts a split scene once', () => {
  const oneLiner = deriveOneLiner(deriveSchedule(board.rows), cast);
  expect(
    oneLiner.days.map((day) => [
      day.number,
      day.scenes.map(
        (line) =>
          `${sceneNumberText(line)} ${line.intExt} ${line.set} ${line.timeOfDay} ${formatPageLength(line.eighths)} [${castIdsText(line.castIds)}]`,
      ),
      endOfDayText(day),
    ]),
  ).toEqual([
    [1, ['1 (pt 1/2) INT LIGHTHOUSE NIGHT 6/8 [1, 2]'], 'End of Day 1 — 1 scene — 6/8 pages'],
    [
      2,
      ['1 (pt 2/2) INT LIGHTHOUSE NIGHT 5/8 [1, 2]', '2 EXT PIER DAY 1 [2]'],
      'End of Day 2 — Tue 10 Mar — 2 scenes — 1 5/8 pages',
    ],
    [3, [], 'End of Day 3 — 0 scenes — 0 pages'],
  ]);
  expect(oneLiner.eighths).toBe(19);
  expect(oneLiner.sceneCount).toBe(2);
});
